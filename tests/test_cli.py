"""The command line: real sessions, exit statuses, and no traceback on any bad input."""

from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from gcli import dumps, load_code, loads
from gcli.cli import cli
from gcli.constructions import SCHEMES


def run(args: list[str], stdin: str | None = None):
    result = CliRunner().invoke(cli, args, input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def test_design_verify_session(tmp_path: Path) -> None:
    out = tmp_path / "rs.json"
    r = run(["design", "reed-solomon", "-n", "8", "-s", "2", "--field", "GF(17)", "-o", str(out)])
    assert r.exit_code == 0
    r = run(["verify", str(out), "--json"])
    assert r.exit_code == 0
    report = json.loads(r.stdout)
    assert report["decodable"] is True and report["exhaustive"] is True
    assert report["patterns_checked"] == report["patterns_total"] == 28
    assert report["failing_set"] is None


def test_verify_real_reports_stability() -> None:
    text = run(["design", "crc", "-n", "7", "-s", "2", "--seed", "3"]).stdout
    report = json.loads(run(["verify", "-", "--json"], stdin=text).stdout)
    assert report["stability"]["worst_condition_number"] >= 1 and report["stability"]["max_residual"] < 1e-8


def test_failed_verification_exits_1_and_prints_the_set() -> None:
    code = SCHEMES["frc"](n=6, s=2)
    enc = np.array(code.encoding)
    enc[0, 0] = 0
    text = dumps(code.with_encoding(enc))
    r = run(["verify", "-"], stdin=text)
    assert r.exit_code == 1
    assert "failing surviving set: [0, 3, 4, 5]" in r.stdout
    r = run(["verify", "-", "--json"], stdin=text)
    assert r.exit_code == 1 and json.loads(r.stdout)["failing_set"] == [0, 3, 4, 5]


def test_verify_stragglers_override_and_sampling() -> None:
    text = dumps(SCHEMES["crc"](n=8, s=2, field="GF(17)"))
    r = run(["verify", "-", "-s", "3", "--json"], stdin=text)
    assert r.exit_code == 1  # a 2-straggler code cannot survive 3 stragglers
    r = run(["verify", "-", "--sample", "10", "--seed", "1", "--json"], stdin=text)
    report = json.loads(r.stdout)
    assert r.exit_code == 0 and not report["exhaustive"] and report["patterns_checked"] == 10
    assert 0 < report["failure_fraction_bound"] < 1


def test_budget_refusal_is_a_usage_error() -> None:
    text = dumps(SCHEMES["crc"](n=8, s=2, field="GF(17)"))
    r = run(["verify", "-", "--budget", "5"], stdin=text)
    assert r.exit_code == 2 and "--sample" in r.stderr and r.stderr.count("\n") == 1
    assert run(["verify", "-", "--budget", "5", "--force"], stdin=text).exit_code == 0


def test_same_seed_byte_identical_output(tmp_path: Path) -> None:
    a = run(["design", "crc", "-n", "9", "-s", "3", "--seed", "42"]).stdout
    b = run(["design", "crc", "-n", "9", "-s", "3", "--seed", "42", "-o", str(tmp_path / "c.json")])
    assert b.exit_code == 0
    assert (tmp_path / "c.json").read_text() == a
    assert run(["design", "crc", "-n", "9", "-s", "3", "--seed", "43"]).stdout != a


def test_bound_tradeoff_json() -> None:
    r = run(["bound", "tradeoff", "-n", "10", "-k", "20", "-s", "2", "-m", "3", "--json"])
    obj = json.loads(r.stdout)
    assert obj["min_load"] == 10 and obj["min_load_fraction"] == "1/2"
    r = run(["bound", "tradeoff", "-n", "4", "-s", "4"])
    assert r.exit_code == 2 and "infeasible" in r.stderr


def test_export_json_and_schema(tmp_path: Path) -> None:
    src = tmp_path / "c.json"
    src.write_text(dumps(SCHEMES["frc"](n=4, s=1, field="GF(2^8)")))
    out = tmp_path / "out.json"
    assert run(["export", str(src), "--format", "json", "-o", str(out)]).exit_code == 0
    assert load_code(out) == load_code(src)
    schema = json.loads(run(["export", "--schema"]).stdout)
    assert schema["properties"]["format_version"]["const"] == 1
    assert run(["export"]).exit_code == 2


def test_design_help_cites_paper() -> None:
    for scheme in SCHEMES:
        r = run(["design", scheme, "--help"])
        assert r.exit_code == 0 and "Reference" in r.stdout
        assert "``" not in r.stdout and "§" not in r.stdout and ":func:" not in r.stdout


_ARG = st.one_of(
    st.sampled_from(["-n", "-s", "-k", "-m", "-a", "--field", "--seed", "-o", "--points", "--json",
                     "--sample", "--budget", "--force", "--format", "-", "--tolerance", "-v", "-d", "--lambda",
                     "--mu", "--params", "--family", "--code", "--placement", "--workers", "--transpose",
                     "--loops", "--generator", "--jobs", "--all-failures", "--straggler-model", "--decoder",
                     "--dataset", "--iterations", "--wait", "--decoders", "--plot", "--block-size", "--degree",
                     "--vertices", "--nodes", "--near", "--cluster-sizes", "--load"]),
    st.integers(-3, 12).map(str),
    st.sampled_from(["GF(6)", "GF(7)", "GF(2^3)", "real", "x", "GF(1)", "chebyshev", "1e9", "",
                     "/nonexistent/dir/f.json", "GF(4^2)", "10,3,0,1", "1,2", "petersen", "margulis", "bch",
                     "cyclic", "-1", "0", "fixed:2", "bernoulli:x", "npz", "mat", "csv", "graph6", "x.png",
                     "unbiased", "digits"]),
)


@given(
    head=st.sampled_from([["design", "frc"], ["design", "crc"], ["design", "reed-solomon"], ["design", "mds"],
                          ["design", "bibd"], ["design", "srg"], ["design", "graph"], ["verify"], ["compare"],
                          ["bound", "tradeoff"], ["bound", "exists", "bibd"], ["bound", "exists", "srg"],
                          ["export"], ["design"], ["bound"], ["nonsense"], ["simulate"], ["simulate", "-"]]),
    rest=st.lists(_ARG, max_size=8),
)
@settings(max_examples=150)
def test_no_traceback_on_any_input(head: list[str], rest: list[str]) -> None:
    # "-o NAME" may create files: keep them out of the checkout
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        result = CliRunner().invoke(cli, head + rest, input="{not json")
    assert isinstance(result.exception, SystemExit) or result.exception is None, result.exc_info
    assert result.exit_code in (0, 1, 2), (head + rest, result.stderr)
    assert "Traceback" not in result.stderr
    if result.exit_code == 2:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("gcli: error: ")


@pytest.mark.parametrize(
    "text",
    ["{", "[]", json.dumps({"format": "gcli.code", "format_version": 99}), "\x00\x01"],
)
def test_verify_bad_files_exit_2(text: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text)
    r = run(["verify", str(path)])
    assert r.exit_code == 2 and r.stderr.startswith("gcli: error:")
    assert run(["verify", str(tmp_path / "missing.json")]).exit_code == 2
    assert run(["verify", str(tmp_path)]).exit_code == 2


def test_wrong_field_in_file() -> None:
    obj = json.loads(dumps(SCHEMES["frc"](n=4, s=1, field="GF(7)")))
    obj["field"]["order"] = 6
    r = run(["verify", "-"], stdin=json.dumps(obj))
    assert r.exit_code == 2


def test_design_stdout_is_loadable() -> None:
    text = run(["design", "reed-solomon", "-n", "6", "-s", "1", "-m", "2", "--field", "GF(2^3)"]).stdout
    code = loads(text)
    assert code.m == 2 and code.d == 3
