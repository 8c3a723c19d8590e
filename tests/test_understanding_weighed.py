"""An action weighed as a sentence's subject ("cancelling it could break the deploy") or refused in
another language's words ("niet pauzeren") is talked about, not asked for: never acted on. The
same action asked for plainly, in either language, still is."""

from __future__ import annotations

import pytest

from tests.helpers.understand import acts_at_once
from tests.test_understanding_general import understand

TALK = {"hypothetical", "negation"}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("cancelling the orders pipeline could break tonight's load", "cancel"),
        # a full stop inside a version is no sentence's end
        ("cancelling the mobile build 2.3.1 could break the store release", "cancel"),
        ("skipping the tests step on the booking app will save us an hour", "skip_step"),
        ("honestly, approving the crm without the schema review might bite us", "approve"),
        ("restarting the invoices sync in the middle of month end would be a terrible idea",
         "restart"),
        ("pausing the mobile build, honestly, would be a mistake", "pause"),
        ("niet pauzeren, de orders pipeline is bijna klaar", "pause"),
        ("de invoices sync niet annuleren aub", "cancel"),
    ],
)  # fmt: skip
def test_an_action_weighed_or_refused_is_never_acted_on(text: str, intent: str) -> None:
    got = understand(text)
    # weighed ("would be a mistake") may read as advice against it or as a thought: both talk
    assert got.intent == intent and got.act in TALK, (got.intent, got.act)
    assert not acts_at_once(got)


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("pauzeer de orders pipeline graag", "pause", "etl11"),
        ("kun je de mobile build annuleren?", "cancel", "mob33"),
    ],
)  # fmt: skip
def test_the_same_actions_asked_for_are_understood(text: str, intent: str, task: str) -> None:
    got = understand(text)
    assert (got.intent, got.task_id) == (intent, task)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("honestly I'm on the fence about cancelling the orders pipeline", "cancel"),
        ("we're in two minds about pausing the mobile build", "pause"),
        ("torn between skipping the tests step on the booking app and waiting", "skip_step"),
        ("still undecided on restarting the invoices sync", "restart"),
        ("can't decide whether the crm should be approved yet", "approve"),
        ("I go back and forth on pausing the orders pipeline", "pause"),
        ("mixed feelings about cancelling the mobile build tbh", "cancel"),
        ("tempted to pause the invoices sync for the night", "pause"),
        ("leaning towards restarting the orders pipeline after lunch", "restart"),
    ],
)  # fmt: skip
def test_an_action_someone_has_not_decided_on_is_never_acted_on(text: str, intent: str) -> None:
    got = understand(text)
    assert got.intent == intent and got.act == "hypothetical", (got.intent, got.act)
    assert not acts_at_once(got)


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("decided: pause the orders pipeline", "pause", "etl11"),
        ("ok I'm done being on the fence, pause the mobile build now", "pause", "mob33"),
    ],
)  # fmt: skip
def test_an_action_asked_for_once_decided_is_understood(text: str, intent: str, task: str) -> None:
    got = understand(text)
    assert (got.intent, got.task_id) == (intent, task), got


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # what the action does, said of it as its subject
        ("careful, pausing the orders pipeline drops the queue", "pause"),
        ("fyi retrying the invoices sync costs us an hour", "retry_step"),
        ("careful, resuming the orders pipeline clears its staging tables", "resume"),
        # someone's word on it
        ("the docs say rejecting the crm is fine", "reject"),
        ("ana reckons resuming the mobile build is fine", "resume"),
        # an action in a clause of time: it comes later, if at all
        ("once we resume the mobile build we lose the cache", "resume"),
        # (what it asks for is the logs)
        ("before we retry the invoices sync, let's read the logs", "logs"),
    ],
)  # fmt: skip
def test_an_action_described_or_put_off_is_never_acted_on(text: str, intent: str) -> None:
    got = understand(text)
    assert got.intent == intent, (got.intent, got.act)
    assert not acts_at_once(got), got


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("pause the orders pipeline until we fix the config", "pause", "etl11"),
        ("pause the mobile build before it eats the quota", "pause", "mob33"),
    ],
)  # fmt: skip
def test_an_action_asked_for_with_a_clause_of_time_is_still_asked(
    text: str, intent: str, task: str
) -> None:
    got = understand(text)
    assert (got.intent, got.task_id, got.act) == (intent, task, "command"), got


@pytest.mark.parametrize(
    ("text", "intent", "act"),
    [
        ("we talked about pausing the orders pipeline at standup", "pause", "hypothetical"),
        ("ana brought up retrying the invoices sync yesterday", "retry_step", "hypothetical"),
        ("too soon to retry the invoices sync", "retry_step", "negation"),
        ("no point in pausing the mobile build now", "pause", "negation"),
    ],
)  # fmt: skip
def test_an_action_talked_about_or_not_yet_due_is_never_acted_on(
    text: str, intent: str, act: str
) -> None:
    got = understand(text)
    assert (got.intent, got.act) == (intent, act), got
    assert not acts_at_once(got), got


@pytest.mark.parametrize(
    "text", ["as discussed, pause the orders pipeline", "discussed it: pause the orders pipeline"]
)
def test_an_action_asked_for_after_a_talk_is_still_asked(text: str) -> None:
    got = understand(text)
    assert (got.intent, got.task_id, got.act) == ("pause", "etl11", "command"), got
    assert acts_at_once(got)


@pytest.mark.parametrize(
    "text",
    [
        # the negation after its verb and object, as Dutch, Swedish and Danish put it
        "pauzeer de orders pipeline niet",
        "annuleer de mobile build nooit zonder mij",
        "pausa inte orders pipeline",
        "stop ikke the orders pipeline",
    ],
)
def test_a_negation_said_after_its_verb_in_another_language_is_never_acted_on(text: str) -> None:
    assert not acts_at_once(understand(text)), understand(text)
