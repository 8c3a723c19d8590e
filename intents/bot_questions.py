"""Questions about the bot itself, tried before the rules of actions in `intents.rules`.

"can you summarise a task's logs or do I have to read them myself", "does the bot handle HR
workflows", "what kind of jobs can you track", "how do I write a reject reason", "help me with
notification settings": each holds an action's word (logs, track, reject, notification), but asks
what the bot can do or how to use it, not for the action. What marks them is the shape: a question
to the bot about a kind of thing (a plural, a feature) rather than a task, a choice between what it
does and what it does not ("or only", "or do I have to"), or "how do I" with a verb of using the
bot's features rather than an action's own verb ("how do i pause something" asks to pause, as dev's
convention reads it). Patterns are written over normalised text, like the rules.
"""

from __future__ import annotations

__all__ = ["BOT_QUESTION_RULES", "CHANNELS"]

_TO_THE_BOT = r"(?:you|u|this bot|the bot|this thing|progress ?bot)"
# The channels the bot speaks on (the rules of `intents.rules` name them too).
CHANNELS = r"(?:e ?mail|mail|telegram|slack|console)"
_CHANNEL = CHANNELS
_LEAD = r"^(?:(?:so|and|hey|hi|hello|ok|okay|also|quick question|btw|sorry) )*"
# The bot's actions by their verbs, and the kinds of thing they apply to, said in the plural.
_ACTION = (
    r"(?:pause|resume|unpause|cancel|stop|kill|abort|restart|rerun|retry|skip|approve|reject"
    r"|mute|unmute)"
)
_KINDS = r"(?:jobs|tasks|things|stuff|steps|runs|pipelines|builds|workflows)"

BOT_QUESTION_RULES: tuple[tuple[str, str], ...] = (
    # "can you restart jobs or just tell me about them?": what the bot does, not a request;
    # "is the approval possible from telegram or only from slack?": where it can be done
    # (a verb and a bare plural: "can you cancel the orders or just pause them" is a request)
    ("capabilities", r"^(?:(?:so|and|hey|hi|hello|ok|okay) )*(?:can|could) (?:you|u|this bot"
                     r"|the bot) (?:also |even |actually )?\w+ (?!(?:the|my|our|it|them)\b)\w+s"
                     r" (?:or|and) (?:only|just)\b"
                     # "can you restart the build or only tell me about it?"
                     r"|^(?:(?:so|and|hey|hi|hello|ok|okay) )*(?:can|could) (?:you|u|this bot"
                     r"|the bot) (?:\w+ ){1,5}?or (?:only|just) (?:tell|watch|follow|show|say"
                     r"|inform|notify)\b"
                     r"|\b(?:is|are) (?:this bot|the bot|you|u) (?:also |even |actually )?"
                     r"(?:able|capable) (?:to|of)\b"
                     r"|\bwhat (?:this bot|the bot|you|u) (?:can|could|is able to) do\b"
                     rf"|\bpossible (?:from|in|on|via|through|over) {_CHANNEL}\b"
                     rf"|\b(?:does|do|can|will) (?:\w+ ){{1,2}}?work (?:on|in|from|via|over"
                     rf"|through) {_CHANNEL}\b"
                     rf"|\b(?:from|in|on|via) {_CHANNEL},? or only (?:from |in |on |via )?"
                     rf"{_CHANNEL}\b"),
    # "can you summarise a task's logs or do I have to read them myself", "do you keep logs
    # forever or only the last few days", "can you predict when a job will finish or is that
    # asking too much": a choice between what the bot does and what it does not (a request names
    # its object by a pronoun or an owner: "can you pause it or just mute it" is not one of them)
    ("capabilities", rf"{_LEAD}(?:can|could|do|does|will|would) {_TO_THE_BOT} (?:also |even "
                     rf"|actually |maybe )?(?!\w+ (?:it|them|my|our|his|her|their)\b)"
                     rf"(?:\w+ ){{1,12}}?or (?:only|just|is that|is it|do i|do we|does it"
                     rf"|do you|must i|should i)\b"),
    # "does the bot handle HR workflows", "does the bot understand polish", "do you do graphs",
    # "does the bot work in whatsapp too": a kind of thing, not a task
    ("capabilities", rf"{_LEAD}(?:does|do|can|could|will) {_TO_THE_BOT} (?:also |even |actually "
                     rf"|really )?(?:handle|track|understand|speak|support|work (?:in|on|with)"
                     rf"|do|draw|make|read) (?!(?:it|this|that|the|my|our|his|her|their|them)\b)"
                     rf"(?:\w+ )?(?:\w+s|graphs?|charts?|voice|predictions?|\w+ish|polish|english"
                     rf"|whatsapp|teams|discord|jira|email|sms)\b"),
    # "can you pause pipelines?", "can the bot skip steps on its own?", "kannst du auch jobs
    # pausieren?" (read "can you also jobs pause"): an action asked of a kind of thing, no task
    # (a request names one: "can you restart the jobs" and "can you pause all jobs" ask)
    ("capabilities", rf"{_LEAD}(?:can|could|will|does|do) {_TO_THE_BOT} (?:also |even |actually "
                     rf"|really )?(?:{_ACTION} {_KINDS}|{_KINDS} {_ACTION})(?: too| as well"
                     rf"| at all| automatically| (?:by )?(?:itself|yourself)"
                     rf"| on (?:its|your) own)?$"),
    # "what kind of jobs can you track?", "what sort of workflows does the bot handle"
    ("capabilities", rf"\bwhat (?:kinds?|sorts?|types?) of (?:\w+ )?(?:tasks|jobs|things|stuff"
                     rf"|workflows|pipelines|runs|work|requests) (?:can|could|do|does|will)"
                     rf" {_TO_THE_BOT}\b"
                     rf"|\bwhat (?:are|r) (?:you|u) (?:actually |really |even |here )?for\b"
                     # "tell me what you're able to help with", "what you can do": said inside
                     # a request, the question's order undone
                     rf"|\bwhat (?:you|u) (?:can|could) (?:actually |really )?(?:help (?:me |us )?"
                     rf"with|do\b(?! (?:about|for|with|to|on)\b))|\bwhat (?:youre|you are|ur|u r) "
                     rf"(?:able|capable) (?:to|of) (?:help|do|doing|helping)\b"
                     rf"(?! (?:about|for|to|on)\b)"
                     rf"|\bwhat is (?:this bot|this thing|the bot) (?:actually |really |even )?"
                     rf"for\b"
                     # (round eleven) "what sort of things can I ask you?", "is the bot just for
                     # reading statuses or can it act too?": what it is for
                     rf"|\bwhat (?:kinds?|sorts?|types?) of (?:\w+ )?(?:things|stuff|questions"
                     rf"|requests|commands) (?:can|could|do|should|may) (?:i|we) (?:ask|tell|say"
                     rf"|send|give)\b"
                     rf"|\b(?:is|are) {_TO_THE_BOT} (?:just|only) (?:for|about|to) (?:\w+ ){{1,4}}?"
                     rf"or (?:can|could|does|do|will) (?:it|you|u|this bot|the bot)\b"),
    # "any docs for this bot?", "is there a manual for progress bot": how to use it
    ("help", rf"\b(?:docs|documentation|manual|guide|user guide|readme|faq|wiki) (?:for|of|on"
             rf"|about) (?:using )?{_TO_THE_BOT}\b"
             rf"|\b(?:the )?bots? (?:docs|documentation|manual|user guide|readme|faq)\b"
             # a guide to using the bot, not a thing called one ("resume the audio guide")
             rf"|\bguide (?:me|us)\b|\bthe guide(?: (?:for|to|on) (?:using|how)\b|$| or\b)"
             rf"|\b(?:a|an|any|some|user|quick ?start|starter|beginners?|how ?to|usage) guide\b"),
    # "how do I write a reject reason", "how do I subscribe someone else to a task", "help me
    # with notification settings, I can't find where to set them", "how do I approve
    # something, is it /approve <id>": how to use the bot
    ("help", r"\bhow (?:do|can|should|would) (?:i|we) (?:write|add|give|leave|enter|type|attach"
             r"|put|word|phrase) (?:a |an |the |my )?(?:\w+ )?(?:reason|note|comment|message"
             r"|reasons|notes|comments)\b"
             r"|\bhow (?:do|can|should|would) (?:i|we) \w+ (?:someone|somebody|others|other"
             r" people|a colleague|colleagues|my team|the team|a teammate)\b"
             r"|^(?:(?:please|pls|can you|could you) )*help me (?:out )?with (?!(?:it|this|that"
             r"|the|my|our|his|her|their)\b)"
             r"|\b(?:cant|cannot|can not|couldnt|could not) (?:find|figure out|work out|see)"
             r" (?:where|how)\b"
             r"|\bhow (?:do|can|should) (?:i|we) (?:\w+ ){1,3}?is it (?:like |just )?\w+ "
             r"(?:id|task id|task name|name)\b"
             # "how can I pause a single job?", "how can I pause a single job": how to use an
             # action on one thing, not that action on a task
             r"|\bhow (?:do|can|would|should) (?:i|we) (?:\w+ ){1,2}?(?:just |only )?(?:one"
             r"|a single|a specific|an individual|a particular|one single) (?:task|job|run"
             r"|pipeline|step)\b"
             # (round eight) "how should we track any pipeline?": the bot's feature
             r"|\bhow (?:do|can|should) (?:i|we) (?:subscribe|follow|watch|track) (?:to )?(?:a"
             r"|an|any|one) (?:task|job|run|pipeline|project)\b"),
    # "could we sign off timesheets with the bot?": what can be done through it
    ("capabilities", rf"{_LEAD}(?:can|could) (?:you|u|i|we) (?:\w+ ){{1,3}}?(?:through|via"
                     rf"|with|using|from|in) (?:this|the) (?:bot|chat|app)\b"),
)  # fmt: skip
