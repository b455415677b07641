"""Mutually orthogonal Latin squares (MOLS): finite fields, a quasi-difference matrix, and direct products.

c MOLS of order n are c Latin squares L_1, …, L_c on the symbols 0..n−1 such that, for a ≠ b, the n² pairs
(L_a[i, j], L_b[i, j]) are all distinct; they are the same object as an orthogonal array OA(c + 2, n) (rows,
columns and the c squares). gcli builds

* n − 1 MOLS of a prime power order n: L_a[i, j] = a·i + j over GF(n);
* 2 MOLS of order 10 from a quasi-difference matrix over Z_7 with three fixed symbols (Parker's 3u + 1
  construction with u = 3): base columns developed modulo 7 (symbols 7, 8, 9 fixed) plus the columns (x, x, x, x)
  and an OA(4, 3) on the fixed symbols; the base columns (:data:`QUASI_DIFFERENCE_MATRICES`) were found by a
  backtracking search over the condition that, for every pair of rows, the six columns with fixed symbols in the
  other two rows show every non-zero difference of Z_7 once;
* the MOLS of orders 12 (5 squares, B. D. McKay), 14 (4, D. T. Todorov / I. M. Wanless) and 15 (4, I. M. Wanless)
  that the literature gives explicitly (:data:`TABULATED_MOLS`);
* products: c MOLS of orders n₁ and n₂ give c MOLS of order n₁n₂ (L[(i₁,i₂),(j₁,j₂)] = n₂·A[i₁,j₁] + B[i₂,j₂],
  MacNeish 1922), so gcli reaches min over the factors of what it builds for each factor;
* always one square, the cyclic L[i, j] = i + j mod n.

Each result is checked (Latin and pairwise orthogonal) before it is returned; the Latin square graphs built from
them (:func:`~gcli.constructions.combinatorics.latin_square_graph`) are certified as SRGs.

References (for the whole module): C. J. Colbourn, J. H. Dinitz (eds.), *Handbook of Combinatorial Designs*, 2nd
ed., CRC 2007, §III.3 (MOLS; quasi-difference matrices, Table 3.87 lower bounds); E. T. Parker, "Orthogonal Latin
squares", Proc. Nat. Acad. Sci. USA 45 (1959); H. F. MacNeish, "Euler squares", Ann. Math. 23 (1922).

Example:
    >>> mols(10, 2).shape, max_mols(12), max_mols(10)
    ((2, 10, 10), 5, 2)
"""

from __future__ import annotations

import itertools
from functools import cache

import numpy as np

from gcli.errors import ImpossibleParameters
from gcli.fields.numbertheory import is_prime_power

from .._geometry import field

__all__ = ["QUASI_DIFFERENCE_MATRICES", "TABULATED_MOLS", "check_mols", "max_mols", "mols"]

# n: (modulus, base columns over Z_modulus; symbols ≥ modulus are fixed by the development)
QUASI_DIFFERENCE_MATRICES: dict[int, tuple[int, tuple[tuple[int, int, int, int], ...]]] = {
    10: (7, (
        (7, 0, 1, 2), (0, 7, 1, 3), (0, 1, 7, 2), (0, 2, 5, 7),
        (8, 0, 2, 5), (0, 8, 4, 1), (0, 3, 8, 6), (0, 4, 2, 8),
        (9, 0, 6, 4), (0, 9, 6, 5), (0, 5, 9, 4), (0, 6, 3, 9),
    )),
}
"""Quasi-difference matrices giving an OA(4, n): n → (modulus g, base columns); n = g + (n − g) fixed symbols."""


# n: (count, rows, source). Line i lists row i of each square, symbols a, b, c, … for 0, 1, 2, …
TABULATED_MOLS: dict[int, tuple[int, tuple[str, ...], str]] = {
    12: (5, (
        "abcdefghijkl abcdefghijkl abcdefghijkl abcdefghijkl abcdefghijkl",
        "badcfehgjilk ghefklijcdab dcbahgfelkji jilkbadcfehg klijcdabghef",
        "cdabghefklij efghijklabcd lkjidcbahgfe ijklabcdefgh fehgjilkbadc",
        "dcbahgfelkji cdabghefklij ghefklijcdab badcfehgjilk hgfelkjidcba",
        "ijklabcdefgh klijcdabghef efghijklabcd fehgjilkbadc jilkbadcfehg",
        "jilkbadcfehg fehgjilkbadc hgfelkjidcba dcbahgfelkji lkjidcbahgfe",
        "klijcdabghef hgfelkjidcba jilkbadcfehg cdabghefklij dcbahgfelkji",
        "lkjidcbahgfe ijklabcdefgh badcfehgjilk efghijklabcd ghefklijcdab",
        "efghijklabcd jilkbadcfehg fehgjilkbadc lkjidcbahgfe cdabghefklij",
        "fehgjilkbadc dcbahgfelkji cdabghefklij ghefklijcdab badcfehgjilk",
        "ghefklijcdab badcfehgjilk klijcdabghef hgfelkjidcba ijklabcdefgh",
        "hgfelkjidcba lkjidcbahgfe ijklabcdefgh klijcdabghef efghijklabcd",
    ), "B. D. McKay (5 MOLS of order 12)"),
    14: (4, (
        "bjihgkecalnfmd bfmcenidgjhalk bcdefghijklmna bcdefghijklmna",
        "fckjbhledimagn jcgndfalehkbim gnkjdmiclbhaef jflhnkaecmgdib",
        "mgdlkcbafejnih ikdhaegnmfblcj lifhbjemkangcd emkdjbgfnliahc",
        "cnhemldbigfkaj hjlebifkangcmd dalmgnbjehcfik anighmflkbdcej",
        "edabfnmkcjhgli gbkmfcjeliahdn njcaeifhbdgkml kebcajimdgfhln",
        "nfeicgajldkbhm khclngdafmjibe mfbkcdlagnjihe cgnflembihakjd",
        "iagfjdhnkmelcb elbdmahfignkjc aemnhkjdcifblg ilabkdnhfcjegm",
        "dlnkeafimhcjbg ceabkjnihdmgfl hdnikbagmcelfj ljgnihecbamfdk",
        "gemalfihjnbdkc adficlkmjbenhg cgjflhnbiekdam ndmabcjglfeikh",
        "jhfnimgdbkacel liegjdmhnkcfab fkibmagenldhjc mbhiefljadkncg",
        "hkbgajnmeclidf nmjfhkecbaldgi imhlneckdfajgb difjcnkamehgbl",
        "ablchikgnfdmje fankgbljdcimeh klegafdnhjmcbi ghckmlbdeinjaf",
        "licmdbjfhagenk mgialhcbkedjnf jhadicmlfgbekn fajlgidkhncbme",
        "kmjdneclgbihfa dnhjimbgclfeka ebgcjlkfamindh hkemdacngjblfi",
    ), "D. T. Todorov, \"Four mutually orthogonal Latin squares of order 14\", J. Combin. Des. 20 (2012); "
       "squares shared by I. M. Wanless"),
    15: (4, (
        "bcdefghijklmnoa bdgiknfcamehjlo bhealiofmdjgcnk blhcmdinejofakg",
        "abcdefghijklmno acehjlogdbnfikm lcifbmjagnekhdo hcmidnejofkagbl",
        "oabcdefghijklmn nbdfikmahecogjl amdjgcnkbhoflie midnjeofkaglbhc",
        "noabcdefghijklm mocegjlnbifdahk fbnekhdolciagmj dnjeokfaglbhmci",
        "mnoabcdefghijkl lnadfhkmocjgebi kgcoflieamdjbhn jeokfalgbhmcind",
        "lmnoabcdefghijk jmobegilnadkhfc olhdagmjfbnekci ekfalgbmhcindjo",
        "klmnoabcdefghij dknacfhjmobelig jamiebhnkgcofld aflgbmhcnidjoek",
        "jklmnoabcdefghi helobdgiknacfmj ekbnjfciolhdagm lbgmhcnidojekaf",
        "ijklmnoabcdefgh kifmacehjlobdgn nflcokgdjamiebh gmchnidojeakflb",
        "hijklmnoabcdefg oljgnbdfikmaceh iogmdalhekbnjfc chndiojeakfblgm",
        "ghijklmnoabcdef iamkhocegjlnbdf djahnebmiflcokg ndioejakfblgcmh",
        "fghijklmnoabcde gjbnliadfhkmoce hekbiofcnjgmdal ioejafkblgcmhdn",
        "efghijklmnoabcd fhkcomjbegilnad miflcjagdokhneb ojafkbglcmhdnie",
        "defghijklmnoabc egildankcfhjmob cnjgmdkbhealiof fakbglchmdnieoj",
        "cdefghijklmnoab cfhjmeboldgikna gdokhnelcifbmja kgblchmdineojfa",
    ), "I. M. Wanless (4 MOLS of order 15)"),
}
"""MOLS of orders 12, 14 and 15 from the literature, as tabulated in SageMath 10.8's
``sage.combinat.designs.database`` (``MOLS_12_5``, ``MOLS_14_4``, ``MOLS_15_4``); checked when used."""


def check_mols(squares: np.ndarray) -> str | None:
    """None when ``squares`` (c × n × n) are Latin squares on 0..n−1 that are pairwise orthogonal, else why not."""
    c, n = squares.shape[0], squares.shape[1]
    if squares.shape != (c, n, n) or squares.min(initial=0) < 0 or squares.max(initial=0) >= n:
        return "not c squares of order n on the symbols 0..n−1"
    target = np.arange(n)
    for index, square in enumerate(squares):
        if not (np.array_equal(np.sort(square, axis=0), np.tile(target[:, None], (1, n)))
                and np.array_equal(np.sort(square, axis=1), np.tile(target, (n, 1)))):
            return f"square {index} is not Latin"
    for a, b in itertools.combinations(range(c), 2):
        if len(np.unique(squares[a] * n + squares[b])) != n * n:
            return f"squares {a} and {b} are not orthogonal"
    return None


def _field_mols(n: int, count: int) -> np.ndarray:
    f = field(n)
    rows, cols = np.divmod(np.arange(n * n), n)
    return np.stack([f.add(f.mul(rows, a), cols).reshape(n, n) for a in range(1, count + 1)])


def _qdm_mols(n: int) -> np.ndarray:
    """2 MOLS of order n from the quasi-difference matrix: an OA(4, n), rows 0 and 1 index the cells."""
    g, base = QUASI_DIFFERENCE_MATRICES[n]
    u = n - g
    columns = [(x, x, x, x) for x in range(g)]
    for column in base:
        columns += [tuple(s if s >= g else (s + t) % g for s in column) for t in range(g)]
    inner = _mols_cached(u, 2)  # an OA(4, u) on the fixed symbols
    columns += [(g + i, g + j, g + int(inner[0, i, j]), g + int(inner[1, i, j])) for i in range(u) for j in range(u)]
    array = np.array(columns, dtype=np.int64)
    squares = np.full((2, n, n), -1, dtype=np.int64)
    squares[0, array[:, 0], array[:, 1]] = array[:, 2]
    squares[1, array[:, 0], array[:, 1]] = array[:, 3]
    return squares


def _product(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    n2 = second.shape[1]
    return (first[:, :, None, :, None] * n2 + second[:, None, :, None, :]).reshape(
        first.shape[0], first.shape[1] * n2, first.shape[1] * n2)


def _own(n: int) -> int:
    if is_prime_power(n):
        return n - 1
    if n in TABULATED_MOLS:
        return TABULATED_MOLS[n][0]
    return 2 if n in QUASI_DIFFERENCE_MATRICES else 1


def _tabulated_mols(n: int) -> np.ndarray:
    count, rows, _ = TABULATED_MOLS[n]
    words = [line.split() for line in rows]
    return np.array([[[ord(ch) - ord("a") for ch in line[square]] for line in words] for square in range(count)],
                    dtype=np.int64)


@cache
def max_mols(n: int) -> int:
    """The number of MOLS of order n that :func:`mols` builds (at least 1 for n ≥ 1).

    Args:
        n: order.

    Returns:
        n − 1 for prime powers; otherwise the best of the tabulated squares and quasi-difference matrices, 1, and
        min(max_mols(d), max_mols(n/d)) over the factorisations n = d·(n/d).

    Example:
        >>> [max_mols(n) for n in (6, 10, 12, 15, 20, 21)]
        [1, 2, 5, 4, 3, 2]
    """
    if n < 1:
        raise ImpossibleParameters(f"the order of a Latin square must be positive (got {n})")
    best = _own(n)
    for d in range(2, int(n**0.5) + 1):
        if n % d == 0:
            best = max(best, min(max_mols(d), max_mols(n // d)))
    return best


@cache
def _mols_cached(n: int, count: int) -> np.ndarray:
    if count <= _own(n):
        if is_prime_power(n):
            return _field_mols(n, count)
        if n in TABULATED_MOLS:
            return _tabulated_mols(n)[:count]
        if n in QUASI_DIFFERENCE_MATRICES:
            return _qdm_mols(n)[:count]
        rows = np.arange(n)
        return ((rows[:, None] + rows[None, :]) % n)[None]
    for d in range(2, int(n**0.5) + 1):
        if n % d == 0 and min(max_mols(d), max_mols(n // d)) >= count:
            return _product(_mols_cached(d, count), _mols_cached(n // d, count))
    raise ImpossibleParameters(f"gcli builds at most {max_mols(n)} mutually orthogonal Latin squares of order {n} "
                               f"(asked for {count})")


def mols(n: int, count: int) -> np.ndarray:
    """``count`` mutually orthogonal Latin squares of order n (module docstring), as a count × n × n array.

    Args:
        n: order ≥ 2.
        count: number of squares, 1 ≤ count ≤ :func:`max_mols` (n).

    Returns:
        A fresh int64 array of checked MOLS; InputError when gcli cannot build that many.

    Example:
        >>> squares = mols(12, 2)
        >>> check_mols(squares) is None
        True

    References:
        Handbook of Combinatorial Designs, §III.3; Parker (1959); MacNeish (1922).
    """
    if n < 2 or count < 1:
        raise ImpossibleParameters(f"need order n ≥ 2 and at least one square (got n={n}, count={count})")
    squares = _mols_cached(n, count).copy()
    problem = check_mols(squares)
    if problem is not None:
        raise RuntimeError(f"MOLS of order {n}: {problem}")
    return squares
