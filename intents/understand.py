"""The single entry point of understanding: chat text → `Understanding`.

The pipeline, each stage its own module:
1. `normalise`: mentions, /commands, emoji, abbreviations, repeated letters, intent-word typos;
2. `speech_act`: command, wish, question, hypothetical, negation (with its scope), correction,
   report, statement;
3. intent: the rules of `rules.RULES` are the backbone (run on the positive part of a negation
   when there is one); the trained `classifier` is the second opinion: it sets the confidence
   and the alternatives, decides alone when no rule speaks and it is sure, and overrules a rule
   when it is very sure, never to act at once (`arbitration`); the intent's free-text argument
   is read by `arguments`;
4. task reference (`resolve`): id, title, short name, typo, owner, kind, step name, contrast
   ("not the crm, the dental one"), "the other one", the chat's last task, the one task that fits;
5. context: the chat's last task, intent and candidates are remembered for follow-ups.

`Understander.understand` never raises: anything unreadable is "unknown". What it returns, an
`Understanding`, is defined in `understanding`.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Callable, Sequence

from intents import pointing
from intents.arbitration import (
    CLASSIFIER_ALONE,
    CLASSIFIER_ALONE_CAP,
    decides_alone,
    overrules,
    rule_confidence,
)
from intents.arguments import STEP_INTENTS, STEP_WORDS, intent_argument
from intents.asked_action import IF_PART, action_asked_about, base_forms, first_alternative
from intents.catalog import spec
from intents.classifier import IntentClassifier
from intents.clauses import refused_action, requested_intent, said_after_follow_up, told_instead
from intents.context import ConversationContext
from intents.follow_ups import GO_AHEAD, reply_to_proposal
from intents.normalise import Normalised, normalise
from intents.other_things import name_as_modifier
from intents.pointing import (
    POSSESSIVES,
    by_state,
    prefer_mine,
    refers_by_pronoun,
    several_named,
)
from intents.request_scope import (
    PER_TASK_SETTINGS,
    another_than,
    in_asking_clause,
    in_request,
    named_plainly,
    object_of_request,
    setting_scope,
    unsure_scope,
)
from intents.resolve import (
    DETERMINERS,
    Resolution,
    TaskIndex,
    by_step_argument,
    by_step_word,
    persons_task,
    resolve_named,
    resolve_unnamed,
)
from intents.rules import rule_intent, rule_words
from intents.said_again import READINGS_KEPT, SaidAgain
from intents.sign_off import by_sign_off_step
from intents.speech_act import (
    ACTING,
    ACTION_VERBS,
    SpeechAct,
    befell_action,
    classify_act,
    correction_rest,
    discusses_a_quote,
    leaves_alone,
    negated_action_words,
    reports_a_request,
    wanted_done,
)
from intents.task_state import by_task_state
from intents.text import STOPWORDS, extract_step, greets_only, is_number_word
from intents.trained import default_classifier
from intents.types import STATE_CHANGING, TaskRef
from intents.understanding import Understanding, unknown_understanding

__all__ = ["Understander"]

logger = logging.getLogger(__name__)

FOLLOW_UP_CONFIDENCE = 0.85
BARE_TASK_CONFIDENCE = 0.5
# What a guess at a message of mostly unknown words is worth, against one at familiar words.
UNFAMILIAR_GUESS = 0.5
BARE_TASK_MAX_WORDS = 4

_ALL_TASKS = re.compile(
    r"\ball (?:of )?(?:my |the |our |your )?(?:tasks|jobs|them)\b|\beverything\b|\bevery task\b"
)
_FOLLOW_UP = re.compile(
    r"^(?:ok |okay |and |so |now )*(?:and|what about|how about|(?:the )?same (?:for|with|thing for"
    r"|again for)|also|and for|ditto for|likewise for|then)\b"
    # "now the k8s upgrade": the same question, about the next task
    r"|^(?:and |ok |okay )?now (?:for )?the (?:\w+ ){0,3}\w+$"
    r"|^(?:and |ok |okay )?(?:that one|this one|(?:the )?(?:\w+ ){0,2}\w+)(?: one)?"
    r" (?:too|as well|also)$"
    r"|^(?:please |pls |ok |okay |now |and )*(?:do|same) (?:that|this|it|the same)(?: thing)?"
    r" (?:for|to|with|on)\b"
)
_OTHER = re.compile(r"\bthe other(?: one| task| job)?\b|\bthe other$|\bthe rest\b")
# "stop that one as well", "and why did that one fail too?": another task than the one in view, when
# the same thing was just asked of it
_THAT_ONE_TOO = re.compile(
    r"\b(?:that|this) one (?:\w+ ){0,3}?(?:too|as well|also)\b"
    r"|^(?:and|also)\b.*\b(?:that|this) one\b"
)
_NOT_THAT_ONE = re.compile(r"\bnot (?:that|this|the same) one\b|\bwrong one\b")
_CONTRAST = re.compile(r"\bnot (?:the |that |this |my |bobs |our )?((?:\w+ ){0,3}?\w+)(?= the\b|$)")
# "keep the import going, pause the newsletter", "don't touch the etl": a task left as it is
_LEFT_ALONE = re.compile(
    r"\b(?:keep|leave|let) (?:the |that |this |my |our )?((?:\w+ ){0,3}?\w+) (?:going|running"
    r"|alone|be|on|as is|untouched|in peace)\b"
    r"|\b(?:dont|do not|never) touch (?:the |that |this |my |our )?((?:\w+ ){0,3}?\w+)\b"
)
# "what does skip do", "how does retry work": about the action in general, no task.
_GENERIC_QUESTION = re.compile(
    r"^(?:so |and |ok )?(?:what does \w+(?: \w+)? (?:actually |exactly |really )?do"
    r"|how does \w+ work|is \w+ (?:permanent|reversible|undoable|safe)"
    # "will skipping a step drop its results?": how an action works on any step or task
    r"|(?:does|do|will|would) (?:a |an )?\w+ (?:a|an|any) (?:step|task|job|run))\b"
    r"(?! (?:to|on|for|with) )"
)


class Understander:
    """Reads chat messages into `Understanding`s over the tasks it is given.

    Task indexes are cached per task list, by content (the frozen items compare and hash by
    value), so a caller that rebuilds the same `TaskRef`s for every message reuses the index until
    a task changes. The classifier is the process-wide one unless one is passed.
    """

    def __init__(
        self,
        *,
        context: ConversationContext | None = None,
        classifier: IntentClassifier | None = None,
        index_cache_size: int = 8,
        readings_kept: int = READINGS_KEPT,
    ) -> None:
        self.context = context if context is not None else ConversationContext()
        self._classifier = classifier
        self._index_cache_size = max(1, index_cache_size)
        self._indexes: OrderedDict[tuple[TaskRef, ...], TaskIndex] = OrderedDict()
        # The same index by the identities of the items: the cheap first look (hashing 100 ids
        # costs a fraction of hashing 100 TaskRefs). Safe from reused ids: every index keeps its
        # items alive, and an entry leaves with its index.
        self._by_identity: dict[tuple[int, ...], TaskIndex] = {}
        self._said_again = SaidAgain(readings_kept)

    @property
    def classifier(self) -> IntentClassifier:
        if self._classifier is None:
            self._classifier = default_classifier()
        return self._classifier

    def index(self, tasks: Sequence[TaskRef]) -> TaskIndex:
        """The (cached) index of `tasks`."""
        identity = tuple(map(id, tasks))
        index = self._by_identity.get(identity)
        if index is not None:
            return index
        key = tuple(tasks)
        index = self._indexes.get(key)
        if index is None:
            index = TaskIndex(tasks)
            self._indexes[key] = index
            while len(self._indexes) > self._index_cache_size:
                _, gone = self._indexes.popitem(last=False)
                self._by_identity = {k: v for k, v in self._by_identity.items() if v is not gone}
        else:
            self._indexes.move_to_end(key)
        if len(self._by_identity) >= 4 * self._index_cache_size:
            self._by_identity.clear()  # lists equal to a cached one but of other objects
        self._by_identity[identity] = index
        return index

    def understand(
        self,
        text: str,
        tasks: Sequence[TaskRef],
        *,
        chat_key: str | None = None,
        now: float | None = None,
        person: str | None = None,
    ) -> Understanding:
        """What `text` means; never raises (anything unreadable is "unknown"). A message said
        again in the same circumstances reads as it did (`intents.said_again`)."""
        text = text if isinstance(text, str) else ""
        try:
            index = self.index(tasks)
            state = self.context.state(chat_key, now) if chat_key is not None else None
            circumstances = SaidAgain.circumstances(text, index, person, state)
            known = self._said_again.get(circumstances, index)
            if known is not None:
                reading, made = known
                if chat_key is not None:
                    self.context.replay(chat_key, made, now)
                return reading
            with self.context.journaled() as writes:
                reading = self._understand(text, index, chat_key, now, person)
            self._said_again.put(circumstances, index, reading, writes)
            return reading
        except Exception:  # a chat message must never take the handler down
            logger.exception("understanding failed; answering unknown")
            return unknown_understanding(text)

    # ------------------------------------------------------------------ stages

    def _understand(
        self,
        text: str,
        index: TaskIndex,
        chat_key: str | None,
        now: float | None,
        person: str | None = None,
    ) -> Understanding:
        norm = normalise(
            index.ids_as_words(text),
            # (a task's owner is a name, no typo: "thanh" is no "thank")
            lambda w: (
                index.knows(w) or w in index.people or w in index.owners or bool(index.fuzzy(w))
            ),
            index.knows,
        )
        if norm.unknown_command:
            return unknown_understanding(text, norm.normalised, "command")
        normalized = norm.normalised
        act = classify_act(norm)
        if act.act in ACTING and _said_by_someone(norm.body, index):
            act = SpeechAct("report")  # "olu: pause the compaction": olu's words, not ours
        context_intent = self.context.recall_intent(chat_key, now) if chat_key is not None else None
        ranked = self.classifier.probabilities(normalized) if normalized else []
        name, confidence, negated, by_rule = self._intent(norm, act, index, context_intent, ranked)
        if name == "unknown" and not ranked:
            return unknown_understanding(text, normalized, act.act)
        # "my loan got approved", "my parcel got cancelled": something that happened to a thing
        # of the speaker's (no task) is told, with the action's own name (see below)
        befell = befell_action(normalized)
        if act.act == "report" and (wanted := wanted_done(normalized)) is not None:
            # "my boss wants the rollup paused": that action, told (never done)
            name, confidence = wanted, max(confidence, 0.8)
        if (
            act.act == "report"
            and not discusses_a_quote(norm, name)
            # "bob said to cancel it": the action someone asked for, not the task's history
            and not (name in STATE_CHANGING and (reports_a_request(normalized) or wanted))
            and (
                name in STATE_CHANGING
                or name == "unknown"
                or (name in _NOT_A_REPORTS_TOPIC and _PAST_ACTION.search(normalized))
                # "i approved it already in the other channel": a guess, no rule, on a past action
                or (not by_rule and _PAST_ACTION.search(normalized))
            )
        ):
            name, confidence, negated = "history", max(confidence, 0.8), False
        words = list(norm.words)
        if name == "unknown" and _mostly_unfamiliar(words, index):
            # "florp the zibble quarks": the classifier's guesses at words the bot does not know
            # are no likely meanings (the policy gives the short help, not "Did you mean …?")
            ranked = [(intent, p * UNFAMILIAR_GUESS) for intent, p in ranked]
        alternatives = _alternatives(name, confidence, ranked)
        step = extract_step(normalized)
        argument, task_words = intent_argument(name, norm, normalized, words, index)
        # (a rule's words are a request's though the classifier overruled the rule: "can anyone
        # greenlight the go-live step" names no "greenlight")
        # (the masked reading is the one `_intent` asked, so it is cached: a rule is costly)
        ruled = name if by_rule else rule_intent(" ".join(index.mask_names(normalized.split())))
        if ruled is not None and norm.command is None:
            spoken = rule_words(ruled, normalized)
            # set aside in place ("to" names nothing and joins no phrase), so the words around
            # them do not become neighbours; an article stays, it marks the name after it
            task_words = [
                w
                if w not in spoken or w in DETERMINERS or index.knows(w) or w in index.kinds
                else "to"
                for w in task_words
            ]
        if GO_AHEAD.match(normalized):
            task_words = []  # "ok, confirmed": a yes names no task; the one in view is meant
        act_name = _act_name(act, name)
        if not spec(name).needs_task:
            if chat_key is not None and name != "unknown":
                self.context.remember_intent(chat_key, name, now)
            # "route the tax filing pings to #finance": settings that may be about one task,
            # when its name is said outright; and a message we cannot read that names a task
            # plainly ("Mosaik abbrechen bitte") is still about that task; so is "is the ferry
            # thing waiting on me?", whose task is said outright
            outright = name in PER_TASK_SETTINGS or name == "waiting_on_me"
            about = (
                resolve_named(index, task_words, name)
                if outright
                # ("no wait, not the scraper" takes a task away; it names none)
                or (name == "unknown" and act.act not in ("correction", "negation"))
                else None
            )
            named = about if about is not None and about.kind == "named" else None
            if named is not None and not named_plainly(named, index, outright):
                confidence = unsure_scope(named, words, confidence) if outright else confidence
                named = None  # a near miss, or a setting's own word ("a weekly summary")
            if outright:  # named only in the story before the request, or refining a subscription
                remembered = self.context.recall(chat_key, now) if chat_key else None
                named = setting_scope(index, norm, name, named, context_intent, remembered)
            return Understanding(
                text=text,
                normalised=normalized,
                act=act_name,
                intent=name,
                confidence=confidence,
                alternatives=alternatives,
                negated=negated,
                step=step,
                argument=argument,
                by_rule=by_rule,
                slash_command=norm.command is not None,
                task_id=named.task_id if named is not None else None,
                task_query=named.query if named is not None else None,
                resolution=named.kind if named is not None else "none",
            )
        every = _ALL_TASKS.search(normalized) is not None
        named_first = resolve_named(index, task_words, name) if every else None
        if every and not (named_first is not None and named_first.kind == "named"):
            resolution = resolve_unnamed(index, "status")
            argument = "all"
        elif act.act == "question" and _GENERIC_QUESTION.search(normalized):
            resolution = Resolution("none")
        else:
            resolution = self._resolve(index, task_words, norm, name, chat_key, now, act.act)
            resolution = prefer_mine(index, resolution, norm.words, person)
            resolution = by_sign_off_step(index, norm.words, name, resolution)
            resolution = pointing.any_task(normalized, act.act, resolution)
            if name in STEP_INTENTS and argument:
                resolution = by_step_argument(index, argument, name, resolution)
            if resolution.kind != "not_found" and norm.clauses and norm.command is None:
                # "approve the crm and then give me the etl status", "pause it and tell me the
                # eta for the import": the task of the part that asks
                remembered = self.context.recall(chat_key, now) if chat_key else None
                resolution = in_request(index, norm, act.act, name, resolution, remembered)
            if name in STEP_WORDS and resolution.kind in ("ambiguous", "none", "not_found"):
                # "if we retry backtest …", "don't skip dedupe", "give the reconcile another
                # go": a word only one task's steps have, said exactly, names that task
                resolution = by_step_word(
                    index,
                    norm.words,
                    resolution,
                    rule_words(name, normalized) | _STEP_VERBS | STEP_WORDS[name],
                )
        if befell is not None and name == "history" and resolution.task_id is None:
            name, resolution = befell, Resolution("none")
            alternatives = _alternatives(name, confidence, ranked)
        if resolution.task_id is not None and norm.command is None:
            # "what happened to the dashboard?" of a failed task asks why; "❌ orders pipeline" of a
            # failed one cancels it (`intents.task_state`)
            task = index.tasks[index.by_id[resolution.task_id.lower()]]
            if (again := by_task_state(name, text, norm.words, act.act, task)) != name:
                name = again
                alternatives = _alternatives(name, confidence, ranked)
        if chat_key is not None:
            if resolution.task_id is not None:
                self.context.remember(chat_key, resolution.task_id, now)
            if resolution.candidates:
                self.context.remember_candidates(chat_key, resolution.candidates, now)
            if name != "unknown":
                self.context.remember_intent(chat_key, name, now)
        return Understanding(
            text=text,
            normalised=normalized,
            act=act_name,
            intent=name,
            confidence=confidence,
            alternatives=alternatives,
            negated=negated,
            task_id=resolution.task_id,
            task_query=resolution.query,
            candidates=resolution.candidates,
            resolution=resolution.kind,
            step=step,
            argument=argument,
            by_rule=by_rule,
            slash_command=norm.command is not None,
            names_step=step is not None or (argument is not None and name in STEP_INTENTS),
            named_in_part=(
                norm.command is None
                and resolution.kind == "named"
                and resolution.task_id is not None
                and (
                    index.named_in_part(resolution.task_id, resolution.query or "")
                    or name_as_modifier(
                        norm.clauses or (norm.words,), resolution.query or "", index, name
                    )
                )
            ),
        )

    def _intent(
        self,
        norm: Normalised,
        act: SpeechAct,
        index: TaskIndex,
        context_intent: str | None,
        ranked: list[tuple[str, float]],
    ) -> tuple[str, float, bool, bool]:
        """(intent, confidence, negated, decided by a rule or command)."""
        if norm.command is not None:
            return norm.command, 1.0, False, True
        normalized = norm.normalised
        negated = False
        name: str | None

        def rules(text: str) -> str | None:
            # A task named in full is the task, not its words: "how's the log rotation going"
            # asks for status, "pause the restart policy audit" is a pause.
            return rule_intent(" ".join(index.mask_names(text.split())))

        refused = refused_action(norm.clauses, act.act, context_intent, rules, STATE_CHANGING)
        if refused is not None:  # "don't, leave it running", "no wait, … don't resume"
            return refused, FOLLOW_UP_CONFIDENCE, True, True
        if act.act == "negation" and act.negated:
            positive = rules(" ".join(act.positive)) if act.positive else None
            if positive is not None and not _ASKS_OR_ORDERS.search(" ".join(act.positive)):
                # "don't pause the survey batch, marketing needs the summary today": a reason
                # given, though its words read as an intent, asks for nothing
                positive = None
            if positive is None and act.positive:
                positive = self._asked_instead(act.positive)
            if positive == "subscribe":
                # "no restart needed, only tell me when it ends": one answer, not updates
                positive = told_instead(" ".join(act.positive), rules) or positive
            if positive is not None:
                name = positive
            else:
                # ("don't approve it until rafael reruns the backtest" negates the approve)
                said = negated_action_words(" ".join(act.negated))
                name = rules(said) or rules(" ".join(act.negated)) or rules(normalized)
                negated = True
        elif act.act == "correction":
            rest = correction_rest(norm)  # "cancel that" corrects; it cancels nothing
            # ("never mind, keep it going" takes a request back and asks for nothing)
            name = None if leaves_alone(rest) else rules(rest)
        elif act.act == "hypothetical" and (asked := self._asked_before_condition(norm, rules)):
            # "could you estimate when it ends, assuming it is approved today": the question
            # comes first, the condition after it
            name = asked
        elif act.act == "hypothetical":
            # "what if we killed the etl", "imagine we restarted it, how long would it take":
            # the action imagined, said in the past tense, is what the message is about
            # ("if i cancel it, can i start it again later?" imagines a cancel: the first clause
            # that names an action says what is imagined)
            name = None
            # "if i pause it now will it resume by itself?": the action after "if" is imagined,
            # within its clause ("wenn ich … pausiere, läuft … weiter?" imagines no resume)
            parts = [m.group(1) for c in norm.clauses for m in IF_PART.finditer(" ".join(c))]
            parts += [" ".join(c) for c in norm.clauses] if len(norm.clauses) > 1 else []
            for part in parts:
                imagined = rules(base_forms(part))
                if imagined in STATE_CHANGING:
                    name = imagined
                    break
            if name is None:
                name = rules(base_forms(normalized))
        elif act.act == "question" and (asked := action_asked_about(normalized, rules)):
            # "does resume pick up where it left off?", "does rejecting restart it?": the
            # action named first is the one asked about, whatever it is said to do
            name = asked
        else:
            name = rules(normalized)
            if act.act in ("question", "suggestion") and name in STATE_CHANGING:
                # "rerun the whole thing or only retry the failed step?", "approve? reject?": of two
                # actions offered, the one named first is what is asked about
                name = first_alternative(normalized, norm.clauses, rules) or name
        # (so too beside a verdict of its own words: "cancel the deploy, safety says no go")
        lexical = act.act == "negation" and act.lexical_negative and not act.negated
        if (
            (act.act == "command" or lexical)
            and len(norm.clauses) > 1
            and _IMPERATIVE.match(normalized)
        ):
            # "skip the smoke tests please, the team will check it": the order said first is
            # the request, unless the reading of the whole is its own ("stop sending me
            # updates, just failures" refines it); a later clause that only explains does not
            # take it over
            first = rules(" ".join(norm.clauses[0]))
            later = rules(" ".join(w for clause in norm.clauses[1:] for w in clause))
            if first is not None and name != first and name == later:
                name = first
        if norm.clauses and norm.command is None:
            # the context before a request, a clause in front of it, a second request after it
            name = requested_intent(norm.clauses, act.act, name, rules)[0]
        if context_intent in STATE_CHANGING and (reply := reply_to_proposal(normalized)):
            # "yes, do it" after the bot proposed an action: that action ("nah, leave it alone":
            # that action refused)
            return context_intent, FOLLOW_UP_CONFIDENCE, reply == "refused", True
        probability = dict(ranked)
        top, top_p = ranked[0] if ranked else ("unknown", 0.0)
        if name is not None and overrules(name, top, top_p, act.act, negated=negated):
            return top, min(top_p, CLASSIFIER_ALONE_CAP), negated, False
        if name is not None:
            confidence = rule_confidence(name, top, probability, typo_fixed=norm.typo_fixed)
            return name, confidence, negated, True
        if _BARE_NEGATOR.match(normalized):
            return "unknown", 0.0, False, False  # "don't", "no": not a request of anything
        if act.act == "correction":
            # "wait no, not the etl" takes a task away; only a task named outright is a redo
            contrasted = {
                w
                for clause in norm.clauses
                for m in _CONTRAST.finditer(" ".join(clause))
                for w in m.group(1).split()
            }
            kept = [w for w in norm.words if w not in contrasted]
            names_task = self._names_task(norm, index, kept)
            if context_intent is not None and (names_task or _OTHER.search(normalized)):
                return context_intent, FOLLOW_UP_CONFIDENCE, False, True
            return "unknown", 0.0, False, False
        if _FOLLOW_UP.search(normalized) or _OTHER.search(normalized):
            if context_intent is not None:  # ("same for that one, failures only": a setting)
                asked = said_after_follow_up(norm.clauses, rules) or context_intent
                return asked, FOLLOW_UP_CONFIDENCE, negated, True
            if self._names_task(norm, index):  # "what about the etl?" out of the blue
                return "status", BARE_TASK_CONFIDENCE, False, False
        words = list(norm.words)
        unknown_words = [w for w in words if not _known_word(w, index)]
        if 0 < len(words) <= BARE_TASK_MAX_WORDS and not unknown_words:
            bare = resolve_named(index, words, "status")
            if bare is not None and bare.kind == "named":
                return "status", BARE_TASK_CONFIDENCE, False, False
        if greets_only(words, unknown_words):
            return "greeting", BARE_TASK_CONFIDENCE, False, False  # "dobre rano, hello"
        if decides_alone(top, top_p, words, unknown_words):
            return top, min(top_p, CLASSIFIER_ALONE_CAP), negated, False
        return "unknown", 0.0, False, False

    def _asked_instead(self, positive: Sequence[str]) -> str | None:
        """ "no need to pause it, just tell me where it is": what the positive part asks, when
        the classifier reads it surely as a question (never an action: that is what was
        negated)."""
        text = " ".join(positive)
        if not _ASKS.search(text):
            return None  # "don't resume it, the window isn't open": a reason, not a question
        ranked = self.classifier.probabilities(text)
        if not ranked:
            return None
        top, top_p = ranked[0]
        if top in STATE_CHANGING or top == "unknown" or top_p < CLASSIFIER_ALONE:
            return None
        return top

    @staticmethod
    def _asked_before_condition(norm: Normalised, rules: Callable[[str], str | None]) -> str | None:
        """A first clause that asks about a task (not an action) before a condition of its
        own: "how long will it take, assuming the approval comes today"."""
        if len(norm.clauses) < 2:
            return None
        first = " ".join(norm.clauses[0])
        if _CONDITION.search(first):
            return None
        asked = rules(first)
        return asked if asked is not None and asked not in STATE_CHANGING else None

    def _names_task(
        self, norm: Normalised, index: TaskIndex, words: Sequence[str] | None = None
    ) -> bool:
        found = resolve_named(index, list(norm.words if words is None else words), "status")
        return found is not None and found.kind in ("named", "ambiguous")

    def _resolve(
        self,
        index: TaskIndex,
        words: Sequence[str],
        norm: Normalised,
        intent: str,
        chat_key: str | None,
        now: float | None,
        act: str,
    ) -> Resolution:
        remembered = self.context.recall(chat_key, now) if chat_key is not None else None
        if remembered is not None and remembered.lower() not in index.by_id:
            remembered = None
        normalized = norm.normalised
        exclude: set[int] = set()
        excluded_words: set[str] = set()
        for clause in norm.clauses:
            joined = " ".join(clause)
            if _NOT_THAT_ONE.search(joined) and remembered is not None:
                exclude.add(index.by_id[remembered.lower()])
            for match in _CONTRAST.finditer(joined):
                if _ACTION_WORD.search(match.group(1)):
                    continue  # "not cancelling it": a negated action, not a contrast of tasks
                named = resolve_named(index, match.group(1).split(), intent)
                if named is not None and named.task_id is not None:
                    exclude.add(index.by_id[named.task_id.lower()])
                    excluded_words.update(match.group(1).split())
        kept = [w for w in words if w not in excluded_words]
        for match in _LEFT_ALONE.finditer(normalized):
            # "keep the import going, pause the newsletter": the task left as it is is not the
            # one asked about, when another is named ("leave the sync alone, just tell me when
            # it'll be done" asks about the sync)
            said = (match.group(1) or match.group(2)).split()
            left = resolve_named(index, said, intent)
            rest = [w for w in kept if w not in said]
            named_else = resolve_named(index, rest, intent, frozenset(exclude))
            if (
                left is not None
                and left.task_id is not None
                and named_else is not None
                and named_else.kind == "named"
                and named_else.task_id != left.task_id
            ):
                exclude.add(index.by_id[left.task_id.lower()])
                kept = rest
        if (
            remembered is not None
            and _THAT_ONE_TOO.search(normalized)
            and chat_key is not None
            and self.context.recall_intent(chat_key, now) == intent
        ):
            # "hold that one as well" just after a pause: not the one paused, the other like it;
            # a change to it is asked about, never assumed ("and why did that one fail too?" is
            # answered about the other)
            other = self._other(index, remembered, chat_key, now)
            if intent in STATE_CHANGING:
                if other is not None:
                    return Resolution("ambiguous", candidates=(other,))
                return another_than(index, intent, Resolution("context", task_id=remembered))
            if other is not None:
                return Resolution("context", task_id=other)
        if _OTHER.search(normalized) and remembered is not None:
            # "the other one: carol's app" names it; only a bare "the other one" is inferred
            said = resolve_named(index, kept, intent, frozenset({index.by_id[remembered.lower()]}))
            if said is not None and said.kind == "named":
                return said
            other = self._other(index, remembered, chat_key, now)
            if other is not None:
                return Resolution("context", task_id=other)
            exclude.add(index.by_id[remembered.lower()])  # "the other video one": not this one
        several = several_named(index, kept, intent)
        if several is not None:
            return several
        named = resolve_named(index, kept, intent, frozenset(exclude))
        if named is not None and named.kind == "named":
            verb = rule_words(intent, normalized)
            named = object_of_request(index, kept, norm.words, verb, named, intent, exclude)
        if named is None or named.kind not in ("named", "one_of_several"):
            in_state = by_state(index, normalized, exclude)
            if in_state is not None:
                return in_state  # "the failed one", "the one waiting for approval"
        if named is not None and len(norm.clauses) > 1:
            named = in_asking_clause(index, norm, kept, intent, named)
        if remembered is None and (
            named is None
            or named.kind == "ambiguous"
            or (
                named.kind == "not_found"
                and (refers_by_pronoun(norm.words) or POSSESSIVES.intersection(words))
            )
            or pointing.only_a_person(index, named, intent)
        ):
            # "tariq says you can unpause his job now", "aisha wrote 'approve whenever'": the
            # task of the one person named, when the words name no task at all or several
            # ("reject the expense claim from jon" names another thing: not jon's task)
            theirs = persons_task(index, norm.words, named, frozenset(exclude))
            if theirs is not None:
                return theirs
        if named is not None and named.kind == "ambiguous" and remembered in named.candidates:
            return Resolution("context", task_id=remembered)  # "the wind data", of the one in view
        if named is not None and not (
            named.kind == "not_found"
            and (
                refers_by_pronoun(norm.words, named.query)
                or pointing.context_meant(act, intent, remembered)
                or (
                    remembered is not None
                    and pointing.bare_request(index, norm.clauses, intent, rule_intent)
                )
            )
        ):
            return named
        # nothing named, or only words that name nothing next to "it": the task in view
        if remembered is not None and index.by_id[remembered.lower()] not in exclude:
            return Resolution("context", task_id=remembered)
        return resolve_unnamed(index, intent, frozenset(exclude))

    def _other(
        self, index: TaskIndex, remembered: str, chat_key: str | None, now: float | None
    ) -> str | None:
        """ "the other one": the other candidate of the last ambiguity, else the one other task
        in the same state as the task last discussed."""
        if chat_key is not None:
            others = [c for c in self.context.recall_candidates(chat_key, now) if c != remembered]
            if len(others) == 1:
                return others[0]
        last = index.tasks[index.by_id[remembered.lower()]]
        same = [t.task_id for t in index.by_status.get(last.status, []) if t.task_id != remembered]
        return same[0] if len(same) == 1 else None


# "i paused the build on my laptop": a report of an action is about what happened, whatever
# else its words touch (a browser, the output).
_NOT_A_REPORTS_TOPIC = frozenset({"open_link", "logs", "list_tasks", "eta"})
_PAST_ACTION = re.compile(
    r"\b(?:paused|resumed|cancelled|canceled|stopped|killed|aborted|restarted|reran|skipped"
    r"|approved|rejected|muted|unmuted|retried)\b"
)


_SPEAKER = re.compile(r"^\s*([A-Za-z]+)\s*:\s*\S")


def _said_by_someone(body: str, index: TaskIndex) -> bool:
    """ "olu: pause the compaction": a person's name before a colon gives their words (a task's
    name before one, "crm: rejected", is what the words are about)."""
    match = _SPEAKER.match(body)
    if match is None:
        return False
    name = match.group(1).lower()
    return name in index.people and name not in index.postings and name not in index.by_id


# Words that ask for something: the positive part of a negation that has one asks instead.
_ASKS = re.compile(
    r"\b(?:tell|show|give|send|know|see|understand|check|where|wheres|what|whats|how"
    r"|hows|when|whens|why)\b"
    # the speaker's own want ("just need the eta"), not someone else's given as a reason ("the
    # clinicians need results by friday")
    r"|(?:^|\b(?:i|we|id|wed|just|only|really|but|all|still))\s(?:want|need)\b"
)
# ... or orders it: "don't pause it, mute it instead", "no, just skip the step".
_ASKS_OR_ORDERS = re.compile(
    rf"{_ASKS.pattern}|^(?:(?:just|only|but|instead|rather|please|pls|and|so|then|simply|maybe"
    rf"|no|ok|okay)\s)*{ACTION_VERBS}\b|\b(?:instead|rather|who|whos|whose|which)\b"
)
# An order said first: "skip the smoke tests please, the team will check it".
# The verbs a step is the object of ("retry dedupe", "give dedupe one more try").
_STEP_VERBS = frozenset({"retry", "rerun", "redo", "repeat", "skip", "bypass", "give", "try"})
_IMPERATIVE = re.compile(rf"^(?:(?:please|pls|kindly|ok|okay|so)\s)*{ACTION_VERBS}\b")
_CONDITION = re.compile(
    r"\b(?:if|assuming|provided|suppose|supposing|imagine|unless|in case|once|what if)\b"
)
_BARE_NEGATOR = re.compile(r"^(?:no+|nope|nah|dont|do not|never|not|no way|stop it please)$")
_ACTION_WORD = re.compile(rf"\b{ACTION_VERBS}\b")


def _mostly_unfamiliar(words: Sequence[str], index: TaskIndex) -> bool:
    """More than half of the words are neither common words nor words of the tasks."""
    unfamiliar = sum(1 for w in words if not _known_word(w, index))
    return unfamiliar * 2 > len(words)


def _known_word(word: str, index: TaskIndex) -> bool:
    return (
        word in STOPWORDS
        or is_number_word(word)
        or index.knows(word)
        or word in index.kinds
        or bool(index.fuzzy(word))
    )


def _act_name(act: SpeechAct, intent: str) -> str:
    if act.act in ("command", "suggestion") and intent in ("greeting", "thanks", "unknown"):
        return "statement"
    return act.act


def _alternatives(
    name: str, confidence: float, ranked: list[tuple[str, float]]
) -> tuple[tuple[str, float], ...]:
    out: list[tuple[str, float]] = [(name, round(confidence, 4))]
    for other, p in ranked:
        if other != name and len(out) < 3:
            out.append((other, round(min(p, confidence if name != "unknown" else 1.0), 4)))
    return tuple(out)
