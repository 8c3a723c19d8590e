"""Running in a process: clean shutdown on Ctrl-C and SIGTERM, and a port that cannot be had."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import signal
from collections.abc import Callable

__all__ = ["PortUnavailable", "stop_on_signals"]


def stop_on_signals(stop: asyncio.Event) -> list[Callable[[], None]]:
    """Ctrl-C and SIGTERM set `stop`, so the app shuts down cleanly; returns the undo steps."""
    loop = asyncio.get_running_loop()
    undo: list[Callable[[], None]] = []

    def remover(sig: signal.Signals) -> Callable[[], None]:
        def remove() -> None:
            loop.remove_signal_handler(sig)

        return remove

    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)
            undo.append(remover(sig))
    return undo


class PortUnavailable(Exception):
    """The server could not listen on api.host:api.port (in use, not permitted, no such host)."""

    def __init__(self, host: str, port: int, cause: OSError) -> None:
        reason = cause.strerror or str(cause)
        if cause.errno == errno.EADDRINUSE:
            reason = "the port is already in use (is another progressbot running?)"
        elif cause.errno == errno.EACCES:
            reason = "permission denied (ports below 1024 need privileges)"
        super().__init__(f"api.port: cannot listen on {host}:{port}: {reason}")
