"""The catalog's builders: which family builds a 2-(v, k, λ) design or an srg(v, k, λ, μ), and building it.

Every family is asked in turn through a small predicate that returns a *plan* (a name and a builder) or None, as
SageMath's ``designs`` and ``strongly_regular_db`` do; the name is known without building anything, which is what
the existence oracle and the ``--near`` searches need. Designs and graphs meet here only: symmetric designs
from SRGs with λ = μ (or μ = λ + 2), and SRGs from the block graphs of Steiner systems.

Example:
    >>> bibd_construction(13, 4), srg_construction(50, 7, 0, 1)
    ('Singer difference set PG(2,3)', 'Hoffman–Singleton graph')

References (for the whole module): C. J. Colbourn, J. H. Dinitz (eds.), *Handbook of Combinatorial Designs*, 2nd
ed., CRC 2007; A. E. Brouwer, H. Van Maldeghem, *Strongly Regular Graphs*, CUP 2022.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

from gcli.errors import ImpossibleParameters
from gcli.fields.numbertheory import integer_log, integer_root, is_prime, is_prime_power
from gcli.structures import BlockDesign, Params, StronglyRegularGraph, admissible, srg_complement_params

from .. import algebraic_graphs as alg
from .. import combinatorial_graphs as comb
from .. import design_operations as ops
from .. import difference_sets as ds
from .. import geometries as geo
from .. import golay_graphs as golay
from .. import polar_graphs as polar
from .. import sporadic_graphs as named
from ..designs_from_graphs import neighbourhood_design
from ..group_graphs import gritsenko_graph, jorgensen_klin_graph
from ..hadamard import hadamard_design, has_hadamard_matrix
from ..latin_squares import max_mols
from ..rotational_designs import ROTATIONAL_DESIGNS, rotational_design, rotational_design_name
from ..triple_systems import steiner_triple_system

__all__ = [
    "MAX_INCIDENCES",
    "MAX_VERTICES",
    "bibd",
    "bibd_construction",
    "srg",
    "srg_candidates",
    "srg_construction",
]

Plan = tuple[str, Callable[[], BlockDesign]]
Candidate = tuple[Params, str, Callable[[], StronglyRegularGraph]]

MAX_INCIDENCES = 20_000_000
"""Largest b·k that :func:`bibd` builds (memory guard)."""
MAX_VERTICES = 5000
"""Largest v that :func:`srg` builds (the certificate uses dense v × v products)."""


def _named(label: str, build: Callable[[], BlockDesign]) -> Callable[[], BlockDesign]:
    return lambda: dataclasses.replace(build(), name=label)


# ---------------------------------------------------------------------------------------------------------
# designs: one predicate per family, tried in order
# ---------------------------------------------------------------------------------------------------------
def _steiner(v: int, k: int, lam: int) -> Plan | None:
    if lam != 1:
        return None
    if k == 2:
        return (f"complete graph K_{v}", lambda: ops.complete_design(v, 2))
    if k == 3:
        return (f"{'Bose' if v % 6 == 3 else 'Skolem'} STS({v})", lambda: steiner_triple_system(v))
    return None


def _geometry_lines(v: int, k: int, lam: int) -> Plan | None:
    q = k - 1
    if lam == 1 and is_prime_power(q):
        for d in range(2, 12):
            if (q ** (d + 1) - 1) // (q - 1) == v:
                if d == 2:
                    return (f"Singer difference set PG(2,{q})", lambda: ds.singer_difference_set(q, 2))
                return (f"PG({d},{q}) points/lines", lambda d=d: geo.projective_geometry_design(q, d, "lines"))
    if lam == 1 and is_prime_power(k):
        d = integer_log(v, k)
        if d is not None and d >= 2:
            return (f"AG({d},{k}) points/lines", lambda: geo.affine_geometry_design(k, d, "lines"))
    return None


def _geometry_hyperplanes(v: int, k: int, lam: int) -> Plan | None:
    for q in range(2, k + 1):
        if not is_prime_power(q):
            continue
        for d in range(3, 14):
            points = (q ** (d + 1) - 1) // (q - 1)
            if points > v:
                break
            if (points, (q**d - 1) // (q - 1), (q ** (d - 1) - 1) // (q - 1)) == (v, k, lam):
                if q ** (d + 1) <= 2**22:
                    return (f"Singer difference set PG({d},{q})", lambda q=q, d=d: ds.singer_difference_set(q, d))
                return (f"PG({d},{q}) points/hyperplanes",
                        lambda q=q, d=d: geo.projective_geometry_design(q, d, "hyperplanes"))
            if (q**d, q ** (d - 1), (q ** (d - 1) - 1) // (q - 1)) == (v, k, lam):
                return (f"AG({d},{q}) points/hyperplanes",
                        lambda q=q, d=d: geo.affine_geometry_design(q, d, "hyperplanes"))
    return None


def _unital(v: int, k: int, lam: int) -> Plan | None:
    q = integer_root(v - 1, 3)
    if lam == 1 and q**3 + 1 == v and q == k - 1 and is_prime_power(q) and q <= 7:
        return (f"Hermitian unital U({q})", lambda: geo.hermitian_unital(q))
    return None


def _difference_families(v: int, k: int, lam: int) -> Plan | None:
    if lam != 1:
        return None
    if (v, k) in ds.GROUP_DIFFERENCE_FAMILIES:
        return (f"difference family ({v},{k},1) over an abelian group",
                lambda: ds.group_difference_family_design(v, k))
    if (v, k) in ds.ORBIT_FAMILIES:
        return (f"Z_{k - 1}-orbit design ({v},{k},1)", lambda: ds.orbit_design(v, k))
    if (v, k) in ds.CYCLIC_DIFFERENCE_FAMILIES:
        return (f"cyclic difference family ({v},{k},1)", lambda: ds.cyclic_difference_family_design(v, k))
    if (v, k) in ROTATIONAL_DESIGNS:
        return (rotational_design_name(v, k), lambda: rotational_design(v, k))
    return None


def _residue_sets(v: int, k: int, lam: int) -> Plan | None:
    if v % 4 == 3 and 2 * k + 1 == v and 4 * lam + 3 == v and is_prime_power(v):
        return (f"Paley difference set QR({v})", lambda: ds.paley_difference_set_design(v))
    if (v + 1) % 4 == 0 and (k, lam) == ((v - 1) // 2, (v - 3) // 4) and has_hadamard_matrix(v + 1):
        return (f"Hadamard design of order {v + 1}", lambda: hadamard_design(v + 1))
    x = math.isqrt(k)
    if 16 * lam + 5 == v and 4 * k + 1 == v and x * x == k and x % 2 == 1 and is_prime(v) and v > 5:
        return (f"quartic residues mod {v}", lambda: ds.biquadratic_residue_design(v))
    return None


def _from_srg(v: int, k: int, lam: int) -> Plan | None:
    """Symmetric designs from the (closed) neighbourhoods of an srg(v, k, λ, λ) (an srg(v, k−1, λ−2, λ))."""
    params = admissible(v, k, lam)
    if params is None or params[1] != v or lam < 2 or v > 2000:  # λ = 1 would recurse through block graphs
        return None
    for degree, srg_lam, closed in ((k, lam, False), (k - 1, lam - 2, True)):
        if srg_lam < 0 or not 0 < degree < v - 1:
            continue
        name = srg_construction(v, degree, srg_lam, lam)
        if name is not None:
            label = f"{'closed ' if closed else ''}neighbourhoods of {name}"
            return (label, _named(label, lambda d=degree, sl=srg_lam, c=closed: neighbourhood_design(
                srg(v, d, sl, lam), closed=c)))
    return None


def _complete(v: int, k: int, lam: int) -> Plan | None:
    if k > 2 and math.comb(v, k) <= ops.MAX_COMPLETE_BLOCKS and lam == math.comb(v - 2, k - 2):
        return (f"complete design: all {k}-subsets of {v} points", lambda: ops.complete_design(v, k))
    return None


_DESIGN_FAMILIES = (_steiner, _geometry_lines, _geometry_hyperplanes, _unital, _difference_families,
                    _residue_sets, _from_srg, _complete)


def _design_plan(v: int, k: int, lam: int, depth: int = 0) -> Plan | None:
    """The first family that builds (v, k, λ), then complements, residuals and derived designs of those."""
    params = admissible(v, k, lam)
    if params is None or k == v:
        return None
    r, b = params
    for family in _DESIGN_FAMILIES:
        plan = family(v, k, lam)
        if plan is not None:
            return plan
    if depth >= 2:
        return None
    if 2 <= v - k < k:
        inner = _design_plan(v, v - k, b - 2 * r + lam, depth + 1)
        if inner is not None:
            return (f"complement of {inner[0]}", lambda build=inner[1]: ops.complementary_design(build()))
    if lam * (v + k + lam - 1) == (k + lam) * (k + lam - 1):  # residual of a symmetric (v+k+λ, k+λ, λ) design
        inner = _design_plan(v + k + lam, k + lam, lam, depth + 1)
        if inner is not None:
            return (f"residual of {inner[0]}", lambda build=inner[1]: ops.residual_design(build()))
    if lam == k - 1 and (v * (v - 1)) % k == 0:  # derived design of a symmetric (1 + v(v−1)/k, v, k) design
        inner = _design_plan(1 + v * (v - 1) // k, v, k, depth + 1)
        if inner is not None:
            return (f"derived design of {inner[0]}", lambda build=inner[1]: ops.derived_design(build()))
    return None


_MAX_BASE_LAMBDA = 1_000_000
"""λ/c copies of a (v, k, λ₀) design are tried for λ₀ up to this (a design with λ₀ beyond it has more than a million
blocks): the search is bounded whatever λ is asked for."""


def _plan_with_multiples(v: int, k: int, lam: int) -> Plan | None:
    plan = _design_plan(v, k, lam)
    if plan is not None:
        return plan
    for divisor in range(min(lam - 1, _MAX_BASE_LAMBDA), 0, -1):
        inner = _design_plan(v, k, divisor) if lam % divisor == 0 else None
        if inner is not None:
            label = f"{lam // divisor} copies of {inner[0]}"
            return (label, _named(label, lambda b=inner[1], c=lam // divisor: ops.multiple_design(b(), c)))
    return None


def bibd_construction(v: int, k: int, lam: int = 1) -> str | None:
    """Name of the construction :func:`bibd` would use for (v, k, λ), or None if gcli cannot build it.

    Args:
        v: points.
        k: block size.
        lam: λ.

    Returns:
        The construction's name (nothing is built), or None.

    References:
        Handbook of Combinatorial Designs, part II.

    Example:
        >>> bibd_construction(993, 32)
        'Singer difference set PG(2,31)'
    """
    plan = _plan_with_multiples(v, k, lam)
    return plan[0] if plan else None


def bibd(v: int, k: int, lam: int = 1) -> BlockDesign:
    """A 2-(v, k, λ) design built by the first applicable family (certified before it is returned).

    Families tried: complete graph (k = 2), Steiner triple systems, projective and affine geometries over GF(q)
    (lines, hyperplanes; Singer cycles), Hermitian unitals, tabulated difference families and base blocks under a
    cyclic automorphism (the (v, 6, 1) and (v, 7, 1) designs with v ≤ 100), Paley and
    quartic-residue difference sets, Hadamard designs, symmetric designs from SRGs, complete designs, and
    recursively complements, residuals and derived designs of those, and λ/λ₀ copies of a (v, k, λ₀) design.

    Args:
        v: points.
        k: block size.
        lam: λ, blocks through each pair of points.

    Returns:
        A certified :class:`~gcli.structures.BlockDesign`; InputError when (v, k, λ) is not admissible, too large,
        or not buildable by gcli.

    Example:
        >>> design = bibd(7, 3)
        >>> (design.b, design.r, design.name)
        (7, 3, 'Skolem STS(7)')

    References:
        Handbook of Combinatorial Designs (Colbourn–Dinitz, 2007), part II.
    """
    params = admissible(v, k, lam)
    if params is None:
        raise ImpossibleParameters(
            f"(v, k, λ) = ({v}, {k}, {lam}) is not admissible: need 2 ≤ k ≤ v, λ ≥ 1, (k−1) | λ(v−1) and "
            "k | v·r (try `gcli bound exists bibd`)"
        )
    if params[1] * k > MAX_INCIDENCES:
        raise ImpossibleParameters(
            f"a ({v}, {k}, {lam}) design has b·k = {params[1] * k} incidences; gcli builds designs "
            f"with at most {MAX_INCIDENCES}")
    plan = _plan_with_multiples(v, k, lam)
    if plan is None:
        raise ImpossibleParameters(f"gcli has no construction for a ({v}, {k}, {lam}) design "
                                   f"(see `gcli bound exists bibd {v} {k} {lam}`)")
    return plan[1]()


# ---------------------------------------------------------------------------------------------------------
# strongly regular graphs: one predicate per family, each listing its candidates on v vertices
# ---------------------------------------------------------------------------------------------------------
_SPORADIC: tuple[Candidate, ...] = (
    ((10, 3, 0, 1), "Petersen graph", named.petersen_graph),
    ((16, 5, 0, 2), "Clebsch graph", named.clebsch_graph),
    ((16, 6, 2, 2), "Shrikhande graph", named.shrikhande_graph),
    ((27, 16, 10, 8), "Schläfli graph", named.schlafli_graph),
    ((28, 12, 6, 4), "Chang graph 1", lambda: named.chang_graph(1)),
    ((50, 7, 0, 1), "Hoffman–Singleton graph", named.hoffman_singleton_graph),
    ((56, 10, 0, 2), "Gewirtz graph", named.gewirtz_graph),
    ((65, 32, 15, 16), "Gritsenko graph", gritsenko_graph),
    ((77, 16, 0, 4), "M22 graph", named.m22_graph),
    ((100, 22, 0, 6), "Higman–Sims graph", named.higman_sims_graph),
    ((100, 44, 18, 20), "Jørgensen–Klin graph Δ1", lambda: jorgensen_klin_graph(44)),
    ((100, 45, 20, 20), "Jørgensen–Klin graph Γ3", lambda: jorgensen_klin_graph(45)),
    ((105, 32, 4, 12), "flags of PG(2,4)", lambda: comb.flag_graph(ds.singer_difference_set(4))),
    ((120, 77, 52, 44), "S(4,7,23) blocks missing two points meeting in 3", lambda: golay.witt_graph(120)),
    ((126, 50, 13, 24), "Goethals graph", golay.goethals_graph),
    ((162, 56, 10, 24), "second subconstituent of the McLaughlin graph", golay.mclaughlin_subconstituent),
    ((175, 72, 20, 36), "edges of the Hoffman–Singleton graph at distance 2", golay.hoffman_singleton_edge_graph),
    ((176, 105, 68, 54), "S(4,7,23) blocks missing a point meeting in 3", lambda: golay.witt_graph(176)),
    ((231, 30, 9, 3), "Cameron graph", golay.cameron_graph),
    ((243, 22, 1, 2), "Berlekamp–van Lint–Seidel graph", lambda: golay.ternary_golay_graph("bvls")),
    ((243, 110, 37, 60), "ternary Golay code words at distance 9", lambda: golay.ternary_golay_graph("delsarte")),
    ((253, 112, 36, 60), "S(4,7,23) blocks meeting in 1", lambda: golay.witt_graph(253)),
    ((275, 112, 30, 56), "McLaughlin graph", golay.mclaughlin_graph),
    ((280, 117, 44, 52), "Mathon–Rosa graph", comb.mathon_rosa_graph),
)


def _paley(v: int) -> list[Candidate]:
    if v % 4 == 1 and is_prime_power(v):
        return [((v, (v - 1) // 2, (v - 5) // 4, (v - 1) // 4), f"Paley({v})", lambda: alg.paley_graph(v))]
    return []


def _triangular(v: int) -> list[Candidate]:
    n = (1 + math.isqrt(1 + 8 * v)) // 2
    if n >= 5 and n * (n - 1) // 2 == v:
        return [((v, 2 * (n - 2), n - 2, 4), f"T({n})", lambda: comb.triangular_graph(n))]
    return []


def _latin_squares(v: int) -> list[Candidate]:
    n = math.isqrt(v)
    if n < 3 or n * n != v:
        return []
    top = max_mols(n) + 2
    return [((v, r * (n - 1), n - 2 + (r - 1) * (r - 2), r * (r - 1)), f"L2({n})" if r == 2 else f"LS_{r}({n})",
             lambda r=r: comb.latin_square_graph(r, n)) for r in range(2, min(top, n) + 1)]


def _polar_spaces(v: int) -> list[Candidate]:
    out: list[Candidate] = []
    for q in range(2, v):
        if q * q > v:
            break  # every polar space of rank ≥ 2 over GF(q) (and VO^±(e ≥ 4, q), the dual of U(5, q)) has > q² points
        if not is_prime_power(q):
            continue
        for kind, dims in (("sp", range(4, 40, 2)), ("o+", range(6, 40, 2)), ("o-", range(6, 40, 2)),
                           ("o", range(5, 40, 2)), ("u", range(4, 40))):
            for dim in dims:
                params = polar.polar_params(kind, dim, q)
                if params is None or params[0] > v:
                    break
                if params[0] == v and not (kind == "o" and q % 2 == 0):  # O(2d+1, 2^e) ≅ Sp(2d, 2^e)
                    label = {"sp": "Sp", "o+": "O+", "o-": "O-", "o": "O", "u": "U"}[kind] + f"({dim},{q})"
                    out.append((params, label, lambda kind=kind, dim=dim, q=q: polar.polar_graph(kind, dim, q)))
        e = integer_log(v, q)
        if e is not None and e >= 4 and e % 2 == 0:
            for sign in "+-":
                params = polar.affine_polar_params(sign, e // 2, q)
                if params is not None:
                    out.append((params, f"VO{sign}({e},{q})",
                                lambda sign=sign, e=e, q=q: polar.affine_polar_graph(sign, e // 2, q)))
        for kind, dim in (("u", 5),):  # rank-2 polar spaces whose dual quadrangle has new parameters
            params = polar.polar_params(kind, dim, q)
            if params is not None:
                lam, mu = params[2], params[3]
                s_, t_ = lam + 1, mu - 1
                if (t_ + 1) * (s_ * t_ + 1) == v:
                    out.append((((t_ + 1) * (s_ * t_ + 1), t_ * (s_ + 1), t_ - 1, s_ + 1),
                                f"dual of U({dim},{q}): GQ({t_},{s_})",
                                lambda kind=kind, dim=dim, q=q: polar.dual_polar_quadrangle_graph(kind, dim, q)))
    for q in (4, 8, 16):
        if v == q * q * (q + 2):
            out.append(((v, q * q + q - 1, q - 2, q), f"Haemers({q})", lambda q=q: polar.haemers_graph(q)))
        if v == q**3:
            out.append(((v, (q - 1) * (q + 2), q - 2, q + 2), f"GQ({q - 1},{q + 1}) = T2*(O)",
                        lambda q=q: polar.hyperoval_quadrangle_graph(q)))
        if v == q * q * (q + 2):
            out.append(((v, q * (q + 1), q, q), f"GQ({q + 1},{q - 1}) dual of T2*(O)",
                        lambda q=q: polar.hyperoval_quadrangle_graph(q, dual=True)))
    return out


def _steiner_block_graphs(v: int) -> list[Candidate]:
    out: list[Candidate] = []
    for k in range(3, v):
        if k * (k - 1) > 2 * v:
            break
        root = math.isqrt(1 + 4 * v * k * (k - 1))  # the Steiner system's V: V(V−1) = v·k(k−1)
        if root * root != 1 + 4 * v * k * (k - 1):
            continue
        big_v = (1 + root) // 2
        r = (big_v - 1) // (k - 1) if (big_v - 1) % (k - 1) == 0 else 0
        if r >= 3 and big_v > k and bibd_construction(big_v, k, 1) is not None:
            params = (v, k * (r - 1), r - 2 + (k - 1) ** 2, k * k)
            if 0 < params[1] < v - 1:
                out.append((params, f"block graph of S(2,{k},{big_v})",
                            lambda big_v=big_v, k=k: comb.steiner_block_graph(bibd(big_v, k, 1))))
    return out


def _cyclotomic(v: int) -> list[Candidate]:
    # prime fields: strongly regular cyclotomic graphs with e ≥ 3 need p^j ≡ −1 (mod e) (semiprimitive), impossible
    # for e ≥ 3 dividing p − 1; unions gave nothing beyond Paley's parameters for p ≤ 128
    if not is_prime_power(v) or is_prime(v) or (v > 128 and v not in alg.CYCLOTOMIC_TABLE):
        return []
    out: list[Candidate] = []
    for params, e, classes in alg.CYCLOTOMIC_TABLE.get(v) or alg.cyclotomic_srgs(v):
        label = "Brouwer–Haemers graph" if (v, e, classes) == (81, 4, (0,)) else \
            f"cyclotomic graph ({v},{e},{'+'.join(map(str, classes))})"
        out.append((params, label, lambda e=e, classes=classes: alg.cyclotomic_graph(v, e, classes)))
    return out


def _switched_latin_squares(v: int) -> list[Candidate]:
    # n ≥ 11: the smaller ones (26, 50, 82 vertices) have the parameters of complements of Steiner block graphs,
    # which the catalog keeps building for them
    n = math.isqrt(v - 1)
    c = (n - 1) // 2
    if n * n + 1 != v or n % 2 == 0 or n < 11 or max_mols(n) < c:
        return []
    return [((v, c * n, c * c - 1, c * c), f"switched LS_{c + 1}({n}) plus a vertex",
             lambda: comb.switched_latin_square_graph(c, n))]


def _mathon(v: int) -> list[Candidate]:
    for t in range(1, 6):
        if v == (4 * t + 1) * (4 * t - 1) ** 2 and is_prime_power(4 * t + 1) and is_prime_power(4 * t - 1):
            return [((v, (v - 1) // 2, (v - 5) // 4, (v - 1) // 4), f"Mathon({t})", lambda t=t: alg.mathon_graph(t))]
    return []


def _nonisotropic(v: int) -> list[Candidate]:
    return [(params, f"NO{'' if kind == 'o' else kind}({m},{q}) {rule}",
             lambda kind=kind, m=m, q=q, value=value, rule=rule: polar.nonisotropic_graph(kind, m, q, value, rule))
            for params, kind, m, q, value, rule in polar.nonisotropic_srgs(v)]


def _johnson(v: int) -> list[Candidate]:
    return [(params, f"J({n},{k}) meeting in {'/'.join(map(str, sizes))}",
             lambda n=n, k=k, sizes=sizes: comb.johnson_merge_graph(n, k, sizes))
            for params, n, k, sizes in comb.johnson_srgs(v)]


def _tabulated(v: int) -> list[Candidate]:
    out = [c for c in _SPORADIC if c[0][0] == v]
    out += [(params, f"partial difference set {params}", lambda params=params: alg.partial_difference_set_graph(
        *params)) for params in alg.PARTIAL_DIFFERENCE_SETS if params[0] == v]
    return out


_GRAPH_FAMILIES = (_paley, _triangular, _latin_squares, _polar_spaces, _steiner_block_graphs, _cyclotomic,
                   _switched_latin_squares, _mathon, _johnson, _nonisotropic, _tabulated)


def srg_candidates(v: int) -> list[Candidate]:
    """Every (params, construction name, builder) gcli has on v vertices, complements included.

    Nothing is built: parameters come from the families' formulas (and each builder re-checks them).

    Args:
        v: vertices.

    Returns:
        A list of (params, name, builder); primitive and imprimitive parameters, direct families first.

    References:
        Brouwer–Van Maldeghem, *Strongly Regular Graphs*, chs. 1–10.

    Example:
        >>> [name for _, name, _ in srg_candidates(10)]
        ['T(5)', 'Petersen graph', 'complement of T(5)', 'complement of Petersen graph']
    """
    if v < 5:
        return []
    direct = [c for family in _GRAPH_FAMILIES for c in family(v)]
    complements: list[Candidate] = [
        (srg_complement_params(params), f"complement of {name}", lambda build=build: comb.complement(build()))
        for params, name, build in direct
    ]
    out: list[Candidate] = []
    seen: set[tuple[Params, str]] = set()
    for params, label, build in direct + complements:
        if 0 < params[1] < v - 1 and (params, label) not in seen:
            seen.add((params, label))
            out.append((params, label, build))
    return out


def srg_construction(v: int, k: int, lam: int, mu: int) -> str | None:
    """Name of the construction :func:`srg` would use for (v, k, λ, μ), or None.

    Args:
        v, k, lam, mu: the parameters.

    Returns:
        The construction's name (nothing is built), or None.

    References:
        Brouwer–Van Maldeghem, *Strongly Regular Graphs*.

    Example:
        >>> srg_construction(997, 498, 248, 249)
        'Paley(997)'
    """
    return next((name for params, name, _ in srg_candidates(v) if params == (v, k, lam, mu)), None)


def srg(v: int, k: int, lam: int, mu: int) -> StronglyRegularGraph:
    """An srg(v, k, λ, μ) from the first gcli family with these parameters (certified before it is returned).

    Families: Paley, triangular T(n), lattice L2(n) and Latin-square graphs LS_r(n) (MOLS from fields, a
    quasi-difference matrix, the literature and products), symplectic, orthogonal and unitary polar graphs
    (generalized quadrangles) and the dual of U(5, q), affine polar graphs VO^±(2m, q), T₂*(O), its dual and
    Haemers' modification, non-isotropic point graphs NO(m, q), block graphs of Steiner systems, cyclotomic graphs,
    partial difference sets, merged Johnson graphs, Mathon's pseudo-cyclic graphs, the named graphs (Petersen,
    Clebsch, Shrikhande, Schläfli, Chang, Hoffman–Singleton, Gewirtz, Gritsenko, M22, Higman–Sims, Jørgensen–Klin,
    Brouwer–Haemers, Goethals, Cameron, McLaughlin, Berlekamp–van Lint–Seidel, Mathon–Rosa, graphs of the Witt
    designs and of the ternary Golay code), and the complements of all of these.

    Args:
        v: vertices.
        k: degree.
        lam: common neighbours of adjacent vertices.
        mu: common neighbours of non-adjacent vertices.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`; InputError when gcli cannot build it.

    Example:
        >>> srg(16, 6, 2, 2).name
        'L2(4)'

    References:
        Brouwer–Van Maldeghem, *Strongly Regular Graphs* (CUP 2022).
    """
    if v > MAX_VERTICES:
        raise ImpossibleParameters(f"gcli builds strongly regular graphs with at most {MAX_VERTICES} vertices (v={v})")
    for params, _, build in srg_candidates(v):
        if params == (v, k, lam, mu):
            return build()
    raise ImpossibleParameters(f"gcli has no construction for srg({v}, {k}, {lam}, {mu}) "
                               f"(see `gcli bound exists srg {v} {k} {lam} {mu}`)")
