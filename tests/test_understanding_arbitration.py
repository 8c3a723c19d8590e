"""Which reading of a message wins, the rules' or the classifier's (`intents.arbitration`),
pinned over tasks of its own (none from the labelled splits): the classifier decides alone when
it is sure, whatever words the bot's word lists do not know, and never to act at once.

Each case pins the intent, the task, the speech act and what the policy does with it."""

from __future__ import annotations

import pytest

from intents import STATE_CHANGING, TaskRef, Understanding
from intents.arbitration import (
    CLASSIFIER_ALONE_CAP,
    CLASSIFIER_SURE,
    decides_alone,
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


@pytest.mark.parametrize(
    "text",
    [
        "envie as atualizações do tide gauges para o meu email",
        "hoe gaat het met de catalogue merge?",
    ],
)
def test_what_the_classifier_decides_never_changes_anything_at_once(text: str) -> None:
    u = understand(text)
    assert not u.by_rule, u
    assert u.intent not in STATE_CHANGING or not acts_at_once(u), u
