"""Which task a message is about: by a name's head noun, by its owner, by a step said in full,
by a common synonym, by contrast with the one just discussed, among tasks of their own (none of
them from the labelled splits)."""

from __future__ import annotations

import pytest

from bot.chat.policy import decide
from intents import ConversationContext, TaskRef, Understander, Understanding
from tests.helpers.understand import acts_at_once, understand_over

TASKS = [
    TaskRef("pay70", "Monthly Payout Close", "payout close", "approval", 900.0, owner="rosa",
            kind="finance",
            steps=("lock accounts", "generate statements", "final review", "sign off")),
    TaskRef("arc31", "Statements Archive", "archive", "running", 880.0, owner="quinn", kind="sync",
            steps=("copy statements", "verify copies")),
    TaskRef("fw12", "Robot Firmware Rollout", "firmware rollout", "paused", 860.0, owner="pablo",
            kind="deploy", steps=("flash canary", "sanity check", "flash fleet")),
    TaskRef("tax05", "Quarterly Tax Filing", "tax filing", "failed", 840.0, owner="nadia",
            kind="report", steps=("gather receipts", "compute totals", "submit return")),
    TaskRef("ret44", "Returns Sync", "returns", "running", 820.0, owner="quinn", kind="sync",
            steps=("fetch returns", "match refunds")),
    TaskRef("exp09", "Payroll Export", "payroll export", "completed", 700.0, owner="pablo",
            kind="export", steps=("collect hours", "write csv")),
    TaskRef("aud03", "Timesheet Audit", "timesheet audit", "running", 690.0, owner="yusuf",
            kind="audit", steps=("collect hours", "flag gaps")),
    TaskRef("vac02", "Nightly DB Vacuum", "db vacuum", "running", 680.0, owner="yusuf",
            kind="maintenance", steps=("vacuum", "analyze")),
]  # fmt: skip


def understand(text: str) -> Understanding:
    understander = Understander(context=ConversationContext())
    return understander.understand(text, TASKS, chat_key="chat", now=1001.0)


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("approve the close", "pay70"),
        ("how is the close doing", "pay70"),
        ("did the close finish last month", "pay70"),
        # the close is named; the statements it would touch are not the archive
        ("if i reject the close will it delete statements?", "pay70"),
    ],
)
def test_a_names_head_noun_after_an_article_names_the_task(text: str, task: str) -> None:
    # "close" is also an asking word ("close the ticket"); after "the" it is this task's name
    assert understand(text).task_id == task


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("how is nadia's job going", "tax05"),
        ("status of the filing of nadia", "tax05"),
        ("logs for the archive of quinn", "arc31"),
        ("is the rollout by pablo still paused", "fw12"),
        # pablo's other task is finished: the one still going is meant
        ("how is pablo's job doing", "fw12"),
        # a single step word of someone else's task does not outweigh the owner
        ("what broke in nadia's run, the fleet?", "tax05"),
    ],
)
def test_an_owner_names_their_task(text: str, task: str) -> None:
    assert understand(text).task_id == task


@pytest.mark.parametrize(
    "text", ["approve the holiday of nadia", "approve nadia's holiday", "cancel the lunch of rosa"]
)
def test_something_else_a_person_owns_names_no_task(text: str) -> None:
    assert understand(text).task_id is None


def test_two_tasks_of_one_owner_are_a_choice() -> None:
    got = understand("how is quinn's job going")
    assert got.task_id is None
    assert set(got.candidates) == {"arc31", "ret44"}


@pytest.mark.parametrize(
    ("text", "task"),
    [
        # "statements" is a word of the archive's title, but generating them is the close's step
        ("where is the one that generates the statements", "pay70"),
        ("approve the one that generated the statements", "pay70"),
        ("status of the one that copies the statements", "arc31"),
        # step names made of asking words only
        ("show me the logs from sanity check", "fw12"),
        ("who is the approver for the final review?", "pay70"),
        ("why did the one that gathers the receipts fail", "tax05"),
        ("the one that locks the accounts and generates the statements, is it done?", "pay70"),
    ],
)
def test_a_step_said_in_full_names_its_task(text: str, task: str) -> None:
    assert understand(text).task_id == task


def test_a_step_two_tasks_share_means_the_one_still_going() -> None:
    assert understand("how far is the one that collects the hours").task_id == "aud03"


@pytest.mark.parametrize(
    "text",
    [
        "once rosa checks the numbers i'll approve the close",
        "don't approve the close before i talk to rosa",
    ],
)
def test_a_person_mentioned_is_no_other_thing(text: str) -> None:
    assert understand(text).task_id == "pay70"


def test_a_word_that_is_also_other_tasks_kind_says_less() -> None:
    # "sync" is the returns sync's title word, but the archive is a sync too: "statements" decides
    assert understand("how is the statements sync").task_id == "arc31"


@pytest.mark.parametrize(
    "text", ["is the database vacuum done", "how is the nightly database vacuum"]
)
def test_a_common_synonym_names_the_task(text: str) -> None:
    assert understand(text).task_id == "vac02"


def test_the_other_one_is_never_the_one_just_discussed() -> None:
    understander = Understander(context=ConversationContext())
    first = understander.understand("logs for the returns sync", TASKS, chat_key="c", now=1.0)
    assert first.task_id == "ret44"
    other = understander.understand("and the other sync?", TASKS, chat_key="c", now=2.0)
    assert (other.intent, other.task_id) == ("logs", "arc31")
    again = understander.understand("and the other one?", TASKS, chat_key="c", now=3.0)
    assert "arc31" not in again.candidates


# Two tasks of the same kind, "batch job", beside others: "job" tells none of them apart.
BATCHES = [
    TaskRef("rec61", "Vendor Rebate Recalculation", "vendor rebates", "failed", 900.0,
            owner="ikram", kind="batch job",
            steps=("export orders", "recalc rebates", "reconcile ledger", "email vendors")),
    TaskRef("snd62", "Newsletter Send", "newsletter", "running", 890.0, owner="felix",
            kind="batch job", steps=("render issue", "send mail")),
    TaskRef("tls63", "Kiln Sensor Cleanup", "kiln sensors", "paused", 880.0, owner="malia",
            kind="data pipeline", steps=("pull readings", "drop spikes", "resample")),
    TaskRef("cls64", "Shipment Classifier", "shipment classifier", "running", 870.0,
            owner="ikram", kind="training", steps=("fetch labels", "train", "score")),
]  # fmt: skip


def understand_batches(text: str) -> Understanding:
    return understand_over(BATCHES, text)


@pytest.mark.parametrize("text", ["pause the job", "cancel the job please", "stop that job"])
def test_job_alone_names_no_task_even_when_a_kind_says_batch_job(text: str) -> None:
    u = understand_batches(text)
    assert u.task_id is None, u
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("how's the malia one", "tls63"),
        ("un-pause the malia job", "tls63"),
        ("pause the felix one", "snd62"),
        # what someone owns is a task when it ends in what a task is called
        ("felix's mail thing - state?", "snd62"),
        ("status of malia's noisy kiln job", "tls63"),
    ],
)
def test_an_owners_name_before_what_a_task_is_called_names_their_task(text: str, task: str) -> None:
    assert understand_batches(text).task_id == task


def test_an_owners_name_before_a_thing_of_their_own_is_no_task() -> None:
    u = understand_batches("pause felix's car alarm")
    assert u.task_id != "snd62", u
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    "text",
    ["retry reconcile", "give the recalc another go", "retry recalc pls"],
)
def test_the_verb_a_step_begins_with_names_that_step(text: str) -> None:
    assert understand_batches(text).task_id == "rec61"


def test_a_verb_the_bot_answers_to_is_no_step_of_a_task() -> None:
    tasks = [
        *BATCHES,
        TaskRef("fin65", "Quarter Close", "close", "running", 860.0, owner="ana", kind="finance",
                steps=("approve close", "post journal")),
    ]  # fmt: skip
    u = understand_over(tasks, "approve my expense report")
    assert u.task_id != "fin65", u
    assert not acts_at_once(u)


@pytest.mark.parametrize(
    ("text", "context", "task"),
    [
        ("pause the newsletter and tell me the eta for the classifier", None, "snd62"),
        ("retry the rebates and then show me the kiln sensors", None, "rec61"),
        ("pause it and tell me how the classifier is doing", "snd62", "snd62"),
    ],
)
def test_a_second_request_after_and_keeps_its_task_to_itself(
    text: str, context: str | None, task: str
) -> None:
    assert understand_over(BATCHES, text, context_task=context).task_id == task


@pytest.mark.parametrize(
    "text", ["retry the one waiting on reconcile ledger", "retry the one stuck in recalc rebates"]
)
def test_how_a_task_stands_before_a_step_is_no_other_thing(text: str) -> None:
    assert understand_batches(text).task_id == "rec61"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("put that one on hold too", "pause"),
        ("cancel this one as well", "cancel"),
        ("also resume that one", "resume"),
    ],
)
def test_the_same_action_again_on_that_one_too_means_another_task(text: str, intent: str) -> None:
    # just after the newsletter was acted on, "that one too" is not the newsletter: which one
    # is asked, never assumed
    u = understand_over(BATCHES, text, context_task="snd62", context_intent=intent)
    assert u.intent == intent
    assert u.task_id != "snd62", u
    assert decide(u).outcome == "clarify", decide(u)


def test_that_one_after_another_question_is_the_task_in_view() -> None:
    u = understand_over(
        BATCHES, "pause this one as well", context_task="snd62", context_intent="eta"
    )
    assert (u.intent, u.task_id) == ("pause", "snd62")


@pytest.mark.parametrize(
    "text",
    [
        "send me a weekly summary instead of every step",
        "only notify me during office hours, 9 to 18 CET",
        "less noise please, hourly digest max",
    ],
)
def test_a_settings_request_in_the_settings_own_words_is_for_all_tasks(text: str) -> None:
    tasks = [
        *BATCHES,
        TaskRef("wkl66", "Weekly Margin Digest", "margin digest", "running", 850.0,
                owner="ana", kind="report", steps=("query margins", "mail digest")),
        TaskRef("crt67", "Edge Cert Rotation", "cert rotation", "running", 840.0,
                owner="ana", kind="ops", steps=("issue certs", "swap certs")),
        TaskRef("map68", "Flood Map Tiles", "map tiles", "running", 830.0,
                owner="ana", kind="render", steps=("fetch rasters", "cut tiles")),
    ]  # fmt: skip
    u = understand_over(tasks, text)
    assert (u.intent, u.task_id) == ("notify_settings", None), u


def test_a_settings_request_that_names_a_task_is_for_that_task() -> None:
    u = understand_batches("only tell me when the newsletter finishes, not every step")
    assert (u.intent, u.task_id) == ("notify_settings", "snd62"), u


@pytest.mark.parametrize(
    "text",
    [
        "restart felix's thing from step one pls",
        "rerun the newsletter from the first step",
        "redo the newsletter from step 1",
    ],
)
def test_a_run_again_from_its_first_step_is_a_restart_of_that_task(text: str) -> None:
    u = understand_batches(text)
    assert (u.intent, u.task_id) == ("restart", "snd62"), u
    assert decide(u).outcome == "confirm"  # a restart is asked first


def test_a_step_again_from_a_later_step_is_no_restart() -> None:
    assert understand_batches("rerun the rebates from step 3").intent == "retry_step"


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("keep the newsletter going, pause the classifier", "cls64"),
        ("pause the newsletter, keep the classifier going", "snd62"),
        ("don't touch the newsletter, pause the kiln sensors", "tls63"),
        ("leave the classifier running and tell me how the newsletter is doing", "snd62"),
    ],
)
def test_a_task_left_as_it_is_is_not_the_one_asked_about(text: str, task: str) -> None:
    u = understand_batches(text)
    assert u.task_id == task, u


def test_a_task_left_alone_is_the_one_asked_about_when_no_other_is_named() -> None:
    u = understand_batches("leave the newsletter alone, just tell me when it'll be done")
    assert (u.intent, u.task_id) == ("eta", "snd62"), u


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("the newsletter failed so pause the classifier", "cls64"),
        ("pause the classifier rather than the newsletter", "cls64"),
        ("same as the newsletter: pause the classifier", "cls64"),
        ("approve the newsletter after the classifier finishes", "snd62"),
        # a pronoun as the object: the task named before the verb
        ("the newsletter is eating the cpu, pause it before the classifier starts", "snd62"),
    ],
)
def test_a_request_that_names_two_tasks_is_about_its_object_and_asks_first(
    text: str, task: str
) -> None:
    u = understand_batches(text)
    assert u.task_id == task, u
    assert decide(u).outcome == "confirm", decide(u)


def test_one_name_said_as_one_phrase_is_one_task() -> None:
    # "vendor rebate" and "rebates" are both the recalculation's: one task, acted on plainly
    u = understand_batches("retry the vendor rebate recalc, the rebates are wrong")
    assert u.task_id == "rec61" and u.resolution != "one_of_several", u


PRICES = TaskRef("apr70", "Quarterly Price List", "price list", "approval", 860.0, owner="ana",
                 kind="report", steps=("collect prices", "legal sign-off", "publish"))  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "approve the price list",
        "please sign off the price list",
        "can you approve the legal sign-off of the price list",
        "/approve price list",
    ],
)
def test_an_approval_ordered_verb_first_naming_the_task_acts(text: str) -> None:
    u = understand_over([*BATCHES, PRICES], text)
    assert (u.intent, u.task_id) == ("approve", "apr70"), u
    assert decide(u).outcome == "act", decide(u)


@pytest.mark.parametrize(
    "text",
    ["the price list is approved", "price list approved", "approving the price list now",
     "✅ price list", "lgtm on the price list"],
)  # fmt: skip
def test_an_approval_said_as_a_fact_or_a_sign_is_asked_about_first(text: str) -> None:
    u = understand_over([*BATCHES, PRICES], text)
    assert (u.intent, u.task_id) == ("approve", "apr70"), u
    assert decide(u).outcome == "confirm", decide(u)


@pytest.mark.parametrize(
    "task_id", ["4525555bf65d", "abcdeeefabcd", "a111b2c3d4e5", "ffff00001111", "7f00a9c2d1aa"]
)
def test_a_task_id_with_a_character_run_names_its_task(task_id: str) -> None:
    # Runs of a letter are drawn-out words ("sooo"); inside an id or a number they are the id.
    tasks = [TaskRef(task_id, "Nightly Sales Pipeline", status="running"), *TASKS]
    for text in (f"status of {task_id}", f"how is {task_id.upper()} going?", f"logs {task_id}"):
        u = Understander(context=ConversationContext()).understand(
            text, tasks, chat_key="chat", now=1001.0
        )
        assert u.task_id == task_id, (text, u)


@pytest.mark.parametrize(("text", "step"), [("logs of step 111", 111), ("logs of step 1000", 1000)])
def test_a_step_number_with_a_digit_run_is_that_step(text: str, step: int) -> None:
    tasks = [
        TaskRef("big1", "Big Import", status="running", steps=tuple(f"s{i}" for i in range(1200)))
    ]
    u = Understander(context=ConversationContext()).understand(
        f"{text} of big import", tasks, chat_key="chat", now=1001.0
    )
    assert (u.intent, u.task_id, u.step) == ("logs", "big1", step), u


@pytest.mark.parametrize(
    "task_id", ["crm-6938a9", "crm-aaabcd", "etl_2024_x", "job.42", "TASK-123", "a.b-c_d"]
)
def test_a_task_id_with_separators_said_as_written_names_its_task(task_id: str) -> None:
    # Beside tasks whose ids and names share its parts ("crm", "task", "job"), which a message's
    # words alone would not tell apart.
    tasks = [
        TaskRef(task_id, "Cellphone Store CRM", status="running"),
        TaskRef("crm-zzzzzz", "Dental CRM", status="running"),
        TaskRef("TASK-124", "Another Task", status="running"),
        TaskRef("job.43", "Another Job", status="running"),
        *TASKS,
    ]
    for text in (
        f"status of {task_id}",
        f"how's {task_id.upper()} doing?",
        f"/logs {task_id}",
        f"pause {task_id}.",
    ):
        u = Understander(context=ConversationContext()).understand(
            text, tasks, chat_key="chat", now=1001.0
        )
        assert (u.task_id, u.resolution) == (task_id, "named"), (text, u)


def test_an_id_spelled_as_another_tasks_id_without_separators_is_never_that_task() -> None:
    # "crm1" is a task of its own: said, it is that one; "crm-1", said as written, is asked
    # about (which of the two?), never taken for "crm1"
    tasks = [TaskRef("crm1", "First CRM"), TaskRef("crm-1", "Second CRM")]
    first = understand_over(tasks, "status of crm1")
    assert (first.task_id, first.resolution) == ("crm1", "named"), first
    second = understand_over(tasks, "status of crm-1")
    assert second.task_id != "crm1", second
    assert second.task_id == "crm-1" or set(second.candidates) == {"crm1", "crm-1"}, second


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("how's star fall going?", "sf1"),
        ("eta for the pay roll export", "pr2"),
        ("pause the data base migration", "db3"),
    ],
)
def test_a_names_one_word_said_as_two_names_the_task(text: str, task: str) -> None:
    tasks = [
        TaskRef("sf1", "Starfall Release Build", status="running"),
        TaskRef("pr2", "Payroll Export", status="running"),
        TaskRef("db3", "Database Migration", status="running"),
        TaskRef("st4", "Star Tracker Calibration", status="running"),
    ]
    u = understand_over(tasks, text)
    assert (u.task_id, u.resolution) == (task, "named"), u


@pytest.mark.parametrize(
    "text", ["tell me once it's back up", "roll out the fix first, then we'll see", "sign off"]
)
def test_a_verb_and_its_particle_are_no_name_written_as_one(text: str) -> None:
    tasks = [
        TaskRef("bk1", "Nightly Backup", "backup", status="failed"),
        TaskRef("ro2", "Firmware Rollout", "rollout", status="running"),
        TaskRef("so3", "Quarter Signoff", "signoff", status="approval"),
        TaskRef("ml4", "Churn Model Training", "churn model", status="failed"),
    ]
    u = understand_over(tasks, text, context_task="ml4")
    assert u.task_id in (None, "ml4"), u


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("the tax filing error?", "why_failed", "tax05"),
        ("any errors on the tax filing?", "why_failed", "tax05"),
        ("show me the quarterly tax filing errors", "why_failed", "tax05"),
        # of a running one: whether anything went wrong, answered with how it stands
        ("any errors on the returns sync?", "why_failed", "ret44"),
        ("any errors in the logs of the returns sync?", "logs", "ret44"),
        ("only notify me about errors", "notify_settings", None),
    ],
)
def test_a_tasks_errors_asked_about_ask_why_it_failed(text: str, intent: str, task: str) -> None:
    u = understand(text)
    assert (u.intent, u.task_id) == (intent, task), u


def test_a_task_id_said_as_written_wins_over_another_ids_squeezed_form() -> None:
    # "abcdeeefgh" reads as "abcdefgh" in a message; a task whose id is "abcdefgh" is still that
    # task, whichever comes first in the list
    for tasks in (
        [TaskRef("abcdeeefgh", "First Import"), TaskRef("abcdefgh", "Second Import")],
        [TaskRef("abcdefgh", "Second Import"), TaskRef("abcdeeefgh", "First Import")],
    ):
        u = understand_over(tasks, "status of abcdefgh")
        assert u.task_id == "abcdefgh", u
