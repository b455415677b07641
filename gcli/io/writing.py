"""Writing output files (``-o``): atomically onto regular files, through to devices and pipes, never half.

:func:`write_atomic` is the one writer behind every ``-o``/``--output``/``--plot`` of the command line (and
:func:`gcli.io.writing.write_atomic`, the same function). What it does depends on what is at the path:

=================================  ===================================================================================
at the path                        what happens
=================================  ===================================================================================
nothing (a new path)               a temporary file next to it is written, flushed to disk and renamed onto the path;
                                   the new file gets mode ``0666 & ~umask``, like a shell redirection ``>``
a regular file                     the same, and the file keeps its mode (root also keeps its owner); a reader sees
                                   the old or the new content, never a mix; of two concurrent writers one wins whole
a symbolic link                    the link stays; its final target is written as above (a dangling link creates
                                   its target; a loop is refused)
a character device or a FIFO       written through, like ``>``: ``/dev/null`` stays ``/dev/null``, a FIFO's reader
                                   gets the bytes; a FIFO nobody reads is refused instead of waiting
a path under ``/dev`` or ``/proc`` written through as well (``-o /dev/stdout`` writes into standard output, even when
                                   that is a regular file)
a directory, block device, socket  refused
=================================  ===================================================================================

Every failure (no such folder, permission denied, disk full, ``/dev/full``, a name too long) is one
:class:`~gcli.errors.InputError` line naming the path and the reason, and leaves no temporary file behind. The
temporary name is ``.NAME.XXXXXXXX.tmp``, shortened so that it is never longer than the file system allows when
``NAME`` itself is allowed.

Interrupts: :func:`install_signal_handlers` (called by the command line) turns SIGINT (Ctrl-C), SIGTERM and
SIGHUP into a clean exit with one line on stderr (``gcli: error: interrupted``, ``… terminated by SIGTERM``) and
status 130, 143 or 129. Inside the few statements that create, rename or remove the temporary file the signals are
deferred, so an interrupt at any moment leaves the destination either untouched or complete, and no ``.tmp`` file.

Example:
    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> write_atomic(os.path.join(folder, "code.json"), "{}\\n")
    >>> open(os.path.join(folder, "code.json")).read()
    '{}\\n'
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import signal
import stat
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any, Final

from gcli.errors import InputError

__all__ = ["EXIT_STATUS", "SignalExit", "install_signal_handlers", "write_atomic"]

EXIT_STATUS: Final[dict[int, int]] = {int(signal.SIGINT): 130, int(signal.SIGTERM): 143}
if hasattr(signal, "SIGHUP"):
    EXIT_STATUS[int(signal.SIGHUP)] = 129

_THROUGH_PREFIXES = ("/dev/", "/proc/")
_NAME_MAX = 255
_TMP_EXTRA = len("..") + 8 + len(".tmp")  # ".NAME." + 8 hex digits + ".tmp"

# --------------------------------------------------------------------------------------------------------
# signals: deferred inside critical sections
# --------------------------------------------------------------------------------------------------------
_state = threading.local()  # .depth: how many critical sections this thread is in (signals reach the main thread)
_pending: list[int] = []


class SignalExit(SystemExit):
    """SystemExit for a signal; ``message`` is the line the command line prints once everything unwound (after
    the progress bar's last line, never before it)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(status)
        self.message = message


_exiting: list[int] = []


def _raise_for(signum: int) -> None:
    """Leave the program for signal ``signum``: SystemExit with 128 + the signal number (SystemExit, not an
    Exception, so no ``except Exception`` on the way turns it into an internal error) carrying the line
    ``gcli: error: …`` to print. Later signals are ignored while the program unwinds (a Ctrl-C reaches both the
    process and, through :mod:`gcli.cli._supervisor`, again from its parent)."""
    name = signal.Signals(signum).name
    message = "interrupted" if signum == signal.SIGINT else f"terminated by {name}"
    _exiting.append(signum)
    raise SignalExit(EXIT_STATUS.get(signum, 128 + signum), message)


def _handler(signum: int, frame: FrameType | None) -> None:
    if _exiting:
        return
    if getattr(_state, "depth", 0) > 0:
        _pending.append(signum)
        return
    _raise_for(signum)


def install_signal_handlers() -> Callable[[], None]:
    """Handle SIGINT, SIGTERM and SIGHUP as described in the module docstring (only in the main thread; a signal
    the parent ignores, as ``nohup`` ignores SIGHUP, stays ignored). Returns a function restoring the previous
    handlers (the command line calls it when the command ends, so embedding gcli changes nothing for good)."""
    previous: dict[int, Any] = {}
    _exiting.clear()
    if threading.current_thread() is threading.main_thread():
        for signum in EXIT_STATUS:
            current = signal.getsignal(signum)
            if current is signal.SIG_IGN or current is None:
                continue
            if signum == signal.SIGINT and current is not signal.default_int_handler:
                continue  # someone else (a test runner, an embedding program) handles Ctrl-C
            previous[signum] = current
            signal.signal(signum, _handler)

    def restore() -> None:
        for signum, handler in previous.items():
            signal.signal(signum, handler)

    return restore


@contextlib.contextmanager
def _critical() -> Iterator[None]:
    """Defer SIGINT/SIGTERM/SIGHUP (when our handlers are installed) until the block is done."""
    _state.depth = getattr(_state, "depth", 0) + 1
    try:
        yield
    finally:
        _state.depth -= 1
        if _state.depth == 0 and _pending and threading.current_thread() is threading.main_thread():
            signum = _pending[0]
            _pending.clear()
            _raise_for(signum)


# --------------------------------------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------------------------------------
def _failure(path: str, exc: OSError) -> InputError:
    reason = exc.strerror or exc.__class__.__name__
    if exc.errno == errno.ENXIO:
        reason = "no process is reading this FIFO"
    return InputError(f"cannot write {path}: {reason}")


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        written = os.write(fd, view[: 1 << 24])
        view = view[written:]


def _write_through(path: str, payload: bytes, fifo: bool) -> None:
    """Open an existing device, FIFO or /dev, /proc path for writing (``>`` semantics) and write the bytes."""
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    if fifo:
        flags |= os.O_NONBLOCK  # fails with ENXIO at once when nobody reads, instead of waiting forever
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _failure(path, exc) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISREG(mode):
            os.ftruncate(fd, 0)  # /dev/stdout pointing at a file: truncate like the shell's >
        if fifo:
            os.set_blocking(fd, True)
        _write_all(fd, payload)
    except OSError as exc:
        raise _failure(path, exc) from None
    finally:
        os.close(fd)


def _temporary_name(folder: str, name: str) -> str:
    """``.NAME.XXXXXXXX.tmp`` in ``folder``, NAME shortened so the whole stays within the folder's NAME_MAX."""
    try:
        name_max = os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        name_max = _NAME_MAX
    keep = max(1, min(len(name), name_max - _TMP_EXTRA))
    stem = name[:keep]
    while len(os.fsencode(stem)) + _TMP_EXTRA > name_max and len(stem) > 1:
        stem = stem[:-1]
    return os.path.join(folder, f".{stem}.{secrets.token_hex(4)}.tmp")


def _replace(path: str, target: str, payload: bytes, existing: os.stat_result | None) -> None:
    """Write ``payload`` into a temporary file next to ``target``, fsync it and rename it onto ``target``."""
    folder = os.path.dirname(target) or "."
    if not os.path.isdir(folder):
        raise InputError(f"cannot write {path}: folder {folder} does not exist")
    name = os.path.basename(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    tmp: str | None = None
    fd = -1
    try:
        for _ in range(100):
            candidate = _temporary_name(folder, name)
            with _critical():
                try:
                    fd = os.open(candidate, flags, 0o666)  # the umask applies, as for the shell's >
                except FileExistsError:
                    continue
                tmp = candidate
            break
        if tmp is None:  # pragma: no cover - a hundred random names taken
            raise InputError(f"cannot write {path}: no free temporary name in {folder}")
        if existing is not None:
            os.fchmod(fd, stat.S_IMODE(existing.st_mode))
            if hasattr(os, "geteuid") and os.geteuid() == 0:
                with contextlib.suppress(OSError):
                    os.fchown(fd, existing.st_uid, existing.st_gid)
        _write_all(fd, payload)
        os.fsync(fd)
        with _critical():
            os.close(fd)
            fd = -1
            os.replace(tmp, target)
            tmp = None
    except OSError as exc:
        raise _failure(path, exc) from None
    finally:
        with _critical():
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` as the module docstring describes; InputError on failure."""
    text = os.fspath(path)
    if isinstance(text, bytes):  # pragma: no cover - bytes paths are not used by gcli
        text = os.fsdecode(text)
    if not text:
        raise InputError("cannot write to an empty path")
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    try:
        existing: os.stat_result | None = os.stat(text)  # follows symbolic links
    except FileNotFoundError:
        existing = None
    except OSError as exc:  # a symlink loop, a name too long, a folder we may not search, a file as a folder
        raise _failure(text, exc) from None
    absolute = os.path.abspath(text)
    if existing is not None:
        mode = existing.st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"cannot write {text}: it is a directory")
        if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
            _write_through(text, payload, fifo=stat.S_ISFIFO(mode))
            return
        if not stat.S_ISREG(mode):
            raise InputError(f"cannot write {text}: not a regular file, a character device or a FIFO")
        if absolute.startswith(_THROUGH_PREFIXES):
            _write_through(text, payload, fifo=False)
            return
    elif absolute.startswith(_THROUGH_PREFIXES) and os.path.islink(text):
        raise InputError(f"cannot write {text}: its link points nowhere")
    _replace(text, os.path.realpath(text), payload, existing)
