"""gcli.advise / gcli advise (issue 24): the top exact row meets the trade-off bound where it is known, the
Pareto marks are right, approximate codes are never labelled exact, every listed code passes verify, and the
time column agrees with gcli simulate."""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gcli
from gcli.advice.advisor import pareto_front
from gcli.cli import cli

EXACT = ("frc", "crc", "reed-solomon", "mds")


def run(*args: str):
    return CliRunner().invoke(cli, ["advise", *args])


def dominated(x: tuple[float, ...], y: tuple[float, ...]) -> bool:
    """Independent check: x dominates y (≤ everywhere, < somewhere)."""
    return all(a <= b for a, b in zip(x, y, strict=True)) and x != y


GRID = [(n, s, a, m) for n in (7, 9) for s in (0, 1, 2) for a in (0, 1) for m in (1, 2)
        if s + 2 * a + m <= n - 1]


@pytest.mark.parametrize(("n", "s", "a", "m"), GRID)
def test_the_top_exact_row_meets_the_tradeoff_bound(n, s, a, m):
    """Reed-Solomon / mds (and frc, crc when they apply) meet d = ceil(k(s + 2a + m)/n) with k = n; ranked by
    load with messages of at most 1/m, the first exact row has exactly that load."""
    advice = gcli.advise(n, s, a=a, m=m, families=EXACT, objective="load", rounds=2)
    top = next(row for row in advice.rows if row.exact)
    assert top.d == math.ceil(top.k * (s + 2 * a + m) / top.n)  # independent of gcli.bounds
    assert top.meets_bound and "meets the bound" in top.reasons
    assert top.m >= m and top.a == a and top.s == s


def test_the_load_budget_prunes_before_building():
    advice = gcli.advise(10, 2, max_load=3, families=EXACT, rounds=2)
    assert all(row.d <= 3 for row in advice.rows)
    assert any("bound needs d" in reason or "load" in reason for _, reason in advice.pruned)
    assert advice.built < len(advice.rows) + len(advice.pruned) + len(advice.refused)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(5, 9), s=st.integers(0, 2), m=st.integers(1, 2),
       objective=st.sampled_from(["time", "load", "communication", "error"]))
def test_no_pareto_row_is_dominated(n, s, m, objective):
    advice = gcli.advise(n, s, m=m, families=EXACT, objective=objective, rounds=3)
    axes = [(r.load_fraction, r.message_fraction, 0.0 if r.exact else r.error,
             1.0 if r.worst_condition is None else float(f"{r.worst_condition:.3g}"), r.time) for r in advice.rows]
    for i, row in enumerate(advice.rows):
        beaten = any(dominated(axes[j], axes[i]) for j in range(len(axes)) if j != i)
        assert row.pareto == (not beaten), (row.command, row.reasons)
        assert row.pareto or any(reason.startswith("dominated by #") for reason in row.reasons)


@given(st.lists(st.tuples(*[st.sampled_from([0.0, 0.5, 1.0, 2.0, math.nan])] * 3), min_size=1, max_size=8))
def test_pareto_front_against_brute_force(points):
    marks = pareto_front(points)
    for i, p in enumerate(points):
        assert marks[i] == (not any(dominated(q, p) for j, q in enumerate(points) if j != i))


@pytest.fixture(scope="module")
def mixed():
    """Exact and approximate codes near 9 workers at p = 0.15."""
    return gcli.advise(9, p=0.15, families=("crc", "srg", "bibd"), rounds=3)


def test_approximate_codes_are_never_labelled_exact(mixed):
    kinds = {row.exact for row in mixed.rows}
    assert kinds == {True, False}  # the check can fail: both kinds are listed
    for row in mixed.rows:
        assert row.exact == row.code.exact
        assert row.exact or (row.bound_load is None and "meets the bound" not in row.reasons)
        assert not row.exact or row.worst_error is None
    table = mixed.table()
    for line, row in zip(table.splitlines()[2:], mixed.rows, strict=False):
        assert ("approx" in line) == (not row.exact), line


def test_every_listed_code_passes_verify(mixed):
    from gcli.io.json import dumps, loads

    for row in mixed.rows:
        certificate = gcli.certify(loads(dumps(row.code)), force=True)
        assert certificate.certified, row.command
        assert not row.exact or certificate.decodable


@pytest.mark.parametrize(("n", "s", "a", "field"), [(7, 1, 0, "real"), (8, 1, 1, "any"), (7, 2, 0, "GF(11)")])
def test_every_listed_code_passes_verify_on_a_grid(n, s, a, field):
    advice = gcli.advise(n, s, a=a, field=field, families=EXACT, rounds=2)
    assert advice.rows
    for row in advice.rows:
        assert gcli.certify(row.code, force=True).certified, row.command


def test_time_ranking_agrees_with_gcli_simulate(tmp_path):
    """The time column is the mean of gcli simulate's per-iteration times (same seed, same delay model), so the
    top three rows are ordered the same way by both."""
    rounds, seed, model = 12, 3, "fixed:2,4"
    advice = gcli.advise(9, 2, families=EXACT, delay_model=model, rounds=rounds, seed=seed)
    assert len(advice.rows) >= 3
    simulated = []
    for i, row in enumerate(advice.rows[:3]):
        path = tmp_path / f"row{i}.json"
        path.write_text(gcli.dumps(row.code))
        result = CliRunner().invoke(cli, ["simulate", str(path), "--iterations", str(rounds), "--straggler-model",
                                          model, "--seed", str(seed), "--json"])
        assert result.exit_code == 0, result.output
        simulated.append(json.loads(result.output)["time"][-1] / rounds)
        assert simulated[-1] == pytest.approx(row.time, rel=1e-9)
    assert simulated == sorted(simulated)


def test_codes_with_more_partitions_than_samples_are_timed_per_fraction_of_the_data():
    """k > samples (an approximate code with hundreds of blocks, say) used to stop advise ("cannot split 512
    samples into 825 partitions"). Its time is the model's per fraction of the data: N samples at cost c give
    the same times as N' samples at cost c·N/N' whenever both split evenly, and the short data set must agree
    with the long one at the same N·c."""
    short = gcli.advise(12, 1, families=("frc", "crc"), samples=6, rounds=8)  # k = 12 > 6 samples
    long = gcli.advise(12, 1, families=("frc", "crc"), samples=120, compute_cost=6 / 120, rounds=8)
    assert [row.command for row in short.rows] == [row.command for row in long.rows]
    for a, b in zip(short.rows, long.rows, strict=True):
        assert a.time is not None and math.isfinite(a.time)
        assert a.time == pytest.approx(b.time, rel=1e-9)


def test_a_rejected_code_names_the_set_that_does_not_decode():
    """Real reed-solomon with m > 1 on 30 workers is ill-conditioned: advise rejects it and says which surviving
    set fails; least squares on that set (an independent computation) indeed leaves a residual."""
    import re

    import numpy as np

    from gcli.constructions import SCHEMES
    from gcli.constructions._common import deferred_certification

    advice = gcli.advise(30, 3, m=4, families=("reed-solomon", "mds"), rounds=2)
    rejected = {item["candidate"]: item["reason"] for item in advice.to_json()["rejected"]}
    reason = rejected["gcli design reed-solomon -m 4 -n 30 -s 3"]
    match = re.fullmatch(r"its certificate fails: the surviving set (\[[0-9, ]+\]) does not decode "
                         r"\(largest residual .+ of tolerance .+\)", reason)
    assert match, reason
    rows = json.loads(match.group(1))
    with deferred_certification():
        code = SCHEMES["reed-solomon"](n=30, s=3, m=4)
    block = np.asarray(code.encoding, dtype=np.float64)[rows]
    target = np.asarray(code.target, dtype=np.float64)
    x = np.linalg.lstsq(block.T, target.T, rcond=None)[0].T
    assert np.linalg.norm(x @ block - target) / np.linalg.norm(target) > 1e-8


def test_cli_writes_the_chosen_code_and_it_verifies(tmp_path):
    best = tmp_path / "best.json"
    result = run("-n", "8", "-s", "2", "--family", "crc", "--family", "mds", "--rounds", "3", "-o", str(best))
    assert result.exit_code == 0, result.output
    assert "meets the bound" in result.output
    verified = CliRunner().invoke(cli, ["verify", str(best)])
    assert verified.exit_code == 0, verified.output


def test_same_seed_same_bytes():
    args = ["-n", "9", "-p", "0.15", "--rounds", "4", "--seed", "5", "--json", "--family", "crc", "--family", "srg"]
    first, second = run(*args), run(*args)
    assert first.exit_code == 0, first.output
    assert first.output == second.output
    payload = json.loads(first.output)
    assert payload["counts"]["listed"] == len(payload["rows"]) and payload["request"]["delay_model"] == "bernoulli:0.15"


@pytest.mark.parametrize(("args", "words"), [
    (["-n", "8", "-s", "9"], "infeasible"),
    (["-n", "8"], "exactly one of -s and -p"),
    (["-n", "8", "-s", "1", "--delay-model", "slow"], "straggler model"),
    (["-n", "9", "-s", "1", "--relays", "2"], "do not split evenly"),
    (["-n", "8", "-s", "1", "--family", "nope"], "unknown family"),
    (["-n", "8", "-s", "1", "--field", "GF(6)"], "GF"),
    (["-n", "8", "-s", "1", "--max-load", "1"], "no code fits"),
])
def test_bad_input_is_one_line_exit_2(args, words):
    result = run(*args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and words in lines[0], result.output


def test_relays_give_hierarchical_codes():
    advice = gcli.advise(10, 1, relays=2, rounds=2)
    assert advice.rows and all(row.scheme == "hierarchical" for row in advice.rows)
    assert all(row.time is not None and math.isfinite(row.time) for row in advice.rows)
    assert all(gcli.certify(row.code).certified for row in advice.rows)


@pytest.mark.parametrize(("n", "relays", "s", "a"), [(10, 2, 1, 0), (20, 4, 1, 1), (12, 3, 0, 1)])
def test_hierarchical_rows_have_the_two_layer_bound_and_kappa(n, relays, s, a):
    """The bound column of a hierarchical row is the least computation load of its replication (the figure
    gcli verify prints, recomputed here by bound hierarchical's function), and κ over the reals is the worse
    of the two layers' worst condition numbers; over GF(q) there is no κ."""
    from gcli.bounds.hierarchical import min_integer_load

    for field in ("real", "GF(257)"):
        advice = gcli.advise(n, s, a=a, relays=relays, rounds=2, field=field)
        assert advice.rows
        for row in advice.rows:
            report = gcli.certify(row.code).hierarchy
            h = row.code
            r_1, r_2 = h.replication()
            assert row.bound_load == min_integer_load(h.partitions, r_1, h.cluster_sizes, r_2), row.command
            assert row.gap == row.d - row.bound_load
            layers = [report.relay_layer, *report.cluster_layers]
            if field == "real":
                assert row.worst_condition == max(layer.worst_condition_number for layer in layers)
            else:
                assert row.worst_condition is None
        assert advice.rows[0].gap == 0  # the top row meets the bound


@pytest.mark.parametrize("field", ["real", "GF(257)"])
def test_hierarchical_rows_are_ranked_by_the_time_gcli_simulate_gives(tmp_path, field):
    """With relays every row has a finite time, the mean of gcli simulate's per-iteration times on the row's file
    (same seed and delay model), and the rows are sorted by it (the default objective)."""
    from gcli.hierarchical.codes import dumps_hcode

    rounds, seed = 4, 2
    advice = gcli.advise(50, 1, relays=5, field=field, rounds=rounds, seed=seed)
    times = [row.time for row in advice.rows]
    assert len(times) >= 2 and all(t is not None and math.isfinite(t) for t in times)
    assert times == sorted(times)
    row = advice.rows[-1]
    path = tmp_path / "row.json"
    path.write_text(dumps_hcode(row.code))
    result = CliRunner().invoke(cli, ["simulate", str(path), "--iterations", str(rounds), "--straggler-model",
                                      "fixed:1", "--seed", str(seed), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["time"][-1] / rounds == pytest.approx(row.time, rel=1e-9)


def test_threads_do_not_change_the_advice():
    one = gcli.advise(9, p=0.15, field="any", families=("crc", "reed-solomon", "srg"), rounds=3, jobs=1)
    two = gcli.advise(9, p=0.15, field="any", families=("crc", "reed-solomon", "srg"), rounds=3, jobs=2)
    assert json.dumps(one.to_json()) == json.dumps(two.to_json())
    assert {row.field for row in one.rows} == {"real", "GF(11)"}


def test_plot_draws_the_front(tmp_path):
    pytest.importorskip("matplotlib")
    target = tmp_path / "front.png"
    result = run("-n", "8", "-s", "1", "--family", "crc", "--family", "mds", "--rounds", "2", "--plot", str(target))
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 1000


def test_each_code_is_certified_once_and_records_what_design_records(monkeypatch):
    """The builders skip their own check inside advise (the registry's certify=False) and advise runs one
    verify pass per code; the listed exact code carries the same construction record gcli design writes."""
    import gcli.certification.certificate as certificate
    import gcli.certification.verification as verification
    from gcli.constructions import SCHEMES

    calls: list[int] = []
    real_pass = verification.run_pass

    def counting(code, *args, **kwargs):
        calls.append(code.n)
        return real_pass(code, *args, **kwargs)

    for module in (verification, certificate):  # verify (the builders') and certify (advise's) both pass here
        monkeypatch.setattr(module, "run_pass", counting)
    advice = gcli.advise(8, 1, families=("crc", "mds", "reed-solomon"), rounds=2, jobs=1)
    assert advice.rows and len(calls) == advice.built  # one pass per built code (a second would double it)
    monkeypatch.undo()
    for row in advice.rows:
        designed = SCHEMES[row.scheme](**row.params)
        assert row.code.construction == designed.construction, row.command
        assert gcli.certify(gcli.loads(gcli.dumps(row.code))).certified, row.command


def test_every_listed_code_is_the_code_design_writes(mixed):
    """Exact and approximate, with and without a builder's own check: the same bytes as gcli design."""
    from gcli.constructions import SCHEMES

    for row in mixed.rows:
        assert gcli.dumps(row.code) == gcli.dumps(SCHEMES[row.scheme](**row.params)), row.command


def test_design_still_certifies_by_default():
    from gcli.constructions import SCHEMES

    assert SCHEMES["crc"](n=6, s=1).construction["checked"]["exhaustive"]
    assert "checked" not in SCHEMES["crc"](certify=False, n=6, s=1).construction


def test_an_exhaustive_certificate_spares_the_simulator_its_solves(monkeypatch):
    """With decodes_from the simulator skips the solves of the n − s sets it is told decode, and the times are
    the same as without."""
    import numpy as np

    from gcli.constructions import SCHEMES
    from gcli.training import simulation

    code = SCHEMES["mds"](n=9, s=2, m=2)
    solves: list[int] = []
    real_pinv = np.linalg.pinv

    def counting(matrix, *args, **kwargs):
        solves.append(len(matrix))
        return real_pinv(matrix, *args, **kwargs)

    monkeypatch.setattr(np.linalg, "pinv", counting)
    plain = simulation.iteration_times(code, stragglers="fixed:2", iterations=6, seed=4)
    without = len(solves)
    told = simulation.iteration_times(code, stragglers="fixed:2", iterations=6, seed=4, decodes_from=code.responders)
    assert np.array_equal(plain, told)
    assert len(solves) - without < without and code.responders not in solves[without:]


def test_private_relays_over_gf_q():
    """Over GF(q) every hierarchical candidate that admits it comes with a private twin: its relays learn nothing
    (leakage 0, re-checked here by gcli.certify's privacy certificate), its loads equal the twin's, and it
    dominates the twin on the leak axis; the non-private twin's relays learn something."""
    from gcli.certification.hierarchical import privacy_report

    advice = gcli.advise(12, 1, relays=3, field="GF(13)", rounds=2)
    private = [row for row in advice.rows if row.params.get("private")]
    plain = [row for row in advice.rows if not row.params.get("private")]
    assert private and plain
    for row in private:
        assert row.privacy == 0 and row.pareto and "private relays" in row.reasons
        assert all(leak.private for leak in privacy_report(row.code).relays)
        twin = next(p for p in plain if p.m == row.m)
        assert (twin.d, twin.k) == (row.d, row.k) and twin.privacy is not None and twin.privacy > 0
        assert not twin.pareto
    assert all(gcli.certify(row.code).certified for row in private)


def test_advise_rejects_a_real_code_whose_worst_condition_number_is_not_finite(monkeypatch):
    """The builders' own check is deferred inside advise, so advise applies design's refusal itself: a real code
    whose certificate reports an infinite κ is rejected, never listed (gcli verify would not accept its record)."""
    import dataclasses

    import gcli.certification.certificate as certificate

    real_certify = certificate.certify

    def spoiled(code, *args, **kwargs):
        cert = real_certify(code, *args, **kwargs)
        if cert.stability is None:
            return cert
        return dataclasses.replace(cert, stability=dataclasses.replace(cert.stability,
                                                                       worst_condition_number=math.inf))

    monkeypatch.setattr(certificate, "certify", spoiled)
    with pytest.raises(gcli.InputError, match=r"no code fits: .* [1-9]\d* rejected"):
        gcli.advise(8, 1, families=("reed-solomon",), rounds=1, jobs=1)


# -- a given placement: universal codes on it, every m up to the optimum r − s − 2a --------------------------------
@st.composite
def placements(draw: st.DrawFn) -> tuple[list[list[int]], int, int]:
    """(rows, s, a): a random uneven placement of k partitions on n ≤ 7 workers, each partition on at least
    s + 2a + 1 workers."""
    n = draw(st.integers(3, 7))
    k = draw(st.integers(1, 5))
    a = draw(st.integers(0, 1 if n >= 4 else 0))
    s = draw(st.integers(0, n - 2 - 2 * a))
    rows: list[list[int]] = [[] for _ in range(n)]
    for j in range(k):
        for w in draw(st.permutations(range(n)))[: draw(st.integers(s + 2 * a + 1, n))]:
            rows[w].append(j)
    return [sorted(row) for row in rows], s, a


def least_replication(rows: list[list[int]]) -> int:
    """Independent count: the fewest rows holding a partition."""
    k = 1 + max(j for row in rows for j in row)
    return min(sum(j in row for row in rows) for j in range(k))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=placements(), field=st.sampled_from(["GF(17)", "real"]),
       objective=st.sampled_from(["load", "communication"]))
def test_on_a_placement_the_top_row_reaches_the_placement_bound_and_verifies(case, field, objective):
    """On a random placement the listed codes are universal codes on exactly that placement; ranked by load or
    communication the top row's m is r − s − 2a (r counted here), every m up to it is listed over GF(q), larger
    m are pruned by the placement bound, the other families are pruned with their reason, the Pareto marks are
    right, and gcli advise -o writes a file gcli verify accepts."""
    import tempfile
    from pathlib import Path

    from gcli.constructions import SCHEMES

    rows, s, a = case
    optimum = least_replication(rows) - s - 2 * a
    advice = gcli.advise(s=s, a=a, placement=rows, field=field, objective=objective, rounds=2)
    top = advice.rows[0]
    assert top.exact and top.m == optimum and top.optimal_m == optimum and top.meets_bound
    assert "meets the bound" in top.reasons
    for row in advice.rows:
        assert row.scheme == "universal" and row.n == len(rows) and row.m <= optimum
        assert [list(r) for r in row.code.assignment] == rows and row.d == max(len(r) for r in rows)
        assert gcli.dumps(row.code) == gcli.dumps(SCHEMES["universal"](**row.params)), row.command
    if field != "real":
        assert sorted(row.m for row in advice.rows) == list(range(1, optimum + 1))
    for what, reason in advice.pruned:
        assert (("placement bound" in reason and what.startswith("gcli design universal"))
                or (what != "universal" and "--placement" in reason)), (what, reason)
    axes = [(r.load_fraction, r.message_fraction, 0.0, 1.0 if r.worst_condition is None
             else float(f"{r.worst_condition:.3g}"), r.time) for r in advice.rows]
    for i, row in enumerate(advice.rows):
        assert row.pareto == (not any(dominated(axes[j], axes[i]) for j in range(len(axes)) if j != i))
    with tempfile.TemporaryDirectory() as tmp:
        placement, best = Path(tmp) / "placement.json", Path(tmp) / "best.json"
        placement.write_text(json.dumps(rows))
        result = run("--placement", str(placement), "-s", str(s), "-a", str(a), "--field", field, "--objective",
                     objective, "--rounds", "2", "-o", str(best))
        assert result.exit_code == 0, result.output
        assert f"--placement {placement}" in result.output
        verified = CliRunner().invoke(cli, ["verify", str(best)])
        assert verified.exit_code == 0, verified.output
        assert gcli.loads(best.read_text()).m == optimum


PLACED = [[0, 1], [1, 2], [2, 3], [3, 0], [0, 1, 2, 3], [0, 2]]  # r = 3 (partitions 1 and 3), n = 6, d = 4


@pytest.fixture
def placed(tmp_path):
    path = tmp_path / "placement.json"
    path.write_text(json.dumps(PLACED))
    return str(path)


@pytest.mark.parametrize(("args", "words"), [
    (["-s", "3"], "partition 1 is held by only r = 3 workers"),
    (["-s", "1", "-a", "1"], "infeasible"),
    (["-p", "0.5"], "infeasible"),
    (["-n", "7", "-s", "1"], "the placement has 6 workers, but n = 7"),
    (["-s", "1", "-m", "3"], "exceeds the optimum r − s − 2a = 3 − 1 − 0 = 2"),
    (["-s", "1", "--max-load", "3"], "load is d = 4"),
    (["-s", "1", "--relays", "2"], "one layer"),
    (["-s", "1", "--family", "mds"], "places data its own way"),
    (["-s", "1", "--field", "GF(5)"], "too small"),
])
def test_impossible_requests_on_a_placement_are_one_line_exit_2(placed, args, words):
    result = run("--placement", placed, *args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and words in lines[0], result.output


def test_a_placement_prunes_larger_m_by_its_bound_and_the_other_families_by_reason(placed):
    """n comes from the placement (-n may repeat it); m = 4 (tried for the other families) is pruned by the
    placement bound m ≤ r − s − 2a = 2; the table says the bound; the JSON records the placement."""
    advice = gcli.advise(6, 1, placement=placed, rounds=2)
    assert [(row.m, row.meets_bound) for row in sorted(advice.rows, key=lambda r: r.m)] == [(1, False), (2, True)]
    assert all(row.bound_load is None and row.gap is None and row.d == 4 for row in advice.rows)
    reasons = dict(advice.pruned)
    assert reasons[f"gcli design universal -m 4 --placement {placed} -s 1"].startswith("the placement bound: m ≤ ")
    assert reasons["crc"] == "places data its own way; --placement fixes it" and "clusters" in reasons["hierarchical"]
    payload = advice.to_json()
    assert payload["request"]["placement"] == {"file": placed, "workers": 6, "partitions": 4, "load": 4,
                                               "replication": 3, "least_replicated_partition": 1, "optimal_m": 2}
    assert all(row["optimal_m"] == 2 for row in payload["rows"])
    table = advice.table()
    assert "least message 1/(r − s − 2a) = 1/2" in table.splitlines()[0]


def test_without_a_placement_universal_says_it_needs_one():
    advice = gcli.advise(6, 1, families=("crc", "universal"), rounds=2)
    assert dict(advice.pruned)["universal"] == "needs a placement (--placement FILE)"
    assert "optimal_m" not in advice.to_json()["rows"][0] and "placement" not in advice.to_json()["request"]
    assert all(row.optimal_m is None for row in advice.rows)
