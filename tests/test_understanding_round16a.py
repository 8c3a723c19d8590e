"""Round sixteen (a)'s general readings, pinned over tasks of their own (none from the labelled
splits): a guide to the bot told from a thing called a guide, a thing on a device, the updates
just subscribed to moved to a channel, corrections said in passing or in other languages, tasks
asked for by state, an action's "-able" adjective and what a task does by itself, a refusal
beside words that ask nothing, and the first-person and plural forms of the steering verbs in
other languages.

Each case pins the intent, the task, the speech act and what the policy does with it; the traps
among them are never done at once."""

from __future__ import annotations

import pytest

from intents import TaskRef
from tests.helpers.understand import acts_at_once, check_reading, understand_over

TASKS = [
    TaskRef("gid12", "Hiking Trail Guide Export", "trailguide", "paused", 900.0,
            owner="noor", kind="export", steps=("collect routes", "render maps", "publish pdf")),
    TaskRef("ore34", "Ore Grade Estimator", "oregrade", "running", 880.0,
            owner="sven", kind="model training",
            steps=("load assays", "train estimator", "validate")),
    TaskRef("tkt56", "Concert Ticket Reconciliation", "ticketrec", "failed", 860.0,
            owner="lola", kind="reconciliation",
            steps=("fetch sales", "match seats", "report gaps")),
    TaskRef("brd78", "Bridge Sensor Ingest", "bridge", "approval", 840.0,
            owner="ivan", kind="ingest",
            steps=("connect gateway", "ingest strain data", "go-live sign-off")),
    TaskRef("cal90", "Calendar Sync Migration", "calsync", "pending", 820.0,
            owner="mia", kind="migration",
            steps=("export events", "map timezones", "import events")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # a thing called a guide is no guide to the bot
        ("resume the trail guide", "resume", "gid12", "command", "act"),
        ("who paused the hiking guide?", "history", "gid12", "report", "act"),
        # (a guide to using the bot still asks for help)
        ("any guide on how to use you?", "help", None, "question", "act"),
        ("guide me through the commands", "help", None, "command", "act"),
        # a thing on a device is not the task its words describe
        ("pause the trail guide slideshow on the lobby screen", "pause", None, "command",
         "clarify"),
        ("stop the trail guide video on the kiosk", "cancel", None, "command", "clarify"),
        ("restart the bridge monitor app on my tablet", "restart", None, "command", "clarify"),
        ("restart the concert from the beginning on the projector", "restart", None, "command",
         "clarify"),
        # (the speaker on a device is no thing acted on)
        ("pause the ore estimator, I'm on my phone", "pause", "ore34", "command", "act"),
        # or one that comes from somewhere we do not know
        ("reject the concert ticket refund from stubhub", "reject", None, "command",
         "clarify"),
        ("approve the bridge sensor quote from the installer", "approve", None, "command",
         "clarify"),
    ],
)  # fmt: skip
def test_a_guide_and_a_thing_on_a_device(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "task", "context", "act", "outcome"),
    [
        # the updates just subscribed to, moved to a channel: that task's
        ("and send those to slack", "notify_channel", "cal90", ("cal90", "subscribe"),
         "command", "act"),
        ("put them on email please", "notify_channel", "ore34", ("ore34", "subscribe"),
         "command", "act"),
        # a correction said in passing moves the last request to the task it names
        ("oops, the bridge ingest", "approve", "brd78", ("ore34", "approve"), "correction",
         "confirm"),
        ("the calendar one, I mean", "open_link", "cal90", ("tkt56", "open_link"), "correction",
         "act"),
        ("perdón, quería decir la del puente", "status", "brd78", ("ore34", "status"),
         "correction", "act"),
        # a follow-up whose later clause says its own request; "who signs" without its "off"
        ("same for that one, only failures", "notify_settings", "ore34", ("ore34", "status"),
         "command", "act"),
        ("and who signs it?", "who_approves", "brd78", ("brd78", "status"), "question", "act"),
        ("what did it say", "logs", "tkt56", ("tkt56", "why_failed"), "question", "act"),
        # a refusal beside words that ask nothing refuses the action
        ("don't, leave it alone", "pause", "ore34", ("ore34", "pause"), "negation", "explain"),
        ("no wait, keep it going, don't cancel", "cancel", "ore34", ("ore34", "cancel"),
         "correction", "explain"),
    ],
)  # fmt: skip
def test_in_a_conversation(
    text: str,
    intent: str,
    task: str | None,
    context: tuple[str, str],
    act: str,
    outcome: str,
) -> None:
    check_reading(
        TASKS, text, intent, task, act, outcome, context_task=context[0], context_intent=context[1]
    )


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # tasks by state or owner, none named
        ("anything of lola's still failing?", "list_tasks", None, "question", "act"),
        ("any migrations pending?", "list_tasks", None, "question", "act"),
        ("show me what's paused or failed", "list_tasks", None, "command", "act"),
        # a task's page, its dashboard mistyped
        ("wheres the dashbaord for the ore estimator", "open_link", "ore34", "question", "act"),
        ("send me the admin page of the bridge ingest", "open_link", "brd78", "command", "act"),
        ("tell me what you're able to help with", "capabilities", None, "command", "act"),
        ("what killed the ore estimator overnight", "why_failed", "ore34", "question", "act"),
        # a price asked is no task's ETA
        ("how much does a bridge sensor cost", "unknown", "brd78", "question", "clarify"),
    ],
)  # fmt: skip
def test_everyday_english_of_the_intents(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # someone else's change of a setting: the history
        ("Ivan moved the bridge alerts to telegram", "history", "brd78", "report", "act"),
        # an action's "-able" adjective: a property, asked about or told
        ("is the ore estimator even restartable?", "restart", "ore34", "question", "explain"),
        ("the bridge go-live is approvable now, right?", "approve", "brd78", "question",
         "explain"),
        ("the trail guide is resumable now", "resume", "gid12", "statement", "confirm"),
        # what a task does by itself; a way of being told compared; a subscription judged
        ("the calendar migration cancelling itself every weekend is annoying", "cancel",
         "cal90", "statement", "confirm"),
        ("digest mode would be calmer than these pings", "notify_settings", None, "statement",
         "confirm"),
        ("subscribing to the ticket rec is pointless, it's dead", "subscribe", "tkt56",
         "negation", "explain"),
        # a setting's change refused: explained, not offered
        ("don't turn off the bridge alerts, I need them", "mute", "brd78", "negation",
         "explain"),
        ("please don't switch me to slack, I live in email", "notify_channel", None, "negation",
         "explain"),
        ("don't switch my notifications to email, i never read it", "notify_channel", None,
         "negation", "explain"),
        # imagined: a channel for everything, an action within its clause, a task's own doing
        ("if I switch everything to telegram, will email go quiet?", "notify_channel", None,
         "question", "explain"),
        ("wenn ich die Migration pausiere, läuft der Import weiter?", "pause", "cal90",
         "hypothetical", "explain"),
        ("what happens when a paused export resumes, does it start at render maps?", "resume",
         "gid12", "hypothetical", "explain"),
    ],
)  # fmt: skip
def test_told_weighed_and_imagined_never_done(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    u = check_reading(TASKS, text, intent, task, act, outcome)
    assert not acts_at_once(u), u


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        ("rechazo la ingesta del puente", "reject", "brd78", "command", "confirm"),
        ("redémarre l'estimateur", "restart", "ore34", "command", "confirm"),
        ("ich gebe den Bridge-Go-Live frei", "approve", "brd78", "command", "confirm"),
        # (negated, or imagined: never done)
        ("se rifiuto la migrazione, cosa succede?", "reject", "cal90", "hypothetical",
         "explain"),
        ("nie pauzuj estymatora", "pause", "ore34", "negation", "explain"),
        ("nie anulujcie migracji kalendarza", "cancel", "cal90", "negation", "explain"),
        ("als ik de validatie oversla, gaat het live?", "skip_step", None, "hypothetical",
         "explain"),
    ],
)  # fmt: skip
def test_steering_verbs_of_other_languages(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


def test_a_setting_for_a_near_miss_of_a_task_is_asked_first() -> None:
    # "dla estymatora": the estimator said in Polish, a near miss of its word; which tasks'
    # alerts change is unsure, so nothing changes without a tap
    u = understand_over(TASKS, "powiadamiaj mnie tylko o błędach dla estymatora")
    assert u.intent == "notify_settings", u
    assert not acts_at_once(u), u
    # (the same setting for every task, said so, is done)
    assert acts_at_once(understand_over(TASKS, "powiadamiaj mnie tylko o błędach"))
