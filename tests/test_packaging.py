"""What a user installs: the metadata, ``python -m gcli``, and where compiled kernels are cached.

The wheel's contents are checked against the source tree by ``.ci/check_wheel.py`` (CI builds the wheel and runs the
tests against it); these tests check the installed package from the inside.
"""

import os
import subprocess
import sys
from importlib.metadata import metadata
from pathlib import Path

import gcli


def test_metadata_has_licence_and_classifiers():
    meta = metadata("gradcode")
    assert meta["License-Expression"] == "MIT"
    classifiers = meta.get_all("Classifier") or []
    assert "Intended Audience :: Science/Research" in classifiers
    assert any(c.startswith("Programming Language :: Python :: 3.11") for c in classifiers)
    assert "click" in " ".join(meta.get_all("Requires-Dist") or [])


def test_the_version_literal_is_the_installed_distributions():
    """gcli/_version.py is the one place the version is written (pyproject.toml reads it): the installed
    metadata, ``gcli.__version__`` and ``gcli --version`` say the same."""
    meta = metadata("gradcode")
    assert meta["Version"] == gcli.__version__
    done = subprocess.run([sys.executable, "-m", "gcli", "--version"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.strip() == f"gcli, version {gcli.__version__}", done


def test_python_dash_m_gcli_is_the_command_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "gcli", "design", "frc", "-n", "6", "-s", "1", "-o", "f.json"],
                          capture_output=True, text=True, cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr
    assert "wrote f.json" in done.stdout + done.stderr
    done = subprocess.run([sys.executable, "-m", "gcli", "desing"], capture_output=True, text=True, cwd=tmp_path,
                          check=False)
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_numba_cache_lives_in_the_user_cache_directory(tmp_path):
    """Compiled kernels go to $XDG_CACHE_HOME/gcli/numba, never into the installed package's folder."""
    package = Path(gcli.__file__).parent
    before = set(package.rglob("*.nbi"))
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    # large enough for the compiled kernels (smaller finite-field checks run by numpy elimination)
    for args in (["design", "reed-solomon", "-n", "20", "-s", "5", "--field", "GF(257)", "-o", "rs.json"],
                 ["verify", "rs.json"]):
        done = subprocess.run([sys.executable, "-m", "gcli", *args], capture_output=True, text=True, cwd=tmp_path,
                              env=env, check=False)
        assert done.returncode == 0, done.stderr
    cached = list((tmp_path / "cache" / "gcli" / "numba").rglob("*.nbi"))
    assert cached, "no kernel was cached in the user cache directory"
    assert set(package.rglob("*.nbi")) == before


def test_numba_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    from gcli.certification._kernels import numba_cache_dir

    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "explicit"))
    assert numba_cache_dir() == str(tmp_path / "explicit")
    monkeypatch.delenv("NUMBA_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert numba_cache_dir() == str(tmp_path / "xdg" / "gcli" / "numba")


def test_the_search_table_ships_with_the_package():
    """``gcli design srg|bibd --near N`` reads constructions/search_table.json: the installed package has it and
    .ci/check_wheel.py requires it in the wheel."""
    from importlib.resources import files

    from gcli.constructions.structure_codes import SEARCH_TABLE, search_table

    shipped = files("gcli.constructions") / "search_table.json"
    assert shipped.is_file() and SEARCH_TABLE.is_file()
    table = search_table()
    assert table["srg_v_max"] >= 1250 and table["srg"]["10"] and table["bibd"]
    checker = Path(__file__).resolve().parents[1] / ".ci" / "check_wheel.py"
    if checker.exists():
        import importlib.util

        spec = importlib.util.spec_from_file_location("check_wheel", checker)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        assert "gcli/constructions/search_table.json" in module.expected_files()
