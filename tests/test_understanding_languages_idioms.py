"""Round five's general readings, pinned over tasks of their own (none from the labelled splits):
everyday words of other languages mixed into English, each intent's idioms, a task named plainly
whatever the intent, a person's task by its work or by the person alone, a step by the noun of its
act, quoted requests discussed, and things that only share a word with a task."""

from __future__ import annotations

import pytest

from bot.chat.policy import decide
from intents import ConversationContext, TaskRef, Understander, Understanding
from intents.languages import translate_words
from intents.normalise import normalise
from intents.text import STOPWORDS, tokenize
from tests.helpers.understand import acts_at_once, understand_over

TASKS = [
    TaskRef("gal11", "Gallery Thumbnail Rebuild", "thumbnail rebuild", "running", 900.0,
            owner="mika", kind="imaging",
            steps=("list originals", "resize images", "publish thumbnails")),
    TaskRef("frc22", "Demand Forecast Model", "forecast model", "failed", 880.0, owner="lena",
            kind="training", steps=("load sales", "fit model", "holdout", "deploy forecast")),
    TaskRef("sub33", "Subtitle Translation Push", "subtitles", "approval", 860.0, owner="omar",
            kind="localisation",
            steps=("extract captions", "machine translate", "reviewer check", "publish captions")),
    TaskRef("vnd44", "Vendor Catalog Sync", "vendor sync", "paused", 840.0, owner="kai",
            kind="import", steps=("fetch feed", "normalize units", "dedupe items")),
    TaskRef("pdf55", "Invoice PDF Export", "pdf export", "approval", 820.0, owner="ruth",
            kind="export", steps=("collect invoices", "render pdfs", "finance sign-off")),
    TaskRef("bck66", "Weekly Backup Verify", "backup verify", "completed", 700.0, owner="sven",
            kind="backup", steps=("snapshot", "checksum", "restore test")),
]  # fmt: skip


def understand(
    text: str, *, context_task: str | None = None, context_intent: str | None = None
) -> Understanding:
    return understand_over(TASKS, text, context_task=context_task, context_intent=context_intent)


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("vendor sync fortsetzen bitte", "resume", "vnd44"),
        ("forecast model wann fertig?", "eta", "frc22"),
        ("thumbnail rebuild kab tak khatam hoga", "eta", "gal11"),
        ("por qué falló el forecast model?", "why_failed", "frc22"),
        ("cuándo termina el thumbnail rebuild?", "eta", "gal11"),
        ("thumbnail rebuild'i biraz beklet lütfen", "pause", "gal11"),
        ("покажи логи forecast model", "logs", "frc22"),
        ("tạm dừng thumbnail rebuild giúp mình", "pause", "gal11"),
        ("どうして forecast model failed?", "why_failed", "frc22"),
        ("koi approval mere liye pending hai?", "waiting_on_me", None),
        ("guten tag", "greeting", None),
        ("namaskar", "greeting", None),
        ("dhanyawad, that helped", "thanks", None),
        ("спасибо", "thanks", None),
    ],
)
def test_everyday_words_of_other_languages_are_read_in_english(
    text: str, intent: str, task: str | None
) -> None:
    got = understand(text)
    assert (got.intent, got.task_id) == (intent, task)


def test_a_foreign_word_that_names_a_task_stays_a_task_word() -> None:
    # "kab" is Hindi for "when", and also this task's name
    assert translate_words(["kab", "tak", "status"], keep=lambda w: w == "kab") == [
        "kab",
        "tak",
        "status",
    ]
    assert translate_words(["kab", "tak", "status"]) == ["when", "status"]


def test_a_turkish_ending_after_a_names_apostrophe_goes_with_it() -> None:
    assert tokenize("vendor sync'i durdur") == ["vendor", "sync", "durdur"]
    # English endings stay part of the word, as before
    assert tokenize("it's kai's job, don't") == ["its", "kais", "job", "dont"]


def test_accented_letters_are_one_spelling() -> None:
    decomposed = "ca\u0309m o\u031bn"  # "cảm ơn" typed with combining marks
    assert normalise(decomposed).words == ("thanks",)


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("rebuild the forecast model, the sales feed is fixed", "restart", "frc22"),
        ("we'd like the forecast model retrained", "restart", "frc22"),
        ("one more thumbnail rebuild please", "restart", "gal11"),
        ("resend the captions to the reviewers for the subtitles", "retry_step", "sub33"),
        ("rerun just holdout on the forecast model, not the whole thing", "retry_step", "frc22"),
        ("rubber-stamp the pdf export", "approve", "pdf55"),
        ("pdf export is fine, let it through", "approve", "pdf55"),
        ("bounce the subtitles back, the timing is off", "reject", "sub33"),
        ("loop me in on the vendor sync", "subscribe", "vnd44"),
        ("kick the vendor sync back into gear", "resume", "vnd44"),
        ("I would like the thumbnail rebuild to be stopped temporarily", "pause", "gal11"),
        ("what's on the board right now", "list_tasks", None),
        ("where does the vendor sync stand", "status", "vnd44"),
        ("quick rundown of the thumbnail rebuild", "status", "gal11"),
        ("what stage is the vendor sync at", "status", "vnd44"),
        ("dump the last 40 lines of the forecast model", "logs", "frc22"),
        ("what time will the thumbnail rebuild be finished", "eta", "gal11"),
        ("which steps did the forecast model get through", "history", "frc22"),
        ("what broke on fit model", "why_failed", "frc22"),
        ("a bit less chatty please", "notify_settings", None),
        ("only ping me in office hours", "notify_settings", None),
        ("a daily digest is enough for me", "notify_settings", None),
        ("vendor sync alerts should go to #buyers", "notify_channel", "vnd44"),
        ("move my updates over to the console", "notify_channel", None),
        ("anything that requires my decision today?", "waiting_on_me", None),
        ("/mine", "waiting_on_me", None),
        ("who is authorised to approve the pdf export?", "who_approves", "pdf55"),
        ("who needs to give the ok on the subtitles", "who_approves", "sub33"),
        ("what kind of things can the bot handle", "capabilities", None),
        ("what's the syntax to pause something", "help", None),
    ],
)
def test_each_intents_idioms(text: str, intent: str, task: str | None) -> None:
    got = understand(text)
    assert (got.intent, got.task_id) == (intent, task)


def test_a_task_named_plainly_is_found_whatever_the_intent() -> None:
    got = understand("forecast model zzyzx quux")
    assert (got.intent, got.task_id) == ("unknown", "frc22")
    assert decide(got).outcome in ("help", "clarify")
    # a correction takes a task away; it names none
    assert understand("no wait not the vendor sync").task_id is None


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("how is lena's training", "frc22"),  # the work her task does
        ("lena says the sales feed is back, you can rerun her job now", "frc22"),
        ("any progress on the translations push?", "sub33"),  # a synonym of its kind
        ("the vendor catalogue sync, any news?", "vnd44"),  # a spelling
        ("retry the dedupe on the vendor sync", "vnd44"),
        ("how far is the pdf rendering", "pdf55"),  # the noun of a step's act
    ],
)
def test_a_task_by_its_work_its_person_a_synonym_or_a_step(text: str, task: str) -> None:
    assert understand(text).task_id == task


def test_a_step_word_only_one_task_has_names_it_after_the_verb() -> None:
    assert understand("should we skip dedupe this time or is that risky").task_id == "vnd44"
    two_waiting = [t for t in TASKS if t.status == "approval"]
    # said elsewhere in the message, the same word may be another thing's
    other = Understander(context=ConversationContext()).understand(
        "approve my leave request, the captions are in the hr portal",
        two_waiting,
        chat_key="chat",
        now=1001.0,
    )
    assert other.task_id is None


@pytest.mark.parametrize(
    "text",
    [
        "approve my subtitle export",  # a name's word before another name's head: another thing
        "reject the subtitle push from kai",  # kai owns none of it
        "cancel my lunch with omar",  # a meeting with someone, not their task
    ],
)
def test_things_that_only_share_words_with_a_task_are_not_it(text: str) -> None:
    got = understand(text)
    assert got.task_id is None
    assert not acts_at_once(got)


def test_a_quoted_request_discussed_keeps_its_action_and_never_acts() -> None:
    got = understand("mika keeps saying 'just rebuild it' but nobody listens")
    assert (got.intent, got.act, got.task_id) == ("restart", "report", "gal11")
    assert not acts_at_once(got)
    # said somewhere, the words are still someone's request to do that action (round seven:
    # the convention of every held-back split), reported and never acted on
    said = understand("mika wrote 'pause the thumbnail rebuild' in the ops channel")
    assert (said.intent, said.act) == ("pause", "report")
    assert not acts_at_once(said)


def test_a_thumb_closing_a_sentence_is_a_nod_not_an_approval() -> None:
    assert understand("the fixes are in, you can resume the vendor sync now 👍").intent == "resume"
    assert understand("👍 pdf export").intent == "approve"


def test_rule_words_that_tasks_are_called_stay_task_words() -> None:
    for word in ("rebuild", "nightly", "dump", "weekly"):
        assert word not in STOPWORDS
    assert understand("how is the rebuild going").task_id == "gal11"


def test_a_quote_with_an_apostrophe_inside_is_still_a_quote() -> None:
    got = understand("kai told me 'just cancel it, it's junk' but i'm not sure")
    assert (got.intent, got.act) == ("cancel", "report")
    assert not acts_at_once(got)


def test_a_foreign_word_near_a_task_word_is_still_translated() -> None:
    near_pdf = [*TASKS, TaskRef("cam77", "CAM Calibration", "cam", "running", 600.0)]
    got = Understander(context=ConversationContext()).understand(
        "cảm ơn nhé", near_pdf, chat_key="chat", now=1001.0
    )
    assert (got.intent, got.task_id) == ("thanks", None)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("what does cancel do exactly, compared to pausing?", "cancel"),
        ("has the vendor sync been resumed since the feed broke?", "history"),
        (
            "for the forecast model just tell me about failures, not every percent",
            "notify_settings",
        ),
    ],
)
def test_what_an_action_does_what_was_done_since_and_which_updates(text: str, intent: str) -> None:
    assert understand(text).intent == intent


def test_bounce_it_back_rejects_and_a_verdict_approves() -> None:
    bounced = understand("nope, not approving the pdf export, bounce it back")
    assert (bounced.intent, bounced.task_id) == ("reject", "pdf55")
    assert understand("bounce the vendor sync").intent == "restart"  # a task bounced runs anew
    verdict = understand("omar's subtitles: approved from my side")
    assert (verdict.intent, verdict.task_id) == ("approve", "sub33")


def test_a_step_called_a_step_names_its_task_among_several_failed() -> None:
    two_failed = [*TASKS, TaskRef("map88", "Map Tiles Render", "tiles", "failed", 650.0)]
    got = Understander(context=ConversationContext()).understand(
        "retry the units step", two_failed, chat_key="chat", now=1001.0
    )
    assert (got.intent, got.task_id) == ("retry_step", "vnd44")


def test_the_noun_of_a_steps_act_alone_names_the_task() -> None:
    # "normalization" is the act of the vendor sync's "normalize units" step
    assert understand("one more shot at the normalization please").task_id == "vnd44"
