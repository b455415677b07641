"""Export formats: every format round-trips every registered scheme's example code; decoders for every surviving
set; structures as graph6/sparse6/edge lists; reading user graphs; the published schema; numpy-only loading."""

from __future__ import annotations

import io
import json
import math
import struct
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
from gcli.io.exports import (
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
from gcli.io.writing import write_atomic

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
    published = repo / "gcli" / "io" / "schemas" / "code.schema.json"
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


# ---------------------------------------------------------------------------------------------------------
# dense or compressed rows (issue 19): --encoding, sparse npz and MATLAB sparse, reading MAT files
# ---------------------------------------------------------------------------------------------------------
def _sparse(code):
    """The same code kept as compressed rows (its dense matrix never built)."""
    return code.with_encoding(code.sparse_encoding)


SPARSE_CASES = {
    "bibd-real": lambda: bibd_code(13, 4, 1),
    "crc-gf7": lambda: cyclic_repetition(7, 2, field="GF(7)"),
    "rs-gf256": lambda: reed_solomon(6, 2, m=2, field="GF(2^8)"),
    "graph-real": lambda: graph_code("margulis", 25),
}


@pytest.mark.parametrize("name", sorted(SPARSE_CASES))
def test_sparse_npz_and_mat_are_what_scipy_reads(name: str, tmp_path: Path, monkeypatch) -> None:
    import scipy.sparse as sp

    from gcli import code as code_module

    code = _sparse(SPARSE_CASES[name]())
    monkeypatch.setattr(code_module, "MAX_DENSE_ENTRIES", 10)  # any densification would raise
    npz = export_code(code, "npz", encoding="csr")
    matrix = sp.load_npz(io.BytesIO(npz))
    assert matrix.format == "csr" and matrix.shape == (code.n, code.k * code.m)
    assert matrix.dtype == (np.float64 if code.is_real else np.int64)
    assert (matrix != code.sparse_encoding).nnz == 0
    members = np.load(io.BytesIO(npz))
    assert json.loads(str(members["meta"]))["field"] == json.loads(dumps(code, "csr"))["field"]
    ptr, idx = members["assignment_indptr"], members["assignment_indices"]
    assert [idx[ptr[i]:ptr[i + 1]].tolist() for i in range(code.n)] == [list(row) for row in code.assignment]
    mat = export_code(code, "mat", encoding="csr")
    loaded = scipy.io.loadmat(io.BytesIO(mat))
    assert sp.issparse(loaded["encoding"]) and sp.issparse(loaded["assignment"])
    assert (loaded["encoding"] != code.sparse_encoding).nnz == 0
    assert np.array_equal(loaded["assignment"].toarray() != 0,
                          [[j in row for j in range(code.k)] for row in code.assignment])
    for fmt, data in (("npz", npz), ("mat", mat)):
        path = tmp_path / f"code.{fmt}"
        write_atomic(path, data)
        back = load_code(path)
        assert back == code and back.is_sparse
        assert export_code(code, fmt, encoding="csr") == data  # byte-identical
    monkeypatch.undo()
    for fmt in ("npz", "mat"):
        verified = run(["verify", str(tmp_path / f"code.{fmt}"), "-q"])
        assert verified.exit_code in (0, 1) and not verified.stderr, verified.output


def test_auto_switches_at_the_threshold(monkeypatch) -> None:
    code = bibd_code(13, 4, 1)
    assert isinstance(np.load(io.BytesIO(export_code(code, "npz")))["encoding"], np.ndarray)
    assert "indptr" not in np.load(io.BytesIO(export_code(code, "npz")))
    assert not scipy.sparse.issparse(scipy.io.loadmat(io.BytesIO(export_code(code, "mat")))["encoding"])
    assert isinstance(json.loads(export_code(code, "json"))["encoding"], list)
    monkeypatch.setenv("GCLI_DENSE_EXPORT_ENTRIES", str(13 * 13 - 1))
    assert "indptr" in np.load(io.BytesIO(export_code(code, "npz")))
    assert scipy.sparse.issparse(scipy.io.loadmat(io.BytesIO(export_code(code, "mat")))["encoding"])
    assert json.loads(export_code(code, "json"))["encoding"]["format"] == "csr"
    for fmt in ("json", "npz", "mat"):  # forced either way, whatever the threshold
        dense = export_code(code, fmt, encoding="dense")
        back = gcli.loads(dense) if fmt == "json" else load_export(dense)
        assert back == code and not back.is_sparse


@settings(max_examples=20, deadline=None)
@given(st.integers(2, 30), st.integers(2, 20), st.sampled_from(["real", "GF(7)", "GF(2^8)"]),
       st.integers(0, 2**32 - 1))
def test_every_form_round_trips_to_the_same_code(n: int, k: int, field: str, seed: int) -> None:
    import scipy.sparse as sp

    from gcli.code import Code
    from gcli.fields import as_field

    rng = np.random.default_rng(seed)
    d = int(rng.integers(1, k + 1))
    rows = [sorted(rng.choice(k, d, replace=False).tolist()) for _ in range(n)]
    dense = np.zeros((n, k))
    for i, row in enumerate(rows):
        dense[i, row] = rng.normal(size=d) if field == "real" else rng.integers(1, as_field(field).order, size=d)
    encoding = dense if field == "real" else as_field(field)(dense.astype(np.int64))
    code = Code(scheme="test", field=field, n=n, k=k, s=1, m=1, a=0, d=d, assignment=rows, encoding=encoding,
                exact=False)
    sparse = code.with_encoding(sp.csr_matrix(dense))
    for form in ("auto", "dense", "csr"):
        for fmt in ("json", "npz", "mat"):
            out = export_code(sparse, fmt, encoding=form)
            assert out == export_code(code, fmt, encoding=form)  # the same bytes from either representation
            back = gcli.loads(out) if fmt == "json" else load_export(out)
            assert back == code and back.is_sparse == (form == "csr")


def _resaved_mat(data: bytes, **changes) -> bytes:
    """A MAT export read by scipy, some variables replaced, written again by scipy (a MATLAB user's edit)."""
    variables = {k: v for k, v in scipy.io.loadmat(io.BytesIO(data)).items() if not k.startswith("__")}
    variables.update(changes)
    variables["meta"] = str(variables["meta"][0])
    variables["format"] = str(variables["format"][0])
    buffer = io.BytesIO()
    scipy.io.savemat(buffer, variables, do_compression=True)
    return buffer.getvalue()


@pytest.mark.parametrize("bad", [16.7, float("nan"), float("inf"), 7.0, -1.0, 2.0**70])
@pytest.mark.parametrize("form", ["dense", "csr"])
def test_gf_entries_must_be_exact_integers(bad: float, form: str) -> None:
    code = cyclic_repetition(7, 2, field="GF(7)")
    mat = export_code(code, "mat", encoding=form)
    loaded = scipy.io.loadmat(io.BytesIO(mat))["encoding"]
    assert load_export(_resaved_mat(mat, encoding=loaded)) == code  # MATLAB's compressed re-save reads back
    if form == "csr":
        changed = loaded.astype(np.float64).tocsc()
        changed.data[0] = bad
    else:
        changed = np.asarray(loaded, dtype=np.float64)
        changed[0, 0] = bad
    with pytest.raises(InputError, match=r"integers|range|non-finite"):
        load_export(_resaved_mat(mat, encoding=changed))
    npz = dict(np.load(io.BytesIO(export_code(code, "npz", encoding=form))))
    key = "data" if form == "csr" else "encoding"
    npz[key] = npz[key].astype(np.float64)
    npz[key].reshape(-1)[0] = bad
    buffer = io.BytesIO()
    np.savez(buffer, **npz)
    with pytest.raises(InputError, match=r"integers|range|non-finite"):
        load_export(buffer.getvalue())


def test_scipy_crashes_on_a_mat_file_gcli_refuses(tmp_path: Path) -> None:
    """Why gcli keeps its own MAT reader: scipy.io.loadmat kills the interpreter (SIGSEGV, scipy 1.17) on this
    damaged export, which gcli refuses in one line. If scipy stops crashing here, gcli could read MAT files with it
    (after bounding compressed elements, which scipy inflates to whatever size their tags claim)."""
    path = Path(__file__).parent / "data" / "hostile" / "scipy-loadmat-segfault.mat"
    result = run(["verify", str(path)])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "MAT file" in result.stderr
    child = subprocess.run([sys.executable, "-c", "import sys, scipy.io; scipy.io.loadmat(sys.argv[1])", str(path)],
                           capture_output=True, text=True, timeout=120)
    assert child.returncode < 0, f"scipy.io.loadmat no longer crashes (exit {child.returncode}): see the docstring"


def _mat_element(kind: int, payload: bytes) -> bytes:
    return struct.pack("<II", kind, len(payload)) + payload + b"\0" * (-len(payload) % 8)


def _sparse_variable(name: str, dims: tuple[int, int], ir: list[int], jc: list[int], pr: list[float]) -> bytes:
    """A MAT 5 sparse matrix element written by hand (mxSPARSE_CLASS: row indices, column offsets, values)."""
    body = (_mat_element(6, struct.pack("<II", 5, max(len(pr), 1))) + _mat_element(5, struct.pack("<ii", *dims))
            + _mat_element(1, name.encode()) + _mat_element(5, np.asarray(ir, "<i4").tobytes())
            + _mat_element(5, np.asarray(jc, "<i4").tobytes()) + _mat_element(9, np.asarray(pr, "<f8").tobytes()))
    return _mat_element(14, body)


@pytest.mark.parametrize(("dims", "ir", "jc", "pr", "message"), [
    ((2_000_000, 3), [0], [0, 1, 1, 1], [1.0], "rows, beyond the limit"),
    ((3, 3), [5], [0, 1, 1, 1], [1.0], "row index outside"),
    ((3, 3), [0], [0, 1, 1, 9], [1.0], "claims 9 non-zeros"),
    ((3, 3), [0], [0, 2, 1, 1], [1.0], "column offsets"),
    ((3, 3), [0], [0, 1], [1.0], "column offsets"),
    ((3, 2**31 - 1), [0], [0, 1], [1.0], "column offsets"),
])
def test_hostile_sparse_mat_variables(dims, ir, jc, pr, message: str, tmp_path: Path) -> None:
    good = export_code(bibd_code(7, 3), "mat", encoding="csr")
    path = tmp_path / "bad.mat"
    path.write_bytes(good + _sparse_variable("x", dims, ir, jc, pr))
    with pytest.raises(InputError, match=message):
        load_code(path)
    result = run(["verify", str(path)])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1


def test_csv_of_a_large_sparse_code_is_refused_in_one_line(tmp_path: Path, monkeypatch) -> None:
    from gcli import code as code_module

    src = tmp_path / "bibd.json"
    src.write_text(dumps(bibd_code(13, 4, 1)))
    monkeypatch.setattr(code_module, "MAX_DENSE_ENTRIES", 100)
    result = run(["export", str(src), "--format", "csv"])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "npz or mat (sparse matrices)" in result.stderr
    forced = run(["export", str(src), "--format", "csv", "--encoding", "csr"])
    assert forced.exit_code == 2 and "dense rows only" in forced.stderr
    dense = run(["export", str(src), "--format", "npz", "--encoding", "dense"])
    assert dense.exit_code == 2 and "--encoding csr" in dense.stderr
    out = tmp_path / "bibd.mat"
    assert run(["export", str(src), "--format", "mat", "-o", str(out)]).exit_code == 0
    assert scipy.sparse.issparse(scipy.io.loadmat(out)["encoding"])


def test_encoding_option_and_byte_identical_output(tmp_path: Path) -> None:
    design = ["design", "graph", "--family", "random-regular", "-n", "10", "--degree", "3", "--seed", "2"]
    texts = {}
    for form in ("auto", "dense", "csr"):
        paths = [tmp_path / f"{form}{i}.json" for i in range(2)]
        for path in paths:
            assert run([*design, "--encoding", form, "-o", str(path)]).exit_code == 0
        assert paths[0].read_bytes() == paths[1].read_bytes()  # same seed, same bytes
        texts[form] = paths[0].read_text()
    assert texts["auto"] == texts["dense"] and isinstance(json.loads(texts["dense"])["encoding"], list)
    assert json.loads(texts["csr"])["encoding"]["format"] == "csr"
    assert load_code(tmp_path / "csr0.json") == load_code(tmp_path / "dense0.json")
    exported = run(["export", str(tmp_path / "csr0.json"), "--encoding", "dense"]).stdout
    assert exported == texts["dense"]
    assert run(["export", str(tmp_path / "dense0.json"), "--encoding", "csr"]).stdout == texts["csr"]
    assert run(["design", "frc", "-n", "4", "-s", "1", "--encoding", "coo"]).exit_code == 2


def test_matlab_sparse_refuses_fields_beyond_double_precision() -> None:
    code = cyclic_repetition(5, 1, field="GF(4611686018427387847)")
    with pytest.raises(InputError, match="cannot hold every element"):
        export_code(code, "mat", encoding="csr")
    assert load_export(export_code(code, "npz", encoding="csr")) == code  # int64 in npz: exact
    assert load_export(export_code(code, "mat", encoding="dense")) == code
