"""Who may see and steer a task. One place, used by chat, the API and the web page alike.

A person sees a task they own, a task of one of their teams, or a task they are asked to approve;
they steer (pause, resume, cancel, restart, retry, skip) only their own or their team's tasks.
Deciding an approval is the Tracker's check, against the task's approval policy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

__all__ = ["CHAT_KEEPS", "Members", "can_control", "can_see", "can_set_chat", "is_approver"]

# A chat's settings never silence these: whoever changes them, approvers and owners still hear.
CHAT_KEEPS = ("approval_requested", "task_failed")


class Members(Protocol):
    def teams_of(self, person: str) -> frozenset[str]: ...


def can_control(directory: Members, person: str, task: Mapping[str, Any]) -> bool:
    if task.get("owner") == person:
        return True
    team = task.get("team")
    return team is not None and team in directory.teams_of(person)


def is_approver(directory: Members, person: str, task: Mapping[str, Any]) -> bool:
    approval = task.get("approval") or {}
    approvers = set(approval.get("approvers") or [])
    return person in approvers or bool(directory.teams_of(person) & approvers)


def can_set_chat(
    directory: Members,
    person: str,
    tasks_in_chat: Sequence[Mapping[str, Any]],
    *,
    chat_admin: bool = False,
) -> bool:
    """Whether `person` may change a shared chat's settings: they steer a task that notifies it,
    or the platform says they administer the chat (`chat_admin`)."""
    return chat_admin or any(can_control(directory, person, task) for task in tasks_in_chat)


def can_see(directory: Members, person: str, task: Mapping[str, Any]) -> bool:
    return can_control(directory, person, task) or is_approver(directory, person, task)
