"""The rules that recognise intents, and the vocabulary they are written in.

Rules run on normalised text (lower case, apostrophes dropped so "how's" reads "hows", punctuation
gone, intent-word typos fixed) and are tried in `RULES` order: the first that matches wins. Order
matters where phrasings overlap, e.g. "cancel it and start over" is a restart, not a cancel, and
"stop the notifications" is a mute, not a cancel. `TYPO_KEYWORDS` are the words whose typos are
fixed before the rules run; `rule_intent` and `rule_words` apply the rules to a message.
"""

from __future__ import annotations

import re
from functools import lru_cache

from intents.approval_questions import APPROVAL_QUESTION_RULES
from intents.bot_questions import BOT_QUESTION_RULES, CHANNELS
from intents.idioms import IDIOM_RULES
from intents.rule_index import RuleIndex
from intents.types import INTENT_NAMES

__all__ = [
    "COMPILED_RULES",
    "NOT_PUT_OFF",
    "RULES",
    "TYPO_KEYWORDS",
    "Rule",
    "rule_intent",
    "rule_words",
]

# Words whose typos we fix before the rules run ("staus", "cancle", "pasue"). Four-letter words
# are only fixed for swapped letters ("lgos"), which keeps "stop"/"stor" and "help"/"held" apart.
TYPO_KEYWORDS: tuple[str, ...] = (
    "check", "everything", "status", "progress", "update", "cancel", "abort", "terminate", "pause",
    "resume", "continue",
    "restart", "retry", "again", "approve", "reject", "decline", "subscribe", "notify", "unmute",
    "unpause", "logs", "help", "mute", "skip", "stop", "thanks", "thank", "hello", "estimate",
    "remaining", "failed", "failure", "error", "wrong", "notifications", "tasks", "going",
    "finished", "done", "please", "approval", "proceed", "snooze", "silence", "step",
    "history", "approvals", "approved", "telegram", "email", "slack", "everywhere", "notifs",
    "cancelled", "restarted", "paused", "resumed", "skipped", "rejected", "happened",
    "suspend", "freeze", "relaunch", "rerun", "timeline", "capabilities", "features",
    "sitrep", "stdout", "output", "history", "traceback", "browser",
    # question words and a few more of what people ask about, as often mistyped ("waht", "wehn")
    "what", "when", "where", "which", "waiting", "pending", "settings", "running", "working",
    "finish", "approvers", "logged", "notification", "dashboard",
)  # fmt: skip

_THING = r"(?:it|this|that|the \w+|my \w+|this one|that one)"
_NOTIFS = (
    r"(?:notifications?|notifs?|alerts?|updates?|pings?|pinging|messages?|messaging|emails?|spam)"
)

# "don't approve it yet", "… till the copy is fixed", "… before I speak to tomas": the
# approval put off, not refused (follows a negated "approve").
NOT_PUT_OFF = r"(?!(?: \w+){0,8}? (?:yet|until|till|untill|before|for now|for the moment)\b)"
# A day or a time of day, said as the moment something is expected.
_WHEN = (
    r"(?:today|tonight|tomorrow|this (?:morning|afternoon|evening|week|weekend)|next week"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|eod|lunch|noon)"
)
# (intent, pattern) in priority order; an intent may appear more than once.
_CHANNEL = CHANNELS
_PAST_ACTION = (
    r"(?:paused|cancelled|canceled|stopped|restarted|reran|rerun|relaunched|approved|rejected|"
    r"declined|resumed|unpaused|skipped|killed|aborted|muted|unmuted|retried|signed off|"
    r"silenced|snoozed|put on hold|halted|suspended|froze|frozen)"
)
# "I'd like the pipeline paused", "we need the sync stopped": a wish with a past participle.
_WANT = r"\b(?:like|want|need|get|have|prefer) (?:\w+ ){1,5}?"
# "i want the analysis approved before standup": a wish said with the participle ("can we get
# it approved?" asks, and is left to the classifier).
_WISH_FOR = r"\b(?:like|want|need|prefer) (?:\w+ ){1,5}?"
# "i'd like the evals step to be skipped on the fine-tune": a wish for a state, however far.
_WANT_TO_BE = r"\b(?:like|want|need|prefer) (?:\w+ ){1,10}?to be "
# "should the etl be killed?", "can the crm be resumed": asked about, by its past participle.
_BE = (
    r"(?:\b(?:should|could|can|may|must|will|would|shall) (?:\w+ ){1,4}?be (?:\w+ )?"
    # "the fraud training can be restarted now": said of the task, the modal right before "be"
    r"|\b(?:can|could|may|should|must) (?:now |safely |finally |already |really )?be (?:\w+ )?)"
)

# A message that opens with an action on a step: a "check" in it is the step acted on.
_NO_STEP_ACT = (
    r"(?!(?:\w+ ){0,4}?(?:skip|skipping|bypass|bypassing|retry|retrying|rerun|rerunning|redo)\b)"
)
RULES: tuple[tuple[str, str], ...] = (
    *IDIOM_RULES,
    *BOT_QUESTION_RULES,
    # "ping me when the crm is waiting for my approval": a subscription, not what waits on me
    ("subscribe", r"\b(?:ping|tell|notify|message|alert|text|dm|remind|let) (?:me|us) (?:know )?"
                  r"(?:when|once|as soon as|if) (?:\w+ ){1,6}?(?:is |are )?"
                  r"(?:waiting|ready|pending) (?:on|for) (?:me|my|us|our)\b"),
    # "notify me only when a task fails or needs my approval": which updates, before what waits
    # on me
    ("notify_settings", rf"\b(?:what|which) (?:\w+ ){{0,2}}?{_NOTIFS} (?:am i|do i|will i|are we"
                        rf"|do we|does the bot send me) (?:still |currently |actually )?(?:getting"
                        rf"|get|receiving|receive)\b"
                        r"|\b(?:notify|tell|ping|message|alert|update) (?:me|us) only\b"
                        r"|\bonly (?:notify|tell|ping|message|alert|update) (?:me|us)\b"
                        # "only tell me why it is slow" asks one thing
                        r"(?! (?:why|what|whats|how|hows|where|wheres|who|whether|if it)\b)"),
    # "how do i approve from telegram?", "i tried to subscribe but it didn't work", "where are
    # the instructions": how to use the bot, not the action itself
    ("help", r"\bsyntax\b"
             # "what's the command to see logs?", "which command do I use for approvals"
             r"|\b(?:whats|what is|which|what) (?:the )?(?:slash )?(?:command|commands) (?:to|for"
             r"|do i use|should i use|i use)\b"
             r"|\bhow (?:do|can|should|would) (?:i|we) \w+(?: \w+){0,3}? (?:from|in|on|via"
             rf"|through|over) (?:the )?{_CHANNEL}\b"
             r"|\b(?:i tried|tried (?:it|that|this))\b.*\b(?:didnt|did not|doesnt|does not"
             r"|wont|will not) work\b"
             r"|\binstructions\b|\bhow to use (?:you|this bot|the bot|this)\b"
             r"|\b(?:remind|show|tell|teach) (?:me|us) how (?:to|do i|can i|i can)\b"),
    # "do you support jira?", "can you deploy code?", "what commands do you understand": what the
    # bot can do at all (verbs it has no action for, or support of a tool)
    ("capabilities", r"^(?:(?:so|and|hey|hi|hello|ok|okay|also) )*(?:can|could|do|will) (?:you|u"
                     r"|this bot|the bot|it)(?: also| even| actually| maybe| possibly| ever)? "
                     r"(?:deploy|create|schedule|translate|browse|integrate|support"
                     r"|add new|make new|add a new|make a new|set up new|set up a new"
                     r"|understand|speak|work with|talk to|hook into)\b"
                     r"|\b(?:anything|something|things) (?:you|u) (?:cant|cannot|can not|are not"
                     r"|arent) (?:able to )?do\b"
                     r"|\b(?:what|which) (?:commands|phrases|requests)"
                     r" (?:do |can |will )?(?:you|u|the bot|this bot|it) (?:understand|know"
                     r"|support|take|accept|get|handle)\b"),
    # Questions about who decides, and what waits on me, before approve: "who may approve" asks.
    *APPROVAL_QUESTION_RULES,
    # "many thanks for the update": a thank-you, whatever it thanks for.
    ("thanks", r"^(?:(?:ok|okay|great|perfect|awesome|cool|nice|brilliant) )*(?:many |big |huge )?"
               r"(?:thanks|thank you|thx|ty|cheers)(?: (?:a lot|so much|very much|again))?"
               r" for (?:the |your |that |this |all the )?(?:quick )?(?:update|updates|info|help"
               r"|heads up|answer|reply|summary|status|news)$"),
    ("capabilities", r"\bwhat (?:else )?(?:can|could) (?:you|this bot|the bot|it|this thing) "
                     r"(?:actually |really |even )?do\b"
                     r"|\bwhat (?:else )?(?:are|r) (?:you|u) (?:actually |really |even )?"
                     r"(?:able|capable)\b"
                     # "are you able to restart things or just report?": things in general
                     r"|\b(?:are|r) (?:you|u) (?:actually |even )?able to \w+ (?:things|stuff)\b"
                     r"|\b(?:what|which) (?:things|stuff|features|actions) (?:do |can )?"
                     r"(?:you|u) (?:support|handle|understand|know)\b"
                     r"|\bcapabilit|\b(?:what|which|your|any|other|more|new|list(?: of)?"
                     # ("the new feature config" is a task's setting, not the bot's features)
                     r"(?: your| the)?) features\b(?! (?:config|configuration|set|store|table"
                     r"|flags?|file))|\bfeatures (?:do you|does|you have)\b"
                     r"|^features$|\b(?:your|what) (?:skills|abilities)\b"
                     r"|\bwhat (?:kind|sort) of (?:things|stuff) "
                     r"(?:can|do) you\b|\bcan you do anything\b|\bwhat are you good (?:at|for)\b"
                     r"|\bwhat are you for\b|\bwhats your (?:purpose|job|deal)\b"
                     r"|\b(?:can|could) (?:you|u) do (?:more|anything|other (?:things|stuff)"
                     r"|something else)\b"
                     r"|\bwhat (?:all )?can you help (?:me )?with\b"
                     # "what kind of things can this bot help me with", "do you do eta
                     # predictions too"
                     r"|\bwhat (?:kinds?|sorts?) of (?:things|stuff|tasks|requests) (?:can|could|do"
                     r"|does) (?:this bot|the bot|you|u|it) (?:\w+ )?(?:help|do|handle)\b"
                     r"|\bfunctionality\b"
                     r"|^(?:(?:so|and|hey|hi|ok|okay) )*(?:can|could) (?:you|u|this bot|the bot) "
                     r"(?:actually |even |also )?\w+ (?:\w+ ){0,6}?or (?:is it|only (?:the|these"
                     r"|those|our) (?:jobs|tasks))\b"
                     r"|^(?:(?:so|and|hey|hi|ok|okay) )*(?:does|do) (?:this thing|this bot|the bot)"
                     r" do \w+$"
                     r"|^(?:(?:so|and|hey|hi|ok|okay) )*(?:do|can|could) (?:you|u|this bot"
                     r"|the bot) (?:also |even )?do (?:\w+ ){1,2}?(?:too|as well|also)$"),
    ("help", r"\bdifference between\b|\b(?:the|a) manual\b|\bnew here\b"
             r"|\bwhere (?:do|should|can) i (?:start|begin)\b"
             r"|\bhow does (?:this|the) (?:bot|thing) work\b"
             r"|\bhow (?:do|can|should) i ask (?:you )?about\b"
             r"|\bhow (?:do|should|can|would) (?:i|we) (?:refer to|name|mention|address|specify"
             r"|pick|point (?:you )?(?:at|to)) (?:a |the |one )?(?:task|job)s?\b"
             r"|\bhow (?:do|can|should|am) (?:i|we) (?:even |supposed to )?(?:talk|speak|chat)"
             r" (?:to|with) (?:you|u|the bot|this bot|this thing)\b"
             r"|\bhow (?:do|can|should) i (?:ask|tell|get) (?:you|the bot)\b"
             r"|\bhow (?:am i|are we) (?:meant|supposed) to (?:use|work with|talk to)\b"),
    # Before status ("progress view"), logs and notify_channel: a link, a browser, a web page.
    ("open_link", r"(?<!check )(?<!broken )(?<!dead )\b(?:link|links|url|urls|hyperlink)\b"
                  r"(?! (?:check|checks|checker|checking))"
                  # "kill the process on my laptop" is about a thing there, not a page
                  r"|^(?!.*\b(?:kill|cancel|stop|restart|pause|abort|close|quit)\b)"
                  r".*\b(?:in|on|from|via|through|with|using) (?:the |my |a |your )?"
                  r"(?:browser|web|web ?browser|chrome|firefox|safari|laptop)\b"
                  r"|\b(?:progress|live|web|status|console|admin) (?:view|page|site)\b"
                  r"|\bdashboard (?:for|of)\b|\b(?:web )?address (?:of|for)\b"
                  r"|\bis there (?:a|an) (?:dashboard|page|web ?page|site|website|ui|view|url)\b"
                  r"|\bweb ?(?:view|page|ui|version|app)\b|\bbrowser\b"
                  r"|\bwhere (?:can|do|could|should|would) (?:i|we) "
                  r"(?:see|view|watch|follow|look at|track|open|find|check)\b"
                  r"(?!.*\b(?:logs?|output|history|timeline|errors?|traceback|tasks|jobs)\b)"
                  r"|^(?:(?:please|pls|can you|could you|ok|hey) )*open (?:up )?(?:the|my|it|that"
                  r"|this)\b(?!.*\b(?:tasks|jobs|approvals|ones)\b)"),
    # "post the alerts here instead of my dms", "move the notifications to #ops"
    ("notify_channel", rf"\b{_NOTIFS}\b.*\binstead of (?:my |our |the |a )?(?:dms?|direct"
                       rf" messages?|private (?:chat|messages?)|inbox|mailbox)\b"
                       rf"|\b(?:move|switch|send|post|route|put|deliver|redirect|forward|pipe"
                       rf"|direct|point|drop) (?:all )?(?:the |my |these |those |our |its )?"
                       rf"(?:\w+ ){{0,4}}?"
                       rf"{_NOTIFS} (?:to|in|into|on|at|over to) (?:#|(?:this|that|our|the|a|my"
                       rf"|another|a different) (?:\w+ )?(?:channel|group|chat|room)\b)"
                       rf"|\b(?:change|switch|move|set) (?:the |my |its |their )?(?:notification "
                       rf"|alert |update )?(?:channel|room) (?:to|for)\b"
                       rf"|\bwhere (?:do|are|is) (?:my |the |our |all )?(?:\w+ )?{_NOTIFS} (?:go"
                       rf"|going|end up|ending up|get sent|sent|get posted|posted|land|landing)\b"
                       # "deliver all notifications for the audit to the #finance channel"
                       rf"|\b{_NOTIFS}\b(?: \w+){{0,4}}? (?:to|into|in) (?:the )?#"
                       rf"|\b{_NOTIFS} (?:to |can |could |should )?(?:go|be sent|be posted) to "
                       rf"(?:the |our |a |another )?"
                       rf"(?:\w+ )?channel\b"
                       # "catalogue import updates should go to #supplier-ops from now on"
                       rf"|\b{_NOTIFS} (?:should|must|can|could|shall|will|to) (?:now )?"
                       rf"(?:go|be sent|be posted|land|end up) (?:to|in|into|on) #"
                       rf"|\b(?:which|what) (?:channel|room|chat) (?:do|does|are|is) (?:my |the "
                       rf"|our )?(?:\w+ )?{_NOTIFS}\b"),
    ("notify_channel", rf"\b{_NOTIFS}\b.*\b(?:by|via|over|through|on|in|to) "
                       # ("to my work email": a word may say which of one's own)
                       rf"(?:both |only |just )?(?:(?:my|our) (?:\w+ )?)?{_CHANNEL}\b"
                       rf"|\b(?:go|switch|move) back to {_CHANNEL}\b"
                       rf"|\b{_CHANNEL} for (?:my |all my |the |all the )?{_NOTIFS}\b"
                       rf"|\b(?:e ?mail|telegram|slack) (?:only|instead)\b"
                       rf"|^(?:only )?(?:by |via |on )?(?:e ?mail|telegram|slack)(?: only)?"
                       rf"(?: please)?(?: from now on)?$"
                       rf"|\bonly (?:by |via |on |through |in )?(?:e ?mail|telegram|slack)\b"
                       rf"|\beverywhere again\b|\b(?:all|every|both) channels\b"
                       rf"|\b(?:email|mail|message|ping|dm|notify|tell|reach|contact|text) "
                       rf"(?:me|us) (?:on|via|by|through|in|over) {_CHANNEL}\b"
                       rf"|\b(?:email|mail) me instead\b|\binstead of (?:e ?mail|telegram|slack)\b"
                       rf"|\b(?:switch|move|change|route|send) (?:my |all my |the )?(?:{_NOTIFS} )?"
                       rf"(?:to|over to) (?:the )?{_CHANNEL}\b"
                       rf"|\b(?:get|receive|have) (?:these|them|those|my {_NOTIFS}|{_NOTIFS}) "
                       rf"(?:by|via|on|through|in) {_CHANNEL}\b"
                       rf"|\bfrom now on\b.*\b{_CHANNEL}\b|\b{_CHANNEL}\b.*\bfrom now on\b"
                       rf"|\bstop using {_CHANNEL}\b|\b(?:use|prefer) {_CHANNEL}\b"
                       rf"|\bstop (?:e ?mailing|mailing|texting|slacking|dming) (?:me|us)\b"
                       rf"|\b(?:e ?mail|mail|slack|telegram|dm|text) (?:me|us) (?:\w+ ){{0,3}}?"
                       rf"instead\b"
                       rf"|\b{_CHANNEL} (?:is|s) (?:enough|fine|ok|okay|better|plenty)\b"),
    ("history", rf"\bhistory\b|\btimeline\b|\bwhat happened (?:to|with)\b|\bwhats happened\b"
                rf"|\bwhat has happened\b|\bbeen up to since\b"
                rf"|\bwhat (?:has|have) (?:\w+ ){{1,4}}?been up to\b"
                # "when did the docs site last go out": its last run, in the past
                rf"|\bwhen did (?:\w+ ){{1,5}}?last\b"
                # "was the scraper restarted?": whether someone did it ("has it been approved
                # yet" asks where it stands)
                rf"|^(?:so |and |hey )?(?:was|were) (?:\w+ ){{1,4}}?(?:restarted|rerun|reran"
                rf"|relaunched|cancelled|canceled|approved|rejected|retried|skipped|resumed"
                rf"|unpaused|killed|aborted)\b(?!.*\byet\b)"
                # "what's the fine-tune done so far": what it did, not where it is
                rf"|\bwhat(?:s| has| have) (?:\w+ ){{1,4}}?(?<!be )(?<!is )(?<!get )done so far\b"
                rf"|\bany (?:changes?|activity|events) (?:to|on|in|for|with)\b"
                rf"|\bwhy did (?:\w+ ){{1,5}}?(?:get|be) {_PAST_ACTION}\b"
                rf"|\bwhat (?:has )?changed\b|\bwhats changed\b"
                rf"|\bwhat(?:s| has) been done\b|\bactivity (?:log|of|on|for)\b"
                rf"|\baudit (?:log|trail|history)s?\b|\bevents (?:log|for|of|on|in)\b"
                rf"|\b(?:earlier|previous|past|prior|last(?= \w+ (?:runs|attempts)))"
                rf" (?:few |two |three |four |five |\d+ )?(?:runs|attempts)\b"
                rf"|\bwho (?:has |had )?{_PAST_ACTION}\b|\bwhen was (?:\w+ ){{1,5}}{_PAST_ACTION}\b"
                rf"|\bwhy (?:was|were|is|are|has been|got) (?:\w+ ){{1,5}}{_PAST_ACTION}\b"
                rf"|\b(?:did|has|have|had) (?:anyone|anybody|someone|somebody|we|you) "
                rf"(?:already )?(?:pause|cancel|stop|restart|rerun|approve|reject|resume|skip|kill|"
                rf"abort|mute|retry|sign off|decline|silence|put on hold|{_PAST_ACTION})\b"),
    ("history", r"\bwho (?:changed|turned|set|edited|modified|touched)\b"
                # "what steps did the data lock get through": what it did
                r"|\b(?:what|which|how many) (?:steps|stages) (?:did|has|have|had) (?:\w+ ){1,5}?"
                r"(?:get through|got through|complete|completed|finish|finished|pass|passed|do|done"
                r"|run|ran)\b"
                # "who decided to cancel it", "has it failed before": what was done, and when
                r"|\bwho (?:decided|chose|wanted|asked|agreed) to \w+"
                r"|\b(?:failed|crashed|broken|broke|died) before\b"
                r"|\bwhat (?:\w+ ){1,4}?did (?:in|over|during) (?:the )?(?:last|past)\b"
                # "what did the etl do overnight", "who put the crm on hold": what was done
                r"|\bwhat did (?:\w+ ){1,4}?(?:do|get up to|change|touch)\b(?! (?:if|when)\b)"
                r"|\bwho (?:has |had |just )?(?:put|took|switched|shut|called|pulled|kicked"
                r"|knocked) (?:\w+ ){0,5}?(?:on hold|on ice|on pause|off|down|back on)\b"
                r"|\bwho(?:s| has)? been (?:messing|fiddling|playing|tinkering) (?:with|around)\b"
                r"|\b(?:was|were|got|been) (?:\w+ ){0,2}?rerun\b"
                r"|\bwho (?:gave|said) (?:the )?(?:ok|okay|go ahead|green light)\b"),
    # "is the etl still on hold?" asks; it does not put anything on hold.
    ("status", r"\bpercent(?:age)?(?: wise)?\b"
               r"|^(?!.*\bwhen\b)(?:(?:so|and|ok|okay|hey|hi|but) )*(?:did|has|have|is|was)"
               r" (?:\w+ ){1,5}?"
               r"(?:ever |already |yet |even )?(?:been )?(?:finish|finished|start|started|complete"
               r"|completed|succeed|succeeded|successful|a success|end|ended|picked up|kicked off"
               r"|kick off|get started"
               r"|go through|begun|began)\b"
               r"|\b(?:started|finished|done|running|complete|ready) or not\b"
               # "transcode ok or stuck again?"
               r"|\b(?:ok|okay|fine|good|alive) or (?:stuck|broken|dead|failing|not)\b"),
    # "overview pls", "what finished this week", "what's pending": every task, none named
    ("list_tasks", r"^(?:(?:an?|the|quick|some) )*(?:overview|rundown"
                   r"|roundup|run down|round up|summary of everything)(?: (?:please|pls|plz"
                   r"|thanks|now|today))*$"
                   r"|^(?:(?:so|and|ok|okay|hey|hi) )*(?:what|whats|what has|what have|anything)"
                   r" (?:\w+ )?(?:finished|completed|failed|fail|broke|break|crash|crashed|ran|run"
                   r"|started|shipped|pending"
                   r"|waiting|landed|done)(?: (?:today|yesterday|overnight|(?:this|last) (?:week"
                   r"|month|morning|night)|so far|lately|recently))*$"),
    # "what projects are pending?": which tasks, not one task's state
    ("list_tasks", r"^(?:(?:so|and|ok|okay|hey|hi) )*(?:what|which) (?:tasks|jobs|projects|runs)"
                   r" (?:are|have|got|were)\b"
                   # "what could we keep track of here?", "ls": what there is to follow
                   r"|^(?:(?:so|and|ok|okay|hey|hi) )*what (?:can|could|may) (?:i|we) (?:follow"
                   r"|track|watch|keep track of|keep an eye on)(?: here| with you| in here)?$"
                   r"|^(?:(?:so|and|ok|okay|hey|hi) )*what am i able to (?:follow|track|watch"
                   r"|keep track of)\b|^ls$"
                   # "what's in the queue", "what's on the board today": every task
                   r"|^(?:(?:so|and|ok|okay|hey|hi) )*(?:whats|what is|what are|anything) (?:in|on)"
                   r" (?:the|our) (?:queue|board|backlog)(?: (?:today|now|right now|this"
                   r" week|at the moment))?$"),
    # "is the crm still waiting for somebody's approval?", "still on hold?", "is it back up or
    # still dead?", "how is the payroll progressing?": where it stands, asked
    # "where the data lock stands", "a quick rundown of the import", "that import looking
    # healthy?"
    ("status", r"\bwhere (?:does |do )?(?:\w+ ){1,6}?stands?\b"
               r"|\b(?:rundown|run down|recap|readout|breakdown) (?:of|on|for) (?:the|my|our|it"
               r"|that|this|how)\b|\bhealthy\b"
               r"|\b(?:waiting|stuck|blocked) on (?:something|anything)\b"),
    ("status", r"^(?:(?:so|and|ok|okay|hey|hi|but|excuse me) )*(?:is|are) (?:\w+ ){1,6}?still "
               r"(?:\w+ing|pending|dead|down|broken|borked|stuck|there|alive|on hold|paused)\b"
               r"|^(?:still|already) (?:on hold|paused|frozen|suspended|stopped|halted|running"
               r"|stuck|pending|broken|dead|down)$"
               r"|\bback up or\b|\b(?:or )?still (?:dead|down|broken|borked)$"
               r"|\bor still (?:dead|down|broken|borked)\b"
               # "what's the one waiting for approval?": the task in that state, asked about
               r"|^(?:whats|what is|which is) the (?:one|task|job) (?:that is |thats |which is )?"
               r"(?:waiting|pending|failed|failing|stuck|paused|running)\b"
               r"|\bhow (?:\w+ ){1,6}?(?:progressing|advancing|moving along)\b"
               r"|\b(?:going|working|running) (?:well|ok|okay|fine|normally|smoothly|as expected)\b"
               r"|\b(?:the )?(?:current )?situation (?:with|of|on|for)\b|\bcurrent (?:state|status"
               r"|situation)\b|\bstill runs\b|\bwhere (?:it|they|things) (?:is|are|stands?)\b"),
    ("status", r"^(?:(?:so|and|ok|okay|hey|hi|but) )*(?:is|are|has|have) (?:\w+ ){0,5}?(?:still |"
               r"already |now )?(?:been )?(?:on hold|paused|frozen|suspended|stopped|halted)\b"
               r"|\bdid (?:\w+ ){1,4}?(?:make it|succeed|go (?:ok|okay|well|through|fine))\b"
               r"|\b(?:started|begun|kicked off) (?:already|yet)\b|\bhow much of\b"
               # "skip the link check on the docs site": a check that is a thing, not asked;
               # so is any check a step action opens with is the object of ("retry the fraud
               # check on the loans")
               rf"|^{_NO_STEP_ACT}(?:.*? )?(?<!link )(?<!links )(?<!health )(?<!sanity )(?<!smoke )"
               r"(?<!lint )(?<!type )check (?:up on |in on |on )?(?:the|my|it|that|how)\b"
               r"(?! logs?\b)"
               r"|\b(?:all good|everything (?:ok|okay|alright|fine|good)|any (?:problems|issues))"
               r" (?:with|on|for)\b|\btell me about (?:the|my|it|that|this)\b"
               r"|\bwhats (?:\w+ ){1,3}?up to\b|\bwhat (?:is|are) (?:\w+ ){1,3}?up to\b"
               r"|\b(?:just )?checking (?:in )?on\b|\bwhere (?:\w+ ){1,3}?(?:is|are) at\b"
               r"|\bwhere (?:its|it is|were|we are|things are|theyre|they are) at\b"
               rf"|\btl ?dr\b|^{_NO_STEP_ACT}(?:\w+ ){{0,3}}?check(?: it| please| on it)?$"
               # "price scraper - alive?": still going, asked
               r"|\b(?:still )?alive\b"
               r"|\bwhats (?:good|the deal|the story|the word) (?:with|on)\b"
               r"|\bwhats the (?:story|deal|situation|latest)\b"),
    ("eta", r"\b(?:going to|will|ll|gonna) make it (?:before|by|in time|for|to)\b"
            # "ready tonight or monday?", "ready by friday or next week?": a choice of when
            rf"|\b(?:done|ready|finished|over|live|out) (?:by |before |on )?{_WHEN} or\b"
            # "will the render take all weekend", "will it take hours?"
            # "do we know when the site goes live?"
            r"|\bwhen (?:\w+ ){1,5}?will (?:it |they )?(?:be |go )?(?:live|out|shipped|deployed"
            r"|published|up and running|finished|done|ready)\b"
            r"|\b(?:going to|gonna|will|it ll|itll) (?:\w+ ){0,4}?(?:still )?take (?:all (?:night"
            r"|day|week"
            r"|morning|afternoon|evening|weekend)|forever|ages|hours|days|much longer|long)\b"
            # "roughly what time will the newsletter go out"
            r"|\bwhat time (?:will|would|does|do|should|can|is \w+ (?:going|expected|due|likely))\b"
            r"|\bhow many (?:more )?(?:hours|minutes|mins|hrs|days|weeks|seconds)\b"
            # "you can tell me when finish the podcast job?": when, without a subject, asks
            r"|\bwhen (?:finish|done|ready|complete|end)\b"
            r"|\b(?:tell|let) (?:me|us) (?:know )?when (?:\w+ ){1,4}?(?:will|is going to|would)"
            r" (?:finish|be done|be ready|be finished|complete|wrap up|end)\b"
            r"|\bclose to (?:finish|finishing|done|being done|completion|complete|the end)\b"
            r"|^(?:done|finished|ready) (?:by|before) \w+"
            # "search index done by tonight?"
            r"|^(?:is |will )?(?:the )?(?:\w+ ){1,3}?(?:be )?(?:done|finished|ready) (?:by|before)"
            r" (?:tonight|tomorrow|today|noon|morning|eod|lunch|\d+\w*|the end|end of|monday"
            r"|tuesday|wednesday|thursday|friday)\b"
            r"|^(?:the )?(?:\w+ ){1,3}when$|\b(?:until|till) when\b"
            r"|\bhow (?:close|near)\b|\b(?:nearly|almost) (?:done|finished|there|ready|complete)\b"
            r"|\b(?:going to|will|ll|gonna) (?:\w+ ){0,3}?be (?:done|ready|finished|complete|over)"
            r"(?: \w+)? (?:by|before|at|in|for|around|tonight|today|soon|this)\b"),
    ("unmute", r"\b(?:notify|ping|alert|message|tell) (?:me|us) "
               r"(?!about (?:everything|all|failures?|approvals?|completions?|errors?)\b)"
               r"(?!(?:\w+ ){0,4}?(?:if|when|once|whenever|as soon)\b)"
               r"(?:\w+ ){0,4}?again\b"
               r"(?!.*\b(?:when|once|if)\b)"
               r"|\bbring back (?:\w+ ){0,3}?(?:alerts|notifications|pings)\b"),
    # "can i retry just the upload or do i need to rerun everything": the step is asked about,
    # the rerun is what it is weighed against
    ("retry_step", r"\bretry (?:only |just )?(?:\w+ ){1,4}?or (?:\w+ ){0,4}?(?:rerun|restart)"),
    ("pause", rf"(?:{_WANT}|{_BE}|{_WANT_TO_BE})(?:paused|on hold|suspended|frozen)\b"
              # "it would be great if the close could wait until tomorrow"
              rf"|\b(?:could|can|would|should) wait (?:until|till|for) (?:tomorrow|monday|tuesday"
              rf"|wednesday|thursday|friday|the weekend|after|tonight|\d)"),
    ("cancel", rf"(?:{_WANT}|{_BE}|{_WANT_TO_BE})(?:cancelled|canceled|stopped|killed|aborted"
               rf"|terminated)\b"),
    ("restart", rf"(?:{_WANT}|{_BE}|{_WANT_TO_BE})(?:restarted|rerun|started over|retrained|rebuilt"
                rf"|rebaked|redone|relaunched|reindexed|rerendered|regenerated)\b"),
    ("resume", rf"(?:{_WANT}|{_BE})(?:resumed|unpaused)\b"
               rf"|\bwhere (?:it|we|they|you) (?:left off|stopped|paused|got to)\b"),
    # "every alert, warnings included": which notifications come, said by what is added, is a
    # setting, not a mute
    ("notify_settings", rf"\b(?:every|each|all(?: the)?) (?:\w+ )?{_NOTIFS}\b(?: \w+)?"
                        r" (?:including|incl|even|with|plus) (?:the )?(?:\w+ )?(?:warnings|errors"
                        r"|failures|steps|minor ones|small ones)\b"),
    ("mute", rf"{_WANT}(?:muted|silenced)\b"),
    ("skip_step", rf"(?:{_WISH_FOR}|{_BE}|{_WANT_TO_BE})(?:skipped|bypassed)\b"),
    ("retry_step", rf"(?:{_WANT}|{_BE}|{_WANT_TO_BE})retried\b"),
    ("approve", rf"(?:{_WISH_FOR}|{_BE}|{_WANT_TO_BE})(?:approved|signed off)\b"),
    ("reject", rf"(?:{_WISH_FOR}|{_BE}|{_WANT_TO_BE})(?:rejected|declined)\b"),
    ("eta", r"\bwill (?:\w+ ){1,7}?(?:finish|be done|be ready|be finished|complete|wrap up)"
            r" (?:before|by|in|today|tonight|soon|this)\b"),
    # Settings before mute and subscribe: "quiet hours 22-7" is not a mute, "only notify me about
    # failures" is not a subscription to one task.
    ("notify_settings", rf"\b(?:less|fewer) {_NOTIFS}\b"
                        # "less chatty pls", "how often you send updates", "only during office
                        # hours", "i just want failures and approvals"
                        rf"|\b(?:less|more) (?:chatty|noisy|talkative|verbose)\b"
                        rf"|\b(?:hourly|daily|weekly|nightly) (?:summary|summaries|digest|recap)\b"
                        rf"|\bat most (?:once|one|twice)\b"
                        rf"|\bhow often (?:you |u |do you |does it |the bot )?(?:send|notify|ping"
                        rf"|message|update|post|tell|alert)"
                        rf"|\b(?:office|working|business|work) hours\b"
                        rf"|\b(?:just|only) (?:want|need|care about) (?:the )?(?:failures?|errors?"
                        rf"|approvals?|completions?)\b"
                        # "a daily summary instead of every update", "not every frame": how often
                        rf"|\b(?:summary|digest|recap) (?:instead|rather|once|mode)\b"
                        rf"|\binstead of (?:every|each|all)(?: single| little)? (?:\w+ )?"
                        rf"{_NOTIFS}\b"
                        rf"|\bnot (?:for )?(?:every|each)(?: single| little)? (?:\w+ )?(?:step"
                        rf"|stage|change|thing|{_NOTIFS})\b"
                        rf"|\b(?:on|at|for|after) (?:every|each)(?: single)? (?:step|stage)\b"
                        rf"|\bnot (?:just|only) (?:at )?(?:the )?(?:end|finish|failures?|errors?"
                        rf"|final)\b"
                        rf"|\bonly (?:want|wish|need|like) to (?:hear|know|be (?:told|notified"
                        rf"|pinged)) (?:about |of )?(?:\w+ ){{0,5}}?(?:when|if|once) (?:it |they "
                        rf"|something |anything |(?:the )?\w+ )?(?:finishes|fails|completes"
                        rf"|breaks|crashes|ends|is done|are done|needs)\b"
                        rf"|\b{_NOTIFS} (?:only )?(?:for|about|on) (?:the )?(?:step |task |job )?"
                        rf"(?:failures?|fails"
                        rf"|errors?|approvals?|completions?|critical|important|urgent)"
                        rf"(?: (?:ones|things|stuff|events))?(?: only)?\b"
                        rf"|^(?:failures?|errors?|approvals?|completions?) only$"
                        # "please don't send me anything on sunday": quiet days
                        rf"|\b(?:dont|do not|never) (?:send|give) (?:me|us) (?:anything|any \w+"
                        rf"|{_NOTIFS}) (?:on|at|during|over|after|before|between) (?:the )?"
                        rf"(?:weekends?|nights?|evenings?|holidays|saturdays?|sundays?|mondays?"
                        rf"|tuesdays?|wednesdays?|thursdays?|fridays?|\d)"
                        rf"|\b(?:one|a single|only one) (?:summary|digest|message|update)s?"
                        rf" (?:per|a|each|every) (?:day|week|hour|morning|evening)\b"
                        rf"|\b(?:receive|get) (?:nothing|anything|no {_NOTIFS}) (?:during|at|in"
                        rf"|over|between|after|before) (?:the )?(?:night|nights|weekend|weekends"
                        rf"|evening|evenings|\d)"
                        rf"|\b{_NOTIFS} (?:configured|set up|setup)\b"
                        rf"|\bhow (?:are|is) (?:my |the )?{_NOTIFS} (?:configured|set)\b"),
    ("notify_settings", rf"\bquiet (?:hours?|time|times|period|mode)\b"
                        rf"|\bquiet (?:from|between|after)\b"
                        rf"|\b(?:notification|alert) (?:settings|preferences|prefs)\b"
                        rf"|\b(?:my|show|change) (?:settings|preferences)\b"
                        rf"|^(?:settings|preferences)$"
                        rf"|^only (?:failures?|errors?|approvals?|completions?|important"
                        rf"|critical|urgent|serious|the important|big)\b"
                        rf"|\b(?:mute|silence|quiet|no {_NOTIFS}) (?:between|from) \d"
                        rf"|\b(?:every|each) (?:day|night|weekend)\b"
                        rf"|\bonly (?:notify|tell|ping|message|alert|email|update) (?:me|us)\b"
                        rf"(?! (?:why|what|whats|how|hows|where|wheres|who|whether|if it)\b)"
                        rf"|\b(?:notify|tell|ping|message|alert) (?:me|us) only\b"
                        rf"|\bonly (?:bug|bother|disturb|wake|contact) (?:me|us)\b"
                        rf"|\b(?:dont|do not|never) (?:ping|notify|message|bother|alert|disturb"
                        rf"|wake)(?: me| us)?(?: up)? (?:(?:\w+ ){{0,3}}?at night|overnight"
                        rf"|on weekends|at weekends|after"
                        rf"|before|between|during)\b"
                        rf"|\b(?:no|(?:dont|do not) (?:want|need)(?: any)?) {_NOTIFS} "
                        rf"(?:after|before|between|during|at night|overnight"
                        rf"|on weekends|at weekends)\b"
                        rf"|\b(?:no {_NOTIFS}|^(?:(?:please|pls) )?nothing) (?:on|at|during|over)"
                        rf" (?:the )?(?:weekends?|saturdays?"
                        rf"|sundays?|weekdays|holidays|nights|mondays?|tuesdays?|wednesdays?"
                        rf"|thursdays?|fridays?)\b"
                        rf"|\b{_NOTIFS} (?:only )?(?:by|via|over|through|on|in|to) "
                        rf"(?:e ?mail|mail|telegram|slack|console)\b"
                        rf"|\b(?:notify|tell|ping|message|alert) (?:me|us) "
                        rf"(?:by|via|over|through|on) "
                        rf"(?:e ?mail|mail|telegram|slack)\b"
                        rf"|\b(?:notify|tell) (?:me|us) about (?:everything|all|failures?|"
                        rf"completions?|approvals?|errors?)\b|\ball (?:the )?{_NOTIFS} again\b"
                        # "stop sending me updates, just failures"; "just tell me when things
                        # finish": which updates, not one task's
                        rf"|\b{_NOTIFS}\b.*\b(?:just|only) (?:the )?(?:\w+ )?(?:failures?|fails"
                        rf"|errors?|completions?|approvals?|changes|warnings|milestones"
                        rf"|important ones|big ones|starts? and (?:the )?(?:finish|end)(?:es|s)?)\b"
                        rf"|\b(?:just|only) (?:tell|notify|ping|message|alert|update) (?:me|us) "
                        rf"(?:when|if|about|once) (?:things|stuff|anything|something|tasks|jobs"
                        rf"|a task|a job)\b"),
    # Only greeting words, so "hey bot, cancel it" is a cancel.
    # "hello, i am the new project manager": a greeting that introduces its writer
    ("greeting", r"^(?:(?:hi|hello|hey|heya|hiya|howdy|hola|greetings|good morning|good afternoon"
                 r"|good evening|morning|there|all|everyone|team) )+(?:i am|im|this is) (?:(?:the|a"
                 r"|an|your) )?(?:new )?\w+(?: \w+)?(?: (?:from|in|on|at|of|for) (?:the )?\w+"
                 r"(?: \w+)?)?$"),
    # "Hi all, hope everyone is well.", "hi all, hope everyone is doing well"
    ("greeting", r"^(?:(?:hi|hello|hey|hiya|good morning|good afternoon|morning|dear|all|team"
                 r"|everyone|there|bot) )*hope (?:you|youre|you are|everyone|everyones|everyone is"
                 r"|all|all is|alls|things are) (?:are |is )?(?:well|good|fine|ok|okay"
                 r"|doing well|doing good|having a good \w+)(?: (?:today|all|everyone))?$"),
    ("greeting", r"^(?:(?:hi|hello|hey|heya|hiya|howdy|yo|sup|hola|greetings|good|morning|"
                 r"afternoon|evening|day|there|bot|progressbot|progress bot|again|guys|folks|all|"
                 r"dear|"
                 r"heyo|hiyo|hallo|ello|team|yall|peeps|"
                 r"everyone|buddy|friend|mate|whats up|wassup|how are you|how are you doing|"
                 r"how r u)(?: |$))+$"),
    ("unmute", rf"\bunmute\b|\bunsnooze\b|\bunsilence\b"
               rf"|\b(?:muted|silenced|snoozed)\b.*\b(?:by accident|by mistake|accidentally"
               rf"|undo|revert|reverse|take (?:it|that) back|(?:turn|switch) (?:it|them) back on)\b"
               rf"|\b(?:accidentally|mistakenly|wrongly) (?:muted|silenced|snoozed)\b"
               rf"|\bundo (?:the |my |that )?(?:mute|muting|silencing|snooze)\b"
               rf"|\b(?:can|may) (?:talk|tell me|speak|post|write) about (?:\w+ ){{1,5}}?again\b"
               rf"|\b(?:send|give) (?:me|us) again (?:the |my |all )?(?:\w+ )?{_NOTIFS}\b"
               rf"|\b(?:receive|get|see) (?:the |my |all )?(?:\w+ ){{0,3}}?{_NOTIFS} again\b"
               rf"|\b(?:send|give) (?:me|us) (?:the |my |all )?(?:\w+ )?{_NOTIFS} again\b"
               rf"|\bstop (?:mute|muting|silence|silencing|snooze|snoozing)\b"
               rf"|\b(?:resume|turn on|(?:re ?)?enable|reactivate|restore) (?:the |my |all )?"
               rf"{_NOTIFS}"
               rf"|\b{_NOTIFS} back on\b|\bstart (?:notifying|pinging|messaging)\b"),
    ("mute", rf"\bmute\b|\bsh+\b|\bshush\b|\bhush\b|\b(?:enough|too many) (?:\w+ )?{_NOTIFS}\b"
             rf"|\bunsubscribe\b|\bunfollow\b|\bunwatch\b"
             rf"|\b(?:dont|do not|no longer|dont really|do not really|not) (?:wish|want|need"
             rf"|care) (?:to )?(?:receive|get|see|hear|be (?:notified|updated|pinged|told))\b"
             rf"|\bno (?:longer|more) (?:wish|want|need) (?:to )?(?:receive|get|hear)\b"
             # "i don't need updates on the export anymore": not the subscription it reads like
             rf"|\b(?:dont|do not|no longer|dont really|do not really) (?:need|want|care about"
             rf"|wish for) (?:any )?(?:more )?(?:\w+ )?{_NOTIFS}\b"
             rf"|\b(?:no longer|not|never) interested in (?:\w+ )?{_NOTIFS}\b"
             rf"|\bstop (?:receiving|getting) (?:\w+ )?{_NOTIFS}\b"
             rf"|\b(?:take|drop) (?:me|us) (?:off|from) (?:the )?(?:\w+ ){{0,3}}?"
             rf"(?:{_NOTIFS}|list|watchers|subscribers|followers)\b"
             rf"|\b(?:stop|quit|no more) (?:sending|posting|giving|forwarding) (?:me |us )?(?:the "
             rf"|these |those |all |any |your )?(?:\w+ )?{_NOTIFS}\b"
             rf"|\bsilence\b|\bsnooze\b|\bquiet\b|\bshut up\b|\bdnd\b|\bdo not disturb\b"
             rf"|\b(?:stop|pause|disable|turn off|no more|hold|mute|block) "
             rf"(?:the |all |these |those |your |any )?(?:\w+ )?{_NOTIFS}\b"
             rf"|\b(?:stop|quit) (?:notifying|pinging|messaging|spamming|bugging|bothering"
             rf"|telling)\b"
             rf"|\b(?:dont|do not) (?:notify|ping|message|bother|alert)\b|\bleave me alone\b"
             rf"|\bgive (?:it|me) a rest\b|\benough (?:of )?(?:the )?{_NOTIFS}\b"),
    ("subscribe", r"\bsubscribe\b|\bnotify (?:me|us)\b|\bsub (?:me|us)\b"
                  r"|\binform (?:me|us) (?:of|about) (?:every|all|each|any)\b"
                  r"|\b(?:be|get|being) notified (?:when|once|if|about|of|whenever|as soon)\b"
                  r"|\b(?:let|tell|ping|alert|message|text|email|dm|update|inform|remind|notify|"
                  r"warn) (?:me|us) (?:when|once|as soon|after|whenever"
                  r"|if(?! (?:\w+ ){1,5}?(?:is|would be|will be|was) (?:fine|ok|okay|safe|wise"
                  r"|a good idea|allowed)\b)(?! (?:all |everything )?(?:is )?(?:ok|okay|fine|good"
                  r"|alright|well)$))\b"
                  # ("let me know the expected finish time", "… why it died" ask now)
                  r"|\blet (?:me|us) know\b(?! (?:the(?! (?:minute|moment|second|instant)\b)|its"
                  r"|how|hows|why|where|wheres|which|whats|what (?:step|stage|state))\b)"
                  r"|\bkeep (?:me|us) (?:posted|updated|informed|in the loop)\b"
                  r"|\b(?:want|like|need|love) (?:\w+ )?updates (?:on|about|for)\b"
                  r"|\b(?:like|want|wish|love|need) to (?:receive|get|be sent|hear|see)"
                  r" (?:\w+ )?(?:updates|notifications|alerts|news|pings|messages) (?:on|about"
                  r"|for|of|regarding|from)\b"
                  r"|\b(?:please )?(?:send|give) (?:me|us) (?:\w+ )?(?:updates|notifications"
                  r"|alerts) (?:on|about|for|regarding)\b"
                  r"|(?<!did you )(?<!did u )\b(?:follow|watch)\b(?! up\b)"
                  r"|\bsend (?:me|us) (?:an? )?(?:update|notification|"
                  r"message|alert|ping)s?\b|\bgive me a (?:shout|ping|heads up)\b"
                  r"|\b(?:holler|shout|yell|buzz me|nudge me) (?:when|once|if|as soon)\b"
                  r"|\badd (?:me|us) to (?:the )?(?:\w+ ){0,3}?(?:updates|notifications|alerts"
                  r"|watchers|subscribers|followers)\b"
                  r"|\bget an? (?:ping|shout|message|notification|heads up|alert) "
                  r"(?:when|once|if|as soon)\b"),
    # "cancel the close and start again tomorrow": stopped now, the new start is another day's
    ("cancel", r"\b(?:cancel|stop|kill|abort|scrap|drop|trash|terminate|halt)\b (?:\w+ ){0,5}?"
               r"\b(?:start|begin|run it|try) (?:\w+ )?(?:over|again|afresh|fresh|anew) (?:next "
               r"\w+|tomorrow|later|another day|some other time|on (?:monday|tuesday|wednesday"
               r"|thursday|friday|the weekend))\b"),
    ("restart", r"\b(?:cancel|stop|kill|abort|scrap|drop|trash|terminate|halt|nuke|nix|axe|ditch)"
                r"\b (?:\w+ ){0,5}?\b(?:start (?:\w+ )?(?:over|again|afresh|fresh)|again|retry"
                r"|rerun|re run|redo|restart|relaunch|from scratch|new one)\b"),
    # "try the whole thing again from scratch": a new run, not a step again
    ("restart", r"\bagain from (?:the )?(?:start|beginning|scratch|zero|top)\b|\bfrom zero\b"
                r"|\bbe (?:run|started|done) again\b"
                # "restart omar's thing from step one": from the first step is the whole run
                r"|\b(?:restart|re start|rerun|re run|redo|retry|run|start)\b.*\bfrom (?:the )?"
                r"(?:step (?:one|1)|(?:very )?first step)\b"),
    # "rerun just backtest, not the whole thing": one step again, not the task
    ("retry_step", r"\b(?:redo|rerun|re run|retry|run|do)\b.*\bnot (?:the )?(?:whole|entire)"
                   r" (?:thing|task|job|run)\b"),
    ("restart", r"\b(?:try|run|do|start|kick|crack|shot|go)\b.*\b(?:from scratch"
                r"|from the (?:start|beginning|top)"
                r"|the whole thing|all over)\b"),
    # "rerun bob's job from the very start": the whole run again, though a step is named
    ("restart", r"\b(?:restart|rerun|re run|redo|run) (?:\w+ ){0,4}?from (?:step (?:one|1)"
                r"|the (?:first|1st) step|the (?:very )?(?:beginning|start|top))\b"),
    ("retry_step", r"\bretry\b|\bre try\b|\btry\b.*\b(?:again|once more)\b"
                   r"|\btry (?:the )?(?:\w+ ){0,3}?step\b"
                   # "resend the test batch": a sending step again
                   r"|\bresend\b"
                   r"|\b(?:redo|rerun|re run|restart|repeat)\b.*\bstep\b|\bstep \S+ again\b"
                   r"|\bgive (?:\w+ ){1,5}?(?:another|one more|a second|a new) (?:go|shot|try"
                   r"|attempt|whirl|spin|crack|run)\b"
                   r"|\b(?:another|one more|a second) (?:go|shot|try|attempt|crack|whirl) (?:at|on"
                   r"|with|for)\b|\b(?:have|take) another (?:go|shot|crack|stab) at\b"
                   r"|\bretries\b|\bretrying\b"),
    ("restart", rf"\brestart\b|\bre start\b|\brerun\b|\bre run\b|\brelaunch\b|\breboot\b"
                rf"|\b(?:regenerate|bounce|recreate|reprocess|redeploy|re deploy)\b"
                rf"|\bstart (?:{_THING} |everything |all |the whole thing )?(?:over|again|afresh|"
                rf"from scratch|from the beginning|fresh)\b|\bfrom scratch\b|\bbegin again\b"
                rf"|\brun {_THING} again\b|\bdo (?:\w+ ){{1,5}}?(?:all )?over\b|\bredo\b"
                rf"|\bstart (?:\w+ ){{1,5}}?over\b"),
    ("skip_step", r"\bskip\b|\bbypass\b|\bleave out\b|\bjump (?:over|past)\b|\bmove past\b"
                  r"|\bignore (?:the |that |this )?(?:\w+ )?step\b"
                  r"|\bpass on (?:the |that |this )?(?:\w+ ){0,3}?step\b"),
    ("reject", r"\breject\b|^rejected\b|\bdecline\b|\bdeny\b|\bdisapprove\b|\bveto\b"
               r"|\brefuse\b|\bturn down (?:the|that|this|it)\b"
               # a verdict on a task: "crm: rejected - missing indexes"
               r"|^(?:\w+ ){1,3}rejected(?: (?:because|due|missing|needs|wrong|too|as|since|with"
               r"|for|bad|broken|no)\b|$)"
               rf"|\b(?:dont|do not|not) (?:approve|accept|proceed|go ahead)\b{NOT_PUT_OFF}"
               r"|\bno go\b|\bnogo\b"
               r"|\bsend (?:it |that |this |the (?:\w+ ){1,3}?)back\b"
               r"|\bblock (?:it|that|this|the)\b"
               r"|\bthumbs down\b|\bnot approved\b|\bnot approving\b|\b(?:a )?no from me\b"),
    ("approve", r"\bapprove\b|^approved\b|\blgtm\b|\blooks (?:good|fine|great|ok|okay)\b"
                # a verdict on a task: "the redaction: approved from my side"
                r"|^(?:\w+ ){1,3}approved(?: (?:from|on) (?:my|our) (?:side|end))?$"
                r"|\bgo ahead\b(?! and)|\bship (?:it|the|that|this)\b|\baccept\b"
                r"|(?<!the )(?<!a )\bsign off\b"
                r"|\bsigned off\b"
                # "i give approval for crm"
                r"|^(?:i |we )?(?:hereby )?give (?:my |our |the |an? )?(?:approval|ok|okay"
                r"|green light|sign ?off)\b"
                r"|\bgreen ?light\b"
                r"|\bproceed\b|\bconfirm\b|\bthumbs up\b|\bok to (?:go|proceed|continue)\b"
                r"|\bgood to go\b|\bgo for it\b"
                # "rubber-stamp the redaction", "let it through", "wave it through"
                r"|\brubber ?stamp\b|\b(?:let|wave|put) (?:it|that|this|them|the \w+) through\b"),
    ("pause", r"\b(?:stop|halt)\b (?:\w+ ){0,5}?(?:for now|for (?:a )?(?:(?:small|short|little) )?"
              r"(?:bit|while|moment|time|minutes?|secs?|seconds?|few \w+)|temporarily|till|until"
              r"|for (?:an?|one|two|\d+) (?:hour|hours|minutes|day|days))\b"),
    ("cancel", rf"\bcancel\b|\bstop\b|\babort\b|\bkill\b|\bterminate\b|\bhalt\b|\bscrap\b"
               rf"|\bcall (?:{_THING} )?off\b|\bshut (?:{_THING} )?down\b|\bdrop {_THING}\b"
               rf"|\bpull the plug\b|\bnuke\b|\bnix\b|\baxe\b|\bend {_THING}\b|\bget rid of\b"
               rf"|\b(?:bin|ditch) (?:it|that|this|the|my)\b"
               # "leave the backups running": only ever said as "do not cancel it"
               rf"|\bleave (?:\w+ ){{1,4}}?(?:running|going|alone|be)\b"
               # "no no don't touch the scraper": only ever said as "do not cancel it"
               rf"|\b(?:dont|do not|never) touch (?:the|my|it|that|this)\b|\bhands off\b"
               rf"|\b(?:stays?|remains?|keeps?) (?:running|going|on)\b"),
    ("resume", rf"\bresume\b|\bunpause\b|\boff (?:hold|ice|pause)\b|\bcontinue\b|\bcarry on\b"
               rf"|\bkick (?:\w+ ){{0,4}}?back on\b"
               rf"|\b(?:want|need|like|get|have) (?:\w+ ){{1,4}}?(?:running|going) again\b"
               rf"|\bkeep going\b|\bunfreeze\b"
               rf"|\bpick (?:{_THING} )?(?:back )?up\b|\bget (?:{_THING} )?going again\b"
               rf"|\bstart (?:{_THING} )?(?:back )?up again\b|\bkick (?:{_THING} )?off again\b"
               rf"|\bgo on\b"
               rf"|\b(?:keep|leave) (?:\w+ ){{1,3}}?(?:paused|on hold|frozen|suspended)\b"),
    ("pause", rf"\bpause\b|\bhold (?:on|off)\b|\bhold {_THING}\b|\bon hold\b|\bsuspend\b"
              rf"|\bfreeze\b|\bwait a (?:sec|second|minute|moment)\b|\btake a break\b"
              rf"|^(?:please )?hold\b|\bpark (?:it|that|this|the|my)\b"),
    ("why_failed", r"\bfailed how\b"
                   r"|\bhow did (?:it|that|this|the \w+|\w+) (?:fail|break|crash|die)\b"
                   r"|\bwhat do you mean (?:by )?(?:it )?(?:failed|broke|crashed)\b"
                   r"|\bwhy\b.*\b(?:fail|failed|fails|failing|failure|break|broke|broken|crash|"
                   r"crashed|error\w*|exceptions?|die|died|stop|stopped|stuck|wrong|red)\b"
                   r"|\bwhat (?:went|is|has gone|has been|was) wrong\b|\bwhats wrong\b"
                   r"|\bwhat broke\b|\bwhat happened\b|\bwhy did\b"
                   r"|\bwhat (?:was|is) the (?:error|problem|issue|failure)\b"
                   r"|\bwhats the (?:error|problem|issue)\b"
                   r"|\b(?:show|see|get|give)(?: me)? (?:the|that) (?:error|failure|problem)\b"
                   r"|\bany (?:errors|exceptions)\b|\b(?:show|see)(?: me)? (?:\w+ ){1,4}?errors$"
                   r"|\b(?:failure|error) (?:reason|details|message|msg)\b|\breason for\b"
                   r"|\b(?:reason|cause|causes) (?:of|behind|for) (?:the )?(?:\w+ )?(?:fail"
                   r"|failing|failure|crash|crashing|error|breakage)\b"
                   r"|\b(?:oom|oomed|segfault|segfaulted) (?:again|or)\b"
                   r"|\breason (?:\w+ ){0,4}?(?:failed|broke|crashed|died|errored)\b"
                   r"|\b(?:failed|failures?|errors|crashed|broke|died|errored)\b.*\bwhy$"
                   r"|\b(?:failed|failure|crashed|broken|broke|died) (?:\w+ )?(?:reason|cause)\b"
                   r"|\b(?:blow|blew|blown|blowing|tripped) up\b"
                   r"|\bwhere did (?:\w+ ){1,3}?(?:fail|break|crash|die|go wrong)\b"
                   r"|\b(?:failure|error|crash) (?:about|on|in|with|for)\b"
                   r"|\bhow did \w+(?: \w+)? fail\b|\bdid (?:it|the \w+|my \w+) fail\b"
                   r"|^(?:the )?(?:\w+ ){1,3}why$|\broot cause\b"
                   r"|\b(?:fall|fell|falls|falling) over\b"
                   r"|\bwhat made (?:\w+ ){1,3}?(?:fail|crash|die|break|error)\b"
                   r"|\bexplain\b.*\b(?:failure|fail|failed|error|crash|crashed)\b"),
    ("logs", r"\blogs?\b|\blogging\b|\boutput\b|\bstdout\b|\bstderr\b|\bconsole\b|\btraceback\b"
             # "dump the last 50 lines from the mosaic job"
             r"|\b(?:last|first|final|latest) (?:\w+ )?lines\b"
             r"|\bdump (?:the |its |me )?(?:last|first|latest|log|lines)\b"
             r"|\bstack ?trace\b|\bdebug\b|\bverbose\b|\bdetailed\b|\bwhat is it doing\b"
             r"|\b(?:print|printing|prints|printed)\b|\blogged\b|\btail\b"
             r"|\bwhat(?:s| is) (?:\w+ ){1,3}?doing\b"
             r"|\bwhats it doing\b"),
    ("eta", r"\beta\b|\bhow (?:much )?long\b|\bhow much (?:more )?time\b|\bhow much longer\b"
            r"|\btime (?:left|remaining|to go)\b|\bremaining time\b|\bwhen (?:will|is|does|should|"
            r"can|would|ll|do)\b|\bwhen\b.*\b(?:done|ready|finish|finished|finishes|complete|"
            r"wrap|wraps|ends|ending|"
            r"completed|end|over)\b|\bhow soon\b|\bestimated?\b|\bestimation\b"
            r"|\bexpected (?:to )?(?:finish|completion|done)\b|\bfinish time\b|\bwhats left\b"
            r"|\bwhat is left\b|\bhow much (?:is )?left\b|\b(?:minutes|hours|time) left\b"
            r"|\bremaining\b|\bwhens\b|\bhow many (?:more )?(?:steps )?(?:are )?(?:left|to go)\b"
            r"|\bsteps (?:left|remaining|to go)\b"
            r"|\b(?:minutes|hours|days) or (?:minutes|hours|days|weeks)\b"
            r"|\blooking at (?:minutes|hours|days)\b"),
    ("list_tasks", r"\btasks\b|\bjobs\b|\bruns\b|\bprojects\b"
                   r"|\bon the (?:radar|go|agenda)\b"
                   r"|\bwhat are you (?:working on|running|doing)\b"
                   r"|\b(?:list|show|see|view|display)(?: me)?(?: all)?(?: my| the| our)?"
                   r"(?: running| paused| failed| failing| active| pending| finished| stuck)? "
                   r"(?:tasks?|jobs?|pipelines|runs|builds|workflows)$"
                   r"|\bwhats (?:running|active)$|\bwhat is (?:running|active)$"
                   r"|\banything running\b|\bwhat am i (?:running|tracking|following)\b"
                   r"|^(?:show|list|see|give)(?: me)? (?:the |all |my )?(?:running|paused|failed"
                   r"|failing|pending|active|finished|completed|done|stuck) ones$"
                   r"|\bwhat (?:have|do) (?:i|we) (?:got )?(?:going|running|on the go)\b"
                   r"|\bwhat (?:ive|i have|weve|we have) got\b"
                   r"|\bwhat do (?:i|we) have (?:going|running|on)\b|^(?:which|what) ones\b"
                   r"|^(?:so )?(?:whats|what is) (?:currently |still |now )?(?:in progress"
                   r"|running|active|on the go)(?: right now| now| at the moment| currently)?$"
                   r"|\bwhat (?:are|r) (?:you|u) (?:tracking|watching|following|monitoring)\b"
                   r"|\beverything (?:that |which )?(?:is |has )?(?:failed|failing|running"
                   r"|paused|pending|finished)\b|^(?:my|our|all my) (?:stuff|things)$"
                   r"|^(?:is )?(?:anything|something|whats|what is) (?:failing|on fire|broken"
                   r"|stuck|paused)(?: (?:right now|now|at the moment|today|currently))?$"
                   r"|\b(?:everything|anything|whats|what is) (?:in flight|on the go)\b"),
    ("status", r"\bstatus\b|\bprogress\b|\bupdate\b|\bupdates\b|\bhows\b|\bhow s\b"
               # "show me what step it's on"
               r"|\b(?:what|which) (?:step|stage|phase) (?:its|it is|it s|theyre|they are) (?:on|at"
               r"|in)\b"
               # "is everything fine?", "all good with the jobs?"
               r"|^(?:(?:so|and|hey|hi|ok|okay) )*(?:is )?(?:everything|all|things|it all)"
               r" (?:ok|okay|good|fine|alright|all right|green|on track)(?: (?:with|on) \w+)?$"
               r"|\bhow (?:is|are) (?:it|that|this|things|my|the|our|we|everything)\b"
               r"|\bhow\b.*\b(?:going|doing|coming along|looking|getting on)\b"
               r"|\bhow far\b|\bwhere (?:are we|is it|are things|do we stand|is the|is my)\b"
               r"|\bwheres\b|\bwhats (?:up|happening|going on|new) with\b"
               r"|\bwhat is (?:happening|going on) with\b|^whats (?:going on|happening)$"
               r"|\bany (?:news|word)\b"
               r"|\b(?:some|the latest|latest) (?:news|word) (?:about|on|of|from|regarding)\b"
               r"|\b(?:is|has) (?:it|that|the \w+|my \w+|\w+) (?:done|finished|complete|completed|"
               r"ready|over|running|still running|working|moving|stuck)\b"
               r"|\b(?:done|finished|ready|complete) yet\b|\bcheck (?:on|in on)\b|\bstate of\b"
               r"|\bpercent\b|\bpercentage\b|\bsitrep\b|\bsummary\b|\boverview\b"
               r"|\b(?:looks|seems|looking) (?:stuck|slow|frozen|hung|dead)\b"
               r"|\bwhy\b.*\b(?:slow|long|taking)\b|\bstill (?:running|going|working)\b"
               r"|\bhow much (?:is )?(?:done|complete|completed)\b|\bwhats the hold ?up\b"
               r"|^(?:(?:so|and|ok|okay|hey|hi|but) )*(?:is|has|are) .*\b(?:done|finished|complete|"
               r"completed|ready|running|paused|"
               r"stuck|working|started)\b"),
    # "thanks for your help" thanks
    ("help", r"(?<!for your )(?<!for the )(?<!for all the )(?<!for all your )"
             r"\bhelp\b(?! (?:to|if)\b)|\bwhat can you do\b|\bwhat do you do\b|\bcommands?\b"
             r"|\bhow do (?:i|you) (?:use|work)\b|\bhow does (?:this|it) work\b|\busage\b"
             r"|\bwhat are you\b|\bwho are you\b|\bmenu\b|\binstructions\b"
             r"|\bwhat can i (?:ask|say|do)\b|\bhow to use\b|\bwhat do you support\b"
             r"|\bwhat (?:\w+ ){1,3}?(?:can|could|should) i (?:ask|say|type|write)\b"
             r"|\bwhat (?:do|should|can|must) i (?:type|write|say|send)\b"
             r"|\bwhat does (?:this |the )?(?:bot |thing )?do\b"),
    ("thanks", r"\bthanks?\b|\bthank you\b|\bthx\b|\bty\b|\btnx\b|\bthanx\b|\bcheers\b"
               r"|\bappreciate\b(?! (?:it )?if\b)|\bappreciated\b|\bmerci\b|\bgracias\b"
               r"|\bdanke\b|\bthankyou\b"
               r"|\b10x\b|\bthanks+\b|\bkudos\b|\bnice work\b|\bgreat job\b|\bwell done\b"
               # "good job bot", "good job", "you're a star"
               r"|^(?:(?:ok|oh|wow) )?(?:nice one|good job|good stuff|top stuff|legend|you rock"
               r"|youre (?:a star|the best|a legend))(?: (?:bot|mate|buddy|again|there))*\b"),
)  # fmt: skip

Rule = tuple[str, "re.Pattern[str]"]

COMPILED_RULES: tuple[Rule, ...] = tuple((name, re.compile(pattern)) for name, pattern in RULES)
assert all(name in INTENT_NAMES for name, _ in RULES)
# Only the rules' branches whose literal text occurs in a message are tried (the same first
# match: `intents.rule_index`).
_INDEX = RuleIndex([pattern for _, pattern in COMPILED_RULES])


@lru_cache(maxsize=4096)  # chat repeats itself ("status?", "eta"); the rules are pure
def rule_intent(normalised: str) -> str | None:
    """The first rule of `RULES` that matches, if any."""
    if not normalised:
        return None
    i = _INDEX.first_match(normalised)
    return COMPILED_RULES[i][0] if i is not None else None


# A rule's words name the request, not a task ("shh", "lgtm", "green light it"), unless they are
# task words; only short matches are set aside, so a long match cannot swallow an unknown word
# next to a task word ("leave the pizza order running").
RULE_WORDS_MAX = 3


def rule_words(intent: str, normalised: str) -> frozenset[str]:
    """The words of the first match of an `intent` rule in `normalised` (a few at most)."""
    match = _INDEX.first_match_among(_RULES_OF_INTENT.get(intent, ()), normalised)
    if match is None:
        return frozenset()
    words = match.group(0).split()
    return frozenset(words) if len(words) <= RULE_WORDS_MAX else frozenset()


# Each intent's rules, in order.
_RULES_OF_INTENT: dict[str, tuple[int, ...]] = {}
for _i, (_name, _) in enumerate(COMPILED_RULES):
    _RULES_OF_INTENT[_name] = (*_RULES_OF_INTENT.get(_name, ()), _i)
