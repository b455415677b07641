"""The README's and the docs' sessions are real: every ``$ command`` of their ``console`` blocks is rerun and compared.

Each file (``README.md`` and every ``docs/**/*.md``) runs on its own: its blocks run in document order in one fresh
temporary folder (later sessions use files earlier ones wrote), through bash. README.md runs with the installed
``gcli`` script first on PATH and its ``python`` blocks in a fresh ``python``, end to end as a user types them; the
docs' pages run with tests/sessionrun.py's ``gcli`` first on PATH, a shim that has a fork server with gcli already
imported run the same CLI code in a child writing to bash's own pipes (a fresh ``gcli`` spends about a second
importing numpy, galois and scipy, for each of about a hundred lines), and their ``python`` blocks in a child of
that server too. When a ``python`` block ends with ``# …`` comment lines they are its expected output.

In expected output ``…`` matches any text within a line, and a line that is only ``…`` matches any number of lines
(timings, long tables).

Numbers are compared with a tolerance suited to each, so that the sessions pass on any CPU (float64 round-off
differs between OpenBLAS kernels, AVX2 and AVX-512, one thread and many); text must match exactly:

- an *integer* (no point, no exponent: counts, n, s, sizes, ``1,206``) must be equal, except that ``0`` (an exact
  zero printed by ``%g``: ``bias 0``) also matches a round-off-level float;
- a *round-off-level float*, below ``ROUND_OFF`` = 1e-12 in absolute value (residuals and decoding errors of exact
  codes, ``9.62e-16``), matches any number below 1e-12 (``1.11e-15``);
- any *other float* must agree to ``RELATIVE`` = 1e-3 of its size plus one unit in the last printed place of
  either (``14.85`` matches ``14.86``, not ``15.85``; a value printed with one significant digit, ``1e-08``, gets no
  unit of slack);
- a *set* ``[0, 1, 2]`` must be equal, unless it is a tie-breaker: the nearest number to its left on the same line
  (with no ``…`` between them) is round-off level, as in ``worst 9.62e-16 at [0, 1, 2, 3, 4, 5]``. Which set is
  worst among sets whose errors are all round-off is itself round-off, so such a set matches any set of the same
  size.
- a line that states the round-off it can cost, ``(rounding alone can cost ε·κ = 5.7e-06)`` after an
  ill-conditioned decoding, raises its own round-off level to that value: its ``residual 8.2e-08`` is round-off
  and matches ``3e-07``.

A number is a run of digits not glued to a letter, digit or point before it (the 6 of ``frc6`` is text); letters
may follow it (``12ms``). Digits glued to a ``…`` (``0.…``, ``…e-1…``) are text: they match the digits as printed.
With ``…`` in a line the first alignment the regular expression finds is the one compared.

``python tests/test_readme.py --update [FILE …]`` rewrites the outputs of commands whose output no longer matches
under these rules (a round-off difference is not rewritten).
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from sessionrun import SessionServer

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
TIMEOUT = 300


def session_files() -> list[Path]:
    """README.md and the docs' Markdown pages that hold at least one session."""
    pages = sorted((ROOT / "docs").rglob("*.md")) if (ROOT / "docs").is_dir() else []
    return [README, *(page for page in pages if "```console" in page.read_text(encoding="utf-8")
                      or "```python" in page.read_text(encoding="utf-8"))]


@dataclass
class Step:
    kind: str  # "console" or "python"
    command: str
    expected: list[str]
    line: int  # the README line of the command (0-based), for --update
    end: int  # one past the last expected line


def parse(text: str) -> list[Step]:
    lines = text.split("\n")
    steps: list[Step] = []
    i = 0
    while i < len(lines):
        fence = lines[i].strip()
        if fence in ("```console", "```python"):
            kind = fence[3:]
            j = i + 1
            while lines[j].strip() != "```":
                j += 1
            body = lines[i + 1:j]
            if kind == "python":
                tail = len(body)
                while tail > 0 and body[tail - 1].startswith("# "):
                    tail -= 1
                steps.append(Step(kind, "\n".join(body[:tail]), [b[2:] for b in body[tail:]], i + 1, j))
            else:
                current: Step | None = None
                for offset, line in enumerate(body):
                    if line.startswith("$ "):
                        if current is not None:
                            current.end = i + 1 + offset
                        current = Step(kind, line[2:], [], i + 1 + offset, i + 2 + offset)
                        steps.append(current)
                    elif current is not None:
                        current.expected.append(line)
                if current is not None:
                    current.end = j
            i = j
        i += 1
    return steps


# Numbers: a standalone decimal (not glued to a word or a preceding digit/point), with thousands separators, a
# fraction and an exponent; letters may follow (units: 12ms, 3x).
NUMBER = r"(?<![\w.])-?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?(?!\d|\.\d)"
SET = r"\[(?:\d+(?:, \d+)*)?\]"
_TOKEN = re.compile(f"(…)|({SET})|({NUMBER})")
ROUND_OFF = 1e-12
"""Floats below this in absolute value are round-off (residuals, decoding errors of exact codes)."""
_STATED = re.compile(f"ε·κ = ({NUMBER})")
"""A line's own statement of the round-off it can cost (an ill-conditioned decoding), which raises its level."""
RELATIVE = 1e-3
"""Relative agreement asked of every other float (four significant digits), plus one unit in its last place."""


@dataclass(frozen=True)
class _Token:
    kind: str  # "number" or "set"
    text: str
    level: float = ROUND_OFF  # the round-off level of its line
    tie: bool = False  # a set that names the worst case among round-off ties


def _is_float(text: str) -> bool:
    return "." in text or "e" in text or "E" in text


def _value(text: str) -> float:
    return float(text.replace(",", ""))


def _round_off(text: str, level: float = ROUND_OFF) -> bool:
    return _is_float(text) and abs(_value(text)) < level


def _last_place(text: str) -> float:
    """One unit in the last printed digit of ``text`` (0 when only one significant digit is printed)."""
    mantissa, _, exponent = text.replace(",", "").lstrip("-").lower().partition("e")
    digits = mantissa.replace(".", "").lstrip("0")
    if len(digits) < 2:
        return 0.0
    decimals = len(mantissa.partition(".")[2])
    return 10.0 ** (int(exponent or 0) - decimals)


def _numbers_agree(expected: str, actual: str, level: float = ROUND_OFF) -> bool:
    if not _is_float(expected):
        if _value(expected) == 0 and _round_off(actual, level):
            return True  # an exact zero printed by %g ("bias 0") is round-off too
        return not _is_float(actual) and _value(expected) == _value(actual)
    if _round_off(expected, level):
        return abs(_value(actual)) < level
    a, b = _value(expected), _value(actual)
    return abs(a - b) <= RELATIVE * max(abs(a), abs(b)) + max(_last_place(expected), _last_place(actual))


def _sets_agree(token: _Token, actual: str) -> bool:
    if not token.tie:
        return token.text == actual
    return actual.count(",") == token.text.count(",") and (actual == "[]") == (token.text == "[]")


@functools.lru_cache(maxsize=4096)
def _line_pattern(line: str) -> tuple[re.Pattern[str], tuple[_Token, ...]]:
    """The expected line as a regex (text literal, ``…`` any text, numbers and sets captured) and its tokens."""
    parts: list[str] = []
    tokens: list[_Token] = []
    previous_number: str | None = None  # the nearest number to the left, for the tie rule
    at = 0
    line = line.rstrip()
    stated = _STATED.search(line)
    level = max(ROUND_OFF, _value(stated.group(1))) if stated else ROUND_OFF
    for found in _TOKEN.finditer(line):
        literal = line[at:found.start()]
        parts.append(re.escape(literal))
        wildcard, bracket, number = found.groups()
        if wildcard:
            parts.append(".*")
            previous_number = None
        elif bracket:
            parts.append(f"({SET})")
            tokens.append(_Token("set", bracket, level,
                                 tie=previous_number is not None and _round_off(previous_number, level)))
        elif line[:found.start()].endswith("…") or line[found.end():].startswith(("…", ".…")):
            parts.append(re.escape(number))  # glued to a wildcard: a prefix or suffix of a number, text (0.…)
        else:
            parts.append(f"({NUMBER})")
            tokens.append(_Token("number", number, level))
            previous_number = number
        at = found.end()
    parts.append(re.escape(line[at:]))
    return re.compile("".join(parts)), tuple(tokens)


def line_matches(expected: str, actual: str) -> bool:
    """Whether one output line fits one expected line (see the module docstring for the rules)."""
    pattern, tokens = _line_pattern(expected)
    found = pattern.fullmatch(actual.rstrip())
    if found is None:
        return False
    return all(_numbers_agree(token.text, value, token.level) if token.kind == "number" else _sets_agree(token, value)
               for token, value in zip(tokens, found.groups(), strict=True))


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` lines fit ``expected`` (``…`` wildcards within lines, a lone ``…`` for any lines,
    numbers compared with the tolerances of the module docstring)."""
    if not expected:
        return not actual
    head = expected[0]
    if head.strip() == "…":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and line_matches(head, actual[0]) and matches(expected[1:], actual[1:])


def run(step: Step, folder: str, server: SessionServer | None = None) -> list[str]:
    """Run one step in ``folder``: through the installed ``gcli`` script and a fresh ``python``, or, with a
    ``server``, through its fork server (tests/sessionrun.py: the same CLI code, without a second of imports per
    line)."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}
    env.pop("GCLI_DEBUG", None)
    if server is not None:
        env.update(server.env())
    if step.kind == "console":
        args = ["bash", "-c", step.command]
    elif server is not None:
        args = ["python-block", step.command]
    else:
        args = [sys.executable, "-c", step.command]
    done = subprocess.run(args, cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=TIMEOUT, check=False)
    if step.kind == "python" and done.returncode != 0:
        raise AssertionError(f"python block at line {step.line + 1} failed:\n{done.stdout}")
    out = done.stdout.rstrip("\n")
    return out.split("\n") if out else []


def _session(folder: str) -> None:
    os.makedirs(os.path.join(folder, "docs"), exist_ok=True)


@pytest.fixture(scope="module")
def server() -> Iterator[SessionServer]:
    from sessionrun import SessionServer

    started = SessionServer()
    yield started
    started.close()


@pytest.mark.parametrize("page", session_files(), ids=lambda page: str(page.relative_to(ROOT)))
def test_sessions(page: Path, server: SessionServer) -> None:
    """Every page's sessions; the docs' through the fork server, README.md through the real ``gcli`` script and
    fresh processes (what a user types first stays tested end to end)."""
    steps = parse(page.read_text(encoding="utf-8"))
    if page == README:
        assert sum(step.kind == "console" for step in steps) >= 3
    with tempfile.TemporaryDirectory() as folder:
        _session(folder)
        for step in steps:
            actual = run(step, folder, None if page == README else server)
            if not matches(step.expected, actual):
                pytest.fail(f"{page.relative_to(ROOT)} line {step.line + 1}: $ {step.command}\nexpected:\n"
                            + "\n".join(step.expected) + "\nactual:\n" + "\n".join(actual))


def merge_expected(expected: list[str], actual: list[str]) -> list[str]:
    """The new expected output for ``actual``: the old expected lines that still fit (``…`` wildcards and lone
    ``…`` lines included) are kept where they align, the rest is the actual output (scored: +2 per kept line,
    −1 per new literal line); falls back to ``actual``."""
    import functools

    @functools.cache
    def best(i: int, j: int) -> tuple[int, tuple[tuple[str, int], ...]]:
        if i == len(expected):
            return j - len(actual), tuple(("actual", k) for k in range(j, len(actual)))
        options: list[tuple[int, tuple[tuple[str, int], ...]]] = []
        if expected[i].strip() == "…":
            for k in range(j, len(actual) + 1):
                score, plan = best(i + 1, k)
                options.append((score + 2, (("expected", i), *plan)))
        elif j < len(actual) and line_matches(expected[i], actual[j]):
            score, plan = best(i + 1, j + 1)
            options.append((score + 2, (("expected", i), *plan)))
        options.append(best(i + 1, j))
        if j < len(actual):
            score, plan = best(i, j + 1)
            options.append((score - 1, (("actual", j), *plan)))
        return max(options, key=lambda option: option[0])

    if len(expected) * (len(actual) + 1) > 200_000 or len(expected) + len(actual) > 600:  # recursion depth
        return actual
    merged = [expected[k] if kind == "expected" else actual[k] for kind, k in best(0, 0)[1]]
    return merged if matches(merged, actual) else actual


def test_update_keeps_wildcards() -> None:
    expected = ["certified in … s", "worst 1.0e-15 at [0, 1]", "…", "done", "gone"]
    actual = ["certified in 0.31 s", "worst 2.0e-15 at [0, 1]", "x", "y", "done", "new line"]
    merged = merge_expected(expected, actual)
    assert merged == ["certified in … s", "worst 1.0e-15 at [0, 1]", "…", "done", "new line"]
    assert matches(merged, actual)


def update(page: Path) -> int:
    """Rewrite the expected outputs of ``page`` that no longer match; print what changed."""
    text = page.read_text(encoding="utf-8")
    lines = text.split("\n")
    steps = parse(text)
    from sessionrun import SessionServer

    replacements: list[tuple[int, int, list[str]]] = []
    server = None if page == README else SessionServer()
    with tempfile.TemporaryDirectory() as folder:
        _session(folder)
        for step in steps:
            actual = run(step, folder, server)
            if step.kind == "console" and not matches(step.expected, actual):
                print(f"{page.name} line {step.line + 1}: $ {step.command}")
                replacements.append((step.line + 1, step.end, merge_expected(step.expected, actual)))
            elif step.kind == "python" and not matches(step.expected, actual):
                print(f"{page.name} line {step.line + 1}: python block output differs:\n" + "\n".join(actual))
    if server is not None:
        server.close()
    for start, end, actual in reversed(replacements):
        lines[start:end] = actual
    page.write_text("\n".join(lines), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))  # sessionrun, also under python -P
    if sys.argv[1:2] == ["--update"]:
        targets = [Path(name).resolve() for name in sys.argv[2:]] or session_files()
        raise SystemExit(max((update(target) for target in targets), default=0))
    raise SystemExit(pytest.main([__file__, "-q"]))
