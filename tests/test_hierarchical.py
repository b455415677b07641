"""Hierarchical codes: the construction, the layered certificate (against brute force), simulation, JSON."""

from __future__ import annotations

import doctest
import importlib
import json
import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gcli import InputError
from gcli.bounds import hierarchical_bound
from gcli.bounds.hierarchical import min_integer_load
from gcli.certification.hierarchical import (
    composite_maps,
    product_check,
    product_patterns,
    simulate,
    verify_hierarchical,
)
from gcli.constructions import hierarchical
from gcli.constructions.hierarchical_codes import balanced_placement, default_partitions, layer_encoding
from gcli.constructions.polynomial_codes import ye_abbe_encoding
from gcli.decoding.polynomial import evaluation_points
from gcli.fields import REAL, gf
from gcli.hierarchical.codes import (
    HierarchicalCode,
    decode_relay,
    decode_server,
    dumps_hcode,
    hcode_to_dict,
    is_hcode,
    layer_is_polynomial,
    load_hcode,
    loads_hcode,
    relay_messages,
    worker_messages,
    write_hcode,
)

# (K, N, s_r, a_r, s_w, a_w, m_1, m_2)
GRID = [
    (3, 3, 1, 0, 1, 0, 1, 1),
    (3, 4, 0, 1, 0, 1, 1, 2),
    (4, 5, 1, 1, 1, 1, 1, 1),
    (4, 4, 1, 0, 1, 0, 2, 2),
    (5, 6, 1, 1, 1, 1, 2, 2),
    (5, 10, 1, 0, 1, 1, 3, 4),
    (6, 5, 0, 2, 2, 1, 1, 1),
]


def _rebuild(hcode: HierarchicalCode, **changes) -> HierarchicalCode:
    fields = dict(
        field=hcode.field, cluster_sizes=hcode.cluster_sizes, partitions=hcode.partitions, placement=hcode.placement,
        s_r=hcode.s_r, a_r=hcode.a_r, s_w=hcode.s_w, a_w=hcode.a_w, m_1=hcode.m_1, m_2=hcode.m_2,
        relay_points=hcode.relay_points, worker_points=hcode.worker_points, relay_encoding=hcode.relay_encoding,
        cluster_encodings=hcode.cluster_encodings, construction=hcode.construction,
    )
    fields.update(changes)
    return HierarchicalCode(**fields)


@pytest.mark.parametrize("field", ["GF(257)", "real"])
@pytest.mark.parametrize(("k", "n", "s_r", "a_r", "s_w", "a_w", "m_1", "m_2"), GRID)
def test_grid_certified_optimal_and_simulated(k, n, s_r, a_r, s_w, a_w, m_1, m_2, field) -> None:
    hcode = hierarchical(k, n, s_r=s_r, a_r=a_r, s_w=s_w, a_w=a_w, m_1=m_1, m_2=m_2, field=field)
    bound = hierarchical_bound(k, n, s_r=s_r, a_r=a_r, s_w=s_w, a_w=a_w, m_1=m_1, m_2=m_2,
                               partitions=hcode.partitions)
    report = verify_hierarchical(hcode)
    assert report.certified and report.exhaustive, report.summary()
    assert report.patterns_checked == math.comb(k, k - s_r - 2 * a_r) + k * math.comb(n, n - s_w - 2 * a_w)
    # loads: the code's own message sizes equal the bound, and the placement's replication gives them
    assert Fraction(report.loads["C1"]) == Fraction(1, m_1) == bound.relay_load
    assert Fraction(report.loads["C2"][0]) == bound.worker_loads[0]
    assert hcode.replication() == (bound.r_1, bound.r_2)
    # computation: the balanced placement meets the integer bound, and the fraction δ* exactly
    assert hcode.load == bound.min_load == report.computation["min_load"]
    assert Fraction(hcode.load, hcode.partitions) == bound.load_fraction
    sim = simulate(hcode, 3, seed=7)
    assert sim.ok, sim.summary()
    assert sim.adversarial_relays == 3 * a_r and sim.straggling_relays == 3 * s_r
    assert sim.adversarial_workers == 3 * (k - s_r - a_r) * a_w


def test_unequal_clusters_per_cluster_parameters() -> None:
    hcode = hierarchical(3, [4, 5, 9], s_r=1, s_w=[1, 1, 2], a_w=[0, 1, 1], m_2=[1, 1, 2], field="GF(11)")
    bound = hierarchical_bound(3, [4, 5, 9], s_r=1, s_w=[1, 1, 2], a_w=[0, 1, 1], m_2=[1, 1, 2],
                               partitions=hcode.partitions)
    report = verify_hierarchical(hcode)
    assert report.certified
    assert hcode.replication() == (bound.r_1, bound.r_2) == (2, (2, 4, 6))
    assert report.loads["C2"] == ["1", "1", "1/2"]
    assert hcode.load == bound.min_load and report.computation["optimal"]
    assert [c.responders for c in hcode.inner] == [3, 2, 5]
    assert simulate(hcode, 4, seed=2).ok
    real = hierarchical(3, [4, 5, 6], s_r=1, a_r=0, s_w=[1, 0, 2], a_w=[1, 1, 0], m_2=[1, 2, 2])
    assert verify_hierarchical(real).certified and simulate(real, 4, seed=3).ok


@pytest.mark.parametrize("field", ["GF(13)", "real"])
@pytest.mark.parametrize(("k", "n", "s_r", "a_r", "s_w", "a_w", "m_1", "m_2"), [
    (3, 3, 1, 0, 1, 0, 1, 1), (3, 3, 0, 0, 1, 0, 2, 2), (4, 3, 1, 0, 0, 1, 2, 1), (3, 4, 1, 0, 1, 0, 1, 2),
])
def test_layered_certificate_agrees_with_brute_force(k, n, s_r, a_r, s_w, a_w, m_1, m_2, field) -> None:
    hcode = hierarchical(k, n, s_r=s_r, a_r=a_r, s_w=s_w, a_w=a_w, m_1=m_1, m_2=m_2, field=field)
    brute = product_check(hcode)
    assert brute.decodable and brute.patterns_checked == brute.patterns_total == product_patterns(hcode)
    assert verify_hierarchical(hcode).decodable
    # break one cluster: a worker's entry moves (support kept), so some worker set of cluster 1 cannot decode
    enc = hcode.cluster_encodings[1].copy()
    w, c = map(int, np.argwhere(np.asarray(enc) != 0)[0])
    enc[w, c] = enc[w, c] * 2 + 1 if field == "real" else enc[w, c] + hcode.field(1)
    if not field == "real" and enc[w, c] == 0:
        enc[w, c] = hcode.field(1)
    broken = _rebuild(hcode, cluster_encodings=(*hcode.cluster_encodings[:1], enc, *hcode.cluster_encodings[2:]))
    layered, brute = verify_hierarchical(broken), product_check(broken)
    assert not layered.decodable and not brute.decodable
    assert [f["layer"] for f in layered.failures] == ["cluster"] and layered.failures[0]["cluster"] == 1
    assert 1 in brute.failing_relays
    # the brute force's failing worker set of cluster 1 is one the layered check also rejects
    bad = brute.failing_workers[1]
    from gcli.decoding.matrices import decoding_matrix

    inner = broken.inner[1]
    if inner.is_real:
        x = decoding_matrix(inner, bad)
        assert np.linalg.norm(x @ np.asarray(inner.encoding)[bad] - inner.target) > 1e-6
    else:
        with pytest.raises(InputError):
            decoding_matrix(inner, bad)


def test_broken_relay_layer_is_named() -> None:
    hcode = hierarchical(4, 3, s_r=1, s_w=1, field="GF(13)")
    enc = hcode.relay_encoding.copy()
    w, c = map(int, np.argwhere(np.asarray(enc) != 0)[0])
    enc[w, c] = 0
    broken = _rebuild(hcode, relay_encoding=enc)
    report = verify_hierarchical(broken)
    assert not report.certified and report.failures[0]["layer"] == "relays"
    assert "failing surviving set in the relay layer" in report.summary()
    assert not product_check(broken).decodable
    assert not layer_is_polynomial(broken.outer, broken.relay_points)


def test_loads_that_miss_the_bound_are_reported() -> None:
    # extra replication: the placement would allow m_1 = 2, the code keeps m_1 = 1 — decodable, not optimal
    base = hierarchical(3, 2, s_r=1, m_1=2, field="GF(7)")  # r_1 = 3
    small = hierarchical(3, 2, placement=base.placement, s_r=1, field="GF(7)")
    assert small.m_1 == 2
    lower = hierarchical(3, 2, s_r=2, placement=base.placement, field="GF(7)")  # r_1 = 3 = s_r + 1 ⇒ m_1 = 1
    looser = _rebuild(lower, s_r=1)  # claims s_r = 1 with the m_1 = 1 encoding
    report = verify_hierarchical(looser)
    assert report.decodable and not report.loads_optimal and not report.certified
    assert report.load_problems and "1/(r_1 - s_r - 2a_r) = 1/2" in report.load_problems[0]


def test_layer_encoding_is_ye_abbe_for_cyclic_placements() -> None:
    # an independent construction: the Ye–Abbe recursion of reed_solomon (monomial coefficients)
    for field in (gf(101), REAL):
        for n, d, m in [(6, 3, 2), (8, 4, 2), (7, 5, 3), (5, 2, 1)]:
            theta = evaluation_points(field, n)
            holders = [[(i - t) % n for t in range(d)] for i in range(n)]  # worker w holds w..w+d−1
            ours = layer_encoding(field, theta, holders, d, m)
            theirs = ye_abbe_encoding(field, theta, d, m)
            if field is REAL:
                assert np.allclose(ours, theirs, rtol=1e-10, atol=1e-12)
            else:
                assert np.array_equal(ours, theirs)


@given(sizes=st.lists(st.integers(1, 7), min_size=1, max_size=5), data=st.data())
def test_balanced_placement_meets_the_integer_bound(sizes, data) -> None:
    k = len(sizes)
    r_1 = data.draw(st.integers(1, k))
    r_2 = [data.draw(st.integers(1, n)) for n in sizes]
    parts = data.draw(st.integers(-(-k // r_1), 30))
    placement = balanced_placement(parts, r_1, sizes, r_2)
    clusters_of = [0] * parts
    for i, cluster in enumerate(placement):
        assert len(cluster) == sizes[i]
        counts: dict[int, int] = {}
        for row in cluster:
            for j in row:
                counts[j] = counts.get(j, 0) + 1
        assert counts and set(counts.values()) == {r_2[i]}  # every hosted partition on exactly r_2 workers
        for j in counts:
            clusters_of[j] += 1
    assert clusters_of == [r_1] * parts
    assert max(len(row) for c in placement for row in c) == min_integer_load(parts, r_1, sizes, r_2)


def test_default_partitions_equal_clusters_formula() -> None:
    for k, n, r_1, r_2 in [(5, 10, 4, 7), (20, 20, 7, 8), (3, 4, 2, 2), (4, 6, 2, 4), (6, 5, 5, 5)]:
        formula = math.lcm(k // math.gcd(k, r_1), k * n // math.gcd(k * n, r_1 * r_2))
        assert default_partitions(r_1, [n] * k, [r_2] * k) == formula


def test_user_placement_with_extra_replication_uses_every_holder() -> None:
    # partition 0 is in all 3 clusters and on all workers; the model uses the minimum replication
    placement = [[[0, 1], [0, 2]], [[0, 1], [0, 1]], [[0, 2], [0, 2]]]
    for field in ("GF(5)", "real"):
        hcode = hierarchical(placement=placement, s_r=0, field=field)
        assert (hcode.m_1, hcode.m_2) == (2, (1, 2, 2))
        report = verify_hierarchical(hcode)
        assert report.certified, report.summary()
        for i, cluster in enumerate(hcode.placement):  # every worker really uses every partition it holds
            support = np.asarray(hcode.cluster_encodings[i] != 0).reshape(len(cluster), -1, hcode.m_2[i]).any(2)
            assert support.sum() == sum(len(row) for row in cluster)
        assert simulate(hcode, 3).ok
    with pytest.raises(InputError, match="GF\\(3\\) is too small"):
        hierarchical(placement=placement, field="GF(3)")


@pytest.mark.parametrize(("placement", "kwargs", "message"), [
    ([[[0], [0]], [[1], [1]]], dict(s_r=1), "partition 0 is available in only r_1 = 1 clusters, but s_r \\+ 2a_r"),
    ([[[0, 1], [0]], [[0, 1], [1]]], dict(s_w=1),
     "in cluster 0: partition 1 is held by only r_2 = 1 of its workers, but s_w \\+ 2a_w \\+ m_2 ≥ 2"),
    ([[[0, 1], [0, 1]], [[0, 1], [0, 1]]], dict(m_1=1), "gives m_1 = r_1 − s_r − 2a_r = 2 .* not the requested"),
    ([[[0], [2]], [[0], [2]]], dict(partitions=3), "partition 1 is held by no worker"),
    ([[[0], [5]], [[0], [5]]], dict(partitions=3), "holds partition 5, outside 0..2"),
    ([[[0, 0]], [[0]]], {}, "holds a partition twice"),
    ([[[0]], []], {}, "cluster 1 must be a non-empty list"),
    ([[[0], []], [[]]], {}, "cluster 1 holds no partition"),
    ([[[0]], [[0]]], dict(relays=3), "the placement has 2 clusters, but --relays says K = 3"),
    ([[[0]], [[0]]], dict(workers=2), "clusters of 1,1 workers, not 2,2"),
    ([[[0]], [[0]]], dict(load="1/2"), "either a placement or a load"),
])
def test_violating_placements_name_the_reason(placement, kwargs, message) -> None:
    with pytest.raises(InputError, match=message):
        hierarchical(placement=placement, **kwargs)


def test_placement_file(tmp_path: Path) -> None:
    path = tmp_path / "placement.json"
    path.write_text(json.dumps({"partitions": 2, "placement": [[[0, 1], [0, 1]], [[0, 1], [0, 1]]]}))
    hcode = hierarchical(placement=str(path), s_w=1, field="GF(7)")
    assert hcode.partitions == 2 and (hcode.m_1, hcode.m_2) == (2, (1, 1))
    for text, message in [("[", "malformed JSON"), ('{"x": 1}', 'needs a "placement" key'),
                          ('{"placement": [[[0]]], "partitions": 0}', "must be a positive integer"),
                          ('{"placement": [[[0]]], "extra": 1}', "unknown key 'extra'")]:
        path.write_text(text)
        with pytest.raises(InputError, match=message):
            hierarchical(placement=str(path))
    with pytest.raises(InputError, match="no such placement file"):
        hierarchical(placement=str(tmp_path / "missing.json"))


def test_design_parameter_errors() -> None:
    with pytest.raises(InputError, match="give the relays"):
        hierarchical(3)
    with pytest.raises(InputError, match="either --m1/--m2 or --load"):
        hierarchical(3, 4, m_1=1, load="1/2")
    with pytest.raises(InputError, match="GF\\(5\\) is too small"):
        hierarchical(3, 6, field="GF(5)")
    with pytest.raises(InputError, match="r_1 ≤ K fails"):
        hierarchical(3, 4, s_r=3)
    with pytest.raises(InputError, match="some cluster would hold none"):
        hierarchical(4, 2, partitions=1)
    assert hierarchical(5, 10, s_r=1, s_w=1, a_w=1, load="14/25", field="GF(17)").m_1 == 4


def test_messages_decode_to_the_sum_by_hand() -> None:
    hcode = hierarchical(4, 5, s_r=1, a_r=0, s_w=0, a_w=1, m_1=2, m_2=2, field="GF(257)")
    rng = np.random.default_rng(5)
    grads = hcode.field(rng.integers(0, 257, size=(hcode.partitions, 8)))
    f = relay_messages(hcode, grads)
    for i in range(hcode.relays):
        sent = worker_messages(hcode, i, grads)
        received = {w: sent[w] for w in range(5)}
        received[3] = hcode.field([1, 2])  # one lying worker
        assert np.array_equal(decode_relay(hcode, i, received), f[i])
        assert np.array_equal(decode_relay(hcode, i, received, method="subsets"), f[i])
    assert np.array_equal(decode_server(hcode, {0: f[0], 2: f[2], 3: f[3]}), grads.sum(axis=0))
    with pytest.raises(InputError, match="at least n − s = 3"):
        decode_server(hcode, {0: f[0], 2: f[2]})
    with pytest.raises(InputError, match="no cluster 9"):
        decode_relay(hcode, 9, {})
    with pytest.raises(InputError, match="gradients must have shape"):
        relay_messages(hcode, grads[:, :3])


def test_composite_maps_reproduce_the_messages() -> None:
    # the brute force's matrices express exactly what the workers and relays send
    hcode = hierarchical(3, [3, 4, 3], s_r=1, s_w=[1, 1, 0], m_1=2, m_2=[1, 2, 1], field="GF(13)")
    target, relays, workers = composite_maps(hcode)
    big_m = hcode.m_1 * math.lcm(*hcode.m_2)
    rng = np.random.default_rng(0)
    grads = hcode.field(rng.integers(0, 13, size=(hcode.partitions, 2 * big_m)))
    blocks = grads.reshape(hcode.partitions * big_m, 2)  # row j·M + b: block b of g_j
    assert np.array_equal(target @ blocks, grads.sum(axis=0).reshape(big_m, 2))
    f = relay_messages(hcode, grads)
    for i in range(3):
        assert np.array_equal((relays[i] @ blocks).reshape(-1), f[i])
        sent = worker_messages(hcode, i, grads)
        for w, matrix in enumerate(workers[i]):
            assert np.array_equal((matrix @ blocks).reshape(-1), sent[w])


def test_simulation_is_deterministic_and_catches_too_many_liars() -> None:
    hcode = hierarchical(4, 5, s_r=1, s_w=1, a_w=1, field="GF(257)")
    assert simulate(hcode, 4, seed=11) == simulate(hcode, 4, seed=11)
    assert simulate(hcode, 4, seed=11).to_json() != simulate(hcode, 4, seed=12).to_json()
    # claiming a lying relay where the redundancy only covers a straggler: the layered check says no, and the
    # simulation decodes wrong sums (the consistent-subset search keeps a set with the liar in it)
    wrong = _rebuild(hcode, s_r=0, a_r=1)
    assert not verify_hierarchical(wrong).decodable
    result = simulate(wrong, 8, seed=1)
    assert not result.ok and result.wrong + result.not_decoded == 8 - result.correct > 0
    assert result.first_failure is not None and "lying_relays" in result.first_failure
    with pytest.raises(InputError, match="at least one trial"):
        simulate(hcode, 0)
    with pytest.raises(InputError, match="multiple of m_1·lcm\\(m_2\\) = 2"):
        simulate(hierarchical(3, 3, s_r=1, m_1=2, field="GF(7)"), 1, gradient_length=3)


def test_json_round_trip_determinism_and_schema(tmp_path: Path) -> None:
    for field in ("GF(2^4)", "real"):
        hcode = hierarchical(3, [3, 4, 3], s_r=1, s_w=[1, 1, 0], a_w=[0, 1, 0], m_2=[1, 1, 2], field=field)
        text = dumps_hcode(hcode)
        assert text == dumps_hcode(hierarchical(3, [3, 4, 3], s_r=1, s_w=[1, 1, 0], a_w=[0, 1, 0], m_2=[1, 1, 2],
                                                field=field))
        again = loads_hcode(text)
        assert again == hcode and dumps_hcode(again) == text
        path = tmp_path / "h.json"
        write_hcode(hcode, path)
        assert path.read_text() == text and load_hcode(path) == hcode
        assert is_hcode(json.loads(text)) and not is_hcode({"format": "gcli.code"})
    obj = hcode_to_dict(hierarchical(3, 3, s_r=1, s_w=1, field="GF(7)"))
    for mutate, message in [
        (lambda o: o.update(format="gcli.code"), "not a hierarchical code file"),
        (lambda o: o.update(format_version=2), "unsupported format_version"),
        (lambda o: o.pop("placement"), "'placement' is a required property"),
        (lambda o: o["clusters"][0].update(partitions=[0]), "must list the partitions available"),
        (lambda o: o["relay_encoding"][0].__setitem__(0, 1.5), "1.5 is not a non-negative integer"),
        (lambda o: o["relay_encoding"][0].__setitem__(0, 99), "entries over GF\\(7\\) must be integers in"),
        (lambda o: o["clusters"][1]["encoding"][0].append(0), "rows have different lengths"),
        (lambda o: o.update(relay_points=[0, 0, 1]), "relay points must be distinct"),
        (lambda o: o.update(s_w=[1, 1]), "s_w has 2 values"),
        (lambda o: o["clusters"][0].update(encoding=[[0] * 3] * 3), "cluster 0: encoding has shape"),
    ]:
        bad = json.loads(json.dumps(obj))
        mutate(bad)
        with pytest.raises(InputError, match=message):
            loads_hcode(json.dumps(bad))
    with pytest.raises(InputError, match="malformed JSON"):
        loads_hcode("{")
    with pytest.raises(InputError, match="no such file"):
        load_hcode(tmp_path / "nope.json")


def test_worker_uses_only_its_partitions() -> None:
    # tampering with the support (a worker encoding a partition it does not hold) is refused on load
    hcode = hierarchical(3, 3, s_r=1, s_w=1, field="GF(7)")
    enc = hcode.cluster_encodings[0].copy()
    zero = np.argwhere(np.asarray(enc) == 0)[0]
    enc[zero[0], zero[1]] = 1
    with pytest.raises(InputError, match=r"cluster 0: worker .* encodes partitions"):
        _rebuild(hcode, cluster_encodings=(enc, *hcode.cluster_encodings[1:]))


def test_docstring_examples() -> None:
    for name in ("gcli.hierarchical.codes", "gcli.certification.hierarchical", "gcli.constructions.hierarchical_codes"):
        assert doctest.testmod(importlib.import_module(name)).failed == 0, name
