"""Coded gradient descent on a real distributed engine: Dask distributed, from a laptop to a cluster.

:func:`run` trains the same model on the same data as :func:`gcli.simulate` (data, models, quantiser, decoders
and baselines come from :mod:`gcli.training.simulation`), but with real processes, real messages and real clocks:

1. **Placement.** The n logical workers of the code are mapped onto the Dask worker processes round-robin
   (logical worker i on process i mod N, addresses sorted), so n may be much larger than N. Each logical worker
   receives once, with :meth:`distributed.Client.scatter` to its process, only what its row of B needs: the rows
   of the partitions it holds, its non-zero encoding coefficients, and for GF(q) codes the quantiser and the
   field (a :class:`WorkerState`, a few arrays; never the whole code).
2. **Rounds.** Every iteration the server submits one task per live logical worker, pinned to its process, with
   the current parameters W. The task (:func:`worker_step`) computes the partial gradients g_j of the partitions
   held, encodes them into f_i = Σ_{j,u} B[i, j·m+u] g_j^(u) (ℓ/m numbers; over GF(q) the quantised gradients
   lifted mod p and encoded in the field, exactly as the simulator does), sleeps its injected delay, and
   returns f_i. The server takes the messages in the order they arrive and stops
   * exact decoder (the default for exact codes): at the first set of arrivals from which T is recoverable;
   * other decoders (approximate codes): after ``wait`` arrivals (default n − s − 2a), or at ``deadline``
     seconds with whatever arrived (at least one message);
   * the ``unbiased`` decoder: after the messages of a uniformly random set of W logical workers drawn each round
     (seeded, independent of the delays), the assumption of its unbiasedness (:meth:`CodedScheme.choose`; a
     deadline or a dead worker that cuts the set short breaks it);
   then decodes with :meth:`gcli.training.simulation.CodedScheme.combine`, steps W ← W − η(ĝ + λW) and starts the next
   round with the new W (the broadcast). Tasks still running are abandoned: the thread sleeping in one stays
   busy until it ends, as a real straggler would (processes get enough threads for their logical workers).
3. **Injected stragglers** (``delay_model``, the vocabulary of :meth:`gcli.training.simulation.StragglerModel.parse`):
   ``none`` (real speed only), ``fixed:S[,FACTOR]`` (S random logical workers are FACTOR times slower),
   ``bernoulli:P[,FACTOR]`` (each FACTOR times slower with probability P) or ``shifted-exp:SHIFT,RATE`` (every
   logical worker's slowdown is SHIFT + Exp(RATE), the model of Lee et al.). Logical worker i sleeps
   slowdown_i · load_i · ``delay_unit`` seconds after computing, load_i = (samples it holds)/(N/n) — one for
   an uncoded worker, about d·n/k for a coded one — the simulator's timing model
   (:class:`gcli.training.simulation.Timing`)
   in seconds. Slowdowns are drawn once per iteration (seeded) and shared by the code and the baselines. Real
   slow processes count as they are.
4. **Baselines in the same run:** *wait for all* (the data in n parts, one per logical worker, full gradients,
   the server waits for every worker) and *ignore stragglers* (the same workers; the server uses the fastest
   n − s, or what arrived by the deadline, scaled by N/(samples received)).
5. **Hierarchical codes** (:class:`gcli.hierarchical.codes.HierarchicalCode`, ``gcli.hcode`` files) run with their
   relays as an intermediate tier: worker w of cluster i sends its cluster-layer message (both layers'
   coefficients multiplied out, :func:`hierarchical_states`); relay i is a Dask task (:func:`relay_step`,
   placed round-robin after the workers, as logical index n + i) that takes its workers' messages as they arrive —
   peer-to-peer, not through the server — decodes its message f_i from the first decodable set with the
   cluster's layer and forwards it; the server decodes Σ_j g_j from the first decodable set of relays (the relay
   layer). Decoding is exact, layer by layer; adversaries are not injected. A private code (shared randomness):
   the workers mask every message with random symbols drawn from a key they share and the round number, the
   relays decode and forward masked messages on their masked layer and the server removes the masks
   (:class:`MaskedDecoder`); no relay task ever receives the key or an unmasked message. The baselines use the same
   Σ_i N_i workers flat (ignore stragglers waits for Σ_i N_i − Σ_i s_w^(i)).
6. **Failures.** When a Dask process dies, its logical workers are dead for the rest of the run (the server
   notices within ``poll`` seconds). The code goes on as long as the live workers can decode; a method that can
   no longer make progress (wait for all, after any death) stops, and the result says which worker died when.

Per iteration and method the result records the loss after the step, the relative gradient error
‖ĝ − Σ_j g_j‖/‖∇L(W)‖ (the true partial gradients are computed by the server off the clock), the wall time of
the round (submit to step), the logical workers (for hierarchical codes: the relays) whose messages were used,
and the bytes of message payload the server received. Wall times and arrival orders are real, so two runs with
the same seed differ in them; the data shuffle and the injected delays are the seed's.

Example (a LocalCluster of two processes; ``gcli run FILE --local 2`` does the same):
    >>> from gcli.constructions import cyclic_repetition
    >>> with connect(local=2) as client:                                     # doctest: +SKIP
    ...     result = run(cyclic_repetition(4, 1), client, iterations=3, delay_model="fixed:1,4")
    >>> max(result.coded.gradient_error) < 1e-9                             # doctest: +SKIP
    True
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import logging
import math
import queue
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gcli.code import Code
from gcli.errors import ImpossibleParameters, InputError, NotSupported
from gcli.training.datasets import Dataset
from gcli.training.models import Model
from gcli.training.simulation import (
    CodedScheme,
    Quantiser,
    SimulationResult,
    StragglerModel,
    Trace,
    matmul_mod,
    prepare_training,
    split_samples,
)

__all__ = [
    "DelayModel", "MaskedDecoder", "RelayFailure", "RelayState", "RunResult", "RunTrace", "WorkerState", "connect",
    "hierarchical_states", "relay_step", "run", "worker_states", "worker_step",
]

DASK_MISSING = "gcli run needs Dask: pip install 'gradcode[dask]'"
DEFAULT_DELAY_UNIT = 0.05
"""Seconds of injected delay per unit of slowdown × load (module docstring, step 3)."""
RUN_FORMAT = "gcli.run"


# ---------------------------------------------------------------------------------------------------------
# injected delays
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DelayModel:
    """Injected straggling (module docstring, step 3): a :class:`StragglerModel` for the slowdowns (None: no
    injected delay) and the seconds per unit of slowdown × load.

    Example:
        >>> DelayModel.parse("fixed:2,5").text()
        'fixed:2,5'
        >>> DelayModel.parse("none").delays(np.ones(3), np.random.default_rng(0))
        array([0., 0., 0.])
    """

    stragglers: StragglerModel | None
    unit: float = DEFAULT_DELAY_UNIT

    @classmethod
    def parse(cls, text: str, unit: float = DEFAULT_DELAY_UNIT) -> DelayModel:
        """A straggler model in the vocabulary of :meth:`gcli.training.simulation.StragglerModel.parse` (``none``,
        ``fixed:S[,FACTOR]``, ``bernoulli:P[,FACTOR]``, ``shifted-exp:SHIFT,RATE``) and the seconds per unit of
        slowdown × load; InputError otherwise."""
        if not (math.isfinite(unit) and unit >= 0):
            raise ImpossibleParameters(f"the delay unit must be a finite number of seconds ≥ 0 (got {unit})")
        model = StragglerModel.parse(text)
        return cls(None if model.kind == "none" else model, unit)

    def delays(self, loads: np.ndarray, factors: np.ndarray) -> np.ndarray:
        """Seconds each logical worker sleeps: factor · load · unit (all zero for ``none``)."""
        if self.stragglers is None:
            return np.zeros(len(loads))
        return np.asarray(factors, dtype=np.float64) * loads * self.unit

    def factors(self, workers: int, rng: np.random.Generator) -> np.ndarray:
        """One iteration's slowdown factors (ones for ``none``, so the draws do not depend on the model)."""
        if self.stragglers is None:
            return np.ones(workers)
        return self.stragglers.slowdowns(workers, rng)

    def text(self) -> str:
        """The canonical spelling (what :meth:`parse` reads)."""
        return "none" if self.stragglers is None else self.stragglers.text()


# ---------------------------------------------------------------------------------------------------------
# the worker side: small, picklable, importable (gcli is installed on the workers)
# ---------------------------------------------------------------------------------------------------------
@dataclass
class WorkerState:
    """What one logical worker holds: the rows of its partitions (``bounds`` are the partitions' row ranges
    within ``features``), one coefficient per (held partition, block u) — B[i, j·m+u] in the order of the held j
    — and what it needs to compute and encode. ``total`` is the size N of the whole data set."""

    features: np.ndarray
    targets: np.ndarray
    task: str
    bounds: list[tuple[int, int]]
    coefficients: np.ndarray
    model: str
    total: int
    m: int
    quantiser: Quantiser | None = None
    field_json: dict[str, Any] | None = None
    padded: int | None = None
    mask: np.ndarray | None = None
    key: int | None = None
    mask_field: dict[str, Any] | None = None
    _risk: Model | None = field(default=None, repr=False, compare=False)

    def risk(self) -> Model:
        if self._risk is None:
            data = Dataset("partition", self.features, self.targets, self.task, "")  # type: ignore[arg-type]
            self._risk = Model(self.model, data, 0.0)
        return self._risk

    def message(self, w: np.ndarray, nonce: int = 0) -> tuple[np.ndarray, int]:
        """f_i (ℓ/m numbers: float64, or int64 field elements) and the entries clipped by quantisation; a worker of
        a private code adds its mask (:meth:`masked`) for round ``nonce``."""
        plain, clipped = self._message(w)
        if self.mask is None:
            return plain, clipped
        return self.masked(plain, nonce), clipped

    def masked(self, message: np.ndarray, nonce: int) -> np.ndarray:
        """message + H_w·z over GF(q): z (Z × ℓ'/(m_1·L), uniform) drawn from the workers' shared ``key`` and the
        round ``nonce`` (every worker draws the same z; relays and the server never hold the key), H_w this
        worker's W rows of the masks (:mod:`gcli.hierarchical.codes`, "Private codes")."""
        from gcli.fields import field_from_json

        assert self.mask is not None and self.key is not None and self.mask_field is not None
        fld = field_from_json(self.mask_field)
        rows = self.mask.shape[0]
        z = np.random.default_rng([self.key, nonce]).integers(0, fld.order, size=(self.mask.shape[1],
                                                                                   message.shape[0] // rows))
        added = (fld(self.mask) @ fld(z)).reshape(-1)
        return np.asarray((fld(np.asarray(message, dtype=np.int64)) + added).view(np.ndarray), dtype=np.int64)

    def _message(self, w: np.ndarray) -> tuple[np.ndarray, int]:
        risk = self.risk()
        grads = risk.partial_gradients(w, [slice(a, b) for a, b in self.bounds], total=self.total)
        ell = grads.shape[1]
        width = (self.padded or self.m * -(-ell // self.m)) // self.m
        padded = np.zeros((grads.shape[0], width * self.m))
        padded[:, :ell] = grads
        blocks = padded.reshape(grads.shape[0] * self.m, width)
        if self.quantiser is None:
            return self.coefficients @ blocks, 0
        q = self.quantiser
        integers, clipped = q.quantise(blocks)
        p = q.characteristic
        coefficients = np.asarray(self.coefficients, dtype=np.int64)[None]
        if self.field_json is None:
            return matmul_mod(coefficients, integers % p, p)[0], clipped
        from gcli.fields import field_from_json

        fld = field_from_json(self.field_json)
        encoded = fld(coefficients) @ fld(integers % p)
        return np.asarray(encoded.view(np.ndarray), dtype=np.int64)[0], clipped


def worker_step(state: WorkerState, w: np.ndarray, delay: float, nonce: int = 0) -> tuple[np.ndarray, int]:
    """One logical worker's round: compute and encode on W (a private code's worker masks with the randomness of
    round ``nonce``), then sleep the injected ``delay`` seconds."""
    out = state.message(w, nonce)
    if delay > 0:
        time.sleep(delay)
    return out


def _state(data: Dataset, rows: list[slice], coefficients: np.ndarray, model: str, m: int,
           quantiser: Quantiser | None = None, field_json: dict[str, Any] | None = None,
           padded: int | None = None) -> WorkerState:
    bounds, start = [], 0
    for sl in rows:
        bounds.append((start, start + sl.stop - sl.start))
        start += sl.stop - sl.start
    index = np.concatenate([np.arange(sl.start, sl.stop) for sl in rows]) if rows else np.zeros(0, np.int64)
    return WorkerState(data.features[index], data.targets[index], data.task, bounds, coefficients, model,
                       data.samples, m, quantiser, field_json, padded)


def worker_states(scheme: CodedScheme, data: Dataset, parts: list[slice], model: str) -> dict[int, WorkerState]:
    """What each logical worker of the code holds (module docstring, step 1): the rows of its partitions and
    its non-zero coefficients B[i, j·m+u], j held, u < m; the quantiser and field for GF(q) codes.

    Example:
        >>> from gcli.constructions import cyclic_repetition
        >>> from gcli.training.datasets import load_dataset
        >>> from gcli.training.simulation import CodedScheme, split_samples
        >>> data = load_dataset("synthetic", samples=40, features=3)
        >>> code = cyclic_repetition(4, 1)
        >>> states = worker_states(CodedScheme(code), data, split_samples(40, 4, "partitions"), "logistic")
        >>> states[0].features.shape, states[0].coefficients.shape       # two partitions of 10 rows
        ((20, 4), (2,))
    """
    code = scheme.code
    field_json = None
    if not code.is_real and code.field.degree > 1:
        from gcli.fields import field_to_json

        field_json = field_to_json(code.field)
    encoding = scheme.encoding_matrix
    m = code.m
    states = {}
    for i, support in enumerate(scheme.supports):
        held = [int(j) for j in support]
        columns = [j * m + u for j in held for u in range(m)]
        states[i] = _state(data, [parts[j] for j in held], np.asarray(encoding[i, columns]), model, m,
                           scheme.quantiser, field_json)
    return states


@dataclass
class MaskedDecoder:
    """A layer of a private code with its masks, as the runtime ships it (plain arrays, the field as JSON): the
    senders' rows [encoding | masks] and the target (:func:`gcli.hierarchical.masked.masked_layers`). A relay
    holds its cluster's (target: its masked message), the server the relays' (target: Σ_j g_j, masks cancel);
    neither holds the random symbols."""

    field_json: dict[str, Any]
    rows: np.ndarray
    target: np.ndarray
    _layer: Any = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, layer: Any) -> MaskedDecoder:
        from gcli.fields import field_to_json

        def raw(a: np.ndarray) -> np.ndarray:
            return np.asarray(a.view(np.ndarray), dtype=np.int64)

        return cls(field_to_json(layer.field), raw(layer.rows), raw(layer.target))

    def layer(self) -> Any:
        if self._layer is None:
            from gcli.decoding.grouped import GroupedLayer
            from gcli.fields import field_from_json

            fld = field_from_json(self.field_json)
            self._layer = GroupedLayer(fld, fld(self.rows), fld(self.target), 0, 0)
        return self._layer

    def decodable(self, used: tuple[int, ...]) -> bool:
        """Is the target in the row space of the senders' rows?"""
        return bool(self.layer().decodable(tuple(sorted(used))))

    def decode(self, used: tuple[int, ...], messages: np.ndarray) -> np.ndarray:
        """X_F·Y (t·c entries, int64 field elements) from the messages of ``used`` (sorted, one row each)."""
        layer = self.layer()
        x = layer.decoder(tuple(used))
        if x is None:
            raise RelayFailure(f"senders {list(used)} cannot decode the masked target")
        y = layer.field(np.asarray(messages, dtype=np.int64).reshape(len(used) * layer.width, -1))
        return np.asarray((x @ y).view(np.ndarray), dtype=np.int64).reshape(-1)


class _MaskedServer:
    """The server of a private code: decodes Σ_j g_j from masked relay messages (:class:`MaskedDecoder`) and
    turns the field sum into the estimate as :meth:`CodedScheme.combine` does."""

    wait = None

    def __init__(self, decoder: MaskedDecoder, quantiser: Quantiser) -> None:
        self.decoder = decoder
        self.quantiser = quantiser

    def decodable(self, used: tuple[int, ...]) -> bool:
        return self.decoder.decodable(used)

    def combine(self, used: tuple[int, ...], messages: np.ndarray, ell: int) -> tuple[np.ndarray, np.ndarray]:
        q = self.quantiser
        total = q.centred(self.decoder.decode(used, messages))
        return (total.reshape(-1)[:ell] / q.scale).astype(np.float64), total


class RelayFailure(RuntimeError):
    """A relay could not decode its cluster's message this round (dead or missing workers); the server treats
    the relay as a straggler."""


@dataclass
class RelayState:
    """What relay i holds: its cluster's layer (gcli JSON of ``hcode.inner[i]``, small) and how long to wait for
    a decodable set of its workers' messages before giving up."""

    layer_json: str
    timeout: float = 120.0
    masked: MaskedDecoder | None = None
    _scheme: CodedScheme | None = field(default=None, repr=False, compare=False)

    def scheme(self) -> CodedScheme:
        if self._scheme is None:
            from gcli.io.json import loads

            code = loads(self.layer_json)
            # the relay decodes field elements, never quantises: a placeholder quantiser satisfies CodedScheme
            placeholder = None if code.is_real else Quantiser(int(code.field.characteristic), 1, 1.0, 1.0)
            self._scheme = CodedScheme(code, quantiser=placeholder)
        return self._scheme

    def decodable(self, used: tuple[int, ...]) -> bool:
        """Can the workers ``used`` give the relay's (masked) message?"""
        if self.masked is not None:
            return self.masked.decodable(used)
        return self.scheme().decodable(used)

    def decode(self, used: tuple[int, ...], messages: np.ndarray) -> np.ndarray:
        """f_i = X_F·(messages), flattened (ℓ'/m_1 numbers; field elements as int64 over GF(q)); for a private
        code the masked f_i + M_i z from the masked messages."""
        if self.masked is not None:
            return self.masked.decode(used, messages)
        scheme = self.scheme()
        x = scheme.decoding_matrix(used)
        code = scheme.code
        if code.is_real:
            return np.asarray(x @ messages).reshape(-1)
        p = int(code.field.characteristic)
        if code.field.degree == 1:
            return matmul_mod(x, np.asarray(messages, dtype=np.int64) % p, p).reshape(-1)
        fld = code.field
        return np.asarray((fld(x) @ fld(np.asarray(messages, dtype=np.int64))).view(np.ndarray),
                          dtype=np.int64).reshape(-1)


def relay_step(state: RelayState, senders: list[tuple[int, str]]) -> tuple[np.ndarray, int]:
    """A relay's round, on a Dask worker: take its workers' messages (``senders``: index in the cluster, task
    key) as they arrive, decode f_i from the first decodable set and return it (with the clipped count)."""
    from distributed import Future, as_completed, worker_client

    with worker_client() as client:  # secedes from the worker's thread pool while waiting
        futures = {Future(key, client): w for w, key in senders}
        # a Future made from a key no longer tells the scheduler that this client wants the result (older
        # distributed did, with inform=True): say so, or the relay is never told the messages arrived
        client._send_to_scheduler({"op": "client-desires-keys", "keys": [key for _, key in senders]})
        got: dict[int, np.ndarray] = {}
        clipped = 0
        try:
            for future in as_completed(list(futures), timeout=state.timeout):
                if future.status != "finished":
                    continue
                message, cut = future.result()
                got[futures[future]] = message
                clipped += cut
                used = tuple(sorted(got))
                if state.decodable(used):
                    return state.decode(used, np.stack([got[w] for w in used])), clipped
        except TimeoutError:
            raise RelayFailure(f"the relay heard from {len(got)} workers in {state.timeout:g} s") from None
    raise RelayFailure(f"the relay's {len(got)} messages cannot recover its target")


def hierarchical_states(hcode: Any, data: Dataset, parts: list[slice], model: str, quantiser: Quantiser | None,
                        ell: int, key: int | None = None
                        ) -> tuple[dict[int, WorkerState], list[tuple[int, int]], dict[int, RelayState]]:
    """The workers' states of a hierarchical code (global index g over the clusters in order), the (cluster,
    index in cluster) of every g, and the relays' states.

    Worker w of cluster i sends Σ_{t,v} B2[w, t·m_2+v] h_{A_i[t]}^(v) with h_j = Σ_u B1[i, j·m_1+u] g_j^(u)
    (:mod:`gcli.hierarchical.codes`), i.e. Σ_{j,u,v} B1[i, j·m_1+u]·B2[w, t·m_2+v]·g_j^(u·m_2+v) with g_j cut into
    m_1·m_2 blocks of ℓ'/(m_1 m_2), ℓ' = ℓ padded to a multiple of m_1·lcm(m_2): one coefficient per (held j, u,
    v), the product of the two layers' entries (in the field over GF(q)).

    A private code (shared randomness): every worker also holds its rows of the masks and the workers' shared
    ``key`` (default: fresh entropy from the operating system; the relays and the server never get it), and
    masks every message with the round's random symbols (:meth:`WorkerState.masked`); each relay holds its
    cluster's masked layer (:class:`MaskedDecoder`) and forwards its masked message.
    """
    from gcli.io.json import dumps

    fld = hcode.field
    real = hcode.is_real
    field_json = None
    if not real and fld.degree > 1:
        from gcli.fields import field_to_json

        field_json = field_to_json(fld)
    block = hcode.block_size()
    padded = block * -(-ell // block)
    m1 = hcode.m_1
    b1 = hcode.relay_encoding
    workers: dict[int, WorkerState] = {}
    where: list[tuple[int, int]] = []
    relays: dict[int, RelayState] = {}
    private = bool(hcode.has_randomness)
    if private:
        from gcli.fields import field_to_json
        from gcli.hierarchical.masked import mask_maps, masked_layers

        if key is None:
            key = int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]
        mask_field = field_to_json(fld)
        masks = [[np.asarray(m.view(np.ndarray), dtype=np.int64) for m in cluster] for cluster in mask_maps(hcode)[1]]
        cluster_layers = masked_layers(hcode)[1]
    for i, layer in enumerate(hcode.inner):
        avail = hcode.available[i]
        m2 = layer.m
        b2 = layer.encoding
        for w, support in enumerate(layer.assignment):
            held_t = sorted(int(t) for t in support)
            cols1 = [avail[t] * m1 + u for t in held_t for u in range(m1) for _ in range(m2)]
            cols2 = [t * m2 + v for t in held_t for _ in range(m1) for v in range(m2)]
            if real:
                coefficients = np.asarray(b1[i, cols1], dtype=np.float64) * np.asarray(b2[w, cols2], dtype=np.float64)
            else:
                coefficients = np.asarray((b1[i, cols1] * b2[w, cols2]).view(np.ndarray), dtype=np.int64)
            state = _state(data, [parts[avail[t]] for t in held_t], coefficients, model, m1 * m2, quantiser,
                           field_json, padded)
            if private:
                state.mask = masks[i][w]
                state.key = key
                state.mask_field = mask_field
            workers[len(where)] = state
            where.append((i, w))
        relays[i] = RelayState(dumps(layer), masked=MaskedDecoder.of(cluster_layers[i]) if private else None)
    return workers, where, relays


# ---------------------------------------------------------------------------------------------------------
# connecting
# ---------------------------------------------------------------------------------------------------------
def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise NotSupported(DASK_MISSING) from None
    return distributed


@contextlib.contextmanager
def connect(scheduler: str | None = None, local: int | None = None, *, threads: int | None = None,
            timeout: float = 10.0, quiet: bool = True) -> Iterator[Any]:
    """A :class:`distributed.Client`: of the scheduler at ``scheduler`` (an existing cluster, used unchanged),
    or of a new LocalCluster of ``local`` worker processes with ``threads`` threads each (closed on exit).

    InputError (one line) when Dask is missing or the scheduler cannot be reached within ``timeout`` seconds.
    ``quiet`` silences Dask's own log messages and warnings while the client is open (a killed worker is
    reported by :func:`run`)."""
    if (scheduler is None) == (local is None):
        raise ImpossibleParameters("give either a scheduler address or a number of local worker processes")
    distributed = _distributed()
    if quiet:
        logging.getLogger("distributed").setLevel(logging.CRITICAL)
    with contextlib.ExitStack() as stack:
        if quiet:  # e.g. a relay asking for a message whose task died with its process: reported by run()
            stack.enter_context(warnings.catch_warnings())
            warnings.filterwarnings("ignore", category=UserWarning, module=r"distributed(\.|$)")
        if scheduler is not None:
            from gcli.certification.scheduler import check_scheduler

            started = time.monotonic()
            check_scheduler(scheduler, timeout)  # one line for a peer that is not Dask, or silent
            try:
                client = distributed.Client(scheduler, timeout=max(timeout - (time.monotonic() - started), 1.0))
            except (OSError, TimeoutError, ValueError, TypeError) as exc:
                detail = " ".join(str(exc).split()) or type(exc).__name__
                gc.collect()  # finalise the half-made Client now, not inside a later cluster's start-up
                raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {detail}") from None
        else:
            assert local is not None
            if local < 1:
                raise ImpossibleParameters(f"a local cluster needs at least one worker process (got {local})")
            # a Client that nobody closed, finalised by the garbage collector while LocalCluster starts its event
            # loop, deadlocks in distributed's LoopRunner (its __del__ waits for the lock start() holds): collect
            # first, and keep the collector off while the cluster starts
            collecting = gc.isenabled()
            gc.collect()
            gc.disable()
            try:
                cluster = distributed.LocalCluster(
                    n_workers=local, threads_per_worker=threads or 4, processes=True, dashboard_address=":0",
                    silence_logs=logging.CRITICAL if quiet else logging.WARNING,
                )
            finally:
                if collecting:
                    gc.enable()
            stack.callback(cluster.close)
            client = distributed.Client(cluster)
        stack.callback(client.close)
        yield client


def _live_addresses(client: Any) -> set[str]:
    return set(client.scheduler_info(n_workers=-1)["workers"])


# ---------------------------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------------------------
@dataclass
class RunTrace(Trace):
    """A :class:`gcli.training.simulation.Trace` in seconds of wall time (``time`` cumulative), with per iteration the
    round's ``wall`` time, the logical workers whose messages were used (``waited_for``) and the message bytes
    the server received; ``stopped`` says why a method ended early (None when it ran every iteration)."""

    wall: list[float] = field(default_factory=list)
    waited_for: list[list[int]] = field(default_factory=list)
    bytes_received: list[int] = field(default_factory=list)
    stopped: str | None = None

    def to_json(self) -> dict[str, Any]:
        out = super().to_json()
        out.update(wall=[round(v, 6) for v in self.wall], waited_for=self.waited_for,
                   bytes_received=self.bytes_received, stopped=self.stopped)
        return out


@dataclass
class RunResult(SimulationResult):
    """What :func:`run` returns: a :class:`gcli.training.simulation.SimulationResult` in wall-clock seconds (so
    :func:`gcli.plots.plot_simulation` draws it), with the Dask processes used and the workers that died."""

    processes: list[str] = field(default_factory=list)
    died: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out = super().to_json()
        out["format"] = RUN_FORMAT
        out["processes"] = self.processes
        out["died"] = self.died
        out["stopped"] = self.coded.stopped if isinstance(self.coded, RunTrace) else None
        return out

    def summary(self) -> str:
        """A few lines: what ran where, one row per method (wall seconds per iteration), deaths."""
        p = self.parameters
        code = p["code"]
        lines = [
            f"{p['iterations']} iterations of {p['model']} regression on {p['dataset']['description']}; "
            f"gradient length {p['gradient_length']}, messages of {p['message_length']} numbers",
            f"code: {code['scheme']} over {code['field']} (n={code['n']}, k={code['k']}, s={code['s']}, "
            f"m={code['m']}, d={code['d']}), decoder {code['decoder']}, waits for {code['waits_for']}"
            + (f" messages or {p['deadline']:g} s" if p.get("deadline") and isinstance(code["waits_for"], int)
               else "")
            + (f"\nresponders: {code['responders']}" if code.get("responders") else ""),
            (f"{code['relays']} relays (clusters of {code['cluster_sizes']} workers, s_r={code['s_r']}, "
             f"s_w={code['s_w']}, m_2={code['m_2']})\n" if "relays" in code else "")
            + f"{code['n']} logical workers on {len(self.processes)} Dask processes; "
            + ("no injected delays" if p["straggler_model"] == "none" else
               f"injected delays {p['straggler_model']} x {p['delay_unit']:g} s per unit of load")
            + f"; seed {p['seed']}; initial loss {p['initial_loss']:.6g}",
        ]
        if p.get("quantisation") is not None:
            exact = sum(self.field_sum_exact or [])
            lines.append(f"GF(q): the field sum was exact in {exact}/{len(self.field_sum_exact or [])} "
                         f"iterations; {self.clipped_entries} entries clipped")
        rows = [("method", "iterations", "final loss", "s/iter", "vs wait-for-all", "max grad err",
                 "msgs/iter", "KB/iter")]
        reference = self.baselines.get("wait_for_all")
        ref = float(np.mean(reference.wall)) if isinstance(reference, RunTrace) and reference.wall else None
        for trace in [self.coded, *self.baselines.values()]:
            assert isinstance(trace, RunTrace)
            errs = [e for e in trace.gradient_error if math.isfinite(e)]
            per = float(np.mean(trace.wall)) if trace.wall else None
            rows.append((
                trace.label, str(len(trace.loss)),
                f"{trace.loss[-1]:.6g}" if trace.loss else "-",
                f"{per:.4f}" if per is not None else "-",
                f"{per / ref:.3f}" if per is not None and ref else "-",
                f"{max(errs):.3g}" if errs else "-",
                f"{np.mean(trace.responders):.3g}" if trace.responders else "-",
                f"{np.mean(trace.bytes_received) / 1024:.3g}" if trace.bytes_received else "-",
            ))
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
        for death in self.died:
            who = f"relay {death['relay']}" if "relay" in death else f"worker {death['worker']}" + (
                f" (worker {death['index']} of cluster {death['cluster']})" if "cluster" in death else "")
            lines.append(f"{who} died at iteration {death['iteration']} (its Dask process {death['process']} went "
                         "away)")
        for trace in [self.coded, *self.baselines.values()]:
            if isinstance(trace, RunTrace) and trace.stopped:
                lines.append(f"{trace.label}: stopped after {len(trace.loss)} iterations: {trace.stopped}")
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------
# the server
# ---------------------------------------------------------------------------------------------------------
@dataclass
class _Method:
    """One training method of the run: its logical workers' states (Dask futures), loads and stopping rule."""

    name: str
    trace: RunTrace
    states: dict[int, Any]
    loads: np.ndarray
    enough: Callable[[list[int], int], bool]
    weights: np.ndarray
    clock: float = 0.0


@dataclass
class _Outcome:
    """One coded round: the estimate of Σ_j g_j, the field sum (GF(q)), who was used, messages, bytes, clips."""

    estimate: np.ndarray
    total: np.ndarray | None
    used: list[int]
    responders: int
    bytes_received: int
    clipped: int


def _raised(future: Any, kind: type[BaseException]) -> bool:
    """Did the finished ``future`` fail with an exception of type ``kind``?"""
    try:
        return isinstance(future.exception(), kind)
    except Exception:
        return False


def _describe_hierarchical(hcode: Any) -> dict[str, Any]:
    out = {
        "scheme": "hierarchical", "field": hcode.field_name, "n": sum(hcode.cluster_sizes), "k": hcode.partitions,
        "s": sum(hcode.s_w), "m": hcode.m_1, "d": hcode.load, "relays": hcode.relays,
        "cluster_sizes": list(hcode.cluster_sizes), "s_r": hcode.s_r, "s_w": list(hcode.s_w),
        "m_2": list(hcode.m_2), "decoder": "exact, layer by layer",
        "waits_for": "first decodable set at every relay and at the server",
    }
    if hcode.has_randomness:
        out["masks"] = {"random_symbols": hcode.random_symbols, "colluding_relays": hcode.private_relays,
                        "relays_see": "masked messages only (fresh random symbols every round)"}
    return out


class _Server:
    """The server's view of the cluster: logical index → process (round-robin), dead processes, one round."""

    def __init__(self, client: Any, addresses: list[str], poll: float) -> None:
        self.client = client
        self.addresses = addresses
        self.poll = poll
        self.dead_processes: set[str] = set()

    def address(self, index: int) -> str:
        return self.addresses[index % len(self.addresses)]

    def alive(self, index: int) -> bool:
        return self.address(index) not in self.dead_processes

    def refresh(self) -> bool:
        """Ask the scheduler which processes are alive; True when one went away since the last call."""
        gone = {a for a in self.addresses if a not in self.dead_processes} - _live_addresses(self.client)
        self.dead_processes |= gone
        return bool(gone)

    def submit(self, states: dict[int, Any], w: np.ndarray, delays: np.ndarray, nonce: int = 0) -> dict[int, Any]:
        """One :func:`worker_step` task per live logical worker, pinned to its process (``nonce``: the round, for
        the masks of a private code)."""
        return {i: self.client.submit(worker_step, state, w, float(delays[i]), nonce, workers=[self.address(i)],
                                      allow_other_workers=False, pure=False)
                for i, state in states.items() if self.alive(i)}

    def round(self, method: _Method, w: np.ndarray, delays: np.ndarray, deadline: float | None
              ) -> tuple[dict[int, Any], list[int]]:
        """Submit one task per live logical worker and collect messages (:meth:`collect`)."""
        return self.collect(self.submit(method.states, w, delays), method.enough, deadline)

    def collect(self, submitted: dict[int, Any], enough: Callable[[list[int], int], bool], deadline: float | None,
                alive: Callable[[int], bool] | None = None, failed: Callable[[int], bool] | None = None
                ) -> tuple[dict[int, Any], list[int]]:
        """Results of ``submitted`` tasks in arrival order until ``enough(order, live)`` (or the deadline with
        at least one result, or nothing left to wait for). ``alive`` says whether a task can still deliver
        (default: its process is alive); a task that raised while it is alive is re-raised unless ``failed``
        says it may fail (a relay whose cluster cannot decode)."""
        inbox: queue.Queue[int] = queue.Queue()
        for i, future in submitted.items():
            future.add_done_callback(lambda _f, i=i: inbox.put(i))
        start = time.perf_counter()

        can_deliver = alive or self.alive

        def living() -> set[int]:
            return {j for j in submitted if can_deliver(j)}

        pending = set(submitted)
        arrived: dict[int, Any] = {}
        order: list[int] = []
        live = len(submitted)
        while pending:
            wait = self.poll
            if deadline is not None and order:
                wait = min(wait, max(0.0, start + deadline - time.perf_counter()))
            try:
                i = inbox.get(timeout=wait)
            except queue.Empty:
                if deadline is not None and order and time.perf_counter() >= start + deadline:
                    break
                if self.refresh():
                    pending &= living()
                    live = len(living())
                continue
            pending.discard(i)
            future = submitted[i]
            try:
                if future.status != "finished":
                    raise RuntimeError(future.status)
                arrived[i] = future.result()
            except Exception:
                self.refresh()
                if can_deliver(i) and not (failed is not None and failed(i)):
                    future.result()  # a genuine error in the task: raise it
                    raise
                pending &= living()
                live = len(living())
                continue
            order.append(i)
            if enough(order, live):
                break
            if deadline is not None and time.perf_counter() >= start + deadline:
                break
        return arrived, order


def run(
    code: Any,
    client: Any,
    *,
    dataset: str = "synthetic",
    model: str = "logistic",
    iterations: int = 20,
    delay_model: str | DelayModel = "none",
    delay_unit: float = DEFAULT_DELAY_UNIT,
    decoder: str = "auto",
    failure_prob: float | None = None,
    wait: int | None = None,
    deadline: float | None = None,
    learning_rate: float | None = None,
    l2: float = 1e-4,
    clip: float | None = None,
    seed: int = 0,
    samples: int = 512,
    features: int = 16,
    baselines: bool = True,
    poll: float = 0.2,
    on_iteration: Callable[[int], None] | None = None,
) -> RunResult:
    """Train with coded gradient descent on the Dask cluster of ``client`` against the uncoded baselines (module
    docstring).

    Args mirror :func:`gcli.simulate`, plus: ``delay_model``/``delay_unit`` (injected delays, step 3),
    ``deadline`` (seconds after which approximate codes and the ignore-stragglers baseline decode from what
    arrived), ``baselines`` (False runs the code alone), ``poll`` (seconds between liveness checks while
    waiting) and ``on_iteration`` (called with t after every iteration, e.g. to kill a process in a test).
    """
    from gcli.hierarchical.codes import HierarchicalCode

    hierarchical = isinstance(code, HierarchicalCode)
    if not (isinstance(code, Code) or hierarchical):
        raise NotSupported(f"gcli run runs gcli codes and hierarchical codes, not a {type(code).__name__}")
    if iterations < 1:
        raise ImpossibleParameters(f"need at least one iteration (got {iterations})")
    if deadline is not None and not (math.isfinite(deadline) and deadline > 0):
        raise ImpossibleParameters(f"the deadline must be a positive number of seconds (got {deadline})")
    delays_model = delay_model if isinstance(delay_model, DelayModel) else DelayModel.parse(delay_model,
                                                                                               delay_unit)
    setup = prepare_training(code, dataset=dataset, model=model, l2=l2, clip=clip, seed=seed, samples=samples,
                             features=features)
    data, risk, quantiser = setup.data, setup.risk, setup.quantiser
    ell = risk.parameters
    coded_parts = setup.coded_parts
    assert coded_parts is not None
    if hierarchical:
        if decoder not in ("auto", "exact") or wait is not None or failure_prob is not None:
            raise NotSupported("hierarchical codes decode exactly, layer by layer: no --decoder, --wait or "
                               "--failure-prob")
        scheme = CodedScheme(code.outer, quantiser=quantiser)
        coded_states, where, relay_states = hierarchical_states(code, setup.data, coded_parts, model, quantiser,
                                                                ell)
        if code.has_randomness:  # the relays forward masked messages: the server decodes through the masks
            from gcli.hierarchical.masked import masked_layers

            assert quantiser is not None
            masked_server = _MaskedServer(MaskedDecoder.of(masked_layers(code)[0]), quantiser)
        n = len(where)
        s_total = sum(code.s_w)
        inner = list(relay_states.values())
    else:
        scheme = CodedScheme(code, decoder=decoder, wait=wait, failure_prob=failure_prob, quantiser=quantiser)
        coded_states = worker_states(scheme, data, coded_parts, model)
        n = code.n
        s_total = int(code.s)
    N = data.samples
    if delays_model.stragglers is not None and delays_model.stragglers.kind == "fixed" \
            and delays_model.stragglers.count > n:
        raise ImpossibleParameters(f"straggler model {delays_model.text()}: more stragglers than the {n} workers")
    rate = learning_rate if learning_rate is not None else 1.0 / risk.smoothness()
    if not (math.isfinite(rate) and rate > 0):
        raise ImpossibleParameters(f"the learning rate must be a positive number (got {rate})")
    addresses = sorted(_live_addresses(client))
    if not addresses:
        raise InputError("the Dask cluster has no workers")
    server = _Server(client, addresses, poll)
    plain = split_samples(N, n, "partitions")
    plain_states = {i: _state(data, [sl], np.ones(1), model, 1) for i, sl in enumerate(plain)}

    def scatter(states: dict[int, Any], offset: int = 0) -> dict[int, Any]:
        return {i: client.scatter(st, workers=[server.address(offset + i)], hash=False)
                for i, st in states.items()}

    unit_load = N / n
    coded_loads = np.asarray([st.features.shape[0] for st in coded_states.values()]) / unit_load

    picker = np.random.default_rng([seed, 3])  # the random responders of the unbiased decoder (simulation step 4)
    chosen: set[int] = set()

    def coded_enough(order: list[int], live: int) -> bool:
        if scheme.wait is None:
            return scheme.decodable(tuple(sorted(order)))
        if not hierarchical and scheme.selection == "random":
            return all(i in order or not server.alive(i) for i in chosen)
        return len(order) >= min(scheme.wait, live)

    label = "coded (hierarchical)" if hierarchical else scheme.label
    methods = [_Method("coded", RunTrace(label), scatter(coded_states), coded_loads, coded_enough,
                       np.zeros(ell))]
    coded_deadline = deadline if scheme.wait is not None else None

    def flat_round(w: np.ndarray, delays: np.ndarray) -> _Outcome | str:
        if scheme.selection == "random":
            chosen.clear()
            chosen.update(scheme.choose(picker.random(n)))
        arrived, order = server.round(methods[0], w, delays, coded_deadline)
        if scheme.selection == "random":
            order = [i for i in order if i in chosen]
        used = tuple(sorted(order))
        if not order or (scheme.wait is None and not scheme.decodable(used)):
            return (f"the {len(order)} workers left cannot recover the gradient (live: "
                    f"{[i for i in range(n) if server.alive(i)]})")
        estimate, total = scheme.combine(used, np.stack([arrived[i][0] for i in used]), ell)
        return _Outcome(estimate, total, list(used), len(order),
                        int(sum(arrived[i][0].nbytes for i in order)), sum(arrived[i][1] for i in used))

    if hierarchical:
        relay_futures = scatter(relay_states, offset=n)

        def cluster_decodes(i: int) -> bool:
            live = tuple(w for g, (c, w) in enumerate(where) if c == i and server.alive(g))
            return bool(live) and inner[i].decodable(live)

        in_flight: list[tuple[dict[int, Any], dict[int, Any]]] = []
        server_side: Any = masked_server if code.has_randomness else scheme
        rounds = itertools.count()

        def hierarchical_round(w: np.ndarray, delays: np.ndarray) -> _Outcome | str:
            # a relay the server no longer waits for still fetches its workers' messages: keep them referenced
            # (known to the scheduler) until every relay of their round has finished
            in_flight[:] = [(r, m) for r, m in in_flight if not all(f.done() for f in r.values())]
            submitted = server.submit(methods[0].states, w, delays, next(rounds))
            relays = {}
            for i, state in relay_futures.items():
                if not server.alive(n + i) or not cluster_decodes(i):
                    continue
                senders = [(local, submitted[g].key) for g, (c, local) in enumerate(where)
                           if c == i and g in submitted]
                relays[i] = client.submit(relay_step, state, senders, workers=[server.address(n + i)],
                                          allow_other_workers=False, pure=False)
            arrived, order = server.collect(relays, lambda order, live: server_side.decodable(tuple(sorted(order))),
                                            None, alive=lambda i: server.alive(n + i) and cluster_decodes(i),
                                            failed=lambda i: _raised(relays[i], RelayFailure))
            in_flight.append((relays, submitted))
            used = tuple(sorted(order))
            if not order or not server_side.decodable(used):
                return f"the {len(order)} relays that delivered cannot recover the gradient"
            estimate, total = server_side.combine(used, np.stack([arrived[i][0] for i in used]), ell)
            return _Outcome(estimate, total, list(used), len(order),
                            int(sum(arrived[i][0].nbytes for i in order)), sum(arrived[i][1] for i in used))

    coded_round = hierarchical_round if hierarchical else flat_round
    if baselines:
        plain_loads = np.asarray([(sl.stop - sl.start) / unit_load for sl in plain])
        plain_futures = scatter(plain_states)
        ignore_wait = max(1, n - s_total)
        methods.append(_Method("wait_for_all", RunTrace("wait for all"), plain_futures, plain_loads,
                               lambda order, live: len(order) >= n, np.zeros(risk.parameters)))
        methods.append(_Method("ignore_stragglers", RunTrace("ignore stragglers"), plain_futures, plain_loads,
                               lambda order, live: len(order) >= min(ignore_wait, live),
                               np.zeros(risk.parameters)))
        plain_sizes = np.asarray([sl.stop - sl.start for sl in plain], dtype=np.float64)
    # warm-up, off the clock: every state deserialised and gcli imported on every process
    warm = [client.submit(worker_step, st, np.zeros(risk.parameters), 0.0, workers=[server.address(i)],
                          allow_other_workers=False, pure=False)
            for method in methods[:2] for i, st in method.states.items()]
    try:
        client.gather(warm)
    except ImportError as exc:
        raise NotSupported(f"the Dask workers cannot run gcli ({exc}): install gradcode, the same version, on every "
                           "worker") from None
    del warm
    if hierarchical:  # one relay round too: the relays load their layer (and compile GF(q) arithmetic)
        hierarchical_round(np.zeros(ell), np.zeros(n))
    rng = np.random.default_rng(setup.straggler_seed)
    exact_sums: list[bool] = []
    clipped_total = 0
    died: list[dict[str, Any]] = []
    known_dead: set[int] = set()
    initial = risk.loss(np.zeros(risk.parameters))
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(iterations):
            factors = delays_model.factors(n, rng)
            for method in methods:
                trace = method.trace
                if trace.stopped:
                    continue
                if method.name == "wait_for_all" and any(not server.alive(i) for i in range(n)):
                    trace.stopped = "a worker died, so waiting for all never ends"
                    continue
                w = method.weights
                delays = delays_model.delays(method.loads, factors)
                begin = time.perf_counter()
                if method.name == "coded":
                    outcome = coded_round(w, delays)
                    if isinstance(outcome, str):
                        trace.stopped = outcome
                        continue
                    estimate, total, used_list = outcome.estimate, outcome.total, outcome.used
                    responders, received_bytes = outcome.responders, outcome.bytes_received
                else:
                    arrived, order = server.round(method, w, delays,
                                                  deadline if method.name == "ignore_stragglers" else None)
                    used = tuple(sorted(order))
                    if method.name == "wait_for_all":
                        if len(order) < n:
                            trace.stopped = "a worker died, so waiting for all never ends"
                            continue
                        estimate = np.sum([arrived[i][0] for i in range(n)], axis=0)
                    else:
                        if not order:
                            trace.stopped = "no worker is left"
                            continue
                        received = float(plain_sizes[list(used)].sum())
                        estimate = np.sum([arrived[i][0] for i in used], axis=0) * (N / received)
                    used_list, responders = list(used), len(order)
                    received_bytes = int(sum(arrived[i][0].nbytes for i in order))
                new_w = w - rate * (estimate + risk.l2 * w)
                wall = time.perf_counter() - begin
                # off the clock: the true gradient, the loss, the books
                method.weights = new_w
                method.clock += wall
                parts = coded_parts if method.name == "coded" else plain
                grads = risk.partial_gradients(w, parts)
                full = grads.sum(axis=0) + risk.l2 * w
                denom = float(np.linalg.norm(full))
                diff = float(np.linalg.norm(estimate - grads.sum(axis=0)))
                trace.loss.append(risk.loss(new_w))
                trace.gradient_error.append(diff / denom if denom > 0 else diff)
                trace.time.append(method.clock)
                trace.wall.append(wall)
                trace.responders.append(responders)
                trace.waited_for.append(used_list)
                trace.bytes_received.append(received_bytes)
                if method.name == "coded" and quantiser is not None:
                    wanted = quantiser.centred(quantiser.quantise(grads)[0].sum(axis=0))
                    exact_sums.append(bool(total is not None and np.array_equal(total.reshape(-1)[:ell], wanted)))
                    clipped_total += outcome.clipped
            for i in range(n + (len(relay_states) if hierarchical else 0)):
                if i not in known_dead and not server.alive(i):
                    known_dead.add(i)
                    entry: dict[str, Any] = {"worker": i} if i < n else {"relay": i - n}
                    if hierarchical and i < n:
                        entry.update(cluster=where[i][0], index=where[i][1])
                    died.append({**entry, "process": server.address(i), "iteration": t})
            if on_iteration is not None:
                on_iteration(t)
            if all(method.trace.stopped for method in methods):
                break
    parameters: dict[str, Any] = {
        "code": _describe_hierarchical(code) if hierarchical else scheme.describe(),
        "dataset": {"name": data.name, "samples": data.samples, "description": data.description},
        "model": model,
        "gradient_length": risk.parameters,
        "message_length": (code.block_size() * -(-ell // code.block_size())) // code.m_1 if hierarchical
        else scheme.symbols(ell),
        "iterations": iterations,
        "learning_rate": rate,
        "l2": risk.l2,
        "seed": seed,
        "straggler_model": delays_model.text(),
        "delay_unit": delays_model.unit,
        "deadline": deadline,
        "quantisation": None if quantiser is None else {
            "scale": quantiser.scale, "clip": quantiser.clip, "levels": quantiser.scale * quantiser.clip,
            "error_bound": quantiser.error_bound,
        },
        "initial_loss": initial,
    }
    traces = {method.name: method.trace for method in methods}
    coded_trace = traces.pop("coded")
    return RunResult(
        coded=coded_trace, baselines=dict(traces), parameters=parameters,
        field_sum_exact=exact_sums if quantiser is not None else None, clipped_entries=clipped_total,
        processes=addresses, died=died,
    )
