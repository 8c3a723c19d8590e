"""How a message talks about an action without asking for it.

The verbs that change something (`ACTION_VERBS`) and the forms of speech around them that only
tell: an action someone reports done (`REPORT`, `SOMEONE_DID`), someone's words quoted
(`QUOTING`), the action named as a thing ("the pause button"), and the action weighed or judged
as its sentence's subject ("cancelling it could break the deploy", "approving it blind would be a
bad idea"). `intents.speech_act` reads a message's act with them.
"""

from __future__ import annotations

import re

from intents.text import at_word_starts

__all__ = [
    "ACTION_VERBS",
    "BAD_IDEA",
    "BAD_IDEA_ACROSS",
    "COMPLAINT",
    "NAMED_AS_A_THING",
    "NOT_REPORT",
    "PAST",
    "PAST_AS_A_TIME",
    "PAST_SIMPLE",
    "QUOTING",
    "REPORT",
    "SOMEONE_DID",
    "TALKED_OF",
    "WEIGHED",
]

# Verbs (and their forms) that change something: the ones a negation or a question can be about.
ACTION_VERBS = (
    r"(?:pause[sd]?|pausing|resum(?:e|es|ed|ing)|unpause[sd]?|continu(?:e|es|ed|ing)"
    r"|cancel(?:s|led|ling|ed|ing)?|stop(?:s|ped|ping)?|kill(?:s|ed|ing)?|abort(?:s|ed|ing)?"
    r"|halt(?:s|ed|ing)?|terminat(?:e|es|ed|ing)|restart(?:s|ed|ing)?|rerun(?:s|ning)?|reran"
    r"|relaunch(?:es|ed|ing)?|redo(?:ing)?|retr(?:y|ies|ied|ying)|skip(?:s|ped|ping)?"
    r"|bypass(?:es|ed|ing)?|approv(?:e|es|ed|ing)|reject(?:s|ed|ing)?|declin(?:e|es|ed|ing)"
    r"|deny|denied|denying|mut(?:e|es|ed|ing)|unmut(?:e|es|ed|ing)|silenc(?:e|es|ed|ing)"
    r"|snooz(?:e|es|ed|ing)|freez(?:e|es|ing)|froze|suspend(?:s|ed|ing)?|touch(?:ing)?"
    r"|sign(?:ing|ed)? off|ship(?:ping|ped)?|start(?:ing|ed)? over|change|delete|drop|scrap"
    r"|call(?:ing)? (?:it |that |this )?off|shut(?:ting)? (?:it |that |this )?down"
    r"|notify|ping|subscrib(?:e|ing)|follow|put (?:\w+ ){0,3}?on hold|hold|holding"
    # settings change too: "we shouldn't route the tax pings to #finance yet"
    r"|rout(?:e|es|ed|ing)|redirect(?:s|ed|ing)?|forward(?:s|ed|ing)?|unsubscrib(?:e|ed|ing)"
    # idioms for a step again: "i'd rather not give it another go today"
    r"|give (?:\w+ ){0,4}?(?:another|one more) (?:go|shot|try)"
    # and for a run again: "don't run the rota again", "never run it from scratch"
    r"|run(?:ning)? (?:\w+ ){0,4}?(?:again|from scratch|from the (?:start|beginning|top)))"
)
PAST = (
    r"(?:paused|cancelled|canceled|stopped|restarted|reran|relaunched|approved|rejected|declined|"
    r"resumed|unpaused|skipped|killed|aborted|muted|unmuted|retried|signed off|halted|suspended|"
    r"silenced|snoozed|put on hold|frozen)"
)

# Past forms that cannot be a base form after "can I …" ("put on hold" can).
PAST_SIMPLE = PAST.replace("put on hold|", "")

# "dana says she'll cancel it", "bob said to kill it": what someone else said, reported (after a
# determiner "claims" is a noun: "pause the claims pipeline until we fix it" is asked).
QUOTING = at_word_starts(
    r"\b(?!(?:i|we|you|u|it|that|this|the|a|an|my|our|your|their|his|her)\b)\w+ (?:says|said"
    r"|told (?:me|us)|mentioned|promised|reckons|claims|claimed) (?:\w+ ){0,2}?(?:to|that|hed"
    r"|shed|theyd|hell|shell|theyll|he|she|they|we|it)\b"
    # "ops literally wrote 'cancel the transcode' in the channel": someone's words, quoted
    rf"|\b(?!(?:i|we|you|u|it|that|this)\b)\w+ (?:\w+ )?(?:wrote|posted|typed) "
    rf"(?:\w+ ){{0,2}}?{ACTION_VERBS}\b"
    # "kim said restart the ledger migration after lunch": her words, not ours
    rf"|\b(?!(?:i|we|you|u|it|that|this|who)\b)\w+ (?:said|says) (?:please |pls |kindly )?"
    rf"{ACTION_VERBS}\b"
)

REPORT = at_word_starts(
    rf"\bwho (?:has |had |just )?{PAST}\b"
    # ("i have to decline it" is an obligation, not a report)
    rf"|\b(?:did|has|have|had) (?:anyone|anybody|someone|somebody|we|you|he|she|they|(?!to\b)\w+) "
    rf"(?:already |just |ever )?(?:pause|cancel|stop|restart|rerun|approve|reject|resume|skip"
    rf"|kill|abort|mute|retry|unmute|sign off|decline|silence|put on hold|{PAST})\b"
    # "did the harbourmaster reject the timetable?": someone called by a role did it to it
    rf"|\bdid (?:the|our|your|their|his|her) \w+ (?:already |just |ever )?(?:pause|cancel"
    rf"|restart|approve|reject|resume|skip|mute|sign off|decline) (?:the|it|this|that|my|our"
    rf"|their|his|her)\b"
    # ("if it could get approved now" wishes it done)
    rf"|(?<!could )(?<!would )(?<!can )(?<!might )(?<!should )\b(?:was|were|got|gets|been|get)"
    rf" (?:\w+ ){{0,2}}?(?:{PAST}|rerun)\b"
    rf"|\b(?:was|were) (?:\w+ ){{1,4}}?{PAST}\b"
    rf"|\b{PAST}\b.*\b(?:yesterday|earlier|last (?:night|week|time)|this morning|ago|"
    rf"already|before|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    rf"|over the weekend|last \w+)\b"
    rf"|\b(?:i|we|he|she|they|someone|somebody|\w+) (?:already|just) {PAST}\b"
    rf"|\b(?:said|says|told|mentioned|promised) (?:\w+ ){{0,3}}?(?:hed|shed|theyd|id|he|she|"
    rf"they|would|will|to|that)\b"
    rf"|(?<!can )(?<!should )(?<!could )(?<!may )\b(?:i|you|we|he|she|they|someone|somebody|u)"
    rf" (?:already |just |accidentally |never )?{PAST_SIMPLE}\b"
    rf"|\b{PAST} (?:itself|by itself|on its own|automatically)\b"
    rf"|\b(?:was|were) (?:about|going|planning|trying) to\b"
    rf"|\b(?!i\b|we\b|you\b)\w+ (?:wants|wanted|asked|suggested|suggests|thinks|thought|"
    rf"reckons|prefers) (?:to |me to |us to |that |we |the |it )"
    rf"|\b{ACTION_VERBS} (?:\w+ ){{0,4}}?myself\b"
    rf"|\b(?:ill|i will|im going to|i am going to|im gonna|i can) (?:just )?{ACTION_VERBS} "
    rf"(?:\w+ ){{0,3}}?(?:myself|later|tomorrow|tonight|in a bit|after)\b"
)
# "show me what it logged before it was paused", "it showed failures before it got cancelled, any
# idea why?": a past action said only as the time of what is asked about (a clause of "before",
# "since", "until" about the task), not told for its own sake; a report is looked for without it.
PAST_AS_A_TIME = re.compile(
    rf"\b(?:before|after|since|until|till|from when) (?:it|they|that|this|the \w+) (?:got|was"
    rf"|were|had been|has been|gets) (?:\w+ )?{PAST}\b"
)
# "dana paused orders for the db migration": someone named did it (an order uses the base form).
SOMEONE_DID = re.compile(
    r"^(?!(?:is|are|was|were|has|have|had|get|got|the|show|list|any|only|all|keep|why|who|what"
    r"|when|how|which|where|not|no|never|just|please|pls|still|already)\b)\w+ "
    rf"{PAST_SIMPLE} (?:the |it\b|this\b|that\b|my\b|our\b|\w+ (?:for|because|since|after"
    r"|before|at|this|last|yesterday|earlier|again|twice|by|on|in)\b)"
    # "greta switched the forecast alerts to failures only": a setting someone changed (past
    # forms that are no order's)
    r"|^(?!(?:i|we|you|u|it|he|she|they|someone|somebody|anyone|who|what|which|if|when)\b)\w+ "
    r"(?:switched|changed|moved|turned|flipped|routed|rerouted) (?:\w+ ){0,5}?(?:alerts?"
    r"|notifications?|notifs?|pings?|updates?|channel|settings)\b"
)
# "the pause button", "a cancel option": the action named as a thing, not asked for.
NAMED_AS_A_THING = re.compile(
    r"\b(?:the|a|this|that|your) (?:pause|cancel|restart|stop|skip|approve|reject|mute|retry"
    r"|resume|unmute) (?:button|command|option|feature|function|link|thing)s?\b"
)


def _judged(gap: int) -> re.Pattern[str]:
    return re.compile(
        rf"\b{ACTION_VERBS} (?:\w+ ){{0,{gap}}}?(?:would be|is|was|seems) (?:a |an )?(?:mistake"
        rf"|bad idea|terrible idea|risky|dangerous|pointless|overkill)\b"
    )


# "pausing it would be a mistake": advice against it. Within one clause the action may sit far
# from the verdict ("muting the forecast during the firmware update would be a bad idea"); across
# clauses only near it, so "pause the etl, the last run was a mistake" stays a request.
BAD_IDEA = _judged(8)
BAD_IDEA_ACROSS = _judged(3)
# "rejecting the review would delay onboarding", "muting it during the update could hide a
# failure": the action as a sentence's subject, weighed, not asked for; so too when the verdict
# is a plain verb of judging ("cancelling seems hasty", "pausing is no fix") or of what it does
# ("careful, pausing it wipes the cache"), or someone's word on it ("the docs say retrying it is
# fine"). Read on the message as written: normalising makes the -ing form a verb ("rejecting").
WEIGHED = re.compile(
    r"^(?:(?:but|and|so|well|honestly|tbh|imo|fwiw|i think|i guess|ok|okay|hmm|careful|note|fyi"
    r"|btw|heads up|warning|(?:\w+ ){0,3}(?:says?|said|thinks?|reckons?)(?: that)?)[\s,:]+)*"
    # (a full stop ends the sentence; one inside a name or a number, "fw 5.2", does not)
    rf"(?=\w+ing\b){ACTION_VERBS}\b(?:[^.!?;]|\.(?=\w)){{1,80}}?\b(?:would|could|might|will|may"
    r"|wouldn[’']?t|couldn[’']?t|won[’']?t|feels?|sounds?|seems?|looks?|is|isn[’']?t|can|cant"
    r"|doesn[’']?t|does not|wipes|breaks|kills|loses|drops|resets|deletes|clears|takes|costs"
    r"|means|needs|requires|fixes|hurts|affects|triggers|causes|corrupts|undoes|blocks)\b",
    re.IGNORECASE,
)
# "we talked about pausing it in standup", "ana brought up cancelling it": a talk about the action
# (read as the message has it, where the -ing form tells it from "as discussed, pause it").
TALKED_OF = re.compile(
    r"\b(?:talked|talking|spoke|speaking|chatted|argued|thought|joked|brought up|discussed"
    rf"|discussing)(?: about| of)? (?=\w+ing\b){ACTION_VERBS}\b",
    re.IGNORECASE,
)
NOT_REPORT = re.compile(
    # ("has the crm finished yet?" asks how it stands; "did lars approve the crm yet?" still asks
    # what someone did)
    r"^(?!(?:\w+ )?did (?:\w+ )?(?:pause|cancel|stop|restart|rerun|approve|reject|resume|skip"
    r"|kill|abort|mute|retry|sign off)\b).*\byet\b"
    r"|\bstill\b|^(?:is|are|has|have) (?:it|the|my|our|\w+) "
    r"|^(?:can|could|should|may|am|do) (?:i|we)\b"
    # "could a paused job be resumed halfway?", "how many times can a step
    # be retried before it gives up?", "what happens after a step gets skipped?": how an action
    # works, asked in the passive, not something done
    r"|^(?:how (?:many times |often |long |far )?|what |when |why )?(?:can|could|will|would"
    r"|should|may|must) (?:\w+ ){1,4}?be \w+ed\b|^what happens (?:to|when|if|after)\b"
    # "what has the merge printed since it was paused?": its output asked for, whatever befell it
    r"|^(?:what|which \w+) (?:did|has|have) (?:\w+ ){1,4}?(?:log|logged|print|printed|output)\b"
    # "logs from the reindex before it got cancelled": its output asked for, up to a time
    r"|^(?:(?:please|pls|show|give|send|get|pull|me|us|the|its|all|full|last) )*(?:logs?|output"
    r"|console output|stdout|stderr)\b(?: \w+){0,5}? (?:before|after|since|until|till|from when"
    r"|when) (?:it|they|that|this|the \w+|\w+) (?:got|was|were|had been|has been|gets)\b"
)
# "the digest at 8am is too late for the ward", "telegram is blocked on the hospital wifi", "I'm
# already following too many tasks": how things stand, told (a request in it is another clause's)
COMPLAINT = re.compile(
    r"^(?!.*\b(?:please|pls|can you|could you|would you)\b)(?:\w+ ){0,6}?(?:is|are|s|gets|got"
    r"|comes|come|arrives|arrive|keeps?) (?:\w+ )?(?:too (?:late|early|often|rarely|long|short"
    r"|much|many|noisy|loud|slow)|blocked|banned|down|not working|unavailable|unreachable)\b"
    r"|\b(?:im|i am|were|we are) (?:already )?(?:following|subscribed to|watching|tracking)"
    r" too many\b"
    # a judgement of a way of being told: "daily digests are useless for it", "notifying only
    # on failure sounds risky to me"
    r"|^(?!.*\b(?:please|pls|can you|could you|would you)\b)(?:\w+ ){1,9}?(?:is|are|s|seems?"
    r"|sounds?|feels?|looks?) (?:\w+ )?(?:useless|pointless|risky|worthless|unhelpful|no good"
    r"|a bad idea)\b"
    # a way of being told compared with another: "digest mode would be nicer than this flood"
    r"|^(?!.*\b(?:please|pls|can you|could you|would you)\b)(?:\w+ ){1,6}?(?:would|d|might"
    r"|could) be (?:\w+ )?(?:nicer|better|worse|quieter|easier|calmer|saner|less noisy) than\b"
)
