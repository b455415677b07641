"""Start-up: the command line imports heavy libraries only where a command needs them."""

import subprocess
import sys

import pytest

HEAVY = ("numpy", "galois", "sympy", "numba", "scipy", "networkx", "jsonschema", "rich", "matplotlib", "sklearn")

_PROBE = """
import sys
from gcli.cli import main
sys.argv = ["gcli", *{args!r}]
try:
    main()
except SystemExit:
    pass
print("LOADED", " ".join(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)
"""


def _loaded(args, tmp_path):
    proc = subprocess.run([sys.executable, "-c", _PROBE.format(args=args, heavy=HEAVY)], capture_output=True,
                          text=True, cwd=tmp_path, check=False)
    line = [x for x in proc.stderr.splitlines() if x.startswith("LOADED")][-1]
    return set(line.split()[1:]), proc


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["design", "--help"], ["verify", "--help"],
                                  ["bound", "tradeoff", "-n", "10", "-s", "3"], ["bound", "--help"],
                                  ["export", "--help"], ["compare", "--help"], ["simulate", "--help"],
                                  ["bound", "hierarchical", "--relays", "5", "--cluster-sizes", "10", "--sr", "1"],
                                  ["bound", "approx", "srg", "10", "3", "0", "1", "-p", "0.1"],
                                  ["bound", "approx", "bibd", "7", "3", "-m", "2"],
                                  ["bound", "approx", "any", "-n", "12", "-d", "3", "-m", "2"]])
def test_light_commands_import_nothing_heavy(args, tmp_path):
    loaded, proc = _loaded(args, tmp_path)
    assert loaded == set(), (args, loaded, proc.stderr)


def test_real_design_and_verify_never_import_galois(tmp_path):
    """The README's first block: no field library, and no numba (whose import and kernel loading cost more than
    the 28 surviving sets, and whose compilation on a cold cache cost seconds)."""
    loaded, _ = _loaded(["design", "crc", "-n", "8", "-s", "2", "-o", "crc.json"], tmp_path)
    assert not loaded & {"galois", "sympy", "numba"}, loaded
    loaded, proc = _loaded(["verify", "crc.json"], tmp_path)
    assert "DECODABLE" in proc.stdout
    assert not loaded & {"galois", "sympy", "numba"}, loaded


@pytest.mark.parametrize("field", ["GF(2^8)", "GF(257)"])
def test_verifying_a_finite_field_file_never_builds_galois(field, tmp_path):
    """The README's Reed–Solomon code: designing it may use galois; verifying the file needs only the numbers
    (gcli.fields.FieldInfo), so neither galois nor sympy is imported."""
    _loaded(["design", "reed-solomon", "-n", "10", "-s", "3", "--field", field, "-o", "rs.json"], tmp_path)
    for args in (["verify", "rs.json"], ["verify", "rs.json", "--json"], ["verify", "rs.json", "--sample", "20"]):
        loaded, proc = _loaded(args, tmp_path)
        assert "DECODABLE" in proc.stdout or '"decodable": true' in proc.stdout, proc.stderr
        assert not loaded & {"galois", "sympy"}, (args, loaded)


def test_lazy_namespaces_list_what_their_modules_export():
    import gcli
    import gcli.bounds
    import gcli.constructions
    from gcli.constructions import combinatorics

    assert set(combinatorics.__all__) <= set(gcli.constructions.__all__)
    for namespace in (gcli, gcli.constructions, gcli.bounds):
        for name in namespace.__all__:
            assert getattr(namespace, name) is not None, (namespace.__name__, name)


def test_simulating_a_real_code_loads_no_field_or_plot_library(tmp_path):
    _loaded(["design", "crc", "-n", "6", "-s", "2", "-o", "crc.json"], tmp_path)
    loaded, proc = _loaded(["simulate", "crc.json", "-T", "2", "--dataset", "breast-cancer"], tmp_path)
    assert "wait for all" in proc.stdout, proc.stderr
    assert not loaded & {"galois", "sympy", "matplotlib", "sklearn"}, loaded
