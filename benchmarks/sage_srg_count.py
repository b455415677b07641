"""Which strongly regular graphs SageMath (passagemath) actually builds: run with a Sage interpreter.

Reads a JSON list of parameter sets [v, k, λ, μ] on standard input and prints one JSON object
{"v,k,l,m": "built" | "no construction" | "error: …" | "timeout"} after trying
``graphs.strongly_regular_graph(v, k, λ, μ, check=False)`` for each, with a per-graph time limit. A parameter set
counts as built when Sage returns a graph with those parameters (checked with ``is_strongly_regular``).
Used by benchmarks/structures_coverage.py (``--sage-python``); never imported by gcli.

Run: echo '[[10,3,0,1]]' | /tmp/sagevenv/bin/python benchmarks/sage_srg_count.py [--timeout 30]
"""

from __future__ import annotations

import json
import signal
import sys


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Timeout


def main() -> None:
    timeout = int(sys.argv[sys.argv.index("--timeout") + 1]) if "--timeout" in sys.argv else 30
    from sage.all__sagemath_graphs import graphs

    signal.signal(signal.SIGALRM, _alarm)
    out: dict[str, str] = {}
    for params in json.load(sys.stdin):
        key = ",".join(map(str, params))
        signal.alarm(timeout)
        try:
            graph = graphs.strongly_regular_graph(*params, check=False)
            found = graph.is_strongly_regular(parameters=True)
            out[key] = "built" if tuple(found) == tuple(params) else f"error: got {found}"
        except _Timeout:
            out[key] = "timeout"
        except (RuntimeError, ValueError, NotImplementedError) as exc:
            out[key] = "no construction" if "exist" in str(exc) or "know" in str(exc) else f"error: {exc}"[:200]
        except Exception as exc:  # missing optional Sage modules and the like
            out[key] = f"error: {type(exc).__name__}: {exc}"[:200]
        finally:
            signal.alarm(0)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
