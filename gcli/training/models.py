"""Smooth empirical risks for the coded gradient descent simulator: least squares and logistic regression.

For data (x_i, y_i), i = 1..N (x_i with an intercept entry, :mod:`gcli.training.datasets`) and parameters W of shape
(f + 1) × c, the risk is

    L(W) = (1/N) Σ_i ℓ(W; x_i, y_i) + (λ/2)‖W‖_F²,

with ℓ = ½‖Wᵀx − y‖² (``linear``), log(1 + e^z) − y·z with z = Wᵀx (``logistic``, two classes, c = 1) or
logsumexp(z) − yᵀz (``logistic``, c > 2 classes, softmax). The gradient is a sum over data partitions,
∇L = Σ_j g_j + λW with g_j = (1/N) Σ_{i ∈ D_j} ∇ℓ(W; x_i, y_i): the g_j are what gradient codes encode; the
regulariser λW is added by the server, which knows W.

Smoothness (the default step is 1/L): with σ = λ_max(XᵀX/N), L ≤ σ + λ for least squares, σ/4 + λ for binary
logistic regression and σ/2 + λ for softmax regression (Böhning's bound on the softmax Hessian).

Example:
    >>> import numpy as np
    >>> from gcli.training.datasets import load_dataset
    >>> model = Model("logistic", load_dataset("synthetic", seed=1, samples=60, features=3), l2=0.0)
    >>> w = np.zeros(model.parameters)
    >>> parts = model.partial_gradients(w, [slice(0, 30), slice(30, 60)])
    >>> bool(np.allclose(parts.sum(axis=0), model.gradient(w)))
    True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from gcli.errors import ImpossibleParameters, NotSupported
from gcli.training.datasets import Dataset

__all__ = ["MODELS", "Model"]

MODELS = ("logistic", "linear")
"""Names accepted by :class:`Model` (and ``gcli simulate --model``)."""


class Model:
    """The empirical risk of a model on a data set (module docstring); parameters are flat vectors of length
    ``parameters`` = (f + 1)·c, the gradient length ℓ the codes carry."""

    def __init__(self, kind: str, data: Dataset, l2: float = 0.0) -> None:
        if kind not in MODELS:
            raise NotSupported(f"unknown model {kind!r}: use {' or '.join(MODELS)}")
        if not l2 >= 0:
            raise ImpossibleParameters(f"the L2 weight must be ≥ 0 (got {l2})")
        if kind == "logistic" and data.task == "regression":
            raise ImpossibleParameters(f"the logistic model needs class labels; {data.name} has real targets")
        self.kind = kind
        self.data = data
        self.l2 = float(l2)
        self.x = data.features
        self.y = data.targets
        self.outputs = self.y.shape[1]
        self.shape = (self.x.shape[1], self.outputs)
        self.parameters = self.shape[0] * self.shape[1]
        self.samples = self.x.shape[0]

    # -- residuals: d ℓ / d z for every sample --------------------------------------------------------------
    def _residuals(self, w: np.ndarray, rows: slice | np.ndarray = slice(None)) -> np.ndarray:
        z = self.x[rows] @ w.reshape(self.shape)
        y = self.y[rows]
        if self.kind == "linear":
            return z - y
        if self.outputs == 1:
            return 1.0 / (1.0 + np.exp(-z)) - y
        z = z - z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        return p - y

    def loss(self, w: np.ndarray) -> float:
        """L(W) including the regulariser."""
        z = self.x @ w.reshape(self.shape)
        y = self.y
        if self.kind == "linear":
            data = 0.5 * float(np.mean(np.sum((z - y) ** 2, axis=1)))
        elif self.outputs == 1:
            data = float(np.mean(np.logaddexp(0.0, z[:, 0]) - y[:, 0] * z[:, 0]))
        else:
            top = z.max(axis=1, keepdims=True)
            lse = top[:, 0] + np.log(np.sum(np.exp(z - top), axis=1))
            data = float(np.mean(lse - np.sum(y * z, axis=1)))
        return data + 0.5 * self.l2 * float(w @ w)

    def partial_gradients(self, w: np.ndarray, parts: Sequence[slice], total: int | None = None) -> np.ndarray:
        """The data terms g_j = (1/N) Σ_{i ∈ D_j} ∇ℓ_i(W), one row per partition (shape (len(parts), ℓ)).

        ``total`` overrides N, the number of samples the mean is taken over: a worker of ``gcli run`` holds only
        its partitions' rows but divides by the size of the whole data set."""
        r = self._residuals(w)
        out = np.empty((len(parts), self.parameters))
        for j, rows in enumerate(parts):
            out[j] = (self.x[rows].T @ r[rows]).reshape(-1)
        return out / (self.samples if total is None else total)

    def gradient(self, w: np.ndarray) -> np.ndarray:
        """∇L(W) (flat), computed directly on all the data."""
        r = self._residuals(w)
        return (self.x.T @ r).reshape(-1) / self.samples + self.l2 * w

    def smoothness(self) -> float:
        """An upper bound L on the Lipschitz constant of ∇L (module docstring)."""
        sigma = float(np.linalg.eigvalsh(self.x.T @ self.x / self.samples)[-1])
        factor = 1.0 if self.kind == "linear" else (0.25 if self.outputs == 1 else 0.5)
        return factor * sigma + self.l2

    def gradient_bound(self, parts: Sequence[slice]) -> float | None:
        """For logistic models, a bound C ≥ |g_j[t]| for every partition, entry and W: |dℓ/dz| ≤ 1, so
        |g_j[f, c]| ≤ (1/N) Σ_{i ∈ D_j} |x_if|. None for least squares (its gradient is unbounded)."""
        if self.kind != "logistic":
            return None
        absx = np.abs(self.x)
        return max(float(absx[rows].sum(axis=0).max()) for rows in parts) / self.samples
