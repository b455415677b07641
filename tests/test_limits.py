"""Hostile command-line input (issue 14): every option of every command, answered within time and memory.

Each invocation runs in a forked child of :mod:`fuzzrun`'s fork server under a memory limit (RLIMIT_DATA,
:data:`MEMORY` beyond what the server holds) and a wall limit (:data:`SECONDS`, generous: it only catches hangs), and
must keep gcli's contract (:func:`fuzzrun.assert_well_behaved`):
exit 0, 1 or 2, one ``gcli: error:`` line for 2, never a traceback, never killed. Values are drawn from the
extremes (negative, zero, 10^18, 10^32, 2^63, nan, inf, 5,000 digits, odd strings and fields) and small valid
numbers; valid requests between the two (n in the thousands) are slow by nature and not drawn.

The budget is small for CI (``GCLI_FUZZ_EXAMPLES``, default 8 examples per test); benchmarks/fuzz_bench.py runs
the same strategies with a large one. Also here: the field policy of :mod:`gcli.fields` (the command line and
files agree, before any factoring) and the limits of :mod:`gcli.io.limits` at the builders' entries.
"""

from __future__ import annotations

import contextlib
import os
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import click
import pytest
from fuzzrun import assert_well_behaved, run_forked, warm
from hypothesis import given, settings
from hypothesis import strategies as st

from gcli.errors import InputError

EXAMPLES = int(os.environ.get("GCLI_FUZZ_EXAMPLES", "8"))
SECONDS = int(os.environ.get("GCLI_FUZZ_SECONDS", "60"))
DERANDOMIZE = not os.environ.get("GCLI_FUZZ_RANDOM")  # CI: the same examples every run; the benchmark: fresh ones
MEMORY = 500 * 2**20

HUGE = ["1000000000", str(10**18), str(10**32), str(2**63), str(-(10**18)), "9" * 5000]
SMALL = ["-1", "0", "1", "2", "3", "4", "7"]
ODD = ["nan", "inf", "-inf", "1e308", "-0.0", "", "abc", "0x10", "1_0", " 5", "3.5", "1,2,3", "٣"]
FIELDS = ["real", "GF(2)", "GF(4)", "GF(7)", "GF(13)", "GF(6)", "GF(1)", "GF(0)", "GF(2^521)", "GF(2^10000000000)",
          "GF(4294967291)", "GF(4611686018427387847)", "GF(" + "1" * 58 + ")", "GF(x)", "complex", "GF(2^3^4)"]

INTS = st.sampled_from(SMALL + HUGE)
VALUES = st.one_of(INTS, st.sampled_from(ODD))
FLOATS = st.sampled_from(["nan", "inf", "-inf", "-1", "0", "1e-300", "1e308", "0.5", "1", "abc"])


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    """Compile and load in the fork server what the children would otherwise each compile again (JIT kernels, the
    catalog's caches): the children then spend their time on gcli's answer to the input, not a cold start."""
    warm(commands=[["design", "crc", "-n", "6", "-s", "2"], ["design", "crc", "-n", "6", "-s", "2", "--field", "GF(7)"],
                   ["design", "bibd", "--near", "13"], ["design", "srg", "--near", "7"],
                   ["design", "bibd", "-v", "7", "--block-size", "3"], ["design", "srg", "--params", "10,3,0,1"]])


def _check(args: list[str], memory: int = MEMORY) -> Any:
    outcome = run_forked(args, seconds=SECONDS, memory=memory)
    try:
        assert_well_behaved(outcome)
    except AssertionError as exc:
        _log(outcome, str(exc).splitlines()[0])
        raise
    _log(outcome, None)
    return outcome


def _log(outcome: Any, violation: str | None) -> None:
    """One JSON line per invocation into ``GCLI_FUZZ_LOG`` when set (benchmarks/fuzz_bench.py reads it)."""
    path = os.environ.get("GCLI_FUZZ_LOG")
    if not path:
        return
    import json
    import resource

    record = {"args": [a[:80] for a in outcome.args], "status": outcome.status, "signal": outcome.signal,
              "seconds": round(outcome.seconds, 4), "max_rss": outcome.max_rss, "violation": violation,
              "parent_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")


def _option_values(command: click.Command, skip: set[str]) -> dict[str, tuple[str, st.SearchStrategy[str] | None]]:
    """The command's options (first long flag → strategy; None for a boolean flag), except ``skip``."""
    out: dict[str, tuple[str, st.SearchStrategy[str] | None]] = {}
    for param in command.params:
        if not isinstance(param, click.Option) or param.name in skip or param.name == "help":
            continue
        flag = next((f for f in param.opts if f.startswith("--")), param.opts[0])
        if param.is_flag:
            out[param.name or flag] = (flag, None)
        elif isinstance(param.type, click.Choice):
            out[param.name or flag] = (flag, st.sampled_from([*map(str, param.type.choices), "bogus"]))
        elif param.name == "field":
            out[param.name] = (flag, st.sampled_from(FIELDS))
        elif isinstance(param.type, click.types.FloatParamType):
            out[param.name or flag] = (flag, FLOATS)
        else:
            out[param.name or flag] = (flag, VALUES)
    return out


def _arguments(options: dict[str, tuple[str, st.SearchStrategy[str] | None]]) -> st.SearchStrategy[list[str]]:
    """Up to four of the options, each with a hostile or small value."""
    names = sorted(options)

    @st.composite
    def build(draw: Callable[..., Any]) -> list[str]:
        chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True))
        args: list[str] = []
        for name in chosen:
            flag, values = options[name]
            args += [flag] if values is None else [flag, draw(values)]
        return args

    return build()


def _scheme_cases() -> list[tuple[str, dict[str, tuple[str, st.SearchStrategy[str] | None]]]]:
    from gcli.cli.design import scheme_command
    from gcli.constructions.registry import SCHEMES

    cases = []
    for name, record in SCHEMES.items():
        command = scheme_command(record)
        cases.append((name, _option_values(command, {"output", "generator", "from_file", "placement"}
                                                   if name != "mds" else {"output", "generator"})))
    return cases


SCHEME_CASES = _scheme_cases()


@pytest.mark.parametrize(("scheme", "options"), SCHEME_CASES, ids=[name for name, _ in SCHEME_CASES])
def test_design_options_fuzz(scheme: str, options: dict[str, Any]) -> None:
    """Every option of every ``gcli design`` scheme (from the registry), hostile values, within the limits."""

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=DERANDOMIZE)
    @given(_arguments(options))
    def run(args: list[str]) -> None:
        _check(["design", scheme, *args])

    run()


def _bound_commands() -> list[tuple[str, ...]]:
    return [("bound", "tradeoff"), ("bound", "hierarchical"), ("bound", "approx", "any")]


@pytest.mark.parametrize("path", _bound_commands(), ids=" ".join)
def test_bound_options_fuzz(path: tuple[str, ...]) -> None:
    from gcli.cli import main

    command: Any = main
    for name in path:
        command = command.get_command(click.Context(command), name)
    options = _option_values(command, {"plot"})

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=DERANDOMIZE)
    @given(_arguments(options))
    def run(args: list[str]) -> None:
        _check([*path, *args])

    run()


@settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=DERANDOMIZE)
@given(st.sampled_from([("exists", "bibd"), ("exists", "srg"), ("approx", "bibd"), ("approx", "srg")]),
       st.lists(INTS, min_size=2, max_size=4))
def test_bound_arguments_fuzz(command: tuple[str, str], numbers: list[str]) -> None:
    """The positional parameters of the existence and approximation bounds (v, k, λ, μ), hostile."""
    _check(["bound", *command, *numbers])


@pytest.fixture(scope="module")
def small_code(tmp_path_factory: pytest.TempPathFactory) -> str:
    from gcli.constructions import fractional_repetition
    from gcli.io.json import dumps

    path = tmp_path_factory.mktemp("limits") / "frc.json"
    path.write_text(dumps(fractional_repetition(6, 1)), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("command", ["verify", "compare", "export", "simulate"])
def test_file_command_options_fuzz(command: str, small_code: str) -> None:
    """The numeric options of the commands that read a code, on a small valid file."""
    from gcli.cli import main

    click_command = main.get_command(click.Context(main), command)
    options = _option_values(click_command, {"plot", "output", "scheduler", "processes", "schema", "quiet"})
    files = [small_code, small_code] if command == "compare" else [small_code]
    if command == "simulate":
        options["iterations"] = ("--iterations", st.sampled_from(["1", "3", *HUGE, *ODD]))
        options["repeats"] = ("--repeats", st.sampled_from(["1", "2", *HUGE, *ODD]))
        options["straggler_model"] = ("--straggler-model", st.sampled_from(
            ["fixed:1", "fixed:1000000000000", "bernoulli:nan", "bernoulli:0.5,inf", "shifted-exp:1,0",
             "shifted-exp:-1,1e308", "fixed:1,1e308", "bogus:1", ""]))

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=DERANDOMIZE)
    @given(_arguments(options))
    def run(args: list[str]) -> None:
        extra = ["-T", "3"] if command == "simulate" and "--iterations" not in args else []
        _check([command, *files, *args, *extra])

    run()


# ---------------------------------------------------------------------------------------------------------
# the reproducers of issue 14, one line each, fast
# ---------------------------------------------------------------------------------------------------------
REPRODUCERS = [
    ["design", "frc", "-n", "1000000", "-s", "1"],
    ["design", "crc", "-n", str(10**18), "-s", "2"],
    ["design", "reed-solomon", "-n", str(10**32), "-s", "2"],
    ["design", "mds", "-n", "1000000", "-s", "2"],
    ["design", "mds", "-n", "12", "-d", str(10**18), "--placement", "groups"],
    ["design", "bibd", "-v", "7", "--block-size", "3", "--near", "1000000"],
    ["design", "bibd", "-v", "7", "--block-size", "3", "--near", str(10**18)],
    ["design", "srg", "--near", "1000000"],
    ["design", "srg", "--vertices", str(10**18), "--degree", "3", "--lambda", "0", "--mu", "1"],
    ["design", "hierarchical", "--relays", str(10**18), "--cluster-sizes", "3"],
    ["bound", "hierarchical", "--relays", str(10**18), "--cluster-sizes", "3"],
    ["design", "frc", "-n", "8", "-s", "1", "--field", "GF(2^521)"],
    ["design", "frc", "-n", "8", "-s", "1", "--field", "GF(2^10000000000)"],
    ["design", "frc", "-n", "8", "-s", "1", "--field", "GF(" + "9" * 5000 + ")"],
]


REFUSAL_MEMORY = 100 * 2**20
"""New memory a refusal may use: far below what any of the reproducers' builds would allocate."""


@pytest.mark.parametrize("args", REPRODUCERS, ids=lambda a: " ".join(a)[:50])
def test_reproducers_refused_in_one_line(args: list[str]) -> None:
    """Refused by the limits, before the build: within a small memory budget, with the limit's own message (their
    time: ``python benchmarks/fuzz_bench.py -k reproducers``)."""
    outcome = _check(args, memory=REFUSAL_MEMORY)
    assert outcome.status == 2, outcome.describe()
    assert any(word in outcome.stderr for word in ("limit", "too large", "at least", "need")), outcome.describe()


def test_searches_say_what_they_searched() -> None:
    outcome = _check(["design", "bibd", "--near", "13"])
    assert outcome.status == 0 and "searched 2-(v, k, λ) designs" in outcome.stderr
    outcome = _check(["design", "srg", "--near", "100000"])
    assert outcome.status == 0 and "searched strongly regular graphs on v in [99840, 100160]" in outcome.stderr


@pytest.mark.parametrize(("option", "value"), [("--tolerance", "nan"), ("--tolerance", "inf"),
                                               ("--tolerance", "-1e-9"), ("--sample", "10000000"),
                                               ("--failure-prob", "nan"), ("--jobs", "1000000")])
def test_verify_refuses_unrepresentable_values(small_code: str, option: str, value: str) -> None:
    outcome = _check(["verify", small_code, option, value])
    assert outcome.status == 2, outcome.describe()


def test_limits_can_be_raised_and_lowered(small_code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GCLI_MAX_SAMPLE", "3")
    assert _check(["verify", small_code, "--sample", "4"]).status == 2
    assert _check(["verify", small_code, "--sample", "3"]).status == 0
    monkeypatch.setenv("GCLI_MAX_WORKERS", "5")
    outcome = _check(["design", "frc", "-n", "6", "-s", "1"])
    assert outcome.status == 2 and "GCLI_MAX_WORKERS" in outcome.stderr
    monkeypatch.setenv("GCLI_MAX_WORKERS", "not a number")
    assert _check(["design", "frc", "-n", "6", "-s", "1"]).status == 2


def test_builders_check_sizes_before_allocating() -> None:
    """The library refuses too (the checks live at the builders' entries, not in the CLI)."""
    from gcli.constructions import cyclic_repetition, fractional_repetition, mds, reed_solomon

    for build in (lambda: fractional_repetition(10**6, 1), lambda: cyclic_repetition(10**18, 2),
                  lambda: reed_solomon(10, 2, k=10**12), lambda: mds(10**6), lambda: mds(12, d=10**18)):
        tracemalloc.start()  # numpy reports its buffers to tracemalloc: any start of a build would show
        try:
            with pytest.raises(InputError):
                build()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 2**20, peak


def test_large_sparse_code_within_limits_still_builds() -> None:
    """A valid large request within the limits still works: the STS(777) code has 100,492 workers."""
    outcome = run_forked(["design", "bibd", "-v", "777", "--block-size", "3"], memory=2000 * 2**20)
    assert outcome.status == 0, outcome.describe()
    assert '"n": 100492' in outcome.stdout


def _noisy_tradeoff() -> None:
    """In the child (a ``run_forked`` setup): ``bound tradeoff`` warns twice before its work."""
    import warnings

    from gcli.cli import bound as bound_module

    original = bound_module.bound_tradeoff.callback
    assert original is not None

    def noisy(*args: Any, **kwargs: Any) -> Any:
        warnings.warn("something worth saying", UserWarning, stacklevel=1)
        warnings.warn("overflow encountered in matmul", RuntimeWarning, stacklevel=1)
        return original(*args, **kwargs)

    bound_module.bound_tradeoff.callback = noisy


def test_warnings_never_leak_source_lines() -> None:
    """A warning raised inside a command is one ``gcli: warning:`` line; numerical noise is silent."""

    outcome = run_forked(["bound", "tradeoff", "-n", "10", "-s", "2"], setup=_noisy_tradeoff)
    assert outcome.status == 0
    assert outcome.stderr.strip().splitlines() == ["gcli: warning: something worth saying"], outcome.stderr


# ---------------------------------------------------------------------------------------------------------
# the field policy: one check for --field and for files, before any factoring
# ---------------------------------------------------------------------------------------------------------
PRIMES = [2, 3, 5, 7, 13, 251, 65537, 2**31 - 1, 4294967291, 2**61 - 1, 4611686018427387847, 2**127 - 1,
          2**521 - 1]


def _orders() -> st.SearchStrategy[tuple[int, int, int]]:
    """(q, p, e): prime powers of every size, composites (claimed as prime with e = 1) and huge numbers."""
    powers = st.builds(lambda p, e: (p**e, p, e), st.sampled_from(PRIMES), st.integers(1, 70)).filter(
        lambda t: t[0].bit_length() < 13000)  # printable: Python refuses int → str beyond 4,300 digits
    def claimed(q: int) -> tuple[int, int, int]:  # the (p, e) a correct file would state (q ≤ 10^18: cheap)
        from gcli.fields.numbertheory import prime_power

        p, e = prime_power(q) or (q, 1)
        return q, p, e

    composites = st.builds(lambda a, b: claimed(a * b), st.integers(2, 10**9), st.integers(2, 10**9))
    small = st.builds(claimed, st.integers(-3, 300))
    return st.one_of(powers, composites, small)


@settings(max_examples=200, deadline=None, database=None)
@given(order=_orders())
def test_command_line_and_files_share_one_field_policy(order: tuple[int, int, int]) -> None:
    """as_field(f"GF(q)") is accepted exactly when field_from_json({... q ...}) is (the field construction itself
    is stubbed: this is about the policy, which must answer before any factoring)."""
    from unittest import mock

    from gcli.fields import core as fields

    q, p, e = order
    with mock.patch.object(fields, "gf", lambda order, poly=None: ("field", order)):
        _compare_paths(q, p, e)


@contextlib.contextmanager
def _no_work_beyond_the_policy() -> Iterator[list[int]]:
    """Within: every prime-power test gcli.fields runs is on an order the policy allows (at most 2^62, where it
    costs microseconds), and no field is built on a polynomial; yields the orders tested."""
    from unittest import mock

    from gcli.fields import core as fields

    tested: list[int] = []
    real_prime_power = fields.prime_power

    def prime_power(q: int) -> tuple[int, int] | None:
        assert q <= fields.MAX_ORDER, f"prime_power({q}) beyond the policy's bound"
        tested.append(q)
        return real_prime_power(q)

    def on_polynomial(*args: Any) -> Any:
        raise AssertionError(f"a field was built on a polynomial {args}")

    with mock.patch.object(fields, "prime_power", prime_power), mock.patch.object(fields, "_on_polynomial",
                                                                                  on_polynomial):
        yield tested


def _compare_paths(q: int, p: int, e: int) -> None:
    from gcli.fields import core as fields

    def accepted(call: Callable[[], Any]) -> bool:
        with _no_work_beyond_the_policy():
            try:
                call()
            except InputError:
                return False
        return True

    text = accepted(lambda: fields.as_field(f"GF({q})"))
    power = accepted(lambda: fields.as_field(f"GF({p}^{e})")) if p >= 2 and e > 1 else text
    stored = accepted(lambda: fields.field_from_json(
        {"kind": "gf", "order": q, "characteristic": p, "degree": e, "irreducible_poly": q + 1}))
    assert text == power == stored, (q, p, e, text, power, stored)
    if text:
        assert 2 <= q <= fields.MAX_ORDER and fields.check_order(q) == (p, e)


@pytest.mark.parametrize("name", ["GF(4294967291)", "GF(4611686018427387847)", "GF(65537^2)", "GF(2^61)",
                                  "GF(7^22)"])
def test_advertised_orders_work_end_to_end(name: str) -> None:
    """The orders the README advertises build a certified code and survive a JSON round trip."""
    from gcli.constructions import cyclic_repetition
    from gcli.fields import as_field, field_from_json, field_name, field_to_json
    from gcli.io.json import dumps, loads

    field = as_field(name)
    assert field_from_json(field_to_json(field)) is field
    code = cyclic_repetition(6, 2, field=name)
    again = loads(dumps(code))
    assert field_name(again.field) == field_name(field)
    assert (again.encoding == code.encoding).all()


@pytest.mark.parametrize("obj", [
    {"kind": "gf", "order": 2**521 - 1, "characteristic": 2**521 - 1, "degree": 1, "irreducible_poly": 3},
    {"kind": "gf", "order": int("1" * 58), "characteristic": int("1" * 58), "degree": 1, "irreducible_poly": 3},
    {"kind": "gf", "order": 8, "characteristic": 2, "degree": 10000000000, "irreducible_poly": 11},
    {"kind": "gf", "order": 2**64, "characteristic": 2, "degree": 64, "irreducible_poly": 3},
    {"kind": "gf", "order": "7", "characteristic": 7, "degree": 1, "irreducible_poly": 4},
    {"kind": "gf", "order": 7.0, "characteristic": 7, "degree": 1, "irreducible_poly": 4},
    {"kind": "gf", "order": True, "characteristic": 7, "degree": 1, "irreducible_poly": 4},
    {"kind": "gf", "order": 9, "characteristic": 3, "degree": 2, "irreducible_poly": 10**30},
    {"kind": "gf", "order": 9, "characteristic": 3, "degree": 2, "irreducible_poly": 9},  # x^2: reducible
    {"kind": "gf", "order": 9, "characteristic": 3, "degree": 2},
])
def test_hostile_field_objects_refused_fast(obj: dict[str, Any]) -> None:
    from gcli.fields import field_from_json

    field_from_json({"kind": "gf", "order": 9, "characteristic": 3, "degree": 2, "irreducible_poly": 9 + 1})
    with _no_work_beyond_the_policy(), pytest.raises(InputError):
        field_from_json(obj)


def test_extension_field_without_conway_polynomial_is_deterministic() -> None:
    from gcli.fields import as_field, field_from_json, field_to_json

    field = as_field("GF(65537^2)")
    assert int(field.irreducible_poly) == 65537**2 + 3  # x^2 + 3: the smallest irreducible monic quadratic
    assert field_to_json(field)["irreducible_poly"] == 65537**2 + 3
    assert field_from_json(field_to_json(field)) is field
    alpha = field(int(field.primitive_element))
    assert alpha ** ((65537**2 - 1) // 2) != field(1)  # a generator: no proper power is 1 (one prime checked)
