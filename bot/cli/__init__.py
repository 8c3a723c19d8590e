"""The `progressbot` command line: serve, demo, chat, db, open, outbox.

Owns argument parsing (`main.py`), running the server in-process (`server.py`), the demo and its
simulated engine (`demo.py`, `simulation.py`) and the outbox commands (`outbox.py`). The top layer:
it may import anything of ours; nothing imports it.
"""

from bot.cli.main import main

__all__ = ["main"]
