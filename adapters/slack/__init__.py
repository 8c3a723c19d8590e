"""The Slack channel (slack-bolt AsyncApp): Socket Mode or HTTP, Block Kit, button approvals."""

from adapters.slack.adapter import EVENTS_PATH, SlackAdapter, SlackSetupError
from adapters.slack.ratelimit import Pacer
from adapters.slack.render import render

__all__ = ["EVENTS_PATH", "Pacer", "SlackAdapter", "SlackSetupError", "render"]
