"""Every intent in one place: its help line, example phrasings, how handlers treat it, and the
slash commands that name it. Help text is built from `CATALOG`; the rules that recognise intents
in free text live in `intents.rules`.
"""

from __future__ import annotations

from dataclasses import dataclass

from intents.types import INTENT_NAMES, UnknownIntentError

__all__ = [
    "CATALOG",
    "SLASH_COMMANDS",
    "IntentSpec",
    "slash_command",
    "slash_subcommand",
    "spec",
]


@dataclass(frozen=True)
class IntentSpec:
    """One intent: a one-line summary for help, example phrasings, and how handlers treat it."""

    name: str
    summary: str
    examples: tuple[str, ...]
    needs_task: bool
    destructive: bool


CATALOG: tuple[IntentSpec, ...] = (
    IntentSpec(
        "status",
        "Ask how a task is going",
        (
            "How's my CRM task going?",
            "Status of my CRM task",
            "how far along is the crm",
            "progress?",
        ),
        needs_task=True,
        destructive=False,
    ),
    IntentSpec(
        "list_tasks",
        "List the tasks you can follow",
        ("what are my tasks", "list tasks", "show my tasks", "/tasks"),
        needs_task=False,
        destructive=False,
    ),
    IntentSpec(
        "logs",
        "Show a task's latest log lines",
        ("Show logs for my CRM task", "and the logs?", "/logs crm"),
        needs_task=True,
        destructive=False,
    ),
    IntentSpec(
        "why_failed",
        "Ask why a task failed: the failing step's error and last log lines",
        ("why did it fail?", "what went wrong with the crm task"),
        needs_task=True,
        destructive=False,
    ),
    IntentSpec(
        "eta",
        "Ask when a task will be done",
        ("when will the CRM be done?", "how long left"),
        needs_task=True,
        destructive=False,
    ),
    IntentSpec(
        "pause",
        "Pause a task",
        ("pause the crm task", "hold on the pipeline", "/pause crm"),
        needs_task=True,
        destructive=False,
    ),
    IntentSpec(
        "resume",
        "Resume a paused task",
        ("resume the crm", "continue", "/resume crm"),
        needs_task=True,
        destructive=False,
    ),
    IntentSpec(
        "cancel",
        "Cancel a task",
        ("cancel my CRM task", "stop it", "/cancel crm"),
        needs_task=True,
        destructive=True,
    ),
    IntentSpec(
        "restart",
        "Cancel a task and start it over",
        ("Cancel my CRM task and start over", "restart the crm", "start over"),
        needs_task=True,
        destructive=True,
    ),
    IntentSpec(
        "retry_step",
        "Retry a failed step",
        ("retry step 2", "try the failed step again"),
        needs_task=True,
        destructive=False,
    ),
    IntentSpec(
        "skip_step",
        "Skip a step",
        ("skip step 3", "skip the repair board step"),
        needs_task=True,
        destructive=True,
    ),
    IntentSpec(
        "approve",
        "Approve a step that waits for approval",
        ("approve", "approve step 3 of the crm", "lgtm, go ahead"),
        needs_task=True,
        destructive=False,
    ),
    IntentSpec(
        "reject",
        "Reject a step that waits for approval, with a reason",
        ("reject the crm step because the schema is wrong", "reject: too risky"),
        needs_task=True,
        destructive=True,
    ),
    IntentSpec(
        "subscribe",
        "Get notified about a task",
        ("notify me when the CRM task is done", "let me know when it finishes"),
        needs_task=True,
        destructive=False,
    ),
    IntentSpec(
        "mute",
        "Mute a task's notifications, optionally for a while",
        ("mute", "mute the crm task for 2 hours"),
        needs_task=True,
        destructive=False,
    ),
    IntentSpec(
        "unmute",
        "Turn a task's notifications back on",
        ("unmute", "unmute the crm", "turn notifications back on"),
        needs_task=True,
        destructive=False,
    ),
    IntentSpec(
        "notify_settings",
        "Choose which updates you get, where, and your quiet hours",
        (
            "quiet hours 22:00-07:00",
            "only notify me about failures and completions",
            "only tell me about approvals",
            "notification settings",
        ),
        needs_task=False,
        destructive=False,
    ),
    IntentSpec(
        "help",
        "Show what you can ask",
        ("help", "how do I use this bot", "/help"),
        needs_task=False,
        destructive=False,
    ),
    IntentSpec("greeting", "Say hello", ("hello", "hi there"), needs_task=False, destructive=False),
    IntentSpec(
        "thanks", "Say thanks", ("thanks!", "thank you"), needs_task=False, destructive=False
    ),
    IntentSpec(
        "who_approves",
        "Ask who may approve a step that waits for approval",
        ("who may approve the crm?", "who's supposed to sign off", "/approvers crm"),
        needs_task=True,
        destructive=False,
    ),
    IntentSpec(
        "waiting_on_me",
        "Ask what waits for your approval",
        ("is anything waiting on me?", "what needs my approval"),
        needs_task=False,
        destructive=False,
    ),
    IntentSpec(
        "capabilities",
        "Ask what the bot can do",
        ("what can you do", "what are you able to do"),
        needs_task=False,
        destructive=False,
    ),
    IntentSpec(
        "notify_channel",
        "Choose where your updates go: email, Slack, Telegram, or everywhere",
        ("send my updates by mail from now on", "only telegram please", "everywhere again"),
        needs_task=False,
        destructive=False,
    ),
    IntentSpec(
        "history",
        "Show what happened to a task: who paused, approved or cancelled it, and when",
        ("what happened to the crm", "show the history of the pipeline", "who cancelled the crm?"),
        needs_task=True,
        destructive=False,
    ),
    IntentSpec(
        "open_link",
        "Get your own link to a task's live page in the browser, sent privately",
        ("give me a link to the crm", "open the crm in the browser", "/link crm"),
        needs_task=True,
        destructive=False,
    ),
    IntentSpec(
        "unknown",
        "Anything else",
        ("what's the weather",),
        needs_task=False,
        destructive=False,
    ),
)

_BY_NAME: dict[str, IntentSpec] = {s.name: s for s in CATALOG}
assert tuple(_BY_NAME) == INTENT_NAMES, "CATALOG must list every intent, in INTENT_NAMES order"


def spec(name: str) -> IntentSpec:
    """The spec of intent `name`; raises `UnknownIntentError` (a KeyError) for other names."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise UnknownIntentError(name) from None


# Telegram-style commands: "/status crm", "/status@MyBot crm". The rest of the line is read as
# the task (and step, reason, duration) like free text.
SLASH_COMMANDS: dict[str, str] = {
    "status": "status",
    "progress": "status",
    "tasks": "list_tasks",
    "list": "list_tasks",
    "ls": "list_tasks",
    "logs": "logs",
    "log": "logs",
    "why": "why_failed",
    "eta": "eta",
    "pause": "pause",
    "resume": "resume",
    "cancel": "cancel",
    "stop": "cancel",
    "restart": "restart",
    "retry": "retry_step",
    "skip": "skip_step",
    "approve": "approve",
    "reject": "reject",
    "subscribe": "subscribe",
    "follow": "subscribe",
    "mute": "mute",
    "unmute": "unmute",
    "settings": "notify_settings",
    "notify": "notify_settings",
    "notifications": "notify_settings",
    "quiet": "notify_settings",
    "help": "help",
    "start": "help",
    "history": "history",
    "approvers": "who_approves",
    "waiting": "waiting_on_me",
    "channels": "notify_channel",
    "channel": "notify_channel",
    "pending": "waiting_on_me",
    "mine": "waiting_on_me",
    "approvals": "waiting_on_me",  # the approvals waiting (/approve acts on one)
    "link": "open_link",
    "open": "open_link",
    "web": "open_link",
}


# A command spelt as the intent it asks for ("/why_failed", "/whyfailed", "/whoapproves"): people
# guess the command from the intent's name, with or without its underscore.
_BY_SPELLING: dict[str, str] = {
    spelling: name
    for name in INTENT_NAMES
    if name != "unknown"
    for spelling in (name, name.replace("_", ""))
}


def slash_command(word: str) -> str | None:
    """The intent a slash command's word asks for, if any ("status", "why_failed", "whyfailed")."""
    word = word.lower()
    return SLASH_COMMANDS.get(word) or _BY_SPELLING.get(word.replace("_", ""))


# A command's first word after it that names a narrower command of the same family: "/notify
# channel email" sets the channel, as "/channel email" does (the settings' command alone would
# take "channel email" for a setting).
_SUBCOMMANDS: dict[str, dict[str, str]] = {
    "notify_settings": {"channel": "notify_channel", "channels": "notify_channel"},
}


def slash_subcommand(command: str, word: str) -> str | None:
    """The narrower command `word`, said first after `command`, asks for, if any."""
    return _SUBCOMMANDS.get(command, {}).get(word.lower())
