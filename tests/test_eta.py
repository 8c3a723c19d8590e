"""Remaining-time estimates: how the sources are blended, and the words people read."""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.progress.eta import (
    Estimate,
    StepTiming,
    complexity_class,
    estimate_remaining,
    format_ago,
    format_eta,
    format_eta_short,
)

NOW = 1_700_000_000.0


def pending(order: int, name: str) -> StepTiming:
    return StepTiming(order, name, "pending", 0)


def completed(order: int, name: str, seconds: float, *, ended: float = NOW) -> StepTiming:
    return StepTiming(order, name, "completed", 100, ended - seconds, ended)


def running(order: int, name: str, progress: int, elapsed: float) -> StepTiming:
    return StepTiming(order, name, "running", progress, NOW - elapsed)


# --- wording -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (180, "About 3 minutes remaining."),
        (45, "Less than a minute remaining."),
        (3900, "About 1 hour 5 minutes remaining."),
        (None, "Not enough data for an estimate yet."),
        (60, "About 1 minute remaining."),
        (7200, "About 2 hours remaining."),
        (0, "Less than a minute remaining."),
    ],
)
def test_chat_wording(seconds: int | None, text: str) -> None:
    assert format_eta(seconds) == text


def test_chat_wording_matches_the_seed_reply_line() -> None:
    assert f"ETA: {format_eta(180)}" == "ETA: About 3 minutes remaining."


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (180, "3 min remaining"),
        (45, "<1 min remaining"),
        (3900, "1 h 5 min remaining"),
        (None, "estimating…"),
        (3600, "1 h remaining"),
    ],
)
def test_progress_view_wording(seconds: int | None, text: str) -> None:
    assert format_eta_short(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (120, "2 min ago"),
        (20, "just now"),
        (7200, "2 h ago"),
        (3900, "1 h 5 min ago"),
        (-30, "just now"),
        (math.nan, "just now"),
    ],
)
def test_started_wording(seconds: float, text: str) -> None:
    assert format_ago(seconds) == text


def test_progress_view_lines_match_the_seed() -> None:
    assert f"Started: {format_ago(120)}" == "Started: 2 min ago"
    assert f"ETA: {format_eta_short(180)}" == "ETA: 3 min remaining"


@pytest.mark.parametrize(
    ("tables", "kind"),
    [
        (1, "simple"),
        (2, "simple"),
        (3, "medium"),
        (5, "medium"),
        (6, "complex"),
        (40, "complex"),
        (None, "unknown"),
        (0, "unknown"),
    ],
)
def test_complexity_classes_follow_table_counts(tables: int | None, kind: str) -> None:
    assert complexity_class(tables) == kind


# --- estimates -----------------------------------------------------------------------------


def test_completed_task_has_nothing_remaining() -> None:
    steps = [completed(1, "Create database tables", 15), StepTiming(2, "Deploy", "skipped", 0)]
    assert estimate_remaining(steps, now=NOW) == Estimate(0, 0, 0, "done")


def test_pending_steps_add_up_their_usual_durations() -> None:
    history = {"Generate application UI": [120.0] * 5, "Configure workflows": [60.0] * 5}
    steps = [pending(1, "Generate application UI"), pending(2, "Configure workflows")]

    estimate = estimate_remaining(steps, now=NOW, history=history, tables=2)

    assert estimate.seconds == 180
    assert estimate.basis == "history"
    assert format_eta(estimate.seconds) == "About 3 minutes remaining."


def test_history_counts_recent_runs_more() -> None:
    # Most recent last: the engine used to take 10 s, lately it takes 100 s.
    history = {"Generate models": [10.0, 10.0, 10.0, 100.0, 100.0, 100.0]}

    estimate = estimate_remaining([pending(1, "Generate models")], now=NOW, history=history)

    assert estimate.seconds == 100


def test_history_dominates_early_in_a_step() -> None:
    # 5 % after 10 s: the pace says 190 s more, earlier runs say about 90 s more.
    history = {"Generate application UI": [100.0] * 10}
    steps = [running(1, "Generate application UI", progress=5, elapsed=10)]

    estimate = estimate_remaining(steps, now=NOW, history=history, tables=2)

    assert estimate.seconds is not None
    assert abs(estimate.seconds - 90) < abs(estimate.seconds - 190)
    assert estimate.basis == "history"


def test_rate_dominates_late_in_a_step() -> None:
    # 90 % after 45 s: the pace says 5 s more, earlier runs say about 55 s more.
    history = {"Generate application UI": [100.0] * 10}
    steps = [running(1, "Generate application UI", progress=90, elapsed=45)]

    estimate = estimate_remaining(steps, now=NOW, history=history, tables=2)

    assert estimate.seconds is not None
    assert abs(estimate.seconds - 5) < abs(estimate.seconds - 55)
    assert estimate.basis == "rate"


def test_a_slow_run_stretches_its_pending_steps() -> None:
    history = {"Create database tables": [20.0] * 8, "Generate models": [60.0] * 8}
    usual = [completed(1, "Create database tables", 20), pending(2, "Generate models")]
    slow = [completed(1, "Create database tables", 40), pending(2, "Generate models")]

    at_usual_pace = estimate_remaining(usual, now=NOW, history=history)
    at_slow_pace = estimate_remaining(slow, now=NOW, history=history)

    assert at_usual_pace.seconds == 60
    assert at_slow_pace.seconds is not None and at_slow_pace.seconds > 60


def test_without_history_pending_steps_take_the_mean_of_finished_ones() -> None:
    steps = [
        completed(1, "Plan", 30, ended=NOW - 50),
        completed(2, "Create database tables", 50),
        pending(3, "Generate models"),
        pending(4, "Deploy"),
    ]

    estimate = estimate_remaining(steps, now=NOW, tables=4)

    assert estimate.seconds == 80
    assert estimate.basis == "rate"


def test_without_any_data_the_complexity_prior_is_used() -> None:
    steps = [pending(1, "Plan"), pending(2, "Build")]

    small = estimate_remaining(steps, now=NOW, tables=1)
    large = estimate_remaining(steps, now=NOW, tables=8)

    assert small.basis == large.basis == "complexity"
    assert small.seconds is not None and large.seconds is not None
    assert 0 < small.seconds < large.seconds


# --- declared step durations (the first run of a kind) ---------------------------------------


def declared(step: StepTiming, seconds: float) -> StepTiming:
    return dataclasses.replace(step, declared_seconds=seconds)


def test_declared_durations_are_the_estimate_before_anything_runs() -> None:
    steps = [
        declared(pending(1, "Create database tables"), 15),
        declared(pending(2, "Generate application UI"), 300),
        declared(pending(3, "Add search and filters"), 45),
        declared(pending(4, "Configure workflows"), 60),
    ]

    estimate = estimate_remaining(steps, now=NOW, tables=4)

    assert estimate.seconds is not None
    assert abs(estimate.seconds - 420) <= 0.05 * 420
    assert estimate.basis == "declared"
    assert estimate.low is not None and estimate.high is not None
    assert estimate.low < 420 < estimate.high


def test_the_demo_at_six_percent_says_the_declared_remainder() -> None:
    # The demo's first run: 15 s of tables done on time, the UI 6 % in after 18 s. The issue's
    # old answer was "about 2 minutes" with 7.5 minutes to go.
    steps = [
        declared(completed(1, "Create database tables", 15, ended=NOW - 18), 15),
        declared(running(2, "Generate application UI", progress=6, elapsed=18), 300),
        declared(pending(3, "Add search and filters"), 45),
        declared(pending(4, "Configure workflows"), 60),
    ]

    estimate = estimate_remaining(steps, now=NOW, tables=4)

    truth = 300 - 18 + 45 + 60
    assert estimate.seconds is not None
    assert abs(estimate.seconds - truth) <= 0.1 * truth


def test_a_running_step_moves_from_its_declared_duration_toward_its_pace() -> None:
    # Declared 100 s; the step actually runs at 1 % a second (200 s in all).
    def remaining(progress: int) -> int:
        step = declared(running(1, "Generate application UI", progress, elapsed=2 * progress), 100)
        estimate = estimate_remaining([step], now=NOW)
        assert estimate.seconds is not None
        return estimate.seconds

    early, late = remaining(10), remaining(80)
    by_declared_early, by_pace_early = 100 - 20, 180
    by_pace_late = 40
    # Early, the declaration still counts but the pace pulls the estimate up from it...
    assert by_declared_early < early < by_pace_early
    # ... and late in the step the pace decides.
    assert abs(late - by_pace_late) <= 0.2 * by_pace_late


def test_a_slow_start_stretches_the_declared_remaining_steps() -> None:
    on_time = [
        declared(completed(1, "Plan", 60), 60),
        declared(pending(2, "Build"), 100),
    ]
    twice_as_slow = [
        declared(completed(1, "Plan", 120), 60),
        declared(pending(2, "Build"), 100),
    ]

    usual = estimate_remaining(on_time, now=NOW).seconds
    slow = estimate_remaining(twice_as_slow, now=NOW).seconds

    assert usual is not None and slow is not None
    assert abs(usual - 100) <= 5
    # One step says little about a guess's error, so the next step is stretched, not doubled.
    assert 100 < slow < 200


def test_history_outweighs_a_declared_duration() -> None:
    history = {"Build": [50.0] * 10}
    steps = [declared(pending(1, "Build"), 500)]

    estimate = estimate_remaining(steps, now=NOW, history=history)

    assert estimate.seconds == 50
    assert estimate.basis == "history"


def test_without_data_or_size_there_is_no_estimate() -> None:
    estimate = estimate_remaining([pending(1, "Plan"), pending(2, "Build")], now=NOW)

    assert estimate.seconds is None
    assert format_eta(estimate.seconds) == "Not enough data for an estimate yet."


def test_no_steps_gives_no_estimate() -> None:
    assert estimate_remaining([], now=NOW).seconds is None


@pytest.mark.parametrize(("tables", "band"), [(1, 0.2), (4, 0.3), (9, 0.5)])
def test_range_is_at_least_the_promised_accuracy(tables: int, band: float) -> None:
    history = {"Generate application UI": [100.0] * 30}

    estimate = estimate_remaining(
        [pending(1, "Generate application UI")], now=NOW, history=history, tables=tables
    )

    assert estimate.seconds == 100
    assert estimate.low is not None and estimate.high is not None
    assert estimate.low <= 100 * (1 - band) and estimate.high >= 100 * (1 + band)


def test_spread_history_widens_the_range() -> None:
    steady = {"Write tests": [100.0] * 12}
    erratic = {"Write tests": [30.0, 300.0, 60.0, 200.0, 100.0, 40.0, 250.0, 100.0] * 2}

    narrow = estimate_remaining([pending(1, "Write tests")], now=NOW, history=steady, tables=1)
    wide = estimate_remaining([pending(1, "Write tests")], now=NOW, history=erratic, tables=1)

    assert narrow.low is not None and narrow.high is not None
    assert wide.low is not None and wide.high is not None
    assert (wide.high - wide.low) / (wide.seconds or 1) > (narrow.high - narrow.low) / 100


def test_a_paused_step_is_not_judged_by_its_clock() -> None:
    # Paused for an hour at 50 %: elapsed time says nothing about how long the rest takes.
    history = {"Configure workflows": [100.0] * 10}
    step = StepTiming(1, "Configure workflows", "paused", 50, NOW - 3600)

    estimate = estimate_remaining([step], now=NOW, history=history)

    assert estimate.seconds == 50


def test_progress_100_while_running_and_clock_backwards_do_not_raise() -> None:
    history = {"Deploy": [60.0] * 3}
    done_but_running = running(1, "Deploy", progress=100, elapsed=30)
    from_the_future = StepTiming(2, "Deploy", "running", 40, NOW + 500, NOW - 10)

    first = estimate_remaining([done_but_running], now=NOW, history=history)
    second = estimate_remaining([from_the_future], now=NOW, history=history)

    assert first.seconds is not None and first.seconds <= 30
    assert second.seconds is not None and second.seconds >= 0


STATUSES = ["pending", "running", "completed", "failed", "skipped", "paused", "approval", "odd"]
times = st.none() | st.floats(allow_nan=True, allow_infinity=True)
samples = st.tuples(st.floats(allow_nan=True, allow_infinity=True), st.integers(-50, 250))
step_timings = st.builds(
    StepTiming,
    order=st.integers(-5, 20),
    name=st.sampled_from(["Plan", "Build", "Deploy", ""]),
    status=st.sampled_from(STATUSES),
    progress=st.integers(-50, 250),
    started_at=times,
    finished_at=times,
    weight=st.floats(allow_nan=True, allow_infinity=True),
    progress_samples=st.lists(samples, max_size=6).map(tuple),
)
histories = st.dictionaries(
    st.sampled_from(["Plan", "Build", "Deploy"]),
    st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=8),
)


@settings(max_examples=300, deadline=None)
@given(
    steps=st.lists(step_timings, max_size=6),
    now=st.floats(allow_nan=True, allow_infinity=True),
    history=st.none() | histories,
    tables=st.none() | st.integers(-3, 200),
)
def test_any_input_gives_an_ordered_range(
    steps: list[StepTiming],
    now: float,
    history: dict[str, list[float]] | None,
    tables: int | None,
) -> None:
    estimate = estimate_remaining(steps, now=now, history=history, tables=tables)

    if estimate.seconds is None:
        assert estimate.low is None and estimate.high is None
    else:
        assert estimate.low is not None and estimate.high is not None
        assert 0 <= estimate.low <= estimate.seconds <= estimate.high
    assert estimate.basis in {
        "history",
        "declared",
        "rate",
        "complexity",
        "blend",
        "done",
        "none",
    }
    assert format_eta(estimate.seconds).endswith(".")
    assert format_eta_short(estimate.seconds)


def test_first_run_of_a_kind_follows_its_own_overall_pace() -> None:
    """No history at all: the task's own pace (elapsed ÷ fraction done) decides, as
    bench/eta.py's cold-start figures show it predicts best; the range stays around it."""
    steps = [
        StepTiming(1, "Extract", "completed", 100, started_at=0.0, finished_at=60.0),
        StepTiming(2, "Transform", "running", 50, started_at=60.0),
        StepTiming(3, "Load", "pending", 0),
        StepTiming(4, "Report", "pending", 0),
    ]
    estimate = estimate_remaining(steps, now=90.0, tables=4)
    # 37.5 % done after 90 s: 150 s to go.
    assert estimate.seconds == 150
    assert estimate.low is not None and estimate.high is not None
    assert estimate.low <= 150 <= estimate.high
