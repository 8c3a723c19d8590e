"""The everyday words of Turkish, and the forms of its steering verbs, read as English by
`intents.languages`.

Turkish says with a verb's endings what English says with words before it: "duraklat" (pause),
"duraklatma" (do not pause), "duraklatabilir miyim" (can I pause), "duraklatırsak" (if we
pause), "durdurdu" (stopped), "onaylıyor" (approves). The steering verbs are a short, closed
list and so are those endings, so `turkish_verbs` reads a verb of the list with one of them as
the English words in that order; a verb made of a noun and "et", "al" or "ver" ("iptal et",
"sessize al", "haber ver") only after its noun. Any other ending, or a word that names a task,
is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

__all__ = ["TURKISH_PHRASES", "TURKISH_WORDS", "turkish_verbs"]

TURKISH_WORDS: dict[str, str] = {
    "hangi": "which", "görevler": "tasks", "görev": "task",
    "işler": "jobs", "çalışıyor": "running", "çalışan": "running", "bana": "me",
    "bildirimlerimi": "my notifications", "bildirimlerini": "notifications",
    "bildirimler": "notifications", "bildirim": "notification", "maile": "to email",
    "göster": "show", "loglarını": "logs", "logları": "logs", "linkini": "link",
    "linki": "link", "adımını": "step", "adımı": "step", "adım": "step", "henüz": "yet",
    "yine": "again", "şimdi": "now", "miyim": "", "mıyım": "", "müyüm": "", "muyum": "",
    "misin": "", "musun": "", "tekrar": "again", "başarısız": "failed", "oldu": "",
    "hataları": "failures", "bitince": "when it finishes", "hemen": "right away",
}  # fmt: skip

TURKISH_PHRASES: dict[tuple[str, ...], str] = {
    ("şu", "an"): "right now", ("ne", "olur"): "what happens",
    # (round seventeen (d)) "onay kimde?": whose the approval is
    ("onay", "kimde"): "who has the approval", ("onayı", "kimde"): "who has the approval",
    ("neler", "yapabilirsin"): "what can you do", ("ne", "yapabilirsin"): "what can you do",
    ("çok", "teşekkürler"): "thanks a lot", ("her", "şey"): "everything",
    ("başarısız", "oldu"): "failed", ("ne", "kadar"): "how long",
}  # fmt: skip

# (the noun before it, or ""; the verb's root; its English)
_VERBS: tuple[tuple[str, str, str], ...] = (
    ("", "duraklat", "pause"), ("", "durdur", "stop"), ("iptal", "et", "cancel"),
    ("devam", "et", "resume"), ("yeniden", "başlat", "restart"),
    ("baştan", "başlat", "restart"), ("tekrar", "dene", "retry"), ("", "atla", "skip"),
    ("", "onayla", "approve"), ("", "reddet", "reject"), ("sessize", "al", "mute"),
    ("takip", "et", "follow"), ("tekrar", "aç", "turn back on"),
    ("bildirimlerini", "aç", "turn on notifications"),
    ("bildirimlerimi", "gönder", "send my notifications"),
    ("", "gönder", "send"), ("haber", "ver", "notify"),
)  # fmt: skip
_PAST = {
    "pause": "paused", "stop": "stopped", "cancel": "cancelled", "resume": "resumed",
    "restart": "restarted", "retry": "retried", "skip": "skipped", "approve": "approved",
    "reject": "rejected", "mute": "muted", "follow": "followed",
}  # fmt: skip
# An adverb said between a verb's noun and the verb: "bildirimlerini henüz açma".
_BETWEEN = frozenset({"henüz", "şimdi", "hemen", "tekrar"})
_VOWELS = "aeıioöuü"
_NOT = frozenset({"ma", "me", "mayın", "meyin", "mayin"})
_CAN = re.compile(r"^y?[ae]bil")
_IF = re.compile(r"^(?:[aeıiuü]?r)?s[ae](?P<who>k|m|n|nız|niz)?$")
_PAST_ENDING = re.compile(r"^[dt][ıiuü]$")
_NOW = re.compile(r"^[ıiuü]?yor$")
_TO = re.compile(r"^m[ae]k$")
_DONT_WANT = frozenset({"istemiyorum", "istemem", "istemiyoruz"})
_ASKS = {"miyim": "i", "mıyım": "i", "müyüm": "i", "muyum": "i", "misin": "you",
         "musun": "you", "miyiz": "we", "mıyız": "we"}  # fmt: skip


def _stems(root: str) -> tuple[str, ...]:
    """The root as it is written before an ending: "et" also "ed", "atla" also "atlay" and
    "atl" (before "ıyor")."""
    if root[-1] == "t":
        return (root, root[:-1] + "d")
    if root[-1] in _VOWELS:
        return (root + "y", root, root[:-1])
    return (root,)


# A word that may be one of the verbs: it starts with a root's stem (one probe of a regex for
# the many words that are none).
_MAY_BE_VERB = re.compile(
    "|".join(
        sorted({stem for _, root, _ in _VERBS for stem in _stems(root)}, key=len, reverse=True)
    )
).match
# The nouns a two-word verb is said after.
_NOUNS = frozenset(noun for noun, _, _ in _VERBS if noun)


def _ending(word: str, root: str) -> str | None:
    for stem in _stems(root):
        if word.startswith(stem):
            return word[len(stem) :]
    return None


def _reading(ending: str, english: str, after: str | None) -> tuple[list[str], int] | None:
    """The English of a verb with `ending` (and how many words after it that reading took),
    None for an ending not read."""
    if ending == "":
        return [english], 0
    if ending in _NOT:
        return ["do", "not", english], 0
    if _CAN.match(ending):
        who = _ASKS.get(after or "")
        return (["can", who, english], 1) if who else (["can", english], 0)
    if (found := _IF.match(ending)) is not None:
        who = {"k": "we", "m": "i"}.get(found["who"] or "", "")
        return ["if", *([who] if who else []), english], 0
    if _PAST_ENDING.match(ending) and english in _PAST:
        return [_PAST[english]], 0
    if _NOW.match(ending) and " " not in english:
        return [english + "s"], 0
    if _TO.match(ending) and after in _DONT_WANT:
        return ["i", "do", "not", "want", "to", english], 1
    return None


def turkish_verbs(words: Sequence[str], keep: Callable[[str], bool] | None = None) -> list[str]:
    """`words` with the steering verbs of Turkish, in any of the endings read, in English:
    "crane duraklatabilir miyim" → "crane can i pause"."""
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        read = None
        if (
            _MAY_BE_VERB(word) is not None
            and (not _NOUNS.isdisjoint(out[-3:]) or _single_root(word))
            and not (keep is not None and keep(word))
        ):
            read = _verb(words, i, out)
        if read is None:
            out.append(word)
            i += 1
            continue
        english, noun_at, taken = read
        if noun_at is not None:
            del out[noun_at]
        if out and out[-1] == "kim":
            # "kim" (a name in English) is "who" before a verb: "kim durdurdu", "kim onaylıyor"
            out[-1] = "who"
        if english[:2] == ["do", "not"]:
            # a negative command, its verb last ("crane'i duraklatma"), said as English does
            # with "do not" and the verb first: "do not pause crane"
            out[:0] = english
        else:
            out.extend(english)
        i += 1 + taken
    return out


def _single_root(word: str) -> bool:
    return any(not noun and _ending(word, root) is not None for noun, root, _ in _VERBS)


def _verb(words: Sequence[str], i: int, out: list[str]) -> tuple[list[str], int | None, int] | None:
    """The reading of the verb at `i` (its English, where in `out` its noun stands, the words
    after it it took), or None."""
    word = words[i]
    after = words[i + 1] if i + 1 < len(words) else None
    for noun, root, english in _VERBS:
        ending = _ending(word, root)
        if ending is None:
            continue
        noun_at: int | None = None
        if noun:
            before = [j for j in range(len(out) - 1, max(len(out) - 3, -1), -1)]
            noun_at = next(
                (j for j in before if out[j] == noun and all(w in _BETWEEN for w in out[j + 1 :])),
                None,
            )
            if noun_at is None:
                continue
        reading = _reading(ending, english, after)
        if reading is not None:
            return reading[0], noun_at, reading[1]
    return None
