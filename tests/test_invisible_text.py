"""Text cannot disguise itself: bidi controls and invisible characters from a task engine never
reach Slack, Telegram, e-mail, the web page, the console or a chat answer."""

from __future__ import annotations

import json

from adapters import email as email_render
from adapters.console import sanitize
from adapters.slack.render import render as slack_render
from adapters.telegram.render import render as telegram_render
from bot.replies import card_reply
from bot.types import INVISIBLE, Button, Reply, StepLine
from bot.web.render import esc
from tests.helpers.seed import SEED_PROGRESS

HOSTILE = "Invoice \u202egnp.exe\u202c \u2066x\u2069\u200b\u200e\u200f\u061c\ufeff done"
SHOWN = "Invoice gnp.exe x done"


def hostile_reply() -> Reply:
    return Reply(
        text=f"{HOSTILE}\nmore",
        kind="notification",
        title=HOSTILE,
        step_heading=HOSTILE,
        steps=[StepLine(1, HOSTILE, "running", 10, error=HOSTILE)],
        buttons=[Button(HOSTILE, "pause", task_id="abc123")],
        eta_text=HOSTILE,
    )


def clean(text: str) -> None:
    assert not INVISIBLE.search(text), ascii(text)


def test_slack_telegram_and_email_drop_invisible_characters() -> None:
    reply = hostile_reply()
    slack = json.dumps(slack_render(reply), ensure_ascii=False)
    clean(slack)
    assert SHOWN in slack
    telegram, _keyboard = telegram_render(reply)
    clean(telegram)
    assert SHOWN in telegram
    message = email_render.render(reply, to="a@example.com", from_address="bot@example.com")
    clean(str(message["Subject"]))
    for part in message.walk():
        if part.get_content_maintype() == "text":
            body = part.get_content()
            clean(body)
            assert SHOWN in body


def test_the_web_page_console_and_cards_drop_invisible_characters() -> None:
    clean(esc(HOSTILE))
    assert esc(HOSTILE) == SHOWN
    clean(sanitize(HOSTILE))
    card = card_reply({**SEED_PROGRESS, "title": HOSTILE})
    clean(card.text)
    assert SHOWN in card.text
    # Joiners in emoji sequences are kept.
    assert esc("👩\u200d💻") == "👩\u200d💻"
