"""Idioms whose words read as another intent, tried before every other rule of `intents.rules`.

"bounce it back" rejects while "bounce the sync" restarts; "to be stopped temporarily" pauses
while "stop it" cancels; "loop me in" subscribes; "rebake the assets" or "one more asset bake"
runs a task anew; "what broke on freeze database" asks why, though a step's name holds an action's
word. Each is a way people say one thing that the plain vocabulary of the rules would read as
another, so it must be tried first. Patterns are written over normalised text, like the rules.
"""

from __future__ import annotations

__all__ = ["IDIOM_RULES"]

IDIOM_RULES: tuple[tuple[str, str], ...] = (
    # Idioms whose words read as another intent ("bounce it back" rejects, "bounce the sync"
    # restarts; "to be stopped temporarily" pauses; "loop me in" subscribes).
    ("reject", r"\bbounce (?:(?:it|that|this|them) |the (?:\w+ ){1,3}?)back\b|\bsend back\b"),
    ("pause", r"\b(?:be|get|got|have) (?:\w+ )?(?:stopped|halted) (?:temporarily|for now"
              r"|for a (?:bit|while|moment|minute|minutes|sec|second|seconds|few \w+)"
              r"|till|until)\b"),
    # "rebake the assets", "retrain the churn model", "one more asset bake" (a task's whole name
    # reads "task" to the rules), "give the clinical lock another go": the task run anew; the
    # verbs only in a verb's place ("how's the index rebuild going" asks about a task's name)
    ("restart", r"(?:^|\b(?:please|pls|just|to|lets|let s|can you|could you|should we|we should"
                r"|and|then|dont|do not|not) )(?:rebake|rebuild|retrain|reindex|rerender"
                r"|recompute|regenerate)(?: (?:it|that|this|them|the|my|our|his|her|everything"
                r"|all)\b|$)"
                r"|(?<!create )(?<!add )(?<!make )(?<!start )\b(?:one more|another|a fresh"
                r"|a second) task\b"
                r"|\bgive (?:the |my |our )?task (?:another|one more|a second|a fresh|a new)"
                r" (?:go|shot|try|run|spin|attempt)\b"),
    ("subscribe", r"\bloop (?:me|us) in\b|\bcc (?:me|us) (?:on|in)\b"),
    # "what broke on freeze database": a step's name may hold an action's word
    ("why_failed", r"\bwhat broke (?:on|in|at|with|during|for)\b"),
    # "restart the whole export instead of fiddling with the one step": the task, not a step
    ("restart", r"\b(?:restart|rerun|redo) (?:the |my )?(?:whole|entire|full)\b"),
    # "what step is the telemetry job on": where it stands
    ("status", r"\bwhat (?:step|stage|phase) (?:is|s|are) (?:\w+ ){1,5}?(?:on|at|in)\b"),
    ("history", r"^(?:(?:so|and|ok|hey) )*who did (?:that|this|it)\b"),
    ("resume", r"\bback (?:into|in) gear\b|\bback on track\b"),
    # "has the export been restarted since it broke?": what was done since
    ("history", r"\b(?:has|have) (?:\w+ ){1,5}?been (?:restarted|rerun|paused|resumed|cancelled"
                r"|canceled|retried|skipped|approved|rejected|touched) since\b"),
    # "just tell me about step changes, not every percent": which updates (before status's
    # "percent")
    ("notify_settings", r"\bnot (?:for )?every (?:single )?(?:percent|percentage|tick)\b"
                        r"|\b(?:just|only) (?:tell|notify|ping|message|update) (?:me|us) about"
                        r" (?:\w+ )?(?:changes|failures|errors|completions)\b"),
    ("subscribe", r"\b(?:ping|tell|notify|message|alert|update) (?:me|us) (?:on|about|of)"
                  r" (?:anything|everything|whatever) (?:that )?(?:happens|changes|goes on)\b"),
)  # fmt: skip
