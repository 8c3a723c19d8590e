"""Intent and task-reference accuracy over the labelled utterances in tests/data/utterances.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from intents.context import ConversationContext
from intents.matcher import Matcher
from intents.types import INTENT_NAMES, Intent, TaskRef
from intents.understanding import bot_name

DATA = Path(__file__).parent / "data" / "utterances.yaml"
INTENT_ACCURACY = 0.97
TASK_ACCURACY = 0.95


@dataclass(frozen=True)
class Row:
    text: str
    intent: str
    task: str | None
    step: int | None
    context_task: str | None


def load() -> tuple[list[TaskRef], list[Row]]:
    data: dict[str, Any] = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    tasks = [TaskRef(**entry) for entry in data["tasks"]]
    rows = [
        Row(
            text=str(item["text"]),
            intent=item["intent"],
            task=item.get("task"),
            step=item.get("step"),
            context_task=item.get("context_task"),
        )
        for item in data["utterances"]
    ]
    return tasks, rows


def run(tasks: list[TaskRef], row: Row) -> Intent:
    """Match one row in a fresh chat, primed with the row's context task if it has one."""
    context = ConversationContext()
    if row.context_task is not None:
        context.remember("chat", row.context_task, now=1000.0)
    return Matcher(context=context).match(row.text, tasks, chat_key="chat", now=1001.0)


@pytest.fixture(scope="module")
def results() -> list[tuple[Row, Intent]]:
    tasks, rows = load()
    return [(row, run(tasks, row)) for row in rows]


def test_the_data_set_is_big_and_well_formed() -> None:
    tasks, rows = load()
    ids = {t.task_id for t in tasks}
    assert len(rows) >= 320
    assert sum(row.intent == "unknown" for row in rows) >= 15
    assert {row.intent for row in rows} == set(INTENT_NAMES)
    for row in rows:
        assert row.task is None or row.task in ids, row
        assert row.context_task is None or row.context_task in ids, row


def test_intent_accuracy(results: list[tuple[Row, Intent]]) -> None:
    # Matcher speaks the bot's vocabulary: new intents arrive as the one the bot handles them as
    wrong = [(row, got) for row, got in results if got.name != bot_name(row.intent)]
    listing = "\n".join(f"  {row.intent:>10} → {got.name:<10} {row.text!r}" for row, got in wrong)
    accuracy = 1 - len(wrong) / len(results)
    print(f"\nintent accuracy {accuracy:.1%} ({len(wrong)} wrong of {len(results)})\n{listing}")
    assert accuracy >= INTENT_ACCURACY, f"intent accuracy {accuracy:.1%}; wrong:\n{listing}"


def test_task_reference_accuracy(results: list[tuple[Row, Intent]]) -> None:
    judged = [(row, got) for row, got in results if row.task is not None]
    wrong = [(row, got) for row, got in judged if got.task_id != row.task]
    listing = "\n".join(
        f"  {row.task!s:>9} → {got.task_id!s:<9} ({got.resolution}) {row.text!r}"
        for row, got in wrong
    )
    accuracy = 1 - len(wrong) / len(judged)
    print(f"\ntask accuracy {accuracy:.1%} ({len(wrong)} wrong of {len(judged)})\n{listing}")
    assert accuracy >= TASK_ACCURACY, f"task accuracy {accuracy:.1%}; wrong:\n{listing}"


def test_step_accuracy(results: list[tuple[Row, Intent]]) -> None:
    wrong = [(row, got) for row, got in results if row.step is not None and got.step != row.step]
    assert not wrong, "\n".join(f"{row.step} → {got.step} {row.text!r}" for row, got in wrong)
