"""The hierarchical commands of the gcli command line: bound, design, verify (through gcli.certify), export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from gcli.cli import cli as app
from gcli.hierarchical.codes import is_hcode, load_hcode


def is_hcode_file(path: str) -> bool:
    try:
        return is_hcode(json.loads(Path(path).read_text()))
    except (OSError, ValueError):
        return False


def run(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def test_bound_text_and_json() -> None:
    r = run("bound", "hierarchical", "--relays", "5", "--cluster-sizes", "10", "--sr", "1", "--sw", "1", "--aw", "1",
            "--m1", "3", "--m2", "4")
    assert r.exit_code == 0
    assert "C1 = 1/3" in r.output and "C2 = 1/12" in r.output and "at least 14/25 of the data" in r.output
    r = run("bound", "hierarchical", "--relays", "5", "--cluster-sizes", "10", "--sr", "1", "--sw", "1", "--aw", "1",
            "--m1", "3", "--m2", "4", "--json")
    out = json.loads(r.output)
    assert out["C1"] == "1/3" and out["C2"] == ["1/12"] * 5 and out["min_load_fraction"] == "14/25"
    assert out["alternatives"]["forward"]["server_load"] == "3" and out["alternatives"]["forward"]["gain"] == "9/4"
    assert out["alternatives"]["flat"]["m"] == 12 and out["server_load"] == "4/3"
    assert out["alternatives"]["flat"]["server_load"] == "3" and out["alternatives"]["flat"]["gain"] == "9/4"
    assert "flat: 3 (x2.25)" in run("bound", "hierarchical", "--relays", "5", "--cluster-sizes", "10", "--sr", "1",
                                   "--sw", "1", "--aw", "1", "--m1", "3", "--m2", "4").output


def test_bound_computation_only_case_and_unequal_clusters() -> None:
    out = json.loads(run("bound", "hierarchical", "--relays", "3", "--cluster-sizes", "4", "--sr", "1", "--sw", "1",
                         "--json").output)
    assert out["min_load_fraction"] == "1/3" and out["C1"] == "1" and out["C2"] == ["1"] * 3
    out = json.loads(run("bound", "hierarchical", "--cluster-sizes", "5,5,6", "--sr", "1", "--sw", "1,1,2",
                         "--m2", "1,2,1", "--partitions", "16", "--json").output)
    assert out["relays"] == 3 and out["C2"] == ["1", "1/2", "1"] and out["r_2"] == [2, 3, 3]
    assert out["partitions"] == 16 and isinstance(out["min_load"], int)


def test_bound_load_mode() -> None:
    out = json.loads(run("bound", "hierarchical", "--relays", "5", "--cluster-sizes", "10", "--sr", "1", "--sw", "1",
                         "--aw", "1", "--load-fraction", "14/25", "--json").output)
    assert (out["m_1"], out["m_2"][0], out["load"]) == (4, 2, "14/25")
    assert [(p["m_1"], p["m_2"]) for p in out["pareto"]] == [(3, 4), (4, 2)]


@pytest.mark.parametrize(("args", "message"), [
    (["--relays", "5", "--cluster-sizes", "10", "--sr", "4", "--m1", "3"],
     "r_1 = s_r + 2a_r + m_1 = 7 clusters, but r_1 ≤ K"),
    (["--relays", "3", "--cluster-sizes", "3", "--sw", "2", "--aw", "1"], "infeasible in cluster 0"),
    (["--cluster-sizes", "3"], "--relays K is required"),
    (["--relays", "3"], "give the cluster sizes"),
    (["--relays", "2", "--cluster-sizes", "3,3,3"], "3 values but there are K = 2"),
    (["--relays", "3", "--cluster-sizes", "3", "--load-fraction", "1/2", "--m1", "1"],
     "either --m1/--m2 or --load-fraction"),
    (["--relays", "3", "--cluster-sizes", "3", "--load-fraction", "7/5"], "must be a fraction of the data in (0, 1]"),
    (["--relays", "3", "--cluster-sizes", "3", "--sw", "a,b"], "is not an integer or a comma-separated list"),
])
def test_bound_bad_input_is_one_line_exit_2(args, message) -> None:
    r = run("bound", "hierarchical", *args)
    assert r.exit_code == 2, r.output
    assert message in r.output
    assert "Traceback" not in r.output


def test_design_verify_simulate_session(tmp_path: Path) -> None:
    out = tmp_path / "h.json"
    r = run("design", "hierarchical", "--relays", "4", "--cluster-sizes", "6", "--sr", "1", "--sw", "1", "--aw", "1",
            "--field", "GF(257)", "-o", str(out))
    assert r.exit_code == 0 and out.exists() and is_hcode_file(str(out))
    text = out.read_text()
    run("design", "hierarchical", "--relays", "4", "--cluster-sizes", "6", "--sr", "1", "--sw", "1", "--aw", "1",
        "--field", "GF(257)", "-o", str(tmp_path / "again.json"))
    assert (tmp_path / "again.json").read_text() == text  # byte-identical
    r = run("verify", str(out), "--simulate", "4", "--seed", "3")
    assert r.exit_code == 0
    assert r.output.startswith("CERTIFIED over GF(257): K=4 relays, 4 clusters of 6 workers")
    assert "SIMULATED 4 trials" in r.output and "4 exact sums, 0 wrong" in r.output
    assert run("verify", str(out), "--simulate", "4", "--seed", "3").output == r.output
    report = json.loads(run("verify", str(out), "--simulate", "2", "--json").output)
    assert report["certified"] and report["scheme"] == "hierarchical" and report["stability"] is None
    assert report["hierarchy"]["certified"] and report["hierarchy"]["simulation"]["correct"] == 2
    assert report["hierarchy"]["loads"]["C1"] == "1" and report["hierarchy"]["decoders"]["relays"] == "berlekamp-welch"


def test_design_to_stdout_unequal_and_real() -> None:
    r = run("design", "hierarchical", "--cluster-sizes", "4,5,6", "--sr", "1", "--sw", "1", "--m2", "1,2,2")
    assert r.exit_code == 0
    obj = json.loads(r.output)
    assert obj["format"] == "gcli.hcode" and obj["cluster_sizes"] == [4, 5, 6] and obj["field"] == {"kind": "real"}


def test_failed_verification_exits_1_naming_the_layer(tmp_path: Path) -> None:
    out = tmp_path / "h.json"
    run("design", "hierarchical", "--relays", "3", "--cluster-sizes", "6", "--sr", "1", "--sw", "1",
        "--field", "GF(13)", "-o", str(out))
    obj = json.loads(out.read_text())
    row = obj["clusters"][2]["encoding"][0]
    col = next(c for c, x in enumerate(row) if x)
    row[col] = (row[col] + 1) % 13 or 1
    out.write_text(json.dumps(obj))
    r = run("verify", str(out))
    assert r.exit_code == 1
    assert "NOT DECODABLE" in r.output and "failing surviving set in the cluster 2:" in r.output


def test_violating_placement_file_exits_2_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps([[[0], [0]], [[1], [1]]]))
    r = run("design", "hierarchical", "--placement", str(path), "--sr", "1")
    assert r.exit_code == 2
    assert "partition 0 is available in only r_1 = 1 clusters" in r.output
    path.write_text(json.dumps([[[0, 1], [0, 1]], [[0, 1], [1]]]))
    r = run("design", "hierarchical", "--placement", str(path), "--sw", "1")
    assert r.exit_code == 2 and "in cluster 1: partition 0 is held by only r_2 = 1" in r.output
    path.write_text(json.dumps([[[0, 1], [0, 1]], [[0, 1], [0, 1]]]))
    out = tmp_path / "h.json"
    r = run("design", "hierarchical", "--placement", str(path), "--sw", "1", "--field", "GF(5)", "-o", str(out))
    assert r.exit_code == 0 and load_hcode(out).m_1 == 2
    assert run("verify", str(out)).exit_code == 0


def test_verify_bad_files_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"format": "gcli.hcode"}')
    r = run("verify", str(path))
    assert r.exit_code == 2 and "unsupported format_version" in r.output


def test_verify_options_on_hierarchical_codes(tmp_path: Path) -> None:
    out = tmp_path / "h.json"
    run("design", "hierarchical", "--relays", "3", "--cluster-sizes", "3", "--sr", "1", "--sw", "1", "-o", str(out))
    assert run("verify", str(out)).exit_code == 0
    assert run("verify", str(out), "--sample", "2", "--seed", "1").exit_code == 0
    r = run("verify", str(out), "-s", "1")
    assert r.exit_code == 2 and "-s and -a apply to single-layer codes" in r.output
    exported = run("export", str(out))
    assert exported.exit_code == 0 and exported.output == out.read_text()
    schema = json.loads(run("export", "--schema", "hcode").output)
    assert schema["$id"].endswith("hcode-v1.json")


def test_simulate_is_for_hierarchical_codes(tmp_path: Path) -> None:
    out = tmp_path / "c.json"
    run("design", "frc", "-n", "6", "-s", "1", "-o", str(out))
    r = run("verify", str(out), "--simulate", "3")
    assert r.exit_code == 2 and "hierarchical" in r.output


@settings(max_examples=40)
@given(relays=st.integers(-1, 6), sizes=st.lists(st.integers(-1, 7), min_size=1, max_size=4),
       faults=st.lists(st.integers(-1, 4), min_size=4, max_size=4), m=st.lists(st.integers(-1, 4), min_size=2,
                                                                                max_size=2))
def test_bound_never_tracebacks(relays, sizes, faults, m) -> None:
    args = ["bound", "hierarchical", "--relays", str(relays), "--cluster-sizes", ",".join(map(str, sizes)),
            "--sr", str(faults[0]), "--ar", str(faults[1]), "--sw", str(faults[2]), "--aw", str(faults[3]),
            "--m1", str(m[0]), "--m2", str(m[1]), "--json"]
    r = run(*args)
    assert r.exit_code in (0, 2), r.output
    if r.exit_code == 0:
        out = json.loads(r.output)
        assert out["C1"] == ("1" if m[0] == 1 else f"1/{m[0]}")


def test_design_refuses_real_layers_float64_cannot_decode(tmp_path: Path) -> None:
    """The promise of every exact design: a real two-layer code whose 20-worker layers have condition numbers
    near 1e9 is refused with the layer and its condition number, not written (GF(q) writes and certifies)."""
    args = ["design", "hierarchical", "--relays", "20", "--cluster-sizes", "20", "--sr", "2", "--ar", "1", "--sw", "2",
            "--aw", "1", "--m1", "3", "--m2", "4"]
    out = tmp_path / "h.json"
    r = run(*args, "-o", str(out))
    assert r.exit_code == 2 and "condition number" in r.output and "cluster" in r.output and not out.exists()
    r = run(*args, "--field", "GF(65537)", "-o", str(out))
    assert r.exit_code == 0 and json.loads(out.read_text())["construction"]["checked"]["relays"]["exhaustive"]
