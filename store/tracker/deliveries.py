"""De-duplication of platform deliveries: whether a Slack event or a Telegram update is new.

It shares the write path with the Tracker (one database, one clock) but no task state.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from store.models import SeenKey
from store.tracker.unit import Context

__all__ = ["Deliveries"]


class Deliveries:
    def __init__(self, context: Context) -> None:
        self.context = context

    async def first_delivery(self, scope: str, key: str) -> bool:
        """Remember a platform delivery (a Slack event_id, a Telegram update_id). False when it
        was seen before: a redelivery or a replay, to be acknowledged and not handled again.
        Holds across restarts and workers; retention forgets keys after a while."""
        try:
            async with self.context.db.write() as session:
                if await session.get(SeenKey, (scope, key[:200])) is not None:
                    return False
                session.add(SeenKey(scope=scope, key=key[:200], created_at=self.context.clock()))
        except IntegrityError:  # another worker took it at the same moment
            return False
        return True
