"""Stage 1 of understanding: make a chat message readable by the later stages.

`normalise(text, task_words)` handles, in order:
- truncation and control characters, Slack/Telegram mentions (`<@U123>`, `@ProgressBot`) and
  slash commands (`/pause@ProgressBot crm`) (via `intents.text.clean`);
- emoji that mean something (⏸ ▶ ✅ ❌ 🔕 🔔 👍 👎 🛑 🔄 …) become words; the rest are dropped;
- clause boundaries (commas, full stops, dashes, "but") are kept apart in `clauses`, because the
  speech-act stage needs them ("leave the etl alone, just tell me the eta");
- case, apostrophes ("how's" → "hows") and punctuation, repeated letters ("pleaaase" → "please");
- everyday words of other languages mixed in ("bitte", "kab tak", "namaste"), via `languages`;
- chat abbreviations (pls, thx, rn, asap, mins, hrs, dnd, u, ur, idk, nvm, lmk, wanna …);
- typos of the bot's own vocabulary: intent words are fixed here ("cancle" → "cancel") unless the
  word is (nearly) a task word; task-word typos are left for task resolution, which fuzzy-matches.

Pure and bounded: only the first `MAX_CHARS` characters are read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from intents.languages import translate_words
from intents.text import MAX_CHARS, STOPWORDS, clean, correct_typo, tokenize

__all__ = ["ABBREVIATIONS", "EMOJI_WORDS", "Normalised", "normalise", "squeeze_repeats"]

# Emoji (and a few symbols) that carry a meaning in a steering chat.
EMOJI_WORDS: dict[str, str] = {
    "⏸": " pause ",
    "⏯": " resume ",
    "▶": " resume ",
    "⏵": " resume ",
    "⏩": " resume ",
    "✅": " approve ",
    "✔": " approve ",
    "☑": " approve ",
    "❌": " reject ",
    "✖": " reject ",
    "⛔": " reject ",
    "🚫": " reject ",
    "🔕": " mute ",
    "🔇": " mute ",
    "🔔": " unmute ",
    "🔊": " unmute ",
    "👍": " thumbs up ",
    "👎": " thumbs down ",
    "🛑": " stop ",
    "⏹": " stop ",
    "🔄": " restart ",
    "🔃": " restart ",
    "🔁": " retry ",
    "⏭": " skip ",
    "❓": " ? ",
    "❔": " ? ",
    "🙏": " please ",
    "👋": " hi ",
    "🆘": " help ",
}
# Slack writes emoji as :shortcodes:; the ones that carry a meaning here, as the emoji itself
# (any other shortcode is dropped like any other emoji).
SLACK_EMOJI: dict[str, str] = {
    "white_check_mark": "✅", "heavy_check_mark": "✅", "ballot_box_with_check": "✅",
    "x": "❌", "no_entry": "⛔", "no_entry_sign": "🚫", "heavy_multiplication_x": "❌",
    "+1": "👍", "thumbsup": "👍", "-1": "👎", "thumbsdown": "👎", "pray": "🙏",
    "raised_hands": "🙌", "wave": "👋", "double_vertical_bar": "⏸", "pause_button": "⏸",
    "arrow_forward": "▶", "play_or_pause_button": "⏯", "octagonal_sign": "🛑",
    "stop_sign": "🛑", "black_square_for_stop": "⏹", "arrows_counterclockwise": "🔄",
    "repeat": "🔁", "black_right_pointing_double_triangle_with_vertical_bar": "⏭",
    "next_track_button": "⏭", "no_bell": "🔕", "mute": "🔇", "bell": "🔔", "sound": "🔊",
    "question": "❓", "grey_question": "❔",
}  # fmt: skip
# A letter, or exactly +1 / -1: times like "22:00-07:00" are not shortcodes.
_SHORTCODE = re.compile(r":((?=[a-z0-9_+\-]{0,59}[a-z])[a-z0-9_+\-]{1,60}|[+\-]1):")
# 👍 next to thanks is a thank-you, not an approval.
_THANKS_WORDS = frozenset(
    {"thanks", "thank", "thx", "ty", "cheers", "ta", "thankyou", "great", "perfect", "helpful"}
)
_FAILURE_MARKS = "❌✖"
# "❌ cancel the flood run", "kill it ❌": a cross beside a verb that says what to do only
# repeats it (on a task waiting for approval it is no rejection then).
_SAID_VERBS = frozenset({"cancel", "kill", "abort", "stop", "terminate", "halt", "scrap", "nuke"})
_SIGN_OFF_THUMB = re.compile(r"(?:[A-Za-z]+\W+){5,}👍[\s\U0001f3fb-\U0001f3ff\ufe0f]*$")
_ONLY_THANKS_EMOJI = re.compile("^[\\s\U0001f64f\U0001f64c\U0001f3fb-\U0001f3ff\ufe0f]+$")
_EMOJI_RANGE = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\ufe0f\u200d\U0001f3fb-\U0001f3ff]"
)
# "... a long day ahead 🙃 Before I go: ...": an emoji between a sentence and a capital ends the
# sentence, as a full stop would, so the story before it stays out of the request after it.
_EMOJI_ENDS_SENTENCE = re.compile(rf"(?<=\w)\s*(?:{_EMOJI_RANGE.pattern})+\s+(?=[A-Z])")

# Chat abbreviations → what they stand for (single tokens, after lower-casing).
ABBREVIATIONS: dict[str, str] = {
    "pls": "please",
    "plz": "please",
    "plse": "please",
    "pleas": "please",
    "thx": "thanks",
    "thnx": "thanks",
    "thanx": "thanks",
    "tnx": "thanks",
    "ty": "thanks",
    "tysm": "thanks",
    "ta": "thanks",
    "rn": "right now",
    "atm": "right now",
    "asap": "as soon as possible",
    "min": "minutes",
    "mins": "minutes",
    "hr": "hours",
    "hrs": "hours",
    "h": "hours",
    "secs": "seconds",
    "sec": "seconds",
    "dnd": "do not disturb",
    "u": "you",
    "ya": "you",
    "ur": "your",
    "r": "are",
    "idk": "i do not know",
    "dunno": "do not know",
    "nvm": "never mind",
    "nevermind": "never mind",
    "btw": "by the way",
    "wanna": "want to",
    "gonna": "going to",
    "gotta": "have to",
    "lmk": "let me know",
    "gimme": "give me",
    "lemme": "let me",
    "wat": "what",
    "whys": "why is",
    "howre": "how are",
    "whatre": "what are",
    "wherere": "where are",
    "wut": "what",
    "wdym": "what do you mean",
    "hru": "how are you",
    "hw": "how",
    "cuz": "because",
    "coz": "because",
    "bc": "because",
    "msg": "message",
    "msgs": "messages",
    "notifs": "notifications",
    "notif": "notification",
    "pic": "picture",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tomoz": "tomorrow",
    "2day": "today",
    "tonite": "tonight",
    "b4": "before",
    "pl": "please",
    "kk": "ok",
    "k": "ok",
    "okey": "okay",
    "yep": "yes",
    "yup": "yes",
    "gm": "good morning",
    "tho": "though",
    "stfu": "shut up",
    "wdyt": "what do you think",
    "thru": "through",
    "til": "until",
    "ack": "ok",
    "acked": "ok",
    "ya'll": "you all",
    "im": "im",
    "whyd": "why did",
    "howd": "how did",
    "dont": "dont",
    "cant": "cant",
    # hedges and chat shorthand
    "halp": "help",
    "prolly": "probably",
    "probs": "probably",
    "imo": "in my opinion",
    "imho": "in my opinion",
    "mayb": "maybe",
    "mabye": "maybe",
    "maybee": "maybe",
    "shld": "should",
    "shud": "should",
    "plox": "please",
    "thnks": "thanks",
    "thks": "thanks",
    "tyvm": "thanks",
    "appr": "approve",
    "smth": "something",
    "sth": "something",
    "rly": "really",
    "abt": "about",
    "w8": "wait",
    "ppl": "people",
    "w": "with",
}
# -ing forms of the action verbs read as the verb: "would cancelling it lose work?" is about cancel.
GERUNDS: dict[str, str] = {
    "pausing": "pause",
    "resuming": "resume",
    "unpausing": "unpause",
    "cancelling": "cancel",
    "canceling": "cancel",
    "restarting": "restart",
    "rerunning": "rerun",
    "retrying": "retry",
    "skipping": "skip",
    "approving": "approve",
    "rejecting": "reject",
    "declining": "decline",
    "muting": "mute",
    "unmuting": "unmute",
    "silencing": "silence",
    "killing": "kill",
    "stopping": "stop",
    "aborting": "abort",
    "snoozing": "snooze",
    "relaunching": "relaunch",
    "terminating": "terminate",
    "suspending": "suspend",
    "subscribing": "subscribe",
    "unsubscribing": "unsubscribe",
    # "is the detector even pausable?": the verb, and "able", which the speech act reads as a
    # property of the task (asked about or told, never an order)
    "pausable": "pause able",
    "resumable": "resume able",
    "restartable": "restart able",
    "rerunnable": "rerun able",
    "retryable": "retry able",
    "retriable": "retry able",
    "skippable": "skip able",
    "approvable": "approve able",
    "rejectable": "reject able",
    "cancellable": "cancel able",
    "cancelable": "cancel able",
    "abortable": "abort able",
    "killable": "kill able",
}
# "y" means "why" at the start of a question, "yes" on its own.
_Y_START = re.compile(r"^y (?=(?:did|is|does|was|has|are|do|would|it|the)\b)")

_CLAUSE_SPLIT = re.compile(r"\s*(?:[,;.!?]+(?:\s|$)|\s[-–—]+\s|\(|\))\s*|\s+(?=but\b)")
_REPEAT = re.compile(r"(\w)\1{2,}")


@dataclass(frozen=True, slots=True)
class Normalised:
    """A message ready for the later stages.

    `text` is the raw message (truncated), `body` what follows a slash command (or the message,
    mentions removed) with the person's casing, `command` the intent a known /command asked for,
    `words` the normalised tokens, `clauses` the normalised words split at clause boundaries, and
    `typo_fixed` whether an intent word was corrected. `question_mark` keeps the one piece of
    punctuation the speech-act stage cares about.
    """

    text: str
    body: str
    command: str | None
    unknown_command: bool
    words: tuple[str, ...]
    clauses: tuple[tuple[str, ...], ...]
    typo_fixed: bool
    question_mark: bool

    @property
    def normalised(self) -> str:
        return " ".join(self.words)


def _slack_emoji(match: re.Match[str]) -> str:
    return SLACK_EMOJI.get(match.group(1), " ")


def _emoji_to_words(text: str) -> str:
    if ":" in text:
        text = _SHORTCODE.sub(_slack_emoji, text)  # ":white_check_mark: dental" is ✅ dental
    if _ONLY_THANKS_EMOJI.match(text):
        return "thanks"  # "🙏🙏" on its own thanks; next to a request it is a please
    # Most messages hold no emoji: then they are kept as they are without a look at each
    # character and the two emoji patterns' scans (some 40 µs on a long message), which could
    # change nothing (each needs a character of `_EMOJI_RANGE`).
    with_words = text if _EMOJI_CHARACTERS.isdisjoint(text) else _emoji_words(text)
    if _EMOJI_RANGE.search(with_words) is None:
        return with_words
    return _EMOJI_RANGE.sub(" ", _EMOJI_ENDS_SENTENCE.sub(". ", with_words))


# The emoji of `EMOJI_WORDS` that are one character (the only ones a look at each character meets).
_EMOJI_CHARACTERS = frozenset(emoji for emoji in EMOJI_WORDS if len(emoji) == 1)


def _emoji_words(text: str) -> str:
    """`text` with each emoji of `EMOJI_WORDS` as its words."""
    lowered = text.lower()
    thanks = any(w in _THANKS_WORDS for w in re.findall(r"[a-z]+", lowered))
    # "alignment ❌ - reason?": a cross beside a question marks a failure, it rejects nothing
    failed_mark = "?" in text
    said_verb = not _SAID_VERBS.isdisjoint(re.findall(r"[a-z]+", lowered))
    # "you can unpause his job now 👍": a thumb after a sentence of its own is a nod, no approval
    signed_off = "👍" in text and _SIGN_OFF_THUMB.search(text) is not None
    out = []
    for ch in text:
        word = EMOJI_WORDS.get(ch)
        if word is not None:
            if (thanks or signed_off) and ch in "👍🙏":
                word = " "
            elif failed_mark and ch in _FAILURE_MARKS:
                word = " failed "
            elif said_verb and ch in _FAILURE_MARKS:
                word = " "
            out.append(word)
        else:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=4096)
def squeeze_repeats(word: str) -> str:
    """ "pleeease" → "please", "sooo" → "so", "noooo" → "no": runs of 3+ letters shrink; a
    last letter typed twice goes when the word without it is ours ("etaa", "helpp"). A word with
    a digit in it is a number, a version or an id ("4525555bf65d"), never a word drawn out."""
    if any(ch.isdigit() for ch in word):
        return word
    if _REPEAT.search(word) is None:
        if (
            len(word) >= 3
            and word[-1] == word[-2]
            and word not in _VOCABULARY
            and word[:-1] in _VOCABULARY
        ):
            return word[:-1]
        return word
    single = _REPEAT.sub(r"\1", word)
    if single in _VOCABULARY or correct_typo(single) is not None:
        return single
    double = _REPEAT.sub(r"\1\1", word)
    if double in _VOCABULARY:
        return double
    return single


def _expand(words: list[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        word = squeeze_repeats(word)
        expansion = ABBREVIATIONS.get(word) or GERUNDS.get(word)
        if expansion is None:
            out.append(word)
        else:
            out.extend(expansion.split())
    return out


def normalise(
    text: str,
    is_task_word: Callable[[str], bool] | None = None,
    names_task: Callable[[str], bool] | None = None,
) -> Normalised:
    """Normalise `text`; `is_task_word(w)` tells which words (nearly) name a task, so their
    near-misses are not "fixed" into intent words ("stor" stays a store, not "stop");
    `names_task(w)` which words name one exactly, so a foreign word that is a task's name stays
    (a near miss does not: "cảm" is Vietnamese, not a typo of "crm")."""
    raw = text[:MAX_CHARS] if isinstance(text, str) else ""
    # Lone surrogates and other unencodable characters cannot be read: drop them.
    raw = raw.encode("utf-8", "ignore").decode("utf-8")
    # one spelling of accented letters ("ả" as one character, not "a" and a hook), so the words
    # of other languages are whole words
    raw = unicodedata.normalize("NFC", raw)
    cleaned = clean(_emoji_to_words(raw))
    body = cleaned.body
    question = "?" in body
    clauses: list[tuple[str, ...]] = []
    fixed = False
    for part in _CLAUSE_SPLIT.split(body):
        if not part:
            continue
        words = _expand(translate_words(tokenize(part), names_task or is_task_word))
        if words and words[0] == "y" and len(words) > 1:
            words[0] = "why" if _Y_START.match(" ".join(words)) else "yes"
        for i, word in enumerate(words):
            if word in _VOCABULARY:
                continue
            keyword = correct_typo(word)
            if keyword is not None and not (is_task_word is not None and is_task_word(word)):
                words[i] = keyword
                fixed = True
        if words:
            clauses.append(tuple(words))
    flat = tuple(w for clause in clauses for w in clause)
    return Normalised(
        text=raw,
        body=body,
        command=cleaned.command,
        unknown_command=cleaned.unknown_command,
        words=flat,
        clauses=tuple(clauses),
        typo_fixed=fixed,
        question_mark=question,
    )


def _vocabulary() -> frozenset[str]:
    extra = [
        "please",
        "thanks",
        "why",
        "yes",
        "so",
        "no",
        "now",
        "right",
        "ok",
        "okay",
        "helps",
        "helped",
        "helpful",
        "think",
        "thinking",
        "thing",
        "things",
        "state",
        "stats",
        "store",
        "shop",
        "held",
        "hell",
        "hello",
        "mate",
        "note",
        "notes",
        "cause",
        "case",
        "pass",
        "past",
        "post",
        "lost",
        "long",
        "song",
        "ship",
        "stock",
        "stop",
        "stops",
        "shops",
        # everyday words one edit away from an intent word: "skip the retro" is no retry
        "retro",
        "retros",
        "passe",
        "ski",
        "stoop",
        "stomp",
        "statue",
        "statues",
        "stratus",
        "cancer",
    ]
    return STOPWORDS | frozenset(extra) | frozenset(ABBREVIATIONS.values())


_VOCABULARY: frozenset[str] = _vocabulary()
