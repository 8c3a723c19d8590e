# ruff: noqa: E501  (rows of data read better one per line)
"""Build tests/data/corpus_train.yaml: the training/dev split of the understanding corpus.

Run: python tests/data/build_corpus.py  (deterministic; rewrites the YAML next to it)

Two kinds of rows:
- hand-written messages (HAND), the way people write in Slack and Telegram;
- phrasings with a task slot ({t}) filled from many ways of naming each task (by title, short
  name, owner, kind, step, typo), with chat noise added to a part (mentions, "pls", emoji, typos).
Trap messages (questions, hypotheticals, negations, corrections, reports, things that are not
tasks) are labelled `trap: true`: they must never change anything.

The held-back split (tests/data/heldout.yaml) was written first, over other tasks, in another
voice; nothing here is copied or derived from it.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import yaml

OUT = Path(__file__).with_name("corpus_train.yaml")
# The development split is studied, never trained on: a row written here that it also holds
# (common short phrasings, "what can you do") is left out of training.
DEV = Path(__file__).with_name("dev.yaml")
SEED = 424242

TASKS: list[dict[str, Any]] = [
    {"task_id": "inv01", "title": "Invoices Sync", "short_name": "invoices", "status": "running",
     "updated_at": 900, "owner": "alice", "kind": "sync",
     "steps": ["fetch invoices", "build invoices", "upload to erp"]},
    {"task_id": "etl07", "title": "ETL nightly", "short_name": "etl", "status": "running",
     "updated_at": 850, "owner": "bob", "kind": "pipeline",
     "steps": ["extract", "transform", "load warehouse"]},
    {"task_id": "den03", "title": "Dental Clinic App", "short_name": "dental", "status": "approval",
     "updated_at": 800, "owner": "carol", "kind": "app",
     "steps": ["build apk", "run ui tests", "publish to store"]},
    {"task_id": "crm42", "title": "Cellphone Store CRM", "short_name": "CRM", "status": "paused",
     "updated_at": 700, "owner": "alice", "kind": "crm",
     "steps": ["import contacts", "dedupe", "repair board"]},
    {"task_id": "chn55", "title": "Churn Model Training", "short_name": "churn", "status": "failed",
     "updated_at": 600, "owner": "bob", "kind": "training",
     "steps": ["prepare features", "train model", "evaluate"]},
    {"task_id": "pay09", "title": "Payroll Export", "short_name": "payroll", "status": "completed",
     "updated_at": 500, "owner": "carol", "kind": "export",
     "steps": ["collect hours", "compute pay", "send to bank"]},
    {"task_id": "mig77", "title": "Billing Migration", "short_name": "billing",
     "status": "cancelled", "updated_at": 400, "owner": "dave", "kind": "migration", "steps": []},
    {"task_id": "bkp12", "title": "Nightly Backups", "short_name": "backups", "status": "pending",
     "updated_at": 300, "owner": "carol", "kind": "backup",
     "steps": ["snapshot db", "copy offsite"]},
    {"task_id": "inv00", "title": "Invoices Sync", "short_name": "invoices", "status": "completed",
     "updated_at": 100, "owner": "alice", "kind": "sync",
     "steps": ["fetch invoices", "build invoices", "upload to erp"]},
]  # fmt: skip

# Ways to name each task, as people do.
MENTIONS: dict[str, list[str]] = {
    "inv01": ["the invoices sync", "invoices", "the invoice sync", "alice's invoices job",
              "the invoices job", "Invoices Sync", "the invocies sync", "the sync",
              "the job that builds the invoices", "the invoices thing"],
    "etl07": ["the etl", "ETL nightly", "the nightly etl", "bob's pipeline", "the etl job",
              "the pipeline", "the etl run", "the nightly ETL pipeline", "etl",
              "the one that loads the warehouse"],
    "den03": ["the dental clinic app", "the dental app", "carol's app", "the clinic app",
              "the dental one", "the app", "dental", "the dentl app", "Dental Clinic App"],
    "crm42": ["the crm", "the cellphone store crm", "the store crm", "alice's crm", "the crn",
              "cellphone store", "CRM", "the crm task", "the cellphone crm"],
    "chn55": ["the churn model", "the churn training", "the training job", "bob's training",
              "the churn thing", "the model training", "churn", "the churn modle"],
    "pay09": ["the payroll export", "payroll", "the payroll job", "the export"],
    "bkp12": ["the nightly backups", "the backups", "the backup job", "carol's backups",
              "backups", "the backup"],
}  # fmt: skip
ACTIVE = ["inv01", "etl07", "den03", "crm42", "bkp12"]
ANY = [*ACTIVE, "chn55", "pay09"]

# intent → (phrasings with {t}, which tasks fit)
SLOTTED: dict[str, tuple[list[str], list[str]]] = {
    "status": ([
        "how's {t} going?", "status of {t}", "how is {t} doing", "{t} status?", "any news on {t}",
        "where are we with {t}", "how far along is {t}", "is {t} done yet?", "update on {t} pls",
        "what's happening with {t}", "how's {t} looking", "check on {t} for me",
        "is {t} still running?", "give me a status update on {t}", "how are things with {t}",
        "progress of {t}?", "what state is {t} in", "{t}?", "sitrep {t}", "hows {t} coming along",
        "is {t} finished", "where's {t} at", "what percent done is {t}", "is {t} stuck?",
        "any progress on {t}", "quick update on {t}?", "how is {t} getting on",
    ], ANY),
    "logs": ([
        "show me the logs of {t}", "logs for {t}", "can I see {t}'s log", "{t} logs pls",
        "what is {t} printing", "give me the output of {t}", "tail the logs of {t}",
        "last log lines of {t}", "show the console output for {t}", "debug output for {t}",
        "paste the traceback of {t}", "pull up the logs for {t}", "stdout of {t}?",
        "let me see what {t} is logging",
    ], ANY),
    "why_failed": ([
        "why did {t} fail?", "what went wrong with {t}", "why is {t} red", "what broke in {t}",
        "why did {t} crash", "whats the error on {t}", "reason {t} failed?", "how come {t} died",
        "error details for {t}", "what's wrong with {t}", "why has {t} failed",
        "what was the problem with {t}",
    ], ["chn55", "chn55", "etl07", "inv01"]),
    "eta": ([
        "when will {t} be done?", "eta for {t}", "how long until {t} finishes", "eta {t}?",
        "how much longer for {t}", "when's {t} going to be ready", "how many steps left on {t}",
        "time remaining on {t}?", "when do we expect {t} to finish", "how soon will {t} be done",
        "will {t} finish before lunch", "roughly when is {t} done", "estimated finish for {t}",
    ], ACTIVE),
    "pause": ([
        "pause {t}", "please pause {t}", "can you pause {t}", "could you put {t} on hold",
        "hold {t} for a moment", "freeze {t}", "suspend {t}", "pause {t} pls",
        "put {t} on hold please", "I'd like {t} paused", "we need {t} paused asap",
        "pause {t} for now", "⏸ {t}", "could you suspend {t} for a bit", "pasue {t}",
        "would you pause {t} please", "{t}: pause it", "hey, pause {t}",
    ], ["inv01", "etl07", "bkp12", "den03"]),
    "resume": ([
        "resume {t}", "unpause {t}", "please resume {t}", "continue {t}", "carry on with {t}",
        "pick {t} back up", "get {t} going again", "▶️ {t}", "can you resume {t}",
        "let {t} continue", "unfreeze {t}", "resume {t} pls", "I'd like {t} to resume",
        "restart {t} where it left off", "ok resume {t} now", "rsume {t}",
    ], ["crm42"]),
    "cancel": ([
        "cancel {t}", "kill {t}", "abort {t}", "stop {t}", "please cancel {t}",
        "can you stop {t}", "call {t} off", "terminate {t}", "scrap {t}", "🛑 {t}",
        "we want {t} cancelled", "I need {t} stopped", "cancle {t}", "shut {t} down",
        "cancel {t} please, it's not needed", "pull the plug on {t}", "nuke {t}",
    ], ACTIVE),
    "restart": ([
        "restart {t}", "rerun {t}", "start {t} over", "cancel {t} and start over",
        "kill {t} and run it again", "🔄 {t}", "restart {t} from scratch", "relaunch {t}",
        "run {t} again from the beginning", "can you restart {t}", "I want {t} restarted",
        "restrat {t}", "do {t} over", "redo {t}",
    ], ANY),
    "retry_step": ([
        "retry the failed step of {t}", "retry {t}", "try {t}'s failed step again",
        "retry step 2 of {t}", "give the failed step of {t} another go", "rerun the step that failed in {t}",
        "retry the last step on {t}", "can you retry {t}", "🔁 {t}", "rety {t}",
    ], ["chn55"]),
    "skip_step": ([
        "skip the current step of {t}", "skip step 3 of {t}", "skip {t}'s current step",
        "jump over this step on {t}", "bypass the stuck step in {t}", "skip the next step of {t}",
        "please skip step 2 on {t}", "move past the current step of {t}", "⏭ {t}", "skp step 2 of {t}",
    ], ACTIVE),
    "approve": ([
        "approve {t}", "lgtm, approve {t}", "✅ {t}", "approve the step on {t}",
        "go ahead with {t}", "sign off {t}", "green light {t}", "approved, ship {t}",
        "👍 {t}", "yes approve {t}", "ok to proceed with {t}", "aprove {t}",
        "you can approve {t}", "accept {t}'s step",
    ], ["den03"]),
    "reject": ([
        "reject {t}", "reject {t} because the tests are flaky", "❌ {t}", "decline {t}",
        "👎 {t}", "deny {t}, it's not ready", "veto {t}", "don't approve {t}",
        "reject {t}: wrong version", "no go on {t}", "rejct {t}",
    ], ["den03"]),
    "subscribe": ([
        "notify me when {t} is done", "let me know when {t} finishes", "ping me when {t} completes",
        "keep me posted on {t}", "follow {t}", "subscribe to {t}", "tell me once {t} is done",
        "give me a shout when {t} is through", "watch {t} for me", "lmk when {t} finishes",
        "keep me updated on {t}", "send me updates about {t}",
    ], ACTIVE),
    "mute": ([
        "mute {t}", "mute {t} for 2 hours", "stop pinging me about {t}", "🔕 {t}",
        "silence {t}", "snooze {t} until tomorrow", "no more alerts for {t}",
        "mute {t} notifications", "stop the notifications for {t}", "shut up about {t}",
        "mute {t} for 30 mins", "turn off alerts for {t}", "don't notify me about {t}",
    ], ANY),
    "unmute": ([
        "unmute {t}", "turn notifications back on for {t}", "🔔 {t}", "unmute {t} please",
        "resume notifications for {t}", "re-enable alerts for {t}", "start pinging me about {t} again",
        "turn {t}'s alerts back on", "enable notifications for {t}", "unmte {t}",
    ], ANY),
    "who_approves": ([
        "who may approve {t}?", "who can approve {t}", "who's supposed to sign off {t}",
        "who needs to approve {t}", "who are the approvers of {t}", "whose approval does {t} need",
        "who is allowed to approve {t}", "can i approve {t}?", "am i allowed to approve {t}",
        "who signs off {t}",
    ], ["den03"]),
    "history": ([
        "what happened to {t}", "show the history of {t}", "history of {t}", "timeline of {t}",
        "who paused {t}?", "who cancelled {t}?", "did anyone restart {t}?", "what changed on {t}",
        "who approved {t}", "when was {t} paused", "has someone cancelled {t}",
        "activity log of {t}", "what's been done on {t}",
    ], ["inv01", "etl07", "den03", "crm42", "pay09", "bkp12"]),
}  # fmt: skip

# Added later, generated with a random stream of their own so the rows above stay as they were.
LINK_SLOTTED: dict[str, tuple[list[str], list[str]]] = {
    "open_link": ([
        "give me a link to {t}", "send me the link for {t}", "open {t} in the browser",
        "where can I see {t}", "link to {t} pls", "can I get my own link for {t}?", "url for {t}?",
        "open {t} in my browser", "I want to watch {t} in the browser", "dm me the link to {t}",
        "where do I follow {t} live", "progress view for {t}", "send me my link for {t}",
        "show me {t} on the web", "what's the url of {t}", "can you send me a link to {t}",
        "where can i watch {t}", "web page for {t}?", "open up {t}", "i need the link to {t}",
    ], ANY),
}  # fmt: skip

# Messages with no task slot: (text, intent, task, act, extra)
HAND: list[tuple[str, str, str | None, str]] = [
    # list_tasks
    ("what are my tasks", "list_tasks", None, "question"),
    ("list my jobs", "list_tasks", None, "command"),
    ("show me everything that's running", "list_tasks", None, "command"),
    ("which jobs are running right now?", "list_tasks", None, "question"),
    ("what am i following", "list_tasks", None, "question"),
    ("any failed tasks?", "list_tasks", None, "question"),
    ("show paused tasks", "list_tasks", None, "command"),
    ("what's running", "list_tasks", None, "question"),
    ("my tasks pls", "list_tasks", None, "command"),
    ("list tasks", "list_tasks", None, "command"),
    ("what jobs do i have", "list_tasks", None, "question"),
    ("anything running at the moment?", "list_tasks", None, "question"),
    ("show all my runs", "list_tasks", None, "command"),
    ("which tasks are pending", "list_tasks", None, "question"),
    ("what are you working on", "list_tasks", None, "question"),
    ("tasks?", "list_tasks", None, "question"),
    ("/tasks", "list_tasks", None, "command"),
    ("overview of all jobs", "list_tasks", None, "command"),
    ("what's on my list", "list_tasks", None, "question"),
    ("list completed tasks", "list_tasks", None, "command"),
    # help
    ("help", "help", None, "command"),
    ("help pls", "help", None, "command"),
    ("/help", "help", None, "command"),
    ("how do I use this bot?", "help", None, "question"),
    ("what commands are there", "help", None, "question"),
    ("i need help", "help", None, "statement"),
    ("how does this work", "help", None, "question"),
    ("what can I ask you", "help", None, "question"),
    ("instructions please", "help", None, "command"),
    ("hepl", "help", None, "command"),
    ("usage?", "help", None, "question"),
    ("show me the menu", "help", None, "command"),
    ("what's the difference between pause and cancel", "help", None, "question"),
    ("how do i talk to you", "help", None, "question"),
    # capabilities
    ("what can you do", "capabilities", None, "question"),
    ("what can you do for me?", "capabilities", None, "question"),
    ("what are you able to do", "capabilities", None, "question"),
    ("what are you capable of", "capabilities", None, "question"),
    ("what features do you have", "capabilities", None, "question"),
    ("what can this bot do", "capabilities", None, "question"),
    ("can you do anything else?", "capabilities", None, "question"),
    ("what kind of stuff can you do", "capabilities", None, "question"),
    ("what are you good for", "capabilities", None, "question"),
    ("what else can you do", "capabilities", None, "question"),
    ("list your capabilities", "capabilities", None, "command"),
    ("what can you help me with", "capabilities", None, "question"),
    # greeting / thanks
    ("hi", "greeting", None, "statement"), ("hello", "greeting", None, "statement"),
    ("hey", "greeting", None, "statement"), ("hey bot", "greeting", None, "statement"),
    ("good morning", "greeting", None, "statement"), ("yo", "greeting", None, "statement"),
    ("hiya", "greeting", None, "statement"), ("hello there 👋", "greeting", None, "statement"),
    ("morning all", "greeting", None, "statement"), ("sup", "greeting", None, "statement"),
    ("hey there", "greeting", None, "statement"), ("good afternoon", "greeting", None, "statement"),
    ("hi progress bot", "greeting", None, "statement"), ("howdy", "greeting", None, "statement"),
    ("thanks", "thanks", None, "statement"), ("thx", "thanks", None, "statement"),
    ("thank you!", "thanks", None, "statement"), ("ty", "thanks", None, "statement"),
    ("cheers", "thanks", None, "statement"), ("thanks a lot 🙏", "thanks", None, "statement"),
    ("great, thanks", "thanks", None, "statement"), ("thank u so much", "thanks", None, "statement"),
    ("perfect, ty", "thanks", None, "statement"), ("much appreciated", "thanks", None, "statement"),
    ("nice work", "thanks", None, "statement"), ("thanks, that helps 👍", "thanks", None, "statement"),
    ("tysm", "thanks", None, "statement"), ("ok thanks", "thanks", None, "statement"),
    # waiting_on_me
    ("is anything waiting on me?", "waiting_on_me", None, "question"),
    ("what needs my approval", "waiting_on_me", None, "question"),
    ("do i have pending approvals", "waiting_on_me", None, "question"),
    ("anything for me to approve?", "waiting_on_me", None, "question"),
    ("what's waiting for my sign off", "waiting_on_me", None, "question"),
    ("am i blocking anything?", "waiting_on_me", None, "question"),
    ("my approvals", "waiting_on_me", None, "command"),
    ("show my pending approvals", "waiting_on_me", None, "command"),
    ("is something waiting for me", "waiting_on_me", None, "question"),
    ("what needs my ok", "waiting_on_me", None, "question"),
    ("anything need me?", "waiting_on_me", None, "question"),
    ("what's pending on me", "waiting_on_me", None, "question"),
    ("any approvals for me today", "waiting_on_me", None, "question"),
    ("what should i approve", "waiting_on_me", None, "question"),
    # notify_channel
    ("send my updates by mail from now on", "notify_channel", None, "command"),
    ("only telegram please", "notify_channel", None, "command"),
    ("everywhere again", "notify_channel", None, "command"),
    ("send my notifications by email", "notify_channel", None, "command"),
    ("notify me on slack instead", "notify_channel", None, "command"),
    ("switch my alerts to telegram", "notify_channel", None, "command"),
    ("email only", "notify_channel", None, "command"),
    ("slack only from now on", "notify_channel", None, "command"),
    ("use all channels again", "notify_channel", None, "command"),
    ("i'd rather get updates by email", "notify_channel", None, "wish"),
    ("message me on telegram and slack", "notify_channel", None, "command"),
    ("stop using email for my notifications, slack is fine", "notify_channel", None, "command"),
    ("move my notifications over to slack", "notify_channel", None, "command"),
    ("ping me via telegram", "notify_channel", None, "command"),
    ("can you email me instead of slack", "notify_channel", None, "command"),
    ("all channels please", "notify_channel", None, "command"),
    ("send everything to my mail", "notify_channel", None, "command"),
    # notify_settings
    ("quiet hours 22:00-07:00", "notify_settings", None, "command"),
    ("set quiet hours from 10pm to 7am", "notify_settings", None, "command"),
    ("no quiet hours", "notify_settings", None, "command"),
    ("only notify me about failures", "notify_settings", None, "command"),
    ("only tell me about approvals and completions", "notify_settings", None, "command"),
    ("notify me about everything", "notify_settings", None, "command"),
    ("notification settings", "notify_settings", None, "command"),
    ("show my settings", "notify_settings", None, "command"),
    ("/settings", "notify_settings", None, "command"),
    ("change my preferences", "notify_settings", None, "command"),
    ("quiet time after 9pm pls", "notify_settings", None, "command"),
    ("what are my notification preferences?", "notify_settings", None, "question"),
    ("only ping me when something fails", "notify_settings", None, "command"),
    ("tell me about everything again", "notify_settings", None, "command"),
    ("turn off quiet hours", "notify_settings", None, "command"),
    ("i only want failure alerts", "notify_settings", None, "wish"),
    ("no notifications on weekends", "notify_settings", None, "command"),
    # mute / unmute without a task
    ("mute", "mute", None, "command"), ("🔕", "mute", None, "command"),
    ("dnd for an hour", "mute", None, "command"), ("leave me alone for a bit", "mute", None, "command"),
    ("do not disturb until 9am", "mute", None, "command"), ("snooze everything", "mute", None, "command"),
    ("unmute", "unmute", None, "command"), ("🔔", "unmute", None, "command"),
    ("turn notifications back on", "unmute", None, "command"),
    ("turn my notifications back on please", "unmute", None, "command"),
    ("unsnooze", "unmute", None, "command"), ("notifs back on pls", "unmute", None, "command"),
    # bare intents (resolved by state or ambiguous)
    ("approve", "approve", "den03", "command"), ("approved", "approve", "den03", "command"),
    ("lgtm", "approve", "den03", "command"), ("✅", "approve", "den03", "command"),
    ("👍", "approve", "den03", "command"), ("ship it", "approve", "den03", "command"),
    ("reject", "reject", "den03", "command"), ("❌", "reject", "den03", "command"),
    ("👎", "reject", "den03", "command"), ("reject: too risky", "reject", "den03", "command"),
    ("resume", "resume", "crm42", "command"), ("▶", "resume", "crm42", "command"),
    ("unpause", "resume", "crm42", "command"), ("keep going", "resume", "crm42", "command"),
    ("why did it fail?", "why_failed", "chn55", "question"),
    ("what went wrong?", "why_failed", "chn55", "question"),
    ("retry", "retry_step", "chn55", "command"), ("retry step 2", "retry_step", "chn55", "command"),
    ("try the failed step again", "retry_step", "chn55", "command"),
    ("pause", "pause", None, "command"), ("⏸", "pause", None, "command"),
    ("cancel", "cancel", None, "command"), ("stop it", "cancel", None, "command"),
    ("progress?", "status", None, "question"), ("status", "status", None, "command"),
    ("how's it going?", "status", None, "question"), ("eta?", "eta", None, "question"),
    ("how long left", "eta", None, "question"), ("logs?", "logs", None, "question"),
    ("skip step 3", "skip_step", None, "command"), ("skip this step", "skip_step", None, "command"),
    ("cancel all my tasks", "cancel", None, "command"),
    ("pause everything", "pause", None, "command"),
    ("restart", "restart", None, "command"), ("start over", "restart", None, "command"),
    # unknown
    ("what's the weather", "unknown", None, "question"), ("tell me a joke", "unknown", None, "command"),
    ("order pizza", "unknown", None, "command"), ("lol", "unknown", None, "statement"),
    ("asdf", "unknown", None, "statement"), ("🤷", "unknown", None, "statement"),
    ("who won the match", "unknown", None, "question"), ("book a room for 3pm", "unknown", None, "command"),
    ("what time is it in tokyo", "unknown", None, "question"), ("play some jazz", "unknown", None, "command"),
    ("send an email to bob", "unknown", None, "command"), ("translate hello to german", "unknown", None, "command"),
    ("hmm", "unknown", None, "statement"), ("ok", "unknown", None, "statement"),
    ("what's for dinner", "unknown", None, "question"), ("buy milk", "unknown", None, "command"),
    ("yeet the etl", "unknown", None, "command"), ("frobnicate the crm", "unknown", None, "command"),
    ("paint the dental app green", "unknown", None, "command"),
    ("rename the invoices sync", "unknown", None, "command"),
    ("delete my account", "unknown", None, "command"), ("where is the kitchen", "unknown", None, "question"),
    ("is it raining", "unknown", None, "question"), ("set an alarm for 7", "unknown", None, "command"),
    ("wrap the backups in a bow", "unknown", None, "command"),
    ("the printer is jammed", "unknown", None, "statement"),
    ("who is the ceo", "unknown", None, "question"), ("/dance", "unknown", None, "command"),
    ("abc def ghi", "unknown", None, "statement"), ("?", "unknown", None, "statement"),
    ("I like trains", "unknown", None, "statement"), ("what's 2+2", "unknown", None, "question"),
]  # fmt: skip

# More hand-written messages about the tasks, in people's own words.
HAND_TASKS: list[tuple[str, str, str | None, str]] = [
    ("morning, is the invoices sync still chugging along?", "status", "inv01", "question"),
    ("did the etl make it through the night", "status", "etl07", "question"),
    ("is the dental app waiting on someone?", "status", "den03", "question"),
    ("how's alice doing with the crm", "status", "crm42", "question"),
    ("any movement on the backups", "status", "bkp12", "question"),
    ("is carol's backup thing started", "status", "bkp12", "question"),
    ("where did we get to with the churn model", "status", "chn55", "question"),
    ("is payroll done?", "status", "pay09", "question"),
    ("quick q - how's the etl", "status", "etl07", "question"),
    ("how's the sync, any issues?", "status", "inv01", "question"),
    ("status update on the crm please 🙏", "status", "crm42", "command"),
    ("what stage is the dental app at", "status", "den03", "question"),
    ("is the pipeline on track?", "status", "etl07", "question"),
    ("how's it going with the invoices", "status", "inv01", "question"),
    ("still waiting on the etl, any news", "status", "etl07", "question"),
    ("what's the invoices job up to", "status", "inv01", "question"),
    ("is the crm paused?", "status", "crm42", "question"),
    ("has the dental app been approved yet", "status", "den03", "question"),
    ("was the payroll export successful", "status", "pay09", "question"),
    ("is the etl still on hold", "status", "etl07", "question"),
    ("dump the last 50 lines of the etl log", "logs", "etl07", "command"),
    ("what did the invoices sync print last", "logs", "inv01", "question"),
    ("can i get the raw output from the churn training", "logs", "chn55", "question"),
    ("show me what the backups job is logging", "logs", "bkp12", "command"),
    ("tail -f the etl", "logs", "etl07", "command"),
    ("why did churn blow up", "why_failed", "chn55", "question"),
    ("what killed the churn training", "why_failed", "chn55", "question"),
    ("the churn model failed again, why", "why_failed", "chn55", "question"),
    ("what's the stack trace telling us about churn", "logs", "chn55", "question"),
    ("why's the churn job red", "why_failed", "chn55", "question"),
    ("how much time does the etl have left", "eta", "etl07", "question"),
    ("is the invoices sync gonna be done by 5?", "eta", "inv01", "question"),
    ("when can i expect the backups to finish", "eta", "bkp12", "question"),
    ("roughly how long for the crm once resumed", "eta", "crm42", "question"),
    ("will the etl be ready for the 9am report", "eta", "etl07", "question"),
    ("eta pls", "eta", None, "command"),
    ("hold the etl for a sec, db maintenance", "pause", "etl07", "command"),
    ("can we pause the invoices sync until finance confirms", "pause", "inv01", "command"),
    ("put the backups on ice for now", "pause", "bkp12", "command"),
    ("pause alice's invoices job please", "pause", "inv01", "command"),
    ("stop the etl for a moment, don't cancel it, just pause", "pause", "etl07", "command"),
    ("ok you can unpause the crm now", "resume", "crm42", "command"),
    ("the db is back, resume the crm", "resume", "crm42", "command"),
    ("let the crm carry on", "resume", "crm42", "command"),
    ("kick the crm off again where it stopped", "resume", "crm42", "command"),
    ("kill the backups job, it's hammering the disk", "cancel", "bkp12", "command"),
    ("we don't need the invoices sync anymore, cancel it", "cancel", "inv01", "command"),
    ("abort abort, stop the etl", "cancel", "etl07", "command"),
    ("please stop the invoices sync, wrong month", "cancel", "inv01", "command"),
    ("cancel the dental app run", "cancel", "den03", "command"),
    ("rerun the payroll export with the fixed rates", "restart", "pay09", "command"),
    ("run the churn training again from the top", "restart", "chn55", "command"),
    ("start the billing migration over", "restart", "mig77", "command"),
    ("can you kick off the etl again from scratch", "restart", "etl07", "command"),
    ("give the churn model another go from the start", "restart", "chn55", "command"),
    ("retry the train model step", "retry_step", "chn55", "command"),
    ("have another go at the step that failed on churn", "retry_step", "chn55", "command"),
    ("retry the evaluate step on the churn model", "retry_step", "chn55", "command"),
    ("skip the dedupe step on the crm", "skip_step", "crm42", "command"),
    ("we don't need the copy offsite step, skip it", "skip_step", "bkp12", "command"),
    ("skip the ui tests on the dental app", "skip_step", "den03", "command"),
    ("jump over the transform step of the etl", "skip_step", "etl07", "command"),
    ("approve the build apk step", "approve", "den03", "command"),
    ("yep looks good, approve the dental app", "approve", "den03", "command"),
    ("go ahead and publish the dental app", "approve", "den03", "command"),
    ("I approve the dental release", "approve", "den03", "command"),
    ("reject the dental app, the icons are wrong", "reject", "den03", "command"),
    ("nope, reject that approval", "reject", "den03", "command"),
    ("decline the dental app because qa isn't done", "reject", "den03", "command"),
    ("keep me in the loop on the etl", "subscribe", "etl07", "command"),
    ("tell me when the backups are through", "subscribe", "bkp12", "command"),
    ("i want to follow the invoices sync", "subscribe", "inv01", "wish"),
    ("ping me if the etl fails", "subscribe", "etl07", "command"),
    ("shh about the etl", "mute", "etl07", "command"),
    ("too many pings from the invoices sync, mute it", "mute", "inv01", "command"),
    ("mute the backups till monday", "mute", "bkp12", "command"),
    ("i don't want notifications about the crm anymore", "mute", "crm42", "statement"),
    ("you can notify me about the etl again", "unmute", "etl07", "command"),
    ("unmute the invoices job please", "unmute", "inv01", "command"),
    ("bring back the etl alerts", "unmute", "etl07", "command"),
    ("who's the approver for the dental app", "who_approves", "den03", "question"),
    ("who has to okay the dental app", "who_approves", "den03", "question"),
    ("who do i ask to approve the dental app", "who_approves", "den03", "question"),
    ("what's the story with the payroll export", "history", "pay09", "question"),
    ("what happened with the billing migration", "history", "mig77", "question"),
    ("who killed the billing migration", "history", "mig77", "report"),
    ("show me the audit trail of the crm", "history", "crm42", "command"),
    ("what has happened on the etl today", "history", "etl07", "question"),
    ("when was the crm paused", "history", "crm42", "report"),
    ("anyone touched the crm today?", "history", "crm42", "question"),
    # dev batches, written to find what the rules missed, then folded in
    ("etl??", "status", "etl07", "question"),
    ("sync status", "status", "inv01", "command"),
    ("how goes the crm", "status", "crm42", "command"),
    ("what's the etl doing", "logs", "etl07", "command"),
    ("is everything ok with the backups", "status", "bkp12", "command"),
    ("all good with the dental app?", "status", "den03", "question"),
    ("the invoices sync - any problems?", "status", "inv01", "question"),
    ("has the etl finished yet or what", "status", "etl07", "command"),
    ("show me the crm", "status", "crm42", "command"),
    ("tell me about the etl", "status", "etl07", "command"),
    ("details on the churn failure", "why_failed", "chn55", "command"),
    ("what caused the churn failure", "why_failed", "chn55", "command"),
    ("how close is the etl to done", "eta", "etl07", "command"),
    ("nearly done with the invoices?", "eta", "inv01", "question"),
    ("expected completion of the backups", "eta", "bkp12", "command"),
    ("pls hold the sync", "pause", "inv01", "command"),
    ("⏸️ pls", "pause", None, "command"),
    ("pause the etl thx", "pause", "etl07", "command"),
    ("resume the crm 🙏", "resume", "crm42", "command"),
    ("go on with the crm", "resume", "crm42", "command"),
    ("crm: resume", "resume", "crm42", "command"),
    ("cancel backups", "cancel", "bkp12", "command"),
    ("etl - cancel it", "cancel", "etl07", "command"),
    ("shut down the invoices sync", "cancel", "inv01", "command"),
    ("start over with the etl", "restart", "etl07", "command"),
    ("re-try step 2", "retry_step", "chn55", "command"),
    ("lgtm 👍", "approve", "den03", "command"),
    ("approve pls", "approve", "den03", "command"),
    ("nope ❌", "reject", "den03", "command"),
    ("reject - missing tests", "reject", "den03", "command"),
    ("settings", "notify_settings", None, "command"),
    ("telegram pls", "notify_channel", None, "command"),
    ("via email", "notify_channel", None, "command"),
    ("who approves?", "who_approves", "den03", "question"),
    ("anything 4 me?", "waiting_on_me", None, "question"),
    ("?", "unknown", None, "question"),
    ("what can u do", "capabilities", None, "command"),
    ("hey 👋", "greeting", None, "command"),
    ("ty!!", "thanks", None, "command"),
    ("yo how's the invoicing going", "status", "inv01", "command"),
    ("what's the state of play on the etl", "status", "etl07", "command"),
    ("is the dental thing live yet", "status", "den03", "command"),
    ("how many steps has the crm done", "status", "crm42", "command"),
    ("are the backups running", "status", "bkp12", "command"),
    ("percent complete for the invoices sync?", "status", "inv01", "question"),
    ("did payroll go through ok", "status", "pay09", "command"),
    ("can u check the etl", "status", "etl07", "command"),
    ("pull the logs for churn", "logs", "chn55", "command"),
    ("last 20 lines of the sync log pls", "logs", "inv01", "command"),
    ("where did churn blow up", "why_failed", "chn55", "command"),
    ("what error did the churn job throw", "why_failed", "chn55", "command"),
    ("how long will the backups take", "eta", "bkp12", "command"),
    ("any idea when the etl wraps up?", "eta", "etl07", "question"),
    ("pause the syncing pls", "pause", "inv01", "command"),
    ("take a break on the etl", "pause", "etl07", "command"),
    ("put a hold on the backups", "pause", "bkp12", "command"),
    ("resume where the crm stopped", "resume", "crm42", "command"),
    ("let's get the crm moving again", "resume", "crm42", "command"),
    ("bin the backups job", "cancel", "bkp12", "command"),
    ("stop everything on the etl", "cancel", "etl07", "command"),
    ("redo the churn training", "restart", "chn55", "command"),
    ("rerun churn from zero", "restart", "chn55", "command"),
    ("give the failed step another shot", "retry_step", "chn55", "command"),
    ("skip over the transform step", "skip_step", "etl07", "command"),
    ("ok ship the dental app", "approve", "den03", "command"),
    ("thumbs up on the dental app", "approve", "den03", "command"),
    ("thumbs down, the dental app isn't ready", "reject", "den03", "command"),
    ("send it back, reject the dental app", "reject", "den03", "command"),
    ("let me know if anything breaks on the etl", "subscribe", "etl07", "command"),
    ("I'd like updates on the crm", "subscribe", "crm42", "command"),
    ("silence the etl until 8am", "mute", "etl07", "command"),
    ("stop bugging me about the backups", "mute", "bkp12", "command"),
    ("ok you can ping me about the backups again", "unmute", "bkp12", "command"),
    ("email please from now on", "notify_channel", None, "command"),
    ("can i get these on telegram instead", "notify_channel", None, "command"),
    ("mute between 10pm and 7am every day", "notify_settings", None, "command"),
    ("who approves the dental app", "who_approves", "den03", "command"),
    ("whats waiting on me", "waiting_on_me", None, "command"),
    ("how do you work", "help", None, "command"),
    ("what r u capable of", "capabilities", None, "command"),
    ("activity on the etl today?", "history", "etl07", "question"),
    ("good evening", "greeting", None, "command"),
    ("cheers for that", "thanks", None, "command"),
    ("do a barrel roll", "unknown", None, "command"),
    ("the clinic one - how's it doing?", "status", "den03", "question"),
    ("that invoices thing, is it done", "status", "inv01", "command"),
    ("status: nightly backups", "status", "bkp12", "command"),
    ("Invoices Sync — progress?", "status", "inv01", "question"),
    ("is alice's stuff finished", "status", None, "command"),
    ("how're the backups", "status", "bkp12", "command"),
    ("hows the store one", "status", "crm42", "command"),
    ("what about billing?", "status", "mig77", "question"),
    ("logs from the warehouse load step", "logs", "etl07", "command"),
    ("show output for the dedupe step", "logs", "crm42", "command"),
    ("why did the train model step fail", "why_failed", "chn55", "command"),
    ("pause the one that does the offsite copy", "pause", "bkp12", "command"),
    ("pause whatever is building the apk", "pause", "den03", "command"),
    ("cancel carol's backups", "cancel", "bkp12", "command"),
    ("restart alice's sync", "restart", "inv01", "command"),
    ("pause the ETL pls!!", "pause", "etl07", "command"),
    ("PAUSE ETL NOW", "pause", "etl07", "command"),
    ("paus the invoces sync", "pause", "inv01", "command"),
    ("resum crm", "resume", "crm42", "command"),
    ("cancell the backup pls", "cancel", "bkp12", "command"),
    ("approve dental", "approve", "den03", "command"),
    ("the dental app is good to go", "approve", "den03", "command"),
    ("mute etl 1h", "mute", "etl07", "command"),
    ("🔕 invoices 2h", "mute", "inv01", "command"),
    ("when is the clinic app done", "eta", "den03", "command"),
    ("eta for bob's pipeline", "eta", "etl07", "command"),
    ("how long for the model training", "eta", "chn55", "command"),
    ("what happened to billing", "history", "mig77", "command"),
    ("retry churn", "retry_step", "chn55", "command"),
    ("skip dedupe on the crm", "skip_step", "crm42", "command"),
    ("stop the pipeline please", "cancel", "etl07", "command"),
    ("unmute invoices", "unmute", "inv01", "command"),
    ("follow the dental app", "subscribe", "den03", "command"),
    ("status of my backups", "status", "bkp12", "command"),
    ("logs of the migration", "logs", "mig77", "command"),
    ("is the etl or the sync further along", "status", None, "command"),
    ("can someone explain why churn broke", "why_failed", "chn55", "command"),
    ("pause both the etl and the sync", "pause", None, "command"),
    ("restart the clinic app build", "restart", "den03", "command"),
    ("hey, is the etl going to make it before standup?", "eta", "etl07", "question"),
    ("whats up with the invoices", "status", "inv01", "command"),
    ("crm still paused?", "status", "crm42", "question"),
    ("how's the dental app release looking", "status", "den03", "command"),
    ("any chance the backups started already", "status", "bkp12", "command"),
    ("how much of the etl is done", "status", "etl07", "command"),
    ("status report on everything pls", "status", None, "command"),
    ("what's the hold up with the dental app", "status", "den03", "command"),
    ("can you get me the etl logs", "logs", "etl07", "command"),
    ("i'd like to see the output of the invoices sync", "logs", "inv01", "command"),
    ("show me what went on in the churn run", "logs", "chn55", "command"),
    ("churn failed?? why", "why_failed", "chn55", "question"),
    ("what's the failure about on the churn model", "why_failed", "chn55", "command"),
    ("when does the invoices sync wrap up", "eta", "inv01", "command"),
    ("how long do the backups usually take", "eta", "bkp12", "command"),
    ("time left on the etl?", "eta", "etl07", "question"),
    ("put the invoices sync on pause", "pause", "inv01", "command"),
    ("can the etl wait a bit? pause it", "pause", "etl07", "question"),
    ("halt the backups for now, not cancel, just halt", "pause", "bkp12", "command"),
    ("crm can continue now", "resume", "crm42", "command"),
    ("go ahead and resume the crm", "resume", "crm42", "command"),
    ("unpause pls", "resume", "crm42", "command"),
    ("get rid of the backups job", "cancel", "bkp12", "command"),
    ("terminate the invoices job please", "cancel", "inv01", "command"),
    ("re-run the etl", "restart", "etl07", "command"),
    ("start the churn training again", "restart", "chn55", "command"),
    ("try the churn model again", "retry_step", "chn55", "command"),
    ("skip that step on the etl", "skip_step", "etl07", "command"),
    ("leave out the ui tests step on the dental app", "skip_step", "den03", "command"),
    ("ok approve", "approve", "den03", "command"),
    ("yes, go ahead with the dental app", "approve", "den03", "command"),
    ("tell me when the backups finish", "subscribe", "bkp12", "command"),
    ("alert me if the etl breaks", "subscribe", "etl07", "command"),
    ("keep an eye on the invoices sync for me", "subscribe", "inv01", "command"),
    ("quiet please, mute the etl", "mute", "etl07", "command"),
    ("stop messaging me about the backups", "mute", "bkp12", "command"),
    ("enough notifications about the invoices for today", "mute", "inv01", "command"),
    ("notifications on again for the etl", "unmute", "etl07", "command"),
    ("switch the etl notifications back on", "unmute", "etl07", "command"),
    ("quiet hours 23-7 please", "notify_settings", None, "command"),
    ("only failures from now on", "notify_settings", None, "command"),
    ("send my stuff to telegram", "notify_channel", None, "command"),
    ("use email for my updates", "notify_channel", None, "command"),
    ("who can sign this off", "who_approves", "den03", "command"),
    ("who's the approver", "who_approves", "den03", "command"),
    ("anything need my approval?", "waiting_on_me", None, "question"),
    ("do i need to approve anything", "waiting_on_me", None, "command"),
    ("what do you do", "help", None, "command"),
    ("what are your powers", "capabilities", None, "command"),
    ("what's the history on the payroll export", "history", "pay09", "command"),
    ("what's the weather like", "unknown", None, "command"),
    ("lunch?", "unknown", None, "question"),
    ("merge the etl into the invoices sync", "unknown", None, "command"),
]
MORE_TRAPS: list[tuple[str, str, str | None, str]] = [
    ("the crm got paused by alice", "history", "crm42", "report"),
    ("bob cancelled the billing migration last week", "history", "mig77", "report"),
    ("i think someone restarted the etl", "history", "etl07", "report"),
    ("should the dental app be approved?", "approve", "den03", "question"),
    ("is pausing safe for the etl?", "pause", "etl07", "question"),
    ("could cancelling the backups corrupt anything?", "cancel", "bkp12", "question"),
    ("is it a good idea to restart the churn training", "restart", "chn55", "question"),
    ("how would i skip a step", "skip_step", None, "question"),
    ("what does mute do", "mute", None, "question"),
    ("does reject notify the owner?", "reject", None, "question"),
    ("don't stop the etl whatever you do", "cancel", "etl07", "negation"),
    ("i'm not sure we should cancel the backups", "cancel", "bkp12", "negation"),
    ("no, don't resume the crm", "resume", "crm42", "negation"),
    ("keep the etl running, don't touch it", "cancel", "etl07", "negation"),
    ("not pausing the invoices sync, just checking", "pause", "inv01", "negation"),
    ("restarting won't fix the churn model", "restart", "chn55", "negation"),
    ("if the etl fails again, would a retry help?", "retry_step", "etl07", "hypothetical"),
    ("what if i muted the invoices sync", "mute", "inv01", "hypothetical"),
    ("can i change my quiet hours?", "notify_settings", None, "question"),
    ("what happens if i turn on quiet hours", "notify_settings", None, "hypothetical"),
    ("don't change my notification settings", "notify_settings", None, "negation"),
    ("how do i set quiet hours", "notify_settings", None, "question"),
    ("would quiet hours hide failures too?", "notify_settings", None, "question"),
    ("who changed my notification settings?", "history", None, "report"),
    ("please don't skip the ui tests on the dental app", "skip_step", "den03", "negation"),
    ("never approve the dental app without qa", "approve", "den03", "negation"),
    ("carol rejected the dental app yesterday", "history", "den03", "report"),
    ("has the dental app been rejected before?", "history", "den03", "report"),
    ("pause my netflix", "pause", None, "command"),
    ("restart the vpn", "restart", None, "command"),
    ("cancel the pizza order", "cancel", None, "command"),
    ("approve the invoice from acme corp", "approve", None, "command"),
    ("skip this song", "skip_step", None, "command"),
    ("mute the zoom call", "mute", None, "command"),
    ("who stopped the crm", "history", "crm42", "command"),
    ("can i resume the crm myself?", "resume", "crm42", "question"),
    ("is it ok to cancel the backups?", "cancel", "bkp12", "question"),
    ("would it be bad to kill the etl now", "cancel", "etl07", "command"),
    ("don't you dare restart the etl", "restart", "etl07", "command"),
    ("we are not pausing the invoices sync", "pause", "inv01", "command"),
    (
        "if we skip the dedupe step on the crm will we get duplicates",
        "skip_step",
        "crm42",
        "command",
    ),
    ("the etl was restarted twice today", "history", "etl07", "command"),
    ("approve my timesheet", "approve", None, "command"),
    ("cancel my flight", "cancel", None, "command"),
    ("mute my phone", "mute", None, "command"),
    ("is approving the dental app the same as publishing?", "approve", "den03", "question"),
    ("dont approve yet", "reject", "den03", "command"),
    ("pause? no, leave it", "pause", None, "question"),
    ("why would anyone cancel the invoices sync", "cancel", "inv01", "command"),
    ("I wonder if we should pause the etl", "pause", "etl07", "hypothetical"),
    ("not sure whether to restart the invoices sync", "restart", "inv01", "hypothetical"),
    ("pausing the etl would be a mistake", "pause", "etl07", "negation"),
    ("the pause button is broken", "pause", None, "statement"),
    ("I was about to cancel the backups", "history", "bkp12", "report"),
    ("bob wants to cancel the etl", "history", "etl07", "report"),
    ("you cancelled the wrong one!", "unknown", None, "correction"),
    ("the etl paused itself", "history", "etl07", "report"),
    ("I will restart the etl myself later", "history", "etl07", "report"),
    ("don't forget to pause the etl tonight", "pause", "etl07", "negation"),
    ("is there a cancel option for the invoices sync?", "cancel", "inv01", "question"),
    ("what would skipping the dedupe step on the crm do", "skip_step", "crm42", "question"),
    ("i paused the crm this morning", "history", "crm42", "report"),
    ("restart? nah", "restart", None, "negation"),
    ("cancel?", "cancel", None, "question"),
    ("don't", "unknown", None, "command"),
    ("approve what?", "approve", "den03", "question"),
    ("is cancelling the etl reversible", "cancel", "etl07", "command"),
    ("hold on, don't restart anything yet", "restart", None, "command"),
    ("what's the worst that happens if we kill the etl", "cancel", "etl07", "command"),
    ("i'd never skip steps on the dental app", "skip_step", "den03", "command"),
    ("who gave the ok to restart the sync", "history", "inv01", "command"),
    ("the crm was resumed by dave", "history", "crm42", "command"),
    ("can i mute just the etl?", "mute", "etl07", "question"),
    ("pause the server", "pause", None, "command"),
    ("cancel the etl?", "cancel", "etl07", "question"),
    ("approve?", "approve", "den03", "question"),
    ("why's billing cancelled", "history", "mig77", "command"),
    ("might pause the etl later", "pause", "etl07", "command"),
    ("gonna cancel the backups myself", "history", "bkp12", "command"),
    ("should've paused the sync earlier", "pause", "inv01", "command"),
    ("no cancelling anything today please", "cancel", None, "command"),
    ("who on earth restarted the etl", "history", "etl07", "command"),
    ("hmm, maybe restart the etl?", "restart", "etl07", "question"),
    ("is the approve button working?", "approve", None, "question"),
    ("restart is not an option for the crm", "restart", "crm42", "command"),
]

# Dev batch 5 (measured before folding in: intent 85.5 %, task 95.8 %, 3 dangerous of 46 traps):
# very short, typos, emoji only, multi-clause, polite and indirect, non-native, Slack-isms,
# statements that ask, owner/step/kind references, sarcasm. Extras: trap and context fields.
T: dict[str, Any] = {"trap": True}
DEV_BATCH5: list[tuple[Any, ...]] = [
    # very short / lowercase / no punctuation
    ("etl status", "status", "etl07", "command"),
    ("crm", "status", "crm42", "statement"),
    ("backups eta", "eta", "bkp12", "command"),
    ("churn logs", "logs", "chn55", "command"),
    ("churn why", "why_failed", "chn55", "question"),
    ("pause etl", "pause", "etl07", "command"),
    ("kill sync", "cancel", "inv01", "command"),
    ("resume crm pls", "resume", "crm42", "command"),
    ("retry churn pls", "retry_step", "chn55", "command"),
    ("mute backups", "mute", "bkp12", "command"),
    ("unmute etl", "unmute", "etl07", "command"),
    ("my tasks", "list_tasks", None, "command"),
    ("running?", "list_tasks", None, "question"),
    ("whats running rn", "list_tasks", None, "question"),
    ("eta", "eta", None, "command"),
    ("logs", "logs", None, "command"),
    ("status pls", "status", None, "command"),
    ("k thx", "thanks", None, "statement"),
    ("thnx", "thanks", None, "statement"),
    ("gm", "greeting", None, "statement"),
    ("hello bot", "greeting", None, "statement"),
    # typos
    ("staus of the etl", "status", "etl07", "command"),
    ("whats the eta on teh backups", "eta", "bkp12", "question"),
    ("shwo me the logs for churn", "logs", "chn55", "command"),
    ("puase the invoices sync", "pause", "inv01", "command"),
    ("cancle the backups plz", "cancel", "bkp12", "command"),
    ("aprove dental app", "approve", "den03", "command"),
    ("rejcet the dental app", "reject", "den03", "command"),
    ("retsart the payroll export", "restart", "pay09", "command"),
    ("notfy me when the etl is done", "subscribe", "etl07", "command"),
    ("why did the chrun model fail", "why_failed", "chn55", "question"),
    # emoji only / emoji heavy
    ("👋", "greeting", None, "statement"),
    ("🙏🙏", "thanks", None, "statement"),
    ("⏸️ etl", "pause", "etl07", "command"),
    ("▶️ crm", "resume", "crm42", "command"),
    ("👍 dental", "approve", "den03", "command"),
    ("etl ❓", "status", "etl07", "question"),
    # multi-clause
    ("the etl is taking forever, how much longer?", "eta", "etl07", "question"),
    ("finance asked about invoices, is it done yet", "status", "inv01", "question"),
    ("churn died overnight, can you show me the logs", "logs", "chn55", "question"),
    ("db migration is finished so the crm can resume", "resume", "crm42", "command"),
    ("disk is almost full, pause the backups until i clear space", "pause", "bkp12", "command"),
    ("qa signed off on their side, so approve the dental app", "approve", "den03", "command"),
    ("the icons are still broken so reject the dental app", "reject", "den03", "command"),
    ("i'm heading out, ping me when the etl finishes", "subscribe", "etl07", "command"),
    # polite / indirect
    ("would you mind pausing the etl", "pause", "etl07", "command"),
    ("could you be so kind as to resume the crm", "resume", "crm42", "command"),
    ("if you could cancel the backups that'd be great", "cancel", "bkp12", "command"),
    ("i'd appreciate it if you restarted the churn training", "restart", "chn55", "command"),
    ("mind showing me the etl logs?", "logs", "etl07", "question"),
    ("any chance you could tell me when the sync will finish", "eta", "inv01", "question"),
    ("do you know how the dental app is doing", "status", "den03", "question"),
    ("wondering how the etl is going", "status", "etl07", "statement"),
    ("just checking in on the backups", "status", "bkp12", "statement"),
    ("i'd love an update on the invoices", "status", "inv01", "wish"),
    # non-native English
    ("please to pause the etl", "pause", "etl07", "command"),
    ("the crm, you can continue it now please", "resume", "crm42", "command"),
    ("how much time until etl is finish", "eta", "etl07", "question"),
    ("why the churn is failed?", "why_failed", "chn55", "question"),
    ("give me log of backups", "logs", "bkp12", "command"),
    ("i want that you stop the invoices sync", "cancel", "inv01", "wish"),
    ("what is status for dental app", "status", "den03", "question"),
    ("is possible to know when backups finish?", "eta", "bkp12", "question"),
    # slack-isms and @bot
    ("@progressbot status etl", "status", "etl07", "command"),
    ("@bot pause the sync", "pause", "inv01", "command"),
    ("<@U0BOT42> eta backups?", "eta", "bkp12", "question"),
    ("@ProgressBot can u resume the crm", "resume", "crm42", "command"),
    ("+1 approve dental", "approve", "den03", "command"),
    ("ack, thanks", "thanks", None, "statement"),
    ("ty bot 🙌", "thanks", None, "statement"),
    ("fyi the etl looks slow, whats the eta", "eta", "etl07", "question"),
    ("lmk once the backups are done", "subscribe", "bkp12", "command"),
    # questions phrased as statements
    ("i wonder how far along the etl is", "status", "etl07", "statement"),
    ("not sure whats going on with the invoices sync", "status", "inv01", "statement"),
    ("need the eta for the backups", "eta", "bkp12", "statement"),
    ("curious why churn failed", "why_failed", "chn55", "statement"),
    ("tell me whats pending on me", "waiting_on_me", None, "command"),
    # references by owner / step / kind
    ("how's bob's pipeline", "status", "etl07", "question"),
    ("pause carol's backups", "pause", "bkp12", "command"),
    ("eta for the migration", "eta", "mig77", "command"),
    ("logs for the training", "logs", "chn55", "command"),
    ("status of the export", "status", "pay09", "command"),
    ("how's the app", "status", "den03", "question"),
    ("how far is the one doing the dedupe", "status", "crm42", "question"),
    ("skip the snapshot db step", "skip_step", "bkp12", "command"),
    ("retry the evaluate step", "retry_step", "chn55", "command"),
    ("pause the one copying offsite", "pause", "bkp12", "command"),
    ("what's alice's sync up to", "status", "inv01", "question"),
    # settings / channel / misc
    ("dm me on telegram from now on", "notify_channel", None, "command"),
    ("stop emailing me, slack is enough", "notify_channel", None, "command"),
    ("no pings after 8pm", "notify_settings", None, "command"),
    ("only bug me if something breaks", "notify_settings", None, "command"),
    ("what can i do here", "help", None, "question"),
    ("commands?", "help", None, "question"),
    ("what do you support", "help", None, "question"),
    ("anything i need to sign off?", "waiting_on_me", None, "question"),
    ("who signs off the dental app", "who_approves", "den03", "question"),
    ("who's on the hook to approve the app", "who_approves", "den03", "question"),
    ("what happened with payroll", "history", "pay09", "question"),
    ("who touched the etl last", "history", "etl07", "question"),
    # traps: questions
    ("can we pause the etl without losing data?", "pause", "etl07", "question", T),
    ("is it ok if i cancel the invoices sync", "cancel", "inv01", "question", T),
    ("should we just restart churn?", "restart", "chn55", "question", T),
    ("would approving the dental app publish it right away?", "approve", "den03", "question", T),
    ("does skipping a step mark it as done", "skip_step", None, "question", T),
    ("how do i mute just one task", "mute", None, "question", T),
    ("can bob resume the crm or only alice", "resume", "crm42", "question", T),
    ("anyone know if cancelling the backups is safe", "cancel", "bkp12", "question", T),
    ("pause the etl or not? thoughts", "pause", "etl07", "question", T),
    ("do we really want to kill the sync", "cancel", "inv01", "question", T),
    # traps: hypotheticals
    ("if the etl is still running at 9 we might have to cancel it", "cancel", "etl07", "hypothetical", T),
    ("in theory we could restart the churn training tonight", "restart", "chn55", "hypothetical", T),
    ("say we paused the backups, would the snapshot break", "pause", "bkp12", "hypothetical", T),
    ("worst case we reject the dental app and redo it", "reject", "den03", "hypothetical", T),
    ("we may need to skip the dedupe step later", "skip_step", "crm42", "hypothetical", T),
    ("probably gonna have to restart the etl at some point", "restart", "etl07", "hypothetical", T),
    # traps: negations
    ("pls dont pause the etl", "pause", "etl07", "negation", T),
    ("do NOT cancel the invoices sync", "cancel", "inv01", "negation", T),
    ("no restarts on the churn model today", "restart", "chn55", "negation", T),
    ("leave the backups running", "cancel", "bkp12", "negation", T),
    ("don't approve the dental app until qa is done", "reject", "den03", "negation", T),
    ("nobody should resume the crm before the db is back", "resume", "crm42", "negation", T),
    ("hold off on killing the etl", "cancel", "etl07", "negation", T),
    ("let's not skip anything on the dental app", "skip_step", "den03", "negation", T),
    ("not yet, don't resume", "resume", "crm42", "negation", T),
    # traps: corrections
    ("wait no, not the etl", "unknown", None, "correction", {"trap": True, "context_task": "etl07", "context_intent": "cancel"}),
    ("ugh wrong task sorry", "unknown", None, "correction", {"trap": True, "context_task": "etl07", "context_intent": "pause"}),
    ("hang on, ignore that", "unknown", None, "correction", {"trap": True, "context_task": "bkp12", "context_intent": "cancel"}),
    ("undo, i didn't mean that", "unknown", None, "correction", {"trap": True, "context_task": "inv01", "context_intent": "pause"}),
    # traps: reports
    ("alice paused the invoices sync an hour ago", "history", "inv01", "report", T),
    ("looks like someone cancelled the backups", "history", "bkp12", "report", T),
    ("the churn training got restarted last night", "history", "chn55", "report", T),
    ("dave killed billing on friday", "history", "mig77", "report", T),
    ("carol approved the dental app already i think", "history", "den03", "report", T),
    ("i muted the etl yesterday", "history", "etl07", "report", T),
    # traps: not a task
    ("pause the youtube video", "pause", None, "command", T),
    ("cancel my 3pm", "cancel", None, "command", T),
    ("restart the docker daemon", "restart", None, "command", T),
    ("approve bob's PTO", "approve", None, "command", T),
    ("kill the build on jenkins", "cancel", None, "command", T),
    ("mute #random", "mute", None, "command", T),
    ("skip the retro this week", "skip_step", None, "command", T),
    ("reject the calendar invite", "reject", None, "command", T),
    ("resume the netflix show", "resume", None, "command", T),
    # sarcastic
    ("oh great, churn failed again. why this time", "why_failed", "chn55", "question"),
    ("wow the etl is sooo fast. eta?", "eta", "etl07", "question"),
    ("sure, cancel the backups, what could go wrong", "cancel", "bkp12", "statement", T),
    ("yeah right, like i'd approve the dental app now", "approve", "den03", "statement", T),
    ("nothing to do with you bot", "unknown", None, "statement"),
    ("lol", "unknown", None, "statement"),
    ("brb", "unknown", None, "statement"),
]  # fmt: skip


def _ctx(task: str, intent: str | None = None, trap: bool = False) -> dict[str, Any]:
    """Extras of a dev row said in a chat that was just about `task` (and `intent`)."""
    out: dict[str, Any] = {"context_task": task}
    if intent:
        out["context_intent"] = intent
    if trap:
        out["trap"] = True
    return out


# Dev batch 6 (measured before folding in: intent 78.0 %, task 85.5 %, 3 dangerous of 43
# traps): rambling messages, idioms without keywords, follow-ups, plans and conditions
# ("planning to pause it at 6", "once qa is done we'll approve it"), sarcasm.
DEV_BATCH6: list[tuple[Any, ...]] = [
    # rambling / long
    ("hey so finance is asking again about the invoices, any idea if it's close to finishing or nah", "eta", "inv01", "question"),
    ("ok so the etl has been running since midnight and it's now 10, what's going on with it", "status", "etl07", "question"),
    ("sorry to bother, but could you pause the invoices sync, the erp is down for maintenance", "pause", "inv01", "command"),
    ("so the churn thing blew up again, what was the error this time", "why_failed", "chn55", "question"),
    ("morning! quick one, the backups haven't started yet right?", "status", "bkp12", "question"),
    # no keyword, classifier-ish phrasings
    ("is the warehouse load through yet", "status", "etl07", "question"),
    ("how's the dental release coming", "status", "den03", "question"),
    ("where's the crm at", "status", "crm42", "question"),
    ("what's the damage on churn", "why_failed", "chn55", "question"),
    ("what did churn choke on", "why_failed", "chn55", "question"),
    ("how many mins left on the etl", "eta", "etl07", "question"),
    ("done by noon? the invoices sync i mean", "eta", "inv01", "question"),
    ("hit pause on the backups", "pause", "bkp12", "command"),
    ("let the crm run again", "resume", "crm42", "command"),
    ("unstick the crm", "resume", "crm42", "command"),
    ("knock the etl on the head", "cancel", "etl07", "command"),
    ("give churn another whirl from scratch", "restart", "chn55", "command"),
    ("have another crack at the failed step", "retry_step", "chn55", "command"),
    ("pass on the dedupe step", "skip_step", "crm42", "command"),
    ("ship the dental app", "approve", "den03", "command"),
    ("dental app is a no from me", "reject", "den03", "statement"),
    ("holler when the backups wrap", "subscribe", "bkp12", "command"),
    ("give it a rest with the etl alerts", "mute", "etl07", "command"),
    ("ok i'm ready for etl alerts again", "unmute", "etl07", "statement"),
    # follow-ups with context
    ("and the logs?", "logs", "etl07", "question", _ctx("etl07", "status")),
    ("ok pause it then", "pause", "etl07", "command", _ctx("etl07", "status")),
    ("why tho", "why_failed", "chn55", "question", _ctx("chn55", "status")),
    ("eta on that?", "eta", "inv01", "question", _ctx("inv01", "status")),
    ("cool, let me know when it's done", "subscribe", "bkp12", "command", _ctx("bkp12", "status")),
    ("same for the backups", "pause", "bkp12", "command", _ctx("etl07", "pause")),
    ("what about the crm", "status", "crm42", "question", _ctx("etl07", "status")),
    ("that one too", "pause", "inv01", "command", _ctx("inv01", "pause")),
    ("and churn?", "logs", "chn55", "question", _ctx("etl07", "logs")),
    # owner/kind/step references
    ("how's carol's app", "status", "den03", "question"),
    ("pause bob's etl", "pause", "etl07", "command"),
    ("logs of alice's crm", "logs", "crm42", "command"),
    ("eta of the pipeline", "eta", "etl07", "command"),
    ("the backup job, status?", "status", "bkp12", "question"),
    ("resume the paused one", "resume", "crm42", "command"),
    ("why did the failed one fail", "why_failed", "chn55", "question"),
    ("what's the one waiting for approval", "status", "den03", "question"),
    ("status of the one that uploads to erp", "status", "inv01", "command"),
    ("skip upload to erp", "skip_step", "inv01", "command"),
    ("retry train model", "retry_step", "chn55", "command"),
    ("skip the publish step on the app", "skip_step", "den03", "command"),
    # lower no punct / typos
    ("hw long til backups done", "eta", "bkp12", "question"),
    ("pls resme crm", "resume", "crm42", "command"),
    ("cancl etl", "cancel", "etl07", "command"),
    ("can u chek the sync", "status", "inv01", "command"),
    ("whats wrng with churn", "why_failed", "chn55", "question"),
    ("mute the etl fr 2h", "mute", "etl07", "command"),
    ("unmute evrything", "unmute", None, "command"),
    ("restat churn", "restart", "chn55", "command"),
    # list / misc
    ("what's on fire", "list_tasks", None, "question"),
    ("anything failing?", "list_tasks", None, "question"),
    ("show me the paused ones", "list_tasks", None, "command"),
    ("what have i got going", "list_tasks", None, "question"),
    ("which of my jobs finished", "list_tasks", None, "question"),
    ("good night bot", "greeting", None, "statement"),
    ("cheers mate", "thanks", None, "statement"),
    ("legend, thanks", "thanks", None, "statement"),
    ("what can this thing do", "capabilities", None, "question"),
    ("how do i use you", "help", None, "question"),
    ("quiet mode from 11pm", "notify_settings", None, "command"),
    ("send alerts to slack pls", "notify_channel", None, "command"),
    ("telegram only", "notify_channel", None, "command"),
    ("anything stuck waiting on me", "waiting_on_me", None, "question"),
    ("who has approval rights on the dental app", "who_approves", "den03", "question"),
    ("who stopped the billing migration", "history", "mig77", "report"),
    ("what's happened on the crm since yesterday", "history", "crm42", "question"),
    # traps: questions
    ("could i pause the backups myself if needed?", "pause", "bkp12", "question", T),
    ("is cancelling the etl gonna lose the loaded rows", "cancel", "etl07", "question", T),
    ("do i have permission to restart churn", "restart", "chn55", "question", T),
    ("whats the difference between pausing and cancelling the etl", "help", None, "question", T),
    ("can the crm be resumed safely now?", "resume", "crm42", "question", T),
    ("any reason not to approve the dental app?", "approve", "den03", "question", T),
    ("would a retry fix churn you think", "retry_step", "chn55", "question", T),
    ("is skipping dedupe a bad idea", "skip_step", "crm42", "question", T),
    ("pause the etl?? really?", "pause", "etl07", "question", T),
    ("should i be muting the etl or is that overkill", "mute", "etl07", "question", T),
    # traps: hypotheticals / future
    ("we might cancel the backups tomorrow", "cancel", "bkp12", "hypothetical", T),
    ("if churn fails again i'll restart it", "restart", "chn55", "hypothetical", T),
    ("planning to pause the etl around 6", "pause", "etl07", "hypothetical", T),
    ("considering a rerun of churn next week", "restart", "chn55", "hypothetical", T),
    ("once qa is done we'll approve the dental app", "approve", "den03", "hypothetical", T),
    ("assuming the db is back, we'd resume the crm", "resume", "crm42", "hypothetical", T),
    # traps: negations
    ("pls no cancelling the etl", "cancel", "etl07", "negation", T),
    ("dont u dare kill the backups", "cancel", "bkp12", "negation", T),
    ("not approving the dental app today", "reject", "den03", "negation", T),
    ("no need to pause anything", "pause", None, "negation", T),
    ("absolutely do not restart churn", "restart", "chn55", "negation", T),
    ("i said don't resume the crm", "resume", "crm42", "negation", T),
    ("etl stays running", "cancel", "etl07", "negation", T),
    # traps: corrections
    ("oops not that", "unknown", None, "correction", _ctx("etl07", "cancel", True)),
    ("no no no stop, wrong one", "unknown", None, "correction", _ctx("inv01", "pause", True)),
    ("actually nvm", "unknown", None, "correction", _ctx("bkp12", "cancel", True)),
    ("cancel that request", "unknown", None, "correction", _ctx("etl07", "restart", True)),
    # traps: reports
    ("bob just restarted the etl fyi", "history", "etl07", "report", T),
    ("fyi i paused the backups", "history", "bkp12", "report", T),
    ("the crm has been paused since tuesday", "history", "crm42", "report", T),
    ("carol said she'd approve the dental app", "history", "den03", "report", T),
    ("someone skipped the dedupe step?", "history", "crm42", "report", T),
    # traps: not tasks
    ("pause spotify", "pause", None, "command", T),
    ("cancel the uber", "cancel", None, "command", T),
    ("restart vscode", "restart", None, "command", T),
    ("approve the PR from jess", "approve", None, "command", T),
    ("kill the zombie process on prod-3", "cancel", None, "command", T),
    ("stop the kettle", "cancel", None, "command", T),
    ("reject the recruiter email", "reject", None, "command", T),
    ("mute my notifications on whatsapp", "mute", None, "command", T),
    ("resume my download", "resume", None, "command", T),
    ("skip the intro", "skip_step", None, "command", T),
    # sarcasm / chatter
    ("great, another failure on churn 🙄 why", "why_failed", "chn55", "question"),
    ("sure sure, pause the etl, what's the worst that could happen", "pause", "etl07", "statement", T),
    ("haha", "unknown", None, "statement"),
    ("who wants coffee", "unknown", None, "question"),
    ("is it friday yet", "unknown", None, "question"),
]  # fmt: skip

# Dev batch 7 (measured before folding in: intent 82.3 %, task 83.8 %, 2 dangerous of 36
# traps): Telegram-terse, Slack :shortcodes:, statements that ask, non-native phrasing, tasks
# named by their state ("the failed one"), future plans ("i'm approving it friday").
DEV_BATCH7: list[tuple[Any, ...]] = [
    # telegram-style, terse
    ("etl how", "status", "etl07", "question"),
    ("backups when", "eta", "bkp12", "question"),
    ("crm go", "resume", "crm42", "command"),
    ("dental ok", "approve", "den03", "command"),
    ("churn again pls", "retry_step", "chn55", "command"),
    ("stop etl now", "cancel", "etl07", "command"),
    ("sync paused?", "status", "inv01", "question"),
    ("invoices done??", "status", "inv01", "question"),
    ("logs churn", "logs", "chn55", "command"),
    ("log of etl pls", "logs", "etl07", "command"),
    ("status all", "status", None, "command"),
    ("list", "list_tasks", None, "command"),
    ("hey", "greeting", None, "statement"),
    ("thank u", "thanks", None, "statement"),
    ("10x", "thanks", None, "statement"),
    # polite / indirect / statements that ask
    ("i'd like to know where the etl is at", "status", "etl07", "wish"),
    ("i need the logs from the backups job", "logs", "bkp12", "wish"),
    ("it would help to know when the invoices sync ends", "eta", "inv01", "statement"),
    ("please let the crm continue", "resume", "crm42", "command"),
    ("kindly halt the etl", "cancel", "etl07", "command"),
    ("we'd like the backups cancelled please", "cancel", "bkp12", "wish"),
    ("i'm asking you to restart churn", "restart", "chn55", "command"),
    ("you may approve the dental app", "approve", "den03", "command"),
    ("feel free to skip the dedupe step", "skip_step", "crm42", "command"),
    ("would be great to get a ping when the etl is done", "subscribe", "etl07", "statement"),
    ("curious what the backups are printing", "logs", "bkp12", "statement"),
    ("no idea why churn is red, can you tell me", "why_failed", "chn55", "question"),
    # non-native
    ("how is going the etl?", "status", "etl07", "question"),
    ("please make pause on backups", "pause", "bkp12", "command"),
    ("crm can go on now yes?", "resume", "crm42", "question"),
    ("for what reason churn has failed", "why_failed", "chn55", "question"),
    ("until when the invoices sync runs?", "eta", "inv01", "question"),
    ("send me logs of crm", "logs", "crm42", "command"),
    ("make restart of payroll export", "restart", "pay09", "command"),
    ("i am agree, approve the dental app", "approve", "den03", "command"),
    # slack-isms
    ("@ProgressBot :eyes: etl", "status", "etl07", "command"),
    ("<@U0BOT42> pls pause the sync :pray:", "pause", "inv01", "command"),
    ("@bot :white_check_mark: dental", "approve", "den03", "command"),
    ("+1 on approving the dental app", "approve", "den03", "command"),
    ("bump - any update on the backups?", "status", "bkp12", "question"),
    ("cc @bot what's the eta on churn", "eta", "chn55", "question"),
    ("tl;dr of the etl?", "status", "etl07", "question"),
    ("fwiw the etl looks stuck, can you check", "status", "etl07", "question"),
    # kind/owner/step/status references
    ("pause the sync job and the pipeline", "pause", None, "command"),
    ("how's the failed one", "status", "chn55", "question"),
    ("resume the one on hold", "resume", "crm42", "command"),
    ("logs of the one waiting for approval", "logs", "den03", "command"),
    ("eta on carol's backup", "eta", "bkp12", "command"),
    ("how's dave's migration", "status", "mig77", "question"),
    ("cancel the pending one", "cancel", "bkp12", "command"),
    ("status of the import contacts step", "status", "crm42", "command"),
    ("retry the prepare features step", "retry_step", "chn55", "command"),
    ("skip build apk", "skip_step", "den03", "command"),
    ("is the publish to store step done", "status", "den03", "question"),
    # follow-ups
    ("hmm ok and the eta?", "eta", "etl07", "question", _ctx("etl07", "status")),
    ("do that for the crm too", "resume", "crm42", "command", _ctx("crm42", "resume")),
    ("show its log", "logs", "bkp12", "command", _ctx("bkp12", "status")),
    ("whens it done", "eta", "inv01", "question", _ctx("inv01", "status")),
    ("and who can approve it", "who_approves", "den03", "question", _ctx("den03", "status")),
    # misc intents
    ("what should i be looking at today", "waiting_on_me", None, "question"),
    ("does anything need me", "waiting_on_me", None, "question"),
    ("which ones are paused", "list_tasks", None, "question"),
    ("what's everyone running", "list_tasks", None, "question"),
    ("telegram + slack pls", "notify_channel", None, "command"),
    ("switch me to email", "notify_channel", None, "command"),
    ("dont ping me at night", "notify_settings", None, "command"),
    ("show me my notification setup", "notify_settings", None, "command"),
    ("turn everything back on", "unmute", None, "command"),
    ("silence all for 1h", "mute", None, "command"),
    ("what's the audit log for the crm", "history", "crm42", "question"),
    ("who did what on the etl today", "history", "etl07", "question"),
    ("what are the commands", "help", None, "question"),
    ("what are your skills", "capabilities", None, "question"),
    # traps: question
    ("wait can i even cancel the etl", "cancel", "etl07", "question", T),
    ("is there any way to pause the backups", "pause", "bkp12", "question", T),
    ("can someone tell me if resuming the crm is fine", "resume", "crm42", "question", T),
    ("is restarting churn going to help", "restart", "chn55", "question", T),
    ("do i need to approve the dental app or does carol", "approve", "den03", "question", T),
    ("should the etl be killed?", "cancel", "etl07", "question", T),
    ("whats the point of muting the etl", "mute", "etl07", "question", T),
    # traps: hypothetical
    ("if i were you i'd pause the etl", "pause", "etl07", "hypothetical", T),
    ("let's see, maybe cancel the backups later", "cancel", "bkp12", "hypothetical", T),
    ("thinking we kill the etl after standup", "cancel", "etl07", "hypothetical", T),
    ("in case the etl hangs, we restart it", "restart", "etl07", "hypothetical", T),
    ("tomorrow we'll probably skip the dedupe step", "skip_step", "crm42", "hypothetical", T),
    ("unless qa objects i'm approving the dental app friday", "approve", "den03", "hypothetical", T),
    # traps: negation
    ("pls dont touch the crm", "cancel", "crm42", "negation", T),
    ("under no circumstances cancel the invoices sync", "cancel", "inv01", "negation", T),
    ("don't rerun churn yet", "restart", "chn55", "negation", T),
    ("no skipping on the dental app", "skip_step", "den03", "negation", T),
    ("never mute the etl", "mute", "etl07", "negation", T),
    ("i'm not pausing anything", "pause", None, "negation", T),
    # traps: correction
    ("sorry typo", "unknown", None, "correction", _ctx("etl07", "cancel", True)),
    ("no that's not what i meant", "unknown", None, "correction", _ctx("inv01", "pause", True)),
    ("ignore my last message", "unknown", None, "correction", _ctx("bkp12", "cancel", True)),
    # traps: report
    ("etl got killed by the oom killer", "history", "etl07", "report", T),
    ("the backups were paused by carol", "history", "bkp12", "report", T),
    ("alice resumed the crm earlier today", "history", "crm42", "report", T),
    ("someone approved the dental app without asking me!", "history", "den03", "report", T),
    ("we restarted churn 3 times already", "history", "chn55", "report", T),
    # traps: not task
    ("pause the build", "pause", None, "command", T),
    ("cancel standup", "cancel", None, "command", T),
    ("restart the printer", "restart", None, "command", T),
    ("approve this expense", "approve", None, "command", T),
    ("mute the tv", "mute", None, "command", T),
    ("stop the bleeding", "cancel", None, "command", T),
    ("retry the payment", "retry_step", None, "command", T),
    ("reject the merge request", "reject", None, "command", T),
    ("resume the game", "resume", None, "command", T),
    # chatter
    ("ok", "unknown", None, "statement"),
    ("sounds good", "unknown", None, "statement"),
    ("who broke prod", "unknown", None, "question"),
]  # fmt: skip

# Dev batch 8 (measured before folding in: intent 87.2 %, task 91.1 %, 0 dangerous of 22
# traps): capitals, arrows and "re:", confirmations as questions ("etl's done, right?"),
# reasons in a second clause, idioms ("park it", "fall over", "root cause").
DEV_BATCH8: list[tuple[Any, ...]] = [
    ("ETL STATUS PLEASE", "status", "etl07", "command"),
    ("WHY DID CHURN FAIL", "why_failed", "chn55", "question"),
    ("Pause. The. ETL.", "pause", "etl07", "command"),
    ("backups -> cancel", "cancel", "bkp12", "command"),
    ("crm: status?", "status", "crm42", "question"),
    ("re: the invoices sync - eta?", "eta", "inv01", "question"),
    ("status etl @ProgressBot", "status", "etl07", "command"),
    ("the etl is still running right?", "status", "etl07", "question"),
    ("etl's done, right?", "status", "etl07", "question"),
    ("payroll went through, yeah?", "status", "pay09", "question"),
    ("quick sanity check - backups haven't kicked off?", "status", "bkp12", "question"),
    ("so how long are we looking at for the etl", "eta", "etl07", "question"),
    ("ballpark eta for churn retraining?", "eta", "chn55", "question"),
    ("is the sync gonna be much longer", "eta", "inv01", "question"),
    ("what's the last thing the etl logged", "logs", "etl07", "question"),
    ("anything weird in the backups logs?", "logs", "bkp12", "question"),
    ("can i get a stack trace for churn", "logs", "chn55", "question"),
    ("root cause on churn?", "why_failed", "chn55", "question"),
    ("what made churn fall over", "why_failed", "chn55", "question"),
    ("the churn run errored out - details?", "why_failed", "chn55", "question"),
    ("put the sync on pause for 10 min", "pause", "inv01", "command"),
    ("park the etl for now", "pause", "etl07", "command"),
    ("let's hold the backups till tonight", "pause", "bkp12", "command"),
    ("ok crm can go again", "resume", "crm42", "command"),
    ("un-pause the crm", "resume", "crm42", "command"),
    ("resume crm, db is fixed", "resume", "crm42", "command"),
    ("cancel the etl, it's pointless now", "cancel", "etl07", "command"),
    ("stop the backups from running", "cancel", "bkp12", "command"),
    ("can you kill off the invoices sync", "cancel", "inv01", "command"),
    ("restart churn plz, data's fixed", "restart", "chn55", "command"),
    ("kick off payroll again", "restart", "pay09", "command"),
    ("rerun payroll for march", "restart", "pay09", "command"),
    ("retry that failed step on churn", "retry_step", "chn55", "command"),
    ("one more try on the failed churn step", "retry_step", "chn55", "command"),
    ("skip the ui tests, they're flaky", "skip_step", "den03", "command"),
    ("skip this step on the etl please", "skip_step", "etl07", "command"),
    ("approved 👍 dental app", "approve", "den03", "command"),
    ("dental app: approve", "approve", "den03", "command"),
    ("yes approve it", "approve", "den03", "command", _ctx("den03", "status")),
    ("reject, screenshots are outdated", "reject", "den03", "command"),
    ("dental app rejected - wrong bundle id", "reject", "den03", "command"),
    ("ping me once the etl is through", "subscribe", "etl07", "command"),
    ("keep me posted on churn pls", "subscribe", "chn55", "command"),
    ("watch the backups for me", "subscribe", "bkp12", "command"),
    ("mute the etl till tomorrow", "mute", "etl07", "command"),
    ("stfu about the backups", "mute", "bkp12", "command"),
    ("ok unmute the sync", "unmute", "inv01", "command"),
    ("notifications for churn back on pls", "unmute", "chn55", "command"),
    ("who's allowed to sign off the app", "who_approves", "den03", "question"),
    ("who needs to approve the dental thing", "who_approves", "den03", "question"),
    ("when did the crm get paused", "history", "crm42", "question"),
    ("who's been messing with the etl", "history", "etl07", "question"),
    ("list all running", "list_tasks", None, "command"),
    ("everything that failed today?", "list_tasks", None, "question"),
    ("my stuff", "list_tasks", None, "command"),
    ("approvals waiting for me?", "waiting_on_me", None, "question"),
    ("pending on me?", "waiting_on_me", None, "question"),
    ("how do notifications work here", "help", None, "question"),
    ("?help", "help", None, "question"),
    ("hiya bot", "greeting", None, "statement"),
    ("thanks heaps", "thanks", None, "statement"),
    ("appreciate it!", "thanks", None, "statement"),
    ("slack dms only pls", "notify_channel", None, "command"),
    ("mail me the updates instead", "notify_channel", None, "command"),
    ("quiet hours on weekends", "notify_settings", None, "command"),
    ("only critical stuff please", "notify_settings", None, "command"),
    # follow-ups
    ("how about the backups", "eta", "bkp12", "question", _ctx("etl07", "eta")),
    ("and its logs", "logs", "etl07", "question", _ctx("etl07", "status")),
    ("kill it", "cancel", "bkp12", "command", _ctx("bkp12", "status")),
    ("ok so when's that done", "eta", "inv01", "question", _ctx("inv01", "status")),
    # traps
    ("wdyt, should i pause the etl", "pause", "etl07", "question", T),
    ("do you think restarting churn would help?", "restart", "chn55", "question", T),
    ("is cancel reversible for the backups?", "cancel", "bkp12", "question", T),
    ("what happens to the data if i kill the sync", "cancel", "inv01", "hypothetical", T),
    ("hypothetically, pausing the etl now - bad?", "pause", "etl07", "hypothetical", T),
    ("i could approve the dental app but qa isn't done", "approve", "den03", "hypothetical", T),
    ("we'd rather not cancel the backups", "cancel", "bkp12", "negation", T),
    ("pls don't skip the snapshot db step", "skip_step", "bkp12", "negation", T),
    ("NO don't resume the crm", "resume", "crm42", "negation", T),
    ("not now, don't restart churn", "restart", "chn55", "negation", T),
    ("do not mute the etl, i need those alerts", "mute", "etl07", "negation", T),
    ("wrong task, sorry", "unknown", None, "correction", _ctx("etl07", "pause", True)),
    ("ah no i meant something else", "unknown", None, "correction", _ctx("bkp12", "cancel", True)),
    ("the etl was cancelled by mistake", "history", "etl07", "report", T),
    ("carol paused the backups for the db upgrade", "history", "bkp12", "report", T),
    ("churn got rerun twice", "history", "chn55", "report", T),
    ("pause the slack channel", "pause", None, "command", T),
    ("cancel the contract with acme", "cancel", None, "command", T),
    ("restart the conversation", "restart", None, "command", T),
    ("approve the time off for alice", "approve", None, "command", T),
    ("mute notifications on my phone", "mute", None, "command", T),
    ("kill the meeting", "cancel", None, "command", T),
    ("rofl", "unknown", None, "statement"),
    ("what time is it", "unknown", None, "question"),
]  # fmt: skip

# Dev batch 9 (measured before folding in: intent 91.7 %, task 93.0 %, 0 dangerous of 19
# traps): everyday chat ("any joy with", "whats good with"), "keep it paused", "send it back".
DEV_BATCH9: list[tuple[Any, ...]] = [
    ("yo bot whats good with the etl", "status", "etl07", "question"),
    ("any joy with the backups?", "status", "bkp12", "question"),
    ("state of the crm pls", "status", "crm42", "command"),
    ("is churn ok now", "status", "chn55", "question"),
    ("hows my sync", "status", "inv01", "question"),
    ("is the dental app still waiting for approval", "status", "den03", "question"),
    ("need a progress report on the etl", "status", "etl07", "statement"),
    ("how long till the dental app ships", "eta", "den03", "question"),
    ("what time will the etl be done", "eta", "etl07", "question"),
    ("gimme an eta on the sync", "eta", "inv01", "command"),
    ("will the backups be done before midnight?", "eta", "bkp12", "question"),
    ("last lines of churn pls", "logs", "chn55", "command"),
    ("print the etl log", "logs", "etl07", "command"),
    ("what's churn saying in the logs", "logs", "chn55", "question"),
    ("why's churn broken", "why_failed", "chn55", "question"),
    ("explain the churn failure", "why_failed", "chn55", "command"),
    ("what's the error message on churn", "why_failed", "chn55", "question"),
    ("pause everything of bob's", "pause", None, "command"),
    ("pause the etl real quick", "pause", "etl07", "command"),
    ("freeze the sync until monday", "pause", "inv01", "command"),
    ("crm resume pls", "resume", "crm42", "command"),
    ("continue the crm from where it was", "resume", "crm42", "command"),
    ("cancel the backup job, not needed", "cancel", "bkp12", "command"),
    ("terminate etl", "cancel", "etl07", "command"),
    ("start churn from the beginning", "restart", "chn55", "command"),
    ("do payroll again from scratch", "restart", "pay09", "command"),
    ("retry churn's failed step", "retry_step", "chn55", "command"),
    ("retry step 2 on the churn training", "retry_step", "chn55", "command"),
    ("skip step 1 of the backups", "skip_step", "bkp12", "command"),
    ("just skip the transform", "skip_step", "etl07", "command"),
    ("dental app looks good to me, approve", "approve", "den03", "command"),
    ("green light for the dental app", "approve", "den03", "command"),
    ("nah reject the dental app", "reject", "den03", "command"),
    ("send the dental app back, the copy has typos", "reject", "den03", "command"),
    ("let me know if churn fails again", "subscribe", "chn55", "command"),
    ("subscribe me to the etl", "subscribe", "etl07", "command"),
    ("mute churn notifications", "mute", "chn55", "command"),
    ("too noisy, mute the sync", "mute", "inv01", "command"),
    ("unmute churn", "unmute", "chn55", "command"),
    ("who can approve this", "who_approves", "den03", "question"),
    ("what changed on the backups", "history", "bkp12", "question"),
    ("show me what i've got", "list_tasks", None, "command"),
    ("active tasks", "list_tasks", None, "command"),
    ("what is waiting for my approval", "waiting_on_me", None, "question"),
    ("help me", "help", None, "command"),
    ("what can you actually do", "capabilities", None, "question"),
    ("good morning team", "greeting", None, "statement"),
    ("thanks bot!", "thanks", None, "statement"),
    ("use slack for everything", "notify_channel", None, "command"),
    ("notify me only on errors", "notify_settings", None, "command"),
    ("and the churn one?", "status", "chn55", "question", _ctx("etl07", "status")),
    ("that one, pause it", "pause", "bkp12", "command", _ctx("bkp12", "status")),
    # traps
    ("would pausing the sync mess up the erp upload?", "pause", "inv01", "question", T),
    ("can i cancel the etl and still keep the extracted data", "cancel", "etl07", "question", T),
    ("should we skip the transform step? it's slow", "skip_step", "etl07", "question", T),
    ("who gets to decide whether we restart churn", "restart", "chn55", "question", T),
    ("imagine we cancel the backups, what breaks", "cancel", "bkp12", "hypothetical", T),
    ("next week we might restart the etl from scratch", "restart", "etl07", "hypothetical", T),
    ("don't even think about cancelling the sync", "cancel", "inv01", "negation", T),
    ("no approving the dental app until i say so", "approve", "den03", "negation", T),
    ("keep the crm paused", "resume", "crm42", "negation", T),
    ("leave churn as it is", "restart", "chn55", "negation", T),
    ("oh wait scratch that", "unknown", None, "correction", _ctx("etl07", "cancel", True)),
    ("hmm no, not that one", "unknown", None, "correction", _ctx("bkp12", "pause", True)),
    ("bob cancelled the sync by accident", "history", "inv01", "report", T),
    ("the etl got paused during the outage", "history", "etl07", "report", T),
    ("pause the radio", "pause", None, "command", T),
    ("cancel my subscription to the newsletter", "cancel", None, "command", T),
    ("restart the wifi router pls", "restart", None, "command", T),
    ("approve the vacation of carol", "approve", None, "command", T),
    ("mute the alarm", "mute", None, "command", T),
    ("nice weather today", "unknown", None, "statement"),
]  # fmt: skip

# Traps: verb forms per dangerous intent (base, -ing, past).
VERBS: dict[str, list[tuple[str, str, str]]] = {
    "pause": [("pause", "pausing", "paused"), ("put on hold", "putting on hold", "put on hold")],
    "resume": [("resume", "resuming", "resumed"), ("unpause", "unpausing", "unpaused")],
    "cancel": [("cancel", "cancelling", "cancelled"), ("kill", "killing", "killed"),
               ("stop", "stopping", "stopped"), ("abort", "aborting", "aborted")],
    "restart": [("restart", "restarting", "restarted"), ("rerun", "rerunning", "reran")],
    "retry_step": [("retry", "retrying", "retried")],
    "skip_step": [("skip a step on", "skipping a step on", "skipped a step on"),
                  ("skip the current step of", "skipping the current step of", "skipped the step of")],
    "approve": [("approve", "approving", "approved"), ("sign off", "signing off", "signed off")],
    "reject": [("reject", "rejecting", "rejected"), ("decline", "declining", "declined")],
    "mute": [("mute", "muting", "muted"), ("silence", "silencing", "silenced")],
}  # fmt: skip
TRAP_TEMPLATES: list[tuple[str, str, bool]] = [
    # (template, act, is_report)
    ("can i {v} {t}?", "question", False),
    ("should i {v} {t}", "question", False),
    ("should we {v} {t}?", "question", False),
    ("is it safe to {v} {t}?", "question", False),
    ("who can {v} {t}?", "question", False),
    ("who is allowed to {v} {t}", "question", False),
    ("am i able to {v} {t}", "question", False),
    ("would {ving} {t} lose any work?", "question", False),
    ("does {ving} {t} delete anything", "question", False),
    ("how do i {v} {t}", "question", False),
    ("what happens if we {v} {t}", "hypothetical", False),
    ("what happens if i {v} {t}?", "hypothetical", False),
    ("if i {v} {t} will it break?", "hypothetical", False),
    ("what if we {v} {t}", "hypothetical", False),
    ("suppose we {v} {t}, what then", "hypothetical", False),
    ("thinking about {ving} {t}, thoughts?", "hypothetical", False),
    ("maybe we {v} {t}? not sure", "hypothetical", False),
    ("please don't {v} {t}", "negation", False),
    ("do not {v} {t}!", "negation", False),
    ("don't {v} {t} yet", "negation", False),
    ("no need to {v} {t}", "negation", False),
    ("we shouldn't {v} {t} right now", "negation", False),
    ("never {v} {t} without asking me", "negation", False),
    ("i don't want to {v} {t}", "negation", False),
    ("let's not {v} {t}", "negation", False),
    ("who {ved} {t}?", "report", True),
    ("did anyone {v} {t}?", "report", True),
    ("has someone {ved} {t}", "report", True),
    ("{t} was {ved} yesterday", "report", True),
    ("i already {ved} {t} this morning", "report", True),
    ("why was {t} {ved}", "report", True),
]
QUESTION_ABOUT: list[tuple[str, str]] = [
    ("what does {v} do", "question"),
    ("what does {v} actually do?", "question"),
    ("is {v} permanent?", "question"),
    ("how does {v} work", "question"),
]
NOT_TASKS: list[tuple[str, str]] = [
    ("pause the music", "pause"), ("pause my spotify", "pause"), ("pause the video call", "pause"),
    ("resume my playlist", "resume"), ("resume the podcast", "resume"),
    ("cancel my dentist appointment", "cancel"), ("cancel the meeting at 3", "cancel"),
    ("stop the coffee machine", "cancel"), ("cancel my gym membership", "cancel"),
    ("kill the lights", "cancel"), ("abort the rocket launch", "cancel"),
    ("restart my laptop", "restart"), ("restart the router", "restart"), ("reboot my phone", "restart"),
    ("retry the wifi", "retry_step"), ("retry my password", "retry_step"),
    ("skip the standup", "skip_step"), ("skip lunch today", "skip_step"), ("skip the ads", "skip_step"),
    ("approve my vacation request", "approve"), ("approve the expense report for bob", "approve"),
    ("reject the meeting invite", "reject"), ("reject the pull request from sam", "reject"),
    ("mute the marketing channel", "mute"), ("mute my microphone", "mute"),
    ("mute the general channel", "mute"), ("silence my phone", "mute"),
]  # fmt: skip
# Asking for one's own link to a task's live page, and its neighbours: status questions with
# "where", logs and history one can "see", lists of "open" things, updates one is "sent".
LINK_BATCH: list[tuple[Any, ...]] = [
    ("give me a link to the crm", "open_link", "crm42", "command"),
    ("send me the link for the dental job", "open_link", "den03", "command"),
    ("open the etl in the browser", "open_link", "etl07", "command"),
    ("where can I see the invoices task", "open_link", "inv01", "question"),
    ("link pls", "open_link", "etl07", "command", _ctx("etl07", "status")),
    ("can i have the link?", "open_link", "crm42", "question", _ctx("crm42", "status")),
    ("send me my link", "open_link", "den03", "command", _ctx("den03", "status")),
    ("open it in the browser", "open_link", "bkp12", "command", _ctx("bkp12", "eta")),
    ("my link for the backups", "open_link", "bkp12", "command"),
    ("whats the link for alice's crm", "open_link", "crm42", "question"),
    ("i'd like to follow the etl in my browser", "open_link", "etl07", "statement"),
    ("can you dm me the progress page for the sync", "open_link", "inv01", "question"),
    ("where can we watch the dental app live?", "open_link", "den03", "question"),
    ("the web view of the etl pls", "open_link", "etl07", "command"),
    ("gimme the url", "open_link", "inv01", "command", _ctx("inv01", "status")),
    ("/link crm", "open_link", "crm42", "command"),
    ("/open etl", "open_link", "etl07", "command"),
    ("a link to the churn model please", "open_link", "chn55", "command"),
    ("open the payroll export", "open_link", "pay09", "command"),
    ("link?", "open_link", None, "question"),
    ("give me the link", "open_link", None, "command"),
    # neighbours
    ("where can i see the logs of the etl", "logs", "etl07", "question"),
    ("where do i find the output of churn", "logs", "chn55", "question"),
    ("where can i see the history of the crm", "history", "crm42", "question"),
    ("where is the etl at", "status", "etl07", "question"),
    ("where are we with the dental app", "status", "den03", "question"),
    ("show me the crm", "status", "crm42", "command"),
    ("which tasks are open", "list_tasks", None, "question"),
    ("show me my open tasks", "list_tasks", None, "command"),
    ("send me updates about the invoices", "subscribe", "inv01", "command"),
    ("send me the logs of the backups", "logs", "bkp12", "command"),
    ("where can i see the error for churn", "why_failed", "chn55", "question"),
    ("notify me by email from now on", "notify_channel", None, "command"),
]  # fmt: skip
NEGATION_WITH_ASK: list[tuple[str, str, str]] = [
    ("leave {t} alone, just tell me the eta", "eta", "negation"),
    ("don't cancel {t}, just show me the logs", "logs", "negation"),
    ("not restarting {t}, just want its status", "status", "negation"),
    ("don't pause {t}, when will it be done?", "eta", "negation"),
    ("no need to stop {t}, why did it fail though", "why_failed", "negation"),
    ("don't touch {t}, just keep me posted", "subscribe", "negation"),
]
CORRECTIONS: list[tuple[str, str]] = [
    ("scratch that, i meant {t}", "correction"),
    ("sorry, i meant {t}", "correction"),
    ("no wait, {t}", "correction"),
    ("oops, wrong one - {t}", "correction"),
    ("i meant {t} not that one", "correction"),
]
CORRECTION_ALONE = ["never mind", "nvm", "never mind, wrong one", "forget it", "scratch that",
                    "actually forget it", "sorry wrong one", "my bad, ignore that"]  # fmt: skip
FOLLOW_UPS = ["what about {t}?", "and {t}?", "same for {t}", "how about {t}", "and for {t}?"]
PREFIXES = ["", "", "", "", "hey ", "hey bot, ", "@ProgressBot ", "<@U0BOT42> ", "ok ", "so ",
            "hi, ", "quick one: ", "yo "]  # fmt: skip
SUFFIXES = ["", "", "", "", " pls", " please", " thx", " 🙏", " asap", "!", " rn", " ty"]
STATE_SUFFIX_OK = {"status", "logs", "why_failed", "eta", "list_tasks", "history"}


def typo(rng: random.Random, text: str) -> str:
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not long:
        return text
    i = rng.choice(long)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


def row(text: str, intent: str, task: str | None, act: str, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"text": text, "intent": intent, "task": task, "act": act}
    out.update({k: v for k, v in extra.items() if v is not None})
    return out


def mention(rng: random.Random, task: str) -> str:
    return rng.choice(MENTIONS[task])


def build() -> dict[str, Any]:
    rng = random.Random(SEED)
    rows: list[dict[str, Any]] = []
    for text, intent, task, act in HAND:
        rows.append(row(text, intent, task, act))
    for text, intent, task, act in HAND_TASKS:
        rows.append(row(text, intent, task, act))
    for text, intent, task, act in MORE_TRAPS:
        rows.append(row(text, intent, task, act, trap=True))
    for text, intent, task, act, *extra in (
        DEV_BATCH5 + DEV_BATCH6 + DEV_BATCH7 + DEV_BATCH8 + DEV_BATCH9 + LINK_BATCH
    ):
        rows.append(row(text, intent, task, act, **(extra[0] if extra else {})))
    for intent, (phrasings, fits) in SLOTTED.items():
        for phrase in phrasings:
            for _ in range(5):
                task = rng.choice(fits)
                t = mention(rng, task)
                text = phrase.format(t=t)
                if rng.random() < 0.35:
                    text = rng.choice(PREFIXES) + text
                    if intent not in STATE_SUFFIX_OK or rng.random() < 0.5:
                        text = text + rng.choice(SUFFIXES)
                if rng.random() < 0.08:
                    text = typo(rng, text)
                if rng.random() < 0.1:
                    text = text.upper() if rng.random() < 0.3 else text.lower()
                act = "question" if text.rstrip().endswith("?") else "command"
                if intent in ("who_approves",):
                    act = "question"
                if intent == "history" and any(
                    w in text for w in ("who ", "did anyone", "someone", "when was")
                ):
                    act = "report"
                rows.append(row(text, intent, task, act))
    # context follow-ups: "and the logs?" / "pause it"
    for intent, phrases in {
        "status": [
            "how's it going?",
            "is it done?",
            "and now?",
            "still running?",
            "how is it looking",
        ],
        "logs": ["and the logs?", "show its logs", "logs pls", "what is it printing"],
        "eta": ["when will it be done?", "how long left?", "eta?"],
        "pause": ["pause it", "please pause that one", "hold it"],
        "cancel": ["cancel it", "kill it", "stop that one please"],
        "restart": ["restart it", "run it again"],
        "subscribe": ["let me know when it's done", "ping me when it finishes"],
        "mute": ["mute it", "mute that for an hour"],
        "unmute": ["unmute it", "turn its notifications back on"],
        "history": ["what happened to it", "show its history"],
    }.items():
        for phrase in phrases:
            for task in rng.sample(ACTIVE, 2):
                rows.append(
                    row(
                        phrase,
                        intent,
                        task,
                        "question" if "?" in phrase else "command",
                        context_task=task,
                    )
                )
    # traps
    for intent, forms in VERBS.items():
        for template, act, is_report in TRAP_TEMPLATES:
            v, ving, ved = rng.choice(forms)
            task = rng.choice(ACTIVE)
            t = mention(rng, task)
            text = template.format(v=v, ving=ving, ved=ved, t=t)
            label = "history" if is_report else intent
            if intent == "approve" and template.split(" {v}")[0] in (
                "can i",
                "am i able to",
                "who can",
                "who is allowed to",
            ):
                label = "who_approves"  # asking who may approve
            if intent == "reject" and template.split(" {v}")[0] in (
                "am i able to",
                "who can",
                "who is allowed to",
            ):
                label = "who_approves"  # who may reject is who decides on the approval
            if v == "approve" and re.search(r"(?:do not|don't|let's not) \{v\}", template):
                label = "reject"  # "don't approve it" reads as a rejection (asked first)
            rows.append(row(text, label, task, act, trap=True))
        for template, act in QUESTION_ABOUT:
            v = forms[0][0].split()[0]
            rows.append(row(template.format(v=v), intent, None, act, trap=True))
    for text, intent in NOT_TASKS:
        rows.append(row(text, intent, None, "command", trap=True))
        rows.append(row("can you " + text, intent, None, "command", trap=True))
    for template, intent, act in NEGATION_WITH_ASK:
        for task in rng.sample(ACTIVE, 3):
            rows.append(row(template.format(t=mention(rng, task)), intent, task, act, trap=True))
    for template, act in CORRECTIONS:
        for prev in ("pause", "cancel", "restart", "status", "logs"):
            task, other = rng.sample(ACTIVE, 2)
            rows.append(
                row(
                    template.format(t=mention(rng, task)),
                    prev,
                    task,
                    act,
                    trap=True,
                    context_task=other,
                    context_intent=prev,
                )
            )
    for text in CORRECTION_ALONE:
        for prev in ("cancel", "pause"):
            rows.append(
                row(
                    text,
                    "unknown",
                    None,
                    "correction",
                    trap=True,
                    context_task="etl07",
                    context_intent=prev,
                )
            )
    for template in FOLLOW_UPS:
        for prev in ("status", "eta", "logs", "pause", "cancel"):
            task, other = rng.sample(ACTIVE, 2)
            rows.append(
                row(
                    template.format(t=mention(rng, task)),
                    prev,
                    task,
                    "question",
                    context_task=other,
                    context_intent=prev,
                )
            )
    link_rng = random.Random(SEED + 1)
    for intent, (phrasings, fits) in LINK_SLOTTED.items():
        for phrase in phrasings:
            for _ in range(4):
                task = link_rng.choice(fits)
                text = phrase.format(t=link_rng.choice(MENTIONS[task]))
                if link_rng.random() < 0.35:
                    text = link_rng.choice(PREFIXES) + text + link_rng.choice(SUFFIXES)
                if link_rng.random() < 0.08:
                    text = typo(link_rng, text)
                act = "question" if text.rstrip().endswith("?") else "command"
                rows.append(row(text, intent, task, act))
    for text, intent, task, act, *extra in DEV_BATCH10:
        rows.append(row(text, intent, task, act, **(extra[0] if extra else {})))
    for text, intent, task, act, *extra in DEV_BATCH11:
        rows.append(row(text, intent, task, act, **(extra[0] if extra else {})))
    for text, intent, task, act, *extra in DEV_BATCH12:
        rows.append(row(text, intent, task, act, **(extra[0] if extra else {})))
    for text, intent, task, act, *extra in DEV_BATCH13:
        rows.append(row(text, intent, task, act, **(extra[0] if extra else {})))
    for text, intent, task, act, *extra in DEV_BATCH14:  # last, so the file only grows at its end
        rows.append(row(text, intent, task, act, **(extra[0] if extra else {})))
    studied = _development_texts()
    rows = [r for r in rows if str(r["text"]).lower() not in studied]
    return {"tasks": TASKS, "utterances": rows}


def _development_texts() -> frozenset[str]:
    """The development split's messages longer than three words (shorter ones, "eta?", are
    bound to be shared), lower-cased."""
    if not DEV.is_file():
        return frozenset()
    data = yaml.safe_load(DEV.read_text(encoding="utf-8"))
    texts = (str(item["text"]).lower() for item in data.get("utterances", []))
    return frozenset(t for t in texts if len(t.split()) > 3)


# Dev batch 10: thin intents, written fresh the way people write in Slack and Telegram (typos,
# abbreviations, emoji, politeness, indirect wishes, questions about actions, several clauses),
# and hedged requests ("maybe pause it"), which the bot confirms. Appended after every other row.
T = {"trap": True}
DEV_BATCH10: list[tuple[Any, ...]] = [
    # capabilities
    ("what kinds of things can u do", "capabilities", None, "question"),
    ("so what are you actually able to do for me?", "capabilities", None, "question"),
    ("what r ur features", "capabilities", None, "question"),
    ("what can i ask you about", "help", None, "question"),
    ("new here 👋 what does this bot do", "help", None, "question"),
    ("what else are you capable of", "capabilities", None, "question"),
    ("list your capabilities pls", "capabilities", None, "command"),
    ("what commands do you understand", "help", None, "question"),
    ("which things can I control from here", "capabilities", None, "question"),
    ("what's this bot good for", "capabilities", None, "question"),
    # help
    ("halp", "help", None, "command"),
    ("im lost, how does this work", "help", None, "question"),
    ("how do i talk to you", "help", None, "question"),
    ("any docs for this bot?", "help", None, "question"),
    ("help me out here, what do I type", "help", None, "question"),
    ("usage?", "help", None, "question"),
    ("how am i supposed to use you", "help", None, "question"),
    ("show me the help", "help", None, "command"),
    ("need help with the bot", "help", None, "statement"),
    ("🆘", "help", None, "statement"),
    # greeting
    ("heyyy", "greeting", None, "statement"),
    ("good morning team ☀️", "greeting", None, "statement"),
    ("yo", "greeting", None, "statement"),
    ("hiya bot", "greeting", None, "statement"),
    ("morning!", "greeting", None, "statement"),
    ("hello there 👋", "greeting", None, "statement"),
    ("hey hey", "greeting", None, "statement"),
    ("good afternoon", "greeting", None, "statement"),
    ("sup", "greeting", None, "statement"),
    ("hi again", "greeting", None, "statement"),
    # thanks
    ("ty!", "thanks", None, "statement"),
    ("cheers mate", "thanks", None, "statement"),
    ("thx a lot 🙏", "thanks", None, "statement"),
    ("perfect, thank you so much", "thanks", None, "statement"),
    ("much appreciated", "thanks", None, "statement"),
    ("great, thanks bot", "thanks", None, "statement"),
    ("thank u", "thanks", None, "statement"),
    ("awesome thanks!!", "thanks", None, "statement"),
    ("👍 thanks", "thanks", None, "statement"),
    ("many thanks for the update", "thanks", None, "statement"),
    # waiting_on_me
    ("anything i need to approve?", "waiting_on_me", None, "question"),
    ("do i have pending approvals", "waiting_on_me", None, "question"),
    ("what's waiting for my sign off", "waiting_on_me", None, "question"),
    ("am i blocking anything?", "waiting_on_me", None, "question"),
    ("whats in my approval queue", "waiting_on_me", None, "question"),
    ("is someone waiting on me for something", "waiting_on_me", None, "question"),
    ("show me what needs my approval", "waiting_on_me", None, "command"),
    ("any approvals for me today?", "waiting_on_me", None, "question"),
    ("what do i still have to sign off on", "waiting_on_me", None, "question"),
    ("pending approvals pls", "waiting_on_me", None, "command"),
    ("does anything need my ok?", "waiting_on_me", None, "question"),
    ("my approvals", "waiting_on_me", None, "statement"),
    # list_tasks
    ("what's running right now?", "list_tasks", None, "question"),
    ("show me everything i own", "list_tasks", None, "command"),
    ("which jobs do i have", "list_tasks", None, "question"),
    ("list all my jobs pls", "list_tasks", None, "command"),
    ("what tasks are active", "list_tasks", None, "question"),
    ("give me an overview of my tasks", "list_tasks", None, "command"),
    ("anything running atm?", "list_tasks", None, "question"),
    ("my jobs?", "list_tasks", None, "question"),
    ("what am i tracking", "list_tasks", None, "question"),
    ("can you list the tasks in this channel", "list_tasks", None, "command"),
    ("which of my tasks failed", "list_tasks", None, "question", {"argument": "failed"}),
    ("show my paused tasks", "list_tasks", None, "command", {"argument": "paused"}),
    # notify_settings
    ("only ping me when something fails", "notify_settings", None, "command"),
    ("pls stop sending me progress updates, just failures", "notify_settings", None, "command"),
    ("no notifications between 10pm and 7am", "notify_settings", None, "command"),
    ("what are my notification settings", "notify_settings", None, "question"),
    ("I only want to hear about completions", "notify_settings", None, "wish"),
    ("set quiet hours 23:00 to 08:00", "notify_settings", None, "command"),
    (
        "too many pings, just tell me when things finish or break",
        "notify_settings",
        None,
        "command",
    ),
    ("turn off quiet hours", "notify_settings", None, "command"),
    ("notify this channel only about failures", "notify_settings", None, "command"),
    ("how do my alerts work right now?", "notify_settings", None, "question"),
    # notify_channel
    ("can you send my updates to telegram instead", "notify_channel", None, "command"),
    ("move my notifications to email pls", "notify_channel", None, "command"),
    ("i'd rather get these on slack", "notify_channel", None, "wish"),
    ("send stuff to my inbox from now on", "notify_channel", None, "command"),
    ("dm me on telegram instead of email", "notify_channel", None, "command"),
    ("notify me everywhere again", "notify_channel", None, "command"),
    ("switch notifications to e-mail", "notify_channel", None, "command"),
    ("only slack for notifications please", "notify_channel", None, "command"),
    # who_approves
    ("who signs off on the dental app", "who_approves", "den03", "question"),
    ("who needs to approve dental?", "who_approves", "den03", "question"),
    ("whos the approver for carol's app", "who_approves", "den03", "question"),
    ("who's allowed to approve the clinic app", "who_approves", "den03", "question"),
    ("which people can approve the dental one", "who_approves", "den03", "question"),
    ("who do i ask to get the dental app approved", "who_approves", "den03", "question"),
    ("who's on the hook for approving the app", "who_approves", "den03", "question"),
    ("approvers of the dental clinic app?", "who_approves", "den03", "question"),
    # unmute
    ("turn the etl alerts back on", "unmute", "etl07", "command"),
    ("ok unmute the sync again", "unmute", "inv01", "command"),
    ("i want notifications for churn again", "unmute", "chn55", "wish"),
    ("resume notifications for the backups", "unmute", "bkp12", "command"),
    ("stop muting the crm", "unmute", "crm42", "command"),
    ("un-mute the dental app pls", "unmute", "den03", "command"),
    ("bring back the etl pings", "unmute", "etl07", "command"),
    ("unsilence the invoices job", "unmute", "inv01", "command"),
    # subscribe
    ("ping me when the backups are done", "subscribe", "bkp12", "command"),
    ("can u tell me when the etl finishes", "subscribe", "etl07", "command"),
    ("keep me posted on the dental app", "subscribe", "den03", "command"),
    ("i'd like to follow the sync", "subscribe", "inv01", "wish"),
    ("notify me if churn breaks again", "subscribe", "chn55", "command"),
    ("add me to the etl updates", "subscribe", "etl07", "command"),
    ("shout when the backups finish pls 🙏", "subscribe", "bkp12", "command"),
    ("watch the invoices sync for me", "subscribe", "inv01", "command"),
    ("give me a heads up once the etl is through", "subscribe", "etl07", "command"),
    # why_failed
    ("why did churn die", "why_failed", "chn55", "question"),
    ("what broke on the churn model", "why_failed", "chn55", "question"),
    ("churn failed again?? whats the error", "why_failed", "chn55", "question"),
    ("root cause for the training job failing?", "why_failed", "chn55", "question"),
    ("what made bob's training fail", "why_failed", "chn55", "question"),
    ("why is churn red", "why_failed", "chn55", "question"),
    ("whats the stack trace on churn", "logs", "chn55", "question"),
    ("explain why the model training crashed", "why_failed", "chn55", "command"),
    ("which step blew up in churn", "why_failed", "chn55", "question"),
    # history
    ("who paused the crm?", "history", "crm42", "report"),
    ("what happened to the billing migration", "history", "mig77", "question"),
    ("who cancelled billing", "history", "mig77", "report"),
    ("show the timeline of the payroll export", "history", "pay09", "command"),
    ("when was the crm paused and by who", "history", "crm42", "report"),
    ("audit trail for the dental app pls", "history", "den03", "command"),
    # eta
    ("how much longer on the sync?", "eta", "inv01", "question"),
    ("eta on the etl pls", "eta", "etl07", "command"),
    ("when's the etl gonna be finished", "eta", "etl07", "question"),
    ("roughly when will the invoices be done", "eta", "inv01", "question"),
    ("will the etl finish before standup?", "eta", "etl07", "question"),
    ("time remaining for the sync?", "eta", "inv01", "question"),
    ("how long till the backups are done ⏳", "eta", "bkp12", "question"),
    # logs
    ("tail the etl logs", "logs", "etl07", "command"),
    ("what's the sync printing rn", "logs", "inv01", "question"),
    ("can i see the output of the etl", "logs", "etl07", "question"),
    ("dump the last log lines of the backups", "logs", "bkp12", "command"),
    ("show me what churn logged", "logs", "chn55", "command"),
    ("logs for the invoices job pls 🙏", "logs", "inv01", "command"),
    # status, several clauses
    ("morning! how's the etl looking today", "status", "etl07", "question"),
    ("quick check: is the sync still going?", "status", "inv01", "question"),
    ("the dental app, where is it at", "status", "den03", "question"),
    ("hey, any progress on the invoices? the client is asking", "status", "inv01", "question"),
    ("status update on the etl would be great", "status", "etl07", "statement"),
    # retry_step
    ("give the failed churn step another go", "retry_step", "chn55", "command"),
    ("rerun just the step that failed in churn", "retry_step", "chn55", "command"),
    ("try train model again on churn", "retry_step", "chn55", "command"),
    ("retry the broken step pls", "retry_step", "chn55", "command"),
    # unknown
    ("what's for lunch", "unknown", None, "question"),
    ("tell me a joke", "unknown", None, "command"),
    ("book a meeting room for 3pm", "unknown", None, "command"),
    ("asdfghjkl", "unknown", None, "statement"),
    ("deploy the frontend to prod", "unknown", None, "command"),
    ("what's the wifi password", "unknown", None, "question"),
    ("lol", "unknown", None, "statement"),
    ("who won the game last night", "unknown", None, "question"),
    ("can you order pizza", "unknown", None, "command"),
    ("translate this to french", "unknown", None, "command"),
    # hedged requests and proposals: the bot asks first (suggestions)
    ("maybe pause the etl for a bit", "pause", "etl07", "suggestion", T),
    ("perhaps we pause the sync, it's hammering the db", "pause", "inv01", "suggestion", T),
    ("should we pause the invoices job?", "pause", "inv01", "suggestion", T),
    ("i guess cancel the backups", "cancel", "bkp12", "suggestion", T),
    ("probably best to restart churn from scratch", "restart", "chn55", "suggestion", T),
    ("how about retrying the churn step", "retry_step", "chn55", "suggestion", T),
    (
        "we should probably skip the transform step on the etl",
        "skip_step",
        "etl07",
        "suggestion",
        T,
    ),
    ("I think we should approve the dental app?", "approve", "den03", "suggestion", T),
    ("maybe reject the dental app, the icons look off", "reject", "den03", "suggestion", T),
    ("resume the crm i think", "resume", "crm42", "suggestion", T),
    ("might be worth muting the etl for an hour", "mute", "etl07", "suggestion", T),
    ("not sure but maybe cancel the etl", "cancel", "etl07", "suggestion", T),
]


# Batch 11: paraphrase families where the development split (tests/data/dev.yaml, never trained
# on) showed thin coverage; written apart from its rows, over this file's own tasks.
DEV_BATCH11: list[tuple[Any, ...]] = [
    # temporary stops are pauses; "off hold" resumes; a new run of a finished task restarts
    ("halt the etl for a couple of hours", "pause", "etl07", "command"),
    ("stop the invoices sync until the erp is back", "pause", "inv01", "command"),
    ("stop the backups temporarily", "pause", "bkp12", "command"),
    ("put the etl on ice", "pause", "etl07", "command"),
    ("take the crm off hold", "resume", "crm42", "command"),
    ("the crm can come off pause now", "resume", "crm42", "command"),
    ("kick the payroll export off again", "restart", "pay09", "command"),
    ("regenerate the payroll export", "restart", "pay09", "command"),
    ("bounce the etl", "restart", "etl07", "command"),
    ("have another crack at churn from the beginning", "restart", "chn55", "command"),
    # rejections said as verdicts or blocks
    ("block the dental app, icons are wrong", "reject", "den03", "command"),
    ("refuse the dental release", "reject", "den03", "command"),
    ("dental: rejected, the store listing is wrong", "reject", "den03", "command"),
    ("send the dental app back for another pass", "reject", "den03", "command"),
    # status: whether it ran at all
    ("did the backups even start", "status", "bkp12", "question"),
    ("was the payroll export successful?", "status", "pay09", "question"),
    ("etl done or not", "status", "etl07", "question"),
    ("whats the story with the crm", "status", "crm42", "question"),
    # history: what a task did or who did what
    ("what did the etl get up to over the weekend", "history", "etl07", "question"),
    ("any activity on the invoices sync since friday?", "history", "inv01", "question"),
    ("who put the crm on hold?", "history", "crm42", "report"),
    ("why did billing get cancelled", "history", "mig77", "report"),
    # list, who approves, what waits on me, capabilities, help
    ("what's in progress right now", "list_tasks", None, "question"),
    ("what are you keeping an eye on for me", "list_tasks", None, "question"),
    ("who do we chase for the dental approval", "who_approves", "den03", "question"),
    ("does carol have to sign off on the dental app", "who_approves", "den03", "question"),
    ("anything on my plate to approve?", "waiting_on_me", None, "question"),
    ("is anything held up by me", "waiting_on_me", None, "question"),
    ("what is your purpose", "capabilities", None, "question"),
    ("could you do more than status updates", "capabilities", None, "question"),
    ("what should i type to get a task's status", "help", None, "question"),
    # notification settings and channels
    ("quit messaging me about the etl", "mute", "etl07", "command"),
    ("i don't want alerts overnight", "notify_settings", None, "command"),
    ("don't wake me up at night for failures", "notify_settings", None, "command"),
    ("go back to slack for notifications", "notify_channel", None, "command"),
    ("updates to both email and telegram please", "notify_channel", None, "command"),
    ("is there a page where i can watch the etl", "open_link", "etl07", "question"),
    # traps: conditions, quotes, reasons, the past, things that are not tasks
    ("if the icons are still wrong we reject the dental app", "reject", "den03", "hypothetical", T),
    ("if churn looks stuck again i'll restart it", "restart", "chn55", "hypothetical", T),
    ("what if we killed the etl right now", "cancel", "etl07", "hypothetical", T),
    ("imagine we restarted churn, how long would that take", "restart", "chn55", "hypothetical", T),
    (
        "if i cancel the backups, can i start them again tomorrow?",
        "cancel",
        "bkp12",
        "hypothetical",
        T,
    ),
    ("carol says she'll reject the dental app", "history", "den03", "report", T),
    ("bob reckons we should cancel the etl", "history", "etl07", "report", T),
    ("don't cancel the etl, it's nearly finished", "cancel", "etl07", "negation", T),
    ("please don't pause the sync, it starts over from scratch", "pause", "inv01", "negation", T),
    ("don't approve the dental app yet, legal is still reading", "reject", "den03", "negation", T),
    ("i'm not killing the etl, where is it at though", "status", "etl07", "negation", T),
    ("can the tests step be skipped on the dental app?", "skip_step", "den03", "question", T),
    ("could you even pause the backups halfway?", "pause", "bkp12", "question", T),
    ("i stopped the download on my laptop", "history", None, "report", T),
    ("abort the sandwich order", "cancel", None, "command", T),
    ("sign off on my travel expenses", "approve", None, "command", T),
    ("retry the card payment", "retry_step", None, "command", T),
    ("cancel my flight booking", "cancel", None, "command", T),
    ("did you see the match yesterday", "unknown", None, "question"),
]


# Dev batches 7 and 8 (issue 11, round two) found these families thin: what a task did and when it
# last ran, whether someone did an action, "alive?", what waits on me said as "needing my ok",
# "redeploy", "why'd", whether the bot can do things, quiet days, a check that is a step, someone's
# words quoted, advice against an action, "don't touch it". Written apart from the dev rows.
DEV_BATCH12: list[tuple[Any, ...]] = [
    ("when did the etl last run", "history", "etl07", "question"),
    ("when did the backups last go through", "history", "bkp12", "question"),
    ("when did payroll last get exported", "history", "pay09", "question"),
    ("what has the etl done so far today", "history", "etl07", "question"),
    ("what's the sync done so far", "history", "inv01", "question"),
    ("was the etl rerun last night?", "history", "etl07", "report", T),
    ("were the backups cancelled?", "history", "bkp12", "report", T),
    ("was the dental app approved by anyone", "history", "den03", "report", T),
    ("the etl - alive?", "status", "etl07", "question"),
    ("is churn still alive", "status", "chn55", "question"),
    ("sync alive or dead?", "status", "inv01", "question"),
    ("what's needing my sign off", "waiting_on_me", None, "question"),
    ("anything needing my approval today?", "waiting_on_me", None, "question"),
    ("redeploy the dental app", "restart", "den03", "command"),
    ("can you redeploy the crm", "restart", "crm42", "command"),
    ("why'd the churn training die", "why_failed", "chn55", "question"),
    ("howd churn end up failing", "why_failed", "chn55", "question"),
    ("are you able to pause stuff", "capabilities", None, "question"),
    ("r u able to approve things for me?", "capabilities", None, "question"),
    ("nothing on saturdays pls", "notify_settings", None, "command"),
    ("nothing at the weekend please", "notify_settings", None, "command"),
    ("skip the lint check on the dental app", "skip_step", "den03", "command"),
    ("skip the smoke check for the crm", "skip_step", "crm42", "command"),
    ("the sanity check on the etl, skip it", "skip_step", "etl07", "command"),
    ('dana wrote "kill the etl" in #ops this morning', "history", "etl07", "report", T),
    ("bob posted cancel the backups in the channel", "history", "bkp12", "report", T),
    ("i wouldn't restart the etl right now", "restart", "etl07", "negation", T),
    ("i would not skip anything on the dental app", "skip_step", "den03", "negation", T),
    ("wouldnt pause the sync tbh", "pause", "inv01", "negation", T),
    ("don't touch the backups", "cancel", "bkp12", "negation", T),
    ("hands off the etl please", "cancel", "etl07", "negation", T),
    ("cancel my parcel from dhl", "cancel", None, "command", T),
    ("reject the meeting request from finance", "reject", None, "command", T),
    ("pause the song on the radio", "pause", None, "command", T),
    ("stop the app on my laptop", "cancel", None, "command", T),
    ("restart the game on my phone", "restart", None, "command", T),
    ("rerun churn from the last checkpoint", "restart", "chn55", "command"),
    ("pause the etl from tonight", "pause", "etl07", "command"),
    # batch 10: English as a second language, terse
    ("dana said cancel the etl tonight", "history", "etl07", "report", T),
    ("bob says pause the sync until monday", "history", "inv01", "report", T),
    ("not churn, the etl", "pause", "etl07", "correction", _ctx("chn55", "pause", True)),
    ("not dental, the crm", "approve", "crm42", "correction", _ctx("den03", "approve", True)),
    ("i give my approval for the dental app", "approve", "den03", "command"),
    ("we give the green light for dental", "approve", "den03", "command"),
    ("which person approves the dental app", "who_approves", "den03", "question"),
    ("which team can sign off the dental release", "who_approves", "den03", "question"),
    ("which things do you support", "capabilities", None, "question"),
    ("what actions can you handle", "capabilities", None, "question"),
    ("how near is the etl to finish", "eta", "etl07", "question"),
    ("sync ok or broken?", "status", "inv01", "question"),
    ("stop the migration of the whales lol", "cancel", None, "command", T),
    ("cancel the sync of my phone contacts", "cancel", None, "command", T),
]


# Dev batch 13: longer prose in a second language and in a manager's voice, polite indirect
# wishes, a negated action beside what is asked instead, questions about permission and about
# the bot's abilities, notifications (mute, settings, where they go), and yes-to-the-proposal
# follow-ups. Appended after every other row.
DEV_BATCH13: list[tuple[Any, ...]] = [
    # what is asked after a negated action
    ("i do not want the etl paused, i only need its progress", "status", "etl07", "negation", T),
    ("leave the backups running, i just want their logs", "logs", "bkp12", "negation", T),
    ("we won't restart churn, tell me why it died instead", "why_failed", "chn55", "negation", T),
    (
        "we don't need to skip anything on the crm, just tell us its state",
        "status",
        "crm42",
        "negation",
        T,
    ),
    # permission and ability
    ("who else is allowed to sign off the dental app", "who_approves", "den03", "question"),
    ("who else has the authority to decline the dental app?", "who_approves", "den03", "question"),
    ("is bob authorised to decline the dental app?", "who_approves", "den03", "question"),
    ("could you pause builds, or just report them?", "capabilities", None, "question"),
    ("are you capable of skipping steps?", "capabilities", None, "question"),
    ("tell me what the bot can do for our team", "capabilities", None, "command"),
    ("does skipping work on telegram or only on slack", "capabilities", None, "question"),
    ("how should i reject a step via slack", "help", None, "question"),
    ("i tried following the etl yesterday and it doesnt work", "help", None, "statement"),
    ("any instructions for new users?", "help", None, "question"),
    # notifications
    ("stop sending the backup pings to me", "mute", "bkp12", "command"),
    ("quit posting updates about the churn training in here", "mute", "chn55", "command"),
    ("give me the etl alerts again please", "unmute", "etl07", "command"),
    ("way fewer alerts from now on", "notify_settings", None, "command"),
    ("a single digest each morning is enough for me", "notify_settings", None, "statement"),
    ("don't want to get anything over the weekend", "notify_settings", None, "command"),
    ("show me how my pings are set up", "notify_settings", None, "command"),
    ("just failures and approvals, ping me only for those", "notify_settings", None, "command"),
    ("route the alerts into the ops channel, not my inbox", "notify_channel", None, "command"),
    ("deliver these notifications to our team chat from now on", "notify_channel", None, "command"),
    ("sub us to the nightly backups", "subscribe", "bkp12", "command"),
    (
        "please make sure i get notified as soon as the dental app is in the store",
        "subscribe",
        "den03",
        "command",
    ),
    ("inform me of each change of the payroll export please", "subscribe", "pay09", "command"),
    # polite prose, status and history
    ("Dear bot, how is the sync progressing this week?", "status", "inv01", "question"),
    (
        "hi, is the etl running smoothly today? our warehouse people keep asking",
        "status",
        "etl07",
        "question",
    ),
    ("dental app - current situation?", "status", "den03", "question"),
    (
        "is the invoices sync still waiting on the erp or moving again?",
        "status",
        "inv01",
        "question",
    ),
    ("churn training still down?", "status", "chn55", "question"),
    ("Who agreed to cancel the billing migration? I need the date.", "history", "mig77", "report"),
    ("has churn ever died before this week?", "history", "chn55", "question"),
    ("what did the backups do over the past week?", "history", "bkp12", "question"),
    ("What projects are running at the moment?", "list_tasks", None, "question"),
    ("is anything stuck because of me?", "waiting_on_me", None, "question"),
    ("the approvals that i alone must give, which are they?", "waiting_on_me", None, "question"),
    ("what's the web address for the etl page?", "open_link", "etl07", "question"),
    (
        "When do you think the dental app will be done, provided carol approves it this afternoon?",
        "eta",
        "den03",
        "question",
    ),
    # indirect wishes and requests told before a story
    (
        "It would be lovely if you could rerun the payroll export from scratch, the hours were wrong.",
        "restart",
        "pay09",
        "command",
    ),
    (
        "It would be helpful if the etl could wait till the weekend is over.",
        "pause",
        "etl07",
        "command",
    ),
    (
        "we need the fetch invoices step retried, the bank api was flaky",
        "retry_step",
        "inv01",
        "wish",
    ),
    ("Kill the backups for good, we switched provider last week.", "cancel", "bkp12", "command"),
    (
        "we'd like to terminate the nightly backups, the new vendor handles them since monday",
        "cancel",
        "bkp12",
        "wish",
    ),
    ("need the etl suspended while the dba patches the warehouse", "pause", "etl07", "wish"),
    ("get the crm running again when carol is back", "resume", "crm42", "command"),
    ("could you kick the crm back on after the import?", "resume", "crm42", "command"),
    (
        "bypass the ui tests of the dental app, carol checked them by hand",
        "skip_step",
        "den03",
        "command",
    ),
    ("reject the dental app, the apk must be rebuilt first", "reject", "den03", "command"),
    (
        "carol wants me to sign off the dental app while she is away, the apk is fine, please approve it",
        "approve",
        "den03",
        "command",
    ),
    # greetings and yes to a proposal
    ("Hi team, this is jana from accounting", "greeting", None, "statement"),
    ("hola hola, buenos dias", "greeting", None, "statement"),
    ("sure, go ahead", "pause", "etl07", "command", _ctx("etl07", "pause")),
    ("yeah do that", "restart", "chn55", "command", _ctx("chn55", "restart")),
    ("alright, confirmed", "cancel", "bkp12", "command", _ctx("bkp12", "cancel")),
    (
        "oops, the other one: carol's app",
        "pause",
        "den03",
        "correction",
        _ctx("etl07", "pause", True),
    ),
    ("churn ❌ - what went wrong?", "why_failed", "chn55", "question"),
]


# Dev batch 14: the many ways of saying each intent that new text kept missing (idioms for a step
# again or skipped, routing updates to a channel, how often to be told, not wishing to hear,
# what waits on me, overviews, earlier runs, causes of a failure, hours left, what the bot can
# do), and words quoted from someone else, which are never a request.
DEV_BATCH14: list[tuple[Any, ...]] = [
    ("let's have another go at the train model step", "retry_step", "chn55", "command"),
    ("give build apk one more shot pls", "retry_step", "den03", "command"),
    ("can the churn training get a second attempt at evaluate?", "retry_step", "chn55", "question"),
    ("one more try on the extract step of the etl", "retry_step", "etl07", "command"),
    ("just bypass publish to store on the dental app", "skip_step", "den03", "command"),
    ("we want the dedupe step skipped on the crm", "skip_step", "crm42", "wish"),
    ("i'd like the dental app approved before lunch", "approve", "den03", "wish"),
    ("i must decline the dental clinic app, the apk is unsigned", "reject", "den03", "command"),
    (
        "afraid i'm going to turn the dental release down, screenshots are missing",
        "reject",
        "den03",
        "command",
    ),
    ("post the payroll export alerts in #hr-ops", "notify_channel", "pay09", "command"),
    ("redirect the backup pings to #infra please", "notify_channel", "bkp12", "command"),
    ("switch the notification channel to #data-team", "notify_channel", None, "command"),
    ("which channel are my alerts posted to?", "notify_channel", None, "question"),
    ("one digest a day rather than a ping per step", "notify_settings", None, "command"),
    ("just a recap in the evening, not every little update", "notify_settings", None, "command"),
    ("alerts about errors only from now on", "notify_settings", None, "command"),
    ("i'm no longer interested in updates about the crm", "mute", "crm42", "statement"),
    ("take me off the etl notifications", "mute", "etl07", "command"),
    ("please unsubscribe me from the nightly backups", "mute", "bkp12", "command"),
    ("oops, silenced the invoices sync by mistake, undo it", "unmute", "inv01", "command"),
    ("you can post about the churn training again", "unmute", "chn55", "command"),
    ("i'd be glad to get news on the payroll export", "subscribe", "pay09", "wish"),
    ("send me updates about the dental app as it goes", "subscribe", "den03", "command"),
    ("what's on my plate for sign-off today?", "waiting_on_me", None, "question"),
    ("anything held up waiting for my ok?", "waiting_on_me", None, "question"),
    ("what do you need from me today", "waiting_on_me", None, "question"),
    ("give me the rundown of everything", "list_tasks", None, "command"),
    ("what completed yesterday", "list_tasks", None, "question"),
    ("what's on the agenda today", "list_tasks", None, "question"),
    ("previous runs of the nightly backups - all green?", "history", "bkp12", "question"),
    ("show the events log for the crm", "history", "crm42", "command"),
    ("cause of the crash on churn training?", "why_failed", "chn55", "question"),
    ("churn oom again or a data problem?", "why_failed", "chn55", "question"),
    ("how many more minutes for the backups", "eta", "bkp12", "question"),
    ("do you integrate with github", "capabilities", None, "question"),
    ("can you create tasks too?", "capabilities", None, "question"),
    ("does resume continue the crm import or begin again?", "resume", "crm42", "question", T),
    ("would rejecting the dental app delete the apk?", "reject", "den03", "question", T),
    ('alice keeps typing "pause the etl" in random threads', "history", "etl07", "report", T),
    ("bob wrote “cancel the backups” in the ticket yesterday", "history", "bkp12", "report", T),
]

HEADER = """\
# TRAINING/DEV split of the understanding corpus: generated by tests/data/build_corpus.py (edit
# that, then run it). The classifier trains on this file; tests gate accuracy on it. The
# held-back split is tests/data/heldout.yaml (other tasks, another voice; never tuned on).
# Fields: text, intent, task (expected task id or null), act, optional context_task,
# context_intent, step, argument, trap (true: must never change anything).
"""


def main() -> None:
    data = build()
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)
    OUT.write_text(HEADER + text, encoding="utf-8")
    print(f"{len(data['utterances'])} utterances → {OUT}")


if __name__ == "__main__":
    main()
