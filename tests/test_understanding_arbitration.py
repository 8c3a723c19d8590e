"""Which reading of a message wins, the rules' or the classifier's (`intents.arbitration`),
pinned over tasks of its own (none from the labelled splits): the classifier decides alone when
it is sure, whatever words the bot's word lists do not know; it overrules a rule that read no
action towards one, never to act at once, and one that read an action in a question that asks
something else; and the rules keep their choice between two actions, their reading of a
question about how to do an action, and their reading of a negation.

Each case pins the intent, the task, the speech act and what the policy does with it."""

from __future__ import annotations

import pytest

from intents import STATE_CHANGING, TaskRef, Understanding
from intents.arbitration import (
    CLASSIFIER_ALONE,
    CLASSIFIER_ALONE_CAP,
    CLASSIFIER_OVERRULES,
    CLASSIFIER_SURE,
    decides_alone,
    overrules,
)
from tests.helpers.understand import acts_at_once, check_reading, understand_over

TASKS = [
    TaskRef("tid01", "Tidal Gauge Calibration", "tide gauges", "running", 900.0,
            owner="ines", kind="calibration",
            steps=("read sensors", "fit offsets", "publish corrections")),
    TaskRef("vin02", "Vineyard Yield Forecast", "yield forecast", "failed", 880.0,
            owner="pavel", kind="forecast",
            steps=("load weather", "train model", "score parcels")),
    TaskRef("lib03", "Library Catalogue Merge", "catalogue merge", "approval", 860.0,
            owner="amadou", kind="migration",
            steps=("dedupe records", "librarian review", "swap index")),
    TaskRef("orc04", "Orchestra Rota Builder", "rota builder", "paused", 840.0,
            owner="sigrid", kind="scheduler",
            steps=("collect availability", "solve rota", "send rota")),
]  # fmt: skip


def understand(text: str) -> Understanding:
    return understand_over(TASKS, text)


# --- the classifier alone, sure, over words the bot's lists do not know


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # languages the rules were not written for, about a task named in English
        ("hoe gaat het met de catalogue merge?", "status", "lib03", "question", "act"),
        ("hur går det med rota builder?", "status", "orc04", "question", "act"),
        ("dlaczego yield forecast się wywalił?", "why_failed", "vin02", "question", "act"),
        # an action read by the classifier alone is asked about, never done at once
        ("envie as atualizações do tide gauges para o meu email", "notify_channel", "tid01",
         "command", "confirm"),
    ],
)  # fmt: skip
def test_a_sure_classifier_reads_words_the_rules_do_not_know(
    text: str, intent: str, task: str, act: str, outcome: str
) -> None:
    u = check_reading(TASKS, text, intent, task, act, outcome)
    assert not u.by_rule and u.confidence <= CLASSIFIER_ALONE_CAP, u


@pytest.mark.parametrize(
    "text", ["florp the zibble quarks", "blorb glim the snargle now", "wibble the flange"]
)
def test_made_up_words_stay_unread(text: str) -> None:
    u = understand(text)
    assert u.intent == "unknown", u
    assert not acts_at_once(u)


def test_when_the_classifier_decides_alone() -> None:
    prose = ["wie", "weit", "ist", "die", "kalibrierung"]
    # sure: unfamiliar words do not matter
    assert decides_alone("eta", CLASSIFIER_SURE, prose, prose[:3])
    # less sure: only over familiar words, the first word among them
    assert not decides_alone("eta", CLASSIFIER_SURE - 0.05, prose, prose[:3])
    familiar = ["how", "is", "the", "tide", "gauges", "doing"]
    assert decides_alone("status", CLASSIFIER_SURE - 0.05, familiar, [])
    assert not decides_alone("status", CLASSIFIER_SURE - 0.05, ["zorb", *familiar], ["zorb"])
    # never below the floor, and "unknown" is no reading
    assert not decides_alone("status", 0.5, familiar, [])
    assert not decides_alone("unknown", 0.95, familiar, [])


# --- the classifier over a rule


def test_a_sure_classifier_reads_an_action_where_the_rules_read_none() -> None:
    # the rules read "updates" as a question of state; the classifier, sure, the channel asked for
    u = check_reading(
        TASKS,
        "schick die updates vom rota builder bitte an meine mail",
        "notify_channel",
        "orc04",
        "command",
        "confirm",
    )
    assert not u.by_rule and u.confidence <= CLASSIFIER_ALONE_CAP, u


def test_a_question_that_names_an_action_may_ask_something_else() -> None:
    # the rules read the restart the failure is about; the classifier, the question asked
    u = check_reading(
        TASKS,
        "why is the yield forecast failing with a timeout on restart?",
        "why_failed",
        "vin02",
        "question",
        "act",
    )
    assert not u.by_rule, u


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # of two actions, the rules know which is meant: a stop "for now" pauses
        ("stop the tide gauges for now", "pause", "tid01", "command", "act"),
        # a question about how to do an action is no request of it
        ("remind me how to move alerts to another channel", "help", None, "command", "act"),
    ],
)  # fmt: skip
def test_the_rules_keep_their_reading_of_actions(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    u = check_reading(TASKS, text, intent, task, act, outcome)
    assert u.by_rule, u


def test_when_the_classifier_overrules_a_rule() -> None:
    sure = CLASSIFIER_OVERRULES
    # towards another answer, or towards an action the rules did not read
    assert overrules("logs", "why_failed", sure, "question", negated=False)
    assert overrules("status", "notify_channel", sure, "command", negated=False)
    # not below its threshold, nor in a negation the rules read
    assert not overrules("status", "notify_channel", sure - 0.01, "command", negated=False)
    assert not overrules("status", "history", sure, "question", negated=True)
    assert not overrules("status", "cancel", sure, "negation", negated=False)
    # in a question the rules read as about an action, an answer wins as surely as the
    # classifier decides alone; an action or "unknown" does not, nor in another speech act
    alone = CLASSIFIER_ALONE
    assert overrules("restart", "why_failed", alone, "question", negated=False)
    assert not overrules("restart", "why_failed", alone - 0.01, "question", negated=False)
    assert not overrules("restart", "why_failed", alone, "report", negated=False)
    assert not overrules("restart", "unknown", alone, "question", negated=False)
    assert not overrules("restart", "retry_step", alone, "question", negated=False)
    # not from one action to another, nor from a question about actions
    assert not overrules("pause", "cancel", 0.99, "command", negated=False)
    for about in ("help", "capabilities", "who_approves"):
        assert not overrules(about, "mute", 0.99, "question", negated=False)


@pytest.mark.parametrize(
    "text",
    [
        "schick die updates vom rota builder bitte an meine mail",
        "envie as atualizações do tide gauges para o meu email",
        "hoe gaat het met de catalogue merge?",
    ],
)
def test_what_the_classifier_decides_never_changes_anything_at_once(text: str) -> None:
    u = understand(text)
    assert not u.by_rule, u
    assert u.intent not in STATE_CHANGING or not acts_at_once(u), u
