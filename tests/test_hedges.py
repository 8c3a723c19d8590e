"""A state-changing request acts at once only when nothing in the message says it may not be one
(`intents.hedges`, used by `bot.chat.policy.decide`): a question, a condition, a negation in any
language, a quotation, doubt, a joke, a report of the past, a correction, or someone else to do
it. Each such message is confirmed with buttons; plain commands still act at once."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest

from bot.chat.policy import decide
from bot.config import parse_config
from bot.wiring import run_console_chat
from intents.hedges import hedge
from tests.test_console import seed_store, task_status, write_config
from tests.test_understanding_general import understand


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("lol the invoices sync isn't the only thing that needs pausing, so do i", "a negation"),
        # ("kein" is read as "no" by the speech act since round seven, "nie" as "not" since
        # round eleven: see below)
        ("nunca pause the orders pipeline", "a negation"),
        # ("don't switch my notifications to email" is read as a negation by the speech act
        # itself since round sixteen (a), and explained: tests/test_understanding_round16a.py)
        ("no switching my notifications to email, i never read it", "a negation"),
        ("resume the booking app, is it ok to do that", "an indirect question"),
        ("haha resume the booking app 😂", "a joke"),
        ("someone resume the booking app", "someone else"),
        ("according to hana, pause the mobile build", "a quotation"),
        ("resume the booking app, the tests passed already", "the past"),
        ("actually resume the booking app instead", "a correction"),
        ("if the sales report ever runs again I'd like updates on it", "a hypothetical"),
        (
            "can you post my alerts to a discord channel or only slack and telegram?",
            "a choice question",
        ),
        ("help me with my notification settings, I cannot find the quiet hours", "an inability"),
        ("hana will resume the booking app after lunch", "a plan"),
        ("I'll switch my updates to email next week", "a plan"),
        ("ops are going to pause the orders pipeline tonight", "a plan"),
        # a time to come in the request's own clause: acting now would be too soon
        ("approve the crm after lunch", "a time to come"),
        ("pause the orders pipeline at 5pm", "a time to come"),
        ("resume the crm tomorrow please", "a time to come"),
        ("pause the orders pipeline in an hour", "a time to come"),
        # spoken to someone else: another person's mention first
        ("<@U042BOB> can you pause the orders pipeline?", "someone else"),
        ("@bob pause the orders pipeline", "someone else"),
    ],
)
def test_a_request_with_a_sign_it_may_not_be_one_is_confirmed(text: str, sign: str) -> None:
    decision = decide(understand(text))
    assert decision.outcome == "confirm"
    assert decision.reason in (f"not a plain request: {sign}", "correction: ask before acting")


@pytest.mark.parametrize(
    "text",
    ["kein pause für die orders pipeline bitte", "nie pause für die orders pipeline bitte"],
)
def test_a_negation_the_speech_act_reads_in_another_language_changes_nothing(text: str) -> None:
    u = understand(text)
    assert (u.intent, u.act, u.negated) == ("pause", "negation", True)
    assert decide(u).outcome == "explain"


@pytest.mark.parametrize(
    "text",
    [
        "pause the orders pipeline",
        "please resume the booking app 🙏",
        "can you pause the invoices sync?",
        "hey, could you pause the orders pipeline until the db migration is done? thanks",
        "I'd like the orders pipeline paused",
        "mute the mobile build for 2 hours",
        "so the erp vendor just told us they are down tonight, can you pause the invoices sync?",
        "no notifications at night please",
        "notify me if the crm fails",
        "once more, retry the failed step of the booking app",
        "resume the booking app, we'll keep an eye on it",
        "will you pause the orders pipeline?",
        # how long, and a time that is the reason why now
        "pause the orders pipeline for an hour",
        "the vendor is down tonight, can you pause the orders pipeline?",
    ],
)
def test_a_plain_request_still_acts_at_once(text: str) -> None:
    decision = decide(understand(text))
    assert (decision.outcome, decision.reason) == ("act", "confident request")


def test_the_words_of_a_task_name_or_a_reason_are_no_sign() -> None:
    # A task may be called anything; a reject's reason says what is wrong in its own words.
    assert hedge("pause the never ending story", "pause") == "a negation"
    assert hedge("pause the never ending story", "pause", task_words="never ending story") is None
    assert hedge("reject the crm: not ready", "reject", argument="not ready") is None
    # What each kind of request says naturally: a subscription's condition, a mute's "no more".
    assert hedge("tell me when the crm is done", "subscribe") is None
    assert hedge("no more pings about the crm", "mute") is None
    assert hedge("no more pings about the crm", "pause") == "a negation"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("switch my outlook reminders to telegram", "notify_channel"),
        ("turn off the jira notifications on weekends", "notify_settings"),
        ("mute my whatsapp messages", "mute"),
        ("send our standup alerts to email", "notify_channel"),
    ],
)
def test_another_apps_notifications_are_never_changed_at_once(text: str, intent: str) -> None:
    # Settings that name no task and qualify their notifications by something that is not the
    # bot's: another app's, or at best unclear.
    assert hedge(text, intent) == "another app's notifications"
    assert decide(understand(text)).outcome != "act"


@pytest.mark.parametrize(
    "text",
    [
        "move all my notifications to telegram",
        "send my failure alerts by email from now on",
        "only approval pings on weekends please",
    ],
)
def test_the_bots_own_notifications_are_no_sign(text: str) -> None:
    assert hedge(text, "notify_channel") is None
    assert hedge(text, "notify_settings") is None


@pytest.mark.parametrize(
    "text",
    [
        "the crm pauses every night",
        "the invoices job usually restarts overnight",
        "it fails every friday, no idea why",
    ],
)
def test_what_a_task_does_as_a_habit_is_never_acted_on(text: str) -> None:
    # Said of the task in the third person, with how often: a description, not a request.
    assert decide(understand(text)).outcome != "act"


async def test_console_confirms_a_joke_and_acts_on_the_plain_request(tmp_path: Path) -> None:
    task_id = await seed_store(tmp_path)  # the running Cellphone Store CRM
    config = parse_config(write_config(tmp_path).read_text(), environ={}, source="t.yaml")
    out = io.StringIO()
    said = "haha pause the crm 😂\nno\npause the crm\nexit\n"
    status = await asyncio.wait_for(
        run_console_chat(config, input_stream=io.StringIO(said), output=out), timeout=60
    )
    assert status == 0
    replies = [line for line in out.getvalue().split("you> ") if line.strip()]
    assert replies[0].startswith("bot> Pause Cellphone Store CRM?\nbot> [1] Pause  [2] No")
    assert replies[1].startswith("bot> OK, nothing changed.")
    assert replies[2].startswith("bot> ⏸ Paused Cellphone Store CRM.")
    assert await task_status(tmp_path, task_id) == "paused"
