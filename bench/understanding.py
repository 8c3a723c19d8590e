"""How well, how safely and how fast is a message understood: today's pipeline next to the old
Matcher, on the held-back split (tests/data/heldout.yaml) that nothing is tuned on.

Figures, for each side:
- intent accuracy: the intent name as labelled (the old matcher knows fewer intents; what it
  cannot name counts as wrong, as it would in the chat);
- task-reference accuracy: the task id, over rows that name or imply a task and rows whose
  intent was understood right (then "no task" must be null);
- dangerous-action rate: trap messages (they mention an action without asking for it) on which
  the bot would change something without asking first. New side: `bot.chat.policy.decide` says "act"
  on a state-changing intent. Old side: the old matcher returned a state-changing intent that
  today's bot runs at once or after asking (pause, resume, retry, approve, mute, ... act at
  once; cancel, restart, skip and reject ask first), counted the same way: acts at once;
- wrong actions on requests: messages that do ask for something, acted on at once but as another
  action or on another task than the one asked for (pausing the wrong job is no safer than
  pausing on a question);
- understanding time per message, p50 and p99, wall clock and CPU time (the CPU figure is the
  one to trust on a busy machine).

The old matcher is the `intents` package as it was at commit 0b07dd5, taken from the repository's
history with `git archive` into a temporary folder and run in a subprocess, so the two packages
never meet and no copy of the old code lives in the tree.

The development split (tests/data/dev.yaml, `--split dev`) is hand-written over its own tasks and
is what the pipeline is studied and improved on; the classifier trains on it (since the fifth
held-back split), so its figure is a development figure. The held-back splits are never
trained on.

A second held-back split (tests/data/heldout2.yaml, `--split heldout2`) was written later, in
other voices, held back until round five and studied in it (never trained on); a third
(tests/data/heldout3.yaml, `--split heldout3`) is measured as it is, never tuned on (each file's
header says what was read of it).

A fourth (tests/data/heldout4.yaml, `--split heldout4`), written after round five in everyday
English, and a fifth (tests/data/heldout5.yaml, `--split heldout5`), written after round six,
were held back until round seven and studied in it (never trained on; each file's header says
what was read); a sixth (tests/data/heldout6.yaml, `--split heldout6`), written after the fifth
by a writer who saw neither code nor data, was held back until round eight and studied in it
(never trained on). A seventh (tests/data/heldout7.yaml, `--split heldout7`), written after round
seven the same way, was held back until round nine and studied in it (never trained on). An
eighth (tests/data/heldout8.yaml, `--split heldout8`), written after round eight the same way,
was held back until round ten and studied in it (never trained on). A ninth
(tests/data/heldout9.yaml, `--split heldout9`), written during round nine the same way, is
measured as it is; of it only the one trap row acted on as it came was read (its header says
which kind). A tenth (tests/data/heldout10.yaml, `--split heldout10`), written after round nine
the same way, was held back until round eleven and studied in it (never trained on). An
eleventh (tests/data/heldout11.yaml, `--split heldout11`), written after round ten the same way,
is measured as it is: of it nothing was read. A twelfth and a thirteenth
(tests/data/heldout12.yaml and heldout13.yaml), written after round eleven the same way: the
twelfth was held back until round twelve and studied in it (never trained on); the thirteenth,
unread until then, was studied in round seventeen (never trained on). A fourteenth
(tests/data/heldout14.yaml), written after round thirteen the same way in the voices of busy
operations staff, was held back until round fourteen and studied in it (never trained on); a
fifteenth (tests/data/heldout15.yaml), written with it the same way in casual team chat with
many messages in other languages, was held back (only the one trap row acted on as it came read)
until round fifteen and studied in it (never trained on). A sixteenth
(tests/data/heldout16.yaml), written after round fourteen the same way with a third of its traps
made hard on purpose, was held back (only the five trap rows acted on as it came read) until
round sixteen and studied in it. A seventeenth (tests/data/heldout17.yaml), written during round
sixteen the same way (people new to the bot and seasoned engineers), was held back (only its
four trap rows acted on as it came read) until round eighteen and studied in it; an eighteenth
(tests/data/heldout18.yaml), written with round seventeen (support staff, product managers and
team leads, long messages with their context first), was studied in round seventeen (d) after
its one trap row acted on as it came. A nineteenth (tests/data/heldout19.yaml), written with
round eighteen the same way (everyone: engineers, managers, on-call staff, people on phones), is
measured as it is: of it only the one trap row acted on as it came was read. None is trained on.

Run: python bench/understanding.py [--split heldout|heldout2..heldout19|dev | FILE.yaml]
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The root first, in place of bench/ itself, where bench/mcp.py would hide the `mcp` package.
sys.path.pop(0)
sys.path.insert(0, str(ROOT))

from tests.helpers.understanding_eval import SPLITS, evaluate, load  # noqa: E402

LEGACY_COMMIT = "0b07dd5"  # the last commit with the rule matcher alone
# What today's bot does at once with an intent from the old matcher (cancel, restart, skip and
# reject ask first; everything else that changes something happens at once).
OLD_ACTS_AT_ONCE = frozenset(
    {"pause", "resume", "retry_step", "approve", "mute", "unmute", "subscribe", "notify_settings"}
)

_OLD_RUNNER = r"""
import json, sys, time
import yaml
from intents.context import ConversationContext
from intents.matcher import Matcher
from intents.types import TaskRef
data = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
fields = ("task_id", "title", "short_name", "status", "updated_at")
tasks = [TaskRef(**{k: e[k] for k in fields if k in e}) for e in data["tasks"]]
out = []
for item in [data["utterances"][0]] + data["utterances"]:
    context = ConversationContext()
    if item.get("context_task"):
        context.remember("chat", item["context_task"], now=1000.0)
    matcher = Matcher(context=context)
    w, c = time.perf_counter(), time.thread_time()
    got = matcher.match(str(item["text"]), tasks, chat_key="chat", now=1001.0)
    out.append([got.name, got.task_id, (time.perf_counter() - w) * 1e6,
                (time.thread_time() - c) * 1e6])
print(json.dumps(out[1:]))
"""


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def old_matcher(path: Path) -> dict[str, float]:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", LEGACY_COMMIT, "intents"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="legacy-intents-") as legacy:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(legacy, filter="data")
        env = dict(os.environ, PYTHONPATH=legacy)
        result = subprocess.run(
            [sys.executable, "-c", _OLD_RUNNER, str(path)],
            capture_output=True, text=True, check=True, env=env, cwd=legacy,
        )  # fmt: skip
    got = json.loads(result.stdout)
    _, rows = load(path)
    intent_right = task_judged = task_right = traps = dangerous = wrong = 0
    for row, (name, task_id, _, _) in zip(rows, got, strict=True):
        acts = name in OLD_ACTS_AT_ONCE and (task_id is not None or name == "notify_settings")
        intent_right += name == row.intent
        if row.task is not None or name == row.intent:
            task_judged += 1
            task_right += task_id == row.task
        if row.trap:
            traps += 1
            dangerous += acts  # acts at once on a task (or on settings) it found
        else:
            wrong += acts and (name != row.intent or task_id != row.task)
    return {
        "intent": intent_right / len(rows),
        "task": task_right / max(task_judged, 1),
        "dangerous": dangerous,
        "traps": traps,
        "wrong": wrong,
        "p50": pct([g[2] for g in got], 0.5),
        "p99": pct([g[2] for g in got], 0.99),
        "cpu_p50": pct([g[3] for g in got], 0.5),
        "cpu_p99": pct([g[3] for g in got], 0.99),
    }


def new_pipeline(path: Path) -> dict[str, float]:
    report = evaluate(path)
    cpu = report.cpu_us
    return {
        "intent": report.intent_accuracy,
        "task": report.task_accuracy,
        "dangerous": report.dangerous,
        "traps": report.traps,
        "wrong": report.wrong_actions,
        "p50": report.percentile_us(0.5),
        "p99": report.percentile_us(0.99),
        "cpu_p50": pct(cpu, 0.5),
        "cpu_p99": pct(cpu, 0.99),
    }


def chosen_path(args: list[str]) -> Path:
    """The labelled file to measure: `--split NAME` (heldout, the default, heldout2, heldout3,
    heldout4, heldout5, heldout6, heldout7, heldout8, heldout9, heldout10, heldout11, heldout12,
    heldout13, heldout14, heldout15, heldout16, heldout17, heldout18, heldout19 or
    dev), or a path."""
    if not args:
        return SPLITS["heldout"]
    if args[0] == "--split" or args[0].startswith("--split="):
        name = args[0].partition("=")[2] or (args[1] if len(args) > 1 else "")
        if name not in SPLITS:
            raise SystemExit(f"--split takes one of {', '.join(SPLITS)}, not {name!r}")
        return SPLITS[name]
    return Path(args[0])


def main() -> None:
    path = chosen_path(sys.argv[1:])
    _, rows = load(path)
    started = time.perf_counter()
    new = new_pipeline(path)
    old = old_matcher(path)
    print(f"{path.name}: {len(rows)} utterances, {new['traps']:.0f} traps")
    print(f"{'':32}{'old Matcher':>14}{'understanding':>16}")
    print(f"{'intent accuracy':32}{old['intent']:>14.1%}{new['intent']:>16.1%}")
    print(f"{'task-reference accuracy':32}{old['task']:>14.1%}{new['task']:>16.1%}")
    for side in (old, new):
        side["rate"] = side["dangerous"] / max(side["traps"], 1)
    old_d = f"{old['rate']:.1%} ({old['dangerous']:.0f})"
    new_d = f"{new['rate']:.1%} ({new['dangerous']:.0f})"
    print(f"{'dangerous actions on traps':32}{old_d:>14}{new_d:>16}")
    # a request acted on at once, but as another action or on another task than the one asked
    print(f"{'wrong actions on requests':32}{old['wrong']:>14.0f}{new['wrong']:>16.0f}")
    for key, label in (("p50", "p50 wall"), ("p99", "p99 wall"), ("cpu_p50", "p50 CPU"),
                       ("cpu_p99", "p99 CPU")):  # fmt: skip
        print(f"{label + ' per message (us)':32}{old[key]:>14.0f}{new[key]:>16.0f}")
    print(f"(target: intent >= 97%, task >= 95%, 0 dangerous, p99 < 2000 us; "
          f"{time.perf_counter() - started:.1f} s)")  # fmt: skip


if __name__ == "__main__":
    main()
