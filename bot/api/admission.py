"""What a new task may name, checked at the door: people, teams and channels we know.

A task whose owner, approvers or notify targets don't exist would never be approved or heard, so
`POST /api/tasks` refuses it with 422 naming the field. A channel that is configured but switched
off is accepted with a warning in the answer: its notices wait until it is enabled.
"""

from __future__ import annotations

from bot.api.http import ApiError
from bot.api.wire import CreateTask
from bot.services import Services

__all__ = ["CHANNEL_SECTIONS", "check_new_task"]

# Channels with a section in config.yaml; `enabled` there says whether they run.
CHANNEL_SECTIONS = ("slack", "telegram", "email", "console")


def check_new_task(services: Services, body: CreateTask) -> list[str]:
    """Raise ApiError(422) naming the first unknown name; return warnings for idle channels."""
    directory = services.directory
    if body.owner is not None and not directory.exists(body.owner):
        raise ApiError(422, "invalid", f"owner: {body.owner!r} is not a person in users:")
    if body.team is not None and not directory.is_team(body.team):
        raise ApiError(422, "invalid", f"team: {body.team!r} is not a team in teams:")
    approvers = body.approval.approvers if body.approval else []
    for n, name in enumerate(approvers):
        if not directory.exists(name) and not directory.is_team(name):
            raise ApiError(
                422,
                "invalid",
                f"approval.approvers.{n}: {name!r} is neither a person in users: nor a team",
            )
    warnings: list[str] = []
    config = services.config
    for n, target in enumerate(body.notify):
        platform = target.platform
        if platform in services.adapters:
            continue
        if platform not in CHANNEL_SECTIONS:
            known = ", ".join(sorted({*CHANNEL_SECTIONS, *services.adapters}))
            raise ApiError(
                422,
                "invalid",
                f"notify.{n}.platform: {platform!r} is not a channel Progress Bot has "
                f"(one of: {known})",
            )
        section = getattr(config, platform)
        if not section.enabled:
            warnings.append(
                f"notify.{n}: {platform} is configured but not enabled ({platform}.enabled is "
                "false); its notices wait until it is"
            )
        elif platform not in services.adapters:
            warnings.append(f"notify.{n}: {platform} is enabled but not running in this process")
    return warnings
