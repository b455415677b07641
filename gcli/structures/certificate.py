"""Certifying the combinatorial structure carried by a code (its ``"design"`` / ``"graph"`` block).

:func:`certify_structure` rebuilds the incidence or adjacency matrix from the block and certifies, in order:

1. the defining identity (BIBD: N·Nᵀ = (r−λ)I + λJ; SRG: A² = kI + λA + μ(J − I − A); other graphs:
   symmetric and regular) and the parameters the block records;
2. that the code's assignment is the structure's (blocks or, transposed, points; neighbourhoods);
3. that the encoding is exactly the code the structure and its coefficient rule (:mod:`gcli.structures.rules`)
   give for the code's s and recorded options (``transpose``, ``loops``, ``incidence``): the expected matrix is
   recomputed and compared entry by entry, and the coefficient, error and spectral values the file records must
   be the ones the rule gives. Codes with another ``method`` (m ≥ 1: ``nullspace``, ``polynomial``,
   ``stacked``) are rebuilt from the structure's support and what the file records — the decoder X, the
   null-space choice and seed; the evaluation points; the row classes — with the same rule functions that built
   them, and compared entry by entry (relative 1e-9: a rebuild on another machine may differ in the last bits of
   the pseudo-inverses); the claims that depend on the errors (unbiasedness, variance, exact straggler counts) are
   checked by the approximation engine of ``gcli verify``;
4. the spectrum: exact from the parameters for BIBDs and SRGs, a sparse solve of three eigenvalues otherwise.

Any failure gives a report with ``certified=False`` and a message naming the first violation.

Example:
    >>> from gcli.constructions import bibd_code
    >>> certify_structure(bibd_code(7, 3, 1, s=2)).message.split(";")[0]
    '2-(7,3,1) design, b = 7, r = 3: N·Nᵀ = 2·I + 1·J holds'
"""

from __future__ import annotations

import itertools
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gcli._gc import collector_paused
from gcli.code import Code
from gcli.defaults import within
from gcli.fields import is_real
from gcli.structures.designs import check_bibd
from gcli.structures.graphs import adjacency_from_edges, check_regular, check_srg
from gcli.structures.rules import (
    bibd_encoding,
    bibd_rule,
    bibd_support,
    graph_encoding,
    graph_support,
    incidence_support,
    nullspace_encoding,
    polynomial_encoding,
    stacked_encoding,
)
from gcli.structures.spectra import (
    bipartite_singular_values,
    design_spectrum,
    regular_spectrum,
    srg_eigenvalues,
    srg_spectrum,
)

__all__ = ["StructureReport", "certify_structure"]

_CLAIM_TOLERANCE = 1e-8  # recorded floating-point claims were rounded to 10 digits


@dataclass(frozen=True)
class StructureReport:
    """Outcome of certifying a code's structure block."""

    kind: str
    certified: bool
    message: str
    details: dict[str, Any] = field(default_factory=dict)
    claim: str | None = None
    """When the failure is a recorded value that disagrees with the structure: its dotted path in the file."""
    claims_checked: tuple[str, ...] = ()
    """The dotted paths of the recorded values this certificate compared with the structure and its rule."""

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"kind": self.kind, "certified": self.certified, "message": self.message, **self.details}

    def summary(self) -> str:
        """Human-readable lines."""
        lines = [f"structure ({self.kind}): {'CERTIFIED' if self.certified else 'FAILED'}: {self.message}"]
        spectrum = self.details.get("spectrum")
        if spectrum and "eigenvalues" in spectrum:
            pairs = ", ".join(f"[{e}]^{m}" if "/" in str(e) else f"{e}^{m}"
                              for e, m in zip(spectrum["eigenvalues"], spectrum["multiplicities"], strict=True))
            lines.append(f"spectrum ({spectrum.get('of', 'adjacency')}): {pairs}")
        elif spectrum:
            lines.append(f"eigenvalues (adjacency): degree {spectrum['degree']}, second largest "
                         f"{spectrum['second_largest']}, smallest {spectrum['smallest']}; second largest "
                         f"modulus {spectrum['second_largest_modulus']}")
        return "\n".join(lines)


class _Violation(Exception):
    """A failed check: the message of the report; ``field`` names the recorded claim that disagrees (dotted path
    in the file), when the failure is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _int(block: dict[str, Any], key: str) -> int:
    value = block.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Violation(f"malformed block: missing or non-integer {key!r}")
    return value


def _flag(code: Code, key: str) -> bool:
    construction = code.construction if isinstance(code.construction, dict) else {}
    value = construction.get(key, False)
    if not isinstance(value, bool):
        raise _Violation(f"the construction block's {key!r} must be true or false (got {value!r})")
    return value


@collector_paused()
def certify_structure(code: Code) -> StructureReport | None:
    """Certify the ``design`` or ``graph`` block of a code and that the code is its code; None without one."""
    if "design" in code.extras:
        kind, check = "bibd", _certify_design
        block = code.extras["design"]
    elif "graph" in code.extras:
        block = code.extras["graph"]
        kind = str(block.get("kind", "graph")) if isinstance(block, dict) else "graph"
        check = _certify_graph
    else:
        return None
    token = _CHECKED.set([])
    try:
        if not isinstance(block, dict):
            raise _Violation("the structure block is not an object")
        message, details = check(code, block)
    except _Violation as exc:
        return StructureReport(kind, False, str(exc), claim=exc.field)
    else:
        return StructureReport(kind, True, message, details, claims_checked=tuple(_CHECKED.get() or ()))
    finally:
        _CHECKED.reset(token)


_CHECKED: ContextVar[list[str] | None] = ContextVar("claims_checked", default=None)


def _checked(field: str) -> None:
    """Note that the recorded value at ``field`` was compared (:attr:`StructureReport.claims_checked`)."""
    seen = _CHECKED.get()
    if seen is not None:
        seen.append(field)


# ---------------------------------------------------------------------------------------------------------
# the code against the structure
# ---------------------------------------------------------------------------------------------------------
def _construction(code: Code) -> dict[str, Any]:
    return code.construction if isinstance(code.construction, dict) else {}


def _method(code: Code) -> str:
    method = _construction(code).get("method", "structure")
    if method not in ("structure", "nullspace", "polynomial", "stacked"):
        raise _Violation(f"unknown encoding method {method!r} in the construction block")
    return str(method)


def _code_shape(code: Code, n: int, k: int) -> None:
    if not is_real(code.field) or code.a != 0:
        raise _Violation("structure codes are real codes with a = 0")
    if _method(code) == "structure" and code.m != 1:
        raise _Violation("the structure rule gives m = 1 codes; an m > 1 code must record its method")
    if (code.n, code.k) != (n, k):
        raise _Violation(f"the code has n = {code.n}, k = {code.k} but the structure gives {n} × {k}")
    claimed = _construction(code).get("exact_for")
    if code.exact and code.s > 0 and not (isinstance(claimed, list) and code.s in claimed):
        raise _Violation(f"the code claims exact = true for s = {code.s} but its construction block does not list "
                         f"s = {code.s} among the straggler counts it is exact for", "construction.exact_for")
    if "m" in _construction(code) and _construction(code)["m"] != code.m:
        raise _Violation(f"the construction block records m = {_construction(code)['m']} but the code has "
                         f"m = {code.m}", "construction.m")


def _method_encoding(code: Code, support: np.ndarray) -> tuple[np.ndarray, str]:
    """The encoding a non-structure method rebuilds from the support and the recorded parameters."""
    construction = _construction(code)
    method = _method(code)
    if hasattr(support, "toarray"):  # the methods work on dense supports (their codes are dense anyway)
        support = support.toarray()
    try:
        if method == "nullspace":
            decoder = construction.get("decoder")
            matrix = np.asarray(decoder.get("matrix") if isinstance(decoder, dict) else None, dtype=np.float64)
            if matrix.shape != (code.m, code.n):
                raise _Violation("a null-space code must record its m × n decoder matrix")
            choice = construction.get("null_space", "min-norm")
            seed = construction.get("seed", 0)
            if type(seed) is not int:
                raise _Violation("the construction block's seed must be an integer")
            return (nullspace_encoding(support, matrix, str(choice), seed),
                    f"null-space code, C_j = X_(H_j)^+ ({choice}, seed {seed})")
        if method == "polynomial":
            points = np.asarray(construction.get("points"), dtype=np.float64)
            if points.ndim != 1 or len(set(points.tolist())) != points.size:
                raise _Violation("a polynomial code must record distinct evaluation points")
            return polynomial_encoding(support, points, code.m), "polynomial code on the support (Ye-Abbe recursion)"
        classes = construction.get("classes")
        if not isinstance(classes, list):
            raise _Violation("a stacked code must record the class of every worker")
        return stacked_encoding(support, classes, code.m), "stacked assignment, class u serves sub-vector u"
    except (ValueError, TypeError) as exc:
        raise _Violation(f"the {method} encoding cannot be rebuilt: {exc}") from None


def _check_encoding_of(code: Code, support: np.ndarray, expected: np.ndarray | None, rule: str) -> str:
    """Check the encoding: the structure rule's matrix, or the method's rebuild; return the rule's text."""
    if _method(code) == "structure":
        assert expected is not None
        _check_encoding(code, expected, rule)
        return rule
    rebuilt, text = _method_encoding(code, support)
    _check_encoding(code, rebuilt, text, relative=1e-9)
    return f"{text}, m = {code.m}"


def _assignment_matrix(code: Code) -> Any:
    """The n × k 0/1 matrix of the assignment, compressed rows (O(n·d))."""
    import scipy.sparse as sp

    sizes = [len(row) for row in code.assignment]
    indptr = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    cols = np.fromiter(itertools.chain.from_iterable(code.assignment), dtype=np.int64, count=int(indptr[-1]))
    return sp.csr_matrix((np.ones(len(cols), dtype=np.int8), cols, indptr), shape=(code.n, code.k))


def _pattern(matrix: Any) -> Any:
    import scipy.sparse as sp

    csr = sp.csr_matrix(matrix)
    csr.eliminate_zeros()
    return sp.csr_matrix((np.ones(csr.nnz, dtype=np.int8), csr.indices, csr.indptr), shape=csr.shape)


def _dense_assignment(code: Code) -> np.ndarray:
    """The n × k boolean matrix of the assignment (for a dense support: no scipy)."""
    sizes = np.fromiter((len(row) for row in code.assignment), dtype=np.int64, count=code.n)
    cols = np.fromiter(itertools.chain.from_iterable(code.assignment), dtype=np.int64, count=int(sizes.sum()))
    held = np.zeros((code.n, code.k), dtype=bool)
    held[np.repeat(np.arange(code.n), sizes), cols] = True
    return held


def _check_assignment(code: Code, support: Any, what: str) -> None:
    """The assignment must be the support's pattern (dense or sparse support; O(nnz))."""
    if isinstance(support, np.ndarray) and support.shape == (code.n, code.k):  # dense: the same test, no scipy
        differs = np.flatnonzero(np.any(_dense_assignment(code) != (support != 0), axis=1))
        if differs.size:
            raise _Violation(f"the code's assignment is not {what}: worker {int(differs[0])} differs")
        return
    difference = (_assignment_matrix(code).astype(np.int16) - _pattern(support).astype(np.int16)).tocsr()
    difference.eliminate_zeros()
    if difference.nnz:
        worker = int(np.flatnonzero(np.diff(difference.indptr))[0])
        raise _Violation(f"the code's assignment is not {what}: worker {worker} differs")


def _check_encoding(code: Code, expected: Any, rule: str, relative: float = 1e-12) -> None:
    """The encoding must equal the rule's matrix up to ``relative`` (of its largest entry): compared on the
    non-zeros (O(nnz))."""
    if (isinstance(expected, np.ndarray) and code.is_real and not code.is_sparse
            and expected.shape == (code.n, code.k * code.m)):
        _check_dense_encoding(code, expected.astype(np.float64), rule, relative)
        return
    import scipy.sparse as sp

    wanted = sp.csr_matrix(expected, dtype=np.float64)
    actual = code.sparse_encoding
    if not np.all(np.isfinite(wanted.data)):  # e.g. huge recorded points: the rebuilt rule overflows to inf/NaN
        raise _Violation(f"the structure's code ({rule}) cannot be rebuilt from the recorded construction: its "
                         "matrix has non-finite entries (NaN or inf)")
    scale = float(np.max(np.abs(wanted.data))) if wanted.nnz else 1.0
    if not np.isfinite(scale) or not np.all(np.isfinite(actual.data)):
        raise _Violation(f"the encoding cannot be compared with the structure's code ({rule}): non-finite entries")
    delta = (actual - wanted).tocoo()
    bad = ~(np.abs(delta.data) <= relative * scale)  # NaN differs
    if bad.any():
        order = np.lexsort((delta.col[bad], delta.row[bad]))
        i, j = int(delta.row[bad][order[0]]), int(delta.col[bad][order[0]])
        count = int(bad.sum())
        differ = "1 entry differs" if count == 1 else f"{count} entries differ"
        raise _Violation(f"the encoding is not the structure's code ({rule}): B[{i}, {j}] = "
                         f"{float(actual[i, j])!r}, the rule gives {float(wanted[i, j])!r} ({differ})")


def _check_dense_encoding(code: Code, wanted: np.ndarray, rule: str, relative: float) -> None:
    """:func:`_check_encoding` for a dense real code and a dense rule matrix, without scipy: the same tests on the
    non-zeros of either matrix, the same first differing entry (row-major) and the same messages."""
    actual = code.integer_encoding()
    wanted_data = wanted[wanted != 0]
    if not np.all(np.isfinite(wanted_data)):
        raise _Violation(f"the structure's code ({rule}) cannot be rebuilt from the recorded construction: its "
                         "matrix has non-finite entries (NaN or inf)")
    scale = float(np.max(np.abs(wanted_data))) if wanted_data.size else 1.0
    if not np.isfinite(scale) or not np.all(np.isfinite(actual)):
        raise _Violation(f"the encoding cannot be compared with the structure's code ({rule}): non-finite entries")
    delta = actual - wanted
    bad = ~(np.abs(delta) <= relative * scale)
    if bad.any():
        i, j = (int(x) for x in np.argwhere(bad)[0])
        count = int(bad.sum())
        differ = "1 entry differs" if count == 1 else f"{count} entries differ"
        raise _Violation(f"the encoding is not the structure's code ({rule}): B[{i}, {j}] = "
                         f"{float(actual[i, j])!r}, the rule gives {float(wanted[i, j])!r} ({differ})")


def _check_claim(code: Code, key: str, expected: Any, where: str = "construction") -> None:
    """A value the construction block records must be the one the structure and the rule give."""
    construction = code.construction if isinstance(code.construction, dict) else {}
    if key not in construction:
        return
    _checked(f"{where}.{key}")
    recorded = construction[key]
    if isinstance(expected, float) and isinstance(recorded, int | float) and not isinstance(recorded, bool):
        if abs(recorded - expected) <= _CLAIM_TOLERANCE * max(1.0, abs(expected)):
            return
    elif recorded == expected:
        return
    raise _Violation(f"the {where} block records {key} = {recorded!r} but the structure and the rule give "
                     f"{expected!r}", f"{where}.{key}")


# ---------------------------------------------------------------------------------------------------------
# designs
# ---------------------------------------------------------------------------------------------------------
def _certify_design(code: Code, block: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if block.get("kind") != "bibd":
        raise _Violation("the design block is not of kind 'bibd'")
    v, k, lam = _int(block, "v"), _int(block, "k"), _int(block, "lambda")
    raw = block.get("blocks")
    if not isinstance(raw, list) or not all(isinstance(b, list) for b in raw):
        raise _Violation("malformed design block: 'blocks' must be a list of lists")
    if v < 2 or k < 2 or lam < 1 or k >= v:
        raise _Violation(f"invalid design parameters (v={v}, k={k}, λ={lam})")
    problem = check_bibd(v, raw, k, lam)
    if problem is not None:
        raise _Violation(f"N·Nᵀ = (r−λ)I + λJ fails: {problem}")
    r, b = lam * (v - 1) // (k - 1), len(raw)
    for key, expected in (("b", b), ("r", r)):
        if key in block and block[key] != expected:
            raise _Violation(f"design block says {key} = {block[key]} but the blocks give {expected}", f"design.{key}")
    transpose = _flag(code, "transpose")
    support = bibd_support(v, raw, transpose, sparse=True)
    layout = "workers = points, partitions = blocks (transposed)" if transpose else \
        "workers = blocks, partitions = points"
    _code_shape(code, *support.shape)
    _check_assignment(code, support, "the design's incidence" + (" (transposed)" if transpose else ""))
    details: dict[str, Any] = {"params": {"v": v, "b": b, "r": r, "k": k, "lambda": lam}, "layout": layout,
                               "spectrum": design_spectrum(v, k, lam)}
    for key, expected in (("v", v), ("k", k), ("lambda", lam), ("s", code.s)):
        _check_claim(code, key, expected)
    if _method(code) != "structure":
        text = _check_encoding_of(code, support, None, "")
        message = (f"2-({v},{k},{lam}) design, b = {b}, r = {r}: N·Nᵀ = {r - lam}·I + {lam}·J holds; {layout}; "
                   f"{text}, rebuilt from the recorded construction")
        return message, details
    rule = bibd_rule(v, b, r, k, lam, code.s, transpose)
    _check_encoding(code, bibd_encoding(support, rule), f"B = {rule.coefficient}·{'N' if transpose else 'Nᵀ'}, "
                    f"{rule.rule}, s = {code.s}")
    for key, expected in (("coefficient", str(rule.coefficient)),
                          ("error_for_every_F", None if rule.error_for_every_f is None
                           else str(rule.error_for_every_f))):
        _check_claim(code, key, expected)
    details["coefficient"] = str(rule.coefficient)
    if rule.error_for_every_f is not None:
        details["least_squares_error_every_F"] = str(rule.error_for_every_f)
        details["note"] = (f"symmetric design: least-squares error with s = {code.s} stragglers is "
                           f"{rule.error_for_every_f} for every responding set (Kadhe et al.)")
    message = (f"2-({v},{k},{lam}) design, b = {b}, r = {r}: N·Nᵀ = {r - lam}·I + {lam}·J holds; {layout}; "
               f"B = {rule.coefficient}·{'N' if transpose else 'Nᵀ'} as the rule gives for s = {code.s}")
    return message, details


# ---------------------------------------------------------------------------------------------------------
# graphs
# ---------------------------------------------------------------------------------------------------------
def _edges(block: dict[str, Any], v: int) -> np.ndarray:
    edges = block.get("edges")
    if not isinstance(edges, list):
        raise _Violation("malformed graph block: 'edges' must be a list")
    try:
        return adjacency_from_edges(v, edges)
    except (ValueError, TypeError) as exc:
        raise _Violation(f"malformed graph block: {exc}") from None


def _check_decoder_weight(code: Code) -> None:
    decoder = code.construction.get("decoder") if isinstance(code.construction, dict) else None
    if isinstance(decoder, dict) and "weight" in decoder:
        _checked("construction.decoder.weight")
        expected = code.n / (code.n - code.s)
        recorded = decoder["weight"]
        if not (isinstance(recorded, int | float) and abs(recorded - expected) <= _CLAIM_TOLERANCE * expected):
            raise _Violation(f"the construction block records the decoder weight {recorded!r} but n/(n−s) = "
                             f"{expected!r}", "construction.decoder.weight")


def _check_error_bound(code: Code, modulus: float, degree: int, loops: bool) -> None:
    bound = code.construction.get("error_bound") if isinstance(code.construction, dict) else None
    if not isinstance(bound, dict) or "value" not in bound:
        return
    _checked("construction.error_bound.value")
    n, s = code.n, code.s
    expected = None if loops else (modulus / degree) ** 2 * n * s / (n - s)
    recorded = bound["value"]
    same = (recorded is None and expected is None) or (
        isinstance(recorded, int | float) and expected is not None
        and abs(recorded - expected) <= _CLAIM_TOLERANCE * max(1.0, expected))
    if not same:
        raise _Violation(f"the construction block records the error bound {recorded!r} but the spectrum gives "
                         f"{expected!r}", "construction.error_bound.value")


def _spectrum_text(values: Any) -> list[str] | None:
    """Recorded eigenvalues or multiplicities in one spelling (files of earlier versions wrote "(-1 + √13)/2")."""
    if not isinstance(values, list):
        return None
    return [str(x).replace(" ", "").replace("−", "-") for x in values]


def _certify_graph(code: Code, block: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    kind = str(block.get("kind", "graph"))
    v = _int(block, "v")
    if v < 1:
        raise _Violation(f"invalid vertex count v = {v}")
    if kind == "bipartite-regular":
        return _certify_bipartite(code, block, v)
    adjacency = _edges(block, v)
    loops = _flag(code, "loops")
    details: dict[str, Any] = {}
    if kind == "srg":
        params = block.get("params")
        if not (isinstance(params, list) and len(params) == 4 and all(type(x) is int for x in params)):
            raise _Violation("the srg block needs params [v, k, λ, μ]")
        if params[0] != v:
            raise _Violation(f"the srg block has v = {v} but params {params}")
        if np.any(adjacency > 1) or np.any(np.diag(adjacency)):
            raise _Violation("an srg must be simple (no loops or multiple edges)")
        found = check_srg(adjacency, tuple(params))  # type: ignore[arg-type]
        if isinstance(found, str):
            raise _Violation(found)
        _, k, lam, mu = found
        spectrum: dict[str, Any] = srg_spectrum(*found)
        recorded = block.get("spectrum")
        if isinstance(recorded, dict) and "eigenvalues" in recorded and (
                _spectrum_text(recorded.get("eigenvalues")) != _spectrum_text(spectrum["eigenvalues"])
                or _spectrum_text(recorded.get("multiplicities")) != _spectrum_text(spectrum["multiplicities"])):
            raise _Violation(f"the graph block records the spectrum {recorded['eigenvalues']} with multiplicities "
                             f"{recorded.get('multiplicities')}, but srg{found} has {spectrum['eigenvalues']} "
                             f"with {spectrum['multiplicities']}", "graph.spectrum")
        modulus = srg_eigenvalues(*found).second_largest_modulus
        identity = f"srg{found}: A² = {k}I + {lam}A + {mu}(J − I − A) holds"
        details = {"params": list(found), "spectrum": spectrum}
    else:
        problem = check_regular(adjacency, block.get("degree") if type(block.get("degree")) is int else None)
        if problem is not None:
            raise _Violation(problem)
        degree = int(adjacency[0].sum())
        spectrum = regular_spectrum(adjacency)
        recorded = block.get("spectrum")
        if isinstance(recorded, dict) and isinstance(recorded.get("second_largest_modulus"), int | float):
            if not within(abs(recorded["second_largest_modulus"] - spectrum["second_largest_modulus"]), 1e-6):
                raise _Violation(f"the graph block records second largest modulus "
                                 f"{recorded['second_largest_modulus']} but the graph has "
                                 f"{spectrum['second_largest_modulus']}", "graph.spectrum.second_largest_modulus")
        modulus = spectrum["second_largest_modulus"]
        identity = f"{degree}-regular graph on {v} vertices (eigenvalues by a sparse solver)"
        details = {"spectrum": spectrum, "second_largest_modulus": modulus}
    _check_claim(code, "s", code.s)
    if _flag(code, "incidence"):
        if loops:
            raise _Violation("the incidence scheme has no loops")
        edges = block.get("edges")
        support = incidence_support(v, edges if isinstance(edges, list) else [])
        d = int(adjacency[0].sum())
        _code_shape(code, *support.shape)
        _check_assignment(code, support, "the graph's edge × vertex incidence")
        text = _check_encoding_of(code, support, graph_encoding(support, d), f"B = S/{d} (workers = edges)")
        if _method(code) == "structure":
            _check_decoder_weight(code)
        return f"{identity}; workers = the {support.shape[0]} edges; {text}", details
    support, d = graph_support(adjacency, loops)
    _code_shape(code, v, v)
    _check_assignment(code, support, "the graph's neighbourhoods" + (" with loops" if loops else ""))
    rule = f"B = (A + I)/{d}" if loops else f"B = A/{d}"
    text = _check_encoding_of(code, support, graph_encoding(support, d), rule)
    if _method(code) == "structure":
        _check_decoder_weight(code)
        _check_error_bound(code, modulus, d, loops)
    return f"{identity}; {text}", details


def _certify_bipartite(code: Code, block: dict[str, Any], v: int) -> tuple[str, dict[str, Any]]:
    """A biregular worker × partition graph: v workers, ``partitions`` partitions (default v)."""
    parts = block.get("partitions", v)
    if type(parts) is not int or parts < 1:
        raise _Violation("malformed graph block: 'partitions' must be a positive integer")
    edges = block.get("edges")
    try:
        pairs = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    except (ValueError, TypeError):
        raise _Violation("malformed graph block: 'edges' must be [worker, partition] pairs") from None
    if pairs.size and (pairs.min() < 0 or pairs[:, 0].max() >= v or pairs[:, 1].max() >= parts):
        raise _Violation(f"an edge has an endpoint outside the {v} workers × {parts} partitions")
    support = np.zeros((v, parts), dtype=np.int64)
    np.add.at(support, (pairs[:, 0], pairs[:, 1]), 1)
    if np.any(support > 1):
        raise _Violation("the bipartite worker × partition graph has a repeated edge")
    degree = int(support[0].sum())
    replication = int(support[:, 0].sum())
    if degree == 0 or not (np.all(support.sum(axis=0) == replication) and np.all(support.sum(axis=1) == degree)):
        raise _Violation("the bipartite worker × partition graph is not biregular")
    if "degree" in block and block["degree"] != degree:
        raise _Violation(f"the graph block says degree {block['degree']} but the graph is {degree}-regular")
    if "replication" in block and block["replication"] != replication:
        raise _Violation(f"the graph block says replication {block['replication']} but every partition is on "
                         f"{replication} workers")
    _code_shape(code, v, parts)
    _check_assignment(code, support, "the bipartite graph")
    text = _check_encoding_of(code, support, graph_encoding(support, replication), f"B = S/{replication}")
    _check_claim(code, "s", code.s)
    sigma1, sigma2 = bipartite_singular_values(support)
    if _method(code) == "structure":
        _check_decoder_weight(code)
        _check_claim(code, "second_singular_value", round(sigma2, 10))
    shape = f"{degree}-regular" if parts == v else f"({degree}, {replication})-biregular"
    message = f"{shape} bipartite worker × partition graph; {text}"
    return message, {"singular_values": [round(sigma1, 10), round(sigma2, 10)]}

