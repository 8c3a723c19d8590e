"""The `Tracker`: the one object the bot and the adapters change task state through.

It owns no logic of its own. It builds the collaborators around one shared `Context` and hands
each call to the one that owns it; its public methods and their signatures are the contract the
rest of the code relies on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from store.db import Database
from store.models import utcnow
from store.tracker.approvals import Approvals
from store.tracker.contract import (
    DEFAULT_NOTIFY_EVENTS,
    Applied,
    Decision,
    Limits,
    Listener,
    Membership,
    NewTask,
)
from store.tracker.controls import Controls
from store.tracker.fanout import Fanout
from store.tracker.finish import Finisher
from store.tracker.lifecycle import Lifecycle
from store.tracker.subscriptions import Subscriptions
from store.tracker.unit import Context

__all__ = ["Tracker"]


class Tracker:
    def __init__(
        self,
        db: Database,
        *,
        membership: Membership | None = None,
        clock: Callable[[], datetime] = utcnow,
        notify_events: Iterable[str] = DEFAULT_NOTIFY_EVENTS,
        default_preferences: Mapping[str, Mapping[str, Any]] | None = None,
        limits: Limits | None = None,
    ) -> None:
        self._context = context = Context(
            db=db,
            membership=membership,
            clock=clock,
            notify_events=frozenset(notify_events),
            default_preferences=dict(default_preferences or {}),
            limits=limits or Limits(),
        )
        self._subscriptions = Subscriptions(context)
        self._fanout = Fanout(context, self._subscriptions)
        finisher = Finisher(context, self._fanout)
        self._approvals = Approvals(context, finisher)
        self._controls = Controls(context, self._subscriptions, finisher)
        self._lifecycle = Lifecycle(context, self._subscriptions, self._approvals, finisher)

    # The settings live in the shared context, so changing one here (as the bench does with
    # notify_events) reaches every collaborator at once.

    @property
    def db(self) -> Database:
        return self._context.db

    @db.setter
    def db(self, value: Database) -> None:
        self._context.db = value

    @property
    def membership(self) -> Membership | None:
        return self._context.membership

    @membership.setter
    def membership(self, value: Membership | None) -> None:
        self._context.membership = value

    @property
    def clock(self) -> Callable[[], datetime]:
        return self._context.clock

    @clock.setter
    def clock(self, value: Callable[[], datetime]) -> None:
        self._context.clock = value

    @property
    def notify_events(self) -> frozenset[str]:
        return self._context.notify_events

    @notify_events.setter
    def notify_events(self, value: frozenset[str]) -> None:
        self._context.notify_events = value

    @property
    def limits(self) -> Limits:
        """How big input may be; a change beyond them is refused before anything is written."""
        return self._context.limits

    @limits.setter
    def limits(self, value: Limits) -> None:
        self._context.limits = value

    @property
    def default_preferences(self) -> dict[str, Mapping[str, Any]]:
        """Preferences from the config, by scope; what people set in chat overrides them."""
        return self._context.default_preferences

    @default_preferences.setter
    def default_preferences(self, value: dict[str, Mapping[str, Any]]) -> None:
        self._context.default_preferences = value

    def add_listener(self, listener: Listener) -> None:
        self._context.listeners.append(listener)

    # ------------------------------------------------------------------ lifecycle

    async def create_task(self, spec: NewTask, *, by: str | None = None) -> str:
        return await self._lifecycle.create_task(spec, by=by)

    async def apply(self, task_id: str, events: Sequence[Mapping[str, Any]]) -> Applied:
        """Apply one engine event or a batch, all or nothing."""
        return await self._lifecycle.apply(task_id, events)

    @property
    def events_queued(self) -> int:
        """Engine batches waiting for the next group commit (see `group_commit`)."""
        return self._lifecycle.committer.queued

    @property
    def events_in_flight(self) -> int:
        """Engine batches in the group commit being written now."""
        return self._lifecycle.committer.in_flight

    @property
    def event_groups_written(self) -> int:
        """Group commits of engine batches written since the start (each one transaction)."""
        return self._lifecycle.committer.groups_written

    # ------------------------------------------------------------------ controls

    async def pause(
        self,
        task_id: str,
        *,
        by: str | None = None,
        via: str | None = None,
        reason: str | None = None,
        origin: tuple[str, str] | None = None,
    ) -> None:
        await self._controls.pause(task_id, by=by, via=via, reason=reason, origin=origin)

    async def resume(
        self,
        task_id: str,
        *,
        by: str | None = None,
        via: str | None = None,
        reason: str | None = None,
        origin: tuple[str, str] | None = None,
    ) -> None:
        await self._controls.resume(task_id, by=by, via=via, reason=reason, origin=origin)

    async def cancel(
        self,
        task_id: str,
        *,
        by: str | None = None,
        via: str | None = None,
        reason: str | None = None,
        origin: tuple[str, str] | None = None,
    ) -> None:
        await self._controls.cancel(task_id, by=by, via=via, reason=reason, origin=origin)

    async def restart(
        self,
        task_id: str,
        *,
        by: str | None = None,
        via: str | None = None,
        reason: str | None = None,
        origin: tuple[str, str] | None = None,
    ) -> str:
        """Cancel the task (when still active) and start over: a new attempt, same steps."""
        return await self._controls.restart(task_id, by=by, via=via, reason=reason, origin=origin)

    async def retry_step(
        self,
        task_id: str,
        step: int,
        *,
        by: str | None = None,
        via: str | None = None,
        reason: str | None = None,
    ) -> None:
        await self._controls.retry_step(task_id, step, by=by, via=via, reason=reason)

    async def skip_step(
        self,
        task_id: str,
        step: int,
        *,
        by: str | None = None,
        via: str | None = None,
        reason: str | None = None,
    ) -> None:
        await self._controls.skip_step(task_id, step, by=by, via=via, reason=reason)

    async def control(self, task_id: str) -> dict[str, Any]:
        return await self._controls.control(task_id)

    # ------------------------------------------------------------------ approvals

    async def decide(
        self,
        approval_id: int,
        decision: str,
        *,
        by: str | None,
        via: str | None = None,
        reason: str | None = None,
        origin: tuple[str, str] | None = None,
    ) -> Decision:
        """Record one approver's decision. Raises Conflict when the approval was already decided."""
        return await self._approvals.decide(
            approval_id, decision, by=by, via=via, reason=reason, origin=origin
        )

    async def expire_approvals(self) -> int:
        """Expire every pending approval past its deadline; returns how many."""
        return await self._approvals.expire_approvals()

    # ------------------------------------------------------------------ subscriptions

    async def subscribe(
        self,
        task_id: str,
        platform: str,
        chat: str,
        thread: str | None = None,
        *,
        person: str | None = None,
        events: Sequence[str] | None = None,
    ) -> bool:
        """Let a target hear of a task. Returns False when it already did (nothing changes)."""
        return await self._subscriptions.subscribe(
            task_id, platform, chat, thread, person=person, events=events
        )

    async def mute(
        self,
        task_id: str,
        platform: str,
        chat: str,
        thread: str | None = None,
        *,
        until: datetime | None,
    ) -> bool:
        """Mute (until a time, or None to unmute) a task in a chat. False when not subscribed."""
        return await self._subscriptions.mute(task_id, platform, chat, thread, until=until)

    async def set_preferences(self, scope: str, **settings: Any) -> dict[str, Any]:
        """Merge settings into a person's or chat's preferences (None removes a key)."""
        return await self._subscriptions.set_preferences(scope, **settings)

    # ------------------------------------------------------------------ fan-out, deliveries

    async def notify(
        self, task_id: str, event: str, payload: Mapping[str, Any], *, once_key: str
    ) -> int:
        """Tell a task's subscribers of something that is not a state change (a stall, a
        reminder, a check-in). `once_key` makes it happen once, however many workers try."""
        return await self._fanout.notify(task_id, event, payload, once_key=once_key)
