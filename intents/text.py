"""Pure text helpers: clean what arrived from a chat, read commands, steps, reasons and durations.

Everything here is bounded: only the first `MAX_CHARS` characters of a message are ever looked at,
so a 100 KB paste costs the same as a one-liner.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import DamerauLevenshtein

from intents.catalog import slash_command, slash_subcommand
from intents.rule_index import RuleIndex, top_level_branches
from intents.rules import RULES, TYPO_KEYWORDS

__all__ = [
    "MAX_CHARS",
    "PLAIN_STOPWORDS",
    "STOPWORDS",
    "Cleaned",
    "at_word_starts",
    "branch_search",
    "clean",
    "correct_typo",
    "extract_duration",
    "extract_reason",
    "extract_step",
    "extract_step_name",
    "greets_only",
    "is_number_word",
    "tokenize",
]

MAX_CHARS = 500

# Control characters (C0, DEL, C1) become spaces; zero-width and bidi marks vanish.
_CONTROL: dict[int, str | None] = dict.fromkeys([*range(0x00, 0x20), *range(0x7F, 0xA0)], " ")
_CONTROL.update(dict.fromkeys([0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x200E, 0x200F], None))

# Slack mentions (<@U123ABC>, <@U123|name>, <!here>) anywhere; "@Progress Bot" or "@name" first.
_SLACK_MENTION = re.compile(r"<[@!#][^>\s]{0,80}>")
_LEADING_MENTION = re.compile(
    r"^\s*@(?:progress[ _-]?bot\b|[\w.-]{1,40})[\s,:;.!-]*", re.IGNORECASE
)
_SLASH = re.compile(r"^\s*/([A-Za-z_]{1,32})(?:@[\w.]{1,64})?(?=\s|$)\s*(.*)$", re.DOTALL)

_APOSTROPHES = re.compile(r"[\'’‘`´]")
# A French article or pronoun elided before a word ("l'import", "d'export", "qu'il"): the word
# is the word (English has no one-letter word before an apostrophe but "o'clock", "y'all").
_ELIDED = re.compile(r"\b(?:l|d|j|qu)[\'’](?=[^\W\d_])")
# An Italian article with its preposition elided before a word ("dell'hotel", "nell'app",
# "sull'ordine", "un'altra"): two words, not one glued to its article (none is English).
_ELIDED_ITALIAN = re.compile(r"\b(dell|dall|nell|sull|all|coll|un|quell|quest)[\'’](?=[^\W\d_])")
# A Turkish case ending after a name's apostrophe ("rollup'u", "sims'i", and after its
# possessive, "deploy'unu", "export'sını"): the name is the word. (English endings, 's 't 'd
# 'll 'm 're 've, are none of these.)
_TURKISH_ENDING = re.compile(
    r"(?<=[^\W\d_])['’](?:y?[iıuüea]|[dt][ea]n?|[ns]?[iıuü]n(?:[iıuü]n?)?|y?l[ea])(?![^\W_])"
)
_TOKEN = re.compile(r"#?[^\W_]+")
_SPLIT_UN = re.compile(r"\bun[\s-]+(pause|mute|snooze|silence)\b")


@dataclass(frozen=True, slots=True)
class Cleaned:
    """A message made safe to read: `text` keeps the person's casing (for reasons), `command` is the
    intent a slash command asked for, and `body` is what follows the command (or the whole text)."""

    text: str
    command: str | None
    body: str
    unknown_command: bool = False


def clean(raw: str) -> Cleaned:
    """Truncate, drop control characters and mentions, and split off a leading /command."""
    text = raw[:MAX_CHARS].translate(_CONTROL)
    text = _SLACK_MENTION.sub(" ", text)
    for _ in range(3):  # "@Progress Bot @alice status": a few leading mentions at most
        stripped = _LEADING_MENTION.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    text = " ".join(text.split())
    match = _SLASH.match(text)
    if match is None:
        return Cleaned(text=text, command=None, body=text)
    command = slash_command(match.group(1))
    body = match.group(2)
    first, _, rest = body.partition(" ")
    narrower = slash_subcommand(command, first) if command is not None else None
    if narrower is not None:  # "/notify channel email"
        command, body = narrower, rest.strip()
    return Cleaned(text=text, command=command, body=body, unknown_command=command is None)


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens; "how's" → "hows", "#3" stays "#3", "un pause" → "unpause"."""
    lowered = _APOSTROPHES.sub(
        "", _ELIDED.sub("", _ELIDED_ITALIAN.sub(r"\1 ", _TURKISH_ENDING.sub("", text.lower())))
    )
    lowered = _SPLIT_UN.sub(r"un\1", lowered)
    return _TOKEN.findall(lowered)


_KEYWORDS = frozenset(TYPO_KEYWORDS)
_KEYWORDS_BY_INITIAL: dict[str, tuple[str, ...]] = {}
for _word in TYPO_KEYWORDS:
    _KEYWORDS_BY_INITIAL[_word[0]] = (*_KEYWORDS_BY_INITIAL.get(_word[0], ()), _word)


@lru_cache(maxsize=8192)
def correct_typo(token: str) -> str | None:
    """The intent keyword `token` is a one-edit typo of ("staus" → "status"), else None.

    The first letter must match (people rarely miss it, and it keeps "cause" from becoming "pause"),
    and four-letter keywords only accept swapped or dropped letters ("lgos", "skp"), which keeps
    "stop"/"stor" and "help"/"held" apart.
    """
    if len(token) < 3 or token in _KEYWORDS or token in STOPWORDS or not token.isalpha():
        return None
    best: str | None = None
    for keyword in _KEYWORDS_BY_INITIAL.get(token[0], ()):
        if abs(len(keyword) - len(token)) > 1:
            continue
        if DamerauLevenshtein.distance(token, keyword, score_cutoff=1) > 1:
            continue
        if len(token) == 3 and len(keyword) != 4:
            continue
        if len(keyword) <= 4 and len(token) == 4 and sorted(keyword) != sorted(token):
            continue
        if best is not None:
            return None  # two keywords are one edit away: not a typo we can fix with confidence
        best = keyword
    return best


_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}  # fmt: skip
_NUM = r"(\d{1,4}|" + "|".join(_NUMBER_WORDS) + r")"
_ORD = r"(\d{1,4}(?:st|nd|rd|th)|" + "|".join(_ORDINAL_WORDS) + r")"
_STEP_PATTERNS = (
    re.compile(rf"\bstep (?:no |number |num |nr )?#?{_NUM}\b"),
    re.compile(rf"\b{_ORD} step\b"),
    re.compile(rf"\bstep {_ORD}\b"),
    re.compile(r"(?:^|\s)#(\d{1,4})\b"),
)


def _number(word: str) -> int | None:
    word = word.lstrip("#")
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS[word]
    if word in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[word]
    digits = word.rstrip("stndrh")
    return int(digits) if digits.isdigit() else None


def extract_step(normalized: str) -> int | None:
    """The step number in "step 2", "step two", "the second step", "3rd step", "#3"; else None."""
    for pattern in _STEP_PATTERNS:
        match = pattern.search(normalized)
        if match is not None:
            value = _number(match.group(1))
            if value is not None and value >= 1:
                return value
    return None


_STEP_NAME = re.compile(
    r"\b(?:skip|retry|redo|rerun|bypass|try|approve|reject)(?: again)?(?: over| past)?"
    r" (?:the |that |this )?"
    r"((?:\w+ ){0,4}?\w+) step\b"
)
_NOT_A_STEP_NAME = frozenset(
    {"current", "next", "failed", "failing", "last", "broken", "stuck", "this", "that", "same"}
)


def extract_step_name(normalized: str) -> str | None:
    """The step named in words: "skip the repair board step" → "repair board"."""
    match = _STEP_NAME.search(normalized)
    if match is None:
        return None
    name = match.group(1)
    if name in _NOT_A_STEP_NAME or _number(name) is not None or name in _ORDINAL_WORDS:
        return None
    return name


_REASON = re.compile(
    r"(?:\bbecause(?: of)?\b|\bsince\b|\bdue to\b|\breason(?: is|:)?|\bas it\b|:|\s[-–—]\s"
    r"|,\s*(?=it\b|the\b|too\b))"
    r"\s*(.+)$",
    re.IGNORECASE | re.DOTALL,
)


def extract_reason(text: str) -> tuple[str | None, str]:
    """Split "reject the crm step because the schema is wrong" into ("the schema is wrong",
    "reject the crm step"): the reason in the person's words, and the text before it."""
    match = _REASON.search(text)
    if match is None:
        return None, text
    reason = match.group(1).strip().rstrip(".!?").strip()
    if not reason:
        return None, text[: match.start()]
    if match.group(0).lower().startswith("due to"):
        reason = text[match.start() :].strip().rstrip(".!?")
    return reason, text[: match.start()]


_UNIT = r"(?:s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?|w|wk|weeks?)"
_AMOUNT = (
    r"(?:\d{1,4}(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|half an?)"
)
_DURATION = re.compile(
    rf"\b(?:for (?:the next |another )?)?({_AMOUNT} ?{_UNIT})\b"
    rf"|\b((?:until|till|til) [\w: ]{{1,40}}?)\s*$"
    rf"|\b(for (?:today|tonight|now|the (?:day|night|weekend|week)|a while|a bit))\b"
)


def extract_duration(normalized: str) -> tuple[str | None, str]:
    """Split "mute the crm task for 2 hours" into ("2 hours", "mute the crm task")."""
    match = _DURATION.search(normalized)
    if match is None:
        return None, normalized
    value = next(group for group in match.groups() if group)
    rest = (normalized[: match.start()] + " " + normalized[match.end() :]).strip()
    return value.strip(), rest


# Words that never name a task: grammar, chat filler, and the vocabulary of asking about tasks.
_STOPWORD_TEXT = """
    a an the my our your their his her its me us you we i im ive id ill it that this those these
    them they there here one ones thing things stuff some any all every each both either other
    is are was were be been being am do does did doing done have has had having will would shall
    should can could may might must ll re ve d s t
    and or but so then than also too very really just only still yet already again now today
    tonight currently anymore soon later right now please pls plz kindly thanks thank ok okay
    hey hi hello yo bot progress progressbot dear sir buddy mate team guys folks everyone
    what whats which who whom whose where wheres when whens why how hows whatever
    to of for on in at by with from into onto about over under up down out off as if de
    not no nope yes yeah yep sure dont doesnt didnt cant cannot wont isnt arent wasnt havent
    task tasks job jobs run runs running process project projects work workflow thingy named called
    step steps stage phase number no num nr
    status progress update updates news word going doing coming along far long left look looking
    finish finished finishes finishing done complete completed completion ready over end ended
    let know tell show see give get got check view display list give see find fetch send
    want wanna need needs would like id love could you tell
    hed youd theyd
    logs log output error errors failure failed fail fails failing wrong broke broken crash
    happened happen happening went why problem issue
    eta time remaining minutes minute mins min hours hour hrs hr days day seconds second sec
    weeks week until till til tomorrow tonight morning afternoon evening while bit
    pause paused resume resumed continue cancel cancelled canceled stop stopped restart
    restarted retry retried skip skipped approve approved reject rejected mute muted unmute
    notify notified subscribe notifications notification alerts alert ping pings
    start started starting begin again scratch fresh afresh
    help thanks latest last current currently recent new first second third next previous
    quick quickly fast slow slowly little lot lots much many more most less
    some way sort kind thing please pretty
    nah na yea ya hmm hm lol u ur r k kk btw fyi asap lets let us oh ah uh um well actually
    go goes went gone ahead lgtm good fine great nice cool
    same possible thoughts sure anyway though maybe actually just before after soon asking ask
    moment ones also else anything something nothing anyone someone never without think whos
    thinks thinking thought reckon reckons
    immediately instantly directly straight away afterwards afterward meanwhile
"""
STOPWORDS: frozenset[str] = frozenset(_STOPWORD_TEXT.split())
# Grammar, filler and asking words alone, without the words of the intent rules (those can be
# things too: "laptop", "dashboard").
PLAIN_STOPWORDS: frozenset[str] = STOPWORDS


def is_number_word(word: str) -> bool:
    """True for "2", "#3", "3rd", "two", "second": step numbers, never task names."""
    return _number(word) is not None


def _rule_words() -> frozenset[str]:
    words: set[str] = set()
    for _, pattern in RULES:
        literal = re.sub(r"\\[a-zA-Z]|\?:", " ", pattern)
        # ("green ?light" spells "greenlight" too, "sign ?off" "signoff")
        for text in (literal, literal.replace(" ?", "")):
            words.update(w for w in re.findall(r"[a-z]+", text) if len(w) >= 2)
    return frozenset(words) - _TASK_NOUNS_IN_RULES


# Words the rules spell that tasks are called too ("rebuild the index" restarts, and there is a
# "Search Index Rebuild"; "nightly summaries" are settings, and there is a "Nightly Billing
# Close"): they stay task words, never asking words.
_TASK_NOUNS_IN_RULES = frozenset(
    {"rebuild", "retrain", "rebake", "reindex", "rerender", "recompute", "dump", "board"}
    | {"backlog", "daily", "nightly", "weekly", "hourly", "lines", "office", "business", "manual"}
    | {"guide", "full", "entire", "gear", "roles", "stages", "pipeline"}
    # the things a question about the bot or a setting names ("a store table", "the jira sync",
    # "voice notes", "polish translations"), tasks' words as often
    | {"store", "table", "file", "config", "configuration", "flags", "charts", "graphs", "voice"}
    | {"jira", "discord", "whatsapp", "sms", "english", "polish", "predictions", "workflows"}
    | {"pipelines", "tickets", "items", "notes", "note", "comment", "comments", "questions"}
    | {"question", "part", "permissions", "types", "id", "share", "read", "loads", "phrase"}
    # ("give me the tour" asks what the bot can do; there are "Tour Booking"s and "Hearing" lists)
    | {"tour", "hearing"}
    # the settings' nouns ("updates by text", "a lunch recap", "alerts on my phone") that name
    # things tasks are about as often: a "Railway Signal Log Audit", a "Text Classifier"
    | {"signal", "text", "texts", "messages", "phone", "lunch", "summary"}
)


# Every word the intent rules look for is an asking word too ("lgtm", "traceback", "snooze").
STOPWORDS = STOPWORDS | _rule_words()


# A message with no word of ours but greetings, in any language: "dobre rano, hello".
# The words that say hello by themselves ("sounds good" says no hello) ...
_HELLOS = frozenset({"hi", "hello", "hey", "heya", "hiya", "howdy", "hola", "hallo", "greetings"})
# ... and the words a greeting may have beside them.
_GREETINGS = _HELLOS | {
    "good", "morning", "afternoon", "evening", "everyone", "all", "team", "there"
}  # fmt: skip


def greets_only(words: Sequence[str], unknown_words: Sequence[str]) -> bool:
    """Whether the words, but for a few unknown ones, only say hello."""
    unknown = set(unknown_words)
    known = [w for w in words if w not in unknown]
    return (
        len(unknown) <= 3
        and any(w in _HELLOS for w in known)
        and all(w in _GREETINGS for w in known)
    )


def at_word_starts(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`pattern` compiled to be tried only at the start of the text and where a word begins.
    For a big alternation whose every alternative begins there (with `\\b` or `^`), which
    matches the same: Python's engine otherwise tries each alternative at every character, and
    on a long message that was most of what such a pattern cost (about 3x less over the corpus;
    tests/test_understanding_speed.py checks that the wrapped patterns match as before)."""
    return re.compile(rf"{_WORD_START}(?:{pattern})", flags)


_WORD_START = r"(?:^|\b(?=\w))"


def branch_search(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    """A test of whether `pattern` matches a text, the same as `bool(pattern.search(text))`,
    that tries only its top-level alternatives whose literal text occurs in the text (as the
    rules are tried, `intents.rule_index`): the speech act's long alternations, tried on every
    message, cost 30-70 µs a search on a long one. A pattern of `at_word_starts` is split
    inside its wrapping (each alternative wrapped alike matches where the whole does)."""
    source, opening = pattern.pattern, f"{_WORD_START}(?:"
    branches = [pattern]
    if source.startswith(opening) and source.endswith(")"):
        try:
            branches = [
                re.compile(f"{opening}{branch})", pattern.flags)
                for branch in top_level_branches(source[len(opening) : -1])
            ]
        except re.error:  # the last ")" closed no group of the wrapping: the pattern whole
            branches = [pattern]
    index = RuleIndex(branches)
    return lambda text: index.first_match(text) is not None
