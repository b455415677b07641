"""The fast paths of structured designs (issue 21 item 5): the exactness screen by the decoder space, checked
against the approximation engine on random codes, the shipped GF(p^e) polynomials against galois, and the written
files against main's bytes (before the fast paths) for small designs and graphs."""

from __future__ import annotations

import hashlib
import itertools
import subprocess
import sys

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import gcli
from gcli import Code
from gcli.certification import approx_expectation
from gcli.certification.approx_expectation import _decoder_space, _every_set_decodes, exact_straggler_counts
from gcli.cli import cli
from gcli.fields._conway import CONWAY, CONWAY_LIMIT
from gcli.fields.numbertheory import prime_power


def _code(encoding: np.ndarray, m: int) -> Code:
    n, km = encoding.shape
    k = km // m
    held = np.zeros((n, k), dtype=bool)
    for j in range(k):
        held[:, j] = np.any(encoding[:, j * m:(j + 1) * m] != 0, axis=1)
    return Code(scheme="test", field=gcli.REAL, n=n, k=k, s=1, m=m, a=0, d=int(held.sum(axis=1).max()),
                assignment=[np.flatnonzero(row).tolist() for row in held], encoding=encoding, exact=False,
                construction={})


def _exact_by_lstsq(code: Code, s: int) -> bool:
    """Naive oracle: least squares on every set of n − s responders, relative residual ≤ 1e-8."""
    b, t = np.asarray(code.encoding, dtype=float), np.asarray(code.target, dtype=float)
    for removed in itertools.combinations(range(code.n), s):
        rows = b[[i for i in range(code.n) if i not in removed]]
        x = np.linalg.lstsq(rows.T, t.T, rcond=None)[0]
        if np.linalg.norm(x.T @ rows - t) > 1e-8 * np.linalg.norm(t):
            return False
    return True


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 9), k=st.integers(1, 5), m=st.integers(1, 2),
       duplicate=st.booleans(), integer=st.booleans())
def test_screen_only_proves_exact_sets(seed, n, k, m, duplicate, integer):
    """Whenever the screen says every set of n − s responders decodes, the naive least-squares oracle agrees; and
    exact_straggler_counts with the screen equals it with the engine alone. Repeated rows (duplicate workers) and
    small-integer entries make the rank-deficient N[S] of structured codes common."""
    rng = np.random.default_rng(seed)
    enc = (rng.integers(-1, 2, size=(n, k * m)) if integer else rng.standard_normal((n, k * m))).astype(float)
    enc[rng.random((n, k * m)) < 0.4] = 0.0
    if duplicate and n >= 2:
        enc[rng.integers(n)] = enc[rng.integers(n)]
    code = _code(enc, m)
    space = _decoder_space(code)
    for s in range(n):
        if _every_set_decodes(space, s, 1e-8):
            assert _exact_by_lstsq(code, s), (s, enc)
    found = exact_straggler_counts(code)
    original = approx_expectation._every_set_decodes
    try:
        approx_expectation._every_set_decodes = lambda *args: False  # the engine alone (main's path)
        plain = exact_straggler_counts(code)
    finally:
        approx_expectation._every_set_decodes = original
    assert found == plain


def test_screen_decides_affine_planes_without_the_engine(monkeypatch):
    """AG(2, 5) (a parallel class survives up to 5 stragglers): every count up to the budget is proven by the screen;
    the engine is never called (spy), and a code whose sets fail (srg, B invertible) still reaches the engine."""
    from gcli.constructions import bibd_code, srg_code

    plane, graph = bibd_code(25, 5, 1), srg_code(16, 5, 0, 2)
    calls = []
    real = approx_expectation.run_pass
    monkeypatch.setattr(approx_expectation, "run_pass",
                        lambda *a, **kw: calls.append(kw["stragglers"]) or real(*a, **kw))
    found = exact_straggler_counts(plane, budget=3000)
    assert found.counts == [0, 1, 2] and found.undecided_from == 3 and calls == []
    found = exact_straggler_counts(graph)
    assert found.counts == [0] and calls == [1]


def test_shipped_polynomials_are_galois_fields():
    """Every prime power p^e ≤ 4096, e ≥ 2, is in the table, with the polynomial of gcli.fields.gf (galois)."""
    from gcli.fields import gf

    wanted = [q for q in range(4, CONWAY_LIMIT + 1) if (found := prime_power(q)) and found[1] > 1]
    assert sorted(CONWAY) == wanted
    for q in wanted:
        assert CONWAY[q] == int(gf(q).irreducible_poly), q


def test_extension_field_designs_import_no_galois():
    """AG(2, 16), PG(2, 16) (Singer, trace in GF(4096)) and srg(243, 22, 1, 2) are built without importing galois."""
    script = ("import sys\nfrom gcli.constructions import bibd, srg\n"
              "bibd(256, 16, 1); bibd(273, 17, 1); srg(243, 22, 1, 2)\nprint('galois' in sys.modules)")
    out = subprocess.run([sys.executable, "-P", "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# sha256 of `gcli design …` written by main at b2476aa, before the fast paths
MAIN_FILES = {
    "bibd -v 9 --block-size 3": "73256208c922405f550d2a0ba5a2736c224992a13cd606f8843fc8366cecf482",
    "bibd -v 21 --block-size 5": "cb3feb948ce64b49c93711d36cc897a837f5f86c077685d981996d81cb692912",
    "bibd -v 64 --block-size 8": "d70841bd9b617aa3581b3a7e165c288bedf6ad235d4c22feee6e2945ab850ea3",
    "bibd -v 13 --block-size 4 --transpose": "626d7e3085e47f6fa960671d1c348302c7c8478f0054a1ab8d6f34cd8fb6d01c",
    "srg --params 16,5,0,2": "2ddc777babd544345ce86c64426b4e39ada3e016f5944b9751e6d8fb64408859",
    "srg --params 81,20,1,6": "081e2129ffa66b584d60effdc55b56b3b6d113e499cefb79c9b328192ab33841",
    "bibd -v 73 --block-size 9": "cb3e5ccb2fd3e60b90049a3155ffbf15a71886be01962870e9861b6c16565a4e",
    "bibd -v 16 --block-size 4 -m 2": "c4bac6985de5e9d08bea02e716d24942e59c50ca104d8d33d4a754e6d048b611",
}


@pytest.mark.parametrize("command", sorted(MAIN_FILES))
def test_files_are_main_bytes(tmp_path, command):
    """Same command, same bytes as before the fast paths (AG(2, 8) and PG(2, 4) over extension fields, exact_for
    of affine planes decided by the screen, an srg over GF(3^4), a nullspace code); and gcli verify accepts it."""
    path = tmp_path / "code.json"
    runner = CliRunner()
    result = runner.invoke(cli, ["design", *command.split(), "-o", str(path)])
    assert result.exit_code == 0, result.output
    assert hashlib.sha256(path.read_bytes()).hexdigest() == MAIN_FILES[command]


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 9), k=st.integers(1, 8), m=st.integers(1, 3),
       duplicate=st.booleans())
def test_decoder_space_equals_the_full_svds(seed, n, k, m, duplicate):
    """_decoder_space takes V only to the rank when B is wide (n ≤ k·m): X₀, the left null space (as a projector)
    and the norms equal those of numpy's full SVD, for wide and tall B, rank-deficient ones included."""
    rng = np.random.default_rng(seed)
    enc = rng.standard_normal((n, k * m))
    enc[rng.random(enc.shape) < 0.3] = 0.0
    if duplicate and n >= 2:
        enc[rng.integers(n)] = enc[rng.integers(n)]
    code = _code(enc, m)
    space = _decoder_space(code)
    if not np.any(enc):
        assert space is None
        return
    assert space is not None
    _, x0, null, e0, e1, limit = space
    t = np.asarray(code.target, dtype=float)
    u, sv, vt = np.linalg.svd(enc, full_matrices=True)
    rank = int(np.sum(sv > sv[0] * max(enc.shape) * np.finfo(np.float64).eps))
    want_x0 = ((t @ vt[:rank].T) / sv[:rank]) @ u[:, :rank].T
    want_null = u[:, rank:]
    assert null.shape == want_null.shape
    np.testing.assert_allclose(x0, want_x0, atol=1e-9 * max(1.0, float(np.abs(want_x0).max())))
    np.testing.assert_allclose(null @ null.T, want_null @ want_null.T, atol=1e-9)
    assert e0 == pytest.approx(float(np.linalg.norm(want_x0 @ enc - t)), abs=1e-9)
    assert e1 == pytest.approx(float(np.linalg.norm(want_null.T @ enc)), abs=1e-9)
    assert limit == pytest.approx(1e-2 * float(np.linalg.norm(t)))
