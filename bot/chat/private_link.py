"""Personal links are handed out privately, whether "Open" was pressed or the link asked for in
words ("give me a link to the crm"). In a private chat (a DM, the console) the answer is the link
itself. In a channel or group the link goes where only the asker reads it: an ephemeral message
where the platform has them (Slack), else the asker's private chat with the bot (Telegram); the
shared chat hears only that it was sent."""

from __future__ import annotations

import logging

from bot.chat.turn import Turn
from bot.links import is_shared, task_link
from bot.ports import AdapterError, WhispersInChat
from bot.services import Services
from bot.steering.permissions import can_see
from bot.types import Reply, Target
from intents import Intent
from store.errors import NotFound
from store.shapes import SnapshotShape

__all__ = ["asked_for_link", "open_link"]

logger = logging.getLogger(__name__)

SENT_HERE = "I've sent you your own link to that task; only you can see it."
SENT_PRIVATELY = "I've sent you your own link to that task in a private message."
NOT_YOURS = (
    "You can't have your own link to that task: only its owner, their team and its approvers "
    "can act on it. The link on its card shows it to everyone here, read-only."
)
UNREACHABLE = (
    "I couldn't reach you privately: open a direct chat with me first, then ask me again there."
)


def _private_target(
    services: Services, person: str, platform: str, user: str | None
) -> Target | None:
    configured = services.config.users.get(person)
    own = getattr(configured, platform, None) if configured is not None else None
    # The asker's own id as the platform gave it, else the one configured for them.
    user_id = user or (str(own) if own else None)
    if user_id and platform in ("slack", "telegram"):
        # Posting to a Slack user id lands in the DM with the bot; a Telegram private chat's id
        # is the user's id.
        return Target(platform, user_id)
    return None


def _link_reply(title: str, url: str) -> Reply:
    return Reply(
        text=f"Your own link to {title}: {url}\n"
        "It acts as you on this task only; please don't share it."
    )


async def open_link(
    services: Services, person: str, target: Target, task_id: str, *, user: str | None = None
) -> Reply:
    """The answer to "Open" on `task_id`, pressed by `person` (platform user `user`) in
    `target`: see the module docstring."""
    try:
        snap = await services.progress.snapshot(task_id)
    except NotFound:
        return Reply(text="There is no such task.", kind="error")
    if not can_see(services.directory, person, snap):
        return Reply(text="That task is not yours to see.", kind="error")
    return await _deliver(services, person, target, snap, user)


async def asked_for_link(
    services: Services, turn: Turn, intent: Intent, snap: SnapshotShape
) -> Reply:
    """The `open_link` intent's handler ("give me a link to the crm")."""
    del intent
    if not can_see(services.directory, turn.person, snap):
        # A task this chat follows, which its card shows to all: no link acts for them on it.
        return Reply(text=NOT_YOURS, kind="error")
    return await _deliver(services, turn.person, turn.target, snap, turn.user)


async def _deliver(
    services: Services, person: str, target: Target, snap: SnapshotShape, user: str | None
) -> Reply:
    task_id = snap["task_id"]
    url = task_link(services.config, task_id, person)
    title = " ".join(str(snap.get("short_name") or snap.get("title") or task_id).split())
    link = _link_reply(title, url)
    if not is_shared(target.platform, target.chat):
        return link
    adapter = services.adapters.get(target.platform)
    if adapter is None:
        return Reply(text="Ask me in a direct message for your own link to this task.")
    try:
        if isinstance(adapter, WhispersInChat) and user:
            await adapter.send_ephemeral(target, user, link)
            return Reply(text=SENT_HERE)
        private = _private_target(services, person, target.platform, user)
        if private is None:
            return Reply(text="Ask me in a direct message for your own link to this task.")
        await adapter.send(private, link)
    except AdapterError as exc:  # a Telegram user who never opened a chat with the bot, an outage
        logger.warning("sending a private link on %s failed: %s", target.platform, exc)
        return Reply(text=UNREACHABLE)
    return Reply(text=SENT_PRIVATELY)
