"""Certification: is every surviving set decodable, how stable, how good an approximation, is every claim true.

* :mod:`~gcli.certification.engine` — the pass over surviving sets (executors, batching) and its compiled
  kernels :mod:`~gcli.certification._kernels`, :mod:`~gcli.certification._approx_kernels`;
* :mod:`~gcli.certification.verification` — decodability (:func:`gcli.verify`);
  :mod:`~gcli.certification.sparse` — the same for large sparse codes;
* :mod:`~gcli.certification.stability` — conditioning of the decoding systems (:func:`gcli.stability_report`);
* :mod:`~gcli.certification.approximation` — approximate codes: decoders, errors, expectations;
* :mod:`~gcli.certification.hierarchical` — hierarchical codes: every combined failure pattern;
* :mod:`~gcli.certification.claims` — every property a file records, re-derived;
* :mod:`~gcli.certification.certificate` — the one pass combining them (:func:`gcli.certify`).

Named ``certification`` (not ``certify``) so that the function :func:`gcli.certify` is never shadowed by a
subpackage attribute.
"""
