"""Check a built wheel against the source tree: every source file of the three package folders must be in it.

``python .ci/check_wheel.py WHEEL`` exits 1 and names what is missing when a ``.py`` file (or a schema, or
``py.typed``) of ``gcli/``, ``constructions/`` or ``bounds/`` is not in the wheel at the path it installs to
(``constructions/x.py`` → ``gcli/constructions/x.py``). An editable install maps whole folders and hides a
missing package; this check sees what a user installs.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTALLS_AS = {"gcli": "gcli", "constructions": "gcli/constructions", "bounds": "gcli/bounds"}
SHIPPED = ("*.py", "*.json", "py.typed")


def expected_files() -> set[str]:
    """The wheel paths of every source file that must ship."""
    paths: set[str] = set()
    for folder, target in INSTALLS_AS.items():
        for pattern in SHIPPED:
            for path in (ROOT / folder).rglob(pattern):
                if "__pycache__" not in path.parts:
                    paths.add(f"{target}/{path.relative_to(ROOT / folder).as_posix()}")
    return paths


def main(wheel: str) -> int:
    with zipfile.ZipFile(wheel) as archive:
        shipped = set(archive.namelist())
    missing = sorted(expected_files() - shipped)
    if missing:
        print(f"{wheel} lacks {len(missing)} source file(s):", *missing, sep="\n  ")
        return 1
    if not any(name.endswith(".dist-info/entry_points.txt") for name in shipped):
        print(f"{wheel} has no entry points (the gcli command)")
        return 1
    print(f"{Path(wheel).name}: all {len(expected_files())} source files of gcli/, constructions/, bounds/ shipped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
