"""Round nine's general readings, pinned over tasks of their own (none from the labelled splits):
the task in view meant by a message whose other words name no task, when nothing is asked to
change at once; an action weighed by a verb of judging as its sentence's subject; and more.

Each case pins the intent, the task, the speech act and what the policy does with it."""

from __future__ import annotations

import pytest

from bot.chat.policy import decide
from intents import TaskRef, Understanding
from tests.helpers.understand import acts_at_once, check_reading, understand_over

TASKS = [
    TaskRef("obs11", "Observatory Night Sky Survey Reduction", "sky survey", "running", 900.0,
            owner="noor", kind="data pipeline",
            steps=("fetch raw frames", "flat fielding", "stack exposures", "publish catalogue")),
    TaskRef("pay22", "Payroll Ledger Reconciliation", "payroll recon", "failed", 880.0,
            owner="mateo", kind="reconciliation",
            steps=("pull bank feed", "match ledger lines", "flag variances", "post journal")),
    TaskRef("brd33", "Board Pack Compilation", "board pack", "approval", 860.0,
            owner="yuki", kind="report",
            steps=("collect minutes", "chair sign-off", "distribute pack")),
    TaskRef("fer44", "Ferry Timetable Import", "timetable import", "paused", 840.0,
            owner="oskar", kind="import",
            steps=("download schedules", "convert stops", "load timetable")),
    TaskRef("mus55", "Museum Archive Scanning", "archive scan", "completed", 700.0,
            owner="lena", kind="batch", steps=("scan boxes", "index scans")),
]  # fmt: skip


def understand(
    text: str, *, context_task: str | None = None, context_intent: str | None = None
) -> Understanding:
    return understand_over(TASKS, text, context_task=context_task, context_intent=context_intent)


@pytest.mark.parametrize(
    ("context", "text", "intent", "act", "outcome"),
    [
        # a reason, an opinion or the thing asked about beside the task in view
        ("pay22", "so what's the real cause then?", "why_failed", "question", "act"),
        ("pay22", "retrying is no fix, the bank feed is corrupt", "retry_step", "hypothetical",
         "explain"),
        ("brd33", "don't reject, I'll read the minutes tonight", "reject", "negation",
         "explain"),
        ("brd33", "approving now feels too early honestly", "approve", "hypothetical",
         "explain"),
        ("fer44", "resuming looks risky to me until the stops are checked", "resume",
         "hypothetical", "explain"),
    ],
)  # fmt: skip
def test_the_task_in_view_beside_words_that_name_no_task(
    context: str, text: str, intent: str, act: str, outcome: str
) -> None:
    u = understand(text, context_task=context)
    assert (u.intent, u.task_id, u.act, decide(u).outcome) == (intent, context, act, outcome), u


@pytest.mark.parametrize(
    "text",
    ["pause the coffee machine", "stop the coffee machine please", "cancel my amazon order"],
)
def test_a_change_asked_for_keeps_to_its_words_beside_the_task_in_view(text: str) -> None:
    u = understand(text, context_task="obs11")
    assert u.task_id is None, u
    assert not acts_at_once(u)


def test_a_correction_takes_the_task_in_view_back() -> None:
    u = understand("sorry, I meant the pizza order", context_task="pay22")
    assert u.task_id is None, u
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("rejecting the board pack seems unfair to yuki", "reject", "brd33"),
        ("cancelling the sky survey looks like overkill", "cancel", "obs11"),
        ("restarting the payroll recon is no option, the bank charges per pull", "restart",
         "pay22"),
        ("skipping flat fielding sounds dangerous", "skip_step", "obs11"),
    ],
)  # fmt: skip
def test_an_action_judged_as_its_sentences_subject_is_not_asked_for(
    text: str, intent: str, task: str
) -> None:
    u = understand(text)
    assert (u.intent, u.task_id) == (intent, task), u
    assert u.act != "command", u
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    ("text", "intent", "task", "outcome"),
    [
        # a check that is a step, the object of the step action the message opens with
        ("skip the variance check on the payroll recon", "skip_step", "pay22", "confirm"),
        ("skip the ledger check", "skip_step", "pay22", "confirm"),
        # a check asked for is still the task's state
        ("check on the board pack", "status", "brd33", "act"),
        ("can you check the sky survey", "status", "obs11", "act"),
    ],
)
def test_a_check_acted_on_is_a_step(text: str, intent: str, task: str, outcome: str) -> None:
    u = understand(text)
    assert (u.intent, u.task_id, decide(u).outcome) == (intent, task, outcome), u


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        # the step action said as its noun, the step its object, with no task named
        ("would a retry of the bank feed just fail again?", "retry_step", "pay22"),
        ("is another skip of the flat fielding safe?", "skip_step", "obs11"),
        # a task pointed at by its state, with a word that describes it
        ("what went wrong with the failed finance job?", "why_failed", "pay22"),
        ("logs for the paused transport job please", "logs", "fer44"),
    ],
)
def test_a_step_or_a_state_points_at_the_task(text: str, intent: str, task: str) -> None:
    u = understand(text)
    assert (u.intent, u.task_id) == (intent, task), u


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        ("wie läuft es mit dem sky survey?", "status", "obs11", "question", "act"),
        ("tudo bem com o board pack?", "status", "brd33", "question", "act"),
        ("quanto manca per il timetable import?", "eta", "fer44", "question", "act"),
        ("est-ce que le sky survey sera fini ce soir ?", "eta", "obs11", "question", "act"),
        ("was kannst du alles?", "capabilities", None, "question", "act"),
        ("keine Nachrichten zwischen 22 und 7 Uhr bitte", "notify_settings", None, "command",
         "act"),
        ("riprova lo step fallito del payroll recon", "retry_step", "pay22", "command", "act"),
        ("rejeita o board pack", "reject", "brd33", "command", "act"),
        # French negation around its verb, German "not yet": nothing is done
        ("ne valide pas encore le board pack stp", "approve", "brd33", "negation", "explain"),
        ("noch nicht genehmigen, erst morgen", "approve", "brd33", "negation", "explain"),
        ("nicht nochmal probieren beim payroll recon bitte", "retry_step", "pay22", "negation",
         "explain"),
    ],
)  # fmt: skip
def test_everyday_words_of_other_languages(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    context = "brd33" if "genehmigen" in text else None
    check_reading(TASKS, text, intent, task, act, outcome, context_task=context)


@pytest.mark.parametrize(
    ("text", "intent", "task", "outcome"),
    [
        # what there is to follow
        ("what could we keep track of here?", "list_tasks", None, "act"),
        ("what am I able to follow here", "list_tasks", None, "act"),
        ("ls", "list_tasks", None, "act"),
        ("/ls", "list_tasks", None, "act"),
        # a channel of one's own, said with a word of which one
        ("send my updates to my personal email please", "notify_channel", None, "act"),
        # which notifications still come, said after stopping the others
        ("stop pinging me about every step, only the errors", "notify_settings", None, "act"),
        ("send me all the alerts including the minor ones", "notify_settings", None, "act"),
        # a span of time asks what happened in it, even of a failed task
        ("what happened to the payroll recon in the past 3 days", "history", "pay22", "act"),
        ("what happened to the payroll recon since monday", "history", "pay22", "act"),
        ("what happened to the payroll recon?", "why_failed", "pay22", "act"),
    ],
)
def test_settings_lists_and_history_said_plainly(
    text: str, intent: str, task: str | None, outcome: str
) -> None:
    u = understand(text)
    assert (u.intent, u.task_id, decide(u).outcome) == (intent, task, outcome), u


def test_stopping_the_messages_about_a_task_is_still_a_mute() -> None:
    u = understand("stop sending me stuff about the sky survey")
    assert (u.intent, u.task_id) == ("mute", "obs11"), u


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("no wait, don't restart it, just pause it", "pause"),
        ("scratch that, don't cancel it, only mute it", "mute"),
    ],
)
def test_a_correction_that_takes_one_action_back_asks_the_other(text: str, intent: str) -> None:
    u = understand(text, context_task="obs11", context_intent="restart")
    assert (u.intent, u.task_id, u.act) == (intent, "obs11", "correction"), u
    assert not acts_at_once(u) or intent == "mute"


def test_a_task_in_general_is_none_of_these() -> None:
    u = understand("what happens if I resume a job that sat paused for a month?")
    assert (u.intent, u.task_id) == ("resume", None), u
    assert not acts_at_once(u)
    # said of the task in view, it is that task
    u = understand("what happens if I resume it?", context_task="fer44")
    assert (u.intent, u.task_id) == ("resume", "fer44"), u


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        # a step word called a step names it, beside other words; a longer condition imagines
        ("if the distribute pack step gets rejected can yuki resubmit?", "reject", "brd33"),
        ("if the chair step gets rejected can yuki resubmit?", "reject", "brd33"),
    ],
)
def test_a_step_called_a_step_in_a_longer_condition(text: str, intent: str, task: str) -> None:
    u = understand(text)
    assert (u.intent, u.task_id, u.act) == (intent, task, "hypothetical"), u
    assert not acts_at_once(u)


def test_an_emoji_before_a_capital_ends_the_story_before_the_request() -> None:
    u = understand(
        "Hectic week, two audits and a leaking roof at home 🫠 Before lunch: can you tell me "
        "where the night survey reduction stands?"
    )
    assert (u.intent, u.task_id, decide(u).outcome) == ("status", "obs11", "act"), u


@pytest.mark.parametrize(
    "text",
    [
        "I muted the sky survey yesterday, please turn it back on",
        "I silenced the board pack on friday, can you switch it back on",
    ],
)
def test_a_mute_told_then_turned_back_on_is_an_unmute(text: str) -> None:
    u = understand(text)
    assert (u.intent, u.act) == ("unmute", "command"), u


def test_a_pause_told_then_turned_back_on_is_only_told() -> None:
    u = understand("I paused the sky survey yesterday, please turn it back on")
    assert not acts_at_once(u), u


@pytest.mark.parametrize(
    "text",
    [
        "stop the sky survey for a short while",
        "please make the timetable import stop for small time, the ferries are late",
    ],
)
def test_stopping_for_a_short_time_is_a_pause(text: str) -> None:
    u = understand(text)
    assert u.intent == "pause", u


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("no skipping steps on the board pack, the auditors check everything", "skip_step",
         "brd33"),
        ("don't retry the payroll recon, the bank reviews every pull", "retry_step", "pay22"),
    ],
)  # fmt: skip
def test_what_others_do_anyway_is_a_reason_after_a_negated_action(
    text: str, intent: str, task: str
) -> None:
    u = understand(text)
    assert (u.intent, u.task_id, u.act) == (intent, task, "negation"), u
    assert not acts_at_once(u)
