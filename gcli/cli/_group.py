"""Click groups of the command line: one-line errors with exit status 2, subcommands loaded on demand, and
"Did you mean …?" for a mistyped command, scheme or option (``gcli desing`` → ``gcli: error: No such command
'desing'. Did you mean 'design'?``)."""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import sys
import warnings
from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

import click

from gcli.errors import InconsistentMessages, InputError

__all__ = ["GcliGroup", "LazyGroup", "SuggestingGroup", "fail"]


def fail(message: str, status: int = 2) -> NoReturn:
    """Print one line ``gcli: error: …`` on stderr (if stderr can take it) and exit."""
    _say(f"gcli: error: {' '.join(message.split())}")
    sys.exit(status)


class GuardedStdout:
    """Standard output for the commands: a write that fails (``/dev/full``, a disk full, an I/O error, standard
    output closed before gcli started) ends the command with one line ``gcli: error: cannot write to standard
    output: …`` and exit status 2, like a failed ``-o FILE``. A reader that went away (a broken pipe, ``| head``)
    still ends it quietly with status 0.

    Example:
        >>> import io
        >>> GuardedStdout(io.StringIO()).write("ok")
        2
    """

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def _failed(self, exc: BaseException) -> NoReturn:
        if isinstance(exc, BrokenPipeError):
            raise exc
        reason = getattr(exc, "strerror", None) or "it is closed"
        with contextlib.suppress(OSError):  # what is still buffered must not fail again when Python exits
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.close(null)
        fail(f"cannot write to standard output: {reason}")

    def write(self, data: Any) -> int:
        if self._stream is None:
            self._failed(OSError(errno.EBADF, "it is closed"))
        try:
            return int(self._stream.write(data))
        except (OSError, ValueError) as exc:
            self._failed(exc)

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except (OSError, ValueError) as exc:
            self._failed(exc)

    def isatty(self) -> bool:
        return bool(self._stream is not None and self._stream.isatty())

    @property
    def buffer(self) -> GuardedStdout:
        """The binary stream underneath, guarded the same way."""
        return GuardedStdout(getattr(self._stream, "buffer", None) if self._stream is not None else None)

    def __getattr__(self, name: str) -> Any:
        if self._stream is None:
            raise AttributeError(name)
        return getattr(self._stream, name)


class SuggestingGroup(click.Group):
    """A group that suggests the closest of all its commands, listed or loaded on demand (click alone only knows
    the ones registered in ``self.commands``)."""

    def resolve_command(self, ctx: click.Context,
                        args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as exc:
            raise click.exceptions.NoSuchCommand(exc.command_name, possibilities=self.list_commands(ctx),
                                                 ctx=ctx) from None


class LazyGroup(SuggestingGroup):
    """A group whose subcommands live in other modules (``{"name": "module:attribute"}``) and are imported
    only when invoked or listed, so ``gcli --help`` does not load numpy, galois or sympy."""

    def __init__(self, *args: Any, lazy_subcommands: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_subcommands = dict(lazy_subcommands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*super().list_commands(ctx), *self.lazy_subcommands]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = self.lazy_subcommands.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        module, attribute = target.split(":")
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):  # pragma: no cover - a wiring bug
            raise TypeError(f"{target} is not a click command")
        return command


class GcliGroup(LazyGroup):
    """The top-level group: every error becomes one line on stderr with exit status 2 (1 is reserved for a
    failed verification, 3 for a bug, 130 for an interrupt)."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if args is None:  # the gcli script or python -m gcli: a parent that ends the command in time on a signal
            from gcli.cli._supervisor import supervise

            supervise()
        stdout = sys.stdout
        sys.stdout = GuardedStdout(stdout)  # type: ignore[assignment]
        with warnings.catch_warnings(record=True) as caught:
            _warning_filters()
            try:
                try:
                    status = self._run(args, prog_name, complete_var, **extra)
                finally:
                    with contextlib.suppress(BrokenPipeError):
                        sys.stdout.flush()
                    sys.stdout = stdout
            except SystemExit as exc:
                status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
                message = getattr(exc, "message", None)  # a signal (gcli.io.writing.SignalExit): said last
                if isinstance(message, str):  # the process's own stderr, not a display's redirection of it
                    _say(f"gcli: error: {message}", sys.__stderr__)
                elif exc.code is not None and not isinstance(exc.code, int):
                    click.echo(str(exc.code), err=True)
        if status in (0, 1):
            _report_warnings(caught)
        sys.exit(status)

    def _run(self, args: Sequence[str] | None, prog_name: str | None, complete_var: str | None,
             **extra: Any) -> int:
        try:
            result = super().main(
                args=args, prog_name=prog_name or "gcli", complete_var=complete_var,
                standalone_mode=False, **extra,
            )
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
            sys.exit(0)
        except click.exceptions.NoSuchOption as exc:
            fail(_option_message(exc), exc.exit_code)
        except click.ClickException as exc:
            fail(exc.format_message(), exc.exit_code if exc.exit_code else 2)
        except InconsistentMessages as exc:  # a decoder refused what the messages expose: a failed check, not bad input
            fail(str(exc), 1)
        except InputError as exc:
            fail(str(exc))
        except click.Abort:
            fail("aborted", 130)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except BrokenPipeError:
            sys.exit(0)
        except Exception as exc:  # a bug, not bad input: still one line, but say so
            if os.environ.get("GCLI_DEBUG"):
                raise
            if any(kind.__name__ == "LinAlgError" for kind in type(exc).__mro__):  # numpy's and scipy's
                fail(f"the linear algebra on this file's matrices failed ({exc}): their entries are out of the range "
                     "LAPACK handles (rescale them, or check the file)")
            fail(f"internal error: {exc.__class__.__name__}: {exc} (set GCLI_DEBUG=1 for details)", 3)
        return result if isinstance(result, int) else 0


def _say(line: str, stream: Any = None) -> None:
    """Write one line on stderr (or ``stream``), whatever state it is in (closed, full, a broken pipe)."""
    target = sys.stderr if stream is None else stream
    try:
        target.write(line + "\n")
        target.flush()
    except (OSError, ValueError, AttributeError):
        pass


def _option_message(exc: click.exceptions.NoSuchOption) -> str:
    """click's message for an unknown option, suggesting the current spelling rather than a deprecated alias
    (``--worker`` in ``gcli design bibd`` → ``--near``, not the old ``--workers``)."""
    if not exc.possibilities or exc.ctx is None:
        return exc.format_message()
    renamed: dict[str, str] = {}
    for param in exc.ctx.command.params:
        for old in getattr(param, "renamed_from", {}):
            renamed[old] = max(param.opts, key=len)
    names = list(dict.fromkeys(renamed.get(name, name) for name in exc.possibilities))
    listed = f"'{names[0]}'" if len(names) == 1 else "one of " + ", ".join(f"'{n}'" for n in names)
    return f"{exc.message} Did you mean {listed}?"


_SILENCED = ("RuntimeWarning", "ComplexWarning", "NumbaWarning", "NumbaPerformanceWarning", "NumbaDeprecationWarning",
             "LinAlgWarning", "MatplotlibDeprecationWarning", "DeprecationWarning", "PendingDeprecationWarning")
"""Warnings of the numerical libraries (overflow in an intermediate, a discarded imaginary part, JIT notes): gcli
checks its results itself (residuals, exact arithmetic, refusals), so these say nothing a user can act on."""


def _warning_filters() -> None:
    """Record every warning (shown once each at the end, as one line) except the numerical libraries' noise."""
    warnings.simplefilter("always")
    for category in (RuntimeWarning, DeprecationWarning, PendingDeprecationWarning):
        warnings.simplefilter("ignore", category)


def _report_warnings(caught: Sequence[warnings.WarningMessage]) -> None:
    """One line ``gcli: warning: …`` per distinct warning that is not numerical noise (never source lines)."""
    seen: set[str] = set()
    for item in caught:
        kind = item.category.__name__
        if kind in _SILENCED or any(base.__name__ in _SILENCED for base in item.category.__mro__):
            continue
        text = " ".join(str(item.message).split())
        if text and text not in seen:
            seen.add(text)
            click.echo(f"gcli: warning: {text}", err=True)
