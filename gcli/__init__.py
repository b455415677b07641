"""gcli: design, certify, bound and export gradient codes over the reals and finite fields.

Public API (implementation modules may move; import from here):

* :class:`Code` — the model; :func:`target_matrix`.
* fields: :data:`REAL`, :func:`as_field`, :func:`field_name`.
* verification: :func:`verify`, :class:`VerificationReport`, :func:`decoding_matrix`, :func:`decode`.
* I/O: :func:`dumps`, :func:`loads`, :func:`load_code`, :func:`code_schema`.
* adversaries: :func:`decode_adversarial` (Berlekamp–Welch or consistent-subset decoding).
* numerical stability of real codes: :func:`stability_report`, :class:`StabilityReport`.
* polynomial codes: :func:`polynomial_decoder` (O(K²) erasure decoder), :func:`berlekamp_welch`.
* constructions and bounds live in :mod:`gcli.constructions` and :mod:`gcli.bounds`.
"""

from __future__ import annotations

from gcli._version import __version__
from gcli.adversarial import AdversarialDecoding, decode_adversarial, decode_adversarial_report
from gcli.code import Code, target_matrix
from gcli.decoding import decode, decoding_matrix
from gcli.errors import InputError
from gcli.fields import REAL, as_field, field_name
from gcli.io import code_schema, dumps, load_code, loads
from gcli.polynomial import berlekamp_welch, polynomial_decoder
from gcli.stability import StabilityReport, stability_report
from gcli.verify import VerificationReport, verify

__all__ = [
    "REAL",
    "AdversarialDecoding",
    "Code",
    "InputError",
    "StabilityReport",
    "VerificationReport",
    "__version__",
    "as_field",
    "berlekamp_welch",
    "code_schema",
    "decode",
    "decode_adversarial",
    "decode_adversarial_report",
    "decoding_matrix",
    "dumps",
    "field_name",
    "load_code",
    "loads",
    "polynomial_decoder",
    "stability_report",
    "target_matrix",
    "verify",
]
