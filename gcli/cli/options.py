"""From a construction's signature to click options: how ``gcli design SCHEME`` gets its flags.

For each parameter of a scheme's builder (:class:`gcli.constructions.Scheme`): the flags come from the record's
:class:`~gcli.constructions.Option` metadata, else from the common table below (``-n``, ``-s``, ``-m``, ``-a``,
``--field``, ``--seed``, …), else ``--name``; the type from the annotation (``int``, ``float``, ``bool`` flags,
``Literal`` choices); the default from the signature; the help text from the record, else from the builder's
docstring (``Args:`` section), else from the common table. Docstring text is cleaned of reStructuredText markup
before users see it.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from collections.abc import Callable
from typing import Any, Literal

import click

__all__ = ["COMMON", "arg_help", "option_for", "plain_text"]

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


def option_for(name: str, param: inspect.Parameter, hint: Any, flags: tuple[str, ...], help_text: str) -> click.Option:
    """One click option for a builder parameter (module docstring for where flags and help come from)."""
    if typing.get_origin(hint) is typing.Annotated:
        hint = typing.get_args(hint)[0]
    default = None if param.default is inspect.Parameter.empty else param.default
    required = param.default is inspect.Parameter.empty
    if not flags:
        flags = COMMON.get(name, ((f"--{name.replace('_', '-')}",), ""))[0]
    choices = _choices(hint)
    if choices is not None:
        return click.Option([*flags, name], type=click.Choice(choices), default=default, show_default=True,
                            help=help_text, required=required)
    if hint is bool:
        long = next(f for f in flags if f.startswith("--"))
        return click.Option([f"{long}/--no-{long[2:]}", name], default=bool(default), show_default=True,
                            help=help_text)
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and args:
        hint = args[0]
    click_type = {int: int, float: float}.get(hint, str)
    return click.Option([*flags, name], type=click_type, default=default, show_default=default is not None,
                        help=help_text, required=required)


def builder_options(builder: Callable[..., Any], metadata: dict[str, Any]) -> list[click.Option]:
    """The options of every parameter of ``builder``; ``metadata`` maps a parameter name to an object with
    ``flags`` and ``help`` (a registry :class:`~gcli.constructions.Option`)."""
    doc_help = arg_help(inspect.getdoc(builder) or "")
    hints = typing.get_type_hints(builder, include_extras=True)
    options: list[click.Option] = []
    for name, param in inspect.signature(builder).parameters.items():
        meta = metadata.get(name)
        flags = tuple(meta.flags) if meta is not None and meta.flags else ()
        help_text = (meta.help if meta is not None and meta.help else "") or doc_help.get(name, "") \
            or COMMON.get(name, ((), ""))[1]
        options.append(option_for(name, param, hints.get(name), flags, help_text))
    return options
