"""Figures for the command line's ``--plot FILE`` options (matplotlib, the optional extra ``plots``).

* :func:`plot_certificate` — ``gcli verify --plot``: the distribution of κ(B_F) over the surviving sets of a real
  code (the per-set values the certificate's one pass kept, :class:`gcli.StabilityReport`), and of the
  approximation error when the certificate's ``approximation`` block carries per-set errors (``error_samples``);
* :func:`plot_compare` — ``gcli compare --plot``: worst and median κ(B_F) per code, coloured by family;
* :func:`plot_tradeoff` — ``gcli bound tradeoff --plot``: the minimum load d against s for m = 1.., and the
  load/communication frontier (d against 1/m) at the given s, with the given point marked;
* :func:`plot_simulation` — ``gcli simulate --plot`` and ``gcli run --plot``: loss and gradient error against
  simulated (or wall) time for the code and the uncoded baselines.

The file type follows the suffix (``.png`` or ``.svg``). matplotlib is imported inside these functions only
(never at start-up); without it they raise :class:`gcli.InputError` with the install line. Figures are
deterministic: the same input gives byte-identical files (no dates in the metadata, fixed SVG ids).

Example:
    >>> from gcli.bounds import min_computation_load
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "tradeoff.svg")
    >>> plot_tradeoff(min_computation_load(10, 2, m=2), path)
    >>> os.path.getsize(path) > 0
    True
"""

from __future__ import annotations

import importlib.util
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from gcli.errors import ImpossibleParameters, InputError, NotSupported

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from gcli.advice.advisor import Advice
    from gcli.bounds.tradeoff import TradeoffBound
    from gcli.certification.certificate import Certificate
    from gcli.training.simulation import SimulationResult

__all__ = ["check_plot_path", "plot_advice", "plot_certificate", "plot_compare", "plot_simulation", "plot_tradeoff"]

SUFFIXES = (".png", ".svg")
_INSTALL = "plots need matplotlib: pip install 'gradcode[plots]'"


def check_plot_path(path: str | os.PathLike[str]) -> None:
    """Fail early (InputError) when the plot cannot be written: wrong suffix, missing folder, no matplotlib.

    Does not import matplotlib, so commands can check before their computation starts."""
    target = Path(path)
    if target.suffix.lower() not in SUFFIXES:
        raise NotSupported(f"--plot {path}: the file name must end in .png or .svg")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"cannot write {target}: folder {folder} does not exist")
    if importlib.util.find_spec("matplotlib") is None:
        raise NotSupported(_INSTALL)


def _figure(rows: int = 1, cols: int = 1, width: float = 6.4, height: float = 4.0) -> tuple[Figure, Any]:
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise NotSupported(_INSTALL) from None
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False)
    return fig, axes


def _save(fig: Figure, path: str | os.PathLike[str]) -> None:
    import matplotlib

    from gcli.io.writing import write_atomic

    check_plot_path(path)
    suffix = Path(path).suffix.lower()
    import io

    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "gcli", "svg.fonttype": "path"}):
        if suffix == ".svg":
            fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "gcli"})
        else:
            fig.savefig(buffer, format="png", dpi=120, metadata={"Software": "gcli"})
    write_atomic(path, buffer.getvalue())


# ---------------------------------------------------------------------------------------------------------
# verify
# ---------------------------------------------------------------------------------------------------------
def _approximation_samples(certificate: Certificate) -> np.ndarray | None:
    block = certificate.approximation
    if not isinstance(block, dict):
        return None
    values = block.get("error_samples")
    if values is None:
        return None
    array = np.asarray(values, dtype=np.float64).reshape(-1)
    return array[np.isfinite(array)] if array.size else None


def plot_certificate(certificate: Certificate, path: str | os.PathLike[str]) -> None:
    """Histogram of log₁₀ κ(B_F) over the surviving sets (real codes; worst and median marked), and of the
    approximation error when the certificate carries per-set errors; InputError when there is neither (codes
    over GF(q) decode exactly: they have no condition numbers)."""
    stability = certificate.stability
    conds = None if stability is None else stability.condition_samples
    if conds is not None:
        conds = np.asarray(conds, dtype=np.float64)
        conds = conds[np.isfinite(conds)]
    errors = _approximation_samples(certificate)
    panels = [p for p in (("kappa", conds), ("error", errors)) if p[1] is not None and p[1].size]
    if not panels:
        raise NotSupported(
            f"nothing to plot: codes over {certificate.field} decode exactly (no condition numbers)"
            if certificate.field != "real" else "nothing to plot: the certificate kept no per-set values"
        )
    fig, axes = _figure(1, len(panels), width=5.2 * len(panels), height=3.8)
    what = "all" if certificate.exhaustive else "a sample of"
    for ax, (kind, values) in zip(axes[0], panels, strict=True):
        if kind == "kappa":
            assert stability is not None
            logs = np.log10(np.maximum(values, 1.0))
            ax.hist(logs, bins=min(60, max(10, int(np.sqrt(logs.size)))), color="tab:blue")
            ax.axvline(math.log10(max(stability.median_condition_number, 1.0)), color="k", ls="--",
                       label=f"median {stability.median_condition_number:.3g}")
            ax.axvline(math.log10(max(stability.worst_condition_number, 1.0)), color="tab:red",
                       label=f"worst {stability.worst_condition_number:.3g}")
            ax.set_xlabel("log10 condition number of B_F")
            ax.set_ylabel("surviving sets")
            ax.set_title(f"{values.size} of {certificate.patterns_total} sets ({what} checked)", fontsize=9)
        else:
            ax.hist(values, bins=min(60, max(10, int(np.sqrt(values.size)))), color="tab:orange")
            decoder = (certificate.approximation or {}).get("decoder", "")
            ax.axvline(float(values.max()), color="tab:red", label=f"worst {values.max():.4g}")
            ax.set_xlabel(f"approximation error |X B_F - T|^2 ({decoder} decoder)".replace(" ()", ""))
            ax.set_ylabel("surviving sets")
            ax.set_title(f"{values.size} surviving sets", fontsize=9)
        ax.legend(fontsize=8)
    fig.suptitle(f"{certificate.scheme} over {certificate.field}: n={certificate.n}, s={certificate.stragglers}, "
                 f"a={certificate.adversaries}, m={certificate.m}", fontsize=10)
    _save(fig, path)


# ---------------------------------------------------------------------------------------------------------
# compare
# ---------------------------------------------------------------------------------------------------------
def plot_compare(rows: Sequence[dict[str, Any]], path: str | os.PathLike[str]) -> None:
    """Worst (bar) and median (marker) κ(B_F) of each real code of :func:`gcli.certification.stability.compare_rows`,
    one
    colour per family; codes over GF(q) are listed as exact."""
    import matplotlib as mpl

    real = [r for r in rows if r.get("worst_condition_number") is not None]
    exact = [r for r in rows if r.get("worst_condition_number") is None]
    if not real:
        raise NotSupported("nothing to plot: every code is over a finite field (exact decoding, no condition numbers)")
    schemes = list(dict.fromkeys(r["scheme"] for r in real))
    palette = mpl.colormaps["tab10"]
    colours = {name: palette(i % 10) for i, name in enumerate(schemes)}
    fig, axes = _figure(1, 1, width=7.0, height=1.2 + 0.42 * len(real))
    ax = axes[0][0]
    y = np.arange(len(real))[::-1]
    worst = np.asarray([max(float(r["worst_condition_number"]), 1.0) for r in real])
    median = np.asarray([max(float(r["median_condition_number"]), 1.0) for r in real])
    ax.barh(y, worst, color=[colours[r["scheme"]] for r in real], alpha=0.75)
    ax.plot(median, y, "k|", markersize=14, label="median")
    ax.set_xscale("log")
    ax.set_yticks(y, [f"{Path(str(r['file'])).name} (n={r['n']}, s={r['s']}, m={r['m']})" for r in real],
                  fontsize=8)
    ax.set_xlabel("condition number of B_F over the surviving sets: worst (bar), median (|)")
    handles = [mpl.patches.Patch(color=colours[name], label=name) for name in schemes]
    ax.legend(handles=[*handles, *ax.get_legend_handles_labels()[0]], fontsize=8, loc="lower right")
    if exact:
        ax.set_title("exact (finite field): " + ", ".join(Path(str(r["file"])).name for r in exact), fontsize=8)
    _save(fig, path)


# ---------------------------------------------------------------------------------------------------------
# bound tradeoff
# ---------------------------------------------------------------------------------------------------------
def _at_most(values: range, count: int = 400) -> list[int]:
    """At most about ``count`` evenly spaced values of a range, its ends included (so a plot of a huge n costs
    no more than one of n = 400)."""
    start, stop = values.start, values.stop  # step 1; len() would overflow for n beyond 2^63
    if stop - start <= count:
        return list(values)
    step = -(-(stop - start) // count)
    picked = list(range(start, stop, step))
    return picked if picked[-1] == stop - 1 else [*picked, stop - 1]


def plot_tradeoff(bound: TradeoffBound, path: str | os.PathLike[str]) -> None:
    """Left: the minimum load d = ⌈k(s + 2a + m)/n⌉ against s for several m (the given m included), the given
    (s, d) marked. Right: at the given s and a, the frontier of load d against communication 1/m for every
    feasible m, the given m marked (Ye–Abbe: less communication costs load)."""
    from gcli.bounds.tradeoff import min_computation_load

    n, k, s, m, a = bound.n, bound.k, bound.s, bound.m, bound.a
    fig, axes = _figure(1, 2, width=10.0, height=4.0)
    left, right = axes[0]
    ms = sorted(x for x in {1, 2, 4, m} if 1 <= x <= n - 2 * a)
    for mm in ms:
        xs = _at_most(range(0, n - 2 * a - mm + 1))
        ds = [min_computation_load(n, x, k=k, m=mm, a=a).min_load for x in xs]
        left.plot(xs, ds, marker="o", markersize=3, label=f"m = {mm}", lw=2.2 if mm == m else 1.2)
    left.plot([s], [bound.min_load], "r*", markersize=14, label=f"s = {s}, m = {m}: d ≥ {bound.min_load}")
    left.set_xlabel(f"stragglers s  (n = {n}, k = {k}, a = {a})")
    left.set_ylabel("minimum load d (partitions per worker)")
    left.set_title("d ≥ ⌈k(s + 2a + m)/n⌉", fontsize=9)
    left.legend(fontsize=8)
    mmax = n - s - 2 * a
    frontier = [(mm, min_computation_load(n, s, k=k, m=mm, a=a).min_load) for mm in _at_most(range(1, mmax + 1))]
    right.plot([1 / mm for mm, _ in frontier], [d for _, d in frontier], "o-", color="tab:green",
               label=f"s = {s}, a = {a}")
    right.plot([1 / m], [bound.min_load], "r*", markersize=14, label=f"m = {m}: d ≥ {bound.min_load}")
    for mm, d in frontier[:8]:
        right.annotate(f"m={mm}", (1 / mm, d), textcoords="offset points", xytext=(4, 4), fontsize=7)
    right.set_xlabel("communication per worker (fraction of a gradient, 1/m)")
    right.set_ylabel("minimum load d")
    right.set_title("load against communication (Ye and Abbe)", fontsize=9)
    right.legend(fontsize=8)
    _save(fig, path)


# ---------------------------------------------------------------------------------------------------------
# advise
# ---------------------------------------------------------------------------------------------------------
def plot_advice(advice: Advice, path: str | os.PathLike[str]) -> None:
    """The listed codes of ``gcli advise``: load d/k against expected time per iteration (or against the
    error when no time was simulated), exact codes as circles and approximate ones as triangles, sized by
    the message fraction 1/m; the Pareto front is drawn in colour and joined, the chosen code starred."""
    fig, axes = _figure(1, 1, width=7.0, height=4.5)
    ax = axes[0][0]
    timed = advice.has_time

    def y(row: Any) -> float:
        return float(row.time) if timed else float(row.error)

    for exact, marker in ((True, "o"), (False, "^")):
        for front, colour in ((False, "0.7"), (True, "tab:blue")):
            rows = [r for r in advice.rows if r.exact == exact and r.pareto == front]
            if rows:
                ax.scatter([r.load_fraction for r in rows], [y(r) for r in rows], marker=marker, c=colour,
                           s=[30 + 90 * r.message_fraction for r in rows],
                           label=f"{'exact' if exact else 'approximate'}{', Pareto front' if front else ''}")
    front = sorted(advice.front, key=lambda r: (r.load_fraction, y(r)))
    ax.plot([r.load_fraction for r in front], [y(r) for r in front], "-", color="tab:blue", lw=0.8)
    chosen = advice.chosen
    ax.plot([chosen.load_fraction], [y(chosen)], "r*", markersize=14,
            label=f"chosen: {chosen.command.removeprefix('gcli design ')}")
    ax.set_xlabel("computation load d/k (fraction of the data per worker)")
    ax.set_ylabel(f"expected time per iteration ({advice.request.delay})" if timed else "error")
    if not timed:
        ax.set_yscale("symlog", linthresh=1e-16)
    ax.set_title(f"gcli advise: n = {advice.request.n}, ranked by {advice.request.objective} "
                 "(marker size: message 1/m)", fontsize=9)
    ax.legend(fontsize=7)
    _save(fig, path)


# ---------------------------------------------------------------------------------------------------------
# simulate
# ---------------------------------------------------------------------------------------------------------
_STYLES = {"coded": ("tab:blue", "-"), "wait_for_all": ("k", "--"), "ignore_stragglers": ("tab:orange", ":")}


def plot_simulation(result: SimulationResult | Sequence[SimulationResult], path: str | os.PathLike[str], *,
                    time_label: str = "simulated time") -> None:
    """Loss (left) and relative gradient error (right, log scale, exact rounds at 1e-16) against cumulative
    simulated time, for the code and each baseline; several results (e.g. seeds) are drawn as thin lines.
    ``gcli run`` draws its :class:`gcli.training.runtime.RunResult` here too, with ``time_label="wall time (s)"``."""
    results = [result] if not isinstance(result, Sequence) else list(result)
    if not results:
        raise ImpossibleParameters("nothing to plot: no simulation results")
    fig, axes = _figure(1, 2, width=10.0, height=4.0)
    loss_ax, err_ax = axes[0]
    alpha = 1.0 if len(results) == 1 else max(0.25, 1.0 / len(results) ** 0.5)
    for i, res in enumerate(results):
        traces = {"coded": res.coded, **res.baselines}
        for name, trace in traces.items():
            colour, style = _STYLES.get(name, ("tab:gray", "-."))
            label = trace.label if i == 0 else None
            t = np.asarray(trace.time, dtype=np.float64)
            loss_ax.plot(t, trace.loss, color=colour, ls=style, alpha=alpha, label=label)
            err = np.maximum(np.asarray(trace.gradient_error, dtype=np.float64), 1e-16)
            err_ax.plot(t, err, color=colour, ls=style, alpha=alpha, label=label)
    p = results[0].parameters
    code = p["code"]
    loss_ax.set_xlabel(time_label)
    loss_ax.set_ylabel(f"{p['model']} loss")
    loss_ax.legend(fontsize=8)
    err_ax.set_yscale("log")
    err_ax.set_xlabel(time_label)
    err_ax.set_ylabel("relative gradient error (exact at 1e-16)")
    seeds = "" if len(results) == 1 else f", {len(results)} seeds"
    fig.suptitle(
        f"{code['scheme']} over {code['field']} (n={code['n']}, s={code['s']}, m={code['m']}, d={code['d']}), "
        f"{code['decoder']} decoder; {p['dataset']['name']}; stragglers {p['straggler_model']}{seeds}",
        fontsize=9,
    )
    _save(fig, path)
