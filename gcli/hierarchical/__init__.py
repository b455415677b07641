"""Hierarchical codes: a code per layer (workers → clusters → server).

* :mod:`~gcli.hierarchical.codes` — the model, its decoding and its ``gcli.hcode`` JSON files;
* :mod:`~gcli.hierarchical.files` — reading and writing any code file, flat or hierarchical.

Certifying every combined failure pattern is :mod:`gcli.certification.hierarchical`.
"""
