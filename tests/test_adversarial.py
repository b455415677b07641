"""Error-correcting decoding with a adversarial workers: corrupt them arbitrarily, recover the exact sum."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gcli
from gcli.constructions import mds, reed_solomon
from gcli.decoding.adversarial import decode_adversarial_report


def _scenario(code, rng, corrupt, ell_blocks=3, extra_stragglers=0):
    """Random gradients, a random received set of n − s workers, ``corrupt`` of them replaced by junk."""
    ell = code.m * ell_blocks
    if code.is_real:
        grads = rng.standard_normal((code.k, ell))
    else:
        grads = code.field(rng.integers(0, code.field.order, size=(code.k, ell)))
    sent = code.encode(grads)
    size = code.n - code.s + (0 if extra_stragglers == 0 else -extra_stragglers)
    received_set = sorted(rng.choice(code.n, size=size, replace=False).tolist())
    bad = sorted(rng.choice(received_set, size=corrupt, replace=False).tolist())
    received = {}
    for w in received_set:
        msg = np.asarray(sent[w]).copy()
        if w in bad:
            if code.is_real:
                msg = msg + rng.standard_normal(msg.shape) * 10.0 ** rng.integers(-3, 4)
            else:
                delta = rng.integers(1, code.field.order, size=msg.shape)  # non-zero in every coordinate
                msg = np.asarray(code.field(msg) + code.field(delta))
        received[w] = msg
    return grads.sum(axis=0), received, bad


@settings(max_examples=12)
@given(
    field=st.sampled_from(["GF(13)", "GF(2^8)"]),
    n=st.integers(5, 10),
    data=st.data(),
)
def test_reed_solomon_gf_both_methods(field, n, data):
    a = data.draw(st.integers(1, (n - 1) // 2))
    m = data.draw(st.integers(1, n - 2 * a))
    s = data.draw(st.integers(0, n - 2 * a - m))
    code = reed_solomon(n, s, m=m, a=a, field=field)
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    corrupt = data.draw(st.integers(0, a))
    truth, received, bad = _scenario(code, rng, corrupt, ell_blocks=2)
    bw = decode_adversarial_report(code, received, method="berlekamp-welch")
    assert np.array_equal(bw.total, truth)
    assert list(bw.suspects) == bad  # every coordinate corrupted, so every liar is exposed
    assert np.array_equal(gcli.decode_adversarial(code, received), truth)  # auto = berlekamp-welch
    if a <= 2:
        sub = decode_adversarial_report(code, received, method="subsets")
        assert np.array_equal(sub.total, truth)
        assert list(sub.suspects) == bad


@pytest.mark.parametrize("points", ["chebyshev", "equispaced"])
@pytest.mark.parametrize(("n", "s", "m", "a"), [(8, 1, 2, 1), (9, 0, 3, 2), (10, 2, 2, 1)])
def test_reed_solomon_real_subsets(n, s, m, a, points):
    code = reed_solomon(n, s, m=m, a=a, points=points)
    rng = np.random.default_rng(n * 10 + a)
    for _ in range(3):
        truth, received, bad = _scenario(code, rng, a)
        result = decode_adversarial_report(code, received)
        assert result.method == "subsets"
        assert np.linalg.norm(result.total - truth) <= 1e-6 * np.linalg.norm(truth)
        assert set(result.suspects) <= set(bad)


@pytest.mark.parametrize(("field", "family"), [("real", "gaussian"), ("GF(2^4)", "reed-solomon"),
                                               ("GF(11)", "reed-solomon")])
def test_mds_with_adversary(field, family):
    code = mds(10, d=5, m=2, a=1, field=field, code=family, seed=2)
    assert code.s == 1  # δ = 4: s = δ − 1 − 2a
    rng = np.random.default_rng(7)
    truth, received, _ = _scenario(code, rng, 1)
    total = gcli.decode_adversarial(code, received)
    if code.is_real:
        assert np.allclose(total, truth, atol=1e-8)
    else:
        assert np.array_equal(total, truth)


@pytest.mark.parametrize("a", [0, 1])
def test_without_corruption_no_suspects(a):
    code = reed_solomon(7, 1, m=2, a=a, field="GF(11)")
    truth, received, _ = _scenario(code, np.random.default_rng(0), 0)
    for method in ("berlekamp-welch", "subsets"):
        result = decode_adversarial_report(code, received, method=method)
        assert np.array_equal(result.total, truth) and result.suspects == ()


def test_plain_decoding_refuses_but_adversarial_corrects():
    """The erasure decoder on a corrupted responder would return a wrong sum (the negative control, check=False);
    with its surplus check it refuses, and the adversarial decoder corrects."""
    code = reed_solomon(8, 1, m=2, a=1, field="GF(13)")
    rng = np.random.default_rng(3)
    truth, received, _ = _scenario(code, rng, 1)
    workers = sorted(received)
    naive = gcli.decode(code, workers, np.stack([received[w] for w in workers]), check=False)
    assert not np.array_equal(naive, truth)
    with pytest.raises(gcli.InconsistentMessages, match=r"cannot decode: [1-9][0-9]* inconsistent messages"):
        gcli.decode(code, workers, np.stack([received[w] for w in workers]))
    assert np.array_equal(gcli.decode_adversarial(code, received), truth)


def test_too_few_messages_and_bad_method():
    code = reed_solomon(8, 1, m=2, a=1, field="GF(13)")
    _, received, _ = _scenario(code, np.random.default_rng(1), 0)
    fewer = dict(list(received.items())[:-1])
    with pytest.raises(gcli.InputError, match="at least"):
        gcli.decode_adversarial(code, fewer)
    with pytest.raises(gcli.InputError):
        gcli.decode_adversarial(code, received, method="magic")  # type: ignore[arg-type]
    real = reed_solomon(8, 1, m=2, a=1)
    _, received_real, _ = _scenario(real, np.random.default_rng(1), 0)
    with pytest.raises(gcli.InputError, match="berlekamp-welch"):
        gcli.decode_adversarial(real, received_real, method="berlekamp-welch")


def test_more_corruptions_than_designed_is_detected_or_wrong():
    """With a + 1 liars the guarantee is void: Berlekamp–Welch either refuses or its answer is not trusted."""
    code = reed_solomon(8, 1, m=1, a=1, field="GF(13)")
    rng = np.random.default_rng(11)
    truth, received, _ = _scenario(code, rng, 2)
    try:
        total = gcli.decode_adversarial(code, received)
    except gcli.InputError:
        return
    assert not np.array_equal(total, truth)


def test_components():
    from gcli.decoding.adversarial import _components

    assert len(_components(reed_solomon(8, 2, m=2))) == 1
    comps = _components(mds(12, d=4, m=2))
    assert [members for members, _ in comps] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]
    assert sorted(c for _, cols in comps for c in cols) == list(range(24))


@pytest.mark.parametrize("field", ["real", "GF(13)"])
def test_mds_two_adversaries_across_groups(field):
    family = "gaussian" if field == "real" else "reed-solomon"
    code = mds(21, d=7, m=2, a=2, field=field, code=family, seed=5)  # δ = 6: s = 1
    assert code.s == 1
    rng = np.random.default_rng(21)
    for _ in range(3):
        truth, received, bad = _scenario(code, rng, 2)
        result = decode_adversarial_report(code, received)
        if code.is_real:
            assert np.allclose(result.total, truth, atol=1e-8)
        else:
            assert np.array_equal(result.total, truth)
        assert list(result.suspects) == bad


def test_cyclic_gaussian_with_adversaries():
    code = mds(10, d=7, m=2, a=2, placement="cyclic", seed=3)  # s = 1
    rng = np.random.default_rng(5)
    truth, received, bad = _scenario(code, rng, 2)
    result = decode_adversarial_report(code, received)
    assert np.allclose(result.total, truth, atol=1e-8)
    assert list(result.suspects) == bad


def test_berlekamp_welch_fallback_and_partial_corruption(monkeypatch):
    """A liar that corrupts a single coordinate; and the coordinate-by-coordinate path on its own."""
    import gcli.decoding.adversarial as adv

    code = reed_solomon(9, 1, m=2, a=2, field="GF(2^8)")
    rng = np.random.default_rng(4)
    truth, received, _ = _scenario(code, rng, 0, ell_blocks=4)
    workers = sorted(received)
    received[workers[3]] = received[workers[3]].copy()
    received[workers[3]][2] ^= 7  # one symbol of one worker
    received[workers[5]] = np.zeros_like(received[workers[5]])
    fast = decode_adversarial_report(code, received)
    assert np.array_equal(fast.total, truth)
    assert set(fast.suspects) <= {workers[3], workers[5]}
    import functools

    from gcli.decoding.polynomial import decode_word

    monkeypatch.setattr(adv, "decode_word", functools.partial(decode_word, fast=False))
    slow = decode_adversarial_report(code, received)
    assert np.array_equal(slow.total, truth)
    assert set(slow.suspects) <= {workers[3], workers[5]}
