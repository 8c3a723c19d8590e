"""Another thing that only shares a word with a task: "abort the pizza order" beside an
"Orders Pipeline", "stop the app on my laptop", "the migration of birds". `intents.resolve` asks
these before it settles on a task the words seem to name.
"""

from __future__ import annotations

from collections.abc import Sequence

from intents.synonyms import SYNONYMS
from intents.task_index import TaskIndex, light_stem
from intents.text import PLAIN_STOPWORDS, STOPWORDS

__all__ = ["DETERMINERS", "name_as_modifier", "something_else", "somewhere_else"]


# Words before a noun phrase: "the pizza order", "my expense report".
DETERMINERS = frozenset({"the", "my", "our", "your", "a", "an", "this", "that", "his", "her"})


def _possessive(word: str) -> bool:
    """ "hires" of "the new hire's laptop order" (apostrophes are gone by now)."""
    return len(word) > 3 and word.endswith("s") and word not in STOPWORDS


def something_else(
    words: Sequence[str],
    unmatched: Sequence[str],
    used: Sequence[str],
    scores: dict[int, float],
    index: TaskIndex,
    foreign: set[str],
) -> bool:
    """ "abort the pizza order", "sign off on my expense report": a word we do not know before
    one word of a task's title, in one noun phrase, names another thing ("pizza order" is not
    the Orders Pipeline), unless the words said every word of some task's title."""
    # (a typo of a task word is no other thing: `_unknown`)
    known = set(used)
    strange = {
        w
        for w in (*unmatched, *(w for w in words if w in STOPWORDS and w not in PLAIN_STOPWORDS))
        if w not in known and _unknown(w, index)
    }
    heads = [
        k + 1
        for k in range(1, len(words) - 1)
        if (
            words[k - 1] in DETERMINERS
            # "the new hire's laptop order": a possessive inside a noun phrase
            or (
                _possessive(words[k - 1]) and DETERMINERS.intersection(words[max(0, k - 3) : k - 1])
            )
        )
        and words[k] in strange
        # (a name's word in another language may follow its own words we do not know: "das
        # Gebärdensprache-Modell" is that model's name, said in German)
        and words[k + 1] in known
        and words[k + 1] not in foreign
    ]
    # the other words may still say a whole name ("cancel the search index ... the old index")
    if heads and not _says_a_whole_name(words, heads, scores, index):
        return True
    # (a message that says a name in another language says its "of" in that language's
    # order too: "o deploy dos ingressos do museu" is the museum's ticket deploy)
    described = None if foreign else _elsewhere(words, strange, known, index.heads)
    return described is not None and not _says_a_whole_name(words, described, scores, index)


def _unknown(word: str, index: TaskIndex) -> bool:
    """No word of a task, nor a typo of one: two edits from a task word make a typo of a long
    word ("the invioce sync"), not of "frame" ("fraud")."""
    return not index.knows(word) and not index.fuzzy(word, max_edits=1 if len(word) <= 5 else 2)


def _says_a_whole_name(
    words: Sequence[str], skip: Sequence[int], scores: dict[int, float], index: TaskIndex
) -> bool:
    """Whether the words, but those at `skip`, say every word of a scored task's name, or of
    one of its steps of two words or more, as it is or in other words ("the cache of aligned
    subs" of an "align subtitles" step)."""
    said = [w for k, w in enumerate(words) if k not in skip]
    others = {light_stem(w) for w in said}
    for i in scores:
        for names in (index.name_words[i], index.short_words[i]):
            if names and {light_stem(w) for w in names} <= others:
                return True
    others.update(light_stem(o) for w in said for o in SYNONYMS.get(w, ()))
    return any(
        len(stems) >= 2 and stems <= others for i in scores for stems in index.step_stem_sets[i]
    )


def somewhere_else(
    words: Sequence[str], used: Sequence[str], scores: dict[int, float], index: TaskIndex
) -> bool:
    """ "stop the app on my laptop", every word named something or is a rule's: a rule's word
    we do not know, where the task's words are said to be, names another thing."""
    strange = {
        w
        for w in words
        if w in STOPWORDS and w not in PLAIN_STOPWORDS and w not in used and not index.knows(w)
    }
    if not strange:
        return False
    described = _elsewhere(words, strange, set(used), index.heads)
    return described is not None and not _says_a_whole_name(words, described, scores, index)


# "the frame on the video", "the calendar invite from sales", "that meeting invite about the
# parking garage": the thing acted on comes first
_OF_PLACE = frozenset(
    {"on", "of", "from", "in", "at", "for", "with", "about", "regarding", "concerning", "re"}
)
# "the orders from last night" is the task still: a time, not a place the thing belongs to
_TIMES = frozenset(
    {"night", "yesterday", "earlier", "week", "weekend", "monday", "tuesday", "wednesday"}
    | {"thursday", "friday", "saturday", "sunday", "hour", "hours", "minute", "minutes"}
    # "rerun churn from zero", "from the beginning": where to start, not where it comes from
    | {"zero", "scratch", "beginning", "start", "top", "step", "stage", "checkpoint"}
    # "approve the crm on her behalf", "the etl on my end": whose, not where
    | {"behalf", "end", "side", "own", "watch", "radar", "list", "plate", "account"}
    # "cancel the transcode halfway": how far, no other thing
    | {"halfway", "midway", "partway"}
)


_OWN = frozenset({"my", "your", "his", "her", "their"})
# "the claim for dr ahmed", "the invoice from mrs novak": someone addressed by title is a
# customer, a patient, a supplier, whose one thing the task's word names; colleagues who own
# tasks are called by their names.
_TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam", "herr", "frau", "mme"}
    | {"mlle", "monsieur", "madame", "sr", "sra", "senor", "senora", "señor", "señora"}
    | {"signor", "signora", "sig", "pan", "pani", "dhr", "mevr"}
)


# Things people watch or carry, where a video, an app or a guide plays: never where a task runs.
_DEVICES = frozenset(
    {"projector", "tv", "television", "tablet", "ipad", "iphone", "phone", "laptop", "screen"}
    | {"kiosk", "speaker", "speakers", "monitor", "display", "radio", "car", "headphones"}
)


# "i'm on my phone", "we're in the car": where the speaker is, not the thing acted on
_BEING = frozenset({"im", "am", "were", "are", "is", "was", "be", "been", "being", "sitting"})


def _on_a_device(words: Sequence[str]) -> int | None:
    """Where "on / in <a device>" begins ("on my phone", "on the gallery 3 tablet"), the speaker
    not said to be there; else None."""
    for k, word in enumerate(words):
        if word in ("on", "in") and (k == 0 or words[k - 1] not in _BEING):
            place = [w for w in words[k + 1 : k + 6] if w not in DETERMINERS and w not in _OWN]
            if any(w in _DEVICES for w in place[:3]):
                return k
    return None


def _device_at(words: Sequence[str], k: int) -> bool:
    """ "the projector", "the lobby tv", "the gallery 3 tablet": a device, said in at most
    three words."""
    return any(w in _DEVICES for w in words[k : k + 3])


# "retry the one stuck on reconcile ledger": how a task stands, not a thing of its own
_STANDING = frozenset({"waiting", "waits", "stuck", "sitting", "blocked", "hanging", "held"})


# Words that end a noun phrase by opening what follows: "my parking permit, please", "… and …",
# or a place ("my parking permit from the council")
_CLAUSE_WORDS = frozenset({"and", "but", "or", "so", "please", "pls", "because", "since", "as"})
_PHRASE_ENDS = _OF_PLACE | _CLAUSE_WORDS
# ... and where a noun phrase of a name's modifier and a noun of its own ends ("email the parking
# permit to accounting")
_HEAD_ENDS = _PHRASE_ENDS | {"to", "near"}


def _head_after(words: Sequence[str], start: int, known: set[str]) -> int | None:
    """The place of the first word after the known words from `start` on (at most two of
    them), when it ends the noun phrase: the message ends or a clause or a place follows."""
    end = start
    while end < len(words) and words[end] in known and end - start < 2:
        end += 1
    if end >= len(words) or words[end] in known:
        return None
    if end + 1 < len(words) and words[end + 1] not in _PHRASE_ENDS:
        return None
    return end


def _unknown_head(words: Sequence[str], start: int, strange: set[str]) -> bool:
    """Whether one or two words nobody asks with and no task has, from `start` on, end a noun
    phrase there ("trailer" of "the film trailer", "offset purchase in …")."""
    end = start
    while (
        end < len(words)
        and end - start < 2
        and words[end] in strange
        # (a rule's word only after a word of no rule's: "the parking meter app", but not "the
        # booking dashboard", which is the task's)
        and (end > start or words[end] not in STOPWORDS)
        and words[end] not in _TIMES
        and not words[end].endswith("ly")  # "the forecast exactly": an adverb, no noun
    ):
        end += 1
    return end > start and (end == len(words) or words[end] in _HEAD_ENDS)


def _elsewhere(
    words: Sequence[str], strange: set[str], known: set[str], heads: frozenset[str] = frozenset()
) -> list[int] | None:
    """ "cancel my order from amazon", "the migration of birds": a task word said of somewhere
    or something we do not know; "freeze the frame on the video", "reject the calendar invite
    from sales": the thing acted on is words we do not know, and the task's words only say where
    it is. None when neither; else the places of task words that describe the other thing (they
    cannot make up a task's whole name)."""
    on_device = _on_a_device(words)
    if on_device is not None and on_device > 0 and words[on_device - 1] not in known:
        # "restart the parking meter app on my phone", "restart the film from the beginning on
        # the projector": what is acted on plays on a device, where no task runs, and its last
        # word is none of a task's: the task's words before it only describe it (a task's word
        # right before the device is read below: "stop the booking app on my laptop" says a
        # name whole)
        return [i for i in range(on_device) if words[i] in known]
    described: list[int] | None = None
    for k in range(len(words) - 2):
        if words[k] in known and words[k + 1] in _OF_PLACE and words[k + 2] in _TITLES:
            return [k] if k > 0 and words[k - 1] in DETERMINERS else []
        if words[k] in known and (
            words[k + 1] in ("from", "of", "near")
            # "stop the app on my laptop": a thing on someone's own device, or on a device
            # ("pause the subtitles on the projector in room 2")
            or (words[k + 1] in ("on", "in") and words[k + 2] in _OWN)
            or (words[k + 1] == "on" and words[k + 2] == "the" and _device_at(words, k + 3))
            # "my parking sensor at home": a thing of one's own, at home
            or (words[k + 1] == "at" and words[k + 2] == "home")
        ):
            after = [w for w in words[k + 2 : k + 4] if w not in DETERMINERS]
            if after and after[0] in strange and after[0] not in _TIMES:
                start = k
                while start > 0 and words[start - 1] in known:
                    start -= 1
                if start > 0 and words[start - 1] in _OWN:
                    # "my parking sensor", all its words: the speaker's own thing
                    return list(range(start, k + 1))
                # "my order" alone is the other thing; "the booking app" may still be a name
                return [k] if k > 0 and words[k - 1] in DETERMINERS else []
        if (
            words[k] in DETERMINERS
            and words[k + 1] in known
            and words[k + 1] not in heads
            and _unknown_head(words, k + 2, strange)
            # (only when no other word names a task: "once the sims are paused, after the
            # maintenance window" is about the sims)
            and not any(w in known for j, w in enumerate(words) if j != k + 1)
        ):
            # "the film trailer", "the museum newsletter for me": a name's word that is no
            # name's head noun ("film" of a "Film Subtitle Sync"), before a noun of its own that
            # ends the phrase, only says what that other thing is about
            return [k + 1]
        if (
            (words[k] in _OWN or words[k] == "the")
            and words[k + 1] in known
            and (head := _head_after(words, k + 1, known)) is not None
            and words[head] in strange
            and words[head] not in _TIMES
            and (words[k] in _OWN or _placed_elsewhere(words, head, strange))
        ):
            # "my parking permit", "her payroll slip": a thing of one's own whose last word,
            # the one it is, is none of a task's, only described by a task's word; so too "the
            # audio guide playback on the lobby tablet", a thing that is somewhere we do not know
            return list(range(k + 1, head))
        if words[k] in DETERMINERS:
            end = k + 1
            while (
                end < len(words)
                and words[end] in strange
                and words[end] not in _TIMES
                and words[end] not in _STANDING
            ):
                end += 1
            if (
                end > k + 1
                and end < len(words) - 1
                and words[end] in _OF_PLACE
                and not known.intersection(words[:k])
                and known.intersection(words[end + 1 :])
            ):
                if end - k > 2:
                    # Two words or more we do not know ("that meeting invite about the parking
                    # garage"): a thing of its own, which the task's words after the place only
                    # describe, however much of a name they say.
                    return [i for i in range(end + 1, len(words)) if words[i] in known]
                # One ("an eye on orders", "the messages about the payroll") may be an idiom
                # or the bot's own word: the other thing only if nothing says a whole name.
                described = []
    return described


_REFLEXIVES = frozenset({"myself", "yourself", "ourselves", "himself", "herself", "themselves"})


def _placed_elsewhere(words: Sequence[str], head: int, strange: set[str]) -> bool:
    """ "the audio guide playback on the gallery tablet", "the carbon credit purchase from
    acme": the thing at `head` is said to be on, in or from a place we do not know (no time:
    "the import run on friday")."""
    if head + 2 >= len(words) or words[head + 1] not in ("on", "in", "at", "from"):
        return False
    if words[head] in _REFLEXIVES:  # "cancel the ios build myself from the console"
        return False
    place = [w for w in words[head + 2 : head + 4] if w not in DETERMINERS]
    return bool(place) and place[0] in strange and place[0] not in _TIMES


def name_as_modifier(
    clauses: Sequence[Sequence[str]], query: str, index: TaskIndex, intent: str
) -> bool:
    """ "reject the parking ticket", "approve the booking engine demo", "reject the carbon ledger
    invoice": the words that named a task said right before a noun of another thing, which ends
    the clause or is followed only by grammar words. The task may still be meant, but a change
    so named is asked about first, as one named by a part of its name is. (A subscription names
    the moment it waits for after the task: "ping me when the firmware rollout moves".)"""
    said = query.split()
    if not said or intent == "subscribe" or all(w in index.owners for w in said):
        return False  # ("tariq says ...": a person's name before their verb)
    for words in clauses:
        for k in range(len(said) - 1, len(words) - 1):
            if list(words[k - len(said) + 1 : k + 1]) != said:
                continue
            noun = words[k + 1]
            return (
                (k + 2 >= len(words) or words[k + 2] in STOPWORDS)
                and noun.isalpha()
                and len(noun) > 2
                and not noun.endswith("ly")
                and noun not in STOPWORDS
                and noun not in _NOT_NOUNS
                and _unknown(noun, index)
            )
    return False


# Words after a name that say how, not what: "freeze orders real quick".
_NOT_NOUNS = frozenset({"real", "quick", "asap", "rn", "tho", "though", "pronto", "immediately"})
