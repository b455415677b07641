"""Graphs: the strongly regular graph object, the SRG identity, regularity, and edge lists.

An srg(v, k, λ, μ) is a k-regular graph on v vertices in which adjacent vertices have λ common neighbours and
non-adjacent ones μ; equivalently its adjacency matrix satisfies **A² = kI + λA + μ(J − I − A)**.
:func:`check_srg` tests the identity entry by entry with float32 BLAS products in row blocks (exact: every
entry is an integer ≤ v < 2²⁴), so v ≈ 1000 takes a few tens of milliseconds. Regular (multi)graphs for
expander codes are integer adjacency matrices in which a loop adds 2 to its vertex's degree (networkx's
convention); :func:`adjacency_from_edges` and :func:`edges_with_multiplicity` convert to and from edge lists.

Example:
    >>> import numpy as np
    >>> c5 = np.roll(np.eye(5, dtype=np.int64), 1, axis=1)
    >>> check_srg(c5 + c5.T)
    (5, 2, 0, 1)

References:
    A. E. Brouwer, H. Van Maldeghem, *Strongly Regular Graphs*, CUP 2022, §1.1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import networkx as nx
    import scipy.sparse as sp

__all__ = [
    "Params",
    "StronglyRegularGraph",
    "adjacency_from_edges",
    "certified_srg",
    "check_regular",
    "check_srg",
    "edges_with_multiplicity",
    "row_srg_params",
    "srg_complement_params",
]

Params = tuple[int, int, int, int]
"""(v, k, λ, μ)."""

_BLOCK_ROWS = 1024
"""Rows of A² computed per BLAS call in :func:`check_srg` (bounds the memory to 1024·v floats)."""
_POPCOUNT_VERTICES = 384
"""Up to this v, :func:`check_srg` counts common neighbours on bit-packed rows (popcounts; ≤ 7 MB, a few ms) rather
than with a float32 BLAS product: a multi-threaded BLAS call on a small matrix costs tens of milliseconds when the
cores are busy with other work (126 × 126: 40 ms with two threads on a loaded 2-core machine, 20 µs with one)."""


def srg_complement_params(params: Params) -> Params:
    """Parameters of the complement of an srg(v, k, λ, μ): (v, v−k−1, v−2k+μ−2, v−2k+λ)."""
    v, k, lam, mu = params
    return (v, v - k - 1, v - 2 * k + mu - 2, v - 2 * k + lam)


@dataclass(frozen=True)
class StronglyRegularGraph:
    """An srg(v, k, λ, μ) with its adjacency matrix (scipy CSR, 0/1, zero diagonal).

    Builders return instances made by :func:`certified_srg`, so the identity has been checked.

    Attributes:
        v, k, lam, mu: the parameters. adjacency: the v × v adjacency matrix. name: the construction.
    """

    v: int
    k: int
    lam: int
    mu: int
    adjacency: sp.csr_matrix
    name: str

    @property
    def params(self) -> Params:
        """(v, k, λ, μ)."""
        return (self.v, self.k, self.lam, self.mu)

    def renamed(self, name: str) -> StronglyRegularGraph:
        """The same graph under another name."""
        return StronglyRegularGraph(self.v, self.k, self.lam, self.mu, self.adjacency, name)

    def edge_array(self) -> np.ndarray:
        """Edges (i, j), i < j, as an E × 2 integer array in lexicographic order."""
        import scipy.sparse as sp

        upper = sp.triu(self.adjacency, k=1, format="csr")
        upper.sort_indices()
        rows = np.repeat(np.arange(self.v), np.diff(upper.indptr))
        return np.column_stack((rows, upper.indices)).astype(np.int64)

    def edges(self) -> list[tuple[int, int]]:
        """Sorted edge list [(i, j)] with i < j."""
        return list(map(tuple, self.edge_array().tolist()))

    def neighbours(self) -> list[list[int]]:
        """Sorted neighbour list of every vertex."""
        a = self.adjacency
        return [a.indices[a.indptr[i] : a.indptr[i + 1]].tolist() for i in range(self.v)]

    def dense(self) -> np.ndarray:
        """The adjacency matrix as a dense int64 array."""
        return self.adjacency.toarray().astype(np.int64)

    def to_networkx(self) -> nx.Graph:
        """The graph as a networkx Graph on vertices 0..v−1."""
        import networkx as nx

        graph = nx.Graph()
        graph.add_nodes_from(range(self.v))
        graph.add_edges_from(self.edges())
        return graph

    def spectrum(self) -> dict[str, Any]:
        """Eigenvalues with multiplicities, exact from the certified parameters (no eigendecomposition)."""
        from gcli.structures.spectra import srg_spectrum

        return srg_spectrum(*self.params)

    def to_json(self) -> dict[str, Any]:
        """The ``"graph"`` block of the code JSON."""
        return {
            "kind": "srg",
            "v": self.v,
            "params": list(self.params),
            "construction": self.name,
            "edges": self.edge_array().tolist(),
        }


def _as_csr(adjacency: Any) -> sp.csr_matrix:
    import scipy.sparse as sp

    if sp.issparse(adjacency):
        a = sp.csr_matrix(adjacency, dtype=np.int64)
    else:
        a = sp.csr_matrix(np.asarray(adjacency).astype(np.int64))
    a.eliminate_zeros()
    a.sort_indices()
    return a


def check_srg(adjacency: Any, params: Params | None = None) -> Params | str:
    """The parameters (v, k, λ, μ) if the graph is strongly regular, else a string naming the violation.

    Checks symmetry, 0/1 entries, zero diagonal, regularity and A² = kI + λA + μ(J − I − A) entry by entry
    (float32 products over row blocks, exact since every entry is an integer ≤ v < 2²⁴; up to v = 384, popcounts of
    bit-packed rows). With ``params`` given,
    also checks they match. Dense or scipy-sparse input.
    """
    a = np.asarray(adjacency.toarray() if hasattr(adjacency, "toarray") else adjacency)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        return "adjacency matrix is not square"
    v = a.shape[0]
    if v >= 2**24:
        return f"v = {v} is too large to check"
    if not np.array_equal(a, a.T):
        return "adjacency matrix is not symmetric"
    dense = a.astype(np.float32)
    if not np.all((dense == 0) | (dense == 1)):
        return "adjacency matrix is not 0/1"
    if dense.diagonal().any():
        return "adjacency matrix has loops"
    degrees = dense.sum(axis=1)
    k = int(degrees[0])
    if not np.all(degrees == k):
        return "graph is not regular"
    if k == 0 or k == v - 1:
        return "graph is empty or complete (not strongly regular in the usual sense)"
    j = int(np.flatnonzero(dense[0])[0])  # an edge (0, j)
    lam = int(dense[0] @ dense[j])
    non_neighbour = int(np.flatnonzero(dense[0] == 0)[1])  # vertex 0 itself is the first zero
    mu = int(dense[0] @ dense[non_neighbour])
    words = _packed_rows(dense) if v <= _POPCOUNT_VERTICES else None
    for start in range(0, v, _BLOCK_ROWS):
        stop = min(v, start + _BLOCK_ROWS)
        rows = dense[start:stop]
        expected = mu + (lam - mu) * rows
        expected[np.arange(stop - start), np.arange(start, stop)] = k
        square = rows @ dense if words is None else _common_neighbours(words, start, stop)
        if not np.array_equal(square, expected):
            return "A² ≠ kI + λA + μ(J − I − A)"
    found = (v, k, lam, mu)
    if params is not None and tuple(params) != found:
        return f"parameters are {found}, expected {tuple(params)}"
    return found


def _packed_rows(dense: np.ndarray) -> np.ndarray | None:
    """The 0/1 rows as v × ⌈v/64⌉ uint64 words, or None when numpy has no ``bitwise_count`` (numpy < 2)."""
    if not hasattr(np, "bitwise_count"):
        return None
    packed = np.packbits(dense.astype(bool), axis=1)
    packed = np.pad(packed, ((0, 0), (0, -packed.shape[1] % 8)))
    return np.ascontiguousarray(packed).view(np.uint64)


def _common_neighbours(words: np.ndarray, start: int, stop: int) -> np.ndarray:
    """Rows start..stop−1 of A² (exact integers): popcounts of the ANDs of bit-packed rows."""
    return np.bitwise_count(words[start:stop, None, :] & words[None, :, :]).sum(axis=-1, dtype=np.int64)


def row_srg_params(adjacency: np.ndarray) -> Params | None:
    """(v, k, λ, μ) when row 0 of A² equals that of kI + λA + μ(J − I − A) (k the degree of vertex 0, λ and μ read
    at a neighbour and a non-neighbour of 0), else None; O(v²).

    This decides strong regularity when A is symmetric and lies in the Bose–Mesner algebra of an association scheme
    in which vertex 0 meets every relation (Cayley graphs of abelian groups, unions of classes of the Johnson
    scheme): A² is then in the algebra too, and an element of it is determined by its row 0. Searches use it to
    skip the full product and certify the survivors with :func:`check_srg`.

    >>> c5 = np.array([[int((j - i) % 5 in (1, 4)) for j in range(5)] for i in range(5)])
    >>> row_srg_params(c5)
    (5, 2, 0, 1)
    """
    v = adjacency.shape[0]
    first = adjacency[0].astype(np.int64)
    k = int(first.sum())
    if k in (0, v - 1) or first[0]:
        return None
    square = first @ adjacency.astype(np.int64)
    neighbours = first == 1
    others = ~neighbours
    others[0] = False
    lam, mu = int(square[neighbours][0]), int(square[others][0])
    if int(square[0]) != k or not np.all(square[neighbours] == lam) or not np.all(square[others] == mu):
        return None
    return (v, k, lam, mu)


def certified_srg(adjacency: Any, name: str, params: Params | None = None) -> StronglyRegularGraph:
    """A :class:`StronglyRegularGraph` from an adjacency matrix, checked by :func:`check_srg` first.

    A failed check raises RuntimeError: builders call this on their own output, so a failure is a bug in the
    construction, never bad input.
    """
    found = check_srg(adjacency, params)
    if isinstance(found, str):
        raise RuntimeError(f"{name} failed the SRG identity: {found}")
    v, k, lam, mu = found
    return StronglyRegularGraph(v=v, k=k, lam=lam, mu=mu, adjacency=_as_csr(adjacency), name=name)


def check_regular(adjacency: np.ndarray, degree: int | None = None) -> str | None:
    """None when the integer adjacency matrix is symmetric and regular (of ``degree`` if given), else why not."""
    a = np.asarray(adjacency)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        return "adjacency matrix is not square"
    if not np.array_equal(a, a.T):
        return "adjacency matrix is not symmetric"
    if (a < 0).any():
        return "adjacency matrix has negative entries"
    degrees = a.sum(axis=1)
    d = int(degrees[0]) if degree is None else degree
    if not np.all(degrees == d):
        return f"graph is not {d}-regular"
    return None


def adjacency_from_edges(v: int, edges: Any) -> np.ndarray:
    """Integer adjacency of a multigraph from an edge list [(i, j)]: repeated edges add up, a loop adds 2."""
    pairs = np.asarray(edges, dtype=np.int64).reshape(-1, 2) if len(edges) else np.zeros((0, 2), np.int64)
    if pairs.size and (pairs.min() < 0 or pairs.max() >= v):
        bad = pairs[((pairs < 0) | (pairs >= v)).any(axis=1)][0].tolist()
        raise ValueError(f"edge {bad} has a vertex outside 0..{v - 1}")
    flat = np.concatenate((pairs[:, 0] * v + pairs[:, 1], pairs[:, 1] * v + pairs[:, 0]))
    return np.bincount(flat, minlength=v * v).reshape(v, v).astype(np.int64)


def edges_with_multiplicity(adjacency: np.ndarray) -> list[list[int]]:
    """The edge list of an integer adjacency (i ≤ j, repeated per multiplicity; a loop counts 2 in A)."""
    a = np.asarray(adjacency)
    i, j = np.nonzero(np.triu(a))
    counts = a[i, j] // np.where(i == j, 2, 1)
    return np.repeat(np.column_stack((i, j)), counts, axis=0).tolist()
