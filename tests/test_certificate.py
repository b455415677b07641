"""gcli.certify: one pass, one JSON shape for every kind of code, the verdict the CLI exits with."""

import json
import math

import numpy as np
import pytest
from click.testing import CliRunner

import gcli
from gcli.certification.certificate import CERTIFICATE_KEYS
from gcli.cli import cli
from gcli.constructions import (
    bibd_code,
    cyclic_repetition,
    fractional_repetition,
    mds,
    reed_solomon,
    srg_code,
)

CODES = {
    "frc": lambda: fractional_repetition(6, 2),
    "rs-gf": lambda: reed_solomon(10, 3, field="GF(2^8)"),
    "mds-real": lambda: mds(12, d=4, m=2, seed=1),
    "bibd": lambda: bibd_code(7, 3, s=1),
    "srg": lambda: srg_code(10, 3, 0, 1),
}


@pytest.mark.parametrize("name", sorted(CODES))
def test_same_keys_for_every_kind_of_code(name, tmp_path):
    code = CODES[name]()
    cert = gcli.certify(code)
    assert list(cert.to_json()) == list(CERTIFICATE_KEYS)
    path = tmp_path / "code.json"
    path.write_text(gcli.dumps(code))
    result = CliRunner().invoke(cli, ["verify", "--json", str(path)])
    obj = json.loads(result.output)
    assert list(obj) == list(CERTIFICATE_KEYS)
    assert result.exit_code == (0 if obj["certified"] else 1)
    assert obj["exact_claimed"] == code.exact
    assert (obj["stability"] is None) == (not code.is_real)
    assert (obj["structure"] is None) == (name not in ("bibd", "srg"))


def test_one_pass_matches_verify_and_stability_report():
    code = reed_solomon(11, 3, m=2)
    cert = gcli.certify(code, seed=4)
    check = gcli.verify(code)
    stab = gcli.stability_report(code, seed=4)
    assert cert.decodable == check.decodable and cert.patterns_checked == check.patterns_checked == 165
    assert cert.stability is not None
    assert cert.stability.worst_condition_number == check.worst_condition_number
    assert cert.stability.median_condition_number == stab.median_condition_number
    assert cert.stability.worst_relative_error == stab.worst_relative_error
    assert cert.stability.median_over == 165


def test_stragglers_mean_the_same_for_approximate_codes():
    """-s changes the surviving sets for an approximate code exactly as for an exact one."""
    code = bibd_code(7, 3, s=1)  # the Fano plane
    for s in range(0, 5):
        cert = gcli.certify(code, stragglers=s)
        assert cert.stragglers == s and cert.surviving_size == 7 - s
        assert cert.patterns_total == cert.patterns_checked == math.comb(7, s)
        assert cert.certified  # approximate: the verdict is the structure's
        # the Fano plane's sum decoder is exact only with no stragglers
        assert cert.decodable == (s == 0)
        assert cert.failures_found == (0 if s == 0 else math.comb(7, s))


def test_exact_code_failing_exits_one_with_the_set(tmp_path):
    code = reed_solomon(8, 2, field="GF(17)")
    path = tmp_path / "rs.json"
    path.write_text(gcli.dumps(code))
    result = CliRunner().invoke(cli, ["verify", str(path), "-s", "3"])
    assert result.exit_code == 1
    assert "failing surviving set: [0, 1, 2, 3, 4]" in result.output
    cert = gcli.certify(code, stragglers=3)
    assert not cert.certified and cert.failing_set == [0, 1, 2, 3, 4] and cert.patterns_checked == 1


def test_corrupted_exact_code_is_not_certified():
    code = cyclic_repetition(7, 2)
    enc = np.asarray(code.encoding).copy()
    enc[2] = 0.0
    cert = gcli.certify(code.with_encoding(enc))
    assert not cert.certified and cert.exit_status == 1 and cert.failing_set is not None


def test_sampled_certificate_states_what_it_licenses():
    code = reed_solomon(16, 4, field="GF(17)")
    cert = gcli.certify(code, sample=50, seed=3)
    assert not cert.exhaustive and cert.patterns_checked == 50 and cert.sample_seed == 3
    assert cert.failure_fraction_bound == pytest.approx(1 - 0.01 ** (1 / 50))
    again = gcli.certify(code, sample=50, seed=3)
    assert again.to_json() | {"seconds": 0} == cert.to_json() | {"seconds": 0}


def test_threads_give_the_same_certificate():
    code = reed_solomon(14, 4, m=2)
    alone = gcli.certify(code).to_json()
    with gcli.local_executor(2) as pool:
        threaded = gcli.certify(code, executor=pool).to_json()
    for cert in (alone, threaded):
        cert["seconds"] = 0
    assert alone == threaded


def test_approximation_block_has_one_shape():
    """The approximation block of a small approximate code (the engine) and of a large sparse one (the fixed
    decoder on compressed rows) share their keys."""
    from gcli.certification.approximation import APPROXIMATION_KEYS

    small = gcli.certify(bibd_code(7, 3, s=1)).to_json()["approximation"]
    large = gcli.certify(bibd_code(777, 3, s=1), sample=50).to_json()["approximation"]
    assert set(APPROXIMATION_KEYS) <= set(small) and set(APPROXIMATION_KEYS) <= set(large)
    assert small["decoder"] == "optimal" and large["decoder"] == "fixed"
