"""Round thirteen's general reading, pinned over tasks of its own (none from the labelled
splits): a task's English name said in translation, in Spanish, German, French, Portuguese,
Italian, Dutch, Polish, Swedish or Turkish ("der Fahrplan" of a "Timetable", "la flota" of a
"Fleet"), read as a cognate is: it names the task, and a change to a task named only so is
asked about first. English messages, words that are English too, and another thing's backup
keep their readings.

Each case pins the intent, the task, the speech act and what the policy does with it."""

from __future__ import annotations

import pytest

from intents import TaskRef
from intents.translations import TRANSLATIONS, translations
from tests.helpers.understand import acts_at_once, check_reading

TASKS = [
    TaskRef("dfc10", "Demand Forecast Refresh", "forecast", "running", 900.0,
            owner="ana", kind="forecast job", steps=("load sales", "fit model", "publish")),
    TaskRef("ttb20", "Regional Timetable Rebuild", "timetable", "paused", 880.0,
            owner="jonas", kind="schedule optimiser", steps=("import stops", "solve", "publish")),
    TaskRef("bkp40", "Nightly Database Backup", "backup", "running", 840.0,
            owner="marco", kind="backup job", steps=("snapshot", "upload", "verify")),
    TaskRef("whs50", "Warehouse Inventory Sync", "inventory", "failed", 820.0,
            owner="greta", kind="sync job", steps=("fetch stock", "reconcile", "push")),
    TaskRef("flt60", "Fleet Telemetry Ingest", "fleet", "running", 800.0,
            owner="piet", kind="ingest job", steps=("poll trucks", "store readings")),
    TaskRef("inv70", "Supplier Invoice Import", "invoices", "approval", 780.0,
            owner="ewa", kind="import job", steps=("fetch", "parse", "finance sign-off")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("word", "english"),
    [
        ("fahrplan", "timetable"), ("pronóstico", "forecast"), ("flota", "fleet"),
        ("almacén", "warehouse"), ("lager", "inventory"), ("sauvegarde", "backup"),
        ("faktury", "invoice"), ("voorraad", "inventory"), ("tahmin", "forecast"),
        # a compound by its last part (its head), or by its first with a linking s
        ("datensicherung", "backup"), ("säkerhetskopian", "backup"),
        ("sicherungsjob", "backup"), ("wetterbericht", "report"),
    ],
)  # fmt: skip
def test_the_glossary_translates_words_and_compounds(word: str, english: str) -> None:
    assert english in translations(word)


def test_the_glossary_keeps_only_distinctive_words() -> None:
    # English words, short words, and everyday words of a language that name nothing
    for word in ("van", "tid", "port", "pain", "seguro", "weer", "muestra", "water", "hospital"):
        assert translations(word) == (), word
    assert all(len(w) >= 4 and " " not in w for w in TRANSLATIONS)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # status, eta and logs questions by a translated word of the name, in each language
        ("¿cómo va el pronóstico de demanda?", "status", "dfc10", "question", "act"),
        ("quel est le statut de la prévision de la demande ?", "status", "dfc10", "question",
         "act"),
        ("wann ist der Fahrplan fertig?", "eta", "ttb20", "question", "act"),
        ("status van de dienstregeling", "status", "ttb20", "command", "act"),
        ("¿cuándo termina el respaldo?", "eta", "bkp40", "question", "act"),
        ("wann ist die Datensicherung fertig?", "eta", "bkp40", "question", "act"),
        ("¿cómo va la copia de seguridad?", "status", "bkp40", "question", "act"),
        ("zeig mir die Logs vom Lager", "logs", "whs50", "command", "act"),
        ("mostra i log del magazzino", "logs", "whs50", "command", "act"),
        ("logs do estoque", "logs", "whs50", "command", "act"),
        ("status för lagret", "status", "whs50", "command", "act"),
        ("stato della flotta?", "status", "flt60", "question", "act"),
        ("ne zaman biter filo?", "eta", "flt60", "question", "act"),
        ("zeig mir die Logs der Rechnungen", "logs", "inv70", "command", "act"),
        ("status van de facturen", "status", "inv70", "command", "act"),
        ("ne zaman biter tahmin?", "eta", "dfc10", "question", "act"),
    ],
)  # fmt: skip
def test_a_name_said_in_translation_names_its_task(
    text: str, intent: str, task: str, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("pausa la flota", "pause", "flt60"),
        ("mettez en pause la flotte", "pause", "flt60"),
        ("pausa a frota", "pause", "flt60"),
        ("wstrzymaj prognozę popytu", "pause", "dfc10"),
        ("pauzeer de voorraad", "pause", "whs50"),
        ("halte die Sicherung an", "pause", "bkp40"),
        ("annule la sauvegarde", "cancel", "bkp40"),
    ],
)
def test_a_name_said_only_in_translation_is_asked_about_before_a_change(
    text: str, intent: str, task: str
) -> None:
    u = check_reading(TASKS, text, intent, task, "command", "confirm")
    assert u.named_in_part and not acts_at_once(u)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # English keeps its reading: a name's own word is no guess
        ("pause the timetable rebuild", "pause", "ttb20", "command", "act"),
        ("is the backup done?", "status", "bkp40", "question", "act"),
        ("status of the fleet", "status", "flt60", "command", "act"),
        # another thing's backup, said in Spanish, is no task's
        ("¿cómo va la copia de seguridad de mi teléfono?", "status", None, "question",
         "clarify"),
        ("pausa la copia de seguridad de mi teléfono", "pause", None, "command", "clarify"),
        ("status of my phone's backup", "status", None, "command", "clarify"),
        # a short word of Dutch or Swedish that English uses too names nothing
        ("pause the van", "pause", None, "command", "clarify"),
        ("how is the tid going", "status", None, "question", "clarify"),
    ],
)  # fmt: skip
def test_english_and_other_things_keep_their_readings(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)
