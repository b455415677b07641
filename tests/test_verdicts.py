"""Verdicts cannot be bought (issue 22): the scheme decides what is checked, NaN and inf never pass a comparison,
and ``gcli verify``'s verdict on tampered exact codes is the verdict of an independent check.

* The three false certificates of the issue, rebuilt: an exact scheme (or an unknown one) marked ``exact: false``,
  a polynomial bibd code whose recorded points overflow the rebuilt rule to NaN, a large sparse code whose column
  sums overflow so that the fixed decoder's residuals are NaN.
* NaN/inf injected into the intermediate quantities (the fixed decoder's errors, the approximation tallies, the
  rebuilt structure matrix, the comparison helpers): never a certificate.
* The verdict fuzz: codes gcli designs (real and GF(p)), tampered (entries changed, a row zeroed, rows swapped,
  scaled or duplicated, entries made huge or tiny), verified by ``gcli verify`` and by an independent check written
  here — numpy least squares per surviving set for real codes (ill-conditioned borderline sets skipped, not pinned),
  Gaussian elimination mod p for GF(p). ``python -P tests/test_verdicts.py CASES`` runs the fuzz as a plain seeded
  loop and prints how many cases agreed, disagreed and were skipped.
"""

from __future__ import annotations

import itertools
import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracles import rank_mod_p

from gcli.cli import cli as app
from gcli.constructions import SCHEMES
from gcli.defaults import DEFAULT_TOLERANCE, within
from gcli.hierarchical.files import dumps_any


def _run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def _write(tmp_path: Path, obj: dict[str, Any], name: str = "code.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(obj))
    return str(path)


# ---------------------------------------------------------------------------------------------------------
# 1. the scheme decides what is checked
# ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("scheme", ["crc", "custom", "CRC", "crc "])
@pytest.mark.parametrize("field", ["real", "GF(7)"])
def test_a_file_marked_approximate_is_checked_as_exact_unless_its_scheme_is_approximate(tmp_path, scheme, field):
    obj = json.loads(dumps_any(SCHEMES["crc"](n=6, s=2, field=field)))
    obj.update(scheme=scheme, exact=False)
    valid = _run("verify", "-q", _write(tmp_path, obj))
    assert valid.exit_code == 1 and "claim exact = false disagrees" in valid.output
    obj["encoding"] = [[0 * x for x in row] for row in obj["encoding"]]  # all zeros: nothing decodes
    zero = _run("verify", "-q", _write(tmp_path, obj))
    assert zero.exit_code == 1 and "NOT DECODABLE" in zero.output and "failing surviving set" in zero.output


def test_a_user_scheme_is_approximate_only_with_a_claim_to_rederive(tmp_path):
    from gcli.certification.claims import exactness
    from gcli.io.json import loads

    obj = json.loads(dumps_any(SCHEMES["crc"](n=6, s=2)))
    obj.update(scheme="mine", exact=False, s=3, construction={"exact_for": [0, 1, 2]})  # designed for s = 2
    assert exactness(loads(json.dumps(obj))) == (False, None)
    result = _run("verify", "-q", _write(tmp_path, obj))
    assert result.exit_code == 0, result.output  # the claim holds: exact for s ≤ 2, approximate at s = 3
    obj["construction"]["exact_for"] = [0, 1, 2, 3]
    result = _run("verify", "-q", _write(tmp_path, obj))
    assert result.exit_code == 1 and "claim construction.exact_for" in result.output


@pytest.mark.parametrize("scheme", ["bibd", "srg", "graph"])
def test_an_approximate_scheme_without_its_structure_block_is_refused(tmp_path, scheme):
    obj = json.loads(dumps_any(SCHEMES["crc"](n=6, s=2)))
    obj.update(scheme=scheme, exact=False, construction={})
    obj["encoding"] = [[0.0] * len(row) for row in obj["encoding"]]
    result = _run("verify", _write(tmp_path, obj))
    assert result.exit_code == 2 and "block" in result.output and len(result.output.strip().splitlines()) == 1


# ---------------------------------------------------------------------------------------------------------
# 2. a rebuilt rule that overflows to NaN certifies nothing
# ---------------------------------------------------------------------------------------------------------
@given(st.sampled_from([1e150, 1e200, 1e300, 1.7e308]), st.integers(0, 2**16))
@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_huge_polynomial_points_never_certify_a_structure(tmp_path, scale, seed):
    obj = json.loads(dumps_any(SCHEMES["bibd"](v=7, k=3, m=2, method="polynomial")))
    obj["exact"] = False
    obj["construction"].pop("exact_for", None)
    obj["construction"]["points"] = [scale * (1 - i / 8) for i in range(len(obj["construction"]["points"]))]
    rng = np.random.default_rng(seed)
    obj["encoding"] = [[float(rng.normal()) if x else 0.0 for x in row] for row in obj["encoding"]]
    result = _run("verify", "-q", _write(tmp_path, obj))
    assert result.exit_code == 1, result.output
    assert "structure (bibd): FAILED" in result.output and "CERTIFIED" not in result.output


# ---------------------------------------------------------------------------------------------------------
# 3. the fixed-decoder path: NaN residuals are not decoded sets
# ---------------------------------------------------------------------------------------------------------
def _overflowing_sparse_code(n: int = 350, k: int = 300) -> dict[str, Any]:
    """n·k > 10⁵, m = 1, the sum decoder: every row holds 1e308 in column 0, so the column sum is inf and every
    set with two stragglers has the residual inf − inf = NaN there."""
    import scipy.sparse as sp

    from gcli import REAL, Code
    from gcli.io.json import dumps

    rows = [[0, 1 + i % (k - 1)] for i in range(n)]
    dense = np.zeros((n, k))
    for i, row in enumerate(rows):
        dense[i, row] = [1e308, 0.5]
    code = Code(scheme="test", field=REAL, n=n, k=k, s=2, m=1, a=0, d=2, assignment=rows,
                encoding=sp.csr_matrix(dense), exact=True, construction={"decoder": {"kind": "sum"}})
    return json.loads(dumps(code))


def test_nan_residuals_of_the_fixed_decoder_are_not_decoded(tmp_path):
    path = _write(tmp_path, _overflowing_sparse_code())
    result = _run("verify", "-q", "--sample", "200", path)
    # verify now refuses entries beyond ±1e150 before any arithmetic (exit 2); the pass itself is checked below
    assert result.exit_code == 2, result.output
    assert "beyond" in result.output and "DECODABLE" not in result.output


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
def test_the_fixed_decoder_pass_counts_nan_errors_as_failures() -> None:
    from gcli.certification.sparse import fixed_decoder_pass
    from gcli.io.json import code_from_dict

    code = code_from_dict(_overflowing_sparse_code())
    run = fixed_decoder_pass(code, sample=200, seed=1)
    assert run.checked == 200
    assert not np.isfinite(run.errors).all()
    assert run.failures == run.checked


# ---------------------------------------------------------------------------------------------------------
# 4. NaN/inf injected into the intermediate quantities: never a pass
# ---------------------------------------------------------------------------------------------------------
_BAD = st.sampled_from([math.nan, math.inf, -math.inf])


@given(st.floats(allow_nan=True, allow_infinity=True), st.floats(allow_nan=True, allow_infinity=True))
@settings(max_examples=200, deadline=None, derandomize=True)
def test_within_passes_only_finite_values_below_the_bound(value, bound):
    assert within(value, bound) == (math.isfinite(value) and math.isfinite(bound) and value <= bound)


@given(st.lists(st.floats(0, 1e-20), min_size=1, max_size=30), st.data())
@settings(max_examples=40, deadline=None, derandomize=True)
def test_fixed_decoder_pass_counts_nan_and_inf_errors_as_failures(errors, data):
    from gcli.certification.sparse import FixedDecoderPass

    errors = np.array(errors)
    bad = data.draw(st.lists(st.integers(0, len(errors) - 1), min_size=1, max_size=3, unique=True))
    for i in bad:
        errors[i] = data.draw(_BAD)
    run = FixedDecoderPass(n=4, k=3, stragglers=1, adversaries=0, size=3, total=len(errors), exhaustive=True,
                           checked=len(errors), decoder="sum", weight=1.0, tolerance=DEFAULT_TOLERANCE,
                           errors=errors, missing=np.zeros((len(errors), 1), dtype=np.int64), sample_seed=None,
                           seconds=0.0)
    assert run.failures == len(bad) and run.first_failure == min(bad)
    assert run.to_json()["decoded_by_fixed_decoder"] == len(errors) - len(bad)


@given(_BAD, st.floats(0, 1e6))
@settings(max_examples=30, deadline=None, derandomize=True)
def test_claim_comparisons_reject_nan_and_inf(bad, finite):
    from gcli.certification.approximation import _close

    assert not _close(bad, finite) and not _close(finite, bad) and not _close(bad, bad)


def test_a_non_finite_error_sum_makes_the_worst_error_nan():
    from types import SimpleNamespace

    from gcli.certification.approx_pass import _merge

    # the compiled tally never takes a NaN for the worst (NaN > x is False) but the sum carries it
    tally = SimpleNamespace(checked=3, optimal=np.array([math.nan, math.nan, 0.25, 1.0]), decoders=[],
                            residual_sum=None)
    stats, _ = _merge(SimpleNamespace(results=[SimpleNamespace(approx=tally)]), [])
    assert math.isnan(stats["optimal"].worst)
    assert not (stats["optimal"].worst <= 1.0)  # an error_bound claim against it fails


@given(_BAD)
@settings(max_examples=6, deadline=None, derandomize=True)
def test_a_rebuilt_structure_matrix_with_nan_fails_the_structure(bad):
    import gcli.structures.certificate as sc
    from gcli import certify_structure

    code = SCHEMES["bibd"](v=7, k=3, m=2, method="polynomial")
    original = sc._method_encoding

    def poisoned(code: Any, support: Any) -> Any:
        matrix, text = original(code, support)
        matrix = np.array(matrix, dtype=np.float64)
        matrix[np.nonzero(matrix)[0][0], np.nonzero(matrix)[1][0]] = bad
        return matrix, text

    sc._method_encoding = poisoned
    try:
        report = certify_structure(code)
    finally:
        sc._method_encoding = original
    assert report is not None and not report.certified and "non-finite" in report.message


def test_inconsistency_checks_count_nan_messages_as_inconsistent():
    from gcli.decoding.matrices import inconsistent_messages

    code = SCHEMES["reed-solomon"](n=6, s=2)
    rows = [0, 1, 2, 3, 4]
    sent = np.asarray(code.encoding)[rows] @ np.ones((code.k * code.m, 2))
    assert inconsistent_messages(code, rows, sent) == 0
    sent[2, 1] = math.nan
    assert inconsistent_messages(code, rows, sent) >= 1


# ---------------------------------------------------------------------------------------------------------
# 5. the verdict fuzz: gcli verify against an independent check on tampered exact codes
# ---------------------------------------------------------------------------------------------------------
DESIGNS: list[tuple[str, dict[str, Any]]] = [
    ("crc", {"n": 6, "s": 2}), ("crc", {"n": 7, "s": 3, "code": "gaussian"}), ("frc", {"n": 6, "s": 1}),
    ("reed-solomon", {"n": 6, "s": 2}), ("reed-solomon", {"n": 6, "s": 1, "m": 2}), ("mds", {"n": 6, "s": 2}),
    ("crc", {"n": 6, "s": 2, "field": "GF(7)"}), ("frc", {"n": 6, "s": 2, "field": "GF(5)"}),
    ("reed-solomon", {"n": 7, "s": 2, "field": "GF(11)"}), ("reed-solomon", {"n": 6, "s": 1, "m": 2,
                                                                           "field": "GF(13)"}),
    ("crc", {"n": 8, "s": 3, "field": "GF(17)"}),
]
TAMPERS = ("entry", "entries", "zero_row", "swap", "scale", "duplicate", "huge", "tiny")


def _designed(index: int) -> dict[str, Any]:
    name, kwargs = DESIGNS[index]
    return json.loads(dumps_any(SCHEMES[name](**kwargs)))


def _prime(obj: dict[str, Any]) -> int | None:
    field = obj["field"]
    return None if field["kind"] == "real" else int(field["order"])


def tamper(obj: dict[str, Any], ops: list[str], rng: np.random.Generator) -> dict[str, Any]:
    """A copy with the encoding tampered by ``ops`` (module docstring), the assignment widened to the new support
    (so the file reads) and the construction block emptied (so the verdict is decodability alone)."""
    p = _prime(obj)
    enc = np.array(obj["encoding"], dtype=np.float64 if p is None else np.int64)
    n, width = enc.shape
    m = obj["m"]
    for op in ops:
        i, j = (int(x) for x in rng.choice(n, 2, replace=False))
        nonzero = np.argwhere(enc != 0)
        if op in ("entry", "entries", "huge", "tiny"):
            count = 1 if op != "entries" else int(rng.integers(2, 4))
            for _ in range(count):
                if op in ("huge", "tiny") and len(nonzero):
                    r, c = nonzero[rng.integers(len(nonzero))]
                else:
                    r, c = int(rng.integers(n)), int(rng.integers(width))
                if p is not None:
                    enc[r, c] = p - 1 if op == "huge" else (1 if op == "tiny" else int(rng.integers(p)))
                elif op == "huge":
                    enc[r, c] = float(rng.choice([1e150, -1e300, 1e300]))
                elif op == "tiny":
                    enc[r, c] = float(rng.choice([1e-300, -1e-150, 5e-324]))
                else:
                    enc[r, c] = enc[r, c] + float(rng.choice([rng.normal(), 1e-3 * rng.normal(), 1.0]))
        elif op == "zero_row":
            enc[i] = 0
        elif op == "swap":
            enc[[i, j]] = enc[[j, i]]
        elif op == "scale":
            if p is None:
                with np.errstate(over="ignore"):
                    scaled = enc[i] * float(rng.choice([-1.0, 3.0, 1e6, 1e-6]))
                enc[i] = scaled if np.all(np.isfinite(scaled)) else enc[i]  # files hold finite numbers only
            else:
                enc[i] = enc[i] * int(rng.integers(1, p)) % p
        elif op == "duplicate":
            enc[i] = enc[j]
    assert p is not None or np.all(np.isfinite(enc))
    out = dict(obj)
    support = [sorted({int(c) // m for c in np.flatnonzero(row)}) for row in enc]
    out["assignment"] = [sorted(set(a) | set(b)) for a, b in zip(obj["assignment"], support, strict=True)]
    out["d"] = max(len(a) for a in out["assignment"])
    out["encoding"] = enc.tolist()
    out["construction"] = {}
    return out


def _target(k: int, m: int) -> np.ndarray:
    target = np.zeros((m, k * m))
    for j in range(k):
        for u in range(m):
            target[u, j * m + u] = 1
    return target


def independent_verdict(obj: dict[str, Any]) -> bool | None:
    """Does every surviving set F (n − s − 2a responders) decode the target? GF(p): exact ranks. Reals: T ∈
    rowspan(B_F) by the least-squares residual ‖X B_F − T‖/‖T‖; a set counts only when the answer is clear (residual
    ≤ tolerance/100 or ≥ 10⁻⁵, singular values either ≥ 10⁻⁶ or ≤ 10⁻¹³ of the largest): None when some set is
    borderline and no set clearly fails."""
    p = _prime(obj)
    n, k, m = obj["n"], obj["k"], obj["m"]
    size = n - obj["s"] - 2 * obj["a"]
    enc = np.array(obj["encoding"], dtype=np.float64 if p is None else np.int64)
    target = _target(k, m)
    unclear = False
    for subset in itertools.combinations(range(n), size):
        block = enc[list(subset)]
        if p is not None:
            stacked = np.concatenate([block, target.astype(np.int64)])
            if rank_mod_p(stacked, p) != rank_mod_p(block, p):
                return False
            continue
        try:
            sv = np.linalg.svd(block, compute_uv=False)
            x, *_ = np.linalg.lstsq(block.T, target.T, rcond=1e-10)
        except np.linalg.LinAlgError:  # LAPACK gives up near the float64 limit: no clear answer
            unclear = True
            continue
        if sv[0] == 0:
            return False
        ratios = sv / sv[0]
        if np.any((ratios > 1e-13) & (ratios < 1e-6)):
            unclear = True
            continue
        residual = float(np.linalg.norm(x.T @ block - target) / np.linalg.norm(target))
        if not math.isfinite(residual):
            unclear = True
        elif residual >= 1e-5:
            return False
        elif residual > DEFAULT_TOLERANCE / 100:
            unclear = True
    return None if unclear else True


def gcli_verdict(obj: dict[str, Any], path: Path) -> tuple[int, str]:
    path.write_text(json.dumps(obj))
    result = _run("verify", "-q", str(path))
    return result.exit_code, result.output


def fuzz_case(design: int, ops: list[str], seed: int, path: Path) -> str:
    """'agree', 'skip' (borderline) or a description of the disagreement."""
    obj = tamper(_designed(design), ops, np.random.default_rng(seed))
    expected = independent_verdict(obj)
    code, output = gcli_verdict(obj, path)
    if _prime(obj) is None and np.max(np.abs(np.asarray(obj["encoding"], dtype=float))) > 1e150:
        # verify refuses real entries beyond ±1e150 before any arithmetic (the scale rule): one line, exit 2
        refused = code == 2 and "beyond" in output and len(output.strip().splitlines()) == 1
        return "agree" if refused else f"exit {code} where the scale rule refuses: {output.strip()[-200:]}"
    if code not in (0, 1):
        return f"exit {code}: {output.strip()[-200:]}"
    if expected is None:
        return "skip"
    return "agree" if (code == 0) == expected else f"gcli exit {code}, independent check {expected}"


@given(st.integers(0, len(DESIGNS) - 1), st.lists(st.sampled_from(TAMPERS), min_size=1, max_size=3),
       st.integers(0, 2**32 - 1))
@settings(max_examples=100, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_verify_judges_tampered_codes_as_an_independent_check_does(tmp_path, design, ops, seed):
    outcome = fuzz_case(design, ops, seed, tmp_path / "tampered.json")
    assert outcome in ("agree", "skip"), f"{DESIGNS[design]} {ops} seed {seed}: {outcome}"


def test_untampered_designs_are_certified_by_both(tmp_path):
    for index in range(len(DESIGNS)):
        obj = tamper(_designed(index), [], np.random.default_rng(0))
        assert independent_verdict(obj) is True
        assert gcli_verdict(obj, tmp_path / "c.json")[0] == 0, DESIGNS[index]


def main(cases: int) -> None:
    """The fuzz as a plain seeded loop: how many cases agreed, were skipped, disagreed (printed)."""
    import tempfile

    rng = np.random.default_rng(2026)
    tally: dict[str, int] = {"agree": 0, "skip": 0, "disagree": 0}
    with tempfile.TemporaryDirectory() as folder:
        for case in range(cases):
            design = int(rng.integers(len(DESIGNS)))
            ops = [str(x) for x in rng.choice(TAMPERS, int(rng.integers(1, 4)))]
            seed = int(rng.integers(2**32))
            outcome = fuzz_case(design, ops, seed, Path(folder) / "t.json")
            key = outcome if outcome in ("agree", "skip") else "disagree"
            tally[key] += 1
            if key == "disagree":
                print(f"case {case}: {DESIGNS[design]} {ops} seed {seed}: {outcome}")
    print(f"{cases} cases: {tally['agree']} agree, {tally['skip']} skipped (borderline), "
          f"{tally['disagree']} disagree")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)


def test_every_registered_scheme_is_either_exact_or_approximate() -> None:
    """A family added to the registry must say how `verify` checks it: in exactly one of the two lists."""
    from gcli.certification.claims import APPROXIMATE_SCHEMES, EXACT_SCHEMES
    from gcli.constructions.registry import SCHEMES

    for name in SCHEMES:
        assert (name in EXACT_SCHEMES) != (name in APPROXIMATE_SCHEMES), name
    assert set(EXACT_SCHEMES) | set(APPROXIMATE_SCHEMES) == set(SCHEMES)


def test_long_sets_are_named_exactly_but_briefly_in_human_reports() -> None:
    """A surviving set of 10⁶ − 1 workers is named by the worker it leaves out, not printed in full."""
    from gcli.defaults import set_text

    assert set_text([3, 1, 2]) == "[3, 1, 2]"
    assert set_text([w for w in range(10**6) if w not in (7, 9)], n=10**6) == "all 1000000 workers but [7, 9]"
    text = set_text(range(100), n=1000)
    assert text.startswith("[0, 1, 2, 3, 4, …, 95") and text.endswith("(100 workers)") and len(text) < 80


def _verdict(check: Any, *args: Any) -> str | None:
    import gcli.structures.certificate as sc

    try:
        check(*args)
    except sc._Violation as exc:
        return str(exc)
    return None


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**6), st.integers(1, 6), st.integers(1, 6), st.sampled_from(["same", "flip", "scale", "nan"]))
def test_dense_structure_checks_agree_with_the_sparse_ones(seed, n, k, change):
    """The scipy-free dense checks of the assignment and the encoding give the sparse checks' verdict and message."""
    import scipy.sparse as sp

    import gcli
    import gcli.structures.certificate as sc
    from gcli import Code

    rng = np.random.default_rng(seed)
    support = rng.random((n, k)) < 0.5
    enc = support * rng.choice([0.25, 0.5, 1.0], size=(n, k))
    code = Code(scheme="test", field=gcli.REAL, n=n, k=k, s=0, m=1, a=0, d=int(support.sum(axis=1).max()),
                assignment=[np.flatnonzero(row).tolist() for row in support], encoding=enc, exact=False)
    rule = support.astype(np.float64) * enc
    other = support.copy()
    if change == "flip":
        i, j = int(rng.integers(n)), int(rng.integers(k))
        other[i, j] = not other[i, j]
        rule[i, j] = 0.0 if rule[i, j] else 0.75
    elif change == "scale":
        rule = rule * (1 + 1e-6 * rng.integers(0, 2, size=rule.shape))
    elif change == "nan" and rule.size:
        rule[int(rng.integers(n)), int(rng.integers(k))] = np.nan
    for what in (support, other):
        assert _verdict(sc._check_assignment, code, what.astype(np.int8), "S") == _verdict(
            sc._check_assignment, code, sp.csr_matrix(what.astype(np.int8)), "S")
    assert _verdict(sc._check_encoding, code, rule, "R") == _verdict(sc._check_encoding, code, sp.csr_matrix(rule),
                                                                      "R")
