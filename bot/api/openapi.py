"""`GET /api/openapi.json`: the routes the app really serves, with the bodies' JSON schemas.

The paths come from the live router, so the document cannot drift from the code; descriptions
and body schemas are attached by route.
"""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web
from pydantic import BaseModel

from bot.api.wire import ActionBody, ChatBody, ControlBody, CreateTask

__all__ = ["openapi_document"]

_DOCS: dict[tuple[str, str], tuple[str, type[BaseModel] | None]] = {
    ("POST", "/api/tasks"): (
        "Create a task (201, the task in the progress shape, and view_url: a read-only link to "
        "its Progress View)",
        CreateTask,
    ),
    ("GET", "/api/tasks"): ("List tasks (?person, ?status, ?active, ?limit, ?offset)", None),
    ("POST", "/api/tasks/{task_id}/events"): (
        "Report one event or a list of events; the answer carries the control state",
        None,
    ),
    ("GET", "/api/tasks/{task_id}/progress"): ("The task's progress (the seed's shape)", None),
    ("GET", "/api/tasks/{task_id}/logs"): ("The task's newest log lines (?limit)", None),
    ("GET", "/api/tasks/{task_id}/history"): ("The task_progress history and audit trail", None),
    ("GET", "/api/tasks/{task_id}/control"): (
        "What the engine must do now (?wait=seconds&version=V long-polls for a change)",
        None,
    ),
    ("POST", "/api/tasks/{task_id}/{action}"): (
        "pause | resume | cancel | restart (409 when the state does not allow it)",
        ControlBody,
    ),
    ("POST", "/api/tasks/{task_id}/steps/{step}/{action}"): (
        "retry | skip a failed step",
        ControlBody,
    ),
    ("POST", "/api/approvals/{approval_id}/{decision}"): ("approve | reject", ControlBody),
    ("POST", "/api/chat"): ("Ask the bot as a person; answers {intent, task_id, reply}", ChatBody),
    ("POST", "/api/chat/actions"): ("Press a button of a reply", ActionBody),
    ("GET", "/ws/tasks"): ("WebSocket: every task's updates", None),
    ("GET", "/ws/tasks/{task_id}"): ("WebSocket: one task's updates, snapshot first", None),
    ("GET", "/healthz"): ("Liveness and store check", None),
    ("GET", "/metrics"): ("Prometheus metrics", None),
    ("GET", "/api/openapi.json"): ("This document", None),
}

_PUBLIC = ("/healthz", "/metrics", "/api/openapi.json")


def _plain_path(canonical: str) -> str:
    # aiohttp spells "{action:(pause|resume)}"; OpenAPI wants "{action}".
    return re.sub(r"\{(\w+):[^}]*\}", r"{\1}", canonical)


def openapi_document(app: web.Application) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    schemas: dict[str, Any] = {}
    for route in app.router.routes():
        if route.method == "HEAD" or route.resource is None:
            continue
        path = _plain_path(route.resource.canonical)
        if not (path.startswith("/api") or path.startswith("/ws") or path in _PUBLIC):
            continue
        summary, body = _DOCS.get((route.method, path), (path, None))
        operation: dict[str, Any] = {
            "summary": summary,
            "responses": {"200": {"description": "OK"}, "4XX": {"description": "JSON error"}},
        }
        params = re.findall(r"\{(\w+)\}", path)
        if params:
            operation["parameters"] = [
                {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                for name in params
            ]
        if body is not None:
            schemas[body.__name__] = body.model_json_schema(
                ref_template="#/components/schemas/{model}"
            )
            operation["requestBody"] = {
                "content": {
                    "application/json": {
                        "schema": {"$ref": f"#/components/schemas/{body.__name__}"}
                    }
                }
            }
        if path.startswith("/api") and path not in _PUBLIC:
            operation["security"] = [{"bearer": []}]
        paths.setdefault(path, {})[route.method.lower()] = operation
    for schema in list(schemas.values()):
        for name, definition in schema.pop("$defs", {}).items():
            schemas.setdefault(name, definition)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Progress Bot API", "version": "1"},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
