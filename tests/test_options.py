"""The shared certification options: one frozen object built by the public functions and handed down."""

from __future__ import annotations

import dataclasses

import pytest

import gcli
from gcli.certification import certificate
from gcli.certification.options import CertifyOptions
from gcli.certification.verification import run_pass
from gcli.constructions import fractional_repetition, reed_solomon


def test_the_options_are_frozen_and_checked():
    options = CertifyOptions(sample=5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.sample = 6  # type: ignore[misc]
    with pytest.raises(TypeError):
        options.but(samples=6)
    assert options.but() is options and options.but(seed=2) == CertifyOptions(sample=5, seed=2)


def test_an_options_object_and_keywords_run_the_same_pass():
    code = reed_solomon(10, 3)
    one = run_pass(code, CertifyOptions(sample=40, seed=3))
    two = run_pass(code, sample=40, seed=3)
    assert (one.checked, one.sample_seed, one.drawn.tolist()) == (two.checked, two.sample_seed, two.drawn.tolist())


def test_certify_hands_one_options_object_down(monkeypatch):
    seen: list[CertifyOptions] = []
    real = certificate.run_pass

    def spy(code, options=None, **kwargs):
        seen.append(options)
        return real(code, options, **kwargs)

    monkeypatch.setattr(certificate, "run_pass", spy)
    cert = gcli.certify(fractional_repetition(6, 2), sample=7, seed=4, budget=123)
    assert cert.patterns_checked == 7
    assert len(seen) == 1 and isinstance(seen[0], CertifyOptions)
    assert (seen[0].sample, seen[0].seed, seen[0].budget) == (7, 4, 123)
