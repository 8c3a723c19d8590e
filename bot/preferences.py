"""Notification preferences: which events, which channels, and quiet hours.

Three layers, the nearest winning: what a person or chat set in chat (the `preferences` table),
what the config says for that person (`users.<name>.notifications`), and the defaults under
`notifications:`. Quiet hours hold pushed messages back; they go out as one summary afterwards.
"""

from __future__ import annotations

import time as _time
from collections.abc import Mapping
from datetime import datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import Config, QuietHours
from store.queries import Queries
from store.tracker import chat_scope, person_scope

__all__ = ["QuietHoursPolicy", "config_preferences", "parse_quiet_hours", "quiet_until"]

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
