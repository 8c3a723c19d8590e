"""Round seventeen's general causes, pinned over tasks of its own (none from the labelled splits):
the glossary's new everyday nouns (bike, planner, pharmacy, cookbook, league, youth) and the one
spelling of the Latin "qu" ("acuario", "acquario"); an Italian article elided onto its noun; a
step named in a question about its output or its failure; corrections said in other languages;
a wish with an adverb after its subject; "leave it paused" and, after a proposal, "leave it
alone"; everyday Polish, Italian, Swedish, Dutch and French words; /approvals.

Each case pins the intent, the task, the speech act and what the policy does with it; no trap is
acted on."""

from __future__ import annotations

import pytest

from intents import TaskRef
from intents.cognates import cognate_key
from tests.helpers.understand import acts_at_once, check_reading, understand_over

TASKS = [
    TaskRef("bik01", "City Bike Dock Planner", "bikedocks", "running", 900.0,
            owner="noa", kind="optimization job", steps=("count docks", "plan vans")),
    TaskRef("phx02", "Pharmacy Refill Sync", "refills", "approval", 890.0,
            owner="raj", kind="sync job", steps=("pull scripts", "pharmacist sign-off", "send")),
    TaskRef("ckb03", "Cookbook Export", "cookbook", "running", 880.0,
            owner="eli", kind="data pipeline",
            steps=("fetch recipes", "glossary lint", "render pdf")),
    TaskRef("lg04", "Youth League Ranking", "ranking", "running", 870.0,
            owner="tom", kind="batch job", steps=("pull results", "rank teams")),
    TaskRef("aqu05", "Aquarium Pump Monitor", "pumps", "paused", 860.0,
            owner="ana", kind="monitoring job", steps=("read probes", "calibrate probes")),
    TaskRef("hot06", "Hotel Rate Forecast", "rates", "failed", 850.0,
            owner="ken", kind="training job", steps=("load rates", "backfill", "fit model")),
    TaskRef("fer07", "Ferry Demand Forecast", "ferries", "running", 840.0,
            owner="ola", kind="training job", steps=("load trips", "fit model")),
    TaskRef("mus08", "Museum Ticket Migration", "tickets", "running", 830.0,
            owner="ivy", kind="database migration", steps=("copy orders", "switch over")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        ("¿cómo va el planificador de bicis?", "status", "bik01", "question", "act"),
        ("zeig mir die Logs vom Kochbuch-Export", "logs", "ckb03", "command", "act"),
        ("wie läuft die Jugendliga?", "status", "lg04", "question", "act"),
        ("zatwierdź synchronizację apteki", "approve", "phx02", "command", "confirm"),
        ("eczane senkronizasyonunu onayla", "approve", "phx02", "command", "confirm"),
        ("¿cómo va el monitor del acuario?", "status", "aqu05", "question", "act"),
        ("stato dell'acquario?", "status", "aqu05", "question", "act"),
        # (an Italian article elided onto its noun, beside another forecast)
        ("metti in pausa la previsione dell'hotel", "pause", "hot06", "command", "act"),
    ],
)  # fmt: skip
def test_everyday_nouns_of_a_name_in_other_languages_name_its_task(
    text: str, intent: str, task: str, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


def test_the_latin_qu_has_one_cognate_spelling() -> None:
    keys = {cognate_key(w) for w in ("aquarium", "acuario", "acquario", "akwarium", "akvarium")}
    assert len(keys) == 1


@pytest.mark.parametrize(
    ("text", "intent"),
    [("what error did backfill throw", "why_failed"), ("show me the log from backfill", "logs")],
)
def test_a_step_named_in_a_question_about_its_output_names_its_task(text: str, intent: str) -> None:
    u = check_reading(TASKS, text, intent, "hot06", _asked_as(intent), "act")
    assert not acts_at_once(u)


def _asked_as(intent: str) -> str:
    """A why is asked, a log asked for."""
    return "question" if intent == "why_failed" else "command"


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("nein, den Hotel-Forecast meinte ich", "hot06"),
        ("non, celle de l'hôtel", "hot06"),
        ("no, quello dell'acquario", "aqu05"),
    ],
)
def test_a_correction_in_another_language_moves_the_last_request(text: str, task: str) -> None:
    u = check_reading(
        TASKS, text, "pause", task, "correction", "confirm",
        context_task="mus08", context_intent="pause",
    )  # fmt: skip
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("I'd honestly like the pump monitor resumed", "resume", "aqu05"),
        ("i just want the ranking paused", "pause", "lg04"),
    ],
)
def test_a_wish_with_an_adverb_after_its_subject(text: str, intent: str, task: str) -> None:
    check_reading(TASKS, text, intent, task, "wish", "act")


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("just leave the pump monitor paused", "resume", "aqu05"),
        ("leave the ranking muted", "unmute", "lg04"),
        ("anulowanie migracji muzeum to zły pomysł", "cancel", "mus08"),
    ],
)
def test_leaving_a_task_as_it_is_refuses_the_change(text: str, intent: str, task: str) -> None:
    u = check_reading(TASKS, text, intent, task, "negation", "explain")
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    ("text", "context_intent", "intent"),
    [
        ("no, let it be", "pause", "pause"),
        ("nah leave it alone, all good", "pause", "pause"),
        ("nie pauzuj tego", "pause", "pause"),
        # nothing proposed: "leave it alone" refuses a cancel, as it always has
        ("leave it alone", "status", "cancel"),
    ],
)
def test_leave_it_alone_after_a_proposal_refuses_that_action(
    text: str, context_intent: str, intent: str
) -> None:
    u = check_reading(
        TASKS, text, intent, "bik01", "negation", "explain",
        context_task="bik01", context_intent=context_intent,
    )  # fmt: skip
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        ("quali task ci sono?", "list_tasks", None, "question", "act"),
        ("kto zatrzymał planer rowerów?", "history", "bik01", "report", "act"),
        ("försök inte köra backfill igen", "retry_step", "hot06", "negation", "explain"),
        ("keur de apotheek-sync goed aub", "approve", "phx02", "command", "act"),
        ("sla de glossary lint over", "skip_step", "ckb03", "command", "confirm"),
        ("pas de notifications pendant la nuit stp", "notify_settings", None, "command", "act"),
        ("uruchom ponownie prognozę hotelu", "restart", "hot06", "command", "confirm"),
        ("/approvals", "waiting_on_me", None, "statement", "act"),
        # (an SLA said in English is no Dutch skip)
        ("is the sla over?", "status", None, "question", "clarify"),
    ],
)  # fmt: skip
def test_everyday_words_of_other_languages(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


def test_no_new_reading_acts_on_a_trap() -> None:
    for text in ("just leave the pump monitor paused", "försök inte köra backfill igen"):
        assert not acts_at_once(understand_over(TASKS, text))
