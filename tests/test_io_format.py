"""gcli.io.json.dumps writes exactly the text of the straightforward formatter (code_to_dict, one row per line), for
every scheme and field and for the awkward values: signed zeros, tiny and many distinct floats, numpy scalars."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from gcli import constructions as C
from gcli.io.json import code_to_dict, dumps, loads


def reference(code) -> str:
    """The canonical format, written the slow and obvious way (the definition dumps must match)."""
    obj = code_to_dict(code)
    lines = ["{"]
    items = list(obj.items())
    for idx, (key, value) in enumerate(items):
        comma = "," if idx < len(items) - 1 else ""
        if isinstance(value, list) and value and all(isinstance(row, list) for row in value):
            inner = ",\n".join("    " + json.dumps(row, allow_nan=False) for row in value)
            lines.append(f"  {json.dumps(key)}: [\n{inner}\n  ]{comma}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, allow_nan=False)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


CODES: dict[str, Any] = {
    "frc-real": lambda: C.fractional_repetition(n=6, s=2),
    "crc-gf7": lambda: C.cyclic_repetition(n=6, s=2, field="GF(7)"),
    "rs-gf2^8": lambda: C.reed_solomon(n=6, s=2, m=2, field="GF(2^8)"),
    "mds-real": lambda: C.mds(n=6, s=1),
    "bibd": lambda: C.bibd_code(13, 4, 1, s=2),
    "bibd-transposed": lambda: C.bibd_code(9, 3, 1, transpose=True),
    "srg": lambda: C.srg_code(params="101,50,24,25"),
    "srg-loops": lambda: C.srg_code(params="16,6,2,2", loops=True),
    "graph-margulis": lambda: C.graph_code("margulis", 25),
    "graph-bipartite": lambda: C.graph_code("bipartite-regular", 12, 3, seed=4),
}


@pytest.mark.parametrize("name", sorted(CODES))
def test_dumps_is_the_reference_format(name):
    code = CODES[name]()
    text = dumps(code)
    assert text == reference(code)
    assert dumps(loads(text)) == text


def test_awkward_values():
    code = C.cyclic_repetition(n=7, s=3, seed=1)
    rng = np.random.default_rng(0)
    b = np.array(code.encoding)
    for encoding in (b * rng.uniform(1e-300, 1e-290, size=b.shape), -b, np.where(b != 0, b, 0.0) * 3.7,
                     np.round(b, 1)):
        tampered = code.with_encoding(encoding)
        assert dumps(tampered) == reference(tampered)
    signed = np.array(C.fractional_repetition(n=4, s=1).encoding)
    signed[signed == 0] = -0.0
    with_zeros = C.fractional_repetition(n=4, s=1).with_encoding(signed)
    assert "-0.0" in dumps(with_zeros) and dumps(with_zeros) == reference(with_zeros)


def test_numpy_values_in_blocks():
    code = C.fractional_repetition(n=4, s=1)
    odd = code.__class__(**{**{f: getattr(code, f) for f in ("scheme", "field", "n", "k", "s", "m", "a", "d",
                                                              "assignment", "encoding", "exact")},
                            "construction": {"x": np.int64(3), "y": np.float32(0.1), "z": np.bool_(True),
                                             "w": np.arange(3), "t": (1, 2), 4: "int key"},
                            "extras": {"graph": {"kind": "regular", "v": np.int32(4), "edges": np.zeros((2, 2))}}})
    assert dumps(odd) == reference(odd)
