"""The JSON contract: schema validity, round trip for every scheme and field, byte-identical output."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from gcli import Code, InputError, code_schema, dumps, load_code, loads
from gcli.constructions import SCHEMES
from gcli.hierarchical.codes import hcode_schema, loads_hcode
from gcli.hierarchical.files import dumps_any
from gcli.io.writing import write_atomic

FIELDS = ["real", "GF(7)", "GF(2^8)", "GF(3^2)"]
# One small example per registered scheme: (keyword arguments, whether it takes --field). A scheme added to
# the registry without an entry here fails test_every_scheme_has_a_round_trip_example.
EXAMPLES: dict[str, tuple[dict, bool]] = {
    "frc": ({"n": 6, "s": 2}, True),
    "crc": ({"n": 6, "s": 2}, True),
    "reed-solomon": ({"n": 6, "s": 2, "m": 2}, True),
    "mds": ({"n": 6, "s": 1}, True),
    "universal": ({"placement": [[0, 1], [1, 2], [2, 0], [0, 1, 2]], "s": 1}, True),
    "bibd": ({"v": 7, "k": 3}, False),
    "srg": ({"params": "10,3,0,1"}, False),
    "graph": ({"family": "random-regular", "n": 10, "d": 3, "seed": 2}, False),
    "hierarchical": ({"relays": 3, "workers": 4, "s_r": 1, "s_w": 1}, True),
}
CASES = [
    (scheme, field)
    for scheme in SCHEMES
    for field in (FIELDS if EXAMPLES.get(scheme, ({}, True))[1] else ["real"])
]


def test_every_scheme_has_a_round_trip_example() -> None:
    assert set(SCHEMES) <= set(EXAMPLES)


@pytest.mark.parametrize(("scheme", "field"), CASES)
def test_round_trip_every_scheme_and_field(scheme: str, field: str) -> None:
    kwargs, takes_field = EXAMPLES[scheme]
    code = SCHEMES[scheme](**kwargs, **({"field": field} if takes_field else {}))
    text = dumps_any(code)
    obj = json.loads(text)
    if obj["format"] == "gcli.hcode":
        jsonschema.validate(obj, hcode_schema())
        back = loads_hcode(text)
        assert back == code and dumps_any(back) == text
        return
    jsonschema.validate(obj, code_schema())
    back = loads(text)
    assert back == code
    assert dumps(back) == text
    if code.is_real:
        assert np.array_equal(back.encoding, code.encoding)  # bit-exact floats
        assert back.encoding.dtype == np.float64


def test_real_floats_round_trip_exactly() -> None:
    rng = np.random.default_rng(1)
    code = SCHEMES["crc"](n=9, s=3, seed=4)
    tiny = code.encoding * rng.uniform(1e-300, 1e-290, size=code.encoding.shape)
    weird = code.with_encoding(tiny)
    assert np.array_equal(loads(dumps(weird)).encoding, tiny)


def _obj() -> dict:
    return json.loads(dumps(SCHEMES["frc"](n=4, s=1, field="GF(5)")))


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda o: o.update(format_version=2), "format_version"),
        (lambda o: o.update(format="other"), "not a gcli code file"),
        (lambda o: o.pop("encoding"), "encoding"),
        (lambda o: o.update(n=-1), "n"),
        (lambda o: o["encoding"][0].append(1), "different lengths"),
        (lambda o: [r.append(1) for r in o["encoding"]], "shape"),
        (lambda o: o.update(encoding=[[9] * 4] * 4), r"\[0, 5\)"),
        (lambda o: o["encoding"].__setitem__(0, [1.5, 0, 0, 0]), "integers"),
        (lambda o: o.update(d=3), "largest load"),
        (lambda o: o.update(assignment=[[0], [0, 1], [2, 3], [2, 3]]), "not assigned"),
        (lambda o: o.update(extra=1), "Additional properties"),
        (lambda o: o["field"].update(order=9), "order"),
        (lambda o: o.update(s=3, a=1), "smaller than n"),
    ],
)
def test_invalid_files_are_rejected_with_a_clear_error(mutate, message: str) -> None:
    obj = _obj()
    mutate(obj)
    with pytest.raises(InputError, match=message):
        loads(json.dumps(obj))


@pytest.mark.parametrize("text", ["", "{", "[1, 2]", "null", '{"format": "gcli.code"}', "NaN"])
def test_malformed_json(text: str) -> None:
    with pytest.raises(InputError):
        loads(text)


def test_write_atomic_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "code.json"
    code = SCHEMES["crc"](n=5, s=1)
    write_atomic(target, dumps(code))
    write_atomic(target, dumps(code))
    assert [p.name for p in tmp_path.iterdir()] == ["code.json"]
    assert load_code(target) == code
    with pytest.raises(InputError):
        write_atomic(tmp_path / "missing" / "x.json", "{}")


def test_code_model_validation() -> None:
    with pytest.raises(InputError, match="shape"):
        Code("x", "real", 3, 3, 1, 1, 0, 1, [[0], [1], [2]], np.eye(2))
    with pytest.raises(InputError, match="twice"):
        Code("x", "real", 2, 2, 0, 1, 0, 2, [[0, 0], [1]], np.eye(2))
    with pytest.raises(InputError, match="outside"):
        Code("x", "real", 2, 2, 0, 1, 0, 1, [[0], [5]], np.eye(2))
    with pytest.raises(InputError, match="non-finite"):
        Code("x", "real", 2, 2, 0, 1, 0, 1, [[0], [1]], np.array([[np.nan, 0], [0, 1]]))
    code = Code("x", "real", 2, 2, 0, 1, 0, 1, [[0], [1]], np.eye(2))
    with pytest.raises(ValueError):
        code.encoding[0, 0] = 5.0  # read-only
