"""Resolve the task a message names among the tasks the person can see: the rules.

Given the words of a message and the `TaskIndex` of the visible tasks (`intents.task_index`),
these rules score the tasks the words may name, tell a task from another thing that only shares
a word with one ("abort the pizza order"), and pick the task, the choice, or none.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice, pairwise

from intents.catalog import SLASH_COMMANDS
from intents.cognates import SMALL_WORDS, SMALL_WORDS_ENGLISH_TOO
from intents.languages import FOREIGN_WORDS
from intents.other_things import DETERMINERS, something_else, somewhere_else
from intents.synonyms import SYNONYMS
from intents.task_index import (
    GENERIC_TASK_WORDS,
    SHORT_NEAR_WORD,
    TaskIndex,
    light_stem,
    step_stem,
)
from intents.text import PLAIN_STOPWORDS, STOPWORDS
from intents.told_apart import told_apart
from intents.types import ACTIVE_STATUSES, FINISHED_STATUSES, STATE_CHANGING, TaskRef

__all__ = [
    "DETERMINERS",
    "Resolution",
    "TaskIndex",
    "by_step_word",
    "persons_task",
    "resolve_named",
    "resolve_unnamed",
]

# Candidates within this share of the best score are "close": the person could mean either.
CLOSE_SHARE = 0.85
# A task word that is also an asking word ("Status Page", "Log Rotation") counts for less.
STOPWORD_WEIGHT = 0.3
COVERAGE_BONUS = 1.0
# A word of a step name ("the one that builds the invoices") or of the task's kind ("the training
# job") names a task less surely than a word of its title.
STEP_WEIGHT = 0.6
KIND_WEIGHT = 0.8
# A synonym counts a little less than the name's own word.
SYNONYM_WEIGHT = 0.9
# A name's word in another language ("calibración" of "Calibration") counts a little less still.
COGNATE_WEIGHT = 0.85
# An inflection of a name's word ("invoicing" of "Invoices") counts as much as a synonym.
INFLECTION_WEIGHT = 0.9
MAX_CANDIDATES = 10

# The tasks an intent most likely means when nothing names one; also the tie-break among close ones.
PREFERRED_STATUSES: dict[str, frozenset[str]] = {
    "why_failed": frozenset({"failed"}),
    "retry_step": frozenset({"failed"}),
    "resume": frozenset({"paused"}),
    "approve": frozenset({"approval"}),
    "reject": frozenset({"approval"}),
    "who_approves": frozenset({"approval"}),
    "pause": frozenset({"running", "pending"}),
}


@dataclass(frozen=True, slots=True)
class Resolution:
    """Outcome of resolving a task reference (see `Intent.resolution`)."""

    kind: str
    task_id: str | None = None
    candidates: tuple[str, ...] = ()
    query: str | None = None


def resolve_named(
    index: TaskIndex,
    words: Sequence[str],
    intent: str,
    exclude: frozenset[int] = frozenset(),
) -> Resolution | None:
    """Resolve the task `words` name; None when they name nothing (no content words at all).

    Titles and short names count most, then kinds ("the training job"), then step names ("the one
    that builds the invoices"); an owner ("bob's job") narrows the choice to that person's tasks.
    Tasks in `exclude` ("not the crm, the dental one") are never chosen.
    """
    words = index.as_named(words)
    for word in words:
        if word in index.by_id and index.by_id[word] not in exclude:
            return Resolution("named", task_id=index.tasks[index.by_id[word]].task_id, query=word)
    owned: set[int] | None = None
    owner_words: list[str] = []
    for k, word in enumerate(words):
        # "bob's job", "the transcode of lena"; not "carol's vacation", "the vacation of carol"
        if word in index.owners:
            owned_thing = words[k + 1] if k + 1 < len(words) else ""
            called_a_task = _called_a_task(words[k + 1 : k + 4])
            other = not called_a_task and _other_thing(owned_thing, index)
            tasks = None if other else index.owners[word]
        elif k > 1 and words[k - 1] in _OWNER_BEFORE and not _other_thing(words[k - 2], index):
            tasks = index.by_person.get(word)
        elif 0 < k < len(words) - 1 and words[k - 1] in _WHATEVER and words[k + 1] in _RUNS:
            # "whatever nadia is running", "whichever one piero started": that person's task
            tasks = index.by_person.get(word)
        elif k + 1 < len(words) and words[k + 1] in _TASK_NOUNS:
            # "pause aylin job": a name said before what a task is called, the possessive gone
            tasks = index.by_person.get(word)
        elif (
            k > 0
            and words[k - 1] in _THE
            and (k == len(words) - 1 or words[k + 1] in _OWNED_ONE or words[k + 1] in STOPWORDS)
        ):
            # "resume the dana one", "that bob job" (a "one" may be gone: "the thanh for
            # an hour")
            tasks = index.by_person.get(word)
        else:
            tasks = None
        if tasks:
            owner_words.append(word)
            owned = set(tasks) if owned is None else owned & set(tasks)
    scores: dict[int, float] = {}
    hits: dict[int, set[str]] = {}
    strong: set[int] = set()
    # tasks a word of their title or short name, or a whole step name, says exactly
    exact_named: set[int] = set()
    used: list[str] = []
    said_by: dict[int, set[str]] = {}  # each task's words said: one's own tells it (told_apart)
    unmatched: list[str] = []
    # name words said in another language, whose complements follow them ("la calibración del
    # espejo" is the mirror's calibration, no calibration of some other thing)
    foreign: set[str] = set()
    title_hit = False
    exact_hit = False
    also_steps: set[int] = set()
    # a step's words that also name tasks ("fine tune" beside a "Chatbot Fine-tune") are read
    # as name words, so the rest of a name ("chatbot") still tells which task is meant
    said_steps = [
        (start, end, i)
        for start, end, i in _step_phrases_said(words, index)
        if not all(w in index.postings or w in DETERMINERS for w in words[start:end])
    ]
    in_steps = {k for start, end, _ in said_steps for k in range(start, end)}
    for start, end, i in said_steps:
        # the step's words are the step's: "builds the invoices" is no "Invoices Sync"
        stems = {light_stem(w) for w in words[start:end]}
        value = STEP_WEIGHT * sum(index.step_idf.get(stem, 0.0) for stem in stems)
        scores[i] = max(scores.get(i, 0.0), value)
        hits.setdefault(i, set())
        strong.add(i)
        exact_named.add(i)
        title_hit = exact_hit = True
    used.extend(words[k] for k in sorted(in_steps) if words[k] not in DETERMINERS)
    # "the close": a name's head noun after a determiner is the name, though an asking word too
    # as is a name's word before a word for a task ("dan's bin thing", "the bin one")
    heads = {
        w
        for k, w in enumerate(words)
        if k > 0
        and (
            (w in index.heads and (words[k - 1] in DETERMINERS or words[k - 1] in index.owners))
            or (
                w in index.postings
                and w not in PLAIN_STOPWORDS
                and k + 1 < len(words)
                and words[k + 1] in GENERIC_TASK_WORDS
            )
        )
        and k not in in_steps
    }
    # (and said in another language: "le déploiement" of a "Ticket Booking Deploy")
    heads.update(
        head
        for k, w in enumerate(words)
        if k > 0 and words[k - 1] in DETERMINERS and w not in index.postings and w not in STOPWORDS
        for head in index.cognates(w)
        if head in index.heads
    )
    content = [
        w
        for k, w in enumerate(words)
        # (the small words of other languages name nothing: "status dla migracji")
        if (
            (w not in STOPWORDS and w not in SMALL_WORDS) or w in index.postings or w in index.kinds
        )
        and w not in owner_words
        and k not in in_steps
        and not _said_as_a_verb(words, k)
    ]
    for word in content:
        matches: Iterable[tuple[str, float]]
        best_for_task: dict[int, float] = {}
        stem = step_stem(word, index)
        if word in index.postings:
            matches = ((word, 1.0),)
            exact_hit = exact_hit or word not in STOPWORDS or word in heads
        elif word in STOPWORDS and word not in index.kinds:
            continue
        elif stem is not None:
            # "building" is the "build apk" step, not a near miss of "billing"; when the step's
            # word is also the title's ("the scanning" of a "scan pages" step and an "Archive
            # Scan"), it is an inflection of the name, as sure as the word itself
            matches = ((stem, INFLECTION_WEIGHT),) if stem in index.postings else ()
            exact_hit = exact_hit or bool(matches)
        elif any(other in index.postings for other in SYNONYMS.get(word, ())):
            matches = tuple(
                (other, SYNONYM_WEIGHT) for other in SYNONYMS[word] if other in index.postings
            )
        elif len(word) >= 4 and light_stem(word) in index.stems:
            matches = tuple((w, 0.9) for w in index.stems[light_stem(word)])
        elif word in index.kinds or word in index.step_postings:
            # a word of a kind or a step, said as it is ("harbourmaster" of a "harbourmaster
            # sign-off" step), is that word: no compound of a title's ("Harbour Museum"), no
            # cognate, no typo
            matches = ()
        elif (head := index.compound_head(word)) is not None:
            matches = ((head, 0.9),)
        elif cognates := index.cognates(word):
            # "la calibración", "die Kalibrierung", "migracji" of a "Mirror Calibration", a
            # "Loans Migration": the name's word as another language writes it
            matches = tuple((other, COGNATE_WEIGHT) for other in cognates)
            foreign.add(word)
        else:
            # an owner's name is no typo of a title's word ("dana" of "Data"), as a step's word
            # said exactly is none ("files" of "tiles", above)
            matches = () if word in index.people else index.fuzzy(word)
        for task_word, weight in matches:
            is_stop = task_word in STOPWORDS and task_word not in heads
            value = weight * index.idf[task_word] * (STOPWORD_WEIGHT if is_stop else 1.0)
            # (a common word is posted for hundreds of tasks among a thousand: the loop does
            # only what differs per task, the sets take the rest whole)
            posted = index.postings[task_word]
            for i in posted:
                if value > best_for_task.get(i, 0.0):
                    best_for_task[i] = value
                task_hits = hits.get(i)
                if task_hits is None:
                    hits[i] = {task_word}
                else:
                    task_hits.add(task_word)
            if not is_stop:
                strong.update(posted)
                title_hit = True
                if weight == 1.0:
                    exact_named.update(posted)
        if word in index.kinds:
            title_hit = exact_hit = True
            _credit_kinds(index, [(word, 1.0)], best_for_task, strong, hits, frozenset(words))
        if (
            not best_for_task
            and word not in index.kinds
            and word in SYNONYMS
            # "the satellite job" of an imagery pipeline: a kind's word said as people say it
            and _credit_kinds(
                index, [(k, SYNONYM_WEIGHT) for k in SYNONYMS[word]], best_for_task, strong, hits
            )
        ):
            title_hit = exact_hit = True
        if not best_for_task and (kinds_said := index.kind_cognates(word)):
            # "wstrzymaj trening", "las notificaciones del entrenamiento" of a training job
            title_hit = True
            foreign.add(word)
            across = [(kind_word, COGNATE_WEIGHT) for kind_word in kinds_said]
            _credit_kinds(index, across, best_for_task, strong, hits)
        if not best_for_task and word not in STOPWORDS and word not in index.kinds:
            near = list(index.fuzzy(word, index.kind_choices))
            if near:
                title_hit = True
                _credit_kinds(index, near, best_for_task, strong, hits)
        # (a word of one task's title and another's step, "model" of a "Pricing Model" and of a
        # "train acoustic model" step, counts for the second too when another word named it)
        titled = bool(best_for_task)
        if word not in STOPWORDS and (not titled or word in index.step_postings):
            if word in index.step_postings or stem is not None:
                step_word = word if stem is None else stem
                steps: Iterable[tuple[str, float]] = [
                    (form, 1.0)
                    for form in index.step_forms.get(light_stem(step_word)) or (step_word,)
                ]
            elif word in index.step_clippings:
                steps = [(form, 0.9) for form in index.step_clippings[word]]
            elif not titled and (said_across := index.step_cognates(word)):
                # "powtórz krok reprojekcji", "l'étape d'alignement": a step said in another
                # language
                steps = [(form, COGNATE_WEIGHT) for form in said_across]
                foreign.add(word)
            elif len(word) > SHORT_NEAR_WORD:
                steps = index.fuzzy(word, index.step_choices)
            else:
                steps = ()  # "no full restart" is no "fill level" step: a short word is its own
            for step_word, weight in steps:
                if titled:
                    also_steps.update(
                        i for i in index.step_postings[step_word] if i not in best_for_task
                    )
                    continue
                for i in index.step_postings[step_word]:
                    value = STEP_WEIGHT * weight
                    if value > best_for_task.get(i, 0.0):
                        best_for_task[i] = value
                    strong.add(i)
                    hits.setdefault(i, set())
        if best_for_task:
            used.append(word)
        elif word not in STOPWORDS and word not in GENERIC_TASK_WORDS and word not in index.people:
            # a person ("once tomas checks it") is no other thing the words might name
            unmatched.append(word)
        for i, value in best_for_task.items():
            scores[i] = scores.get(i, 0.0) + value
            said_by.setdefault(i, set()).add(word)
    for i in also_steps.intersection(scores):
        scores[i] += STEP_WEIGHT
    # Only asking words matched ("the status"): a task counts only if they spell its whole name,
    # or two of its words in their order ("the mailing list job").
    said_pairs = frozenset(pairwise(words))
    for i in list(scores):
        if i not in strong and not (
            hits[i] >= index.name_words[i]
            or (index.short_words[i] and hits[i] >= index.short_words[i])
            or said_pairs & index.name_pairs[i]
        ):
            del scores[i]
    if owned is not None:
        mine = {i: s for i, s in scores.items() if i in owned}
        if mine:
            scores = mine
        elif not exact_named.intersection(scores):
            # "ravi's run? oom again?": the owner names the task surer than a near word does
            scores = {i: 1.0 for i in owned}
        # else the words named someone else's task outright
        used = owner_words + used
    for i in exclude:
        scores.pop(i, None)
    if foreign:
        # a name said in another language comes among that language's everyday words, which
        # name no other thing: those written in letters English never uses ("kiedy skończy się
        # prognoza?") are not counted against it, unless a preposition or an article makes
        # one another thing ("la copia de seguridad de mi teléfono")
        described = {
            w
            for k, w in enumerate(words)
            if k > 0 and (words[k - 1] in SMALL_WORDS or words[k - 1] in _NOUN_BEFORE)
        }
        # (and the small words English writes too, among that language's words: "de logs van
        # de salarisrun zien", not "pause the van flood sim")
        theirs = SMALL_WORDS_ENGLISH_TOO if _in_another_language(words) else frozenset()
        unmatched = [w for w in unmatched if (w.isascii() and w not in theirs) or w in described]
    leftovers = [w for w in content if w not in STOPWORDS]
    if not scores:
        if not leftovers and owned is None:
            return None
        return Resolution("not_found", query=" ".join(leftovers or owner_words))
    # "the chair step": a step word called a step names that step, whatever else is said
    called_step = any(a in used and b in _STEP_WORDS for a, b in pairwise(words))
    if owned is None and (
        (unmatched and not title_hit and len(unmatched) >= len(used) and not called_step)
        or (not exact_hit and len(unmatched) > len(used))
    ):
        # "stop the coffee order", "approve the invoice from acme corp": a near word or a step
        # word alone, among more words that name nothing we know, is not a task reference
        return Resolution("not_found", query=" ".join(leftovers))
    if owned is None and (
        something_else(words, unmatched, used, scores, index, foreign)
        if unmatched
        # "stop the app on my laptop": only a rule's word ("laptop") says where it is; asked
        # about ("open it in my browser", "on the hook for"), such words say how or who
        else intent in STATE_CHANGING and somewhere_else(words, used, scores, index)
    ):
        return Resolution("not_found", query=" ".join(leftovers))
    if (
        owned is None
        and not title_hit
        and not any(hits.get(i) for i in scores)
        # (the noun of a step's act, "the conversion" of "convert to scorm", is called a step)
        and not any(
            w in _STEP_WORDS or (w.endswith("ion") and step_stem(w, index) is not None)
            for w in words
        )
        and not set(scores) & _steps_said(words, index)[0]
        # the verb a step's name begins with names that step ("how is the recalc doing" of a
        # "recalc rebates" step), as a step of one word said alone does; not a verb the bot
        # itself answers to ("approve my timesheet" beside an "approve close" step)
        and not any(
            light_stem(form) in index.step_phrases
            for w in words
            if w not in SLASH_COMMANDS
            for form in (w, *index.step_clippings.get(w, ()))  # "the eval" of "evaluate x"
        )
    ):
        # "retry the payment" beside a "match payments" step: a word of a step's name, alone,
        # names something else; a step said in full, or called a step, names the task
        return Resolution("not_found", query=" ".join(leftovers))
    if owned is None and not title_hit:
        # Only step words matched, and tasks with different names share them ("pause the build"
        # with a "build apk" and a "build invoices" step): a choice, not one picked by state.
        best = max(scores.values())
        close = sorted(
            (
                i
                for i, v in scores.items()
                if v >= CLOSE_SHARE * best and index.tasks[i].status not in FINISHED_STATUSES
            ),
            key=lambda i: (-scores[i], -index.tasks[i].updated_at),
        )
        waiting = [i for i in close if index.tasks[i].status == "approval"]
        if intent in _APPROVAL_INTENTS and len(waiting) == 1:
            # "who can approve the deploy step?": only one task has a step waiting to be approved
            close = waiting
        if len({index.tasks[i].title.lower() for i in close}) > 1:
            ids = tuple(index.tasks[i].task_id for i in close[:MAX_CANDIDATES])
            return Resolution("ambiguous", candidates=ids, query=" ".join(used))
    whole_steps: set[int] | None = None
    for i in scores:
        if not index.name_words[i]:
            continue
        short = index.short_words[i]
        cover = len(hits.get(i, set()) & index.name_words[i]) / len(index.name_words[i])
        if short:
            cover = max(cover, len(hits.get(i, set()) & short) / len(short))
        scores[i] += COVERAGE_BONUS * cover
        if whole_steps is None:
            whole_steps = _steps_said(words, index)[1] if index.step_postings else set()
        if i in whole_steps:
            # "move past build ui on the crm": a step of this task said in full, beside its name
            scores[i] += COVERAGE_BONUS * STEP_WEIGHT
        if index.kind_pairs[i] and index.kind_pairs[i] <= said_pairs:
            # "the data pipeline": its kind said whole, beside a "Data Migration"
            scores[i] += COVERAGE_BONUS * KIND_WEIGHT
    scores = scores if owned else told_apart(scores, said_by, index.name_stem_sets, CLOSE_SHARE)
    query = " ".join(used)
    if intent in _APPROVAL_INTENTS and "approval" in index.by_status:
        said = {light_stem(w) for w in words}
        waiting = [
            i
            for i in (index.by_id[t.task_id.lower()] for t in index.by_status["approval"])
            if i in scores
            # a step said in full, even in words that also ask ("deploy")
            or any(stems <= said for stems in index.step_stem_sets[i])
        ]
        named_whole = [i for i in scores if any(stems <= said for stems in index.name_stem_sets[i])]
        if len(waiting) == 1 and not [i for i in named_whole if i not in waiting]:
            # "who can approve the deploy step?" beside a "Docs Site Deploy": only the task
            # waiting for approval has anything to approve, unless another is named in full
            picked = Resolution("named", task_id=index.tasks[waiting[0]].task_id, query=query)
        else:
            picked = _pick(index, scores, intent, query)
    else:
        picked = _pick(index, scores, intent, query)
    if (
        picked.kind == "named"
        and picked.task_id is not None
        and owned is None
        and _someone_elses_thing(words, index, index.by_id[picked.task_id.lower()])
    ):
        return Resolution("not_found", query=" ".join(leftovers))
    return picked


_APPROVAL_INTENTS = frozenset({"approve", "reject", "who_approves"})
# The words before a noun, in English and as the small words of other languages read ("de")
_NOUN_BEFORE = DETERMINERS | {"of", "de", "di", "from", "on", "in", "at", "for", "with"}


def _in_another_language(words: Sequence[str]) -> bool:
    """Whether two small words of another language are among `words` ("van de", "het met"),
    or one of its everyday words still untranslated: one "van" alone may be English's."""
    small = sum(w in SMALL_WORDS or w in SMALL_WORDS_ENGLISH_TOO for w in words)
    return small >= 2 or any(w in FOREIGN_WORDS for w in words)


def _someone_elses_thing(words: Sequence[str], index: TaskIndex, i: int) -> bool:
    """ "sign off on my expense report" beside a "Quarterly Expense Audit" and a "Sales Report":
    a word of the task's name before the head word of another task's name is another thing;
    "the expense claim from jon", when jon owns none of it, is his."""
    names = index.name_words[i]
    owner = (index.tasks[i].owner or "").lower()
    for k in range(1, len(words)):
        word = words[k]
        if (
            k + 1 < len(words)
            and words[k - 1] in DETERMINERS
            and word in names
            and words[k + 1] in index.heads
            and not any(light_stem(words[k + 1]) in s for s in index.name_stem_sets[i])
            and words[k + 1] not in STOPWORDS
            # ("the statements sync" of a "Statement Archive" whose kind is a sync)
            and i not in index.kinds.get(words[k + 1], ())
            and i not in index.step_postings.get(words[k + 1], ())
            and (k + 2 == len(words) or words[k + 2] not in names)
        ):
            return True
        if words[k - 1] == "from" and word in index.people and not owner.startswith(word):
            return True
    return False


# "the backup of gus", "the migration by frank": the owner's name after these
# (and "of" in the languages people mix in: "el job de nadia", "il job di piero", "der job von
# lena"; a task name said in their language keeps its own "de": it is a name word then)
_OWNER_BEFORE = frozenset({"of", "by", "de", "di", "von"})
# "whatever nadia is running", "whichever piero started": a person's task by what they do with it
_WHATEVER = frozenset({"whatever", "whichever", "what"})
_RUNS = frozenset({"is", "s", "runs", "started", "launched", "kicked", "owns", "has"})
# "the dana one", "that bob job": an owner's name said as an adjective, between these
_THE = frozenset({"the", "that", "this"})
_TASK_NOUNS = frozenset({"job", "jobs", "task", "tasks"})
_OWNED_ONE = frozenset({"one", "job", "task", "thing", "run", "pipeline", "build", "stuff"})


# "it will flood the channel", "that would spam the chat": a name's word said as a verb
_MODALS = frozenset({"will", "would", "could", "might", "may", "can", "gonna", "wont", "cant"})
# ... and a modal's verb with an adverb between: "would just hit the same bottleneck"
_MODALS_AND = frozenset(f"{m} {a}" for m in _MODALS for a in ("just", "only", "also", "still"))


# "push everything to slack": a pronoun object and where it goes, after a verb
_ALL_OF_IT = frozenset({"everything", "it", "them", "all"})
# "for 2 weeks": a number before a unit of time is a duration, no version of a name ("4.2")
_UNITS_OF_TIME = frozenset(
    {"min", "mins", "minute", "minutes", "hour", "hours", "hr", "hrs", "h", "day", "days"}
    | {"week", "weeks", "wk", "wks", "month", "months", "sec", "secs", "seconds"}
)


def _said_as_a_verb(words: Sequence[str], k: int) -> bool:
    """Whether the word at `k` is a verb by its place: after a modal and before the object's
    determiner ("unmuting it now will flood the channel" names no "Flood Forecast"), or before
    everything and where it goes ("push everything to slack" names no "Ad Screen Push"); or a
    number said of a time ("offline for 2 weeks")."""
    if words[k].isdigit() and k + 1 < len(words) and words[k + 1] in _UNITS_OF_TIME:
        return True
    if k + 2 < len(words) and words[k + 1] in _ALL_OF_IT:
        after = k + 3 if words[k + 2] == "all" else k + 2  # ("push it all to slack")
        if after < len(words) and words[after] in ("to", "into"):
            return True
    return (
        0 < k < len(words) - 1
        and (words[k - 1] in _MODALS or " ".join(words[max(0, k - 2) : k]) in _MODALS_AND)
        and words[k + 1] in DETERMINERS
        and words[k + 1] not in ("that", "this")
    )


def _called_a_task(words: Sequence[str]) -> bool:
    """ "tomas's truck data job": what someone owns is a task when the next few words end in
    what a task is called, whatever the words before say."""
    return any(w in GENERIC_TASK_WORDS for w in words)


# What people call someone's task by the work it does: "wei's training", "sofia's translations".
_WORK_NOUNS = frozenset(
    {"training", "build", "builds", "deploy", "deployment", "release", "import", "export", "upload"}
    | {"download", "batch", "pipeline", "migration", "sync", "report", "render", "push", "model"}
    | {"translations", "retrain", "rollout", "backup", "scan", "analysis", "crawl", "bake"}
    | {"audit", "sweep", "upgrade", "refresh", "review", "cleanup", "archive", "forecast"}
    | {"recalc", "rebuild", "dedupe", "dedup", "optimisation", "optimization", "generation"}
)


def _other_thing(word: str, index: TaskIndex) -> bool:
    """Whether the word a person owns ("carol's vacation", "the lunch of rosa") is a thing no
    task is called (a rule's word is a thing too: "bob's laptop"); the work a task does
    ("wei's training") is no other thing."""
    return bool(word) and not (
        word in PLAIN_STOPWORDS
        or word in GENERIC_TASK_WORDS
        or word in _WORK_NOUNS
        or step_stem(word, index) is not None
        or index.knows(word)
        or word in index.kinds
        # ("kenji's sim" of a "Wind-Tunnel Simulation": a name's word as people clip it)
        or any(other in index.postings for other in SYNONYMS.get(word, ()))
        or bool(index.fuzzy(word))
    )


def _step_phrases_said(words: Sequence[str], index: TaskIndex) -> list[tuple[int, int, int]]:
    """(start, end, task) of each step name of two words or more that `words` say in full, in
    any inflection and with determiners between ("builds the invoices" for "build invoices"),
    or by its object alone or turned into a noun phrase (`TaskIndex.step_part_phrases`)."""
    if not index.step_phrases:
        return []
    stems = [light_stem(w) for w in words]
    found: list[tuple[int, int, int]] = []
    for start, stem in enumerate(stems):
        for phrase, i in (
            *index.step_phrases.get(stem, ()),
            *index.step_part_phrases.get(stem, ()),
        ):
            k, end = 1, start + 1
            while k < len(phrase) and end < len(words):
                if stems[end] == phrase[k]:
                    k += 1
                elif words[end] not in DETERMINERS and words[end] != "to":
                    # "to" is also what an asking word set aside reads as ("prepares the data")
                    break
                end += 1
            if k == len(phrase):
                found.append((start, end, i))
    return found


_STEP_WORDS = frozenset({"step", "steps", "stage", "phase", "part"})


def _steps_said(words: Sequence[str], index: TaskIndex) -> tuple[set[int], set[int]]:
    """The tasks one of whose step names `words` say by its telling words, and those one of
    whose step names of two words or more they say word for word ("build ui")."""
    said = set(words)
    said.update(stem for w in words if (stem := step_stem(w, index)) is not None)
    said.update(light_stem(w) for w in words)
    candidates = {i for w in said for i in index.step_postings.get(w, ())}
    some: set[int] = set()
    whole: set[int] = set()
    for i in candidates:
        for spoken, telling in index.step_words(i):
            if spoken and all(w in said or stem in said for w, stem in spoken):
                some.add(i)
                if len(spoken) >= 2:
                    whole.add(i)
                continue
            if telling and all(w in said or stem in said for w, stem in telling):
                some.add(i)
    return some, whole


def _pick(index: TaskIndex, scores: dict[int, float], intent: str, query: str) -> Resolution:
    best = max(scores.values())
    close = [i for i, s in scores.items() if s >= CLOSE_SHARE * best]
    preferred = PREFERRED_STATUSES.get(intent, ACTIVE_STATUSES)

    def rank(i: int) -> tuple[float, bool, float]:
        task = index.tasks[i]
        return (scores[i], task.status in preferred, task.updated_at)

    close.sort(key=rank, reverse=True)
    # Finished tasks drop out when something still going is as close.
    going = [i for i in close if index.tasks[i].status not in FINISHED_STATUSES]
    if going and len(going) < len(close):
        close = going
    if len(close) > 1 and len({index.tasks[i].title.lower() for i in close}) == 1:
        # Several runs of one task: the newest.
        close = [max(close, key=lambda i: index.tasks[i].updated_at)]
    if len(close) == 1:
        return Resolution("named", task_id=index.tasks[close[0]].task_id, query=query)
    fitting = [i for i in close if index.tasks[i].status in preferred]
    if len(fitting) == 1:
        return Resolution("named", task_id=index.tasks[fitting[0]].task_id, query=query)
    ids = tuple(index.tasks[i].task_id for i in close[:MAX_CANDIDATES])
    return Resolution("ambiguous", candidates=ids, query=query)


def resolve_unnamed(
    index: TaskIndex, intent: str, exclude: frozenset[int] = frozenset()
) -> Resolution:
    """No task named and no context: the one task the intent fits, else the choice, else none.
    Tasks in `exclude` ("the other one" is not the one just discussed) are never chosen."""

    def in_state(statuses: Iterable[str]) -> list[list[TaskRef]]:
        found = [index.by_status[s] for s in statuses if s in index.by_status]
        if not exclude:
            return found
        return [[t for t in g if index.by_id[t.task_id.lower()] not in exclude] for g in found]

    preferred = PREFERRED_STATUSES.get(intent)
    for statuses in (preferred, ACTIVE_STATUSES):
        if statuses is None:
            continue
        groups = in_state(statuses)
        if sum(map(len, groups)) == 1:
            return Resolution("only_active", task_id=next(t for g in groups for t in g).task_id)
    groups = in_state(ACTIVE_STATUSES)
    if sum(map(len, groups)) > 1:
        newest_first = heapq.merge(*groups, key=lambda t: -t.updated_at)
        return Resolution(
            "ambiguous", candidates=tuple(t.task_id for t in islice(newest_first, MAX_CANDIDATES))
        )
    return Resolution("none")


def by_step_word(
    index: TaskIndex, words: Sequence[str], resolution: Resolution, verbs: frozenset[str]
) -> Resolution:
    """ "if we retry backtest …", "don't skip dedupe": a word only one task's steps have, said
    exactly as the object of the request's verb (one of `verbs`), names that task (among the
    candidates, when the words fitted several); elsewhere ("approve my holiday request, it's in
    the hr portal") it may be another thing's."""
    # (a step's verb said as its noun or another inflection, "skip the diarization" of a
    # "diarize speakers" step, is that step's word)
    said = [
        step
        for k, w in enumerate(words)
        if (step := w if w in index.step_postings else _step_word(w, index)) is not None
        and w not in STOPWORDS
        and k > 0
        and (
            words[k - 1] in verbs
            or (k > 1 and words[k - 1] in DETERMINERS and words[k - 2] in verbs)
            # (an article of the language the step is said in: "überspring die Extraktion")
            or (
                k > 1
                and w not in index.step_postings
                and step_stem(w, index) is None
                and len(words[k - 1]) <= 3
                and words[k - 2] in verbs
            )
            # the verb said as its noun: "a retry of the dedupe", "another skip of enrich"
            or (k > 1 and words[k - 1] == "of" and words[k - 2] in verbs)
            or (
                k > 2
                and words[k - 1] in DETERMINERS
                and words[k - 2] == "of"
                and words[k - 3] in verbs
            )
        )
    ]
    tasks = {i for w in said for i in index.step_postings[w]}
    if resolution.kind == "ambiguous" and resolution.query is not None:
        # (a choice the words made; the choice of every task going, when no word named one,
        # leaves out the failed task a step is retried on)
        tasks &= {index.by_id[c.lower()] for c in resolution.candidates}
    if len(tasks) != 1:
        return resolution
    (i,) = tasks
    return Resolution("named", task_id=index.tasks[i].task_id, query=" ".join(said))


def _step_word(word: str, index: TaskIndex) -> str | None:
    """The step word `word` is an inflection of, or says in another language, if only one."""
    if (stem := step_stem(word, index)) is not None:
        return stem
    across = index.step_cognates(word)
    return across[0] if len(across) == 1 else None


def by_step_argument(
    index: TaskIndex, argument: str, intent: str, resolution: Resolution
) -> Resolution:
    """ "skip the transform step": a step said as "<name> step" (the request's argument) names
    the task that has it, when nothing else did, or when only a word of another task's steps
    did ("retry the parse step alone, or is a whole new draft better?" beside a "draft notes"
    step); a
    word of a task's own name, or the task in view, outranks it."""
    if resolution.kind == "context" or (
        resolution.kind == "named"
        and any(
            w in index.postings and w not in STOPWORDS for w in (resolution.query or "").split()
        )
    ):
        return resolution
    by_step = resolve_named(index, [*argument.split(), "step"], intent)
    return by_step if by_step is not None and by_step.kind == "named" else resolution


def persons_task(
    index: TaskIndex, words: Sequence[str], named: Resolution | None, exclude: frozenset[int]
) -> Resolution | None:
    """The one task of the people a message names ("tariq says …", "ask rosa"), among the
    candidates when the words fit several."""
    # ("cancel my 1:1 with bob": a meeting with him, not his task)
    people = [w for k, w in enumerate(words) if w in index.by_person and words[k - 1] != "with"]
    if not people:
        return None
    theirs = {i for w in people for i in index.by_person[w] if i not in exclude}
    if named is not None and named.kind == "ambiguous":
        theirs &= {index.by_id[c.lower()] for c in named.candidates}
    if len(theirs) != 1:
        return None
    (i,) = theirs
    return Resolution("named", task_id=index.tasks[i].task_id, query=" ".join(people))


def _credit_kinds(
    index: TaskIndex,
    kinds: Iterable[tuple[str, float]],
    best_for_task: dict[int, float],
    strong: set[int],
    hits: dict[int, set[str]],
    said: frozenset[str] | None = None,
) -> bool:
    """Credit every task of each kind word said, at its weight: as a word of its title, a
    strong one, with no word of the task's own among its hits; a kind's word before its head,
    said without it (`said`: the message's words), a little less. Whether any was credited."""
    credited = False
    for kind_word, weight in kinds:
        for i in index.kinds.get(kind_word, ()):
            head = index.kind_modifiers.get((kind_word, i))
            modifier = head is not None and said is not None and head not in said
            value = KIND_WEIGHT * weight * (0.7 if modifier else 1.0)
            if value > best_for_task.get(i, 0.0):
                best_for_task[i] = value
            strong.add(i)
            hits.setdefault(i, set())
            credited = True
    return credited
