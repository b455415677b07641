"""Training data for the coded gradient descent simulator: bundled data sets only, nothing is downloaded.

* ``digits`` — scikit-learn's bundled 8 × 8 handwritten digits (1,797 samples, 64 features, 10 classes);
* ``breast-cancer`` — scikit-learn's bundled Wisconsin diagnostic breast cancer data (569 samples, 30 features,
  2 classes);
* ``synthetic`` — a seeded Gaussian design X (``samples`` × ``features``, i.i.d. N(0, 1)) with a planted
  parameter vector w* ~ N(0, I): labels Bernoulli(σ(X w*)) for the logistic model, targets X w* + 0.1·N(0, 1)
  for the linear model. Needs nothing beyond numpy.

The two real data sets ship inside the scikit-learn wheel (``sklearn/datasets/data``, read from there
without importing scikit-learn), which is the optional extra ``datasets`` (``pip install 'gradcode[datasets]'``);
without it they raise :class:`gcli.InputError` with the install line.

Features are standardised (mean 0, variance 1 per column; constant columns stay 0) and a column of ones is
appended for the intercept, so every model's parameter vector has ``features + 1`` rows.

Example:
    >>> data = load_dataset("synthetic", model="linear", seed=3, samples=100, features=4)
    >>> data.features.shape, data.targets.shape, data.task
    ((100, 5), (100, 1), 'regression')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from gcli.errors import ImpossibleParameters, NotSupported

__all__ = ["DATASETS", "Dataset", "load_dataset"]

DATASETS = ("digits", "breast-cancer", "synthetic")
"""Names accepted by :func:`load_dataset` (and ``gcli simulate --dataset``)."""

Task = Literal["binary", "multiclass", "regression"]


@dataclass(frozen=True)
class Dataset:
    """Standardised features with an intercept column (N × (f + 1)) and targets (N × c).

    ``task`` is ``binary`` (targets 0/1, one column), ``multiclass`` (one-hot, one column per class) or
    ``regression`` (real targets; one column, or one per class when a classification set is regressed on its
    one-hot labels)."""

    name: str
    features: np.ndarray
    targets: np.ndarray
    task: Task
    description: str

    @property
    def samples(self) -> int:
        """N."""
        return int(self.features.shape[0])


def _standardise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    std[std == 0] = 1.0
    return np.hstack([(x - mean) / std, np.ones((x.shape[0], 1))])


_FILES = {"digits": ("digits.csv.gz", (1797, 65), 0), "breast-cancer": ("breast_cancer.csv", (569, 31), 1)}
"""The data files inside scikit-learn's wheel: name, shape (features + label column), header lines."""


def _sklearn(name: str) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of a data set bundled with scikit-learn.

    The CSV file is read straight from the installed package (importing scikit-learn takes about a second);
    when its layout is not the expected one, scikit-learn's own loader is used. Nothing is downloaded."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        raise NotSupported(f"the {name} data set ships with scikit-learn: pip install 'gradcode[datasets]'")
    filename, shape, header = _FILES[name]
    path = Path(next(iter(spec.submodule_search_locations))) / "datasets" / "data" / filename
    try:
        table = np.loadtxt(path, delimiter=",", skiprows=header, dtype=np.float64)
        if table.shape == shape:
            return table[:, :-1], table[:, -1].astype(np.int64)
    except (OSError, ValueError):
        pass
    from sklearn import datasets as sk  # a scikit-learn release with another file layout

    bunch = sk.load_digits() if name == "digits" else sk.load_breast_cancer()
    return np.asarray(bunch.data, dtype=np.float64), np.asarray(bunch.target, dtype=np.int64)


def load_dataset(
    name: str, *, model: str = "logistic", seed: int = 0, samples: int = 512, features: int = 16
) -> Dataset:
    """The named data set, ready for ``model`` (``logistic`` or ``linear``); module docstring for the sets.

    Args:
        name: ``digits``, ``breast-cancer`` or ``synthetic``.
        model: ``logistic`` (classification targets) or ``linear`` (real targets; a classification set's labels
            become one-hot rows regressed by least squares).
        seed: seeds the synthetic data (the real sets are fixed).
        samples, features: size of the synthetic set.
    """
    if model not in ("logistic", "linear"):
        raise NotSupported(f"unknown model {model!r}: use logistic or linear")
    if name not in DATASETS:
        raise NotSupported(f"unknown data set {name!r}: use {', '.join(DATASETS)}")
    if name == "synthetic":
        if samples < 2 or features < 1:
            raise ImpossibleParameters(f"a synthetic data set needs at least 2 samples and 1 feature (got {samples}, "
                                       f"{features})")
        rng = np.random.default_rng(np.random.SeedSequence([seed, 0x5EED]))
        x = rng.standard_normal((samples, features))
        w = rng.standard_normal(features)
        score = x @ w / np.sqrt(features)
        xs = _standardise(x)
        if model == "logistic":
            labels = (rng.random(samples) < 1.0 / (1.0 + np.exp(-3.0 * score))).astype(np.float64)
            return Dataset(name, xs, labels[:, None], "binary",
                           f"synthetic logistic data ({samples} samples, {features} features, seed {seed})")
        target = score + 0.1 * rng.standard_normal(samples)
        return Dataset(name, xs, target[:, None], "regression",
                       f"synthetic linear data ({samples} samples, {features} features, seed {seed})")
    x, y = _sklearn(name)
    xs = _standardise(x)
    classes = int(y.max()) + 1
    desc = f"{name} ({x.shape[0]} samples, {x.shape[1]} features, {classes} classes)"
    if classes == 2:
        targets = y.astype(np.float64)[:, None]
        return Dataset(name, xs, targets, "binary" if model == "logistic" else "regression", desc)
    onehot = np.eye(classes)[y]
    return Dataset(name, xs, onehot, "multiclass" if model == "logistic" else "regression", desc)
