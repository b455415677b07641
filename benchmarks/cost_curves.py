"""Cost curves: surviving sets checked per second and peak memory of ``gcli verify``, per engine, against n and s.

Not a test (run it by hand)::

    python benchmarks/cost_curves.py                 # the full grid (a few minutes on a loaded 2-core machine)
    python benchmarks/cost_curves.py --quick         # one or two points per engine
    python benchmarks/cost_curves.py --dry-run       # list the grid, run nothing

For every point of a fixed grid it builds the code with ``gcli design`` (seeded; not timed) and then runs the
whole process ``gcli verify FILE --json --quiet --force --jobs 1 --seed 0`` (``--decoder optimal`` for the
approximation engine), measuring

* ``sets``: ``patterns_checked`` of the certificate (for hierarchical codes the layer checks; the combined
  patterns they cover are recorded as ``product_patterns``);
* ``seconds``: the certificate's own ``seconds`` (the check inside the process, no start-up), and the sets per
  second ``sets / seconds`` that the plot shows;
* ``wall``, ``cpu`` (user + system) of the whole process, and its peak resident set size ``rss_mb``
  (``os.wait4``'s ``ru_maxrss``).

Engines (one line per engine and s in the plot):

* ``gf``: the GF(q) quotient walk, Reed–Solomon codes over GF(65537);
* ``real``: exact real codes (cyclic repetition codes and Fourier ``mds`` codes, n < 100 so that the normal
  engine runs);
* ``approximation``: random 4-regular graph codes, ``--decoder optimal`` (every approximation figure);
* ``hierarchical``: ``gcli design hierarchical`` over GF(65537), K relays of K workers, s straggling relays and
  s straggling workers per cluster;
* ``orbit``: the removed-side / orbit path (real crc with n ≥ 100, s = 2); skipped with a message when the
  installed gcli has no ``gcli.certification.removed``.

Each point has a timeout (``--timeout``, default 120 s): a point that exceeds it, or fails, is recorded with a
note and skipped in the plot. ``--repeat R`` keeps the median of R runs per point. Results go to
``docs/assets/cost_curves.json`` and the plot to ``docs/assets/cost_curves.png`` (``--out-json``, ``--out-png``;
``--no-plot`` to skip matplotlib; ``--replot`` redraws the PNG from the JSON without measuring).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GF = "GF(65537)"


@dataclass(frozen=True)
class Point:
    """One point of the grid: the engine, the line it belongs to, n, s and the two commands (without ``gcli``)."""

    engine: str
    line: str
    n: int
    s: int
    design: tuple[str, ...]
    verify: tuple[str, ...] = ()
    library: bool = False  # measure ``gcli.verify`` in a fresh Python process instead of the ``gcli verify`` CLI


def _rs(n: int, s: int) -> Point:
    return Point("gf", f"GF(q) Reed–Solomon, s = {s}", n, s,
                 ("design", "reed-solomon", "-n", str(n), "-s", str(s), "--field", GF))


def _crc(n: int, s: int, engine: str = "real") -> Point:
    label = "real crc" if engine == "real" else "orbit / removed side (library verify), real crc"
    return Point(engine, f"{label}, s = {s}", n, s,
                 ("design", "crc", "-n", str(n), "-s", str(s), "--seed", "0"), library=engine == "orbit")


def _mds(n: int, s: int) -> Point:
    # d = s + m with m = 2: the Fourier mds code, cyclic placement (any n)
    return Point("real", f"real mds (m = 2), s = {s}", n, s,
                 ("design", "mds", "-n", str(n), "-d", str(s + 2), "-m", "2", "--seed", "0"))


def _graph(n: int, s: int) -> Point:
    return Point("approximation", f"approx. graph code (degree 4, optimal decoder), s = {s}", n, s,
                 ("design", "graph", "--family", "random-regular", "-n", str(n), "--degree", "4", "-s", str(s),
                  "--seed", "0"),
                 ("-s", str(s), "--decoder", "optimal"))


def _hier(k: int, s: int) -> Point:
    return Point("hierarchical", f"hierarchical K × K over GF(q), s_r = s_w = {s}", k * k, s,
                 ("design", "hierarchical", "--relays", str(k), "--cluster-sizes", str(k), "--sr", str(s),
                  "--sw", str(s), "-k", str(k), "--field", GF))


def grid(quick: bool) -> list[Point]:
    """The fixed grid (deterministic: every design is seeded)."""
    if quick:
        return [_rs(16, 4), _crc(24, 2), _graph(12, 2), _hier(4, 1), _crc(100, 2, "orbit")]
    return [
        *(_rs(n, 4) for n in (12, 16, 24, 32, 48)),
        *(_rs(n, 8) for n in (16, 20, 24)),
        _rs(28, 10),
        *(_crc(n, 2) for n in (16, 32, 64, 96)),
        *(_mds(n, 4) for n in (12, 16, 20, 24, 30)),
        *(_graph(n, 2) for n in (12, 16, 24, 32)),
        *(_graph(n, 4) for n in (12, 16, 24, 32)),
        *(_hier(k, 1) for k in (4, 8, 16, 24)),
        *(_hier(k, 2) for k in (6, 10, 16)),
        *(_crc(n, 2, "orbit") for n in (100, 150, 200, 300, 500)),
    ]


# The removed-side / orbit path is taken by the library call gcli.verify (not yet by the gcli verify command):
# measured as a whole Python process that loads the file, verifies it and prints the certificate's figures.
LIBRARY_VERIFY = """
import json, sys
import gcli
report = gcli.verify(gcli.load_code(sys.argv[1]), force=True)
print(json.dumps({"patterns_checked": report.patterns_checked, "seconds": report.seconds,
                  "certified": bool(report.decodable), "path": getattr(report, "path", None),
                  "group_order": getattr(report, "group_order", None), "orbits": getattr(report, "orbits", None)}))
"""


def orbit_engine_present(python: str) -> bool:
    """Whether the gcli installed for ``python`` has the removed-side / orbit path (issue 21 item 4)."""
    probe = subprocess.run([python, "-c", "import gcli.certification.removed"], capture_output=True, timeout=60)
    return probe.returncode == 0


def run_measured(argv: list[str], timeout: float) -> tuple[int | None, str, float, float, float]:
    """Run ``argv``; return (exit status or None on timeout, stdout, wall s, CPU s, peak RSS MB) of that child."""
    begin = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
    timed_out = threading.Event()

    def _kill() -> None:
        timed_out.set()
        os.killpg(proc.pid, signal.SIGKILL)

    timer = threading.Timer(timeout, _kill)
    timer.start()
    assert proc.stdout is not None
    out = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - begin
    cpu = usage.ru_utime + usage.ru_stime
    rss_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    return (None if timed_out.is_set() else proc.returncode), out, wall, cpu, rss_mb


def measure(point: Point, gcli: str, python: str, workdir: Path, timeout: float, repeat: int) -> dict[str, Any]:
    """Design the point's code, then time ``gcli verify`` on it ``repeat`` times (medians)."""
    verify_flags = ("--json", "--quiet", "--force", "--jobs", "1", "--seed", "0", *point.verify)
    row: dict[str, Any] = {"engine": point.engine, "line": point.line, "n": point.n, "s": point.s,
                           "design": "gcli " + " ".join(point.design),
                           "verify": "gcli verify FILE " + " ".join(verify_flags)}
    if point.library:
        row["verify"] = "python -c 'gcli.verify(gcli.load_code(FILE), force=True)'"
    path = workdir / f"{point.engine}-{point.n}-{point.s}.json"
    try:
        # the design is not measured: one BLAS thread keeps its sampled self-check quick on a loaded machine
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
        built = subprocess.run([gcli, *point.design, "-o", str(path)], capture_output=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        row["note"] = f"design timed out after {timeout:g} s"
        return row
    if built.returncode != 0:
        row["note"] = "design failed: " + built.stderr.decode().strip().splitlines()[-1][:200]
        return row
    runs = []
    for _ in range(repeat):
        argv = ([python, "-c", LIBRARY_VERIFY, str(path)] if point.library
                else [gcli, "verify", str(path), *verify_flags])
        rc, out, wall, cpu, rss = run_measured(argv, timeout)
        if rc is None:
            row["note"] = f"verify timed out after {timeout:g} s"
            return row
        try:
            cert = json.loads(out)
        except json.JSONDecodeError:
            row["note"] = f"verify exit {rc}, no JSON"
            return row
        runs.append((cert, wall, cpu, rss))
    cert = runs[0][0]
    seconds = statistics.median(r[0]["seconds"] for r in runs)
    sets = int(cert["patterns_checked"])
    row.update(
        sets=sets, seconds=seconds, sets_per_s=sets / seconds if seconds > 0 else None,
        wall=statistics.median(r[1] for r in runs), cpu=statistics.median(r[2] for r in runs),
        rss_mb=statistics.median(r[3] for r in runs), certified=cert.get("certified"),
    )
    for key in ("path", "group_order", "orbits"):
        if cert.get(key):
            row[key] = cert[key]
    if cert.get("hierarchy"):
        row["product_patterns"] = cert["hierarchy"].get("product_patterns")
    return row


def plot(rows: list[dict[str, Any]], target: Path, machine: str) -> None:
    """Two panels against the number of sets (log-log): sets/s of the check, and peak RSS of the process."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    colors = {"gf": "tab:blue", "real": "tab:orange", "approximation": "tab:green", "hierarchical": "tab:red",
              "orbit": "tab:purple"}
    markers = ["o", "s", "^", "D", "v"]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 6.5))
    lines: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row.get("sets_per_s"):
            lines.setdefault(row["line"], []).append(row)
    per_engine: dict[str, int] = {}
    for label, pts in lines.items():
        pts.sort(key=lambda r: r["sets"])
        engine = pts[0]["engine"]
        marker = markers[per_engine.get(engine, 0) % len(markers)]
        per_engine[engine] = per_engine.get(engine, 0) + 1
        xs = [r["sets"] for r in pts]
        kw = {"color": colors.get(engine, "k"), "marker": marker, "label": label}
        ax1.plot(xs, [r["sets_per_s"] for r in pts], **kw)
        ax2.plot(xs, [r["rss_mb"] for r in pts], **kw)
        for r in pts:
            ax1.annotate(f"n={r['n']}", (r["sets"], r["sets_per_s"]), fontsize=6, xytext=(2, 2),
                         textcoords="offset points")
    ax1.set(xscale="log", yscale="log", xlabel="surviving sets checked", ylabel="sets per second (the check)",
            title="verify on one job: throughput")
    ax2.set(xscale="log", xlabel="surviving sets checked", ylabel="peak RSS of the process (MB)",
            title="peak resident memory")
    for ax in (ax1, ax2):
        ax.grid(True, which="both", alpha=0.3)
    ax2.set_ylim(bottom=0)
    handles, labels = ax1.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=7, frameon=False)
    fig.suptitle(f"benchmarks/cost_curves.py — {machine}", fontsize=9)
    fig.tight_layout(rect=(0, 0.12, 1, 1))
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp.png")
    fig.savefig(tmp, dpi=110, metadata={"Software": None})
    os.replace(tmp, target)


def _title(result: dict[str, Any]) -> str:
    extra = "".join(f"; {engines} re-measured at load {m.split('load average ')[-1]}"
                    for engines, m in result.get("remeasured", {}).items())
    return result["machine"] + extra


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one or two points per engine")
    parser.add_argument("--dry-run", action="store_true", help="list the grid and exit")
    parser.add_argument("--repeat", type=int, default=1, help="runs per point (medians)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per design or verify")
    parser.add_argument("--engines", default="gf,real,approximation,hierarchical,orbit")
    parser.add_argument("--gcli", default=None, help="the gcli executable (default: next to this Python)")
    parser.add_argument("--out-json", type=Path, default=ROOT / "docs" / "assets" / "cost_curves.json")
    parser.add_argument("--out-png", type=Path, default=ROOT / "docs" / "assets" / "cost_curves.png")
    parser.add_argument("--no-plot", action="store_true")
    parser.add_argument("--replot", action="store_true", help="only redraw --out-png from --out-json")
    parser.add_argument("--update", action="store_true",
                        help="replace only the measured engines' points in the existing --out-json")
    args = parser.parse_args()

    if args.replot:
        data = json.loads(args.out_json.read_text())
        plot(data["points"], args.out_png, _title(data))
        print(f"wrote {args.out_png}")
        return
    wanted = set(args.engines.split(","))
    points = [p for p in grid(args.quick) if p.engine in wanted]
    if args.dry_run:
        for p in points:
            extra = " ".join(p.verify)
            print(f"{p.engine:13} n={p.n:<4} s={p.s}  gcli {' '.join(p.design)}  | gcli verify {extra}".rstrip())
        return

    gcli = args.gcli or shutil.which("gcli", path=str(Path(sys.executable).parent)) or "gcli"
    python = str(Path(gcli).resolve().parent / "python") if args.gcli else sys.executable
    if "orbit" in wanted and not orbit_engine_present(python):
        print("orbit: skipped — this gcli has no removed-side / orbit engine (gcli.certification.removed); "
              "rerun once it is merged", file=sys.stderr)
        points = [p for p in points if p.engine != "orbit"]
        orbit_note = "skipped: gcli.certification.removed not installed"
    else:
        orbit_note = None

    load = os.getloadavg()
    machine = (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
               f"load average {load[0]:.1f} at start")
    rows = []
    with tempfile.TemporaryDirectory(prefix="gcli-cost-") as tmp:
        for p in points:
            row = measure(p, gcli, python, Path(tmp), args.timeout, args.repeat)
            rows.append(row)
            if "note" in row:
                print(f"{p.engine:13} n={p.n:<4} s={p.s}  SKIPPED: {row['note']}", file=sys.stderr)
            else:
                print(f"{p.engine:13} n={p.n:<4} s={p.s}  {row['sets']:>10,} sets  {row['seconds']:8.3f} s  "
                      f"{row['sets_per_s']:>12,.0f} sets/s  wall {row['wall']:6.2f} s  cpu {row['cpu']:6.2f} s  "
                      f"{row['rss_mb']:6.0f} MB" + (f"  [{row['path']}]" if row.get("path") else ""), flush=True)
    load_end = os.getloadavg()
    machine += f", {load_end[0]:.1f} at the end"
    result = {"machine": machine, "quick": args.quick, "repeat": args.repeat, "orbit": orbit_note, "points": rows}
    if args.update and args.out_json.is_file():
        old = json.loads(args.out_json.read_text())
        kept = [r for r in old["points"] if r["engine"] not in wanted]
        order = {p.engine: i for i, p in reversed(list(enumerate(grid(args.quick))))}
        result["points"] = sorted(kept + rows, key=lambda r: order.get(r["engine"], len(order)))
        result["machine"] = old["machine"]
        result["remeasured"] = {**old.get("remeasured", {}), ",".join(sorted(wanted)): machine}
        if "orbit" not in wanted:
            result["orbit"] = old.get("orbit")
    args.out_json.parent.mkdir(parents=True, exist_ok=True)
    tmp_json = args.out_json.with_suffix(".tmp")
    tmp_json.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    os.replace(tmp_json, args.out_json)
    print(f"wrote {args.out_json}")
    if not args.no_plot:
        plot(result["points"], args.out_png, _title(result))
        print(f"wrote {args.out_png}")


if __name__ == "__main__":
    main()
