"""Hierarchical gradient codes: a server, K relays, and a cluster of workers behind each relay.

Model (the model gcli implements, consistent with the result Gholami, Jahani-Nezhad, Wan and
Caire report, arXiv 2502.18251, 2025 [Gholami2025]; their theorem is not quoted). Relay i serves cluster i of N_i
workers. P
data partitions with partial gradients g_0..g_{P−1} ∈ F^ℓ are placed on the workers: ``placement[i][w]`` lists
the partitions held by worker w of cluster i; A_i is their union, the partitions *available* in cluster i. At
most s_r relays straggle and a_r send arbitrary messages; in cluster i at most s_w^(i) workers straggle and
a_w^(i) lie. The server wants Σ_j g_j.

A hierarchical code is two layers of ordinary linear gradient codes (:class:`gcli.Code`, conventions in
``docs/getting-started.md``):

* the **relay layer** (``hcode.outer``): K "workers" = the relays, P partitions, relay i holding A_i,
  communication reduction m_1, tolerance (s_r, a_r). Relay i sends f_i = Σ_{j,u} B1[i, j·m_1+u] g_j^(u) ∈
  F^{ℓ/m_1}, where g_j^(u) is the u-th of the m_1 equal blocks of g_j;
* the **cluster layers** (``hcode.inner[i]``): inside cluster i the relay's own message is the target. Its
  "partial gradients" are h_ij = Σ_u B1[i, j·m_1+u] g_j^(u) ∈ F^{ℓ/m_1} for j ∈ A_i (column t of the inner code
  is the t-th partition of A_i in increasing order), which any worker holding j computes, and f_i = Σ_{j∈A_i}
  h_ij because B1 vanishes outside A_i. Worker w sends Σ_{t,v} B2^(i)[w, t·m_2+v] h_{i,A_i[t]}^(v) ∈
  F^{ℓ/(m_1 m_2^(i))}, h^(v) the v-th of m_2^(i) equal blocks.

Loads, normalised by ℓ: C_1 = 1/m_1 (relay → server) and C_2^(i) = 1/(m_1·m_2^(i)) (worker → relay).
:mod:`gcli.certification.hierarchical` certifies a code layer by layer and simulates it end to end;
:func:`gcli.constructions.hierarchical` builds the two-layer polynomial scheme that meets the optimal loads of
:mod:`gcli.bounds.hierarchical`.

Correctness of layered decoding (proof sketch). Suppose the relay layer decodes Σ_j g_j from every set of
K − s_r − 2a_r relays and the layer of cluster i decodes its target f_i from every set of N_i − s_w^(i) −
2a_w^(i) workers (what :func:`gcli.verify` checks for each layer). In any fault pattern allowed by the model
each honest responding relay receives N_i − s_w^(i) messages, at most a_w^(i) of them corrupt; the linear
criterion (two candidate values of f_i consistent with the messages differ on at most 2a_w^(i) rows, so their
difference is a codeword of the layer vanishing on N_i − s_w^(i) − 2a_w^(i) rows, hence zero in f_i) gives a
unique f_i, which the relay forwards. The server then holds K − s_r messages, at most a_r corrupt, and the same
argument one layer up gives Σ_j g_j. Hence the check is a *sum* over the layers and clusters —
C(K, K−s_r−2a_r) + Σ_i C(N_i, N_i−s_w^(i)−2a_w^(i)) rank tests — and not the product over all combined
patterns. Polynomial layers (those of the construction) are decoded with Berlekamp–Welch over GF(q); any
layer with a consistent-subset search (:func:`gcli.decode_adversarial`).

Private codes (shared randomness; built by :func:`gcli.constructions.hierarchical` with ``private``). The model
is linear in blocks: with L = lcm_i m_2^(i), cut every gradient into M = m_1·L blocks of length ℓ/M; random
symbols z_0..z_{Z−1} are uniform vectors of that length, drawn independently of the data and unknown to the
relays and the server (the workers share them). Every matrix below acts on blocks coordinate by coordinate, the
same for every coordinate, so a statement about one coordinate (scalars) holds for the whole vectors. Worker w of
cluster i sends its message plus ``worker_masks[i]`` rows w·W_i … w·W_i + W_i − 1 (W_i = L/m_2^(i), one per
block of the message) times z; relay i must deliver its message f_i plus ``relay_masks`` rows i·L … i·L + L − 1
times z (its cluster decodes that masked target) and the server decodes Σ_j g_j from the masked f_i. So each
message is G·g + H·z for explicit matrices (:func:`gcli.certification.hierarchical.composite_maps` and
:func:`gcli.certification.hierarchical.mask_maps`), which is all :func:`gcli.verify` uses: a relay is private iff
colspace(G) ⊆ colspace(H) for its view (:mod:`gcli.certification.privacy`), and decoding must work through the
masks. ``private_relays`` = t records the claim that any t relays together learn nothing; verify re-checks it.
Files without randomness are the codes of format version 1 as before (the ``randomness`` and ``privacy`` keys
are optional).

JSON: ``"format": "gcli.hcode"`` (schema ``gcli/io/schemas/hcode.schema.json``), written without timestamps, so
the same construction gives byte-identical files; reading a file back gives an equal object.

Example:
    >>> from gcli.constructions import hierarchical
    >>> hcode = hierarchical(3, 4, s_r=1, s_w=1, field="GF(7)")
    >>> hcode
    HierarchicalCode(field=GF(7), K=3, clusters=[4, 4, 4], P=3, s_r=1, a_r=0, s_w=1, a_w=0, m_1=1, m_2=1)
    >>> loads_hcode(dumps_hcode(hcode)) == hcode
    True
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

import numpy as np

from gcli._version import __version__
from gcli.code import Code
from gcli.defaults import within
from gcli.errors import BadFile, ImpossibleParameters, InputError, NotSupported
from gcli.fields import (
    Field,
    as_array,
    as_field,
    field_from_json,
    field_info_from_json,
    field_name,
    field_to_json,
    is_real,
)
from gcli.io.placements import normalise_rows, unheld

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "HierarchicalCode",
    "decode_relay",
    "decode_server",
    "draw_randomness",
    "dumps_hcode",
    "hcode_from_dict",
    "hcode_schema",
    "hcode_to_dict",
    "is_hcode",
    "layer_is_polynomial",
    "load_hcode",
    "loads_hcode",
    "normalise_placement",
    "partial_messages",
    "placement_replication",
    "relay_messages",
    "worker_messages",
    "write_hcode",
]

FORMAT = "gcli.hcode"
FORMAT_VERSION = 1

Placement = tuple[tuple[tuple[int, ...], ...], ...]
Method = Literal["auto", "berlekamp-welch", "subsets"]


def normalise_placement(placement: Any, partitions: int, sizes: Sequence[int] | None = None) -> Placement:
    """Sorted tuples; InputError for a malformed placement (shape, range, duplicates, unheld partitions)."""
    if not isinstance(placement, Sequence) or isinstance(placement, str) or not placement:
        raise ImpossibleParameters(
            "the placement must be a non-empty list of clusters, each a list of workers' partitions")
    clusters: list[tuple[tuple[int, ...], ...]] = []
    for i, cluster in enumerate(placement):
        if not isinstance(cluster, Sequence) or isinstance(cluster, str) or not cluster:
            raise ImpossibleParameters(f"placement: cluster {i} must be a non-empty list of workers")
        if sizes is not None and len(cluster) != sizes[i]:
            raise ImpossibleParameters(f"placement: cluster {i} has {len(cluster)} workers, expected N = {sizes[i]}")
        rows = normalise_rows(cluster, partitions, where=f" of cluster {i}", require_all=False)
        clusters.append(rows)
    missing = unheld([row for cluster in clusters for row in cluster], partitions)
    if missing is not None:
        raise ImpossibleParameters(
            f"placement: partition {missing} is held by no worker, so the sum cannot be recovered")
    for i, cluster in enumerate(clusters):
        if not any(cluster):
            raise ImpossibleParameters(f"placement: cluster {i} holds no partition")
    return tuple(clusters)


def available(placement: Placement) -> tuple[tuple[int, ...], ...]:
    """A_i: the sorted partitions available in each cluster (the union of its workers' partitions)."""
    return tuple(tuple(sorted({j for row in cluster for j in row})) for cluster in placement)


def placement_replication(placement: Placement, partitions: int) -> tuple[int, tuple[int, ...]]:
    """(r_1, (r_2^(i))_i): r_1 = min over partitions of the number of clusters where it is available, r_2^(i) = min
    over the partitions available in cluster i of the number of its workers holding it (Jahani-Nezhad & Maddah-Ali's
    r, per layer)."""
    clusters_of = np.zeros(partitions, dtype=np.int64)
    r_2: list[int] = []
    for cluster in placement:
        counts = np.zeros(partitions, dtype=np.int64)
        for row in cluster:
            counts[list(row)] += 1
        held = counts[counts > 0]
        r_2.append(int(held.min()) if held.size else 0)
        clusters_of += counts > 0
    return int(clusters_of.min()), tuple(r_2)


@dataclass(frozen=True, eq=False)
class HierarchicalCode:
    """A two-layer hierarchical gradient code (module docstring).

    Attributes:
        field: :data:`gcli.fields.REAL` or a galois field class.
        cluster_sizes: N_0..N_{K−1}.
        partitions: P.
        placement: ``placement[i][w]`` = sorted partitions held by worker w of cluster i.
        s_r, a_r: straggling and adversarial relays tolerated.
        s_w, a_w: straggling and adversarial workers tolerated in each cluster.
        m_1: relay-level reduction (relays send ℓ/m_1 symbols). m_2: per cluster (workers send ℓ/(m_1 m_2)).
        relay_points, worker_points: the evaluation points of the polynomial layers (Berlekamp–Welch needs them).
        relay_encoding: B1, K × (P·m_1). cluster_encodings: B2^(i), N_i × (|A_i|·m_2^(i)).
        construction: how it was built (JSON-serialisable).
    """

    field: Field
    cluster_sizes: tuple[int, ...]
    partitions: int
    placement: Placement
    s_r: int
    a_r: int
    s_w: tuple[int, ...]
    a_w: tuple[int, ...]
    m_1: int
    m_2: tuple[int, ...]
    relay_points: np.ndarray
    worker_points: tuple[np.ndarray, ...]
    relay_encoding: np.ndarray
    cluster_encodings: tuple[np.ndarray, ...]
    construction: Mapping[str, Any] = field(default_factory=dict)
    scheme: str = "hierarchical"
    random_symbols: int = 0
    relay_masks: np.ndarray | None = None
    worker_masks: tuple[np.ndarray, ...] = ()
    private_relays: int = 0

    def __post_init__(self) -> None:
        fld = as_field(self.field)
        object.__setattr__(self, "field", fld)
        sizes = tuple(_int(f"cluster size {i}", n) for i, n in enumerate(self.cluster_sizes))
        if not sizes:
            raise ImpossibleParameters("a hierarchical code needs at least one relay")
        k = len(sizes)
        object.__setattr__(self, "cluster_sizes", sizes)
        for name in ("partitions", "s_r", "a_r", "m_1"):
            object.__setattr__(self, name, _int(name, getattr(self, name)))
        for name in ("s_w", "a_w", "m_2"):
            values = tuple(_int(name, v) for v in getattr(self, name))
            if len(values) != k:
                raise ImpossibleParameters(f"{name} has {len(values)} values for K = {k} clusters")
            object.__setattr__(self, name, values)
        if self.partitions < 1:
            raise ImpossibleParameters(f"need at least one partition (P = {self.partitions})")
        placement = normalise_placement(self.placement, self.partitions, sizes)
        if len(placement) != k:
            raise ImpossibleParameters(f"placement has {len(placement)} clusters for K = {k} relays")
        object.__setattr__(self, "placement", placement)
        relay_points = _points(fld, self.relay_points, k, "relay points")
        worker_points = tuple(_points(fld, p, sizes[i], f"worker points of cluster {i}")
                              for i, p in enumerate(self.worker_points))
        if len(worker_points) != k:
            raise ImpossibleParameters(f"{len(worker_points)} lists of worker points for K = {k} clusters")
        object.__setattr__(self, "relay_points", relay_points)
        object.__setattr__(self, "worker_points", worker_points)
        avail = available(placement)
        try:
            outer = Code(
                scheme="hierarchical-relays", field=fld, n=k, k=self.partitions, s=self.s_r, m=self.m_1, a=self.a_r,
                d=max(len(a) for a in avail), assignment=avail, encoding=self.relay_encoding,
                construction={"layer": "relays"},
            )
        except InputError as exc:
            raise type(exc)(f"relay layer: {exc}") from None
        if len(self.cluster_encodings) != k:
            raise BadFile(f"{len(self.cluster_encodings)} cluster encodings for K = {k} clusters")
        inner: list[Code] = []
        for i in range(k):
            local = {j: t for t, j in enumerate(avail[i])}
            assignment = tuple(tuple(local[j] for j in row) for row in placement[i])
            try:
                inner.append(Code(
                    scheme="hierarchical-cluster", field=fld, n=sizes[i], k=len(avail[i]), s=self.s_w[i],
                    m=self.m_2[i], a=self.a_w[i], d=max(len(row) for row in assignment), assignment=assignment,
                    encoding=self.cluster_encodings[i], construction={"layer": "cluster", "cluster": i},
                ))
            except InputError as exc:
                raise type(exc)(f"cluster {i}: {exc}") from None
        object.__setattr__(self, "relay_encoding", outer.encoding)
        object.__setattr__(self, "cluster_encodings", tuple(code.encoding for code in inner))
        object.__setattr__(self, "construction", dict(self.construction))
        self._check_randomness(fld, k, sizes)
        object.__setattr__(self, "_outer", outer)
        object.__setattr__(self, "_inner", tuple(inner))

    def _check_randomness(self, fld: Field, k: int, sizes: tuple[int, ...]) -> None:
        """The shared randomness (module docstring, "Private codes"): shapes, field and the privacy claim."""
        z = _int("random_symbols", self.random_symbols)
        t = _int("private_relays", self.private_relays)
        object.__setattr__(self, "random_symbols", z)
        object.__setattr__(self, "private_relays", t)
        if not 0 <= t <= k:
            raise ImpossibleParameters(f"private_relays = {t}: the claim must be between 0 and K = {k} relays")
        if t and is_real(fld):
            raise NotSupported("private relays need GF(q): information-theoretic privacy uses uniform random masks, "
                               "which do not exist over the reals")
        if z < 0:
            raise ImpossibleParameters(f"random_symbols = {z} must be non-negative")
        if z == 0:
            if (self.relay_masks is not None and np.asarray(self.relay_masks).size) or any(
                    np.asarray(m).size for m in self.worker_masks):
                raise BadFile("masks are given but random_symbols = 0")
            object.__setattr__(self, "relay_masks", None)
            object.__setattr__(self, "worker_masks", ())
            return
        if is_real(fld):
            raise NotSupported("shared randomness is recorded over GF(q) only: over the reals no uniform mask exists "
                               "and finite-precision masks leak")
        blocks = math.lcm(*self.m_2)
        relay = as_array(fld, np.asarray(self.relay_masks if self.relay_masks is not None else []))
        if relay.shape != (k * blocks, z):
            raise BadFile(f"randomness: the relay masks must be a {k * blocks} x {z} matrix (K x lcm(m_2) rows, one "
                          f"column per random symbol), got shape {relay.shape}")
        if len(self.worker_masks) != k:
            raise BadFile(f"randomness: {len(self.worker_masks)} worker mask matrices for K = {k} clusters")
        workers = []
        for i, mask in enumerate(self.worker_masks):
            rows = sizes[i] * (blocks // self.m_2[i])
            array = as_array(fld, np.asarray(mask))
            if array.shape != (rows, z):
                raise BadFile(f"randomness: cluster {i}'s worker masks must be a {rows} x {z} matrix (N_i x "
                              f"lcm(m_2)/m_2^(i) rows), got shape {array.shape}")
            workers.append(array)
        object.__setattr__(self, "relay_masks", relay)
        object.__setattr__(self, "worker_masks", tuple(workers))

    @property
    def has_randomness(self) -> bool:
        """Do the workers add shared random masks (``random_symbols`` > 0)?"""
        return self.random_symbols > 0

    def mask_blocks(self) -> int:
        """L = lcm_i m_2^(i): a relay's message is L mask blocks, a worker's of cluster i L/m_2^(i)."""
        return math.lcm(*self.m_2)

    # -- the two layers as ordinary gradient codes ---------------------------------------------------------
    @property
    def outer(self) -> Code:
        """The relay layer: K relays, P partitions, target Σ_j g_j, reduction m_1, tolerance (s_r, a_r)."""
        return self._outer  # type: ignore[attr-defined, no-any-return]

    @property
    def inner(self) -> tuple[Code, ...]:
        """The cluster layers: cluster i's code over A_i, target the relay's message f_i, reduction m_2^(i)."""
        return self._inner  # type: ignore[attr-defined, no-any-return]

    @property
    def relays(self) -> int:
        """K."""
        return len(self.cluster_sizes)

    @property
    def available(self) -> tuple[tuple[int, ...], ...]:
        """A_i for every cluster."""
        return available(self.placement)

    @property
    def field_name(self) -> str:
        """``real``, ``GF(p)`` or ``GF(p^e)``."""
        return field_name(self.field)

    @property
    def is_real(self) -> bool:
        """True over the reals."""
        return is_real(self.field)

    @property
    def load(self) -> int:
        """d: the largest number of partitions held by one worker."""
        return max(len(row) for cluster in self.placement for row in cluster)

    def replication(self) -> tuple[int, tuple[int, ...]]:
        """(r_1, r_2 per cluster) of the placement (:func:`placement_replication`)."""
        return placement_replication(self.placement, self.partitions)

    def block_size(self) -> int:
        """The smallest gradient length ℓ the code splits evenly: m_1 · lcm_i m_2^(i)."""
        return self.m_1 * math.lcm(*self.m_2)

    # -- equality -------------------------------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, HierarchicalCode):
            return NotImplemented
        same_field = self.field is other.field or (
            not self.is_real and not other.is_real and self.field.properties == other.field.properties
        )
        return (
            same_field
            and (self.scheme, self.cluster_sizes, self.partitions, self.placement, self.s_r, self.a_r, self.s_w,
                 self.a_w, self.m_1, self.m_2)
            == (other.scheme, other.cluster_sizes, other.partitions, other.placement, other.s_r, other.a_r,
                other.s_w, other.a_w, other.m_1, other.m_2)
            and _same(self.relay_points, other.relay_points)
            and all(_same(a, b) for a, b in zip(self.worker_points, other.worker_points, strict=True))
            and self.outer == other.outer
            and all(a == b for a, b in zip(self.inner, other.inner, strict=True))
            and dict(self.construction) == dict(other.construction)
            and (self.random_symbols, self.private_relays) == (other.random_symbols, other.private_relays)
            and (self.relay_masks is None) == (other.relay_masks is None)
            and (self.relay_masks is None or _same(self.relay_masks, other.relay_masks))  # type: ignore[arg-type]
            and len(self.worker_masks) == len(other.worker_masks)
            and all(_same(a, b) for a, b in zip(self.worker_masks, other.worker_masks, strict=True))
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        def one(values: tuple[int, ...]) -> str:
            return str(values[0]) if len(set(values)) == 1 else ",".join(map(str, values))

        return (
            f"HierarchicalCode(field={self.field_name}, K={self.relays}, clusters={list(self.cluster_sizes)}, "
            f"P={self.partitions}, s_r={self.s_r}, a_r={self.a_r}, s_w={one(self.s_w)}, a_w={one(self.a_w)}, "
            f"m_1={self.m_1}, m_2={one(self.m_2)})"
        )


def _int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ImpossibleParameters(f"{name} must be an integer, got {value!r}")
    return int(value)


def _points(fld: Field, values: Any, count: int, what: str) -> np.ndarray:
    points = as_array(fld, values)
    if points.shape != (count,):
        raise ImpossibleParameters(f"{what}: expected {count} values, got shape {points.shape}")
    raw = np.asarray(points, dtype=np.float64) if is_real(fld) else np.asarray(points.view(np.ndarray))
    if len(set(raw.tolist())) != count:
        raise ImpossibleParameters(f"{what} must be distinct")
    out = points.copy()
    out.setflags(write=False)
    return out


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return np.array_equal(np.asarray(a), np.asarray(b))


# ---------------------------------------------------------------------------------------------------------
# messages
# ---------------------------------------------------------------------------------------------------------
def _gradients(hcode: HierarchicalCode, gradients: Any) -> np.ndarray:
    g = as_array(hcode.field, gradients)
    if g.ndim != 2 or g.shape[0] != hcode.partitions or g.shape[1] % hcode.block_size():
        raise ImpossibleParameters(
            f"gradients must have shape (P, ℓ) = ({hcode.partitions}, ℓ) with ℓ a multiple of "
            f"m_1·lcm(m_2) = {hcode.block_size()}; got {g.shape}"
        )
    return g


def draw_randomness(hcode: HierarchicalCode, gradient_length: int, rng: np.random.Generator) -> np.ndarray:
    """The random symbols z: shape (Z, ℓ/(m_1·L)), uniform over GF(q) (module docstring, "Private codes")."""
    if gradient_length % hcode.block_size():
        raise ImpossibleParameters(f"the gradient length must be a multiple of m_1·lcm(m_2) = {hcode.block_size()}")
    width = gradient_length // (hcode.m_1 * hcode.mask_blocks())
    return hcode.field(rng.integers(0, hcode.field.order, size=(hcode.random_symbols, width)))


def _masked(fld: Field, messages: np.ndarray, masks: np.ndarray, randomness: Any, rows_per: int) -> np.ndarray:
    """messages[r] + (the rows r·rows_per.. of masks) · z, each mask row one block of the message."""
    z = as_array(fld, randomness)
    if z.ndim != 2 or z.shape[0] != masks.shape[1] or z.shape[1] * rows_per != messages.shape[1]:
        raise ImpossibleParameters(f"randomness must have shape ({masks.shape[1]}, {messages.shape[1] // rows_per}), "
                                   f"got {z.shape}")
    added = (masks @ z).reshape(messages.shape[0], rows_per * z.shape[1])
    return messages + added


def relay_messages(hcode: HierarchicalCode, gradients: Any, randomness: Any = None) -> np.ndarray:
    """f_i for every relay: shape (K, ℓ/m_1) — what honest relays send to the server; with ``randomness`` z
    (:func:`draw_randomness`) the masked f_i + M_i z a relay of a private code forwards."""
    plain = hcode.outer.encode(_gradients(hcode, gradients))
    if randomness is None or not hcode.has_randomness:
        return plain
    return _masked(hcode.field, plain, hcode.relay_masks, randomness, hcode.mask_blocks())  # type: ignore[arg-type]


def partial_messages(hcode: HierarchicalCode, cluster: int, gradients: Any) -> np.ndarray:
    """h_ij = Σ_u B1[i, j·m_1+u] g_j^(u) for j ∈ A_i: shape (|A_i|, ℓ/m_1); they sum to f_i."""
    g = _gradients(hcode, gradients)
    avail = list(hcode.available[cluster])
    blocks = g.reshape(hcode.partitions, hcode.m_1, -1)[avail]  # (|A_i|, m_1, ℓ/m_1)
    coeff = hcode.relay_encoding[cluster].reshape(hcode.partitions, hcode.m_1)[avail]
    return (coeff[:, :, None] * blocks).sum(axis=1)


def worker_messages(hcode: HierarchicalCode, cluster: int, gradients: Any, randomness: Any = None) -> np.ndarray:
    """What the workers of a cluster send to their relay: shape (N_i, ℓ/(m_1·m_2^(i))); with ``randomness`` z the
    masked messages B2 h + H_i z of a private code."""
    plain = hcode.inner[cluster].encode(partial_messages(hcode, cluster, gradients))
    if randomness is None or not hcode.has_randomness:
        return plain
    rows = hcode.mask_blocks() // hcode.m_2[cluster]
    return _masked(hcode.field, plain, hcode.worker_masks[cluster], randomness, rows)


# ---------------------------------------------------------------------------------------------------------
# decoding one layer with adversaries
# ---------------------------------------------------------------------------------------------------------
def layer_is_polynomial(code: Code, points: np.ndarray, *, dimension: int | None = None) -> bool:
    """Does every worker of the layer send P(θ_w) for a polynomial P of degree < K (``dimension``, default
    n − s − 2a) whose top m coefficients are the target (B = V·C with V the Vandermonde matrix on the points and
    the last m rows of C equal to T)? Then any n − s responders with at most a errors decode by Berlekamp–Welch.

    Over GF(q) exactly; over the reals to float64 accuracy by :func:`gcli.decoding.polynomial.real_polynomial_misfit`
    (a Chebyshev-basis fit with round-off bounds from the data's scale and the basis' condition number, never a
    monomial fit, which is hopelessly ill-conditioned by n ≈ 40).

    >>> from gcli.constructions import reed_solomon
    >>> from gcli.decoding.polynomial import evaluation_points
    >>> from gcli.fields import REAL
    >>> code, theta = reed_solomon(40, 2), evaluation_points(REAL, 40)
    >>> layer_is_polynomial(code, theta), layer_is_polynomial(code, -theta)  # −θ: the rows in reverse order
    (True, False)
    """
    dim = code.responders if dimension is None else dimension
    if code.is_real:
        from gcli.decoding.polynomial import real_polynomial_misfit

        misfit = real_polynomial_misfit(np.asarray(code.encoding, dtype=np.float64),
                                        np.asarray(code.target, dtype=np.float64), points, dim)
        return all(within(x, 1.0) for x in misfit.tolist())
    from gcli.decoding.polynomial import vandermonde

    fld = code.field
    vander = vandermonde(fld, points, dim)
    try:
        coeffs = np.linalg.solve(vander[:dim], code.encoding[:dim])
    except np.linalg.LinAlgError:
        return False
    return bool(np.array_equal(vander @ coeffs, code.encoding)
                and np.array_equal(coeffs[dim - code.m :], code.target))


def _berlekamp_welch_top(code: Code, theta: np.ndarray, values: np.ndarray,
                         rows: Sequence[int] | None = None) -> np.ndarray:
    """The m × L target blocks from R ≥ n − s responders' values (R × L), at most a of them corrupt
    (:func:`gcli.decoding.polynomial.decode_word`). The layer's codewords B·G may be a subspace of the polynomials of
    degree < K (rank B < K), so the values outside the error positions found must also be B_U·G for some G
    (:func:`gcli.decoding.matrices.inconsistent_messages`), else :class:`gcli.InconsistentMessages`: any codeword within
    a of the received words is the unique Reed–Solomon word Berlekamp–Welch finds."""
    from gcli.decoding.matrices import inconsistent_messages
    from gcli.decoding.polynomial import decode_word
    from gcli.errors import InconsistentMessages

    blocks, wrong = decode_word(code.field, theta, values, code.a, code.responders, code.m)
    if rows is not None:
        keep = [p for p in range(len(rows)) if p not in set(wrong)]
        off = inconsistent_messages(code, [rows[p] for p in keep], values[keep])
        if off:
            raise InconsistentMessages(len(wrong) + off, code.a, "the messages outside the error positions are "
                                       "no codeword of the layer")
    return blocks


def _decode_layer(code: Code, points: np.ndarray, received: Mapping[int, Any], method: Method) -> np.ndarray:
    from gcli.decoding.adversarial import decode_adversarial

    if method == "auto":
        method = "berlekamp-welch" if not code.is_real and layer_is_polynomial(code, points) else "subsets"
    if method == "subsets":
        return decode_adversarial(code, received, method="subsets")
    if method != "berlekamp-welch":
        raise NotSupported(f"unknown method {method!r}: use auto, berlekamp-welch or subsets")
    if code.is_real:
        raise NotSupported("berlekamp-welch decodes over GF(q); use method='subsets' over the reals")
    order = sorted(int(w) for w in received)
    if len(set(order)) != len(order) or (order and (order[0] < 0 or order[-1] >= code.n)):
        raise ImpossibleParameters(f"received senders must be distinct indices in 0..{code.n - 1}")
    if len(order) < code.n - code.s:
        raise ImpossibleParameters(f"need messages from at least n − s = {code.n - code.s} senders, got {len(order)}")
    values = as_array(code.field, np.stack([np.asarray(received[w]).reshape(-1) for w in order]))
    return _berlekamp_welch_top(code, points[order], values, order).reshape(-1)


def _masked_layers(hcode: HierarchicalCode) -> Any:
    """The layers of a code with shared randomness (:func:`gcli.hierarchical.masked.masked_layers`)."""
    from gcli.hierarchical.masked import masked_layers

    return masked_layers(hcode)


def decode_relay(
    hcode: HierarchicalCode, cluster: int, received: Mapping[int, Any], *, method: Method = "auto"
) -> np.ndarray:
    """What relay ``cluster`` forwards: f_i (length ℓ/m_1) from the messages ``received[w]`` of at least
    N_i − s_w^(i) of its workers, at most a_w^(i) of them arbitrary. ``auto``: Berlekamp–Welch over GF(q) when the
    layer is polynomial (:func:`layer_is_polynomial`), else the consistent-subset search.

    A code with shared randomness: the workers' messages are masked and the relay forwards its *masked* message
    f_i + M_i z, decoded exactly on the layer with its masks (:class:`gcli.decoding.grouped.GroupedLayer`:
    Berlekamp–Welch when the masked layer is polynomial, as in the private construction, else the
    consistent-subset search on [encoding | masks]), never with the unmasked layer's decoders."""
    if not 0 <= cluster < hcode.relays:
        raise ImpossibleParameters(f"no cluster {cluster}: clusters are 0..{hcode.relays - 1}")
    if hcode.has_randomness:
        return _masked_layers(hcode)[1][cluster].decode(received, method=method)  # type: ignore[no-any-return]
    return _decode_layer(hcode.inner[cluster], hcode.worker_points[cluster], received, method)


def decode_server(hcode: HierarchicalCode, received: Mapping[int, Any], *, method: Method = "auto") -> np.ndarray:
    """Σ_j g_j (length ℓ) from the messages ``received[i]`` of at least K − s_r relays, at most a_r arbitrary; for a
    code with shared randomness from the masked relay messages (the masks cancel, :func:`decode_relay`)."""
    if hcode.has_randomness:
        return _masked_layers(hcode)[0].decode(received, method=method)  # type: ignore[no-any-return]
    return _decode_layer(hcode.outer, hcode.relay_points, received, method)


# ---------------------------------------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------------------------------------
@cache
def hcode_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``gcli.hcode`` format version 1."""
    from importlib.resources import files

    return json.loads(files("gcli").joinpath("io/schemas/hcode.schema.json").read_text(encoding="utf-8"))


def _entries(fld: Field, array: np.ndarray) -> list[Any]:
    if is_real(fld):
        return np.asarray(array, dtype=np.float64).tolist()
    return np.asarray(array.view(np.ndarray), dtype=np.int64).tolist()


def hcode_to_dict(hcode: HierarchicalCode) -> dict[str, Any]:
    """The JSON object of a hierarchical code (plain Python types)."""
    fld = hcode.field
    out: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "scheme": hcode.scheme,
        "exact": True,
        "field": field_to_json(fld),
        "relays": hcode.relays,
        "cluster_sizes": list(hcode.cluster_sizes),
        "partitions": hcode.partitions,
        "s_r": hcode.s_r,
        "a_r": hcode.a_r,
        "s_w": list(hcode.s_w),
        "a_w": list(hcode.a_w),
        "m_1": hcode.m_1,
        "m_2": list(hcode.m_2),
        "placement": [[list(row) for row in cluster] for cluster in hcode.placement],
        "relay_points": _entries(fld, hcode.relay_points),
        "relay_encoding": _entries(fld, hcode.relay_encoding),
        "clusters": [
            {
                "partitions": list(hcode.available[i]),
                "worker_points": _entries(fld, hcode.worker_points[i]),
                "encoding": _entries(fld, hcode.cluster_encodings[i]),
            }
            for i in range(hcode.relays)
        ],
        "construction": _plain(dict(hcode.construction)),
        "provenance": {"gcli_version": __version__},
    }
    if hcode.has_randomness:
        out["randomness"] = {
            "symbols": hcode.random_symbols,
            "relay_masks": _entries(fld, hcode.relay_masks),  # type: ignore[arg-type]
            "worker_masks": [_entries(fld, m) for m in hcode.worker_masks],
        }
    if hcode.private_relays:
        out["privacy"] = {"colluding_relays": hcode.private_relays}
    return out


def _plain(value: Any) -> Any:
    """JSON-native values: numpy scalars and arrays, tuples."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray | np.generic):
        return _plain(value.tolist())
    return value


def hcode_from_dict(obj: Any) -> HierarchicalCode:
    """Validate against the schema and build the code; InputError on any violation."""
    import jsonschema

    if not is_hcode(obj):
        found = obj.get("format") if isinstance(obj, dict) else None
        raise BadFile(f"not a hierarchical code file (format is {found!r}, expected {FORMAT!r})")
    if obj.get("format_version") != FORMAT_VERSION:
        raise NotSupported(
            f"unsupported format_version {obj.get('format_version')!r}: this gcli reads version {FORMAT_VERSION}"
        )
    # matrices are checked entry by entry below: the schema sees them with their rows elided
    shallow = dict(obj)
    if isinstance(obj.get("relay_encoding"), list):
        shallow["relay_encoding"] = [[] if isinstance(r, list) else r for r in obj["relay_encoding"]]
    if isinstance(obj.get("clusters"), list):
        shallow["clusters"] = [
            {**c, "encoding": [[] if isinstance(r, list) else r for r in c["encoding"]]}
            if isinstance(c, dict) and isinstance(c.get("encoding"), list) else c
            for c in obj["clusters"]
        ]
    if isinstance(obj.get("randomness"), dict):
        rand = dict(obj["randomness"])
        if isinstance(rand.get("relay_masks"), list):
            rand["relay_masks"] = [[] if isinstance(r, list) else r for r in rand["relay_masks"]]
        if isinstance(rand.get("worker_masks"), list):
            rand["worker_masks"] = [[[] if isinstance(r, list) else r for r in m] if isinstance(m, list) else m
                                    for m in rand["worker_masks"]]
        shallow["randomness"] = rand
    validator = jsonschema.Draft202012Validator(hcode_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(shallow))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise BadFile(f"invalid hierarchical code file at {where}: {error.message}")
    from gcli.io.limits import check

    check("max_workers", obj["relays"], "relays")
    check("max_workers", obj["partitions"], "partitions")
    check("max_workers", sum(obj["cluster_sizes"]), "the workers of all clusters")
    info = field_info_from_json(obj["field"])  # the checks below need no galois: it is imported after them
    k = obj["relays"]
    if len(obj["cluster_sizes"]) != k or len(obj["clusters"]) != k or len(obj["placement"]) != k:
        raise BadFile(f"invalid hierarchical code file: relays = {k} but cluster_sizes, clusters or placement "
                      "differ")
    placement = obj["placement"]
    derived = available(normalise_placement(placement, obj["partitions"], obj["cluster_sizes"]))
    for i, cluster in enumerate(obj["clusters"]):
        if tuple(cluster["partitions"]) != derived[i]:
            raise BadFile(
                f"invalid hierarchical code file at clusters/{i}/partitions: must list the partitions available "
                f"in cluster {i}, {list(derived[i])}"
            )
    relay_points = _matrix(info, obj["relay_points"], "relay_points", vector=True)
    worker_points = tuple(_matrix(info, c["worker_points"], f"clusters/{i}/worker_points", vector=True)
                          for i, c in enumerate(obj["clusters"]))
    relay_encoding = _matrix(info, obj["relay_encoding"], "relay_encoding")
    cluster_encodings = tuple(_matrix(info, c["encoding"], f"clusters/{i}/encoding")
                              for i, c in enumerate(obj["clusters"]))
    rand = obj.get("randomness")
    randomness: dict[str, Any] = {}
    if rand is not None:
        symbols = rand["symbols"]
        randomness = {
            "random_symbols": symbols,
            "relay_masks": _matrix(info, rand["relay_masks"], "randomness/relay_masks", columns=symbols),
            "worker_masks": tuple(_matrix(info, m, f"randomness/worker_masks/{i}", columns=symbols)
                                  for i, m in enumerate(rand["worker_masks"])),
        }
    claim = obj.get("privacy", {}).get("colluding_relays", 0)
    construction_claim = obj["construction"].get("private_relays", 0)
    if isinstance(construction_claim, int) and not isinstance(construction_claim, bool):
        claim = max(claim, construction_claim)  # a claim the construction records is re-checked too
    hcode = HierarchicalCode(
        field=field_from_json(obj["field"]),
        cluster_sizes=tuple(obj["cluster_sizes"]),
        partitions=obj["partitions"],
        placement=placement,
        s_r=obj["s_r"],
        a_r=obj["a_r"],
        s_w=tuple(obj["s_w"]),
        a_w=tuple(obj["a_w"]),
        m_1=obj["m_1"],
        m_2=tuple(obj["m_2"]),
        relay_points=relay_points,
        worker_points=worker_points,
        relay_encoding=relay_encoding,
        cluster_encodings=cluster_encodings,
        construction=obj["construction"],
        scheme=obj["scheme"],
        private_relays=claim,
        **randomness,
    )
    return hcode


def _matrix(fld: Any, rows: Any, where: str, vector: bool = False, columns: int | None = None) -> np.ndarray:
    """Entries of a JSON matrix (or vector): numbers over the reals, non-negative integers over GF(q)."""
    items = [rows] if vector else rows
    width = columns
    for i, row in enumerate(items):
        if not isinstance(row, list):
            raise BadFile(f"invalid hierarchical code file at {where}/{i}: not a list")
        if width is not None and len(row) != width:
            raise BadFile(f"invalid hierarchical code file at {where}: rows have different lengths")
        width = len(row)
        for x in row:
            ok = type(x) in (int, float) if is_real(fld) else (type(x) is int and x >= 0)
            if not ok:
                kind = "a number" if is_real(fld) else "a non-negative integer"
                raise BadFile(f"invalid hierarchical code file at {where}/{i}: {json.dumps(x)[:40]} is not {kind}")
            if not is_real(fld) and x >= fld.order:
                raise BadFile(f"invalid hierarchical code file at {where}/{i}: {str(x)[:40]} is not an element of "
                              f"{field_name(fld)} (entries over {field_name(fld)} must be integers in "
                              f"[0, {fld.order}))")
    dtype = np.float64 if is_real(fld) else np.int64
    try:
        array = np.asarray(rows, dtype=dtype)
    except OverflowError:  # an integer beyond float64
        raise BadFile(f"invalid hierarchical code file at {where}: a number is beyond the range of float64") from None
    return array if vector else array.reshape(len(rows), -1 if columns is None else columns)


def is_hcode(obj: Any) -> bool:
    """Is this parsed JSON object a hierarchical code (``"format": "gcli.hcode"``)?"""
    return isinstance(obj, dict) and obj.get("format") == FORMAT


def _format(value: Any, indent: int = 0) -> str:
    """Canonical text: objects one key per line, lists of numbers on one line, matrices one row per line."""
    pad, inner = "  " * indent, "  " * (indent + 1)
    if isinstance(value, dict) and value:
        items = [f"{inner}{json.dumps(k)}: {_format(v, indent + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list) and value and any(isinstance(v, dict | list) for v in value):
        if all(isinstance(v, list) and not any(isinstance(x, dict | list) for x in v) for v in value):
            rows = [inner + json.dumps(v, allow_nan=False) for v in value]
        else:
            rows = [inner + _format(v, indent + 1) for v in value]
        return "[\n" + ",\n".join(rows) + f"\n{pad}]"
    return json.dumps(value, allow_nan=False)


def dumps_hcode(hcode: HierarchicalCode) -> str:
    """The canonical JSON text (deterministic: no timestamps; floats in shortest round-trip form)."""
    return _format(hcode_to_dict(hcode)) + "\n"


def loads_hcode(text: str | bytes) -> HierarchicalCode:
    """Parse a hierarchical code from JSON text; InputError for malformed JSON or schema violations (the text is
    parsed within the bounds of :func:`gcli.io.reading.parse_json`)."""
    from gcli.io.reading import parse_json

    return hcode_from_dict(parse_json(text, "hierarchical code file"))


def load_hcode(path: str | os.PathLike[str]) -> HierarchicalCode:
    """Read a hierarchical code file (``-``: standard input) through :func:`gcli.io.reading.read_bounded`."""
    from gcli.io.reading import parse_json, read_bounded

    where = "standard input" if str(path) == "-" else os.fspath(path)
    return hcode_from_dict(parse_json(read_bounded(path), where))


def write_hcode(hcode: HierarchicalCode, path: str | os.PathLike[str]) -> None:
    """Write the canonical JSON atomically (:func:`gcli.io.writing.write_atomic`)."""
    from gcli.io.writing import write_atomic

    write_atomic(path, dumps_hcode(hcode))
