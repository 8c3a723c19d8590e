"""The API's HTTP plumbing: JSON errors that name the problem, bearer tokens, bodies.

Every error is JSON: `{"error": {"code": ..., "message": ...}}`; store errors map to 4xx here.
The web page's routes reuse these helpers; a browser session is read through `BROWSER_SESSION`,
which the web package sets, so the API never imports the web page.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError

from bot.api.admission import InputRefused, strict_json
from bot.api.wire import describe_validation_error
from bot.config import ApiToken
from bot.services import SERVICES, Services
from store.errors import Conflict, Forbidden, InvalidEvent, InvalidTransition, NotFound, StoreError

__all__ = [
    "BROWSER_SESSION",
    "ApiError",
    "api_via",
    "check_role",
    "check_task_access",
    "error_answer",
    "error_middleware",
    "find_token",
    "parse_model",
    "read_body",
    "read_json",
    "read_model",
    "require_task_access",
    "require_token",
    "token_is_valid",
]


logger = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
MAX_EVENTS_PER_REQUEST = 1000
MAX_WAIT_SECONDS = 60.0


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


_STORE_ERRORS: tuple[tuple[type[StoreError], int, str], ...] = (
    (NotFound, 404, "not_found"),
    (InvalidEvent, 422, "invalid"),
    (InvalidTransition, 409, "invalid_state"),
    (Conflict, 409, "conflict"),
    (Forbidden, 403, "forbidden"),
)


def error_answer(exc: BaseException) -> tuple[int, dict[str, Any]] | None:
    """The status and JSON body the API answers for a refusal, or None for anything else.

    The one mapping of refusals to answers: the HTTP middleware and the MCP tools both use it,
    so a caller hears the same code and message over either."""
    if isinstance(exc, ApiError | InputRefused):
        extra = exc.extra if isinstance(exc, ApiError) else {}
        return exc.status, {"error": {"code": exc.code, "message": exc.message, **extra}}
    if isinstance(exc, StoreError):
        for kind, status, code in _STORE_ERRORS:
            if isinstance(exc, kind):
                return status, {"error": {"code": code, "message": str(exc)}}
    return None


def _error_body(status: int, code: str, message: str, **extra: Any) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message, **extra}}, status=status)


def _route_name(request: web.Request) -> str:
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else "unmatched"


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Turn every failure into a JSON answer that names the problem, and count requests."""
    services = request.app[SERVICES]
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except (ApiError, InputRefused, StoreError) as exc:
        answer = error_answer(exc)
        if answer is None:
            raise
        status = answer[0]
        return web.json_response(answer[1], status=status)
    except web.HTTPRequestEntityTooLarge:
        status = 413
        limit = services.config.api.max_body_bytes
        return _error_body(413, "too_large", f"the request body is larger than {limit} bytes")
    except web.HTTPException as exc:
        status = exc.status
        if exc.status < 400 or not request.path.startswith("/api/"):
            raise
        return _error_body(exc.status, exc.reason.lower().replace(" ", "_"), exc.reason)
    except (asyncio.CancelledError, ConnectionResetError):
        raise
    except Exception:
        logger.exception("unhandled error on %s %s", request.method, request.path)
        return _error_body(500, "internal", "something went wrong on our side; it was logged")
    finally:
        services.metrics.count_request(_route_name(request), status, time.perf_counter() - started)


# ---------------------------------------------------------------------- helpers


def _services(request: web.Request) -> Services:
    return request.app[SERVICES]


def require_token(request: web.Request, *roles: str) -> ApiToken:
    """Engines and front-ends authenticate with a bearer token from `api.tokens`.

    Returns the token's entry (its name and role); with `roles`, any other role is refused (403).
    """
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise ApiError(401, "unauthorized", "send 'Authorization: Bearer <token>' (api.tokens)")
    found = find_token(_services(request), token.strip())
    if found is None:
        raise ApiError(401, "unauthorized", "the bearer token is not one of api.tokens")
    check_role(found, *roles)
    return found


def check_role(caller: ApiToken, *roles: str) -> None:
    """With `roles`, a token of any other role is refused (403)."""
    if roles and caller.role not in roles:
        raise ApiError(403, "forbidden", f"a {caller.role} token may not do this")


def find_token(services: Services, token: str) -> ApiToken | None:
    """The configured token equal to `token`, or None."""
    matched: ApiToken | None = None
    # A header with bytes that are not UTF-8 matches nothing, rather than failing.
    given = token.encode("utf-8", "replace")
    for known in services.config.api.tokens:
        # Compare against every token, so the time taken says nothing about which one is close.
        if hmac.compare_digest(given, known.get_secret_value().encode()):
            matched = known
    return matched


def token_is_valid(services: Services, token: str) -> bool:
    return find_token(services, token) is not None


async def require_task_access(
    request: web.Request, caller: ApiToken, task_id: str, *, write: bool = False
) -> None:
    await check_task_access(_services(request), caller, task_id, write=write)


async def check_task_access(
    services: Services, caller: ApiToken, task_id: str, *, write: bool = False
) -> None:
    """An engine token reaches only the tasks it created (another's answers 404, as if absent);
    a reader reads everything and writes nothing; a chat token reaches no task directly."""
    if caller.role == "admin":
        return
    if caller.role == "reader" and not write:
        return
    if caller.role == "engine":
        creator = await services.queries.creator(task_id)  # NotFound → 404
        if creator == caller.name:
            return
        raise ApiError(404, "not_found", f"there is no task {task_id!r}")
    raise ApiError(403, "forbidden", f"a {caller.role} token may not do this")


def api_via(caller: ApiToken) -> str:
    """What the audit trail records as the surface of an API call: set here, never by the body."""
    return f"api:{caller.name}"


async def read_body(request: web.Request) -> bytes:
    """The raw body, or a 408 when the client sends it slower than `limits.body_timeout_seconds`."""
    if request.content.is_eof():
        # The whole body is here already (a small one comes with its headers): nothing to wait
        # for, so no timer to arm and disarm.
        return await request.read()
    timeout = _services(request).config.limits.body_timeout_seconds
    try:
        async with asyncio.timeout(timeout):
            return await request.read()
    except TimeoutError:
        raise ApiError(
            408, "timeout", f"the body took longer than limits.body_timeout_seconds ({timeout})"
        ) from None


async def read_json(request: web.Request, *, optional: bool = False) -> Any:
    """The JSON body; with `optional`, an empty body reads as {}."""
    raw = await read_body(request)
    if not raw.strip():
        if optional:
            return {}
        raise ApiError(400, "bad_json", "the request needs a JSON body")
    return strict_json(raw, max_depth=_services(request).config.limits.max_json_depth)


async def read_model(request: web.Request, model: type[M], *, optional: bool = False) -> M:
    return parse_model(model, await read_json(request, optional=optional))


def parse_model(model: type[M], data: Any) -> M:
    """A parsed body as `model`, or a 422 naming the first field that is wrong."""
    if not isinstance(data, dict):
        raise ApiError(422, "invalid", "the body must be a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = describe_validation_error(exc)
        first = problems[0]
        raise ApiError(
            422, "invalid", f"{first['field']}: {first['problem']}", problems=problems
        ) from None


def _task_id(request: web.Request) -> str:
    return request.match_info["task_id"]


def _int_param(request: web.Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, "bad_query", f"?{name} must be a whole number") from None
    if not low <= value <= high:
        raise ApiError(400, "bad_query", f"?{name} must be from {low} to {high}")
    return value


def _check_person(services: Services, by: str | None) -> None:
    if by is not None and not services.directory.exists(by):
        raise ApiError(422, "invalid", f"by: {by!r} is not a person in users:")


# ---------------------------------------------------------------------- task routes


# The web page registers how to read a browser's session (the person it acts for) under this key.
# It answers (person, the one task the browser is limited to) - person None for a view link - or
# None for no valid link or session.
BROWSER_SESSION: web.AppKey[Callable[[web.Request], tuple[str | None, str | None] | None]] = (
    web.AppKey("browser_session")
)
