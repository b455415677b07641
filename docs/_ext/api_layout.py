"""MkDocs hook: give the API pages the package layout gcli installs as.

The repository keeps ``gcli/``, ``constructions/`` and ``bounds/`` side by side; they install as ``gcli``,
``gcli.constructions`` and ``gcli.bounds`` (``setup.py``). mkdocstrings reads the sources statically, so before the
build this hook mirrors that layout under ``build/api-src/gcli`` (symbolic links, and a copy of
``gcli/__init__.py``), the ``paths`` of the mkdocstrings handler in ``mkdocs.yml``: the API pages then document
``gcli.constructions.mds``, not ``constructions.mds``, and imports between the three folders resolve.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
STAGE = ROOT / "build" / "api-src"
FOLDERS = {"constructions": ROOT / "constructions", "bounds": ROOT / "bounds"}


def on_config(config: Any) -> Any:
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
    return config
