"""Slack rendering, pure: the seed's card in Block Kit, Slack's limits, mrkdwn escaping, buttons."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from adapters.slack.render import decode_value, escape, home_view, render
from bot.replies import (
    card_reply,
    choose_task_reply,
    logs_reply,
    notification_reply,
    status_reply,
)
from bot.types import Button, Reply
from tests.fakes.slack import _block_problem, buttons, visible_text
from tests.helpers.seed import SEED_CHAT_ANSWER, SEED_PROGRESS


def seed(**changes: Any) -> Any:
    snap = copy.deepcopy(SEED_PROGRESS)
    for sub in snap["steps"][1]["substeps"][:2]:
        sub["label"] = sub["name"] + " view"
    return {**snap, **changes}


def huge_task(steps: int = 200, current: int = 100, name_size: int = 480) -> Any:
    snap = seed(total_steps=steps, current_step=current, progress=50)
    snap["title"] = "T" * 600
    snap["steps"] = [
        {
            "order": n,
            "name": f"Step number {n} " + "x" * name_size,
            "status": "completed" if n < current else "running" if n == current else "pending",
            "progress": 100 if n < current else 40 if n == current else 0,
            "substeps": [{"name": f"sub {k} " + "y" * 400, "done": k < 3} for k in range(60)]
            if n == current
            else [],
        }
        for n in range(1, steps + 1)
    ]
    return snap


def mrkdwn_texts(blocks: list[dict[str, Any]]) -> list[str]:
    texts = []
    for block in blocks:
        for obj in [block.get("text") or {}, *block.get("elements", [])]:
            if obj.get("type") == "mrkdwn":
                texts.append(obj["text"])
    return texts


def within_limits(payload: dict[str, Any]) -> None:
    assert _block_problem(payload["blocks"]) is None, _block_problem(payload["blocks"])
    assert 0 < len(payload["text"]) <= 40_000


def test_the_card_shows_the_seeds_progress_view() -> None:
    payload = render(card_reply(seed()))
    within_limits(payload)
    blocks = payload["blocks"]
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Cellphone Store CRM", "emoji": True},
    }
    seen = visible_text(payload)
    assert "`[████████████████████░░░░░░░░░░]` *65%*" in seen
    assert "*Step 2 of 4: Generate application UI*" in seen
    for line in (
        "✓ 1. Create database tables",
        "◐ 2. Generate application UI (in progress, 65%)",
        "├─ Customer list view ✓",
        "├─ Product list view ✓",
        "├─ Sales form ◐ (in progress)",
        "└─ Repair board ○ (pending)",
        "○ 3. Add search and filters (pending)",
        "○ 4. Configure workflows (pending)",
    ):
        assert line in seen
    assert [b["text"]["text"] for b in buttons(payload)] == ["Pause", "Cancel"]
    assert any(b["type"] == "context" and "ETA" in b["elements"][0]["text"] for b in blocks)


def test_a_status_answer_carries_the_seeds_words_and_the_card() -> None:
    payload = render(status_reply(seed()))
    within_limits(payload)
    assert payload["text"] == SEED_CHAT_ANSWER
    seen = visible_text(payload)
    assert "📊 Your Cellphone Store CRM task is 65% complete." in seen
    assert "*65%*" in seen and "4. Configure workflows" in seen


@pytest.mark.parametrize(
    ("status", "labels"),
    [
        ("running", ["Pause", "Cancel"]),
        ("paused", ["Resume", "Cancel"]),
        ("approval", ["Approve", "Reject"]),
        ("failed", ["Retry", "Skip", "Restart"]),
        ("completed", []),
    ],
)
def test_every_state_gets_its_buttons(status: str, labels: list[str]) -> None:
    snap = seed(status=status)
    if status == "approval":
        snap["approval"] = {"id": 7, "step": 3, "status": "pending", "prompt": "Apply?"}
    if status == "failed":
        snap["steps"][1]["status"] = "failed"
    payload = render(card_reply(snap, view_url="https://pb.example/tasks/abc123?t=x"))
    within_limits(payload)
    shown = buttons(payload)
    assert [b["text"]["text"] for b in shown] == [*labels, "Open progress view"]
    assert shown[-1]["url"] == "https://pb.example/tasks/abc123?t=x"
    for button in shown[:-1]:
        value = decode_value(button["action_id"], button["value"])
        assert value is not None and value.task_id == "abc123"
    if status == "approval":
        approve = decode_value(shown[0]["action_id"], shown[0]["value"])
        assert approve is not None and (approve.action, approve.arg) == ("approve", "7")
        assert [b.get("style") for b in shown[:2]] == ["primary", "danger"]
    if status == "failed":
        retry = decode_value(shown[0]["action_id"], shown[0]["value"])
        assert retry is not None and (retry.action, retry.arg) == ("retry_step", "2")
    assert len({b["action_id"] for b in shown}) == len(shown)


def test_untrusted_text_cannot_mention_or_link() -> None:
    evil = "<!channel> look <http://evil.example|x> & <@U123> @here"
    snap = seed(title=evil)
    snap["steps"][0]["name"] = evil
    for reply in (card_reply(snap), status_reply(snap), notification_reply("task_started", snap)):
        payload = render(reply)
        # Slack parses mrkdwn and the fallback text; plain_text (header, buttons) shows as is.
        parsed = [payload["text"], *mrkdwn_texts(payload["blocks"])]
        for text in parsed:
            assert "<!channel>" not in text and "<http://evil" not in text
            assert "<@U123>" not in text
        assert "&lt;!channel&gt; look &lt;http://evil.example|x&gt; &amp;" in "".join(parsed)
        for block in payload["blocks"]:
            text = block.get("text") or {}
            if text.get("type") == "mrkdwn":
                assert text["verbatim"] is True
    assert escape("a & <b>") == "a &amp; &lt;b&gt;"


def test_a_huge_task_stays_within_slacks_limits() -> None:
    for reply in (card_reply(huge_task()), status_reply(huge_task())):
        payload = render(reply)
        within_limits(payload)
        seen = visible_text(payload)
        assert "… 96 earlier steps" in seen
        assert "├─ … 1 done" in seen and "└─ … and 50 more" in seen
        assert "… and 92 more" in seen
        assert "◐ 100. Step number 100" in seen
        header = payload["blocks"][0]["text"]["text"]
        assert len(header) <= 150 and header.endswith("…")


def test_a_huge_log_goes_out_as_a_file_and_the_message_says_so() -> None:
    logs = [
        {"at": "2024-01-15T10:00:00+00:00", "level": "info", "step": 2, "message": "z" * 5000}
        for _ in range(200)
    ]
    reply = logs_reply(seed(), logs)
    assert reply.attachment is not None and len(reply.attachment[1]) > 1_000_000
    payload = render(reply)
    within_limits(payload)
    assert "Full log attached" in visible_text(payload)


def test_a_huge_plain_answer_is_cut_safely() -> None:
    payload = render(Reply(text="&" * 100_000))
    within_limits(payload)
    assert payload["text"].endswith("…") and "&amp…" not in payload["text"]
    assert not payload["text"].removesuffix("…").endswith(("&", "&a", "&am", "&amp"))


def test_many_buttons_are_split_into_actions_blocks_with_short_labels() -> None:
    snaps = [seed(task_id=f"t{n}", title=f"Task {n} " + "w" * 100) for n in range(40)]
    payload = render(choose_task_reply("status", snaps))
    within_limits(payload)
    actions = [b for b in payload["blocks"] if b["type"] == "actions"]
    assert [len(a["elements"]) for a in actions] == [25, 15]
    value = decode_value(actions[1]["elements"][0]["action_id"], actions[1]["elements"][0]["value"])
    assert value is not None and value.action == "choose" and value.arg == "status"


def test_a_button_too_long_for_slack_is_cut() -> None:
    reply = Reply(text="Pick", buttons=[Button("L" * 200, "status", "t1", "a" * 5000)])
    payload = render(reply)
    within_limits(payload)
    assert len(buttons(payload)[0]["text"]["text"]) == 75


def test_app_home_lists_tasks_with_progress() -> None:
    view = home_view([{"title": "Cellphone Store <CRM>", "progress": 65, "status": "running"}])
    assert view["type"] == "home"
    text = visible_text(view)
    assert "Cellphone Store <CRM>" in text and "65% · running" in text
    assert "&lt;CRM&gt;" in str(view)
