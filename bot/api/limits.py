"""Bounded input, checked before anything is written.

Bodies are strict JSON: no NaN or Infinity (they cannot be echoed back as JSON), no number too
large for a float, valid UTF-8 text without lone surrogates (a database cannot store them), and
no nesting deeper than `limits.max_json_depth` anywhere. A new task's size (steps, substeps in
all, name lengths, approval policy) and an event's `result` are checked against `limits:` too,
and every refusal names the limit. Headers that are not valid UTF-8 are refused before a route
reads them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from aiohttp import web

from bot.api.wire import CreateTask
from bot.config import Directory, LimitsConfig

__all__ = [
    "MAX_DB_INT",
    "InputRefused",
    "check_events",
    "check_task_limits",
    "check_value",
    "depth_of",
    "header_middleware",
    "strict_json",
]

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


def strict_json(raw: bytes, *, max_depth: int) -> Any:
    """Parse a request body as strict JSON, or raise a 400 that says what is wrong."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(
            400, "bad_json", f"the body is not valid JSON: it is not UTF-8 ({exc.reason})"
        ) from None
    try:
        value = json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
    except RecursionError:
        raise ApiError(
            400, "bad_json", f"the body nests deeper than limits.max_json_depth ({max_depth})"
        ) from None
    except ValueError as exc:  # JSONDecodeError is a ValueError, and so are ours above
        raise ApiError(400, "bad_json", f"the body is not valid JSON: {exc}") from None
    _check_depth(value, max_depth)
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


def depth_of(value: Any) -> int:
    """How deeply a JSON value nests (a scalar is 0, [] or {} is 1), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            depth += 1
            stack.extend((v, depth) for v in item.values())
        elif isinstance(item, list):
            depth += 1
            stack.extend((v, depth) for v in item)
        deepest = max(deepest, depth)
    return deepest


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


def check_task_limits(body: CreateTask, limits: LimitsConfig, directory: Directory) -> None:
    """A new task's size and policy against `limits:`, before it is written."""
    if len(body.steps) > limits.max_steps:
        raise _too_big(f"steps: {len(body.steps)} steps; limits.max_steps is {limits.max_steps}")
    total = 0
    for order, step in enumerate(body.steps, start=1):
        if len(step.substeps) > limits.max_substeps_per_step:
            raise _too_big(
                f"steps.{order - 1}.substeps: {len(step.substeps)} substeps; "
                f"limits.max_substeps_per_step is {limits.max_substeps_per_step}"
            )
        total += len(step.substeps)
        names = [step.name, step.done_label or ""]
        names += [s if isinstance(s, str) else s.name for s in step.substeps]
        names += [s.label or "" for s in step.substeps if not isinstance(s, str)]
        longest = max(len(n) for n in names)
        if longest > limits.max_name_length:
            raise _too_big(
                f"steps.{order - 1}: a name of {longest} characters; "
                f"limits.max_name_length is {limits.max_name_length}"
            )
    if total > limits.max_substeps_total:
        raise _too_big(
            f"steps: {total} substeps in all; limits.max_substeps_total is "
            f"{limits.max_substeps_total}"
        )
    if len(body.title) > limits.max_name_length:
        raise _too_big(f"title: limits.max_name_length is {limits.max_name_length}")
    if body.complexity is not None and depth_of(body.complexity) > limits.max_json_depth:
        raise _too_big(
            f"complexity: nests {depth_of(body.complexity)} levels; limits.max_json_depth is "
            f"{limits.max_json_depth}"
        )
    approval = body.approval
    if approval is None:
        return
    expires = approval.expires_seconds
    if expires is not None and expires > limits.max_approval_expiry_seconds:
        raise _too_big(
            f"approval.expires_seconds: {expires}; limits.max_approval_expiry_seconds is "
            f"{limits.max_approval_expiry_seconds}"
        )
    approvers = list(approval.approvers) or ([body.owner] if body.owner else [])
    if approvers:
        # Teams stand for their members; a name the config does not know counts as one.
        people = directory.expand(approvers) | {
            n for n in approvers if not directory.exists(n) and not directory.is_team(n)
        }
        if approval.quorum > len(people):
            raise _too_big(
                f"approval.quorum: {approval.quorum} approvals can never be given by the "
                f"{len(people)} people who may approve ({', '.join(sorted(people))})"
            )


def check_events(events: Iterable[Any], limits: LimitsConfig) -> None:
    """An event's free-form JSON (`result`) must not nest deeper than the limit."""
    for index, event in enumerate(events):
        if not isinstance(event, Mapping):
            continue
        for key in ("result",):
            value = event.get(key)
            if isinstance(value, dict | list) and depth_of(value) > limits.max_json_depth:
                raise _too_big(
                    f"event {index}: {key} nests {depth_of(value)} levels; "
                    f"limits.max_json_depth is {limits.max_json_depth}"
                )


def _too_big(message: str) -> ApiError:
    return ApiError(422, "invalid", message)


@web.middleware
async def header_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse headers whose bytes are not UTF-8 before any route reads them."""
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
