"""Running in a process: clean shutdown on Ctrl-C and SIGTERM, and a port that cannot be had."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import signal
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

__all__ = ["PortUnavailable", "run_server_loop", "stop_on_signals"]

T = TypeVar("T")


def run_server_loop(main: Coroutine[Any, Any, T]) -> T:
    """Run the server's `main` on uvloop where it is installed, else on asyncio's own loop.

    uvloop's transports cost a fraction of asyncio's per write and per read: a change sent to a
    thousand WebSockets, a request answered, an event ingested all spend less CPU on the loop.
    PROGRESSBOT_EVENT_LOOP=asyncio keeps the standard loop (to compare, or to rule uvloop out)."""
    if os.environ.get("PROGRESSBOT_EVENT_LOOP", "uvloop") != "asyncio":
        try:
            import uvloop
        except ImportError:  # not on this platform (Windows): the standard loop serves too
            pass
        else:
            with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
                return runner.run(main)
    return asyncio.run(main)


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
