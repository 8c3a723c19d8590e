"""The MCP surface: seven tools, the `progress://tasks/{id}` resource and one prompt.

Each tool is a typed JSON schema, a description an LLM can follow, and a handler that turns its
arguments into the HTTP API's own bodies and events and sends them through a `Backend`. Nothing
here validates a value the API validates: a wrong step, percent or approver is refused by the
same checks as over HTTP, with the same code and message, as a tool error
(`isError: true`, the API's `{"error": {...}}` as structured content).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import unquote

from mcp.server import Server, ServerRequestContext
from mcp.shared.exceptions import MCPError
from mcp.types import (
    CallToolRequestParams,
    CallToolResult,
    GetPromptRequestParams,
    GetPromptResult,
    ListPromptsResult,
    ListResourcesResult,
    ListResourceTemplatesResult,
    ListToolsResult,
    PaginatedRequestParams,
    Prompt,
    PromptArgument,
    PromptMessage,
    ReadResourceRequestParams,
    ReadResourceResult,
    Resource,
    ResourceTemplate,
    TextContent,
    TextResourceContents,
    Tool,
    ToolAnnotations,
)
from mcp_types import INVALID_PARAMS

from bot.api.wire import CreateTask
from bot.mcp.backends import Backend, Refused, refused

__all__ = ["PROMPT_NAME", "RESOURCE_TEMPLATE", "TOOL_NAMES", "build_server"]

logger = logging.getLogger(__name__)

BackendFor = Callable[[ServerRequestContext[Any, Any]], Backend]
RESOURCE_TEMPLATE = "progress://tasks/{task_id}"
PROMPT_NAME = "report_work_in_steps"
# How long one wait for a change lasts before the tool tells the host it is still waiting: a
# progress notification at least this often keeps hosts from timing the call out.
HEARTBEAT_SECONDS = 10.0
STEP_STATUSES = {
    "started": "step_started",
    "completed": "step_completed",
    "failed": "step_failed",
    "skipped": "step_skipped",
}

_TASK_ID = {"type": "string", "description": "The task id that start_task returned."}
_STEP = {"type": "integer", "minimum": 1, "description": "A step number, from 1."}


def _arguments(properties: dict[str, Any], *, required: list[str]) -> dict[str, Any]:
    """A tool's input schema: these arguments and no others."""
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _start_task_schema() -> dict[str, Any]:
    # The HTTP API's own body: the same fields, limits and words.
    schema = CreateTask.model_json_schema()
    schema.pop("title", None)
    props = schema["properties"]
    props["title"]["description"] = "What the task is, as people will see it in chat."
    props["steps"]["description"] = (
        'The steps in order: a name ("Run the tests") or {"name", "substeps": [names], '
        '"estimate_seconds": your rough guess of its duration}. Steps are numbered from 1.'
    )
    props["notify"]["description"] = (
        'Chats to keep posted with a live card: [{"platform": "slack"|"telegram"|"email"|'
        '"console", "chat": channel or chat id}].'
    )
    props["approval"]["description"] = (
        'Who may approve steps: {"approvers": [people or teams], "quorum": 1, '
        '"expires_seconds": N}. Needed before request_approval.'
    )
    props["owner"]["description"] = "The person the task is for (a name in users:)."
    return schema


TOOLS: tuple[Tool, ...] = (
    Tool(
        name="start_task",
        title="Start a task",
        description=(
            "Start tracking a piece of work in Progress Bot before you begin it. People follow it "
            "in Slack, Telegram or the browser, and can pause, cancel or approve it there. Give "
            "a title and the steps you plan (with substeps and estimate_seconds when you know "
            "them), where to post updates (notify) and who approves (approval.approvers). "
            "Returns task_id (use it in every other tool) and view_url (a read-only link to the "
            "live Progress View; show it to the user)."
        ),
        input_schema=_start_task_schema(),
        annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False),
    ),
    Tool(
        name="report_progress",
        title="Report progress",
        description=(
            "Report what you are doing on a task, as you do it: a step started or completed, "
            "how far a step (or the task) is in percent, a substep done, a log line. Give one or "
            "more of step_status, percent, substep_done and log in one call. Report "
            "step_status 'started' when you begin a step and 'completed' when it is done; "
            "people see the change at once. Returns `control`: if its state is 'pause' or "
            "'cancel', call checkpoint before doing more."
        ),
        input_schema=_arguments(
            {
                "task_id": _TASK_ID,
                "step": {**_STEP, "description": "The step this report is about, from 1."},
                "step_status": {
                    "type": "string",
                    "enum": list(STEP_STATUSES),
                    "description": "The step has started, completed, failed or been skipped.",
                },
                "percent": {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 100,
                    "description": "How far the step is (with step), or the whole task (without).",
                },
                "substep_done": {
                    "type": "string",
                    "description": "The name of a substep of `step` that is now done.",
                },
                "log": {"type": "string", "description": "A log line people can read."},
                "level": {
                    "type": "string",
                    "enum": ["debug", "info", "warning", "error", "critical"],
                    "description": "The log line's level (default info).",
                },
                "error": {
                    "type": "string",
                    "description": "What went wrong, with step_status 'failed'.",
                },
                "event_id": {
                    "type": "string",
                    "description": "Optional: the same id on a retried call changes nothing twice.",
                },
            },
            required=["task_id"],
        ),
    ),
    Tool(
        name="checkpoint",
        title="Checkpoint",
        description=(
            "Call between units of work (before each step, and every minute or so inside a long "
            "one). Returns {'state': 'run'} at once when you may go on. While a person has "
            "paused the task in chat it waits, and returns when they resume. If they cancel "
            "the task it fails with the error 'cancelled': stop working on the task then."
        ),
        input_schema=_arguments({"task_id": _TASK_ID}, required=["task_id"]),
        annotations=ToolAnnotations(read_only_hint=True),
    ),
    Tool(
        name="request_approval",
        title="Ask for approval",
        description=(
            "Ask the task's approvers to approve a step before you do it (a risky or "
            "irreversible action: a deploy, a migration, a payment). They get Approve and "
            "Reject buttons in chat. This call waits until one of them decides or the approval "
            "expires, sending progress notifications while it waits, and returns "
            "{'decision': 'approved'|'rejected'|'expired', 'decided_by', 'reason'}. Do the step "
            "only when the decision is 'approved'; otherwise skip or stop, and say why."
        ),
        input_schema=_arguments(
            {
                "task_id": _TASK_ID,
                "step": {**_STEP, "description": "The step that needs approval, from 1."},
                "prompt": {
                    "type": "string",
                    "description": "The question approvers see, e.g. 'Apply the migration?'.",
                },
            },
            required=["task_id", "step"],
        ),
    ),
    Tool(
        name="finish_task",
        title="Finish the task",
        description=(
            "Mark the task completed when all its work is done. `result` is an optional JSON "
            "value (a summary, links, numbers) kept with the task. Its chats are told."
        ),
        input_schema=_arguments(
            {
                "task_id": _TASK_ID,
                "result": {"description": "Optional: what the task produced, as JSON."},
            },
            required=["task_id"],
        ),
    ),
    Tool(
        name="fail_task",
        title="Fail the task",
        description=(
            "Mark the task failed when you cannot finish it. Say what went wrong in `error`, "
            "in words a person can act on, and the step it happened in."
        ),
        input_schema=_arguments(
            {
                "task_id": _TASK_ID,
                "error": {"type": "string", "description": "What went wrong."},
                "step": {**_STEP, "description": "The step that failed, from 1."},
            },
            required=["task_id", "error"],
        ),
    ),
    Tool(
        name="get_progress",
        title="Get progress",
        description=(
            "The task's progress as Progress Bot shows it: status, percent, current step, ETA "
            "in seconds, each step's state and substeps, any approval."
        ),
        input_schema=_arguments({"task_id": _TASK_ID}, required=["task_id"]),
        annotations=ToolAnnotations(read_only_hint=True),
    ),
)
TOOL_NAMES = tuple(tool.name for tool in TOOLS)
BODY_TOOLS = frozenset({"start_task"})  # tools whose arguments are an HTTP API body as it is

PROMPT_TEXT = """You are doing a piece of work that people follow in Progress Bot.

1. Before you start, plan the work as a few steps (3 to 8), each a result a person understands
   ("Write the migration", not "think"). Call start_task with a title, the steps (substeps and
   estimate_seconds when you know them), notify targets and approvers, and show the user the
   view_url it returns.
2. For each step: call checkpoint, then report_progress with step_status "started"; do the
   work, reporting substep_done, percent or a log line when something worth seeing happens; then
   report_progress with step_status "completed".
3. Before anything risky or irreversible, call request_approval for that step with a clear
   question, and go on only if the decision is "approved".
4. If checkpoint fails with "cancelled", stop at once. When all steps are done, call
   finish_task; if you cannot finish, call fail_task saying what went wrong and at which step.
"""


class _Args:
    """A tool's arguments: unknown names and wrong kinds of the envelope are refused as the API
    refuses a body field (422 invalid, naming it); values the API checks are passed on as they
    are."""

    def __init__(self, arguments: Mapping[str, Any], tool: Tool) -> None:
        self.values = dict(arguments)
        if tool.name in BODY_TOOLS:
            return  # the arguments are the API's body: the API checks them whole
        known = tool.input_schema.get("properties", {})
        for name in arguments:
            if name not in known:
                raise refused(422, "invalid", f"{name}: Extra inputs are not permitted")
        for name in tool.input_schema.get("required", []):
            if name not in arguments:
                raise refused(422, "invalid", f"{name}: Field required")

    def text(self, name: str) -> str:
        value = self.values.get(name)
        if not isinstance(value, str):
            raise refused(422, "invalid", f"{name}: Input should be a valid string")
        return value

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def has(self, name: str) -> bool:
        return self.values.get(name) is not None


async def start_task(backend: Backend, args: _Args, ctx: ServerRequestContext[Any, Any]) -> Any:
    snap = await backend.create_task(args.values)
    task_id = str(snap["task_id"])
    # The agent is doing the work now: the task is running from the start.
    started = await backend.post_events(task_id, [{"type": "task_started"}])
    answer = {"task_id": task_id, "view_url": snap.get("view_url"), "control": started["control"]}
    if snap.get("warnings"):
        answer["warnings"] = snap["warnings"]
    return answer


def progress_events(args: _Args) -> list[dict[str, Any]]:
    """report_progress's arguments as the API's events, in the order they happen."""
    step = args.get("step")
    on_step = {"step": step} if args.has("step") else {}
    events: list[dict[str, Any]] = []
    status = args.get("step_status")
    if status is not None and status not in STEP_STATUSES:
        raise refused(
            422,
            "invalid",
            f"step_status: must be one of {', '.join(STEP_STATUSES)}, not {status!r}",
        )
    if status == "started":
        events.append({"type": "step_started", **on_step})
    if args.has("substep_done"):
        events.append({"type": "substep_done", **on_step, "substep": args.get("substep_done")})
    if args.has("percent"):
        kind = "step_progress" if on_step else "progress"
        events.append({"type": kind, **on_step, "percent": args.get("percent")})
    if args.has("log"):
        line: dict[str, Any] = {"type": "log", **on_step, "message": args.get("log")}
        if args.has("level"):
            line["level"] = args.get("level")
        events.append(line)
    if status in ("completed", "failed", "skipped"):
        ending: dict[str, Any] = {"type": STEP_STATUSES[status], **on_step}
        if status == "failed":
            ending["error"] = args.get("error") or "the step failed"
        events.append(ending)
    if not events:
        raise refused(
            422, "invalid", "report at least one of step_status, percent, substep_done or log"
        )
    event_id = args.get("event_id")
    if event_id is not None:
        if not isinstance(event_id, str):
            raise refused(422, "invalid", "event_id: Input should be a valid string")
        for n, event in enumerate(events):
            event["event_id"] = f"{event_id}#{n}" if len(events) > 1 else event_id
    return events


async def report_progress(
    backend: Backend, args: _Args, ctx: ServerRequestContext[Any, Any]
) -> Any:
    return await backend.post_events(args.text("task_id"), progress_events(args))


def _cancelled(task_id: str, control: dict[str, Any]) -> Refused:
    again = (
        f"; it was restarted as {control['restarted_as']}" if control.get("restarted_as") else ""
    )
    return Refused(
        409,
        {
            "error": {
                "code": "cancelled",
                "message": f"task {task_id} was cancelled{again}: stop working on it",
            },
            "control": control,
        },
    )


async def checkpoint(backend: Backend, args: _Args, ctx: ServerRequestContext[Any, Any]) -> Any:
    task_id = args.text("task_id")
    control = await backend.control(task_id)
    started = time.monotonic()
    while True:
        state = control.get("state")
        if state == "cancel":
            raise _cancelled(task_id, control)
        if state == "run":
            return {"state": "run", "control": control}
        await ctx.session.report_progress(
            time.monotonic() - started, None, f"task {task_id} is paused; waiting for a resume"
        )
        control = await backend.control(
            task_id, wait=HEARTBEAT_SECONDS, version=int(control["version"])
        )


async def request_approval(
    backend: Backend, args: _Args, ctx: ServerRequestContext[Any, Any]
) -> Any:
    task_id = args.text("task_id")
    step = args.get("step")
    control = await backend.control(task_id)
    pending = control.get("approval") or {}
    if not (pending.get("step") == step and pending.get("status") == "pending"):
        event: dict[str, Any] = {"type": "approval_requested", "step": step}
        if args.has("prompt"):
            event["prompt"] = args.get("prompt")
        control = (await backend.post_events(task_id, [event]))["control"]
    # else: this step's approval is already asked (a call again after a lost connection or a
    # server restart): wait for the same one.
    started = time.monotonic()
    while True:
        if control.get("state") == "cancel":
            raise _cancelled(task_id, control)
        # The newest approval of the task is ours: no other can start while ours is pending.
        approval = control.get("approval") or {}
        if approval.get("step") == step and approval.get("status") not in (None, "pending"):
            return {
                "decision": approval["status"],
                "decided_by": approval.get("decided_by"),
                "reason": approval.get("reason"),
                "approval_id": approval.get("id"),
                "step": step,
                "control": control,
            }
        await ctx.session.report_progress(
            time.monotonic() - started, None, f"waiting for an approver to decide step {step}"
        )
        control = await backend.control(
            task_id, wait=HEARTBEAT_SECONDS, version=int(control["version"])
        )


async def finish_task(backend: Backend, args: _Args, ctx: ServerRequestContext[Any, Any]) -> Any:
    return await backend.post_events(
        args.text("task_id"), [{"type": "task_completed", "result": args.get("result")}]
    )


async def fail_task(backend: Backend, args: _Args, ctx: ServerRequestContext[Any, Any]) -> Any:
    event: dict[str, Any] = {"type": "task_failed", "error": args.get("error")}
    if args.has("step"):
        event["step"] = args.get("step")
    return await backend.post_events(args.text("task_id"), [event])


async def get_progress(backend: Backend, args: _Args, ctx: ServerRequestContext[Any, Any]) -> Any:
    return await backend.progress(args.text("task_id"))


ToolHandler = Callable[[Backend, "_Args", ServerRequestContext[Any, Any]], Awaitable[Any]]
HANDLERS: dict[str, ToolHandler] = {
    "start_task": start_task,
    "report_progress": report_progress,
    "checkpoint": checkpoint,
    "request_approval": request_approval,
    "finish_task": finish_task,
    "fail_task": fail_task,
    "get_progress": get_progress,
}
_BY_NAME = {tool.name: tool for tool in TOOLS}


def _result(value: Any) -> CallToolResult:
    text = json.dumps(value, ensure_ascii=False)
    structured = value if isinstance(value, dict) else {"result": value}
    return CallToolResult(
        content=[TextContent(type="text", text=text)], structured_content=structured
    )


def _error(exc: Refused) -> CallToolResult:
    # The message first, for the model; the API's JSON answer in full, for code.
    text = f"{exc.code}: {exc.message}"
    return CallToolResult(
        content=[TextContent(type="text", text=text)],
        structured_content={**exc.body, "status": exc.status},
        is_error=True,
    )


def build_server(backend_for: BackendFor, *, version: str = "") -> Server[Any]:
    """The MCP server over the backend each request's context names (its token's scope)."""

    async def list_tools(
        ctx: ServerRequestContext[Any, Any], params: PaginatedRequestParams | None
    ) -> ListToolsResult:
        return ListToolsResult(tools=list(TOOLS))

    async def call_tool(
        ctx: ServerRequestContext[Any, Any], params: CallToolRequestParams
    ) -> CallToolResult:
        tool = _BY_NAME.get(params.name)
        if tool is None:
            known = ", ".join(TOOL_NAMES)
            return _error(refused(404, "not_found", f"there is no tool {params.name!r} ({known})"))
        try:
            args = _Args(params.arguments or {}, tool)
            return _result(await HANDLERS[tool.name](backend_for(ctx), args, ctx))
        except Refused as exc:
            logger.info("MCP tool %s refused: %s", tool.name, exc.code)
            return _error(exc)

    async def list_resources(
        ctx: ServerRequestContext[Any, Any], params: PaginatedRequestParams | None
    ) -> ListResourcesResult:
        try:
            tasks = await backend_for(ctx).list_tasks()
        except Refused:
            tasks = []  # a token that may list nothing still reads the tasks it may see
        return ListResourcesResult(
            resources=[
                Resource(
                    uri=f"progress://tasks/{task['task_id']}",
                    name=str(task["task_id"]),
                    title=str(task.get("title") or task["task_id"]),
                    mime_type="application/json",
                )
                for task in tasks
            ]
        )

    async def list_templates(
        ctx: ServerRequestContext[Any, Any], params: PaginatedRequestParams | None
    ) -> ListResourceTemplatesResult:
        return ListResourceTemplatesResult(
            resource_templates=[
                ResourceTemplate(
                    uri_template=RESOURCE_TEMPLATE,
                    name="task-progress",
                    title="A task's progress",
                    description="The task's progress in Progress Bot's JSON (get_progress's).",
                    mime_type="application/json",
                )
            ]
        )

    async def read_resource(
        ctx: ServerRequestContext[Any, Any], params: ReadResourceRequestParams
    ) -> ReadResourceResult:
        uri = str(params.uri)
        prefix = "progress://tasks/"
        if not uri.startswith(prefix) or "/" in uri[len(prefix) :]:
            raise MCPError(
                code=INVALID_PARAMS, message=f"no resource {uri!r}: use {RESOURCE_TEMPLATE}"
            )
        try:
            snap = await backend_for(ctx).progress(unquote(uri[len(prefix) :]))
        except Refused as exc:
            raise MCPError(code=INVALID_PARAMS, message=str(exc), data=exc.body) from None
        return ReadResourceResult(
            contents=[
                TextResourceContents(
                    uri=uri, text=json.dumps(snap, ensure_ascii=False), mime_type="application/json"
                )
            ]
        )

    async def list_prompts(
        ctx: ServerRequestContext[Any, Any], params: PaginatedRequestParams | None
    ) -> ListPromptsResult:
        return ListPromptsResult(
            prompts=[
                Prompt(
                    name=PROMPT_NAME,
                    title="Report your work in steps",
                    description="How to report a piece of work to Progress Bot, step by step.",
                    arguments=[
                        PromptArgument(
                            name="goal",
                            description="The work to do, in a sentence.",
                            required=False,
                        )
                    ],
                )
            ]
        )

    async def get_prompt(
        ctx: ServerRequestContext[Any, Any], params: GetPromptRequestParams
    ) -> GetPromptResult:
        if params.name != PROMPT_NAME:
            raise MCPError(code=INVALID_PARAMS, message=f"there is no prompt {params.name!r}")
        goal = (params.arguments or {}).get("goal")
        text = PROMPT_TEXT + (f"\nThe work: {goal}\n" if goal else "")
        return GetPromptResult(
            description="How to report a piece of work to Progress Bot, step by step.",
            messages=[PromptMessage(role="user", content=TextContent(type="text", text=text))],
        )

    return Server(
        "progressbot",
        version=version,
        title="Progress Bot",
        instructions=(
            "Report your work to Progress Bot so people can follow and steer it from chat: "
            "start_task, then report_progress per step, checkpoint between steps, "
            "request_approval before risky steps, finish_task or fail_task at the end."
        ),
        on_list_tools=list_tools,
        on_call_tool=call_tool,
        on_list_resources=list_resources,
        on_list_resource_templates=list_templates,
        on_read_resource=read_resource,
        on_list_prompts=list_prompts,
        on_get_prompt=get_prompt,
    )
