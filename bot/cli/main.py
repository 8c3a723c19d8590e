"""`progressbot`: the command line. Library code never exits; this module does."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence

from bot import logsafe
from bot.config import Config, ConfigError, load_config

__all__ = ["main"]

logger = logging.getLogger("progressbot")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="progressbot",
        description="Follow and steer long-running autonomous tasks from chat.",
    )
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="config file (default: $PROGRESSBOT_CONFIG, else ./config.yaml)",
    )
    parser.add_argument(
        "--log-level",
        help="DEBUG, INFO, WARNING (default INFO; WARNING for the terminal chats demo and chat)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the API, web page, adapters and scheduler")
    serve.add_argument("--host", help="override api.host")
    serve.add_argument("--port", type=int, help="override api.port")

    demo = commands.add_parser(
        "demo", help="the embedded default: server, a simulated CRM task, console chat"
    )
    demo.add_argument("--port", type=int, help="override api.port")
    demo.add_argument("--no-chat", action="store_true", help="no console chat, just the server")

    chat = commands.add_parser("chat", help="chat with the bot in the terminal")
    chat.add_argument("--person", help="who you are (a key of users:; default console.person)")
    chat.add_argument("--url", help="talk to a running server's /api/chat instead of the store")

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_commands.add_parser("upgrade", help="apply the schema migrations")

    commands.add_parser("config", help="show the effective configuration (secrets hidden)")

    open_cmd = commands.add_parser("open", help="print a signed link to a task's progress page")
    open_cmd.add_argument("task", help="task id")
    open_cmd.add_argument("--person", help="who the link acts for (default console.person)")

    outbox = commands.add_parser("outbox", help="notifications waiting, failed or dead")
    outbox_commands = outbox.add_subparsers(dest="outbox_command", required=True, metavar="ACTION")
    outbox_list = outbox_commands.add_parser("list", help="list rows (default: dead and pending)")
    outbox_list.add_argument("--status", help="pending, sending, sent, dead (comma-separated)")
    outbox_retry = outbox_commands.add_parser("retry", help="send a dead row again")
    outbox_retry.add_argument("ids", nargs="+", type=int)
    outbox_drop = outbox_commands.add_parser("drop", help="give up on rows for good")
    outbox_drop.add_argument("ids", nargs="+", type=int)

    rasa = commands.add_parser("rasa-actions", help="serve Rasa custom actions (rasa-sdk)")
    rasa.add_argument("--port", type=int, default=5055, help="port (default 5055)")
    rasa.add_argument("--host", default="127.0.0.1")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # The demo and the console chat share the terminal with the person: keep start-up quiet.
    default_level = "WARNING" if args.command in ("demo", "chat") else "INFO"
    logging.basicConfig(
        level=getattr(logging, str(args.log_level or default_level).upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logsafe.install()
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"progressbot: configuration error:\n{exc}", file=sys.stderr)
        return 2
    logsafe.install(config.secret_values())
    try:
        return _run(args, config)
    except KeyboardInterrupt:
        return 130


def _run(args: argparse.Namespace, config: Config) -> int:
    command = args.command
    if command == "config":
        print(json.dumps(config.redacted_dict(), indent=2, default=str))
        return 0
    if command == "db":
        from store.db import Database

        async def upgrade() -> None:
            db = Database(config.store.url)
            try:
                await db.upgrade()
            finally:
                await db.dispose()

        asyncio.run(upgrade())
        print("database is up to date")
        return 0
    if command == "serve":
        if args.host:
            config.api.host = args.host
        if args.port is not None:
            config.api.port = args.port
        exposed = config.exposed_example_secret()
        if exposed is not None:
            print(
                f"progressbot: {exposed} is an example value (dev-token/change-me) and the server "
                "is reachable from outside; set a real secret (see docs/security.md)",
                file=sys.stderr,
            )
            return 2
        from bot.cli.server import serve

        asyncio.run(serve(config))
        return 0
    if command == "demo":
        from bot.cli.demo import run_demo

        if args.port is not None:
            config.api.port = args.port
        return asyncio.run(run_demo(config, chat=not args.no_chat))
    if command == "chat":
        from bot.wiring import run_console_chat

        return asyncio.run(run_console_chat(config, person=args.person, url=args.url))
    if command == "open":
        from bot.links import print_link

        return asyncio.run(print_link(config, args.task, person=args.person))
    if command == "outbox":
        from bot.cli.outbox import run_outbox_command

        return asyncio.run(run_outbox_command(config, args))
    if command == "rasa-actions":
        from bot.wiring import serve_actions

        return serve_actions(config, host=args.host, port=args.port)
    raise AssertionError(f"unhandled command {command}")  # argparse only allows the above


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
