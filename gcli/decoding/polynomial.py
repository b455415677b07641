"""Structured decoding of polynomial (Reed–Solomon / Ye–Abbe) gradient codes.

For the codes of :func:`gcli.constructions.reed_solomon`, worker w sends P(θ_w) where P has K = n − s − 2a
coefficients and Σ_j g_j^(u) is the coefficient of x^{K−m+u} (u = 0..m−1), see Ye & Abbe (ICML 2018) and
Halbawi et al. (ISIT 2018). Two decoders follow from that structure:

* :func:`polynomial_decoder` — the m × r erasure decoder for a responding set F (r = |F| ≥ K) from the
  barycentric form of Lagrange interpolation on K of the responders. With M(x) = Π_{v∈F'} (x − θ_v) over the
  K chosen responders F', the Lagrange basis polynomial is L_w(x) = λ_w · M(x)/(x − θ_w) with
  λ_w = 1/Π_{v≠w}(θ_w − θ_v), and its top coefficients come from synthetic division: q_{K−1} = 1,
  q_{t−1} = M_t + θ_w·q_t. Building the decoder costs O(K²) field operations (M and the λ_w), against
  O(K³) for inverting the Vandermonde matrix; applying it to messages of length ℓ/m costs O(K·ℓ).
* :func:`berlekamp_welch` — unique decoding of a Reed–Solomon word with up to e errors from N ≥ K + 2e values:
  find E (monic, degree e) and Q (degree < K + e) with Q(θ_i) = y_i·E(θ_i) for all i; then P = Q / E
  (Berlekamp & Welch, US patent 4,633,470, 1986; any solution gives the same quotient because two solutions
  satisfy Q·E' = Q'·E at N ≥ K + 2e points, above both sides' degree).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from gcli.code import Code
from gcli.defaults import DEFAULT_TOLERANCE
from gcli.errors import BadFile, ImpossibleParameters, InconsistentMessages, InputError, NotSupported
from gcli.fields import Field, field_name, is_real
from gcli.fields.arithmetic import field_matmul

if TYPE_CHECKING:
    import galois

__all__ = [
    "berlekamp_welch",
    "code_points",
    "decode_word",
    "evaluation_points",
    "is_polynomial_code",
    "lagrange_top_coefficients",
    "polynomial_decoder",
    "polynomial_dimension",
    "real_polynomial_misfit",
    "solve_particular",
    "vandermonde",
    "vanishing_encoding",
]


def evaluation_points(
    field: Field, n: int, points: Literal["chebyshev", "equispaced"] = "chebyshev"
) -> np.ndarray:
    """n distinct evaluation points: Chebyshev cos((2t+1)π/2n) or equispaced on [−1, 1] over the reals;
    the elements with integer representation 0..n−1 over GF(q) (q ≥ n)."""
    if is_real(field):
        if points == "chebyshev":
            return np.cos((2 * np.arange(n) + 1) * np.pi / (2 * n))
        if points == "equispaced":
            return np.linspace(-1.0, 1.0, n) if n > 1 else np.zeros(1)
        raise NotSupported(f"unknown points {points!r}: use chebyshev or equispaced")
    if field.order < n:
        raise ImpossibleParameters(f"reed-solomon over {field_name(field)} needs q ≥ n distinct points (n={n})")
    return field(np.arange(n))


def real_polynomial_misfit(encoding: np.ndarray, target: np.ndarray, points: np.ndarray, dimension: int) -> np.ndarray:
    """Per column j of a real encoding B (n × c): its misfit to "B_j holds the values at the points θ of a polynomial
    of degree < K (``dimension``) whose coefficients of x^{K−m}, …, x^{K−1} are T_j" (T the m × c target), as a
    multiple of the round-off bound: the structure holds (to float64 accuracy) iff every entry is ≤ 1.

    Well-conditioned formulation. With τ = θ/h (h = max|θ|, so |τ| ≤ 1) and W[w, t] = T_t(τ_w) the n × K
    Chebyshev–Vandermonde matrix (|W| ≤ 1; κ(W) < 1.7 at Chebyshev points for every K ≤ n ≤ 400, where the
    monomial Vandermonde reaches κ ≈ 1e16 by n ≈ 40 — a monomial least-squares fit there rejected genuine codes,
    gcli design reed-solomon -n 40 -s 2), a Householder QR W = Q·R gives

    * the residual ‖B_j − Q·Qᵀ·B_j‖₂ (zero iff B_j is a polynomial of degree < K at the points), and
    * the Chebyshev coefficients c_j = R⁻¹·Qᵀ·B_j, whose top monomial coefficients are exact small sums
      [x^p]P = Σ_t c_t·[τ^p]T_t / h^p with [τ^{t−2i}]T_t = (−1)^i·2^{t−2i−1}·t/(t−i)·C(t−i, i) — compared with T_j.

    The values themselves are never compared with θ^{K−1}: the columns of a Ye–Abbe code are ≈ 1e-8 of θ^{K−1}
    at n = 40 (the polynomials nearly vanish on [−1, 1]), so a misfit on that scale would hide changes of B.

    Round-off bounds, with u = 2^−52, b_j = max_w |B_wj|: the entries of B (product form,
    :func:`vanishing_encoding`) carry a few·n ulps of b_j, so ‖δB_j‖₂ ≤ n^{3/2}·u·b_j; the computed Q, R are an
    exact QR factorisation of W + ΔW with ‖ΔW‖ ≲ n·u·‖W‖, so range(Q) is within an angle ≲ n·u·κ(W) of range(W).
    Hence residual_j ≲ n^{3/2}·u·(2 + κ(W))·b_j =: e_j and ‖δc_j‖₂ ≲ e_j/σ_min(W), so the coefficient of x^p is off
    by at most e_j·‖M_p‖₂/(σ_min(W)·h^p), M_p the row of the [τ^p]T_t. Both bounds are taken ×16; genuine codes of
    gcli measure below 1e-2 of them. Tampering is seen far below a relative 1e-6 of a column's largest entry. When
    the points make W ill-conditioned (equispaced points at large K) the bounds grow with κ(W), and once
    κ(W)·2u > 1e-8 (the verify tolerance, :data:`gcli.defaults.DEFAULT_TOLERANCE`) the points no longer tell
    polynomials of degree < K apart to that accuracy and every misfit is infinite (not confirmed): else a Chebyshev
    code relabelled "equispaced" at n ≥ 40 would pass. Every equispaced code gcli designs has κ(W)·2u < 3e-9
    (design refuses equispaced points from n ≈ 40 on: float64 decoding is not exact). Non-finite data, overflowing
    scales or repeated points give an infinite or NaN misfit, which no comparison passes.

    Example:
        >>> from gcli.fields import REAL
        >>> theta = np.array([-1.0, 0.0, 1.0])
        >>> b = vanishing_encoding(REAL, theta, np.array([[0.0], [1.0], [-1.0]]), 1)  # x − ρ_j: K = 2, m = 1
        >>> bool(np.all(real_polynomial_misfit(b, np.ones((1, 3)), theta, 2) <= 1))
        True
        >>> bool(np.all(real_polynomial_misfit(b + 1e-6 * np.eye(3), np.ones((1, 3)), theta, 2) > 1))
        True
    """
    import math

    b = np.asarray(encoding, dtype=np.float64)
    t = np.asarray(target, dtype=np.float64)
    theta = np.asarray(points, dtype=np.float64).reshape(-1)
    n, cols = b.shape
    m = t.shape[0]
    if len(theta) != n or t.shape[1] != cols or not m <= dimension <= n or not np.all(np.isfinite(theta)):
        return np.full(cols, np.inf)
    from numpy.polynomial.chebyshev import chebvander

    h = float(np.abs(theta).max(initial=0.0)) or 1.0
    basis = chebvander(theta / h, dimension - 1)
    sigma = np.linalg.svd(basis, compute_uv=False)
    kappa = float(sigma[0] / sigma[-1]) if sigma[-1] > 0 else math.inf
    if not kappa * np.finfo(np.float64).eps <= DEFAULT_TOLERANCE:  # the points cannot resolve degree < K
        return np.full(cols, np.inf)
    q, r = np.linalg.qr(basis)
    u = float(np.finfo(np.float64).eps)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        proj = q.T @ b
        error = 16 * n**1.5 * u * (2 + kappa) * np.abs(b).max(axis=0)  # e_j (×16)
        worst = _ratio(np.linalg.norm(b - q @ proj, axis=0), error)
        coeffs = np.linalg.solve(r, proj) if math.isfinite(kappa) else np.full((dimension, cols), np.nan)
        for row in range(m):  # the coefficient of x^p, p = K − m + row, against T[row]
            p = dimension - m + row
            conv = np.zeros(dimension)  # conv[t] = [τ^p] T_t, nonzero for t = p + 2i < K
            for i in range((dimension - 1 - p) // 2 + 1):
                deg = p + 2 * i
                conv[deg] = 1.0 if deg == 0 else (-1) ** i * deg * math.comb(deg - i, i) / (deg - i) * 2.0 ** (p - 1)
            power = h**p
            bound = error * float(np.linalg.norm(conv)) / (sigma[-1] * power)
            worst = np.maximum(worst, _ratio(np.abs((conv @ coeffs) / power - t[row]), bound))  # NaN stays NaN
    return worst


def _ratio(value: np.ndarray, bound: np.ndarray) -> np.ndarray:
    """value / bound, with 0/0 = 0 (an exact zero within a zero bound) and NaN kept (it never passes)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(value == 0, 0.0, value / bound)


def is_polynomial_code(code: Code) -> bool:
    """Do the workers of ``code`` send evaluations P(θ_w) of one polynomial whose top m coefficients are the
    sums (a Ye–Abbe / Reed–Solomon code: scheme ``reed-solomon``, or ``"decoder": "polynomial"`` in the
    construction block, as written for crc and cyclic mds codes over GF(q))?"""
    return code.scheme == "reed-solomon" or code.construction.get("decoder") == "polynomial"


def code_points(code: Code) -> np.ndarray:
    """The evaluation points θ_0..θ_{n−1} of a polynomial code (InputError for other codes)."""
    if not is_polynomial_code(code):
        raise NotSupported(f"scheme {code.scheme!r} is not a polynomial code (need reed-solomon)")
    if code.is_real:
        return evaluation_points(code.field, code.n, code.construction.get("points", "chebyshev"))
    points = code.construction.get("evaluation_points")
    if points is None:
        raise BadFile("this polynomial code does not record its evaluation points")
    order = code.field.order
    if not isinstance(points, list) or len(points) != code.n or \
            not all(type(x) is int and 0 <= x < order for x in points):
        raise BadFile(
            f"the construction block's evaluation_points must be {code.n} integers in [0, {order})")
    return code.field(np.asarray(points, dtype=np.int64))


def polynomial_dimension(code: Code) -> int:
    """K: the number of coefficients of the polynomial P the workers evaluate (n − d + m when k = n)."""
    recorded = code.construction.get("dimension")
    if recorded is None:
        return code.n - code.d + code.m
    if type(recorded) is not int or not 1 <= recorded <= code.n:
        raise BadFile(f"the construction block's dimension must be an integer in [1, {code.n}] (got "
                                   f"{str(recorded)[:40]!r})")
    return recorded


def polynomial_decoder(code: Code, surviving: Sequence[int]) -> np.ndarray:
    """The m × |F| decoder X with X·B_F = T for a polynomial code, in O(K²) operations (module docstring).

    Uses the first K responders (sorted); the other responders get weight 0.
    """
    rows = sorted(int(i) for i in surviving)
    if len(set(rows)) != len(rows) or (rows and (rows[0] < 0 or rows[-1] >= code.n)):
        raise ImpossibleParameters(f"surviving workers must be distinct indices in 0..{code.n - 1}")
    big_k = polynomial_dimension(code)
    if len(rows) < big_k:
        raise ImpossibleParameters(f"need at least K = {big_k} responders, got {len(rows)}")
    theta = code_points(code)[rows[:big_k]]
    top = lagrange_top_coefficients(code.field, theta, code.m)  # (m, K)
    if code.is_real:
        decoder = np.zeros((code.m, len(rows)))
    else:
        decoder = code.field.Zeros((code.m, len(rows)))
    decoder[:, :big_k] = top
    return decoder


def lagrange_top_coefficients(field: Field, theta: np.ndarray, m: int) -> np.ndarray:
    """X[u, w] = coefficient of x^{K−m+u} in the Lagrange basis polynomial L_w on the K points θ.

    So X·[P(θ_0), …, P(θ_{K−1})]ᵀ are the top m coefficients of any polynomial P of degree < K. O(K² + mK).
    """
    big_k = len(theta)
    real = is_real(field)
    theta = np.asarray(theta, dtype=np.float64) if real else theta
    # M(x) = Π (x − θ_v), coefficients lowest degree first: O(K²).
    monic = np.zeros(big_k + 1) if real else field.Zeros(big_k + 1)
    monic[0] = 1
    for v in range(big_k):
        shifted = monic.copy()
        shifted[1:] = monic[:-1]
        shifted[0] = 0
        monic = shifted - monic * theta[v]
    # λ_w = 1 / Π_{v≠w} (θ_w − θ_v): O(K²).
    diff = theta[:, None] - theta[None, :]
    if real:
        np.fill_diagonal(diff, 1.0)
        weights = 1.0 / np.prod(diff, axis=1)
    else:
        diff[np.arange(big_k), np.arange(big_k)] = 1
        weights = np.reciprocal(np.prod(diff, axis=1))
    # synthetic division of M by (x − θ_w), top m coefficients: q_{K−1} = 1, q_{t−1} = M_t + θ_w q_t.
    out = np.zeros((m, big_k)) if real else field.Zeros((m, big_k))
    q = np.ones(big_k) if real else field.Ones(big_k)
    out[m - 1] = q
    for step in range(1, m):
        t = big_k - step  # q_{t-1} from q_t
        q = monic[t] + theta * q
        out[m - 1 - step] = q
    return out * weights[None, :]


def solve_particular(
    field: type[galois.FieldArray], matrix: np.ndarray, rhs: np.ndarray
) -> np.ndarray | None:
    """A solution of matrix·x = rhs over GF(q) (free variables 0), or None when inconsistent."""
    from gcli.fields.linalg import row_reduce

    cols = matrix.shape[1]
    reduced = row_reduce(field, np.concatenate([_ints(matrix), _ints(rhs).reshape(-1, 1)], axis=1), ncols=cols)
    solution = field.Zeros(cols)
    for row in reduced:
        nz = np.flatnonzero(np.asarray(row[:cols].view(np.ndarray)))
        if nz.size == 0:
            if int(row[cols]) != 0:
                return None
            continue
        solution[nz[0]] = row[cols]
    return solution


def _ints(a: Any) -> np.ndarray:
    """The integers behind a FieldArray (a plain array unchanged)."""
    return a.view(np.ndarray) if isinstance(a, np.ndarray) else np.asarray(a)


def _solve_square(field: Any, matrix: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """X with matrix·X = rhs for an invertible square matrix over GF(q) (np.linalg.LinAlgError if singular):
    the right block of the reduced form of [matrix | rhs] (:func:`gcli.fields.linalg.row_reduce`)."""
    from gcli.fields.linalg import row_reduce

    size = matrix.shape[0]
    right = _ints(rhs).reshape(size, -1)
    reduced = row_reduce(field, np.concatenate([_ints(matrix), right], axis=1), ncols=size)
    left = reduced[:, :size].view(np.ndarray)
    if not np.array_equal(left, np.eye(size, dtype=left.dtype)):
        raise np.linalg.LinAlgError("singular matrix")
    return reduced[:, size:].reshape(rhs.shape)


def _poly_divmod(field: Any, num: np.ndarray, den: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(quotient, remainder) of num / den over GF(q), coefficients highest degree first (den's leading one ≠ 0),
    by long division in :func:`gcli.fields.arithmetic.arithmetic` (table arithmetic, no JIT)."""
    from gcli.fields.arithmetic import arithmetic

    ops = arithmetic(field)
    rem = ops.asarray(_ints(num)).copy()
    den = ops.asarray(_ints(den))
    shift = len(rem) - len(den)
    if shift < 0:
        return np.zeros(1, dtype=np.int64), rem
    lead_inv = ops.inv(den[0])
    quot = np.zeros(shift + 1, dtype=np.int64)
    for i in range(shift + 1):
        factor = ops.mul(rem[i], lead_inv)
        quot[i] = factor
        rem[i:i + len(den)] = ops.sub(rem[i:i + len(den)], ops.mul(factor, den))
    return quot, rem[shift + 1:]


def _poly_eval(field: Any, coeffs: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Σ c_t x^t at each point (coefficients highest degree first), by Horner's rule in table arithmetic."""
    from gcli.fields.arithmetic import arithmetic

    ops = arithmetic(field)
    x = ops.asarray(_ints(points))
    out = np.zeros(x.shape, dtype=np.int64)
    for c in ops.asarray(_ints(coeffs)).tolist():
        out = ops.add(ops.mul(out, x), c)
    return out


def berlekamp_welch(
    field: type[galois.FieldArray], theta: np.ndarray, values: np.ndarray, dimension: int, errors: int
) -> galois.Poly:
    """The polynomial P of degree < ``dimension`` within Hamming distance ``errors`` of the word.

    ``values[i]`` is the received P(θ_i). Needs len(θ) ≥ dimension + 2·errors; InputError when no such P
    exists (more errors than ``errors``). Over fields with gcli's table arithmetic (p < 2^31, or q ≤ 2^20) the
    linear system, the division Q / E and the check run on it (galois JIT-compiles each in a fresh process).
    """
    from gcli.fields.arithmetic import arithmetic_applies

    theta = field(theta) if not isinstance(theta, field) else theta
    values = field(values) if not isinstance(values, field) else values
    count = len(theta)
    if count < dimension + 2 * errors:
        raise ImpossibleParameters(
            f"Berlekamp–Welch needs at least K + 2e = {dimension + 2 * errors} values, got {count}"
        )
    q_len = dimension + errors
    powers = field.Ones((count, q_len + 1))
    for t in range(1, q_len + 1):
        powers[:, t] = powers[:, t - 1] * theta
    # unknowns: Q_0..Q_{K+e−1}, E_0..E_{e−1}; equation Q(θ_i) − y_i·Σ_t E_t θ_i^t = y_i·θ_i^e.
    matrix = np.concatenate([powers[:, :q_len], -(values[:, None] * powers[:, :errors])], axis=1).view(field)
    rhs = values * powers[:, errors]
    solution = solve_particular(field, matrix, rhs)
    if solution is None:
        raise InputError(f"more than {errors} corrupted values: Berlekamp–Welch has no solution")
    import galois

    q_coeffs = solution[:q_len][::-1]  # highest degree first
    e_coeffs = np.concatenate([field.Ones(1), solution[q_len:][::-1]]).view(field)
    if arithmetic_applies(int(field.characteristic), int(field.degree)):
        quot, rem = _poly_divmod(field, q_coeffs, e_coeffs)
        quotient = galois.Poly(field(quot), field=field)
        divides = not np.any(rem)
        fitted = field(_poly_eval(field, quot, theta))
    else:
        quotient, remainder = divmod(galois.Poly(q_coeffs, field=field), galois.Poly(e_coeffs, field=field))
        divides = remainder == 0
        fitted = quotient(theta)
    if not divides or quotient.degree >= max(dimension, 1):
        raise InputError(f"more than {errors} corrupted values: the error locator does not divide Q")
    mismatches = int(np.count_nonzero(np.asarray(fitted != values)))
    if mismatches > errors:
        raise InputError(f"more than {errors} corrupted values ({mismatches} disagree with the decoding)")
    return quotient


def vandermonde(field: Any, points: np.ndarray, columns: int) -> np.ndarray:
    """The |points| × columns matrix [θ_i^t] over the field (increasing powers)."""
    powers = field.Ones((len(points), columns))
    for t in range(1, columns):
        powers[:, t] = powers[:, t - 1] * points
    return powers


def decode_word(
    field: Any, theta: np.ndarray, messages: np.ndarray, errors: int, dimension: int, m: int, *, fast: bool = True
) -> tuple[np.ndarray, list[int]]:
    """Top m coefficients (m × L) of the polynomial of ``dimension`` coefficients behind a Reed–Solomon word
    whose positions are vectors of length L (``messages``, |θ| × L), with at most ``errors`` of the positions
    arbitrary, and the positions found wrong.

    Locate, then erase: Berlekamp–Welch (:func:`berlekamp_welch`) on one seeded random combination y = Y·r of
    the L coordinates finds at most ``errors`` disagreeing positions (errors sit on whole positions, so y is a
    word with errors at, generically, the same positions); the others U (|U| ≥ dimension + errors) are
    interpolated for all coordinates at once from ``dimension`` of them and checked on all of U. A passing check
    is exact: U holds at least ``dimension`` honest positions, so the interpolant is the honest polynomial. A
    combination that hides an error (probability ≤ errors/q) fails the check, and every coordinate is then
    decoded on its own. Cost O(|θ|³) once plus O(dimension²·L), instead of O(|θ|³·L). ``fast=False`` decodes
    coordinate by coordinate from the start (the reference path).

    **Beyond the budget** (issue 20): the result is returned only when the received word is within ``errors``
    *positions* of one codeword (a matrix of L Reed–Solomon codewords sharing their error positions), which is
    then unique since |θ| ≥ dimension + 2·errors; otherwise :class:`~gcli.errors.InconsistentMessages`. With
    ``errors = 0`` every surplus position is checked against the interpolant; in the coordinate-by-coordinate
    path the positions found wrong must be at most ``errors`` in all (the error locator is common to the
    coordinates: if a codeword within ``errors`` positions exists, each coordinate's unique nearest codeword is
    its column, so the union of the disagreements is its error set).
    """
    if len(theta) < dimension + 2 * errors:
        raise ImpossibleParameters(
            f"Berlekamp–Welch needs at least K + 2a = {dimension + 2 * errors} values of each word, got {len(theta)}"
        )
    if errors == 0:
        vander = vandermonde(field, theta, dimension)
        coeffs = _solve_square(field, vander[:dimension], messages[:dimension])
        off = np.flatnonzero(np.any(np.asarray(field_matmul(field, vander, coeffs) != messages)
                                    .reshape(len(theta), -1), axis=1))
        if off.size:
            raise InconsistentMessages(int(off.size), 0, f"{len(theta)} messages, {dimension} needed, and the "
                                       "surplus disagrees with the interpolant")
        return coeffs[dimension - m:], []
    mix = field(np.random.default_rng(0).integers(0, field.order, size=messages.shape[1]))
    combined = field_matmul(field, messages, mix)
    try:
        if not fast:
            raise NotSupported("the reference path decodes coordinate by coordinate")
        poly = berlekamp_welch(field, theta, combined, dimension, errors)
        fitted = field_matmul(field, vandermonde(field, theta, dimension), poly.coefficients(dimension, order="asc"))
        keep = np.flatnonzero(np.asarray(fitted == combined))
        vander = vandermonde(field, theta[keep], dimension)
        coeffs = _solve_square(field, vander[:dimension], messages[keep[:dimension]])
        if np.array_equal(field_matmul(field, vander, coeffs), messages[keep]):
            wrong = sorted(set(range(len(theta))) - set(keep.tolist()))
            return coeffs[dimension - m:], wrong
    except (InputError, np.linalg.LinAlgError):
        pass
    blocks = field.Zeros((m, messages.shape[1]))
    bad: set[int] = set()
    for c in range(messages.shape[1]):
        try:
            poly = berlekamp_welch(field, theta, messages[:, c], dimension, errors)
        except InputError:
            raise InconsistentMessages(errors + 1, errors, f"coordinate {c} is more than {errors} values away "
                                       "from every codeword") from None
        blocks[:, c] = poly.coefficients(dimension, order="asc")[dimension - m:]
        bad.update(np.flatnonzero(np.asarray(poly(theta) != messages[:, c])).tolist())
    if len(bad) > errors:
        raise InconsistentMessages(len(bad), errors, f"the coordinates disagree at positions {sorted(bad)}, "
                                   "not a common error locator")
    return blocks, sorted(bad)


_BLOCK_ENTRIES = 4_000_000
"""Entries of the difference tensor :func:`vanishing_encoding` holds at once (32 MB of float64)."""


def vanishing_encoding(field: Any, points: np.ndarray, roots: np.ndarray, m: int) -> np.ndarray:
    """The n × (k·m) encoding B[w, j·m+u] = p_j^(u)(θ_w) of a polynomial gradient code, from each partition's roots.

    For partition j with roots ρ_j = (ρ_1..ρ_D) (the points of the workers that do not hold it, possibly padded
    with points of no worker), Z_j(x) = Π_t (x − ρ_t) and p_j^(u) = q_u·Z_j is the polynomial of degree D + u
    whose coefficients at degrees D..D+m−1 are the unit vector e_u (the Ye–Abbe recursion p^(u) = x·p^(u−1) −
    c·p^(1) produces exactly these): q_u is the top part of x^(D+u)/Z_j, q_0 = 1 and q_u = x·q_(u−1) + h_u, h_u the
    complete homogeneous symmetric polynomial of degree u in the roots. Evaluated as Z_j(θ_w)·q_u(θ_w) — products
    of differences and a short Horner sum, never expanded high-degree coefficients — so real entries are accurate
    to a few ulps and vanish exactly at the roots; over GF(q) exact.

    Args:
        field: :data:`gcli.REAL` or a galois field class.
        points: θ_0..θ_{n−1}.
        roots: a (k, D) array of roots per partition (the same D for every partition).
        m: the communication reduction (blocks per partition).

    Example:
        >>> from gcli.fields import REAL
        >>> vanishing_encoding(REAL, np.array([-1.0, 0.0, 1.0]), np.array([[0.0], [1.0], [-1.0]]), 1).tolist()
        [[-1.0, -2.0, 0.0], [0.0, -1.0, 1.0], [1.0, 0.0, 2.0]]
    """
    real = is_real(field)
    pts = np.asarray(points, dtype=np.float64) if real else points
    n, (k, degree) = len(pts), np.shape(roots)
    one = (lambda shape: np.ones(shape)) if real else field.Ones
    zero = (lambda shape: np.zeros(shape)) if real else field.Zeros
    if degree:  # Z_j(θ_w), a block of partitions at a time: the differences take block·n·D entries, not k·n·D
        zeros = zero((k, n))
        block = max(1, _BLOCK_ENTRIES // (n * degree))
        for lo in range(0, k, block):
            zeros[lo : lo + block] = np.prod(pts[None, :, None] - roots[lo : lo + block, None, :], axis=2)
    else:
        zeros = one((k, n))
    h = zero((k, m))
    h[:, 0] = 1
    for d in range(degree):  # h_t(S ∪ {ρ}) = h_t(S) + ρ·h_{t−1}(S ∪ {ρ}), for every partition at once
        for t in range(1, m):
            h[:, t] = h[:, t] + roots[:, d] * h[:, t - 1]
    out = zero((n, k, m))
    quotient = zero((k, n))
    for u in range(m):  # Horner: q^(u)(x) = x·q^(u−1)(x) + h_u
        quotient = quotient * pts[None, :] + h[:, u][:, None]
        out[:, :, u] = (zeros * quotient).T
    return out.reshape(n, k * m)
