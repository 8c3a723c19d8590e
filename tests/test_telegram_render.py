"""Telegram rendering, pure: escaping, the 4,096-character limit, signed 64-byte button data."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from adapters.telegram import CallbackCodec, is_public_url, render
from adapters.telegram.render import telegram_length
from bot.replies import card_reply, logs_reply, notification_reply, status_reply
from bot.types import Button, Reply
from tests.fakes.telegram import visible_text
from tests.helpers.seed import SEED_CHAT_ANSWER, SEED_PROGRESS

CODEC = CallbackCodec(b"test-secret")
CHAT = "100000001"


def seed(**changes: Any) -> Any:
    """The seed's progress JSON, with the display labels its chat example shows."""
    snap = copy.deepcopy(SEED_PROGRESS)
    for sub in snap["steps"][1]["substeps"][:2]:
        sub["label"] = sub["name"] + " view"
    return {**snap, **changes}


def buttons_of(markup: Any) -> list[Any]:
    return [b for row in (markup.inline_keyboard if markup else ()) for b in row]


def test_the_seed_answer_reads_word_for_word() -> None:
    text, markup = render(status_reply(seed()), codec=CODEC, chat=CHAT)
    assert visible_text(text) == SEED_CHAT_ANSWER
    assert [b.text for b in buttons_of(markup)] == ["Pause", "Cancel"]


def test_the_card_draws_the_seeds_progress_view() -> None:
    text, _ = render(card_reply(seed()), codec=CODEC, chat=CHAT)
    assert text.startswith("<b>Cellphone Store CRM</b>\n<code>[")
    shown = visible_text(text).split("\n")
    assert shown[1] == "[████████████████████░░░░░░░░░░] 65%"
    assert shown[2] == "Step 2 of 4: Generate application UI"
    assert shown[3:7] == [
        "├─ Customer list view ✓",
        "├─ Product list view ✓",
        "├─ Sales form ◐ (in progress)",
        "└─ Repair board ○ (pending)",
    ]
    assert shown[-1].startswith("ETA: ")


@pytest.mark.parametrize("evil", ["<b>bold</b>", "Tom & Jerry", "<script>alert(1)</script>"])
def test_untrusted_text_is_escaped(evil: str) -> None:
    snap = seed(title=f"CRM {evil}")
    snap["steps"] = [{**s, "name": f"{s['name']} {evil}"} for s in snap["steps"]]
    failed = seed(error=f"boom {evil}", status="failed")
    for reply in (card_reply(snap), status_reply(snap), notification_reply("task_failed", failed)):
        text, _ = render(reply, codec=CODEC, chat=CHAT)
        assert evil not in text or (evil == "Tom & Jerry" and "&amp;" in text)
        assert "<script>" not in text and "<b>bold" not in text
        assert evil in visible_text(text)  # the person still reads what the engine wrote


def test_a_200_step_task_fits_in_one_message() -> None:
    steps = [
        {
            "order": i,
            "name": f"Step number {i} with a long descriptive name & <tags>",
            "status": "completed" if i < 120 else "running" if i == 120 else "pending",
            "progress": 100 if i < 120 else 0,
        }
        for i in range(1, 201)
    ]
    snap = seed(steps=steps, current_step=120, total_steps=200, title="T" * 500)
    for reply in (card_reply(snap), status_reply(snap)):
        text, _ = render(reply, codec=CODEC, chat=CHAT)
        assert telegram_length(text) <= 4096
        shown = visible_text(text)
        assert "Step number 120 with" in shown  # the running step stays in view
        assert "more" in shown or "earlier" in shown
        assert text.count("<b>") == text.count("</b>")


def test_a_long_error_is_cut_outside_entities() -> None:
    snap = seed(status="failed")
    snap["steps"] = [*snap["steps"]]
    snap["steps"][1] = {**snap["steps"][1], "status": "failed", "error": "&<>" * 3000}
    text, _ = render(notification_reply("task_failed", snap), codec=CODEC, chat=CHAT)
    assert telegram_length(text) <= 4096
    # every entity is whole: no "&am" debris at a cut
    assert visible_text(text).count("&<>") >= 1
    assert "&amp;&lt;&gt;" in text and not text.rstrip("…").endswith(("&", "&a", "&am", "&l"))


def test_long_logs_leave_the_file_to_the_adapter() -> None:
    logs = [{"at": None, "level": "info", "message": "x" * 500, "step": 1} for _ in range(50)]
    reply = logs_reply(seed(), logs)
    assert reply.attachment is not None
    text, _ = render(reply, codec=CODEC, chat=CHAT)
    assert telegram_length(text) <= 4096


def test_callback_data_fits_64_bytes_for_long_task_ids() -> None:
    long_id = "t" * 64
    for button in (
        Button("Cancel", "cancel", long_id),
        Button("Yes", "confirm", long_id, "skip_step:12"),
        Button("Approve", "approve", long_id, "1234567890"),
        Button("Status", "choose", "a.b-c_d", "retry_step:3"),
    ):
        data = CODEC.encode(button, "-1001234567890")
        assert data is not None and len(data.encode()) <= 64
        decoded = CODEC.decode(data, "-1001234567890")
        assert decoded is not None and decoded.action == button.action
        assert decoded.arg == button.arg
        if decoded.task_id is None:
            assert decoded.task_digest == CODEC.task_digest(button.task_id or "")
        else:
            assert decoded.task_id == button.task_id


def test_tampered_or_replayed_callback_data_is_rejected() -> None:
    data = CODEC.encode(Button("Approve", "approve", "abc123", "7"), CHAT)
    assert data is not None
    assert CODEC.decode(data, CHAT) is not None
    action, task, arg, mac = data.split("|")
    forged = [
        f"{action}|other|{arg}|{mac}",  # another task
        f"{action}|{task}|8|{mac}",  # another approval
        f"j|{task}|{arg}|{mac}",  # another action
        f"{action}|{task}|{arg}|{mac[:-1]}A" if mac[-1] != "A" else f"{action}|{task}|{arg}|B",
        "a|abc123|7",
        "",
        "x" * 65,
    ]
    for bad in forged:
        assert CODEC.decode(bad, CHAT) is None, bad
    assert CODEC.decode(data, "100000003") is None  # replayed into another chat
    assert CallbackCodec(b"other-secret").decode(data, CHAT) is None


def test_local_links_go_into_the_text_instead_of_a_button() -> None:
    local = "http://127.0.0.1:8080/tasks/abc123?t=x"
    text, markup = render(status_reply(seed(), view_url=local), codec=CODEC, chat=CHAT)
    assert "Open progress view: http://127.0.0.1:8080/tasks/abc123?t=x" in visible_text(text)
    assert all(b.url is None for b in buttons_of(markup))
    public = "https://progress.example.com/tasks/abc123?t=x"
    _, markup = render(status_reply(seed(), view_url=public), codec=CODEC, chat=CHAT)
    assert [b.url for b in buttons_of(markup) if b.url] == [public]
    assert not is_public_url("http://localhost/x") and not is_public_url("ftp://a.example/x")
    assert is_public_url("https://a.example.com/x")


def test_without_a_codec_no_unsigned_button_is_made() -> None:
    _, markup = render(Reply(text="hi", buttons=[Button("Pause", "pause", "abc123")]))
    assert markup is None
