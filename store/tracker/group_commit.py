"""Group commit for engine events: what arrives together is applied in one transaction.

One event per request used to cost one write transaction per request: a `BEGIN`, about ten
statements and a `COMMIT` (an fsync on PostgreSQL; on SQLite the one writer's turn). Here callers
queue their batch and one writer at a time takes everything waiting (up to a cap) and applies
it in one outer transaction. A batch that is refused (bad input, unknown task, a state conflict)
refuses only itself, and its caller gets exactly the error it would have got alone; the others
commit together. The first try applies the whole group at once with no savepoint (refusals are
rare): batches for different tasks share each kind of statement (`Lifecycle.apply_group`: one
read of all their tasks and steps, one insert of all their event ids, one statement per table
for their rows), since what an event costs is mostly the statements' own work, not the
database's. At a refusal that transaction is rolled back and the rest go again, each batch
inside its own SAVEPOINT (`session.begin_nested`), so a further refusal undoes only its own batch.

The writer starts as soon as a batch waits and it is idle, so a lone request waits for nobody.
What arrives while a group's transaction is in flight forms the next group. Right after a group
of several the writer waits a moment (at most `GATHER_SECONDS`) until the callers it answered
last have queued again: engines that send their next batch when answered come back together, and
over HTTP the first of them used to start a group alone, with the rest in a second one behind it
(`_gather`). On a SQLite file a small group runs on the event loop's own thread, so nothing
queues while it does; on PostgreSQL the loop runs during a transaction and eight engines settled
into two groups of four taking turns, which the wait merges back into one (over HTTP, paired on
a quiet machine: groups of 7.1-7.6 against 4.0, 835-989 events/s against 733-767, 0.80-0.96 ms
of CPU per event against 1.03-1.08; measured before the wait lasted its time on uvloop, it had
seemed to cost CPU there).

Each caller's answer comes only after the outer COMMIT, so an answer still means "durable".
If the COMMIT itself fails, every caller of that group gets that error, as a lone caller whose
commit failed does today. They are not retried one by one: a failed COMMIT may still have
committed (a connection lost mid-COMMIT), and a retry would apply events without an `event_id`
twice; the engine's own retry with its event ids is the safe one.

The Tracker groups engine events on both stores (`Lifecycle.apply` says what it measured on
PostgreSQL, where each request once had its own transaction). The batches of a group are applied
in task id order, the order in which PostgreSQL locks their rows, so two workers' groups never
wait on each other in a circle; a stable sort keeps two batches for one task in the order they
arrived. Listeners hear each committed change, in that order, before its caller's answer, as with
one transaction per request.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from store.tracker.contract import Applied, TaskChange
from store.tracker.unit import Context

__all__ = ["Batch", "GroupCommitter", "Refused", "Work"]

# One caller's task id and batch of events.
Batch = tuple[str, Sequence[Mapping[str, Any]]]
# Applies batches inside the session's current transaction (or savepoint), in order, returning
# each one's answer and change; raises `Refused` to refuse one of them.
Work = Callable[
    [AsyncSession, Sequence[Batch]],
    Awaitable[list[tuple[Applied, TaskChange | None]]],
]


class Refused(Exception):
    """The batch at `index` was refused with `error`; nothing of the call may be committed."""

    def __init__(self, index: int, error: Exception) -> None:
        super().__init__(index, error)
        self.index = index
        self.error = error


# A group is one transaction: big enough that its fixed cost (BEGIN, COMMIT and its fsync) is
# shared widely, small enough that no task row stays locked for long behind a huge group.
MAX_GROUP_REQUESTS = 64
MAX_GROUP_EVENTS = 2000
# A group this small is written on the event loop's own thread (`Database.write_on_thread`): a
# few milliseconds at most that no other request could use the loop for, where a big group's
# writer thread leaves it free.
SHORT_GROUP_EVENTS = 64
# How long the writer waits, at most, for the callers of the last group to send again before it
# takes a smaller group (`GroupCommitter._gather`).
GATHER_SECONDS = 0.001
# ... for the callers answered this recently (and the group before, if it ended this soon before
# the last one began): after a pause, callers come back one by one, and the first would wait in
# vain.
GATHER_AFTER_SECONDS = 0.005


class _Refused(Exception):
    """A batch was refused in a transaction without savepoints: roll it all back."""


class _Regroup(Exception):
    """A group's shared work failed, not as one batch's refusal: roll it all back, and apply the
    batches again one by one."""


@dataclass(eq=False)
class _Request:
    task_id: str
    events: Sequence[Mapping[str, Any]]
    future: asyncio.Future[Applied]
    applied: Applied | None = None
    change: TaskChange | None = None
    error: BaseException | None = None


class GroupCommitter:
    """Queues engine batches and applies each group of them in one transaction."""

    def __init__(
        self,
        context: Context,
        work: Work,
        *,
        max_requests: int = MAX_GROUP_REQUESTS,
        max_events: int = MAX_GROUP_EVENTS,
    ) -> None:
        if max_requests < 1 or max_events < 1:
            raise ValueError("a group must hold at least one request and one event")
        self.context = context
        self.work = work
        self.max_requests = max_requests
        self.max_events = max_events
        self._waiting: list[_Request] = []
        self._writer: asyncio.Task[None] | None = None
        self._in_flight = 0
        # The last two groups answered: when each was taken and answered, and its task ids
        # (whose callers to wait for).
        self._answered: deque[tuple[float, float, frozenset[str]]] = deque(maxlen=2)
        self.groups_written = 0
        # While the writer gathers: how many it waits for, what wakes it, and the timer that
        # ends the wait.
        self._want = 0
        self._enough: asyncio.Future[None] | None = None
        self._timer: asyncio.TimerHandle | None = None

    @property
    def queued(self) -> int:
        """Batches waiting for the next group (not counting the group in flight)."""
        return len(self._waiting)

    @property
    def in_flight(self) -> int:
        """Batches of the group being written now."""
        return self._in_flight

    async def submit(self, task_id: str, events: Sequence[Mapping[str, Any]]) -> Applied:
        """Apply `events` to `task_id` in the next group; returns once they are committed, or
        raises what refused them (or what failed the group's commit)."""
        loop = asyncio.get_running_loop()
        request = _Request(task_id, events, loop.create_future())
        self._waiting.append(request)
        if self._enough is not None and len(self._waiting) >= self._want:
            self._gathered()
        writer = self._writer
        if writer is None or writer.done() or writer.get_loop() is not loop:
            self._writer = loop.create_task(self._write_groups(), name="tracker-group-commit")
        return await request.future

    async def _write_groups(self) -> None:
        try:
            while self._waiting:
                await self._gather()
                group = self._take_group()
                if group:
                    taken = time.monotonic()
                    self._in_flight = len(group)
                    self.groups_written += 1
                    try:
                        await self._write(group)
                    finally:
                        self._in_flight = 0
                        answered = time.monotonic()
                        tasks = frozenset(request.task_id for request in group)
                        self._answered.append((taken, answered, tasks))
        except BaseException:  # the writer itself was cancelled: nobody may wait forever
            waiting, self._waiting = self._waiting, []
            for request in waiting:
                if not request.future.done():
                    request.future.cancel()
            raise

    async def _gather(self) -> None:
        """Wait, at most `GATHER_SECONDS`, until as many batches wait as there are tasks in the
        group just answered, and in the one before it when the two ran back to back.

        Engines that wait for each answer before they send again (as most do) come back
        together: the last group's callers got their answers at once, and their next batches
        are on their way. Taking the first of them alone would split one group's worth into a
        small group and another behind it, each paying a transaction's fixed cost. Counting the
        group before, when the last one was taken as it ended, merges two groups that took
        turns (half the engines waiting while the other half's transaction ran) back into one.
        After a lone request (a last group of one) nothing waits, so a single caller never waits
        for anybody; nor after a pause of more than `GATHER_AFTER_SECONDS`."""
        loop = asyncio.get_running_loop()
        now = time.monotonic()
        recent: frozenset[str] = frozenset()
        if self._answered and now - self._answered[-1][1] <= GATHER_AFTER_SECONDS:
            taken, _, recent = self._answered[-1]
            if len(self._answered) == 2 and taken - self._answered[0][1] <= GATHER_AFTER_SECONDS:
                recent |= self._answered[0][2]
        want = min(len(recent), self.max_requests)
        if len(self._waiting) >= want:
            return
        self._want, self._enough = want, loop.create_future()
        self._timer = loop.call_later(GATHER_SECONDS, self._gathered, now + GATHER_SECONDS)
        try:
            await self._enough
        finally:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            self._enough = None

    def _gathered(self, deadline: float | None = None) -> None:
        """Stop gathering (at `deadline`, when a timer calls). uvloop, the server's loop, keeps
        its timers in whole milliseconds of a clock that ticks in whole milliseconds, so its
        timer of one millisecond fires anywhere from at once to a millisecond later: what is
        left by the system's clock is waited again. (Over HTTP, eight engines: 4.2-4.6 batches a
        group and 0.55 ms of CPU per event before, 6.6-8.0 and 0.40-0.44 after.)"""
        if self._enough is None or self._enough.done():
            return
        if deadline is not None and (left := deadline - time.monotonic()) > 0:
            self._timer = asyncio.get_running_loop().call_later(left, self._gathered, deadline)
            return
        self._enough.set_result(None)

    def _take_group(self) -> list[_Request]:
        """The oldest waiting requests, up to the caps (always at least one); a caller that
        gave up before its group began is left out."""
        taken = events = 0
        for request in self._waiting:
            if taken and (
                taken >= self.max_requests or events + len(request.events) > self.max_events
            ):
                break
            taken += 1
            events += len(request.events)
        group, self._waiting = self._waiting[:taken], self._waiting[taken:]
        return [request for request in group if not request.future.done()]

    async def _write(self, group: list[_Request]) -> None:
        # Lock order by task id (stable, so one task's batches keep their arrival order).
        ordered = sorted(group, key=lambda request: request.task_id)
        try:
            todo, savepoints = ordered, False
            while todo:
                try:
                    await self._transaction(todo, savepoints=savepoints)
                    break
                except (_Refused, _Regroup):
                    # Nothing was committed: the others go again without the refused batch,
                    # this time each in its savepoint, so another refusal costs only itself.
                    todo = [request for request in todo if request.error is None]
                    for request in todo:
                        request.applied = request.change = None
                    savepoints = True
                except Exception as exc:  # the group's transaction failed as a whole
                    for request in todo:
                        if request.error is None:
                            request.error, request.applied, request.change = exc, None, None
                    break
            for request in ordered:
                if request.change is not None:
                    await self.context.tell(request.change)
        finally:
            # Even when this writer is cancelled mid-group, nobody in it waits forever.
            for request in ordered:
                self._answer(request)

    async def _transaction(self, todo: list[_Request], *, savepoints: bool) -> None:
        """Apply `todo` in one transaction. Without savepoints (the first try: refusals are
        rare, and a SAVEPOINT and its RELEASE are two more statements per batch) the first
        refusal ends the transaction (`_Refused`); with them it undoes only its own batch."""
        events = sum(len(request.events) for request in todo)
        await self.context.db.write_on_thread(
            lambda session: self._apply_all(session, todo, savepoints=savepoints),
            short=events <= SHORT_GROUP_EVENTS,
        )

    async def _apply_all(
        self, session: AsyncSession, todo: list[_Request], *, savepoints: bool
    ) -> None:
        # On a SQLite file this runs on the database's writer thread (`write_on_thread`): it
        # touches the session and the requests' result fields only, never the futures.
        if not savepoints or len(todo) == 1:
            # All together: the work shares its statements among the batches.
            try:
                results = await self.work(session, [(r.task_id, r.events) for r in todo])
            except Refused as refused:
                todo[refused.index].error = refused.error
                raise _Refused from refused.error
            except Exception as exc:
                if len(todo) == 1:
                    todo[0].error = exc
                    raise _Refused from exc
                # Not one batch's refusal (a write the batches shared failed): whose it is shows
                # when they go again one by one.
                raise _Regroup from exc
            for request, (applied, change) in zip(todo, results, strict=True):
                request.applied, request.change = applied, change
            return
        for request in todo:
            savepoint = await session.begin_nested()
            try:
                ((applied, change),) = await self.work(session, [(request.task_id, request.events)])
            except Exception as exc:
                # Undoes this batch only (and expires what it changed in the session, so
                # the next batch reloads those rows). Should the rollback itself fail, the
                # transaction is broken and the whole group fails.
                await savepoint.rollback()
                request.error = exc.error if isinstance(exc, Refused) else exc
                continue
            await savepoint.commit()  # RELEASE SAVEPOINT
            request.applied, request.change = applied, change

    @staticmethod
    def _answer(request: _Request) -> None:
        future = request.future
        if future.done():  # the caller was cancelled; its batch may still have been applied
            return
        if request.error is not None:
            future.set_exception(request.error)
        elif request.applied is not None:
            future.set_result(request.applied)
        else:  # the writer was cancelled before this request's turn in the transaction
            future.cancel()
