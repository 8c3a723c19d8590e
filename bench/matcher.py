"""How fast is the intent matcher with 1,000 visible tasks, next to a naive fuzzy matcher?

Builds 1,000 TaskRefs with realistic, overlapping names (a few share words, some have short
names, most are finished), takes the labelled utterances of tests/data/utterances.yaml, swaps
their task names for names from the generated set, and times `Matcher.match` on a few thousand
of them. The baseline in the same run classifies the intent with the same rules but finds the
task the naive way: rapidfuzz scores the whole message against every task title, every time.

Run: python bench/matcher.py  (deterministic inputs; a few seconds)
"""

from __future__ import annotations

import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

# Import from the repository root, not from bench/ (first on sys.path when run as a script),
# where bench/mcp.py would hide the `mcp` package the server imports.
sys.path.pop(0)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from intents.context import ConversationContext
from intents.matcher import Matcher
from intents.text import clean, tokenize
from intents.types import Intent, TaskRef

SEED = 20240611
TASKS = 1000
UTTERANCES = 4000
AIM_P99_US = 1000.0
DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "utterances.yaml"

PREFIXES = ("Nightly", "Weekly", "EU", "US", "Q3", "Legacy", "Mobile", "Partner", "Internal", "")
DOMAINS = (
    "Billing", "Customer", "Inventory", "Payments", "Sales", "Marketing", "Warehouse", "Support",
    "Invoice", "Order", "Shipping", "Loyalty", "Pricing", "Fraud", "Churn", "Payroll", "Vendor",
    "Analytics", "Search", "Catalog", "Booking", "Clinic", "Fleet", "Energy", "Survey", "Ticket",
)  # fmt: skip
KINDS = (
    "Dashboard", "Pipeline", "Migration", "API", "CRM", "Report", "Model Training", "Sync",
    "Backfill", "ETL", "Portal", "Scraper", "Index Rebuild", "Data Export", "App", "Forecast",
)  # fmt: skip
STATUSES = ("completed",) * 14 + ("failed", "cancelled", "running", "pending", "paused", "approval")


def generate_tasks(rng: random.Random) -> list[TaskRef]:
    tasks = []
    for i in range(TASKS):
        title = " ".join(
            w for w in (rng.choice(PREFIXES), rng.choice(DOMAINS), rng.choice(KINDS)) if w
        )
        short = None
        if rng.random() < 0.4:
            words = title.split()
            short = rng.choice([words[-1], "".join(w[0] for w in words).upper(), words[-2]])
        tasks.append(
            TaskRef(
                task_id=f"{rng.getrandbits(32):08x}",
                title=title,
                short_name=short,
                status=rng.choice(STATUSES),
                updated_at=1_700_000_000.0 + i,
            )
        )
    return tasks


def swap_names(text: str, original: TaskRef, replacement: TaskRef) -> str:
    """Put `replacement`'s name where the utterance names `original` (any casing)."""
    names = [original.title, *original.title.split()]
    if original.short_name:
        names.append(original.short_name)
    new = replacement.short_name or replacement.title
    for name in sorted(names, key=len, reverse=True):
        pattern = re.compile(rf"\b{re.escape(name)}\b", re.IGNORECASE)
        if pattern.search(text):
            return pattern.sub(new if name != original.title else replacement.title, text, count=1)
    return text.replace(original.task_id, replacement.task_id)


def build_workload(rng: random.Random, tasks: list[TaskRef]) -> list[str]:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    originals = {t["task_id"]: TaskRef(**t) for t in data["tasks"]}
    texts = []
    for _ in range(UTTERANCES):
        row = rng.choice(data["utterances"])
        text = str(row["text"])
        if row.get("task") in originals:
            text = swap_names(text, originals[row["task"]], rng.choice(tasks))
        texts.append(text)
    return texts


class NaiveMatcher:
    """Same intent rules, but each message is fuzzy-scored against every task title."""

    def __init__(self) -> None:
        self.rules = Matcher(context=ConversationContext())

    def match(self, text: str, tasks: Sequence[TaskRef]) -> Intent:
        intent = self.rules.match(text, (), chat_key=None)
        if intent.name in ("help", "greeting", "thanks", "list_tasks", "unknown"):
            return intent
        query = " ".join(tokenize(clean(text).body))
        titles = [f"{t.title} {t.short_name or ''}".lower() for t in tasks]
        best = process.extractOne(query, titles, scorer=fuzz.partial_token_set_ratio)
        task_id = tasks[best[2]].task_id if best and best[1] >= 80 else None
        return Intent(intent.name, task_id=task_id, resolution="named" if task_id else "none")


def measure(
    run: Callable[[str], object], texts: list[str], cpu: list[float] | None = None
) -> list[float]:
    """Wall time per call in µs; CPU time of this thread per call into `cpu` when given (on a
    shared machine the neighbours' load moves the wall time, far less the CPU time)."""
    for text in texts[:200]:  # warm caches
        run(text)
    timings = []
    for text in texts:
        start, started_cpu = time.perf_counter_ns(), time.thread_time_ns()
        run(text)
        timings.append((time.perf_counter_ns() - start) / 1000.0)
        if cpu is not None:
            cpu.append((time.thread_time_ns() - started_cpu) / 1000.0)
    return timings


def report(label: str, timings: list[float]) -> float:
    ordered = sorted(timings)
    p50 = statistics.median(ordered)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    rate = len(ordered) / (sum(ordered) / 1e6)
    print(f"{label:<28} p50 {p50:8.1f} µs   p99 {p99:8.1f} µs   {rate:10,.0f} matches/s")
    return p99


def main() -> None:
    rng = random.Random(SEED)
    tasks = generate_tasks(rng)
    texts = build_workload(rng, tasks)
    # Every message read through the whole pipeline: the workload says some messages again, and
    # the readings kept for a message said again would hide what reading one costs.
    matcher = Matcher(readings_kept=0)
    start = time.perf_counter()
    matcher.index(tasks)
    build_ms = (time.perf_counter() - start) * 1000
    naive = NaiveMatcher()

    print(f"{len(tasks)} tasks, {len(texts)} utterances; index built once in {build_ms:.1f} ms")
    chats = [f"chat-{i % 50}" for i in range(len(texts))]
    it = iter(chats * 2)
    cpu: list[float] = []
    p99 = report(
        "matcher (indexed)",
        measure(lambda t: matcher.match(t, tasks, chat_key=next(it)), texts, cpu),
    )
    cpu.sort()
    print(
        f"{'  CPU time (this thread)':<28} p50 {statistics.median(cpu):8.1f} µs   "
        f"p99 {cpu[min(len(cpu) - 1, int(len(cpu) * 0.99))]:8.1f} µs"
    )
    report("naive (fuzzy every title)", measure(lambda t: naive.match(t, tasks), texts))
    big = "status of the crm " + "x" * 100_000
    report("matcher, 100 KB message", measure(lambda _t: matcher.match(big, tasks), texts[:500]))
    print(f"matcher p99 = {p99:.0f} µs (aim ≤ {AIM_P99_US:.0f} µs)")


if __name__ == "__main__":
    main()
