"""Round eighteen (b)'s general readings of task references, pinned over tasks of its own (none
from the labelled splits):

- two tasks share a name's word ("forecast" of a "Bed Forecasting" and a "Power Forecast") and a
  word said names only one of them ("the forecast of the beds", "dei letti"): that one is meant,
  though it scores a little lower, the word being an inflection or a translation
  (`intents.told_apart`); a word of a name in another inflection ("forecast" of "Forecasting")
  is that task's own, no second task's said beside it (`intents.request_scope`);
- the noun "brewery" in the languages the glossary reads, and the Polish genitive plural of
  "bed" (`intents.translations`).

Each case pins the intent, the task, the speech act and what the policy does with it; a refusal
or a question about an action is never acted on."""

from __future__ import annotations

import pytest

from intents import TaskRef
from tests.helpers.understand import acts_at_once, check_reading, understand_over

TASKS = [
    TaskRef("grd01", "Grid Load Forecasting", "gridload", "running", 900.0,
            owner="noor", kind="forecasting", steps=("pull meter reads", "fit load model")),
    TaskRef("wnd02", "Wind Power Forecast", "windcast", "running", 890.0,
            owner="tariq", kind="forecast", steps=("fetch weather", "publish forecast")),
    TaskRef("brw03", "Brewery Bottling Line", "bottling", "paused", 880.0,
            owner="lena", kind="pipeline", steps=("rinse bottles", "fill", "label")),
    TaskRef("hsp04", "Hospital Bed Forecasting", "bedcast", "running", 870.0,
            owner="omar", kind="planner", steps=("read census", "fit occupancy")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # a word only one of the tasks sharing "forecast" is named by
        ("how's the forecast of the grids", "status", "grd01", "question", "act"),
        ("status of the forecast for the beds", "status", "hsp04", "command", "act"),
        ("when is the forecast of the loads done", "eta", "grd01", "question", "act"),
        ("how is the bed forecast", "status", "hsp04", "question", "act"),
        ("stato del forecast dei letti", "status", "hsp04", "command", "act"),
        ("pause the forecast of the beds", "pause", "hsp04", "command", "act"),
        ("who approves the bed forecast?", "who_approves", "hsp04", "question", "act"),
        # the shared word alone still names the task called by it as it is
        ("status of the forecast", "status", "wnd02", "command", "act"),
        # the glossary's new nouns
        ("wie läuft die Brauerei?", "status", "brw03", "question", "act"),
        ("reanuda la cervecería", "resume", "brw03", "command", "confirm"),
        ("hervat de brouwerij", "resume", "brw03", "command", "confirm"),
        ("wstrzymaj browar", "pause", "brw03", "command", "confirm"),
        ("jak idzie prognoza łóżek?", "status", "hsp04", "question", "act"),
    ],
)  # fmt: skip
def test_task_told_apart_and_named_in_translation(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("don't pause the forecast of the beds", "pause", "hsp04"),
        ("would pausing the forecast of the beds hurt anything?", "pause", "hsp04"),
        ("nie wznawiaj browaru", "resume", "brw03"),
        ("nie wstrzymuj prognozy łóżek", "pause", "hsp04"),
        ("non mettere in pausa il forecast dei letti", "pause", "hsp04"),
    ],
)
def test_refusals_and_questions_about_the_told_task_change_nothing(
    text: str, intent: str, task: str
) -> None:
    u = understand_over(TASKS, text)
    assert (u.intent, u.task_id) == (intent, task), u
    assert not acts_at_once(u), u


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # who approves, asked with the idiom an approval is said in
        ("who gives the green light on the wind forecast", "who_approves", "wnd02", "question",
         "act"),
        ("who has to give the go-ahead for the bottling?", "who_approves", "brw03", "question",
         "act"),
        ("who has the final say on the bed forecast", "who_approves", "hsp04", "question", "act"),
        # the updates gathered into one, and when it comes
        ("could we move over to a weekly recap", "notify_settings", None, "command", "act"),
        ("ok go back to the evening digest", "notify_settings", None, "command", "act"),
        ("recap every monday please", "notify_settings", None, "command", "act"),
        ("the digest around 7 pls", "notify_settings", None, "command", "act"),
        # tasks by state and time, none named
        ("anything crashed overnight?", "list_tasks", None, "question", "act"),
        ("any runs aborted recently?", "list_tasks", None, "question", "act"),
    ],
)  # fmt: skip
def test_everyday_idioms_of_approvers_digests_and_recent_states(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    "text",
    [
        "give the wind forecast the green light once legal signs",
        "if the recap works for the night shift we might switch to it later",
        "maybe I'll switch to a weekly digest next month",
        "don't move me over to a digest",
    ],
)
def test_idioms_said_of_later_or_refused_change_nothing(text: str) -> None:
    assert not acts_at_once(understand_over(TASKS, text))


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # what was done, the time said before the task
        ("what happened last night with the wind forecast", "history", "wnd02", "question",
         "act"),
        ("what happened over the weekend to bottling?", "history", "brw03", "question", "act"),
        ("walk me through what gridload did this morning", "history", "grd01", "command", "act"),
        # a task's history in other languages
        ("Verlauf von windcast?", "history", "wnd02", "question", "act"),
        ("lo storico di gridload", "history", "grd01", "command", "act"),
        ("geschiedenis van bottling", "history", "brw03", "command", "act"),
    ],
)  # fmt: skip
def test_history_asked_with_the_time_first_or_in_other_languages(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)
