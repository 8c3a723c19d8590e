"""Round eighteen (a)'s general causes, pinned over tasks of its own (none from the labelled
splits): a span of time said between "what happened" and its task, or after what a task did;
a digest named by when it comes or switched to; one channel put in place of another, or asked
to carry the updates; "who gives the green light"; the German "Verlauf" and the Italian past
participles of the steering verbs ("chi ha annullato ...?").

Each case pins the intent, the task, the speech act and what the policy does with it; no trap is
acted on."""

from __future__ import annotations

import pytest

from bot.chat.policy import decide
from intents import STATE_CHANGING, TaskRef
from tests.helpers.understand import check_reading, understand_over

TASKS = [
    TaskRef("kel01", "Kelp Farm Yield Model", "kelp", "running", 900.0,
            owner="noa", kind="training job", steps=("load buoys", "fit model")),
    TaskRef("lib02", "Library Loan Reminder", "loans", "failed", 890.0,
            owner="raj", kind="batch job", steps=("pull loans", "send reminders")),
    TaskRef("orc03", "Orchard Frost Alert", "frost", "approval", 880.0,
            owner="eli", kind="monitoring job", steps=("read sensors", "alert growers")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        ("what happened last night with the kelp model", "history", "kel01", "question", "act"),
        # a failed task's span of time still asks what was done in it, not why it failed
        ("what happened this morning to the library loan reminder?", "history", "lib02",
         "question", "act"),
        ("tell me what the orchard frost alert did yesterday", "history", "orc03", "command",
         "act"),
        ("what has the kelp model done so far", "history", "kel01", "question", "act"),
        ("Verlauf des Kelp-Modells?", "history", "kel01", "question", "act"),
        ("chi ha annullato il promemoria dei prestiti?", "history", "lib02", "report", "act"),
        ("who gave the green light on the frost alert", "history", "orc03", "question", "act"),
    ],
)  # fmt: skip
def test_a_span_of_time_or_who_did_it_asks_for_the_history(
    text: str, intent: str, task: str, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "act", "outcome", "context_intent"),
    [
        ("put me on an evening digest please", "notify_settings", "command", "act", None),
        ("recap at 6pm", "notify_settings", "command", "act", None),
        ("could you move us to a weekly roundup", "notify_settings", "command", "act", None),
        ("don't move me to an evening digest", "notify_settings", "negation", "explain", None),
        ("slack, not email", "notify_channel", "command", "confirm", "notify_channel"),
        ("no, telegram rather than slack", "notify_channel", "command", "confirm",
         "notify_channel"),
        ("could I get the alerts via text messages?", "notify_channel", "question", "explain",
         None),
    ],
)  # fmt: skip
def test_digests_and_channels_in_everyday_words(
    text: str, intent: str, act: str, outcome: str, context_intent: str | None
) -> None:
    check_reading(TASKS, text, intent, None, act, outcome, context_intent=context_intent)


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("who gives the go ahead on the frost alert?", "orc03"),
        ("who grants the green light for the kelp model", "kel01"),
    ],
)
def test_who_gives_the_green_light_asks_whose_decision_it_is(text: str, task: str) -> None:
    check_reading(TASKS, text, "who_approves", task, "question", "act")


@pytest.mark.parametrize(
    "text",
    [
        "if the loans keep failing we might switch to a daily recap",
        "don't move me to an evening digest",
        "could I get the alerts via text messages?",
        "who gives the go ahead on the frost alert?",
        # another app's notifications: never a move of the bot's updates
        "silence my alerts on signal",
    ],
)
def test_nothing_is_changed_by_a_question_a_negation_or_a_hypothetical(text: str) -> None:
    decision = decide(understand_over(TASKS, text))
    assert not (decision.outcome == "act" and decision.intent in STATE_CHANGING), decision


@pytest.mark.parametrize(
    "text",
    ["anything restarted overnight?", "any jobs skipped this week?", "what paused lately"],
)
def test_the_past_of_a_steering_verb_of_no_task_lists_the_tasks(text: str) -> None:
    check_reading(TASKS, text, "list_tasks", None, "question", "act")


@pytest.mark.parametrize(
    ("text", "act", "outcome"),
    [
        ("sposta le notifiche sulla telegram", "command", "act"),
        # the Italian negative command is the infinitive: nothing is moved
        ("non spostare le notifiche sulla telegram", "negation", "explain"),
        ("put my pings on slack", "command", "act"),
    ],
)
def test_updates_moved_to_a_channel_in_other_words(text: str, act: str, outcome: str) -> None:
    check_reading(TASKS, text, "notify_channel", None, act, outcome)
