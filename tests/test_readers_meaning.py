"""Readers validate meaning, not just syntax, before any arithmetic (issue 22, item 1).

One crafted file per reproducer of the issue, each run through the CLI in a child of the fork server
(:func:`fuzzrun.run_forked`: 500 MB of new memory, a wall limit that only catches hangs) and expected to end with
exit 2 and one line naming what is wrong — never exit 3, a MemoryError or a hang. Files are small: where the
issue's file was large (30 M entries, 60 MB of edges, 5,000 workers), the limit is lowered through its environment
variable instead, which exercises the same check.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fuzzrun import Outcome, assert_well_behaved, run_forked, warm
from hypothesis import given, settings
from hypothesis import strategies as st

from gcli.errors import InputError
from gcli.io.reading import json_depth

REAL = {"kind": "real"}
GF257 = {"kind": "gf", "order": 257, "characteristic": 257, "degree": 1, "irreducible_poly": 511}
FRC_ASSIGNMENT = [[0, 1], [0, 1], [2, 3], [2, 3]]
FRC_ROWS = [[1.0, 1.0, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 1.0, 1.0]]


def refused(outcome: Outcome, *words: str) -> None:
    """Exit 2, one clean line on stderr mentioning every word."""
    assert_well_behaved(outcome)
    assert outcome.status == 2, outcome.describe()
    for word in words:
        assert word in outcome.stderr, outcome.describe()


def code_file(path: Path, encoding: Any, *, field: dict[str, Any] = REAL, n: int = 4, k: int = 4, s: int = 1,
              m: int = 1, d: int = 2, assignment: Any = None, scheme: str = "frc", exact: bool = True) -> str:
    obj = {"format": "gcli.code", "format_version": 1, "scheme": scheme, "exact": exact, "field": field, "n": n,
           "k": k, "s": s, "m": m, "a": 0, "d": d,
           "assignment": FRC_ASSIGNMENT if assignment is None else assignment, "encoding": encoding,
           "construction": {}, "provenance": {"gcli_version": "0.1.0"}}
    path.write_text(json.dumps(obj))
    return str(path)


def csr(data: list[Any], indices: list[int], indptr: list[int], shape: tuple[int, int] = (4, 4)) -> dict[str, Any]:
    return {"format": "csr", "shape": list(shape), "indptr": indptr, "indices": indices, "data": data}


# ---------------------------------------------------------------------------------------------------------------
# compressed rows: duplicates, magnitudes, derived sizes
# ---------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("field, value", [(REAL, 1.0), (REAL, 1e150), (GF257, 200)])
def test_duplicate_csr_entry_is_refused_by_name(tmp_path: Path, field: dict[str, Any], value: Any) -> None:
    """Two entries at (0, 0): scipy would add them after every check (1e150 twice is fine, 1e308 twice is inf and
    hung LAPACK; 200 + 200 is no element of GF(257))."""
    rest = [1, 1, 1, 1, 1, 1, 1] if field is GF257 else [1.0] * 7
    path = code_file(tmp_path / "dup.json", csr([value, value, *rest], [0, 0, 1, 0, 1, 2, 3, 2, 3], [0, 3, 5, 7, 9]),
                     field=field)
    for command in (["verify", path], ["export", path, "--format", "json", "-o", str(tmp_path / "out.json")]):
        refused(run_forked(command), "row 0, column 0", "twice")


def test_overflowing_entries_are_refused_before_arithmetic(tmp_path: Path) -> None:
    """The issue's hang: two 1e308 at (0, 0) (refused as a duplicate, before scipy adds them to inf); one 1e308 is
    read (a code gcli writes, gcli reads) but refused by verify before LAPACK sees it."""
    rest = [1.0] * 7
    path = code_file(tmp_path / "dup.json", csr([1e308, 1e308, *rest], [0, 0, 1, 0, 1, 2, 3, 2, 3], [0, 3, 5, 7, 9]))
    refused(run_forked(["verify", path]), "twice")
    path = code_file(tmp_path / "one.json", csr([1e308, 1e308, *rest[:6]], [0, 1, 0, 1, 2, 3, 2, 3], [0, 2, 4, 6, 8]))
    refused(run_forked(["verify", path]), "1e+308", "overflow")


def test_library_codes_recheck_summed_duplicates() -> None:
    """A scipy matrix with duplicates given to Code directly is summed, then checked again."""
    import scipy.sparse as sp

    from gcli.code import Code

    matrix = sp.csr_matrix((np.array([1e308, 1e308, 1.0, 1.0, 1.0, 1.0, 1.0]), np.array([0, 0, 1, 0, 1, 0, 1]),
                            np.array([0, 3, 5, 7])), shape=(3, 2))
    with pytest.raises(InputError, match="non-finite"):
        Code(scheme="frc", field="real", n=3, k=2, s=1, m=1, a=0, d=2, assignment=[[0, 1]] * 3, encoding=matrix)


def test_sparse_file_with_a_huge_target_is_refused(tmp_path: Path) -> None:
    """n = 4, k = 1, m = 10⁴ in 400 bytes: the m × k·m target alone would be 800 MB."""
    m = 10_000
    path = code_file(tmp_path / "m.json", csr([1.0] * 4, [0, 1, 2, 3], [0, 1, 2, 3, 4], (4, m)), k=1, m=m, d=1,
                     assignment=[[0]] * 4, scheme="bibd", exact=False)
    refused(run_forked(["verify", path]), "target", "GCLI_MAX_DENSE_ENTRIES")


def test_assignment_rows_must_match_n(tmp_path: Path) -> None:
    path = code_file(tmp_path / "n.json", FRC_ROWS, assignment=FRC_ASSIGNMENT[:3])
    refused(run_forked(["verify", path]), "assignment", "expected n = 4")


# ---------------------------------------------------------------------------------------------------------------
# dense encodings
# ---------------------------------------------------------------------------------------------------------------
def test_huge_finite_entry_is_refused_not_exit_3(tmp_path: Path) -> None:
    """A row scaled to 1.7e308 is finite and decodable, but LAPACK's SVD does not converge on it."""
    rows = [[1.7e308, 1.7e308, 0.0, 0.0], *FRC_ROWS[1:]]
    refused(run_forked(["verify", code_file(tmp_path / "h.json", rows)]), "1.7e+308", "rescale")


def _raise_linalg_error() -> None:
    import gcli.certification.certificate as certificate

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise np.linalg.LinAlgError("SVD did not converge")

    certificate.certify = broken


def test_any_linalg_error_is_one_line(tmp_path: Path) -> None:
    path = code_file(tmp_path / "frc.json", FRC_ROWS)
    refused(run_forked(["verify", path], setup=_raise_linalg_error), "SVD did not converge")


def test_dense_json_and_csv_are_held_to_the_dense_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = code_file(tmp_path / "frc.json", FRC_ROWS)
    csv = tmp_path / "frc.csv"
    assert run_forked(["export", path, "--format", "csv", "-o", str(csv)]).status == 0
    monkeypatch.setenv("GCLI_MAX_DENSE_ENTRIES", "15")  # the 4 × 4 encoding has 16
    refused(run_forked(["verify", path]), "dense encoding", "GCLI_MAX_DENSE_ENTRIES")
    refused(run_forked(["verify", str(csv)]), "csv", "GCLI_MAX_DENSE_ENTRIES")


# ---------------------------------------------------------------------------------------------------------------
# npz and MAT: empty huge dimensions, lossy classes
# ---------------------------------------------------------------------------------------------------------------
def _npz(members: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, array in members.items():
            with archive.open(name + ".npy", "w") as handle:
                np.lib.format.write_array(handle, np.asanyarray(array), allow_pickle=False)
    return buffer.getvalue()


def _mat(arrays: dict[str, Any]) -> bytearray:
    from scipy.io import savemat

    buffer = io.BytesIO()
    savemat(buffer, arrays, format="5", do_compression=False, oned_as="row")
    return bytearray(buffer.getvalue())


def _matrix_at(data: bytearray, name: str) -> int:
    """The offset of the (uncompressed) matrix element holding variable ``name``."""
    position = 128
    while position < len(data):
        _, size = struct.unpack_from("<II", data, position)
        if data.find(name.encode(), position, position + 8 + size) > 0:
            return position
        position += 8 + size + (-size % 8)
    raise AssertionError(name)


def _meta(path: str) -> tuple[dict[str, Any], str, np.ndarray]:
    obj = json.loads(Path(path).read_text())
    meta = json.dumps({key: value for key, value in obj.items() if key not in ("encoding", "assignment")})
    support = np.zeros((obj["n"], obj["k"]), dtype=np.uint8)
    for i, row in enumerate(obj["assignment"]):
        support[i, row] = 1
    return obj, meta, support


@pytest.mark.parametrize("rows", [2**31 - 1, 10**9])
def test_empty_arrays_with_huge_dimensions(tmp_path: Path, rows: int) -> None:
    """(10⁹, 0) holds no entry, yet ``.tolist()`` would build a billion empty rows."""
    _, meta, _ = _meta(code_file(tmp_path / "frc.json", FRC_ROWS))
    head = {"format": np.asarray("gcli.code"), "format_version": np.asarray(1), "meta": np.asarray(meta)}
    npz = tmp_path / "e.npz"
    npz.write_bytes(_npz({**head, "encoding": np.empty((rows, 0)), "assignment": np.empty((rows, 0), np.uint8)}))
    refused(run_forked(["verify", str(npz)]), str(rows), "GCLI_MAX_DENSE_ENTRIES")
    data = _mat({"format": "gcli.code", "format_version": np.asarray(1, dtype=np.int64), "meta": meta,
                 "encoding": np.empty((1, 0)), "assignment": np.empty((1, 0), dtype=np.uint8)})
    for name in ("encoding", "assignment"):
        struct.pack_into("<i", data, _matrix_at(data, name) + 32, rows)  # the first dimension
    mat = tmp_path / "e.mat"
    mat.write_bytes(bytes(data))
    refused(run_forked(["verify", str(mat)]), str(rows), "GCLI_MAX_DENSE_ENTRIES")


@pytest.fixture(scope="module")
def rs257(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("rs") / "rs.json"
    outcome = run_forked(["design", "reed-solomon", "-n", "5", "-s", "1", "--field", "GF(257)", "-o", str(path)])
    assert outcome.status == 0, outcome.describe()
    return str(path)


@pytest.mark.parametrize("change, mat_class, shown", [(0.7, 14, "251.7"), (256.0, 9, "507.0"), (None, 14, "nan")])
def test_mat_classes_must_hold_the_exact_values(tmp_path: Path, rs257: str, change: float | None, mat_class: int,
                                                shown: str) -> None:
    """A class int64 (14) or uint8 (9) variable whose data are stored as doubles: 251.7 would read as 251, 507 as
    251 (uint8 wraps) — the code's own entry, so it was certified — and NaN as −2⁶³."""
    obj, meta, support = _meta(rs257)
    encoding = np.asarray(obj["encoding"], dtype=np.float64)
    assert encoding[0, 0] == 251  # the entry the crafted values land on
    encoding[0, 0] = np.nan if change is None else encoding[0, 0] + change
    data = _mat({"format": "gcli.code", "format_version": np.asarray(1, dtype=np.int64), "meta": meta,
                 "encoding": encoding, "assignment": support})
    data[_matrix_at(data, "encoding") + 16] = mat_class  # the class byte of the array flags
    path = tmp_path / "lossy.mat"
    path.write_bytes(bytes(data))
    refused(run_forked(["verify", str(path)]), "cannot hold exactly", shown)


def test_mat_classes_keep_exact_values(tmp_path: Path, rs257: str) -> None:
    """The same trick with values the class holds (MATLAB stores small integers compactly) still reads back."""
    obj, meta, support = _meta(rs257)
    data = _mat({"format": "gcli.code", "format_version": np.asarray(1, dtype=np.int64), "meta": meta,
                 "encoding": np.asarray(obj["encoding"], dtype=np.float64), "assignment": support})
    data[_matrix_at(data, "encoding") + 16] = 14
    path = tmp_path / "exact.mat"
    path.write_bytes(bytes(data))
    outcome = run_forked(["verify", str(path)])
    assert outcome.status == 0, outcome.describe()


def test_npz_gf_entries_must_be_exact(tmp_path: Path, rs257: str) -> None:
    obj, meta, support = _meta(rs257)
    head = {"format": np.asarray("gcli.code"), "format_version": np.asarray(1), "meta": np.asarray(meta),
            "assignment": support}
    encoding = np.asarray(obj["encoding"], dtype=np.float64)
    encoding[0, 0] += 0.7
    (tmp_path / "f.npz").write_bytes(_npz({**head, "encoding": encoding}))
    refused(run_forked(["verify", str(tmp_path / "f.npz")]), "integers")
    wide = np.asarray(obj["encoding"], dtype=np.uint64)
    wide[0, 0] = 2**64 - 5  # would wrap to −5 as int64
    (tmp_path / "u.npz").write_bytes(_npz({**head, "encoding": wide}))
    refused(run_forked(["verify", str(tmp_path / "u.npz")]))


# ---------------------------------------------------------------------------------------------------------------
# graphs, hierarchical codes and placements
# ---------------------------------------------------------------------------------------------------------------
def test_edge_lists_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The issue's 60 MB file repeats three edges: read line by line and refused past ``max_edges``."""
    path = tmp_path / "edges.txt"
    path.write_bytes(b"0 1\n1 2\n2 0\n" * 4)
    monkeypatch.setenv("GCLI_MAX_EDGES", "10")
    refused(run_forked(["design", "graph", "--from", str(path), "-s", "1"]), "more than 10 edges", "GCLI_MAX_EDGES")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(-5, 40), st.integers(-5, 40)), min_size=1, max_size=30),
       st.sampled_from([" ", "\t", ", "]))
def test_edge_list_reader_matches_a_direct_count(edges: list[tuple[int, int]], separator: str) -> None:
    """The streaming reader against a direct count: vertices are the labels in increasing order, an edge adds 1 to
    both ends, a loop 2 on the diagonal."""
    from gcli.io.exports import read_graph

    text = "# comment\n\n" + "".join(f"{a}{separator}{b} 7 # x\n" for a, b in edges)
    labels = sorted({x for edge in edges for x in edge})
    index = {label: i for i, label in enumerate(labels)}
    expected = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for a, b in edges:
        expected[index[a], index[b]] += 1
        expected[index[b], index[a]] += 1
    assert np.array_equal(read_graph(text.encode(), "edgelist"), expected)
    plain = "".join(f"{a}{separator.strip() or separator} {b}\n" for a, b in edges)  # numpy's path for "u v" lines
    assert np.array_equal(read_graph(plain.encode(), "edgelist"), expected)


@pytest.fixture(scope="module")
def hcode(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    warm(modules=["galois"])  # the children check GF(65537) files: import galois once, in the server
    path = tmp_path_factory.mktemp("h") / "h.json"
    outcome = run_forked(["design", "hierarchical", "--relays", "2", "--cluster-sizes", "3", "--sw", "1", "--field",
                          "GF(65537)", "-o", str(path)])
    assert outcome.status == 0, outcome.describe()
    return json.loads(path.read_text())  # type: ignore[no-any-return]


@pytest.mark.parametrize("where", ["worker_points", "relay_points", "encoding"])
def test_hcode_field_elements_in_range(tmp_path: Path, hcode: dict[str, Any], where: str) -> None:
    obj = json.loads(json.dumps(hcode))
    if where == "worker_points":
        obj["clusters"][0]["worker_points"][2] = 10**30
    elif where == "relay_points":
        obj["relay_points"][1] = 65537
    else:
        obj["clusters"][1]["encoding"][0][0] = 10**30
    path = tmp_path / "h.json"
    path.write_text(json.dumps(obj))
    for extra in ([], ["--simulate", "2"])[: 2 if where == "worker_points" else 1]:
        refused(run_forked(["verify", str(path), *extra]), "GF(65537)", "is not an element")


def test_placements_are_checked_before_building(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def placement(name: str, value: Any) -> str:
        (tmp_path / name).write_text(json.dumps(value))
        return str(tmp_path / name)

    def design(path: str, *extra: str) -> Outcome:
        return run_forked(["design", "hierarchical", "--placement", path, *extra, "-o", str(tmp_path / "o.json")])

    ones = placement("ones.json", [[[j]] for j in range(1000)])  # 1,000 relays of one worker: 10⁹ products
    refused(design(ones), "999000000", "GCLI_MAX_LAYER_WORK")
    refused(design(placement("450.json", [[[j]] for j in range(450)])), "450", "GCLI_MAX_REAL_LAYER")
    refused(design(placement("wide.json", [[[j]] for j in range(5000)]), "--field", "GF(65537)"), "K × K",
            "GCLI_MAX_DENSE_ENTRIES")
    monkeypatch.setenv("GCLI_MAX_DENSE_ENTRIES", "1000")  # the 2 × 5,000 workers × 200 partitions, scaled
    refused(design(placement("full.json", [[list(range(4))] * 40] * 2)), "N × N", "GCLI_MAX_DENSE_ENTRIES")
    monkeypatch.delenv("GCLI_MAX_DENSE_ENTRIES")
    monkeypatch.setenv("GCLI_MAX_LAYER_WORK", "1000")  # 1,000 relays over GF(65537): 10⁹ products, scaled
    refused(design(placement("gf.json", [[[j]] for j in range(30)]), "--field", "GF(65537)"), "GCLI_MAX_LAYER_WORK")


# ---------------------------------------------------------------------------------------------------------------
# the Brouwer table and the depth check
# ---------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, words", [("[" * 5000 + "]" * 5000, ("Brouwer", "deeper")),
                                         ('[[1e999, 2, 3, 4, "exists", ""]]', ("Brouwer", "1e999")),
                                         ('[{"a": 1}]', ("Brouwer",))])
def test_brouwer_table_goes_through_the_bounded_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str,
                                                       words: tuple[str, ...]) -> None:
    (tmp_path / "table.json").write_text(text)
    monkeypatch.setenv("GCLI_BROUWER_TABLE", str(tmp_path / "table.json"))
    refused(run_forked(["bound", "exists", "srg", "69", "20", "7", "5"]), *words)


def _reference_depth(text: bytes) -> int:
    depth = best = 0
    for c in text:
        depth += (c in b"[{") - (c in b"]}")
        best = max(best, depth)
    return best


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="[]{}1, ", max_size=300))
def test_json_depth_is_the_largest_open_count(text: str) -> None:
    """On text without strings the depth is the largest number of open brackets (capped at bound + 1)."""
    raw = text.encode()
    assert json_depth(raw, 10**6) == _reference_depth(raw)
    assert json_depth(raw, 3) == min(_reference_depth(raw), 4)


def test_json_depth_with_a_raised_limit_is_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two million brackets with the limit raised past them: one pass (the old check removed one level per pass over
    the text, a million passes), counted here by the chunks numpy sums rather than by the clock."""
    import gcli.io.reading as reading

    calls = []
    real_cumsum = np.cumsum

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real_cumsum(*args, **kwargs)

    monkeypatch.setattr(np, "cumsum", counting)
    raw = b"[" * 1_000_000 + b"]" * 1_000_000
    assert reading.json_depth(raw, 2_000_000) == 1_000_000
    assert len(calls) <= 2_000_000 // reading._CHUNK + 1
