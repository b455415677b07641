"""Export formats: every format round-trips every registered scheme's example code; decoders for every surviving
set; structures as graph6/sparse6/edge lists; reading user graphs; the published schema; numpy-only loading."""

from __future__ import annotations

import io
import json
import math
import subprocess
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
import scipy.io
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from test_io import EXAMPLES

import gcli
from gcli import InputError, dumps, load_code
from gcli.cli import cli
from gcli.cli import export as export_cli
from gcli.constructions import SCHEMES, bibd_code, cyclic_repetition, graph_code, reed_solomon, srg_code
from gcli.formats import (
    CODE_FORMATS,
    DECODER_CAP,
    EXPORT_FORMATS,
    STRUCTURE_FORMATS,
    export_code,
    load_decoders,
    load_export,
    read_graph,
    structure_graph,
)
from gcli.io import write_atomic

FIELDS = ["real", "GF(7)", "GF(2^8)", "GF(3^2)"]
CASES = [(scheme, field) for scheme in SCHEMES if scheme != "hierarchical"  # gcli.hcode: JSON only (test_io)
         for field in (FIELDS if EXAMPLES[scheme][1] else ["real"])]


def _example(scheme: str, field: str):
    kwargs, takes_field = EXAMPLES[scheme]
    return SCHEMES[scheme](**kwargs, **({"field": field} if takes_field else {}))


def run(args: list[str], stdin: str | None = None):
    result = CliRunner().invoke(cli, args, input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


@pytest.mark.parametrize("fmt", CODE_FORMATS)
@pytest.mark.parametrize(("scheme", "field"), CASES)
def test_every_format_round_trips_every_scheme(scheme: str, field: str, fmt: str, tmp_path: Path) -> None:
    code = _example(scheme, field)
    data = export_code(code, fmt)
    path = tmp_path / f"code.{fmt}"
    write_atomic(path, data)
    back = load_code(path)
    assert back == code
    if code.is_real:
        assert np.array_equal(back.encoding, code.encoding) and back.encoding.dtype == np.float64
    assert export_code(code, fmt) == data  # byte-identical: no timestamps


@given(data=st.data())
@settings(max_examples=25)
def test_real_entries_round_trip_bit_for_bit(data) -> None:
    code = cyclic_repetition(5, 2)
    values = st.one_of(st.floats(allow_nan=False, allow_infinity=False, width=64).filter(lambda x: x != 0),
                       st.sampled_from([5e-324, -2.2250738585072014e-308, 1.7976931348623157e308, 0.1, -1 / 3]))
    entries = data.draw(st.lists(values, min_size=code.encoding.size, max_size=code.encoding.size))
    encoding = np.where(code.encoding != 0, np.asarray(entries).reshape(code.encoding.shape), 0.0)
    weird = code.with_encoding(encoding)
    for fmt in CODE_FORMATS:
        out = export_code(weird, fmt)
        raw = out if isinstance(out, bytes) else out.encode()
        back = gcli.loads(raw.decode()) if fmt == "json" else load_export(raw)
        assert back == weird and np.array_equal(back.encoding.view(np.int64), encoding.view(np.int64)), fmt


def test_format_lists_agree() -> None:
    assert export_cli.EXPORT_FORMATS == EXPORT_FORMATS
    assert export_cli.CODE_FORMATS == CODE_FORMATS


@pytest.mark.parametrize("fmt", ["json", "npz", "mat"])
@pytest.mark.parametrize(
    "build",
    [lambda: reed_solomon(7, 2, m=2), lambda: reed_solomon(7, 2, m=2, field="GF(2^8)"),
     lambda: cyclic_repetition(6, 2, field="GF(7)"), lambda: graph_code("petersen", s=2)],
    ids=["rs-real", "rs-gf256", "crc-gf7", "petersen"],
)
def test_decoders_for_every_surviving_set(build, fmt: str, tmp_path: Path) -> None:
    code = build()
    path = tmp_path / f"code.{fmt}"
    write_atomic(path, export_code(code, fmt, decoders=True))
    assert load_code(path) == code
    sets, matrices, kind = load_decoders(path)
    r = code.n - code.s - 2 * code.a
    assert sets.shape == (math.comb(code.n, r), r) and matrices.shape == (len(sets), code.m, r)
    assert kind == ("exact" if code.exact else "least-squares")
    for rows, x in zip(sets.tolist(), matrices, strict=True):
        block = code.encoding[rows]
        if code.is_real:
            lstsq = np.linalg.lstsq(block.T, code.target.T, rcond=None)[0].T
            assert np.allclose(x, lstsq, atol=1e-9)
            if code.exact:
                assert np.allclose(x @ block, code.target, atol=1e-9)
        else:
            assert np.array_equal(code.field(x.astype(np.int64)) @ block, code.target)


def test_decoder_cap_and_csv_refusal(tmp_path: Path) -> None:
    big = cyclic_repetition(16, 8)  # C(16, 8) = 12,870 surviving sets
    assert math.comb(16, 8) > DECODER_CAP
    with pytest.raises(InputError, match="at most"):
        export_code(big, "npz", decoders=True)
    with pytest.raises(InputError, match="csv"):
        export_code(cyclic_repetition(6, 2), "csv", decoders=True)


def test_formats_are_what_their_tools_read(tmp_path: Path) -> None:
    code = reed_solomon(6, 2, m=2)
    npz = np.load(io.BytesIO(export_code(code, "npz", decoders=True)))
    assert np.array_equal(npz["encoding"], code.encoding)
    assert json.loads(str(npz["meta"]))["scheme"] == "reed-solomon"
    mat = scipy.io.loadmat(io.BytesIO(export_code(code, "mat")))
    assert np.array_equal(mat["encoding"], code.encoding)
    assert mat["assignment"].shape == (code.n, code.k)
    csv = tmp_path / "code.csv"
    csv.write_text(export_code(code, "csv"))
    assert np.array_equal(np.loadtxt(csv, delimiter=","), code.encoding)


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"PK\x03\x04garbage", "npz"), (b"MATLAB 5.0 MAT-file garbage", "MAT"), (b"# gcli.code csv 1\n", "JSON line"),
     (b"# gcli.code csv 1\n# {\"format\": 1}\n1,x\n", "line 3")],
)
def test_corrupt_exports_are_input_errors(data: bytes, message: str, tmp_path: Path) -> None:
    path = tmp_path / "bad"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message):
        load_code(path)
    result = run(["verify", str(path)])
    assert result.exit_code == 2 and result.stderr.startswith("gcli: error:")


def test_an_npz_that_is_not_a_code(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    np.savez(buffer, x=np.zeros(3))
    with pytest.raises(InputError, match="format"):
        load_export(buffer.getvalue())


# ---------------------------------------------------------------------------------------------------------
# structures
# ---------------------------------------------------------------------------------------------------------
STRUCTURES = {
    "petersen": lambda: graph_code("petersen"),
    "srg": lambda: srg_code(params="10,3,0,1"),
    "fano": lambda: bibd_code(7, 3),
    "bipartite": lambda: graph_code("bipartite-regular", n=8, d=3, seed=1),
}


@pytest.mark.parametrize("fmt", STRUCTURE_FORMATS)
@pytest.mark.parametrize("name", sorted(STRUCTURES))
def test_structures_export_and_read_back(name: str, fmt: str) -> None:
    code = STRUCTURES[name]()
    text = export_code(code, fmt)
    adjacency = read_graph(text.encode())
    graph = structure_graph(code)
    assert np.array_equal(adjacency, nx.to_numpy_array(graph, nodelist=range(graph.number_of_nodes()), dtype=int))
    if fmt == "graph6":  # an independent reader
        assert nx.is_isomorphic(nx.from_graph6_bytes(text.strip().encode()), graph)


def test_structure_graphs_are_the_structures() -> None:
    petersen = structure_graph(STRUCTURES["petersen"]())
    assert nx.is_isomorphic(petersen, nx.petersen_graph())
    fano = structure_graph(STRUCTURES["fano"]())  # Levi graph of the Fano plane: the Heawood graph
    assert nx.is_isomorphic(fano, nx.heawood_graph())
    bip = structure_graph(STRUCTURES["bipartite"]())
    assert nx.is_bipartite(bip) and {d for _, d in bip.degree()} == {3}
    with pytest.raises(InputError, match="no design or graph"):
        export_code(cyclic_repetition(6, 2), "graph6")


def test_multigraph_needs_sparse6() -> None:
    code = graph_code("margulis", n=9)  # the Margulis–Gabber–Galil graph has loops and multiple edges
    assert structure_graph(code).is_multigraph()
    with pytest.raises(InputError, match="sparse6"):
        export_code(code, "graph6")
    adjacency = read_graph(export_code(code, "sparse6").encode())
    assert np.array_equal(adjacency.sum(axis=1), np.full(code.n, 8))


def test_read_graph_user_files(tmp_path: Path) -> None:
    edges = tmp_path / "cycle.txt"
    edges.write_text("# a 5-cycle with labels 10..14\n10 11\n11 12 {'weight': 1}\n12 13\n\n13 14\n14 10\n")
    cycle = read_graph(edges)
    assert np.array_equal(cycle, nx.to_numpy_array(nx.cycle_graph(5), dtype=int))
    g6 = tmp_path / "petersen.g6"
    g6.write_bytes(b">>graph6<<" + nx.to_graph6_bytes(nx.petersen_graph(), header=False))
    assert np.array_equal(read_graph(g6), nx.to_numpy_array(nx.petersen_graph(), dtype=int))
    s6 = tmp_path / "multi.s6"
    s6.write_bytes(nx.to_sparse6_bytes(nx.MultiGraph([(0, 1), (0, 1), (1, 2), (2, 2)])))
    assert read_graph(s6).tolist() == [[0, 2, 0], [2, 0, 1], [0, 1, 2]]
    for bad in (b"0 x\n", b"", b":!!!\n", b"IheA@GUAo\nIheA@GUAo\n"):
        with pytest.raises(InputError):
            read_graph(bad)
    with pytest.raises(InputError, match="no such graph file"):
        read_graph(tmp_path / "missing.g6")


# ---------------------------------------------------------------------------------------------------------
# command line, schema, numpy-only loading
# ---------------------------------------------------------------------------------------------------------
def test_cli_export_formats(tmp_path: Path) -> None:
    src = tmp_path / "rs.json"
    src.write_text(dumps(reed_solomon(6, 2, field="GF(7)")))
    for fmt in ("npz", "mat", "csv"):
        out = tmp_path / f"rs.{fmt}"
        assert run(["export", str(src), "--format", fmt, "-o", str(out)]).exit_code == 0
        assert load_code(out) == load_code(src)
        verified = run(["verify", str(out)])
        assert verified.exit_code == 0 and "DECODABLE" in verified.stdout
    binary = CliRunner().invoke(cli, ["export", str(src), "--format", "npz"])
    assert binary.exit_code == 0 and binary.stdout_bytes.startswith(b"PK")
    with_decoders = run(["export", str(src), "--decoders"])
    assert len(json.loads(with_decoders.stdout)["decoders"]["sets"]) == math.comb(6, 4)
    assert run(["export", str(src), "--format", "csv", "--decoders"]).exit_code == 2
    assert run(["export", str(src), "--format", "graph6"]).exit_code == 2
    fano = tmp_path / "fano.json"
    fano.write_text(dumps(bibd_code(7, 3)))
    assert run(["export", str(fano), "--format", "edgelist"]).stdout.count("\n") == 1 + 21


def test_schema_is_published_once_and_printed_verbatim() -> None:
    repo = Path(__file__).resolve().parent.parent
    published = repo / "gcli" / "schemas" / "code.schema.json"
    printed = run(["export", "--schema"]).stdout
    assert printed == published.read_text(encoding="utf-8")
    assert json.loads(printed) == gcli.code_schema()
    assert sorted(p.name for p in repo.rglob("code.schema.json") if ".venv" not in p.parts
                  and "build" not in p.parts) == ["code.schema.json"]


NUMPY_ONLY = r'''
import json, sys
import numpy as np

code = np.load(sys.argv[1])
meta = json.loads(str(code["meta"]))
B = code["encoding"]                       # n x (k*m)
n, k, m = meta["n"], meta["k"], meta["m"]
F = list(range(meta["s"], n))              # any n - s workers (here: the first s straggle)
T = np.zeros((m, k * m)); T[np.arange(m)[:, None], np.arange(k * m).reshape(k, m).T] = 1
X = T @ np.linalg.pinv(B[F])               # the decoder of F: X @ B[F] = T
g = np.random.default_rng(0).standard_normal((k, 6 * m))   # partial gradients, length 6m
sent = B @ g.reshape(k * m, 6)             # what the workers send (6 numbers each)
total = (X @ sent[F]).reshape(-1)          # block u of the sum is row u
assert "gcli" not in sys.modules
print(np.max(np.abs(total - g.sum(axis=0))))
'''


NUMPY_ONLY_JSON = r'''
import json, sys
import numpy as np

code = json.load(open(sys.argv[1]))
B = np.array(code["encoding"])              # n x (k*m); column j*m+u is block u of partition j
n, k, m = code["n"], code["k"], code["m"]
F = [0, 2, 3, 5, 6, 7]                      # the workers that answered (any n - s of them)
T = np.kron(np.ones(k), np.eye(m))          # the target: block u of the sum of the k partial gradients
X = T @ np.linalg.pinv(B[F])                # the decoder of F, X @ B[F] = T
g = np.random.default_rng(1).standard_normal((k, 4 * m))   # partial gradients of length l = 4m
f = B @ g.reshape(k * m, 4)                 # worker i sends f[i]: l/m = 4 numbers
estimate = (X @ f[F]).reshape(-1)           # the sum of the gradients, from the answers of F alone
assert "gcli" not in sys.modules
print(np.max(np.abs(estimate - g.sum(axis=0))))
'''


@pytest.mark.parametrize(("fmt", "script_text"), [("npz", NUMPY_ONLY), ("json", NUMPY_ONLY_JSON)])
def test_numpy_alone_loads_and_decodes(tmp_path: Path, fmt: str, script_text: str) -> None:
    path = tmp_path / f"rs.{fmt}"
    write_atomic(path, export_code(reed_solomon(8, 2, m=2), fmt))
    script = tmp_path / "decode.py"
    script.write_text(script_text)
    proc = subprocess.run([sys.executable, "-I", str(script), str(path)], capture_output=True, text=True,
                          check=True, cwd=tmp_path)
    assert float(proc.stdout) < 1e-9


def test_design_graph_from_a_users_file(tmp_path: Path) -> None:
    """gcli design graph --from FILE: the Petersen graph exported as graph6 and as an edge list gives the same
    certified code as the built-in family; a non-regular graph is refused in one line."""
    reference = graph_code("petersen", 10, s=2)
    for fmt in ("graph6", "edgelist"):
        path = tmp_path / f"petersen.{fmt}"
        path.write_bytes(export_code(reference, fmt) if isinstance(export_code(reference, fmt), bytes)
                         else export_code(reference, fmt).encode())
        out = tmp_path / f"from-{fmt}.json"
        r = run(["design", "graph", "--from", str(path), "-s", "2", "-o", str(out)])
        assert r.exit_code == 0, r.output
        code = load_code(out)
        assert np.array_equal(code.encoding, reference.encoding)
        assert code.construction["family"] == "file"
        assert run(["verify", str(out)]).exit_code == 0
    bad = tmp_path / "path.txt"
    bad.write_text("0 1\n1 2\n")
    r = run(["design", "graph", "--from", str(bad)])
    assert r.exit_code == 2 and "regular graph" in r.output and r.output.count("\n") == 1
