"""From a construction's signature to click options: how ``gcli design SCHEME`` gets its flags.

For each parameter of a scheme's builder (:class:`gcli.constructions.Scheme`): the flags come from the record's
:class:`~gcli.cli.schemes.Option` metadata, else from the common table below (``-n``, ``-s``, ``-m``, ``-a``,
``--field``, ``--seed``, …), else ``--name``; the type from the annotation (``int``, ``float``, ``bool`` flags,
``Literal`` choices); the default from the signature; the help text from the record, else from the builder's
docstring (``Args:`` section), else from the common table. Docstring text is cleaned of reStructuredText markup
before users see it.

One meaning per option name, in every command (a test walks the whole command tree and checks that a flag
always comes with the same partner flags):

==============================  ====================================================================
``-n/--workers N``              number of workers n (of a flat code)
``-k/--partitions K``           number of data partitions k
``-s/--stragglers S``           stragglers tolerated (bounds: a count or a range of counts)
``-a/--adversaries A``          adversarial workers tolerated
``-m/--comm-reduction M``       communication reduction m (each worker sends 1/m of a gradient)
``-d/--load D``                 computation load d: partitions per worker
``--load-fraction D``           hierarchical codes: the fraction of the data a worker may hold (e.g. 3/5)
``-p/--failure-prob P``         probability that a worker fails
``-v/--points V``               points v of a block design (= partitions)
``--vertices V``                vertices v of a graph
``--block-size K``              block size k of a block design
``--degree D``                  degree of a regular graph
``--nodes``                     evaluation points of a polynomial code over the reals
``--near N``                    list what can be built for about N workers, then exit
``--relays K``                  number of relays K (hierarchical codes)
``--cluster-sizes N|N,N,…``     workers per cluster: one value for equal clusters, or one per cluster
``--jobs N``                    local threads (or processes) to run on
``-T/--iterations T``           gradient steps
``--straggler-model SPEC``      stragglers drawn every iteration (:mod:`gcli.training.simulation` vocabulary)
==============================  ====================================================================

Old spellings stay accepted, hidden from help, through :class:`AliasedOption`; each prints one line
``gcli: warning: OLD … is deprecated; use NEW`` on stderr and then means what it used to:

* ``design bibd -k`` → ``--block-size``; ``design srg -k`` → ``--degree``, ``-v`` → ``--vertices``;
  ``design graph -d`` → ``--degree``; ``design reed-solomon --points`` → ``--nodes``;
* ``design bibd|srg --workers N`` (the search) → ``--near N``;
* ``design|bound hierarchical --workers N`` → ``--cluster-sizes N``, ``--load`` → ``--load-fraction``;
* ``verify --workers-local`` → ``--jobs``; ``run --delay-model`` → ``--straggler-model``.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, Literal

import click
from click import ParameterSource

__all__ = ["COMMON", "AliasedOption", "arg_help", "option_for", "plain_text"]

COMMON: dict[str, tuple[tuple[str, ...], str]] = {
    "n": (("-n", "--workers"), "number of workers n"),
    "k": (("-k", "--partitions"), "number of data partitions k"),
    "s": (("-s", "--stragglers"), "stragglers tolerated s"),
    "m": (("-m", "--comm-reduction"), "communication-reduction factor m (messages of length l/m)"),
    "a": (("-a", "--adversaries"), "adversarial workers tolerated a"),
    "field": (("--field",), "field: real, GF(p) or GF(p^e)"),
    "seed": (("--seed",), "seed of the random generator (same seed, byte-identical output)"),
}
"""Flags and help of the parameters most schemes share."""



class AliasedOption(click.Option):
    """An option that also accepts older spellings, hidden from help: ``renamed_from`` maps each old flag to what
    it used to be called (``{"-k": "for the block size"}``). Using one prints one line
    ``gcli: warning: -k for the block size is deprecated; use --block-size`` on stderr and then behaves as the
    new option; the new spelling wins when both are given.

    Example:
        >>> option = AliasedOption(["--near", "near"], type=int, renamed_from={"--workers": "for the search"})
        >>> option.renamed_from
        {'--workers': 'for the search'}
    """

    def __init__(self, *args: Any, renamed_from: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.renamed_from = dict(renamed_from or {})

    def _dest(self, flag: str) -> str:
        return f"{self.name}:deprecated:{flag}"

    def add_to_parser(self, parser: Any, ctx: click.Context) -> None:
        super().add_to_parser(parser, ctx)
        for flag in self.renamed_from:
            if self.is_flag:
                parser.add_option(obj=self, opts=[flag], dest=self._dest(flag), action="store_const",
                                  const=self.flag_value if not self.is_bool_flag else True)
            else:
                parser.add_option(obj=self, opts=[flag], dest=self._dest(flag),
                                  action="append" if self.multiple else "store", nargs=self.nargs)

    def consume_value(self, ctx: click.Context, opts: Mapping[str, Any]) -> tuple[Any, ParameterSource]:
        value, source = super().consume_value(ctx, opts)
        for flag, meaning in self.renamed_from.items():
            if self._dest(flag) not in opts:
                continue
            if not ctx.resilient_parsing:
                new = max(self.opts, key=len)
                click.echo(f"gcli: warning: {' '.join(filter(None, (flag, meaning)))} is deprecated; use {new}",
                           err=True)
            if source != ParameterSource.COMMANDLINE:
                value, source = opts[self._dest(flag)], ParameterSource.COMMANDLINE
        return value, source


_ROLE = re.compile(r":\w+:`~?([^`]+)`")


def plain_text(text: str) -> str:
    """Docstring text as users should read it: no ``literal`` or :role:`x` markup."""
    text = _ROLE.sub(lambda m: m.group(1).rsplit(".", 1)[-1], text)
    return text.replace("``", "")


def arg_help(doc: str) -> dict[str, str]:
    """The Google-style ``Args:`` section of a docstring as {name: help} (markup removed)."""
    helps: dict[str, str] = {}
    match = re.search(r"^\s*Args:\s*$(.*?)(?:^\s*\w[\w ]*:\s*$|\Z)", doc, re.M | re.S)
    if not match:
        return helps
    current: list[str] | None = None
    for line in match.group(1).splitlines():
        item = re.match(r"^\s{4,8}([\w, ]+):\s*(.*)$", line)
        if item:
            current = [x.strip() for x in item.group(1).split(",")]
            for name in current:
                helps[name] = item.group(2)
        elif current and line.strip():
            for name in current:
                helps[name] += " " + line.strip()
    return {name: plain_text(text) for name, text in helps.items()}


def _choices(hint: Any) -> list[str] | None:
    """The values of a Literal (or a union of Literals), else None."""
    origin = typing.get_origin(hint)
    if origin is Literal:
        return [str(a) for a in typing.get_args(hint)]
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if origin in (typing.Union, types.UnionType) and args and all(typing.get_origin(a) is Literal for a in args):
        return [str(v) for a in args for v in typing.get_args(a)]
    return None


def option_for(name: str, param: inspect.Parameter, hint: Any, flags: tuple[str, ...], help_text: str,
               renamed_from: Mapping[str, str] | None = None) -> click.Option:
    """One click option for a builder parameter (module docstring for where flags and help come from);
    ``renamed_from``: old flags still accepted, with one warning line (:class:`AliasedOption`)."""
    if typing.get_origin(hint) is typing.Annotated:
        hint = typing.get_args(hint)[0]
    default = None if param.default is inspect.Parameter.empty else param.default
    required = param.default is inspect.Parameter.empty
    if not flags:
        flags = COMMON.get(name, ((f"--{name.replace('_', '-')}",), ""))[0]
    choices = _choices(hint)
    if choices is not None:
        return AliasedOption([*flags, name], type=click.Choice(choices), default=default, show_default=True,
                             help=help_text, required=required, renamed_from=renamed_from)
    if hint is bool:
        long = next(f for f in flags if f.startswith("--"))
        return AliasedOption([f"{long}/--no-{long[2:]}", name], default=bool(default), show_default=True,
                             help=help_text, renamed_from=renamed_from)
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and args:
        hint = args[0]
    click_type = {int: int, float: float}.get(hint, str)
    if required:  # no default at all: click (8.2+) counts an explicit default=None as a given value
        return AliasedOption([*flags, name], type=click_type, help=help_text, required=True,
                             renamed_from=renamed_from)
    return AliasedOption([*flags, name], type=click_type, default=default, show_default=default is not None,
                         help=help_text, renamed_from=renamed_from)


def builder_options(builder: Callable[..., Any], metadata: dict[str, Any]) -> list[click.Option]:
    """The options of every parameter of ``builder``; ``metadata`` maps a parameter name to an object with
    ``flags``, ``help`` and ``renamed_from`` (a registry :class:`~gcli.cli.schemes.Option`)."""
    doc_help = arg_help(inspect.getdoc(builder) or "")
    hints = typing.get_type_hints(builder, include_extras=True)
    options: list[click.Option] = []
    for name, param in inspect.signature(builder).parameters.items():
        meta = metadata.get(name)
        flags = tuple(meta.flags) if meta is not None and meta.flags else ()
        help_text = (meta.help if meta is not None and meta.help else "") or doc_help.get(name, "") \
            or COMMON.get(name, ((), ""))[1]
        old = dict(meta.renamed_from) if meta is not None else {}
        options.append(option_for(name, param, hints.get(name), flags, help_text, old))
    return options
