"""Round ten's general readings, pinned over tasks of their own (none from the labelled splits):
a task named by its kind said whole, by a step word in another form or clipped, by a word of its
name before a word for a task; a slash command spelt as its intent; and the negative commands and
everyday words of other languages.

Each case pins the intent, the task, the speech act and what the policy does with it."""

from __future__ import annotations

import pytest

from intents import TaskRef, Understanding
from tests.helpers.understand import acts_at_once, check_reading, understand_over

TASKS = [
    TaskRef("tid11", "Harbour Tide Gauge Ingest", "tide gauges", "running", 900.0,
            owner="ines", kind="data pipeline",
            steps=("poll gauge stations", "calibrate sensors", "fill gaps", "write tide tables")),
    TaskRef("arc22", "Harbour Data Archive", "harbour archive", "running", 880.0,
            owner="bram", kind="migration",
            steps=("copy cold storage", "verify hashes", "switch readers")),
    TaskRef("crw33", "Ferry Crew Rostering", "crew rosters", "paused", 860.0,
            owner="olu", kind="optimisation job",
            steps=("load crew contracts", "solve shifts", "export crew sheets")),
    TaskRef("whl44", "Whale Song Classifier", "whale songs", "running", 840.0,
            owner="maya", kind="training job",
            steps=("cut audio clips", "train audio model", "evaluate recall", "compute wer")),
    TaskRef("fcs55", "Fish Stock Forecast Model", "stock forecast", "approval", 820.0,
            owner="tomas", kind="report run",
            steps=("import quota sheet", "fit forecast", "board sign-off")),
    TaskRef("prk66", "Park Permit Renewal", "park permits", "failed", 800.0,
            owner="zoe", kind="batch job",
            steps=("fetch applications", "check residency", "print permits")),
    TaskRef("owl77", "Owl Nest Camera Stream", "owl cams", "running", 780.0,
            owner="ravi", kind="stream", steps=("pull frames", "detect chicks")),
]  # fmt: skip


def understand(text: str, *, context_task: str | None = None) -> Understanding:
    return understand_over(TASKS, text, context_task=context_task)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # the kind said whole names its task over another's title word ("Harbour Data Archive")
        ("how is the data pipeline getting on?", "status", "tid11", "question", "act"),
        ("eta on the data pipeline", "eta", "tid11", "command", "act"),
        # a word of one title that is also another task's step word counts for the second when
        # another word named it ("model" of the "Forecast Model" and of "train audio model")
        ("when will the whale model be done?", "eta", "whl44", "question", "act"),
        ("logs for the song model please", "logs", "whl44", "command", "act"),
        ("how's the forecast model", "status", "fcs55", "question", "act"),
    ],
)  # fmt: skip
def test_a_kind_said_whole_and_a_word_of_a_step_beside_a_name(
    text: str, intent: str, task: str, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # "sheet" of an "export crew sheets" step, beside an "import quota sheet" one
        ("should the contract sheet step be skipped?", "skip_step", "crw33", "question",
         "explain"),
        # a step word clipped as people clip it: "calib" of "calibrate", "eval" of "evaluate"
        ("are we skipping calib tonight?", "skip_step", "tid11", "question", "explain"),
        ("do we skip eval this time?", "skip_step", "whl44", "question", "explain"),
    ],
)  # fmt: skip
def test_a_step_word_in_another_form_or_clipped_names_its_task(
    text: str, intent: str, task: str, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # "park" is also a word of asking (park a job); before "thing" or "one" it is the name
        ("how's omar's park thing doing?", "status", "prk66", "question", "act"),
        ("why did the park one fail", "why_failed", "prk66", "question", "act"),
    ],
)  # fmt: skip
def test_a_name_word_before_a_word_for_a_task_names_it(
    text: str, intent: str, task: str, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


def test_an_asking_word_before_a_word_for_a_task_names_nothing() -> None:
    # "a" and "to" are words of names too ("A/B Test"), never a name before "task" or "thing"
    u = understand("how would i restart a task")
    assert (u.intent, u.task_id) == ("restart", None), u
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("/whyfailed prk66", "why_failed", "prk66"),
        ("/why_failed prk66", "why_failed", "prk66"),
        ("/whoapproves fcs55", "who_approves", "fcs55"),
        ("/retrystep prk66", "retry_step", "prk66"),
    ],
)
def test_a_slash_command_spelt_as_its_intent(text: str, intent: str, task: str) -> None:
    u = understand(text)
    assert (u.intent, u.task_id, u.slash_command) == (intent, task, True), u


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # Spanish and Portuguese say a negative command in another mood: never done
        ("no canceles lo del whale songs, porfa", "cancel", "whl44", "negation", "explain"),
        ("no apruebes el stock forecast todavía", "approve", "fcs55", "negation", "explain"),
        ("no rechacen el stock forecast, espera a tomas", "reject", "fcs55", "negation",
         "explain"),
        ("não cancele o tide gauges", "cancel", "tid11", "negation", "explain"),
        # a question, a mute, the channel, a hello
        ("¿qué tal va lo del crew rosters? pregunta el jefe", "status", "crw33", "question",
         "act"),
        ("por que falhou o park permits?", "why_failed", "prk66", "question", "act"),
        ("stumm schalten: whale songs, bis 17 uhr", "mute", "whl44", "command", "act"),
        ("mándame los avisos por email", "notify_channel", None, "command", "act"),
        ("moin", "greeting", None, "statement", "act"),
        # "wer darf" is German together, though "wer" alone is a word of a step ("compute wer")
        ("wer darf den stock forecast freigeben?", "who_approves", "fcs55", "question", "act"),
    ],
)  # fmt: skip
def test_negative_commands_and_everyday_words_of_other_languages(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize("text", ["pause the oil one", "mute the oil thing till friday"])
def test_a_short_word_near_a_names_word_is_asked_about_first(text: str) -> None:
    # "oil" is one letter from "owl": a typo as often as a word of its own
    u = understand(text)
    assert u.task_id in (None, "owl77"), u
    assert not acts_at_once(u)


def test_a_short_name_word_said_as_written_still_acts() -> None:
    check_reading(TASKS, "pause the owl cams", "pause", "owl77", "command", "act")


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # a short stop without its article ("for moment") is still a pause
        ("stop the tide gauges for moment, we swap the cable", "pause", "tid11", "command",
         "act"),
        # an everyday word for cancelling, then starting again: a new run
        ("nuke it and start over", "restart", "prk66", "command", "confirm"),
        ("ditch the park permits and run it again from the top", "restart", "prk66", "command",
         "confirm"),
        # alerts reactivated are unmuted
        ("reactivate alerts for the whale songs", "unmute", "whl44", "command", "act"),
    ],
)  # fmt: skip
def test_everyday_words_for_a_pause_a_new_run_and_alerts_back_on(
    text: str, intent: str, task: str, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome, context_task="prk66")


@pytest.mark.parametrize(
    ("text", "act", "outcome"),
    [
        # which updates, not no updates: only the start and the finish are still wanted
        ("stop messaging me about every step, only the start and the end", "command", "act"),
        ("stop sending me per-step updates, just starts and finishes", "command", "act"),
        ("I'd like every single stage update, I need to see it all", "wish", "act"),
        ("what sorts of alerts do I get at the moment?", "question", "explain"),
    ],
)
def test_which_updates_are_settings(text: str, act: str, outcome: str) -> None:
    check_reading(TASKS, text, "notify_settings", None, act, outcome)


@pytest.mark.parametrize("text", ["who won the match last night", "what a match that was 👀"])
def test_one_near_word_alone_names_no_task_in_a_message_we_cannot_read(text: str) -> None:
    # "match" is one letter from the "batch" kind of the park permits
    u = understand(text)
    assert (u.intent, u.task_id, u.resolution) == ("unknown", None, "none"), u


def test_a_short_word_near_a_step_word_is_its_own() -> None:
    # "full" is one letter from the "fill gaps" step: the step in view is the one retried
    check_reading(TASKS, "retry that step, no full restart", "retry_step", "prk66", "negation",
                  "confirm", context_task="prk66")  # fmt: skip


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("is it possible to pause the tide gauges while they wait for approval?", "pause", "tid11"),
        ("would it be ok to cancel the crew rosters until the contracts are signed off?",
         "cancel", "crw33"),
    ],
)  # fmt: skip
def test_the_action_asked_about_before_a_condition_that_names_another(
    text: str, intent: str, task: str
) -> None:
    check_reading(TASKS, text, intent, task, "question", "explain")


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("I was going to pause the whale songs but meh, let it finish", "pause", "whl44"),
        ("we were about to cancel the crew rosters, then olu fixed the contracts", "cancel",
         "crw33"),
    ],
)  # fmt: skip
def test_an_action_meant_and_not_done_is_never_done(text: str, intent: str, task: str) -> None:
    check_reading(TASKS, text, intent, task, "negation", "explain")


@pytest.mark.parametrize(
    "text",
    ["what happened to the park permits overnight?", "what happened to the park permits last night",
     "what happened with the park permits, who did what?"],
)  # fmt: skip
def test_what_happened_overnight_to_a_failed_task_asks_its_history(text: str) -> None:
    check_reading(TASKS, text, "history", "prk66", "question", "act")
