"""Decoding: from received messages to the gradient sum.

* :mod:`~gcli.decoding.matrices` — decoding matrices of a surviving set and :func:`gcli.decode`;
* :mod:`~gcli.decoding.polynomial` — Reed–Solomon style codes: Vandermonde decoders, Berlekamp–Welch;
* :mod:`~gcli.decoding.adversarial` — decoding with wrong messages (:func:`gcli.decode_adversarial`).

Named ``decoding`` (not ``decode``) so that the function :func:`gcli.decode` is never shadowed.
"""
