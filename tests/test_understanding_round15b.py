"""Round fifteen (b)'s general reading of task references, pinned over tasks of its own (none
from the labelled splits): a task's name said in Dutch, Swedish or Portuguese by the glossary's
new words (customs, cheese, cave, choir, genome, lift, alignment, a release, the payroll) or by
a compound of two of them, among that language's articles and prepositions; and the everyday
English word for what a name is about ("the wind data" of a turbine monitor, "the salaries" of
a payroll).

Each case pins the intent, the task, the speech act and what the policy does with it."""

from __future__ import annotations

import pytest

from intents import TaskRef
from intents.translations import translations
from tests.helpers.understand import acts_at_once, check_reading

TASKS = [
    TaskRef("bcf01", "Border Customs Filing", "borderfiling", "running", 900.0,
            owner="ines", kind="filing job", steps=("collect forms", "submit")),
    TaskRef("chc02", "Alpine Cheese Cave Climate", "cheeseclimate", "running", 890.0,
            owner="otto", kind="monitoring job", steps=("read probes", "report")),
    TaskRef("cho03", "Cathedral Choir Recording", "choirrec", "paused", 880.0,
            owner="lena", kind="audio job", steps=("capture", "edit", "export")),
    TaskRef("gen04", "Barley Genome Sequencing", "barleyseq", "failed", 870.0,
            owner="arjun", kind="sequencing run", steps=("fetch reads", "assemble", "annotate")),
    TaskRef("pay05", "Staff Payroll Export", "payexport", "approval", 860.0,
            owner="nora", kind="export job", steps=("collect hours", "compute", "send")),
    TaskRef("lft06", "Resort Lift Inspection", "liftcheck", "running", 850.0,
            owner="sven", kind="inspection job", steps=("list lifts", "inspect", "report")),
    TaskRef("aln07", "Protein Alignment Batch", "protalign", "running", 840.0,
            owner="mei", kind="batch job", steps=("load sequences", "align", "score")),
    TaskRef("rel08", "Podcast App Release", "podrelease", "approval", 830.0,
            owner="tom", kind="release job", steps=("build", "test", "ship")),
    TaskRef("trb09", "Offshore Turbine Monitor", "turbinemon", "running", 820.0,
            owner="jan", kind="monitoring job", steps=("read scada", "alert")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # the glossary's new words, each language's own
        ("status van de douane", "status", "bcf01", "command", "act"),
        ("status för tullen", "status", "bcf01", "command", "act"),
        ("o estado da alfândega?", "status", "bcf01", "question", "act"),
        ("zeig mir die Logs vom Zoll", "logs", "bcf01", "command", "act"),
        ("status do coral", "status", "cho03", "command", "act"),
        ("status för lönen", "status", "pay05", "command", "act"),
        ("status för släppet", "status", "rel08", "command", "act"),
        ("status för skidliften", "status", "lft06", "command", "act"),
        ("logs van de uitlijning", "logs", "aln07", "command", "act"),
        # compounds: two known words of four letters, or a first part that is no word alone
        ("Status der Käsehöhle", "status", "chc02", "command", "act"),
        ("logs för genomsekvenseringen", "logs", "gen04", "command", "act"),
        ("logs van de salarisbetaling", "logs", "pay05", "command", "act"),
    ],
)  # fmt: skip
def test_a_name_said_in_dutch_swedish_or_portuguese_names_its_task(
    text: str, intent: str, task: str, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # that language's small words English writes too ("van", "met") are its own among its
        # other small words or everyday words
        ("mag ik de logs van de salarisbetaling zien?", "logs", "pay05", "question", "act"),
        ("kan ik de status van de douane zien?", "status", "bcf01", "question", "act"),
        ("hur går det med skidliften?", "status", "lft06", "question", "act"),
        ("wanneer is de uitlijning klaar?", "eta", "aln07", "question", "act"),
        # one alone, in English, is English's: a van's customs are another thing
        ("pause the van customs filing", "pause", None, "command", "clarify"),
        ("status of the van customs", "status", None, "command", "clarify"),
    ],
)  # fmt: skip
def test_small_words_english_writes_too_are_another_languages_among_its_words(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("pausa o coral", "pause", "cho03"),
        ("keur de salarisbetaling goed", "approve", "pay05"),
    ],
)
def test_a_change_to_a_task_named_in_translation_is_asked_about_first(
    text: str, intent: str, task: str
) -> None:
    u = check_reading(TASKS, text, intent, task, "command", "confirm")
    assert not acts_at_once(u)


def test_compounds_split_only_into_known_parts() -> None:
    assert translations("kaasgrot") == ("cave", "cheese")
    assert translations("tullimporten") == ("import", "customs")
    # the Swedish "genom" alone is "through": only a compound's first part names a genome
    assert translations("genom") == ()
    # two short parts of which one is no glossary word make no compound
    assert translations("kaasbord") == ()


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        ("how's the wind data looking", "status", "trb09", "question", "act"),
        ("who signs off on the salaries?", "who_approves", "pay05", "question", "act"),
        ("when will the wages be done", "eta", "pay05", "question", "act"),
    ],
)  # fmt: skip
def test_the_everyday_word_for_what_a_name_is_about_names_the_task(
    text: str, intent: str, task: str, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


def test_a_title_that_says_the_everyday_word_keeps_it() -> None:
    tasks = [
        *TASKS,
        TaskRef(
            "wnd10",
            "Coastal Wind Output Report",
            "windreport",
            "failed",
            900.0,
            owner="lars",
            kind="report job",
            steps=("fetch", "publish"),
        ),
    ]
    check_reading(tasks, "logs of the wind report", "logs", "wnd10", "command", "act")


VERB_TASKS = [
    TaskRef("psh04", "Store Banner Push", "banners", "pending", 870.0,
            owner="di", kind="content deploy", steps=("render", "upload")),
    TaskRef("app02", "Kiosk App Release 3.1", "kiosk", "approval", 890.0,
            owner="bo", kind="app release", steps=("build", "ship")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # a name's word said as the verb of "everything" and where it goes
        ("could you push everything to my email?", "notify_channel", None, "command", "confirm"),
        ("pls push it all to slack", "notify_channel", None, "command", "confirm"),
        ("push everything into telegram", "notify_channel", None, "command", "confirm"),
        # a number before a unit of time is a duration, no version of a name
        ("anything waiting on me? I'm out for 3 days", "waiting_on_me", None, "question", "act"),
        ("what needs me before I leave for 1 week", "waiting_on_me", None, "question", "act"),
        # the name's words still name it
        ("how is the push going", "status", "psh04", "question", "act"),
        ("status of kiosk 3.1", "status", "app02", "command", "act"),
    ],
)  # fmt: skip
def test_a_names_word_said_as_a_verb_or_a_duration_names_no_task(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check_reading(VERB_TASKS, text, intent, task, act, outcome)
