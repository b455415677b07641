"""One meaning per option name across the command line, old spellings that still work (with one warning line),
one straggler-model vocabulary for ``simulate`` and ``run``, "did you mean", help ranges, and shell completion."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from gcli import dumps
from gcli.cli import cli
from gcli.cli import options as options_module
from gcli.cli.options import AliasedOption
from gcli.constructions import cyclic_repetition
from gcli.errors import InputError
from gcli.training.runtime import DelayModel
from gcli.training.simulation import StragglerModel


def commands() -> Iterator[tuple[str, click.Command]]:
    """Every command of the tree (design schemes and bound subcommands included), by its full name."""
    def walk(command: click.Command, path: str, ctx: click.Context) -> Iterator[tuple[str, click.Command]]:
        yield path, command
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None, f"{path} {name}"
                yield from walk(sub, f"{path} {name}", click.Context(sub, parent=ctx, info_name=name))

    yield from walk(cli, "gcli", click.Context(cli, info_name="gcli"))


def visible_options() -> Iterator[tuple[str, click.Option]]:
    for path, command in commands():
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                yield path, param


def invoke(args: list[str]) -> click.testing.Result:
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


# -- one meaning per name -----------------------------------------------------------------------------------
def test_every_flag_comes_with_the_same_partners_everywhere() -> None:
    """The guard: a flag (``-k``, ``--workers``, …) always appears with the same other spellings, so ``-k`` cannot
    mean partitions in one command and block size in another, nor ``--workers`` n here and a cluster size there."""
    uses: dict[str, dict[tuple[str, ...], list[str]]] = defaultdict(lambda: defaultdict(list))
    for path, option in visible_options():
        spelling = tuple(sorted(option.opts))
        for flag in option.opts:
            uses[flag][spelling].append(path)
    clashes = {flag: dict(spellings) for flag, spellings in uses.items() if len(spellings) > 1}
    assert not clashes, f"one flag, several meanings: {clashes}"


def test_old_spellings_do_not_clash_with_current_ones() -> None:
    """A kept old spelling is hidden and never a flag of another option of the same command, nor of any command
    in the current vocabulary with a different meaning (old ``-k`` of bibd is fine: bibd has no partitions)."""
    for path, command in commands():
        current = {flag for p in command.params if isinstance(p, click.Option) for flag in p.opts + p.secondary_opts}
        for param in command.params:
            for old in getattr(param, "renamed_from", {}):
                assert old not in current, f"{path}: old {old} is also a current flag"


def test_vocabulary_table_matches_the_tree() -> None:
    """The table in gcli.cli.options is the documentation of the rule: every row is how the tree spells it."""
    doc = options_module.__doc__ or ""
    rows = re.findall(r"^``([^`]+)``\s{2,}\S", doc, re.M)
    assert len(rows) >= 15
    spellings = {tuple(sorted(o.opts)) for _, o in visible_options()}
    for row in rows:
        flags = tuple(sorted(row.split()[0].split("/")))
        assert flags in spellings, f"{row!r} is in the table but no option is spelled {flags}"


# -- renamed options: the new name works; the old one warns once and behaves as before ------------------------
@pytest.fixture(scope="module")
def code_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("codes") / "crc.json"
    path.write_text(dumps(cyclic_repetition(5, 1)))
    return str(path)


RENAMES = [
    (["design", "bibd", "-v", "7", "--block-size", "3"], ["design", "bibd", "-v", "7", "-k", "3"],
     ["-k for the block size is deprecated; use --block-size"]),
    (["design", "srg", "--vertices", "9", "--degree", "4", "--lambda", "1", "--mu", "2"],
     ["design", "srg", "-v", "9", "-k", "4", "--lambda", "1", "--mu", "2"],
     ["-v for the vertices is deprecated; use --vertices", "-k for the degree is deprecated; use --degree"]),
    (["design", "graph", "--family", "random-regular", "-n", "10", "--degree", "3", "--seed", "1"],
     ["design", "graph", "--family", "random-regular", "-n", "10", "-d", "3", "--seed", "1"],
     ["-d for the degree is deprecated; use --degree"]),
    (["design", "reed-solomon", "-n", "6", "-s", "1", "--nodes", "equispaced"],
     ["design", "reed-solomon", "-n", "6", "-s", "1", "--points", "equispaced"],
     ["--points for the evaluation points is deprecated; use --nodes"]),
    (["design", "bibd", "--near", "13"], ["design", "bibd", "--workers", "13"],
     ["--workers for the search is deprecated; use --near"]),
    (["bound", "hierarchical", "--relays", "2", "--cluster-sizes", "4"],
     ["bound", "hierarchical", "--relays", "2", "--workers", "4"],
     ["--workers for the workers in every cluster is deprecated; use --cluster-sizes"]),
    (["bound", "hierarchical", "--relays", "2", "--cluster-sizes", "4", "--load-fraction", "3/4"],
     ["bound", "hierarchical", "--relays", "2", "--cluster-sizes", "4", "--load", "3/4"],
     ["--load for the fraction of the data is deprecated; use --load-fraction"]),
    (["verify", "CODE", "--jobs", "1"], ["verify", "CODE", "--workers-local", "1"],
     ["--workers-local is deprecated; use --jobs"]),
    (["simulate", "CODE", "-T", "2", "--straggler-model", "fixed:1,8"],
     ["simulate", "CODE", "-T", "2", "--straggler-model", "fixed-slow:1,8"],
     ["straggler model fixed-slow:1,8 is deprecated; use fixed:1,8"]),
]


@pytest.mark.parametrize(("new", "old", "warnings"), RENAMES, ids=[" ".join(r[1][:3]) for r in RENAMES])
def test_renamed_option_new_works_old_warns_once(new: list[str], old: list[str], warnings: list[str],
                                                  code_file: str) -> None:
    new = [code_file if a == "CODE" else a for a in new]
    old = [code_file if a == "CODE" else a for a in old]
    current, former = invoke(new), invoke(old)
    assert current.exit_code == former.exit_code == 0, (current.stderr, former.stderr)
    assert "deprecated" not in current.stderr
    assert former.stdout == current.stdout
    lines = [line for line in former.stderr.splitlines() if "deprecated" in line]
    assert lines == [f"gcli: warning: {w}" for w in warnings], former.stderr


def test_new_spelling_wins_over_the_old_one() -> None:
    result = invoke(["bound", "hierarchical", "--relays", "2", "--workers", "9", "--cluster-sizes", "4", "--json"])
    assert result.exit_code == 0 and '"cluster_sizes": [4, 4]' in result.stdout
    assert result.stderr.count("deprecated") == 1


def test_run_delay_model_is_the_straggler_model(code_file: str) -> None:
    """``run --delay-model`` still reaches the (shared) straggler-model parser: refused before any cluster starts."""
    result = invoke(["run", code_file, "--local", "1", "--delay-model", "fixed:x"])
    assert result.exit_code == 2
    assert "gcli: warning: --delay-model is deprecated; use --straggler-model" in result.stderr
    assert "malformed straggler model 'fixed:x'" in result.stderr


def test_aliased_option_help_hides_old_spellings() -> None:
    text = invoke(["design", "bibd", "--help"]).stdout
    assert "--block-size" in text and "--near" in text and " -k" not in text and "--workers" not in text
    assert isinstance(AliasedOption(["--x"], renamed_from={"--y": ""}), click.Option)


# -- one straggler-model vocabulary --------------------------------------------------------------------------
@pytest.mark.parametrize("spec", ["none", "fixed:2", "fixed:2,8", "bernoulli:0.25", "bernoulli:0.25,3",
                                  "shifted-exp:1,2"])
def test_simulate_and_run_read_the_same_models(spec: str) -> None:
    model = StragglerModel.parse(spec)
    assert StragglerModel.parse(model.text()) == model
    delays = DelayModel.parse(spec)
    assert delays.text() == model.text()
    assert (delays.stragglers is None) == (spec == "none")


@pytest.mark.parametrize("spec", ["fixed:", "slow:2", "fixed:2,0.5", "bernoulli:2", "shifted-exp:1", "none:1"])
def test_both_refuse_the_same_models(spec: str) -> None:
    with pytest.raises(InputError, match="straggler model"):
        StragglerModel.parse(spec)
    with pytest.raises(InputError, match="straggler model"):
        DelayModel.parse(spec)


def test_old_run_model_name_warns_and_reads_as_fixed() -> None:
    with pytest.warns(FutureWarning, match="fixed-slow:2,8 is deprecated; use fixed:2,8"):
        assert DelayModel.parse("fixed-slow:2,8").text() == "fixed:2,8"


def test_simulate_and_run_explain_the_models_the_same_way() -> None:
    def model_help(name: str) -> str:
        command = dict(commands())[f"gcli {name}"]
        option = next(p for p in command.params if isinstance(p, click.Option) and "--straggler-model" in p.opts)
        return (option.help or "").split("  [")[0].split("; a worker")[0]

    assert model_help("simulate") == model_help("run")


# -- did you mean --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("args", "message"), [
    (["desing"], "gcli: error: No such command 'desing'. Did you mean 'design'?"),
    (["design", "reed-solomn"], "gcli: error: No such command 'reed-solomn'. Did you mean 'reed-solomon'?"),
    (["bound", "tradof"], "gcli: error: No such command 'tradof'. Did you mean 'tradeoff'?"),
    (["bound", "exists", "bbd"], "gcli: error: No such command 'bbd'. Did you mean 'bibd'?"),
    (["bound", "hierarchicl"], "gcli: error: No such command 'hierarchicl'. Did you mean 'hierarchical'?"),
    (["design", "bibd", "--wrokers", "5"], "gcli: error: No such option '--wrokers'. Did you mean '--near'?"),
    (["design", "bibd", "--block-sise", "3"], "gcli: error: No such option '--block-sise'. Did you mean "
                                             "'--block-size'?"),
    (["bound", "tradeoff", "--worker", "4"], "gcli: error: No such option '--worker'. Did you mean '--workers'?"),
])
def test_did_you_mean_is_one_line_exit_2(args: list[str], message: str) -> None:
    result = invoke(args)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [message]
    assert result.stdout == ""


# -- help display --------------------------------------------------------------------------------------------
def test_help_shows_ranges_without_none() -> None:
    for path, _ in commands():
        text = invoke([*path.split()[1:], "--help"]).stdout
        assert "None" not in text and "RANGE" not in text, path
    assert "[0<x<1]" in invoke(["verify", "--help"]).stdout


# -- shell completion ----------------------------------------------------------------------------------------
def _complete(words: str, shell: str = "bash") -> str:
    gcli = Path(sys.executable).parent / "gcli"
    env = {**os.environ, "_GCLI_COMPLETE": f"{shell}_complete", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
    done = subprocess.run([str(gcli)], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.skipif(not (Path(sys.executable).parent / "gcli").exists(), reason="gcli is not installed here")
def test_completion_through_the_lazy_groups() -> None:
    assert _complete("gcli des").split() == ["plain,design"]
    assert "plain,reed-solomon" in _complete("gcli design reed").split()
    assert "plain,tradeoff" in _complete("gcli bound tr").split()
    offered = _complete("gcli design bibd -").split()
    assert "plain,--block-size" in offered and "plain,--near" in offered
    assert "plain,-k" not in offered and "plain,--workers" not in offered  # old spellings are not offered
    assert _complete("gcli des", "zsh").split()[:2] == ["plain", "design"]


@pytest.mark.skipif(not (Path(sys.executable).parent / "gcli").exists(), reason="gcli is not installed here")
@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(shell: str) -> None:
    gcli = Path(sys.executable).parent / "gcli"
    done = subprocess.run([str(gcli)], env={**os.environ, "_GCLI_COMPLETE": f"{shell}_source"},
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and "_GCLI_COMPLETE" in done.stdout


def test_every_scheme_has_its_help_in_the_cli_layer():
    """The help texts live in gcli.cli.schemes, one record per scheme of the registry (and no other)."""
    from gcli.cli.schemes import HELP
    from gcli.constructions.registry import SCHEMES

    assert list(HELP) == list(SCHEMES)
    assert all(record.summary and record.description for record in HELP.values())
