"""Hard traps, pinned over tasks of their own: messages that mention an action and share words
with a task, yet ask nothing of it. Each kind was found acted on in a blind split written to be
hard (the sixteenth; only its trap rows acted on were read), and is fixed in general:

- another thing that a task's words only describe: "that meeting invite about the parking
  garage", "the payment on my parking permit", "her payroll slip";
- what a task does as a habit: "the brewery monitor pausing itself every night is annoying";
- leaving things as they are: "... but no, leave them as they are";
- a comparison or a thought about what would be: "email would be slower than slack";
- another action asked for on a schedule: "pause the parking import every night" is no
  notification setting, whatever its "every night" reads as.

Each case pins that the bot changes nothing at once; the plain requests beside them still act."""

from __future__ import annotations

import pytest

from bot.chat.policy import decide
from intents import TaskRef
from tests.helpers.understand import acts_at_once, understand_over

TASKS = [
    TaskRef("prk10", "Harbour Parking Sensor Import", "parking", "running", 900.0,
            owner="lena", kind="import job", steps=("fetch readings", "dedupe", "load")),
    TaskRef("pay20", "Payroll Run", "payroll", "approval", 880.0,
            owner="omar", kind="payroll run",
            steps=("collect hours", "compute pay", "finance sign-off")),
    TaskRef("brw30", "Brewery Fermentation Monitor", "brewery", "running", 860.0,
            owner="kai", kind="monitor", steps=("read sensors", "alert")),
]  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        # another thing, described by a task's words
        "reject that meeting invite about the harbour parking",
        "cancel the dinner reservation for the brewery tour",
        "retry the payment on my parking permit",
        "approve her payroll slip",
        # a habit
        "the brewery monitor pausing itself every night is annoying",
        "the parking import restarts every morning, weird",
        # things left as they are
        "the alert settings on the brewery monitor: I thought about trimming them but no, leave "
        "them as they are",
        "keep my notification settings the way they are",
        # a comparison, a thought about what would be
        "email for alerts would be way slower than slack",
        "telegram pings would be nicer than these emails tbh",
        # another action asked for on a schedule, which no notification setting is
        "pause the parking import every night",
    ],
)
def test_a_hard_trap_changes_nothing_at_once(text: str) -> None:
    u = understand_over(TASKS, text)
    assert not acts_at_once(u), (u, decide(u))


@pytest.mark.parametrize(
    "text", ["don't run the parking import again", "never run the payroll from scratch"]
)
def test_a_run_again_refused_is_a_negated_restart(text: str) -> None:
    # "run ... again" is a restart: refused, it is a negation like "don't restart it".
    u = understand_over(TASKS, text)
    assert (u.intent, u.act, decide(u).outcome) == ("restart", "negation", "explain"), u


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("reject the payroll run", "reject", "pay20"),
        ("retry the load step on the parking import", "retry_step", "prk10"),
        ("pause my brewery monitor please", "pause", "brw30"),
        ("send my alerts by email from now on", "notify_channel", None),
    ],
)
def test_the_plain_requests_beside_them_still_act(text: str, intent: str, task: str | None) -> None:
    u = understand_over(TASKS, text)
    assert (u.intent, u.task_id) == (intent, task)
    assert acts_at_once(u), (u, decide(u))
