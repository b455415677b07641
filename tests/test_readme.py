"""The README's and the docs' sessions are real: every ``$ command`` of their ``console`` blocks is rerun and compared.

Each file (``README.md`` and every ``docs/**/*.md``) runs on its own: its blocks run in document order in one fresh
temporary folder (later sessions use files earlier ones wrote), through
bash with the installed ``gcli`` first on PATH; ``python`` blocks run there too, and when a block ends with
``# …`` comment lines they are its expected output. In expected output ``…`` matches any text within a line, and a
line that is only ``…`` matches any number of lines (timings, long tables).

``python tests/test_readme.py --update [FILE …]`` rewrites the outputs of commands whose output no longer matches.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

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


def _line_pattern(line: str) -> re.Pattern[str]:
    return re.compile("".join(".*" if part == "…" else re.escape(part) for part in re.split("(…)", line.rstrip())))


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` lines fit ``expected`` (``…`` wildcards within lines, a lone ``…`` for any lines)."""
    if not expected:
        return not actual
    head = expected[0]
    if head.strip() == "…":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and _line_pattern(head).fullmatch(actual[0].rstrip()) is not None \
        and matches(expected[1:], actual[1:])


def run(step: Step, folder: str) -> list[str]:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}
    env.pop("GCLI_DEBUG", None)
    if step.kind == "console":
        args = ["bash", "-c", step.command]
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


@pytest.mark.parametrize("page", session_files(), ids=lambda page: str(page.relative_to(ROOT)))
def test_sessions(page: Path) -> None:
    steps = parse(page.read_text(encoding="utf-8"))
    if page == README:
        assert sum(step.kind == "console" for step in steps) >= 3
    with tempfile.TemporaryDirectory() as folder:
        _session(folder)
        for step in steps:
            actual = run(step, folder)
            if not matches(step.expected, actual):
                pytest.fail(f"{page.relative_to(ROOT)} line {step.line + 1}: $ {step.command}\nexpected:\n"
                            + "\n".join(step.expected) + "\nactual:\n" + "\n".join(actual))


def update(page: Path) -> int:
    """Rewrite the expected outputs of ``page`` that no longer match; print what changed."""
    text = page.read_text(encoding="utf-8")
    lines = text.split("\n")
    steps = parse(text)
    replacements: list[tuple[int, int, list[str]]] = []
    with tempfile.TemporaryDirectory() as folder:
        _session(folder)
        for step in steps:
            actual = run(step, folder)
            if step.kind == "console" and not matches(step.expected, actual):
                print(f"{page.name} line {step.line + 1}: $ {step.command}")
                replacements.append((step.line + 1, step.end, actual))
            elif step.kind == "python" and not matches(step.expected, actual):
                print(f"{page.name} line {step.line + 1}: python block output differs:\n" + "\n".join(actual))
    for start, end, actual in reversed(replacements):
        lines[start:end] = actual
    page.write_text("\n".join(lines), encoding="utf-8")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--update"]:
        targets = [Path(name).resolve() for name in sys.argv[2:]] or session_files()
        raise SystemExit(max((update(target) for target in targets), default=0))
    raise SystemExit(pytest.main([__file__, "-q"]))
