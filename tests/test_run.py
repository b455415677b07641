"""``gcli run``: coded gradient descent on a real Dask LocalCluster (two worker processes, shared by the tests)."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from fuzzrun import assert_well_behaved, run_forked, warm
from hypothesis import given, settings
from hypothesis import strategies as st

from gcli import dumps, simulate
from gcli.cli import cli
from gcli.constructions import cyclic_repetition, fractional_repetition, graph_code, hierarchical, reed_solomon
from gcli.errors import InputError

distributed = pytest.importorskip("distributed")

from gcli.training.runtime import DelayModel, connect, hierarchical_states, run, worker_states, worker_step  # noqa: E402
from gcli.training.simulation import CodedScheme, prepare_training  # noqa: E402

FAST = {"delay_unit": 0.004, "samples": 240, "features": 6}


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with connect(local=2, threads=6) as c:
        yield c


@pytest.mark.parametrize("code", [
    cyclic_repetition(6, 2),
    reed_solomon(6, 1, m=2),
], ids=["crc", "rs-m2"])
def test_exact_codes_decode_the_true_gradient_with_stragglers(client: Any, code: Any) -> None:
    result = run(code, client, iterations=4, delay_model="fixed:2,6", seed=3, **FAST)
    coded = result.coded
    assert len(coded.loss) == 4 and coded.stopped is None and not result.died
    assert max(coded.gradient_error) < 1e-9
    # each round used a decodable set, at most n - s messages, each of ceil(l/m) numbers
    width = -(-result.parameters["gradient_length"] // code.m)
    for used, sent in zip(coded.waited_for, coded.bytes_received, strict=True):
        assert len(used) <= code.n - code.s
        assert sent >= len(used) * width * 8
    # exact gradients: the same trajectory as the simulator's (same data, seed and step)
    sim = simulate(code, iterations=4, seed=3, samples=240, features=6)
    np.testing.assert_allclose(coded.loss, sim.coded.loss, rtol=1e-9)
    np.testing.assert_allclose(result.baselines["wait_for_all"].loss, sim.coded.loss, rtol=1e-9)
    assert max(result.baselines["wait_for_all"].gradient_error) < 1e-9
    ignore = result.baselines["ignore_stragglers"]
    assert all(len(u) == code.n - code.s for u in ignore.waited_for)


def test_finite_field_code_recovers_the_quantised_sum(client: Any) -> None:
    code = reed_solomon(5, 1, m=2, field="GF(65537)")
    result = run(code, client, iterations=3, delay_model="fixed:1,4", baselines=False, **FAST)
    assert result.field_sum_exact == [True, True, True]
    sim = simulate(code, iterations=1, samples=240, features=6)
    assert result.coded.gradient_error[0] == pytest.approx(sim.coded.gradient_error[0], rel=1e-9)
    assert list(result.baselines) == []


def test_worker_states_of_an_extension_field_code_encode_as_the_simulator() -> None:
    # in this process: Dask workers would each pay galois's compilation for GF(17^2) again
    code = reed_solomon(5, 1, field="GF(17^2)")
    setup = prepare_training(code, dataset="synthetic", model="logistic", l2=0.0, clip=None, seed=2,
                             samples=100, features=3)
    scheme = CodedScheme(code, quantiser=setup.quantiser)
    states = worker_states(scheme, setup.data, setup.coded_parts, "logistic")
    w = np.random.default_rng(0).normal(size=setup.risk.parameters)
    grads = setup.risk.partial_gradients(w, setup.coded_parts)
    used = (0, 2, 3, 4)
    messages = np.stack([worker_step(states[i], w, 0.0)[0] for i in used])
    estimate, total = scheme.combine(used, messages, setup.risk.parameters)
    q = setup.quantiser
    assert q is not None and total is not None
    wanted = q.centred(q.quantise(scheme.blocks(grads))[0].sum(axis=0))
    np.testing.assert_array_equal(total.reshape(-1), wanted.reshape(-1))
    assert np.abs(estimate - grads.sum(axis=0)).max() <= q.error_bound


@pytest.mark.parametrize("field", ["real", "GF(65537)"])
def test_hierarchical_codes_run_with_relays_as_a_tier(client: Any, field: str) -> None:
    # 3 relays (one may straggle) of 4 workers (one may straggle in each), both layers communication-efficient
    hcode = hierarchical(3, 4, s_r=1, s_w=1, m_1=2, m_2=2, field=field)
    result = run(hcode, client, iterations=3, delay_model="fixed:3,5", seed=1, **FAST)
    coded = result.coded
    assert len(coded.loss) == 3 and coded.stopped is None
    assert all(len(used) <= 2 for used in coded.waited_for)  # K - s_r relays suffice
    ell = result.parameters["gradient_length"]
    assert result.parameters["message_length"] == -(-ell // 4) * 4 // 2
    if field == "real":
        assert max(coded.gradient_error) < 1e-9
        np.testing.assert_allclose(coded.loss, result.baselines["wait_for_all"].loss, rtol=1e-9)
    else:
        assert result.field_sum_exact == [True, True, True]
        assert max(coded.gradient_error) < 1e-2
    assert "3 relays" in result.summary()


def test_private_hierarchical_code_runs_with_masked_relays(client: Any) -> None:
    # the relays decode and forward masked messages; the server removes the masks (issue 23 item 6)
    hcode = hierarchical(3, 3, s_r=1, s_w=1, field="GF(65537)", private=True)
    result = run(hcode, client, iterations=2, delay_model="fixed:2,5", seed=2, baselines=False, **FAST)
    assert result.coded.stopped is None and result.field_sum_exact == [True, True]
    assert max(result.coded.gradient_error) < 1e-2


@settings(max_examples=12, deadline=None)
@given(n=st.integers(3, 7), s=st.integers(0, 2), m=st.integers(1, 2), seed=st.integers(0, 2**16))
def test_worker_messages_are_the_rows_of_the_encoding(n: int, s: int, m: int, seed: int) -> None:
    # what each logical worker computes from its own rows = row i of B applied to all partial gradients
    s = min(s, n - m)
    code = reed_solomon(n, s, m=m)
    setup = prepare_training(code, dataset="synthetic", model="logistic", l2=0.0, clip=None, seed=seed,
                             samples=60, features=3)
    scheme = CodedScheme(code)
    states = worker_states(scheme, setup.data, setup.coded_parts, "logistic")
    w = np.random.default_rng(seed).normal(size=setup.risk.parameters)
    wanted = scheme.encoding_matrix @ scheme.blocks(setup.risk.partial_gradients(w, setup.coded_parts))
    got = np.stack([worker_step(states[i], w, 0.0)[0] for i in range(n)])
    np.testing.assert_allclose(got, wanted, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("field", ["real", "GF(65537)"])
def test_hierarchical_worker_messages_match_the_two_layers(field: str) -> None:
    from gcli.hierarchical.codes import worker_messages

    hcode = hierarchical(3, 4, s_r=1, s_w=1, m_1=2, m_2=2, field=field)
    setup = prepare_training(hcode, dataset="synthetic", model="logistic", l2=0.0, clip=None, seed=5,
                             samples=120, features=6)
    ell = setup.risk.parameters
    states, where, _ = hierarchical_states(hcode, setup.data, setup.coded_parts, "logistic", setup.quantiser, ell)
    w = np.random.default_rng(1).normal(size=ell)
    grads = setup.risk.partial_gradients(w, setup.coded_parts)
    padded = np.zeros((grads.shape[0], -(-ell // hcode.block_size()) * hcode.block_size()))
    padded[:, :ell] = grads
    q = setup.quantiser
    if q is not None:
        padded = q.quantise(padded)[0] % q.characteristic
    for cluster in range(hcode.relays):
        wanted = np.asarray(worker_messages(hcode, cluster, padded))
        if q is not None:
            wanted = np.asarray(wanted.view(np.ndarray), dtype=np.int64)
        got = np.stack([worker_step(states[g], w, 0.0)[0] for g, (c, _) in enumerate(where) if c == cluster])
        np.testing.assert_allclose(got, wanted, rtol=1e-10, atol=1e-14)


def test_approximate_code_waits_for_w_or_the_deadline(client: Any) -> None:
    code = graph_code("petersen", s=2)
    result = run(code, client, iterations=2, wait=7, baselines=False, **FAST)
    assert all(len(u) == 7 for u in result.coded.waited_for)
    assert result.parameters["code"]["decoder"] == "optimal"
    # a deadline far shorter than the stragglers' sleep (100 × load 3 × 0.01 s = 3 s): decode from what arrived by
    # then. Both the code and the ignore-stragglers baseline wait for 8 of the 10 messages, and only the 7 unslowed
    # workers can answer before the stragglers wake: at most 7 used means the deadline cut the round (no clock
    # is compared)
    slow = run(code, client, iterations=2, delay_model="fixed:3,100", delay_unit=0.01, deadline=0.3,
               samples=240, features=6)
    assert slow.parameters["code"]["waits_for"] == 8
    for used in [*slow.coded.waited_for, *slow.baselines["ignore_stragglers"].waited_for]:
        assert 1 <= len(used) <= 7


def test_a_killed_worker_is_survived_by_a_code_that_tolerates_it() -> None:
    code = fractional_repetition(4, 1)  # groups {0, 1}, {2, 3}; process 1 runs workers 1 and 3
    with connect(local=2, threads=4) as c:
        addresses = sorted(c.scheduler_info(n_workers=-1)["workers"])
        pids = c.run(os.getpid)

        def kill(t: int) -> None:
            if t == 1:
                os.kill(pids[addresses[1]], signal.SIGKILL)

        result = run(code, c, iterations=5, on_iteration=kill, poll=0.1, **FAST)
    assert len(result.coded.loss) == 5 and result.coded.stopped is None
    assert max(result.coded.gradient_error) < 1e-9
    assert {d["worker"] for d in result.died} == {1, 3}
    assert all(d["process"] == addresses[1] for d in result.died)
    assert all(set(u) <= {0, 2} for u in result.coded.waited_for[2:])
    wait_all = result.baselines["wait_for_all"]
    assert wait_all.stopped and len(wait_all.loss) == 2
    assert len(result.baselines["ignore_stragglers"].loss) == 5
    summary = result.summary()
    assert "worker 1 died at iteration" in summary and "worker 3 died" in summary


def test_a_killed_process_with_a_relay_is_survived_by_a_hierarchical_code() -> None:
    # workers g = 0..5 (clusters of 2, s_w = 1) and relays 6, 7, 8 (s_r = 1) round-robin on 2 processes:
    # process 1 runs workers 1, 3, 5 (one per cluster) and relay 1
    hcode = hierarchical(3, 2, s_r=1, s_w=1)
    with connect(local=2, threads=6) as c:
        addresses = sorted(c.scheduler_info(n_workers=-1)["workers"])
        pids = c.run(os.getpid)

        def kill(t: int) -> None:
            if t == 0:
                os.kill(pids[addresses[1]], signal.SIGKILL)

        result = run(hcode, c, iterations=3, on_iteration=kill, poll=0.1, baselines=False, **FAST)
    assert len(result.coded.loss) == 3 and result.coded.stopped is None
    assert max(result.coded.gradient_error) < 1e-9
    assert {d.get("worker") for d in result.died if "worker" in d} == {1, 3, 5}
    assert [d["relay"] for d in result.died if "relay" in d] == [1]
    assert all(1 not in used for used in result.coded.waited_for[1:])
    assert "relay 1 died" in result.summary()


def test_unreachable_scheduler_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "crc.json"
    path.write_text(dumps(cyclic_repetition(4, 1)))
    proc = subprocess.run(
        [sys.executable, "-c", "from gcli.cli import main; main()", "run", str(path),
         "--scheduler", "tcp://127.0.0.1:9", "--timeout", "0.5"],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gcli: error: cannot reach the Dask scheduler")
    bad = CliRunner().invoke(cli, ["run", str(path), "--scheduler", "nonsense", "--timeout", "0.5"])
    assert bad.exit_code == 2


def test_cli_run_on_a_local_cluster(tmp_path: Path) -> None:
    path = tmp_path / "crc.json"
    path.write_text(dumps(cyclic_repetition(4, 1)))
    plot = tmp_path / "run.svg"
    out = CliRunner().invoke(cli, ["run", str(path), "--local", "1", "-T", "2", "--straggler-model",
                                   "shifted-exp:1,2", "--delay-unit", "0.002", "--json", "--plot", str(plot)])
    logging.getLogger("distributed").setLevel(logging.WARNING)
    assert out.exit_code == 0, out.output
    payload = json.loads(out.stdout)
    assert payload["format"] == "gcli.run" and len(payload["wall"]) == 2
    assert set(payload["baselines"]) == {"wait_for_all", "ignore_stragglers"}
    assert payload["straggler_model"] == "shifted-exp:1,2" and plot.stat().st_size > 0


def test_docstring_examples() -> None:
    import doctest

    import gcli.training.runtime

    result = doctest.testmod(gcli.training.runtime)
    assert result.failed == 0 and result.attempted > 0


def test_refusals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError, match="malformed straggler model"):
        DelayModel.parse("fixed:")
    assert DelayModel.parse("fixed:2,3").text() == "fixed:2,3"
    assert DelayModel.parse("shifted-exp:1,0.5").text() == "shifted-exp:1,0.5"
    delays = DelayModel.parse("fixed:1,10", 0.5).delays(np.array([1.0, 2.0]), np.array([10.0, 1.0]))
    np.testing.assert_allclose(delays, [5.0, 1.0])
    hcode = hierarchical(2, 3, s_w=1)
    with pytest.raises(InputError, match="layer by layer"):
        run(hcode, None, decoder="optimal")
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(InputError, match=r"pip install 'gradcode\[dask\]'"), connect(local=1):
        pass


@pytest.mark.parametrize("option", [
    ["-T", "10000000"], ["--local", "5000"], ["--threads", "99999"], ["--delay-unit", "1e300"],
    ["--timeout", "nan"], ["--deadline", "inf"], ["--l2", "nan"], ["--lr", "-1"], ["--failure-prob", "inf"],
    ["--straggler-model", "shifted-exp:nan,1"], ["--straggler-model", "fixed:99,1e400"], ["--wait", "0"],
])
def test_hostile_run_options_get_one_line(tmp_path: Path, option: list[str]) -> None:
    """Bad option values are refused before any cluster starts: one line, exit 2, well within the limits."""
    path = tmp_path / "crc.json"
    path.write_text(dumps(cyclic_repetition(4, 1)))
    # once: the children start with them imported
    warm(modules=["distributed", "gcli.training.runtime", "gcli.cli.run"])
    outcome = run_forked(["run", str(path), "--scheduler", "tcp://127.0.0.1:1", "--timeout", "1", *option])
    assert_well_behaved(outcome)
    assert outcome.status == 2, outcome.describe()
