"""Handlers for what people ask about people and history rather than about progress: who may
approve, what waits on me, what happened to a task, and where my updates go."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bot.chat.turn import Turn
from bot.chat.words import pending_approval
from bot.notify.preferences import channel_label, channel_problem, describe_settings
from bot.replies import approvers_reply, done_reply, history_reply, refusal_reply, waiting_reply
from bot.steering.permissions import is_approver
from bot.types import Reply
from intents import Intent
from store.shapes import SnapshotShape
from store.tracker import person_scope

if TYPE_CHECKING:
    from bot.services import Services

__all__ = ["history", "notify_channel", "waiting_on_me", "who_approves"]

_KNOWN_CHANNELS = ("email", "slack", "telegram", "console")


def _names(services: Services, people: list[str]) -> list[str]:
    """Approvers in words: people by their display name, teams as "the X team"."""
    out = []
    for name in people:
        if services.directory.exists(name):
            out.append(services.directory.display_name(name))
        else:
            out.append(f"the {name} team")
    return out


async def who_approves(
    services: Services, turn: Turn, intent: Intent, snap: SnapshotShape
) -> Reply:
    """Who may approve what waits on a task, its quorum, and whether the asker may."""
    approval = pending_approval(snap)
    names = _names(services, list((approval or {}).get("approvers") or []))
    you_may = approval is not None and is_approver(services.directory, turn.person, snap)
    return approvers_reply(snap, approval, names=names, you_may=you_may)


async def waiting_on_me(services: Services, turn: Turn) -> Reply:
    """Approvals this person may decide and has not decided yet, across every task: one query
    through the approver index, with what the reply names (the task and its waiting step)."""
    names = [turn.person, *sorted(services.directory.teams_of(turn.person))]
    rows = await services.queries.approvals_waiting_on(names, person=turn.person, limit=21)
    waiting: list[tuple[SnapshotShape, Mapping[str, Any]]] = []
    for row in rows:
        task: dict[str, Any] = {
            "task_id": row["task_id"],
            "title": row["title"],
            "short_name": row["short_name"],
            "status": row["task_status"],
            "steps": [{"order": row["step"], "name": row["step_name"] or ""}],
        }
        waiting.append((task, row))  # type: ignore[arg-type]
    return waiting_reply(waiting)


async def history(services: Services, turn: Turn, intent: Intent, snap: SnapshotShape) -> Reply:
    """What happened to a task: step transitions and who did what."""
    rows = await services.queries.history(snap["task_id"], limit=2000)
    audit = await services.queries.audit(snap["task_id"])
    return history_reply(snap, rows, audit)


def channels_of(argument: str | None) -> list[str] | None:
    """The channels an understood "send my updates by …" names; ["all"] for everywhere."""
    if not argument:
        return None
    return [w for w in argument.split() if w in (*_KNOWN_CHANNELS, "all")]


def channel_refusal(services: Services, person: str, channels: list[str]) -> Reply | None:
    """A change of channels that would leave the person nowhere to hear is refused, saying why."""
    problems = {c: channel_problem(services.config, person, c) for c in channels}
    if channels and all(problems.values()):
        why = "; ".join(f"{channel_label(c)}: {p}" for c, p in problems.items() if p)
        return refusal_reply(
            "I can't send your updates only there: you would hear nothing at all "
            f"({why}). Your settings are unchanged."
        )
    return None


async def notify_channel(services: Services, turn: Turn, argument: str | None) -> Reply:
    """Move a person's notifications to other channels, or everywhere again."""
    channels = channels_of(argument)
    if not channels:
        return Reply(
            text="Where should your updates go? Say “by e-mail from now on”, “only Telegram”, "
            "or “everywhere again”.",
            kind="question",
        )
    scope = person_scope(turn.person)
    if "all" in channels:
        stored = await services.tracker.set_preferences(scope, channels=None)
        said = "🔔 Your updates go everywhere again."
    else:
        refusal = channel_refusal(services, turn.person, channels)
        if refusal is not None:
            return refusal
        usable = [c for c in channels if channel_problem(services.config, turn.person, c) is None]
        stored = await services.tracker.set_preferences(scope, channels=usable)
        said = "🔔 From now on your updates go by " + ", ".join(map(channel_label, usable)) + "."
        skipped = [c for c in channels if c not in usable]
        if skipped:
            said += (
                " (Not " + ", ".join(map(channel_label, skipped)) + ": I can't reach you there.)"
            )
    defaults = services.tracker.default_preferences.get(scope, {})
    settings = describe_settings({**defaults, **stored}, where="for you")
    return done_reply(said + "\n" + settings)
