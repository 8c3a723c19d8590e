"""Running in a process: Ctrl-C and SIGTERM end the app cleanly (serve, the demo, the chat)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable

__all__ = ["stop_on_signals"]


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
