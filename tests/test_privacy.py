"""Private hierarchical codes (issue 23 items 1, 2, 3, 5): the masked construction, the privacy certificate, the
leakage of every observer, and the private-relay bound.

The full grid (K ≤ 6, N ≤ 8, s_r, s_w ≤ 2, GF(11) and GF(65537)) is ``benchmarks/privacy_bench.py``; here a small
grid, an independent enumeration of a relay's view, tampering, adversaries and collusion.
"""

from __future__ import annotations

import collections
import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from oracles import rank_mod_p

from gcli.certification.hierarchical import privacy_report, verify_hierarchical
from gcli.certification.privacy import leakage
from gcli.cli import cli as app
from gcli.constructions import hierarchical
from gcli.errors import ImpossibleParameters, NotSupported
from gcli.fields import gf
from gcli.hierarchical.codes import dumps_hcode, loads_hcode, worker_messages


def run(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


GRID = [  # (K, N, s_r, s_w, m_1, m_2)
    (3, 3, 0, 1, 1, 1),
    (3, 4, 1, 1, 1, 2),
    (4, 3, 1, 0, 2, 1),
    (4, 5, 0, 2, 2, 1),
    (2, 2, 0, 0, 1, 1),
]


@pytest.mark.parametrize("field", ["GF(11)", "GF(65537)"])
@pytest.mark.parametrize(("k", "n", "s_r", "s_w", "m_1", "m_2"), GRID)
def test_private_designs_verify_private_decodable_and_keep_the_loads(field: str, k: int, n: int, s_r: int, s_w: int,
                                                                     m_1: int, m_2: int) -> None:
    code = hierarchical(k, n, s_r=s_r, s_w=s_w, m_1=m_1, m_2=m_2, field=field, private=True)
    plain = hierarchical(k, n, s_r=s_r, s_w=s_w, m_1=m_1, m_2=m_2, field=field)
    report = verify_hierarchical(code)
    assert report.certified and report.privacy is not None
    assert report.privacy.private and report.privacy.decodable and not report.privacy.failures
    assert all(r.dimension == 0 for r in report.privacy.relays)
    plain_report = verify_hierarchical(plain)
    assert report.loads == plain_report.loads  # C1, C2 and their bounds: privacy costs nothing here
    assert (code.m_1, code.m_2, code.placement) == (plain.m_1, plain.m_2, plain.placement)
    # the layers are those of the non-private code: only the masks are added
    assert np.array_equal(code.relay_encoding, plain.relay_encoding)
    assert loads_hcode(dumps_hcode(code)) == code


def _view_distribution(code, cluster: int, g: np.ndarray) -> collections.Counter:
    """The relay's view (its cluster's messages) for every value of the random symbols, counted."""
    fld = code.field
    every_z = np.array(list(itertools.product(range(fld.order), repeat=code.random_symbols)), dtype=np.int64)
    draws = every_z.shape[0]  # one coordinate of the gradient per value of z: ℓ = q^Z, g the same in each
    sent = worker_messages(code, cluster, np.repeat(np.asarray(g), draws, axis=1),
                           fld(every_z.T.reshape(code.random_symbols, draws)) if code.random_symbols else None)
    return collections.Counter(tuple(column) for column in np.asarray(sent).T.tolist())


@pytest.mark.parametrize("field", ["GF(3)", "GF(5)"])
def test_relay_view_distribution_is_the_same_for_every_gradient(field: str) -> None:
    """Independent of the rank certificate: enumerate every value of z and compare the relay's view
    distributions for different gradients (ℓ = 1: one symbol per partition)."""
    code = hierarchical(3, 3, s_w=1, field=field, private=True)
    fld = code.field
    rng = np.random.default_rng(0)
    grads = [fld.Zeros((code.partitions, 1))] + [
        fld(rng.integers(0, fld.order, size=(code.partitions, 1))) for _ in range(3)]
    for cluster in range(code.relays):
        reference = _view_distribution(code, cluster, grads[0])
        # uniform over the layer's words: evaluations of every polynomial of degree < N − s_w − 2a_w
        assert len(reference) == fld.order ** code.inner[cluster].responders
        assert len(set(reference.values())) == 1
        for g in grads[1:]:
            assert _view_distribution(code, cluster, g) == reference
    # the same enumeration tells gradients apart once the masks are gone (the test can fail)
    bare = loads_hcode(_without_randomness(dumps_hcode(code)))
    assert _view_distribution(bare, 0, grads[0]) != _view_distribution(bare, 0, grads[1])


def _without_randomness(text: str) -> str:
    obj = json.loads(text)
    obj.pop("randomness")
    return json.dumps(obj)


def test_leakage_against_an_independent_rank() -> None:
    """leakage = rank([G H]) − rank(H), computed here with the oracle's Gauss–Jordan on Python integers."""
    rng = np.random.default_rng(3)
    fld = gf(7)
    for _ in range(40):
        rows, cols, extra = (int(x) for x in rng.integers(1, 6, size=3))
        g = rng.integers(0, 7, size=(rows, cols))
        h = rng.integers(0, 7, size=(rows, extra)) * (rng.random((rows, extra)) < 0.6)
        leak = leakage(fld, fld(g), fld(h))
        expected = rank_mod_p(np.concatenate([g, h], axis=1).tolist(), 7) - rank_mod_p(h.tolist(), 7)
        assert leak.dimension == expected
        if expected:  # the combination is c = yᵀG with yᵀH = 0: in rowspace(G) and learnable
            c = leak.combination
            assert rank_mod_p([*np.concatenate([g, h], axis=1).tolist(), c + [0] * extra], 7) == rank_mod_p(
                np.concatenate([g, h], axis=1).tolist(), 7)


def _write(tmp_path: Path, obj: dict, name: str) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(obj))
    return str(path)


def test_removing_or_altering_the_randomness_is_not_private(tmp_path: Path) -> None:
    code = hierarchical(4, 4, s_r=1, s_w=1, field="GF(13)", private=True)
    obj = json.loads(dumps_hcode(code))
    good = _write(tmp_path, obj, "good.json")
    r = run("verify", good)
    assert r.exit_code == 0 and "privacy: PRIVATE: 4 of 4 relays" in r.output
    removed = dict(obj)
    removed.pop("randomness")
    r = run("verify", _write(tmp_path, removed, "removed.json"))
    assert r.exit_code == 1 and "NOT PRIVATE" in r.output and "relay 0: leakage" in r.output
    # the masks of cluster 2's workers zeroed: relay 2 sees its workers' plain messages
    altered = json.loads(json.dumps(obj))
    altered["randomness"]["worker_masks"][2] = [[0] * len(row) for row in altered["randomness"]["worker_masks"][2]]
    r = run("verify", _write(tmp_path, altered, "altered.json"), "--json")
    assert r.exit_code == 1
    privacy = json.loads(r.output)["hierarchy"]["privacy"]
    assert [x["relay"] for x in privacy["relays"] if not x["private"]] == [2]
    assert privacy["relays"][2]["combination"]
    # one worker shares its mask with no one: the masked message no longer decodes (or leaks): never CERTIFIED
    tweaked = json.loads(json.dumps(obj))
    row = tweaked["randomness"]["worker_masks"][1][0]
    row[-1] = (row[-1] + 1) % 13
    r = run("verify", _write(tmp_path, tweaked, "tweaked.json"))
    assert r.exit_code == 1 and "CERTIFIED" not in r.output.splitlines()[0]


def test_adversaries_with_privacy() -> None:
    code = hierarchical(5, 5, a_r=1, a_w=1, field="GF(17)", private=True)
    report = verify_hierarchical(code)
    assert report.certified and report.privacy.private and report.privacy.decodable
    assert code.random_symbols > 0 and (code.m_1, code.m_2) == (1, (1,) * 5)


def test_colluding_relays(tmp_path: Path) -> None:
    code = hierarchical(5, 3, s_w=1, field="GF(11)", private=2)  # D_1 = 4: up to 4 colluding relays are safe
    report = privacy_report(code)
    assert report.private and report.collusion == {**report.collusion, "colluding": 2, "sets": 10, "leakage": 0}
    obj = json.loads(dumps_hcode(code))
    obj["privacy"]["colluding_relays"] = 5  # all five relays together see Q at 5 points: degree 4, so it leaks
    obj["construction"]["private_relays"] = 5
    r = run("verify", _write(tmp_path, obj, "five.json"), "--json")
    assert r.exit_code == 1
    collusion = json.loads(r.output)["hierarchy"]["privacy"]["collusion"]
    assert collusion["leakage"] > 0 and collusion["worst_set"] == [0, 1, 2, 3, 4]


def test_private_needs_a_free_relay_and_gf_q(tmp_path: Path) -> None:
    with pytest.raises(ImpossibleParameters, match="m_1 <= K - t - s_r - 2a_r = 2"):
        hierarchical(3, 3, m_1=3, field="GF(7)", private=True)
    with pytest.raises(NotSupported, match="reals"):
        hierarchical(3, 3, field="real", private=True)
    r = run("design", "hierarchical", "--relays", "3", "--cluster-sizes", "3", "--private")
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1 and "reals" in r.output
    r = run("bound", "hierarchical", "--relays", "4", "--cluster-sizes", "4", "--sr", "1", "--m1", "3", "--private")
    assert r.exit_code == 2 and "m_1 <= K - t - s_r - 2a_r = 2" in r.output and "C1 >= 1/2" in r.output
    r = run("bound", "hierarchical", "--relays", "4", "--cluster-sizes", "4", "--sr", "1", "--m1", "2", "--private")
    assert r.exit_code == 0 and "same loads C1 = 1/2" in r.output and "costs C1 = 1/2 when private" in r.output
    # a placement with every partition in every cluster: m_1 is lowered to the private cap, and it verifies
    placement = tmp_path / "all.json"
    placement.write_text(json.dumps([[[0, 1], [1, 2], [0, 2]]] * 3))
    code = hierarchical(placement=str(placement), s_w=1, field="GF(7)", private=True)
    assert code.m_1 == 2 and hierarchical(placement=str(placement), s_w=1, field="GF(7)").m_1 == 3
    assert verify_hierarchical(code).certified


def test_verify_privacy_on_any_gf_code(tmp_path: Path) -> None:
    plain = tmp_path / "plain.json"
    run("design", "hierarchical", "--relays", "4", "--cluster-sizes", "4", "--sr", "1", "--sw", "1",
        "--field", "GF(17)", "-o", str(plain))
    r = run("verify", "--privacy", str(plain), "--json")
    assert r.exit_code == 0
    out = json.loads(r.output)
    assert all(x["leakage"] > 0 for x in out["relays"]) and out["relays"][0]["exposed"]
    private = tmp_path / "private.json"
    run("design", "hierarchical", "--relays", "4", "--cluster-sizes", "4", "--sr", "1", "--sw", "1",
        "--field", "GF(17)", "--private", "-o", str(private))
    out = json.loads(run("verify", "--privacy", str(private), "--json").output)
    assert all(x["leakage"] == 0 for x in out["relays"])
    assert out["server"] == {"leakage": 1, "sum": 1}  # the server learns the sum and nothing else
    assert all(x["leakage"] == 0 for cluster in out["workers"] for x in cluster)
    flat = tmp_path / "rs.json"
    run("design", "reed-solomon", "-n", "5", "-s", "1", "--field", "GF(7)", "-o", str(flat))
    r = run("verify", "--privacy", str(flat))
    assert r.exit_code == 0 and "worker 4: leakage 1" in r.output
    real = tmp_path / "real.json"
    run("design", "reed-solomon", "-n", "5", "-s", "1", "-o", str(real))
    r = run("verify", "--privacy", str(real))
    assert r.exit_code == 2 and "finite field" in r.output


def test_old_files_and_options(tmp_path: Path) -> None:
    plain = hierarchical(3, 3, s_w=1, field="GF(7)")
    text = dumps_hcode(plain)
    assert "randomness" not in text and "privacy" not in text  # non-private files are unchanged
    assert loads_hcode(text) == plain and not plain.has_randomness
    r = run("design", "hierarchical", "--relays", "3", "--cluster-sizes", "3", "--field", "GF(7)", "--colluding", "2")
    assert r.exit_code == 2 and "--private" in r.output
    r = run("bound", "hierarchical", "--relays", "4", "--cluster-sizes", "4", "--sr", "1", "--load-fraction", "1",
            "--private", "--json")
    out = json.loads(r.output)
    assert out["m_1"] == 2 and out["private"]["m_1_cap"] == 2  # the non-private choice is m_1 = 3
    code = hierarchical(4, 4, s_r=1, load="1", field="GF(11)", private=True)
    assert code.m_1 == 2 and verify_hierarchical(code).certified
    path = tmp_path / "p.json"
    path.write_text(dumps_hcode(code))
    r = run("verify", str(path), "--simulate", "3")  # the simulation draws the masks (tests/test_private_decoding.py)
    assert r.exit_code == 0 and "SIMULATED 3 trials" in r.output and "random symbols" in r.output


def test_masked_decodability_against_an_independent_rank() -> None:
    """Alter one mask entry at random: the verdict of the batched check on every layer equals the brute force
    with the oracle's rank on Python integers."""
    from gcli.certification.hierarchical import composite_maps, mask_maps

    code = hierarchical(4, 4, s_r=1, s_w=1, field="GF(7)", private=True)
    obj = json.loads(dumps_hcode(code))
    rng = np.random.default_rng(5)
    verdicts = set()
    for trial in range(6):
        altered = json.loads(json.dumps(obj))
        if trial:  # trial 0: the code as built
            i = int(rng.integers(0, 4))
            masks = altered["randomness"]["worker_masks"][i]
            r, c = int(rng.integers(0, len(masks))), int(rng.integers(0, len(masks[0])))
            masks[r][c] = (masks[r][c] + int(rng.integers(1, 7))) % 7
        hc = loads_hcode(json.dumps(altered))
        report = privacy_report(hc)
        target, relays, workers = composite_maps(hc)
        relay_masks, worker_masks = mask_maps(hc)

        def joined(a, b):
            return np.concatenate([np.asarray(a.view(np.ndarray)), np.asarray(b.view(np.ndarray))], axis=1)

        def spans(blocks, want) -> bool:
            rows = np.concatenate(blocks, axis=0).tolist()
            return rank_mod_p(rows, 7) == rank_mod_p(rows + want.tolist(), 7)

        expected = True
        for c in range(4):
            rows = [joined(g, h) for g, h in zip(workers[c], worker_masks[c], strict=True)]
            want = joined(relays[c], relay_masks[c])
            expected &= all(spans([rows[w] for w in f], want) for f in itertools.combinations(range(4), 3))
        rows = [joined(f, m) for f, m in zip(relays, relay_masks, strict=True)]
        want = joined(target, np.zeros((target.shape[0], hc.random_symbols), dtype=np.int64))
        expected &= all(spans([rows[i] for i in f], want) for f in itertools.combinations(range(4), 3))
        assert report.decodable == expected
        verdicts.add(expected)
    assert verdicts == {True, False}  # both verdicts were exercised


def test_masks_reproduce_the_masked_messages() -> None:
    """The linear model verify checks (composite maps and masks) is what the masked messages are, with unequal
    m_2 (finest blocks of length ℓ/(m_1·lcm m_2))."""
    import math

    from gcli.certification.hierarchical import composite_maps, mask_maps
    from gcli.hierarchical.codes import draw_randomness, relay_messages

    code = hierarchical(3, [3, 4, 3], s_w=[1, 1, 0], m_1=2, m_2=[1, 2, 1], field="GF(13)", private=True)
    assert verify_hierarchical(code).certified
    _, relays, workers = composite_maps(code)
    relay_masks, worker_masks = mask_maps(code)
    big_m = code.m_1 * math.lcm(*code.m_2)
    rng = np.random.default_rng(1)
    grads = code.field(rng.integers(0, 13, size=(code.partitions, 2 * big_m)))
    z = draw_randomness(code, 2 * big_m, rng)
    blocks = grads.reshape(code.partitions * big_m, 2)
    forwarded = relay_messages(code, grads, z)
    for i in range(3):
        assert np.array_equal((relays[i] @ blocks + relay_masks[i] @ z).reshape(-1), forwarded[i])
        sent = worker_messages(code, i, grads, z)
        for w, matrix in enumerate(workers[i]):
            assert np.array_equal((matrix @ blocks + worker_masks[i][w] @ z).reshape(-1), sent[w])


@pytest.mark.parametrize("name", ["gcli.certification.privacy", "gcli.constructions.hierarchical_codes"])
def test_docstring_examples(name: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
