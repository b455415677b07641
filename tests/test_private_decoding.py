"""Decoding, simulating and running private hierarchical codes (issue 23 item 6): masked messages decode exactly
(checked against brute force over every word of tiny fields), verify --simulate draws the randomness, and the
relays of gcli run see uniformly distributed inputs."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from gcli.certification.hierarchical import simulate
from gcli.cli import cli as app
from gcli.constructions import hierarchical
from gcli.errors import InconsistentMessages, InputError
from gcli.hierarchical.codes import decode_relay, decode_server, draw_randomness, relay_messages, worker_messages
from gcli.hierarchical.masked import masked_layers


def test_rank_deficient_cluster_decodes_masked_messages() -> None:
    """K = 2, N = 6, P = 2 over GF(257): the cluster encoding has rank 1 < N − s_w, where the unmasked layer's
    subset search returned a wrong value; every straggler pattern and both methods now give f_i + M_i z."""
    from gcli.decoding.adversarial import decode_adversarial

    code = hierarchical(2, 6, s_w=1, partitions=2, field="GF(257)", private=True)
    rng = np.random.default_rng(0)
    g = code.field(rng.integers(0, 257, size=(code.partitions, 3)))
    z = draw_randomness(code, 3, rng)
    forwarded = relay_messages(code, g, z)
    for i in range(2):
        sent = worker_messages(code, i, g, z)
        for late in range(6):
            got = {w: sent[w] for w in range(6) if w != late}
            for method in ("auto", "subsets", "berlekamp-welch"):
                assert np.array_equal(decode_relay(code, i, got, method=method), forwarded[i])
    for method in ("auto", "subsets", "berlekamp-welch"):
        assert np.array_equal(decode_server(code, dict(enumerate(forwarded)), method=method), g.sum(axis=0))
    # the unmasked layer's decoder on the same messages: a wrong value or a refusal (why masked layers exist)
    sent = worker_messages(code, 0, g, z)
    try:
        wrong = decode_adversarial(code.inner[0], {w: sent[w] for w in range(1, 6)}, method="subsets")
    except InputError:
        wrong = None
    assert wrong is None or not np.array_equal(wrong, forwarded[0])


def _brute_targets(layer, received: dict[int, np.ndarray], budget: int) -> set[tuple[int, ...]]:
    """T·u for every u over the whole field whose words A·u differ from the received ones in at most ``budget``
    senders: enumeration, no linear algebra."""
    fld = layer.field
    q, cols = fld.order, layer.rows.shape[2]
    every = np.array(list(itertools.product(range(q), repeat=cols)), dtype=np.int64).T  # U × q^U
    senders = sorted(received)
    rows = np.asarray(layer.rows.view(np.ndarray), dtype=np.int64)
    words = np.einsum("swu,un->snw", rows[senders], every) % q  # sender, candidate, row
    got = np.stack([np.asarray(received[w], dtype=np.int64).reshape(-1) for w in senders])  # c = 1
    off = (words != got[:, None, :]).any(axis=2).sum(axis=0)
    near = every[:, off <= budget]
    values = (np.asarray(layer.target.view(np.ndarray), dtype=np.int64) @ near) % q
    return {tuple(v) for v in values.T.tolist()}


@pytest.mark.parametrize(("k", "n", "s_w", "a_w", "partitions", "field"), [
    (2, 3, 0, 1, None, "GF(5)"),
    (2, 4, 0, 1, None, "GF(5)"),
    (2, 6, 1, 0, 2, "GF(7)"),
])
def test_masked_layers_decode_exactly_or_refuse_against_brute_force(k, n, s_w, a_w, partitions, field) -> None:
    """Within the budget the decoders return the truth; with one liar too many they return a value some word
    within a of the received ones has, or refuse — never a value no such word has (every word enumerated)."""
    code = hierarchical(k, n, s_w=s_w, a_w=a_w, partitions=partitions, field=field, private=True)
    layer = masked_layers(code)[1][0]
    rng = np.random.default_rng(7)
    q = code.field.order
    outcomes = set()
    for trial in range(12):
        g = code.field(rng.integers(0, q, size=(code.partitions, 1)))
        z = draw_randomness(code, 1, rng)
        sent = np.asarray(worker_messages(code, 0, g, z), dtype=np.int64)
        truth = tuple(np.asarray(relay_messages(code, g, z)[0], dtype=np.int64).tolist())
        liars = a_w + (trial % 2)  # odd trials: over the budget
        perm = rng.permutation(n)
        received = {int(w): sent[w].copy() for w in perm[s_w:]}
        for w in perm[s_w:s_w + liars]:
            received[int(w)] = (received[int(w)] + rng.integers(1, q, size=received[int(w)].shape)) % q
        allowed = _brute_targets(layer, received, a_w)
        for method in ("subsets", "berlekamp-welch"):
            try:
                got = tuple(np.asarray(decode_relay(code, 0, received, method=method), dtype=np.int64).tolist())
            except InconsistentMessages:
                assert liars > a_w and not allowed, (method, trial)
                outcomes.add("refused")
                continue
            assert got in allowed, (method, trial)
            if liars <= a_w:
                assert got == truth and allowed == {truth}
            outcomes.add("exact" if got == truth else "indistinguishable")
    assert "exact" in outcomes


def test_verify_simulate_accepts_private_codes_and_is_seeded(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    runner = CliRunner()
    made = runner.invoke(app, ["design", "hierarchical", "--relays", "4", "--cluster-sizes", "4", "--sr", "1",
                               "--aw", "1", "--field", "GF(257)", "--private", "-o", str(path)])
    assert made.exit_code == 0, made.output
    outs = [runner.invoke(app, ["verify", str(path), "--simulate", "15", "--seed", str(s), "--json"])
            for s in (3, 3, 4)]
    assert [o.exit_code for o in outs] == [0, 0, 0], outs[0].output
    sims = [json.dumps(json.loads(o.output)["hierarchy"]["simulation"]) for o in outs]  # the rest carries timings
    assert sims[0] == sims[1] != sims[2]
    sim = json.loads(outs[0].output)["hierarchy"]["simulation"]
    assert sim["correct"] == sim["trials"] == 15 and sim["random_symbols"] > 0
    text = runner.invoke(app, ["verify", str(path), "--simulate", "5"]).output
    assert "shared random symbols drawn afresh in every trial" in text


def test_simulation_draws_fresh_randomness_and_catches_a_bad_mask() -> None:
    """Altering one worker mask entry (a file whose masks no longer decode) shows in the simulation: wrong sums
    or refusals, never a clean report."""
    import dataclasses

    code = hierarchical(3, 4, s_r=1, s_w=1, field="GF(257)", private=True)
    report = simulate(code, 10, seed=2)
    assert report.ok and report.correct == 10
    masks = list(code.worker_masks)
    broken = masks[0].copy()
    broken[0, 0] += code.field(1)
    masks[0] = broken
    bad = dataclasses.replace(code, worker_masks=tuple(masks))
    result = simulate(bad, 10, seed=2, over_budget=False)
    assert not result.ok and result.wrong == 0  # never a wrong sum: refused


@pytest.mark.parametrize("name", ["gcli.decoding.grouped", "gcli.hierarchical.masked"])
def test_docstring_examples(name: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
