"""Exact decoding of a linear layer whose senders each send several rows (the masked layers of private codes).

Model. Unknowns u ∈ F^U (each entry a vector of length c: every statement holds coordinate by coordinate). Sender
w sends Y_w = A_w·u (``rows[w]``, W × U, the same W for every sender); the receiver wants T·u (``target``,
t × U). At most s senders are silent and at most a lie; every set of n − s − 2a senders is assumed to *decode*:
T lies in the row space of A_S (what :func:`gcli.verify` certifies for a private hierarchical code, "masked
messages: every pattern decodes"). This is the ordinary gradient-code layer with its rows grouped by sender and
with extra unknowns (the random symbols), which the :class:`gcli.Code`-based decoders cannot express: a masked
message is no codeword of the unmasked layer, so their consistency tests refuse it or, on a layer whose encoding
has rank below n − s, accept a wrong set (K = 2, N = 6, P = 2 over GF(257)).

Decoding (:meth:`GroupedLayer.decode`), from the messages of a set R of at least n − s senders:

* ``subsets`` (any layer): for each set D of min(a, |R|) received senders, in lexicographic order, keep
  U = R \\ D when Y_U is *consistent* (N_U·Y_U = 0 for a basis N_U of the left null space of A_U, i.e. Y_U =
  A_U·x for some x) and return X_U·Y_U with X_U·A_U = T. Correct: at most a liars are in U, so its honest
  senders S number at least |U| − a, and A_S(x − u) = 0 gives T·x = T·u when T is in the row space of A_S; and
  X_U·Y_U = X_U·A_U·x = T·x. That every set of |U| − a senders of U decodes follows from the certificate
  (|U| − a ≥ n − s − 2a) and is checked anyway (cached per set), so a layer whose certificate fails gets
  ImpossibleParameters instead of a value its honest senders do not determine. No consistent U:
  :class:`gcli.InconsistentMessages`. Never a wrong value within the budget.
* ``berlekamp-welch`` (when the layer is *polynomial*: A_w = Σ_{k<K} θ_w^k C_k, K = n − s − 2a, with the top m
  coefficient blocks C_{K−m..K−1} equal to T; :func:`is_polynomial_map`): the messages are evaluations of one
  polynomial of degree < K with vector coefficients, so :func:`gcli.decoding.polynomial.decode_word` gives its
  top m coefficients = T·u despite a errors; the senders outside the error positions must then be consistent
  with the layer (else InconsistentMessages), which makes the result exact as above.

Example (a layer where sender w sends u_0 + w·u_1 and the target is u_1, a polynomial layer of dimension 2):
    >>> import galois
    >>> F = galois.GF(7)
    >>> rows = F([[[1, w]] for w in range(4)])
    >>> layer = GroupedLayer(F, rows, F([[0, 1]]), stragglers=2, adversaries=0, points=F([0, 1, 2, 3]), m=1)
    >>> layer.polynomial, layer.decodable((0, 3))
    (True, True)
    >>> layer.decode({0: F([2]), 2: F([6]), 3: F([1])}).tolist()  # u = (2, 2): 2, 2 + 2·2, 2 + 3·2
    [2]
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from gcli.errors import ImpossibleParameters, InconsistentMessages, NotSupported

__all__ = ["GroupedLayer", "is_polynomial_map"]

Method = Literal["auto", "berlekamp-welch", "subsets"]


def is_polynomial_map(fld: Any, points: np.ndarray, rows: np.ndarray, target: np.ndarray, dimension: int) -> bool:
    """Is row w of ``rows`` (n × V) the value at θ_w of a polynomial Σ_{k<dimension} x^k C_k whose top
    ``target.shape[0]`` coefficients are the rows of ``target`` (m × V)? Exact over GF(q): C from the first
    ``dimension`` points (Vandermonde), then every row and the top coefficients compared."""
    from gcli.decoding.polynomial import vandermonde

    m = target.shape[0]
    if rows.shape[0] < dimension or dimension < m:
        return False
    vander = vandermonde(fld, points, dimension)
    try:
        coeffs = np.linalg.solve(vander[:dimension], rows[:dimension])
    except np.linalg.LinAlgError:
        return False
    return bool(np.array_equal(vander @ coeffs, rows) and np.array_equal(coeffs[dimension - m:], target))


@dataclass(frozen=True, eq=False)
class GroupedLayer:
    """A layer of senders that send W rows each (module docstring); GF(q) only.

    Attributes:
        field: the galois field class.
        rows: n × W × U, sender w's rows A_w.
        target: t × U (t = m·W for a polynomial layer).
        stragglers, adversaries: s and a.
        points: the senders' evaluation points (Berlekamp–Welch), or None.
        m: the top coefficient blocks that form the target (polynomial layers).
    """

    field: Any
    rows: np.ndarray
    target: np.ndarray
    stragglers: int
    adversaries: int
    points: np.ndarray | None = None
    m: int = 1
    _cache: dict[tuple[str, tuple[int, ...]], Any] = field(default_factory=dict, repr=False)

    @property
    def n(self) -> int:
        """Senders."""
        return int(self.rows.shape[0])

    @property
    def width(self) -> int:
        """W: rows per sender."""
        return int(self.rows.shape[1])

    @property
    def responders(self) -> int:
        """n − s − 2a: the senders every decoding set has."""
        return self.n - self.stragglers - 2 * self.adversaries

    @property
    def polynomial(self) -> bool:
        """Do the senders send evaluations of one polynomial of degree < n − s − 2a whose top m coefficients are
        the target (:func:`is_polynomial_map`)?"""
        key = ("polynomial", ())
        if key not in self._cache:
            ok = (self.points is not None and self.target.shape[0] == self.m * self.width
                  and self.responders >= self.m)
            if ok:
                flat = self.rows.reshape(self.n, -1)
                top = self.target.reshape(self.m, -1)
                ok = is_polynomial_map(self.field, self.points, flat, top, self.responders)  # type: ignore[arg-type]
            self._cache[key] = ok
        return bool(self._cache[key])

    def _stack(self, senders: Sequence[int]) -> np.ndarray:
        return self.rows[list(senders)].reshape(len(senders) * self.width, -1)

    def decoder(self, senders: Sequence[int]) -> np.ndarray | None:
        """X with X·A_S = T (t × |S|·W), or None when T is not in the row space of A_S."""
        from gcli.decoding.polynomial import solve_particular

        key = ("decoder", tuple(senders))
        if key not in self._cache:
            block = self._stack(senders)
            out = self.field.Zeros((self.target.shape[0], block.shape[0]))
            for r in range(self.target.shape[0]):
                row = solve_particular(self.field, block.T, self.target[r])
                if row is None:
                    out = None
                    break
                out[r] = row
            self._cache[key] = out
        return self._cache[key]  # type: ignore[no-any-return]

    def decodable(self, senders: Sequence[int]) -> bool:
        """Is T in the row space of the senders' rows?"""
        return self.decoder(tuple(sorted(senders))) is not None

    def _checks(self, senders: tuple[int, ...]) -> np.ndarray:
        key = ("checks", senders)
        if key not in self._cache:
            self._cache[key] = self._stack(senders).T.null_space()  # N with N·A_S = 0
        return self._cache[key]  # type: ignore[no-any-return]

    def inconsistent(self, senders: Sequence[int], values: np.ndarray) -> int:
        """0 when ``values`` (|S|·W × c) are A_S·x for some x, else the number of independent checks they fail."""
        checks = self._checks(tuple(senders))
        if checks.shape[0] == 0:
            return 0
        return int(np.count_nonzero(np.any(np.asarray((checks @ values).view(np.ndarray)) != 0, axis=1)))

    def decode(self, received: Mapping[int, Any], *, method: Method = "auto") -> np.ndarray:
        """T·u (t·c entries, row-major) from the messages ``received[w]`` (W·c entries each) of at least n − s
        senders, at most a of them arbitrary (module docstring)."""
        order = sorted(int(w) for w in received)
        if len(set(order)) != len(order) or (order and (order[0] < 0 or order[-1] >= self.n)):
            raise ImpossibleParameters(f"received senders must be distinct indices in 0..{self.n - 1}")
        if len(order) < self.n - self.stragglers:
            raise ImpossibleParameters(f"need messages from at least n − s = {self.n - self.stragglers} senders, "
                                       f"got {len(order)}")
        flat = [np.asarray(received[w]).reshape(-1) for w in order]
        if len({v.shape[0] for v in flat}) != 1 or flat[0].shape[0] % self.width:
            raise ImpossibleParameters(f"every message must have the same length, a multiple of {self.width}")
        values = self.field(np.stack(flat).astype(np.int64, copy=False))  # (|R|, W·c)
        if method == "auto":
            method = "berlekamp-welch" if self.polynomial else "subsets"
        if method == "berlekamp-welch":
            return self._berlekamp_welch(order, values)
        if method != "subsets":
            raise NotSupported(f"unknown method {method!r}: use auto, berlekamp-welch or subsets")
        c = values.shape[1] // self.width
        a = min(self.adversaries, len(order))
        for drop in itertools.combinations(range(len(order)), a):
            keep = [p for p in range(len(order)) if p not in drop]
            senders = tuple(order[p] for p in keep)
            y = values[keep].reshape(len(keep) * self.width, c)
            if self.inconsistent(senders, y):
                continue
            self._require_decodable(senders, a)
            x = self.decoder(senders)
            assert x is not None  # the set itself is one of the subsets checked
            return (x @ y).reshape(-1)
        raise InconsistentMessages(a + 1, a, f"no {len(order) - a} of the {len(order)} received messages are "
                                   "consistent with the layer")

    def _require_decodable(self, kept: tuple[int, ...], a: int) -> None:
        """Every set of |U| − a senders of the consistent set U decodes T (cached per set): then U's honest
        senders alone determine T·u and the value is exact for *this* layer, whether or not its file was
        certified; else ImpossibleParameters naming a set (a layer whose certificate fails)."""
        for drop in itertools.combinations(kept, min(a, len(kept))):
            part = tuple(w for w in kept if w not in drop)
            if self.decoder(part) is None:
                raise ImpossibleParameters(f"senders {list(part)} cannot decode the layer's target (its certificate "
                                           "fails): refusing rather than returning a value they do not determine")

    def _berlekamp_welch(self, order: list[int], values: np.ndarray) -> np.ndarray:
        from gcli.decoding.polynomial import decode_word

        if not self.polynomial:
            raise ImpossibleParameters("berlekamp-welch needs a polynomial layer; use method='subsets'")
        assert self.points is not None
        blocks, wrong = decode_word(self.field, self.points[order], values, self.adversaries, self.responders,
                                    self.m)
        bad = set(wrong)
        keep = [p for p in range(len(order)) if p not in bad]
        c = values.shape[1] // self.width
        off = self.inconsistent(tuple(order[p] for p in keep), values[keep].reshape(len(keep) * self.width, c))
        if off:
            raise InconsistentMessages(len(bad) + off, self.adversaries, "the messages outside the error positions "
                                       "are not consistent with the layer")
        self._require_decodable(tuple(order[p] for p in keep), self.adversaries)
        return blocks.reshape(-1)
