"""How good are our remaining-time estimates, next to a tqdm-style linear extrapolation?

Synthetic tasks of three classes (simple 1-2 tables, medium 3-5, complex 6+), each a run of 4-8
steps from an app-building pipeline. A step's true duration depends on its type and the table
count, with a per-run speed factor, lognormal per-step noise and a rare stall. Engines report
progress at a non-linear pace (fast start and slow tail, or the reverse, or in substep chunks).
For each class a history is built from earlier runs, then fresh runs are replayed and, at several
checkpoints of their true elapsed time, both estimators are asked for the remaining time.

The first run of a kind has no history. Engines may then declare a rough duration per step; the
declared figure is the step's usual duration off by lognormal noise (sigma 0.4: about ±40 %, on top
of the run's own speed and per-step noise), and the same cold runs are estimated with and without.

Run: python bench/eta.py  (deterministic; a few seconds)
"""

from __future__ import annotations

import math
import random
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

# Import from the repository root, not from bench/ (first on sys.path when run as a script),
# where bench/mcp.py would hide the `mcp` package the server imports.
sys.path.pop(0)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.progress.eta import StepTiming, estimate_remaining

SEED = 20240115
HISTORY_RUNS = 40
FRESH_RUNS = 500
CHECKPOINTS = (0.10, 0.25, 0.50, 0.75)
CHECKPOINT_JITTER = 0.03
EPOCH = 1_700_000_000.0
SEED_BANDS = {"simple": 0.20, "medium": 0.30, "complex": 0.50}
CLASS_TABLES = {"simple": (1, 2), "medium": (3, 5), "complex": (6, 12)}
# How far an engine's declared step duration is from the step's usual one (log-scale sigma).
DECLARED_SIGMA = 0.4
# The aim for the first run of a kind when the engine declares its steps' durations.
DECLARED_AIM = 0.25


@dataclass(frozen=True)
class StepType:
    name: str
    base: float  # seconds regardless of schema size
    per_table: float  # seconds per table
    table_power: float  # how the per-table part grows (UI screens interact, tests multiply)
    pace: float  # progress = time_fraction ** pace: <1 fast start/slow tail, >1 slow start
    chunked: bool  # reports whole substeps (one per table) instead of a smooth percent


PIPELINE = (
    StepType("Plan data model", 20, 3, 1.0, 0.7, False),
    StepType("Create database tables", 8, 6, 1.0, 1.0, True),
    StepType("Generate models", 15, 10, 1.1, 1.4, False),
    StepType("Generate application UI", 40, 25, 1.15, 0.6, True),
    StepType("Add search and filters", 25, 8, 1.0, 1.8, False),
    StepType("Configure workflows", 60, 5, 1.0, 1.0, False),
    StepType("Write tests", 30, 12, 1.2, 0.5, False),
    StepType("Seed sample data", 10, 4, 1.0, 2.0, False),
    StepType("Deploy preview", 45, 0, 1.0, 1.0, False),
)


@dataclass
class StepRun:
    kind: StepType
    start: float
    duration: float
    reports: list[tuple[float, int]]  # (seconds since run start, percent)
    usual: float = 0.0  # the step's usual duration for this schema, before this run's noise


@dataclass
class TaskRun:
    tables: int
    steps: list[StepRun]

    @property
    def total(self) -> float:
        last = self.steps[-1]
        return last.start + last.duration


def _progress_reports(
    rng: random.Random, kind: StepType, tables: int, start: float, duration: float
) -> list[tuple[float, int]]:
    pace = kind.pace * rng.lognormvariate(0.0, 0.2)
    chunks = max(2, tables)
    reports: list[tuple[float, int]] = []
    t = 0.0
    while True:
        t += duration / rng.uniform(6, 20)
        if t >= duration:
            break
        shape = (t / duration) ** pace
        pct = math.floor(chunks * shape) * 100 // chunks if kind.chunked else int(100 * shape)
        reports.append((start + t, min(pct, 99)))
    return reports


def make_run(rng: random.Random, klass: str) -> TaskRun:
    lo, hi = CLASS_TABLES[klass]
    tables = rng.randint(lo, hi)
    count = rng.randint(4, 8)
    kinds = [PIPELINE[i] for i in sorted(rng.sample(range(len(PIPELINE)), count))]
    speed = rng.lognormvariate(0.0, 0.2)  # this run's machine and engine load
    steps: list[StepRun] = []
    clock = 0.0
    for kind in kinds:
        usual = kind.base + kind.per_table * tables**kind.table_power
        duration = usual * speed * rng.lognormvariate(0.0, 0.2)
        if rng.random() < 0.04:  # a stall: retries, a slow model call
            duration *= rng.uniform(1.5, 3.0)
        reports = _progress_reports(rng, kind, tables, clock, duration)
        steps.append(StepRun(kind, clock, duration, reports, usual))
        clock += duration + rng.uniform(0.2, 2.0)  # hand-over between steps
    return TaskRun(tables, steps)


def snapshot(run: TaskRun, at: float, declared: list[float] | None = None) -> list[StepTiming]:
    """The steps as the store would show them `at` seconds into the run; `declared`: the
    engine's guess of each step's duration."""
    timings: list[StepTiming] = []
    for order, step in enumerate(run.steps, start=1):
        name = step.kind.name
        guess = declared[order - 1] if declared is not None else None
        end = step.start + step.duration
        if end <= at:
            timings.append(
                StepTiming(
                    order,
                    name,
                    "completed",
                    100,
                    EPOCH + step.start,
                    EPOCH + end,
                    declared_seconds=guess,
                )
            )
        elif step.start <= at:
            seen = [(EPOCH + t, pct) for t, pct in step.reports if t <= at]
            progress = seen[-1][1] if seen else 0
            timings.append(
                StepTiming(
                    order,
                    name,
                    "running",
                    progress,
                    EPOCH + step.start,
                    progress_samples=tuple(seen[-8:]),
                    declared_seconds=guess,
                )
            )
        else:
            timings.append(StepTiming(order, name, "pending", 0, declared_seconds=guess))
    return timings


def linear_estimate(timings: list[StepTiming], elapsed: float) -> float | None:
    """tqdm's answer: elapsed ÷ fraction done − elapsed, fraction from the task's percent."""
    weight = sum(t.weight for t in timings)
    fraction = sum(t.weight * t.progress for t in timings) / weight / 100.0
    if fraction <= 0:
        return None
    return elapsed / fraction - elapsed


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(q * len(ordered)), len(ordered) - 1)]


def evaluate(
    rng: random.Random,
    klass: str,
    *,
    cold: bool = False,
    declaring: random.Random | None = None,
) -> dict[str, float]:
    """Our estimate and the linear one on fresh runs; `cold`: with no earlier runs at all;
    `declaring`: also estimate the same runs with engine-declared step durations drawn from it."""
    history: dict[str, list[float]] = {}
    for _ in range(HISTORY_RUNS):
        for step in make_run(rng, klass).steps:
            history.setdefault(step.kind.name, []).append(step.duration)
    if cold:
        history = {}
    ours: list[float] = []
    linear: list[float] = []
    in_range = 0
    per_checkpoint: dict[float, list[float]] = {c: [] for c in CHECKPOINTS}
    with_declared: list[float] = []
    declared_per_checkpoint: dict[float, list[float]] = {c: [] for c in (0.0, *CHECKPOINTS)}
    for _ in range(FRESH_RUNS):
        run = make_run(rng, klass)
        if declaring is not None:
            guesses = [s.usual * declaring.lognormvariate(0.0, DECLARED_SIGMA) for s in run.steps]
            # Right at the start (nothing reported yet) the declared sum is all there is to go on.
            start = estimate_remaining(
                snapshot(run, 0.0, guesses), now=EPOCH, history=history, tables=run.tables
            )
            declared_per_checkpoint[0.0].append(_ape(start.seconds, run.total))
        for checkpoint in CHECKPOINTS:
            # A little jitter: at exact grid points like 25 % the linear answer is exact by luck
            # whenever the task percent is a round k of n steps with the next one not yet reporting.
            elapsed = (checkpoint + rng.uniform(-CHECKPOINT_JITTER, CHECKPOINT_JITTER)) * run.total
            truth = run.total - elapsed
            timings = snapshot(run, elapsed)
            estimate = estimate_remaining(
                timings, now=EPOCH + elapsed, history=history, tables=run.tables
            )
            ape = abs(estimate.seconds - truth) / truth if estimate.seconds is not None else 1.0
            ours.append(ape)
            per_checkpoint[checkpoint].append(ape)
            if (
                estimate.low is not None
                and estimate.high is not None
                and estimate.low <= truth <= estimate.high
            ):
                in_range += 1
            naive = linear_estimate(timings, elapsed)
            linear.append(abs(naive - truth) / truth if naive is not None else 1.0)
            if declaring is not None:
                informed = estimate_remaining(
                    snapshot(run, elapsed, guesses),
                    now=EPOCH + elapsed,
                    history=history,
                    tables=run.tables,
                )
                with_declared.append(_ape(informed.seconds, truth))
                declared_per_checkpoint[checkpoint].append(with_declared[-1])
    result = {
        "ours_median": statistics.median(ours),
        "ours_p90": percentile(ours, 0.9),
        "linear_median": statistics.median(linear),
        "linear_p90": percentile(linear, 0.9),
        "in_range": in_range / len(ours),
    }
    for checkpoint, apes in per_checkpoint.items():
        result[f"at_{checkpoint}"] = statistics.median(apes)
    if with_declared:
        result["declared_median"] = statistics.median(with_declared)
        result["declared_p90"] = percentile(with_declared, 0.9)
        for checkpoint, apes in declared_per_checkpoint.items():
            result[f"declared_at_{checkpoint}"] = statistics.median(apes)
    return result


def _ape(estimate: int | None, truth: float) -> float:
    return abs(estimate - truth) / truth if estimate is not None else 1.0


COLUMNS = (
    ("class", 8),
    ("runs", 5),
    ("ours median", 12),
    ("ours p90", 9),
    ("linear median", 14),
    ("linear p90", 11),
    ("in-range", 9),
    ("seed band", 10),
)


def row(*cells: str) -> str:
    first, *rest = (
        f"{cell:<{width}}" if i == 0 else f"{cell:>{width}}"
        for i, (cell, (_, width)) in enumerate(zip(cells, COLUMNS, strict=True))
    )
    return " ".join([first, *rest])


def main() -> None:
    rng = random.Random(SEED)
    checkpoints = ", ".join(f"{c:.0%}" for c in CHECKPOINTS)
    print(
        f"{HISTORY_RUNS} history runs, {FRESH_RUNS} fresh runs per class, checkpoints at "
        f"{checkpoints} (±3 points) of true elapsed time; APE = |est − true| / true"
    )
    print()
    print(row(*(name for name, _ in COLUMNS)))
    results = {}
    for klass, band in SEED_BANDS.items():
        r = evaluate(rng, klass)
        results[klass] = r
        print(
            row(
                klass,
                str(FRESH_RUNS),
                f"{r['ours_median']:.1%}",
                f"{r['ours_p90']:.1%}",
                f"{r['linear_median']:.1%}",
                f"{r['linear_p90']:.1%}",
                f"{r['in_range']:.0%}",
                f"±{band:.0%}",
            )
        )
    print()
    by_checkpoint = "  ".join(
        f"{klass} " + "/".join(f"{results[klass][f'at_{c}']:.0%}" for c in CHECKPOINTS)
        for klass in SEED_BANDS
    )
    print(f"ours median APE at {checkpoints}: {by_checkpoint}")
    print()
    # The first run of a kind: no history, only the task's size and its own pace; then the same
    # runs again with the engine's declared step durations.
    cold = {
        klass: evaluate(
            random.Random(SEED + 1), klass, cold=True, declaring=random.Random(SEED + 2)
        )
        for klass in SEED_BANDS
    }
    print(
        "cold start (no earlier runs), median APE ours vs linear: "
        + "  ".join(
            f"{klass} {r['ours_median']:.0%} vs {r['linear_median']:.0%}"
            for klass, r in cold.items()
        )
    )
    print(
        f"cold start with declared step durations (±{DECLARED_SIGMA:.0%} lognormal), "
        "median / p90 APE: "
        + "  ".join(
            f"{klass} {r['declared_median']:.0%} / {r['declared_p90']:.0%}"
            for klass, r in cold.items()
        )
    )
    marks = ", ".join(f"{c:.0%}" for c in (0.0, *CHECKPOINTS))
    print(
        f"  with declared, median APE at {marks}: "
        + "  ".join(
            f"{klass} " + "/".join(f"{r[f'declared_at_{c}']:.0%}" for c in (0.0, *CHECKPOINTS))
            for klass, r in cold.items()
        )
    )
    print()
    for klass, r in cold.items():
        ok = r["declared_median"] <= DECLARED_AIM and r["declared_median"] < r["ours_median"]
        print(
            f"{'PASS' if ok else 'FAIL'} {klass} first run: median error "
            f"{r['declared_median']:.1%} with declared durations "
            f"({'within' if r['declared_median'] <= DECLARED_AIM else 'OUTSIDE'} "
            f"the aim of {DECLARED_AIM:.0%}), {r['ours_median']:.1%} without"
        )
    for klass, r in results.items():
        band = SEED_BANDS[klass]
        inside = r["ours_median"] <= band
        better = r["ours_median"] < r["linear_median"]
        ratio = r["linear_median"] / r["ours_median"] if r["ours_median"] > 0 else math.inf
        verdict = "PASS" if inside and better else "FAIL"
        print(
            f"{verdict} {klass}: median error {r['ours_median']:.1%} "
            f"{'within' if inside else 'OUTSIDE'} the promised ±{band:.0%}; "
            f"{ratio:.1f}x {'better' if better else 'NOT better'} than linear"
        )


if __name__ == "__main__":
    main()
