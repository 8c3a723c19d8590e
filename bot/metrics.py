"""Prometheus metrics, one registry per running app (so tests can run several side by side)."""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

__all__ = ["Metrics"]


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        # The labelled children counted on every API request, by their labels. `.labels()`
        # checks and joins its arguments under a lock each time (about a tenth of an event's
        # HTTP cost); a child, once made, lives as long as its metric, so it is looked up once.
        # Made on first use, as `.labels()` would: a series appears once it has counted.
        self._children: dict[tuple[Any, ...], Any] = {}
        self.events = Counter(
            "progressbot_events_total",
            "Engine events received, by outcome",
            ["outcome"],
            registry=self.registry,
        )
        self.http = Counter(
            "progressbot_http_requests_total",
            "HTTP requests served, by route and status",
            ["route", "status"],
            registry=self.registry,
        )
        self.http_latency = Histogram(
            "progressbot_http_request_seconds",
            "HTTP request latency by route",
            ["route"],
            # Fine below 10 ms, where reads should answer (the aim is a p99 of 5 ms), so a
            # percentile read from the buckets is close to the true one.
            buckets=(
                *(0.0005, 0.001, 0.0015, 0.002, 0.003, 0.004, 0.005, 0.0075),
                *(0.01, 0.025, 0.05, 0.1, 0.25, 1, 5),
            ),
            registry=self.registry,
        )
        self.ws_clients = Gauge(
            "progressbot_websocket_clients", "Open WebSocket connections", registry=self.registry
        )
        self.controls = Counter(
            "progressbot_controls_total",
            "Controls applied (pause, resume, cancel, ...)",
            ["action"],
            registry=self.registry,
        )
        self.notifications = Counter(
            "progressbot_notifications_total",
            "Outbox rows handled, by platform and outcome",
            ["platform", "outcome"],
            registry=self.registry,
        )
        self.dead_letters = Counter(
            "progressbot_dead_letters_total",
            "Outbox rows given up after their last attempt",
            ["platform"],
            registry=self.registry,
        )
        self.disabled_targets = Counter(
            "progressbot_targets_disabled_total",
            "Targets disabled because the platform said they are gone",
            ["platform"],
            registry=self.registry,
        )
        self.chat_messages = Counter(
            "progressbot_chat_messages_total",
            "Chat messages answered, by channel and intent",
            ["channel", "intent"],
            registry=self.registry,
        )

    def count_request(self, route: str, status: int, seconds: float) -> None:
        """One HTTP request answered: `http` by route and status, `http_latency` by route."""
        children = self._children
        counter = children.get(("http", route, status))
        if counter is None:
            counter = children["http", route, status] = self.http.labels(route, str(status))
        counter.inc()
        histogram = children.get(("http_latency", route))
        if histogram is None:
            histogram = children["http_latency", route] = self.http_latency.labels(route)
        histogram.observe(seconds)

    def count_events(self, outcome: str, count: int) -> None:
        """`count` engine events with this outcome (accepted, duplicate, refused)."""
        key = ("events", outcome)
        counter = self._children.get(key)
        if counter is None:
            counter = self._children[key] = self.events.labels(outcome)
        if count:  # adding 0 changes nothing but takes the child's lock
            counter.inc(count)

    def render(self) -> bytes:
        return generate_latest(self.registry)
