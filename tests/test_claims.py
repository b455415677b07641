"""Every recorded claim is a checked claim (:mod:`gcli.certification.claims`): a file gcli writes verifies; changing
any value
it records that states a property makes verification fail and name that value — whatever s the file was
designed for (in the exact range of a code as well as beyond it)."""

from __future__ import annotations

import copy
import functools
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gcli import certify
from gcli.certification.claims import PARAMETERS
from gcli.cli import cli as app
from gcli.constructions import SCHEMES
from gcli.errors import InputError
from gcli.hierarchical.codes import is_hcode, loads_hcode
from gcli.hierarchical.files import dumps_any
from gcli.io.json import loads

# small files of every scheme: exact schemes over the reals and GF(q), approximate ones inside their exact range
# (bibd AG(2,3) at s = 2 ≤ 3, graph incidence at s = 2) and beyond it, m = 1 and m > 1
EXAMPLES: list[tuple[str, dict[str, Any]]] = [
    ("frc", {"n": 6, "s": 2}),
    ("frc", {"n": 6, "s": 2, "field": "GF(7)"}),
    ("crc", {"n": 6, "s": 2}),
    ("crc", {"n": 6, "s": 2, "field": "GF(7)"}),
    ("reed-solomon", {"n": 6, "s": 2, "m": 2}),
    ("reed-solomon", {"n": 6, "s": 1, "field": "GF(7)"}),
    ("reed-solomon", {"n": 6, "s": 2, "field": "GF(2^3)"}),
    ("crc", {"n": 6, "s": 2, "field": "GF(3^2)"}),
    ("mds", {"n": 6, "s": 1}),
    ("mds", {"n": 6, "s": 1, "field": "GF(7)"}),
    ("mds", {"n": 6, "s": 1, "field": "GF(2^3)"}),
    ("universal", {"placement": [[0, 1], [1, 2], [2, 0], [0, 1, 2], [1]], "s": 1}),
    ("universal", {"placement": [[0, 1], [1, 2], [2, 3], [3, 0], [0, 1, 2, 3], [0, 2]], "s": 1, "field": "GF(11)"}),
    ("reed-solomon", {"n": 10, "s": 2, "k": 25, "m": 2, "field": "GF(17)"}),  # k ≠ n: K = n − s − 2a, not n − d + m
    ("mds", {"n": 8, "k": 12, "d": 4, "m": 2, "field": "GF(17)", "code": "reed-solomon", "placement": "cyclic"}),
    ("mds", {"n": 8, "s": 1, "d": 4, "m": 2, "field": "GF(17)", "code": "reed-solomon", "placement": "cyclic"}),
    ("mds", {"n": 8, "k": 12, "d": 4, "m": 2, "placement": "cyclic"}),
    ("bibd", {"v": 7, "k": 3}),
    ("bibd", {"v": 9, "k": 3, "s": 2}),
    ("bibd", {"v": 7, "k": 3, "s": 1, "m": 2}),
    ("srg", {"params": "10,3,0,1"}),
    ("srg", {"params": "10,3,0,1", "m": 2}),
    ("graph", {"family": "random-regular", "n": 10, "d": 3, "seed": 2}),
    ("graph", {"family": "petersen", "n": 10, "s": 2, "incidence": True}),
    ("hierarchical", {"relays": 3, "workers": 4, "s_r": 1, "s_w": 1}),
    ("hierarchical", {"relays": 3, "workers": 3, "s_r": 1, "s_w": 1, "field": "GF(7)"}),
]
IDS = [f"{scheme}-{'-'.join(f'{k}={v}' for k, v in kwargs.items())}" for scheme, kwargs in EXAMPLES]
BLOCKS = ("construction", "design", "graph")  # where files record claims; the rest is the code itself


@functools.cache
def _text(index: int) -> str:
    scheme, kwargs = EXAMPLES[index]
    return dumps_any(SCHEMES[scheme](**kwargs))


def _load(obj: dict[str, Any]) -> Any:
    text = json.dumps(obj)
    return loads_hcode(text) if is_hcode(obj) else loads(text)


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in _leaves(item, (*path, key))]
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        return [leaf for i, item in enumerate(value) for leaf in _leaves(item, (*path, i))]
    return [(path, value)]


def _dotted(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _claims(obj: dict[str, Any]) -> list[tuple[tuple[Any, ...], Any]]:
    """The recorded claims of a file: ``exact`` and every non-null leaf of its blocks that is not a parameter."""
    parameters = PARAMETERS[obj["scheme"]]
    found = [(("exact",), obj["exact"])]
    for block in BLOCKS:
        if isinstance(obj.get(block), dict):
            found += [(path, value) for path, value in _leaves(obj[block], (block,))
                      if value is not None and _generic(_dotted(path)) not in parameters]
    return found


def _generic(dotted: str) -> str:
    """``construction.checked.clusters[1].sets`` → ``construction.checked.clusters.sets`` (parameters are named
    without list positions)."""
    import re

    return re.sub(r"\[\d+\]", "", dotted)


def _mutation(value: Any) -> st.SearchStrategy[Any]:
    """Wrong values for a recorded claim of this type (each differs from the value by more than any tolerance)."""
    if isinstance(value, bool):
        return st.just(not value)
    if isinstance(value, int):
        return st.sampled_from([-2, -1, 1, 2, 5]).map(lambda delta: value + delta)
    if isinstance(value, float):
        size = max(1.0, abs(value))
        return st.tuples(st.floats(0.05, 3.0), st.sampled_from([-1, 1])).map(lambda t: value + t[1] * t[0] * size)
    if isinstance(value, str):
        if value == "n/|F|":
            return st.just("1")
        if value in ("chebyshev", "equispaced"):  # a named family of evaluation points
            return st.just("equispaced" if value == "chebyshev" else "chebyshev")
        if value in ("real",) or value.startswith("GF("):
            return st.just("GF(11)" if value != "GF(11)" else "real")
        fraction = Fraction(value)  # every other recorded claim given as text is a fraction
        return st.integers(2, 60).map(lambda q: str(fraction + Fraction(1, q)))
    if isinstance(value, list) and all(type(x) is int for x in value):
        grow = st.just([*value, max(value, default=-1) + 1])
        shrink = st.just(value[:-1]) if value else grow
        bump = st.tuples(st.integers(0, max(len(value) - 1, 0)), st.sampled_from([-1, 1, 2])).map(
            lambda t: [x + t[1] if i == t[0] else x for i, x in enumerate(value)]) if value else grow
        return st.one_of(grow, shrink, bump)
    if isinstance(value, list) and value and all(isinstance(x, list) for x in value):  # blocks, edges
        return st.integers(0, len(value) - 1).map(lambda i: [row if j != i else [x + 1 for x in row]
                                                              for j, row in enumerate(value)])
    if isinstance(value, list) and all(isinstance(x, str) for x in value):  # exact eigenvalues as text
        return st.integers(0, max(len(value) - 1, 0)).map(
            lambda i: [str(Fraction(x) + 1) if j == i else x for j, x in enumerate(value)])
    raise AssertionError(f"no mutation for a claim of type {type(value).__name__}: {value!r}")


def _set(obj: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(obj)
    target = out
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return out


def _named(cert: Any, path: tuple[Any, ...]) -> bool:
    """The certificate fails and names the mutated value: a claim line with its field, or (structure blocks) the
    structure certificate's message naming its key."""
    dotted = _dotted(path)
    if any(not c.ok and (c.field == dotted or dotted.startswith(c.field + ".")) for c in cert.claims):
        return True
    structure = cert.structure
    key = str(path[-1])
    return structure is not None and not structure.certified and (key in structure.message or path[0] != "construction")


@pytest.mark.parametrize("index", range(len(EXAMPLES)), ids=IDS)
def test_a_file_gcli_writes_verifies_and_every_claim_can_be_mutated(index: int) -> None:
    obj = json.loads(_text(index))
    cert = certify(_load(obj))
    assert cert.certified, cert.summary()
    assert cert.claims and all(c.ok for c in cert.claims)
    assert [c.field for c in cert.claims if not c.rederived] == []  # every claim re-derived at the file's s
    for _path, value in _claims(obj):
        # every claim has a wrong value to try (else: classify it in gcli.certification.claims.PARAMETERS)
        _mutation(value)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_mutated_claim_fails_verification_naming_it(data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(EXAMPLES) - 1), label="example")
    obj = json.loads(_text(index))
    path, value = data.draw(st.sampled_from(_claims(obj)), label="claim")
    wrong = data.draw(_mutation(value), label="wrong value")
    try:
        code = _load(_set(obj, path, wrong))
    except InputError:
        return  # refused as a bad file (exit 2): never certified
    cert = certify(code)
    assert not cert.certified, (IDS[index], _dotted(path), wrong)
    assert _named(cert, path), (IDS[index], _dotted(path), wrong, cert.summary())


def _first_wrong(value: Any) -> Any:
    """One deterministic wrong value of each kind :func:`_mutation` draws from."""
    if isinstance(value, str) and value not in ("n/|F|", "chebyshev", "equispaced", "real") and \
            not value.startswith("GF("):
        return str(Fraction(value) + Fraction(1, 7))
    if isinstance(value, float):
        return value + 0.5 * max(1.0, abs(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return value + 1
    return _mutation(value).example() if not isinstance(value, list) else (
        [*value, max(value, default=-1) + 1] if all(type(x) is int for x in value) else _mutation(value).example())


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
@pytest.mark.parametrize("index", range(len(EXAMPLES)), ids=IDS)
def test_every_claim_of_every_scheme_is_checked(index: int) -> None:
    """The exhaustive sweep: each claim of each example file, one wrong value; exit 1 naming it, or refused."""
    obj = json.loads(_text(index))
    missed = []
    for path, value in _claims(obj):
        try:
            code = _load(_set(obj, path, _first_wrong(value)))
        except InputError:
            continue
        cert = certify(code)
        if cert.certified or not _named(cert, path):
            missed.append(_dotted(path))
    assert not missed, missed


def _run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def test_exact_range_claim_of_ag23_is_checked(tmp_path: Path) -> None:
    # AG(2,3) at s = 2 lies in the code's exact range (s ≤ 3): exact_for is still re-derived
    obj = json.loads(dumps_any(SCHEMES["bibd"](v=9, k=3, s=2)))
    assert obj["exact"] is True and obj["construction"]["exact_for"] == [0, 1, 2, 3]
    obj["construction"]["exact_for"] = [0, 1, 2, 3, 4]
    path = tmp_path / "ag.json"
    path.write_text(json.dumps(obj))
    result = _run("verify", str(path))
    assert result.exit_code == 1
    assert ("claim construction.exact_for = [0, 1, 2, 3, 4] disagrees: exact for s in [0, 1, 2, 3] (error at s = 4 "
            "is 1)") in result.output


def test_exact_scheme_with_exact_false_is_checked_as_exact(tmp_path: Path) -> None:
    # issue 22: the scheme decides what is checked; a crc file's "exact": false (and an all-zero encoding) does not
    # turn the check off
    obj = json.loads(dumps_any(SCHEMES["crc"](n=6, s=2, field="GF(7)")))
    obj["exact"] = False
    path = tmp_path / "crc.json"
    path.write_text(json.dumps(obj))
    result = _run("verify", str(path))
    assert result.exit_code == 1 and "claim exact = false disagrees: the crc scheme is exact" in result.output
    obj["encoding"] = [[0] * len(row) for row in obj["encoding"]]
    path.write_text(json.dumps(obj))
    result = _run("verify", str(path))
    assert result.exit_code == 1 and "NOT DECODABLE" in result.output


def test_a_sampled_check_names_the_claims_it_did_not_rederive() -> None:
    code = loads(dumps_any(SCHEMES["crc"](n=6, s=2)))
    cert = certify(code, sample=3, seed=1)
    assert cert.certified
    skipped = {c.field for c in cert.claims if not c.rederived}
    assert skipped == {"construction.checked.worst_condition_number", "construction.checked.max_residual"}
    assert "not re-derived by this check (a sampled pass): construction.checked.worst_condition_number" in \
        cert.summary()


@pytest.mark.parametrize("field", ["GF(3^2)", "GF(2^8)"])
def test_verify_rederives_extension_field_claims_without_galois(field: str, tmp_path: Path) -> None:
    # the command line reads GF(q) files without galois (gcli.fields.FieldInfo): the evaluation points are checked
    # with exp/log tables; a swap of two points is caught and named
    obj = json.loads(dumps_any(SCHEMES["reed-solomon"](n=8, s=2, field=field)))
    path = tmp_path / "rs.json"
    path.write_text(json.dumps(obj))
    assert _run("verify", str(path)).exit_code == 0
    points = obj["construction"]["evaluation_points"]
    points[0], points[1] = points[1], points[0]
    path.write_text(json.dumps(obj))
    result = _run("verify", str(path))
    assert result.exit_code == 1 and "claim construction.evaluation_points = " in result.output


@settings(max_examples=40, deadline=None)
@given(field=st.sampled_from(["GF(2^8)", "GF(3^2)", "GF(5^3)"]), data=st.data())
def test_table_arithmetic_agrees_with_galois(field: str, data: st.DataObject) -> None:
    """The galois-free exp/log arithmetic of gcli.fields.linalg against galois, an independent implementation."""
    import numpy as np

    from gcli.fields import FieldInfo, as_field
    from gcli.fields.arithmetic import field_ops

    gf = as_field(field)
    info = FieldInfo(gf.order, gf.characteristic, gf.degree, int(gf.irreducible_poly))
    ops = field_ops(info)
    a = np.array(data.draw(st.lists(st.integers(0, gf.order - 1), min_size=1, max_size=20)))
    b = np.array(data.draw(st.lists(st.integers(1, gf.order - 1), min_size=len(a), max_size=len(a))))
    assert np.array_equal(ops.mul(a, b), (gf(a) * gf(b)).view(np.ndarray))
    assert np.array_equal(ops.sub(a, b), (gf(a) - gf(b)).view(np.ndarray))
    assert np.array_equal(ops.inv(b), np.reciprocal(gf(b)).view(np.ndarray))
