"""`progressbot mcp`: serve MCP on stdio for an AI agent's host, as a client of a running server.

A host launches this command in a directory of its own choosing, so the config file is optional:
`--url`/`$PROGRESSBOT_URL` name the server; without them the config's `api.public_url` (or its
host and port) does. Stdout belongs to MCP: every word for people goes to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from bot import logsafe
from bot.config import ConfigError, load_config
from bot.logs import setup_logging

__all__ = ["run_mcp_command", "server_url"]


def server_url(args: argparse.Namespace) -> str | None:
    """The server to report to, or None (the reason printed to stderr)."""
    url = args.url or os.environ.get("PROGRESSBOT_URL")
    if url:
        return str(url).rstrip("/")
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(
            f"progressbot mcp: give --url or $PROGRESSBOT_URL, or a config file ({exc})",
            file=sys.stderr,
        )
        return None
    if config.api.public_url:
        return config.api.public_url.rstrip("/")
    host = config.api.host if config.api.host not in ("0.0.0.0", "::", "") else "127.0.0.1"
    return f"http://{host}:{config.api.port}"


def run_mcp_command(args: argparse.Namespace) -> int:
    setup_logging(args.log_level, default="WARNING")
    token = args.token or os.environ.get("PROGRESSBOT_TOKEN")
    if not token:
        print(
            "progressbot mcp: no token; give --token or set PROGRESSBOT_TOKEN to an engine token "
            "of api.tokens",
            file=sys.stderr,
        )
        return 2
    logsafe.install([token])
    url = server_url(args)
    if url is None:
        return 2
    from bot.mcp.stdio import serve_stdio

    try:
        asyncio.run(serve_stdio(url, token))
    except KeyboardInterrupt:
        return 130
    return 0
