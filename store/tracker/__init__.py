"""The Tracker: the only code that changes task state.

Every accepted change writes, in one transaction, the new state, `task_progress` history rows,
and one outbox row per subscribed target that must hear of it. A change that is refused writes
nothing: the transaction is rolled back and the error says what and why. After the commit the
Tracker tells its listeners (WebSocket fan-out, the notifier's wake-up); nothing is sent to a chat
platform from here.

`Tracker` (in `facade`) is the one entry point; it hands each call to the collaborator that owns
it, all sharing one transaction per change through `unit`:

- `lifecycle`: creating tasks and applying engine events (the per-event state machine);
- `group_commit`: engine batches that arrive together, applied in one transaction;
- `controls`: pause, resume, cancel, restart, retry and skip, and the engine's control answer;
- `approvals`: opening approvals, recording decisions, expiring them;
- `subscriptions`: who hears of a task, mutes, preferences;
- `fanout`: the outbox rows a change or a notice yields;
- `finish`: closing a change (history, version, outbox, the listeners' message);
- `deliveries`: de-duplication of platform deliveries;
- `contract`, `views`, `validation`: the types callers use, pure readings of rows, input checks.

This module only re-exports the names the rest of the code imports from `store.tracker`.
"""

from store.tracker.contract import (
    DEFAULT_NOTIFY_EVENTS,
    EVENT_TYPES,
    MAX_STEP_ESTIMATE_SECONDS,
    RETIRE_EVENT,
    Applied,
    Decision,
    Limits,
    Listener,
    Membership,
    NewStep,
    NewTask,
    TaskChange,
)
from store.tracker.facade import Tracker
from store.tracker.subscriptions import target_row
from store.tracker.validation import LOG_LEVELS, MAX_TEXT, TASK_ID_RE, depth_of
from store.tracker.views import (
    approval_dict,
    chat_scope,
    control_dict,
    iso,
    person_scope,
    step_percent,
    task_percent,
)

__all__ = [
    "DEFAULT_NOTIFY_EVENTS",
    "EVENT_TYPES",
    "LOG_LEVELS",
    "MAX_STEP_ESTIMATE_SECONDS",
    "MAX_TEXT",
    "RETIRE_EVENT",
    "TASK_ID_RE",
    "Applied",
    "Decision",
    "Limits",
    "Listener",
    "Membership",
    "NewStep",
    "NewTask",
    "TaskChange",
    "Tracker",
    "approval_dict",
    "chat_scope",
    "control_dict",
    "depth_of",
    "iso",
    "person_scope",
    "step_percent",
    "target_row",
    "task_percent",
]
