"""Round fourteen (b)'s general reading of task references, pinned over tasks of its own (none
from the labelled splits): a step named by its object alone ("the power curve" of "fit power
curve") or turned into a noun phrase ("the lead scoring" of "score leads") names its task, over
a word it shares with another task's title.

Each case pins the intent, the task, the speech act and what the policy does with it."""

from __future__ import annotations

import pytest

from intents import TaskRef
from tests.helpers.understand import acts_at_once, check_reading

TASKS = [
    TaskRef("wnd10", "Coastal Wind Output Report", "windreport", "failed", 900.0,
            owner="lars", kind="report job",
            steps=("fetch turbine data", "fit power curve", "publish summary")),
    TaskRef("prc20", "Tariff Curve Refresh", "tariffs", "running", 890.0,
            owner="noor", kind="pricing job", steps=("load tariffs", "smooth", "publish")),
    TaskRef("crm30", "Sales Lead Import", "leads", "running", 880.0,
            owner="tomas", kind="import job", steps=("fetch", "dedupe", "load")),
    TaskRef("ads40", "Ad Campaign Digest", "digest", "running", 870.0,
            owner="ines", kind="digest job", steps=("load clicks", "score leads", "send digest")),
    TaskRef("grn50", "Greenhouse Climate Monitor", "greenhouse", "paused", 860.0,
            owner="ruth", kind="monitoring job",
            steps=("read soil probes", "check humidity", "daily summary")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # a step's object, without its verb, over a word another task's title has
        ("why did the power curve fail?", "why_failed", "wnd10", "question", "act"),
        ("logs of the power curve fit", "logs", "wnd10", "command", "act"),
        ("what if we resume and the soil probe is still dead", "resume", "grn50",
         "hypothetical", "explain"),
        # a verb and its object turned into a noun phrase
        ("is it safe to skip lead scoring?", "skip_step", "ads40", "question", "explain"),
        ("how is the leads scoring going", "status", "ads40", "question", "act"),
        # the title's word alone still names its own task
        ("status of the curve refresh", "status", "prc20", "command", "act"),
        ("how are the leads doing", "status", "crm30", "question", "act"),
    ],
)  # fmt: skip
def test_a_step_said_by_its_object_or_turned_names_its_task(
    text: str, intent: str, task: str, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


FOREIGN_TASKS = [
    TaskRef("clf60", "Churn Classifier v2", "churn2", "running", 900.0,
            owner="maya", kind="training job", steps=("load events", "fit", "evaluate")),
    TaskRef("chs70", "Cheese Cave Fermentation Log", "cave", "running", 890.0,
            owner="olle", kind="monitoring job", steps=("read probes", "daily digest")),
    TaskRef("map80", "City Basemap Tiling", "basemap", "failed", 880.0,
            owner="iker", kind="map pipeline", steps=("fetch osm", "render", "upload")),
    TaskRef("frc90", "Grain Price Forecast", "grain", "running", 870.0,
            owner="ewa", kind="simulation", steps=("load prices", "fit", "publish")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # a task's kind said in another language, by the glossary or as a cognate
        ("¿cuándo termina el entrenamiento?", "eta", "clf60", "question", "act"),
        ("logi treningu", "logs", "clf60", "command", "act"),
        ("status der Simulation", "status", "frc90", "command", "act"),
        # glossary words added: fermentation and tiles
        ("status för jäsningen", "status", "chs70", "command", "act"),
        ("zeig mir die Logs der Gärung", "logs", "chs70", "command", "act"),
        ("quel est le statut des tuiles ?", "status", "map80", "question", "act"),
        # that language's everyday words about the name, which no table lists, name no other
        # thing
        ("kiedy będzie gotowa prognoza?", "eta", "frc90", "question", "act"),
        ("dlaczego kafelki znowu się wysypały?", "why_failed", "map80", "question", "act"),
        # English, and another thing's forecast, keep their readings
        ("how is the training going", "status", "clf60", "question", "act"),
        ("pausa la copia de seguridad de mi teléfono", "pause", None, "command", "clarify"),
    ],
)  # fmt: skip
def test_a_kind_or_a_name_said_in_another_language_names_its_task(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check_reading(FOREIGN_TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("wstrzymaj trenowanie", "pause", "clf60"),
        ("pausa el entrenamiento", "pause", "clf60"),
    ],
)
def test_a_kind_said_only_in_another_language_is_asked_about_before_a_change(
    text: str, intent: str, task: str
) -> None:
    u = check_reading(FOREIGN_TASKS, text, intent, task, "command", "confirm")
    assert u.named_in_part and not acts_at_once(u)


WORD_TASKS = [
    TaskRef("drn11", "Harbour Drone Survey", "drone", "running", 900.0,
            owner="kai", kind="imagery job", steps=("fly grid", "stitch photos", "publish map")),
    TaskRef("lec22", "Lecture Transcription Queue", "lectures", "running", 890.0,
            owner="ada", kind="speech batch", steps=("fetch audio", "transcribe", "review")),
    TaskRef("clf60", "Churn Classifier v2", "churn2", "running", 880.0,
            owner="maya", kind="training job", steps=("load events", "fit", "evaluate")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # what a work makes, said for the work: "the transcripts" of a transcription
        ("are the lecture transcripts ready?", "status", "lec22", "question", "act"),
        ("eta on transcripts?", "eta", "lec22", "question", "act"),
        # the everyday word for a kind's word: "satellite", "aerial" of an imagery job
        ("when is the satellite job done?", "eta", "drn11", "question", "act"),
        ("logs of the aerial run", "logs", "drn11", "command", "act"),
        ("why did the satellite stuff stop", "why_failed", "drn11", "question", "act"),
    ],
)  # fmt: skip
def test_everyday_words_for_a_name_or_a_kind_name_the_task(
    text: str, intent: str, task: str, act: str, outcome: str
) -> None:
    check_reading(WORD_TASKS, text, intent, task, act, outcome)


VERB_TASKS = [
    TaskRef("spm31", "Spam Filter Retrain", "spamfilter", "running", 900.0,
            owner="rafa", kind="training job", steps=("pull reports", "fit", "ship")),
    TaskRef("fld33", "Coastal Flood Alerts", "alerts", "running", 880.0,
            owner="mo", kind="alerting job", steps=("read gauges", "notify")),
    TaskRef("frm32", "Forum Weekly Digest", "digest", "running", 890.0,
            owner="lin", kind="mailing job", steps=("collect threads", "render", "send")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # a name's word said as a verb, after a modal and before its object, names nothing
        ("unmuting the mailing job now would spam the channel", "unmute", "frm32",
         "hypothetical", "explain"),
        ("resuming the retrain now could flood the inbox", "resume", "spm31", "hypothetical",
         "explain"),
        ("will the flood alerts finish today?", "eta", "fld33", "question", "act"),
        ("how is the spam filter doing", "status", "spm31", "question", "act"),
        ("will the spam filter finish today?", "eta", "spm31", "question", "act"),
        # an owner's name before what a task is called, the possessive gone
        ("pause rafa job", "pause", "spm31", "command", "act"),
        ("is lin job done yet?", "status", "frm32", "question", "act"),
        # a long message naming two tasks: the one its asking clause names
        ("the harbour office sent three emails already, I know retrains take time but by when "
         "is the coastal run finished?", "eta", "fld33", "question", "act"),
    ],
)  # fmt: skip
def test_a_names_word_as_a_verb_and_an_owner_without_possessive(
    text: str, intent: str, task: str, act: str, outcome: str
) -> None:
    check_reading(VERB_TASKS, text, intent, task, act, outcome)


STEP_TASKS = [
    TaskRef("aud41", "Museum Audio Guide Build", "audioguide", "failed", 900.0,
            owner="kai", kind="build",
            steps=("record narration", "normalise loudness", "extract chapters", "publish")),
    TaskRef("cad42", "Bridge Survey Processing", "bridge", "running", 890.0,
            owner="ada", kind="survey job",
            steps=("import scans", "register points", "mesh", "export report")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # a step's word said in another language, as the noun of its act or in a compound: a
        # guess, asked about before anything changes
        ("überspringe den Schritt Extraktion", "skip_step", "aud41", "command", "confirm"),
        ("wiederhole den Schritt Normalisierung", "retry_step", "aud41", "command", "confirm"),
        ("salta el paso de normalización", "skip_step", "aud41", "command", "confirm"),
        ("überspring die Kapitelextraktion", "skip_step", "aud41", "command", "confirm"),
    ],
)  # fmt: skip
def test_a_step_said_in_another_language_names_its_task(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check_reading(STEP_TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome", "context"),
    [
        # the request said alone in its clause, a reason beside it: the task in view
        ("precision dropped on the holdout set, pause", "pause", "spm31", "command", "act",
         "spm31"),
        ("threads look duplicated. pause please", "pause", "frm32", "command", "act", "frm32"),
        # with no task in view the reason's words still name nothing
        ("precision dropped on the holdout set, pause", "pause", None, "command", "clarify",
         None),
        # a change whose own words name another thing keeps to them
        ("pause the holdout set", "pause", None, "command", "clarify", "spm31"),
    ],
)  # fmt: skip
def test_a_bare_request_beside_its_reason_means_the_task_in_view(
    text: str, intent: str, task: str | None, act: str, outcome: str, context: str | None
) -> None:
    check_reading(VERB_TASKS, text, intent, task, act, outcome, context_task=context)


@pytest.mark.parametrize(
    ("text", "task"),
    [
        # a task the context before a request mentions is no task the setting is about
        ("I moderate the forum on weekends and the bot keeps pinging me at night, could you set "
         "quiet hours from 10pm to 7am", None),
        ("my job at the forum is nights, could you set quiet hours from 9am to 5pm", None),
        # named in the request itself, a setting may be the task's
        ("only a daily summary for the forum digest please", "frm32"),
        ("the forum digest is noisy, could you switch it to a daily summary", "frm32"),
    ],
)  # fmt: skip
def test_a_setting_is_about_the_task_its_request_names(text: str, task: str | None) -> None:
    check_reading(VERB_TASKS, text, "notify_settings", task, "command", "act")
