"""Information-theoretic privacy of linear messages over GF(q): what an observer learns about the gradients.

Model. An observer (a relay, a worker's link, a set of colluding relays) sees a view V = G·g + H·z over GF(q),
g the vector of partial-gradient blocks (each column of G acts on one block, coordinate by coordinate: every
block is a vector and G, H act on every coordinate alike) and z a vector of random symbols drawn uniformly and
independently of g. For any distribution of g:

* V is independent of g  ⇔  colspace(G) ⊆ colspace(H)  ⇔  rank([G H]) = rank(H).
  (⇐: G = H·A for some A, so V = H(A g + z) and A g + z is uniform whatever g is. ⇒: take y with yᵀH = 0 and
  yᵀG ≠ 0; then yᵀV = yᵀG·g is a non-constant function of g, seen exactly.)
* The *leakage* — the dimension of the space of linear combinations cᵀg the observer learns exactly — is
  rank([G H]) − rank(H) = rank(N·G), N a basis of the left null space of H: the combinations are the rows of
  N·G, and V given those is uniform on a coset of colspace(H). Over GF(q) this is an exact count: the observer
  learns leakage × (block length) symbols of information, in units of log q.
* A leaking combination is any non-zero row of N·G (reported in reduced row echelon form), and a whole block
  g_c is exposed exactly when the unit vector e_c lies in rowspace(N·G).

Over the reals with finite precision no such statement holds (a uniform distribution on ℝ does not exist and
rounded masks leak), so gcli computes leakage over GF(q) only.

The ranks, null spaces and row reductions are galois's Gauss–Jordan elimination over GF(q) (the same elimination
:mod:`gcli.certification.hierarchical` and the decoders use); nothing here imports above :mod:`gcli.fields`.

Example:
    >>> from gcli.fields import gf
    >>> F = gf(5)
    >>> g = F([[1, 0], [0, 1]])            # two messages g_0 and g_1 ...
    >>> h = F([[1], [1]])                   # ... both masked by the same symbol z
    >>> leak = leakage(F, g, h)
    >>> leak.dimension, leak.combination    # g_0 − g_1 = m_0 − m_1 is learned
    (1, [1, 4])
    >>> leakage(F, g, F([[1, 0], [0, 1]])).dimension   # independent masks: nothing learned
    0
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from gcli.errors import NotSupported
from gcli.fields import Field, field_name, is_real

__all__ = ["Leakage", "code_leakage", "combination_text", "leakage", "require_finite"]


@dataclass(frozen=True)
class Leakage:
    """What one view V = G g + H z reveals: ``dimension`` = rank([G H]) − rank(H) (0: private), a leaking
    ``combination`` (coefficients on the columns of G, None when private) and the ``exposed`` columns (blocks
    g_c learned outright)."""

    dimension: int
    combination: list[int] | None
    exposed: tuple[int, ...]

    @property
    def private(self) -> bool:
        """No combination of the gradients is learned."""
        return self.dimension == 0


def _field_array(field: Field, values: Any, rows: int, cols: int) -> Any:
    array = np.asarray(values.view(np.ndarray) if hasattr(values, "view") else values, dtype=np.int64)
    return field(array.reshape(rows, cols))


def leakage(field: Field, g: Any, h: Any | None = None, *, exposed: bool = True) -> Leakage:
    """The leakage of the view G·g + H·z (module docstring) over GF(q). ``h`` None or with no columns: no
    randomness. ``exposed``: also list the blocks learned outright (one rank test per column of G).

    >>> from gcli.fields import gf
    >>> leakage(gf(3), gf(3)([[1, 1, 0]])).combination
    [1, 1, 0]
    """
    if is_real(field):
        raise NotSupported("information-theoretic privacy is defined over GF(q); over the reals a finite-precision "
                           "mask cannot hide a message")
    g_raw = np.asarray(g.view(np.ndarray) if hasattr(g, "view") else g, dtype=np.int64)
    rows = g_raw.shape[0]
    cols = g_raw.shape[1] if g_raw.ndim == 2 else 0
    big_g = _field_array(field, g_raw, rows, cols)
    if rows == 0 or cols == 0:
        return Leakage(0, None, ())
    h_raw = None if h is None else np.asarray(h.view(np.ndarray) if hasattr(h, "view") else h, dtype=np.int64)
    if h_raw is None or h_raw.size == 0:
        learned = big_g
    else:
        big_h = _field_array(field, h_raw, rows, h_raw.shape[-1])
        null = big_h.left_null_space()  # rows y with yᵀH = 0
        if null.shape[0] == 0:
            return Leakage(0, None, ())
        learned = null @ big_g
    reduced = learned.row_reduce()
    nonzero = np.asarray(reduced.view(np.ndarray)).any(axis=1)
    basis = reduced[nonzero]
    dimension = int(basis.shape[0])
    if dimension == 0:
        return Leakage(0, None, ())
    combination = [int(x) for x in np.asarray(basis[0].view(np.ndarray))]
    shown: tuple[int, ...] = ()
    if exposed:
        raw = np.asarray(basis.view(np.ndarray))
        # e_c ∈ rowspace(basis) for an RREF basis ⇔ some row is exactly e_c (a pivot row with no other entry)
        shown = tuple(int(np.flatnonzero(row)[0]) for row in raw if np.count_nonzero(row) == 1)
    return Leakage(dimension, combination, tuple(sorted(shown)))


def combination_text(combination: list[int], names: list[str], limit: int = 4) -> str:
    """``2·g_0 + g_3 + …`` for a combination with coefficients over GF(q); at most ``limit`` terms shown.

    >>> combination_text([1, 0, 2, 1, 1, 1], ["g_0", "g_1", "g_2", "g_3", "g_4", "g_5"], limit=3)
    'g_0 + 2·g_2 + g_3 + … (5 terms)'
    """
    terms = [(c, names[i]) for i, c in enumerate(combination) if c]
    shown = [name if c == 1 else f"{c}·{name}" for c, name in terms[:limit]]
    text = " + ".join(shown)
    return text + (f" + … ({len(terms)} terms)" if len(terms) > limit else "")


def require_finite(field: Field, what: str = "privacy") -> None:
    """NotSupported (one line, exit 2) over the reals: information-theoretic privacy needs a finite field."""
    if is_real(field):
        raise NotSupported(
            f"{what} is information-theoretic and needs a finite field: over the reals no uniform mask exists and "
            f"finite-precision masks leak (this code is over {field_name(field)}; use GF(q))"
        )


def code_leakage(code: Any, limit: int = 10**5) -> dict[str, Any]:
    """Leakage of every worker's message of a single-layer code over GF(q) (no randomness: H = 0, so a worker's
    message reveals rank(B[w]) = 1 combination unless its row is zero), as a JSON-ready dict with a ``text``
    rendering. OverLimit above ``limit`` workers.

    >>> from gcli.constructions import reed_solomon
    >>> out = code_leakage(reed_solomon(3, 1, field="GF(7)"))
    >>> [o["leakage"] for o in out["observers"]], out["exposed_workers"]
    ([1, 1, 1], 0)
    """
    from gcli.errors import OverLimit

    require_finite(code.field)
    if code.n > limit:
        raise OverLimit(f"--privacy checks every worker's message: {code.n:,} workers exceed the limit of {limit:,}")
    from gcli.io.limits import check_entries

    check_entries(code.n, code.k * code.m, "--privacy: the dense encoding")
    names = ([f"g_{j}" for j in range(code.k)] if code.m == 1
             else [f"g_{j}[{u}]" for j in range(code.k) for u in range(code.m)])
    encoding = code.encoding
    observers, lines = [], [f"leakage over {code.field_name} (dimension of the partial-gradient combinations an "
                            "observer learns; 0 = private)"]
    for w in range(code.n):
        row = np.asarray(encoding[w:w + 1].toarray() if hasattr(encoding, "toarray") else encoding[w:w + 1])
        leak = leakage(code.field, row.reshape(1, -1))
        entry: dict[str, Any] = {"worker": w, "leakage": leak.dimension, "private": leak.private}
        line = f"worker {w}: leakage {leak.dimension}"
        if leak.combination is not None:
            entry["combination"] = leak.combination
            entry["combination_text"] = combination_text(leak.combination, names)
            entry["exposed"] = [names[c] for c in leak.exposed]
            line += f", NOT PRIVATE: learns {entry['combination_text']}"
            if leak.exposed:
                line += f"; whole blocks: {', '.join(entry['exposed'])}"
        else:
            line += " (private)"
        observers.append(entry)
        lines.append(line)
    exposed = sum(1 for o in observers if o.get("exposed"))
    lines.append(f"{sum(o['private'] for o in observers)} of {code.n} worker messages private; {exposed} reveal a "
                 "whole block of a partial gradient")
    return {"field": code.field_name, "kind": "single-layer", "observers": observers,
            "private_observers": sum(o["private"] for o in observers), "exposed_workers": exposed,
            "text": "\n".join(lines)}
