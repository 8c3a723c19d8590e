"""Readings that depend on the state of the task a message names, settled after the task is.

The same words ask different things of tasks in different states: "what happened to the
dashboard?" of a failed task asks why it failed; "kick the sales report off again" of a finished
one runs it anew (it cannot be resumed); a ❌ on a task waiting for approval rejects it, on a
running or failed one cancels it ("❌ orders pipeline", "kill etl11 ❌"); "rerun cloud mask on the
tiles" of a failed task whose step is "cloud mask" runs that step again, not the whole task.
"""

from __future__ import annotations

import re

from intents.types import TaskRef

__all__ = ["by_task_state"]

_WHAT_HAPPENED = re.compile(r"\bwhat (?:has )?happened\b|\bwhats happened\b")
# A span of time asks for what happened in it, whatever state the task is in now: "what happened
# to it this week", "... this morning", "... over the past two days", "... since friday",
# "... overnight", "... before that"; so does asking who did what.
_OVER_A_SPAN = re.compile(
    r"\b(?:over|in|during|for|within) (?:the )?(?:last|past|previous) (?:\w+ )?"
    r"(?:hours?|days?|nights?|weeks?|months?|day|shift|sprint|weekend)\b"
    r"|\b(?:this|last) (?:week|month|weekend|sprint|night|morning|afternoon|evening)\b"
    r"|\bsince (?:\w+ )?(?:yesterday|monday"
    r"|tuesday|wednesday|thursday|friday|saturday|sunday|morning|last|then|\d+)\b"
    r"|\bovernight\b|\bwho did what\b"
    # "what happened before that?": earlier than what was just told
    r"|\b(?:before|prior to) (?:that|this|then)\b"
)
# States a task cannot be resumed from; "again" then means a new run.
_OVER = frozenset({"completed", "failed", "cancelled", "canceled", "done"})
# States in which a task's run can be cancelled (an approval is rejected instead).
_CANCELLABLE = frozenset({"running", "failed", "paused", "pending", "queued"})
_CROSS = "❌✖"
# A failed task's error, asked about in words read as a status question ("the podcast batch
# error?"), asks why it failed.
_ERROR_WORDS = frozenset({"error", "errors", "exception", "traceback", "stacktrace"})
# Words that say "reject" themselves (the cross then only repeats them).
_REJECT_WORDS = frozenset({"reject", "rejected", "decline", "deny", "veto", "refuse"})


def by_task_state(name: str, text: str, words: tuple[str, ...], act: str, task: TaskRef) -> str:
    """`name`, read again for the state of `task`, the one the message names."""
    if name == "history" and act != "report" and _WHAT_HAPPENED.search(joined := " ".join(words)):
        return "why_failed" if task.status == "failed" and not _OVER_A_SPAN.search(joined) else name
    if (
        name == "status"
        and task.status == "failed"
        and act == "question"
        and not _ERROR_WORDS.isdisjoint(words)
    ):
        return "why_failed"
    if (
        name == "restart"
        and act in ("command", "wish")
        and task.status == "failed"
        and _reruns_a_step(" ".join(words), task)
    ):
        return "retry_step"
    if name == "resume" and "again" in words and task.status in _OVER:
        return "restart"
    if name == "resume" and "again" in words and "start" in words and task.status == "running":
        return "restart"  # "start the transcode again" of one still running: a new run
    if (
        name == "reject"
        and task.status in _CANCELLABLE
        and any(c in text for c in _CROSS)
        and not any(w in text.lower() for w in _REJECT_WORDS)
    ):
        return "cancel"  # "❌ orders pipeline" of a failed task: nothing waits to be rejected
    return name


# The verb of a run anew, then one of the task's steps said in full as what is run ("rerun cloud
# mask on the tiles"), not the whole of it ("rerun the whole thing from the cloud mask").
_RERUN = r"\b(?:rerun|re run|redo|restart|run) (?:the |that |only |just |again )?"
_WHOLE = re.compile(
    r"\b(?:whole|entire|everything|all steps|from scratch|from the (?:start|top))\b"
)


def _reruns_a_step(joined: str, task: TaskRef) -> bool:
    if _WHOLE.search(joined):
        return False
    return any(
        re.search(rf"{_RERUN}{re.escape(step.lower())}(?: step)?\b(?! from\b)", joined)
        for step in task.steps
        if step
    )
