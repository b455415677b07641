from __future__ import annotations

import galois
import pytest

from gcli import REAL, InputError, as_field, field_name
from gcli.fields import field_from_json, field_to_json


@pytest.mark.parametrize(
    ("text", "order", "name"),
    [("GF(7)", 7, "GF(7)"), ("gf(2^8)", 256, "GF(2^8)"), ("GF(2**3)", 8, "GF(2^3)"), ("GF(9)", 9, "GF(3^2)"),
     ("GF(65537)", 65537, "GF(65537)")],
)
def test_parse_finite_fields(text: str, order: int, name: str) -> None:
    field = as_field(text)
    assert field.order == order
    assert field_name(field) == name
    assert field_from_json(field_to_json(field)) is field


def test_gf9_is_the_field_of_order_nine_not_z9() -> None:
    # sympy's GF(9) is Z/9Z (literature §6.4); ours must be the field: 3 is invertible.
    field = as_field("GF(9)")
    three = field(3)
    assert three * three ** -1 == field(1)


def test_real() -> None:
    assert as_field("real") is REAL
    assert field_from_json({"kind": "real"}) is REAL
    assert field_name(REAL) == "real"


@pytest.mark.parametrize("text", ["GF(6)", "GF(1)", "GF(4^2)", "Q", "GF(x)", "GF(0)"])
def test_bad_fields(text: str) -> None:
    with pytest.raises(InputError):
        as_field(text)


def test_field_json_rejects_inconsistent_and_wrong_polynomial() -> None:
    with pytest.raises(InputError):
        field_from_json({"kind": "gf", "order": 8, "characteristic": 2, "degree": 2, "irreducible_poly": 11})
    with pytest.raises(InputError):  # x^3 + 1 = (x+1)(x^2+x+1) is reducible
        field_from_json({"kind": "gf", "order": 8, "characteristic": 2, "degree": 3, "irreducible_poly": 9})
    alt = galois.GF(2**3, irreducible_poly="x^3 + x^2 + 1")
    back = field_from_json(field_to_json(alt))
    assert int(back.irreducible_poly) == int(alt.irreducible_poly)
