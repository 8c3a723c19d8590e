"""Round six's general readings, pinned over tasks of their own (none from the labelled splits):
questions about the bot itself (what it can do, how to use it), everyday verbs and idioms of the
actions, thank-yous for what was done, words of Italian, Polish and Korean, a reason given after a
negation, shorthand for a task's name, and the signs that a settings request may not be a plain
one (the speaker's own plan, a choice put as a question, a negation in a long request)."""

from __future__ import annotations

import pytest

from intents import TaskRef, Understanding
from intents.hedges import hedge
from tests.helpers.understand import acts_at_once, understand_over

TASKS = [
    TaskRef("tlm01", "Harbour Telemetry Rollup", "telemetry rollup", "running", 900.0,
            owner="ines", kind="pipeline",
            steps=("pull buoys", "clean readings", "aggregate tides", "publish report")),
    TaskRef("cap02", "Lecture Subtitles Export", "lecture subtitles", "approval", 880.0,
            owner="marek", kind="export",
            steps=("transcribe audio", "align captions", "teacher review", "upload captions")),
    TaskRef("frc03", "Rainfall Forecast Training", "rainfall forecast", "failed", 860.0,
            owner="yuki", kind="training", steps=("fetch radar", "fit model", "score holdout")),
    TaskRef("rot04", "Bakery Staff Roster", "staff roster", "paused", 840.0, owner="noor",
            kind="generator", steps=("collect leave", "solve shifts", "manager sign-off")),
    TaskRef("pln05", "Delivery Van Route Planning", "van routes", "pending", 820.0, owner="ade",
            kind="optimisation", steps=("load orders", "solve routes", "export manifests")),
    TaskRef("arc06", "Museum Photo Digitisation", "photo digitisation", "completed", 700.0,
            owner="lin", kind="batch", steps=("scan plates", "tag photos", "archive")),
]  # fmt: skip


def understand(
    text: str, *, context_task: str | None = None, context_intent: str | None = None
) -> Understanding:
    return understand_over(TASKS, text, context_task=context_task, context_intent=context_intent)


@pytest.mark.parametrize(
    "text",
    [
        "can you export a run's errors as csv or do I have to copy them by hand",
        "do you keep the history forever or only a few weeks",
        "could the bot predict how long a training takes or is that too much to ask",
        "does the bot handle finance workflows or only engineering ones",
        "does this thing understand italian",
        "do you do charts? like progress per day",
        "can this bot do voice messages",
        "what kind of jobs can you follow",
        "what sort of workflows does the bot handle",
        "what are you actually for? someone added you here",
    ],
)
def test_a_question_about_what_the_bot_can_do_asks_for_its_capabilities(text: str) -> None:
    u = understand(text)
    assert u.intent == "capabilities", u
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    "text",
    [
        "how do I write a rejection reason so the owner sees it",
        "how do we add a note when we reject something",
        "how can I subscribe a colleague to a task",
        "help me with the alert settings, I can't figure out where they are",
        "how do I pause something, is it /pause <id>?",
    ],
)
def test_how_to_use_a_feature_asks_for_help(text: str) -> None:
    assert understand(text).intent == "help"


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("bin the van routes job, it's a duplicate", "cancel", "pln05"),
        ("ditch the telemetry rollup, ines has a new one", "cancel", "tlm01"),
        ("yank the van routes from the queue before it starts", "cancel", "pln05"),
        ("park the telemetry rollup until monday", "pause", "tlm01"),
        ("take a breather on the telemetry rollup for an hour", "pause", "tlm01"),
        ("kick off the rainfall forecast again, the radar feed is back", "restart", "frc03"),
        ("dump the logs of the telemetry rollup, i want the row counts", "logs", "tlm01"),
        ("what has the telemetry rollup been spitting out since lunch", "logs", "tlm01"),
        ("wtf happened to the rainfall forecast", "why_failed", "frc03"),
        ("which step failed on the rainfall forecast", "why_failed", "frc03"),
        ("was it a quota that killed the rainfall forecast?", "why_failed", "frc03"),
        ("which stage is the telemetry rollup at right now", "status", "tlm01"),
        ("when was the photo digitisation finished", "history", "arc06"),
        ("when did the rainfall forecast start failing", "history", "frc03"),
        ("has anybody touched the photo digitisation since it finished", "history", "arc06"),
        ("stop pinging me about the photo digitisation, it's done", "mute", "arc06"),
        ("ping me on telegram when the telemetry rollup reaches publish report", "subscribe",
         "tlm01"),
        ("post the roster updates in the kitchen group, not to me", "notify_channel", "rot04"),
        ("shut the telemetry rollup up for tonight", "mute", "tlm01"),
        ("is the staff roster done or should I chase noor", "status", "rot04"),
        ("the telemetry rollup, still red?", "status", "tlm01"),
        ("share the page for ines's rollup with me", "open_link", "tlm01"),
    ],
)  # fmt: skip
def test_everyday_words_for_each_action(text: str, intent: str, task: str) -> None:
    u = understand(text)
    assert (u.intent, u.task_id) == (intent, task), u


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("where do my alerts currently go?", "notify_channel"),
        ("send the updates to my email", "notify_channel"),
        ("am I holding up anyone's job?", "waiting_on_me"),
        ("list paused", "list_tasks"),
        ("show failures", "list_tasks"),
        ("what's crashed overnight", "list_tasks"),
        ("anything of ade's in the queue?", "list_tasks"),
        ("list whatever's currently active", "list_tasks"),
    ],
)
def test_questions_about_settings_and_many_tasks(text: str, intent: str) -> None:
    assert understand(text).intent == intent


@pytest.mark.parametrize(
    "text",
    [
        "great, thanks for pausing it",
        "thank you so much for resuming the rollup",
        "appreciate it, saved me a trip to the office",
        "grazie mille",
        "dzięki 🙏",
        "감사합니다",
        "gamsahamnida 👍",
    ],
)
def test_a_thank_you_for_what_was_done_is_thanks(text: str) -> None:
    u = understand(text)
    assert u.intent == "thanks", u
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("per favore, riprendi lo staff roster", "resume", "rot04"),
        ("wstrzymaj telemetry rollup proszę", "pause", "tlm01"),
        ("pourquoi le rainfall forecast a échoué?", "why_failed", "frc03"),
        ("weiter mit dem staff roster bitte", "resume", "rot04"),
        ("olá, aprova o lecture subtitles por favor", "approve", "cap02"),
        ("안녕하세요", "greeting", None),
        ("cześć!", "greeting", None),
    ],
)
def test_words_of_italian_polish_korean_and_more(text: str, intent: str, task: str | None) -> None:
    u = understand(text)
    assert (u.intent, u.task_id) == (intent, task), u


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # a reason after a negation asks for nothing, though its words read as an intent
        ("don't pause the telemetry rollup, the harbour office needs the summary today", "pause"),
        ("do NOT resume the staff roster, the leave data is still broken", "resume"),
        # a question or an order after it does
        ("don't pause the telemetry rollup, just tell me how far it is", "status"),
        ("not resuming the roster yet, who paused it though?", "history"),
    ],
)
def test_a_reason_after_a_negation_is_no_request(text: str, intent: str) -> None:
    u = understand(text)
    assert u.intent == intent, u
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("approve the subs", "cap02"),
        ("progress on the rota?", "rot04"),
        ("resume the van route planner", "pln05"),
        ("how are the museum pics coming along", "arc06"),
    ],
)
def test_shorthand_for_a_word_of_the_name_names_the_task(text: str, task: str) -> None:
    assert understand(text).task_id == task


def test_a_presentation_is_no_task_of_ours() -> None:
    # shorthand maps a word to a word of a task's name, never a new thing to a task
    u = understand("pause the presentation")
    assert u.task_id is None
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    ("text", "intent", "sign"),
    [
        (
            "if the alerts keep coming every hour I'm switching to a daily digest",
            "notify_settings",
            "a hypothetical",  # it opens with its condition: that is the first sign
        ),
        ("the alerts keep coming every hour, I'm switching to a daily digest", "notify_settings",
         "the speaker's own plan"),
        ("we're moving the pings to a weekly summary anyway", "notify_settings",
         "the speaker's own plan"),
        ("can you send alerts to teams or only slack?", "notify_channel", "a choice question"),
        ("could you email me or just post here?", "notify_channel", "a choice question"),
    ],
)  # fmt: skip
def test_signs_of_a_settings_request_that_may_not_be_one(text: str, intent: str, sign: str) -> None:
    assert hedge(text, intent) == sign


def test_a_settings_request_that_is_its_own_argument_is_still_read() -> None:
    # the request's argument is the whole message: it must not hide the words that hedge it
    text = "help me with notification settings, I can't find where to set them"
    assert hedge(text, "notify_settings", argument=text) == "an inability"
    assert hedge("only failures please", "notify_settings", argument="only failures please") is None


@pytest.mark.parametrize(
    "text",
    [
        "if the alerts keep coming every 5 minutes I'm switching to a daily digest",
        "can you send alerts to a teams channel or only slack and telegram?",
        "help me with notification settings, I can't find where to set them",
    ],
)
def test_settings_talk_never_changes_settings_at_once(text: str) -> None:
    assert not acts_at_once(understand(text))


@pytest.mark.parametrize(
    "text",
    [
        "email me instead",
        "only notify me about failures",
        "can you pause the telemetry rollup?",
        "please resume the staff roster 🙏",
    ],
)
def test_plain_requests_still_have_no_sign(text: str) -> None:
    u = understand(text)
    assert hedge(u.text, u.intent, argument=u.argument, task_words=u.task_query) is None
