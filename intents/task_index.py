"""The task index: every name a task can be called by, built once per task list.

It owns the words of titles, short names, owners, kinds and step names, with their IDF weights,
and the fuzzy lookup of a near word among them. `TaskIndex` is built once per task list (the
matcher caches it) so a lookup costs a few dict hits plus one bounded fuzzy search over the
distinct task words, not a fuzzy score per task. How those words settle which task a message
means is `intents.resolve`'s.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import pairwise

from rapidfuzz import process
from rapidfuzz.distance import OSA

from intents.cognates import cognate_key, compound_keys
from intents.normalise import squeeze_repeats
from intents.text import PLAIN_STOPWORDS, STOPWORDS, tokenize
from intents.translations import translations
from intents.types import TaskRef

__all__ = [
    "GENERIC_TASK_WORDS",
    "SHORT_NEAR_WORD",
    "TaskIndex",
    "light_stem",
    "step_stem",
    "words_of_name",
]

# Words that mean "a task" and nothing more: "bob's job", "the thing".
GENERIC_TASK_WORDS = frozenset({"job", "jobs", "run", "task", "thing", "one", "process", "work"})
FUZZY_LIMIT = 4
# Up to this length a word one letter from a word of a task's name or step is as often a word of
# its own as a typo ("ski" of "Sky", "full" of "fill level").
SHORT_NEAR_WORD = 4
# The particles of phrasal verbs ("back up", "sign off", "roll out", "clean up").
_PARTICLES = frozenset(
    {"up", "down", "out", "off", "on", "in", "over", "back", "away", "through", "along", "about"}
)
# What a task id may hold besides letters and digits (`store.tracker.TASK_ID_RE`): a message's
# words split an id there ("crm-6938a9" reads as "crm" and "6938a9").
_ID_SEPARATOR = re.compile(r"[._-]")
# A word as an id is written in a message, separators and all (never ending in one: a full stop
# after the id ends the sentence).
_ID_AS_WRITTEN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?")


@lru_cache(maxsize=16384)
def words_of_name(name: str) -> tuple[str, ...]:
    """The words of a task's title, short name, kind or step name. Cached: a task's names rarely
    change, while its index is rebuilt whenever any visible task moves."""
    return tuple(tokenize(name))


def _by_cognate_key(words: Iterable[str]) -> dict[str, list[str]]:
    """`words` grouped by the spelling their cognates share (`intents.cognates.cognate_key`)."""
    keyed: dict[str, list[str]] = {}
    for word in words:
        keyed.setdefault(cognate_key(word), []).append(word)
    return keyed


def _acts(key: str) -> tuple[str, ...]:
    """A cognate key and, when it is the noun of an act, the verb's ("reprojection" of
    "reproject", "normalisation" of "normalise")."""
    if not key.endswith("ion"):
        return (key,)
    verb = key[:-3]
    return (key, verb, verb + "e", key[:-5]) if key.endswith("ation") else (key, verb, verb + "e")


def _step_parts(spoken: tuple[str, ...], stems: tuple[str, ...]) -> list[tuple[str, ...]]:
    """A step name's shorter or turned forms (`TaskIndex.step_part_phrases`): the words after
    its verb when they begin with a word of their own and are not all asking words ("power
    curve", but no "to bucket"), and a name of two words turned."""
    parts: list[tuple[str, ...]] = []
    if (
        len(stems) >= 3
        and spoken[1].isalpha()
        and spoken[1] not in PLAIN_STOPWORDS
        and any(w not in STOPWORDS for w in spoken[1:])
    ):
        parts.append(stems[1:])
    if len(stems) == 2 and all(w not in STOPWORDS and w.isalpha() for w in spoken):
        parts.append((stems[1], stems[0]))
    return parts


def _max_edits(word: str) -> int:
    return 1 if len(word) < 8 else 2


class TaskIndex:
    """Normalised task names: exact ids, a word → tasks index with IDF weights, fuzzy choices."""

    def __init__(self, tasks: Sequence[TaskRef]) -> None:
        self.tasks: tuple[TaskRef, ...] = tuple(tasks)
        # step_stem's answers for this index's steps, by word; fuzzy's, by word and choices
        # (the choices are lists this index owns, so their ids stay theirs)
        self.step_stems: dict[str, str | None] = {}
        self.near_words: dict[tuple[str, int, int | None], tuple[tuple[str, float], ...]] = {}
        self.by_id: dict[str, int] = {}
        self.postings: dict[str, list[int]] = {}
        self.name_words: list[frozenset[str]] = []
        self.short_words: list[frozenset[str]] = []
        # two words of a title or short name in their order ("mailing list" of "Mailing List
        # Cleanup"): said together they name the task, though each is also an asking word
        self.name_pairs: list[frozenset[tuple[str, str]]] = []
        for i, task in enumerate(self.tasks):
            self.by_id.setdefault(task.task_id.lower(), i)
            title = frozenset(words_of_name(task.title))
            short = frozenset(words_of_name(task.short_name)) if task.short_name else frozenset()
            self.name_words.append(title | short)
            self.short_words.append(short)
            self.name_pairs.append(
                frozenset(pairwise(words_of_name(task.title)))
                | frozenset(pairwise(words_of_name(task.short_name or "")))
            )
            for word in title | short:
                self.postings.setdefault(word, []).append(i)
        n = max(len(self.tasks), 1)
        # Owners ("bob", "bobs" as in "bob's job"), kinds ("training"), step-name words.
        self.owners: dict[str, list[int]] = {}
        # Owners' names as said ("dana paused it"): a person, never a typo of a title's word
        self.people: frozenset[str] = frozenset(
            form for task in self.tasks if task.owner for form in _owner_forms(task.owner)[:1]
        )
        # "the transcode of lena": an owner's name after "of" or "by" names that person's tasks
        self.by_person: dict[str, list[int]] = {}
        self.kinds: dict[str, list[int]] = {}
        # A kind's words before its head noun, with their task, to that head ("data" of a "data
        # import"): said without it they describe as often as they name ("the wind data" of a
        # simulation's step)
        self.kind_modifiers: dict[tuple[str, int], str] = {}
        self.step_postings: dict[str, list[int]] = {}
        for i, task in enumerate(self.tasks):
            if task.owner:  # only the possessive names a task: "bob's job", not "bob cancelled it"
                for form in _owner_forms(task.owner)[1:]:
                    self.owners.setdefault(form, []).append(i)
                self.by_person.setdefault(_owner_forms(task.owner)[0], []).append(i)
            if task.kind:
                kind_words = [w for w in words_of_name(task.kind) if w not in GENERIC_TASK_WORDS]
                # (every task is a job: "batch job" is told by "batch")
                for word in kind_words:
                    for form in (word, word + "s"):
                        self.kinds.setdefault(form, []).append(i)
                        if word != kind_words[-1]:
                            self.kind_modifiers[form, i] = kind_words[-1]
            for step in task.steps:
                for word in words_of_name(step):
                    # two letters count too: "db", "ui", "qa" name a step as well as "snapshot"
                    if word not in STOPWORDS and (len(word) >= 3 or word.isalpha()):
                        postings = self.step_postings.setdefault(word, [])
                        if i not in postings:
                            postings.append(i)
        self.step_choices: list[str] = [w for w in self.step_postings if w.isalpha()]
        # A step word's other forms ("sheet" of an "export driver sheets" step beside an "import
        # notes sheet" one): said in any, it names every task whose step has one of them.
        self.step_forms: dict[str, list[str]] = {}
        # A step word clipped as people clip it ("eval" of "evaluate", "recon" of "reconcile"):
        # four letters or more, two fewer than the word at least.
        self.step_clippings: dict[str, list[str]] = {}
        for word in self.step_choices:
            self.step_forms.setdefault(light_stem(word), []).append(word)
            for end in range(4, len(word) - 1):
                clipped = self.step_clippings.setdefault(word[:end], [])
                if word not in clipped:
                    clipped.append(word)
        # How surely a title word names a task: a word that is also other tasks' kind ("the genome
        # pipeline" beside an "Orders Pipeline" and a pipeline kind) says less than one that is not.
        self.idf: dict[str, float] = {
            word: math.log(1.0 + n / len(set(ids).union(self.kinds.get(word, ()))))
            for word, ids in self.postings.items()
        }
        # Step names of two words or more by their first word's stem, asking words included:
        # said in full ("approve close", "the one that builds the invoices") they name the task.
        self.step_phrases: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        # A step's name said as people shorten or turn it, by the first word's stem: its object
        # without its verb ("the hydraulic model" of "run hydraulic model", "the gravity sensor"
        # of "read gravity sensors"), and a verb and its object turned into a noun phrase ("the
        # discharge forecast" of "forecast discharges"); said so, they name the task as the step
        # said in full does.
        self.step_part_phrases: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        phrase_words: set[str] = set()
        tasks_with_stem: dict[str, set[int]] = {}
        # each task's steps, and its title and short name, as sets of stems: an approval names its
        # task by a step or a name said whole, in any inflection (`resolve`), and that is asked
        # of every task waiting for approval on every approval message
        self.step_stem_sets: list[tuple[frozenset[str], ...]] = []
        self.name_stem_sets: list[tuple[frozenset[str], ...]] = [
            tuple(frozenset(map(light_stem, names)) for names in (title, short) if names)
            for title, short in zip(self.name_words, self.short_words, strict=True)
        ]
        for i, task in enumerate(self.tasks):
            step_sets: list[frozenset[str]] = []
            for step in task.steps:
                spoken = words_of_name(step)
                stems = tuple(light_stem(w) for w in spoken)
                if stems:
                    step_sets.append(frozenset(stems))
                for stem in stems:
                    tasks_with_stem.setdefault(stem, set()).add(i)
                if len(stems) >= 2 and (stems, i) not in self.step_phrases.get(stems[0], ()):
                    self.step_phrases.setdefault(stems[0], []).append((stems, i))
                    phrase_words.update(spoken)
                for part in _step_parts(spoken, stems):
                    if (part, i) not in self.step_part_phrases.get(part[0], ()):
                        self.step_part_phrases.setdefault(part[0], []).append((part, i))
            self.step_stem_sets.append(tuple(step_sets))
        # known words, though an asking word too: "check" of a "sanity check" step
        self.step_phrase_words: frozenset[str] = frozenset(phrase_words)
        # How surely a step word names its task: "invoices" (two tasks' steps) more than "build".
        self.step_idf: dict[str, float] = {
            stem: math.log(1.0 + n / len(ids)) for stem, ids in tasks_with_stem.items()
        }
        # The last word of a name of two words or more, its head noun ("close" of "Nightly
        # Billing Close"): after "the" it names the task, even when it is also an asking word.
        self.heads: frozenset[str] = frozenset(
            words[-1]
            for task in self.tasks
            for words in (words_of_name(task.title), words_of_name(task.short_name or ""))
            if len(words) >= 2 and words[-1] not in GENERIC_TASK_WORDS
        )
        # Title words by a light stem: "invoicing" and "invoices", "syncing" and "sync".
        self.stems: dict[str, list[str]] = {}
        for word in self.postings:
            if word.isalpha() and len(word) >= 4 and word not in STOPWORDS:
                self.stems.setdefault(light_stem(word), []).append(word)
        # Title words that may open a compound of another language ("Variantenanalyse" of a
        # "Variant Calling" run, "Mosaikexport"), by their first letters.
        self.compound_heads: dict[str, list[str]] = {}
        for forms in self.stems.values():
            for form in forms:
                if len(form) >= _COMPOUND_HEAD:
                    self.compound_heads.setdefault(form[:_COMPOUND_HEAD], []).append(form)
        self.kind_choices: list[str] = [w for w in self.kinds if w.isalpha() and len(w) >= 4]
        # Kind words by their cognates' spelling: "la simulación" of a simulation
        self.kind_keys = _by_cognate_key(
            w for w in self.kind_choices if len(w) >= _COGNATE_LENGTH and not w.endswith("s")
        )
        # Title words by their cognates' spelling (`intents.cognates`), made on first use: most
        # messages never need them.
        self._cognates: dict[str, list[str]] | None = None
        self._step_keys: dict[str, list[str]] | None = None
        # Each task's kind as pairs of words in order, when it has two or more ("data pipeline"):
        # said whole, the kind names its task surer than one of its words in another's title.
        self.kind_pairs: list[frozenset[tuple[str, str]]] = [
            frozenset(pairwise(words_of_name(task.kind or ""))) for task in self.tasks
        ]
        self.by_status: dict[str, list[TaskRef]] = {}
        for task in sorted(self.tasks, key=lambda t: t.updated_at, reverse=True):
            self.by_status.setdefault(task.status, []).append(task)
        # Fuzzy matching only ever looks at real words; ids and numbers must match exactly.
        self.fuzzy_choices: list[str] = [
            w for w in self.postings if len(w) >= 3 and w.isalpha() and w not in STOPWORDS
        ]
        self.longest_word = max(map(len, self.fuzzy_choices), default=0)
        # Names of two words or more, by their first word, longest first: said in full, a name
        # is the task, whatever words it holds ("the log rotation", "the restart policy audit").
        phrases: dict[str, set[tuple[str, ...]]] = {}
        for task in self.tasks:
            for name in (task.title, task.short_name or ""):
                words = words_of_name(name)
                if len(words) >= 2:
                    phrases.setdefault(words[0], set()).add(words)
        self.name_phrases: dict[str, tuple[tuple[str, ...], ...]] = {
            first: tuple(sorted(found, key=len, reverse=True)) for first, found in phrases.items()
        }
        # Ids as a message's words have them, after every id as written, which wins over them:
        # drawn-out runs squeezed ("abcdeeef" reads as "abcdef"), and an id with separators,
        # said as written, read as one word, its letters and digits (`ids_as_words`), unless
        # another task's id is spelled so.
        self.ids_with_separators: dict[str, str] = {}
        for i, task in enumerate(self.tasks):
            task_id = task.task_id.lower()
            self.by_id.setdefault(squeeze_repeats(task_id), i)
            as_one = _ID_SEPARATOR.sub("", task_id)
            if as_one != task_id and self.by_id.setdefault(as_one, i) == i:
                self.ids_with_separators[task_id] = as_one
                self.by_id.setdefault(squeeze_repeats(as_one), i)
        # Two words of a name written as one: "finetune" for "Fine-tune", "docsite".
        self.joined: dict[str, tuple[str, str]] = {}
        for phrase_list in self.name_phrases.values():
            for phrase in phrase_list:
                for a, b in pairwise(phrase):
                    together = a + b
                    if (
                        a.isalpha()
                        and b.isalpha()
                        and together not in self.postings
                        and together not in self.by_id
                    ):
                        self.joined.setdefault(together, (a, b))
        # The name words two said words may make ("star fall" of "Starfall"), and their
        # beginnings: a said word that begins none needs no look at it joined to the next.
        self.joinable: frozenset[str] = frozenset(
            w for w in self.postings if len(w) >= 6 and w.isalpha() and w not in STOPWORDS
        )
        self.joinable_starts: frozenset[str] = frozenset(
            w[:end] for w in self.joinable for end in range(len(w) + 1)
        )
        # Each task's steps as (word, its light stem) pairs, cut on first need (`step_words`)
        self._step_words: dict[int, tuple[StepWords, ...]] = {}

    def as_named(self, words: Sequence[str]) -> list[str]:
        """`words` as the tasks' names have them: two words of a name written as one
        ("finetune" of "Fine-tune") said apart, and one word of a name written as two ("star
        fall" of "Starfall", "pay roll") said as one."""
        out: list[str] = []
        k = 0
        while k < len(words):
            word = words[k]
            if k + 1 < len(words) and word in self.joinable_starts:
                after = words[k + 1]
                together = word + after
                # (a name's own word, not a common one two common words make: "in to"; nor a
                # verb and its particle: "tell me once it's back up" is no "Backup", "roll out
                # the fix" no "Rollout")
                if together in self.joinable and after not in _PARTICLES:
                    out.append(together)
                    k += 2
                    continue
            out.extend(self.joined.get(word, (word,)))
            k += 1
        return out

    def step_words(self, i: int) -> tuple[StepWords, ...]:
        """Task `i`'s steps as (word, its light stem) pairs, all its words and its telling ones
        (not asking words): whether a message says a step is asked of every word of every step
        of the tasks its words touch, several times a message (`resolve`)."""
        found = self._step_words.get(i)
        if found is None:
            found = self._step_words[i] = tuple(map(_step_words, self.tasks[i].steps))
        return found

    def mask_names(self, words: Sequence[str], placeholder: str = "task") -> list[str]:
        """`words` with every task name said in full (two words or more) as `placeholder`."""
        out: list[str] = []
        i = 0
        while i < len(words):
            for phrase in self.name_phrases.get(words[i], ()):
                if tuple(words[i : i + len(phrase)]) == phrase:
                    out.append(placeholder)
                    i += len(phrase)
                    break
            else:
                out.append(words[i])
                i += 1
        return out

    def named_in_part(self, task_id: str, query: str) -> bool:
        """Whether `query` names the task by one word of its names that ends neither, or by a
        short word near one of them: "the podcast" of a "Podcast Transcription Batch" may be
        someone's podcast, "the ski one" no "Sky Survey"; "the batch", "the transcription batch"
        or "podcast transcripts" name it surely."""
        said = set(query.split())
        i = self.by_id.get(task_id.lower())
        if i is None:
            return False
        if said and all(
            w not in self.name_words[i]
            and (
                self.cognates(w)
                or self.kind_cognates(w)
                # (a step's word said in another language, not in an English inflection)
                or (self.step_cognates(w) and _step_stem(w, self) is None)
            )
            for w in said
        ):
            # a name said only in another language ("la calibración", "das Modell"): read
            # across languages, a guess that is asked about before anything is done
            return True
        if len(said) != 1:
            return False
        (word,) = said
        if word not in self.name_words[i] and len(word) <= SHORT_NEAR_WORD:
            # "mute the ski one" read as the "Sky Survey": a short word one letter from a name's
            # is as often a word of its own as a typo, so it is asked about first
            return any(OSA.distance(word, name, score_cutoff=1) == 1 for name in self.name_words[i])
        task = self.tasks[i]
        names = [words_of_name(task.title), words_of_name(task.short_name or "")]
        heads = {words[-1] for words in names if words}
        return (
            said <= self.name_words[i]
            and not said & heads
            and not any(set(words) <= said for words in names if words)
        )

    def ids_as_words(self, text: str) -> str:
        """`text` with each task id in it that has separators, written as it is ("status of
        crm-6938a9", any case), as the one word its letters and digits make, which `by_id`
        knows: a message's words would split it, and its parts name no task or several."""
        if not self.ids_with_separators:
            return text
        ids = self.ids_with_separators
        return _ID_AS_WRITTEN.sub(lambda m: ids.get(m.group().lower(), m.group()), text)

    def compound_head(self, word: str) -> str | None:
        """The title word a long unknown word opens with, a compound's first part (the rest at
        least a word's length): "variantenanalyse" → "variant"."""
        if len(word) < 2 * _COMPOUND_HEAD or not word.isalpha():
            return None
        for head in self.compound_heads.get(word[:_COMPOUND_HEAD], ()):
            if word.startswith(head) and len(word) - len(head) >= _COMPOUND_REST:
                return head
        return None

    def knows(self, word: str) -> bool:
        return (
            word in self.postings
            or word in self.by_id
            or word in self.owners
            or word in self.step_postings
            or word in self.step_phrase_words
            or word in self.joined
        )

    def cognates(self, word: str) -> list[str]:
        """The title words `word` is a cognate of in another language ("calibración",
        "Kalibrierung" of "Calibration"), or that a part of it is when it is a compound
        ("Spiegelkalibrierung", "Kalibrierungsjob"). Long words only: short ones meet by
        accident ("plane" and "plan"). A word the glossary of `intents.translations` translates
        ("Fahrplan" of a "Timetable", "la flota" of a "Fleet") is read the same way: the title
        words of its English words, a guess as a cognate is."""
        if english := translations(word):
            # (the title's word as written or by its light stem: "Invoices", "Forecasting")
            translated = [
                w for e in english for w in self.stems.get(light_stem(e), ()) if w != word
            ]
            translated += [e for e in english if e in self.postings and e not in translated]
            if translated:
                return translated
        if len(word) < _COGNATE_LENGTH or not word.isalpha():
            return []
        if self._cognates is None:
            self._cognates = _by_cognate_key(
                w for w in self.postings if len(w) >= _COGNATE_LENGTH - 1 and w.isalpha()
            )
        found = self._cognates.get(cognate_key(word))
        if found is not None:
            # a name's word of four letters only under a longer ending ("escaneo" of "Scan"):
            # one letter more is an English word of its own as often ("plane" of "Flight Plan")
            return [
                w
                for w in found
                if w != word and (len(w) >= _COGNATE_LENGTH or len(word) > len(w) + 1)
            ]
        # (a compound's part, a long word: "kilnstuff" is no "Kiln")
        return [
            w
            for key in compound_keys(word)
            for w in self._cognates.get(key, ())
            if len(w) >= _COGNATE_LENGTH
        ]

    def step_cognates(self, word: str) -> list[str]:
        """The step words `word` says in another language, as a cognate of the word or of the
        noun of its act ("reprojekcji" of a "reproject" step, "l'alignement" of "align
        subtitles", "Extraktion" or a compound ending in it of "part extraction"); long words
        only, and never a word of a title or a step said as it is."""
        if len(word) < _COGNATE_LENGTH + 1 or not word.isalpha() or not self.step_postings:
            return []
        # (a step's word the glossary translates: "granskning" of a "curator review" step,
        # "Umstellung" of a "prod cutover sign-off" one)
        if glossed := [
            form for e in translations(word) for form in self.step_forms.get(light_stem(e), ())
        ]:
            return glossed
        if self._step_keys is None:
            self._step_keys = _by_cognate_key(
                w for w in self.step_choices if len(w) >= _COGNATE_LENGTH
            )
        step_keys = self._step_keys
        # (the noun itself before its verb: "Extraktion" of an "extraction" step, beside an
        # "extract" one)
        found = next((step_keys[key] for key in _acts(cognate_key(word)) if key in step_keys), [])
        if not found:
            found = next(
                (
                    long
                    for part in compound_keys(word)
                    for key in _acts(part)
                    if (long := [w for w in step_keys.get(key, ()) if len(w) >= 7])
                ),
                [],
            )
        # (an English inflection is no other language: "the payment" of a "match payments"
        # step names nothing alone)
        stem = light_stem(word)
        return [w for w in found if light_stem(w) != stem]

    def kind_cognates(self, word: str) -> list[str]:
        """The kind words `word` says in another language, by the glossary ("trening",
        "entrenamiento" of a "training job") or as a cognate ("simulación" of a "simulation"),
        when it names no title word: a guess, as a title's word so read is."""
        if not self.kind_keys or len(word) < _COGNATE_LENGTH or not word.isalpha():
            return []
        found = [e for e in translations(word) if e in self.kinds]
        found += [k for k in self.kind_keys.get(cognate_key(word), ()) if k != word]
        return found

    def fuzzy(
        self, word: str, choices: list[str] | None = None, max_edits: int | None = None
    ) -> list[tuple[str, float]]:
        """Task words one or two edits from `word` (`max_edits` when given), weighted in (0, 1).
        Kept per word and list of choices (a message asks it of each word several times), up to
        a bound."""
        if not 3 <= len(word) <= self.longest_word + 2 or not word.isalpha():
            return []
        if max_edits == _max_edits(word):
            max_edits = None  # the same search as the default's, and kept as one
        key = (word, id(choices), max_edits)
        found = self.near_words.get(key)
        if found is None:
            if len(self.near_words) >= _NEAR_WORDS_KEPT:
                self.near_words.clear()
            found = self.near_words[key] = self._fuzzy(word, choices, max_edits)
        return list(found)

    def _fuzzy(
        self, word: str, choices: list[str] | None, max_edits: int | None
    ) -> tuple[tuple[str, float], ...]:
        found = process.extract(
            word,
            self.fuzzy_choices if choices is None else choices,
            scorer=OSA.distance,
            score_cutoff=_max_edits(word) if max_edits is None else max_edits,
            limit=FUZZY_LIMIT,
        )
        out: list[tuple[str, float]] = []
        for choice, distance, _ in found:
            if len(word) <= 4 and choice[0] != word[0]:
                continue  # "crn" may be "crm", but not "arn"
            out.append((choice, 1.0 - distance / max(len(word), len(choice))))
        return tuple(out)


# A step's words with their light stems: all of them, and the telling ones (not asking words).
StepWords = tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]


@lru_cache(maxsize=16384)
def _step_words(step: str) -> StepWords:
    spoken = tuple((w, light_stem(w)) for w in words_of_name(step))
    return spoken, tuple(pair for pair in spoken if pair[0] not in STOPWORDS)


@lru_cache(maxsize=65536)
def light_stem(word: str) -> str:
    """A crude stem, enough to meet "invoicing" and "invoices" halfway ("invoic"), and "copies"
    and "copy". Cached: every word of a message is stemmed several times over."""
    if word.endswith("ies") and len(word) >= 5:
        return word[:-3] + "y"
    # ("ics": "genomics" and "genome", "robotics" and "robot" meet too)
    for suffix in ("ics", "ing", "es", "ed", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def step_stem(word: str, index: TaskIndex) -> str | None:
    """The step word `word` is an inflection of ("builds", "building" → "build"), if any. Kept
    per task index (a message asks it of each of its words several times), up to a bound."""
    known = index.step_stems
    if word in known:
        return known[word]
    if len(known) >= _STEP_STEMS_KEPT:
        known.clear()
    found = known[word] = _step_stem(word, index)
    return found


_STEP_STEMS_KEPT = 20_000
# A word and a name's word of this length at least may be cognates.
_COGNATE_LENGTH = 5
# A compound's first part: a title word of at least five letters, and four more after it.
_COMPOUND_HEAD = 5
_COMPOUND_REST = 4
_NEAR_WORDS_KEPT = 20_000


def _step_stem(word: str, index: TaskIndex) -> str | None:
    if word in index.postings or word in index.step_postings:
        return None
    for suffix, endings in _STEP_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            # "tagging" of "tag metadata": a consonant doubled before the ending
            undoubled = (stem[:-1],) if len(stem) >= 4 and stem[-1] == stem[-2] else ()
            for candidate in (*(stem + e for e in endings), *undoubled):
                if candidate in index.step_postings:
                    return candidate
    return None


# Endings of a step's verb, and what its base form may end in instead: "builds", "building",
# and the noun of the act, "the scorm conversion" of "convert to scorm", "the hourly aggregation"
# of "aggregate hourly".
_STEP_SUFFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ation", ("ate", "e", "")),
    ("sion", ("t", "d")),
    ("ion", ("e", "")),
    ("ing", ("", "e")),
    ("es", ("", "e")),
    ("ed", ("", "e")),
    ("s", ("", "e")),
)


@lru_cache(maxsize=4096)
def _owner_forms(owner: str) -> tuple[str, ...]:
    words = tokenize(owner)
    if not words:
        return ()
    first = words[0]
    return (first, first + "s")
