"""Everyday ways of asking for a task's history, a digest or a channel that the rules lacked.

Tried with `intents.idioms` (before every other rule), over normalised text:

- a span of time said between "what happened" and its task ("what happened overnight with the
  fermentation run"), or after what a task did ("walk me through what the solar job did
  today"): what was done, and when, asked like "what happened to it this week";
- a digest, summary or recap named by when it comes or switched to ("let's switch to a morning
  digest", "digest at 9am", "an evening recap would be better"): how updates come, their
  schedule;
- a channel put in place of another ("actually email, not telegram", "slack rather than
  email"), or asked to carry the updates ("can I get notifications by email?", "send my
  alerts to telegram"): where updates go. A question or a negation is still read
  as one by the speech act, and the policy does not act on it;
- the past of a steering verb said of no task ("anything cancelled lately?", "what got paused
  today"): which tasks, like "what failed today";
- "who gives the green light on ...": present tense asks whose decision it is (the past, "who
  gave the green light", is the history's rule).
"""

from __future__ import annotations

from intents.bot_questions import CHANNELS

__all__ = ["EVERYDAY_RULES"]

# When something happened, said as a span or a point in the recent past.
_WHEN = (
    r"(?:overnight|today|yesterday|tonight|last night|this (?:morning|afternoon|evening|week)"
    r"|over the weekend|earlier(?: today)?|lately|recently|so far|since (?:yesterday|monday"
    r"|tuesday|wednesday|thursday|friday|saturday|sunday|this morning))"
)
# A digest by when it comes, or by its kind.
_DIGEST = r"(?:digest|digests|recap|recaps|roundup|round up|summary email|summary)"
_WHEN_DIGEST = r"(?:morning|evening|afternoon|end of day|eod|weekly|daily|nightly|hourly)"
_CHANNEL = CHANNELS
# Ways of being told the bot has not: only asked for ("can I get alerts by sms?") are they read as
# the channel (the bot answers that it has no such one); "mute my notifications on whatsapp" is
# about another app, never a move of the bot's updates.
_ELSEWHERE = r"(?:sms|text messages?|texts|whatsapp|signal|my phone)"
# The past of the steering verbs, said of no task in particular ("anything cancelled lately?").
_STEERED = (
    r"(?:cancelled|canceled|paused|stopped|killed|aborted|restarted|rerun|reran|approved"
    r"|rejected|skipped|resumed|unpaused|retried)"
)
_LATELY = (
    r"(?: (?:today|yesterday|overnight|(?:this|last) (?:week|month|morning|night)|so far|lately"
    r"|recently|at the moment|right now))*"
)

EVERYDAY_RULES: tuple[tuple[str, str], ...] = (
    ("history", rf"\bwhat (?:has )?happened {_WHEN} (?:to|with)\b"
                rf"|\bwhat (?:\w+ ){{1,4}}?(?:did|has done|was doing) {_WHEN}\b"),
    ("notify_settings", rf"\b(?:switch|move|change|go|put|turn) (?:me |us |it |this |that )?"
                        rf"(?:over |back )?to (?:an? |the |one |just )?(?:\w+ )?{_DIGEST}\b"
                        rf"|\b{_WHEN_DIGEST} {_DIGEST}\b"
                        rf"|^(?:(?:the|a|my|our) )?{_DIGEST} (?:at|by|around|before|after) "
                        rf"(?:\d|noon|midday|lunch)"),
    ("notify_channel", rf"^(?:(?:actually|no|rather|sorry|oh|wait|hmm|make it|better) )*"
                       rf"{_CHANNEL} (?:not|rather than|instead of|over) {_CHANNEL}$"
                       rf"|^(?:(?:actually|no|rather|sorry|oh|wait|hmm) )*not {_CHANNEL} (?:but )?"
                       rf"{_CHANNEL}$"
                       rf"|\b(?:notifications?|alerts?|updates?|pings?) (?:by|via|over|through"
                       rf"|on|in|as|to) (?:the )?{_CHANNEL}\b"
                       rf"|^(?:(?:so|and|hey|hi|quick question) )*(?:can|could|may) (?:i|we) "
                       rf"(?:get|have|receive) (?:\w+ ){{0,2}}?(?:notifications?|alerts?|updates?"
                       rf"|pings?) (?:by|via|over|through|as|on) {_ELSEWHERE}\b"),
    ("list_tasks", rf"^(?:(?:so|and|ok|okay|hey|hi) )*(?:what|whats|what has|what have|anything"
                   rf"|any (?:tasks|jobs|runs)|which (?:tasks|jobs|runs))"
                   rf" (?:got |been |was |were )?"
                   rf"{_STEERED}{_LATELY}$"),
    ("who_approves", r"\bwho (?:gives|grants|hands out) (?:the |a )?(?:green light|go ahead"
                     r"|thumbs up|nod|ok|okay)\b"),
)  # fmt: skip
