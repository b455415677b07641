"""Throughput of exhaustive verification: gcli's engine against per-pattern loops, measured in one run.

Not a test (run it by hand): ``python benchmarks/verify_bench.py [--quick]``.

For each Reed–Solomon gradient code over GF(65537), the real code gcli builds for the same parameters (the
Fourier mds code with cyclic placement: real Reed–Solomon codes this large are refused as too ill-conditioned), and
two real cyclic repetition codes, it prints patterns (surviving sets) per second for

* gcli: ``verify(code, force=True)`` over every surviving set (the reals with ``all_failures=True`` so that no
  early exit shortens the run), after a warm-up that loads the compiled kernels, on one thread and on the
  machine's cores through ``gcli.certification.engine.local_executor`` (threads: the kernels are nogil, LAPACK releases
  the
  GIL) — what ``gcli verify`` uses by default;
* galois: per pattern, ``matrix_rank([B_F; T]) == matrix_rank(B_F)`` on galois arrays (a subsample);
* python-flint: the same rank test with ``nmod_mat`` (a subsample; skipped if flint is not installed);
* numpy: per pattern, ``np.linalg.svd`` of B_F, condition number and residual ‖T − T V Vᵀ‖ (a subsample);

and the ratios gcli / loop.

``--certificate`` (issue 21, target ≤ 2×): the whole real certificate (:func:`gcli.certify`: decodability,
residuals, condition numbers, float64 decoding errors) of the real ``mds`` code with n = 30, d = 6, m = 2 (s = 4:
C(30, 26) = 27,405 sets of 26 × 60 blocks), in this process on one thread, against ONE batched numpy SVD of the
same 27,405 blocks (``np.linalg.svd(B[F], full_matrices=False)``, the factorisation that would give rank, κ and the
pseudo-inverse; also values only), same run, medians of ``--repeat`` runs. Before the one-walk certificate
(:mod:`gcli.certification._real_kernels`) the certificate cost 4.3× the SVD.
"""

from __future__ import annotations

import argparse
import itertools
import math
import platform
import time

import numpy as np

from gcli import default_jobs, local_executor, verify
from gcli.constructions import cyclic_repetition, mds, reed_solomon

CASES = [(16, 4, 1), (20, 6, 2), (24, 8, 1)]
JOBS = default_jobs()


def _subsample(n: int, r: int, count: int) -> list[tuple[int, ...]]:
    return list(itertools.islice(itertools.combinations(range(n), r), count))


def gcli_rate(code, **kwargs) -> tuple[float, float]:
    """Patterns/s on one thread and on every available core (threads)."""
    # warm-up: compile or load every kernel this run uses (range walk, sample walk, real path)
    verify(code, force=True, sample=10, **kwargs)
    verify(code.with_encoding(code.encoding), force=True, stragglers=code.n - 2, **kwargs)
    single = verify(code, force=True, **kwargs)
    with local_executor(JOBS) as executor:
        multi = verify(code, force=True, executor=executor, **kwargs)
    return single.patterns_checked / single.seconds, multi.patterns_checked / multi.seconds


def galois_rate(code, patterns) -> float:
    enc, target = code.encoding, code.target
    begin = time.perf_counter()
    for rows in patterns:
        block = enc[list(rows)]
        stacked = np.concatenate([block, target], axis=0).view(code.field)
        _ = np.linalg.matrix_rank(stacked) == np.linalg.matrix_rank(block)
    return len(patterns) / (time.perf_counter() - begin)


def flint_rate(code, patterns) -> float | None:
    try:
        import flint
    except ImportError:
        return None
    p = int(code.field.order)
    enc = [[int(x) for x in row] for row in np.asarray(code.encoding.view(np.ndarray))]
    target = [[int(x) for x in row] for row in np.asarray(code.target.view(np.ndarray))]
    begin = time.perf_counter()
    for rows in patterns:
        block = [enc[i] for i in rows]
        full = flint.nmod_mat(block + target, p).rank()
        _ = full == flint.nmod_mat(block, p).rank()
    return len(patterns) / (time.perf_counter() - begin)


def numpy_svd_rate(code, patterns) -> float:
    enc, target = np.asarray(code.encoding), code.target
    begin = time.perf_counter()
    for rows in patterns:
        block = enc[list(rows)]
        _, sv, vh = np.linalg.svd(block, full_matrices=False)
        keep = sv > max(block.shape) * np.finfo(float).eps * sv[0]
        v = vh[keep]
        _ = sv[0] / sv[keep][-1]
        _ = np.linalg.norm(target - (target @ v.T) @ v)
    return len(patterns) / (time.perf_counter() - begin)


def certificate_against_svd(repeat: int, n: int = 30) -> dict[str, float]:
    """The whole real certificate of mds n (default 30: 27,405 sets; s = 4, m = 2) against one batched numpy SVD of
    the same blocks; prints and returns the medians ``{"certificate", "svd", "svd_values"}`` in seconds."""
    import statistics

    from gcli import certify

    code = mds(n, 4, m=2, field="real")
    enc = np.asarray(code.encoding, dtype=np.float64)
    sets = np.asarray(list(itertools.combinations(range(code.n), code.n - code.s)), dtype=np.int64)
    certify(code, sample=64)  # load the compiled kernels
    rows = []
    for _ in range(repeat):
        begin = time.perf_counter()
        cert = certify(code, force=True)
        t_cert = time.perf_counter() - begin
        begin = time.perf_counter()
        blocks = enc[sets]
        np.linalg.svd(blocks, full_matrices=False)
        t_svd = time.perf_counter() - begin
        begin = time.perf_counter()
        np.linalg.svd(enc[sets], compute_uv=False)
        t_values = time.perf_counter() - begin
        assert cert.certified and cert.patterns_checked == len(sets) == math.comb(n, 4)
        rows.append((t_cert, t_svd, t_values))
    t_cert, t_svd, t_values = (statistics.median(col) for col in zip(*rows, strict=True))
    print(f"real mds n={n}, d=6, m=2: {len(sets):,} sets of {n - 4} x {2 * n}, one thread, median of {repeat}")
    print(f"  whole certificate {t_cert:.2f} s; one batched numpy SVD {t_svd:.2f} s (values only {t_values:.2f} s)")
    print(f"  certificate / SVD = {t_cert / t_svd:.2f} (target <= 2; values-only SVD: {t_cert / t_values:.2f})")
    return {"certificate": t_cert, "svd": t_svd, "svd_values": t_values}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller subsamples")
    parser.add_argument("--certificate", action="store_true",
                        help="only the whole real certificate of mds n = 30 against one batched numpy SVD")
    parser.add_argument("--repeat", type=int, default=3, help="runs of --certificate (median)")
    args = parser.parse_args()
    if args.certificate:
        certificate_against_svd(args.repeat)
        return
    scale = 0.2 if args.quick else 1.0
    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}, {JOBS} cores")
    print(f"| code | field | surviving sets | gcli patterns/s, 1 thread | gcli, {JOBS} threads | loop "
          "| loop patterns/s | gcli / loop, 1 thread | gcli / loop, all cores |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n, s, m in CASES:
        r = n - s
        total = math.comb(n, r)
        name = f"RS n={n}, s={s}, m={m}"
        code = reed_solomon(n, s, m=m, field="GF(65537)")
        rate, multi = gcli_rate(code)
        for label, fn, count in (
            ("galois matrix_rank", galois_rate, 300),
            ("flint nmod_mat rank", flint_rate, 20000),
        ):
            loop = fn(code, _subsample(n, r, max(50, int(count * scale))))
            if loop is None:
                head = f"| {name} | GF(65537) | {total:,} | {rate:,.0f} | {multi:,.0f} | {label}"
                print(f"{head} | (not installed) | | |")
                continue
            row = f"| {name} | GF(65537) | {total:,} | {rate:,.0f} | {multi:,.0f} | {label} | {loop:,.0f} |"
            print(f"{row} {rate / loop:,.1f}× | {multi / loop:,.1f}× |")
        # over the reals a Reed–Solomon code this large is refused by design (κ beyond float64), so the real
        # row uses the real default for the same parameters: the Fourier (cyclic MDS) mds code
        real = mds(n, s, m=m, field="real", placement="cyclic")
        rate, multi = gcli_rate(real, all_failures=True)
        loop = numpy_svd_rate(real, _subsample(n, r, max(500, int(5000 * scale))))
        label = f"mds fourier n={n}, s={s}, m={m}"
        row = f"| {label} | real | {total:,} | {rate:,.0f} | {multi:,.0f} | numpy SVD loop | {loop:,.0f} |"
        print(f"{row} {rate / loop:,.1f}× | {multi / loop:,.1f}× |")
    # a well-conditioned real code (κ below FAST_CONDITION_LIMIT): the QR route instead of the SVD
    for n, s in ((16, 4), (20, 6)):
        crc = cyclic_repetition(n, s, field="real", seed=0)
        rate, multi = gcli_rate(crc, all_failures=True)
        loop = numpy_svd_rate(crc, _subsample(n, n - s, max(500, int(5000 * scale))))
        total = math.comb(n, s)
        row = f"| CRC n={n}, s={s} | real | {total:,} | {rate:,.0f} | {multi:,.0f} | numpy SVD loop | {loop:,.0f} |"
        print(f"{row} {rate / loop:,.1f}× | {multi / loop:,.1f}× |")


if __name__ == "__main__":
    main()
