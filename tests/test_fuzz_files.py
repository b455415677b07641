"""Hostile files, fuzzed: valid files of every scheme mutated at every field of the JSON contract, run through
``verify``, ``compare``, ``export`` and ``simulate`` (and generators, placements and graph files through
``design``), each in a forked child of a fork server under a wall and a memory limit (:mod:`fuzzrun`).

The contract for any input: exit 0, 1 or 2 (never 3, a signal, a timeout or a memory error); exit 2 with exactly one
line ``gcli: error: …``; never a traceback.

Budget: ``GCLI_FUZZ_EXAMPLES`` examples per hypothesis test (default 25; the whole file takes about 20-40 s),
e.g. ``GCLI_FUZZ_EXAMPLES=500 python -m pytest tests/test_fuzz_files.py`` for a long run (with the variable set the
examples are random, without it the same every run). Every child runs with ``SECONDS`` of wall time (generous: it
only catches hangs) and ``MEMORY`` bytes of new memory.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fuzzrun import assert_well_behaved, run_forked, warm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gcli.constructions.registry import SCHEMES

EXAMPLES = int(os.environ.get("GCLI_FUZZ_EXAMPLES", "25"))
SECONDS = 60
MEMORY = 500 * 2**20
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize="GCLI_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

DESIGNS: dict[str, list[str]] = {
    "frc": ["design", "frc", "-n", "4", "-s", "1"],
    "crc": ["design", "crc", "-n", "4", "-s", "1"],
    "reed-solomon": ["design", "reed-solomon", "-n", "5", "-s", "1"],
    "reed-solomon-gf": ["design", "reed-solomon", "-n", "5", "-s", "1", "--field", "GF(7)"],
    "mds": ["design", "mds", "-n", "6", "-d", "3"],
    "mds-gf": ["design", "mds", "-n", "6", "-d", "3", "--field", "GF(8)", "--code", "reed-solomon"],
    "bibd": ["design", "bibd", "-v", "7", "--block-size", "3"],
    "srg": ["design", "srg", "--params", "9,4,1,2"],
    "graph": ["design", "graph", "-n", "8", "--degree", "3", "-s", "1"],
    "hierarchical": ["design", "hierarchical", "--relays", "2", "--cluster-sizes", "3"],
    "universal": ["design", "universal", "--placement", "{folder}/placement.json", "-s", "1"],
}
"""One small valid code of every scheme of the registry (and a finite-field one where the scheme has them)."""

UNIVERSAL_PLACEMENT = {"placement": [[0, 1], [1, 2], [2, 0], [0, 1, 2]], "partitions": 3}
"""The placement of the ``universal`` design above (and the one mutated for ``design universal --placement``)."""

COMMANDS: list[list[str]] = [["verify", "-q"], ["verify", "--sample", "3", "-q"], ["compare"],
                             ["export", "--format", "json"], ["export", "--format", "npz"],
                             ["export", "--format", "edgelist"], ["simulate", "-T", "2"]]

HOSTILE: list[Any] = [None, True, False, 0, -1, 1, 2, 7, 2**31, 2**63, -(2**63) - 1, 10**30, 10**400, 0.5, -0.0,
                      1e308, float("nan"), float("inf"), "3", "", "x" * 2000, "GF(2^521)", [], {}, [[]], [0, 0, 0],
                      [[1, 2], [3]], [[0.5]], {"kind": "gf", "order": 2**127 - 1}, {"kind": "real"},
                      {"format": "csr"}]
"""Values JSON allows that a field may not: wrong types, out of range, huge, non-finite, empty, ragged."""


def _nested(depth: int) -> Any:
    value: Any = 0
    for _ in range(depth):
        value = [value]
    return value


HOSTILE += [_nested(40), _nested(400)]


MODULES = (
    "jsonschema",
    "scipy.sparse",
    "scipy.linalg",
    "scipy.io",
    "galois",
    "networkx",
    "gcli.certification.certificate",
    "gcli.certification.verification",
    "gcli.certification.engine",
    "gcli.certification.stability",
    "gcli.training.simulation",
    "gcli.io.exports",
    "gcli.hierarchical.codes",
    "gcli.certification.hierarchical",
    "gcli.structures.certificate",
    "gcli.certification.approximation",
    "gcli.cli.verify",
    "gcli.cli.compare",
    "gcli.cli.export",
    "gcli.cli.simulate",
    "gcli.cli.design",
    "gcli.training.datasets",
    "gcli.training.models",
    "gcli.training.decoders",
    "gcli.io.reading",
)


def _load_schemes() -> None:
    from gcli.io.json import code_schema

    code_schema()
    for record in SCHEMES.values():
        record.load()


def _warm() -> None:
    """Make the fork server import what the commands import, so that each forked child starts in milliseconds."""
    warm(modules=MODULES, calls=[_load_schemes])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """name → parsed valid file, plus the folder, a generator, a placement and a graph file."""
    _warm()
    folder = tmp_path_factory.mktemp("fuzz")
    files: dict[str, Any] = {}
    (folder / "placement.json").write_text(json.dumps(UNIVERSAL_PLACEMENT))
    for name, args in DESIGNS.items():
        path = folder / f"{name}.json"
        outcome = run_forked([*(a.format(folder=folder) for a in args), "-o", str(path)], seconds=60, memory=2**31)
        assert outcome.status == 0, outcome.describe()
        files[name] = json.loads(path.read_text())
    from gcli.io.files import load_code
    from gcli.io.json import dumps

    files["frc-dense"] = json.loads(dumps(load_code(folder / "frc.json"), sparse=False))
    files["reed-solomon-dense"] = json.loads(dumps(load_code(folder / "reed-solomon.json"), sparse=False))
    _warm_commands(folder)
    return {"folder": folder, "files": files}


def _warm_commands(folder: Path) -> None:
    """Run the commands once in the fork server: galois compiles its field arithmetic on first use, and every
    forked child that had to compile GF(8) itself would spend seconds on it."""
    runs = [["verify", "-q", str(folder / f"{name}.json")] for name in DESIGNS]
    runs += [[*command, str(folder / f"{name}.json")] for command in COMMANDS
             for name in ("frc", "reed-solomon-gf", "graph")]
    warm(commands=runs)


def test_every_scheme_is_fuzzed() -> None:
    """A new scheme in the registry needs a valid file here (its builder's options differ)."""
    covered = {args[1] for args in DESIGNS.values()}
    assert set(SCHEMES) <= covered, sorted(set(SCHEMES) - covered)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a JSON value (long lists: their first and last items only)."""
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        indices = range(len(value)) if len(value) <= 3 else (0, len(value) - 1)
        for index in indices:
            out += _paths(value[index], (*prefix, index))
    return out


def _mutate(obj: Any, path: tuple[Any, ...], op: str, value: Any) -> Any:
    """A deep copy of ``obj`` with the item at ``path`` deleted, replaced, wrapped or its list emptied/doubled."""
    copy = json.loads(json.dumps(obj))
    parent = copy
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if op == "delete":
        del parent[last]
    elif op == "wrap":
        parent[last] = [parent[last]]
    elif op == "double" and isinstance(parent[last], list):
        parent[last] = parent[last] + parent[last]
    elif op == "truncate" and isinstance(parent[last], list):
        parent[last] = parent[last][:-1]
    else:
        parent[last] = value
    return copy


def _run(corpus: dict[str, Any], text: str | bytes, command: list[str], name: str = "mutant.json") -> None:
    path = Path(corpus["folder"]) / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    outcome = run_forked([*command, str(path)], seconds=SECONDS, memory=MEMORY)
    assert_well_behaved(outcome)


def _text_mutation(text: str, kind: str, where: float) -> str:
    """Damage the text itself: truncate it, duplicate a key, insert a token JSON does not allow, flip a byte."""
    cut = int(len(text) * where)
    if kind == "truncate":
        return text[:cut]
    if kind == "duplicate":
        return text.replace('"n": ', '"n": 1, "n": ', 1) if '"n": ' in text else '{"a": 1, "a": 2}'
    if kind == "token":
        return text[:cut] + " NaN " + text[cut:]
    if kind == "digits":
        return text[:cut] + "9" * 4400 + text[cut:]
    return text[:cut] + chr(0x7F & (ord(text[cut]) + 13)) + text[cut + 1:] if cut < len(text) else text


@FUZZ
@given(data=st.data())
def test_mutated_code_files(corpus: dict[str, Any], data: st.DataObject) -> None:
    files = corpus["files"]
    name = data.draw(st.sampled_from(sorted(files)), label="file")
    obj = files[name]
    path = data.draw(st.sampled_from(_paths(obj)), label="path")
    op = data.draw(st.sampled_from(["delete", "replace", "replace", "wrap", "double", "truncate"]), label="op")
    value = data.draw(st.sampled_from(HOSTILE) | st.integers() | st.floats() | st.text(max_size=5), label="value")
    command = data.draw(st.sampled_from(COMMANDS), label="command")
    _run(corpus, json.dumps(_mutate(obj, path, op, value)), command)


@FUZZ
@given(data=st.data())
def test_damaged_code_text(corpus: dict[str, Any], data: st.DataObject) -> None:
    files = corpus["files"]
    name = data.draw(st.sampled_from(sorted(files)), label="file")
    kind = data.draw(st.sampled_from(["truncate", "duplicate", "token", "digits", "byte"]), label="kind")
    where = data.draw(st.floats(0, 1), label="where")
    command = data.draw(st.sampled_from(COMMANDS[:4]), label="command")
    _run(corpus, _text_mutation(json.dumps(files[name], indent=1), kind, where), command)


def _schema_fields() -> list[tuple[str, str]]:
    from importlib.resources import files

    out = []
    for schema, source in (("code.schema.json", "graph"), ("hcode.schema.json", "hierarchical")):
        properties = json.loads(files("gcli").joinpath(f"io/schemas/{schema}").read_text())["properties"]
        out += [(source if key != "design" else "bibd", key) for key in properties]
    return out


@pytest.mark.parametrize("source, field", _schema_fields())
def test_every_contract_field(corpus: dict[str, Any], source: str, field: str) -> None:
    """Every property of both schemas, deleted and set to hostile values of every kind, through verify."""
    obj = corpus["files"][source]
    mutants = [_mutate(obj, (field,), "delete", None)] if field in obj else []
    index = sum(map(ord, field))
    for value in (HOSTILE[index % len(HOSTILE)], HOSTILE[(index * 7 + 3) % len(HOSTILE)], "3", 10**30):
        mutants.append(_mutate(obj, (field,), "replace", value))
    for mutant in mutants:
        _run(corpus, json.dumps(mutant), ["verify", "-q"])


GENERATOR = [[1.0, 0.0, 1.0], [0.0, 1.0, 2.0]]


@FUZZ
@given(data=st.data())
def test_mutated_generators(corpus: dict[str, Any], data: st.DataObject) -> None:
    """``design mds --generator``: a JSON matrix mutated, or a .npy file with any dtype, shape or header."""
    field = data.draw(st.sampled_from([[], ["--field", "GF(7)"]]), label="field")
    command = ["design", "mds", "-n", "6", "-d", "3", *field, "-o", str(Path(corpus["folder"]) / "g-out.json"),
               "--generator"]
    if data.draw(st.booleans(), label="npy"):
        dtype = data.draw(st.sampled_from(["<f8", "<i8", "<c16", "|b1", "<U3", "<f2", ">i4"]), label="dtype")
        shape = data.draw(st.sampled_from([(2, 3), (3,), (0, 3), (2, 3, 1), (10**6, 10**6), (2**40,), ()]),
                          label="shape")
        header = io.BytesIO()
        np.lib.format.write_array_header_1_0(header, {"descr": dtype, "fortran_order": False, "shape": shape})
        body = np.arange(6).astype(np.dtype(dtype)).tobytes()
        cut = data.draw(st.integers(0, len(body)), label="cut")
        _run(corpus, header.getvalue() + body[:cut], command, "mutant.npy")
    else:
        path = data.draw(st.sampled_from(_paths(GENERATOR)), label="path")
        op = data.draw(st.sampled_from(["delete", "replace", "wrap", "double", "truncate"]), label="op")
        value = data.draw(st.sampled_from(HOSTILE) | st.integers() | st.floats(), label="value")
        _run(corpus, json.dumps(_mutate(GENERATOR, path, op, value)), command)


@FUZZ
@given(data=st.data())
def test_mutated_structure_and_placement_files(corpus: dict[str, Any], data: st.DataObject) -> None:
    """``design graph --from`` (graph6, sparse6, edge lists), ``design hierarchical|universal --placement`` and
    ``bound tradeoff --placement``."""
    out = str(Path(corpus["folder"]) / "s-out.json")
    if data.draw(st.booleans(), label="graph"):
        import networkx as nx

        graph = nx.random_regular_graph(3, 8, seed=1)
        texts = [nx.to_graph6_bytes(graph, header=False), nx.to_sparse6_bytes(graph, header=False),
                 "\n".join(f"{a} {b}" for a, b in graph.edges()).encode()]
        text = data.draw(st.sampled_from(texts), label="text")
        cut = data.draw(st.integers(0, len(text)), label="cut")
        noise = data.draw(st.binary(max_size=12) | st.sampled_from([b"~~~~~~~~", b":~~~~~~", b"0 99999999\n"]),
                          label="noise")
        _run(corpus, text[:cut] + noise + text[cut:], ["design", "graph", "-s", "1", "-o", out, "--from"],
             "mutant.g6")
    else:
        flat = data.draw(st.booleans(), label="flat")
        placement = UNIVERSAL_PLACEMENT if flat else \
            {"placement": [[[0, 1], [1, 2], [2, 0]], [[0, 1], [1, 2], [2, 0]]], "partitions": 3}
        path = data.draw(st.sampled_from(_paths(placement)), label="path")
        op = data.draw(st.sampled_from(["delete", "replace", "wrap", "double"]), label="op")
        value = data.draw(st.sampled_from(HOSTILE) | st.integers(), label="value")
        command = data.draw(st.sampled_from([["design", "universal", "-s", "1", "-o", out],
                                             ["bound", "tradeoff", "-s", "1"]]), label="command") if flat else \
            ["design", "hierarchical", "-o", out]
        _run(corpus, json.dumps(_mutate(placement, path, op, value)), [*command, "--placement"])


@FUZZ
@given(data=st.data())
def test_damaged_exports(corpus: dict[str, Any], data: st.DataObject) -> None:
    """npz, mat and csv exports (which ``verify`` reads back; npz and mat as plain or sparse matrices) with bytes
    flipped, cut out or inserted, and claimed matrix sizes or zip member sizes changed."""
    from gcli.io.exports import export_code
    from gcli.io.json import code_from_dict

    name = data.draw(st.sampled_from(["frc", "reed-solomon-gf", "graph", "bibd"]), label="file")
    fmt = data.draw(st.sampled_from(["npz", "mat", "csv"]), label="format")
    form = data.draw(st.sampled_from(["dense", "csr"]), label="encoding") if fmt != "csv" else "auto"
    exported = export_code(code_from_dict(corpus["files"][name]), fmt, encoding=form)
    blob = bytearray(exported.encode() if isinstance(exported, str) else exported)
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        at = data.draw(st.integers(0, len(blob)), label="at")
        edit = data.draw(st.sampled_from(["flip", "cut", "insert", "int32"]), label="edit")
        if edit == "flip" and at < len(blob):
            blob[at] ^= data.draw(st.integers(1, 255), label="mask")
        elif edit == "cut":
            del blob[at:at + data.draw(st.integers(1, 64), label="length")]
        elif edit == "insert":
            blob[at:at] = data.draw(st.binary(min_size=1, max_size=16), label="bytes")
        elif at + 4 <= len(blob):  # a length, dimension or size field made huge
            blob[at:at + 4] = data.draw(st.sampled_from([2**31 - 1, 2**32 - 1, 10**6, 0]), label="value") \
                .to_bytes(4, "little")
    _run(corpus, bytes(blob), ["verify", "-q"], f"mutant.{fmt}")
