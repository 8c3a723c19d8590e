"""Understanding accuracy on the labelled corpus.

- the training/dev split (tests/data/corpus_train.yaml): gated;
- the development split (tests/data/dev.yaml: hand-written over its own tasks, studied and
  trained on): gated, so a change that helps one phrasing does not quietly break others;
- multi-turn conversations (tests/data/conversations.yaml): gated;
- the held-back split (tests/data/heldout.yaml), never tuned on: zero dangerous actions on its
  traps is always gated; intent (≥ 97 %) and task (≥ 95 %) accuracy are reported, and gated
  only with PROGRESSBOT_HELDOUT_GATE=1 (the targets are not reached yet: see the printed figures);
- a second split (tests/data/heldout2.yaml), written later in other voices, held back until round
  five and studied in it, and a third to a nineteenth held-back split (tests/data/heldout3.yaml to
  heldout19.yaml; all but the ninth, the eleventh and the nineteenth studied in rounds six to
  eighteen, those three unseen; none trained on): zero dangerous actions gated, accuracy
  reported.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.chat.policy import decide
from intents import INTENT_NAMES, STATE_CHANGING, ConversationContext, Understander
from tests.helpers.understanding_eval import (
    CONVERSATIONS,
    DEV,
    HELDOUT,
    HELDOUT2,
    HELDOUT3,
    HELDOUT4,
    HELDOUT5,
    HELDOUT6,
    HELDOUT7,
    HELDOUT8,
    HELDOUT9,
    HELDOUT10,
    HELDOUT11,
    HELDOUT12,
    HELDOUT13,
    HELDOUT14,
    HELDOUT15,
    HELDOUT16,
    HELDOUT17,
    HELDOUT18,
    HELDOUT19,
    TRAIN,
    Report,
    evaluate,
    load,
    task_ref,
)

INTENT_ACCURACY = 0.97
TASK_ACCURACY = 0.95
TRAIN_INTENT_ACCURACY = 0.98
TRAIN_TASK_ACCURACY = 0.97


def listing(report: Report) -> str:
    lines = [
        f"  intent {r.intent:>14} → {g.intent:<14} ({g.act}) {r.text!r}"
        for r, g in report.wrong_intent
    ]
    lines += [
        f"  task {r.task!s:>8} → {g.task_id!s:<8} ({g.resolution}) {r.text!r}"
        for r, g in report.wrong_task
    ]
    lines += [f"  DANGEROUS {g.intent} ({g.act}) {r.text!r}" for r, g in report.dangerous_rows]
    return "\n".join(lines)


def summary(name: str, report: Report) -> str:
    return (
        f"{name}: {report.rows} utterances, intent {report.intent_accuracy:.1%}, "
        f"task {report.task_accuracy:.1%} ({report.task_judged} judged), "
        f"dangerous {report.dangerous}/{report.traps} traps"
    )


def test_the_corpus_is_big_and_covers_every_intent() -> None:
    tasks, rows = load(TRAIN)
    _, held = load(HELDOUT)
    ids = {t.task_id for t in tasks}
    assert len(rows) >= 2000
    assert len(held) >= 400
    assert {r.intent for r in rows} == set(INTENT_NAMES)
    for intent in ("pause", "resume", "cancel", "restart", "retry_step", "skip_step", "approve",
                   "reject", "mute"):  # fmt: skip
        assert any(r.trap and r.intent == intent for r in rows), intent
    assert any(r.trap and r.intent == "notify_settings" for r in rows)
    for row in rows:
        assert row.task is None or row.task in ids, row
    train_texts = {r.text.lower() for r in rows}
    # short generic messages ("pause it", "/tasks") are bound to appear in both
    overlap = [r.text for r in held if r.text.lower() in train_texts and len(r.text.split()) > 3]
    assert len(overlap) <= len(held) // 20, overlap  # the held-back split is not the training one


def test_training_split_accuracy() -> None:
    report = evaluate(TRAIN)
    print("\n" + summary("training split", report) + "\n" + listing(report))
    assert report.intent_accuracy >= TRAIN_INTENT_ACCURACY, listing(report)
    assert report.task_accuracy >= TRAIN_TASK_ACCURACY, listing(report)
    assert report.dangerous == 0, listing(report)


def test_development_split_accuracy() -> None:
    report = evaluate(DEV)
    assert report.intent_accuracy >= INTENT_ACCURACY, listing(report)
    assert report.task_accuracy >= TASK_ACCURACY, listing(report)
    assert report.dangerous == 0, listing(report)


def test_conversations() -> None:
    data: dict[str, Any] = yaml.safe_load(CONVERSATIONS.read_text(encoding="utf-8"))
    tasks = [task_ref(entry) for entry in yaml.safe_load(TRAIN.read_text())["tasks"]]
    wrong: list[str] = []
    for conversation in data["conversations"]:
        understander = Understander(context=ConversationContext())
        for i, turn in enumerate(conversation["turns"]):
            got = understander.understand(turn["text"], tasks, chat_key="c", now=1000.0 + i)
            if (got.intent, got.task_id) != (turn["intent"], turn.get("task")):
                wrong.append(
                    f"{conversation['name']}: {turn['text']!r} → {got.intent}/{got.task_id}, "
                    f"expected {turn['intent']}/{turn.get('task')}"
                )
            if turn.get("trap"):
                decision = decide(got)
                assert not (decision.outcome == "act" and decision.intent in STATE_CHANGING), turn
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("split", "name", "at_least"),
    [
        # held back until round five, it measured how far understanding was from the aim on
        # voices nobody had studied; studied since
        (HELDOUT2, "second held-back split", 400),
        (HELDOUT3, "third held-back split", 500),
        # written after round five in everyday English
        (HELDOUT4, "fourth held-back split", 500),
        # written after round six in everyday English
        (HELDOUT5, "fifth held-back split", 500),
        # written after the fifth by a writer who saw neither the code nor the data; studied in
        # round eight
        (HELDOUT6, "sixth held-back split", 500),
        # written after round seven by a writer who saw neither the code nor the data
        (HELDOUT7, "seventh held-back split", 500),
        # written after round eight the same way
        (HELDOUT8, "eighth held-back split", 500),
        # written during round nine the same way
        (HELDOUT9, "ninth held-back split", 500),
        # written after round nine the same way
        (HELDOUT10, "tenth held-back split", 500),
        # written after round ten the same way
        (HELDOUT11, "eleventh held-back split", 500),
        # written after round eleven the same way, two at once
        (HELDOUT12, "twelfth held-back split", 500),
        (HELDOUT13, "thirteenth held-back split", 500),
        # written after round thirteen the same way, in the voices of busy operations staff
        (HELDOUT14, "fourteenth held-back split", 500),
        (HELDOUT15, "fifteenth held-back split", 500),
        # written after round fourteen the same way, a third of its traps hard on purpose
        (HELDOUT16, "sixteenth held-back split", 500),
        # written during round sixteen the same way, newcomers and seasoned engineers
        (HELDOUT17, "seventeenth held-back split", 500),
        # written with round seventeen the same way, support staff and team leads
        (HELDOUT18, "eighteenth held-back split", 500),
        # written with round eighteen the same way, everyone
        (HELDOUT19, "nineteenth held-back split", 500),
    ],
)
def test_later_heldout_splits_never_act_on_a_trap(split: Path, name: str, at_least: int) -> None:
    """Their accuracy is reported (bench/understanding.py --split heldout2 … heldout19), not gated;
    safety is gated."""
    report = evaluate(split)
    print("\n" + summary(name, report))
    assert report.rows >= at_least
    assert report.dangerous == 0, summary(name, report)


def test_heldout_split() -> None:
    report = evaluate(HELDOUT)
    print("\n" + summary("held-back split", report))
    assert report.dangerous == 0, summary("held-back", report)
    if os.environ.get("PROGRESSBOT_HELDOUT_GATE") != "1":
        return
    assert report.intent_accuracy >= INTENT_ACCURACY, summary("held-back", report)
    assert report.task_accuracy >= TASK_ACCURACY, summary("held-back", report)
