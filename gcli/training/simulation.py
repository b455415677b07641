"""Coded gradient descent with stragglers, simulated: a code's effect on training, measured in simulated time.

:func:`simulate` trains a model (:mod:`gcli.training.models`) on a bundled data set (:mod:`gcli.training.datasets`) by
full-batch
gradient descent, W ← W − η(ĝ + λW), where ĝ is what the server decodes from the workers it waits for:

1. **Data.** The samples are shuffled (seeded) and split into the code's k partitions D_0..D_{k−1} (contiguous
   blocks of sizes differing by at most one); g_j = (1/N) Σ_{i ∈ D_j} ∇ℓ_i(W).
2. **Workers.** Worker i computes g_j for the partitions it holds and sends f_i = Σ_{j,u} B[i, j·m+u] g_j^(u):
   ℓ/m numbers, the gradient length ℓ padded with zeros to a multiple of m.
3. **Stragglers.** Each iteration draws a slowdown factor per worker from the straggler model
   (:class:`StragglerModel`, the same vocabulary as ``gcli run``): ``none``; ``fixed:S[,FACTOR]`` — S uniformly
   random workers are FACTOR times slower (default 5); ``bernoulli:P[,FACTOR]`` — each worker independently is
   FACTOR times slower with probability P; ``shifted-exp:SHIFT,RATE`` — every worker's factor is
   SHIFT + Exp(RATE) (the shifted-exponential model of Lee et al., IEEE T-IT 2018). Worker i's message arrives at

       t_i = factor_i · (samples held by i) · c_compute + (ℓ/m) · c_comm    (:class:`Timing`),

   so compute time is proportional to the load and communication to the message length; ties are broken by a
   seeded random order. Adversaries are not simulated.
4. **Server.** With the ``exact`` decoder (the default for exact codes) the server takes messages in arrival
   order and stops at the first prefix from which T is recoverable (at most n − s − 2a messages for a certified
   code, fewer when the code allows, e.g. one per group of a fractional repetition code); with the other
   decoders (the default for approximate codes is ``optimal``) it waits for the fastest W = n − s − 2a
   messages, or ``wait`` if given. The iteration's time is the arrival of the last message used (decoding time
   is not modelled). Decoders come from :mod:`gcli.training.decoders`. The ``unbiased`` decoder X₀[:, F]/(1 − p) is
   unbiased only if every worker is used with the same probability 1 − p; the fastest W are not such a set when
   loads differ (the same light workers win every round: 6.6 % bias on AG(2,3) with m = 2, issue 20). So with
   ``unbiased`` the server uses a **uniformly random set of W workers per round**, drawn independently of the
   slowdowns (:meth:`CodedScheme.choose`), and waits for them; p = 1 − W/n exactly. The summary states the
   rule (``responders``).
5. **GF(q) codes.** Partial gradients are clipped to [−C, C] and quantised, q_j = round(g_j·σ) with scale
   σ = ((p − 1)/2 − k/2)/(k·C) (p the characteristic), lifted to the prime subfield (q_j mod p), encoded and
   decoded exactly over GF(q), and the centred representative of the result in (−p/2, p/2) divided by σ. Since
   |Σ_j q_j| ≤ k(Cσ + ½) ≤ (p − 1)/2 the sum is recovered exactly (``field_sum_exact`` checks it every
   iteration), and the quantisation error of every entry of the sum is at most k/(2σ) (plus clipping, counted in
   ``clipped_entries``). C is the exact gradient bound of logistic models
   (:meth:`gcli.training.models.Model.gradient_bound`,
   never clipped) and twice the largest partial-gradient entry at W = 0 for least squares; ``clip`` overrides.
   Fields whose characteristic is too small for one quantisation level (Cσ < 1) are refused.
6. **Baselines, in the same run and with the same slowdowns:** *wait for all* — the data split into n parts, one
   per worker, each sending its full gradient (ℓ numbers), the server waiting for all n; *ignore stragglers* —
   the same uncoded workers, the server waiting for the fastest n − s and scaling their sum by N/(samples
   received), which is unbiased when arrivals are exchangeable.
7. **Hierarchical codes** (:class:`gcli.hierarchical.codes.HierarchicalCode`, :class:`HierarchicalScheme`): the
   data are split into the code's P partitions; slowdowns are drawn for all Σ_c N_c workers (cluster after
   cluster); worker w of cluster c sends ℓ'/(m_1·m_2^(c)) numbers (ℓ' = ℓ padded to a multiple of m_1·lcm m_2)
   to its relay, arriving at t_{c,w} = factor_{c,w} · (samples held) · c_compute + ℓ'/(m_1·m_2^(c)) · c_comm.
   Relay c decodes from the shortest decodable prefix of its workers in arrival order (the rule of step 4, at
   most N_c − s_w − 2a_w for a certified layer), is ready at the last of them, R_c, and its ℓ'/m_1 numbers reach
   the server at A_c = R_c + (ℓ'/m_1) · c_comm; relays are not slowed (the straggler model slows workers). The
   server decodes Σ_j g_j from the shortest decodable prefix of relays in the order of A_c; the round ends at
   the last relay used. Both layers decode exactly (over GF(q) after the quantisation of step 5); a private
   code's relays forward masked messages and the server removes the masks. The code's ``s`` (default
   ``fixed:S``, the ignore-stragglers baseline) is Σ_c s_w^(c), as in ``gcli run``; ``messages/iter`` counts
   the worker messages the relays used by the server decoded from.

Per iteration the result records the loss after the step, the relative gradient error ‖ĝ − g‖/‖∇L(W)‖, the
cumulative simulated time and the number of messages used, for the code and for each baseline. The same seed
gives the same result (data shuffle, synthetic data and straggler draws come from one seed).

**Other schemes**: :func:`simulate` asks ``scheme_for(code)`` for a :class:`RoundScheme` (step 7 is one);
an object with a method ``simulation_scheme(decoder=…, wait=…, failure_prob=…,
quantiser=…)`` returning one is simulated through it (its workers, partitions and the rule that turns
partial gradients and slowdowns into an estimate and a time), with the same data, models, baselines and report.

Sweeps over seeds or codes run on the executors of ``verify`` (:func:`simulate_many`).

Example:
    >>> from gcli.constructions import cyclic_repetition
    >>> result = simulate(cyclic_repetition(6, 2), iterations=5, stragglers="fixed:2", seed=1)
    >>> max(result.coded.gradient_error) < 1e-9, result.coded.time[-1] < result.baselines["wait_for_all"].time[-1]
    (True, True)
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from gcli.code import Code
from gcli.defaults import DEFAULT_TOLERANCE
from gcli.errors import ImpossibleParameters, NotSupported
from gcli.training.datasets import Dataset, load_dataset
from gcli.training.decoders import DecoderFunction, make_decoder
from gcli.training.models import Model

__all__ = [
    "CodedScheme",
    "HierarchicalPlan",
    "HierarchicalScheme",
    "IgnoreStragglers",
    "Quantiser",
    "RoundOutcome",
    "RoundScheme",
    "SimulationResult",
    "StragglerModel",
    "Timing",
    "Trace",
    "TrainingSetup",
    "WaitForAll",
    "iteration_times",
    "matmul_mod",
    "prepare_training",
    "scheme_for",
    "shortest_decodable_prefix",
    "simulate",
    "simulate_many",
    "split_samples",
]

DEFAULT_DELAY = 5.0
"""How many times slower a straggler of the ``fixed`` and ``bernoulli`` models is."""

DEPRECATED_MODELS = {"fixed-slow": "fixed"}
"""Old straggler-model names (``gcli run``'s) → the name :meth:`StragglerModel.parse` now reads."""


# ---------------------------------------------------------------------------------------------------------
# straggler and timing models
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StragglerModel:
    """Per-iteration slowdown factors of the workers (module docstring); parse one with :meth:`parse`."""

    kind: str
    count: int = 0
    probability: float = 0.0
    delay: float = DEFAULT_DELAY
    shift: float = 1.0
    rate: float = 1.0

    @classmethod
    def parse(cls, text: str) -> StragglerModel:
        """The one vocabulary of ``gcli simulate`` and ``gcli run`` (``--straggler-model``): ``none``,
        ``fixed:S[,FACTOR]``, ``bernoulli:P[,FACTOR]`` or ``shifted-exp:SHIFT,RATE``; InputError otherwise.
        The old ``fixed-slow:S,FACTOR`` of ``gcli run`` still reads as ``fixed:S,FACTOR``, with a
        :class:`FutureWarning`.

        Example:
            >>> StragglerModel.parse("fixed:2").text()
            'fixed:2,5'
            >>> StragglerModel.parse("none").slowdowns(3, np.random.default_rng(0))
            array([1., 1., 1.])
        """
        usage = "use none, fixed:S[,FACTOR], bernoulli:P[,FACTOR] or shifted-exp:SHIFT,RATE"
        kind, sep, rest = str(text).strip().partition(":")
        args = [a.strip() for a in rest.split(",")] if sep else []
        if kind in DEPRECATED_MODELS:
            new = DEPRECATED_MODELS[kind]
            warnings.warn(f"straggler model {kind}:{rest} is deprecated; use {new}:{rest}", FutureWarning,
                          stacklevel=2)
            kind = new
        try:
            if kind == "none" and not sep:
                return cls("none")
            if kind == "fixed" and len(args) in (1, 2):
                count = int(args[0])
                delay = float(args[1]) if len(args) == 2 else DEFAULT_DELAY
                if count < 0:
                    raise ImpossibleParameters(f"straggler model {text!r}: S must be ≥ 0")
                return cls("fixed", count=count, delay=cls._delay(text, delay))
            if kind == "bernoulli" and len(args) in (1, 2):
                p = float(args[0])
                delay = float(args[1]) if len(args) == 2 else DEFAULT_DELAY
                if not 0 <= p <= 1:
                    raise ImpossibleParameters(f"straggler model {text!r}: P must be in [0, 1]")
                return cls("bernoulli", probability=p, delay=cls._delay(text, delay))
            if kind == "shifted-exp" and len(args) == 2:
                shift, rate = float(args[0]), float(args[1])
                if not (math.isfinite(shift) and shift >= 0 and math.isfinite(rate) and rate > 0):
                    raise ImpossibleParameters(f"straggler model {text!r}: need SHIFT ≥ 0 and RATE > 0")
                return cls("shifted-exp", shift=shift, rate=rate)
        except ValueError:
            raise ImpossibleParameters(f"malformed straggler model {text!r}: {usage}") from None
        raise ImpossibleParameters(f"malformed straggler model {text!r}: {usage}")

    @staticmethod
    def _delay(text: str, delay: float) -> float:
        if not (math.isfinite(delay) and delay >= 1):
            raise ImpossibleParameters(f"straggler model {text!r}: FACTOR must be a finite number ≥ 1")
        return delay

    def slowdowns(self, workers: int, rng: np.random.Generator) -> np.ndarray:
        """One factor per worker for one iteration."""
        if self.kind == "none":
            return np.ones(workers)
        if self.kind == "fixed":
            factors = np.ones(workers)
            factors[rng.permutation(workers)[: min(self.count, workers)]] = self.delay
            return factors
        if self.kind == "bernoulli":
            return np.where(rng.random(workers) < self.probability, self.delay, 1.0)
        return self.shift + rng.exponential(1.0 / self.rate, size=workers)

    def text(self) -> str:
        """The canonical spelling (what :meth:`parse` reads)."""
        if self.kind == "none":
            return "none"
        if self.kind == "fixed":
            return f"fixed:{self.count},{self.delay:g}"
        if self.kind == "bernoulli":
            return f"bernoulli:{self.probability:g},{self.delay:g}"
        return f"shifted-exp:{self.shift:g},{self.rate:g}"


@dataclass(frozen=True)
class Timing:
    """Simulated time: ``compute_per_sample`` per sample gradient, ``communication_per_symbol`` per number sent."""

    compute_per_sample: float = 1.0
    communication_per_symbol: float = 1.0

    def __post_init__(self) -> None:
        for name in ("compute_per_sample", "communication_per_symbol"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                raise ImpossibleParameters(f"{name.replace('_', ' ')} must be a finite number ≥ 0 (got {value})")

    def arrivals(self, slowdown: np.ndarray, samples: np.ndarray, symbols: int) -> np.ndarray:
        """When each worker's message reaches the server."""
        return slowdown * samples * self.compute_per_sample + symbols * self.communication_per_symbol


def arrival_order(arrivals: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
    """Workers sorted by arrival, ties broken by ``tiebreak`` (a seeded random key per worker)."""
    return np.lexsort((tiebreak, arrivals))


def shortest_decodable_prefix(order: np.ndarray, decodable: Callable[[tuple[int, ...]], bool], guess: int,
                              what: str) -> int:
    """The length of the shortest prefix of ``order`` whose (sorted) senders ``decodable`` accepts. Decodability
    is monotone in the prefix length, so the search starts at ``guess`` (a layer's guarantee n − s − 2a) and
    bisects down or, for a layer that fails its guarantee, walks up; ImpossibleParameters when even all of
    ``order`` does not decode (``what`` names the layer).

    Example:
        >>> shortest_decodable_prefix(np.array([3, 1, 0, 2]), lambda f: 1 in f and 0 in f, 2, "a layer")
        3
    """
    n = len(order)

    def ok(length: int) -> bool:
        return decodable(tuple(sorted(int(i) for i in order[:length])))

    guess = min(max(1, guess), n)
    if ok(guess):
        if guess == 1 or not ok(guess - 1):
            return guess
        low, high = 0, guess - 1  # invariant: prefix `high` decodes, prefix `low` does not (0 never does)
        while high - low > 1:
            mid = (low + high) // 2
            if ok(mid):
                high = mid
            else:
                low = mid
        return high
    for length in range(guess + 1, n + 1):
        if ok(length):
            return length
    raise ImpossibleParameters(f"{what} cannot recover the gradient even from all {n} workers")


# ---------------------------------------------------------------------------------------------------------
# quantisation for GF(q) codes
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Quantiser:
    """Fixed-point gradients for codes over GF(p^e): clip to [−clip, clip], scale by ``scale``, round (module
    docstring, step 5)."""

    characteristic: int
    partitions: int
    clip: float
    scale: float

    @classmethod
    def for_field(cls, characteristic: int, partitions: int, clip: float) -> Quantiser:
        """The largest scale for which the sum of ``partitions`` quantised entries cannot wrap around mod p."""
        if not (math.isfinite(clip) and clip > 0):
            raise ImpossibleParameters(f"the clipping bound must be a positive number (got {clip})")
        room = (characteristic - 1) / 2 - partitions / 2
        scale = room / (partitions * clip)
        if scale * clip < 1:
            need = 3 * partitions + 1
            raise ImpossibleParameters(
                f"GF(q) with characteristic {characteristic} is too small to carry the sum of {partitions} "
                f"quantised partial gradients: it needs a characteristic of at least {need} (e.g. GF(65537))"
            )
        return cls(characteristic, partitions, float(clip), float(scale))

    @property
    def error_bound(self) -> float:
        """Largest error of an entry of the decoded sum, without clipping: k/(2σ)."""
        return self.partitions / (2 * self.scale)

    def quantise(self, gradients: np.ndarray) -> tuple[np.ndarray, int]:
        """Integers round(clip(g)·σ) and how many entries were clipped."""
        clipped = int(np.count_nonzero(np.abs(gradients) > self.clip))
        return np.rint(np.clip(gradients, -self.clip, self.clip) * self.scale).astype(np.int64), clipped

    def centred(self, residues: np.ndarray) -> np.ndarray:
        """The representatives in (−p/2, p/2) of residues mod p."""
        r = np.asarray(residues, dtype=np.int64) % self.characteristic
        return np.where(r > self.characteristic // 2, r - self.characteristic, r)


def matmul_mod(a: np.ndarray, b: np.ndarray, p: int) -> np.ndarray:
    """(a @ b) mod p for int64 matrices with entries in [0, p), without overflow."""
    inner = a.shape[1]
    if inner == 0:
        return np.zeros((a.shape[0], b.shape[1]), dtype=np.int64)
    if (p - 1) ** 2 * inner < 2**63:
        return (a @ b) % p
    if (p - 1) ** 2 < 2**63:
        step = max(1, (2**63 - 1) // (p - 1) ** 2 - 1)
        out = np.zeros((a.shape[0], b.shape[1]), dtype=np.int64)
        for lo in range(0, inner, step):
            out = (out + (a[:, lo : lo + step] @ b[lo : lo + step]) % p) % p
        return out
    return np.asarray((a.astype(object) @ b.astype(object)) % p, dtype=np.int64)


# ---------------------------------------------------------------------------------------------------------
# schemes: how one round turns partial gradients and slowdowns into an estimate and a time
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RoundOutcome:
    """One iteration of one scheme: the estimate of Σ_j g_j (length ℓ), the server's time, the messages used;
    for GF(q) codes whether the field sum equalled the sum of the quantised gradients; clipped entries."""

    estimate: np.ndarray
    time: float
    responders: int
    exact_sum: bool | None = None
    clipped: int = 0


class RoundScheme(Protocol):
    """What :func:`simulate` needs of a scheme (the hook for codes other than :class:`gcli.Code`).

    ``workers`` slowdown factors are drawn per iteration; the data are split into ``partitions`` parts;
    :meth:`run_round` gets the partial gradients (partitions × ℓ), the partition sizes, the slowdowns, the
    timing model and a tie-breaking key per worker. :meth:`describe` returns at least ``scheme``, ``field``,
    ``n``, ``k``, ``s``, ``m``, ``d``, ``decoder`` and ``waits_for`` (what summaries and plots show)."""

    label: str
    workers: int
    partitions: int

    def run_round(self, gradients: np.ndarray, sizes: np.ndarray, slowdown: np.ndarray, timing: Timing,
                  tiebreak: np.ndarray) -> RoundOutcome: ...

    def describe(self) -> dict[str, Any]: ...


class WaitForAll:
    """Uncoded baseline: n workers with one partition each, full gradients, the server waits for all."""

    def __init__(self, workers: int) -> None:
        self.label = "wait for all"
        self.workers = workers
        self.partitions = workers

    def run_round(self, gradients: np.ndarray, sizes: np.ndarray, slowdown: np.ndarray, timing: Timing,
                  tiebreak: np.ndarray) -> RoundOutcome:
        arrivals = timing.arrivals(slowdown, sizes, gradients.shape[1])
        return RoundOutcome(gradients.sum(axis=0), float(arrivals.max()), self.workers)

    def describe(self) -> dict[str, Any]:
        return {"workers": self.workers, "waits_for": self.workers}


class IgnoreStragglers:
    """Uncoded baseline: n workers with one partition each; the server uses the fastest ``wait`` and scales
    their sum by N/(samples received)."""

    def __init__(self, workers: int, wait: int) -> None:
        if not 1 <= wait <= workers:
            raise ImpossibleParameters(
                f"the ignore-stragglers baseline must wait for 1..{workers} workers (got {wait})")
        self.label = "ignore stragglers"
        self.workers = workers
        self.partitions = workers
        self.wait = wait

    def run_round(self, gradients: np.ndarray, sizes: np.ndarray, slowdown: np.ndarray, timing: Timing,
                  tiebreak: np.ndarray) -> RoundOutcome:
        arrivals = timing.arrivals(slowdown, sizes, gradients.shape[1])
        used = arrival_order(arrivals, tiebreak)[: self.wait]
        received = float(sizes[used].sum())
        estimate = gradients[used].sum(axis=0) * (float(sizes.sum()) / received)
        return RoundOutcome(estimate, float(arrivals[used].max()), self.wait)

    def describe(self) -> dict[str, Any]:
        return {"workers": self.workers, "waits_for": self.wait}


class CodedScheme:
    """A gradient code (module docstring, steps 2–5)."""

    def __init__(
        self,
        code: Code,
        *,
        decoder: str = "auto",
        wait: int | None = None,
        failure_prob: float | None = None,
        quantiser: Quantiser | None = None,
        tolerance: float = DEFAULT_TOLERANCE,
        decodes_from: int | None = None,
    ) -> None:
        """``decodes_from``: every set of at least this many responders is known to decode (an exhaustive
        certificate of an exact code says so for n − s − 2a): :meth:`decodable` answers True for them without a
        solve. Smaller sets are still solved, so the responders rule is unchanged."""
        self.code = code
        self.decodes_from = decodes_from
        self.label = f"coded ({code.scheme})"
        self.workers = code.n
        self.partitions = code.k
        self.tolerance = tolerance
        self.decoder_name = ("exact" if code.exact else "optimal") if decoder == "auto" else decoder
        if wait is not None and not 1 <= wait <= code.n:
            raise ImpossibleParameters(f"the server must wait for 1..{code.n} workers (got {wait})")
        self.wait = wait
        if self.decoder_name != "exact" and self.wait is None:
            self.wait = code.responders
        self.selection = "random" if self.decoder_name == "unbiased" else "fastest"
        if failure_prob is None and self.decoder_name == "unbiased":
            failure_prob = 1.0 - self.wait / code.n  # type: ignore[operator]
        self.failure_prob = failure_prob
        self.decoder: DecoderFunction = make_decoder(self.decoder_name, code, failure_prob=failure_prob)
        if not code.is_real and quantiser is None:
            raise ImpossibleParameters("a code over a finite field needs a quantiser for the gradients")
        self.quantiser = quantiser
        self._support = [np.asarray(row, dtype=np.int64) for row in code.assignment]
        self._decoders: dict[tuple[int, ...], np.ndarray] = {}
        self._decodable: dict[tuple[int, ...], bool] = {}
        self._coordinates: tuple[np.ndarray, np.ndarray, float, np.ndarray] | None = None
        if code.is_real:
            self._encoding = np.asarray(code.encoding, dtype=np.float64)
        else:
            self._encoding = np.asarray(code.encoding.view(np.ndarray), dtype=np.int64)
            self._prime = code.field.degree == 1

    # -- data held and message length ---------------------------------------------------------------------
    def samples_per_worker(self, sizes: np.ndarray) -> np.ndarray:
        """Samples worker i computes gradients for: Σ_{j held by i} |D_j|."""
        return np.asarray([float(sizes[row].sum()) for row in self._support])

    def symbols(self, gradient_length: int) -> int:
        """ℓ/m after padding ℓ to a multiple of m."""
        return -(-gradient_length // self.code.m)

    # -- decoding ---------------------------------------------------------------------------------------------
    def decodable(self, responders: tuple[int, ...]) -> bool:
        """Is T in the row space of B_F? (least-squares residual over the reals, exact elimination over GF(q))"""
        hit = self._decodable.get(responders)
        if hit is not None:
            return hit
        if self.decodes_from is not None and len(responders) >= self.decodes_from:
            return True
        rows = list(responders)
        code = self.code
        if code.is_real:
            coords, target, outside = self._solve_on()
            block = coords[rows]
            x = target @ np.linalg.pinv(block)
            residual = x @ block - target
            ok = bool(math.sqrt(float(np.sum(residual * residual)) + outside) / math.sqrt(code.k * code.m)
                      <= self.tolerance)
        else:
            from gcli.fields.linalg import batched_consistent

            block = self._encoding[rows]
            target = np.asarray(code.target.view(np.ndarray), dtype=np.int64)
            system = np.concatenate([block.T, target.T], axis=1)[None]
            ok = bool(batched_consistent(code.field, code.field(system), len(rows))[0])
        self._decodable[responders] = ok
        return ok

    def _solve_on(self) -> tuple[np.ndarray, np.ndarray, float]:
        """(B, T, 0), or for a wide B (k·m ≥ 2n columns) B and T in the coordinates of its row space and ‖T⊥‖²
        (:func:`gcli.fields.linalg.row_space_coordinates`): the least-squares residual of every set is the same,
        from an r × n pseudo-inverse instead of r × k·m."""
        code = self.code
        if code.k * code.m < 2 * code.n:
            return self._encoding, np.asarray(code.target, dtype=np.float64), 0.0
        if self._coordinates is None:
            from gcli.fields.linalg import row_space_coordinates

            self._coordinates = row_space_coordinates(self._encoding, np.asarray(code.target, dtype=np.float64))
        coords, target, outside, _ = self._coordinates
        return coords, target, outside

    def first_decodable(self, order: np.ndarray) -> int:
        """The length of the shortest prefix of ``order`` from which T is recoverable
        (:func:`shortest_decodable_prefix` from the code's guarantee n − s − 2a)."""
        return shortest_decodable_prefix(order, self.decodable, self.code.responders,
                                         f"the {self.code.scheme} code")

    def decoding_matrix(self, responders: tuple[int, ...]) -> np.ndarray:
        """The decoder's X_F (cached per set)."""
        hit = self._decoders.get(responders)
        if hit is None:
            hit = self.decoder(self.code, list(responders))
            if not self.code.is_real:
                hit = np.asarray(hit.view(np.ndarray), dtype=np.int64)
            self._decoders[responders] = hit
        return hit

    # -- one round ----------------------------------------------------------------------------------------------
    def run_round(self, gradients: np.ndarray, sizes: np.ndarray, slowdown: np.ndarray, timing: Timing,
                  tiebreak: np.ndarray) -> RoundOutcome:
        code = self.code
        ell = gradients.shape[1]
        width = self.symbols(ell)
        used, count, time = self.responders_of_round(sizes, slowdown, timing, tiebreak, ell)
        blocks = self.blocks(gradients)
        if code.is_real:
            messages = self._encoding[list(used)] @ blocks
            estimate, _ = self.combine(used, messages, ell)
            return RoundOutcome(estimate, time, count)
        q = self.quantiser
        assert q is not None
        integers, clipped = q.quantise(blocks)
        p = q.characteristic
        if self._prime:
            messages = matmul_mod(self._encoding[list(used)], integers % p, p)
        else:
            fld = code.field
            messages = np.asarray((fld(self._encoding[list(used)]) @ fld(integers % p)).view(np.ndarray),
                                  dtype=np.int64)
        estimate, total = self.combine(used, messages, ell)
        wanted = q.centred(integers.reshape(code.k, code.m, width).sum(axis=0))
        return RoundOutcome(estimate, time, count, exact_sum=bool(np.array_equal(total, wanted)), clipped=clipped)

    def responders_of_round(self, sizes: np.ndarray, slowdown: np.ndarray, timing: Timing, tiebreak: np.ndarray,
                            gradient_length: int) -> tuple[tuple[int, ...], int, float]:
        """Who the server uses in a round, how many messages that is and when the round ends (the arrival of
        the last message used): the timing half of :meth:`run_round`, which needs no gradients
        (:func:`iteration_times` runs it alone)."""
        arrivals = timing.arrivals(slowdown, self.samples_per_worker(sizes), self.symbols(gradient_length))
        if self.selection == "random":
            used = self.choose(tiebreak)
            count = len(used)
        else:
            order = arrival_order(arrivals, tiebreak)
            count = self.first_decodable(order) if self.wait is None else self.wait
            used = tuple(sorted(int(i) for i in order[:count]))
        return used, count, float(arrivals[list(used)].max())

    def choose(self, keys: np.ndarray) -> tuple[int, ...]:
        """The responders of a round under the ``random`` selection: the W workers with the smallest of n i.i.d.
        uniform ``keys`` (drawn independently of the slowdowns), i.e. a uniformly random W-subset, so that every
        worker is used with probability W/n = 1 − p whatever its load: E[D] = (1 − p)·I, what the unbiased
        decoder's proof uses (:mod:`gcli.training.decoders`). The server waits for these W (the round lasts until the
        slowest of them arrives)."""
        assert self.wait is not None
        return tuple(sorted(int(i) for i in np.argsort(keys, kind="stable")[: self.wait]))

    def responders_rule(self) -> str:
        """What the simulate and run summaries say about how the responders are chosen."""
        if self.selection == "random":
            return (f"a uniformly random set of {self.wait} workers per round, independent of their speed (the "
                    "assumption of the unbiased decoder: every worker used with probability 1 - p)")
        if self.wait is None:
            return ""  # exact decoding: nothing is assumed about who answers ("waits for" says it all)
        return (f"the fastest {self.wait} messages (fast workers win more often: a fixed decoder is unbiased only "
                "when arrivals are exchangeable, i.e. equal loads)")

    def blocks(self, gradients: np.ndarray) -> np.ndarray:
        """The partial gradients (k × ℓ) padded to ℓ' = m·⌈ℓ/m⌉ and cut into k·m blocks of ℓ'/m: row j·m + u is
        g_j^(u), the block the encoding's column j·m + u multiplies."""
        code = self.code
        width = self.symbols(gradients.shape[1])
        padded = np.zeros((gradients.shape[0], width * code.m))
        padded[:, : gradients.shape[1]] = gradients
        return padded.reshape(gradients.shape[0] * code.m, width)

    def combine(self, used: tuple[int, ...], messages: np.ndarray, ell: int) -> tuple[np.ndarray, np.ndarray | None]:
        """The server's estimate of Σ_j g_j (length ℓ) from the messages (one row per worker of ``used``, sorted)
        with the decoder's X_F; over GF(q) also the decoded field sum's centred representatives (before
        dividing by the quantisation scale), None over the reals."""
        code = self.code
        x = self.decoding_matrix(used)
        if code.is_real:
            return (x @ messages).reshape(-1)[:ell], None
        q = self.quantiser
        assert q is not None
        p = q.characteristic
        if self._prime:
            decoded = matmul_mod(x, np.asarray(messages, dtype=np.int64) % p, p)
        else:
            fld = code.field
            decoded = np.asarray((fld(x) @ fld(np.asarray(messages, dtype=np.int64))).view(np.ndarray),
                                 dtype=np.int64)
        total = q.centred(decoded)
        return (total.reshape(-1)[:ell] / q.scale).astype(np.float64), total

    @property
    def encoding_matrix(self) -> np.ndarray:
        """B as a dense array: float64 over the reals, the field elements' integer representations over GF(q)."""
        return self._encoding

    @property
    def supports(self) -> list[np.ndarray]:
        """The partitions each worker holds (sorted indices j)."""
        return self._support

    def describe(self) -> dict[str, Any]:
        code = self.code
        return {
            "scheme": code.scheme, "field": code.field_name, "n": code.n, "k": code.k, "s": code.s, "m": code.m,
            "a": code.a, "d": code.d, "exact": code.exact, "decoder": self.decoder_name,
            "waits_for": "first decodable set" if self.wait is None else self.wait,
            "failure_prob": self.failure_prob, "responders": self.responders_rule(),
        }


class _PlainLayer:
    """One layer of a hierarchical code without randomness, an ordinary :class:`gcli.Code`: the shortest
    decodable prefix and the exact decoder X_F of :class:`CodedScheme` (cached per set)."""

    def __init__(self, code: Code, quantiser: Quantiser | None) -> None:
        self.scheme = CodedScheme(code, decoder="exact", quantiser=quantiser)
        self.field = code.field
        self.real = code.is_real

    def first_decodable(self, order: np.ndarray) -> int:
        return self.scheme.first_decodable(order)

    def decode(self, used: tuple[int, ...], messages: Any) -> Any:
        """The layer's target (flattened, row-major) from the messages of ``used`` (one row each, sorted)."""
        x = self.scheme.decoding_matrix(used)
        if self.real:
            return (x @ np.asarray(messages, dtype=np.float64)).reshape(-1)
        return (self.field(x) @ messages).reshape(-1)


class _MaskedLayer:
    """One layer of a private hierarchical code: :class:`gcli.decoding.grouped.GroupedLayer` of
    :func:`gcli.hierarchical.masked.masked_layers` (the messages carry masks; its decoder X with X·A_F = [T | M])."""

    def __init__(self, layer: Any, what: str) -> None:
        self.layer = layer
        self.what = what

    def first_decodable(self, order: np.ndarray) -> int:
        return shortest_decodable_prefix(order, self.layer.decodable, self.layer.responders, self.what)

    def decode(self, used: tuple[int, ...], messages: Any) -> Any:
        x = self.layer.decoder(used)
        assert x is not None  # the prefix rule chose a decodable set
        width = self.layer.width
        return (x @ messages.reshape(len(used) * width, -1)).reshape(-1)


@dataclass(frozen=True)
class HierarchicalPlan:
    """Who is used in one round of a :class:`HierarchicalScheme`: per cluster the workers its relay decodes from
    (sorted, every cluster), the relays the server decodes from (sorted), and the relays' arrival times."""

    workers: tuple[tuple[int, ...], ...]
    relays: tuple[int, ...]
    relay_arrivals: np.ndarray


class HierarchicalScheme:
    """A two-layer hierarchical code (:class:`gcli.hierarchical.codes.HierarchicalCode`) in the simulator.

    Model (module docstring, step 7). Worker w of cluster c (global index o_c + w, o_c = N_0 + … + N_{c−1}; the
    slowdowns are drawn for all Σ_c N_c workers at once) holds ``placement[c][w]`` and sends its message of
    ℓ'/(m_1·m_2^(c)) numbers to relay c, arriving at

        t_{c,w} = factor_{c,w} · (samples held) · c_compute + ℓ'/(m_1·m_2^(c)) · c_comm,

    ℓ' = ℓ padded with zeros to a multiple of m_1·lcm_c m_2^(c). Relay c takes its workers' messages in arrival
    order (ties by the workers' keys) and stops at the shortest prefix from which its layer recovers the relay
    message (:func:`shortest_decodable_prefix`: at most N_c − s_w − 2a_w workers for a certified layer);
    it is ready at the last of them, R_c, and its message of ℓ'/m_1 numbers reaches the server at

        A_c = R_c + (ℓ'/m_1) · c_comm.

    Relays are not stragglers (no slowdown is drawn for them: the straggler model slows workers), and decoding
    takes no time. The server takes relays in the order of A_c (ties by the key of each relay's last worker) and
    stops at the shortest prefix from which the relay layer recovers Σ_j g_j; the round lasts until the last
    relay used, max A_c over them. Decoding is exact with the layers' own decoders: each layer is an ordinary
    code decoded by the exact decoder of :class:`CodedScheme`; a private code's relays decode and forward their
    masked messages with fresh shared randomness every round (:func:`gcli.hierarchical.codes.draw_randomness`)
    and the server's decoder removes the masks (:func:`gcli.hierarchical.masked.masked_layers`). Over GF(q) the
    partial gradients are quantised once (step 5), so the estimate is the exact sum up to quantisation.
    Adversaries are not simulated.

    ``s`` (what the default straggler model ``fixed:S`` and the ignore-stragglers baseline, which waits for the
    fastest Σ_c N_c − s workers, use) is Σ_c s_w^(c), as in ``gcli run`` (:mod:`gcli.training.runtime`, step 5).

    Example:
        >>> from gcli.constructions import hierarchical
        >>> scheme = HierarchicalScheme(hierarchical(3, 4, s_r=1, s_w=1))
        >>> scheme.workers, scheme.partitions, scheme.describe()["s"]
        (12, 3, 3)
    """

    def __init__(
        self,
        code: Any,
        *,
        decoder: str = "auto",
        wait: int | None = None,
        failure_prob: float | None = None,
        quantiser: Quantiser | None = None,
        seed: int = 0,
    ) -> None:
        """``seed`` seeds the shared randomness of a private code (the masks cancel, so the estimates do not
        depend on it)."""
        if decoder not in ("auto", "exact"):
            raise NotSupported(f"a hierarchical code is simulated with exact decoding at both layers only (got "
                               f"decoder {decoder!r})")
        if wait is not None or failure_prob is not None:
            raise NotSupported("a hierarchical code's relays and server wait for the first decodable set: "
                               "--wait and --failure-prob do not apply")
        if not code.is_real and quantiser is None:
            raise ImpossibleParameters("a code over a finite field needs a quantiser for the gradients")
        self.code = code
        self.quantiser = quantiser
        self.label = f"coded ({code.scheme})"
        self.offsets = np.concatenate([[0], np.cumsum(code.cluster_sizes)]).astype(np.int64)
        self.workers = int(self.offsets[-1])
        self.partitions = int(code.partitions)
        self.relays = int(code.relays)
        self._holdings = [np.asarray(row, dtype=np.int64) for cluster in code.placement for row in cluster]
        self._rng = np.random.default_rng(seed)
        self._layers: tuple[Any, list[Any]]
        if code.has_randomness:
            from gcli.hierarchical.masked import masked_layers

            server, clusters = masked_layers(code)
            self._layers = (_MaskedLayer(server, "the relay layer"),
                            [_MaskedLayer(layer, f"cluster {c}") for c, layer in enumerate(clusters)])
        else:
            self._layers = (_PlainLayer(code.outer, quantiser),
                            [_PlainLayer(inner, quantiser) for inner in code.inner])
        self.stragglers = sum(code.s_w)

    # -- data held and message lengths --------------------------------------------------------------------------
    def padded_length(self, gradient_length: int) -> int:
        """ℓ' = ℓ padded to a multiple of m_1·lcm(m_2)."""
        block = self.code.block_size()
        return -(-gradient_length // block) * block

    def samples_per_worker(self, sizes: np.ndarray) -> np.ndarray:
        """Samples each worker (all clusters, in order) computes gradients for."""
        return np.asarray([float(sizes[row].sum()) for row in self._holdings])

    def symbols(self, gradient_length: int) -> int:
        """The longest worker message: ℓ'/(m_1·min m_2)."""
        return self.padded_length(gradient_length) // (self.code.m_1 * min(self.code.m_2))

    # -- one round ------------------------------------------------------------------------------------------------
    def responders_of_round(self, sizes: np.ndarray, slowdown: np.ndarray, timing: Timing, tiebreak: np.ndarray,
                            gradient_length: int) -> tuple[HierarchicalPlan, int, float]:
        """Who is used in a round (:class:`HierarchicalPlan`), the worker messages the used relays decoded from,
        and when the round ends: the timing half of :meth:`run_round` (:func:`iteration_times` runs it alone)."""
        code = self.code
        padded = self.padded_length(gradient_length)
        samples = self.samples_per_worker(sizes)
        server, clusters = self._layers
        used: list[tuple[int, ...]] = []
        ready = np.empty(self.relays)
        keys = np.empty(self.relays)
        for c in range(self.relays):
            lo, hi = int(self.offsets[c]), int(self.offsets[c + 1])
            arrivals = timing.arrivals(slowdown[lo:hi], samples[lo:hi], padded // (code.m_1 * code.m_2[c]))
            order = arrival_order(arrivals, tiebreak[lo:hi])
            count = clusters[c].first_decodable(order)
            used.append(tuple(sorted(int(w) for w in order[:count])))
            ready[c] = arrivals[list(used[c])].max()
            keys[c] = tiebreak[lo + int(order[count - 1])]
        relay_arrivals = ready + (padded // code.m_1) * timing.communication_per_symbol
        order = arrival_order(relay_arrivals, keys)
        count = server.first_decodable(order)
        relays = tuple(sorted(int(c) for c in order[:count]))
        plan = HierarchicalPlan(tuple(used), relays, relay_arrivals)
        return plan, sum(len(used[c]) for c in relays), float(relay_arrivals[list(relays)].max())

    def run_round(self, gradients: np.ndarray, sizes: np.ndarray, slowdown: np.ndarray, timing: Timing,
                  tiebreak: np.ndarray) -> RoundOutcome:
        from gcli.hierarchical.codes import draw_randomness, worker_messages

        code = self.code
        ell = gradients.shape[1]
        plan, count, time = self.responders_of_round(sizes, slowdown, timing, tiebreak, ell)
        padded = np.zeros((gradients.shape[0], self.padded_length(ell)))
        padded[:, :ell] = gradients
        clipped = 0
        if code.is_real:
            values: Any = padded
        else:
            q = self.quantiser
            assert q is not None
            integers, clipped = q.quantise(padded)
            values = code.field(integers % q.characteristic)
        masks = draw_randomness(code, padded.shape[1], self._rng) if code.has_randomness else None
        server, clusters = self._layers
        forwarded = [clusters[c].decode(plan.workers[c],
                                        worker_messages(code, c, values, masks)[list(plan.workers[c])])
                     for c in plan.relays]
        stacked = np.stack(forwarded) if code.is_real else code.field(np.stack(forwarded))
        total = server.decode(plan.relays, stacked)
        if code.is_real:
            return RoundOutcome(np.asarray(total, dtype=np.float64)[:ell], time, count)
        q = self.quantiser
        assert q is not None
        decoded = q.centred(np.asarray(total.view(np.ndarray), dtype=np.int64))
        wanted = q.centred(integers.sum(axis=0))
        return RoundOutcome((decoded[:ell] / q.scale).astype(np.float64), time, count,
                            exact_sum=bool(np.array_equal(decoded, wanted)), clipped=clipped)

    def responders_rule(self) -> str:
        """What the summaries say about who is waited for."""
        return ("each relay the first decodable set of its workers, the server the first decodable set of relays "
                "(relays are not slowed; decoding takes no time)")

    def describe(self) -> dict[str, Any]:
        code = self.code
        return {
            "scheme": code.scheme, "field": code.field_name, "n": self.workers, "k": code.partitions,
            "s": self.stragglers, "m": code.m_1, "a": code.a_r, "d": code.load, "exact": True, "decoder": "exact",
            "waits_for": "first decodable set", "failure_prob": None, "responders": self.responders_rule(),
            "relays": code.relays, "cluster_sizes": list(code.cluster_sizes), "s_r": code.s_r, "a_r": code.a_r,
            "s_w": list(code.s_w), "a_w": list(code.a_w), "m_1": code.m_1, "m_2": list(code.m_2),
            "random_symbols": code.random_symbols, "private_relays": code.private_relays,
        }


def scheme_for(code: Any, **options: Any) -> RoundScheme:
    """The :class:`RoundScheme` that simulates ``code``: its own ``simulation_scheme(**options)`` when it has one
    (the hook for other schemes), a :class:`HierarchicalScheme` for a
    :class:`gcli.hierarchical.codes.HierarchicalCode`, a :class:`CodedScheme` for a :class:`gcli.Code`."""
    hook = getattr(code, "simulation_scheme", None)
    if callable(hook):
        return hook(**options)  # type: ignore[no-any-return]
    from gcli.hierarchical.codes import HierarchicalCode

    if isinstance(code, HierarchicalCode):
        return HierarchicalScheme(code, **options)
    if not isinstance(code, Code):
        raise NotSupported(f"cannot simulate a {type(code).__name__}")
    return CodedScheme(code, **options)


# ---------------------------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------------------------
@dataclass
class Trace:
    """Per-iteration records of one method: after iteration t, ``loss[t]`` (at the new parameters),
    ``gradient_error[t]`` (‖ĝ − g‖/‖∇L‖ of the estimate used), ``time[t]`` (cumulative) and ``responders[t]``."""

    label: str
    loss: list[float] = field(default_factory=list)
    gradient_error: list[float] = field(default_factory=list)
    time: list[float] = field(default_factory=list)
    responders: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Lists of plain numbers (non-finite values become null)."""
        return {
            "label": self.label,
            "loss": [_finite(v) for v in self.loss],
            "gradient_error": [_finite(v) for v in self.gradient_error],
            "time": [_finite(v) for v in self.time],
            "responders": list(self.responders),
        }


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


SIMULATION_FORMAT = "gcli.simulation"


@dataclass
class SimulationResult:
    """What :func:`simulate` returns: the coded trace, the baselines' traces and the run's parameters."""

    coded: Trace
    baselines: dict[str, Trace]
    parameters: dict[str, Any]
    field_sum_exact: list[bool] | None = None
    clipped_entries: int = 0

    def to_json(self) -> dict[str, Any]:
        """One object: parameters, the coded run's lists at the top level (``loss``, ``gradient_error``,
        ``time``, ``responders``), ``baselines`` with the same lists per baseline."""
        out: dict[str, Any] = {"format": SIMULATION_FORMAT, "format_version": 1, **self.parameters}
        coded = self.coded.to_json()
        coded.pop("label")
        out.update(coded)
        out["field_sum_exact"] = self.field_sum_exact
        if out.get("quantisation") is not None:
            out["quantisation"] = {**out["quantisation"], "clipped_entries": self.clipped_entries}
        out["baselines"] = {name: trace.to_json() for name, trace in self.baselines.items()}
        return out

    def summary(self) -> str:
        """A few lines: what was simulated and one row per method."""
        p = self.parameters
        code = p["code"]
        head = (
            f"{p['iterations']} iterations of {p['model']} regression on {p['dataset']['description']}; "
            f"gradient length {p['gradient_length']}, messages of {p['message_length']} numbers\n"
            f"code: {code['scheme']} over {code['field']} (n={code['n']}, k={code['k']}, s={code['s']}, "
            f"m={code['m']}, d={code['d']}), decoder {code['decoder']}, waits for {code['waits_for']}"
            + (f", p = {code['failure_prob']:.4g}" if code.get("failure_prob") is not None else "")
            + (f"\nrelays: {code['relays']} with clusters of {code['cluster_sizes']} workers; s_r={code['s_r']}, "
               f"a_r={code['a_r']}, s_w={code['s_w']}, a_w={code['a_w']}, m_1={code['m_1']}, m_2={code['m_2']}"
               + (f"; masked by {code['random_symbols']} shared random symbols" if code.get("random_symbols")
                  else "") if code.get("relays") else "")
            + (f"\nresponders: {code['responders']}" if code.get("responders") else "")
            + f"\nstragglers: {p['straggler_model']}; step {p['learning_rate']:.4g}, L2 {p['l2']:g}, "
            f"seed {p['seed']}; initial loss {p['initial_loss']:.6g}"
        )
        lines = [head]
        if p.get("quantisation") is not None:
            q = p["quantisation"]
            exact = sum(self.field_sum_exact or [])
            lines.append(
                f"GF(q): gradients clipped to ±{q['clip']:.4g} and scaled by {q['scale']:.6g}; the field sum was "
                f"exact in {exact}/{p['iterations']} iterations; quantisation error ≤ {q['error_bound']:.3g} "
                f"per entry; {self.clipped_entries} entries clipped"
            )
        rows = [("method", "final loss", "time", "mean grad err", "max grad err", "messages/iter")]
        for trace in [self.coded, *self.baselines.values()]:
            errs = [e for e in trace.gradient_error if math.isfinite(e)]
            rows.append((
                trace.label,
                f"{trace.loss[-1]:.6g}" if trace.loss else "-",
                f"{trace.time[-1]:.6g}" if trace.time else "-",
                f"{np.mean(errs):.3g}" if errs else "-",
                f"{max(errs):.3g}" if errs else "-",
                f"{np.mean(trace.responders):.3g}" if trace.responders else "-",
            ))
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------
# the simulation
# ---------------------------------------------------------------------------------------------------------
def split_samples(samples: int, parts: int, what: str) -> list[slice]:
    """``samples`` rows cut into ``parts`` contiguous blocks whose sizes differ by at most one; InputError when
    there are fewer rows than blocks."""
    if parts > samples:
        raise ImpossibleParameters(f"cannot split {samples} samples into {parts} {what}")
    base, extra = divmod(samples, parts)
    sizes = [base + (1 if j < extra else 0) for j in range(parts)]
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    return [slice(int(bounds[j]), int(bounds[j + 1])) for j in range(parts)]


@dataclass(frozen=True)
class TrainingSetup:
    """What :func:`simulate` and :func:`gcli.training.runtime.run` share: the shuffled data set, the risk, the code's
    partitions (None when the code has no k), the GF(q) quantiser (None over the reals) and the seed of the
    straggler draws."""

    data: Dataset
    risk: Model
    coded_parts: list[slice] | None
    quantiser: Quantiser | None
    straggler_seed: np.random.SeedSequence


def prepare_training(code: Any, *, dataset: str, model: str, l2: float, clip: float | None, seed: int,
                     samples: int, features: int) -> TrainingSetup:
    """Load and shuffle the data (seeded), build the risk, split into the code's k partitions and pick the
    quantiser of a GF(q) code (module docstring, steps 1 and 5)."""
    data = load_dataset(dataset, model=model, seed=seed, samples=samples, features=features)
    shuffle_seed, straggler_seed = np.random.SeedSequence(seed).spawn(2)
    perm = np.random.default_rng(shuffle_seed).permutation(data.samples)
    data = Dataset(data.name, data.features[perm], data.targets[perm], data.task, data.description)
    risk = Model(model, data, l2)
    k_parts = getattr(code, "k", getattr(code, "partitions", None))  # a hierarchical code has P partitions
    if isinstance(code, Code):
        coded_parts = split_samples(data.samples, code.k, "partitions")
    elif isinstance(k_parts, int):
        coded_parts = split_samples(data.samples, k_parts, "partitions")
    else:
        coded_parts = None
    quantiser = None
    if coded_parts is not None and getattr(code, "is_real", True) is False:
        bound = clip if clip is not None else risk.gradient_bound(coded_parts)
        if bound is None:
            start = np.abs(risk.partial_gradients(np.zeros(risk.parameters), coded_parts)).max()
            bound = 2.0 * float(start) if start > 0 else 1.0
        quantiser = Quantiser.for_field(int(code.field.characteristic), len(coded_parts), bound)
    return TrainingSetup(data, risk, coded_parts, quantiser, straggler_seed)


def simulate(
    code: Any,
    *,
    dataset: str = "synthetic",
    model: str = "logistic",
    iterations: int = 100,
    stragglers: str | StragglerModel | None = None,
    decoder: str = "auto",
    failure_prob: float | None = None,
    wait: int | None = None,
    learning_rate: float | None = None,
    l2: float = 1e-4,
    timing: Timing | None = None,
    clip: float | None = None,
    seed: int = 0,
    samples: int = 512,
    features: int = 16,
) -> SimulationResult:
    """Train with coded gradient descent under stragglers, against the uncoded baselines (module docstring).

    Args:
        code: a :class:`gcli.Code` (or an object with a ``simulation_scheme`` method).
        dataset: ``digits``, ``breast-cancer`` (scikit-learn's bundled sets) or ``synthetic``.
        model: ``logistic`` or ``linear``.
        iterations: gradient steps T.
        stragglers: a :class:`StragglerModel` or its text; default ``fixed:S`` with the code's s.
        decoder: ``auto`` (``exact`` for exact codes, ``optimal`` otherwise), ``exact``, ``optimal``, ``fixed``,
            ``unbiased`` or a name registered with :func:`gcli.training.decoders.register_decoder`.
        failure_prob: p of the unbiased decoder (default 1 − W/n).
        wait: messages the server waits for (default: module docstring, step 4).
        learning_rate: the step η (default 1/L, :meth:`gcli.training.models.Model.smoothness`).
        l2: the regularisation weight λ.
        timing: costs of computing and sending (default one unit per sample and per number).
        clip: the clipping bound C of GF(q) quantisation (default: step 5).
        seed: seeds the shuffle, the synthetic data and the straggler draws.
        samples, features: size of the synthetic data set.
    """
    if iterations < 1:
        raise ImpossibleParameters(f"need at least one iteration (got {iterations})")
    timing = timing or Timing()
    setup = prepare_training(code, dataset=dataset, model=model, l2=l2, clip=clip, seed=seed, samples=samples,
                             features=features)
    data, risk, quantiser, straggler_seed = setup.data, setup.risk, setup.quantiser, setup.straggler_seed
    coded = scheme_for(code, decoder=decoder, wait=wait, failure_prob=failure_prob, quantiser=quantiser)
    s = int(coded.describe().get("s", getattr(code, "s", 0)))
    straggler_model = stragglers if isinstance(stragglers, StragglerModel) else StragglerModel.parse(
        stragglers if stragglers is not None else f"fixed:{s}"
    )
    n = coded.workers
    if straggler_model.kind == "fixed" and straggler_model.count > n:
        raise ImpossibleParameters(f"straggler model {straggler_model.text()}: more stragglers than the {n} workers")
    schemes: dict[str, RoundScheme] = {
        "coded": coded,
        "wait_for_all": WaitForAll(n),
        "ignore_stragglers": IgnoreStragglers(n, max(1, n - s)),
    }
    parts = {name: split_samples(data.samples, scheme.partitions, "partitions") for name, scheme in schemes.items()}
    sizes = {name: np.asarray([sl.stop - sl.start for sl in p], dtype=np.float64) for name, p in parts.items()}
    rate = learning_rate if learning_rate is not None else 1.0 / risk.smoothness()
    if not (math.isfinite(rate) and rate > 0):
        raise ImpossibleParameters(f"the learning rate must be a positive number (got {rate})")
    rng = np.random.default_rng(straggler_seed)
    weights = {name: np.zeros(risk.parameters) for name in schemes}
    clocks = dict.fromkeys(schemes, 0.0)
    traces = {name: Trace(scheme.label) for name, scheme in schemes.items()}
    exact_sums: list[bool] = []
    clipped = 0
    initial = risk.loss(np.zeros(risk.parameters))
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(iterations):
            slowdown = straggler_model.slowdowns(n, rng)
            tiebreak = rng.random(n)
            for name, scheme in schemes.items():
                w = weights[name]
                grads = risk.partial_gradients(w, parts[name])
                outcome = scheme.run_round(grads, sizes[name], slowdown, timing, tiebreak)
                full = grads.sum(axis=0) + risk.l2 * w
                denom = float(np.linalg.norm(full))
                diff = float(np.linalg.norm(outcome.estimate - grads.sum(axis=0)))
                error = diff / denom if denom > 0 else diff
                weights[name] = w - rate * (outcome.estimate + risk.l2 * w)
                clocks[name] += outcome.time
                trace = traces[name]
                trace.loss.append(risk.loss(weights[name]))
                trace.gradient_error.append(error)
                trace.time.append(clocks[name])
                trace.responders.append(outcome.responders)
                if name == "coded" and outcome.exact_sum is not None:
                    exact_sums.append(outcome.exact_sum)
                    clipped += outcome.clipped
    parameters: dict[str, Any] = {
        "code": coded.describe(),
        "dataset": {"name": data.name, "samples": data.samples, "description": data.description},
        "model": model,
        "gradient_length": risk.parameters,
        "message_length": (coded.symbols(risk.parameters) if callable(getattr(coded, "symbols", None))
                           else -(-risk.parameters // int(getattr(code, "m", 1)))),
        "iterations": iterations,
        "learning_rate": rate,
        "l2": risk.l2,
        "seed": seed,
        "straggler_model": straggler_model.text(),
        "timing": {"compute_per_sample": timing.compute_per_sample,
                   "communication_per_symbol": timing.communication_per_symbol},
        "quantisation": None if quantiser is None else {
            "scale": quantiser.scale, "clip": quantiser.clip, "levels": quantiser.scale * quantiser.clip,
            "error_bound": quantiser.error_bound,
        },
        "initial_loss": initial,
    }
    return SimulationResult(
        coded=traces["coded"],
        baselines={"wait_for_all": traces["wait_for_all"], "ignore_stragglers": traces["ignore_stragglers"]},
        parameters=parameters,
        field_sum_exact=exact_sums if quantiser is not None else None,
        clipped_entries=clipped,
    )


def iteration_times(
    code: Any,
    *,
    stragglers: str | StragglerModel | None = None,
    timing: Timing | None = None,
    iterations: int = 100,
    seed: int = 0,
    samples: int = 512,
    gradient_length: int = 17,
    decoder: str = "auto",
    decodes_from: int | None = None,
) -> np.ndarray:
    """The simulated time of each iteration of :func:`simulate` for ``code``, without training: the same
    straggler draws (the same seed spawns the same stream), the same partition sizes (``samples`` split into
    the code's k parts) and the same responders rule, so ``iteration_times(code, seed=S)`` equals the
    increments of ``simulate(code, seed=S).coded.time`` for the synthetic data set of ``samples`` rows and a
    gradient of ``gradient_length`` numbers (17 = the logistic model on the default 16 features plus the
    intercept). Its mean is a seeded Monte Carlo estimate of the expected time per iteration under the delay
    model E[t] = E[max over the responders used of slowdown_i · samples_i · c_compute + (ℓ/m) · c_comm].
    A :class:`gcli.hierarchical.codes.HierarchicalCode` is timed by :class:`HierarchicalScheme` (its P partitions,
    its two-layer rule), the same way.
    ``decodes_from`` (:class:`CodedScheme`): the caller knows every set of that many responders decodes (an
    exhaustive certificate), so those sets need no least-squares solve; the times are the same.

    Example:
        >>> from gcli.constructions import cyclic_repetition
        >>> code = cyclic_repetition(6, 2)
        >>> times = iteration_times(code, stragglers="fixed:2", iterations=5, seed=1)
        >>> bool(np.allclose(np.cumsum(times), simulate(code, iterations=5, stragglers="fixed:2", seed=1).coded.time))
        True
    """
    if iterations < 1:
        raise ImpossibleParameters(f"need at least one iteration (got {iterations})")
    if gradient_length < 1:
        raise ImpossibleParameters(f"the gradient length must be at least 1 (got {gradient_length})")
    timing = timing or Timing()
    scheme: CodedScheme | HierarchicalScheme
    from gcli.hierarchical.codes import HierarchicalCode

    # timing only: the quantiser's scale never enters the arrival times
    if isinstance(code, HierarchicalCode):
        quantiser = None if code.is_real else Quantiser(int(code.field.characteristic), code.partitions, 1.0, 1.0)
        scheme = HierarchicalScheme(code, decoder=decoder, quantiser=quantiser)
    elif isinstance(code, Code):
        quantiser = None if code.is_real else Quantiser(int(code.field.characteristic), code.k, 1.0, 1.0)
        scheme = CodedScheme(code, decoder=decoder, quantiser=quantiser, decodes_from=decodes_from)
    else:
        raise NotSupported(f"cannot time a {type(code).__name__}")
    n = scheme.workers
    model = stragglers if isinstance(stragglers, StragglerModel) else StragglerModel.parse(
        stragglers if stragglers is not None else f"fixed:{scheme.describe()['s']}")
    if model.kind == "fixed" and model.count > n:
        raise ImpossibleParameters(f"straggler model {model.text()}: more stragglers than the {n} workers")
    parts = split_samples(samples, scheme.partitions, "partitions")
    sizes = np.asarray([sl.stop - sl.start for sl in parts], dtype=np.float64)
    rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(2)[1])  # prepare_training's straggler seed
    out = np.empty(iterations)
    for t in range(iterations):
        slowdown = model.slowdowns(n, rng)
        tiebreak = rng.random(n)
        out[t] = scheme.responders_of_round(sizes, slowdown, timing, tiebreak, gradient_length)[2]
    return out


# ---------------------------------------------------------------------------------------------------------
# sweeps on executors
# ---------------------------------------------------------------------------------------------------------
def _run_job(code_text: str, options: dict[str, Any], hierarchical: bool = False) -> SimulationResult:
    """One simulation from a code's JSON text (a top-level function, so process pools and Dask can pickle it)."""
    if hierarchical:
        from gcli.hierarchical.codes import loads_hcode

        return simulate(loads_hcode(code_text), **options)
    from gcli.io.json import loads

    return simulate(loads(code_text), **options)


def simulate_many(
    runs: Sequence[tuple[Any, dict[str, Any]]], *, executor: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[SimulationResult]:
    """Run several simulations — (code, keyword arguments of :func:`simulate`) pairs, e.g. one per seed or per
    code, a :class:`gcli.Code` or a hierarchical code — in this process or on an executor
    (:func:`gcli.local_executor`, :func:`gcli.dask_executor`); results in the order of ``runs``, each the same as
    a direct :func:`simulate` call.

    Example:
        >>> from gcli.constructions import fractional_repetition
        >>> code = fractional_repetition(4, 1)
        >>> results = simulate_many([(code, {"seed": s, "iterations": 3}) for s in range(2)])
        >>> [r.parameters["seed"] for r in results]
        [0, 1]
    """
    from gcli.hierarchical.files import dumps_any

    # a sparse code travels as compressed rows, a dense one as rows: each job rebuilds the code as it was
    jobs = [(dumps_any(code, "csr" if getattr(code, "is_sparse", False) else "dense"), dict(options),
             not isinstance(code, Code)) for code, options in runs]
    results: list[SimulationResult] = []
    if executor is None:
        for i, (text, options, hierarchical) in enumerate(jobs):
            results.append(_run_job(text, options, hierarchical))
            if progress is not None:
                progress(i + 1, len(jobs))
        return results
    futures = [executor.submit(_run_job, text, options, hierarchical) for text, options, hierarchical in jobs]
    for i, future in enumerate(futures):
        results.append(future.result())
        if progress is not None:
            progress(i + 1, len(jobs))
    return results
