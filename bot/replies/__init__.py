"""Replies: a task snapshot turned into the bot's platform-neutral `Reply` objects.

Chat answers, live progress cards and notifications are all made here: each builder fills the
plain `text` (the seed's wording, word for word where the seed shows it) and the structured card
fields that rich channels draw. Pure functions only. Owns `text.py` (shared pieces), `cards.py`
(status answer, live card, buttons), `notices.py` (notifications) and `answers.py` (the other chat
answers). Imports `bot.types`, the ETA's words and the store's shapes; nothing that does I/O.
"""

from bot.replies.answers import (
    apology_reply,
    choose_task_reply,
    confirm_reply,
    done_reply,
    eta_reply,
    help_reply,
    logs_reply,
    not_found_reply,
    refusal_reply,
    small_talk_reply,
    task_list_reply,
    why_failed_reply,
)
from bot.replies.cards import card_reply, state_buttons, status_reply
from bot.replies.dialogue import (
    ACTION_LABELS,
    approvers_reply,
    capabilities_reply,
    did_you_mean_reply,
    explain_reply,
    history_reply,
    short_help_reply,
    waiting_reply,
    wont_reply,
)
from bot.replies.notices import (
    notification_reply,
    quiet_summary_reply,
    retired_approval_reply,
)
from bot.replies.text import (
    LOG_INLINE_LIMIT,
    clean_text,
    display_name,
    failed_step_order,
    gerund,
)
from bot.types import VIEW_LABEL, progress_bar

__all__ = [
    "ACTION_LABELS",
    "LOG_INLINE_LIMIT",
    "VIEW_LABEL",
    "apology_reply",
    "approvers_reply",
    "capabilities_reply",
    "card_reply",
    "choose_task_reply",
    "clean_text",
    "confirm_reply",
    "did_you_mean_reply",
    "display_name",
    "done_reply",
    "eta_reply",
    "explain_reply",
    "failed_step_order",
    "gerund",
    "help_reply",
    "history_reply",
    "logs_reply",
    "not_found_reply",
    "notification_reply",
    "progress_bar",
    "quiet_summary_reply",
    "refusal_reply",
    "retired_approval_reply",
    "short_help_reply",
    "small_talk_reply",
    "state_buttons",
    "status_reply",
    "task_list_reply",
    "waiting_reply",
    "why_failed_reply",
    "wont_reply",
]
