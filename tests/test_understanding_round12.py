"""Round twelve's general readings, pinned over tasks of their own (none from the labelled
splits): a task's name said in another language, as its cognate or inside a compound, with the
small words of that language around it (and asked about before anything is done); an
inflection of a word that is both a step's and the title's; the clippings people say for a
name's long word; a step's word before a compound of a title's; the everyday words of Swedish
and Dutch and the words of the lists, approvals and settings other languages lacked; and a few
idioms ("when will it land", "what was the exception", "hold off on signing off").

Each case pins the intent, the task, the speech act and what the policy does with it."""

from __future__ import annotations

import pytest

from intents import TaskRef
from intents.cognates import cognate_key, compound_keys
from tests.helpers.understand import acts_at_once, check_reading, understand_over

TASKS = [
    TaskRef("rvr12", "River Flood Simulation", "flood sim", "running", 900.0,
            owner="nadia", kind="simulation run",
            steps=("load gauges", "solve hydraulics", "render maps")),
    TaskRef("lab34", "Telescope Lens Calibration", "lens", "paused", 880.0,
            owner="oskar", kind="calibration job",
            steps=("warm detectors", "capture darks", "fit lens model")),
    TaskRef("hrb56", "Hospital Records Migration", "records", "running", 860.0,
            owner="ines", kind="database migration",
            steps=("export charts", "map patient ids", "load into archive")),
    TaskRef("shp78", "Cargo Ship Schedule Rebuild", "cargo", "approval", 840.0,
            owner="pieter", kind="schedule optimiser",
            steps=("import berths", "solve schedule", "harbourmaster sign-off",
                   "publish schedule")),
    TaskRef("dcs90", "Course Catalog Deploy", "catalog", "approval", 820.0,
            owner="maya", kind="deploy",
            steps=("build", "smoke tests", "dean sign-off", "production rollout")),
    TaskRef("vid11", "Parish Register Scan", "registers", "running", 800.0,
            owner="ewa", kind="digitisation batch",
            steps=("unbox volumes", "scan pages", "ocr text")),
    TaskRef("hbr44", "Harbour Crane Telemetry", "cranes", "failed", 780.0,
            owner="lars", kind="telemetry job", steps=("poll sensors", "store readings")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("words", "key"),
    [
        # the abstract noun of an act, in each language's ending
        (("calibration", "calibración", "Kalibrierung", "kalibrasyon", "kalibratie",
          "kalibracja"), "calibration"),
        (("simulation", "simulación", "simülasyonu", "simulering", "simuleringen",
          "simulazione"), "simulation"),
        # the plural, a final vowel, a doubled letter, a prosthetic e, the French "-ement"
        (("archive", "archivo", "archivio"), "archiv"),
        (("model", "modell", "modello"), "model"),
        (("scan", "escaneo"), "scan"),
        (("deploy", "deployment", "déploiement"), "deploi"),
        # the Romance "-ulo" is the English "-le" or "-ule"
        (("title", "titles", "título", "títulos"), "titl"),
        (("module", "módulo", "modulo"), "modl"),
    ],
)  # fmt: skip
def test_cognates_fold_to_one_spelling(words: tuple[str, ...], key: str) -> None:
    assert {cognate_key(w.lower()) for w in words} == {key}


def test_a_compound_has_the_keys_of_its_parts() -> None:
    assert "calibration" in compound_keys("spiegelkalibrierung")
    assert "calibration" in compound_keys("kalibrierungsjob")  # a linking s, a short "job"
    assert "simulation" in compound_keys("vingsimuleringen")
    # an English compound's short parts are no name's words ("Sheet Export", "House Prices")
    assert cognate_key("sheet") not in compound_keys("timesheet")
    assert cognate_key("house") not in compound_keys("warehouse")


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # a name's word as another language writes it, with that language's small words
        ("¿cómo va la simulación de inundaciones?", "status", "rvr12", "question", "act"),
        ("status dla migracji rekordów?", "status", "hrb56", "question", "act"),
        ("simülasyonu ne zaman biter?", "eta", "rvr12", "question", "act"),
        ("brich die Kalibrierung ab", "cancel", "lab34", "command", "confirm"),
        # inside a compound of German, Dutch or Swedish
        ("zeig mir die Logs der Objektivkalibrierung", "logs", "lab34", "command", "act"),
        ("visa loggarna för översvämningssimuleringen", "logs", "rvr12", "command", "act"),
        # its complement after it, as those languages put it: the name's, no other thing's
        ("pausa la simulación del río", "pause", "rvr12", "command", "confirm"),
        ("status do deploy dos cursos do catálogo?", "status", "dcs90", "question", "act"),
        ("retomar o job da calibração por favor", "resume", "lab34", "command", "confirm"),
        # a head noun said in French after its article, though "deploy" also asks
        ("annule le déploiement du catalogue", "cancel", "dcs90", "command", "confirm"),
        # (in English, the thing a task's word is said of is still another thing, and a small
        # word of Dutch that English uses too is English's: "the van flood sim" is a van's)
        ("pause the migration of the birds", "pause", None, "command", "clarify"),
        ("pause the van flood sim", "pause", None, "command", "clarify"),
    ],
)  # fmt: skip
def test_a_name_said_in_another_language_names_its_task(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    "text", ["pausa la calibración de la lente, porfa", "pauzeer de lenskalibratie"]
)
def test_a_name_read_across_languages_is_asked_about_before_a_change(text: str) -> None:
    u = check_reading(TASKS, text, "pause", "lab34", "command", "confirm")
    assert u.named_in_part and not acts_at_once(u)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # "scanning" of a "scan pages" step and a "Parish Register Scan": the title too
        ("how long until the scanning is done?", "eta", "vid11", "question", "act"),
        ("please hold the scanning job for now", "pause", "vid11", "command", "act"),
        # the clippings people say: an owner's "sim", the "calib job"
        ("is nadia's sim done?", "status", "rvr12", "question", "act"),
        ("nadia's sim died overnight, what broke?", "why_failed", "rvr12", "question", "act"),
        ("resume the calib job", "resume", "lab34", "command", "act"),
        # a step's word said as it is is no compound of a title's ("Harbour Crane")
        ("what's the status of the harbourmaster step?", "status", "shp78", "question",
         "act"),
        ("should we cancel the cargo schedule or wait for the harbourmaster?", "cancel",
         "shp78", "suggestion", "confirm"),
    ],
)  # fmt: skip
def test_inflections_clippings_and_step_words_name_their_task(
    text: str, intent: str, task: str, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # Swedish
        ("visa loggarna för flood sim", "logs", "rvr12", "command", "act"),
        ("avbryt lens calibration", "cancel", "lab34", "command", "confirm"),
        # Dutch, with the particle that ends its clause
        ("wijs de catalog deploy af", "reject", "dcs90", "command", "act"),
        ("keur de cargo schedule goed", "approve", "shp78", "command", "act"),
        ("demp de meldingen van de flood sim", "mute", "rvr12", "command", "act"),
        # who decides, the settings and the lists in Polish, Italian, German and French
        ("kto zatwierdza cargo schedule?", "who_approves", "shp78", "question", "act"),
        ("riattiva le notifiche del flood sim", "unmute", "rvr12", "command", "act"),
        ("zeig mir alle Aufgaben", "list_tasks", None, "command", "act"),
        ("quelles tâches sont en pause ?", "list_tasks", None, "question", "act"),
        # Italian says its negative command with the infinitive
        ("non annullare la calibrazione", "cancel", "lab34", "negation", "explain"),
        # a Turkish ending after a name's possessive goes with its apostrophe
        ("cargo schedule'ını onayla", "approve", "shp78", "command", "confirm"),
        ("catalog deploy'unu iptal et", "cancel", "dcs90", "command", "confirm"),
    ],
)  # fmt: skip
def test_the_everyday_words_of_more_languages(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        ("when will the catalog deploy land?", "eta", "dcs90", "question", "act"),
        ("the flood sim went red overnight, what was the exception?", "why_failed", "rvr12",
         "question", "act"),
        ("what's the latest output from the records migration?", "logs", "hrb56", "question",
         "act"),
        ("i want updates from the flood sim again", "unmute", "rvr12", "wish", "act"),
        ("only the final results from now on please", "notify_settings", None, "command",
         "act"),
        # which updates stop is a setting; a task's updates stopping, a mute
        ("can you stop sending progress messages, only failures", "notify_settings", None,
         "command", "act"),
        ("stop sending me updates about the flood sim", "mute", "rvr12", "command", "act"),
        ("are you only a status bot, or can you actually manage jobs?", "capabilities", None,
         "question", "act"),
        # refusals: the action named is the one refused, never done
        ("leave the register scan running, don't pause it", "pause", "vid11", "negation",
         "explain"),
        ("hold off on signing off the cargo schedule until pieter is back", "approve", "shp78",
         "negation", "explain"),
    ],
)  # fmt: skip
def test_idioms_read_as_what_they_ask(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


def test_a_word_of_english_other_languages_spell_alike_keeps_its_meaning() -> None:
    # "visa" is Swedish for "show" only before what it shows; "taken" is no Dutch "tasks"
    u = understand_over(TASKS, "my visa was taken care of")
    assert u.intent not in ("logs", "list_tasks") and not acts_at_once(u), u


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("did the dean approve the catalog deploy?", "dcs90"),
        ("did the harbourmaster reject the cargo schedule already?", "shp78"),
    ],
)
def test_did_someone_called_by_a_role_act_asks_what_was_done(text: str, task: str) -> None:
    u = check_reading(TASKS, text, "history", task, "report", "act")
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    "text",
    [
        "no, the one for the flood sim",
        "no, la del flood sim",
        "non, celle du flood sim",
        "nee, ik bedoelde de flood sim",
    ],
)
def test_the_one_of_a_thing_corrects_the_last_request(text: str) -> None:
    # the request just made moves to the task said, and is asked about first
    check_reading(
        TASKS, text, "cancel", "rvr12", "correction", "confirm",
        context_task="lab34", context_intent="cancel",
    )  # fmt: skip


def test_what_happened_before_that_asks_a_failed_tasks_history() -> None:
    # of a failed task "what happened" asks why; earlier than what was told, its history
    check_reading(
        TASKS, "what happened before that?", "history", "hbr44", "question", "act",
        context_task="hbr44", context_intent="why_failed",
    )  # fmt: skip
    check_reading(TASKS, "what happened to the cranes", "why_failed", "hbr44", "question", "act")


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("is the cargo schedule waiting on me or on someone else?", "shp78"),
        ("anything waiting on me?", None),
    ],
)
def test_waiting_on_me_keeps_a_task_said_outright(text: str, task: str | None) -> None:
    check_reading(TASKS, text, "waiting_on_me", task, "question", "act")


@pytest.mark.parametrize("text", ["pausa inte flood sim", "pausa inte simuleringen"])
def test_a_swedish_not_after_its_verb_keeps_the_task_and_acts_on_nothing(text: str) -> None:
    # read as an English "not" before the object it would take the task away ("not that one")
    u = understand_over(TASKS, text)
    assert (u.intent, u.task_id) == ("pause", "rvr12"), u
    assert not acts_at_once(u)
