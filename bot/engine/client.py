"""The Python client task engines use to report to Progress Bot and to obey its controls.

Async engines use `AsyncProgressClient`; sync engines use `ProgressClient`, the same API run on
an event loop in a background thread::

    with ProgressClient("http://127.0.0.1:8080", token) as client:
        task = client.create_task("Cellphone Store CRM", ["Create database tables", "Generate UI"])
        task.start()
        with task.track(tables, step=1) as items:
            for table in items:
                create(table)          # a pause waits here; a cancel raises TaskCancelled
        task.complete()

Every event carries an `event_id`, so a retried call (after a lost answer) changes nothing twice.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import threading
import time
import uuid
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Coroutine,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
    Sized,
)
from dataclasses import dataclass
from json import loads as json_loads
from types import TracebackType
from typing import Any, Generic, TypeVar

import aiohttp

__all__ = [
    "ApprovalRejected",
    "AsyncProgressClient",
    "AsyncStepBlock",
    "AsyncTaskHandle",
    "AsyncTracked",
    "ProgressClient",
    "ProgressError",
    "Step",
    "StepBlock",
    "TaskCancelled",
    "TaskHandle",
    "Tracked",
]

logger = logging.getLogger(__name__)

T = TypeVar("T")
LONG_POLL_SECONDS = 25  # below the server's 60 s cap and most proxies' idle timeouts
MAX_BACKOFF_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a new task, for `create_task` (a plain name or a dict works as well).

    `estimate_seconds` is your rough guess of the step's duration: before Progress Bot has seen
    a task of this kind finish, it starts its ETA from these and corrects them as the run goes.
    """

    name: str
    estimate_seconds: float | None = None
    done_label: str | None = None
    weight: float | None = None
    substeps: tuple[str | Mapping[str, Any], ...] = ()

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"name": self.name}
        if self.estimate_seconds is not None:
            body["estimate_seconds"] = self.estimate_seconds
        if self.done_label is not None:
            body["done_label"] = self.done_label
        if self.weight is not None:
            body["weight"] = self.weight
        if self.substeps:
            body["substeps"] = [s if isinstance(s, str) else dict(s) for s in self.substeps]
        return body


def _step_json(step: str | Step | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(step, str):
        return {"name": step}
    if isinstance(step, Step):
        return step.to_json()
    return dict(step)


class ProgressError(Exception):
    """Anything that went wrong talking to Progress Bot; `.status`/`.body` when from HTTP."""

    def __init__(self, message: str, *, status: int | None = None, body: Any = None) -> None:
        super().__init__(message)
        self.status, self.body = status, body


class TaskCancelled(ProgressError):
    """The task was cancelled; `.restarted_as` names the new task when it was restarted."""

    def __init__(self, task_id: str, control: Mapping[str, Any]) -> None:
        self.task_id = task_id
        self.control = dict(control)
        self.restarted_as: str | None = control.get("restarted_as")
        again = f"; restarted as {self.restarted_as}" if self.restarted_as else ""
        super().__init__(f"task {task_id} was cancelled{again}")


class ApprovalRejected(ProgressError):
    """The approval was rejected (or expired); `.reason` and `.decided_by` say why and who."""

    def __init__(self, approval: Mapping[str, Any]) -> None:
        self.approval = dict(approval)
        self.reason: str | None = approval.get("reason")
        self.decided_by: str | None = approval.get("decided_by")
        who = f" by {self.decided_by}" if self.decided_by else ""
        why = f": {self.reason}" if self.reason else ""
        super().__init__(f"step {approval.get('step')} was {approval.get('status')}{who}{why}")


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    body: Any
    retried: bool  # an earlier attempt may have reached the server


def _error_message(status: int, body: Any) -> str:
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return str(body["error"].get("message") or f"HTTP {status}")
    return f"HTTP {status}"


class AsyncProgressClient:
    """Talks to one Progress Bot server with a bearer token; retries what is safe to retry."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = 30,
        retries: int = 5,
        backoff: float = 0.5,
        check_interval: float = 1.0,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout, self.retries, self.backoff = timeout, retries, backoff
        self.check_interval = check_interval
        self._headers = {"Authorization": f"Bearer {token}"}
        self._session = session
        self._owns_session = session is None

    async def __aenter__(self) -> AsyncProgressClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._owns_session and self._session is not None:
            await self._session.close()
        self._session = None

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, str] | None = None,
        wait: float = 0,
    ) -> _Answer:
        """One API call; connection errors, timeouts and 5xx are retried with backoff."""
        if self._session is None:
            # Created here, not in __init__, so it belongs to the loop that uses it.
            self._session = aiohttp.ClientSession()
        timeout = aiohttp.ClientTimeout(total=self.timeout + wait)
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                delay = min(self.backoff * 2 ** (attempt - 1), MAX_BACKOFF_SECONDS)
                logger.info(
                    "%s %s failed (%s); retry %d in %.1fs", method, path, problem, attempt, delay
                )
                await asyncio.sleep(delay)
            try:
                async with self._session.request(
                    method,
                    self.base_url + path,
                    json=json,
                    params=params,
                    headers=self._headers,
                    timeout=timeout,
                ) as resp:
                    text = await resp.text()
                    status = resp.status
            except (aiohttp.ClientError, TimeoutError) as exc:
                problem = type(exc).__name__
                continue
            try:
                body = json_loads(text) if text else None
            except ValueError:
                body = text
            if status >= 500:
                problem = f"HTTP {status}"
                continue
            return _Answer(status, body, retried=attempt > 0)
        raise ProgressError(
            f"{method} {path}: no answer after {self.retries + 1} attempts ({problem})"
        )

    async def create_task(
        self, title: str, steps: Sequence[str | Step | Mapping[str, Any]], **fields: Any
    ) -> AsyncTaskHandle:
        """Create a task; fields: task_id, short_name, kind, owner, team, complexity, notify,
        approval (see the API's wire format). A step is a name, a `Step` or a dict such as
        {"name": ..., "estimate_seconds": 300}."""
        # Our own id makes a retried create recognisable: a 409 then means our first try landed.
        chosen = fields.pop("task_id", None)
        task_id = chosen or secrets.token_hex(6)
        spec = {k: v for k, v in fields.items() if v is not None}
        steps_json = [_step_json(s) for s in steps]
        body = {"task_id": task_id, "title": title, "steps": steps_json, **spec}
        answer = await self.request("POST", "/api/tasks", json=body)
        if not (answer.status == 409 and answer.retried) and answer.status != 201:
            raise ProgressError(
                _error_message(answer.status, answer.body), status=answer.status, body=answer.body
            )
        handle = self.task(task_id)
        if isinstance(answer.body, dict):
            handle._learn(answer.body.get("control"))
        return handle

    def task(self, task_id: str) -> AsyncTaskHandle:
        """A handle on an existing task."""
        return AsyncTaskHandle(self, task_id)


class AsyncTaskHandle:
    """One task, seen from its engine: report events, obey pause/cancel, ask for approvals."""

    def __init__(self, client: AsyncProgressClient, task_id: str) -> None:
        self.client, self.task_id = client, task_id
        self.control: dict[str, Any] = {}  # the last known control state
        self.check_interval = client.check_interval
        self._checked_at = float("-inf")
        self.current_step: int | None = None  # the step a `step()` block is in
        self.finished = False  # completed or failed by us

    async def __aenter__(self) -> AsyncTaskHandle:
        """`async with await client.create_task(...) as task:` starts the task; leaving the block
        completes it, and an exception fails it (at the current step) and goes on up."""
        await self.start()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.finished or isinstance(exc, TaskCancelled):
            return
        if exc is None:
            await self.complete()
        elif isinstance(exc, Exception):
            await self.fail(_describe(exc), step=self.current_step)

    def step(self, step: int) -> AsyncStepBlock:
        """`async with task.step(2):` starts the step, and completes it when the block ends; an
        exception inside marks it failed."""
        return AsyncStepBlock(self, step)

    def __repr__(self) -> str:
        return f"AsyncTaskHandle({self.task_id!r}, state={self.control.get('state')!r})"

    def _learn(self, control: Any) -> None:
        if isinstance(control, dict) and "state" in control:
            self.control = control
            self._checked_at = time.monotonic()

    async def send(self, event: dict[str, Any] | list[dict[str, Any]]) -> dict[str, Any]:
        """Post one event or a list; returns {"accepted", "duplicates", "control"}."""
        events = [event] if isinstance(event, dict) else event
        stamped = [{"event_id": str(uuid.uuid4()), **e} for e in events]
        answer = await self.client.request(
            "POST", f"/api/tasks/{self.task_id}/events", json=stamped
        )
        body = answer.body if isinstance(answer.body, dict) else {}
        self._learn(body.get("control"))
        if answer.status == 409 and self.control.get("state") == "cancel":
            raise TaskCancelled(self.task_id, self.control)
        if answer.status != 200:
            raise ProgressError(
                _error_message(answer.status, answer.body), status=answer.status, body=answer.body
            )
        return body

    async def refresh(self, *, wait: float = 0) -> dict[str, Any]:
        """Fetch the control state; with `wait`, hold until it changes (or `wait` seconds pass)."""
        params = {}
        if wait > 0 and "version" in self.control:
            params = {"wait": str(int(min(wait, 60))), "version": str(self.control["version"])}
        answer = await self.client.request(
            "GET", f"/api/tasks/{self.task_id}/control", params=params, wait=wait
        )
        if answer.status != 200:
            raise ProgressError(
                _error_message(answer.status, answer.body), status=answer.status, body=answer.body
            )
        self._learn(answer.body)
        return self.control

    async def checkpoint(self) -> dict[str, Any]:
        """Return at once while the task may run; wait while paused; raise when cancelled.

        Cheap enough for every loop turn: the server is asked at most every `check_interval` s.
        """
        state = self.control.get("state")
        if state != "run" or time.monotonic() - self._checked_at >= self.check_interval:
            await self.refresh()
        while True:
            state = self.control.get("state")
            if state == "cancel":
                raise TaskCancelled(self.task_id, self.control)
            if state == "run":
                return self.control
            await self.refresh(wait=LONG_POLL_SECONDS)

    async def request_approval(
        self, step: int, prompt: str | None = None, *, timeout: float | None = None
    ) -> dict[str, Any]:
        """Ask the approvers and wait for their decision; returns the approval when approved.

        Raises ApprovalRejected (rejected or expired), TaskCancelled, or TimeoutError."""
        event: dict[str, Any] = {"type": "approval_requested", "step": step}
        if prompt is not None:
            event["prompt"] = prompt
        await self.send(event)
        async with asyncio.timeout(timeout):
            # The newest approval of the task is ours: no other can start while ours is pending.
            await self.refresh()
            while True:
                if self.control.get("state") == "cancel":
                    raise TaskCancelled(self.task_id, self.control)
                approval = self.control.get("approval") or {}
                if approval.get("step") == step and approval.get("status") != "pending":
                    if approval.get("status") == "approved":
                        return approval
                    raise ApprovalRejected(approval)
                await self.refresh(wait=LONG_POLL_SECONDS)

    def track(
        self,
        iterable: Iterable[T] | AsyncIterable[T],
        *,
        step: int,
        total: int | None = None,
        every: float = 0.5,
    ) -> AsyncTracked[T]:
        """Wrap a loop over one step, tqdm-style (see AsyncTracked)."""
        return AsyncTracked(self, iterable, step=step, total=total, every=every)

    # One line per event type, so engines need not remember the wire format.
    async def start(self) -> dict[str, Any]:
        return await self.send({"type": "task_started"})

    async def step_started(self, step: int) -> dict[str, Any]:
        return await self.send({"type": "step_started", "step": step})

    async def step_progress(self, step: int, percent: int) -> dict[str, Any]:
        return await self.send({"type": "step_progress", "step": step, "percent": percent})

    async def substep_done(self, step: int, name: str) -> dict[str, Any]:
        return await self.send({"type": "substep_done", "step": step, "substep": name})

    async def step_completed(self, step: int) -> dict[str, Any]:
        return await self.send({"type": "step_completed", "step": step})

    async def step_failed(self, step: int, error: str) -> dict[str, Any]:
        return await self.send({"type": "step_failed", "step": step, "error": error})

    async def step_skipped(self, step: int) -> dict[str, Any]:
        return await self.send({"type": "step_skipped", "step": step})

    async def progress(self, percent: int, eta_seconds: int | None = None) -> dict[str, Any]:
        event: dict[str, Any] = {"type": "progress", "percent": percent}
        if eta_seconds is not None:
            event["eta_seconds"] = eta_seconds
        return await self.send(event)

    async def log(
        self, message: str, level: str = "info", step: int | None = None
    ) -> dict[str, Any]:
        event: dict[str, Any] = {"type": "log", "level": level, "message": message}
        if step is not None:
            event["step"] = step
        return await self.send(event)

    async def complete(self, result: Any = None) -> dict[str, Any]:
        self.finished = True
        return await self.send({"type": "task_completed", "result": result})

    async def fail(self, error: str, step: int | None = None) -> dict[str, Any]:
        self.finished = True
        event: dict[str, Any] = {"type": "task_failed", "error": error}
        if step is not None:
            event["step"] = step
        return await self.send(event)


class AsyncStepBlock:
    """One step as a block: started on entry, completed on a clean exit, failed on an error."""

    def __init__(self, handle: AsyncTaskHandle, step: int) -> None:
        self.handle, self.step = handle, step

    async def __aenter__(self) -> AsyncStepBlock:
        await self.handle.checkpoint()  # a paused task waits before new work, not after
        await self.handle.step_started(self.step)
        self.handle.current_step = self.step
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc is None:
            await self.handle.step_completed(self.step)
            self.handle.current_step = None
        elif _fails_step(exc):
            # The task's own block then fails the task at this step.
            await self.handle.log(_describe(exc), level="error", step=self.step)


class _Meter:
    """Counts items and says when a progress report is due (at most every `every` seconds)."""

    def __init__(self, total: int | None, every: float) -> None:
        self.total, self.every, self.done = total, every, 0
        self._reported_at = time.monotonic()

    def tick(self) -> int | None:
        self.done += 1
        now = time.monotonic()
        if not self.total or now - self._reported_at < self.every:
            return None
        self._reported_at = now
        return min(99, int(100 * self.done / self.total))


def _describe(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def _total(iterable: object, total: int | None) -> int | None:
    if total is None and isinstance(iterable, Sized):
        return len(iterable)
    return total


def _fails_step(exc: BaseException | None) -> bool:
    # Cancellation and our own errors (cancelled task, refused event) are not the step's fault.
    return isinstance(exc, Exception) and not isinstance(exc, ProgressError)


class AsyncTracked(Generic[T]):
    """`async for item in handle.track(items, step=2)`: starts the step, reports its progress,
    calls checkpoint() before each item and completes the step when the items run out.

    Python does not tell an iterator that the loop body raised, so use it as a context manager
    (`async with handle.track(...) as items:`) to have such an error mark the step failed.
    Errors of the iterable itself mark the step failed either way."""

    def __init__(
        self,
        handle: AsyncTaskHandle,
        iterable: Iterable[T] | AsyncIterable[T],
        *,
        step: int,
        total: int | None,
        every: float,
    ) -> None:
        self.handle, self.step = handle, step
        self.meter = _Meter(_total(iterable, total), every)
        self._source = iterable
        self._sync: Iterator[T] | None = None
        self._async: AsyncIterator[T] | None = None
        self._started = self._finished = False

    async def __aenter__(self) -> AsyncTracked[T]:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._started and not self._finished and _fails_step(exc):
            assert exc is not None
            self._finished = True
            await self.handle.step_failed(self.step, _describe(exc))

    def __aiter__(self) -> AsyncTracked[T]:
        return self

    async def __anext__(self) -> T:
        if self._finished:
            raise StopAsyncIteration
        if not self._started:
            await self.handle.step_started(self.step)
            self._started = True
            if isinstance(self._source, AsyncIterable):
                self._async = aiter(self._source)
            else:
                self._sync = iter(self._source)
        else:
            percent = self.meter.tick()
            if percent is not None:
                await self.handle.step_progress(self.step, percent)
        await self.handle.checkpoint()
        try:
            if self._async is not None:
                return await anext(self._async)
            assert self._sync is not None
            return next(self._sync)
        except (StopIteration, StopAsyncIteration):
            self._finished = True
            await self.handle.send(
                [
                    {"type": "step_progress", "step": self.step, "percent": 100},
                    {"type": "step_completed", "step": self.step},
                ]
            )
            raise StopAsyncIteration from None
        except Exception as exc:
            self._finished = True
            await self.handle.step_failed(self.step, _describe(exc))
            raise


# ---------------------------------------------------------------------- the sync facade


class ProgressClient:
    """The synchronous client: the async one, run on an event loop in a background thread."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = 30,
        retries: int = 5,
        backoff: float = 0.5,
        check_interval: float = 1.0,
    ) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="progressbot-client", daemon=True
        )
        self._thread.start()
        self._client = AsyncProgressClient(
            base_url,
            token,
            timeout=timeout,
            retries=retries,
            backoff=backoff,
            check_interval=check_interval,
        )

    def __enter__(self) -> ProgressClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the client's loop and wait for its result."""
        if self._loop.is_closed():
            coro.close()
            raise ProgressError("the client is closed")
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result()

    def close(self) -> None:
        if self._loop.is_closed():
            return
        self.run(self._client.close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()

    def create_task(
        self, title: str, steps: Sequence[str | Step | Mapping[str, Any]], **fields: Any
    ) -> TaskHandle:
        """Create a task (fields as for AsyncProgressClient.create_task)."""
        return TaskHandle(self, self.run(self._client.create_task(title, steps, **fields)))

    def task(self, task_id: str) -> TaskHandle:
        return TaskHandle(self, self._client.task(task_id))


class TaskHandle:
    """The synchronous twin of AsyncTaskHandle: every method blocks until the server answered."""

    def __init__(self, client: ProgressClient, handle: AsyncTaskHandle) -> None:
        self._client, self._handle = client, handle
        self.task_id = handle.task_id

    def __enter__(self) -> TaskHandle:
        """`with client.create_task(...) as task:` starts the task; leaving the block completes
        it, and an exception fails it (at the current step) and goes on up."""
        self._client.run(self._handle.__aenter__())
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._client.run(self._handle.__aexit__(kind, exc, tb))

    def step(self, step: int) -> StepBlock:
        """`with task.step(2):` starts the step and completes it when the block ends; an
        exception inside marks it failed."""
        return StepBlock(self._client, self._handle.step(step))

    @property
    def control(self) -> dict[str, Any]:
        return self._handle.control

    @property
    def check_interval(self) -> float:
        return self._handle.check_interval

    @check_interval.setter
    def check_interval(self, value: float) -> None:
        self._handle.check_interval = value

    def send(self, event: dict[str, Any] | list[dict[str, Any]]) -> dict[str, Any]:
        return self._client.run(self._handle.send(event))

    def refresh(self, *, wait: float = 0) -> dict[str, Any]:
        return self._client.run(self._handle.refresh(wait=wait))

    def checkpoint(self) -> dict[str, Any]:
        return self._client.run(self._handle.checkpoint())

    def request_approval(
        self, step: int, prompt: str | None = None, *, timeout: float | None = None
    ) -> dict[str, Any]:
        return self._client.run(self._handle.request_approval(step, prompt, timeout=timeout))

    def track(
        self, iterable: Iterable[T], *, step: int, total: int | None = None, every: float = 0.5
    ) -> Tracked[T]:
        return Tracked(self, iterable, step=step, total=total, every=every)

    def start(self) -> dict[str, Any]:
        return self._client.run(self._handle.start())

    def step_started(self, step: int) -> dict[str, Any]:
        return self._client.run(self._handle.step_started(step))

    def step_progress(self, step: int, percent: int) -> dict[str, Any]:
        return self._client.run(self._handle.step_progress(step, percent))

    def substep_done(self, step: int, name: str) -> dict[str, Any]:
        return self._client.run(self._handle.substep_done(step, name))

    def step_completed(self, step: int) -> dict[str, Any]:
        return self._client.run(self._handle.step_completed(step))

    def step_failed(self, step: int, error: str) -> dict[str, Any]:
        return self._client.run(self._handle.step_failed(step, error))

    def step_skipped(self, step: int) -> dict[str, Any]:
        return self._client.run(self._handle.step_skipped(step))

    def progress(self, percent: int, eta_seconds: int | None = None) -> dict[str, Any]:
        return self._client.run(self._handle.progress(percent, eta_seconds))

    def log(self, message: str, level: str = "info", step: int | None = None) -> dict[str, Any]:
        return self._client.run(self._handle.log(message, level, step))

    def complete(self, result: Any = None) -> dict[str, Any]:
        return self._client.run(self._handle.complete(result))

    def fail(self, error: str, step: int | None = None) -> dict[str, Any]:
        return self._client.run(self._handle.fail(error, step))


class StepBlock:
    """The synchronous twin of AsyncStepBlock."""

    def __init__(self, client: ProgressClient, step: AsyncStepBlock) -> None:
        self._client, self._step = client, step

    def __enter__(self) -> StepBlock:
        self._client.run(self._step.__aenter__())
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._client.run(self._step.__aexit__(kind, exc, tb))


class Tracked(Generic[T]):
    """The synchronous AsyncTracked: `for item in task.track(items, step=1)`, or inside
    `with task.track(...) as items:` so an error in the loop body marks the step failed."""

    def __init__(
        self,
        handle: TaskHandle,
        iterable: Iterable[T],
        *,
        step: int,
        total: int | None,
        every: float,
    ) -> None:
        self.handle, self.step = handle, step
        self.meter = _Meter(_total(iterable, total), every)
        self._source = iterable
        self._items: Iterator[T] | None = None
        self._finished = False

    def __enter__(self) -> Tracked[T]:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._items is not None and not self._finished and _fails_step(exc):
            assert exc is not None
            self._finished = True
            self.handle.step_failed(self.step, _describe(exc))

    def __iter__(self) -> Tracked[T]:
        return self

    def __next__(self) -> T:
        if self._finished:
            raise StopIteration
        if self._items is None:
            self.handle.step_started(self.step)
            self._items = iter(self._source)
        else:
            percent = self.meter.tick()
            if percent is not None:
                self.handle.step_progress(self.step, percent)
        self.handle.checkpoint()
        try:
            return next(self._items)
        except StopIteration:
            self._finished = True
            self.handle.send(
                [
                    {"type": "step_progress", "step": self.step, "percent": 100},
                    {"type": "step_completed", "step": self.step},
                ]
            )
            raise
        except Exception as exc:
            self._finished = True
            self.handle.step_failed(self.step, _describe(exc))
            raise
