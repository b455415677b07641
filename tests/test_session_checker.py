"""The session checker of tests/test_readme.py: round-off passes, a real change of a figure fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_readme import line_matches, matches, update

README_LINES = [
    "DECODABLE over real: n=8, s=2, a=0, 28/28 surviving sets of size 6 checked (exhaustive)",
    "largest residual |X B_F - T|/|T| 9.62e-16 at [0, 1, 2, 3, 4, 5] (tolerance 1e-08)",
    "condition number over all 28 surviving sets: worst 14.85 at [0, 1, 2, 5, 6, 7], median 9.049",
    "float64 decoding of random gradients (ℓ=16, seed 0): worst relative error 1.17e-15 at [2, 3, 4, 5, 6, 7], "
    "median 3.71e-16",
]


def test_this_machine_round_off_passes() -> None:
    """The README's verify session as an AVX-512 machine prints it."""
    actual = [
        README_LINES[0],
        "largest residual |X B_F - T|/|T| 1.11e-15 at [0, 1, 2, 3, 4, 5] (tolerance 1e-08)",
        README_LINES[2],
        "float64 decoding of random gradients (ℓ=16, seed 0): worst relative error 1.24e-15 at [0, 1, 2, 3, 4, 5], "
        "median 4.4e-16",
    ]
    assert matches(README_LINES, actual)
    assert matches(README_LINES, README_LINES)


@pytest.mark.parametrize(("expected", "actual"), [
    ("worst 14.85 at [0, 1, 2, 5, 6, 7], median 9.049", "worst 15.85 at [0, 1, 2, 5, 6, 7], median 9.049"),
    ("worst 14.85 at [0, 1, 2, 5, 6, 7], median 9.049", "worst 14.85 at [0, 1, 2, 5, 6, 7], median 9.12"),
    ("28/28 surviving sets of size 6 checked", "27/28 surviving sets of size 6 checked"),
    ("28/28 surviving sets of size 6 checked", "28/28 surviving sets of size 5 checked"),
    ("wrote 1,206 codes, refused 233", "wrote 1,207 codes, refused 233"),
    ("n=8, s=2", "n=8.0, s=2"),  # an integer stays an integer
    ("DECODABLE over real", "NOT DECODABLE over real"),
    ("28/28 surviving sets checked (exhaustive)", "28/28 surviving sets checked (sampled)"),
    ("(tolerance 1e-08)", "(tolerance 2e-08)"),  # one significant digit: no unit of slack
    ("residual 9.62e-16 at [0, 1, 2]", "residual 3.2e-09 at [0, 1, 2]"),  # no longer round-off
    ("residual 9.62e-16 at [0, 1, 2]", "residual 9.62e-16 at [0, 1, 2, 3]"),  # a tie set of another size
    ("worst 14.85 at [0, 1, 2, 5, 6, 7]", "worst 14.85 at [0, 1, 2, 5, 6, 8]"),  # not a tie: the set is a figure
    ("worst 0.5 at [0, 2], median 3.7e-16", "worst 0.5 at [1, 2], median 3.7e-16"),  # the round-off is to its right
    ("residual 9.62e-16 … at [0, 1, 2]", "residual 9.62e-16 and more at [0, 1, 3]"),  # a wildcard between them
    ("code frc6 written", "code frc7 written"),
    ("0 of 78 sets", "1 of 78 sets"),
    ("ignore stragglers  0.39…", "ignore stragglers  0.401504"),  # digits glued to … are text
    ("error …e-1…", "error 4.38e-09"),
    ("bias 0, variance 1", "bias 0.001, variance 1"),
])
def test_real_changes_fail(expected: str, actual: str) -> None:
    assert not line_matches(expected, actual)
    assert line_matches(expected, expected)


@pytest.mark.parametrize(("expected", "actual"), [
    ("largest residual 9.62e-16 at [0, 1, 2, 3, 4, 5]", "largest residual 1.11e-15 at [0, 1, 2, 3, 4, 5]"),
    ("error 1.17e-15 at [2, 3, 4, 5, 6, 7], median 3.71e-16", "error 1.24e-15 at [0, 1, 2, 3, 4, 5], median 4.4e-16"),
    ("residual 0.0 at [0, 1]", "residual 2.2e-16 at [4, 7]"),
    ("worst 14.85 at [0, 1]", "worst 14.86 at [0, 1]"),  # one unit in the last place
    ("median 9.049", "median 9.05"),
    ("worst 1.98512e-05 (missing workers [271])", "worst 1.98513e-05 (missing workers [271])"),
    ("took … s", "took 12.5 s"),
    ("coded (crc)  0.390898  0.…  0.…  …e-1…  6", "coded (crc)  0.390898  0.2122  0.483  4.38e-14  6"),
    ("ignore stragglers  0.39…  0.…", "ignore stragglers  0.391504  0.1141"),
    ("expected error 1.78077, bias 0, variance 1.78077", "expected error 1.78077, bias 3.55271e-15, variance 1.78077"),
    ("wrote 1,206 codes", "wrote 1,206 codes"),
])
def test_round_off_passes(expected: str, actual: str) -> None:
    assert line_matches(expected, actual)


def test_wildcard_lines_and_counts() -> None:
    assert matches(["a 1", "…", "z 2"], ["a 1", "b", "c", "z 2"])
    assert not matches(["a 1", "…", "z 2"], ["a 1", "b", "c", "z 3"])
    assert not matches(["a 1"], ["a 1", "extra"])
    assert not matches(["a 1", "b 2"], ["a 1"])


def test_a_line_states_its_own_round_off() -> None:
    """An ill-conditioned decoding's residual is round-off up to the ε·κ its line states, and no further."""
    expected = "condition number 2.57e+10 and residual 8.2e-08 above the tolerance 1e-08 (rounding alone can cost " \
               "ε·κ = 5.7e-06); use a finite field"
    assert line_matches(expected, expected.replace("8.2e-08", "3e-07"))
    assert not line_matches(expected, expected.replace("8.2e-08", "2e-05"))
    assert not line_matches(expected, expected.replace("2.57e+10", "3.57e+10"))
    assert not line_matches(expected, expected.replace("5.7e-06", "7.7e-06"))
    assert not line_matches("residual 8.2e-08", "residual 3e-07")  # without the statement: a figure


def test_update_rewrites_only_real_changes(tmp_path: Path) -> None:
    """``--update`` leaves a round-off difference as written and rewrites a changed figure."""
    page = tmp_path / "page.md"
    page.write_text("```console\n$ echo 'residual 1.11e-15 at [0, 1]'\nresidual 9.62e-16 at [3, 4]\n"
                    "$ echo 'count 5'\ncount 4\n```\n", encoding="utf-8")
    update(page)
    assert page.read_text(encoding="utf-8") == ("```console\n$ echo 'residual 1.11e-15 at [0, 1]'\n"
                                                "residual 9.62e-16 at [3, 4]\n$ echo 'count 5'\ncount 5\n```\n")
