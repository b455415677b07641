"""Sparse codes (issue 12): the compressed-row Code, its JSON form, and the fixed-decoder certificate at scale."""

from __future__ import annotations

import itertools
import json
import math
from fractions import Fraction

import numpy as np
import pytest
import scipy.sparse as sp
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import gcli.code as code_module
from gcli import constructions as C
from gcli.certification.certificate import certify
from gcli.certification.sparse import decoder_weight, fixed_decoder_pass, uses_fixed_decoder
from gcli.cli import cli
from gcli.code import Code, csr_encoding
from gcli.errors import InputError
from gcli.fields import REAL
from gcli.io.json import code_schema, code_to_dict, dumps, encoding_form, loads, writes_sparse


def random_sparse_code(rng: np.random.Generator, n: int, k: int, d: int) -> Code:
    rows = [sorted(rng.choice(k, d, replace=False).tolist()) for _ in range(n)]
    dense = np.zeros((n, k))
    for i, row in enumerate(rows):
        dense[i, row] = rng.normal(size=d)
    return Code(scheme="test", field=REAL, n=n, k=k, s=1, m=1, a=0, d=d, assignment=rows,
                encoding=sp.csr_matrix(dense), exact=False)


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 40), st.integers(2, 30), st.integers(0, 2**32 - 1))
def test_sparse_and_dense_codes_agree(n, k, seed):
    rng = np.random.default_rng(seed)
    d = int(rng.integers(1, k + 1))
    sparse = random_sparse_code(rng, n, k, d)
    dense = sparse.with_encoding(sparse.sparse_encoding.toarray())
    assert sparse.is_sparse and not dense.is_sparse
    assert sparse == dense and dense == sparse
    assert np.array_equal(sparse.encoding, dense.encoding)
    assert sparse.nnz == dense.nnz == int(np.count_nonzero(dense.encoding))
    gradients = rng.normal(size=(k, 3))
    assert np.allclose(sparse.encode(gradients), dense.encode(gradients))
    for form in (None, True, False):
        text = dumps(sparse, sparse=form)
        assert json.loads(text) == code_to_dict(sparse, sparse=form)
        again = loads(text)
        assert again == sparse and again.is_sparse == (writes_sparse(sparse, form))
        assert dumps(again, sparse=form) == text


def test_auto_writes_dense_rows_up_to_the_threshold(monkeypatch):
    """auto: dense rows while n·k·m ≤ dense_export_entries (10⁶), compressed rows beyond it when smaller."""
    dense_code, bibd = C.cyclic_repetition(n=6, s=2), C.bibd_code(13, 4, 1)
    for code in (dense_code, bibd, C.fractional_repetition(n=12, s=2)):
        assert not writes_sparse(code) and isinstance(code_to_dict(code)["encoding"], list)
    big = C.bibd_code(99, 3, 1)  # 1617 × 99 = 160,083 entries
    assert encoding_form(big) == "dense"
    monkeypatch.setenv("GCLI_DENSE_EXPORT_ENTRIES", str(big.n * big.k - 1))
    assert encoding_form(big) == "csr" and code_to_dict(big)["encoding"]["format"] == "csr"
    monkeypatch.setenv("GCLI_DENSE_EXPORT_ENTRIES", "13")
    assert writes_sparse(bibd) and 2 * bibd.nnz + bibd.n + 1 < bibd.n * bibd.k
    assert not writes_sparse(dense_code)  # beyond the threshold but CSR is not smaller: dense rows
    assert writes_sparse(dense_code, encoding="csr") and not writes_sparse(bibd, encoding="dense")
    with pytest.raises(InputError, match="unknown encoding form"):
        encoding_form(bibd, "coo")


def test_dense_rows_of_a_huge_sparse_code_are_refused(monkeypatch):
    code = C.bibd_code(13, 4, 1)
    code = code.with_encoding(code.sparse_encoding)
    monkeypatch.setattr(code_module, "MAX_DENSE_ENTRIES", 100)
    assert encoding_form(code) == "csr"  # auto never asks for the impossible
    with pytest.raises(InputError, match="--encoding csr, 52 non-zeros"):
        dumps(code, "dense")


def test_schema_validates_both_forms():
    import jsonschema

    validator = jsonschema.Draft202012Validator(code_schema())
    for code in (C.bibd_code(13, 4, 1), C.fractional_repetition(n=6, s=2)):
        for form in (True, False):
            assert not list(validator.iter_errors(code_to_dict(code, sparse=form)))
    bad = code_to_dict(C.bibd_code(13, 4, 1), sparse=True)
    bad["encoding"]["format"] = "coo"
    assert list(validator.iter_errors(bad))


def _csr_obj():
    return json.loads(dumps(C.bibd_code(13, 4, 1), sparse=True))


@pytest.mark.parametrize(("tamper", "message"), [
    (lambda e: e.__setitem__("indptr", e["indptr"][:-1]), "indptr"),
    (lambda e: e["indices"].__setitem__(0, 13), "column index"),
    (lambda e: e["indices"].__setitem__(0, 1.5), "not an integer"),
    (lambda e: e["data"].__setitem__(0, "x"), "not a number"),
    (lambda e: e.__setitem__("data", e["data"][:-1]), "entries"),
    (lambda e: e.__setitem__("shape", [13, 12]), "column index"),
    (lambda e: e.__setitem__("extra", 1), "Additional properties"),
    (lambda e: e["indices"].__setitem__(1, 5), "not assigned"),
])
def test_broken_csr_files_are_refused(tamper, message):
    obj = _csr_obj()
    tamper(obj["encoding"])
    with pytest.raises(InputError, match=message):
        loads(json.dumps(obj))


def test_sparse_validation():
    with pytest.raises(InputError, match="shape"):
        Code(scheme="t", field=REAL, n=2, k=2, s=0, m=1, a=0, d=1, assignment=[[0], [1]],
             encoding=sp.csr_matrix(np.eye(3)))
    with pytest.raises(InputError, match="non-finite"):
        Code(scheme="t", field=REAL, n=2, k=2, s=0, m=1, a=0, d=1, assignment=[[0], [1]],
             encoding=sp.csr_matrix(np.array([[np.inf, 0], [0, 1.0]])))
    with pytest.raises(InputError, match="worker 1 encodes partitions \\[0\\]"):
        Code(scheme="t", field=REAL, n=2, k=2, s=0, m=1, a=0, d=1, assignment=[[0], [1]],
             encoding=sp.csr_matrix(np.array([[1.0, 0], [1.0, 1.0]])))
    with pytest.raises(InputError, match="indptr"):
        csr_encoding((2, 2), [0, 2, 1], [0, 1], [1.0, 1.0])


def test_sparse_codes_over_a_finite_field():
    dense = C.cyclic_repetition(n=7, s=2, field="GF(7)")
    sparse = dense.with_encoding(sp.csr_matrix(np.asarray(dense.encoding.view(np.ndarray))))
    assert sparse.is_sparse and sparse == dense
    assert type(sparse.encoding) is type(dense.encoding)
    assert loads(dumps(sparse, sparse=True)) == dense
    with pytest.raises(InputError, match="integers in"):
        dense.with_encoding(sp.csr_matrix(np.full((7, 7), 9)))


def test_dense_encoding_has_a_memory_limit(monkeypatch):
    built = C.bibd_code(13, 4, 1)  # (its design-time labels used the dense matrix: start afresh from the rows)
    code = built.with_encoding(built.sparse_encoding)
    monkeypatch.setattr(code_module, "MAX_DENSE_ENTRIES", 100)
    with pytest.raises(InputError, match="sparse_encoding"):
        _ = code.encoding
    assert code.sparse_encoding.nnz == 52  # the compressed rows are always there


def test_memory_guard_counts_non_zeros():
    code = C.bibd_code(999, 3)  # 166,167 × 999 dense entries, 498,501 non-zeros
    assert code.is_sparse and code.nnz == 3 * 166_167 and code.n == 166_167
    with pytest.raises(InputError, match="non-zero entries"):
        C.bibd_code(307**2 + 307 + 1, 308)  # PG(2,307): b·k ≈ 2.9·10⁷ non-zeros


# ---------------------------------------------------------------------------------------------------------
# the fixed decoder
# ---------------------------------------------------------------------------------------------------------
def direct_error(code: Code, missing: tuple[int, ...], weight: float) -> float:
    """‖w·1_Fᵀ B_F − 1‖² from the dense matrix, the obvious way."""
    keep = [i for i in range(code.n) if i not in missing]
    b = np.asarray(code.encoding)[keep]
    return float(np.sum((weight * b.sum(axis=0) - 1.0) ** 2))


@pytest.mark.parametrize("build", [
    lambda: C.bibd_code(13, 4, 1, s=2), lambda: C.bibd_code(9, 3, 1, transpose=True, s=2),
    lambda: C.srg_code(params="10,3,0,1", s=2), lambda: C.srg_code(params="16,6,2,2", loops=True, s=1),
    lambda: C.graph_code("random-regular", 12, 3, s=2, seed=1), lambda: C.bibd_code(15, 3, 1, s=0),
])
def test_fixed_decoder_errors_against_the_dense_matrix(build):
    code = build()
    run = fixed_decoder_pass(code)
    _, weight = decoder_weight(code)
    assert run.exhaustive and run.checked == math.comb(code.n, code.s)
    for missing, error in zip(itertools.combinations(range(code.n), code.s), run.errors, strict=True):
        assert error == pytest.approx(direct_error(code, missing, weight), abs=1e-12)


def test_symmetric_designs_have_the_claimed_error_on_every_set():
    code = C.bibd_code(31, 6, 1, s=3)  # PG(2,5)
    run = fixed_decoder_pass(code)
    claimed = float(Fraction(code.construction["error_for_every_F"]))
    assert np.allclose(run.errors, claimed, rtol=1e-12)


def test_graph_codes_stay_below_the_expander_bound():
    code = C.srg_code(params="50,7,0,1", s=3)
    run = fixed_decoder_pass(code, sample=500, seed=3)
    assert run.checked == 500 and run.worst_error <= code.construction["error_bound"]["value"] + 1e-12


def test_sampling_is_seeded_and_bounds_failures():
    code = C.bibd_code(15, 3, 1, s=0)
    one = fixed_decoder_pass(code, stragglers=2, sample=50, seed=7)
    two = fixed_decoder_pass(code, stragglers=2, sample=50, seed=7)
    assert np.array_equal(one.missing, two.missing) and not one.exhaustive
    assert one.failures == 50  # the sum is exact only with every worker
    with pytest.raises(InputError, match="budget"):
        fixed_decoder_pass(code, stragglers=5, budget=100)


def test_certify_uses_the_fixed_decoder_for_large_codes():
    code = C.bibd_code(99, 3, 1, s=1)  # STS(99): 1617 × 99 = 160,083 entries
    assert uses_fixed_decoder(code) and not uses_fixed_decoder(C.bibd_code(13, 4, 1))
    cert = certify(code)
    assert cert.certified and cert.structure.certified and cert.stability is None
    assert cert.exhaustive and cert.patterns_checked == 1617
    block = cert.approximation
    assert block["sets"] == 1617 and block["worst_error"] == pytest.approx(direct_error(code, (0,), 1.0))
    exact = certify(C.bibd_code(99, 3, 1, s=0))
    assert exact.decodable and exact.certified and exact.approximation["decoded_by_fixed_decoder"] == 1


def test_a_tampered_large_code_fails(tmp_path):
    obj = json.loads(dumps(C.bibd_code(99, 3, 1, s=0), "csr"))
    obj["encoding"]["data"][5] = 0.5
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(obj))
    result = CliRunner().invoke(cli, ["verify", str(path)])
    assert result.exit_code == 1 and "FAILED" in result.output and "NOT DECODABLE" in result.output
