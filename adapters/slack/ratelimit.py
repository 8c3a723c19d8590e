"""Slack's per-channel pacing, and Slack API errors translated into the adapter's errors.

chat.postMessage allows about one message per second per channel (short bursts are tolerated);
chat.update is a tier-3 method, about 50 calls a minute. One token bucket per (method, channel)
keeps us inside both, so a busy channel never slows the others down. A 429 pauses the bucket for
its Retry-After, and the caller (the notifier) retries after that long.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError, SlackClientError, SlackRequestError

from adapters.base import AdapterError, DeliveryError, MessageGone, TargetGone

__all__ = ["GONE_ERRORS", "MESSAGE_GONE_ERRORS", "Pacer", "retry_after_of", "translate"]

# Errors after which the channel will never take our messages again: the target is disabled.
GONE_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "account_inactive",
        "invalid_auth",
        "token_revoked",
        "token_expired",
        "not_authed",
        "team_access_not_granted",
    }
)
MESSAGE_GONE_ERRORS = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})
DEFAULT_RETRY_AFTER = 30.0


@dataclass(frozen=True, slots=True)
class Rate:
    per_second: float
    burst: float


POST_RATE = Rate(per_second=1.0, burst=3.0)
UPDATE_RATE = Rate(per_second=50 / 60, burst=5.0)


@dataclass
class _Bucket:
    rate: Rate
    tokens: float
    updated: float
    blocked_until: float = 0.0
    lock: asyncio.Lock | None = None


class Pacer:
    """Token buckets per (kind, channel): "post" about 1/s, "update" about 50/min."""

    def __init__(
        self,
        *,
        post: Rate = POST_RATE,
        update: Rate = UPDATE_RATE,
        time: Callable[[], float] | None = None,
    ) -> None:
        self.rates = {"post": post, "update": update}
        self._time = time
        self._buckets: dict[tuple[str, str], _Bucket] = {}

    def _now(self) -> float:
        return self._time() if self._time is not None else asyncio.get_running_loop().time()

    def _bucket(self, kind: str, channel: str) -> _Bucket:
        key = (kind, channel)
        bucket = self._buckets.get(key)
        if bucket is None:
            rate = self.rates[kind]
            bucket = self._buckets[key] = _Bucket(rate, rate.burst, self._now(), lock=None)
        if bucket.lock is None:
            bucket.lock = asyncio.Lock()
        return bucket

    async def wait(self, kind: str, channel: str) -> None:
        """Take one token for `kind` in `channel`, sleeping until there is one."""
        bucket = self._bucket(kind, channel)
        assert bucket.lock is not None
        async with bucket.lock:
            while True:
                now = self._now()
                bucket.tokens = min(
                    bucket.rate.burst,
                    bucket.tokens + (now - bucket.updated) * bucket.rate.per_second,
                )
                bucket.updated = now
                wait = bucket.blocked_until - now
                if wait <= 0 and bucket.tokens >= 1:
                    bucket.tokens -= 1
                    return
                if wait <= 0:
                    wait = (1 - bucket.tokens) / bucket.rate.per_second
                await asyncio.sleep(wait)

    def settled_in(self, channel: str) -> float:
        """Seconds until `channel` may be handed to a sender that starts afresh (another worker,
        with full buckets of its own): until its post bucket is full again, or a Retry-After on
        any method ends. Card edits (chat.update, a workspace-wide tier) are not waited for:
        that wait would hold the channel's notices back for seconds."""
        now = self._now()
        wait = 0.0
        for (kind, name), bucket in self._buckets.items():
            if name != channel:
                continue
            wait = max(wait, bucket.blocked_until - now)
            if kind == "post":
                tokens = min(
                    bucket.rate.burst,
                    bucket.tokens + (now - bucket.updated) * bucket.rate.per_second,
                )
                wait = max(wait, (bucket.rate.burst - tokens) / bucket.rate.per_second)
        return wait

    def pause(self, kind: str, channel: str, seconds: float) -> None:
        """Slack answered 429: nothing of `kind` goes to `channel` for `seconds`."""
        bucket = self._bucket(kind, channel)
        bucket.blocked_until = max(bucket.blocked_until, self._now() + max(0.0, seconds))


def retry_after_of(exc: SlackApiError) -> float:
    headers = getattr(exc.response, "headers", None) or {}
    raw = None
    for key in ("Retry-After", "retry-after"):
        if key in headers:
            raw = headers[key]
            break
    if isinstance(raw, list):
        raw = raw[0] if raw else None
    try:
        return max(0.0, float(raw)) if raw is not None else DEFAULT_RETRY_AFTER
    except (TypeError, ValueError):
        return DEFAULT_RETRY_AFTER


def _error_code(exc: SlackApiError) -> str:
    data = getattr(exc.response, "data", None)
    if isinstance(data, dict):
        return str(data.get("error") or "")
    return ""


def translate(exc: BaseException, method: str) -> AdapterError:
    """An SDK or network failure as the error the notifier acts on."""
    if isinstance(exc, SlackApiError):
        status = getattr(exc.response, "status_code", 200)
        code = _error_code(exc)
        if status == 429 or code == "ratelimited":
            return DeliveryError(f"{method}: rate limited", retry_after=retry_after_of(exc))
        if code in MESSAGE_GONE_ERRORS:
            return MessageGone(f"{method}: {code}")
        if code in GONE_ERRORS:
            return TargetGone(f"{method}: {code}")
        if status >= 500 or code in ("internal_error", "fatal_error", "service_unavailable"):
            return DeliveryError(f"{method}: HTTP {status} {code}".strip())
        # Anything else (invalid_blocks, msg_too_long ...) is our bug: retrying may not help,
        # but the notifier's attempts are bounded, so it ends as a dead letter to look at.
        return DeliveryError(f"{method}: {code or f'HTTP {status}'}")
    if isinstance(exc, ClientError | TimeoutError | SlackRequestError | SlackClientError):
        return DeliveryError(f"{method}: {type(exc).__name__}: {exc}")
    return DeliveryError(f"{method}: {type(exc).__name__}")
