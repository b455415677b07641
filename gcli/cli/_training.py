"""Options shared by the two training commands, ``gcli simulate`` and ``gcli run``: the data, the model, the
number of steps and the step size, and the help of ``--straggler-model``. Declared once so that both commands
take and explain them the same way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from gcli.cli._types import FiniteFloat, LimitedInt

__all__ = ["DATASETS", "MODELS", "STRAGGLER_MODEL_HELP", "training_options"]

DATASETS = ("digits", "breast-cancer", "synthetic")
MODELS = ("logistic", "linear")

F = TypeVar("F", bound=Callable[..., Any])

STRAGGLER_MODEL_HELP = (
    "stragglers drawn every iteration: none, fixed:S[,FACTOR] (S random workers FACTOR times slower, default "
    "5), bernoulli:P[,FACTOR] (each worker FACTOR times slower with probability P) or shifted-exp:SHIFT,RATE "
    "(every worker's slowdown SHIFT + Exp(RATE))"
)
"""The help of ``--straggler-model``: one vocabulary in both commands
(:meth:`gcli.training.simulation.StragglerModel.parse`)."""


def training_options(iterations: int) -> Callable[[F], F]:
    """``--dataset``, ``--model``, ``-T/--iterations`` (default ``iterations``), ``--lr`` and ``--l2``."""
    options = (
        click.option("--dataset", type=click.Choice(DATASETS), default="synthetic", show_default=True,
                     help="training data: scikit-learn's bundled digits or breast-cancer sets (extra "
                          "'datasets'), or seeded synthetic data"),
        click.option("--model", type=click.Choice(MODELS), default="logistic", show_default=True,
                     help="logistic (softmax for more than two classes) or linear (least squares) regression"),
        click.option("--iterations", "-T", type=LimitedInt("max_iterations", min=1), default=iterations,
                     show_default=True, help="gradient steps"),
        click.option("--lr", "learning_rate", type=FiniteFloat(min=0, min_open=True),
                     help="step size  [default: 1/L, L the smoothness bound of the loss]"),
        click.option("--l2", type=FiniteFloat(min=0), default=1e-4, show_default=True, help="L2 regularisation"),
    )

    def decorate(command: F) -> F:
        for option in reversed(options):
            command = option(command)
        return command

    return decorate
