"""Messages that tell rather than ask, pinned over tasks of their own. Each kind was found acted
on in a blind split as it came (the seventeenth; only its four trap rows acted on were read) and
is fixed in general:

- a request's own object, a thing named with someone addressed by title ("the invoice from Mr
  Patel"), with an "it" after it that stands for that thing, not for a task;
- what a task does over and over, or by itself ("keeps retrying the same step", "pausing
  itself", "restarted on its own");
- information passed on ("fyi", "heads up");
- a notification setting told of: another tool's or another time's ("my old bot had a weekly
  digest"), or how things are ("quiet hours on the ward start at 10pm");
- a setting placed on another app or device ("quiet hours on my calendar from 12 to 1"; the one
  trap the nineteenth split acted on as it came);
- someone's mail, texts or calls moved to a chat ("forward the customer's emails to my
  telegram"; the one trap the eighteenth split acted on as it came): no notifications of ours;
- a task's words said right before another thing's noun ("approve the booking engine demo",
  "reject the carbon ledger invoice, it's wrong"), found in a helper's probes: asked about first,
  as a task named by a part of its name is (the reading stays the task);
- someone's own thing that a task's words only describe, found by hand beside them: "approve the
  finance sign-off for my kid's school trip" had approved the payroll waiting at that step.

The plain requests beside them still act."""

from __future__ import annotations

import pytest

from bot.chat.policy import decide
from intents import TaskRef
from tests.helpers.understand import acts_at_once, understand_over

TASKS = [
    TaskRef("inv10", "Supplier Invoice Matching", "invoices", "failed", 900.0,
            owner="lena", kind="matching job",
            steps=("fetch invoices", "match orders", "post to ledger")),
    TaskRef("pay20", "Payroll Run", "payroll", "approval", 880.0,
            owner="omar", kind="payroll run",
            steps=("collect hours", "compute pay", "finance sign-off")),
    TaskRef("brw30", "Brewery Fermentation Monitor", "brewery", "running", 860.0,
            owner="kai", kind="monitor", steps=("read sensors", "alert")),
    TaskRef("cl40", "Warranty Claims Review", "claims", "running", 850.0,
            owner="dora", kind="review", steps=("load claims", "score claims", "report")),
]  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        # someone's one thing, and an "it" that stands for it
        "retry the invoice from Mr Patel, the clerk rejected it by mistake",
        "approve the claim for Dr Ahmed, she sent it twice",
        "resend the claim from Mrs Novak, she lost it",
        "reject the invoice of Ms Li",
        # over and over, or by itself
        "the invoice job keeps retrying the same step on its own, annoying",
        "the brewery monitor keeps pausing itself",
        "the claims review kept restarting overnight",
        # information, and settings told of
        "quiet hours on the ward start at 10pm, fyi for the night team",
        "quiet hours at the office begin at 6pm",
        "my old bot had a weekly digest, loved it",
        "my last job had a daily digest and it was great",
        "at my previous company alerts went to email",
        "heads up: the payroll digest is at 9 now",
        # someone's mail, texts and calls
        "forward the customer's emails to my telegram",
        "move my texts to slack",
        "send anna's voicemails to my email",
        "forward the support inbox to telegram",
        # a setting placed on another app or device
        "quiet hours on my calendar from 12 to 1",
        "mute notifications in my outlook",
        # someone's own thing
        "approve the finance sign-off for my kid's school trip",
        "approve the pay rise for my brother",
        "reject the compute pay of her landlord",
    ],
)
def test_told_not_asked_changes_nothing_at_once(text: str) -> None:
    u = understand_over(TASKS, text)
    assert not acts_at_once(u), (u, decide(u))


def test_someones_thing_named_by_title_is_no_task() -> None:
    # the failed invoice task is the only one a retry fits, yet nobody asked to retry it
    u = understand_over(TASKS, "retry the invoice from Mr Patel, the clerk rejected it by mistake")
    assert (u.intent, u.task_id) == ("retry_step", None), u


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("retry the invoice matching", "retry_step", "inv10"),
        ("pause the brewery monitor", "pause", "brw30"),
        ("set quiet hours from 10pm", "notify_settings", None),
        ("switch me to a weekly digest", "notify_settings", None),
        ("quiet hours from 10pm to 7am please", "notify_settings", None),
        ("send my updates by mail from now on", "notify_channel", None),
        ("email me instead", "notify_channel", None),
        ("only failures in my dms", "notify_settings", None),
        ("quiet hours on the weekend", "notify_settings", None),
        ("move my alerts to email", "notify_channel", None),
        ("no pings on weekends", "notify_settings", None),
        ("approve the payroll for my team", "approve", "pay20"),
        ("approve the payroll on my behalf", "approve", "pay20"),
    ],
)
def test_the_plain_requests_beside_them_still_act(text: str, intent: str, task: str | None) -> None:
    u = understand_over(TASKS, text)
    assert (u.intent, u.task_id) == (intent, task), u
    assert acts_at_once(u), (u, decide(u))


MORE_TASKS = [
    TaskRef("bk50", "Booking Engine v5 Upgrade", None, "approval", 880.0,
            owner="omar", kind="upgrade", steps=("migrate", "prod cutover sign-off")),
    TaskRef("cl60", "Carbon Ledger Reconciliation", "carbon", "running", 860.0,
            owner="kai", kind="reconciliation", steps=("load", "match", "report")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("approve the booking engine demo", "approve", "bk50"),
        ("reject the carbon ledger invoice, it's wrong", "reject", "cl60"),
        ("pause the carbon ledger export", "pause", "cl60"),
    ],
)
def test_a_name_said_before_another_things_noun_is_asked_about(
    text: str, intent: str, task: str
) -> None:
    u = understand_over(MORE_TASKS, text)
    assert (u.intent, u.task_id) == (intent, task), u
    assert decide(u).outcome == "confirm", decide(u)


@pytest.mark.parametrize(
    "text",
    [
        "approve the booking engine",
        "reject the carbon ledger, it's wrong",
        "pause the carbon reconciliation now",
        "pause carbon real quick",
    ],
)
def test_the_name_alone_still_acts(text: str) -> None:
    assert acts_at_once(understand_over(MORE_TASKS, text))
