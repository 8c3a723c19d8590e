"""Who hears of a task, and how: subscriptions of chat targets, mutes, and the preferences of
chats and persons (config defaults merged with what people set in chat).

`target_row` is also what `store.queries` and the bot use to find or create a chat target.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from store.errors import InvalidEvent, NotFound
from store.models import Preference, Subscription, Target, Task
from store.tracker.contract import DEFAULT_NOTIFY_EVENTS
from store.tracker.unit import Context
from store.tracker.views import chat_scope, person_scope

__all__ = ["Subscriptions", "target_row"]


class Subscriptions:
    def __init__(self, context: Context) -> None:
        self.context = context

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
        async with self.context.db.write() as session:
            if await session.get(Task, task_id) is None:
                raise NotFound(f"there is no task {task_id}")
            return await self.add(session, task_id, platform, chat, thread, person, events)

    async def add(
        self,
        session: AsyncSession,
        task_id: str,
        platform: str,
        chat: str,
        thread: str | None,
        person: str | None,
        events: Sequence[str] | None = None,
    ) -> bool:
        """Subscribe within the caller's transaction; a second subscription widens the first's
        event filter instead of adding a row."""
        target = await target_row(session, platform, chat, thread)
        existing = await session.scalar(
            select(Subscription).where(
                Subscription.task_id == task_id, Subscription.target_id == target.id
            )
        )
        if existing is not None:
            if events is not None:
                existing.events = sorted(
                    set(existing.events or DEFAULT_NOTIFY_EVENTS) | set(events)
                )
            return False
        session.add(
            Subscription(
                task_id=task_id,
                target_id=target.id,
                person=person,
                events=list(events) if events is not None else None,
            )
        )
        return True

    @staticmethod
    async def copy(session: AsyncSession, from_task: str, to_task: str) -> None:
        """A restarted task keeps its predecessor's audience (mutes are not carried over)."""
        subs = await session.scalars(select(Subscription).where(Subscription.task_id == from_task))
        for sub in subs:
            session.add(
                Subscription(
                    task_id=to_task,
                    target_id=sub.target_id,
                    person=sub.person,
                    events=sub.events,
                )
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
        async with self.context.db.write() as session:
            target = await target_row(session, platform, chat, thread)
            result = await session.execute(
                update(Subscription)
                .where(Subscription.task_id == task_id, Subscription.target_id == target.id)
                .values(muted_until=until)
            )
            return bool(getattr(result, "rowcount", 0))

    async def preferences_of(
        self, session: AsyncSession, subs: Sequence[Any]
    ) -> dict[str, Mapping[str, Any]]:
        """Preferences of the chats and persons of these (subscription, target) pairs, by scope."""
        scopes = set()
        for sub, target in subs:
            scopes.add(chat_scope(target.platform, target.chat, target.thread or None))
            if sub.person:
                scopes.add(person_scope(sub.person))
        if not scopes:
            return {}
        defaults = self.context.default_preferences
        merged: dict[str, Mapping[str, Any]] = {
            scope: defaults[scope] for scope in scopes if scope in defaults
        }
        rows = await session.scalars(select(Preference).where(Preference.scope.in_(sorted(scopes))))
        for row in rows:
            merged[row.scope] = {**merged.get(row.scope, {}), **(row.settings or {})}
        return merged

    async def set_preferences(self, scope: str, **settings: Any) -> dict[str, Any]:
        """Merge settings into a person's or chat's preferences (None removes a key)."""
        clock = self.context.clock
        async with self.context.db.write() as session:
            row = await session.get(Preference, scope)
            current = dict(row.settings) if row else {}
            for key, value in settings.items():
                if value is None:
                    current.pop(key, None)
                else:
                    current[key] = value
            if row is None:
                session.add(Preference(scope=scope, settings=current, updated_at=clock()))
            else:
                row.settings, row.updated_at = current, clock()
            return current


async def target_row(session: AsyncSession, platform: str, chat: str, thread: str | None) -> Target:
    """The target row for (platform, chat, thread), created when new."""
    if not platform or not chat:
        raise InvalidEvent("a notify target needs a platform and a chat")
    thread_key = thread or ""
    stmt = select(Target).where(
        Target.platform == platform, Target.chat == chat, Target.thread == thread_key
    )
    target = await session.scalar(stmt)
    if target is None:
        try:
            async with session.begin_nested():
                target = Target(platform=platform, chat=chat, thread=thread_key)
                session.add(target)
        except IntegrityError:  # created by a concurrent writer in the meantime
            target = await session.scalar(stmt)
            assert target is not None
    return target
