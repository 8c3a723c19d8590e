"""The notifier: drains the outbox the Tracker writes, through each target's adapter.

Per target, rows go out in the order they were written, one sender at a time (a lease in the
database). Targets drain side by side, each in its own task: when one is done, or gives its
lease back to wait out a long pause of its chat, more are leased at once, so a chat with little
to send never waits behind another's paced backlog. Live-card edits wait while notices queue for
a channel's overall budget. Notices are rendered from the task's state at send time with the
event's own text; a "card" row posts the task's live card or edits it in place, at most once per
`card_interval_seconds` per card, always ending on the newest state. Failures back off
exponentially with jitter (or as long as the platform's Retry-After says), and after
`max_attempts` a row is dead-lettered; a target the platform says is gone is disabled.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
import secrets
from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.links import is_shared, link_for
from bot.logs import fields
from bot.notify.jobs import ScheduledJobs
from bot.notify.preferences import QuietHoursPolicy
from bot.notify.scheduler import JobQueue
from bot.ports import (
    Adapter,
    DeliveryError,
    MessageGone,
    PacesSends,
    TargetGone,
    ThreadsNotices,
)
from bot.replies import (
    card_reply,
    notification_reply,
    quiet_summary_reply,
    retired_approval_reply,
)
from bot.types import Button, Reply, Target
from store.errors import NotFound
from store.outbox import Outbox, OutboxItem, TargetLease
from store.shapes import SnapshotShape
from store.tracker import RETIRE_EVENT, TaskChange

if TYPE_CHECKING:
    from bot.services import Services

__all__ = ["Notifier", "backoff_seconds"]

logger = logging.getLogger(__name__)

OWN_LINK_LABEL = "My link"
# Where a sent message's buttons stay pressable and the message can be edited in place.
BUTTON_PLATFORMS = ("slack", "telegram")

LEASE_SECONDS = 30.0
# How many targets one worker sends to at once; beyond that, due targets wait for a free place.
MAX_ACTIVE_TARGETS = 100
# Leased at a time: a worker that wakes first does not take every due target, so other workers
# on the database get their share (sending costs CPU); more follow a moment later.
LEASE_BATCH = 25
LEASE_AGAIN_SECONDS = 0.1
# A chat that may take its next message only after longer than this (a flood-wait, a group's
# per-minute limit) gives its lease back with that time rather than hold a place while it waits.
HOLD_SECONDS = 5.0
# Live cards wait while a message ready now would queue longer than this for the channel's
# overall budget: the slots go to notices, and the card draws the newest state a little later.
CARD_BACKLOG_SECONDS = 0.5
CARD_WAIT_SECONDS = 1.0
# ... but never leave a card stale for longer than this because of it.
CARD_STALE_SECONDS = 30.0
# Notices about one task to many chats render from one snapshot for at most this long (each
# notice carries its event's own text; the snapshot gives the title and the percentage).
SNAPSHOT_SECONDS = 5.0
# How often to look for notices waiting on a channel this worker does not run (to warn once).
PARKED_CHECK_SECONDS = 5.0
MAX_BACKOFF = 300.0


def backoff_seconds(attempts: int, retry_after: float | None = None) -> float:
    """Exponential backoff with full jitter; a platform's Retry-After wins when it says more."""
    if retry_after is not None and retry_after > 0:
        return retry_after + random.uniform(0, 0.25)
    ceiling = min(MAX_BACKOFF, 2.0 ** max(attempts - 1, 0))
    return random.uniform(ceiling / 2, ceiling)


class Notifier:
    def __init__(
        self, services: Services, *, worker_id: str | None = None, tick_seconds: float = 1.0
    ) -> None:
        self.services = services
        self.outbox = Outbox(services.db)
        self.worker_id = worker_id or f"worker-{secrets.token_hex(4)}"
        self.tick_seconds = tick_seconds
        self.max_attempts = services.config.notifications.max_attempts
        self.card_interval = services.config.notifications.card_interval_seconds
        self.quiet = QuietHoursPolicy(services.config, services.queries)
        self.jobs = JobQueue()
        self._wake = asyncio.Event()
        self._loop_task: asyncio.Task[None] | None = None
        self._stopping = False
        self._snapshots: dict[str, tuple[float, SnapshotShape]] = {}
        # Targets being sent to now, each by its own task.
        self._active: dict[int, asyncio.Task[int]] = {}
        # Targets this worker leaves alone until a loop time: nothing was sendable there (a
        # notice backing off holds the rest), or the chat waits out a long pause.
        self._resting: dict[int, float] = {}
        self._warned_parked: set[int] = set()
        self._parked_checked_at = datetime.min.replace(tzinfo=UTC)

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        self.services.tracker.add_listener(self._on_change)
        self.jobs.every(self.tick_seconds, "outbox_tick", self._tick)
        ScheduledJobs(self.services).register(self.jobs)
        await self.jobs.start()
        self._stopping = False
        self._loop_task = asyncio.create_task(self._run(), name="notifier")

    async def stop(self) -> None:
        self._stopping = True
        await self.jobs.stop()
        if self._loop_task is not None:
            self._wake.set()
            self._loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop_task
            self._loop_task = None
        active = list(self._active.values())
        for task in active:
            task.cancel()
        # Each gives its lease back on the way out; a row cut off mid-send is sent again later.
        await asyncio.gather(*active, return_exceptions=True)
        self._active.clear()

    def wake(self) -> None:
        self._wake.set()

    def _on_change(self, change: TaskChange) -> None:
        if change.outbox_rows:
            self._wake.set()

    async def _tick(self) -> None:
        self._wake.set()

    async def _run(self) -> None:
        while not self._stopping:
            await self._wake.wait()
            self._wake.clear()
            try:
                await self._fill()
            except Exception:
                logger.exception("outbox drain failed; retrying on the next tick")

    # ------------------------------------------------------------------ draining

    async def _fill(self) -> None:
        """Lease due targets up to the bound, each sent to by its own task."""
        if not self._active and not await self.outbox.any_pending():
            # Nothing waits anywhere: an idle tick costs one indexed lookup, not the leasing
            # and quiet-hour queries (tens of milliseconds of CPU a second beside requests).
            return
        now = await self._before_leasing()
        free = MAX_ACTIVE_TARGETS - len(self._active)
        if free <= 0:
            return
        loop_now = asyncio.get_running_loop().time()
        self._resting = {t: until for t, until in self._resting.items() if until > loop_now}
        if not self._active:
            self._snapshots = {}
        batch = min(free, LEASE_BATCH)
        # Never a second sender for a chat this worker still sends to, even if its lease ran
        # out during a long wait: that would send its rows twice.
        leases = await self._lease(now, batch, exclude={*self._resting, *self._active})
        if len(leases) == batch:
            asyncio.get_running_loop().call_later(LEASE_AGAIN_SECONDS, self._wake.set)
        for lease in leases:
            task = asyncio.create_task(
                self._drain_target(lease), name=f"notify-target-{lease.target_id}"
            )
            self._active[lease.target_id] = task
            task.add_done_callback(functools.partial(self._drained, lease.target_id))

    def _drained(self, target_id: int, task: asyncio.Task[int]) -> None:
        self._active.pop(target_id, None)
        if task.cancelled():
            return
        if task.exception() is not None:
            logger.error("sending to target %s failed", target_id, exc_info=task.exception())
        elif task.result() == 0:
            # Nothing could go (its next notice backs off): leave it for a tick, not a spin.
            until = asyncio.get_running_loop().time() + self.tick_seconds
            self._resting[target_id] = max(self._resting.get(target_id, until), until)
        self._wake.set()  # a place is free: lease more at once

    async def _before_leasing(self) -> datetime:
        """Release what quiet hours no longer hold and warn of parked targets; the time now."""
        now = self.services.clock.now()
        await self.release_quiet_rows(now)
        await self._warn_about_parked_targets(now)
        return now

    async def _lease(
        self, now: datetime, limit: int, *, exclude: Collection[int] = ()
    ) -> list[TargetLease]:
        return await self.outbox.lease_targets(
            self.worker_id,
            now=now,
            lease_seconds=LEASE_SECONDS,
            limit=limit,
            # Targets of channels this worker does not run are parked, taking no lease slot.
            platforms=set(self.services.adapters),
            exclude=exclude,
        )

    async def drain(self) -> int:
        """Send what is due now, in one round; returns how many rows were handled. The running
        notifier drains continuously instead; this serves commands and tests."""
        now = await self._before_leasing()
        leases = await self._lease(now, 50)
        if not leases:
            return 0
        self._snapshots = {}
        try:
            results = await asyncio.gather(*(self._drain_target(lease) for lease in leases))
        finally:
            self._snapshots = {}
        return sum(results)

    async def _warn_about_parked_targets(self, now: datetime) -> None:
        """One WARNING per target whose notices wait for a channel this worker does not run, so
        a typo'd platform or a switched-off channel is not a silent black hole."""
        if now < self._parked_checked_at + timedelta(seconds=PARKED_CHECK_SECONDS):
            return
        self._parked_checked_at = now
        parked = await self.outbox.parked_targets(set(self.services.adapters), now=now)
        for target_id, platform, chat, waiting in parked:
            if target_id in self._warned_parked:
                continue
            self._warned_parked.add(target_id)
            logger.warning(
                "notifications wait for a channel that is not running",
                extra=fields(platform=platform, chat=chat, waiting=waiting),
            )

    async def release_quiet_rows(self, now: datetime) -> int:
        """Notices held for quiet hours that quiet hours no longer cover (turned off, shortened,
        or moved) become due at once, to go out as one summary. Returns how many."""
        held = await self.outbox.held_rows(now)
        if not held:
            return 0
        self.quiet.forget()  # read the preferences as they are now, not as cached
        released = []
        verdicts: dict[tuple[int, str | None], bool] = {}
        for row in held:
            key = (row.target_id, row.person)
            if key not in verdicts:
                quiet_end = await self.quiet.until(
                    now, platform=row.platform, chat=row.chat, thread=row.thread, person=row.person
                )
                verdicts[key] = quiet_end is None
            if verdicts[key]:
                released.append(row.row_id)
        await self.outbox.release_held(released, now=now)
        return len(released)

    async def _drain_target(self, lease: TargetLease) -> int:
        handled = 0
        adapter = self.services.adapters.get(lease.platform)
        target = Target(lease.platform, lease.chat, lease.thread)
        try:
            if adapter is None:
                return 0  # no channel for this platform runs in this process; another worker may

            rows = await self.outbox.pending_rows(lease.target_id, now=self.services.clock.now())
            cards_done: set[str] = set()
            sent_summary = False
            lease_renewed = self.services.clock.now()
            for row in rows:
                now = self.services.clock.now()
                if self._long_pause(adapter, target, lease):
                    break  # the lease goes back with the chat's next-send time
                if row.next_attempt_at > now:
                    if row.kind == "card" or row.held:
                        # A card waiting for its interval, or a notice held for quiet hours:
                        # neither holds up anything behind it.
                        continue
                    # A notice waiting for its retry (the chat failed, or said Retry-After):
                    # order per chat, and the platform's limit, hold everything after it.
                    break
                if row.kind == "notice":
                    quiet_end = await self.quiet.until(
                        now,
                        platform=lease.platform,
                        chat=lease.chat,
                        thread=lease.thread,
                        person=row.person,
                    )
                    if quiet_end is not None:
                        # Held apart: it holds up nothing behind it (cards, other people's).
                        await self.outbox.hold(row.id, quiet_end)
                        continue
                    if row.held:
                        if not sent_summary:
                            held = [
                                r
                                for r in rows
                                if r.held and r.kind == "notice" and r.next_attempt_at <= now
                            ]
                            sent_summary = True
                            if not await self._send_summary(adapter, target, lease, held):
                                break
                            handled += len(held)
                        continue
                if row.kind == "card" and row.event != RETIRE_EVENT:
                    if row.task_id in cards_done:
                        await self.outbox.mark_sent(row.id, now=now, message_ref=None)
                        continue
                    cards_done.add(row.task_id)
                ok = await self._send_row(adapter, target, lease, row)
                handled += 1
                if not ok:
                    break  # the chat just failed: try it again after the backoff, not now
                if (now - lease_renewed).total_seconds() > LEASE_SECONDS / 3:
                    # Renew well before it runs out, not after every row: a chat paced at one
                    # message a second would otherwise cost a write per message for nothing.
                    lease_renewed = now
                    if not await self.outbox.extend_lease(
                        lease.target_id, self.worker_id, now + timedelta(seconds=LEASE_SECONDS)
                    ):
                        # The lease ran out mid-drain (a stalled send) and another worker holds
                        # the chat now: sending on would put its rows out twice.
                        logger.warning(
                            "lost the lease of target %s mid-drain; another worker sends to it",
                            lease.target_id,
                        )
                        break
        except TargetGone:
            pass
        finally:
            await self.outbox.release(
                lease.target_id, self.worker_id, next_send_at=self._next_send_at(adapter, target)
            )
        return handled

    def _long_pause(self, adapter: Adapter, target: Target, lease: TargetLease) -> bool:
        """Whether the chat must wait longer than HOLD_SECONDS for its next message; if so it
        rests here that long, and is released with that time, holding no place meanwhile."""
        if not isinstance(adapter, PacesSends):
            return False
        wait = adapter.chat_ready_in(target)
        if wait <= HOLD_SECONDS:
            return False
        self._resting[lease.target_id] = asyncio.get_running_loop().time() + wait
        return True

    def _next_send_at(self, adapter: Adapter | None, target: Target) -> datetime | None:
        """When the chat takes its next message, for other workers to respect (None: now)."""
        if adapter is None or not isinstance(adapter, PacesSends):
            return None
        wait = adapter.chat_ready_in(target)
        return self.services.clock.now() + timedelta(seconds=wait) if wait > 0 else None

    async def _send_row(
        self, adapter: Adapter, target: Target, lease: TargetLease, row: OutboxItem
    ) -> bool:
        metrics = self.services.metrics
        now = self.services.clock.now()
        reply: Reply | None = None
        version = 0
        try:
            if row.event != RETIRE_EVENT:
                reply, version = await self._render(row, target)
                reply.delivery_id = str(row.id)
            elif not await self.services.queries.exists(row.task_id):
                # A card row for a muted chat (only the approval buttons go, the card stays)
                # of a task that is gone: nothing to do.
                raise NotFound(f"there is no task {row.task_id!r}")
        except NotFound:
            await self.outbox.mark_sent(row.id, now=now, message_ref=None)
            return True
        try:
            if reply is None:
                if target.platform in BUTTON_PLATFORMS:
                    await self._retire_in_muted_chat(adapter, target, row, now)
                ref = None
            elif row.kind == "card":
                if target.platform in BUTTON_PLATFORMS:
                    # The change this card shows may have decided an approval elsewhere.
                    await self._retire_approval_buttons(adapter, target, row)
                deferred = await self._send_card(adapter, target, row, reply, now)
                if deferred:
                    return True
                if await self.services.queries.version(row.task_id) > version:
                    # The task moved on while we drew this card, and the Tracker saw this row
                    # pending and wrote no new one: keep it, to draw the newest state next time.
                    await self.outbox.defer(row.id, now + timedelta(seconds=self.card_interval))
                    metrics.notifications.labels(lease.platform, "sent").inc()
                    return True
                ref = None
            else:
                if isinstance(adapter, ThreadsNotices) and adapter.notices_in_card_thread:
                    target = await self._card_thread(adapter, target, row, now)
                sent = await adapter.send(target, reply)
                ref = sent.ref
                if target.platform in BUTTON_PLATFORMS:  # chats whose buttons we can edit away
                    await self._remember_approval_buttons(row, reply, target, sent.ref, now)
            await self.outbox.mark_sent(row.id, now=self.services.clock.now(), message_ref=ref)
            metrics.notifications.labels(lease.platform, "sent").inc()
            return True
        except TargetGone as exc:
            logger.warning(
                "target %s:%s is gone (%s); disabling it", target.platform, target.chat, exc
            )
            await self.outbox.disable_target(lease.target_id, str(exc))
            metrics.disabled_targets.labels(lease.platform).inc()
            raise
        except Exception as exc:  # DeliveryError, or an adapter bug: both retried, then dead
            retry_after = exc.retry_after if isinstance(exc, DeliveryError) else None
            if not isinstance(exc, DeliveryError):
                logger.exception("adapter %s failed to send row %s", target.platform, row.id)
            attempts = row.attempts + 1
            if attempts >= self.max_attempts:
                logger.error(
                    "giving up on outbox row %s to %s:%s after %s attempts: %s",
                    row.id,
                    target.platform,
                    target.chat,
                    attempts,
                    exc,
                )
                await self.outbox.mark_failed(
                    row.id, error=str(exc), retry_at=None, attempts=attempts
                )
                metrics.dead_letters.labels(lease.platform).inc()
                metrics.notifications.labels(lease.platform, "dead").inc()
                return False
            delay = backoff_seconds(attempts, retry_after)
            await self.outbox.mark_failed(
                row.id, error=str(exc), attempts=attempts, retry_at=now + timedelta(seconds=delay)
            )
            metrics.notifications.labels(lease.platform, "retry").inc()
            return False

    async def _send_card(
        self, adapter: Adapter, target: Target, row: OutboxItem, reply: Reply, now: datetime
    ) -> bool:
        """Post or edit the live card. Returns True when the edit was deferred (too soon)."""
        live = await self.outbox.live_message(row.task_id, row.target_id)
        if self._budget_tight(adapter, live, now):
            # Notices queue for the channel's overall budget: they take the slots, and this
            # card draws the newest state a moment later.
            await self.outbox.defer(row.id, now + timedelta(seconds=CARD_WAIT_SECONDS))
            return True
        if live is not None:
            ref, _thread, updated_at = live
            wait_until = updated_at + timedelta(seconds=self.card_interval)
            final = reply.status in ("completed", "failed", "cancelled")
            if wait_until > now and not final:
                # Coalesce: one edit per interval; this row will render the newest state then.
                await self.outbox.defer(row.id, wait_until)
                return True
            try:
                sent = await adapter.edit(target, ref, reply)
            except MessageGone:
                sent = await adapter.send(target, reply)
        else:
            sent = await adapter.send(target, reply)
        await self.outbox.save_live_ref(
            row.task_id, row.target_id, sent.ref, now=now, thread_ref=sent.thread_ref
        )
        return False

    @staticmethod
    def _budget_tight(
        adapter: Adapter, live: tuple[str, str | None, datetime] | None, now: datetime
    ) -> bool:
        if not isinstance(adapter, PacesSends):
            return False
        if live is not None and now - live[2] > timedelta(seconds=CARD_STALE_SECONDS):
            return False  # held back long enough: this one goes, in its turn
        return adapter.backlog_seconds() > CARD_BACKLOG_SECONDS

    async def _retire_in_muted_chat(
        self, adapter: Adapter, target: Target, row: OutboxItem, now: datetime
    ) -> None:
        """A muted chat hears no news, but the buttons of an approval that is no longer waiting
        go: each message offering them is edited to say who decided what, and the live card
        (which offers them too) is redrawn in place. Nothing new is posted. Raises
        DeliveryError when an edit must be tried again."""
        complete = await self._retire_approval_buttons(adapter, target, row)
        live = await self.outbox.live_message(row.task_id, row.target_id)
        if live is not None:
            ref, thread, _updated = live
            reply, _version = await self._render(row, target)
            reply.delivery_id = str(row.id)
            try:
                sent = await adapter.edit(target, ref, reply)
            except MessageGone:
                await self.outbox.forget_live(row.task_id, row.target_id, "card")
            else:
                await self.outbox.save_live_ref(
                    row.task_id, row.target_id, sent.ref, now=now, thread_ref=thread
                )
        if not complete:
            raise DeliveryError("a message with approval buttons could not be edited yet")

    async def _card_thread(
        self, adapter: Adapter, target: Target, row: OutboxItem, now: datetime
    ) -> Target:
        """The target with the thread of the task's live card, posting the card first when the
        chat has none yet (it is stored, so the card rows edit that one from then on)."""
        live = await self.outbox.live_message(row.task_id, row.target_id)
        if live is not None:
            ref, thread, _updated = live
        else:
            card = OutboxItem(
                row.id, row.task_id, row.target_id, "card", "card", {}, 0, now, row.person
            )
            reply, _version = await self._render(card, target)
            sent = await adapter.send(target, reply)
            ref, thread = sent.ref, sent.thread_ref
            await self.outbox.save_live_ref(
                row.task_id, row.target_id, sent.ref, now=now, thread_ref=sent.thread_ref
            )
        return Target(target.platform, target.chat, thread or ref)

    async def _send_summary(
        self, adapter: Adapter, target: Target, lease: TargetLease, held: list[OutboxItem]
    ) -> bool:
        """Quiet hours are over: one message for everything held back, then the rows are done.
        A failed send backs the held rows off like any notice; returns whether it went out."""
        lines = []
        for row in held:
            try:
                reply, _version = await self._render(row, target)
                lines.append(reply.text.splitlines()[0] if reply.text else row.event)
            except NotFound:
                continue
        try:
            sent = await adapter.send(target, quiet_summary_reply(lines, held=len(held)))
        except TargetGone as exc:
            await self.outbox.disable_target(lease.target_id, str(exc))
            raise
        except Exception as exc:
            if not isinstance(exc, DeliveryError):
                logger.exception("adapter %s failed to send a quiet-hours summary", lease.platform)
            retry_after = exc.retry_after if isinstance(exc, DeliveryError) else None
            now = self.services.clock.now()
            for row in held:
                attempts = row.attempts + 1
                dead = attempts >= self.max_attempts
                delay = backoff_seconds(attempts, retry_after)
                await self.outbox.mark_failed(
                    row.id,
                    error=str(exc),
                    attempts=attempts,
                    retry_at=None if dead else now + timedelta(seconds=delay),
                )
            return False
        await self.outbox.mark_many_sent(
            [r.id for r in held], now=self.services.clock.now(), message_ref=sent.ref
        )
        return True

    async def _remember_approval_buttons(
        self, row: OutboxItem, reply: Reply, target: Target, ref: str, now: datetime
    ) -> None:
        """Note which message offered Approve/Reject, so a decision anywhere can retire it."""
        approval_ids = {b.arg for b in reply.buttons if b.action in ("approve", "reject") and b.arg}
        for approval_id in approval_ids:
            await self.outbox.save_live_ref(
                row.task_id,
                row.target_id,
                ref,
                now=now,
                thread_ref=target.thread,
                purpose=f"approval:{approval_id}",
            )

    async def _retire_approval_buttons(
        self, adapter: Adapter, target: Target, row: OutboxItem
    ) -> bool:
        """Edit every message here that still offers buttons for an approval that is no longer
        waiting (decided on any surface, expired, or its task ended) to say what happened.
        False when an edit failed for now (it is tried again later)."""
        offered = await self.outbox.approval_messages(row.task_id, row.target_id)
        if not offered:
            return True
        complete = True
        snap = await self.services.progress.snapshot(row.task_id)
        for approval_id, ref, thread in offered:
            try:
                approval = await self.services.queries.approval(approval_id)
            except NotFound:
                approval = None
            waiting = approval is not None and approval.get("status") == "pending"
            if waiting and snap.get("status") not in ("completed", "failed", "cancelled"):
                continue  # still waiting: the buttons stay
            reply = retired_approval_reply(snap, approval)
            try:
                await adapter.edit(Target(target.platform, target.chat, thread), ref, reply)
            except MessageGone:
                pass
            except DeliveryError:
                complete = False
                continue  # tried again with the next card (or the retire row's retry)
            await self.outbox.forget_live(row.task_id, row.target_id, f"approval:{approval_id}")
        return complete

    async def _render(self, row: OutboxItem, target: Target) -> tuple[Reply, int]:
        """The row's message, and the task version it shows. Cards always draw the newest
        state; notices may share this round's snapshot."""
        loop_now = asyncio.get_running_loop().time()
        cached = self._snapshots.get(row.task_id) if row.kind == "notice" else None
        if cached is not None and cached[0] > loop_now:
            snap = cached[1]
        else:
            snap = await self.services.progress.snapshot(row.task_id)
            self._snapshots[row.task_id] = (loop_now + SNAPSHOT_SECONDS, snap)
        version = int((snap.get("control") or {}).get("version", 0))
        view_url = self._link(row.task_id, target, row.person)
        if row.kind == "card":
            card = card_reply(snap, view_url=view_url)
            if target.platform in ("slack", "telegram") and is_shared(target.platform, target.chat):
                # The card's link only shows; whoever wants to act asks for their own, privately.
                card.buttons.append(Button(OWN_LINK_LABEL, "open", row.task_id))
            return card, version
        step = row.payload.get("step")
        reply = notification_reply(
            row.event, snap, step=step if isinstance(step, int) else None, view_url=view_url
        )
        return reply, version

    def _link(self, task_id: str, target: Target, person: str | None) -> str:
        """A personal link where only that person reads (their DM, private chat, console or
        e-mail), else a read-only view link: a link in a channel acts for nobody."""
        if person is None and target.platform in ("telegram", "console", "email"):
            # A private chat's id names its one reader.
            person = self.services.directory.person_for(target.platform, target.chat)
        return link_for(
            self.services.config,
            task_id,
            platform=target.platform,
            chat=target.chat,
            person=person,
        )
