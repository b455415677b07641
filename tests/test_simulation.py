"""The coded gradient descent simulator: exact recovery every iteration, unbiased decoders (exact expectation by
enumerating failure patterns), timing on hand-checked cases, determinism, and one-line errors."""

from __future__ import annotations

import importlib.util
import itertools
import json
import math
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from gcli import InputError, dumps
from gcli.cli import cli
from gcli.constructions import (
    bibd_code,
    cyclic_repetition,
    fractional_repetition,
    graph_code,
    mds,
    reed_solomon,
    srg_code,
)
from gcli.training.datasets import load_dataset
from gcli.training.decoders import full_set_decoder, make_decoder
from gcli.training.models import Model
from gcli.training.simulation import (
    CodedScheme,
    Quantiser,
    StragglerModel,
    Timing,
    simulate,
    simulate_many,
)

MODELS = ["fixed:2", "bernoulli:0.3", "shifted-exp:1,0.5", "fixed:4,3"]


def run(args: list[str]):
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


# ---------------------------------------------------------------------------------------------------------
# exact codes: the decoded gradient is the true gradient at every iteration
# ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("stragglers", MODELS)
@pytest.mark.parametrize(
    "build",
    [lambda: cyclic_repetition(8, 2, seed=3), lambda: reed_solomon(8, 2, m=2), lambda: fractional_repetition(8, 1),
     lambda: mds(8, 2, d=4, m=2, seed=1)],
    ids=["crc", "rs-m2", "frc", "mds-m2"],
)
def test_real_exact_codes_recover_the_gradient_every_iteration(build, stragglers: str) -> None:
    code = build()
    result = simulate(code, iterations=12, stragglers=stragglers, seed=5, samples=160, features=6)
    assert len(result.coded.gradient_error) == 12
    assert max(result.coded.gradient_error) < 1e-9
    # exact recovery means the coded run follows the wait-for-all trajectory
    assert np.allclose(result.coded.loss, result.baselines["wait_for_all"].loss, rtol=1e-9, atol=1e-12)
    assert max(result.baselines["wait_for_all"].gradient_error) < 1e-12
    assert all(r <= code.responders for r in result.coded.responders)


@pytest.mark.parametrize("field", ["GF(65537)", "GF(257)"])
@pytest.mark.parametrize("model", ["logistic", "linear"])
def test_finite_field_codes_recover_the_quantised_sum_every_iteration(field: str, model: str) -> None:
    code = reed_solomon(6, 2, m=2, field=field)
    result = simulate(code, model=model, iterations=10, stragglers="bernoulli:0.4", seed=2, samples=120,
                      features=5)
    assert result.field_sum_exact == [True] * 10
    q = result.parameters["quantisation"]
    assert math.isclose(q["scale"], ((int(field[3:-1]) - 1) / 2 - code.k / 2) / (code.k * q["clip"]))
    assert q["error_bound"] == pytest.approx(code.k / (2 * q["scale"]))
    if model == "logistic":
        assert result.clipped_entries == 0  # the logistic bound is exact: nothing is ever clipped


def test_finite_field_round_against_an_independent_sum() -> None:
    """One round by hand: quantise, then compare with Σ_j round(σ g_j) computed here."""
    code = cyclic_repetition(7, 2, field="GF(65537)")
    quantiser = Quantiser.for_field(65537, code.k, clip=1.0)
    scheme = CodedScheme(code, quantiser=quantiser)
    rng = np.random.default_rng(0)
    for _ in range(5):
        grads = rng.uniform(-1, 1, size=(code.k, 9))
        outcome = scheme.run_round(grads, np.full(code.k, 10.0), rng.uniform(1, 3, code.n), Timing(),
                                   rng.random(code.n))
        wanted = np.rint(grads * quantiser.scale).astype(np.int64).sum(axis=0) / quantiser.scale
        assert outcome.exact_sum is True
        assert np.array_equal(outcome.estimate, wanted)
        assert np.max(np.abs(outcome.estimate - grads.sum(axis=0))) <= quantiser.error_bound


def test_finite_field_too_small_is_refused() -> None:
    with pytest.raises(InputError, match="too small"):
        simulate(reed_solomon(6, 2, field="GF(2^8)"), iterations=2)
    with pytest.raises(InputError, match="too small"):
        Quantiser.for_field(17, 6, 1.0)


@given(n=st.integers(4, 9), data=st.data())
@settings(max_examples=12)
def test_first_decodable_prefix_is_the_shortest(n: int, data) -> None:
    s = data.draw(st.integers(1, n - 2))
    code = cyclic_repetition(n, s, seed=data.draw(st.integers(0, 5)))
    order = np.asarray(data.draw(st.permutations(list(range(n)))))
    scheme = CodedScheme(code)
    length = scheme.first_decodable(order)
    residual = [np.linalg.norm(code.target @ np.linalg.pinv(code.encoding[sorted(order[:r])])
                               @ code.encoding[sorted(order[:r])] - code.target) for r in range(1, n + 1)]
    first = next(r for r in range(1, n + 1) if residual[r - 1] < 1e-8)
    assert length == first <= n - s


# ---------------------------------------------------------------------------------------------------------
# decoders: unbiasedness by exact enumeration
# ---------------------------------------------------------------------------------------------------------
def _expected_estimate(code, decoder, p: float) -> np.ndarray:
    """Σ over all 2^n survivor sets F of P(F)·X_F B_F, workers failing independently with probability p."""
    total = np.zeros_like(code.target, dtype=np.float64)
    for mask in itertools.product([0, 1], repeat=code.n):
        alive = [i for i, bit in enumerate(mask) if bit]
        weight = (1 - p) ** len(alive) * p ** (code.n - len(alive))
        if alive:
            total += weight * (decoder(code, alive) @ code.encoding[alive])
    return total


APPROXIMATE = {
    "petersen": lambda: graph_code("petersen", s=2),
    "fano": lambda: bibd_code(7, 3, s=1),
    "affine-plane": lambda: bibd_code(9, 3, s=2),
    "bipartite": lambda: graph_code("bipartite-regular", n=8, d=3, seed=1),
    "srg": lambda: srg_code(params="9,4,1,2", s=1),
}


@pytest.mark.parametrize("name", sorted(APPROXIMATE))
@pytest.mark.parametrize("p", [0.1, 0.35])
def test_unbiased_decoder_is_unbiased_exactly(name: str, p: float) -> None:
    code = APPROXIMATE[name]()
    assert np.allclose(full_set_decoder(code) @ code.encoding, code.target, atol=1e-12)
    decoder = make_decoder("unbiased", code, failure_prob=p)
    assert np.allclose(_expected_estimate(code, decoder, p), code.target, atol=1e-10)


@pytest.mark.parametrize("name", ["petersen", "affine-plane"])
def test_unbiased_under_uniform_straggler_sets(name: str) -> None:
    """With exactly s uniformly random stragglers each worker is missing with probability s/n."""
    code = APPROXIMATE[name]()
    s = code.s
    decoder = make_decoder("unbiased", code, failure_prob=s / code.n)
    sets = list(itertools.combinations(range(code.n), code.n - s))
    mean = sum(decoder(code, list(f)) @ code.encoding[list(f)] for f in sets) / len(sets)
    assert np.allclose(mean, code.target, atol=1e-12)
    # the documented fixed decoders are tuned for this case: also unbiased here
    fixed = make_decoder("fixed", code)
    mean = sum(fixed(code, list(f)) @ code.encoding[list(f)] for f in sets) / len(sets)
    assert np.allclose(mean, code.target, atol=1e-12)


def test_the_symmetric_design_sum_decoder_is_biased() -> None:
    """The check can fail: the Fano plane's least-squares sum decoder is not unbiased (Kadhe et al., ISIT 2019)."""
    code = APPROXIMATE["fano"]()
    biased = _expected_estimate(code, make_decoder("fixed", code), 0.2)
    assert not np.allclose(biased, code.target, atol=1e-3)


def test_optimal_decoder_is_least_squares_and_fixed_weight_is_documented() -> None:
    code = graph_code("petersen", s=1)
    rows = [0, 1, 2, 4, 5, 6, 7, 8, 9]
    x = make_decoder("optimal", code)(code, rows)
    ls = np.linalg.lstsq(code.encoding[rows].T, code.target.T, rcond=None)[0].T
    assert np.allclose(x, ls)
    assert np.allclose(make_decoder("fixed", code)(code, rows), 10 / 9)
    with pytest.raises(InputError, match="no fixed decoder"):
        make_decoder("fixed", cyclic_repetition(6, 2))
    with pytest.raises(InputError, match="unknown decoder"):
        make_decoder("median", code)


def test_unbiased_decoder_in_the_simulator_uses_p_equal_to_the_missing_fraction() -> None:
    code = graph_code("petersen", s=2)
    result = simulate(code, decoder="unbiased", iterations=3, stragglers="fixed:2", seed=0)
    assert result.parameters["code"]["failure_prob"] == pytest.approx(0.2)
    assert result.coded.responders == [8, 8, 8]


# ---------------------------------------------------------------------------------------------------------
# timing, baselines, models
# ---------------------------------------------------------------------------------------------------------
def test_times_on_a_hand_checked_case() -> None:
    """FRC n = 4, s = 1; 400 samples in 4 partitions of 100; one straggler 10× slower; ℓ = 4 (3 features +
    intercept). Coded workers hold 200 samples: 200 + 4 per round. Wait for all: the straggler's
    10·100 + 4. Ignore stragglers: the slowest of the 3 fast workers, 100 + 4."""
    code = fractional_repetition(4, 1)
    result = simulate(code, iterations=6, stragglers="fixed:1,10", samples=400, features=3, seed=3)
    assert result.coded.time == pytest.approx([204.0 * (t + 1) for t in range(6)])
    assert result.baselines["wait_for_all"].time == pytest.approx([1004.0 * (t + 1) for t in range(6)])
    assert result.baselines["ignore_stragglers"].time == pytest.approx([104.0 * (t + 1) for t in range(6)])
    assert set(result.coded.responders) <= {2, 3}
    timed = simulate(code, iterations=2, stragglers="fixed:1,10", samples=400, features=3, seed=3,
                     timing=Timing(compute_per_sample=0.5, communication_per_symbol=2.0))
    assert timed.coded.time == pytest.approx([108.0, 216.0])


def test_communication_time_uses_the_padded_message_length() -> None:
    code = reed_solomon(6, 1, m=2)  # ℓ = 5 (4 features + intercept) is padded to 6: messages of 3 numbers
    result = simulate(code, iterations=1, stragglers="fixed:0", samples=60, features=4, seed=0,
                      timing=Timing(compute_per_sample=0.0, communication_per_symbol=1.0))
    assert result.parameters["message_length"] == 3
    assert result.coded.time == [3.0]
    assert result.baselines["wait_for_all"].time == [5.0]


def test_straggler_models_parse_and_draw() -> None:
    rng = np.random.default_rng(0)
    fixed = StragglerModel.parse("fixed:3,7")
    assert fixed.text() == "fixed:3,7" and StragglerModel.parse(fixed.text()) == fixed
    draws = np.stack([fixed.slowdowns(10, rng) for _ in range(200)])
    assert np.all((draws == 7).sum(axis=1) == 3)
    bern = StragglerModel.parse("bernoulli:0.25")
    assert abs(np.mean(np.stack([bern.slowdowns(10, rng) for _ in range(2000)]) == 5.0) - 0.25) < 0.02
    exp = StragglerModel.parse("shifted-exp:2,0.5")
    sample = np.concatenate([exp.slowdowns(10, rng) for _ in range(2000)])
    assert sample.min() >= 2 and abs(sample.mean() - 4.0) < 0.1


@pytest.mark.parametrize("text", ["fixed", "fixed:", "fixed:x", "fixed:-1", "bernoulli:1.5", "bernoulli:0.1,0.5",
                                  "shifted-exp:1", "shifted-exp:1,0", "shifted-exp:-1,1", "gamma:1,2",
                                  "fixed:1,inf", "bernoulli:nan", ""])
def test_malformed_straggler_models(text: str) -> None:
    with pytest.raises(InputError):
        StragglerModel.parse(text)


def test_models_gradients_against_finite_differences() -> None:
    for dataset, model in [("synthetic", "logistic"), ("synthetic", "linear"), ("digits", "logistic")]:
        data = load_dataset(dataset, model=model, seed=4, samples=40, features=3)
        if dataset == "digits":
            data = type(data)(data.name, data.features[:60], data.targets[:60], data.task, data.description)
        risk = Model(model, data, l2=0.01)
        w = np.random.default_rng(1).standard_normal(risk.parameters) * 0.1
        grad = risk.gradient(w)
        for t in np.random.default_rng(2).choice(risk.parameters, size=min(5, risk.parameters), replace=False):
            e = np.zeros(risk.parameters)
            e[t] = 1e-6
            numeric = (risk.loss(w + e) - risk.loss(w - e)) / 2e-6
            assert numeric == pytest.approx(grad[t], rel=1e-5, abs=1e-8)
        parts = [slice(0, 7), slice(7, data.samples)]
        assert np.allclose(risk.partial_gradients(w, parts).sum(axis=0) + 0.01 * w, grad)


def test_bundled_data_sets_equal_scikit_learns_loaders() -> None:
    sk = pytest.importorskip("sklearn.datasets")
    digits = load_dataset("digits")
    assert digits.features.shape == (1797, 65) and digits.task == "multiclass"
    assert np.array_equal(digits.targets.argmax(axis=1), sk.load_digits().target)
    cancer = load_dataset("breast-cancer", model="linear")
    assert np.array_equal(cancer.targets[:, 0], sk.load_breast_cancer().target)
    raw = sk.load_breast_cancer().data
    assert np.allclose(cancer.features[:, :-1], (raw - raw.mean(0)) / raw.std(0))


def test_approximate_codes_train_and_report_errors() -> None:
    code = graph_code("petersen", s=2)
    result = simulate(code, iterations=30, stragglers="fixed:2", seed=1)
    assert result.parameters["code"]["decoder"] == "optimal"
    assert min(result.coded.gradient_error) > 0
    assert result.coded.loss[-1] < result.parameters["initial_loss"]


# ---------------------------------------------------------------------------------------------------------
# determinism, executors
# ---------------------------------------------------------------------------------------------------------
def test_deterministic_for_a_seed() -> None:
    code = cyclic_repetition(6, 2)
    one = json.dumps(simulate(code, iterations=8, stragglers="shifted-exp:1,1", seed=7).to_json())
    two = json.dumps(simulate(code, iterations=8, stragglers="shifted-exp:1,1", seed=7).to_json())
    other = json.dumps(simulate(code, iterations=8, stragglers="shifted-exp:1,1", seed=8).to_json())
    assert one == two != other


def test_sweeps_on_an_executor_equal_direct_runs() -> None:
    code = reed_solomon(6, 1, field="GF(65537)")
    runs = [(code, {"iterations": 3, "seed": seed, "stragglers": "bernoulli:0.3"}) for seed in range(3)]
    with ThreadPoolExecutor(2) as pool:
        parallel = simulate_many(runs, executor=pool)
    direct = [simulate(c, **kw) for c, kw in runs]
    assert [r.to_json() for r in parallel] == [r.to_json() for r in direct]


def test_sweeps_on_processes_and_dask() -> None:
    code = graph_code("petersen", s=2)
    runs = [(code, {"iterations": 3, "seed": seed, "decoder": "unbiased"}) for seed in range(2)]
    direct = [r.to_json() for r in simulate_many(runs)]
    with ProcessPoolExecutor(max_workers=2) as pool:
        assert [r.to_json() for r in simulate_many(runs, executor=pool)] == direct
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None) \
            as cluster, distributed.Client(cluster) as client:
        assert [r.to_json() for r in simulate_many(runs, executor=client.get_executor())] == direct


class _Wrapped:
    """A code object that is not a gcli.Code but brings its own scheme (the hook hierarchical codes use)."""

    def __init__(self, code) -> None:
        self.code = code

    def simulation_scheme(self, **options):
        scheme = CodedScheme(self.code, **options)
        scheme.label = "two-layer stand-in"
        return scheme


def test_other_schemes_plug_in_through_simulation_scheme() -> None:
    inner = fractional_repetition(6, 2)
    wrapped = simulate(_Wrapped(inner), iterations=4, stragglers="fixed:2", seed=2)
    direct = simulate(inner, iterations=4, stragglers="fixed:2", seed=2)
    assert wrapped.coded.label == "two-layer stand-in"
    assert wrapped.coded.loss == direct.coded.loss and wrapped.coded.time == direct.coded.time
    assert "two-layer stand-in" in wrapped.summary()
    with pytest.raises(InputError, match="cannot simulate"):
        simulate(object(), iterations=1)


# ---------------------------------------------------------------------------------------------------------
# command line
# ---------------------------------------------------------------------------------------------------------
def test_cli_json_keys_and_byte_identical_output(tmp_path) -> None:
    path = tmp_path / "crc.json"
    path.write_text(dumps(cyclic_repetition(6, 2)))
    args = ["simulate", str(path), "-T", "4", "--straggler-model", "bernoulli:0.3", "--seed", "3", "--json"]
    first, second = run(args), run(args)
    assert first.exit_code == 0 and first.stdout == second.stdout
    obj = json.loads(first.stdout)
    for key in ("loss", "gradient_error", "time"):
        assert len(obj[key]) == 4
        for name in ("wait_for_all", "ignore_stragglers"):
            assert len(obj["baselines"][name][key]) == 4
    text = run(["simulate", str(path), "-T", "4"])
    assert text.exit_code == 0 and "wait for all" in text.stdout and "ignore stragglers" in text.stdout
    repeats = run([*args, "--repeats", "2", "--jobs", "2"])
    assert [r["seed"] for r in json.loads(repeats.stdout)["runs"]] == [3, 4]


@pytest.mark.parametrize(
    ("extra", "message"),
    [(["--dataset", "mnist"], "--dataset"), (["--straggler-model", "fixed:two"], "straggler model"),
     (["--straggler-model", "fixed:9"], "more stragglers"), (["--decoder", "magic"], "unknown decoder"),
     (["--decoder", "fixed"], "no fixed decoder"), (["--wait", "9"], "wait for"),
     (["--iterations", "0"], "iterations"), (["--failure-prob", "1"], "failure-prob")],
)
def test_cli_bad_input_is_one_line_exit_2(tmp_path, extra: list[str], message: str) -> None:
    path = tmp_path / "crc.json"
    path.write_text(dumps(cyclic_repetition(6, 2)))
    result = run(["simulate", str(path), "-T", "2", *extra])
    assert result.exit_code == 2, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gcli: error: ")
    assert any(part in lines[0] for part in message.split("|")), lines[0]


def test_cli_approximate_decoders_need_a_real_code(tmp_path) -> None:
    path = tmp_path / "rs.json"
    path.write_text(dumps(reed_solomon(6, 2, field="GF(65537)")))
    result = run(["simulate", str(path), "-T", "2", "--decoder", "unbiased"])
    assert result.exit_code == 2 and "approximates real gradients" in result.stderr


def test_missing_datasets_extra_is_one_line_exit_2(tmp_path, monkeypatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name.split(".")[0] == "sklearn" else real(name, *a))
    with pytest.raises(InputError, match=r"gradcode\[datasets\]"):
        load_dataset("digits")
    with pytest.raises(InputError, match="unknown data set"):
        simulate(fractional_repetition(4, 1), dataset="mnist")
    with pytest.raises(InputError, match="unknown model"):
        simulate(fractional_repetition(4, 1), model="svm")
    path = tmp_path / "frc.json"
    path.write_text(dumps(fractional_repetition(4, 1)))
    result = run(["simulate", str(path), "--dataset", "breast-cancer", "-T", "2"])
    assert result.exit_code == 2 and "pip install 'gradcode[datasets]'" in result.stderr
    assert run(["simulate", str(path), "-T", "2"]).exit_code == 0  # synthetic needs nothing


def test_exact_decoder_decodes_sets_smaller_than_the_structured_decoders_minimum() -> None:
    # crc(4, 1): workers {0, 2} hold every partition once, below the interpolation decoder's K = 3
    code = cyclic_repetition(4, 1)
    result = simulate(code, iterations=5, seed=0)
    assert min(result.coded.responders) == 2 and max(result.coded.gradient_error) < 1e-9


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**16), n=st.integers(3, 8), m=st.integers(2, 3), rank_drop=st.integers(0, 2),
       size=st.integers(1, 8))
def test_decodable_on_wide_codes_is_the_pinv_on_b(seed, n, m, rank_drop, size):
    """CodedScheme.decodable of a wide real code (k·m ≥ 2n: solved in its row space's coordinates) agrees with the
    least-squares residual ‖T·B_F⁺·B_F − T‖ on B itself, on every set of responders, for full-rank and
    rank-deficient B, exact sets and inexact ones."""
    from gcli.code import Code, assignment_from_support
    from gcli.fields import REAL

    rng = np.random.default_rng(seed)
    k = 2 * n
    rank = max(1, n - rank_drop)
    enc = rng.standard_normal((n, rank)) @ rng.standard_normal((rank, k * m))
    if seed % 2 and n > m:  # the rows of T = [I_m … I_m] as the first m workers: the sets holding them decode
        enc[:m] = np.tile(np.eye(m), k)
    assignment = assignment_from_support(enc, k, m)
    code = Code("wide", REAL, n, k, 0, m, 0, max(1, max(len(r) for r in assignment)), assignment, enc, exact=False)
    assert np.array_equal(np.asarray(code.target), np.tile(np.eye(m), k))
    scheme = CodedScheme(code, decoder="optimal")
    target = np.asarray(code.target, dtype=np.float64)
    for rows in itertools.combinations(range(n), min(size, n)):
        block = enc[list(rows)]
        residual = np.linalg.norm(target @ np.linalg.pinv(block) @ block - target) / math.sqrt(k * m)
        if abs(residual - scheme.tolerance) <= 1e-6 * scheme.tolerance:
            continue  # at the tolerance itself round-off may decide
        assert scheme.decodable(rows) == bool(residual <= scheme.tolerance), rows
    assert scheme._coordinates is not None  # the row-space route was taken
