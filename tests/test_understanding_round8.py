"""Round eight's general readings, pinned over tasks of their own (none from the labelled splits):
the question words and verbs of other languages for where a task stands, what became of it, when
it is ready, its link and logs, who may decide and what waits, help and what the bot can do, and
the notification settings; a step said as "the step of X" in Spanish and Portuguese.

Each case pins the intent, the task, the speech act and what the policy does with it."""

from __future__ import annotations

import pytest

from bot.chat.policy import decide
from intents import TaskRef, Understanding
from tests.helpers.understand import understand_over

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
    u = understand(text)
    assert (u.intent, u.task_id, u.act, decide(u).outcome) == (intent, task, act, outcome), u
    return u


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
