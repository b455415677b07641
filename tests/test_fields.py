from __future__ import annotations

import itertools
from typing import Any

import galois
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gcli import REAL, InputError, as_field, field_name
from gcli.certification.engine import _tables, field_spec
from gcli.certification.verification import verify
from gcli.code import Code
from gcli.fields import FieldInfo, _gfpoly, field_from_json, field_info_from_json, field_to_json
from gcli.fields.arithmetic import arithmetic, field_ops


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
    # sympy's GF(9) is Z/9Z (sympy 1.14); ours must be the field: 3 is invertible.
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


# ---------------------------------------------------------------------------------------------------------
# GF(p^e) without galois (FieldInfo, gcli.fields._gfpoly, the engine's exp/log tables), held to galois
# ---------------------------------------------------------------------------------------------------------
# GF(2^e), GF(3^e), GF(p^e) for odd p > 3, and one field on a polynomial that is not the Conway one
_fields = st.sampled_from(["GF(2^2)", "GF(2^3)", "GF(2^8)", "GF(2^10)", "GF(3^2)", "GF(3^5)", "GF(5^3)", "GF(7^2)",
                           "GF(13^2)", "x^8 + x^4 + x^3 + x + 1"])


def _pair(name: str) -> tuple[type[galois.FieldArray], FieldInfo]:
    """The galois class and the FieldInfo read back from its JSON (``name`` = a polynomial: AES' GF(2^8))."""
    field = galois.GF(2**8, irreducible_poly=name) if name.startswith("x") else as_field(name)
    info = field_info_from_json(field_to_json(field))
    assert isinstance(info, FieldInfo)
    return field, info


@given(_fields, st.data())
def test_field_info_arithmetic_matches_galois(name: str, data: st.DataObject) -> None:
    field, info = _pair(name)
    p, e, poly, q = info.characteristic, info.degree, info.irreducible_poly, info.order
    assert info.primitive_element == int(field.primitive_element)
    a, b = (data.draw(st.integers(0, q - 1)) for _ in range(2))
    c = data.draw(st.integers(1, q - 1))
    exp, log = _tables(field_spec(info))  # what the compiled kernels multiply with
    assert int(field(a) + field(b)) == _gfpoly.value(
        [(x + y) % p for x, y in zip(_gfpoly.digits(a, p, e), _gfpoly.digits(b, p, e), strict=True)], p)
    product = int(field(a) * field(b))
    assert _gfpoly.mul(a, b, p, e, poly) == product
    assert (0 if 0 in (a, b) else int(exp[log[a] + log[b]])) == product
    assert _gfpoly.inverse(c, p, e, poly) == int(field(c) ** -1) == int(exp[(q - 1 - log[c]) % (q - 1)])


# the one finite-field layer (gcli.fields.arithmetic) on arrays: GF(p), GF(2^e), GF(3^e), GF(p^e)
_layer_fields = st.sampled_from(["GF(2)", "GF(7)", "GF(65537)", "GF(2^31 - 1)", "GF(2^2)", "GF(2^8)", "GF(2^10)",
                                 "GF(3^2)", "GF(3^5)", "GF(5^3)", "GF(7^2)", "GF(13^2)", "x^8 + x^4 + x^3 + x + 1"])


def _galois_matmul(x: Any, y: Any) -> Any:
    """x @ y by galois' elementwise product and sum (its matmul kernel compiles per field, ~1.5 s each)."""
    return (x[:, :, None] * y[None, :, :]).sum(axis=1)


@given(_layer_fields, st.data())
def test_field_arithmetic_layer_matches_galois(name: str, data: st.DataObject) -> None:
    if name == "GF(2^31 - 1)":
        name = f"GF({2**31 - 1})"
    field = galois.GF(2**8, irreducible_poly=name) if name.startswith("x") else as_field(name)
    q = int(field.order)
    ops = arithmetic(field)
    assert ops is arithmetic(field_info_from_json(field_to_json(field)))  # same numbers, same arithmetic
    size = data.draw(st.integers(1, 12))
    a, b = (np.array(data.draw(st.lists(st.integers(0, q - 1), min_size=size, max_size=size))) for _ in range(2))
    c = np.array(data.draw(st.lists(st.integers(1, q - 1), min_size=size, max_size=size)))
    k = data.draw(st.integers(0, 3 * q))
    fa, fb, fc = field(a), field(b), field(c)
    rows, cols = np.stack([a, b]), np.stack([b, c]).T
    for mine, theirs in [(ops.add(a, b), fa + fb), (ops.sub(a, b), fa - fb), (ops.neg(a), -fa),
                         (ops.mul(a, b), fa * fb), (ops.inv(c), fc**-1), (ops.power(a, k), fa**k),
                         (ops.sum(np.stack([a, b, c]), axis=0), field(np.stack([a, b, c])).sum(axis=0)),
                         (ops.matmul(rows, cols), _galois_matmul(field(rows), field(cols)))]:
        assert mine.dtype == np.int64
        assert mine.tolist() == theirs.view(np.ndarray).astype(np.int64).tolist()
    if q <= 1 << 12:  # the exp/log tables against galois' own, entry by entry
        alpha = field.primitive_element
        exp, log = ops.tables
        assert exp[: q - 1].tolist() == (alpha ** np.arange(q - 1)).view(np.ndarray).tolist()
        assert log[1:].tolist() == np.log(field(np.arange(1, q))).tolist()
        assert field_ops(field_info_from_json(field_to_json(field))) is ops


@given(st.sampled_from([(2, 1), (2, 4), (2, 6), (3, 1), (3, 3), (5, 2), (7, 2), (11, 1)]))
def test_primitive_polynomial_matches_galois(pe: tuple[int, int]) -> None:
    p, e = pe
    poly = _gfpoly.primitive_polynomial(p, e)
    f = galois.Poly.Int(poly, field=galois.GF(p))
    assert f.is_primitive()
    smaller = [g for g in range(p**e + 1, poly) if galois.Poly.Int(g, field=galois.GF(p)).is_primitive()]
    assert not smaller  # the smallest one


@given(st.sampled_from([(2, 2), (2, 5), (2, 8), (3, 3), (5, 2), (7, 3)]), st.data())
def test_rabin_irreducibility_matches_galois(pe: tuple[int, int], data: st.DataObject) -> None:
    p, e = pe
    poly = data.draw(st.integers(p**e, 2 * p**e - 1))  # every monic polynomial of degree e
    assert _gfpoly.is_irreducible(poly, p, e) == galois.Poly.Int(poly, field=galois.GF(p)).is_irreducible()


@pytest.mark.parametrize("p", [2, 3, 7, 257, 65537, 2**31 - 1])
def test_prime_field_info_matches_galois(p: int) -> None:
    field = as_field(f"GF({p})")
    info = field_info_from_json(field_to_json(field))
    assert info == FieldInfo(p, p, 1, int(field.irreducible_poly))
    assert info.galois() is field


@given(_fields, st.data())
def test_kernel_decodability_over_field_info_matches_galois_rank(name: str, data: st.DataObject) -> None:
    """The engine (exp/log tables from FieldInfo) against galois' rank: T = 1 ∈ rowspan(B_F) ⇔
    rank [B_F; 1] = rank B_F, for every surviving set F of a random n × k matrix with zeros."""
    field, info = _pair(name)
    n, k = data.draw(st.integers(2, 6)), data.draw(st.integers(1, 4))
    s = data.draw(st.integers(0, n - 1))
    entries = data.draw(st.lists(st.integers(0, info.order - 1) | st.just(0), min_size=n * k, max_size=n * k))
    enc = np.array(entries, dtype=np.int64).reshape(n, k)
    assignment = [tuple(np.flatnonzero(row).tolist()) for row in enc]
    load = max(len(row) for row in assignment)
    lazy = Code("random", info, n=n, k=k, s=s, m=1, a=0, d=load, assignment=assignment, encoding=enc)
    report = verify(lazy, all_failures=True)
    ones = field(np.ones((1, k), dtype=np.int64))
    rank = np.linalg.matrix_rank
    failures = sum(rank(np.vstack([field(enc[list(rows)]), ones])) != rank(field(enc[list(rows)]))
                   for rows in itertools.combinations(range(n), n - s))
    assert report.failures_found == failures
    assert report.decodable == (failures == 0)


def test_code_over_field_info_builds_galois_only_on_demand() -> None:
    info = field_info_from_json({"kind": "gf", "order": 256, "characteristic": 2, "degree": 8,
                                 "irreducible_poly": 285})
    enc = np.array([[1, 2], [3, 0]], dtype=np.int64)
    code = Code("c", info, n=2, k=2, s=0, m=1, a=0, d=2, assignment=[(0, 1), (0,)], encoding=enc)
    assert "field" not in code.__dict__ and "encoding" not in code.__dict__
    assert code.field_name == "GF(2^8)" and not code.is_real and code.nnz == 3
    assert code.integer_encoding().tolist() == enc.tolist()
    built = Code("c", as_field("GF(2^8)"), n=2, k=2, s=0, m=1, a=0, d=2, assignment=[(0, 1), (0,)], encoding=enc)
    assert code == built and code.with_encoding(enc) == built
    assert code.field is as_field("GF(2^8)")
    assert type(code.encoding) is code.field and np.array_equal(code.encoding, built.encoding)


@pytest.mark.parametrize(("obj", "message"), [
    ({"order": 8, "characteristic": 2, "degree": 3, "irreducible_poly": 9}, "not an irreducible"),  # (x+1)(x²+x+1)
    ({"order": 8, "characteristic": 2, "degree": 3, "irreducible_poly": 4}, "not an irreducible"),  # degree 2
    ({"order": 7, "characteristic": 7, "degree": 1, "irreducible_poly": 8}, "does not match"),  # x + 1: 6 is no root
    ({"order": 8, "characteristic": 2, "degree": 2, "irreducible_poly": 11}, "≠"),
])
def test_field_info_from_json_refuses_what_field_from_json_refuses(obj: dict, message: str) -> None:
    for read in (field_info_from_json, field_from_json):
        with pytest.raises(InputError, match=message):
            read({"kind": "gf", **obj})
