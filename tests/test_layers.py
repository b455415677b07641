"""Architecture rules, checked on the source: no import cycles, the core never imports a construction, bounds
never import constructions, and prime-field combinatorics never touches galois."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {"gcli": ROOT / "gcli", "gcli.constructions": ROOT / "constructions", "gcli.bounds": ROOT / "bounds"}


def _modules() -> dict[str, Path]:
    """Every module of the three installed packages, by its import name."""
    found: dict[str, Path] = {}
    for package, folder in PACKAGES.items():
        for path in folder.rglob("*.py"):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts and parts[0] in ("constructions", "bounds") and package == "gcli":
                continue  # not part of the core folder
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join([package, *parts])] = path
    return found


MODULES = _modules()


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not _is_package(module):
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _targets(module: str, node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        origin = _resolve(module, node)
        return [f"{origin}.{a.name}" if f"{origin}.{a.name}" in MODULES else origin for a in node.names]
    return []


def _type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _module_level_imports(module: str, tree: ast.Module) -> set[str]:
    """Imports executed when the module is imported: top-level statements, also inside try/if (not TYPE_CHECKING)."""
    out: set[str] = set()
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda) or _type_checking(node):
            continue
        out.update(t for t in _targets(module, node) if t in MODULES)
        if not isinstance(node, ast.Import | ast.ImportFrom):
            stack.extend(ast.iter_child_nodes(node))
    return out


def _all_imports(module: str, tree: ast.Module) -> set[str]:
    """Every import anywhere in the module (also inside functions), including unresolved third-party names."""
    return {t for node in ast.walk(tree) for t in _targets(module, node)}


TREES = {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in MODULES.items()}


def test_the_walker_sees_the_packages():
    assert "gcli.structures.certificate" in MODULES and "gcli.constructions.combinatorics.catalog.builders" in MODULES
    assert "gcli.bounds.existence" in MODULES
    builders = _module_level_imports("gcli.constructions.combinatorics.catalog.builders",
                                     TREES["gcli.constructions.combinatorics.catalog.builders"])
    assert "gcli.constructions.combinatorics.algebraic_graphs" in builders and "gcli.structures" in builders


def _imports_anywhere(module: str, tree: ast.Module) -> set[str]:
    """Modules of the three packages imported anywhere in the module: at the top, inside try/if, inside function
    and method bodies (executed on call, a cycle all the same); only ``if TYPE_CHECKING:`` blocks are exempt."""
    out: set[str] = set()
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if _type_checking(node):
            continue
        out.update(t for t in _targets(module, node) if t in MODULES and t != module)
        if not isinstance(node, ast.Import | ast.ImportFrom):
            stack.extend(ast.iter_child_nodes(node))
    return out


GRAPH = {name: _imports_anywhere(name, tree) for name, tree in TREES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted: every import cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return sorted(found)


# The intended layer order, lowest first. Each entry is a unit: a subpackage (with everything below it) or a
# module; a module belongs to the unit that is its longest prefix ("gcli" is the package's own __init__ only).
# An import between two units must go strictly downwards — a lower layer never imports a higher one and two units
# of one layer never import each other — counting imports inside function bodies; only TYPE_CHECKING is exempt.
LAYERS: list[tuple[str, list[str]]] = [
    ("base", ["gcli._gc", "gcli._lazy", "gcli._version", "gcli.defaults", "gcli.errors", "gcli.progress"]),
    ("finite fields and linear algebra", ["gcli.fields"]),
    ("the code model", ["gcli.code"]),
    ("decoding", ["gcli.decoding"]),
    ("files; designs and graphs", ["gcli.io", "gcli.structures"]),
    ("bounds; hierarchical codes", ["gcli.bounds", "gcli.hierarchical"]),
    ("certification", ["gcli.certification"]),
    ("training; constructions", ["gcli.training", "gcli.constructions"]),
    ("advice (every family, certified and simulated)", ["gcli.advice"]),
    ("figures", ["gcli.plots"]),
    ("command line; the public namespace", ["gcli.cli", "gcli"]),
    ("python -m gcli", ["gcli.__main__"]),
]


def _unit(name: str) -> tuple[int, str]:
    """(layer index, unit) of a module: the longest unit that is the module or a package above it."""
    best: tuple[int, str] | None = None
    for index, (_, units) in enumerate(LAYERS):
        for unit in units:
            inside = name == unit or (unit != "gcli" and name.startswith(unit + "."))
            if inside and (best is None or len(unit) > len(best[1])):
                best = (index, unit)
    if best is None:
        raise AssertionError(f"{name} belongs to no layer: add it to LAYERS")
    return best


def test_the_walker_sees_function_level_imports():
    tree = ast.parse("import gcli.code\ndef f():\n    from gcli import errors\n"
                     "if TYPE_CHECKING:\n    import gcli.fields\n")
    assert _imports_anywhere("gcli.io.limits", tree) == {"gcli.code", "gcli.errors"}
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles_function_level_included():
    assert _cycles(GRAPH) == [], "import cycles (function-level imports included)"


def test_every_module_has_a_layer():
    assert all(_unit(name) for name in MODULES)
    assert _unit("gcli.io.json") == (4, "gcli.io") and _unit("gcli") == (10, "gcli")


def test_imports_go_down_the_layers():
    """No unit imports one of a higher layer or of its own layer (function-level imports included), so the
    subpackages form no cycle either (e.g. ``gcli.io`` ↔ ``gcli.hierarchical``, ``gcli`` ↔ ``gcli.bounds``)."""
    upward = []
    for name, targets in GRAPH.items():
        layer, unit = _unit(name)
        for target in sorted(targets):
            other_layer, other = _unit(target)
            if other != unit and other_layer >= layer:
                upward.append(f"{name} ({LAYERS[layer][0]}) imports {target} ({LAYERS[other_layer][0]})")
    assert not upward, "\n".join(upward)


def _layer(name: str) -> str:
    if name.startswith("gcli.constructions"):
        return "constructions"
    if name.startswith("gcli.bounds"):
        return "bounds"
    if name == "gcli.cli" or name.startswith("gcli.cli."):
        return "cli"
    if name == "gcli.advice" or name.startswith("gcli.advice."):
        return "advice"  # above the constructions: it enumerates the registry
    return "core"


@pytest.mark.parametrize("layer", ["core", "bounds"])
def test_lower_layers_never_import_constructions(layer):
    offenders = {name: sorted(t for t in _all_imports(name, tree) if t.startswith("gcli.constructions"))
                 for name, tree in TREES.items() if _layer(name) == layer}
    assert not {k: v for k, v in offenders.items() if v}


def test_the_combinatorics_layers_import_downwards_only():
    """Families never import the catalog; design families and graph families never import each other."""
    designs = {"geometries", "difference_sets", "triple_systems", "hadamard", "design_operations"}
    graphs = {"algebraic_graphs", "polar_graphs", "combinatorial_graphs", "sporadic_graphs", "regular_graphs"}
    prefix = "gcli.constructions.combinatorics."
    for name, tree in TREES.items():
        if not name.startswith(prefix) or name.startswith(prefix + "catalog"):
            continue
        imported = {t.removeprefix(prefix).split(".")[0] for t in _all_imports(name, tree) if t.startswith(prefix)}
        family = name.removeprefix(prefix)
        assert "catalog" not in imported, name
        if family in designs:
            assert not imported & graphs, name
        if family in graphs:
            assert not imported & designs, name


def test_the_structure_layer_imports_heavy_libraries_lazily():
    """galois, scipy, networkx, sympy only inside functions in gcli.structures and the combinatorics families."""
    heavy = ("galois", "scipy", "networkx", "sympy", "numba", "jsonschema")
    for name, tree in TREES.items():
        if not (name.startswith(("gcli.structures", "gcli.constructions.combinatorics", "gcli.bounds.existence"))
                or name in ("gcli.constructions._geometry", "gcli.io.json")):
            continue
        top = {alias.name for node in tree.body if isinstance(node, ast.Import) for alias in node.names}
        top |= {node.module or "" for node in tree.body if isinstance(node, ast.ImportFrom)}
        assert not [t for t in top if t.split(".")[0] in heavy], name


NO_GALOIS = textwrap.dedent("""
    import sys
    import gcli.fields
    import gcli.fields.core
    from gcli.constructions.combinatorics import (affine_geometry_design, affine_polar_graph, hadamard_design,
        latin_square_graph, paley_difference_set_design, paley_graph, polar_graph, projective_geometry_design,
        singer_difference_set, srg, bibd)
    from gcli.constructions._geometry import FiniteField
    loaded_by_the_core = "galois" in sys.modules

    def refuse(*args, **kwargs):
        raise AssertionError("a prime-field construction asked for a galois field")

    gcli.fields.gf = gcli.fields.core.gf = refuse
    if loaded_by_the_core:
        import galois
        galois.GF = refuse
    paley_graph(13); projective_geometry_design(7); projective_geometry_design(5, 3, "lines")
    affine_geometry_design(5, 3); singer_difference_set(7); singer_difference_set(3, 3)
    polar_graph("sp", 4, 3); polar_graph("o-", 6, 3); affine_polar_graph("+", 2, 3); latin_square_graph(4, 7)
    paley_difference_set_design(23); hadamard_design(12); srg(997, 498, 248, 249); bibd(993, 32)
    assert loaded_by_the_core or "galois" not in sys.modules, "galois was imported"
    projective_geometry_design(4); bibd(256, 16); bibd(273, 17)  # GF(4), GF(16), GF(4096): the shipped polynomials
    try:
        FiniteField(71**2)  # beyond gcli.fields._conway: galois' field
    except AssertionError:
        print("prime powers use gcli.fields.gf")
    print("core loads galois" if loaded_by_the_core else "galois never imported")
""")


@pytest.fixture(scope="module")
def prime_field_run() -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", NO_GALOIS], capture_output=True, text=True, timeout=300)


def test_prime_fields_never_ask_for_galois(prime_field_run):
    assert prime_field_run.returncode == 0, prime_field_run.stderr
    assert "prime powers use gcli.fields.gf" in prime_field_run.stdout  # the check can fail: GF(71²) asks galois


def test_prime_fields_never_import_galois(prime_field_run):
    assert prime_field_run.returncode == 0, prime_field_run.stderr
    if "core loads galois" in prime_field_run.stdout:
        pytest.skip("importing the core itself still loads galois (start-up work of issue 8)")
    assert "galois never imported" in prime_field_run.stdout
