"""Round fourteen (a)'s general readings, pinned over tasks of their own (none from the labelled
splits): a prediction about someone named by their task ("Oskar will reject it anyway"), a cross
beside a verb that says what to do, a setting whose task is named only in the story before the
request, a request beside a verdict of its own words ("no go"), corrections by a preposition or a
bare name, complaints that are statements, someone's request passed on, a log asked for up to a
time, a named step run again, and a handful of idioms of the settings, the lists and the actions.

Each case pins the intent, the task, the speech act and what the policy does with it."""

from __future__ import annotations

import pytest

from intents import TaskRef
from tests.helpers.understand import acts_at_once, check_reading, understand_over

TASKS = [
    TaskRef("grd21", "Power Grid Load Forecast", "grid", "approval", 900.0,
            owner="oskar", kind="forecast",
            steps=("pull meter data", "fit load model", "planner sign-off", "publish curve")),
    TaskRef("lib33", "Library Catalogue Sync", "catalogue", "running", 880.0,
            owner="maren", kind="sync job",
            steps=("read marc records", "dedupe titles", "push to opac")),
    TaskRef("aud45", "Audio Archive Transcode", "transcode", "failed", 860.0,
            owner="tomas", kind="media batch",
            steps=("fetch reels", "denoise audio", "encode flac", "upload to vault")),
    TaskRef("sts57", "Stadium Turnstile Monitor", "turnstiles", "paused", 840.0,
            owner="ilse", kind="monitoring job",
            steps=("poll gates", "count entries", "alert on jams")),
    TaskRef("clk69", "Clinic Rota Optimiser", "rota", "running", 820.0,
            owner="femi", kind="optimisation run",
            steps=("load shifts", "solve rota", "publish rota")),
    TaskRef("pay71", "Payroll Export", "payroll", "completed", 800.0,
            owner="greta", kind="export", steps=("collect hours", "compute pay", "send file")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # a prediction about someone whose name names the task: never done at once
        ("Oskar will reject it anyway, the meter feed is stale", "reject", "grd21", "command",
         "confirm"),
        ("oskar will approve it after lunch", "approve", "grd21", "command", "confirm"),
        # a cross beside a verb of its own only repeats the verb, on a task awaiting approval too
        ("❌ cancel the grid forecast", "cancel", "grd21", "command", "confirm"),
        ("stop the catalogue sync ❌", "cancel", "lib33", "command", "confirm"),
        # (alone on a task that waits for approval, it rejects it)
        ("❌ grid forecast", "reject", "grd21", "command", "act"),
    ],
)  # fmt: skip
def test_predictions_and_crosses(text: str, intent: str, task: str, act: str, outcome: str) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "task"),
    [
        # the task named only in the story before the request: the setting is for all
        ("I do nights at the clinic and the bot keeps waking me up, could you set quiet hours "
         "from 8 to 4", None),
        ("the rota keeps pinging me at night, could you set quiet hours from 10 to 6", None),
        # named, or pointed at, in the request itself: that task's
        ("since I'm on nights, could you set quiet hours for the rota from 8 to 4", "clk69"),
        ("the rota keeps pinging me at night, could you set quiet hours for it from 10 to 6",
         "clk69"),
        ("set quiet hours for the turnstiles from 22 to 6", "sts57"),
    ],
)  # fmt: skip
def test_a_setting_is_about_the_task_its_request_names(text: str, task: str | None) -> None:
    u = understand_over(TASKS, text)
    assert (u.intent, u.task_id) == ("notify_settings", task), u


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome", "context"),
    [
        # a request beside a verdict of its own words: the request is the order said first
        ("cancel the grid forecast, planning says it's a no go", "cancel", "grd21", "negation",
         "confirm", None),
        # a correction by a preposition, or a bare name for a name: the last request, moved
        ("nope, for the transcode", "logs", "aud45", "correction", "act", ("lib33", "logs")),
        ("no, on the rota", "pause", "clk69", "correction", "confirm", ("lib33", "pause")),
        ("not catalogue, turnstiles", "eta", "sts57", "correction", "act", ("lib33", "eta")),
        # (a name for a request's own word is not one: "telegram please, not slack")
        ("email please, not slack", "notify_channel", None, "command", "confirm", None),
        # a setting that narrows the subscription just made is about its task
        ("and only once it fails", "notify_settings", "lib33", "command", "act",
         ("lib33", "subscribe")),
    ],
)  # fmt: skip
def test_requests_moved_or_narrowed(
    text: str,
    intent: str,
    task: str | None,
    act: str,
    outcome: str,
    context: tuple[str, str] | None,
) -> None:
    ctx_task, ctx_intent = context if context else (None, None)
    check_reading(TASKS, text, intent, task, act, outcome, context_task=ctx_task,
                  context_intent=ctx_intent)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # complaints are statements: never acted on
        ("the weekly summary on monday is too early for the night shift", "notify_settings", None,
         "statement", "confirm"),
        ("slack is blocked on the guest wifi", "notify_channel", None, "statement", "confirm"),
        ("we are already tracking too many jobs to add the payroll", "subscribe", "pay71",
         "statement", "confirm"),
        # (a question about what is blocked is still a question)
        ("is anything blocked on me right now", "waiting_on_me", None, "question", "act"),
        # someone's request passed on: told, never done
        ("Maren asked me to tell you that the catalogue sync should be paused until monday",
         "pause", "lib33", "report", "explain"),
        ("femi asked me to tell you to cancel the rota", "cancel", "clk69", "report", "explain"),
        # a log asked for up to a time: the log, not what happened
        ("the output of the catalogue sync from before it got paused", "logs", "lib33",
         "command", "act"),
        # the -ing form weighed: what it is about, never done
        ("subscribing the whole front desk would be way too much", "subscribe", None,
         "hypothetical", "explain"),
    ],
)  # fmt: skip
def test_statements_reports_and_asked_things(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    u = check_reading(TASKS, text, intent, task, act, outcome)
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # a named step of a failed task run again: that step
        ("rerun denoise audio on the transcode", "retry_step", "aud45", "command", "act"),
        ("run encode flac again on the transcode, only that step", "retry_step", "aud45",
         "command", "act"),
        # (the whole run, or a question about it, is no step's)
        ("rerun the whole transcode from denoise audio", "restart", "aud45", "command",
         "confirm"),
        ("will restarting the transcode redo fetch reels too?", "restart", "aud45", "question",
         "explain"),
        # set going again: a paused task resumes, a finished one runs anew, a running one too
        ("we need the turnstile monitor back on, the gates reopened", "resume", "sts57", "wish",
         "act"),
        ("you can start the turnstile monitor again", "resume", "sts57", "command", "act"),
        ("start the payroll export again", "restart", "pay71", "command", "confirm"),
        ("start the rota again", "restart", "clk69", "command", "confirm"),
        ("turnstile monitor carry on please", "resume", "sts57", "command", "act"),
        # (its notifications back: an unmute)
        ("start pinging me about the catalogue again", "unmute", "lib33", "command", "act"),
        # keeping a mute is a negated unmute, as keeping a pause is a negated resume
        ("keep the catalogue muted", "unmute", "lib33", "negation", "explain"),
        ("hold off on the sign off for the grid", "approve", "grd21", "negation", "explain"),
    ],
)  # fmt: skip
def test_actions_said_in_everyday_words(
    text: str, intent: str, task: str, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act"),
    [
        ("the turnstiles, anything new?", "status", "sts57", "question"),
        ("help me with anything", "help", None, "command"),
        ("all exports last month?", "list_tasks", None, "question"),
        ("what is there in total?", "list_tasks", None, "question"),
        ("do not disturb from 10pm to 7am", "notify_settings", None, "negation"),
        ("what kinds of events can we get pinged about?", "notify_settings", None, "question"),
        ("what do you know how to do?", "capabilities", None, "question"),
        ("has greta approved the payroll yet?", "history", "pay71", "question"),
        # (the log of everything stays the log; what is in a log is no list)
        ("all the logs of the rota", "logs", "clk69", "command"),
        ("what is there in the logs of the rota", "logs", "clk69", "question"),
    ],
)  # fmt: skip
def test_questions_and_settings_in_everyday_words(
    text: str, intent: str, task: str | None, act: str
) -> None:
    u = understand_over(TASKS, text)
    assert (u.intent, u.task_id, u.act) == (intent, task, act), u
    assert not acts_at_once(u)
