"""Notification preferences: which events, which channels, and quiet hours.

Three layers, the nearest winning: what a person or chat set in chat (the `preferences` table),
what the config says for that person (`users.<name>.notifications`), and the defaults under
`notifications:`. Quiet hours hold pushed messages back; they go out as one summary afterwards.
"""

from __future__ import annotations

import re
import time as _time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import Config, QuietHours
from store.queries import Queries
from store.tracker import chat_scope, person_scope

__all__ = [
    "QuietHoursPolicy",
    "SettingsChange",
    "channel_label",
    "channel_problem",
    "config_preferences",
    "describe_settings",
    "parse_quiet_hours",
    "parse_settings",
    "quiet_until",
]

UTC = ZoneInfo("UTC")


def config_preferences(config: Config) -> dict[str, dict[str, Any]]:
    """The config's per-person preferences, keyed by scope, as the Tracker reads them."""
    prefs: dict[str, dict[str, Any]] = {}
    for person, user in config.users.items():
        settings: dict[str, Any] = {}
        if user.notifications is not None:
            if user.notifications.events is not None:
                settings["events"] = list(user.notifications.events)
            if user.notifications.channels is not None:
                settings["channels"] = list(user.notifications.channels)
            if user.notifications.quiet_hours is not None:
                settings["quiet_hours"] = _hours_dict(user.notifications.quiet_hours)
        if user.timezone:
            settings["timezone"] = user.timezone
        if settings:
            prefs[person_scope(person)] = settings
    return prefs


def _hours_dict(hours: QuietHours) -> dict[str, str]:
    return {"start": hours.start.strftime("%H:%M"), "end": hours.end.strftime("%H:%M")}


def parse_quiet_hours(value: Any) -> tuple[time, time] | None:
    """{"start": "22:00", "end": "07:00"} → (22:00, 07:00); anything else → None."""
    if not isinstance(value, Mapping):
        return None
    try:
        start = time.fromisoformat(str(value["start"]))
        end = time.fromisoformat(str(value["end"]))
    except (KeyError, ValueError):
        return None
    return (start, end) if start != end else None


def quiet_until(now: datetime, hours: tuple[time, time], zone: tzinfo) -> datetime | None:
    """When the quiet period that `now` falls in ends, or None when `now` is not quiet."""
    local = now.astimezone(zone)
    start, end = hours
    today_start = local.replace(hour=start.hour, minute=start.minute, second=0, microsecond=0)
    today_end = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if start < end:  # e.g. 12:00-13:00, within one day
        if today_start <= local < today_end:
            return today_end.astimezone(now.tzinfo)
        return None
    # Spans midnight, e.g. 22:00-07:00.
    if local >= today_start:
        return (today_end + timedelta(days=1)).astimezone(now.tzinfo)
    if local < today_end:
        return today_end.astimezone(now.tzinfo)
    return None


class QuietHoursPolicy:
    """Answers "is this target quiet now, and until when?" for the notifier."""

    def __init__(self, config: Config, queries: Queries, *, cache_seconds: float = 10.0) -> None:
        self.config = config
        self.queries = queries
        self.defaults = config_preferences(config)
        self.cache_seconds = cache_seconds
        self._cache: dict[str, tuple[float, Mapping[str, Any]]] = {}

    async def _settings(self, scope: str) -> Mapping[str, Any]:
        cached = self._cache.get(scope)
        if cached is not None and _time.monotonic() - cached[0] < self.cache_seconds:
            return cached[1]
        stored = await self.queries.preferences(scope)
        settings = {**self.defaults.get(scope, {}), **stored}
        self._cache[scope] = (_time.monotonic(), settings)
        return settings

    def forget(self) -> None:
        self._cache.clear()

    async def until(
        self, now: datetime, *, platform: str, chat: str, thread: str | None, person: str | None
    ) -> datetime | None:
        chat_settings = await self._settings(chat_scope(platform, chat, thread))
        person_settings = await self._settings(person_scope(person)) if person else {}
        chosen = chat_settings.get("quiet_hours", person_settings.get("quiet_hours"))
        if chosen == "off":
            return None
        hours = parse_quiet_hours(chat_settings.get("quiet_hours")) or parse_quiet_hours(
            person_settings.get("quiet_hours")
        )
        if hours is None and self.config.notifications.quiet_hours is not None:
            default = self.config.notifications.quiet_hours
            hours = (default.start, default.end) if default.start != default.end else None
        if hours is None:
            return None
        zone_name = chat_settings.get("timezone") or person_settings.get("timezone")
        try:
            zone: tzinfo = ZoneInfo(str(zone_name)) if zone_name else UTC
        except (ValueError, KeyError):
            zone = UTC
        return quiet_until(now, hours, zone)


# ---------------------------------------------------------------------- set from chat

_TIME = re.compile(r"\b(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?\b", re.IGNORECASE)
_OFF = re.compile(r"\b(?:off|no|none|disable|remove|clear|stop)\b", re.IGNORECASE)
_HERE = re.compile(r"\b(?:here|this (?:chat|channel|group|room|topic))\b", re.IGNORECASE)
_ALL = re.compile(r"\b(?:everything|all)\b", re.IGNORECASE)
_EVENT_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"fail|error|broke|crash", ("task_failed",)),
    (r"complet|done|finish|ready", ("task_completed",)),
    (r"approv", ("approval_requested", "approval_reminder")),
    (r"start", ("task_started",)),
    (r"\bsteps?\b", ("step_completed",)),
    (r"stall|slow|longer", ("task_stalled",)),
    (r"check.?in|digest", ("task_checkin",)),
)
_CHANNEL_WORDS: tuple[tuple[str, str], ...] = (
    (r"\be-? ?mail\b|\bmail\b", "email"),
    (r"\btelegram\b", "telegram"),
    (r"\bslack\b", "slack"),
    (r"\bconsole\b|\bterminal\b", "console"),
)


@dataclass(frozen=True, slots=True)
class SettingsChange:
    """What a person asked to change, read from their words. Empty means "show my settings"."""

    scope: str  # "person" | "chat"
    changes: dict[str, Any]  # key -> new value (None removes it: back to the defaults)

    @property
    def is_empty(self) -> bool:
        return not self.changes


def parse_settings(text: str) -> SettingsChange:
    """ "quiet hours 22:00-07:00", "only notify me about failures", "notify me by email" …"""
    scope = "chat" if _HERE.search(text) else "person"
    lower = text.lower()
    changes: dict[str, Any] = {}
    if "quiet" in lower:
        times = [_clock(m) for m in _TIME.finditer(text)]
        times = [t for t in times if t is not None]
        if len(times) >= 2 and times[0] != times[1]:
            changes["quiet_hours"] = {"start": times[0], "end": times[1]}
        elif _OFF.search(text):
            changes["quiet_hours"] = "off"  # beats a default from the config
    channels = [name for pattern, name in _CHANNEL_WORDS if re.search(pattern, lower)]
    if channels:
        changes["channels"] = channels
    elif re.search(r"\bevery ?where\b|\ball channels\b", lower):
        changes["channels"] = None
    about = lower.split("about", 1)[1] if "about" in lower else ""
    if about:
        if _ALL.search(about):
            changes["events"] = None
        else:
            events = [
                e for pattern, names in _EVENT_WORDS if re.search(pattern, about) for e in names
            ]
            if events:
                changes["events"] = events
    return SettingsChange(scope, changes)


def _clock(match: re.Match[str]) -> str | None:
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.lower() == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


_EVENT_NAMES = {
    "task_started": "starts",
    "step_completed": "finished steps",
    "approval_requested": "approvals",
    "approval_reminder": "approval reminders",
    "task_completed": "completions",
    "task_failed": "failures",
    "task_stalled": "slow tasks",
    "task_checkin": "check-ins",
}


def describe_settings(settings: Mapping[str, Any], *, where: str) -> str:
    """The settings in words, for the chat answer."""
    events = settings.get("events")
    channels = settings.get("channels")
    hours = parse_quiet_hours(settings.get("quiet_hours"))
    lines = [f"🔔 Notification settings {where}:"]
    lines.append(
        "• Updates: "
        + (", ".join(_EVENT_NAMES.get(e, e) for e in events) if events else "all of them")
    )
    lines.append("• Channels: " + (", ".join(channels) if channels else "every chat you follow"))
    if hours is not None:
        zone = settings.get("timezone") or "UTC"
        lines.append(f"• Quiet hours: {hours[0]:%H:%M}–{hours[1]:%H:%M} ({zone})")
    else:
        lines.append("• Quiet hours: none")
    lines.append(
        "Say “quiet hours 22:00-07:00”, “only notify me about failures”, or "
        "“notify me by email” to change them."
    )
    return "\n".join(lines)


_CHANNEL_LABELS = {
    "email": "e-mail",
    "slack": "Slack",
    "telegram": "Telegram",
    "console": "the console",
}


def channel_problem(config: Config, person: str, channel: str) -> str | None:
    """Why `person` could not hear anything on `channel` (None: they can)."""
    user = config.users.get(person)
    label = _CHANNEL_LABELS.get(channel, channel)
    if channel == "email":
        if not config.email.enabled:
            return "e-mail is not set up on this Progress Bot"
        if user is None or not (user.email or user.slack_email):
            return "I have no e-mail address for you"
        return None
    if channel in ("slack", "telegram"):
        section = config.slack if channel == "slack" else config.telegram
        if not section.enabled:
            return f"{label} is not set up on this Progress Bot"
        if user is None or not getattr(user, channel):
            return f"I don't know your {label} account"
        return None
    if channel == "console":
        return None if config.console.enabled else "the console is not enabled"
    return f"I don't know a channel called {channel}"


def channel_label(channel: str) -> str:
    return _CHANNEL_LABELS.get(channel, channel)
