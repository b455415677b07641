"""gcli: design, certify, bound and export gradient codes over the reals and finite fields.

Public API (implementation modules may move; import from here). Names are imported on first use (PEP 562), so
``import gcli`` costs nothing and a command pays only for what it uses:

* :class:`Code` — the model; :func:`target_matrix`.
* fields: :data:`REAL`, :func:`as_field`, :func:`field_name`.
* certification: :func:`certify` → :class:`Certificate` (one pass: decodability, stability, structure; its
  options as one :class:`CertifyOptions`);
  :func:`verify` → :class:`VerificationReport` (decodability only); :func:`stability_report` →
  :class:`StabilityReport` (real codes).
* approximation (real codes): :func:`approximation_report` → :class:`ApproximationReport`,
  :func:`approximation_statistics` (worst and mean error per decoder, one engine pass),
  :func:`approximate_decoder` → :class:`ApproximateDecoder` and :func:`approximate_decoding_matrix` (the m × |F|
  decoder of a set: optimal, fixed or unbiased), :func:`approximation_error`,
  :func:`expected_error` → :class:`Expectation` (i.i.d. failures).
* decoding: :func:`decoding_matrix`, :func:`decode`; adversaries: :func:`decode_adversarial` (Berlekamp–Welch or
  consistent-subset decoding); polynomial codes: :func:`polynomial_decoder`, :func:`berlekamp_welch`.
* I/O: :func:`dumps`, :func:`loads`, :func:`load_code`, :func:`code_schema`.
* refusals: :class:`InputError` (exit status 2) and its kinds :class:`ImpossibleParameters`, :class:`NotSupported`,
  :class:`OverLimit`, :class:`BadFile`; a decoder's refusal: :class:`InconsistentMessages`.
* structures: :func:`certify_structure`, :class:`StructureReport`; conditioning: :func:`condition_numbers`,
  :func:`subset_condition_numbers`; executors for :func:`certify`: :func:`local_executor`,
  :func:`dask_executor`, :func:`default_jobs`.
* simulation: :func:`simulate` → :class:`SimulationResult` (coded gradient descent with stragglers against the
  uncoded baselines), :func:`simulate_many` (sweeps on the executors above), :class:`StragglerModel`,
  :class:`Timing`, :func:`load_dataset`; decoders as policies: :func:`make_decoder`, :func:`register_decoder`.
* export: :func:`export_code` (json, npz, mat, csv; graph6, sparse6, edge lists of structures),
  :func:`load_decoders`, :func:`read_graph`, :func:`structure_graph`; figures: :func:`plot_certificate`,
  :func:`plot_compare`, :func:`plot_tradeoff`, :func:`plot_simulation` (matplotlib, extra ``plots``).
* advice: :func:`advise` → :class:`Advice` (every registered family for your cluster, certified, scored and
  ranked on one Pareto table; ``gcli advise``).
* constructions and bounds live in :mod:`gcli.constructions` and :mod:`gcli.bounds`.

Example:
    >>> import gcli
    >>> from gcli.constructions import reed_solomon
    >>> gcli.certify(reed_solomon(8, 2, field="GF(11)")).certified
    True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gcli._lazy import lazy_namespace

if TYPE_CHECKING:
    from gcli._version import __version__
    from gcli.advice import Advice, advise
    from gcli.certification.approximation import (
        ApproximateDecoder,
        ApproximationReport,
        Expectation,
        approximate_decoder,
        approximate_decoding_matrix,
        approximation_error,
        approximation_report,
        approximation_statistics,
        expected_error,
    )
    from gcli.certification.certificate import Certificate, certify
    from gcli.certification.engine import dask_executor, default_jobs, local_executor
    from gcli.certification.options import CertifyOptions
    from gcli.certification.stability import StabilityReport, stability_report, subset_condition_numbers
    from gcli.certification.verification import VerificationReport, verify
    from gcli.code import Code, target_matrix
    from gcli.decoding.adversarial import AdversarialDecoding, decode_adversarial, decode_adversarial_report
    from gcli.decoding.matrices import decode, decoding_matrix
    from gcli.decoding.polynomial import berlekamp_welch, polynomial_decoder
    from gcli.errors import BadFile, ImpossibleParameters, InconsistentMessages, InputError, NotSupported, OverLimit
    from gcli.fields import REAL, as_field, field_name
    from gcli.fields.linalg import condition_numbers
    from gcli.io.exports import export_code, load_decoders, read_graph, structure_graph
    from gcli.io.files import load_code
    from gcli.io.json import code_schema, dumps, loads
    from gcli.plots import plot_advice, plot_certificate, plot_compare, plot_simulation, plot_tradeoff
    from gcli.structures import StructureReport, certify_structure
    from gcli.training.datasets import load_dataset
    from gcli.training.decoders import make_decoder, register_decoder
    from gcli.training.simulation import SimulationResult, StragglerModel, Timing, simulate, simulate_many

_LAZY: dict[str, str] = {
    "__version__": "gcli._version",
    "Advice": "gcli.advice.advisor",
    "advise": "gcli.advice.advisor",
    "AdversarialDecoding": "gcli.decoding.adversarial",
    "decode_adversarial": "gcli.decoding.adversarial",
    "decode_adversarial_report": "gcli.decoding.adversarial",
    "ApproximateDecoder": "gcli.certification.approx_decoders",
    "ApproximationReport": "gcli.certification.approximation",
    "approximate_decoder": "gcli.certification.approx_decoders",
    "Expectation": "gcli.certification.approx_expectation",
    "approximate_decoding_matrix": "gcli.certification.approx_decoders",
    "approximation_error": "gcli.certification.approx_decoders",
    "approximation_report": "gcli.certification.approximation",
    "approximation_statistics": "gcli.certification.approximation",
    "expected_error": "gcli.certification.approx_expectation",
    "Certificate": "gcli.certification.certificate",
    "CertifyOptions": "gcli.certification.options",
    "certify": "gcli.certification.certificate",
    "Code": "gcli.code",
    "target_matrix": "gcli.code",
    "decode": "gcli.decoding.matrices",
    "decoding_matrix": "gcli.decoding.matrices",
    "InconsistentMessages": "gcli.errors",
    "InputError": "gcli.errors",
    "ImpossibleParameters": "gcli.errors",
    "NotSupported": "gcli.errors",
    "OverLimit": "gcli.errors",
    "BadFile": "gcli.errors",
    "REAL": "gcli.fields",
    "as_field": "gcli.fields",
    "field_name": "gcli.fields",
    "code_schema": "gcli.io.json",
    "dumps": "gcli.io.json",
    "load_code": "gcli.io.files",
    "loads": "gcli.io.json",
    "berlekamp_welch": "gcli.decoding.polynomial",
    "polynomial_decoder": "gcli.decoding.polynomial",
    "StabilityReport": "gcli.certification.stability",
    "stability_report": "gcli.certification.stability",
    "VerificationReport": "gcli.certification.verification",
    "verify": "gcli.certification.verification",
    "condition_numbers": "gcli.fields.linalg",
    "subset_condition_numbers": "gcli.certification.stability",
    "StructureReport": "gcli.structures",
    "certify_structure": "gcli.structures",
    "default_jobs": "gcli.certification.engine",
    "local_executor": "gcli.certification.engine",
    "dask_executor": "gcli.certification.engine",
    "load_dataset": "gcli.training.datasets",
    "make_decoder": "gcli.training.decoders",
    "register_decoder": "gcli.training.decoders",
    "export_code": "gcli.io.exports",
    "load_decoders": "gcli.io.exports",
    "read_graph": "gcli.io.exports",
    "structure_graph": "gcli.io.exports",
    "plot_advice": "gcli.plots",
    "plot_certificate": "gcli.plots",
    "plot_compare": "gcli.plots",
    "plot_simulation": "gcli.plots",
    "plot_tradeoff": "gcli.plots",
    "SimulationResult": "gcli.training.simulation",
    "StragglerModel": "gcli.training.simulation",
    "Timing": "gcli.training.simulation",
    "simulate": "gcli.training.simulation",
    "simulate_many": "gcli.training.simulation",
}

__all__ = [
    "REAL",
    "AdversarialDecoding",
    "Advice",
    "ApproximateDecoder",
    "ApproximationReport",
    "BadFile",
    "Certificate",
    "CertifyOptions",
    "Code",
    "Expectation",
    "ImpossibleParameters",
    "InconsistentMessages",
    "InputError",
    "NotSupported",
    "OverLimit",
    "SimulationResult",
    "StabilityReport",
    "StragglerModel",
    "StructureReport",
    "Timing",
    "VerificationReport",
    "__version__",
    "advise",
    "approximate_decoder",
    "approximate_decoding_matrix",
    "approximation_error",
    "approximation_report",
    "approximation_statistics",
    "as_field",
    "berlekamp_welch",
    "certify",
    "certify_structure",
    "code_schema",
    "condition_numbers",
    "dask_executor",
    "decode",
    "decode_adversarial",
    "decode_adversarial_report",
    "decoding_matrix",
    "default_jobs",
    "dumps",
    "expected_error",
    "export_code",
    "field_name",
    "load_code",
    "load_dataset",
    "load_decoders",
    "loads",
    "local_executor",
    "make_decoder",
    "plot_advice",
    "plot_certificate",
    "plot_compare",
    "plot_simulation",
    "plot_tradeoff",
    "polynomial_decoder",
    "read_graph",
    "register_decoder",
    "simulate",
    "simulate_many",
    "stability_report",
    "structure_graph",
    "subset_condition_numbers",
    "target_matrix",
    "verify",
]


__getattr__, __dir__ = lazy_namespace(__name__, _LAZY, globals())
