"""Remaining-time estimates for a task, and the words that show them.

Pure functions only: the store gathers step timings and the history of earlier tasks of the same
kind, and this module turns them into an `Estimate`. Three sources are blended, as the product
promises: how long the same step took before (history), how fast the running step is moving
(rate), and how big the app is (complexity, by number of tables). Before there is any history,
an engine may declare a rough duration per step (`declared_seconds`): those are the priors, and
the run's observed pace against them (finished steps, then the running one as it moves) corrects
them, the way history is corrected by this run's speed.

Durations are modelled as lognormal: step times are positive and skewed (a slow step can take three
times as long, never minus a third), so medians and spreads are taken on a log scale.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

__all__ = [
    "Estimate",
    "StepTiming",
    "complexity_class",
    "estimate_remaining",
    "format_ago",
    "format_eta",
    "format_eta_short",
]


@dataclass(frozen=True, slots=True)
class StepTiming:
    """What is known about one step of the task being estimated."""

    order: int
    name: str
    status: str  # pending|running|completed|failed|skipped|paused|approval
    progress: int  # 0..100
    started_at: float | None = None  # epoch seconds
    finished_at: float | None = None
    weight: float = 1.0
    # (epoch seconds, percent) recent reports for the running step, oldest first.
    progress_samples: tuple[tuple[float, int], ...] = ()
    # The engine's own rough guess of the step's duration (seconds), if it declared one.
    declared_seconds: float | None = None


@dataclass(frozen=True, slots=True)
class Estimate:
    """Remaining seconds with a range; `basis` names the source that carried the estimate."""

    seconds: int | None
    low: int | None
    high: int | None
    basis: str  # "history" | "declared" | "rate" | "complexity" | "blend" | "done" | "none"


_FINISHED = frozenset({"completed", "skipped", "failed"})
# Steps whose clock is stopped by a person: elapsed time says nothing about the step's pace.
_HELD = frozenset({"paused", "approval"})

# The accuracy the product promises per class; the range is never narrower than this.
_BANDS: dict[str, float] = {"simple": 0.20, "medium": 0.30, "complex": 0.50, "unknown": 0.50}
# Log-scale spread of an engine's declared step duration around the truth (±30-50 %).
_DECLARED_SIGMA = 0.45
# How much a declared duration counts against the running step's own pace (history with n
# samples counts n / (n + 1)): a guess, so less than a well-known history.
_DECLARED_CONFIDENCE = 0.5
# A finished step's actual ÷ declared duration is mostly the guess's own error, and only a little
# the run's speed: it counts this much of an actual ÷ historical median (about (0.2 / 0.45)²).
_DECLARED_RATIO_WEIGHT = 0.25
# Log-scale spread assumed for a step estimated from the complexity prior alone.
_PRIOR_SIGMA = 0.8
# Log-scale spread assumed for a step estimated from the mean of this task's finished steps.
_OBSERVED_SIGMA = 0.6
# Spread assumed for a step's history before many samples pin it down.
_HISTORY_SIGMA0 = 0.35
# Older history counts less: each earlier run weighs this much of the one after it.
_RECENCY_DECAY = 0.9
# How many pseudo-observations of "this run is as fast as usual" the speed factor starts with.
_SPEED_PRIOR_WEIGHT = 1.0
# How much a running step's pace counts toward the speed factor, at 100 % progress.
_RUNNING_SPEED_WEIGHT = 0.5
# Below this progress fraction, elapsed ÷ progress is mostly noise.
_MIN_RATE_FRACTION = 0.02
# Engines and clocks can report nonsense; no step is believed to take longer than a year.
_MAX_SECONDS = 365 * 24 * 3600.0
# A run is not believed to be more than this many times faster or slower than usual.
_MAX_LOG_SPEED = 3.0
# z for the range: about an 80 % interval.
_RANGE_Z = 1.2816

_NORMAL = NormalDist()


def complexity_class(tables: int | None) -> str:
    """The product's complexity class for a task with this many tables."""
    if tables is None or tables < 1:
        return "unknown"
    if tables <= 2:
        return "simple"
    if tables <= 5:
        return "medium"
    return "complex"


def _prior_step_seconds(tables: int | None) -> float:
    # A rough per-step duration when nothing has been seen yet: grows with the schema size.
    if tables is None or tables < 1:
        return 90.0
    return 30.0 + 20.0 * min(tables, 50)


def _finite(value: float | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _fraction(progress: int | float) -> float:
    number = _finite(progress)
    if number is None:
        return 0.0
    return min(max(number / 100.0, 0.0), 1.0)


def _weight(step: StepTiming) -> float:
    number = _finite(step.weight)
    return min(max(number, 1e-3), 1e3) if number is not None and number > 0 else 1.0


def _duration(step: StepTiming) -> float | None:
    start, end = _finite(step.started_at), _finite(step.finished_at)
    if start is None or end is None or end <= start:
        return None
    return min(end - start, _MAX_SECONDS)


def _weighted_quantile(pairs: list[tuple[float, float]], q: float) -> float:
    ordered = sorted(pairs)
    total = sum(w for _, w in ordered)
    running = 0.0
    for value, w in ordered:
        running += w
        if running >= q * total:
            return value
    return ordered[-1][0]


@dataclass(frozen=True, slots=True)
class _StepModel:
    """A lognormal belief about one step's duration."""

    median: float
    sigma: float
    samples: int


def _history_model(durations: Sequence[float]) -> _StepModel | None:
    clean = [
        min(d, _MAX_SECONDS) for d in (_finite(x) for x in durations) if d is not None and d > 0
    ]
    if not clean:
        return None
    n = len(clean)
    # Most recent last: recent runs reflect today's engine and machines better.
    pairs = [(math.log(d), _RECENCY_DECAY ** (n - 1 - i)) for i, d in enumerate(clean)]
    log_median = _weighted_quantile(pairs, 0.5)
    if n >= 3:
        iqr = _weighted_quantile(pairs, 0.75) - _weighted_quantile(pairs, 0.25)
        observed = iqr / 1.349  # IQR of a normal is 1.349 sigma
    else:
        observed = _HISTORY_SIGMA0
    # Few samples cannot show their true spread; lean on a default until they can.
    sigma = math.sqrt((n * observed**2 + 3 * _HISTORY_SIGMA0**2) / (n + 3))
    return _StepModel(math.exp(log_median), min(max(sigma, 0.05), 2.0), n)


@lru_cache(maxsize=1024)
def _known_model(durations: tuple[float, ...]) -> _StepModel | None:
    """`_history_model`, remembered by value: every snapshot of a running task of one kind reads
    the same recent durations (cached for a minute by the store), so the sort and the logs are
    done once per change of history rather than once per read."""
    return _history_model(durations)


def _conditional_median(model: _StepModel, elapsed: float) -> float:
    """Median total duration given the step has already run `elapsed` seconds."""
    if elapsed <= 0:
        return model.median
    z = (math.log(elapsed) - math.log(model.median)) / model.sigma
    tail = _NORMAL.cdf(z)
    q = min((1.0 + tail) / 2.0, 1.0 - 1e-12)
    return max(model.median * math.exp(model.sigma * _NORMAL.inv_cdf(q)), elapsed)


def _rate_remaining(step: StepTiming, elapsed: float | None, now: float) -> float | None:
    """Remaining seconds of the running step from its own pace, or None without a pace."""
    p = _fraction(step.progress)
    estimates: list[float] = []
    if elapsed is not None and elapsed > 0 and p >= _MIN_RATE_FRACTION:
        estimates.append(elapsed * (1.0 - p) / p)
    samples = [
        (t, _fraction(pct))
        for t, pct in ((_finite(s[0]), s[1]) for s in step.progress_samples if len(s) == 2)
        if t is not None
    ]
    if len(samples) >= 2:
        (t0, p0), (t1, p1) = samples[0], samples[-1]
        slope = (p1 - p0) / (t1 - t0) if t1 > t0 else 0.0
        if slope > 0:
            since_last = max(now - t1, 0.0)
            estimates.append(min(max((1.0 - max(p, p1)) / slope - since_last, 0.0), _MAX_SECONDS))
    if not estimates:
        return None
    # Geometric mean: the whole-step average and the recent slope err in opposite directions
    # when the engine reports a fast start and a slow tail (or the reverse).
    return math.exp(sum(math.log(max(e, 1.0)) for e in estimates) / len(estimates))


@dataclass(slots=True)
class _Part:
    seconds: float
    sigma: float
    source: str  # "history" | "declared" | "rate" | "complexity" | "unknown"


def estimate_remaining(
    steps: Sequence[StepTiming],
    *,
    now: float,
    history: Mapping[str, Sequence[float]] | None = None,
    tables: int | None = None,
) -> Estimate:
    """Estimate the task's remaining time from its steps, earlier runs and its size."""
    if not steps:
        return Estimate(None, None, None, "none")
    ordered = sorted(steps, key=lambda s: s.order)
    open_steps = [s for s in ordered if s.status not in _FINISHED]
    if not open_steps:
        return Estimate(0, 0, 0, "done")
    now_s = _finite(now) or 0.0
    kind = complexity_class(tables)
    models = {
        name: model
        for name, durations in (history or {}).items()
        if (model := _known_model(tuple(durations))) is not None
    }

    def usual(step: StepTiming) -> tuple[float, float] | None:
        """The step's usual duration and how much its ratio to the actual tells of the run's
        speed: its history's median, else what the engine declared (a noisier yardstick)."""
        if (model := models.get(step.name)) is not None:
            return model.median, 1.0
        declared = _finite(step.declared_seconds)
        if declared is None or declared <= 0:
            return None
        return min(declared, _MAX_SECONDS), _DECLARED_RATIO_WEIGHT

    declared_any = any(usual(s) is not None for s in ordered)

    # How fast this run is compared to history: the same engine on the same schema is
    # consistently fast or slow across its steps, so finished steps tell about pending ones.
    log_ratios: list[tuple[float, float]] = []  # (log of actual / usual, weight)
    observed_seconds = 0.0
    observed_weight = 0.0
    for step in ordered:
        duration = _duration(step)
        if step.status != "completed" or duration is None:
            continue
        observed_seconds += duration
        observed_weight += _weight(step)
        if (known := usual(step)) is not None:
            log_ratios.append((math.log(duration / known[0]), known[1]))

    running = [s for s in open_steps if s.status == "running"]
    for step in running:
        # The running step's own pace hints at the run's speed too, weighted by how far it is.
        start = _finite(step.started_at)
        p = _fraction(step.progress)
        if start is None or p < 0.2 or now_s <= start:
            continue
        implied = min(now_s - start, _MAX_SECONDS) / p
        if (known := usual(step)) is not None:
            log_ratios.append((math.log(implied / known[0]), p * _RUNNING_SPEED_WEIGHT * known[1]))
        if observed_weight == 0.0:
            observed_seconds, observed_weight = implied, _weight(step)

    speed_weight = sum(w for _, w in log_ratios) + _SPEED_PRIOR_WEIGHT
    log_speed = sum(v * w for v, w in log_ratios) / speed_weight
    log_speed = min(max(log_speed, -_MAX_LOG_SPEED), _MAX_LOG_SPEED)
    speed = math.exp(log_speed)
    # Uncertainty left in the speed factor, shared by every remaining step.
    speed_sigma = 0.25 / math.sqrt(speed_weight)

    def expected(step: StepTiming) -> tuple[_StepModel, str]:
        model = models.get(step.name)
        if model is not None:
            scaled = _StepModel(model.median * speed, model.sigma, model.samples)
            return scaled, "history"
        if (known := usual(step)) is not None:
            return _StepModel(max(known[0] * speed, 1.0), _DECLARED_SIGMA, 0), "declared"
        if observed_weight > 0:
            unit = observed_seconds / observed_weight
            return _StepModel(max(unit * _weight(step), 1.0), _OBSERVED_SIGMA, 0), "rate"
        prior = _prior_step_seconds(tables) * _weight(step)
        return _StepModel(prior, _PRIOR_SIGMA, 0), "complexity" if kind != "unknown" else "unknown"

    parts: list[_Part] = []
    for step in open_steps:
        model, source = expected(step)
        p = _fraction(step.progress)
        start = _finite(step.started_at)
        if step.status != "running" and step.status not in _HELD:
            parts.append(_Part(model.median, model.sigma, source))
            continue
        if step.status in _HELD or start is None:
            # A held step's clock includes the wait for a person, so only its progress counts.
            parts.append(_Part(model.median * (1.0 - p), model.sigma, source))
            continue
        elapsed = min(max(now_s - start, 0.0), _MAX_SECONDS)
        by_history = max(_conditional_median(model, elapsed) - elapsed, 0.0)
        by_rate = _rate_remaining(step, elapsed, now_s)
        if by_rate is None:
            parts.append(_Part(by_history, model.sigma, source))
            continue
        confidence = {
            "history": model.samples / (model.samples + 1.0),
            "declared": _DECLARED_CONFIDENCE,
            "rate": 0.3,
        }.get(source, 0.05)
        rate_weight = p**1.5
        history_weight = confidence * (1.0 - p) + 1e-6
        alpha = rate_weight / (rate_weight + history_weight)
        blended = math.exp(
            alpha * math.log(max(by_rate, 1.0)) + (1 - alpha) * math.log(max(by_history, 1.0))
        )
        rate_sigma = 0.15 + 0.6 * (1.0 - p)
        sigma = alpha * rate_sigma + (1 - alpha) * model.sigma
        parts.append(_Part(blended, sigma, "rate" if alpha >= 0.5 else source))

    if all(part.source == "unknown" for part in parts):
        return Estimate(None, None, None, "none")
    estimate = _combine(parts, speed_sigma, _BANDS[kind])
    if models or declared_any or not estimate.seconds:
        return estimate
    # The first run of its kind, with no step history: the run's own overall pace (elapsed ÷
    # fraction done) predicts best (bench/eta.py, "cold start"); the step model keeps its range.
    linear = _linear_remaining(ordered, now_s)
    if linear is None:
        return estimate
    scale = max(linear, 1.0) / estimate.seconds
    seconds = round(max(linear, 1.0))
    low = min(math.floor((estimate.low or 0) * scale), seconds)
    high = max(math.ceil((estimate.high or 0) * scale), seconds)
    return Estimate(seconds, low, high, "rate")


def _linear_remaining(steps: Sequence[StepTiming], now: float) -> float | None:
    """elapsed ÷ fraction done − elapsed, over the whole task (tqdm's estimate)."""
    starts = [t for s in steps if (t := _finite(s.started_at)) is not None]
    total_weight = sum(_weight(s) for s in steps)
    if not starts or total_weight <= 0:
        return None
    fraction = sum(_weight(s) * _fraction(s.progress) for s in steps) / total_weight
    elapsed = now - min(starts)
    if fraction < 0.02 or elapsed <= 0:
        return None
    return min(elapsed / fraction - elapsed, _MAX_SECONDS)


def _combine(parts: list[_Part], shared_sigma: float, band: float) -> Estimate:
    for part in parts:
        part.seconds = min(part.seconds, _MAX_SECONDS)
    total = sum(part.seconds for part in parts)
    if total <= 0:
        return Estimate(0, 0, 0, _basis(parts, 1.0))
    # Steps vary independently around a speed that is shared by all of them.
    independent = sum((part.seconds * part.sigma) ** 2 for part in parts)
    relative = math.sqrt(independent + (total * shared_sigma) ** 2) / total
    seconds = round(total)
    low = min(math.floor(total * math.exp(-_RANGE_Z * relative)), math.floor(total * (1 - band)))
    high = max(math.ceil(total * math.exp(_RANGE_Z * relative)), math.ceil(total * (1 + band)))
    low = min(max(low, 0), seconds)
    high = max(high, seconds)
    return Estimate(seconds, low, high, _basis(parts, total))


def _basis(parts: list[_Part], total: float) -> str:
    shares: dict[str, float] = {}
    for part in parts:
        source = "complexity" if part.source == "unknown" else part.source
        shares[source] = shares.get(source, 0.0) + part.seconds
    if not shares:
        return "none"
    source, share = max(shares.items(), key=lambda item: item[1])
    return source if share >= 0.8 * total else "blend"


def _whole_seconds(seconds: float | None) -> int | None:
    number = _finite(seconds)
    if number is None:
        return None
    return max(int(number), 0)


def _hours_minutes(seconds: int) -> tuple[int, int]:
    minutes = (seconds + 30) // 60
    return divmod(minutes, 60)


def format_eta(seconds: int | None) -> str:
    """Chat wording: 180 -> "About 3 minutes remaining."."""
    whole = _whole_seconds(seconds)
    if whole is None:
        return "Not enough data for an estimate yet."
    if whole < 60:
        return "Less than a minute remaining."
    hours, minutes = _hours_minutes(whole)
    words = []
    if hours:
        words.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes:
        words.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return f"About {' '.join(words)} remaining."


def format_eta_short(seconds: int | None) -> str:
    """Progress-view wording: 180 -> "3 min remaining"."""
    whole = _whole_seconds(seconds)
    if whole is None:
        return "estimating…"
    if whole < 60:
        return "<1 min remaining"
    hours, minutes = _hours_minutes(whole)
    words = []
    if hours:
        words.append(f"{hours} h")
    if minutes:
        words.append(f"{minutes} min")
    return f"{' '.join(words)} remaining"


def format_ago(seconds: float) -> str:
    """How long ago something started: 120 -> "2 min ago", 20 -> "just now"."""
    whole = _whole_seconds(seconds)
    if whole is None or whole < 60:
        return "just now"
    minutes = whole // 60
    if minutes < 60:
        return f"{minutes} min ago"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min ago" if minutes else f"{hours} h ago"
    return f"{hours // 24} d ago"
