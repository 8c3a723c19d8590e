"""Focused tests of the intents package: what the bot will understand from a chat message."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intents.catalog import CATALOG, spec
from intents.context import ConversationContext
from intents.matcher import Matcher
from intents.types import INTENT_NAMES, IntentError, TaskRef
from intents.understanding import bot_name

CRM = TaskRef("abc123", "Cellphone Store CRM", "CRM", "running", 500.0)
PIPELINE = TaskRef("def456", "Nightly Sales Pipeline", "pipeline", "running", 400.0)
CHURN = TaskRef("0a1b2c", "Churn Model Training", "churn", "paused", 300.0)
DASHBOARD = TaskRef("77e0f1", "Inventory Dashboard", None, "failed", 200.0)
TASKS = (CRM, PIPELINE, CHURN, DASHBOARD)


@pytest.fixture
def matcher() -> Matcher:
    return Matcher()


# --- intents that are easy to confuse -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Cancel my CRM task and start over", "restart"),
        ("cancel my CRM task", "cancel"),
        ("stop the crm and run it again", "restart"),
        ("stop the crm", "cancel"),
        ("stop the notifications for the crm", "mute"),
        ("resume notifications for the crm", "unmute"),
        ("resume the crm", "resume"),
        ("retry step 2 of the crm", "retry_step"),
        ("restart the crm", "restart"),
        ("don't approve the crm", "reject"),
        ("approve the crm", "approve"),
        ("let me know when the crm finishes", "subscribe"),
        ("when will the crm finish", "eta"),
    ],
)
def test_close_phrasings_get_the_right_intent(matcher: Matcher, text: str, intent: str) -> None:
    assert matcher.match(text, TASKS).name == intent


def test_typos_in_intent_words_are_understood_with_less_confidence(matcher: Matcher) -> None:
    for text, intent in [("staus crm", "status"), ("cancle crm", "cancel"), ("pasue crm", "pause")]:
        got = matcher.match(text, TASKS)
        assert (got.name, got.task_id) == (intent, "abc123")
        assert got.confidence < 1.0


def test_mentions_filler_and_slash_commands(matcher: Matcher) -> None:
    for text in (
        "<@U123ABC> status of the crm",
        "@Progress Bot status of the crm",
        "hey bot, could you please tell me the status of the CRM?!",
        "/status crm",
        "/status@MyBot crm",
    ):
        got = matcher.match(text, TASKS)
        assert (got.name, got.task_id, got.resolution) == ("status", "abc123", "named"), text
    assert matcher.match("/start", TASKS).name == "help"
    assert matcher.match("/tasks", TASKS).name == "list_tasks"
    assert matcher.match("/nosuchcommand crm", TASKS).name == "unknown"


# --- arguments ---------------------------------------------------------------------------------


def test_reject_reason_keeps_the_persons_words(matcher: Matcher) -> None:
    got = matcher.match("reject the crm step because the Schema is wrong.", TASKS)
    assert (got.name, got.task_id, got.argument) == ("reject", "abc123", "the Schema is wrong")
    assert matcher.match("reject: too risky", TASKS).argument == "too risky"
    assert matcher.match("reject the crm", TASKS).argument is None


def test_mute_duration(matcher: Matcher) -> None:
    got = matcher.match("mute the crm task for 2 hours", TASKS)
    assert (got.name, got.task_id, got.argument) == ("mute", "abc123", "2 hours")
    assert matcher.match("mute the pipeline until tomorrow", TASKS).argument == "until tomorrow"
    assert matcher.match("mute", TASKS).argument is None


@pytest.mark.parametrize(
    ("text", "step"),
    [
        ("retry step 2", 2),
        ("retry step two", 2),
        ("skip the second step", 2),
        ("skip the 3rd step", 3),
        ("retry #3", 3),
        ("approve step 3 of the crm", 3),
        ("skip step number 12", 12),
        ("skip the repair board step", None),
        ("mute the crm for 2 hours", None),
    ],
)
def test_step_references(matcher: Matcher, text: str, step: int | None) -> None:
    assert matcher.match(text, TASKS).step == step


def test_a_step_named_in_words_is_the_argument(matcher: Matcher) -> None:
    got = matcher.match("skip the repair board step of the crm", TASKS)
    assert (got.name, got.step, got.argument, got.task_id) == (
        "skip_step",
        None,
        "repair board",
        "abc123",
    )


# --- task references ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "status of abc123",
        "status of task abc123",
        "status of my CRM task",
        "status of the cellphone store",
        "status of the crn",
        "status of cellphone stor",
        "status of cellphne store crm",
    ],
)
def test_task_named_by_id_short_name_title_or_typo(matcher: Matcher, text: str) -> None:
    got = matcher.match(text, TASKS)
    assert (got.task_id, got.resolution) == ("abc123", "named")


def test_unrelated_words_do_not_match_a_task(matcher: Matcher) -> None:
    got = matcher.match("status of the zebra task", TASKS)
    assert (got.task_id, got.resolution, got.task_query) == (None, "not_found", "zebra")


def test_close_candidates_are_ambiguous_best_first(matcher: Matcher) -> None:
    tasks = (
        TaskRef("s1", "Store Locator API", None, "running", 10.0),
        TaskRef("s2", "Store Pricing Report", None, "running", 20.0),
        PIPELINE,
    )
    got = matcher.match("cancel the store task", tasks)
    assert got.resolution == "ambiguous"
    assert got.task_id is None
    assert got.candidates == ("s2", "s1")  # equal scores: the most recently updated first
    assert got.task_query == "store"


def test_a_name_shared_with_a_finished_run_means_the_active_one(matcher: Matcher) -> None:
    old = TaskRef("old1", "Cellphone Store CRM", "CRM", "completed", 100.0)
    got = matcher.match("how's the crm going", (old, CRM))
    assert (got.task_id, got.resolution) == ("abc123", "named")


def test_nothing_named_and_one_active_task(matcher: Matcher) -> None:
    tasks = (CRM, DASHBOARD)
    got = matcher.match("how's it going?", tasks)
    assert (got.name, got.task_id, got.resolution) == ("status", "abc123", "only_active")


def test_nothing_named_prefers_the_task_the_intent_fits(matcher: Matcher) -> None:
    assert matcher.match("why did it fail?", TASKS).task_id == "77e0f1"
    assert matcher.match("resume", TASKS).task_id == "0a1b2c"
    got = matcher.match("progress?", TASKS)
    assert (got.resolution, got.candidates) == ("ambiguous", ("abc123", "def456", "0a1b2c"))


def test_intents_without_a_task_do_not_resolve(matcher: Matcher) -> None:
    for text in ("help", "hello", "thanks!", "list my tasks", "what's the weather"):
        got = matcher.match(text, (CRM,), chat_key="c")
        assert (got.task_id, got.resolution) == (None, "none"), text


# --- conversation context ---------------------------------------------------------------------


def test_follow_up_uses_the_task_last_discussed() -> None:
    context = ConversationContext(ttl_seconds=900)
    matcher = Matcher(context=context)
    first = matcher.match("How's my CRM task going?", TASKS, chat_key="slack:C1", now=1000.0)
    assert first.task_id == "abc123"
    got = matcher.match("and the logs?", TASKS, chat_key="slack:C1", now=1100.0)
    assert (got.name, got.task_id, got.resolution) == ("logs", "abc123", "context")
    other_chat = matcher.match("and the logs?", TASKS, chat_key="slack:C2", now=1100.0)
    assert other_chat.task_id is None


def test_context_expires_after_its_ttl() -> None:
    context = ConversationContext(ttl_seconds=60)
    matcher = Matcher(context=context)
    matcher.match("status of the pipeline", TASKS, chat_key="c", now=0.0)
    assert context.recall("c", now=59.0) == "def456"
    got = matcher.match("cancel it", TASKS, chat_key="c", now=200.0)
    assert (got.task_id, got.resolution) == (None, "ambiguous")
    assert context.recall("c", now=200.0) is None


def test_context_forgets_and_evicts_least_recent_chats() -> None:
    context = ConversationContext(max_chats=2)
    context.remember("a", "t1", now=1.0)
    context.remember("b", "t2", now=2.0)
    context.recall("a", now=3.0)
    context.remember("c", "t3", now=4.0)
    assert [context.recall(k, now=5.0) for k in "abc"] == ["t1", None, "t3"]
    context.forget("a")
    assert context.recall("a", now=5.0) is None


def test_a_remembered_task_no_longer_visible_is_not_used() -> None:
    context = ConversationContext()
    context.remember("c", "gone99", now=0.0)
    got = Matcher(context=context).match("logs", (CRM,), chat_key="c", now=1.0)
    assert (got.task_id, got.resolution) == ("abc123", "only_active")


# --- catalog -----------------------------------------------------------------------------------


def test_catalog_covers_every_intent_and_its_examples_match(matcher: Matcher) -> None:
    assert tuple(s.name for s in CATALOG) == INTENT_NAMES
    for item in CATALOG:
        assert item.summary
        for example in item.examples:
            # Matcher speaks the bot's vocabulary: new intents arrive as the one it handles
            assert matcher.match(example, TASKS).name == bot_name(item.name), example
    assert spec("cancel").destructive
    assert not spec("help").needs_task
    with pytest.raises(IntentError):
        spec("fly")


# --- hostile input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\x00\x01\x02", "🙂🙂🙂", "\u202e\u200bstatus", "ＳＴＡＴＵＳ", "\ud800", "#"],
)
def test_odd_input_never_raises(matcher: Matcher, text: str) -> None:
    assert matcher.match(text, TASKS).name in INTENT_NAMES


def test_a_100_kb_message_is_read_from_its_start_only(matcher: Matcher) -> None:
    got = matcher.match("status of the crm " + "blah " * 20_000, TASKS)
    assert (got.name, got.task_id) == ("status", "abc123")
    assert matcher.match("x" * 100_000, TASKS).name == "unknown"
    assert matcher.match("\x00" * 100_000, TASKS).name == "unknown"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None), max_size=600))
def test_random_text_always_gives_a_known_intent(text: str) -> None:
    got = Matcher().match(text, TASKS, chat_key="fuzz")
    assert got.name in INTENT_NAMES
    assert got.resolution in ("named", "context", "only_active", "ambiguous", "not_found", "none")
    assert got.task_id is None or got.task_id in {t.task_id for t in TASKS}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["status", "crm", "cancel", "the", "\x07", "step", "2", "🙂", "/", "@"]),
        max_size=12,
    ).map(" ".join)
)
def test_random_intent_like_text_never_raises(text: str) -> None:
    assert Matcher().match(text, TASKS).name in INTENT_NAMES


def test_all_tasks_is_never_narrowed_to_one() -> None:
    got = Matcher().match("cancel all my tasks", TASKS, chat_key="c")
    assert (got.name, got.argument, got.task_id, got.resolution) == (
        "cancel",
        "all",
        None,
        "ambiguous",
    )


def test_a_question_about_an_approval_does_not_approve(matcher: Matcher) -> None:
    assert matcher.match("who approved this?", TASKS).name != "approve"
