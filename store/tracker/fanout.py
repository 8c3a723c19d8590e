"""Outbox fan-out: which subscribed targets must hear of a change, written as outbox rows in the
same transaction as the change itself.

A change yields one notice row per target that wants its event (by the subscription's filter,
the chat's and person's preferences, and mutes) and one card row per target whose card must
move. Nothing is sent from here; the notifier drains the outbox after the commit.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Approval, OutboxRow, Subscription, Target, Task
from store.tracker.contract import RETIRE_EVENT, TaskChange
from store.tracker.id_lists import ids_in, ids_value
from store.tracker.row_writes import Read
from store.tracker.subscriptions import Subscriptions
from store.tracker.unit import Context, Pending
from store.tracker.views import approval_dict, chat_scope, person_scope

__all__ = ["Fanout"]

# What needs a person's action gets through a mute.
_THROUGH_MUTE = ("approval_requested", "approval_reminder", "task_failed")
_ENDED = frozenset({"completed", "failed", "cancelled"})


# Built once, with the task ids as a parameter: building the statement (and its cache key) on
# every change costs more than running it.
# Named apart from every column: the targets' read runs with a change's writes, in one statement
# on PostgreSQL, where a parameter named as a column would be taken as a value to write there.
_TASK_ID: BindParameter[str] = bindparam("changed_task_id")
_CARD_WAITING = (
    select(OutboxRow.id)
    .where(
        OutboxRow.task_id == Subscription.task_id,
        OutboxRow.target_id == Target.id,
        OutboxRow.kind == "card",
        OutboxRow.event == "card",
        OutboxRow.status == "pending",
    )
    .exists()
)
# Plain columns, not ORM rows: loading a subscription and a target as objects cost more than
# the rest of writing a change's outbox rows.
_TARGETS_AND_CARDS = (
    select(
        Subscription.person,
        Subscription.events,
        Subscription.muted_until,
        Target.id,
        Target.platform,
        Target.chat,
        Target.thread,
        _CARD_WAITING,
        Subscription.task_id,
    )
    .join(Target, Target.id == Subscription.target_id)
    .where(Target.disabled.is_(False))
)
# One task's, and a group's (its ids one parameter, `id_lists`: on PostgreSQL this read is
# rendered, once, into the text of a change's one statement).
_ONE_TASK_TARGETS = _TARGETS_AND_CARDS.where(Subscription.task_id == _TASK_ID)
_TASKS_TARGETS = {
    postgres: _TARGETS_AND_CARDS.where(
        ids_in(Subscription.task_id, "changed_task_ids", postgres=postgres)
    )
    for postgres in (False, True)
}


@dataclass(frozen=True, slots=True)
class _Subscribed:
    """What deciding a change's outbox rows reads of a subscription (as `Subscription`)."""

    person: str | None
    events: list[Any] | None
    muted_until: datetime | None


@dataclass(frozen=True, slots=True)
class _Place:
    """What writing an outbox row reads of its target (as `Target`)."""

    id: int
    platform: str
    chat: str
    thread: str


def _outbox_row(
    task: Task,
    target: Target | _Place,
    kind: str,
    event: str,
    payload: dict[str, Any],
    key: str,
    now: datetime,
) -> OutboxRow:
    """A row for `target`, due now. `key` names the change or notice; with the target it is the
    row's `dedupe_key`, which makes writing it twice (another worker, a retry) fail."""
    return OutboxRow(
        task_id=task.id,
        target_id=target.id,
        kind=kind,
        event=event,
        payload=payload,
        task_version=task.version,
        next_attempt_at=now,
        created_at=now,
        dedupe_key=f"{key}:{target.id}",
    )


class Fanout:
    def __init__(self, context: Context, subscriptions: Subscriptions) -> None:
        self.context = context
        self.subscriptions = subscriptions

    def targets_read(self, tasks: Sequence[Task]) -> Read:
        """The read `write_outbox` needs, run by the caller (with its writes, on PostgreSQL): the
        live targets of `tasks`, each with whether a card row already waits for it (that row
        draws the newest state when sent, so progress adds nothing), and its task's id last."""
        if len(tasks) == 1:
            return _ONE_TASK_TARGETS, {"changed_task_id": tasks[0].id}
        postgres = self.context.db.is_postgres
        ids = ids_value([task.id for task in tasks], postgres=postgres)
        return _TASKS_TARGETS[postgres], {"changed_task_ids": ids}

    async def write_outbox(
        self,
        session: AsyncSession,
        task: Task,
        p: Pending,
        now: datetime,
        rows: Sequence[Sequence[Any]],
    ) -> int:
        """The outbox rows for one change to `task`, given its rows of `targets_read`; returns
        how many were written."""
        if not rows:
            return 0
        subs = [
            (_Subscribed(person, events, muted), _Place(target_id, platform, chat, thread))
            for person, events, muted, target_id, platform, chat, thread, _, _ in rows
        ]
        pending_cards = {row[3] for row in rows if row[7]}
        written = 0
        if p.notices:
            await session.flush()  # approval ids are needed in payloads
            prefs = await self.subscriptions.preferences_of(session, subs)
        else:
            prefs = {}
        for index, (event, payload) in enumerate(p.notices):
            data = {
                k: (approval_dict(v) if isinstance(v, Approval) else v) for k, v in payload.items()
            }
            written += self.add_notices(
                session, task, subs, prefs, event, data, f"{task.version}:{index}", now, p.origin
            )
        ends_approval = task.status in _ENDED or any(
            m.get("type") == "approval_decided" for m in p.messages
        )
        for sub, target in subs:
            muted = sub.muted_until is not None and sub.muted_until > now
            if muted and ends_approval:
                # A muted chat gets no card, but the approval buttons it shows must go: an edit
                # that takes buttons away is no news, so the mute does not hold it back.
                event, key = RETIRE_EVENT, f"retire:{task.id}:{task.version}"
            elif muted or target.id in pending_cards:
                continue  # the pending card row renders the newest state when it is sent
            else:
                event, key = "card", f"card:{task.id}:{task.version}"
            session.add(_outbox_row(task, target, "card", event, {}, key, now))
            written += 1
        return written

    def add_notices(
        self,
        session: AsyncSession,
        task: Task,
        subs: Sequence[Any],
        prefs: Mapping[str, Mapping[str, Any]],
        event: str,
        data: dict[str, Any],
        key: str,
        now: datetime,
        origin: tuple[str, str] | None = None,
    ) -> int:
        """One notice row per subscribed target that wants `event`; `key` makes it unique."""
        written = 0
        for sub, target in subs:
            if origin is not None and (target.platform, target.chat) == origin:
                continue
            if not self.wants(sub, target, prefs, event, now):
                continue
            row_key = f"notice:{task.id}:{key}"
            session.add(_outbox_row(task, target, "notice", event, data, row_key, now))
            written += 1
        return written

    def wants(
        self,
        sub: Subscription | _Subscribed,
        target: Target | _Place,
        prefs: Mapping[str, Mapping[str, Any]],
        event: str,
        now: datetime,
    ) -> bool:
        """Does this subscription want this event, by its own filter and the preferences of its
        chat and person? Muting holds back everything but what needs a person's action."""
        chat_prefs = prefs.get(chat_scope(target.platform, target.chat, target.thread or None), {})
        person_prefs = prefs.get(person_scope(sub.person), {}) if sub.person else {}
        wanted: Collection[str] | None = sub.events
        if wanted is None:
            wanted = (
                chat_prefs.get("events") or person_prefs.get("events") or self.context.notify_events
            )
        if event not in wanted:
            return False
        channels = person_prefs.get("channels")
        if channels and target.platform not in channels:
            return False
        muted = sub.muted_until is not None and sub.muted_until > now
        return not muted or event in _THROUGH_MUTE

    async def notify(
        self, task_id: str, event: str, payload: Mapping[str, Any], *, once_key: str
    ) -> int:
        """Tell a task's subscribers of something that is not a state change (a stall, a
        reminder, a check-in). `once_key` makes it happen once, however many workers try."""
        context = self.context
        now = context.clock()
        try:
            async with context.db.write() as session:
                task = await context.lock_task(session, task_id)
                subs = list(
                    await session.execute(
                        select(Subscription, Target)
                        .join(Target, Target.id == Subscription.target_id)
                        .where(Subscription.task_id == task.id, Target.disabled.is_(False))
                    )
                )
                prefs = await self.subscriptions.preferences_of(session, subs)
                written = self.add_notices(
                    session, task, subs, prefs, event, dict(payload), once_key, now
                )
                await session.flush()
        except IntegrityError:
            return 0  # another worker (or an earlier run) already did it
        if written:
            await context.tell(TaskChange(task_id, task.version, (), written))
        return written
