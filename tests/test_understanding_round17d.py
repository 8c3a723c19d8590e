"""Round seventeen (d)'s general readings, pinned over tasks of its own (none from the labelled
splits): Czech and Danish read as the other languages are (steering verbs, negative imperatives,
question words, the bot's nouns, courtesies; a Czech demonstrative after its verb); a past action
said only as the time of what is asked ("what it logged before it was paused") no report; and
the everyday words of a failure asked why ("throwing errors", "exceptions", "tripped up").

Each case pins the intent, the task, the speech act and what the policy does with it; a refusal
or a report is never acted on."""

from __future__ import annotations

import pytest

from intents import TaskRef
from tests.helpers.understand import acts_at_once, check_reading, understand_over

TASKS = [
    TaskRef("ovn01", "Bread Oven Scheduler", "ovensched", "running", 900.0,
            owner="lars", kind="scheduler", steps=("read orders", "plan bakes", "send plan")),
    TaskRef("mus02", "Museum Ticket Import", "tickets", "failed", 890.0,
            owner="eva", kind="import",
            steps=("fetch sales", "load into warehouse", "email report")),
    TaskRef("fer03", "Ferry Timetable Draft", "ferrydraft", "approval", 880.0,
            owner="jonas", kind="draft", steps=("collect slots", "approve draft", "publish")),
    TaskRef("wnd04", "Wind Farm Survey", "windsurvey", "paused", 870.0,
            owner="mia", kind="survey", steps=("fly drones", "stitch photos")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # Czech
        ("Pozastav to ovensched, prosím", "pause", "ovn01", "command", "act"),
        ("Zruš ten ovensched", "cancel", "ovn01", "command", "confirm"),
        ("Obnov windsurvey", "resume", "wnd04", "command", "act"),
        ("Schval ferrydraft", "approve", "fer03", "command", "act"),
        ("Kdy bude hotový ovensched?", "eta", "ovn01", "question", "act"),
        ("Proč spadl tickets?", "why_failed", "mus02", "question", "act"),
        ("Zkus znovu krok načtení v tickets", "retry_step", "mus02", "command", "act"),
        ("Čeká něco na mé schválení?", "waiting_on_me", None, "question", "act"),
        ("Dej mi vědět, až ovensched doběhne", "subscribe", "ovn01", "command", "act"),
        ("Ahoj", "greeting", None, "statement", "act"),
        ("Díky moc", "thanks", None, "statement", "act"),
        # Danish
        ("Godkend ferrydraft", "approve", "fer03", "command", "act"),
        ("Genstart tickets", "restart", "mus02", "command", "confirm"),
        ("Hvordan går det med ovensched?", "status", "ovn01", "question", "act"),
        ("Hvilke opgaver kører lige nu?", "list_tasks", None, "question", "act"),
        ("Slå notifikationer fra for ovensched", "mute", "ovn01", "command", "act"),
        ("Hej", "greeting", None, "statement", "act"),
        ("Tak for hjælpen", "thanks", None, "statement", "act"),
    ],
)  # fmt: skip
def test_czech_and_danish_are_read(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act"),
    [
        ("Nezkoušej znovu ten krok v tickets", "retry_step", "mus02", "negation"),
        ("Nej, lad være med at sætte windsurvey på pause", "pause", "wnd04", "negation"),
        ("Kdo zastavil windsurvey?", "history", "wnd04", "report"),
    ],
)
def test_a_czech_or_danish_refusal_or_report_is_never_acted_on(
    text: str, intent: str, task: str, act: str
) -> None:
    u = understand_over(TASKS, text)
    assert (u.intent, u.task_id, u.act) == (intent, task, act), u
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        ("show me what ovensched logged before it was paused", "logs", "ovn01", "command", "act"),
        ("pull up what tickets printed right before it got cancelled", "logs", "mus02",
         "command", "act"),
    ],
)  # fmt: skip
def test_a_past_action_said_as_a_time_is_no_report(
    text: str, intent: str, task: str, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    "text",
    [
        "lars paused ovensched before it was approved",
        "someone cancelled tickets after it was paused",
    ],
)
def test_a_report_with_a_time_clause_stays_a_report(text: str) -> None:
    u = understand_over(TASKS, text)
    assert (u.intent, u.act) == ("history", "report"), u
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    "text",
    [
        "why is tickets throwing errors?",
        "why were there exceptions in the museum ticket import",
        "any clue what tripped up tickets?",
    ],
)
def test_a_failure_in_everyday_words_asks_why_it_failed(text: str) -> None:
    check_reading(TASKS, text, "why_failed", "mus02", "question", "act")


@pytest.mark.parametrize(
    "text", ["leave the windsurvey paused, thanks", "please leave windsurvey on hold for now"]
)
def test_leave_it_paused_is_no_resume_done(text: str) -> None:
    u = understand_over(TASKS, text)
    assert (u.intent, u.task_id, u.act) == ("resume", "wnd04", "negation"), u
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act"),
    [
        ("rerun just the failed part of tickets", "retry_step", "mus02", "command"),
        ("I want the ovensched alerts restored", "unmute", "ovn01", "wish"),
        ("can we get the ovensched notifications going again", "unmute", "ovn01", "command"),
        ("is ovensched gonna finish within the hour?", "eta", "ovn01", "question"),
        ("show me every job you track", "list_tasks", None, "command"),
        ("what do we own", "list_tasks", None, "question"),
        ("what has eva got going at the moment", "list_tasks", None, "question"),
    ],
)
def test_everyday_idioms_of_the_intents(text: str, intent: str, task: str | None, act: str) -> None:
    check_reading(TASKS, text, intent, task, act, "act")


def test_a_request_after_a_so_follows_the_story() -> None:
    check_reading(
        TASKS,
        "I silenced ovensched over the weekend because it was noisy, but the launch is today so"
        " please turn its alerts back on",
        "unmute",
        "ovn01",
        "command",
        "act",
    )
    u = understand_over(TASKS, "lars muted ovensched yesterday, so please leave it alone")
    assert (u.intent, u.act) == ("history", "report"), u
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # a polite opener first, the story after it: the request is the opener's
        ("would it be possible to get the full output of ovensched from before it got paused?"
         " the auditors want a trail", "logs", "ovn01", "question", "act"),
        ("I'd love to see the logs of tickets, a customer says their order vanished and I want"
         " to check the load step", "logs", "mus02", "wish", "act"),
        # "let's" before the verb orders it; what someone else will redo is no second request
        ("let's scrap ovensched, lars wants to redo the orders first", "cancel", "ovn01",
         "command", "confirm"),
        ("let's reject ferrydraft and have jonas redo the slots", "reject", "fer03", "command",
         "act"),
        ("say no to ferrydraft, the slots are wrong", "reject", "fer03", "command", "act"),
        # a standing window of quiet is a setting; a mute for a while is a mute
        ("silence all alerts between 11pm and 6am, that's when I sleep", "notify_settings", None,
         "command", "act"),
        ("mute ovensched for two hours", "mute", "ovn01", "command", "act"),
    ],
)  # fmt: skip
def test_the_request_of_a_long_message_is_read(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


def test_someone_elses_verdict_supposed_is_never_acted_on() -> None:
    u = understand_over(
        TASKS, "Suppose the board says no to it, then we'd reject ferrydraft, right?"
    )
    assert not acts_at_once(u), u
    u = understand_over(TASKS, "let's not cancel ovensched, lars wants to check it")
    assert not acts_at_once(u), u


@pytest.mark.parametrize(
    ("text", "intent", "task", "act"),
    [
        ("list my to-dos please", "waiting_on_me", None, "command"),
        ("Onay kimde, ferrydraft için?", "who_approves", "fer03", "question"),
        ("tickets threw errors all night, any idea why", "why_failed", "mus02", "command"),
    ],
)
def test_small_words_that_hid_the_request(
    text: str, intent: str, task: str | None, act: str
) -> None:
    check_reading(TASKS, text, intent, task, act, "act")
