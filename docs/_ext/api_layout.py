"""MkDocs hook: give the API pages the package layout gcli installs as.

The repository keeps ``gcli/``, ``constructions/`` and ``bounds/`` side by side; they install as ``gcli``,
``gcli.constructions`` and ``gcli.bounds`` (``setup.py``). mkdocstrings reads the sources statically, so before the
build this hook mirrors that layout under ``build/api-src/gcli`` (symbolic links, and a copy of
``gcli/__init__.py``), the ``paths`` of the mkdocstrings handler in ``mkdocs.yml``: the API pages then document
``gcli.constructions.mds``, not ``constructions.mds``, and imports between the three folders resolve.

The mirror is made when MkDocs imports this hook, while it reads ``mkdocs.yml``: mkdocstrings expands its
``paths`` when its handler starts, and a path that does not exist yet (a fresh checkout or source distribution)
would silently fall back to the repository root, whose bare ``gcli/`` folder lacks ``constructions`` and ``bounds``.
``on_config`` makes it again for every rebuild of ``mkdocs serve``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
STAGE = ROOT / "build" / "api-src"
FOLDERS = {"constructions": ROOT / "constructions", "bounds": ROOT / "bounds"}


def stage() -> None:
    """Rebuild ``build/api-src/gcli`` from the source folders (links, and a copy of ``gcli/__init__.py``)."""
    package = STAGE / "gcli"
    if STAGE.exists():
        shutil.rmtree(STAGE)
    package.mkdir(parents=True)
    for entry in (ROOT / "gcli").iterdir():
        if entry.name == "__init__.py":  # a copy: the loader takes the package's folder from this file's real path
            shutil.copyfile(entry, package / entry.name)
        elif entry.name != "__pycache__":
            os.symlink(entry, package / entry.name)
    for name, folder in FOLDERS.items():
        os.symlink(folder, package / name)


def on_config(config: Any) -> Any:
    """Mirror the layout again before every build."""
    stage()
    return config


stage()
