"""Decoding, simulating and running private hierarchical codes (issue 23 item 6): masked messages decode exactly
(checked against brute force over every word of tiny fields), verify --simulate draws the randomness, and the
relays of gcli run see uniformly distributed inputs."""

from __future__ import annotations

import collections
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
    # with lying workers the subset search on the altered cluster finds consistent sets that do not determine
    # the target: refused too (each kept set's subsets are checked), where it returned wrong sums before
    liars = hierarchical(4, 5, s_r=1, s_w=1, a_w=1, field="GF(257)", private=True)
    masks = list(liars.worker_masks)
    broken = masks[0].copy()
    broken[0, 0] += liars.field(1)
    masks[0] = broken
    result = simulate(dataclasses.replace(liars, worker_masks=tuple(masks)), 10, seed=0)
    assert result.not_decoded > 0 and result.wrong == 0
    assert all(v["wrong_exposed"] == 0 for v in result.over_budget.values())


@pytest.mark.parametrize("name", ["gcli.decoding.grouped", "gcli.hierarchical.masked"])
def test_docstring_examples(name: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0


def _private_states(key: int = 12345):
    from gcli.training.runtime import hierarchical_states
    from gcli.training.simulation import prepare_training

    code = hierarchical(2, 3, s_w=1, partitions=2, field="GF(7)", private=True)
    setup = prepare_training(code, dataset="synthetic", model="logistic", l2=0.0, clip=None, seed=5, samples=60,
                             features=3)
    ell = setup.risk.parameters
    states, where, relays = hierarchical_states(code, setup.data, setup.coded_parts, "logistic", setup.quantiser,
                                                ell, key=key)
    return code, setup, states, where, relays


def test_run_relays_decode_masked_messages_and_the_server_the_quantised_sum() -> None:
    """In process (no Dask): the runtime's masked worker messages, relay decoders and server decoder give the
    quantised sum for every straggler pattern, with different masks in different rounds."""
    from gcli.hierarchical.masked import masked_layers
    from gcli.training.runtime import MaskedDecoder, _MaskedServer, worker_step

    code, setup, states, where, relays = _private_states()
    q = setup.quantiser
    ell = setup.risk.parameters
    server = _MaskedServer(MaskedDecoder.of(masked_layers(code)[0]), q)
    w = np.random.default_rng(2).normal(size=ell)
    grads = setup.risk.partial_gradients(w, setup.coded_parts)
    padded = np.zeros((grads.shape[0], -(-ell // code.block_size()) * code.block_size()))
    padded[:, :ell] = grads
    wanted = q.centred(q.quantise(padded)[0].sum(axis=0))
    seen = []
    for nonce in range(3):
        forwarded = {}
        for i in range(code.relays):
            msgs = {local: worker_step(states[g], w, 0.0, nonce)[0] for g, (c, local) in enumerate(where) if c == i}
            seen.append(msgs[0].tolist())
            for late in range(3):
                used = tuple(x for x in range(3) if x != late)
                assert relays[i].decodable(used)
                out = relays[i].decode(used, np.stack([msgs[x] for x in used]))
                forwarded.setdefault(i, out)
                assert np.array_equal(out, forwarded[i])
        _, total = server.combine((0, 1), np.stack([forwarded[0], forwarded[1]]), ell)
        assert np.array_equal(total.reshape(-1), wanted)
    assert len({tuple(x) for x in seen[::2]}) == 3  # fresh masks every round


def test_a_run_relays_inputs_are_uniform() -> None:
    """Over many rounds (fresh randomness, the same parameters W) a relay's inputs are uniform over the words its
    cluster can send: every view is a word of the masked layer (exact check) and the pair of the first two workers'
    values, which determines the view, is uniform over GF(7)² (chi-square over 49 cells, fixed key, 48 degrees of
    freedom: the bound 110 is exceeded with probability below 1e-6 by uniform draws). The same statistic on the
    unmasked messages is far above the bound."""
    from gcli.training.runtime import worker_step

    _, setup, states, where, relays = _private_states()
    w = np.random.default_rng(3).normal(size=setup.risk.parameters)
    members = [g for g, (c, _) in enumerate(where) if c == 0]
    layer = relays[0].masked.layer()

    def chi_square(rounds: int, masked: bool) -> float:
        counts = np.zeros((7, 7), dtype=np.int64)
        for nonce in range(rounds):
            views = np.stack([worker_step(states[g], w, 0.0, nonce)[0] if masked else states[g]._message(w)[0]
                              for g in members])  # (N_i, c)
            if masked:
                assert layer.inconsistent((0, 1, 2), layer.field(views)) == 0  # a word of the masked layer
            np.add.at(counts, (views[0], views[1]), 1)
        expected = counts.sum() / 49
        return float(((counts - expected) ** 2 / expected).sum())

    assert chi_square(400, masked=True) < 110
    assert chi_square(50, masked=False) > 110


def test_a_generic_masked_layer_decodes_by_subsets_against_brute_force() -> None:
    """A layer that is no polynomial: each sender of a GF(5) cluster with a lying worker (a_w = 1) scales its rows
    (and its message) by its own non-zero factor, which keeps every sender's row space, hence decodability and
    consistency, but no longer evaluates one polynomial; auto picks the subset search on [encoding | masks], and
    its answers stay within what brute force allows."""
    import dataclasses

    code = hierarchical(2, 4, a_w=1, field="GF(5)", private=True)
    base = masked_layers(code)[1][0]
    fld = code.field
    factors = fld([1, 3, 2, 4])
    layer = dataclasses.replace(base, rows=base.rows * factors[:, None, None], _cache={})
    assert not layer.polynomial and base.polynomial
    rng = np.random.default_rng(11)
    outcomes = collections.Counter()
    for trial in range(10):
        g = fld(rng.integers(0, 5, size=(code.partitions, 1)))
        z = draw_randomness(code, 1, rng)
        sent = np.asarray(worker_messages(code, 0, g, z), dtype=np.int64) * np.asarray(factors)[:, None] % 5
        truth = tuple(np.asarray(relay_messages(code, g, z)[0], dtype=np.int64).tolist())
        received = {w: sent[w].copy() for w in range(4)}
        liars = 1 + trial % 2
        for w in rng.permutation(4)[:liars]:
            received[int(w)] = (received[int(w)] + rng.integers(1, 5, size=1)) % 5
        allowed = _brute_targets(layer, received, 1)
        try:
            got = tuple(np.asarray(layer.decode(received), dtype=np.int64).tolist())
        except InconsistentMessages:
            assert liars > 1 and not allowed
            outcomes["refused"] += 1
            continue
        assert got in allowed
        if liars == 1:
            assert got == truth and allowed == {truth}
        outcomes["exact" if got == truth else "indistinguishable"] += 1
    assert outcomes["exact"] >= 5
