"""The tri-state existence oracle: does a 2-(v, k, λ) design or an srg(v, k, λ, μ) exist?

Every answer carries its reason: the necessary condition that fails (:mod:`gcli.bounds.existence`), the published
non-existence result, the construction gcli runs (:mod:`.builders`), a published existence theorem or table entry,
or "unknown" when the parameters pass every test gcli knows and no construction is known to it. The tables below
quote Brouwer's SRG table [BrouwerSRG] and the Handbook of Combinatorial Designs [Handbook2007]; they sit next to the
builders, as SageMath keeps its existence switch next to its constructors.

Steiner 2-designs with small blocks: every admissible (v, 3, 1), (v, 4, 1), (v, 5, 1) exists (Kirkman, Hanani);
(v, 6, 1) exists for every v ≡ 1, 6 (mod 15) except v ∈ {16, 21, 36, 46} (no design) and the values of
:data:`STEINER_6_UNDECIDED` (Handbook of Combinatorial Designs, §II.3, Table 3.3, less two values settled since).
For k = 7, 8, 9 the Handbook settles all but finitely many admissible v (21, 38 and 91 undecided values, apart from
the plane of order 6); gcli does not carry those lists, so it answers "exists" there only for a construction or a
published design (:data:`BIBD_KNOWN`).

Strongly regular graphs: besides the published facts below, A. E. Brouwer's table (v ≤ 1300) is consulted at run
time when the optional wheel ``sagemath-data-graphs`` is installed (or ``GCLI_BROUWER_TABLE`` names a copy of its
``brouwer_srg_database.json``). The table's licence does not allow redistributing it, so gcli never ships it.

Example:
    >>> bibd_exists(43, 7, 1).summary()[:41]
    'does not exist: Bruck–Ryser–Chowla: symme'
"""

from __future__ import annotations

import html
import os
import re
from functools import cache
from pathlib import Path

from gcli.bounds.existence import Existence, bibd_necessary_conditions, srg_feasibility
from gcli.errors import ImpossibleParameters
from gcli.structures import Params, srg_complement_params

from .builders import bibd_construction, srg_construction

__all__ = [
    "BIBD_KNOWN",
    "BIBD_NONEXISTENT",
    "BIBD_OPEN",
    "SRG_KNOWN",
    "SRG_NONEXISTENT",
    "SRG_OPEN",
    "STEINER_6_UNDECIDED",
    "bibd_exists",
    "brouwer_table",
    "not_buildable_message",
    "srg_exists",
]

STEINER_6_UNDECIDED: tuple[int, ...] = (51, 61, 81, 166, 231, 256, 261, 286, 316, 321, 346, 351, 376, 406, 411,
                                        436, 471, 501, 561, 591, 616, 646, 651, 676, 771, 796, 801)
"""The v ≡ 1, 6 (mod 15) for which the existence of a (v, 6, 1) design is undecided: the 29 values of the Handbook
of Combinatorial Designs (2nd ed., §II.3, Table 3.3, R. J. R. Abel, M. Greig) less 226 and 441, for which
T. Banakh, I. Hetman, A. Ravsky found designs ("Steiner systems S(2,6,226) and S(2,6,441) do exist!",
arXiv:2511.05191, 2025)."""

BIBD_NONEXISTENT: dict[tuple[int, int, int], str] = {
    (111, 11, 1): "projective plane of order 10 does not exist (Lam, Thiel, Swiercz, Canad. J. Math. 1989; "
                  "computer proof)",
    (36, 6, 1): "affine plane of order 6 does not exist (Tarry 1900: no pair of orthogonal Latin squares of "
                "order 6)",
    (46, 6, 1): "no (46,6,1) design (Houghten, Thiel, Janssen, Lam, Des. Codes Cryptogr. 2001)",
    (15, 5, 2): "no (15,5,2) design (Handbook of Combinatorial Designs, exception to Hanani's theorem)",
    (21, 6, 2): "no (21,6,2) design (Handbook of Combinatorial Designs, Table II.1.35 exceptions)",
    (22, 8, 4): "no (22,8,4) design (Handbook of Combinatorial Designs, Table II.1.35 exceptions)",
}
"""Published non-existence beyond the necessary conditions (Handbook of Combinatorial Designs [Handbook2007] and the
papers named): (v, k, λ) → reason."""

BIBD_KNOWN: dict[tuple[int, int, int], str] = {
    (10, 4, 2): "Handbook of Combinatorial Designs, Table II.1.35",
    (45, 12, 3): "Handbook of Combinatorial Designs, symmetric designs table",
    (36, 15, 6): "Menon design (Handbook of Combinatorial Designs, §V.1)",
    (56, 11, 2): "biplane of order 9 (Hall, Lane, Wales 1970)",
    (79, 13, 2): "biplane of order 11 (Aschbacher 1971)",
    (64, 28, 12): "Menon design (Handbook of Combinatorial Designs, §V.1)",
    (76, 16, 4): "Handbook of Combinatorial Designs, Table II.1.35",
    (66, 6, 1): "Handbook of Combinatorial Designs, Table II.3.3 (v,6,1) designs",
    (169, 7, 1): "Handbook of Combinatorial Designs, Table II.3.3",
    (505, 7, 1): "I. Hetman, \"There exist Steiner systems S(2,7,505) and S(2,8,624)\", arXiv:2604.04975 (2026)",
    (225, 8, 1): "I. Hetman, \"There exist Steiner systems S(2,8,225) and S(2,9,289)\", arXiv:2509.10673 (2025)",
    (624, 8, 1): "I. Hetman, \"There exist Steiner systems S(2,7,505) and S(2,8,624)\", arXiv:2604.04975 (2026)",
    (289, 9, 1): "I. Hetman, \"There exist Steiner systems S(2,8,225) and S(2,9,289)\", arXiv:2509.10673 (2025)",
    (226, 6, 1): "T. Banakh, I. Hetman, A. Ravsky, arXiv:2511.05191 (2025): 1-rotational difference families",
    (441, 6, 1): "T. Banakh, I. Hetman, A. Ravsky, arXiv:2511.05191 (2025): difference families over "
                 "(Z_7 ⋊ Z_3) × (Z_7 ⋊ Z_3)",
}
"""Known to exist (Handbook of Combinatorial Designs [Handbook2007], SageMath's database) where gcli may have no
construction: (v, k, λ) → source."""

BIBD_OPEN: dict[tuple[int, int, int], str] = {
    (157, 13, 1): "projective plane of order 12: passes Bruck–Ryser–Chowla; open",
    (51, 6, 1): "smallest open (v,6,1) cases (Handbook of Combinatorial Designs, §II.3.3)",
    (61, 6, 1): "open (v,6,1) case (Handbook of Combinatorial Designs, §II.3.3)",
    (81, 6, 1): "open (v,6,1) case (Handbook of Combinatorial Designs, §II.3.3)",
    (85, 7, 1): "not settled by any construction or table gcli knows (SageMath also answers Unknown)",
}
"""Open cases (Handbook of Combinatorial Designs [Handbook2007]): (v, k, λ) → note."""

SRG_NONEXISTENT: dict[Params, str] = {
    (49, 16, 3, 6): "Bussemaker, Haemers, Mathon, Wilbrink, \"A (49,16,3,6) strongly regular graph does not "
                    "exist\", European J. Combin. 10 (1989)",
    (57, 14, 1, 4): "Wilbrink, Brouwer, \"A (57,14,1) strongly regular graph does not exist\", "
                    "Indag. Math. 45 (1983)",
    (76, 21, 2, 7): "Haemers, \"There exists no (76,21,2,7) strongly regular graph\" (1993)",
    (95, 40, 12, 20): "Azarija, Marc, \"There is no (95,40,12,20) strongly regular graph\", J. Combin. Des. "
                      "(2020; arXiv 2016)",
    (324, 57, 0, 12): "Gavrilyuk, Makhnev, \"On Krein graphs without triangles\", Dokl. Math. 72 (2005)",
}
"""Feasible parameter sets proven not to exist (one of each complementary pair): params → source."""

SRG_KNOWN: dict[Params, str] = {
    (45, 22, 10, 11): "Mathon's conference graph (Brouwer's table)",
    (100, 36, 14, 12): "Hall–Janko graph (Brouwer's table)",
    (126, 50, 13, 24): "Goethals graph (Brouwer's table)",
    (275, 112, 30, 56): "McLaughlin graph (Brouwer's table)",
    (378, 116, 34, 36): "Muzychuk S6 (Brouwer's table)",
    (630, 85, 20, 10): "Haemers (Brouwer's table)",
    (36, 15, 6, 6): "Brouwer's table",
    (50, 21, 8, 9): "Brouwer's table",
    (64, 18, 2, 6): "Brouwer's table",
    (96, 20, 4, 4): "Brouwer's table",
    (162, 56, 10, 24): "Brouwer's table",
    (175, 72, 20, 36): "Brouwer's table",
    (176, 70, 18, 34): "Brouwer's table",
    (231, 30, 9, 3): "Cameron graph (Brouwer's table)",
    (243, 22, 1, 2): "Berlekamp–van Lint–Seidel graph (Brouwer's table)",
    (253, 112, 36, 60): "Brouwer's table",
    (65, 32, 15, 16): "conference graph found by Gritsenko (2020)",
    # further v ≤ 100 entries marked "exists" in Brouwer's table (sagemath-data-graphs 20210214.1)
    (36, 14, 4, 6): "Brouwer's table",
    (96, 19, 2, 4): "Brouwer's table",
    (99, 48, 22, 24): "Brouwer's table",
    (100, 44, 18, 20): "Brouwer's table",
    (100, 45, 20, 20): "Brouwer's table",
    (225, 98, 43, 42): "Pasechnik (SageMath doctest)",
    (225, 112, 55, 56): "skew-Hadamard construction (SageMath doctest)",
    (1288, 792, 476, 504): "SageMath constructor SRG_1288_792_476_504",
}
"""Known to exist (Brouwer's table [BrouwerSRG]): params → source."""

SRG_OPEN: dict[Params, str] = {
    (69, 20, 7, 5): "open (Brouwer's table)",
    (85, 14, 3, 2): "open (Brouwer's table)",
    (99, 14, 1, 2): "open: Conway's 99-graph problem",
    (324, 95, 22, 30): "open (Brouwer's table)",
    (3250, 57, 0, 1): "open: Moore graph of degree 57",
}
"""Open feasible parameter sets: params → note."""


def _integers(**values: object) -> None:
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise ImpossibleParameters(f"{name} must be an integer (got {value!r})")


def bibd_exists(v: int, k: int, lam: int = 1) -> Existence:
    """Does a 2-(v, k, λ) design exist? Tri-state, with the reason and gcli's construction when there is one.

    Tests, in order: the necessary conditions (divisibility, Fisher's inequality, Bruck–Ryser–Chowla for symmetric
    designs), the published non-existence list (also through the affine-plane/projective-plane equivalence and the
    complementary design, which exists iff the design does), gcli's own constructions, Hanani's theorems (every
    admissible (v,3,λ) and (v,4,λ) exists; every admissible (v,5,λ) except (15,5,2)), the literature's existence
    table, the open list.

    Args:
        v: points (≥ 2).
        k: block size (≥ 2).
        lam: λ (≥ 1).

    Returns:
        An :class:`~gcli.bounds.Existence`; InputError for non-integers or out-of-range values.

    Example:
        >>> bibd_exists(13, 4, 1).construction
        'Singer difference set PG(2,3)'

    References:
        Handbook of Combinatorial Designs, §II.1 (necessary conditions), Tables II.1.35 and II.3.3; H. Hanani,
        "The existence and construction of balanced incomplete block designs", Ann. Math. Stat. 32 (1961);
        [Handbook2007].
    """
    _integers(v=v, k=k, λ=lam)
    if k < 2 or lam < 1 or v < 2:
        raise ImpossibleParameters(f"need v ≥ 2, k ≥ 2 and λ ≥ 1 (got v={v}, k={k}, λ={lam})")
    if k > v:
        return Existence(False, f"block size k = {k} exceeds the number of points v = {v}")
    if k == v:
        return Existence(True, f"trivial design: {lam} copies of the whole point set", None)
    problem = bibd_necessary_conditions(v, k, lam)
    if problem is not None:
        return Existence(False, problem)
    r = lam * (v - 1) // (k - 1)
    b = v * r // k
    if (v, k, lam) in BIBD_NONEXISTENT:
        return Existence(False, BIBD_NONEXISTENT[(v, k, lam)])
    if lam == 1 and v == k * k:
        # an affine plane of order n exists iff a projective plane of order n does (add a line at infinity)
        plane = bibd_exists(k * k + k + 1, k + 1, 1)
        if plane.exists is False:
            return Existence(False, f"affine plane of order {k} exists iff the projective plane of order {k} "
                                    f"does, and that one does not: {plane.reason}")
    complement = (v, v - k, b - 2 * r + lam)
    if v - k >= 2 and complement in BIBD_NONEXISTENT:
        return Existence(False, f"its complementary design {complement} does not exist: "
                                f"{BIBD_NONEXISTENT[complement]}")
    name = bibd_construction(v, k, lam)
    if name is not None:
        return Existence(True, f"gcli constructs it ({name})", name)
    if k in (3, 4):
        return Existence(True, f"Hanani (1961, 1975): every admissible (v,{k},λ) design exists")
    if k == 5:
        return Existence(True, "Hanani (1972, 1975): every admissible (v,5,λ) design exists except (15,5,2)")
    if (k, lam) == (6, 1) and v not in STEINER_6_UNDECIDED and (v, k, lam) not in BIBD_KNOWN:
        return Existence(True, "Handbook of Combinatorial Designs §II.3 (Abel, Greig): a (v,6,1) design exists for "
                               "every v ≡ 1, 6 (mod 15) except 16, 21, 36, 46 and 29 undecided values, of which "
                               f"{v} is not one")
    for params in ((v, k, lam), complement):
        if params in BIBD_KNOWN:
            note = "" if params == (v, k, lam) else f" (its complement {params})"
            return Existence(True, f"known to exist{note}: {BIBD_KNOWN[params]}")
    if (v, k, lam) in BIBD_OPEN:
        return Existence(None, BIBD_OPEN[(v, k, lam)])
    if (k, lam) == (6, 1):
        return Existence(None, "one of the undecided (v,6,1) cases of the Handbook of Combinatorial Designs "
                               "(§II.3, Table 3.3)")
    if lam == 1 and k in (7, 8, 9):
        return Existence(None, f"the Handbook of Combinatorial Designs (§II.3) settles all but finitely many "
                               f"admissible (v,{k},1); gcli does not carry its list of undecided values")
    symmetric = " and Bruck–Ryser–Chowla" if b == v else ""
    return Existence(None, f"passes divisibility, Fisher{symmetric}; existence unknown to gcli")


def srg_exists(v: int, k: int, lam: int, mu: int) -> Existence:
    """Does an srg(v, k, λ, μ) exist? Tri-state, with the reason and gcli's construction when there is one.

    Order: feasibility (:func:`gcli.bounds.srg_feasibility`), imprimitive cases (disjoint cliques, complete
    multipartite), published non-existence of feasible sets (for the parameters or their complement), gcli's
    constructions, the existence table (entries of Brouwer's table [BrouwerSRG]), Brouwer's full
    table when it is installed (:func:`brouwer_table`: exists / impossible / open, with its comment), the open list.

    Args:
        v: vertices (≥ 2).
        k: degree, 0 < k < v − 1.
        lam: λ.
        mu: μ.

    Returns:
        An :class:`~gcli.bounds.Existence`; InputError for non-integers or empty/complete graphs.

    Example:
        >>> srg_exists(57, 14, 1, 4).exists
        False

    References:
        A. E. Brouwer's table of strongly regular graphs (as shipped with SageMath); Brouwer–Van Maldeghem,
        *Strongly Regular Graphs*, ch. 8–10 [BrouwerVanMaldeghem2022]; [BrouwerSRG].
    """
    _integers(v=v, k=k, λ=lam, μ=mu)
    if v < 2 or not 0 < k < v - 1:
        raise ImpossibleParameters(f"need v ≥ 2 and 0 < k < v − 1 (got v={v}, k={k}); empty and complete graphs are "
                                   "excluded")
    problem = srg_feasibility(v, k, lam, mu)
    if problem is not None:
        return Existence(False, f"infeasible: {problem}")
    if mu == 0:
        if lam == k - 1 and v % (k + 1) == 0:
            return Existence(True, f"imprimitive: {v // (k + 1)} disjoint copies of K_{k + 1}")
        return Existence(False, "μ = 0 forces disjoint cliques K_{k+1}, which these parameters are not")
    if mu == k:
        parts = v - k
        if v % parts == 0 and lam == 2 * k - v:
            return Existence(True, f"imprimitive: complete multipartite, {v // parts} parts of size {parts}")
        return Existence(False, "μ = k forces a complete multipartite graph, which these parameters are not")
    params = (v, k, lam, mu)
    comp = srg_complement_params(params)
    for p, note in ((params, ""), (comp, " (its complement)")):
        if p in SRG_NONEXISTENT:
            return Existence(False, f"feasible but proven not to exist{note}: {SRG_NONEXISTENT[p]}")
    name = srg_construction(v, k, lam, mu)
    if name is not None:
        return Existence(True, f"gcli constructs it ({name})", name)
    for p, note in ((params, ""), (comp, " (its complement)")):
        if p in SRG_KNOWN:
            return Existence(True, f"known to exist{note}: {SRG_KNOWN[p]}")
    table = brouwer_table()
    for p, note in ((params, ""), (comp, " (its complement)")):
        if table is not None and p in table:
            status, comment = table[p]
            said = f"Brouwer's table{note}: {status}" + (f" ({comment})" if comment else "")
            return Existence({"exists": True, "impossible": False}.get(status), said)
    for p in (params, comp):
        if p in SRG_OPEN:
            return Existence(None, f"feasible; {SRG_OPEN[p]}")
    if table is not None and v <= 1300:
        return Existence(None, "feasible; not in Brouwer's table of feasible parameters (v ≤ 1300)")
    return Existence(None, "feasible (passes every condition gcli checks); existence unknown to gcli")


def _brouwer_path() -> Path | None:
    explicit = os.environ.get("GCLI_BROUWER_TABLE")
    if explicit:
        return Path(explicit)
    try:
        from importlib.resources import files

        candidate = files("sage_data_graphs").joinpath("data/brouwer_srg_database.json")
    except (ModuleNotFoundError, TypeError):
        return None
    return Path(str(candidate))


def _plain_comment(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


@cache
def brouwer_table() -> dict[Params, tuple[str, str]] | None:
    """A. E. Brouwer's SRG table read at run time, or None when it is not installed.

    Looked for in ``$GCLI_BROUWER_TABLE`` (a path to ``brouwer_srg_database.json``) or in the optional wheel
    ``sagemath-data-graphs`` (``pip install sagemath-data-graphs``). Rows are ``[v, k, λ, μ, status, comment]``
    with status ``exists``, ``impossible`` or ``open``; the comment (HTML in the file) is returned as plain text.
    The table is never copied into gcli.

    Returns:
        {(v, k, λ, μ): (status, comment)} or None.

    References:
        A. E. Brouwer, "Parameters of strongly regular graphs" (online table, as shipped in
        sagemath-data-graphs 20210214).
    """
    path = _brouwer_path()
    if path is None or not path.is_file():
        return None
    from gcli.io.reading import read_json

    rows = read_json(path, "Brouwer's table")  # bounded: size, depth, NaN and 1e999 refused in one line
    try:
        return {(int(r[0]), int(r[1]), int(r[2]), int(r[3])): (str(r[4]), _plain_comment(str(r[5] or "")))
                for r in rows}
    except (ValueError, IndexError, KeyError, TypeError) as exc:
        raise ImpossibleParameters(f"cannot read Brouwer's table at {path}: {exc}") from None


def not_buildable_message(kind: str, params: tuple[int, ...]) -> str:
    """The one-line answer for parameters gcli cannot build: proved impossible, open, or known but not built.

    Args:
        kind: ``"bibd"`` (params (v, k, λ)) or ``"srg"`` (params (v, k, λ, μ)).
        params: the parameters.

    Returns:
        "no … exists: <theorem>", "existence of … is not settled (<note>)", or "… exists (<source>) but gcli has
        no construction for it; …" naming what would build it.

    Example:
        >>> not_buildable_message("bibd", (43, 7, 1))[:30]
        'no (43, 7, 1) design exists: B'
    """
    answer = bibd_exists(*params) if kind == "bibd" else srg_exists(*params)  # type: ignore[arg-type]
    what = f"({', '.join(map(str, params))}) design" if kind == "bibd" else f"srg{tuple(params)}"
    command = f"gcli bound exists {kind} {' '.join(map(str, params))}"
    if answer.exists is False:
        return f"no {what} exists: {answer.reason}"
    if answer.exists is None:
        return f"existence of a {what} is not settled ({answer.reason}); gcli cannot build it (see `{command}`)"
    if answer.construction is not None:
        return f"a {what} exists and gcli builds it ({answer.construction}), but not with these options"
    builds = ("its published base blocks or difference family" if kind == "bibd"
              else "the construction the source names")
    return f"a {what} exists ({answer.reason}) but gcli has no construction for it; {builds} would build it"
