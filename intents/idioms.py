"""Idioms whose words read as another intent, tried before every other rule of `intents.rules`.

"bounce it back" rejects while "bounce the sync" restarts; "to be stopped temporarily" pauses
while "stop it" cancels; "loop me in" subscribes; "rebake the assets" or "one more asset bake"
runs a task anew; "what broke on freeze database" asks why, though a step's name holds an action's
word. Each is a way people say one thing that the plain vocabulary of the rules would read as
another, so it must be tried first. Patterns are written over normalised text, like the rules.
"""

from __future__ import annotations

from intents.everyday_requests import EVERYDAY_RULES

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
    # "what does it say?" after why it failed, "what did the log say": its output
    ("logs", r"^(?:(?:and|so|ok|okay|well) )*what (?:does|did|do) (?:it|the (?:log|logs|output"
             r"|error|trace|traceback|console)) (?:actually |even )?say\b"),
    # "the milk model pausing itself every night is annoying": what a task does by itself is
    # that action, told (not the schedule of its notifications)
    ("pause", r"\b(?:pause[sd]?|pausing) (?:itself|themselves|by itself|on its own)\b"),
    ("restart", r"\b(?:restart(?:s|ed|ing)?|rerun(?:s|ning)?) (?:itself|themselves|by itself"
                r"|on its own)\b"),
    ("cancel", r"\b(?:cancel(?:s|led|ling)?|abort(?:s|ed|ing)?|kill(?:s|ed|ing)?) (?:itself"
               r"|themselves|by itself|on its own)\b"),
    ("why_failed", r"\bwhat broke (?:on|in|at|with|during|for)\b"
                   # "what killed the detector training last night": what made it fail (as
                   # "who paused it" asks who did)
                   r"|^(?:(?:so|and|hey|ok|okay|any idea|do you know|any clue) )*what (?:\w+ )?"
                   r"(?:killed|broke|crashed|took down|brought down|knocked over|tanked|nuked"
                   r"|blew up) (?:the|my|our|it|this|that)\b"),
    # "restart the whole export instead of fiddling with the one step": the task, not a step
    ("restart", r"\b(?:restart|rerun|redo) (?:the |my )?(?:whole|entire|full)\b"),
    # "what step is the telemetry job on", "which stage is the optimiser at": where it stands
    ("status", r"\b(?:what|which) (?:step|stage|phase) (?:is|s|are) (?:\w+ ){1,5}?(?:on|at|in)\b"),
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
    # "I want every single step update": how many updates, not one task's state
    ("notify_settings", r"\b(?:want|need|like|send me|give me) (?:to get )?(?:each|every)"
                        r" (?:single )?(?:step |stage |little )?(?:update|notification|ping|alert"
                        r"|message)s?\b"),
    ("subscribe", r"\b(?:ping|tell|notify|message|alert|update) (?:me|us) (?:on|about|of)"
                  r" (?:anything|everything|whatever) (?:that )?(?:happens|changes|goes on)\b"),
    # A thank-you for what was done ("great, thanks for pausing it", "appreciate it, saved me a
    # trip"): the action's word is what it thanks for, not a request (a gerund is read as its
    # verb by then: "thanks for pause it")
    ("thanks", r"^(?:(?:ok|okay|great|perfect|awesome|cool|nice|brilliant|oh|ah|wow) )*"
               r"(?:many |big |huge )?(?:thanks|thank you|thx|ty|cheers|ta)(?: (?:a lot|so much"
               r"|very much|again|heaps|loads))? for \w+(?: (?:it|that|this|them|the \w+"
               r"|my \w+|everything|all that))?(?: (?:so quickly|so fast|quickly|earlier))?$"
               r"|^(?:(?:ok|okay|great|really|much) )*appreciate (?:it|that|this|you)"
               r"(?! (?:if|when)\b)(?: (?:\w+ ){0,2}?(?:saved|helped|made)\b|$)"),
    # Everyday verbs of the actions at a request's start: "bin the roster job", "park the
    # survey thing", "take a breather on kdx08", "kick the yield training off again"
    # (not "nuke it and start again": a new run, read by the rules)
    ("cancel", r"^(?!.*\b(?:start (?:\w+ )?(?:over|again|afresh|fresh|anew)"
               r"|from (?:scratch|the top))\b)"
               r"(?:(?:please|pls|just|ok|okay|so|right|then) )*(?:bin|ditch|scrap|junk|trash"
               r"|nuke|axe) (?:it|that|this|them|the|my|our|\w+s)\b"
               r"|\byank (?:\w+ ){1,5}?(?:from|out of|off) the queue\b"),
    ("pause", r"^(?:(?:please|pls|just|ok|okay|so|right|then) )*(?:park|halt|shelve) (?:it|that"
              r"|this|them|the|my|our|\w+s)\b"
              r"|\btake a (?:breather|break|breath|rest|pause) (?:on|with|from)\b"),
    # "kick off the payroll run again" runs it anew; "kick the booking app off again" sets it
    # going again (of a finished task, that is running it anew: see `intents.understand`)
    ("restart", r"^(?:(?:please|pls|just|ok|okay|so|right|then) )*kick off (?:\w+ ){1,5}?"
                r"(?:again|once more|from scratch|from the top|anew)\b"),
    # ("kick it off again from the start" runs it anew: the rules read that)
    ("resume", r"^(?:(?:please|pls|just|ok|okay|so|right|then) )*kick (?!off\b)(?:\w+ ){1,5}?"
               r"off (?:again|once more)\b(?! (?:from|at) (?:scratch|zero|the (?:very )?(?:start"
               r"|beginning|top)))"),
    # "dump the logs from the flight dashboard run", "what the solver has been spitting out"
    ("logs", r"\bdump (?:the |its |all the |me the )?(?:logs?|output|stdout|stderr|console)\b"
             r"|\b(?:spitting|spat|spit|printing|printed) out\b"),
    # "wtf happened to the yield model", "which step failed on kel02", "was it a timeout that
    # killed it": why it failed
    ("why_failed", r"\b(?:wtf|wth|what the (?:hell|heck|fuck)) (?:has )?happened\b"
                   r"|\b(?:which|what) (?:step|stage|part) (?:failed|broke|crashed|died|blew up)\b"
                   r"|\bwas it (?:a |an |the )?(?:\w+ ){1,2}?that (?:killed|broke|crashed|failed"
                   r"|took down)\b"),
    # "where do my notifications currently go", "send the updates to my email"
    ("notify_channel", r"\bwhere do (?:my |the |our |all )?(?:\w+ )?(?:notifications|alerts"
                       r"|updates|pings|notifs) (?:currently |now |actually |usually |normally )"
                       r"(?:go|end up|get sent|land)\b"
                       r"|(?<!how to )\b(?:send|post|deliver|forward|route) "
                       r"(?:the |my |all |all the |all my )?"
                       r"(?:updates|notifications|alerts|pings|notifs) to (?:my |our )?(?:e ?mail"
                       r"|inbox|telegram|slack|dms?)\b"),
    # "who has rights to approve stuff on HR tasks", "can finance approve it or does it have to
    # be the CFO": who decides
    ("who_approves", r"\bwho (?:else )?(?:has|have|gets|got) (?:the )?(?:rights?|permissions?"
                     r"|authority|power) to (?:approve|sign|reject|decline|ok|okay)\b"
                     r"|\bapprove (?:\w+ ){0,3}?or (?:does|do|will|would) (?:it|they) (?:have|need)"
                     r" to be\b"),
    # "what's failed in the last 24h", "anything of lucia's in the queue?", "list whatever's
    # currently active": tasks by state or owner, not one
    ("list_tasks", r"^(?:(?:so|and|ok|okay|hey) )*(?:whats|what has|what is|what) (?:failed"
                   r"|crashed|broken|broke|stuck|paused) (?:in|over|during|since|today|this"
                   r"|overnight|recently)\b"
                   r"|\b(?:anything|something|any jobs|any tasks) (?:of \w+ )?(?:in|on) the queue\b"
                   r"|\blist (?:whatevers|whatever is|whatever|everything|all) (?:thats |that is "
                   r"|currently |that s )*(?:active|running|going|live)\b"
                   # "anything of mine still running?", "any simulations running?", "show me
                   # what's cancelled or failed": the tasks in a state, none named (not "anything
                   # stuck on me", not "any approvals pending")
                   r"|^(?:(?:so|and|ok|okay|hey|is there|are there) )*(?:anything|something"
                   r"|any (?!(?:approvals?|updates?|news|alerts?|notifications?|reviews?"
                   r"|sign ?offs?|progress|errors?|issues?|problems?)\b)(?:\w+ )?\w+s) "
                   r"(?:of (?:mine|ours|\w+s) )?"
                   r"(?:still |currently |now )?(?:running|going|active|paused|failed|failing|stuck"
                   r"|pending|cancelled|canceled)(?! (?:\w+ )?(?:on|for) (?:me|my|us)\b)"
                   r"(?: (?:right now|now|atm|at the moment|today|still))?$"
                   r"|^(?:show|list|give)(?: me)? (?:whats|what is|what has|whatever is"
                   r"|everything) "
                   r"(?:been |thats |that is )?(?:cancelled|canceled|failed|paused|running|stuck"
                   r"|finished|completed|done|pending|broken|crashed)(?: (?:or|and) \w+)?$"),
    # "when was the screening finished", "when did the calibration start failing", "has
    # anyone touched the docking screen since": what happened, and when
    ("history", r"\bwhen (?:was|were|did) (?:\w+ ){1,5}?(?:last )?(?:finished|completed|done"
                r"|finish|complete|succeed|succeeded|succeed)\b"
                r"|\bwhen did (?:\w+ ){1,4}?(?:start|begin) (?:failing|breaking|crashing|erroring"
                r"|to fail)\b"
                r"|\b(?:has|have|did) (?:anyone|anybody|someone|somebody) (?:touched|changed"
                r"|modified|edited|messed with|fiddled with)\b"
                # "when did ana send the report in for review", "did it get restarted or is
                # that still the old run?": when something was done, whether it was
                r"|\bwhen did (?:\w+ ){1,4}?(?:submit|send|sent|start|begin|kick|launch|request"
                r"|ask|create|open|trigger|run|go|get|stop|finish|complete|pause|resume|restart"
                r"|approve|reject|cancel|skip|change|update|land)\w*\b"
                r"|\bdid (?:it|that|this|they|the \w+|\w+) (?:\w+ )?get (?:re)?(?:started|restarted"
                r"|rerun|paused|resumed|cancelled|canceled|approved|rejected|skipped|retried|muted"
                r"|unmuted)\b"),
    # "stop sending me stuff about the screening": no more messages about it (but not when
    # it goes on to say which are still wanted: "..., just the failures" is a setting)
    ("mute", r"\bstop (?:sending|messaging|pinging|notifying|spamming|bugging|alerting) (?:me|us)"
             r"\b(?!.*\b(?:by|via|on|over) (?:e ?mail|telegram|slack|console)\b)"
             r"(?!.*\b(?:just|only) (?:the )?(?:\w+ )?(?:failures?|fails|errors?|completions?"
             r"|approvals?|changes|warnings|milestones|important ones|big ones"
             r"|starts? and (?:the )?(?:finish|end)(?:es|s)?)\b)"),
    # "ping me on telegram when the alignment hits variant calling": a subscription said with
    # its channel
    ("subscribe", r"\b(?:ping|tell|notify|message|alert|text|dm|email) (?:me|us) (?:on|via|by"
                  r"|over|in) (?:e ?mail|telegram|slack|console) (?:when|once|if|as soon as)\b"),
    # "switch me to failures-only updates", "move us over to daily digest alerts": which
    # updates (a channel among the words says where they go: "switch me to email updates"; "put
    # me on the crm notifications" subscribes)
    ("notify_settings", r"\b(?:switch|move|change) (?:me|us) (?:over )?to "
                        r"(?!(?:\w+ ){0,4}?(?:e ?mail|mail|telegram|slack|console)\b)"
                        r"(?:\w+ ){1,4}?(?:updates|notifications|alerts|pings|notifs)\b"),
    # "switch me to email updates", "move us over to telegram": where the updates go
    ("notify_channel", r"\b(?:switch|move|change) (?:me|us) (?:over )?to (?:e ?mail|mail|telegram"
                       r"|slack|console)\b"),
    # "notify me everywhere": where the updates go, all of the channels
    ("notify_channel", r"\b(?:notify|ping|message|tell|reach|alert|update) (?:me|us) everywhere\b"),
    # "move everything to email", "switch it all over to slack": where every update goes
    ("notify_channel", r"\b(?:move|switch|send|put|route|shift) (?:everything|it all|all of it"
                       r"|all of them|all) (?:over )?(?:to|on|onto) (?:my |our )?(?:e ?mail|mail"
                       r"|telegram|slack|console)\b"),
    # "and put those on telegram", "send them to my email instead": the updates just spoken of,
    # moved to a channel (not a follow-up of the subscription before it)
    ("notify_channel", r"^(?:and |ok |okay |now |also |then |pls |please )*(?:put|send|move"
                       r"|switch|route|post|drop|deliver) (?:those|them|these|they|em) "
                       r"(?:on|to|in|into|via|through|over to|over) (?:my |our |the )?(?:\w+ )?"
                       r"(?:e ?mail|mail|telegram|slack|console)\b"),
    ("waiting_on_me", r"\bam i (?:still )?(?:holding up|holding back|blocking|slowing down)\b"),
    # "open photo tagging": a task's page (not "open tasks", the tasks still open)
    ("open_link", r"^(?:(?:please|pls|can you|could you|ok|hey) )*open (?!(?:up\b|tasks|jobs"
                  r"|approvals|ones|items|issues|tickets|questions))\w+"),
    # "list paused", "show failures": tasks by state
    ("list_tasks", r"^(?:list|show)(?: me)?(?: all)?(?: the)? (?:paused|failed|failures|failing"
                   r"|running|pending|stuck|active|finished|completed|cancelled|canceled|broken"
                   r"|crashed)(?: ones| tasks| jobs| runs)?(?: please| pls)?$"),
    # "post the roster updates in the ward 4 group, not to me": where updates go
    ("notify_channel", r"(?<!how to )\b(?:post|send|put|route|drop) (?:the |my |all |all the )?"
                       r"(?:\w+ )?"
                       r"(?:updates|notifications|alerts|pings|notifs) (?:in|to|into|on) (?:the "
                       r"|our |a |my )?(?:\w+ ){0,3}?(?:group|channel|chat|room)\b"),
    # "is the board pack done or do I need to chase someone", "is it actually broken or is the
    # alert lying", "the checksum one, still red?": where it stands
    ("status", r"\bis (?:it|the (?:\w+ ){1,3}?)(?:actually |really |still |even )?(?:done|finished"
               r"|broken|stuck|dead|alive|ok|okay|green|red|healthy) or\b"
               r"|\bstill (?:red|green|broken|stuck|failing|dead|alive|healthy)$"),
    # "shut it up till morning": no more messages about it ("shut it down" cancels)
    ("mute", r"\bshut (?:it|this|that|them|the \w+|\w+) up\b"),
    # "share the page for bao's batch with me": its page
    ("open_link", r"\b(?:share|send|give|pass) (?:me |us )?(?:the |its |their )?(?:web )?"
                  r"(?:page|dashboard page|view)\b"),
    # (round eight) "give the tide model a fresh start", "start the import afresh": run anew
    ("restart", r"\b(?:a )?fresh start (?:on|for|of|with)\b|\bgive (?:it|that|this|them|the"
                r" (?:\w+ ){1,3}?)a fresh start\b"
                r"|\bstart (?:it|that|this|them|the (?:\w+ ){1,3}?)(?:fresh|afresh|anew)\b"),
    # "send me the grant report dashboard", "pass us the import's page": its page
    ("open_link", r"\b(?:share|send|give|pass) (?:me |us )?(?:the |its |their )?(?:\w+ ){0,3}?"
                  r"(?:dashboard|page|view)(?: with (?:me|us)\b|$)"),
    # "we want the merge's pings again", "can I get its alerts again?", "start getting the
    # pings again", "turn back on the alerts for it": no longer muted (a wish or a request: "I
    # keep getting the alerts again and again" complains, "don't want them again" mutes)
    ("unmute", r"(?<!dont )(?<!do not )(?<!never )\b(?:(?:i|we)(?: really| still| do)? (?:want"
               r"|need|would like|d like)|can (?:i|we) (?:get|have)) (?:to (?:get|receive|see) )?"
               r"(?:the |my |its |their )?(?:\w+ ){0,3}?(?:updates|notifications|alerts|pings"
               # (and whose: "updates from the ferry sim again")
               r"|notifs|messages)(?: (?:from|for|about|on)(?: \w+){1,5}?)? again\b"
               r"(?! and again)"
               r"|\b(?:start|resume) (?:getting|receiving) (?:the |my |its |their )?(?:\w+ ){0,3}?"
               r"(?:updates|notifications|alerts|pings|notifs|messages)(?: again)?\b"
               r"|\bturn (?:back on|on again) (?:the |my |all |its )?(?:\w+ )?(?:notifications"
               r"|alerts|updates|pings|notifs)\b"),
    # "what pipelines could we track?": the tasks there are, not a subscription to one
    ("list_tasks", r"^(?:(?:so|and|ok|okay|hey) )*(?:what|which) (?:tasks|jobs|projects|runs"
                   r"|pipelines) (?:can|could|may) (?:i|we) (?:follow|subscribe to|watch|track)\b"),
    # "the merge's est. end time?", "completion date of the report": when it ends
    ("eta", r"\best (?:completion|finish|end|time|duration)\b|\bcompletion (?:time|date|eta)\b"
            # "how long does the merge run when restarted from scratch": the time asked,
            # whatever action the condition names
            r"|^(?:(?:so|and|ok|okay|hey) )*how long (?:will|would|does|do|is) (?:\w+ ){1,5}?"
            r"(?:take|run|last)\b"),
    # "why has the merge not succeeded?", "why didn't the import work": why it failed
    ("why_failed", r"\bwhy (?:has|have|did|hasnt|havent|didnt) (?:\w+ ){1,5}?(?:not )?(?:succeeded"
                   r"|succeed|worked|work|passed|pass|gone through|go through)\b"),
    # (round twelve) "when will the deploy land", "the migration should land by friday": a
    # change lands when it is done
    ("eta", r"\bwhen (?:\w+ ){1,5}?(?:will|ll|would|is going to|gonna|should|does|do) land\b"
            r"|\b(?:will|ll|gonna|going to) land (?:today|tonight|tomorrow|soon|by|before|this"
            r"|in)\b"),
    # "what was the exception?": the error a failure raised
    ("why_failed", r"\bwhat (?:was|is|were|are) the exceptions?\b|\bwhats the exception\b"
                   r"|\bwhich exception\b"),
    # "the latest output from the scan", "its last lines": the log, not a status ("the latest")
    ("logs", r"\b(?:latest|last|recent|newest) (?:output|outputs|log lines|console output)\b"),
    # "what happened before that?": earlier in the task's history
    ("history", r"\bwhat (?:happened|went on|was done|did it do) (?:just )?(?:before|prior to)"
                r" (?:that|this|it|then)\b"),
    # "leave it running, don't pause it": the action refused is the one named, not the "leave
    # it running" that alone refuses a cancel
    ("pause", r"\b(?:dont|do not|never) (?:pause|suspend|freeze) (?:it|that|this|them|the)\b"),
    # "hold off on signing off the ferry": not yet, said of an approval or a rejection
    ("approve", r"\bhold off (?:on |with )?(?:the |my |our |its )?(?:signing off|sign ?off"
                r"|approving|approval|greenlighting|green light)\b"),
    ("reject", r"\bhold off (?:on |with )?(?:the |my |our )?(?:rejecting|rejection|declining)\b"),
    # "stop sending step messages, just the final results": which updates come, a setting
    ("notify_settings", r"\b(?:just|only) (?:the )?(?:final|end) (?:results?|outcomes?"
                        r"|updates?|status)\b"
                        r"|\bstop sending (?:the |those |these |all the )?(?:step|progress|percent"
                        r"|percentage|intermediate|minor|small|interim)(?: \w+)? (?:messages"
                        r"|updates|notifications|pings|alerts)\b"),
    # "are you just a status bot or can you actually control jobs?": what the bot can do
    ("capabilities", r"\b(?:just|only) a (?:status|read only|reporting|notification) bot\b"
                     r"|\bcan (?:you|u|this bot|the bot) (?:actually |also |even |really )?"
                     r"(?:control|manage|operate|change) (?:jobs|tasks|runs|anything|things)\b"),
    # "thanks 👍" (the emoji read as its words after a thank-you in another language)
    ("thanks", r"^(?:thanks|thank you|thx|ty|cheers)(?: (?:a lot|so much|again|heaps))?"
               r" (?:thumbs up|ok|okay|great|perfect)$"),
    *(
        # (round fourteen)
        # "the reindex's scans, anything?", "any news on the tiles": anything new about it (no
        # verb of a request or a question asked of someone)
        ("status", r"^(?!.*\b(?:can|could|do|does|did|is|are|will|would|you|i|we|not|no|dont"
                   r"|need|want|else|me|us|help|with|for|to|about|pause|resume|cancel|stop|kill"
                   r"|mute|unmute|skip|retry|restart|rerun|approve|reject|subscribe|follow)\b)"
                   r"(?:\w+ ){1,4}anything(?: new| yet| at all| today)?$"),
        # "keep the pods muted": leave the mute as it is, a negated unmute (as "keep it paused"
        # is a negated resume)
        ("unmute", r"\b(?:keep|leave) (?:\w+ ){1,3}?(?:muted|silenced)\b"),
        # "and the dashboard", "its link please": its page, said alone after another question
        ("open_link", r"^(?:(?:and|also|ok|okay|so|now|then) )*(?:the |its |a |their )?"
                      r"(?:dashboard|link|url|web page|web link)(?: (?:link|page|too|as well"
                      r"|please|pls))*$"),
        # "but only when it's done", "just once it fails": which updates, not when it ends
        # (also for the task in view: "for this one, just once it fails")
        ("notify_settings", r"^(?:(?:but|and|so|ok|okay|then) )*(?:for (?:that|this|it)(?: one)?"
                            r" )?(?:only|just) (?:when|once|if)"
                            r" (?:its |it s |it is |it has |they are |theyre |it )?(?:done"
                            r"|finished|complete|completed|over|fails|failed|breaks|ends|errors"
                            r"|crashes)$"),
        # "do not disturb from 23 to 6", "quiet time 10pm till 7": a daily window, a setting
        ("notify_settings", r"\b(?:do not disturb|quiet (?:hours?|time|mode)) (?:\w+ ){0,3}?"
                            r"(?:from |between )?\d{1,2}\w* (?:to|till|until|and) \d{1,2}\w*\b"),
        # "which events can I get notified about?": the kinds of update there are
        ("notify_settings", r"\b(?:which|what) (?:kinds? of |sorts? of |types? of )?(?:events"
                            r"|things|changes) (?:\w+ ){0,4}?(?:notified|pinged|told)"
                            r" (?:about|of|on|for)\b"),
        # "the digest at 8am is too late", "the morning summary comes too early": its time
        ("notify_settings", r"\b(?:digest|summary|summaries|recap)(?: \w+){0,3}? too \w+"),
        # "telegram is blocked on the ward wifi", "slack is down here": a channel that fails
        ("notify_channel", r"\b(?:telegram|slack|e ?mail|console)(?: \w+)? (?:is|s|gets|got) "
                           r"(?:\w+ )?(?:blocked|down|not working|broken)\b"),
        # "what do you know to do?", "what you know to do": what the bot can do
        ("capabilities", r"\bwhat (?:do |can )?(?:you|u) know (?:how )?to do\b"),
        # "I want the brewery monitor back on": set going again (not its alerts: unmute)
        # ("turn it back on" after a mute unmutes: the rules read that)
        ("resume", r"\b(?:want|need|like|have) (?!(?:\w+ ){0,4}?"
                   r"(?:alerts|notifications|pings|updates|notifs|messages)\b)(?:\w+ ){1,4}?"
                   r"back on\b(?! track)"),
        # "you can start the fermentation monitor again": set going again (of a task that is
        # over, a new run: `intents.task_state`)
        ("resume", r"\bstart (?!(?:over|afresh|fresh|anew|from|\w+ing)\b)(?:\w+ ){1,4}?again\b"
                   r"(?! (?:from|at) (?:scratch|zero|the (?:very )?(?:start|beginning|top)))"),
        # "monitor continue please": the order after a task's name
        ("resume", r"^(?:\w+ ){1,4}?(?:continue|carry on|keep going|go on) (?:please|pls|now)\b"),
        # "run feature engineering again, only that step", "just do that step again": one step
        ("retry_step", r"^(?:(?:please|pls|just|ok|okay|so|then) )*(?:run|do|redo|rerun|repeat)"
                       r" (?:\w+ ){1,4}?(?:again|once more|over)\b.*\b(?:only|just)"
                       r" (?:that|this|the|one) step\b"
                       r"|\b(?:do|run|redo|rerun|repeat) (?:that|this|the|the failed|the broken)"
                       r" step (?:again|once more|over)\b"),
        # "already following too many tasks", "subscribed to too many": no more subscriptions
        ("subscribe", r"\b(?:following|watching|tracking) too many\b"),
        # "has Kasia approved her run yet?", "have the auditors signed off?": what was done
        ("history", r"\b(?:has|have) (?!(?:you|u|i|we|it)\b)\w+ (?:already |finally |even )?"
                    r"(?:approved|rejected|signed off|declined)\b"),
        # "all deploys this week?", "all the exports": tasks of a kind, not one
        # (a plural that is no task's kind is what the other rules read: "all the logs")
        ("list_tasks", r"^(?:(?:and|so|ok|okay|hey|show|list|show me) )*(?:all|every) (?:the |my"
                       r" |our |of the )?(?!(?:\w+ )?(?:logs|alerts|notifications|notifs|updates"
                       r"|pings|steps|errors|settings|channels|messages|approvals|details|thanks"
                       r"|events)\b)(?:\w+ )?\w+s(?: (?:this|last|today|from|in|since|for)\b"
                       r"(?: \w+){0,3})?$"
                       r"|^(?:(?:so|and|ok|okay) )*what (?:is|s|else is) (?:there|out there)"
                       r"(?: in \w+)?(?: all(?: of them)?)?$"),
    ),
    *(
        # (round fifteen)
        # "the backup from step one again", "again from the very first step": the whole run anew,
        # though "step one again" reads as a step retried
        ("restart", r"\bfrom (?:the )?(?:step (?:one|1)|(?:very )?first step) (?:again|once more"
                    r"|over)\b|\b(?:again|once more) from (?:step (?:one|1)|the (?:very )?first"
                    r" step)\b"),
        # "leave the sync running, no pausing": the action refused is the one named after it
        ("pause", r"\b(?:leave|keep) (?:\w+ ){1,4}?(?:running|going)\b.*\b(?:no|without|not"
                  r"|dont|do not) (?:pausing|pauses|pause|suspending|freezing)\b"),
        # "was the backup rerun at some point today?", "were they paused earlier?": what was done
        ("history", r"^(?:(?:so|and|ok|hey|quick q|quick question) )*(?:was|were) (?!you\b)"
                    r"(?:\w+ ){1,5}?(?:restarted|rerun|re run|paused|resumed|cancelled|canceled"
                    r"|retried|skipped|approved|rejected|stopped|killed|muted|unmuted) (?:at some"
                    r" point|at any point|earlier|already|today|yesterday|this (?:morning|week"
                    r"|afternoon)|last (?:night|week)|recently|before|ever|at all)\b"),
        # "what's the story with the export since monday": what went on since
        ("history", r"\b(?:story|happened|been going on|gone on|changed|been happening)"
                    r" (?:\w+ ){0,5}?since (?:monday|tuesday|wednesday|thursday|friday|saturday"
                    r"|sunday|yesterday|last \w+|this morning|the weekend|\d{1,2}\w*)\b"),
        # "the pause on it was Ilse, right?": who did what was done
        ("history", r"\bthe (?:pause|restart|rerun|cancel|approval|rejection|sign off|skip"
                    r"|retry|resume) (?:on|of) (?:\w+ ){1,3}?was (?!\w+ing\b)\w+"
                    r"(?: (?:right|wasnt it|yeah|yes|no))?$"),
        # "would be great if the sign-off step could get approved now": an approval wished for
        ("approve", r"\b(?:could|can|would|should|might) (?:get|be) (?:approved|signed off)\b"),
        # "I'd like to stop hearing about the payroll": its notifications, not the task
        ("mute", r"\bstop hearing (?:about|from)\b"),
        # "let's hear from the ad push again": its notifications back
        # (not "I never want to hear from it again")
        ("unmute", r"^(?!.*\b(?:never|dont|do not|not|no|nothing)\b)(?:\w+ )*?(?:lets|let s"
                   r"|want to|like to|start to|can we|could we) hear"
                   r" (?:from|about) (?:\w+ ){1,5}?again\b"),
        # "dnd from 6pm on weekdays", "set my phone to do not disturb": a standing window or the
        # phone's own setting, not a mute of now (dnd "for an hour" is one)
        ("notify_settings", r"\b(?:do not disturb|dnd|quiet (?:hours?|time|mode))\b(?: \w+){0,4}?"
                            r" (?:on |at |during |over )?(?:weekdays|weekends|weeknights|nights"
                            r"|every (?:day|night|evening|weekday)|each (?:day|night)|daily"
                            r"|nightly)\b"
                            r"|\bmy (?!(?:\w+ )?(?:alerts|notifications|notifs|pings|updates)\b)"
                            r"\w+ (?:to|on|into) (?:do not disturb|dnd)\b"),
        # "daily digests are useless for the payroll": how updates come, judged
        ("notify_settings", r"\b(?:digest(?:s)?|summary|summaries|recap(?:s)?) (?:are|is|s)"
                            r" (?:\w+ )?(?:useless|pointless|no good|not enough|too slow|too much)"
                            r"\b"),
        # "notifying only on failure sounds risky": which updates, weighed
        ("notify_settings", r"\b(?:notifying|pinging|alerting|messaging|notifications|alerts"
                            r"|pings) (?:me |us |people |the team )?only (?:on|for|when|about"
                            r"|if|at) (?:\w+ )?(?:failures?|errors?|completion|success|fails"
                            r"|finish|the end)\b"),
        # "does the forecast need anyone's sign-off at all?": whose approval it needs
        ("who_approves", r"\b(?:does|do|will|would) (?:\w+ ){1,6}?(?:need|require|want)"
                         r" (?:anyones|anyone s|anybodys|anybody s|someones|someone s|somebodys"
                         r"|somebody s|any|an|a) (?:sign ?off|approval|ok|okay|go ahead)\b"),
        # "would be great to know when the stations get it, roughly": an estimate, not a ping
        ("eta", r"\b(?:know|tell me|say) when\b(?: \w+){1,10}?(?: roughly| approximately"
                r"| more or less| give or take)$"),
        # "give me the feature tour", "show us a quick tour": what the bot can do (a word of the
        # rules is no task's word any more: "feature" stays a task's)
        ("capabilities", r"^(?:(?:ok|okay|so|pls|please|can you|could you) )*(?:give|show|take)"
                         r" (?:me|us) (?:on )?(?:the|a) (?:\w+ )?tour\b"),
        # "helloooo anyone home", "hiii": a greeting drawn out
        ("greeting", r"^(?:hel+o+|hey+|hi+|yo+|hallo+|hola+)(?: (?:there|all|everyone|team))?"
                     r"(?: (?:anyone|anybody|someone|somebody) \w+)?$"
                     r"|^(?:anyone|anybody) (?:there|around)$"),
        # (round seventeen (d)) "rerun only the failed bit of the migration": the step that
        # failed, said as a part of the run, not the whole of it
        ("retry_step", r"\b(?:rerun|re run|redo|retry|run|repeat) (?:only |just )?(?:the|that)"
                       r" (?:failed|failing|broken) (?:bit|part|piece|portion|stage)\b"),
        # "I'd like Hannah's run notifications restored", "let's get its alerts going again":
        # the notifications back on, not the task set going again
        ("unmute", r"\b(?:notifications|notifs|alerts|pings|updates) (?:\w+ )?(?:restored"
                   r"|going again|back on|turned back on|switched back on)\b"
                   r"|\brestore (?:\w+ ){0,3}?(?:notifications|notifs|alerts|pings)\b"),
        # "leave the timetable paused, thanks": as "keep it paused", no resume (said alone: a
        # question after it, "leave it paused, just curious how far it got", asks that)
        ("resume", r"^(?:(?:please|pls|just|ok|okay|no|nah) )*leave (?:\w+ ){1,3}?(?:paused"
                   r"|on hold|frozen|suspended)(?: (?:please|pls|thanks|thank you|thx|ty|for now"
                   r"|as is|as it is|for the moment))*$"),
        # "say no to the winning variant": a rejection ordered in plain words (not "legal says
        # no to it", someone else's verdict)
        ("reject", r"^(?:(?:please|pls|ok|okay|so|then|just|lets|let s|we|i) )*say no to"
                   r" (?!(?:me|us|you|him|her|them|everything|anything)\b)\w+"),
        # "mute everything between 10pm and 7am", "silence alerts from 22 to 6": a standing
        # window of quiet, a setting (a mute "for 2 hours" is one of now)
        ("notify_settings", r"\b(?:mute|silence|snooze|pause|hold) (?:all |my )?(?:everything"
                            r"|notifications|notifs|alerts|pings|updates)(?: \w+)?"
                            r" (?:between|from) \d{1,2}(?:am|pm|h)?(?: \d\d)? (?:and|to|till"
                            r"|until) \d{1,2}(?:am|pm|h)?\b"),
        # "is rebalancing going to wrap up in the next hour?": when, asked of a time to come
        ("eta", r"\b(?:going to|gonna) (?:wrap up|finish|be done|be finished|complete|be ready)"
                r" (?:in|within|by|before|today|tonight|soon|this)\b"),
        # "can you list every task you know about", "what do I own", "what has Priya got going
        # these days": every task (of someone's), none named
        ("list_tasks", r"\b(?:list|show|give) (?:me |us )?(?:every|each|all (?:the )?) ?(?:tasks?"
                       r"|jobs?|runs?)(?: (?:you|u) (?:know|have|track|see))?\b"
                       r"|^what do (?:i|we) own\b"
                       r"|^(?:so )?what (?:has|have|does|do|s|is) \w+ (?:got|have) going\b"),
    ),
    *(
        # (round eighteen (b))
        # "who gives the green light on the timetable", "who gives us the go ahead": who
        # approves, asked with the idiom an approval is said in (not approving it)
        ("who_approves", r"\bwho (?:\w+ )?(?:gives|give|hands out|has)(?: (?:us|me|it|them|this"
                         r"|that))? (?:the |a |its |their |final )?(?:green light|greenlight"
                         r"|go ahead|thumbs up|final say|final ok|final okay)\b"),
        # "let's switch to a morning digest", "can we go over to a weekly recap": the updates
        # gathered into one, a setting (with or without "me"; a channel named is notify_channel)
        ("notify_settings", r"\b(?:switch|move|change|go)(?: (?:me|us|it|everything|it all))?"
                            r"(?: over| back)? to (?:a |an |the |one |just a |only a )?"
                            r"(?:\w+ ){0,2}?(?:digest|recap|roundup|round up)\b"),
        # "digest at 9am", "the recap every friday please": when the gathered updates come
        ("notify_settings", r"^(?:(?:ok|okay|so|and|then|please|pls|maybe|just) )*"
                            r"(?:(?:a|the|my|one|our) )?(?:\w+ )?(?:digest|recap|roundup)"
                            r" (?:at|around|by|every|each"
                            r"|on|once a|twice a) (?:\d|noon|morning|evening|night|day"
                            r"|week|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"),
        # "anything cancelled lately?", "what got paused recently": which tasks came to that
        # state in a while (tasks by state and time, none named)
        ("list_tasks", r"^(?:(?:so|and|hey|ok|okay) )*(?:anything|any (?:jobs?|tasks?|runs?)"
                       r"|what|which (?:jobs?|tasks?|runs?|ones?)) (?:got |has been |have been"
                       r"|was |were )?(?:cancelled|canceled|failed|paused|finished|completed"
                       r"|stopped|killed|crashed|aborted) (?:lately|recently|today|yesterday"
                       r"|overnight|this (?:week|morning|month)|last (?:night|week))$"),
        # "what happened overnight with the brewery", "walk me through what the solar job did
        # today": what was done, the time said before the task (not why it failed)
        ("history", r"\bwhat happened (?:overnight|last night|yesterday|today|earlier|this"
                    r" (?:morning|week|weekend)|over the weekend) (?:to|with|on|in|for) (?!you\b)"
                    r"|\bwalk (?:me|us) through what\b"),
    ),
)  # fmt: skip
# Everyday requests for a history, a digest or a channel (round eighteen (a)).
IDIOM_RULES += EVERYDAY_RULES
