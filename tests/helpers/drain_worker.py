"""A notifier worker in its own OS process, for tests that kill it: the real `Notifier` and the
channels the config enables, draining the outbox in a loop until it is killed.

    python -m tests.helpers.drain_worker CONFIG [--lease-seconds S]

`--lease-seconds` shortens how long a dead worker's leases hold its targets (30 s in
production), so a test can kill and restart a worker many times within a minute.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("config")
    parser.add_argument("--lease-seconds", type=float)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    asyncio.run(run(args.config, args.lease_seconds))


if __name__ == "__main__":
    main()
