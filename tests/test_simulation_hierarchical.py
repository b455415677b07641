"""Hierarchical codes in the training simulator: exact sums at both layers, the two-layer order statistics
computed independently, private codes decode the same sum, iteration_times agrees with simulate, determinism and
one-line errors of ``gcli simulate`` on hierarchical files."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from gcli.cli import cli
from gcli.constructions import hierarchical
from gcli.hierarchical.codes import dumps_hcode
from gcli.training.simulation import (
    HierarchicalScheme,
    Quantiser,
    Timing,
    iteration_times,
    simulate,
    split_samples,
)


def run(args: list[str]):
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


REAL = hierarchical(3, 4, s_r=1, s_w=1)
GF = hierarchical(3, 4, s_r=1, s_w=1, m_1=2, field="GF(65537)")


# ---------------------------------------------------------------------------------------------------------
# exact sums
# ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("stragglers", ["none", "fixed:3", "shifted-exp:1,0.5"])
def test_real_code_recovers_the_gradient_and_training_descends(stragglers: str) -> None:
    result = simulate(REAL, iterations=12, stragglers=stragglers, seed=2)
    assert max(result.coded.gradient_error) < 1e-9
    loss = [result.parameters["initial_loss"], *result.coded.loss]
    assert all(b <= a + 1e-12 for a, b in itertools.pairwise(loss)) and loss[-1] < loss[0]
    assert result.coded.loss == pytest.approx(result.baselines["wait_for_all"].loss, rel=1e-9)


def test_finite_field_code_recovers_the_quantised_sum() -> None:
    result = simulate(GF, iterations=8, stragglers="none", seed=1)
    assert result.field_sum_exact == [True] * 8
    assert result.coded.loss[-1] < result.parameters["initial_loss"]
    # one round against the exact sum: the error of every entry is at most the quantisation bound k/(2σ)
    q = Quantiser.for_field(65537, GF.partitions, 1.0)
    scheme = HierarchicalScheme(GF, quantiser=q)
    rng = np.random.default_rng(5)
    grads = rng.uniform(-1, 1, size=(GF.partitions, 11))
    sizes = np.full(GF.partitions, 10.0)
    outcome = scheme.run_round(grads, sizes, np.ones(scheme.workers), Timing(), rng.random(scheme.workers))
    assert outcome.exact_sum is True and outcome.clipped == 0
    assert np.max(np.abs(outcome.estimate - grads.sum(axis=0))) <= q.error_bound * (1 + 1e-9)


def test_private_code_decodes_the_same_sum_as_the_plain_one() -> None:
    plain = hierarchical(3, 4, s_w=1, partitions=3, field="GF(257)")
    private = hierarchical(3, 4, s_w=1, partitions=3, field="GF(257)", private=True)
    assert private.has_randomness and not plain.has_randomness
    q = Quantiser.for_field(257, 3, 1.0)
    rng = np.random.default_rng(0)
    for _ in range(3):
        grads = rng.uniform(-1, 1, size=(3, 7))
        slowdown, keys = 1 + rng.exponential(size=12), rng.random(12)
        outcomes = [HierarchicalScheme(code, quantiser=q).run_round(grads, np.full(3, 5.0), slowdown, Timing(), keys)
                    for code in (plain, private)]
        assert all(o.exact_sum for o in outcomes)
        assert np.array_equal(outcomes[0].estimate, outcomes[1].estimate)
    runs = [simulate(code, iterations=5, stragglers="fixed:2", seed=4) for code in (plain, private)]
    assert runs[0].coded.loss == runs[1].coded.loss and runs[1].field_sum_exact == [True] * 5


# ---------------------------------------------------------------------------------------------------------
# timing: the two-layer order statistics, computed independently
# ---------------------------------------------------------------------------------------------------------
def _decodes(encoding: np.ndarray, target: np.ndarray, rows: list[int]) -> bool:
    block = encoding[rows]
    x, *_ = np.linalg.lstsq(block.T, target.T, rcond=None)
    return bool(np.linalg.norm(block.T @ x - target.T) <= 1e-9 * max(1.0, float(np.linalg.norm(target))))


def _shortest(encoding: np.ndarray, target: np.ndarray, order: list[int]) -> int:
    return next(t for t in range(1, len(order) + 1) if _decodes(encoding, target, order[:t]))


def _two_layer_time(code, sizes, slowdown, keys, ell, timing: Timing) -> float:
    """The model formula by hand: per cluster the shortest decodable prefix of the workers sorted by arrival (a
    linear scan, least squares), its last arrival plus the relay's message; the server the same over relays."""
    padded = -(-ell // code.block_size()) * code.block_size()
    ready, relay_keys, start = [], [], 0
    for c, n_c in enumerate(code.cluster_sizes):
        arrive = [slowdown[start + w] * sum(sizes[j] for j in code.placement[c][w]) * timing.compute_per_sample
                  + padded // (code.m_1 * code.m_2[c]) * timing.communication_per_symbol for w in range(n_c)]
        order = sorted(range(n_c), key=lambda w: (arrive[w], keys[start + w]))
        inner = code.inner[c]
        t = _shortest(np.asarray(inner.encoding, float), np.asarray(inner.target, float), order)
        ready.append(max(arrive[w] for w in order[:t]) + padded // code.m_1 * timing.communication_per_symbol)
        relay_keys.append(keys[start + order[t - 1]])
        start += n_c
    order = sorted(range(code.relays), key=lambda c: (ready[c], relay_keys[c]))
    t = _shortest(np.asarray(code.outer.encoding, float), np.asarray(code.outer.target, float), order)
    return max(ready[c] for c in order[:t])


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_round_time_is_the_two_layer_order_statistic(data) -> None:
    code = data.draw(st.sampled_from([REAL, hierarchical(2, [3, 5], s_w=[1, 2], m_1=2),
                                      hierarchical(4, 3, s_r=2, s_w=1, m_2=2)]))
    n = sum(code.cluster_sizes)
    slowdown = np.asarray(data.draw(st.lists(st.sampled_from([1.0, 1.5, 2.0, 5.0]), min_size=n, max_size=n)))
    keys = np.asarray(data.draw(st.permutations(range(n)))) / n
    timing = Timing(data.draw(st.sampled_from([0.0, 1.0, 0.5])), data.draw(st.sampled_from([0.0, 1.0, 3.0])))
    ell = data.draw(st.integers(1, 9))
    sizes = np.asarray([sl.stop - sl.start for sl in split_samples(40, code.partitions, "partitions")], float)
    scheme = HierarchicalScheme(code)
    _, _, time = scheme.responders_of_round(sizes, slowdown, timing, keys, ell)
    assert time == pytest.approx(_two_layer_time(code, sizes, slowdown, keys, ell, timing), rel=1e-12)
    grads = np.random.default_rng(1).standard_normal((code.partitions, ell))
    outcome = scheme.run_round(grads, sizes, slowdown, timing, keys)
    assert outcome.time == time and np.allclose(outcome.estimate, grads.sum(axis=0), atol=1e-9)


def test_a_hand_made_round() -> None:
    """3 relays of 4 workers, s_r = s_w = 1, one partition per worker: worker w of cluster c holds one of the two
    partitions of A_c; slowdowns by hand (worker 1 of cluster 0 and worker 2 of cluster 2 straggle)."""
    code = REAL
    sizes = np.asarray([10.0, 10.0, 10.0])
    slowdown = np.ones(12)
    slowdown[[1, 10]] = 5.0
    slowdown[[4, 5, 6, 7]] = 3.0  # cluster 1 is slow as a whole: the server skips its relay (s_r = 1)
    _, _, time = HierarchicalScheme(code).responders_of_round(sizes, slowdown, Timing(1.0, 0.0),
                                                                 np.linspace(0, 1, 12), 4)
    assert time == 10.0 and time == _two_layer_time(code, sizes, slowdown, np.linspace(0, 1, 12), 4, Timing(1, 0))


@pytest.mark.parametrize("code", [REAL, GF, hierarchical(3, 4, s_w=1, m_1=2, field="GF(257)", private=True)],
                         ids=["real", "gf", "private"])
def test_iteration_times_are_the_increments_of_simulate(code) -> None:
    for model in ("fixed:3,4", "shifted-exp:1,0.5"):
        times = iteration_times(code, stragglers=model, iterations=6, seed=5)
        result = simulate(code, iterations=6, stragglers=model, seed=5)
        assert np.cumsum(times).tolist() == pytest.approx(result.coded.time, rel=1e-12)  # the same sums


# ---------------------------------------------------------------------------------------------------------
# command line
# ---------------------------------------------------------------------------------------------------------
def test_cli_simulates_a_hierarchical_file_byte_identically(tmp_path) -> None:
    path = tmp_path / "h.json"
    path.write_text(dumps_hcode(GF))
    args = ["simulate", str(path), "-T", "4", "--straggler-model", "bernoulli:0.3", "--seed", "3", "--json"]
    first, second = run(args), run(args)
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout
    obj = json.loads(first.stdout)
    assert obj["code"]["relays"] == 3 and obj["field_sum_exact"] == [True] * 4
    for key in ("loss", "gradient_error", "time"):
        assert len(obj[key]) == 4 and all(len(obj["baselines"][b][key]) == 4 for b in obj["baselines"])
    text = run(["simulate", str(path), "-T", "3"])
    assert text.exit_code == 0 and "coded (hierarchical)" in text.stdout and "relays: 3" in text.stdout
    repeats = run([*args, "--repeats", "2", "--jobs", "2"])
    assert [r["seed"] for r in json.loads(repeats.stdout)["runs"]] == [3, 4]


@pytest.mark.parametrize(("extra", "message"), [
    (["--straggler-model", "fixed:13"], "more stragglers"), (["--decoder", "optimal"], "exact decoding"),
    (["--wait", "3"], "--wait"), (["--failure-prob", "0.2"], "--failure-prob")])
def test_cli_bad_input_on_hierarchical_files_is_one_line_exit_2(tmp_path, extra: list[str], message: str) -> None:
    path = tmp_path / "h.json"
    path.write_text(dumps_hcode(REAL))
    result = run(["simulate", str(path), "-T", "2", *extra])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gcli: error: ") and message in lines[0], lines
