"""Prometheus metrics, one registry per running app (so tests can run several side by side)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

__all__ = ["Metrics"]


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
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

    def render(self) -> bytes:
        return generate_latest(self.registry)
