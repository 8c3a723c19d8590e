"""Hedges: words that make a message less than a plain request, whatever its intent reads as.

The speech act (`intents.speech_act`) tells a command from a question, a negation or a quote by
the shape of the sentence, and in text nobody has written before that reading is sometimes wrong:
"could someone confirm whether it was paused on purpose?", "ines told everyone 'mute the
rollup'", "não pausa não", "haha the robots aren't the only ones that need pausing". Acting on
such a message at once is the one mistake the bot must not make; asking first costs a tap. So
before the policy acts on a state-changing request, it looks here for any sign that the message
may not be one: a question or an indirect question, a condition, a negation in any of the
languages people mix in, a quotation or someone else's words, doubt, a joke, the past, a
correction, or someone other than the bot as the one to do it. Any of them and the bot confirms
(`bot.chat.policy.decide`). The list leans wide on purpose: a plain command ("pause the etl",
"please resume the crm 🙏", "/approve crm", "I'd like the pipeline paused") has none of these.
"""

from __future__ import annotations

import re

from intents.speech_act import ACTION_VERBS

__all__ = ["hedge"]

# A polite request in question form is still a request: "can you pause the crm?", "could u
# please resume it?", "..., can you pause it until they're back?" (but not "could you tell me
# whether ...", an indirect question below). The question is read from its clause's start.
_POLITE_REQUEST = re.compile(
    r"^(?:\W*(?:@\S+|<@\w+>|hey|hi|hello|ok|okay|so|bot|team|please|pls|plz|thanks)\b)*\W*"
    r"(?:can|could|would|will)\s+(?:you|u|ya|ye)\b"
)
# The clause a question mark ends: from the last mark that ends a clause before it.
_LAST_QUESTION = re.compile(r"([^.,;:!?？¿\n]*)[?？]+(?P<after>[^?？]*)$")
# After its question, a message that goes on with a request of its own ("did i mute it? unmute
# it then"): the question is the request's context, and the speech act read the whole.
_GOES_ON = re.compile(r"\w+\W+\w+")
# A polite request that offers a choice ("can you pause the etl or the crm?", "could you email
# me or just post here?") asks which, so it is a question before it is a request.
_ALTERNATIVE = re.compile(r"\bor\b", re.IGNORECASE)

# "if" in the languages people mix in: German, Spanish and French, Portuguese and Italian, Hindi,
# Polish, Turkish, Russian ("wenn der snapshot fehlschlägt, …", "si falla otra vez, …").
_FOREIGN_IF = r"(?:falls|wenn|sobald|si|se|caso|agar|jeśli|jesli|jeżeli|jezeli|eğer|eger|если)"
_SIGNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(pattern, re.IGNORECASE))
    for reason, pattern in (
        # Asking, or asking about: "whether", "tell me who", "is it ok to".
        (
            "an indirect question",
            r"\b(?:whether|wondering|wonder|curious|any idea|tell me (?:who|which|what|why|when|"
            r"how|if|whether)|know (?:who|which|if|whether)|allowed|authori[sz]ed|permitted|"
            r"possible|is it (?:ok|okay|safe|fine)|confirm (?:whether|if|that))\b",
        ),
        # A message that opens with its condition imagines ("if the report ever starts I'd want
        # updates on it"), whatever follows: unlike "notify me if it fails", no request is
        # made first.
        (
            "a hypothetical",
            r"^\W*(?:(?:and|so|but|ok|okay|hmm+|well|also)\W+)?(?:if|unless|in case|"
            r"once(?! more| again)|"
            rf"whenever|should|suppose|assuming|say(?= (?:we|i|you|they)\b)|{_FOREIGN_IF})\b",
        ),
        # A choice put as a question: "can you send alerts to teams or only slack?", "does it
        # rerun the whole thing or just the step".
        ("a choice question", r"\bor (?:only|just|not|is|are|does|do|can|will|would)\b"),
        # A condition or a time the bot cannot wait for: "if the tests fail, skip it".
        (
            "a condition",
            rf"\b(?:if|unless|in case|otherwise|once(?! more| again)|whenever|as soon as"
            rf"|{_FOREIGN_IF})\b",
        ),
        # A time to come that the bot cannot wait for, said first: "tomorrow I approve the
        # filing", "mañana lo apruebo", "next week, pause it" (acting now would be too soon).
        (
            "a time to come",
            r"^\W*(?:(?:and|so|ok|okay|well)\W+)?(?:tomorrow|tmrw|tonight|later|next (?:week"
            r"|month|monday|tuesday|wednesday|thursday|friday|sprint)|mañana|manana|morgen"
            r"|übermorgen|demain|amanhã|amanha|domani|jutro|kal)\b",
        ),
        # Trouble rather than a wish: "I can't find where to set them" asks for help, even
        # beside a request whose own words may be negative ("no pings at night").
        (
            "an inability",
            r"\b(?:can'?t|can’t|cannot|couldn'?t|couldn’t|unable|(?:doesn'?t|does not|didn'?t|"
            r"did not|won'?t|isn'?t) work(?:ing)?|no idea how|confused|lost)\b",
        ),
        # Negation, in English and the words of other languages people mix in.
        (
            "a negation",
            r"(?:n't|n’t)\b|\b(?:not|never|no|nope|nothing|nobody|none|neither|nor|without|"
            r"dont|cant|wont|shouldnt|wouldnt|didnt|doesnt|isnt|arent|stop me|"
            r"não|nao|nicht|nein|kein|keine|nie|pas|non|jamais|nunca|nada|tampoco|mai|niente|"
            r"nahi|nahin|mat|nai|không|khong|hayır|hayir|değil|degil|yok|нет|не|ні|nie|"
            r"niet|geen|nooit|inte|aldrig|ikke|aldri)\b",
        ),
        # Someone else's words: a quotation, or what they said.
        (
            "a quotation",
            r"[\"“”«»„]|(?:^|[\s:(])['‘][^'‘’]{2,}['’](?=$|[\s.,!?;:)])|"
            r"\b(?:(?:told|tells|asked|asks|begged|wants|wanted) (?:\w+ ){0,2}to \w+|"
            r"tell(?:ing)? (?:him|her|them|everyone|people)|said|saying|wrote|writes|mentioned|"
            r"mentions|suggested|suggests|thinks|reckons|wants|according to)\b",
        ),
        # Doubt, advice, a thought out loud.
        (
            "doubt",
            r"\b(?:maybe|perhaps|probably|possibly|might|should|shall we|ought|thoughts|"
            r"not sure|unsure|guess|suppose|kidding|joking|jk|idk)\b",
        ),
        ("a joke", r"\b(?:ha(?:ha)+|he(?:he)+|lol|lmao|rofl|lul)\b|[😂🤣😅🙃😆😜😝]"),
        # A report of the past ("already", "yesterday"; a plain past tense is often the reason
        # given with a request: "retry it, the gpu was busy").
        (
            "the past",
            r"\b(?:already|yesterday|earlier|ago|last (?:week|night|time|month|year|sprint)|"
            r"used to)\b",
        ),
        ("a correction", r"\b(?:actually|meant|instead|other one|other running one|scratch)\b"),
        # What a task does as a habit, said of it in the third person: "the crm pauses every
        # night", "it restarts each morning at 6" describe, they do not ask.
        (
            "a habit",
            r"\b(?:(?:paus|restart|resum|stopp|runn|fail|crash|finish|complet|start|break|hang|"
            r"dy|retry|skipp|cancell?|rerunn)ing|pauses|restarts|resumes|stops|runs|fails|"
            r"crashes|finishes|completes|starts|breaks|hangs|dies|retries|skips|cancels|reruns)"
            r" (?:\w+ ){0,2}?(?:every|each|daily|nightly|weekly|hourly|always|usually|often|"
            r"sometimes|overnight)\b"
            # "the ocr job keeps retrying the same step", "it kept restarting": the action over
            # and over ("the bot keeps pinging me, set quiet hours" is a request's reason);
            # "pausing itself", "restarted on its own": the task does it, nobody asks
            r"|\b(?:keeps|kept) (?:on )?(?:paus|restart|resum|stopp|retry|rerunn|skipp|"
            r"cancell?|approv|reject|mut|unmut|silenc)ing\b"
            r"|\b\w+(?:ing|s|ed) (?:itself|themselves)\b"
            r"|\b(?:on (?:its|their) own|by (?:itself|themselves))\b",
        ),
        # Someone's own thing, which a task's words only describe: "approve the finance sign-off
        # for my kid's school trip", "approve the pay rise for my brother" (whose thing it is,
        # not on whose behalf, nor for whom to do it: "for my team", "on my end").
        (
            "someone's own thing",
            r"\b(?:for|of) (?:my|his|her|their) (?!behalf|own\b|end\b|side\b|sake\b|team|"
            r"squad|group|crew|colleagues?|boss|manager|records?|info|information|reference|"
            # (what waits for someone's word: "waiting for my ok")
            r"ok\b|okay|approval|sign|go\b|say|decision|review|input|answer|call\b|nod)"
            r"\w+",
        ),
        # Telling, not asking: "quiet hours on the ward start at 10pm, fyi for the night team".
        (
            "information",
            r"\b(?:fyi|fwiw|jsyk|for your information|just so you know|heads up|"
            r"for the record|just saying)\b",
        ),
        # Leaving things as they are is no change: "I thought about trimming them but no, leave
        # them as they are", "keep my settings the way they are".
        (
            "a refusal to change",
            r"\b(?:leave|keep|let) (?:(?:it|them|that|those|these|everything|things|"
            r"(?:my|our|the) \w+(?: \w+)?) )?(?:as (?:it is|they are|is|before)|the way "
            r"(?:it is|they are)|alone|"
            r"unchanged|untouched|the same|be)\b",
        ),
        # A comparison or a thought about what would be, not a request: "email for alerts would
        # be way slower than slack".
        (
            "a comparison",
            r"\b(?:would|wouldn'?t|wouldn’t) (?:\w+ )?be\b(?! (?:great|nice|good|lovely|"
            r"helpful|awesome|perfect|ideal|better)(?: for (?:me|us))? (?:if|to)\b)"
            r"|\b(?:better|worse|slower|faster|quicker|easier|harder|nicer|noisier|louder|more "
            r"\w+|less \w+) than\b",
        ),
        # The speaker's own plan, not a request to the bot: "if they keep coming I'm switching
        # to a digest", "we're moving it to friday anyway".
        (
            "the speaker's own plan",
            r"\b(?:i'm|i’m|im|i am|we're|we’re|we are) (?!asking|requesting|begging|wondering)"
            r"(?:\w+ ){0,1}\w+ing\b",
        ),
        # Someone other than the bot is to do it, or is spoken to: a message that opens with
        # another person's mention ("<@U42> can you pause it?"; the bot's own is gone by now).
        (
            "someone else",
            r"\b(?:someone|somebody|anyone|anybody|everyone|everybody|whoever|nobody)\b"
            r"|^\s*(?:<@[UW]\w+(?:\|[^>]*)?>|@(?!progress\s?bot\b|bot\b)[a-z][\w.]*)",
        ),
        # A plan or a prediction, the speaker's or anyone's but the bot's, as the message's
        # first clause: "ahmed will approve it after lunch", "I'll move my alerts to telegram
        # next week", "we're gonna cancel it". After a request it is the request's reason
        # ("skip the smoke tests, we'll run them by hand"); "will you pause it?" asks the bot.
        (
            "a plan",
            r"^[^,;.!?\n—–]*?\b(?!you\b|u\b|ya\b)\w+(?:'ll|’ll|\s+will|\s+shall"
            r"|\s+(?:is|are|am)\s+going\s+to|\s+gonna|\s+plans?\s+to|\s+intends?\s+to"
            r"|\s+(?:is|are|am)\s+about\s+to)\b",
        ),
    )
)
# A time to come in the clause of the request itself: "pause the classifier at 5pm", "approve
# it after lunch" (in a clause of context, "they are down tonight, can you pause it?", it is
# why now; "for an hour" is how long, "by friday" a deadline that now meets).
_LATER = re.compile(
    r"\b(?:tomorrow|tmrw|tonight|this (?:evening|afternoon|weekend)|later (?:today|on)"
    r"|next (?:week|month|time|monday|tuesday|wednesday|thursday|friday|sprint)"
    r"|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"|after (?:lunch|the (?:meeting|standup|call|demo|weekend)|standup|\d{1,2}\b)"
    r"|at (?:\d{1,2}(?::\d{2})?\s*(?:am|pm|h)|\d{1,2}:\d{2}|noon|midnight|\d{1,2}\W*$)"
    r"|in (?:an?|one|two|\d+|a few|half an) (?:min|mins|minutes|hour|hours|hr|hrs|h|days?))\b",
    re.IGNORECASE,
)
# Another app's or device's notifications: "move my calendar alerts to slack", "turn off the
# github notifications", "mute my phone reminders". A settings request that names no task and
# qualifies its notifications by a word that is none of the bot's own (the channels, the kinds of
# event, how often, the words that say which or how many of them) is about something else, or at
# best unclear: ask first. The list is of known words on purpose: a word it misses costs a tap to
# confirm, where a guess that it is ours would change our settings for another app's alerts.
# What the bot's notifications are called.
_NOTICES = r"alerts?|notifications?|notifs?|pings?|reminders?|updates?"
_QUALIFIED_NOTIFICATIONS = re.compile(
    r"\b(?:my|our|the|all|your|these|those|his|her|their)\s+([\w'’-]+)\s+"
    rf"(?:{_NOTICES}|messages?)\b",
    re.IGNORECASE,
)
# A setting placed on another app or device, right after what it sets: "quiet hours on my
# calendar from 12 to 1", "dnd on my phone", "mute notifications in my outlook". Ours are kept
# per person, per chat and per task; the words that say so, the channels and the times are
# known, any other place is asked about.
_SETTING_PLACE = re.compile(
    rf"\b(?:quiet hours|dnd|do not disturb|digests?|{_NOTICES}|sounds?) "
    r"(?:[\w'’-]+ ){0,2}?(?:on|in|for|at) (?:my|our|the|your) ([\w'’-]+)",
    re.IGNORECASE,
)
# The bot's channels, in both lists of words that are ours.
_CHANNEL_WORDS = frozenset(
    {"slack", "telegram", "email", "e-mail", "mail", "console", "chat", "dm", "dms"}
)
_OWN_PLACES = _CHANNEL_WORDS | frozenset({
    "inbox", "chats", "channel", "channels", "workspace", "account", "end", "side", "behalf",
    "own", "part",
    "team", "teams", "group", "squad", "tasks", "task", "jobs", "job", "runs", "bot",
    "weekend", "weekends", "weekdays", "week", "day", "days", "night", "nights", "evening",
    "evenings", "morning", "mornings", "afternoon", "afternoons", "holiday", "holidays",
    "vacation", "leave", "time", "timezone", "hours", "shift", "shifts", "break", "lunch",
    "meantime", "moment", "future", "rest", "next", "first", "last", "whole", "entire",
})  # fmt: skip
# Mail, texts and calls of one's own or someone's are no notifications of ours, whoever sends them:
# "forward the customer's emails to my telegram", "move my texts to slack" (ours go by email:
# "send my updates by email", "email me instead").
_OTHER_MESSAGES = re.compile(
    r"\b(?:my|our|your|his|her|their|the|all|these|those|[\w-]+['’]s)\s+(?:[\w'’-]+\s+)?"
    r"(?:e-?mails|mails|inbox|texts|sms(?:es)?|calls|voicemails?|letters|invites|tickets|"
    r"whatsapps?)\b",
    re.IGNORECASE,
)
_OWN_QUALIFIERS = _CHANNEL_WORDS | frozenset({
    "my", "our", "your", "all", "the", "a", "an", "this", "that", "these", "those", "his", "her",
    "their", "its", "some", "no", "any", "every", "each", "current", "task", "tasks", "job",
    "jobs", "step", "steps", "per-step", "progress", "status", "approval", "approvals", "sign-off",
    "signoff", "failure", "failures", "fail", "error", "errors", "completion", "done", "finish",
    "finished", "start", "started", "bot", "progressbot", "progress-bot", "push", "real-time",
    "realtime",
    "instant", "daily", "weekly", "hourly", "nightly", "new", "old", "missed", "other",
    "remaining", "such", "more", "fewer", "less", "many", "important", "urgent", "critical",
    "future", "pending", "recent", "latest", "usual", "run", "runs", "build", "builds", "deploy",
    "deploys", "pipeline", "pipelines", "minor", "major", "small", "big", "little", "noisy",
    "annoying", "spammy", "constant", "endless", "frequent", "repeated", "duplicate", "extra",
    "same", "normal", "regular", "low", "high", "priority", "low-priority", "non-urgent",
    "useless", "unimportant", "routine", "final", "last", "first", "next", "individual",
    "separate",
})  # fmt: skip
_SETTINGS = frozenset({"mute", "unmute", "notify_channel", "notify_settings"})
# A setting told of rather than asked for: another tool's or another time's ("my old bot had a
# weekly digest, loved it", "at my last job alerts went to email"), or said of how things are
# ("quiet hours on the ward start at 10pm", "the digest is at 9"). Asking first costs a tap; a
# setting changed on a story would change how someone hears of their work.
_SETTING_TOLD = re.compile(
    r"\b(?:my|our|the|his|her|their)\s+(?:old|last|previous|former|other|new)\s+(?:bot|tool|"
    r"app|job|company|employer|team|setup|system|workplace|place|gig|role)\b"
    r"|\b(?:had|was|were|used|loved|liked|enjoyed|hated|went|got)\b"
    r"|\b(?:quiet hours|dnd|digests?|alerts?|notifications?|pings?|summar(?:y|ies))\s+"
    r"(?:(?:on|at|in|for|of) (?:the |our |my )?\w+\s+)?(?:start|starts|begin|begins|end|ends|"
    r"is|are|run|runs|kick in|kicks in|come|comes|arrive|arrives)\b",
    re.IGNORECASE,
)
# A settings request that opens by asking for another action: "pause the etl every night" asks
# for a pause on a schedule (which no setting does), not for the notifications of the nights.
_OTHER_ACTION_FIRST = re.compile(
    r"^\W*(?:(?:please|pls|plz|hey|ok|okay|so|bot)\W+)*(?:pause|unpause|resume|restart|rerun|"
    r"cancel|abort|kill|retry|skip|approve|reject)\b",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[,;.!?？]+")
_ACTION = re.compile(ACTION_VERBS, re.IGNORECASE)

# Set phrases that only sound like a sign: a wish ("it would be great if ..."), politeness ("if
# possible", "when you can"), a time ("until ops say go") or a request's own shape.
_SET_PHRASES = re.compile(
    r"\b(?:it(?:'d| would) be (?:great|good|nice|lovely|helpful|awesome|perfect|ideal) if|"
    r"(?:i|we)(?:'d| would) (?:appreciate it|be grateful) if|if (?:possible|you can|you could|"
    r"you don'?t mind|that'?s ok(?:ay)?)|when(?:ever)? (?:possible|you can)|as soon as possible|"
    r"(?:until|till|til) (?:\w+ ){0,2}(?:says?|tells?|gives?) (?:so|go|the go)\b)",
    re.IGNORECASE,
)
# What each kind of request says in its own words: a subscription names a condition ("tell me
# when it's done", "notify me if it fails"), a mute, a reject or a setting a negation ("no more
# pings about it", "not good enough, reject it", "nothing on sundays"), a move of notifications a
# contrast ("email me instead").
_NATURAL: dict[str, frozenset[str]] = {
    "subscribe": frozenset({"a condition", "an indirect question", "a plan", "a time to come"}),
    "mute": frozenset({"a negation", "a time to come"}),
    "reject": frozenset({"a negation"}),
    "notify_channel": frozenset({"a correction"}),
    "notify_settings": frozenset({"a condition", "a correction", "a negation", "a time to come"}),
}


def hedge(
    text: str, intent: str, *, argument: str | None = None, task_words: str | None = None
) -> str | None:
    """Why `text`, read as a request for `intent`, may not be a plain request (a short reason,
    for logs and tests), or None when nothing in it says so. `argument`, the free text the
    request carries (a reject's reason: "not ready yet"), is the person's words for the action,
    and `task_words` the words that named the task ("the quote model", "the claims ocr"): neither
    is a sign about the request."""
    # A reject's reason is free text of its own; other intents' arguments (a notification
    # setting, a channel) are read from the request itself and stay in it.
    for own_words in (argument if intent == "reject" else None, task_words):
        if own_words:
            at = text.lower().find(own_words.lower())
            if at >= 0:
                # (the task's words stand as one word: "Kasia will reject it" when her task
                # is named by her name still says who will)
                text = text[:at] + " it " + text[at + len(own_words) :]
    text = _SET_PHRASES.sub(" ", text)
    natural = _NATURAL.get(intent, frozenset())
    for reason, pattern in _SIGNS:
        if reason not in natural and pattern.search(text):
            return reason
    if "a time to come" not in natural and any(
        _LATER.search(clause) and _ACTION.search(clause) for clause in _CLAUSE_END.split(text)
    ):
        return "a time to come"
    if intent in ("notify_settings", "notify_channel"):
        if _OTHER_ACTION_FIRST.search(text):
            return "another action asked first"
        if _SETTING_TOLD.search(text):
            return "a setting told of"
    if intent in _SETTINGS and not task_words:
        if _OTHER_MESSAGES.search(text) or any(
            place[1].lower() not in _OWN_PLACES for place in _SETTING_PLACE.finditer(text)
        ):
            return "another app's notifications"
        for qualified in _QUALIFIED_NOTIFICATIONS.finditer(text):
            if qualified[1].lower().strip("'’") not in _OWN_QUALIFIERS:
                return "another app's notifications"
    question = _LAST_QUESTION.search(text)
    if (
        question is not None
        and not _GOES_ON.search(question["after"])
        and not (
            # "can you send alerts to teams or only slack?" asks what the bot can do
            _POLITE_REQUEST.search(question[1].lower()) and not _ALTERNATIVE.search(question[1])
        )
    ):
        return "a question"
    return None
