"""Round eight's general readings, pinned over tasks of their own (none from the labelled splits):
the question words and verbs of other languages for where a task stands, what became of it, when
it is ready, its link and logs, who may decide and what waits, help and what the bot can do, and
the notification settings; a step said as "the step of X" in Spanish and Portuguese.

Each case pins the intent, the task, the speech act and what the policy does with it."""

from __future__ import annotations

import pytest

from intents import TaskRef, Understanding
from tests.helpers.understand import acts_at_once, check_reading, understand_over

TASKS = [
    TaskRef("tid01", "Harbour Tide Forecast", "tide forecast", "running", 900.0,
            owner="femi", kind="model",
            steps=("fetch gauges", "fit harmonics", "publish charts")),
    TaskRef("lib02", "Library Catalogue Merge", "catalogue merge", "failed", 880.0,
            owner="agnes", kind="data migration",
            steps=("export marc", "dedupe titles", "load catalogue")),
    TaskRef("grn03", "Grant Report Pack", "grant report", "approval", 860.0,
            owner="ivo", kind="report",
            steps=("gather figures", "draft narrative", "director review", "submit")),
    TaskRef("bak04", "Bakery Order Import", "order import", "paused", 840.0,
            owner="rosa", kind="pipeline",
            steps=("pull orders", "price items", "push to ovens")),
    TaskRef("snd05", "Sound Library Tagging", "sound tagging", "pending", 820.0,
            owner="kenji", kind="batch", steps=("split clips", "tag clips", "index")),
]  # fmt: skip


def understand(
    text: str, *, context_task: str | None = None, context_intent: str | None = None
) -> Understanding:
    return understand_over(TASKS, text, context_task=context_task, context_intent=context_intent)


def check(text: str, intent: str, task: str | None, act: str, outcome: str) -> Understanding:
    return check_reading(TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        ("come sta andando il tide forecast?", "status", "tid01", "question", "act"),
        ("jak idzie order import?", "status", "bak04", "question", "act"),
        ("o grant report: o que está acontecendo com ele?", "status", "grn03", "question", "act"),
        ("sound tagging ka haal kya hai?", "status", "snd05", "question", "act"),
        ("o tide forecast, o que aconteceu ontem?", "history", "tid01", "question", "act"),
        ("o catalogue merge, o que aconteceu?", "why_failed", "lib02", "question", "act"),
        ("le tide forecast sera prêt quand ?", "eta", "tid01", "question", "act"),
        ("pq o catalogue merge deu erro?", "why_failed", "lib02", "question", "act"),
        ("pokaż logi z catalogue merge", "logs", "lib02", "command", "act"),
        ("dame el enlace del grant report", "open_link", "grn03", "command", "act"),
        ("wer darf den grant report freigeben?", "who_approves", "grn03", "question", "act"),
        ("gibt es was zu genehmigen für mich?", "waiting_on_me", None, "question", "act"),
        ("hilfe", "help", None, "command", "act"),
        ("cosa sai fare?", "capabilities", None, "question", "act"),
        ("mujhe batana jab tide forecast khatam ho", "subscribe", "tid01", "command", "act"),
        ("stummschalten für den order import bitte", "mute", "bak04", "command", "act"),
        ("envoie mes alertes par slack stp", "notify_channel", None, "command", "act"),
        ("benachrichtige mich nur bei fehlern", "notify_settings", None, "command", "act"),
        ("nochmal versuchen: dedupe titles", "retry_step", "lib02", "command", "act"),
        ("omitir el paso de index del sound tagging", "skip_step", "snd05", "command",
         "confirm"),
    ],
)  # fmt: skip
def test_question_words_and_settings_of_other_languages(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check(text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # when it ends, said as a noun
        ("order import est. end time?", "eta", "bak04", "question", "act"),
        ("completion date for the grant report?", "eta", "grn03", "question", "act"),
        # running it anew
        ("give the catalogue merge a fresh start", "restart", "lib02", "command", "confirm"),
        ("start the sound tagging afresh", "restart", "snd05", "command", "confirm"),
        # its page, shared
        ("send me the tide forecast dashboard", "open_link", "tid01", "command", "act"),
        # notifications wanted again
        ("start getting the order import alerts again", "unmute", "bak04", "command", "act"),
        ("turn back on the notifications for the sound tagging", "unmute", "snd05", "command",
         "act"),
        # the tasks one can follow, and how
        ("what jobs can I subscribe to?", "list_tasks", None, "question", "act"),
        ("how do we watch a task?", "help", None, "question", "act"),
        # who holds it up
        ("who is holding up the grant report", "who_approves", "grn03", "question", "act"),
        ("is it up to ivo or up to me to sign off the grant report?", "who_approves", "grn03",
         "question", "act"),
        # the output of a task that was stopped is asked for, not told
        ("what has the order import logged since it was paused?", "logs", "bak04", "question",
         "act"),
    ],
)  # fmt: skip
def test_everyday_english_for_the_questions(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check(text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        # the time a run takes, asked after an action it names
        ("how long does the catalogue merge run when restarted from scratch?", "eta", "lib02"),
        # whose decision, though it ends in the action's verb
        ("which approver is the grant report still waiting on?", "who_approves", "grn03"),
        ("is it up to me or to ivo to sign off?", "who_approves", "grn03"),
        # what can be done through the bot, not a request
        ("could we sign off invoices with the bot?", "capabilities", None),
        # a question before a negated action asks; nothing happens
        ("where's the order import now? no resuming it till monday", "status", "bak04"),
    ],
)
def test_questions_that_name_an_action_change_nothing(
    text: str, intent: str, task: str | None
) -> None:
    u = understand(text)
    assert (u.intent, u.task_id) == (intent, task), u
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        # a person's task, said by what they run or with another language's "of"
        ("how's whatever agnes is running doing?", "status", "lib02"),
        ("reanuda por favor el job de rosa", "resume", "bak04"),
        ("wie läuft der job von kenji?", "status", "snd05"),
        # a step's verb said as its noun, the object of the request
        ("skip indexing this once, we're late", "skip_step", "snd05"),
        # a request's verb ("greenlight") names no task
        ("who can greenlight the director review step?", "who_approves", "grn03"),
        # a step said as "<name> step" outranks another task's step word said in passing ("draft")
        ("should I retry the dedupe step alone, or is a whole new draft better?", "retry_step",
         "lib02"),
    ],
)  # fmt: skip
def test_task_references_by_person_step_and_request_words(
    text: str, intent: str, task: str | None
) -> None:
    u = understand(text)
    assert (u.intent, u.task_id) == (intent, task), u


@pytest.mark.parametrize(
    "text",
    [
        # "it" stands for the speaker's own thing, which no task is
        "my upload to the wiki keeps timing out, retry it",
        "pause my sync on the laptop, it eats the battery",
        # how an action works on any step or task
        "does skipping a step throw away what came before?",
        "will cancelling a job delete its logs?",
    ],
)
def test_no_task_is_picked_for_what_no_task_is(text: str) -> None:
    u = understand(text)
    assert u.task_id is None, u
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("the vendor needs the catalogue merge cancelled, says agnes", "cancel", "lib02"),
        ("ivo needs the grant report approved by noon", "approve", "grn03"),
        ("rosa asked for the order import paused over the holiday", "pause", "bak04"),
    ],
)
def test_someone_elses_wish_for_an_action_is_told_not_done(
    text: str, intent: str, task: str | None
) -> None:
    u = understand(text)
    assert (u.intent, u.task_id, u.act) == (intent, task, "report"), u
    assert not acts_at_once(u)


def test_the_speakers_own_wish_said_by_its_participle_still_asks() -> None:
    u = understand("I want the order import paused tonight")
    assert (u.intent, u.task_id, u.act) == ("pause", "bak04", "wish"), u


def test_an_adverb_of_time_beside_a_step_names_nothing_else() -> None:
    u = understand("if I approve it now, would director review begin instantly?")
    assert (u.intent, u.task_id) == ("approve", "grn03"), u
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    "text",
    [
        # a complaint about notifications is no wish to have them back
        "I keep getting the order import alerts again and again",
        "getting the tide forecast notifications again is annoying",
        "don't want the sound tagging pings again",
        # a fresh start someone could use some day is asked about first
        "a fresh start for the grant report would be nice one day",
    ],
)
def test_notifications_again_and_fresh_starts_said_in_passing_change_nothing(text: str) -> None:
    assert not acts_at_once(understand(text))


@pytest.mark.parametrize(
    "text",
    [
        "why has the catalogue merge not succeeded?",
        "why didn't the catalogue merge work, it was fine on monday",
        "why hasnt the catalogue merge gone through",
    ],
)
def test_why_a_task_has_not_succeeded_asks_why_it_failed(text: str) -> None:
    u = understand(text)
    assert (u.intent, u.task_id, u.act) == ("why_failed", "lib02", "question"), u


@pytest.mark.parametrize(
    "text",
    [
        "who still has to approve the grant report?",
        "don't mute the grant report, just tell me who still has to sign it",
    ],
)
def test_who_still_has_to_decide_is_a_question(text: str) -> None:
    u = understand(text)
    assert (u.intent, u.task_id) == ("who_approves", "grn03"), u
    assert not acts_at_once(u)
