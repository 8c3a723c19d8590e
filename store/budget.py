"""A budget of send slots in the database, shared by every worker on it.

A platform's overall rate limit (Telegram: 30 messages a second) holds for the bot, not for one
process. One row per platform keeps the start of its next free slot; a worker takes a few slots
at a time with one atomic `UPDATE ... RETURNING`, measured on the database's clock, so workers
whose clocks differ still share one grid. Only PostgreSQL runs several workers; on SQLite the
in-process limiter is all there is.
"""

from __future__ import annotations

from sqlalchemy import text

from store.db import Database

__all__ = ["DatabaseSlotBudget"]

_TAKE = text(
    """
    INSERT INTO send_budgets AS b (key, next_free)
    VALUES (:key, clock_timestamp() + make_interval(secs => CAST(:span AS double precision)))
    ON CONFLICT (key) DO UPDATE
        SET next_free = GREATEST(b.next_free, clock_timestamp())
            + make_interval(secs => CAST(:span AS double precision))
    RETURNING CAST(EXTRACT(EPOCH FROM (b.next_free - clock_timestamp())) AS double precision)
        - CAST(:span AS double precision)
    """
)


class DatabaseSlotBudget:
    """`bot.ports.SlotBudget` on PostgreSQL."""

    def __init__(self, db: Database) -> None:
        if not db.is_postgres:
            raise ValueError("a shared send budget needs PostgreSQL (SQLite runs one worker)")
        self.db = db

    async def reserve(self, key: str, count: int, spacing: float) -> float:
        """Take the next `count` slots of `key`, `spacing` seconds apart; returns how many
        seconds from now the first starts."""
        if count < 1 or spacing <= 0:
            raise ValueError(f"count must be ≥ 1 and spacing > 0, not {count} and {spacing}")
        span = count * spacing
        async with self.db.write() as session:
            ahead = await session.scalar(_TAKE, {"key": key, "span": span})
        return max(0.0, float(ahead or 0.0))
