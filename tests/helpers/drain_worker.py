"""Notifier workers in OS processes of their own, for tests that kill them: each runs the real
`Notifier` and the channels the config enables, draining the outbox in a loop until it is killed.

    python -m tests.helpers.drain_worker CONFIG LOG [--lease-seconds S]

This process imports the code once, then forks a new worker for every line it reads on stdin
and prints the worker's pid; the workers write to LOG. Importing the code takes a second or
more (several on a busy machine), so a test that kills twenty workers in a row would otherwise
wait for twenty imports. It exits at the end of its input; workers still running keep running.

`--lease-seconds` shortens how long a dead worker's leases hold its targets (30 s in
production), so a test can kill and restart a worker many times within a minute.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys

import bot.notify.notifier
from bot.config import load_config
from bot.notify.notifier import Notifier
from bot.wiring import build_services


async def run(config_path: str, lease_seconds: float | None) -> None:
    if lease_seconds is not None:
        bot.notify.notifier.LEASE_SECONDS = lease_seconds
    services = build_services(load_config(config_path), with_chat=False)
    await services.start()
    notifier = Notifier(services)
    print(f"ready {notifier.worker_id}", flush=True)
    try:
        while True:
            if not await notifier.drain():
                await asyncio.sleep(0.05)
    finally:
        await services.stop()


def fork_worker(config_path: str, log: str, lease_seconds: float | None) -> int:
    pid = os.fork()
    if pid:
        return pid
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    stdin = os.open(os.devnull, os.O_RDONLY)
    out = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    os.dup2(stdin, 0)
    os.dup2(out, 1)
    os.dup2(out, 2)
    try:
        logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
        asyncio.run(run(config_path, lease_seconds))
    finally:
        os._exit(1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("config")
    parser.add_argument("log")
    parser.add_argument("--lease-seconds", type=float)
    args = parser.parse_args()
    # Dead workers vanish at once, so a test sees a killed one gone (no zombie to reap here).
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    for _ in sys.stdin:
        print(fork_worker(args.config, args.log, args.lease_seconds), flush=True)


if __name__ == "__main__":
    main()
