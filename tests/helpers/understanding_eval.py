"""Load a labelled utterance file and score the understanding pipeline (and the policy) on it.

Shared by tests/test_understanding_corpus.py and bench/understanding.py.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.chat.policy import decide
from intents import STATE_CHANGING, ConversationContext, TaskRef, Understander, Understanding

DATA = Path(__file__).resolve().parent.parent / "data"
TRAIN = DATA / "corpus_train.yaml"
HELDOUT = DATA / "heldout.yaml"
# A second held-back split, written later in other voices (see its header); studied in round five.
HELDOUT2 = DATA / "heldout2.yaml"
# A third, written after round four in mixed voices; held back until round six, studied in it.
HELDOUT3 = DATA / "heldout3.yaml"
# A fourth, written after round five in everyday English; held back until round seven, studied in
# it.
HELDOUT4 = DATA / "heldout4.yaml"
# A fifth, written after round six in everyday English; held back until round seven, studied in it.
HELDOUT5 = DATA / "heldout5.yaml"
# A sixth, written after the fifth by a writer who saw neither code nor data; held back until
# round eight, studied in it (never trained on).
HELDOUT6 = DATA / "heldout6.yaml"
# A seventh, written after round seven by a writer who saw neither code nor data; held back until
# round nine, studied in it (never trained on).
HELDOUT7 = DATA / "heldout7.yaml"
# An eighth, written after round eight the same way; held back until round ten, studied in it
# (never trained on).
HELDOUT8 = DATA / "heldout8.yaml"
# A ninth, written during round nine the same way; only the one trap row acted on as it came was
# read.
HELDOUT9 = DATA / "heldout9.yaml"
# A tenth, written during the session after round nine the same way; held back until round
# eleven, studied in it (never trained on).
HELDOUT10 = DATA / "heldout10.yaml"
# An eleventh, written after round ten the same way; never read, trained or tuned on.
HELDOUT11 = DATA / "heldout11.yaml"
# A twelfth, written after round eleven the same way; held back until round twelve, studied in it
# (never trained on).
HELDOUT12 = DATA / "heldout12.yaml"
# A thirteenth, written with the twelfth the same way; unread until round seventeen, which studied
# it (never trained on).
HELDOUT13 = DATA / "heldout13.yaml"
# A fourteenth, written after round thirteen the same way (busy operations staff, elliptic and
# rambling messages); held back until round fourteen, studied in it (never trained on).
HELDOUT14 = DATA / "heldout14.yaml"
# A fifteenth, written with the fourteenth the same way (casual team chat, many messages in other
# languages); only the one trap row acted on as it came was read until round fifteen, which
# studied it (never trained on).
HELDOUT15 = DATA / "heldout15.yaml"
# A sixteenth, written after round fourteen the same way, a third of its traps made hard on
# purpose; only the five trap rows acted on as it came were read until round sixteen, which
# studied it (never trained on).
HELDOUT16 = DATA / "heldout16.yaml"
# A seventeenth, written during round sixteen the same way (newcomers and seasoned engineers, 13 %
# in other languages); only its four trap rows acted on as it came were read until round
# eighteen, which studied it (never trained on).
HELDOUT17 = DATA / "heldout17.yaml"
# An eighteenth, written with round seventeen the same way (support staff, product managers and
# team leads, long messages with their context first; 12 % in other languages); its one trap
# row acted on as it came read, then studied in round seventeen (d) (never trained on).
HELDOUT18 = DATA / "heldout18.yaml"
# A nineteenth, written with round eighteen the same way (everyone: engineers, managers, on-call
# staff at night, people on phones; 13 % in other languages); only its one trap row acted on as
# it came was read; never trained or tuned on.
HELDOUT19 = DATA / "heldout19.yaml"
# The development split: studied and improved on; the classifier trains on it with TRAIN.
DEV = DATA / "dev.yaml"
SPLITS = {
    "heldout": HELDOUT,
    "heldout2": HELDOUT2,
    "heldout3": HELDOUT3,
    "heldout4": HELDOUT4,
    "heldout5": HELDOUT5,
    "heldout6": HELDOUT6,
    "heldout7": HELDOUT7,
    "heldout8": HELDOUT8,
    "heldout9": HELDOUT9,
    "heldout10": HELDOUT10,
    "heldout11": HELDOUT11,
    "heldout12": HELDOUT12,
    "heldout13": HELDOUT13,
    "heldout14": HELDOUT14,
    "heldout15": HELDOUT15,
    "heldout16": HELDOUT16,
    "heldout17": HELDOUT17,
    "heldout18": HELDOUT18,
    "heldout19": HELDOUT19,
    "dev": DEV,
}
CONVERSATIONS = DATA / "conversations.yaml"
CHAT = "chat"
NOW = 1001.0


@dataclass(frozen=True)
class Row:
    text: str
    intent: str
    task: str | None
    act: str | None = None
    context_task: str | None = None
    context_intent: str | None = None
    step: int | None = None
    argument: str | None = None
    trap: bool = False


def task_ref(entry: dict[str, Any]) -> TaskRef:
    values = dict(entry)
    values["steps"] = tuple(values.get("steps") or ())
    return TaskRef(**values)


def load(path: Path) -> tuple[list[TaskRef], list[Row]]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    tasks = [task_ref(entry) for entry in data["tasks"]]
    fields = set(Row.__dataclass_fields__)
    rows = [
        Row(**{k: v for k, v in item.items() if k in fields} | {"text": str(item["text"])})
        for item in data["utterances"]
    ]
    return tasks, rows


def understand_row(understander: Understander, tasks: list[TaskRef], row: Row) -> Understanding:
    """Understand one row in a fresh chat primed with the row's context."""
    context = understander.context
    context.forget(CHAT)
    if row.context_task is not None:
        context.remember(CHAT, row.context_task, now=1000.0)
    if row.context_intent is not None:
        context.remember_intent(CHAT, row.context_intent, now=1000.0)
    return understander.understand(row.text, tasks, chat_key=CHAT, now=NOW)


@dataclass
class Report:
    rows: int = 0
    intent_right: int = 0
    task_judged: int = 0
    task_right: int = 0
    traps: int = 0
    dangerous: int = 0
    # requests acted on at once as another intent or on another task than the one asked for
    wrong_actions: int = 0
    times_us: list[float] = field(default_factory=list)
    cpu_us: list[float] = field(default_factory=list)
    wrong_intent: list[tuple[Row, Understanding]] = field(default_factory=list)
    wrong_task: list[tuple[Row, Understanding]] = field(default_factory=list)
    dangerous_rows: list[tuple[Row, Understanding]] = field(default_factory=list)

    @property
    def intent_accuracy(self) -> float:
        return self.intent_right / max(self.rows, 1)

    @property
    def task_accuracy(self) -> float:
        return self.task_right / max(self.task_judged, 1)

    @property
    def dangerous_rate(self) -> float:
        return self.dangerous / max(self.traps, 1)

    def percentile_us(self, q: float) -> float:
        ordered = sorted(self.times_us)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def evaluate(path: Path, understander: Understander | None = None) -> Report:
    tasks, rows = load(path)
    understander = understander or Understander(context=ConversationContext())
    understand_row(understander, tasks, rows[0])  # warm-up: trains the classifier, builds indexes
    report = Report()
    for row in rows:
        started, cpu = time.perf_counter(), time.thread_time()
        got = understand_row(understander, tasks, row)
        report.times_us.append((time.perf_counter() - started) * 1e6)
        report.cpu_us.append((time.thread_time() - cpu) * 1e6)
        report.rows += 1
        if got.intent == row.intent:
            report.intent_right += 1
        else:
            report.wrong_intent.append((row, got))
        # The task is judged where the message is about one (the label names it, or the intent
        # was understood right and needs a task: then "none of them" must be null).
        if row.task is not None or got.intent == row.intent:
            report.task_judged += 1
            if got.task_id == row.task:
                report.task_right += 1
            else:
                report.wrong_task.append((row, got))
        decision = decide(got)
        acted = decision.outcome == "act" and decision.intent in STATE_CHANGING
        if row.trap:
            report.traps += 1
            if acted:
                report.dangerous += 1
                report.dangerous_rows.append((row, got))
        elif acted and (got.intent != row.intent or got.task_id != row.task):
            report.wrong_actions += 1
    return report
