"""``gcli verify`` (certify) on the removed side against the engine over every set (``--backend compiled``)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from gcli import REAL, dumps
from gcli.certification.verification import REMOVED_SIDE_MIN_N
from gcli.cli import cli
from gcli.code import Code, assignment_from_support
from gcli.fields import as_field


def _code(seed: int, n: int, k: int, field: str, holes: float) -> Code:
    """A random code of n workers and k partitions (m = 1); ``holes`` zeroes entries so that some sets fail."""
    rng = np.random.default_rng(seed)
    if field == "real":
        enc = rng.standard_normal((n, k))
        fld: object = REAL
    else:
        fld = as_field(field)
        enc = rng.integers(1, 7, size=(n, k))
    enc[rng.random(enc.shape) < holes] = 0
    assignment = assignment_from_support(enc, k, 1)
    d = max(1, max(len(row) for row in assignment))
    return Code("random", fld, n, k, 2, 1, 0, d, assignment, enc)  # type: ignore[arg-type]


def _verify(tmp_path: Path, code: Code, *extra: str) -> tuple[int, dict]:
    path = tmp_path / "code.json"
    path.write_text(dumps(code))
    result = CliRunner().invoke(cli, ["verify", str(path), "--json", *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.output)


@pytest.mark.parametrize(("seed", "n", "k", "field", "holes", "s"), [
    (1, REMOVED_SIDE_MIN_N, 3, "real", 0.0, 2),
    (2, 104, 4, "real", 0.0, 1),
    (3, 101, 2, "real", 0.97, 1),   # sparse columns: some sets lose a partition and fail
    (4, 100, 3, "real", 0.985, 2),
    (5, 102, 3, "GF(7)", 0.0, 2),
    (6, 100, 2, "GF(7)", 0.985, 2),
])
def test_removed_side_certificate_matches_engine(tmp_path: Path, seed: int, n: int, k: int, field: str,
                                                 holes: float, s: int) -> None:
    code = _code(seed, n, k, field, holes)
    status, removed = _verify(tmp_path, code, "-s", str(s), "--seed", "3")
    status_e, engine = _verify(tmp_path, code, "-s", str(s), "--seed", "3", "--backend", "compiled")
    assert engine["removed_side"] is None
    block = removed["removed_side"]
    assert block is not None and block["path"].startswith("removed-side")
    assert status == status_e == (0 if engine["decodable"] else 1)
    assert removed["decodable"] == engine["decodable"]
    assert removed["failing_set"] == engine["failing_set"]
    assert removed["exhaustive"] and removed["patterns_checked"] == removed["patterns_total"] == math.comb(n, s)
    if field != "real":
        assert removed["stability"] is None and block["sampled_figures"] == []
        return
    # the exhaustive figures: the worst κ over every set, the same on both paths
    st, st_e = removed["stability"], engine["stability"]
    if engine["decodable"]:
        assert math.isclose(st["worst_condition_number"], st_e["worst_condition_number"], rel_tol=1e-6)
        assert abs(st["max_residual"] - st_e["max_residual"]) <= 1e-7
    # only the median κ is sampled (labelled, with the seed and the sample size); the decoding errors cover
    # every set (no group here)
    assert block["sampled_figures"] == ["median_condition_number"] and block["representative_figures"] == []
    assert {"worst_condition_number", "worst_relative_error", "median_relative_error"} <= set(
        block["exhaustive_figures"])
    assert block["sample_seed"] == 3 and st["median_over"] == block["sampled_sets"] <= math.comb(n, s)
    if engine["decodable"]:  # the worst float64 error is an error of that set's least-squares decoder: tiny
        assert 0 <= st["worst_relative_error"] <= 1e-8 and st["median_relative_error"] <= st["worst_relative_error"]
    # same seed, same output (up to the timing)
    _, again = _verify(tmp_path, code, "-s", str(s), "--seed", "3")
    assert {**again, "seconds": 0} == {**removed, "seconds": 0}


def test_removed_side_failure_exits_1_and_names_the_set(tmp_path: Path) -> None:
    enc = np.ones((REMOVED_SIDE_MIN_N, 2))
    enc[:, 1] = 0.0
    enc[[7, 40], 1] = 1.0  # partition 1 is held by workers 7 and 40 only: removing both loses it
    assignment = assignment_from_support(enc, 2, 1)
    code = Code("random", REAL, enc.shape[0], 2, 2, 1, 0, 2, assignment, enc)  # type: ignore[arg-type]
    path = tmp_path / "code.json"
    path.write_text(dumps(code))
    result = CliRunner().invoke(cli, ["verify", str(path), "-s", "2"])
    assert result.exit_code == 1
    assert "removed-side" in result.output
    assert f"failing surviving set: all {REMOVED_SIDE_MIN_N} workers but [7, 40]" in result.output


def test_verify_runs_blas_on_one_thread_and_jobs_do_not_change_the_report(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """gcli verify limits BLAS to one thread per job thread (a spy reads the limit inside certify), so the
    report of a real code is the same for --jobs 1 and --jobs 2."""
    from threadpoolctl import threadpool_info

    import gcli.certification.certificate as certificate

    seen: list[int] = []
    original = certificate.certify

    def spy(*args: object, **kwargs: object) -> object:
        seen.extend(pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas")
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(certificate, "certify", spy)
    code = _code(7, REMOVED_SIDE_MIN_N, 3, "real", 0.0)
    _, one = _verify(tmp_path, code, "-s", "2", "--jobs", "1")
    _, two = _verify(tmp_path, code, "-s", "2", "--jobs", "2")
    assert seen and set(seen) == {1}
    assert {**one, "seconds": 0} == {**two, "seconds": 0}
