"""Round seven's general readings, pinned over tasks of their own (none from the labelled splits):
the everyday words of German, Spanish, Portuguese, French and Hindi (with German verbs split around
their object and French elided articles), an action asked of a kind of thing (what the bot can
do), who may decide, asking now rather than for updates, the request in a long or compound
message, owners said as adjectives and step words as objects, a cross on a task that waits for no
approval, what befell a thing that is no task, a negated action then "just tell me when",
someone's request or plan reported, how an action works asked in the passive, an approval put
off, and the signs (a foreign "if", a time to come) that keep a message from acting at once.

Each case pins the intent, the task, the speech act and what the policy does with it."""

from __future__ import annotations

import pytest

from bot.chat.policy import decide
from intents import TaskRef, Understanding
from tests.helpers.understand import acts_at_once, check_reading, understand_over

TASKS = [
    TaskRef("wea01", "Weather Station Ingest", "weather ingest", "running", 900.0,
            owner="hugo", kind="pipeline",
            steps=("poll stations", "validate readings", "write tiles")),
    TaskRef("pdf02", "Contract PDF Extraction", "contract extraction", "failed", 880.0,
            owner="mira", kind="batch",
            steps=("split pages", "ocr text", "extract clauses", "export json")),
    TaskRef("brd03", "Brand Refresh Landing Site", "landing site", "approval", 860.0,
            owner="odile", kind="website",
            steps=("draft copy", "build site", "brand review", "go live")),
    TaskRef("frc04", "Freight Cost Forecast", "freight forecast", "paused", 840.0,
            owner="kwame", kind="training",
            steps=("load shipments", "fit model", "backtest", "publish")),
    TaskRef("cnt05", "Clinic Inventory Recount", "inventory recount", "pending", 820.0,
            owner="sana", kind="job", steps=("export counts", "reconcile shelves", "sign off")),
    TaskRef("arc06", "Newsroom Photo Archive", "photo archive", "completed", 700.0,
            owner="lin", kind="batch", steps=("scan", "tag", "archive")),
]  # fmt: skip

Case = tuple[str, str, str | None, str, str]


def understand(
    text: str, *, context_task: str | None = None, context_intent: str | None = None
) -> Understanding:
    return understand_over(TASKS, text, context_task=context_task, context_intent=context_intent)


def check(text: str, intent: str, task: str | None, act: str, outcome: str) -> Understanding:
    return check_reading(TASKS, text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        ("wie weit ist die weather ingest?", "status", "wea01", "question", "act"),
        ("qué tal va la contract extraction?", "status", "pdf02", "question", "act"),
        ("e o freight forecast, como está?", "status", "frc04", "question", "act"),
        ("et le landing site, il en est où ?", "status", "brd03", "question", "act"),
        ("kya hua contract extraction ko?", "why_failed", "pdf02", "question", "act"),
        ("cuánto falta para la weather ingest?", "eta", "wea01", "question", "act"),
        ("pausiere bitte die weather ingest", "pause", "wea01", "command", "act"),
        ("halt mal die weather ingest an", "pause", "wea01", "command", "act"),
        ("setz den freight forecast bitte fort", "resume", "frc04", "command", "act"),
        ("lehn die landing site bitte ab, das logo ist alt", "reject", "brd03", "command", "act"),
        ("gib die landing site frei", "approve", "brd03", "command", "act"),
        ("annule l'inventory recount", "cancel", "cnt05", "command", "confirm"),
        ("reintenta el paso de ocr text en la contract extraction", "retry_step", "pdf02",
         "command", "act"),
        ("überspring den backtest beim freight forecast", "skip_step", "frc04", "command",
         "confirm"),
        ("me avisa quando a weather ingest terminar", "subscribe", "wea01", "command", "act"),
        ("quién pausó el freight forecast?", "history", "frc04", "report", "act"),
    ],
)  # fmt: skip
def test_everyday_words_of_other_languages(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check(text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # an action asked of a kind of thing asks what the bot can do
        ("will you rerun workflows by yourself?", "capabilities", None, "command", "act"),
        ("does the bot skip steps on its own?", "capabilities", None, "question", "act"),
        ("kann der bot auch jobs überspringen?", "capabilities", None, "question", "act"),
        # a request names its object
        ("can you restart the weather ingest?", "restart", "wea01", "command", "confirm"),
        # who may decide
        ("landing site, who approve it?", "who_approves", "brd03", "question", "act"),
        ("wer gibt die landing site frei?", "who_approves", "brd03", "question", "act"),
        ("can a designer approve the landing site?", "who_approves", "brd03", "question",
         "act"),
        ("does sana have the authority to reject the landing site?", "who_approves", "brd03",
         "question", "act"),
    ],
)  # fmt: skip
def test_abilities_and_who_decides_are_questions(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    u = check(text, intent, task, act, outcome)
    assert not acts_at_once(u) or intent == "restart"


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        ("let me know the expected finish time of the weather ingest", "eta", "wea01", "command",
         "act"),
        ("as soon as the weather ingest is through, let me know", "subscribe", "wea01", "command",
         "act"),
        ("weather ingest: done today or tomorrow?", "eta", "wea01", "question", "act"),
        ("will the weather ingest take ages again?", "eta", "wea01", "question", "act"),
        ("show paused jobs", "list_tasks", None, "command", "act"),
        ("what command should i use to reject?", "help", None, "question", "act"),
    ],
)  # fmt: skip
def test_asking_now_rather_than_for_updates(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check(text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # the context first, then the request a "please" or "could you" opens
        ("The weather office asked us to stop all uploads for the audit. Could you please "
         "pause the weather ingest until Friday?", "pause", "wea01", "command", "confirm"),
        ("Kwame signed off the new features, so please resume the freight forecast.", "resume",
         "frc04", "command", "act"),
        # a clause in front that only sets a time
        ("before anyone reruns it, why did the contract extraction die?", "why_failed", "pdf02",
         "question", "act"),
        # two requests joined: the first is the request, and its task
        ("rerun the contract extraction from scratch and drop me a message when it completes",
         "restart", "pdf02", "command", "confirm"),
        ("how long for the weather ingest? and mute the freight forecast", "eta", "wea01",
         "question", "act"),
        ("ok approve the landing site and after that the weather ingest eta please", "approve",
         "brd03", "command", "act"),
        # two actions in a row may be one
        ("abort the inventory recount and start it over", "restart", "cnt05", "command",
         "confirm"),
        # an order said first, a reason after it
        ("redo the contract extraction from scratch, the new features are in", "restart", "pdf02",
         "command", "confirm"),
    ],
)  # fmt: skip
def test_the_request_of_a_long_or_compound_message(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check(text, intent, task, act, outcome)


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("freeze the hugo pipeline", "pause", "wea01"),
        ("un-pause that kwame job", "resume", "frc04"),
        ("reject odile's review, the fonts are wrong", "reject", "brd03"),
        ("retry backtest, the data is fixed", "retry_step", "frc04"),
        ("give reconcile one more try", "retry_step", "cnt05"),
    ],
)
def test_owners_as_adjectives_and_step_words_name_the_task(
    text: str, intent: str, task: str
) -> None:
    u = understand(text)
    assert (u.intent, u.task_id) == (intent, task), u


@pytest.mark.parametrize(
    ("text", "intent", "task", "outcome"),
    [
        ("❌ weather ingest", "cancel", "wea01", "confirm"),
        ("❌ contract extraction", "cancel", "pdf02", "confirm"),
        ("❌ landing site, wrong logo", "reject", "brd03", "act"),
    ],
)
def test_a_cross_cancels_what_waits_for_no_approval(
    text: str, intent: str, task: str, outcome: str
) -> None:
    check(text, intent, task, "command", outcome)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("the football match got cancelled because of the rain", "cancel"),
        ("our mortgage finally got approved", "approve"),
        ("got rejected by the bank for the loan, fun times", "reject"),
    ],
)
def test_what_befell_a_thing_that_is_no_task_is_told(text: str, intent: str) -> None:
    u = understand(text)
    assert (u.intent, u.task_id) == (intent, None), u
    assert decide(u).outcome == "explain"
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("leave the weather ingest going, just tell me when it wraps up", "eta", "wea01"),
        (
            "not going to rerun anything, just tell me when the contract extraction should end",
            "eta",
            "pdf02",
        ),
        (
            "please don't subscribe me to the photo archive, simply tell me if it went live",
            "status",
            "arc06",
        ),
    ],
)
def test_a_negated_action_then_just_tell_me_asks_one_question(
    text: str, intent: str, task: str
) -> None:
    u = understand(text)
    assert (u.intent, u.task_id, u.act) == (intent, task, "negation"), u
    assert decide(u).outcome == "act"  # it answers; nothing changes


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        # someone's request or plan to act: that action, reported
        ("hugo said to pause the weather ingest over the weekend", "pause", "wea01"),
        ("odile says we should reject the landing site", "reject", "brd03"),
        ("mira said she'd rerun the contract extraction after lunch", "restart", "pdf02"),
        ("kwame wrote resume the freight forecast on monday", "resume", "frc04"),
        # an action done, reported: the task's history
        ("sana says she cancelled the recount twice already", "history", "cnt05"),
    ],
)
def test_a_reported_request_is_about_that_action_and_never_acts(
    text: str, intent: str, task: str
) -> None:
    u = understand(text)
    assert (u.intent, u.task_id, u.act) == (intent, task, "report"), u
    assert decide(u).outcome in ("explain", "act")
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("could a paused pipeline be resumed halfway through?", "resume"),
        ("could a broken step be retried forever?", "retry_step"),
    ],
)
def test_how_an_action_works_asked_in_the_passive(text: str, intent: str) -> None:
    u = understand(text)
    assert (u.intent, u.act) == (intent, "question"), u
    assert decide(u).outcome == "explain"


@pytest.mark.parametrize(
    "text",
    [
        "don't approve the landing site yet, odile is still checking",
        "please do not approve the landing site until mira reruns the review",
        "do not approve the landing site before the brand team signs off",
    ],
)
def test_an_approval_put_off_is_no_reject(text: str) -> None:
    u = understand(text)
    assert (u.intent, u.task_id, u.act) == ("approve", "brd03", "negation"), u
    assert decide(u).outcome == "explain"


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        # a condition in another language
        ("falls die weather ingest hängt, bitte pausieren", "pause", "wea01"),
        ("si la contract extraction falla otra vez, reinicia", "restart", "pdf02"),
        # a time to come, said first
        ("tomorrow i approve the landing site", "approve", "brd03"),
    ],
)
def test_a_foreign_if_or_a_time_to_come_never_acts_at_once(
    text: str, intent: str, task: str
) -> None:
    u = understand(text)
    assert (u.intent, u.task_id) == (intent, task), u
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    ("text", "intent", "context", "task"),
    [
        # the same thing asked again "too": the other task in the state of the one in view,
        # offered, not assumed
        ("hold that one for me too, please", "pause", "wea01", "wea02"),
        ("follow that one also", "subscribe", "wea02", "wea01"),
    ],
)
def test_that_one_too_after_the_same_request_offers_the_other_task(
    text: str, intent: str, context: str, task: str
) -> None:
    tide = TaskRef("wea02", "Tide Gauge Ingest", "tide ingest", "running", 890.0, owner="hugo",
                   kind="pipeline", steps=("poll gauges", "write readings"))  # fmt: skip
    u = understand_over([*TASKS, tide], text, context_task=context, context_intent=intent)
    assert (u.intent, u.task_id, u.candidates) == (intent, None, (task,)), u
    assert decide(u).outcome == "clarify"


def test_that_one_too_with_no_other_task_like_it_is_never_the_one_just_done() -> None:
    u = understand("can you kill that one as well?", context_task="pdf02", context_intent="cancel")
    assert (u.intent, u.act) == ("cancel", "command"), u
    assert u.task_id != "pdf02", u
    assert not acts_at_once(u)


def test_that_one_too_after_another_request_is_the_same_task() -> None:
    # "the output of that one too" after a status: another question about the same task
    u = understand(
        "ok now the output of that one too", context_task="wea01", context_intent="status"
    )
    assert (u.intent, u.task_id) == ("logs", "wea01"), u


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # how to use an action on one thing
        ("how can i pause a single job and not the others?", "help"),
        ("how do we mute only one pipeline", "help"),
        # which notifications, and where they go
        ("which alerts am i receiving at the moment?", "notify_settings"),
        ("where are my updates landing these days", "notify_channel"),
        ("could the pings go to a different channel?", "notify_channel"),
    ],
)
def test_how_to_use_an_action_and_where_notifications_go(text: str, intent: str) -> None:
    u = understand(text)
    assert u.intent == intent, u
    assert not acts_at_once(u)


def test_updates_sent_to_my_email_is_a_plain_request() -> None:
    u = understand("send the weather ingest updates to my email too")
    assert (u.intent, u.task_id, u.act) == ("notify_channel", "wea01", "command"), u
    assert decide(u).outcome == "act"


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("good job bot", "thanks", None),
        ("hi team, hope everyone is well", "greeting", None),
        ("is everything fine?", "status", None),
        ("the contract extraction failed how exactly?", "why_failed", "pdf02"),
        ("how did the contract extraction break", "why_failed", "pdf02"),
        ("rerun hugo's thing from the very beginning please", "restart", "wea01"),
    ],
)
def test_courtesies_short_questions_and_a_run_from_the_start(
    text: str, intent: str, task: str | None
) -> None:
    u = understand(text)
    assert (u.intent, u.task_id) == (intent, task), u
    assert intent == "restart" or not acts_at_once(u)


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # an order said first, whatever a later clause reads as
        ("give me the weather ingest logs, curious where it stopped overnight", "logs",
         "wea01", "command", "act"),
        # what waits on me, said of the thing approved
        ("reject that landing site which is waiting for my ok", "reject", "brd03", "command",
         "act"),
        # a request taken back, and nothing asked instead
        ("ignore that, let it run", "unknown", None, "correction", "clarify"),
    ],
)  # fmt: skip
def test_an_order_said_first_and_a_request_taken_back(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check_reading(
        TASKS, text, intent, task, act, outcome, context_task="wea01", context_intent="pause"
    )


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # when it will be live
        ("do we know when the landing site will go live?", "eta", "brd03", "question", "act"),
        # a step called "... check" is no "check on it"
        ("do I unmute the weather ingest ahead of its validate check?", "unmute", "wea01",
         "question", "explain"),
        # the speaker's own plan is about that action, and never acts
        ("we're going to cancel the inventory recount ourselves tomorrow", "cancel", "cnt05",
         "report", "explain"),
        # context first, then "can I see …"
        ("first day on the team, apologies if this is off-topic: can I see how the weather "
         "ingest is doing?", "status", "wea01", "hypothetical", "act"),
    ],
)  # fmt: skip
def test_when_it_goes_live_a_step_named_check_and_ones_own_plan(
    text: str, intent: str, task: str | None, act: str, outcome: str
) -> None:
    check(text, intent, task, act, outcome)


@pytest.mark.parametrize(
    "text",
    [
        "pausa las traducciones, por favor",
        "mets en pause les traductions",
        "pausiere die übersetzungen",
    ],
)
def test_a_work_noun_in_another_language_names_its_task(text: str) -> None:
    help_centre = TaskRef(
        "trn07", "Help Centre Translations", "translations", "running", 600.0, owner="ana"
    )
    u = understand_over([*TASKS, help_centre], text)
    assert (u.intent, u.task_id) == ("pause", "trn07"), u


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("should we pause the weather ingest or only mute it?", "pause"),
        ("reject? approve? no clue what to do with the landing site", "reject"),
    ],
)
def test_of_two_actions_offered_the_first_is_asked_about(text: str, intent: str) -> None:
    u = understand(text)
    assert u.intent == intent, u
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    ("text", "intent", "context"),
    [
        ("when did mira send the contract extraction for review", "history", None),
        ("did it get paused, or is it still the run from this morning?", "history", "wea01"),
        ("can you cancel runs yourself?", "capabilities", None),
        ("hi, just joined: could you show me which stage it's at?", "status", "wea01"),
    ],
)
def test_when_something_was_done_and_what_the_bot_does_itself(
    text: str, intent: str, context: str | None
) -> None:
    u = understand(text, context_task=context)
    assert u.intent == intent, u
    assert not acts_at_once(u)
