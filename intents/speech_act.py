"""Stage 2 of understanding: what kind of thing is the person doing with this message?

`classify_act(normalised)` returns a `SpeechAct`:

- `command`: "freeze the invoices job", and polite requests: "can you / could you / would you
  pause it", "can we restart it", "please pause it";
- `wish`: "I'd like the pipeline paused", "we need the sync stopped";
- `suggestion`: a hedged command or wish, or a proposal: "maybe pause it", "perhaps cancel the
  etl", "I think we should restart it?", "should we skip the tests step", "how about pausing
  it", "pause it, I guess": it asks for the action without being sure of it (the bot confirms
  before doing anything);
- `question`: asking, including about an action: "can I pause it?", "should I cancel it",
  "what does skip do", "would restarting lose work?", "who may cancel it", "is it safe to pause";
- `hypothetical`: "if I skip the tests step…", "what happens if we cancel", "suppose we restart";
- `negation`: "please don't pause it", "leave the etl alone, just tell me the eta"; `negated`
  holds the words of the negated clause, `positive` the words of the rest (what is asked);
- `correction`: "scratch that, I meant the invoices job", "never mind, wrong one";
- `report`: about the past, or what someone else said: "did anyone restart it?", "who cancelled
  the crm?", "it was paused", "dana paused it for the migration", "bob says he'll cancel it";
- `statement`: anything else (greetings, thanks, a bare task name).

A request in a later clause of its own ("the vendor is down tonight, can you pause the sync?")
makes the message a command, unless it is imagined.

Rules only, over the normalised words with clause boundaries; the order of the checks is the
priority (a correction wins over a hypothetical, which wins over a report, …).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from intents.action_talk import (
    ACTION_VERBS,
    BAD_IDEA,
    BAD_IDEA_ACROSS,
    COMPLAINT,
    NAMED_AS_A_THING,
    NOT_REPORT,
    PAST,
    PAST_AS_A_TIME,
    QUOTING,
    REPORT,
    SOMEONE_DID,
    TALKED_OF,
    WEIGHED,
)
from intents.normalise import Normalised
from intents.rules import NOT_PUT_OFF, rule_intent
from intents.text import at_word_starts, branch_search, tokenize
from intents.types import STATE_CHANGING

__all__ = [
    "ACTING",
    "ACTION_VERBS",
    "ACTS",
    "SpeechAct",
    "befell_action",
    "classify_act",
    "correction_rest",
    "discusses_a_quote",
    "hedged",
    "leaves_alone",
    "negated_action_words",
    "reports_a_request",
    "wanted_done",
]

ACTS: tuple[str, ...] = (
    "command",
    "wish",
    "suggestion",
    "question",
    "hypothetical",
    "negation",
    "correction",
    "report",
    "statement",
)

# Words after "not" that name no other thing ("not now", "not that", "not pausing", "not going
# to reject the crm"): no correction by contrast.
_NOT_FOLLOWERS = rf"now|yet|sure|really|quite|so|that|this|one|going|about|{ACTION_VERBS}"
_CORRECTION = at_word_starts(
    r"^(?:(?:oh|oops|whoops|sorry|no|ah|wait|ugh|hmm|ok|okay|hold on|hang on)\s)*(?:scratch that"
    r"|never mind|meant"
    r"|forget (?:it|that|about it)|actually forget|ignore (?:that|me|my last)|wrong one"
    # ("stop that one as well" stops another task; "cancel that" takes a request back)
    r"|not that one|my bad|i meant|i mean|sorry i meant|correction|no wait|wait no"
    r"|cancel that(?! one\b))\b"
    r"|(?<!am )\bi meant\b(?! to\b)"
    # "nein, die Migration meinte ich", "nee, de migratie bedoelde ik": the task said first
    r"|\bmeant i$"
    r"|\bwrong (?:one|task|job|chat|channel|thread|window|person|room)\b"
    r"|\bnot that one\b|\bscratch that\b"
    # "excuse me, the other one: jon's scraper": the last request, moved to another task
    r"|^(?:(?:excuse me|sorry|oops|whoops|no|nope|wait|ah|oh|hmm)\s)*the other(?: one)?\b"
    r"|\bactually forget\b|^never mind\b|^forget it$"
    # "no, the tax one", "actually make that the ab test": the last request, moved
    r"|^(?:no|nope|nah|sorry|oops|wait)(?: no| sorry)? (?:i meant |i mean )?the (?:\w+ ){1,3}?one$"
    # "oops, the booking engine", "the firmware one, i mean": the last request, moved (not
    # "oops the build failed", a thing told)
    r"|^(?:oops|whoops|my bad)(?: sorry)? (?:i meant |i mean )?the (?!(?:\w+ ){0,3}?(?:is|are"
    r"|was|were|has|have|had|got|went|broke|did|does|will|\w+ed)\b)(?:\w+ ){0,2}\w+$"
    r"|(?<!what )\bi mean$"
    # "no, the one for the flood sim" ("no, la del espejo", "nee, die van de X")
    r"|^(?:no|nope|nah|sorry|oops|wait)(?: no| sorry)? (?:i meant |i mean )?the one (?:of|for)\b"
    # "no, on the OCR batch", "nope, for the tiles": the last request, moved to that task
    r"|^(?:no|nope|nah)(?: no| sorry)? (?:i meant |i mean )?(?:on|for|with|about) (?:the |my )?"
    r"(?:\w+ ){0,3}?\w+$"
    # "no sorry, the catalogue import, not the ocr": the task said, then the one it replaces
    r"|^(?:no|nope|nah|sorry|oops|wait)(?: no| sorry)? (?:i meant |i mean )?the (?:\w+ ){1,3}?not"
    r" (?:the |my )?\w+(?: \w+){0,2}$"
    r"|^(?:(?:actually|no|sorry|wait|oops|hmm) )*(?:make|change|switch) (?:that|it) (?:to )?"
    r"(?:the|for the|on the)\b"
    r"|^(?:(?:no|nah|sorry|oops|wait|hmm|ugh|ah|oh|um|err)\s)+not (?:the |my )?"
    rf"(?!(?:{_NOT_FOLLOWERS})\b)\w+"
    # "wait, not the transcode - the tiles"
    r"(?: (?:the |my )?(?!(?:now|yet|please|pls)\b)\w+){0,3}$"
    # "not ledger, the stock import"
    rf"|^(?:no |sorry |oops )?not (?:(?:the|that|this|my) )?"
    rf"(?!(?:{_NOT_FOLLOWERS})\b)\w+(?: \w+){{0,3}}"
    r" (?:the|i meant|but)\b"
)
_HYPOTHETICAL = at_word_starts(
    rf"\bwhat (?:happens|would happen|will happen|happened|could happen|do we lose|would we lose)"
    rf" (?:if|when)\b|\bwhat if\b|\bsuppos(?:e|ing)\b|\bhypothetical(?:ly)?\b|\bimagine\b"
    rf"|\bin case\b|\bthinking (?:about|of)\b|\bconsidering\b|\bmaybe (?:we|i|you|someone)\b"
    rf"|\bwonder(?:ing)?\b|\bdebating\b|\bwhether (?:to|we|i)\b"
    # undecided ("on the fence about pausing it", "torn on") or later ("before we pause it, …")
    rf"|\b(?:before|after|once|until|till) (?:we|i|you|they|someone) {ACTION_VERBS}\b"
    rf"|\bon the fence\b|\bin two minds\b|\btorn (?:about|on|over|between)\b|\bundecided\b"
    rf"|\b(?:cant|havent|not yet) decided?\b|\bstill deciding\b|\bback and forth\b"
    rf"|\bmixed feelings\b|\b(?:tempted|inclined|hesitant) to\b|\btoying with\b|\bleaning to"
    rf"|^(?:i |we )?might (?:\w+ )?{ACTION_VERBS}\b|^(?:i|we) may {ACTION_VERBS}\b"
    rf"|\bshould(?:ve| have)\b"
    rf"|\bif (?:i|we|you|someone|somebody|they|anyone|anybody|he|she|bob|we were to) "
    rf"(?:\w+ ){{0,2}}?{ACTION_VERBS}\b|\bif (?:i|you) were\b"
    rf"|\bwould (?:it|that|this|\w+ing) (?:\w+ ){{0,3}}?(?:lose|break|hurt|delete|affect|kill"
    rf"|mess|undo|wipe|corrupt|help)\b|\bwould \w+ing\b"
    # "like i'd approve that", "we could restart it tonight", "worst case we reject it",
    # "say we paused it", "we may need to skip it later": conditional or someday, not now
    rf"|\b(?:id|wed|i would|we would) (?:\w+ )?{ACTION_VERBS}\b"
    rf"|\b(?:we|i|you) could (?:always |just |probably |still |also )?{ACTION_VERBS}\b"
    rf"|\bworst case\b|\bin theory\b|\btheoretically\b|\bin principle\b|^say (?:we|i|you)\b"
    rf"|\b(?:may|might|will|going to|probably) (?:\w+ )?(?:need|have|want) to\b"
    # ("was it rerun at some point today?" asks what was done)
    rf"|^(?!(?:(?:so|and|ok|okay|hey) )*(?:was|were|has|have|had|did)\b).*?\bat some point\b"
    rf"|\beventually\b|\bsome day\b|\bsomeday\b|\byeah right\b"
    # plans and conditions: "planning to pause it at 6", "once qa is done we'll approve it",
    # "if churn fails again i'll restart it", "assuming the db is back"
    rf"|\bplan(?:ning|s)? (?:to|on)\b|\bassuming\b|\bprovided (?:that )?\b"
    rf"|\b(?:ill|well|theyll|hell|shell|we will|i will|they will) (?:\w+ )?{ACTION_VERBS}\b"
    rf"|\bif (?:\w+ ){{1,5}}?(?:fails?|breaks?|crashes|dies|is still|isnt|doesnt|goes|gets)\b"
    rf"|\bif (?!(?:thats|that is|its|it is|you|u) )(?:\w+ ){{1,4}}?(?:is|are|was|were|looks|seems"
    rf"|stays|turns out|comes back)\b"
    rf"|\bonce (?:\w+ ){{1,4}}?(?:is|are|has|have|gets|get) (?:\w+ )?(?:done|back|ready|fixed"
    rf"|finished|over|green)\b"
    rf"|\bwhats the worst\b|\bwhat could (?:possibly )?go wrong\b|\bunless\b|\bonly if\b"
    rf"|\bas long as\b"
    rf"|\b(?:im|i am|were|we are) (?:\w+ )?{ACTION_VERBS}\b.*\b(?:tomorrow|tonight|later|next"
    rf"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|this (?:afternoon|evening))\b"
)
# "I'd appreciate it if you restarted it", "let me know if churn fails": requests, whose "if"
# is part of what is asked, not a hypothetical.
_APPRECIATE_IF = re.compile(
    r"^(?:(?:hey|hi|ok|okay|so|and|please|pls|bot)\s)*(?:please )?(?:notify|tell|ping|alert"
    r"|message|text|warn|let) (?:me|us) (?:know )?(?:if|when|once|whenever|as soon as)\b"
    r"|\b(?:id|i would|wed|we would|would) (?:really |much |greatly )?(?:appreciate|love|like) "
    r"(?:it )?if (?:you|u|someone|somebody)\b|\bif you (?:could|can|would) (?:please )?\w+"
    r"(?: \w+){0,6} (?:thatd|that would|it would) be (?:great|nice|awesome|good|lovely|perfect)\b"
    r"|^(?:(?:hi|hello|so|ok|okay)\s)*(?:it|that) (?:would|will) be (?:great|nice|awesome|good"
    r"|lovely|perfect|helpful) if\b"
    r"|^(?:itd|thatd) be (?:great|nice|awesome|good|lovely|perfect) if\b"
)
# "it would be great if it could wait, but only if finance agrees": a condition of its own
# beyond the polite "if" makes the request imagined.
_FURTHER_CONDITION = re.compile(
    r"\b(?:only if|unless|provided|assuming|in case|as long as|if (?!(?:you|u|possible|you can"
    r"|you could)\b))"
)
# "can we pause it without losing data?", "… or not?": asking whether, not asking for it.
_WHETHER = re.compile(
    r"\bwithout (?:losing|breaking|killing|deleting|affecting|hurting|corrupting|wiping"
    r"|messing|redoing|data loss|side effects)\b|\bor not\b|\bthoughts\b|\bgood idea\b"
    r"|\b(?:do|does|did) (?:we|i|you|anyone) (?:really |actually |even )?(?:want|need|have) to\b"
    r"|\b(?:anyone|anybody|does anyone|you) know (?:if|whether)\b"
    r"|\bis (?:it|that) (?:worth|ok if)\b|\bis there (?:any )?(?:way|option|chance) to\b"
    r"|\b(?:tell|let) (?:me|us) (?:know )?(?:if|whether) (?:\w+ ){1,5}?(?:is|would be|will be|was)"
    r" (?:fine|ok|okay|safe|wise|a good idea|a bad idea|worth it|allowed)\b"
    r"|\bwhats the point of\b|\b(?:can|could) (?:i|we|you|it) even\b|\bis it even\b"
)
# Negators whose scope reaches an action verb within a few words.
_NEGATOR = (
    r"(?:dont|do not|doesnt|does not|never|not|no need to|no|shouldnt|should not|wont|will not"
    r"|cant|cannot|lets not|let s not|mustnt|must not|stop asking me to|without|nobody|no one"
    # "i wouldn't approve the crm yet": advice against it
    r"|wouldnt|would not|id not|i would not|rather not"
    r"|didnt|did not|isnt"
    # "too early to resume the mosaic": not now
    r"|too early to|too soon to|too late to|premature to|no point in|no point to)"
)
_NEGATED_ACTION = re.compile(rf"\b{_NEGATOR} (?:\w+ ){{0,4}}?{ACTION_VERBS}\b")
# "don't turn on the digest, I want real time", "don't switch me to telegram": a setting's
# change refused (not "don't send me pings", which asks for fewer)
_NEGATED_SETTING = re.compile(
    rf"\b{_NEGATOR} (?:\w+ ){{0,2}}?(?:turn (?:on|off)|switch|change|move)\b"
)
_NEGATED_AFTER = re.compile(
    rf"\b{ACTION_VERBS} (?:\w+ ){{0,2}}?(?:wont|will not|wouldnt|doesnt|isnt|is not|would not)"
    rf" (?:help|work|fix|do)\b"
)
_LEAVE_ALONE = at_word_starts(
    r"\bleave (?:\w+ ){1,4}?alone\b|\bdont touch\b|\bhands off\b"
    r"|\bkeep (?:\w+ ){0,3}?(?:running|going)\b"
    r"|\bnot (?:sure|convinced) (?:we|i|you|that|whether|if|about)\b"
    r"|\blet (?:it|\w+) (?:run|finish|be)\b"
    r"|\bleave (?:\w+ ){1,4}?(?:running|going|be|as it is|as is)\b|\bhold off (?:on|with)\b"
    r"|\b(?:keep|leave) (?:\w+ ){1,3}?(?:paused|on hold|frozen|suspended|muted|silenced)\b"
    r"|\b(?:nobody|no one|noone) (?:should|may|can|is to|must)\b"
    r"|^no (?:more )?(?:pauses|cancels|cancellations|restarts|reruns|retries|skips|skipping"
    r"|approvals|rejections)\b"
)
# Negations that are themselves requests: "don't notify me" is a mute, "don't approve" a reject,
# "do not disturb" a mute; their intent is not negated. "Don't approve it yet", "… till the copy
# is fixed" only put the approval off: a negated approve, no verdict.
_LEXICAL_NEGATIVE = re.compile(
    r"\b(?:dont|do not) (?:notify|ping|message|bother|alert|disturb|tell|spam|update|email)\b"
    rf"|\bnot approved\b|\b(?:dont|do not) (?:approve|accept|proceed|go ahead|ship)\b{NOT_PUT_OFF}"
    r"|\bno go\b|\bnot (?:now|yet) please\b"
)
_POLITE_REQUEST = re.compile(
    r"^(?:(?:hey|hi|hello|ok|okay|so|please|yes|yeah|right|great|thanks|and|now|bot|then)\s)*"
    r"(?:can|could|would|will|wont|cant|couldnt) (?:you|someone|somebody|we|ya)(?: please| pls"
    r"| just| kindly)? (?!\w+ing\b)(?!be\b)(?!tell me (?:if|whether)\b)"
)
_QUESTION_START = re.compile(
    r"^(?:(?:hey|hi|hello|ok|okay|so|and|but|quick q|quick question|btw|by the way|um|hmm|bot)\s)*"
    r"(?:what|whats|which|who|whos|whom|whose|where|wheres|when|whens|why|how|hows|is|isnt|are"
    r"|arent|am|can|cant|could|should|shouldnt|would|will|does|doesnt|do|did|didnt|has|have|may"
    r"|might|must|shall|was|were)\b"
)
_ACTION_QUESTION = re.compile(
    r"\b(?:can|could|may|should|must|shall) (?:i|we|anyone|anybody|someone|people|bob|they)\b"
    r"|\bam i (?:able|allowed|permitted|supposed)\b|\bis it (?:safe|ok|okay|possible|wise|bad)\b"
    r"|\bwhat does \w+ (?:\w+ )?do\b|\bhow (?:do|would|can|should) (?:i|we|you|one)\b"
    r"|\bwho (?:is |s )?(?:can|may|allowed|able)\b|\bwhos allowed\b|\bdoes \w+ing\b"
    r"|\bis \w+ (?:permanent|reversible|safe|undoable)\b|\bshould (?:the|it|this|that)\b"
)
# "can I …", "should I …", "am I allowed to …": asking about one's own rights, not proposing.
_ASKING_PERMISSION = re.compile(
    r"^(?:(?:hey|hi|ok|okay|so|and|but|quick q|quick question|btw|um|hmm|bot)\s)*"
    r"(?:can|could|may|should|must|am) i\b"
)
# Words in quotation marks, any quote characters: "…", “…”, „…“, «…», ‘…’, '…' (a straight or
# curly single quote opens only after a space or at the start, so "olu's" and "it’s" quote nothing).
_QUOTED = re.compile(
    r"[\"“”„](?P<double>[^\"“”„]+)[\"“”]|«(?P<angle>[^»]+)»"
    r"|(?:^|(?<=[\s(\[:,]))['‘’`](?P<single>(?:[^'‘’`]|(?<=\w)['’](?=\w))+?)['‘’`](?=$|[\s).,!?;:\-—–])"
)


def quoted_apart(text: str) -> tuple[str, str]:
    """(the words inside quotation marks, the words outside them), lower case."""
    inside: list[str] = []
    outside: list[str] = []
    last = 0
    for match in _QUOTED.finditer(text):
        outside.append(text[last : match.start()])
        inside.append(match.group("double") or match.group("angle") or match.group("single"))
        last = match.end()
    outside.append(text[last:])
    return (
        " ".join(" ".join(inside).lower().replace("'", "").split()),
        " ".join(" ".join(outside).lower().replace("'", "").split()),
    )


_WISH = re.compile(
    r"\b(?:i|we)(?: d| would| really)? (?:like|love|want|need|prefer|rather|wish)\b"
    r"|\bid (?:like|love|rather|prefer)\b|\bwed (?:like|love|rather|prefer)\b"
    r"|\bi want\b|\bwe want\b|\bwe need\b|\bi need\b|\bim happy for\b|\bhappy for \w+\b"
)


# Hedges: words that make a request unsure ("maybe pause it", "pause it i guess") and modal
# proposals ("should we skip it", "how about restarting it"). A hedge counts when its clause also
# names an action, or when its clause is nothing but a hedge ("pause the etl, i think"; "not sure
# but cancel it"); in "i think the etl is stuck, pause it" it is a belief beside a plain command.
_HEDGE_WORDS = (
    r"(?:maybe|mayhaps|perhaps|possibly|probably|presumably|i guess|i suppose|i think|i believe"
    r"|i feel like|i reckon|i figure|i would say|id say|in my opinion|not sure|unsure|kind of"
    r"|kinda|sort of|sorta|or something|worth a (?:shot|try)|just a thought|just an idea)"
)
_PROPOSAL = (
    r"(?:should (?:we|us)|shall (?:we|i)|we (?:really |probably |maybe )?(?:should|ought to)"
    r"|(?:you|u) (?:should|ought to)|ought to|(?:i|we) (?:would |d )?(?:suggest|propose|recommend)"
    r"|(?:how|what) about|why (?:dont|not) (?:we|you)|why not|consider|(?:may|might) as well"
    r"|(?:might|may|could|would) be (?:good|better|best|wise|smart|worth|an idea)"
    r"|(?:probably|prob) (?:best|better|wise|smart)|(?:best|better) (?:to|if we|if you)|worth"
    # "the training can be restarted now": said to be possible, not asked for
    r"|(?:can|could|may) (?:now |safely |finally |already )?be)"
)
_HEDGE = re.compile(rf"\b(?:{_HEDGE_WORDS}|{_PROPOSAL})\b")
_ACTION = re.compile(rf"\b{ACTION_VERBS}\b")
# (not "were going to": the "we're going to" of a plan, its apostrophe dropped)
_MEANT_NOT_DONE = re.compile(rf"\b(?:was|we were) (?:going|about|planning) to {ACTION_VERBS}\b")
# Words inside quotation marks are someone's request also when said with a verb of a run anew.
_QUOTED_ACTION = re.compile(
    rf"\b(?:{ACTION_VERBS}|rebuild|rebuilt|retrain|retrained|rebake|rebaked|resend)\b"
)
_HEDGE_ONLY = re.compile(
    rf"^(?:(?:hmm|um|uh|so|well|and|but|ok|okay|yeah|idk|i dont know|i do not know)\s)*"
    rf"(?:{_HEDGE_WORDS})(?:\s(?:though|tho|idk|lol|haha|yet|really|honestly))*$"
)


def hedged(clauses: tuple[tuple[str, ...], ...]) -> bool:
    """Whether a request is hedged or only proposed: a hedge (`_HEDGE_WORDS`, `_PROPOSAL`) in a
    clause that names an action, or a clause that is nothing but a hedge beside one that does."""
    texts = [" ".join(clause) for clause in clauses]
    acting = [bool(_ACTION.search(text)) for text in texts]
    if not any(acting):
        return False
    if any(_HEDGE_ONLY.match(text) for text in texts):
        return True
    return any(act and _HEDGE.search(text) for act, text in zip(acting, texts, strict=True))


# Words that, alone in a clause of a correction, only interrupt: "no no no stop, wrong one".
_INTERJECTIONS = frozenset(
    {"no", "nope", "wait", "stop", "hang", "hold", "on", "oh", "oops", "sorry", "ugh", "hmm",
     "ok", "okay", "actually", "please", "request", "that", "it", "the", "my"}
)  # fmt: skip


# What "not" may be followed by in a clause that is no contrast: `_NOT_FOLLOWERS`, and in a
# clause of its own also "not today", "not urgent", "not me".
_NOT_A_NAME = re.compile(
    rf"^(?:{_NOT_FOLLOWERS}|today|ever|again|anymore|any more|at all|needed|necessary|urgent"
    rf"|important|me|you|us|them|it)\b"
)


_ACTION_THEN_NOT = re.compile(
    rf"\b{ACTION_VERBS}\b(?: \w+){{1,4}} not (?:the|my|that|this) (?:\w+ ){{0,2}}\w+$"
)


def _moves_a_request(clauses: Sequence[Sequence[str]]) -> bool:
    """ "not backtest — retry train model", "no, approve the redaction, not the localisation": a
    clause that is only "not <a name>", beside a clause that asks for an action, moves that
    request to another thing. That is a correction, to confirm rather than act on."""
    contrast = [
        clause
        for clause in clauses
        if 2 <= len(clause) <= 5
        and clause[0] == "not"
        and not _NOT_A_NAME.match(" ".join(clause[1:]))
    ]
    if not contrast:
        # "pause the crm not the dental app": the contrast said inside the request
        return any(_ACTION_THEN_NOT.search(" ".join(clause)) for clause in clauses)
    rest = [clause for clause in clauses if clause not in contrast]
    if any(_ACTION.search(" ".join(clause)) for clause in rest):
        return True
    # "not podcasts, scores": a name for a name, the last request moved
    return (
        len(clauses) == 2
        and len(contrast) == 1
        and len(rest[0]) <= 3
        and len(contrast[0]) <= 4
        and rule_intent(" ".join(rest[0])) is None
    )


def correction_rest(norm: Normalised) -> str:
    """What a correction asks besides correcting: "scratch that, i meant pause the etl" →
    "pause the etl"; "no no no stop, wrong one" and "cancel that request" → ""."""
    kept: list[str] = []
    for clause in norm.clauses:
        rest = _CORRECTION.sub(" ", " ".join(clause)).split()
        if rest and not all(w in _INTERJECTIONS for w in rest):
            kept.extend(rest)
    said = " ".join(kept)
    # "no wait, don't restart it, just pause it": the action taken back is not the one asked
    instead = _NEGATED_THEN_ASKED.match(said)
    return instead.group(1) if instead is not None else said


_NEGATED_THEN_ASKED = re.compile(
    r"^(?:dont|do not|not|no need to|never) (?:\w+ ){1,5}?(?:just|only|instead|rather|but)"
    r" ((?:just |only |please )*\w+.*)$"
)


@dataclass(frozen=True, slots=True)
class SpeechAct:
    """The act, and for a negation the negated words and the words of the positive rest."""

    act: str
    negated: tuple[str, ...] = ()
    positive: tuple[str, ...] = ()
    lexical_negative: bool = False


# A clause that gives a reason, said after a negation: "it's almost done", "it restarts from zero".
_REASON = re.compile(
    r"^(?:its|it is|it s|it|itll|it will|thats|that is|that|they|theyre|theyll|he|she|because"
    r"|cause|cos|since|as|we|were|i|im)\b(?! (?:eta|status|logs?)\b)(?!.*\?)"
    r"(?!.*\b(?:tell|show|give|let me|what|whats|how|hows|when|whens|where|eta|please|pls)\b)"
    # "i only want to know if it runs", "i just need the logs": what is asked instead
    r"(?!.*\b(?:only|just) (?:want|wanted|need|tell|show|give|send|ask|asking|check)\b)"
    r"(?!.*\b(?:i|we) (?:\w+ )?(?:want|wanna|need|wanted)\b)"
    r"(?!.*\b(?:know|understand|interested)\b)"
    # "the auditors will check it": someone else's part, given as the reason
    r"|^(?:the )?(?!(?:when|what|whats|how|hows|where|why|who|which|whens)\b)\w+ (?:will|would"
    r"|are going to|is going to|must|needs to|need to|has to"
    r"|have to) (?!.*\b(?:tell|show|give|let me|please|pls|you|u)\b)"
    # "..., the reviewers check every line": what others do anyway, said in the present
    r"|^the \w+ (?:already |always )?(?:check|checks|review|reviews|verify|verifies|read|reads"
    r"|handle|handles)\b(?!.*\b(?:tell|show|give|let me|please|pls|you|u)\b)"
)


# "we don't need to restart it only tell me why it is slow": where a negated clause turns to
# what is asked instead, said without a comma.
_TURN_TO_ASKING = re.compile(
    r" (?=(?:(?:i|we) )?(?:only|just|rather|instead) (?:want|need|wanted|tell|show|give|let|send"
    r"|ask|asking|check|know)\b)"
)


def _split_at_turn(clauses: tuple[tuple[str, ...], ...]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for clause in clauses:
        text = " ".join(clause)
        negation = _NEGATED_ACTION.search(text)
        turn = _TURN_TO_ASKING.search(text, negation.end()) if negation else None
        if turn is None:
            out.append(clause)
        else:
            out += [tuple(text[: turn.start()].split()), tuple(text[turn.end() :].split())]
    return out


def _negation(clauses: tuple[tuple[str, ...], ...]) -> SpeechAct | None:
    negated: list[str] = []
    positive: list[str] = []
    found = False
    lexical = False
    for clause in _split_at_turn(clauses):
        text = " ".join(clause)
        if _LEXICAL_NEGATIVE.search(text):
            lexical = True
            positive.extend(clause)
            continue
        if (
            _NEGATED_ACTION.search(text)
            or _NEGATED_AFTER.search(text)
            or _LEAVE_ALONE.search(text)
            or _NEGATED_SETTING.search(text)
        ):
            found = True
            negated.extend(clause)
        elif not (negated and _REASON.match(text)):
            positive.extend(clause)
        # else: "don't cancel it, it's almost done": the reason for the negation, not a request
    if lexical and not found:
        return SpeechAct("negation", positive=tuple(positive), lexical_negative=True)
    if not found:
        return None
    return SpeechAct("negation", negated=tuple(negated), positive=tuple(positive))


def _asks_in_a_later_clause(clauses: tuple[tuple[str, ...], ...]) -> bool:
    """ "the vendor told us they're down tonight, can you pause the sync until they're back?":
    the story comes first, the request after it, in a clause of its own that names an action
    ("alice asked me to approve it, the schema is fine, so please approve")."""
    return any(
        (
            (_POLITE_REQUEST.match(text) is not None or _PLEASE_DO.match(text) is not None)
            and _ACTION.search(text) is not None
        )
        or _TAKE_BACK.match(text) is not None
        or (_UNDO.match(text) is not None and _MUTED.search(" ".join(clauses[0])) is not None)
        for text in (_after_so(" ".join(clause)) for clause in clauses[1:])
    )


# "..., but now i'm on call for it so please turn its notifications back on": the request opens
# after the "so" that ends a clause's reason, not at the clause's start.
_SO = re.compile(
    r"^.*\b(?:so|therefore|hence|which is why|thats why) (?=(?:please|pls|kindly"
    r"|can you|could you|would you) )"
)


def _after_so(text: str) -> str:
    """A later clause from the request its "so" opens, if it has one; else the whole clause."""
    return _SO.sub("", text, count=1)


# "did i mute it? unmute it if so": a later clause that takes back what was done, by its own
# verb; "i muted the payroll export by accident, undo that": by "undo", after a mute (the only
# past action whose undoing is plain; "i skipped the tests, undo it" stays a report).
_TAKE_BACK_START = r"^(?:(?:so|and|then|now|ok|okay|pls|please|can you|could you)\s)*"
_TAKE_BACK = re.compile(
    _TAKE_BACK_START + r"(?:unmute|unpause|unsnooze|unsilence) (?:it|that|this|the)\b"
)
_UNDO = re.compile(
    _TAKE_BACK_START + r"(?:(?:undo|revert|reverse|roll back) (?:it|that|this)\b"
    # "i silenced it on friday, switch it back on": back on, after a mute, undoes it
    r"|(?:turn|switch|put) (?:it|that|this|them|(?:its|their|the|my) (?:\w+ )?(?:notifications"
    r"|alerts|pings|updates)) back on\b)"
)
_MUTED = re.compile(r"\b(?:muted|silenced|snoozed)\b")


# "please approve", "so kindly cancel it": an order of its own in a clause.
_PLEASE_DO = re.compile(
    rf"^(?:(?:so|and|then|now|ok|okay)\s)*(?:please|pls|kindly) {ACTION_VERBS}\b"
)
# "please cancel the scraper completely, we stopped the contract": the request comes first, the
# story after it; "i would like to stop it for good, the campaign was cancelled": a wish first.
_REQUEST_FIRST = re.compile(
    rf"^(?:(?:please|pls|kindly|ok|okay|so|hi|hello|lets|let s|let us)\s)*{ACTION_VERBS}\b"
    r"(?! (?:me|us|you)\b)"
    r"(?!.*\b(?:would|will|could|might|may|should|can|if|when|once)\b)"
)
_WISH_FIRST = re.compile(
    rf"^(?:(?:please|ok|okay|so|hi|hello)\s)*(?:i|we)(?: d| would| really)? (?:like|want|need)"
    rf" to {ACTION_VERBS}\b|^(?:id|wed) like to {ACTION_VERBS}\b"
)
# "need the renderer paused before the maintenance", "i'd like the upload step to be retried
# when possible": a wish whose action is said by its participle (a report reads it as the past).
_WISH_PARTICIPLE = re.compile(
    # ("i'd really like the rollout resumed", "i just want the planner paused")
    r"^(?:(?:please|ok|okay|so|hi|hello)\s)*(?:(?:i|we)(?: d| would)?(?: really| just| honestly)? "
    r"|(?:id|wed|would)(?: really| just| honestly)? )?"
    r"(?:like|want|need|prefer)s? (?!(?:to know|to see|to hear|to find out)\b)"
    r"(?:(?!(?:who|whether|if|why|when|know)\b)\w+ ){1,10}?(?:to be |be )?"
    rf"{PAST}\b"
)


def _request_before_story(norm: Normalised) -> SpeechAct | None:
    """A first clause that asks for an action outright, told before a story in later clauses
    whose past tense or quoted words must not make the message a report."""
    clauses = norm.clauses
    first = " ".join(clauses[0])
    if _WISH_PARTICIPLE.match(first) or _WISH_FIRST.match(first):
        return SpeechAct("wish")
    if (
        len(clauses) > 1
        and not norm.question_mark
        and _REQUEST_FIRST.match(first)
        and not _NEGATED_ACTION.search(first)
    ):
        return SpeechAct("command")
    return None


# The acts that ask for what they say (a report of someone's words asks for nothing).
ACTING = frozenset({"command", "wish", "suggestion"})


# The long alternations above, tried on every message, as tests of their branches whose literal
# text occurs (`intents.text.branch_search`: the same answers, a fraction of the time).
_CORRECTS = branch_search(_CORRECTION)
_IMAGINES = branch_search(_HYPOTHETICAL)
_QUOTES = branch_search(QUOTING)
_REPORTS = branch_search(REPORT)
_ASKS_OF_AN_ACTION = branch_search(_ACTION_QUESTION)


@lru_cache(maxsize=4096)
def classify_act(norm: Normalised) -> SpeechAct:
    """The speech act of a normalised message (see the module docstring).

    A safety rule on top: an action said only inside quotation marks ("olu keeps saying 'pause the
    compaction'") is someone's words reported, never a request of the writer's own.

    It reads nothing but the message, so a message said again (chat repeats itself: "status?")
    is classified once."""
    act = _classify_act(norm)
    if act.act in ACTING and norm.command is None:
        inside, outside = quoted_apart(norm.body)
        if _QUOTED_ACTION.search(inside) and not _ACTION.search(outside):
            return SpeechAct("report")
    return act


def _classify_act(norm: Normalised) -> SpeechAct:
    text = norm.normalised
    if not text:
        return SpeechAct("statement")
    if norm.command is not None:
        return SpeechAct("command")
    if _CORRECTS(text) or _moves_a_request(norm.clauses):
        return SpeechAct("correction")
    polite = _APPRECIATE_IF.search(text)
    if polite is not None and not _FURTHER_CONDITION.search(text, polite.end()):
        return SpeechAct("command")
    if _asks_in_a_later_clause(norm.clauses) and not _IMAGINES(text):
        return SpeechAct("command")
    first = _request_before_story(norm)
    if (
        first is not None
        and not _IMAGINES(" ".join(norm.clauses[0]))
        and _negation(norm.clauses) is None
        and not hedged(norm.clauses)
        and not WEIGHED.search(norm.body)
        and not TALKED_OF.search(norm.body)
    ):
        return first
    if _MEANT_NOT_DONE.search(text):  # "was going to pause it but let it run": never done
        return SpeechAct("negation", negated=norm.words)
    if _QUOTES(text):
        return SpeechAct("report")
    if _IMAGINES(text):
        return SpeechAct("hypothetical")
    if (
        (_REPORTS(PAST_AS_A_TIME.sub("", text)) and not NOT_REPORT.search(text))
        or (SOMEONE_DID.search(text) and not norm.question_mark)
        or (_WANTED_DONE.search(text) and not norm.question_mark)
    ):
        return SpeechAct("report")
    if BAD_IDEA_ACROSS.search(text) or any(BAD_IDEA.search(" ".join(c)) for c in norm.clauses):
        # "approving it blind would be a bad idea, show me the logs first": the rest is asked
        texts = [" ".join(clause) for clause in norm.clauses]
        against = [t for t in texts if BAD_IDEA.search(t)]
        if len(against) < len(texts) and all(
            _ACTION.search(t) is None for t in texts if t not in against
        ):
            rest = tuple(w for t in texts if t not in against for w in t.split())
            return SpeechAct("negation", negated=tuple(" ".join(against).split()), positive=rest)
        return SpeechAct("negation", negated=norm.words)
    if WEIGHED.search(norm.body) or TALKED_OF.search(norm.body):
        return SpeechAct("hypothetical")
    if _ABLE.search(text):
        # "is the detector even pausable?", "the audio guide is resumable now": what can be
        # done to a task, a property asked about or told, never an order
        return _asked_or_told(norm)
    if NAMED_AS_A_THING.search(text) or (
        COMPLAINT.search(text)
        and not _ACTION.search(text)
        and not norm.question_mark
        and not _QUESTION_START.search(text)
    ):
        return SpeechAct("statement")
    negation = _negation(norm.clauses)
    if negation is not None and not negation.lexical_negative:
        return negation
    if _BY_ITSELF.search(text):
        return _asked_or_told(norm)  # "the model pausing itself every night is annoying"
    if _WHETHER.search(text):
        return negation if negation is not None else SpeechAct("question")
    if negation is None and not _ASKING_PERMISSION.search(text) and hedged(norm.clauses):
        return SpeechAct("suggestion")
    if _POLITE_REQUEST.search(text):
        return SpeechAct("command", lexical_negative=negation is not None)
    if _ASKS_OF_AN_ACTION(text) or _QUESTION_START.search(text) or norm.question_mark:
        if negation is not None:
            return negation
        return SpeechAct("question")
    if negation is not None:
        return negation
    if _WISH.search(text):
        return SpeechAct("wish")
    return SpeechAct("command")


# An action's "-able" adjective, as normalised ("pausable" → "pause able").
_ABLE = re.compile(rf"\b{ACTION_VERBS} able\b")
# What a task does by itself ("the model pausing itself every night is annoying"; "pausing" is
# "pause" by now): told of it, never an order to it.
_BY_ITSELF = re.compile(rf"\b{ACTION_VERBS} (?:itself|themselves|by itself|on its own)\b")


def _asked_or_told(norm: Normalised) -> SpeechAct:
    """A message about a task, not to it: a question when asked, else a statement."""
    asked = norm.question_mark or _QUESTION_START.search(norm.normalised)
    return SpeechAct("question" if asked else "statement")


# "ops wrote 'cancel the transcode' in the channel": where the words were said makes them an event.
_SAID_WHERE = re.compile(
    r"\b(?:in|on|into|to) (?:the |our |this |that |a )?(?:\w+ )?(?:channel|chat|thread|group"
    r"|standup|meeting|call|ticket|email)\b|#\w"
)


def discusses_a_quote(norm: Normalised, name: str) -> bool:
    """ "olu keeps saying 'pause the compaction' but nobody does it": the quoted request is what
    the message is about (said, never asked: a report never acts), unless the message says where
    the words were said, which makes them something that happened."""
    if name not in STATE_CHANGING or _SAID_WHERE.search(norm.body.lower()):
        return False
    inside, _ = quoted_apart(norm.body)
    return bool(inside) and rule_intent(" ".join(tokenize(inside))) == name


# Someone's words reported, then, within a few words, an action in its plain form: "bob said to
# cancel the dashboard", "dana said we should pause it", "mei said she'd rerun it", "boss wrote
# skip the legal review", "erik said to skip the evals", "lena asked if someone could pause
# her job". (A past form reports what was done: "kim says she restarted it twice" is history.)
_REPORTED_REQUEST = re.compile(
    r"\b(?:said|says|say|wrote|writes|told (?:me|us|everyone|them|the team)|asked"
    r"|mentioned|suggested|suggests|wants|reckons|thinks)\b (?:(?:that|if|whether|me|us|we|i"
    r"|you|he|she|they|someone|somebody|anyone|hed|shed|theyd|wed|hell|shell|theyll|well|should"
    r"|could|can|must|would|will|rather|just|to|is|are|going|gonna|might|may|not|please|pls"
    r"|literally|tell|let|know|pass|on) ){0,6}?"
    r"(?:pause|resume|unpause|cancel|kill|abort|stop|restart|rerun|retry|skip|approve|reject"
    r"|decline|mute|unmute|halt)\b"
    # "ingrid asked me to tell you ... the ocr batch should be cancelled": her request, passed on
    r"|\b(?:asked|told|wants) (?:me|us) to (?:tell|let|ask) (?:you|the bot)\b.*\b(?:should|must"
    r"|needs? to|has to|have to|ought to|can|could) be (?:paused|resumed|cancelled|canceled"
    r"|stopped|killed|restarted|rerun|skipped|approved|rejected|muted|unmuted)\b"
)


# The speaker's own plan to act: "I'll kill the export myself tonight", "we'll pause it".
_OWN_PLAN = re.compile(
    r"\b(?:im|i am|were|we are|ill|i will|we will|i ll|we ll) (?:going to |about to |planning to "
    r"|probably |just |gonna )?(?:\w+ )?(?:pause|resume|unpause|cancel|kill|abort|stop|restart"
    r"|rerun|retry|skip|approve|reject|decline|mute|unmute)\b"
)


def reports_a_request(normalised: str) -> bool:
    """Whether the message reports someone's request, or plan, to do an action ("bob said to
    cancel it", "mei said she'd rerun it"): what the message is about is that action (said,
    never asked: a report never acts), not the task's history."""
    return (
        _REPORTED_REQUEST.search(normalised) is not None or _OWN_PLAN.search(normalised) is not None
    )


# "my boss wants the rollup paused", "priya needs it cancelled by friday": someone else's wish
# for an action, said by its participle (the speaker's own is a wish: `_WISH_PARTICIPLE`)
_WANTED_DONE = re.compile(
    r"(?<!\bi )(?<!\bwe )\b(?:wants|needs|asked for|asks for|is asking for) (?:\w+ ){1,5}?"
    r"(paused|resumed|cancelled|canceled|killed|restarted|rerun|retried|skipped|approved"
    r"|rejected|muted|unmuted)\b"
)
_WANTED_ACTION = {
    "paused": "pause", "resumed": "resume", "cancelled": "cancel", "canceled": "cancel",
    "killed": "cancel", "restarted": "restart", "rerun": "restart", "retried": "retry_step",
    "skipped": "skip_step", "approved": "approve", "rejected": "reject", "muted": "mute",
    "unmuted": "unmute",
}  # fmt: skip


def wanted_done(normalised: str) -> str | None:
    """The action someone else wants done, said by its participle, if the message tells one."""
    match = _WANTED_DONE.search(normalised)
    return _WANTED_ACTION[match.group(1)] if match is not None else None


# "my loan got approved", "the concert got cancelled": a passive "got", said of a thing
_BEFELL = re.compile(
    r"\b(?:got|gets|getting|get) (?:\w+ )?(cancelled|canceled|approved|rejected|declined"
    r"|paused|resumed|restarted|skipped|muted|unmuted|denied|refused)\b"
)
_BEFELL_ACTION = {"canceled": "cancel", "declined": "reject", "denied": "reject",
                  "refused": "reject", "cancelled": "cancel", "approved": "approve",
                  "rejected": "reject", "paused": "pause", "resumed": "resume",
                  "restarted": "restart", "skipped": "skip_step", "muted": "mute",
                  "unmuted": "unmute"}  # fmt: skip


def befell_action(normalized: str) -> str | None:
    """The action that befell something ("my loan got approved": approve), if one did."""
    match = _BEFELL.search(normalized)
    return _BEFELL_ACTION[match.group(1)] if match is not None else None


# Where a negated action's own words end: "don't approve it | until rafael reruns the backtest".
_UNTIL = re.compile(r"\s(until|till|untill|before|unless|because|since|as long as)\s")


def negated_action_words(negated: str) -> str:
    """The words of a negated clause up to a time or a reason after it, with its first word
    ("don't approve it until rafael reruns the backtest" → "don't approve it until"): what is
    negated, not what is waited for."""
    parts = _UNTIL.split(negated, maxsplit=1)
    return negated if len(parts) < 3 else f"{parts[0]} {parts[1]}"


def leaves_alone(text: str) -> bool:
    """ "leave it running", "hands off", "let it finish": words that ask for nothing to be done."""
    return _LEAVE_ALONE.search(text) is not None
