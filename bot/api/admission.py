"""What comes in at the door, checked before a route reads it: bytes, JSON and names.

Bodies are strict JSON: no NaN or Infinity (they cannot be echoed back as JSON), no number too
large for a float, valid UTF-8 text without lone surrogates (a database cannot store them), and
no nesting deeper than `limits.max_json_depth` anywhere. Headers that are not valid UTF-8 are
refused before a route reads them. A new task must name people, teams and channels we know, and
an approval quorum its approvers can meet: a task whose owner, approvers or notify targets don't
exist would never be approved or heard, so `POST /api/tasks` refuses it with 422 naming the
field; a channel that is configured but switched off is accepted with a warning in the answer
(its notices wait until it is enabled).

How big a task or an event may be (steps, substeps, names, nesting, approval expiry) is the
Tracker's to check (`store.tracker.Limits`, from `limits:`), so every entry point keeps it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from aiohttp import web

from bot.api.wire import CreateTask
from bot.config import Directory
from bot.services import Services
from store.tracker import depth_of

__all__ = [
    "CHANNEL_SECTIONS",
    "MAX_DB_INT",
    "InputRefused",
    "check_new_task",
    "check_value",
    "header_middleware",
    "strict_json",
]

# Channels with a section in config.yaml; `enabled` there says whether they run.
CHANNEL_SECTIONS = ("slack", "telegram", "email", "console")
MAX_DB_INT = 2**63 - 1  # the largest id a database integer column holds
# Headers that carry a credential: bytes that are not UTF-8 there are a failed login, not a crash.
_CREDENTIAL_HEADERS = ("authorization", "cookie", "x-telegram-bot-api-secret-token")


class InputRefused(Exception):
    """Input beyond what is allowed: the API answers `status` with `code` and the message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


ApiError = InputRefused  # the same signature as bot.api.http.ApiError, which maps it to JSON
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:40]} is too large")
    return value


# One decoder for every body, rather than one built per call with these hooks.
_DECODER = json.JSONDecoder(parse_constant=_no_constant, parse_float=_finite_float)


def strict_json(raw: bytes, *, max_depth: int) -> Any:
    """Parse a request body as strict JSON, or raise a 400 that says what is wrong."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(
            400, "bad_json", f"the body is not valid JSON: it is not UTF-8 ({exc.reason})"
        ) from None
    try:
        if text.startswith("\ufeff"):  # as json.loads refuses it
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        value = _DECODER.decode(text)
    except RecursionError:
        raise ApiError(
            400, "bad_json", f"the body nests deeper than limits.max_json_depth ({max_depth})"
        ) from None
    except ValueError as exc:  # JSONDecodeError is a ValueError, and so are ours above
        raise ApiError(400, "bad_json", f"the body is not valid JSON: {exc}") from None
    # Each [ or { opens one array or object, so a body with few of them cannot nest deeper
    # than their count: most bodies (an event or a few) need no walk of the value.
    if text.count("[") + text.count("{") > max_depth + 2:
        _check_depth(value, max_depth)
    # A lone surrogate can only come from a \u escape: the text itself decoded as UTF-8.
    if "\\u" in text:
        _check_text(value)
    return value


def check_value(value: Any, *, max_depth: int) -> None:
    """The checks of `strict_json` for a value parsed elsewhere (an MCP tool's arguments):
    the same refusals, with the same codes and messages."""
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            name = "NaN" if math.isnan(item) else ("Infinity" if item > 0 else "-Infinity")
            raise ApiError(
                400, "bad_json", f"the body is not valid JSON: {name} is not a JSON number"
            )
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    _check_depth(value, max_depth)
    _check_text(value)


def _check_depth(value: Any, max_depth: int) -> None:
    depth = depth_of(value)
    if depth > max_depth + 2:  # room for the envelope: a list of events, an event, a field
        raise ApiError(
            400,
            "bad_json",
            f"the body nests {depth} levels, deeper than limits.max_json_depth ({max_depth})",
        )


def _check_text(value: Any) -> None:
    """Every string (keys too) must be encodable as UTF-8: JSON's \\ud800 escapes are not."""
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            strings: Iterable[str] = (item,)
        elif isinstance(item, dict):
            strings = item.keys()
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
            continue
        else:
            continue
        for text in strings:
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                raise ApiError(
                    400, "bad_json", "the body's text is not valid UTF-8 (a lone surrogate)"
                ) from None


def _check_quorum(body: CreateTask, directory: Directory) -> None:
    approval = body.approval
    if approval is None:
        return
    approvers = list(approval.approvers) or ([body.owner] if body.owner else [])
    if approvers:
        # Teams stand for their members; a name the config does not know counts as one.
        people = directory.expand(approvers) | {
            n for n in approvers if not directory.exists(n) and not directory.is_team(n)
        }
        if approval.quorum > len(people):
            raise ApiError(
                422,
                "invalid",
                f"approval.quorum: {approval.quorum} approvals can never be given by the "
                f"{len(people)} people who may approve ({', '.join(sorted(people))})",
            )


def check_new_task(services: Services, body: CreateTask) -> list[str]:
    """Raise ApiError(422) naming a quorum no one can meet or the first unknown name; return
    warnings for idle channels. (Its size is the Tracker's to check: `store.tracker.Limits`.)"""
    directory = services.directory
    _check_quorum(body, directory)
    if body.owner is not None and not directory.exists(body.owner):
        raise ApiError(422, "invalid", f"owner: {body.owner!r} is not a person in users:")
    if body.team is not None and not directory.is_team(body.team):
        raise ApiError(422, "invalid", f"team: {body.team!r} is not a team in teams:")
    approvers = body.approval.approvers if body.approval else []
    for n, name in enumerate(approvers):
        if not directory.exists(name) and not directory.is_team(name):
            raise ApiError(
                422,
                "invalid",
                f"approval.approvers.{n}: {name!r} is neither a person in users: nor a team",
            )
    warnings: list[str] = []
    config = services.config
    for n, target in enumerate(body.notify):
        platform = target.platform
        if platform in services.adapters:
            continue
        if platform not in CHANNEL_SECTIONS:
            known = ", ".join(sorted({*CHANNEL_SECTIONS, *services.adapters}))
            raise ApiError(
                422,
                "invalid",
                f"notify.{n}.platform: {platform!r} is not a channel Progress Bot has "
                f"(one of: {known})",
            )
        section = getattr(config, platform)
        if not section.enabled:
            warnings.append(
                f"notify.{n}: {platform} is configured but not enabled ({platform}.enabled is "
                "false); its notices wait until it is"
            )
        elif platform not in services.adapters:
            warnings.append(f"notify.{n}: {platform} is enabled but not running in this process")
    return warnings


@web.middleware
async def header_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse headers whose bytes are not UTF-8 before any route reads them."""
    if "".join(request.headers.values()).isascii():
        return await handler(request)  # ASCII is UTF-8: the usual case, checked in one pass
    for name, value in request.headers.items():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            status, code = (
                (401, "unauthorized")
                if name.lower() in _CREDENTIAL_HEADERS
                else (400, "bad_header")
            )
            message = f"the {name} header is not valid UTF-8"
            return web.json_response({"error": {"code": code, "message": message}}, status=status)
    return await handler(request)
