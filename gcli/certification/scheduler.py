"""Is the peer at ``--scheduler`` a Dask scheduler? A bounded handshake before Dask's own client connects.

Dask's client trusts its peer: the first 8 bytes it reads are a frame length, so an HTTP server's
``HTTP/1.1 400`` becomes a request for 3.07 EiB, and a peer that accepts and never speaks holds the client
past any timeout. :func:`check_scheduler` speaks first to nobody: a Dask scheduler (``distributed.comm``,
TCP) sends its handshake as soon as a connection is accepted, framed as

    total (u64) · nframes (u64) · nframes lengths (u64 each) · the frames

(little-endian, ``total`` counting everything after itself). The check connects, reads at most
:data:`MAX_HANDSHAKE` bytes within ``timeout`` seconds, and accepts only a frame prelude whose lengths add up
exactly. Anything else is one line (:class:`~gcli.errors.NotSupported`: the peer does not speak Dask) or, for
silence, a timeout line; nothing is ever allocated from the peer's numbers.
Addresses of other transports (``tls://``, ``ucx://``, ``inproc://``, ``ws://``) are left to Dask.

Example:
    >>> check_scheduler("tcp://127.0.0.1:1", timeout=1.0)  # doctest: +SKIP
    Traceback (most recent call last):
    gcli.errors.InputError: cannot reach the Dask scheduler at tcp://127.0.0.1:1: Connection refused
"""

from __future__ import annotations

import socket
import struct
import time
from typing import Final

from gcli.errors import ImpossibleParameters, InputError, NotSupported

__all__ = ["MAX_HANDSHAKE", "check_scheduler", "tcp_endpoint"]

MAX_HANDSHAKE: Final[int] = 1 << 20
"""Bytes a handshake may take (Dask's is a few hundred)."""
MAX_FRAMES: Final[int] = 64
DEFAULT_PORT: Final[int] = 8786


def tcp_endpoint(address: str) -> tuple[str, int] | None:
    """``(host, port)`` of a ``tcp://HOST:PORT`` or bare ``HOST[:PORT]`` address; None for other transports.

    >>> tcp_endpoint("tcp://[::1]:8786"), tcp_endpoint("10.0.0.5"), tcp_endpoint("tls://h:1")
    (('::1', 8786), ('10.0.0.5', 8786), None)
    """
    rest = address.strip()
    if "://" in rest:
        scheme, rest = rest.split("://", 1)
        if scheme != "tcp":
            return None
    rest = rest.rstrip("/")
    if rest.startswith("["):
        host, _, tail = rest[1:].partition("]")
        port_text = tail[1:] if tail.startswith(":") else ""
    elif rest.count(":") == 1:
        host, port_text = rest.split(":")
    else:
        host, port_text = rest, ""
    if not host:
        raise ImpossibleParameters(f"cannot reach the Dask scheduler at {address}: no host")
    if not port_text:
        return host, DEFAULT_PORT
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ImpossibleParameters(f"cannot reach the Dask scheduler at {address}: the port must be 1 to 65535")
    return host, int(port_text)


def _read_exactly(sock: socket.socket, count: int, deadline: float, address: str) -> bytes:
    chunks = bytearray()
    while len(chunks) < count:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        sock.settimeout(left)
        piece = sock.recv(min(count - len(chunks), 1 << 16))
        if not piece:
            raise NotSupported(f"the peer at {address} closed the connection without a Dask handshake: "
                               "not a Dask scheduler")
        chunks += piece
    return bytes(chunks)


def check_scheduler(address: str, timeout: float) -> None:
    """Refuse, in one line and within about ``timeout`` seconds, a peer that is not a Dask scheduler (see the
    module docstring); return quietly for one that sends a well-framed handshake or a non-TCP address."""
    endpoint = tcp_endpoint(address)
    if endpoint is None:
        return
    deadline = time.monotonic() + timeout
    try:
        sock = socket.create_connection(endpoint, timeout=timeout)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        if isinstance(exc, socket.timeout):
            reason = f"no connection within {timeout:g} s"
        raise InputError(f"cannot reach the Dask scheduler at {address}: {reason}") from None
    try:
        head = _read_exactly(sock, 16, deadline, address)
        total, nframes = struct.unpack("<QQ", head)
        if not 8 <= total <= MAX_HANDSHAKE or not 1 <= nframes <= MAX_FRAMES or 8 + 8 * nframes > total:
            raise NotSupported(f"the peer at {address} does not speak Dask's protocol (its first message "
                               "is not a Dask handshake): not a Dask scheduler")
        lengths = struct.unpack(f"<{nframes}Q", _read_exactly(sock, 8 * nframes, deadline, address))
        if 8 + 8 * nframes + sum(lengths) != total:
            raise NotSupported(f"the peer at {address} does not speak Dask's protocol (its handshake's frame "
                               "lengths do not add up): not a Dask scheduler")
        _read_exactly(sock, total - 8 - 8 * nframes, deadline, address)
    except TimeoutError:
        raise InputError(f"cannot reach the Dask scheduler at {address}: no Dask handshake within "
                         f"{timeout:g} s") from None
    except OSError as exc:
        raise InputError(f"cannot reach the Dask scheduler at {address}: "
                         f"{exc.strerror or type(exc).__name__}") from None
    finally:
        sock.close()
