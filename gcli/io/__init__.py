"""Files: the canonical JSON of a code, exports, bounded reading, atomic writing, the limits, the schemas.

* :mod:`~gcli.io.json` — a :class:`gcli.Code` as ``gcli.code`` JSON (:func:`gcli.dumps`, :func:`gcli.loads`);
* :mod:`~gcli.io.files` — reading a code file by its content (JSON or an export);
* :mod:`~gcli.io.exports` — npz, mat, csv, graph6/sparse6 and edge-list exports;
* :mod:`~gcli.io.reading` — bounded reading and parsing of untrusted files; :mod:`~gcli.io.writing` — atomic
  writes; :mod:`~gcli.io.limits` — the size limits every reader enforces;
* ``schemas/`` — the JSON Schemas of ``gcli.code`` and ``gcli.hcode`` files (package data).

The names of the former module ``gcli.io`` are still served from here on first use.
"""

from __future__ import annotations

from gcli._lazy import lazy_namespace

_LAZY: dict[str, str] = {
    "code_schema": "gcli.io.json",
    "dumps": "gcli.io.json",
    "loads": "gcli.io.json",
    "load_code": "gcli.io.files",
    "load_any": "gcli.hierarchical.files",
    "dumps_any": "gcli.hierarchical.files",
}

__all__ = sorted(_LAZY)

__getattr__, __dir__ = lazy_namespace(__name__, _LAZY, globals())
