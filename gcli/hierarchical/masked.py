"""The linear model of a hierarchical code's messages, and the layers of a private code with their masks.

:func:`composite_maps` writes every message of a :class:`gcli.hierarchical.codes.HierarchicalCode` as a matrix on
the gradients' finest blocks, :func:`mask_maps` its masks (the shared random symbols z); a message is G·g + H·z.
:func:`masked_layers` turns them into the two decoding problems of a private code
(:class:`gcli.decoding.grouped.GroupedLayer`): cluster i's relay decodes its masked message f_i + M_i z from its
workers' masked messages (unknowns: the blocks of the partitions available in the cluster and the random
symbols), and the server decodes Σ_j g_j from the masked relay messages (target [T | 0]: the masks cancel). The
layers keep only the columns some row touches (a zero column changes no rank), and are built once per code.

Example:
    >>> from gcli.constructions import hierarchical
    >>> code = hierarchical(2, 6, s_w=1, partitions=2, field="GF(257)", private=True)
    >>> relays, clusters = masked_layers(code)
    >>> relays.polynomial, clusters[0].polynomial, clusters[0].rows.shape
    (True, True, (6, 1, 6))
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from gcli.decoding.grouped import GroupedLayer

if TYPE_CHECKING:
    from gcli.hierarchical.codes import HierarchicalCode

__all__ = ["composite_maps", "mask_maps", "masked_layers"]


def composite_maps(hcode: HierarchicalCode) -> tuple[np.ndarray, list[np.ndarray], list[list[np.ndarray]]]:
    """Every message as a matrix acting on the gradients' finest blocks.

    With L = lcm_i m_2^(i) and M = m_1·L, g_j is cut into M blocks of length ℓ/M; column j·M + b is block b of
    g_j. Block u of g_j (length ℓ/m_1) is blocks u·L..u·L+L−1, and block v of an m_2^(i)-way split of a
    length-ℓ/m_1 message is its blocks v·L/m_2..(v+1)·L/m_2 − 1. Returns (T, [F_i], [[W_iw]]): the target
    (M rows), relay i's message (L rows) and worker w's message (L/m_2^(i) rows), built from the definitions in
    :mod:`gcli.hierarchical.codes` entry by entry (not through the per-layer Code objects).
    """
    fld, real = hcode.field, hcode.is_real
    big_l = math.lcm(*hcode.m_2)
    m_1 = hcode.m_1
    big_m = m_1 * big_l
    cols = hcode.partitions * big_m
    dtype = np.float64 if real else np.int64

    def entries(values: Any) -> np.ndarray:
        return np.asarray(values, dtype=np.float64) if real else np.asarray(values.view(np.ndarray), dtype=np.int64)

    def wrap(array: np.ndarray) -> np.ndarray:
        return array if real else fld(array)

    parts = np.arange(hcode.partitions)
    target = np.zeros((big_m, cols), dtype=dtype)
    target[np.arange(big_m)[None, :], parts[:, None] * big_m + np.arange(big_m)[None, :]] = 1
    target = wrap(target)
    b1 = hcode.relay_encoding
    u_idx, e_idx = np.arange(m_1), np.arange(big_l)
    relays, workers = [], []
    for i in range(hcode.relays):
        # f[e, j·M + u·L + e] = B1[i, j·m_1 + u]
        f = np.zeros((big_l, cols), dtype=dtype)
        coeff = entries(b1[i]).reshape(hcode.partitions, m_1)
        f[e_idx[None, None, :], parts[:, None, None] * big_m + u_idx[None, :, None] * big_l + e_idx[None, None, :]] = (
            coeff[:, :, None])
        relays.append(wrap(f))
        m_2 = hcode.m_2[i]
        width = big_l // m_2
        avail = np.asarray(hcode.available[i], dtype=np.int64)
        n_i = hcode.cluster_sizes[i]
        b2 = hcode.cluster_encodings[i].reshape(n_i, len(avail), m_2)
        b1_i = b1[i].reshape(hcode.partitions, m_1)[avail]
        # msg_w[e, j·M + u·L + v·width + e] = B2[w, t·m_2 + v] · B1[i, j·m_1 + u], j = A_i[t] (distinct columns)
        prod = entries(b2[:, :, :, None] * b1_i[None, :, None, :])  # (N_i, |A_i|, m_2, m_1)
        msgs = np.zeros((n_i, width, cols), dtype=dtype)
        e_w = np.arange(width)
        col = (avail[:, None, None, None] * big_m + np.arange(m_2)[None, :, None, None] * width
               + u_idx[None, None, :, None] * big_l + e_w[None, None, None, :])  # (|A_i|, m_2, m_1, width)
        msgs[:, e_w[None, None, None, :], col] = prod[:, :, :, :, None]
        workers.append([wrap(msgs[w]) for w in range(n_i)])
    return target, relays, workers




def mask_maps(hcode: HierarchicalCode) -> tuple[list[np.ndarray], list[list[np.ndarray]]]:
    """The masks in the rows of :func:`composite_maps`: relay i's (L × Z) and worker w's of cluster i
    (L/m_2^(i) × Z); Z = 0 columns for a code without randomness."""
    fld, z, big_l = hcode.field, hcode.random_symbols, hcode.mask_blocks()
    relays, workers = [], []
    for i in range(hcode.relays):
        width = big_l // hcode.m_2[i]
        if z:
            relays.append(hcode.relay_masks[i * big_l:(i + 1) * big_l])  # type: ignore[index]
            workers.append([hcode.worker_masks[i][w * width:(w + 1) * width] for w in range(hcode.cluster_sizes[i])])
        else:
            relays.append(fld.Zeros((big_l, 0)))
            workers.append([fld.Zeros((width, 0)) for _ in range(hcode.cluster_sizes[i])])
    return relays, workers


def _layer(fld: Any, senders: list[np.ndarray], masks: list[np.ndarray], target: np.ndarray, target_mask: np.ndarray,
           stragglers: int, adversaries: int, points: np.ndarray, m: int) -> GroupedLayer:
    """[G | H] per sender and [T | M] as a :class:`GroupedLayer`, on the columns some row touches."""
    def raw(a: np.ndarray) -> np.ndarray:
        return np.asarray(a.view(np.ndarray), dtype=np.int64)

    rows = np.stack([np.concatenate([raw(g), raw(h)], axis=1) for g, h in zip(senders, masks, strict=True)])
    want = np.concatenate([raw(target), raw(target_mask)], axis=1)
    used = np.flatnonzero(rows.reshape(-1, rows.shape[2]).any(axis=0) | want.any(axis=0))
    return GroupedLayer(fld, fld(rows[:, :, used]), fld(want[:, used]), stragglers, adversaries, points, m)


def masked_layers(hcode: HierarchicalCode) -> tuple[GroupedLayer, tuple[GroupedLayer, ...]]:
    """(the server's layer, every cluster's layer) of a code with shared randomness (module docstring), built
    once per code object."""
    cached = hcode.__dict__.get("_masked_layers")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    fld = hcode.field
    target, relay_maps, worker_maps = composite_maps(hcode)
    relay_masks, worker_masks = mask_maps(hcode)
    zeros = fld.Zeros((target.shape[0], hcode.random_symbols))
    server = _layer(fld, relay_maps, relay_masks, target, zeros, hcode.s_r, hcode.a_r, hcode.relay_points,
                    hcode.m_1)
    clusters = tuple(
        _layer(fld, worker_maps[i], worker_masks[i], relay_maps[i], relay_masks[i], hcode.s_w[i], hcode.a_w[i],
               hcode.worker_points[i], hcode.m_2[i])
        for i in range(hcode.relays))
    out = (server, clusters)
    object.__setattr__(hcode, "_masked_layers", out)
    return out
