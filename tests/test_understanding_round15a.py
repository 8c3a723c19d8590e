"""Round fifteen (a)'s general readings, pinned over tasks of their own (none from the labelled
splits): a whole run asked for again "from step one", a command's narrower second word
("/notify channel ..."), a setting pointed at the task in view ("move its alerts to ..."), and
the everyday English of questions, settings and actions the fifteenth split showed the rules
did not know.

Each case pins the intent, the task, the speech act and what the policy does with it."""

from __future__ import annotations

import pytest

from tests.helpers.understand import acts_at_once, check_reading, understand_over
from tests.test_understanding_round14a import TASKS


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # from the first step again: the whole run anew, asked about first, not a step retried
        ("rota from step one again please", "restart", "clk69", "command", "confirm"),
        ("greta's job from the first step again", "restart", "pay71", "command", "confirm"),
        ("run the transcode again from step one", "restart", "aud45", "command", "confirm"),
        # (a step named again is still that step)
        ("step 2 again on the transcode", "retry_step", "aud45", "command", "act"),
    ],
)  # fmt: skip
def test_from_the_first_step_again_is_a_new_run(
    text: str, intent: str, task: str, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "argument"),
    [
        ("/notify channel email", "notify_channel", "email"),
        ("/notify channel telegram", "notify_channel", "telegram"),
        ("/channel email", "notify_channel", "email"),
        # (the settings' command keeps what is its own)
        ("/notify failures only", "notify_settings", None),
    ],
)  # fmt: skip
def test_a_commands_narrower_second_word(text: str, intent: str, argument: str | None) -> None:
    u = understand_over(TASKS, text)
    assert u.intent == intent, u
    if argument is not None:
        assert u.argument == argument, u


@pytest.mark.parametrize(
    ("text", "intent", "task", "context"),
    [
        # a setting pointed at the task in view is that task's
        ("move that one's alerts to telegram", "notify_channel", "lib33", ("lib33", "subscribe")),
        ("send its notifications to my email", "notify_channel", "sts57", ("sts57", "status")),
        ("for this one just once it fails", "notify_settings", "lib33", ("lib33", "subscribe")),
        # (with nothing in view, or "it" that may be the alerts themselves, it is for all)
        ("move that one's alerts to telegram", "notify_channel", None, (None, None)),
        ("send it to my email instead", "notify_channel", None, ("lib33", "subscribe")),
    ],
)  # fmt: skip
def test_a_setting_pointed_at_the_task_in_view(
    text: str, intent: str, task: str | None, context: tuple[str | None, str | None]
) -> None:
    u = understand_over(TASKS, text, context_task=context[0], context_intent=context[1])
    assert (u.intent, u.task_id) == (intent, task), u


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # what was done, asked in the passive or said with a name: the history, never done
        ("were the turnstiles paused at some point this morning?", "history", "sts57", "report",
         "act"),
        ("so was the catalogue rerun at any point yesterday?", "history", "lib33", "report",
         "act"),
        ("the restart of the rota was femi, wasn't it?", "history", "clk69", "question", "act"),
        ("what has been going on with the transcode since friday", "history", "aud45",
         "question", "act"),
        # (someday is still a thought, not a request)
        ("we should restart the rota at some point", "restart", "clk69", "hypothetical",
         "explain"),
        # the action refused after "leave it running" is the one named
        ("keep the catalogue going, no pausing it", "pause", "lib33", "negation", "explain"),
        # of two actions asked about, the one named first, though the second is said in words
        ("can I unpause the rota or does it need a fresh run from scratch?", "resume", "clk69",
         "question", "explain"),
        # an opinion of a way of being told is a statement about the setting
        ("weekly digests are pointless for the grid", "notify_settings", "grd21", "statement",
         "confirm"),
        ("pinging us only on errors for the transcode sounds risky", "notify_settings", "aud45",
         "statement", "confirm"),
        # (a judgement beside a request keeps the request)
        ("the rota is useless, cancel it", "cancel", "clk69", "command", "confirm"),
        # a standing quiet window, or the phone's own setting: a setting, never acted on as a mute
        ("dnd after 7pm on weekends please", "notify_settings", None, "negation", "confirm"),
        ("put my laptop on do not disturb", "notify_settings", None, "negation", "confirm"),
    ],
)  # fmt: skip
def test_past_actions_refusals_and_settings_weighed(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    u = check_reading(TASKS, text, intent, task, act, outcome)
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        # an approval wished for in the passive
        ("it'd be nice if the grid forecast could get approved today", "approve", "grd21"),
        ("the planner step on the grid can be signed off now", "approve", "grd21"),
        # its notifications, said as hearing about it
        ("I want to stop hearing about the turnstiles", "mute", "sts57"),
        ("could we hear from the catalogue again, the import is back", "unmute", "lib33"),
        # whose approval it needs
        ("will the rota need an approval at all?", "who_approves", "clk69"),
        # when, roughly: an estimate, not a ping when it happens
        ("it'd help to know when the catalogue gets the new records, more or less", "eta",
         "lib33"),
        ("tell me when the rota is done", "subscribe", "clk69"),
        # what the bot can do, and a drawn-out hello
        ("show us a quick tour", "capabilities", None),
        ("heyyy anybody around", "greeting", None),
        ("hiii", "greeting", None),
    ],
)  # fmt: skip
def test_everyday_english_of_the_intents(text: str, intent: str, task: str | None) -> None:
    u = understand_over(TASKS, text)
    assert (u.intent, u.task_id) == (intent, task), u


@pytest.mark.parametrize(
    "text",
    [
        # hearing again refused is no unmute, and none of these is done at once
        "I never want to hear from the rota again",
        # a question of what was done, or of a new run, only asks
        "should we run the rota from step one again?",
        "could the grid get approved if oskar signs?",
        "dnd on weekends would be nice",
    ],
)  # fmt: skip
def test_never_done_at_once(text: str) -> None:
    u = understand_over(TASKS, text)
    assert u.intent != "unmute" or "never" not in text, u
    assert not acts_at_once(u), u
