"""Each stage of understanding alone, then the whole pipeline and the dialogue policy."""

from __future__ import annotations

import pytest

from bot.chat.policy import Decision, decide
from intents import (
    ConversationContext,
    TaskRef,
    Understander,
    Understanding,
    classify_act,
    default_classifier,
    normalise,
)
from intents.resolve import resolve_named
from intents.task_index import TaskIndex

INVOICES = TaskRef(
    "inv1", "Invoices Sync", "invoices", "running", 900.0, owner="alice", kind="sync",
    steps=("fetch invoices", "build invoices", "upload to erp"),
)  # fmt: skip
OLD_INVOICES = TaskRef("inv0", "Invoices Sync", "invoices", "completed", 100.0, owner="alice")
ETL = TaskRef(
    "etl1", "ETL nightly", "etl", "running", 800.0, owner="bob", kind="pipeline",
    steps=("extract", "transform", "load warehouse"),
)  # fmt: skip
DENTAL = TaskRef(
    "den1", "Dental Clinic App", "dental", "approval", 700.0, owner="carol", kind="app",
    steps=("build apk", "run ui tests"),
)  # fmt: skip
CRM = TaskRef("crm1", "Cellphone Store CRM", "CRM", "paused", 600.0, owner="alice", kind="crm")
CHURN = TaskRef(
    "chn1", "Churn Model Training", "churn", "failed", 500.0, owner="bob", kind="training"
)
TASKS = (INVOICES, OLD_INVOICES, ETL, DENTAL, CRM, CHURN)


@pytest.fixture
def understander() -> Understander:
    return Understander(context=ConversationContext())


# --- normalise ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pleaaase PAUSE the ETL!!!", "please pause the etl"),
        ("pls cancel it asap", "please cancel it as soon as possible"),
        ("thx u r great", "thanks you are great"),
        ("⏸ etl", "pause etl"),
        ("▶️ crm", "resume crm"),
        ("✅", "approve"),
        ("🔕 for 2 hrs", "mute for 2 hours"),
        ("🔔", "unmute"),
        ("👍 thanks!", "thanks"),
        ("<@U123ABC> status of the crm", "status of the crm"),
        ("@ProgressBot how's the etl", "hows the etl"),
        ("cancle the etl", "cancel the etl"),
        ("nvm", "never mind"),
        ("y did it fail", "why did it fail"),
        ("lmk when done", "let me know when done"),
        ("would cancelling it lose work", "would cancel it lose work"),
        (":white_check_mark: dental", "approve dental"),
        ("pls pause the sync :pray:", "please pause the sync please"),
        (":+1: :eyes:", "thumbs up"),
        ("🙏🙏", "thanks"),
        ("skip the retro", "skip the retro"),
        ("gm", "good morning"),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text).normalised == expected


def test_times_are_not_slack_shortcodes() -> None:
    assert normalise("quiet hours 22:00-07:00").body == "quiet hours 22:00-07:00"
    assert normalise("mute 10:30:45").body == "mute 10:30:45"


def test_normalise_slash_commands_and_clauses() -> None:
    got = normalise("/pause@ProgressBot crm")
    assert (got.command, got.normalised) == ("pause", "crm")
    assert normalise("/nosuch crm").unknown_command
    clauses = normalise("leave the etl alone, just tell me the eta").clauses
    assert clauses == (("leave", "the", "etl", "alone"), ("just", "tell", "me", "the", "eta"))


def test_typos_of_task_words_are_left_for_task_resolution() -> None:
    index = TaskIndex(TASKS)
    got = normalise("status of the stor", lambda w: index.knows(w) or bool(index.fuzzy(w)))
    assert "stor" in got.words  # "store", not "stop"


# --- speech act ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "act"),
    [
        ("freeze the invoices job", "command"),
        ("can you pause it", "command"),
        ("could you please cancel the etl?", "command"),
        ("I'd like the pipeline paused", "wish"),
        ("we need the etl stopped", "wish"),
        ("can I pause it?", "question"),
        ("should I cancel the etl", "question"),
        ("what does skip do", "question"),
        ("would restarting it lose work?", "question"),
        ("who may cancel the crm", "question"),
        ("if I skip the tests step will it break", "hypothetical"),
        ("what happens if we cancel", "hypothetical"),
        ("please don't pause it", "negation"),
        ("leave the etl alone, just tell me the eta", "negation"),
        ("scratch that, I meant the invoices job", "correction"),
        ("never mind, wrong one", "correction"),
        ("did anyone restart it?", "report"),
        ("who cancelled the crm?", "report"),
        ("it was paused yesterday", "report"),
    ],
)
def test_speech_act(text: str, act: str) -> None:
    assert classify_act(normalise(text)).act == act


@pytest.mark.parametrize(
    "text",
    [
        "maybe pause it",
        "perhaps cancel the etl",
        "I think we should restart it?",
        "should we skip the tests step",
        "pause the etl maybe",
        "pause the etl, i guess",
        "we should probably pause the etl",
        "how about pausing the etl",
        "what about restarting the invoices job",
        "i suggest we cancel the etl",
        "might be worth restarting the etl",
        "probably best to cancel the etl",
        "not sure but pause the etl",
        "i reckon we retry the etl",
        "consider skipping step 2 of the etl",
        "cancel the etl perhaps?",
        "could you maybe pause the etl",
    ],
)
def test_a_hedged_or_proposed_action_is_a_suggestion(text: str) -> None:
    assert classify_act(normalise(text)).act == "suggestion"


@pytest.mark.parametrize(
    ("text", "act"),
    [
        # the hedge is about something else, or there is no action to hedge
        ("i think the etl is stuck, pause it", "command"),
        ("maybe show me the logs", "command"),
        ("what about the crm?", "question"),
        # asking about one's own rights, or whether, stays a question
        ("should I cancel the etl", "question"),
        ("can I pause it maybe?", "question"),
        ("should we pause the etl or not", "question"),
        ("is it worth restarting the etl?", "question"),
        # conditions and plans stay hypothetical, negations stay negations
        ("maybe we should pause it if it fails again", "hypothetical"),
        ("i think we shouldn't pause the etl", "negation"),
        # plain requests are commands, however casual
        ("pause the etl", "command"),
        ("let's pause the etl", "command"),
        ("pls pause the etl asap", "command"),
    ],
)
def test_what_is_not_a_suggestion(text: str, act: str) -> None:
    assert classify_act(normalise(text)).act == act


def test_negation_scope_splits_the_negated_part_from_the_ask() -> None:
    got = classify_act(normalise("leave the etl alone, just tell me the eta"))
    assert got.negated == ("leave", "the", "etl", "alone")
    assert got.positive == ("just", "tell", "me", "the", "eta")
    lexical = classify_act(normalise("don't notify me about the etl"))
    assert lexical.lexical_negative and not lexical.negated


# --- classifier ---------------------------------------------------------------------------------


def test_classifier_gives_calibrated_ranked_probabilities() -> None:
    model = default_classifier()
    ranked = model.probabilities("please pause the etl")
    assert ranked[0][0] == "pause"
    assert ranked[0][1] > 0.5
    assert abs(sum(p for _, p in ranked) - 1.0) < 1e-6
    assert [p for _, p in ranked] == sorted((p for _, p in ranked), reverse=True)
    assert model.top("what is the weather like in paris", 3)[0][1] < ranked[0][1]


def test_classifier_is_trained_once_per_process() -> None:
    assert default_classifier() is default_classifier()


# --- task reference -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("status of the invoices sync", "inv1"),  # the running one, not the finished run
        ("status of bob's job", "etl1"),  # bob's running one before his failed one
        ("how's bob's pipeline", "etl1"),
        ("how's carol's app", "den1"),
        ("how is the training job", "chn1"),
        ("how's the one that builds the invoices", "inv1"),
        ("eta of the job that loads the warehouse", "etl1"),
        ("how's the pipeline", "etl1"),
        ("status of the invocies sync", "inv1"),
        ("status of the music festival", None),
    ],
)
def test_task_reference(understander: Understander, text: str, task: str | None) -> None:
    assert understander.understand(text, TASKS).task_id == task


def test_finished_runs_drop_out_of_ambiguity() -> None:
    index = TaskIndex(TASKS)
    got = resolve_named(index, ["invoices"], "status")
    assert got is not None
    assert (got.kind, got.task_id) == ("named", "inv1")


def test_contrast_picks_the_other_task(understander: Understander) -> None:
    got = understander.understand("pause the etl, not the invoices", TASKS)
    assert (got.intent, got.task_id) == ("pause", "etl1")
    understander.understand("status of the crm", TASKS, chat_key="c", now=1.0)
    got = understander.understand("not the crm, the dental one", TASKS, chat_key="c", now=2.0)
    assert (got.intent, got.task_id) == ("status", "den1")


def test_pronoun_and_ellipsis_use_the_conversation(understander: Understander) -> None:
    first = understander.understand("how's the etl doing", TASKS, chat_key="c", now=1.0)
    assert (first.intent, first.task_id) == ("status", "etl1")
    other = understander.understand("and the other one?", TASKS, chat_key="c", now=2.0)
    assert (other.intent, other.task_id) == ("status", "inv1")
    logs = understander.understand("and the logs?", TASKS, chat_key="c", now=3.0)
    assert (logs.intent, logs.task_id, logs.resolution) == ("logs", "inv1", "context")
    about = understander.understand("what about the crm?", TASKS, chat_key="c", now=4.0)
    assert (about.intent, about.task_id) == ("logs", "crm1")


def test_my_task_means_the_persons_own_when_several_fit(understander: Understander) -> None:
    assert understander.understand("pause my job", TASKS).task_id is None
    got = understander.understand("pause my job", TASKS, person="bob")
    assert (got.task_id, got.resolution) == ("etl1", "named")


def test_correction_keeps_the_intent_and_changes_the_task(understander: Understander) -> None:
    understander.understand("pause the etl", TASKS, chat_key="c", now=1.0)
    got = understander.understand(
        "scratch that, I meant the invoices job", TASKS, chat_key="c", now=2.0
    )
    assert (got.act, got.intent, got.task_id) == ("correction", "pause", "inv1")


# --- the whole pipeline -------------------------------------------------------------------------


def test_understanding_fields(understander: Understander) -> None:
    got = understander.understand("please pause the etl", TASKS, chat_key="c", now=1.0)
    assert isinstance(got, Understanding)
    assert (got.act, got.intent, got.task_id, got.resolution, got.negated) == (
        "command", "pause", "etl1", "named", False,
    )  # fmt: skip
    assert 0.8 <= got.confidence <= 1.0
    assert got.alternatives[0][0] == "pause"
    assert 1 <= len(got.alternatives) <= 3
    assert got.normalised == "please pause the etl"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("who is supposed to sign off", "who_approves"),
        ("who may approve the dental app?", "who_approves"),
        ("is anything waiting on me?", "waiting_on_me"),
        ("what needs my approval", "waiting_on_me"),
        ("what can you do", "capabilities"),
        ("send my updates by mail from now on", "notify_channel"),
        ("only telegram please", "notify_channel"),
        ("everywhere again", "notify_channel"),
        ("what happened to the crm", "history"),
        ("show the history of the etl", "history"),
        ("turn notifications back on", "unmute"),
        ("🔔", "unmute"),
        ("who cancelled the crm?", "history"),
    ],
)
def test_new_intents(understander: Understander, text: str, intent: str) -> None:
    assert understander.understand(text, TASKS).intent == intent


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("give me a link to the crm", "open_link", "crm1"),
        ("send me the link for the dental job", "open_link", "den1"),
        ("open the etl in the browser", "open_link", "etl1"),
        ("where can I see the invoices task", "open_link", "inv1"),
        ("/link crm", "open_link", "crm1"),
        # neighbours that stay what they were
        ("where can i see the logs of the etl", "logs", "etl1"),
        ("where is the crm at", "status", "crm1"),
        ("which tasks are open", "list_tasks", None),
        ("send me updates about the crm", "subscribe", "crm1"),
    ],
)
def test_asking_for_a_link(understander: Understander, text: str, intent: str, task: str) -> None:
    got = understander.understand(text, TASKS)
    assert (got.intent, got.task_id) == (intent, task)


def test_a_link_request_never_changes_anything(understander: Understander) -> None:
    got = understander.understand("give me a link to the crm", TASKS)
    assert not got.state_changing
    assert decide(got).outcome == "act"


def test_channel_argument(understander: Understander) -> None:
    def channel(text: str) -> str | None:
        return understander.understand(text, TASKS).argument

    assert channel("send my updates by mail from now on") == "email"
    assert channel("only telegram please") == "telegram"
    assert channel("everywhere again") == "all"
    assert channel("email me instead of slack") == "email"


def test_an_unknown_verb_next_to_a_task_is_not_a_status_question(
    understander: Understander,
) -> None:
    assert understander.understand("yeet the etl", TASKS).intent == "unknown"
    assert understander.understand("the etl", TASKS).intent == "status"


def test_never_raises(understander: Understander) -> None:
    for text in ("", "\x00", "\ud800", "x" * 100_000, "🙂" * 50):
        assert understander.understand(text, TASKS).intent


# --- policy -------------------------------------------------------------------------------------


def decision(
    text: str, *, may_steer: bool = True, context: str | None = None, intent: str | None = None
) -> Decision:
    understander = Understander(context=ConversationContext())
    if context is not None:
        understander.context.remember("c", context, now=0.0)
    if intent is not None:
        understander.context.remember_intent("c", intent, now=0.0)
    return decide(understander.understand(text, TASKS, chat_key="c", now=1.0), may_steer=may_steer)


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("pause the etl", "act"),
        ("maybe pause the etl", "confirm"),  # hedged: asks first
        ("pause the etl, i guess", "confirm"),
        ("should we pause the etl", "confirm"),
        ("could you pause the etl please", "act"),
        ("I'd like the etl paused", "act"),
        ("/pause etl", "act"),
        ("cancel the etl", "confirm"),  # cancel, restart and skip always ask first
        ("restart the etl", "confirm"),
        ("skip step 2 of the etl", "confirm"),
        ("can I pause the etl?", "explain"),
        ("who may cancel the etl", "explain"),
        ("what happens if we cancel the etl", "explain"),
        ("please don't pause the etl", "explain"),
        ("did anyone restart the etl?", "act"),  # a history question, answered
        ("pause", "clarify"),  # which of the running tasks?
        ("pause the music", "clarify"),
        ("approve", "confirm"),  # approving from free text asks first
        ("approve the dental app", "act"),  # explicit command naming the task
        ("/approve dental", "act"),
        ("who is supposed to sign off", "act"),  # answered, nothing approved
        ("how's the etl", "act"),
        ("what's the weather in paris", "help"),
    ],
)
def test_policy_table(text: str, outcome: str) -> None:
    assert decision(text).outcome == outcome, decision(text)


def test_policy_needs_permission_to_steer() -> None:
    assert decision("pause the etl", may_steer=False).outcome == "explain"


def test_policy_never_acts_on_a_correction() -> None:
    got = decision("scratch that, I meant the invoices job", context="etl1", intent="pause")
    assert (got.outcome, got.intent, got.task_id) == ("confirm", "pause", "inv1")
    assert decision("never mind, wrong one", context="etl1", intent="cancel").outcome == "clarify"


def test_policy_clarifies_low_confidence() -> None:
    u = Understanding(
        text="x", normalised="x", act="command", intent="pause", confidence=0.3,
        alternatives=(("pause", 0.3), ("resume", 0.25), ("status", 0.2)),
    )  # fmt: skip
    got = decide(u)
    assert (got.outcome, got.alternatives) == ("clarify", ("pause", "resume", "status"))


NAMES_WITH_INTENT_WORDS = [
    TaskRef("lr1", "Log Rotation", None, "running"),
    TaskRef("sp1", "Status Page", None, "running"),
    TaskRef("rp1", "Restart Policy Audit", None, "running"),
    TaskRef("mb1", "Mute Button Redesign", None, "running"),
]


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("how's the log rotation going", "status", "lr1"),
        ("status of log rotation", "status", "lr1"),
        ("show the log rotation logs", "logs", "lr1"),
        ("is the status page done", "status", "sp1"),
        ("logs of the status page", "logs", "sp1"),
        ("pause the restart policy audit", "pause", "rp1"),
        ("eta on the restart policy audit", "eta", "rp1"),
        ("how is the mute button redesign doing", "status", "mb1"),
        ("mute the mute button redesign", "mute", "mb1"),
    ],
)
def test_a_task_named_in_full_lends_its_words_to_no_intent(
    text: str, intent: str, task: str
) -> None:
    got = Understander(context=ConversationContext()).understand(text, NAMES_WITH_INTENT_WORDS)
    assert (got.intent, got.task_id) == (intent, task)
