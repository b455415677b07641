"""Write the table of ``gcli design srg|bibd --near N`` answers shipped with the package.

``python benchmarks/search_table.py [--srg-v-max 2048] [--bibd-v-max 1536] [--check]`` recomputes, with the live
searches' own code (:func:`gcli.constructions.structure_codes.srg_search_entries` and
:func:`~gcli.constructions.structure_codes.bibd_search_entries`), every primitive strongly regular graph gcli builds
on v ≤ ``--srg-v-max`` vertices and every 2-(v, k, λ) design (3 ≤ k ≤ 64, λ ≤ 3) on v ≤ ``--bibd-v-max`` points
it lists, and writes them to ``constructions/search_table.json`` (:data:`~gcli.constructions.structure_codes.
SEARCH_TABLE`). Searches whose window lies within those bounds then read the table: ``gcli design srg --near 1000``
answers in a fraction of a second instead of seconds. ``--check`` compares the shipped file with a fresh
computation instead of writing it (exit 1 on a difference). Rerun it whenever a family is added to the catalog
(tests/test_search_table.py compares the table with the live search on a sample of sizes).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from gcli.constructions.structure_codes import SEARCH_TABLE, bibd_search_entries, srg_search_entries


def build(srg_v_max: int, bibd_v_max: int) -> dict[str, object]:
    """The table as a JSON-ready dictionary."""
    srg: dict[str, list[list[object]]] = {}
    for v in range(5, srg_v_max + 1):
        entries = srg_search_entries(v)
        if entries:
            srg[str(v)] = [[k, lam, mu, name] for (_, k, lam, mu), name in entries]
    bibd = [list(row) for row in bibd_search_entries(bibd_v_max, 3)]
    return {
        "about": "answers of gcli design srg|bibd --near N, written by benchmarks/search_table.py",
        "srg_v_max": srg_v_max,
        "srg": srg,
        "bibd_v_max": bibd_v_max,
        "bibd_max_lambda": 3,
        "bibd": bibd,
    }


def dumps(table: dict[str, object]) -> str:
    """Compact JSON, one srg size or one design per line (readable diffs)."""
    lines = ["{"]
    for key in ("about", "srg_v_max", "bibd_v_max", "bibd_max_lambda"):
        lines.append(f"{json.dumps(key)}: {json.dumps(table[key])},")
    srg = table["srg"]
    assert isinstance(srg, dict)
    lines.append('"srg": {')
    lines.append(",\n".join(f"{json.dumps(v)}: {json.dumps(rows, ensure_ascii=False)}" for v, rows in srg.items()))
    lines.append("},")
    bibd = table["bibd"]
    assert isinstance(bibd, list)
    lines.append('"bibd": [')
    lines.append(",\n".join(json.dumps(row, ensure_ascii=False) for row in bibd))
    lines.append("]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--srg-v-max", type=int, default=2048)
    parser.add_argument("--bibd-v-max", type=int, default=1536)
    parser.add_argument("--check", action="store_true", help="compare with the shipped file instead of writing it")
    args = parser.parse_args()
    begin = time.perf_counter()
    text = dumps(build(args.srg_v_max, args.bibd_v_max))
    seconds = time.perf_counter() - begin
    if args.check:
        same = SEARCH_TABLE.exists() and json.loads(SEARCH_TABLE.read_text(encoding="utf-8")) == json.loads(text)
        print(f"{SEARCH_TABLE}: {'up to date' if same else 'OUT OF DATE'} ({seconds:.1f} s to recompute)")
        return 0 if same else 1
    SEARCH_TABLE.write_text(text, encoding="utf-8")
    print(f"wrote {SEARCH_TABLE} ({len(text):,} bytes) in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
