"""Sampled certificates say so, for every kind of code: never "every pattern" from a sample, always the bound on
the failing fraction (one function, :func:`gcli.certification.verification.failure_fraction_bound`), per layer for
hierarchical codes, in the text and in the JSON."""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from gcli import certify
from gcli.cli import cli as app
from gcli.constructions import hierarchical, reed_solomon
from gcli.errors import InputError
from gcli.hierarchical.files import dumps_any

sys.path.insert(0, str(Path(__file__).parent))
from test_hierarchical import _rebuild


def _broken(field: str):
    """A hierarchical code (K = 3 relays, clusters of 6 workers, s_w = 2) whose cluster 0 lost two workers' rows:
    some of its sets of 4 workers cannot decode the relay's message."""
    hcode = hierarchical(3, 6, s_r=1, s_w=2, field=field)
    enc = hcode.cluster_encodings[0].copy()
    enc[0] = 0
    enc[1] = 0
    return _rebuild(hcode, cluster_encodings=(enc, *hcode.cluster_encodings[1:]))


def _failing_fraction(hcode) -> float:
    """Independent count: the sets F of cluster 0 for which no X with X·B_F = T exists (decoding_matrix refuses
    over GF(q); the least-squares residual is not round-off over the reals)."""
    from gcli.decoding.matrices import decoding_matrix

    inner = hcode.inner[0]
    sets = list(itertools.combinations(range(inner.n), inner.n - inner.s - 2 * inner.a))
    bad = 0
    for chosen in sets:
        rows = list(chosen)
        if inner.is_real:
            block = np.asarray(inner.encoding, dtype=float)[rows]
            x, *_ = np.linalg.lstsq(block.T, np.asarray(inner.target, dtype=float).T, rcond=None)
            bad += np.linalg.norm(x.T @ block - inner.target) > 1e-6
        else:
            try:
                decoding_matrix(inner, rows)
            except InputError:
                bad += 1
    return bad / len(sets)


@pytest.mark.parametrize("field", ["GF(13)", "real"])
def test_a_sample_that_misses_the_failures_says_it_is_a_sample(field: str, tmp_path: Path) -> None:
    hcode = _broken(field)
    assert 0 < _failing_fraction(hcode) < 1
    assert not certify(hcode).certified  # the exhaustive certificate finds the failing sets
    seeds = [seed for seed in range(40) if certify(hcode, sample=3, seed=seed).certified]
    hits = [seed for seed in range(40) if seed not in seeds]
    assert seeds and hits  # some samples miss the failing sets, some find them
    cert = certify(hcode, sample=3, seed=seeds[0], confidence=0.99)
    text = cert.summary()
    assert "every pattern" not in text and "sampled, not enumerated" in text
    expected = 1 - 0.01 ** (1 / 3)  # (1 − ε)^N = δ
    statement = f"no failure in 3 sampled sets of 15; with confidence 0.99 the failing fraction is below {expected:.3g}"
    assert text.count(statement) == 3  # one per sampled layer (the relay layer has 3 sets: exhaustive)
    block = cert.to_json()["hierarchy"]
    assert block["failure_fraction_bound"]["relays"] is None
    assert block["failure_fraction_bound"]["clusters"] == pytest.approx([expected] * 3)
    assert block["confidence"] == 0.99 and not block["exhaustive"]
    assert cert.to_json()["failure_fraction_bound"] == pytest.approx(expected) and cert.confidence == 0.99
    # the command line prints the same, and a sample that hits a failure is no certificate
    path = tmp_path / "h.json"
    path.write_text(dumps_any(hcode))
    result = CliRunner().invoke(app, ["verify", str(path), "--sample", "3", "--seed", str(seeds[0])])
    assert result.exit_code == 0 and statement in result.output and "every pattern" not in result.output
    result = CliRunner().invoke(app, ["verify", str(path), "--sample", "3", "--seed", str(hits[0])])
    assert result.exit_code == 1 and "NOT DECODABLE" in result.output and "every pattern" not in result.output


def test_exhaustive_hierarchical_certificate_has_no_bound() -> None:
    hcode = hierarchical(3, 6, s_r=1, s_w=2, field="GF(13)")
    cert = certify(hcode)
    assert cert.certified and "every pattern" in cert.summary() and "sampled" not in cert.summary()
    block = cert.to_json()["hierarchy"]
    assert block["failure_fraction_bound"] == {"relays": None, "clusters": [None] * 3}
    assert cert.failure_fraction_bound is None and cert.confidence is None


def test_single_layer_sample_prints_the_same_statement() -> None:
    cert = certify(reed_solomon(9, 2, field="GF(11)"), sample=7, seed=3, confidence=0.95)
    expected = 1 - 0.05 ** (1 / 7)
    assert cert.failure_fraction_bound == pytest.approx(expected)
    assert (f"no failure in 7 sampled sets of 36; with confidence 0.95 the failing fraction is below {expected:.3g}"
            in cert.summary())
    assert json.loads(json.dumps(cert.to_json()))["failure_fraction_bound"] == pytest.approx(expected)
