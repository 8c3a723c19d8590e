"""`progressbot`: the command line. Library code never exits; this module does."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from typing import Any

from bot import logsafe
from bot.config import Config, ConfigError, load_config
from bot.logs import setup_logging
from bot.runtime import PortUnavailable

__all__ = ["main"]

logger = logging.getLogger("progressbot")


def _global_options(*, suppress: bool) -> argparse.ArgumentParser:
    """`--config` and `--log-level`, accepted before or after the command.

    The subcommands' copies default to SUPPRESS, so an option given before the command is not
    overwritten by the subcommand's default."""
    default = argparse.SUPPRESS if suppress else None
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument(
        "--config",
        metavar="PATH",
        default=default,
        help="config file (default: $PROGRESSBOT_CONFIG, else ./config.yaml)",
    )
    options.add_argument(
        "--log-level",
        default=default,
        help="DEBUG, INFO, WARNING (default INFO; WARNING for the terminal chats demo and chat)",
    )
    return options


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="progressbot",
        description="Follow and steer long-running autonomous tasks from chat.",
        parents=[_global_options(suppress=False)],
    )
    common = _global_options(suppress=True)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(group: Any, name: str, help: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = group.add_parser(name, help=help, parents=[common])
        return parser

    serve = command(commands, "serve", "run the API, web page, adapters and scheduler")
    serve.add_argument("--host", help="override api.host")
    serve.add_argument("--port", type=_port, help="override api.port")

    demo = command(commands, "demo", "the embedded default: server, a simulated task, console chat")
    demo.add_argument("--port", type=_port, help="override api.port")
    demo.add_argument("--no-chat", action="store_true", help="no console chat, just the server")

    chat = command(commands, "chat", "chat with the bot in the terminal")
    chat.add_argument("--person", help="who you are (a key of users:; default console.person)")
    chat.add_argument("--url", help="talk to a running server's /api/chat instead of the store")

    db = command(commands, "db", "database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    command(db_commands, "upgrade", "apply the schema migrations")

    command(commands, "config", "show the effective configuration (secrets hidden)")

    tasks = command(commands, "tasks", "list tasks: id, title, status, percent, owner")
    tasks.add_argument("--status", help="only these states (comma-separated, e.g. running,paused)")
    tasks.add_argument("--active", action="store_true", help="only tasks still going")
    tasks.add_argument("--owner", help="only this person's tasks (and their teams')")
    tasks.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    tasks.add_argument("--json", action="store_true", help="one JSON object per line")

    open_cmd = command(commands, "open", "print a signed link to a task's progress page")
    open_cmd.add_argument("task", help="task id (see `progressbot tasks`)")
    open_cmd.add_argument("--person", help="who the link acts for (default console.person)")

    outbox = command(commands, "outbox", "notifications waiting, failed or dead")
    outbox_commands = outbox.add_subparsers(dest="outbox_command", required=True, metavar="ACTION")
    outbox_list = command(outbox_commands, "list", "list rows (default: dead and pending)")
    outbox_list.add_argument("--status", help="pending, sending, sent, dead (comma-separated)")
    outbox_retry = command(outbox_commands, "retry", "send a dead row again")
    outbox_retry.add_argument("ids", nargs="+", type=int)
    outbox_drop = command(outbox_commands, "drop", "give up on rows for good")
    outbox_drop.add_argument("ids", nargs="+", type=int)

    mcp = command(commands, "mcp", "an MCP server on stdio for AI agents, reporting to a server")
    mcp.add_argument(
        "--token", help="the engine token the agent acts with (default: $PROGRESSBOT_TOKEN)"
    )
    mcp.add_argument(
        "--url",
        help="the running server (default: $PROGRESSBOT_URL, else api.public_url or api.host:port)",
    )

    rasa = command(commands, "rasa-actions", "serve Rasa custom actions (rasa-sdk)")
    rasa.add_argument("--port", type=_port, default=5055, help="port (default 5055)")
    rasa.add_argument("--host", default="127.0.0.1")
    return parser


def _port(text: str) -> int:
    """A TCP port for --port: 0 (any free port) to 65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"api.port: {text!r} is not a number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"api.port: {port} is out of range (0 to 65535)")
    return port


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "mcp":
        from bot.cli.mcp import run_mcp_command

        return run_mcp_command(args)
    # The demo and the console chat share the terminal with the person: keep start-up quiet.
    default_level = "WARNING" if args.command in ("demo", "chat") else "INFO"
    setup_logging(args.log_level, default=default_level)
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
    except PortUnavailable as exc:
        print(f"progressbot: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `progressbot tasks | head`
        return 0


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
        from bot.runtime import run_server_loop

        run_server_loop(serve(config))
        return 0
    if command == "demo":
        from bot.cli.demo import run_demo

        if args.port is not None:
            config.api.port = args.port
        return asyncio.run(run_demo(config, chat=not args.no_chat))
    if command == "chat":
        from bot.wiring import run_console_chat

        return asyncio.run(run_console_chat(config, person=args.person, url=args.url))
    if command == "tasks":
        from bot.cli.tasks import run_tasks_command

        return asyncio.run(run_tasks_command(config, args))
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
