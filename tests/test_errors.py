"""Refusals by kind: every kind is an InputError (exit status 2 on the command line), and typical requests of each
kind raise it."""

from __future__ import annotations

import subprocess
import sys

import pytest

import gcli
from gcli.constructions import cyclic_repetition, reed_solomon

KINDS = [gcli.ImpossibleParameters, gcli.NotSupported, gcli.OverLimit, gcli.BadFile]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_an_input_error(kind):
    assert issubclass(kind, gcli.InputError) and issubclass(kind, ValueError)
    assert kind.__module__ == "gcli.errors"


@pytest.mark.parametrize(("kind", "request_"), [
    (gcli.OverLimit, lambda: gcli.as_field("GF(2^521)")),
    (gcli.BadFile, lambda: gcli.loads("{")),
    (gcli.ImpossibleParameters, lambda: reed_solomon(4, 5, field="GF(11)")),
    (gcli.NotSupported, lambda: gcli.make_decoder("nonsense", cyclic_repetition(4, 1))),
    (gcli.NotSupported, lambda: cyclic_repetition(4, 1, code="fourier", field="GF(5)")),
])
def test_refusals_name_their_kind(kind, request_):
    with pytest.raises(kind):
        request_()


def test_the_command_line_exits_2_for_every_kind(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    for args in (["verify", str(broken)], ["design", "reed-solomon", "-n", "4", "-s", "5", "--field", "GF(11)"]):
        proc = subprocess.run([sys.executable, "-m", "gcli", *args], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2, (args, proc.stderr)
