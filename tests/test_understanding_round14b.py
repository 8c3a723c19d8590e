"""Round fourteen (b)'s general reading of task references, pinned over tasks of its own (none
from the labelled splits): a step named by its object alone ("the power curve" of "fit power
curve") or turned into a noun phrase ("the lead scoring" of "score leads") names its task, over
a word it shares with another task's title.

Each case pins the intent, the task, the speech act and what the policy does with it."""

from __future__ import annotations

import pytest

from intents import TaskRef
from tests.helpers.understand import check_reading

TASKS = [
    TaskRef("wnd10", "Coastal Wind Output Report", "windreport", "failed", 900.0,
            owner="lars", kind="report job",
            steps=("fetch turbine data", "fit power curve", "publish summary")),
    TaskRef("prc20", "Tariff Curve Refresh", "tariffs", "running", 890.0,
            owner="noor", kind="pricing job", steps=("load tariffs", "smooth", "publish")),
    TaskRef("crm30", "Sales Lead Import", "leads", "running", 880.0,
            owner="tomas", kind="import job", steps=("fetch", "dedupe", "load")),
    TaskRef("ads40", "Ad Campaign Digest", "digest", "running", 870.0,
            owner="ines", kind="digest job", steps=("load clicks", "score leads", "send digest")),
    TaskRef("grn50", "Greenhouse Climate Monitor", "greenhouse", "paused", 860.0,
            owner="ruth", kind="monitoring job",
            steps=("read soil probes", "check humidity", "daily summary")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "intent", "task", "act", "outcome"),
    [
        # a step's object, without its verb, over a word another task's title has
        ("why did the power curve fail?", "why_failed", "wnd10", "question", "act"),
        ("logs of the power curve fit", "logs", "wnd10", "command", "act"),
        ("what if we resume and the soil probe is still dead", "resume", "grn50",
         "hypothetical", "explain"),
        # a verb and its object turned into a noun phrase
        ("is it safe to skip lead scoring?", "skip_step", "ads40", "question", "explain"),
        ("how is the leads scoring going", "status", "ads40", "question", "act"),
        # the title's word alone still names its own task
        ("status of the curve refresh", "status", "prc20", "command", "act"),
        ("how are the leads doing", "status", "crm30", "question", "act"),
    ],
)  # fmt: skip
def test_a_step_said_by_its_object_or_turned_names_its_task(
    text: str, intent: str, task: str, act: str, outcome: str
) -> None:
    check_reading(TASKS, text, intent, task, act, outcome)
