"""Round eleven's general readings, pinned over tasks of their own (none from the labelled
splits): a notification channel is never the name of a task; "kick it off again from the start"
runs a task anew; a task named by a word of its name in the "-ics" form ("genome" of
"Genomics"); and the small words of other languages between a verb and a name, their negative
commands, and their words for an optimiser.

Each case pins the intent, the task, the speech act and what the policy does with it."""

from __future__ import annotations

import pytest

from intents import TaskRef, Understanding
from tests.helpers.understand import acts_at_once, check_reading, understand_over

TASKS = [
    TaskRef("mlr11", "Gala Invitations Send", "gala invites", "completed", 900.0,
            owner="odile", kind="email campaign",
            steps=("pick recipients", "render cards", "post to list")),
    TaskRef("slk22", "Slack Archive Export", "slack export", "running", 880.0,
            owner="ben", kind="export job", steps=("list channels", "dump messages")),
    TaskRef("prt33", "Protein Folding Proteomics Sweep", "folding sweep", "running", 860.0,
            owner="kay", kind="bioinformatics run",
            steps=("load sequences", "fold proteins", "rank structures")),
    TaskRef("kln44", "Kiln Temperature Forecast", "kiln forecast", "paused", 840.0,
            owner="jo", kind="training job", steps=("read sensors", "fit model")),
    TaskRef("bus55", "Bus Route Optimiser", "bus routes", "running", 820.0,
            owner="ana", kind="optimisation job", steps=("load timetables", "solve routes")),
]  # fmt: skip


def understand(text: str, *, context_task: str | None = None) -> Understanding:
    return understand_over(TASKS, text, context_task=context_task)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # a channel beside an "email campaign" or a "Slack Archive Export" is where updates go,
        # and "send" of an "Invitations Send" a verb of the setting: about no task
        ("send all my pings to email from now", "notify_channel", None, "command", "act"),
        ("put my alerts on slack please", "notify_channel", None, "command", "act"),
        ("envíame los avisos por correo", "notify_channel", None, "command", "act"),
        ("i'd rather not get anything by mail", "notify_channel", None, "wish", "confirm"),
        # a task's name said outright still makes the setting its own
        ("send the gala invites alerts to telegram", "notify_channel", "mlr11", "command",
         "act"),
    ],
)  # fmt: skip
def test_a_channel_is_never_a_task_name(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # from the start, the top or scratch: the whole run again, asked before it is done
        ("kick the kiln forecast off again from the top", "restart", "kln44", "command",
         "confirm"),
        ("pls kick the folding sweep off again from scratch", "restart", "prt33", "command",
         "confirm"),
        # without it, set going again
        ("kick the kiln forecast off again", "resume", "kln44", "command", "act"),
    ],
)  # fmt: skip
def test_kicked_off_again_from_the_start_runs_anew(
    text: str, intent: str, task: str, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # "proteome" and "Proteomics" meet halfway, as "genome" and "genomics" do
        ("how's the proteome job doing?", "status", "prt33", "question", "act"),
        ("the proteomic thing, when is it done?", "eta", "prt33", "question", "act"),
    ],
)  # fmt: skip
def test_a_word_in_its_ics_form_names_its_task(
    text: str, intent: str, task: str, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # the small words of Italian, Spanish and Turkish no longer stand between verb and name
        ("non mettere in pausa il folding sweep", "pause", "prt33", "negation", "explain"),
        ("silencia el folding sweep por una hora", "mute", "prt33", "command", "act"),
        ("folding sweep işi ne durumda?", "status", "prt33", "question", "act"),
        # Polish says a negative command with the imperfective verb: never done
        ("nie anuluj tego folding sweep", "cancel", "prt33", "negation", "explain"),
        ("nie wznawiaj kiln forecast", "resume", "kln44", "negation", "explain"),
        # an optimiser and its optimisation, in the words of other languages
        ("pausa el optimizador de rutas", "pause", "bus55", "command", "act"),
        ("anuluj optymalizację tras", "cancel", "bus55", "command", "confirm"),
        ("starte die Routen-Optimierung neu", "restart", "bus55", "command", "confirm"),
    ],
)  # fmt: skip
def test_the_small_words_and_negative_commands_of_other_languages(
    text: str, intent: str, task: str, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


def test_a_polish_report_of_an_action_asks_nothing() -> None:
    u = understand("kto wstrzymał kiln forecast?")
    assert (u.intent, u.task_id) == ("history", "kln44"), u
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # "yet" asks how a task stands ("has the kiln forecast finished yet?"), but after "did
        # someone <action>" it still asks what was done
        ("did jo pause the kiln forecast yet?", "history", "kln44", "report", "act"),
        ("did ana cancel the bus routes yet", "history", "bus55", "report", "act"),
        ("has the folding sweep finished yet?", "status", "prt33", "question", "act"),
    ],
)  # fmt: skip
def test_did_someone_act_yet_asks_what_was_done(
    text: str, intent: str, task: str, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # where updates go: every channel, or one said in Polish
        ("ping us everywhere from now on", "notify_channel", None, "command", "act"),
        ("wyślij powiadomienia mailem", "notify_channel", None, "command", "act"),
        # who decides, the object inside the verb ("signed it off" is what was done)
        ("ok and who signs the kiln forecast off?", "who_approves", "kln44", "question", "act"),
        # what the bot is for and how to use it
        ("what sorts of questions can we ask the bot?", "capabilities", None, "question", "act"),
        ("is the bot just for watching jobs or can it change them?", "capabilities", None,
         "question", "act"),
        ("is there a manual for this bot", "help", None, "question", "act"),
        ("where do i find the bot documentation", "help", None, "question", "act"),
    ],
)  # fmt: skip
def test_settings_approvers_and_the_bot_itself(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


def test_who_signed_it_off_asks_what_was_done() -> None:
    u = understand("who signed the kiln forecast off?")
    assert (u.intent, u.task_id) == ("history", "kln44"), u
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # someone else's need, after a negated action, is a reason, not a question
        ("don't cancel the folding sweep, the chemists need results by monday", "cancel", "prt33",
         "negation", "explain"),
        # the speaker's own still asks
        ("don't cancel the folding sweep, i just need the eta", "eta", "prt33", "negation",
         "act"),
        # "not going to ..." declines the action; it moves no request to another task
        ("not gonna cancel the bus routes over one slow night", "cancel", "bus55", "negation",
         "explain"),
        ("not going to resume the kiln forecast, the sensors are off", "resume", "kln44",
         "negation", "explain"),
    ],
)  # fmt: skip
def test_a_reason_or_a_decision_against_an_action_changes_nothing(
    text: str, intent: str, task: str, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # which updates, not where they go
        ("switch me to failures-only alerts", "notify_settings", None, "command", "act"),
        ("move us over to daily digest notifications", "notify_settings", None, "command",
         "act"),
        # a channel there says where they go, about no task (not the "email campaign")
        ("switch me to email updates", "notify_channel", None, "command", "act"),
        ("move us over to telegram please", "notify_channel", None, "command", "act"),
        # "put me on a task's notifications" subscribes
        ("put me on the kiln forecast notifications", "subscribe", "kln44", "command",
         "confirm"),
    ],
)  # fmt: skip
def test_switched_to_some_updates_is_a_setting(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # a compound of another language opens with a word of the task's title
        ("wann ist die Proteinfaltung fertig?", "eta", "prt33", "question", "act"),
        ("nicht abbrechen, die Proteinfaltung läuft noch", "cancel", "prt33", "negation",
         "explain"),
    ],
)  # fmt: skip
def test_a_compound_opening_with_a_title_word_names_its_task(
    text: str, intent: str, task: str, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


def test_a_short_word_is_no_compound() -> None:
    # a title word of fewer than five letters opens no compound ("kiln" of "kilnstuff")
    assert understand("status of the kilnstuff").task_id is None
