"""MkDocs hook: give the API pages the package layout gcli installs as.

The repository keeps ``gcli/``, ``constructions/`` and ``bounds/`` side by side; they install as ``gcli``,
``gcli.constructions`` and ``gcli.bounds`` (``setup.py``). mkdocstrings reads the sources statically, so before the
build this hook mirrors that layout under ``build/api-src/gcli`` (symbolic links, and a copy of
``gcli/__init__.py``), the ``paths`` of the mkdocstrings handler in ``mkdocs.yml``: the API pages then document
``gcli.constructions.mds``, not ``constructions.mds``, and imports between the three folders resolve.

griffe first tries an identifier as a path relative to the working folder: from the repository root ``::: gcli``
would load the bare ``gcli/`` folder (without ``constructions`` and ``bounds``). The build therefore runs with
``build/api-src`` as its working folder, where ``gcli`` is the mirrored package, and returns to the caller's
folder afterwards (mkdocs has resolved its own paths against the config file before this hook runs).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
STAGE = ROOT / "build" / "api-src"
_CALLER: list[str] = []
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
    _CALLER.append(os.getcwd())
    os.chdir(STAGE)
    return config


def _restore() -> None:
    if _CALLER:
        os.chdir(_CALLER.pop())


def on_post_build(config: Any) -> None:
    """Back to the caller's working folder."""
    _restore()


def on_build_error(error: Exception) -> None:
    """Back to the caller's working folder after a failed build too."""
    _restore()
