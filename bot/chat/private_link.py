"""Personal links are handed out privately: pressed in a channel or group, "Open" sends the
presser their own link in a direct message, and the channel only hears that it was sent."""

from __future__ import annotations

import logging

from bot.links import is_shared, task_link
from bot.ports import DeliveryError
from bot.services import Services
from bot.steering.permissions import can_see
from bot.types import Reply, Target
from store.errors import NotFound

__all__ = ["open_link"]

logger = logging.getLogger(__name__)


def _private_target(services: Services, person: str, platform: str) -> Target | None:
    user = services.config.users.get(person)
    if user is None:
        return None
    if platform == "slack" and user.slack:
        return Target("slack", user.slack)  # posting to a user id lands in the DM with the bot
    if platform == "telegram" and user.telegram:
        return Target("telegram", user.telegram)  # a private chat's id is the user's id
    return None


async def open_link(services: Services, person: str, target: Target, task_id: str) -> Reply:
    """The answer to "Open" on `task_id`: in a private chat the link itself; in a shared one
    the link goes to the person's DM and the answer says so."""
    try:
        snap = await services.progress.snapshot(task_id)
    except NotFound:
        return Reply(text="There is no such task.", kind="error")
    if not can_see(services.directory, person, snap):
        return Reply(text="That task is not yours to see.", kind="error")
    url = task_link(services.config, task_id, person)
    if not is_shared(target.platform, target.chat):
        return Reply(text=f"The progress view: {url}")
    private = _private_target(services, person, target.platform)
    adapter = services.adapters.get(target.platform)
    if private is None or adapter is None:
        return Reply(text="Ask me in a direct message for your own link to this task.")
    title = snap.get("short_name") or snap.get("title") or task_id
    try:
        await adapter.send(
            private,
            Reply(
                text=f"Your own link to {title}: {url}\n"
                "It acts as you on this task only; please don't share it."
            ),
        )
    except DeliveryError as exc:
        logger.warning("sending a private link on %s failed: %s", target.platform, exc)
        return Reply(text="I couldn't reach you privately; message me directly first.")
    return Reply(text="I've sent you your own link in a direct message.")
