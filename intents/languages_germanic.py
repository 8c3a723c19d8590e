"""The everyday words of Dutch and Swedish (and what German still lacked), read as English by
`intents.languages`.

Dutch and Swedish say a negative command with the negation after the verb and its object, or
between the verb and its particle: "pauzeer de crane scheduler niet", "wijs de release niet
af", "avvisa inte releasen", "starta inte om backupen", as German does ("lehn den Report nicht
ab"). Read word by word that is "reject the release not", which English never says and the
speech act would take for a command: `negative_command` puts the "not" first ("do not reject
the release"), the shape every later stage knows.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["GERMANIC_PHRASES", "GERMANIC_WORDS", "negative_command"]

GERMANIC_WORDS: dict[str, str] = {
    # (round eighteen) a task's history in German, Dutch and Swedish ("Verlauf der Prognose",
    # "de geschiedenis van de job", "historiken för jobbet")
    "verlauf": "history", "historie": "history", "geschiedenis": "history",
    "historik": "history", "historiken": "history",
    # Dutch: question words, the verbs of steering and asking, "still/yet/done", courtesies
    "wat": "what", "welke": "which",
    "welk": "which", "waar": "where", "hoeveel": "how much", "nog": "still",
    "gecrasht": "crashed",
    "goedkeur": "approve", "volgen": "follow",
    "volg": "follow",
    "lopen": "running", "loopt": "running",
    "melding": "notification", "goedkeuring": "approval",
    "wacht": "waiting", "wachten": "waiting", "iets": "anything", "mij": "me",
    "jij": "you", "kun": "can", "kunt": "can", "moet": "must",
    "alstublieft": "please",
    "dankjewel": "thanks", "goedemorgen": "good morning",
    "goedemiddag": "good afternoon", "hulp": "help", "aanzetten": "turn on",
    "uitzetten": "turn off", "voortaan": "from now on", "allemaal": "all",
    "duurt": "takes", "het": "it", "er": "", "gebeurt": "happens",
    "iemand": "someone", "niets": "nothing",
    "heeft": "has",
    # Swedish
    "hur": "how", "vad": "what", "vem": "who", "vilka": "which", "vilken": "which",
    "vilket": "which", "klar": "done", "färdig": "done", "färdigt": "done", "är": "is",
    "det": "it", "jag": "i", "mig": "me", "mina": "my", "kan": "can",
    "får": "may", "ska": "should", "än": "yet", "ännu": "yet",
    "fortfarande": "still", "steg": "step", "hjälp": "help", "hejsan": "hello",
    "tjena": "hello", "pausade": "paused", "avbröt": "cancelled", "godkände": "approved",
    "startade": "started", "väntar": "waiting", "något": "anything",
    "godkännande": "approval", "länge": "long", "innan": "before", "meddela": "notify",
    "aviseringarna": "notifications", "avisering": "notification", "igen": "again",
    "istället": "instead", "återupptar": "resume", "avbryta": "cancel",
    "avbryter": "cancel", "godkänna": "approve", "godkänner": "approve",
    "avvisar": "reject", "tystar": "mute", "följa": "follow", "följer": "follow",
    "följ": "follow", "körs": "running", "göra": "do", "varje": "every",
    "allt": "everything", "felen": "failures", "skicka": "send", "aldrig": "never",
    "inga": "no", "händer": "happens", "då": "then",
    # German
    "lange": "long", "braucht": "takes", "dauert": "takes", "folgen": "follow",
    "folge": "follow", "anschalten": "turn on", "einschalten": "turn on",
    "ausschalten": "turn off", "passiert": "happens", "wäre": "would be",
    "euch": "you", "zusammen": "everyone", "abbreche": "cancel",
    "freigebe": "approve", "fortsetze": "resume", "anschalte": "turn on",
    # Dutch, the verb at a clause's end
    "aanzet": "turn on",
    # (round fifteen: words of Dutch and Swedish that kept names said in them unread)
    "doorlopen": "keep running", "hè": "", "menade": "meant", "avslå": "reject",
    "blir": "will be", "notiser": "notifications", "notiserna": "the notifications",
    "prenumerera": "subscribe", "ändra": "change", "flytta": "move", "mejlen": "the email",
    "mejl": "email", "mejla": "email", "afkeur": "reject", "aftekenen": "sign off",
    "bara": "only",
    # (round seventeen) "försök inte köra om den": try, run
    "köra": "run", "försök": "try",
}  # fmt: skip

GERMANIC_PHRASES: dict[tuple[str, ...], str] = {
    # Dutch
    ("hoe", "lang"): "how long", ("hoe", "gaat", "het", "met"): "how is",
    ("hoe", "gaat", "het"): "how is it going", ("hoe", "staat", "het", "met"): "how is",
    ("wat", "als"): "what if", ("stel", "dat"): "suppose", ("dank", "je"): "thanks",
    ("dank", "je", "wel"): "thanks", ("dank", "u", "wel"): "thanks",
    ("laat", "me", "weten"): "notify me", ("laat", "het", "me", "weten"): "notify me",
    ("laat", "maar", "weten"): "notify me", ("wat", "kun", "je"): "what can you",
    ("kan", "ik"): "can i", ("mag", "ik"): "may i", ("weer", "aan"): "back on",
    ("e", "mail"): "email", ("start", "opnieuw"): "restart",
    ("opnieuw", "starten"): "restart", ("opnieuw", "proberen"): "retry",
    ("opnieuw", "probeer"): "retry", ("weer", "aanzetten"): "turn back on",
    ("weer", "aanzet"): "turn back on",
    # "wie" is German's "how" and Dutch's "who": Dutch before its verb
    ("wie", "moet"): "who must", ("wie", "heeft"): "who has", ("wie", "kan"): "who can",
    ("wie", "mag"): "who may", ("welke", "taken"): "which tasks", ("alle", "taken"): "all tasks",
    ("mijn", "taken"): "my tasks",
    # Swedish
    ("hur", "går", "det", "med"): "how is", ("hur", "går", "det"): "how is it going",
    ("hur", "länge"): "how long", ("hur", "lång", "tid"): "how long",
    ("när", "är"): "when is", ("god", "morgon"): "good morning",
    ("tack", "så", "mycket"): "thanks a lot", ("just", "nu"): "right now",
    ("startar", "om"): "restart", ("hoppar", "över"): "skip",
    ("försöker", "igen"): "retry", ("försöka", "igen"): "retry", ("kör", "om"): "rerun",
    ("slå", "på"): "turn on", ("slår", "på"): "turn on", ("slå", "av"): "turn off",
    ("slår", "av"): "turn off", ("e", "post"): "email", ("vad", "kan", "du"): "what can you",
    ("kan", "jag"): "can i", ("får", "jag"): "may i", ("vid", "fel"): "on failure",
    # German
    ("was", "wäre", "wenn"): "what if", ("stumm", "schalte"): "mute",
}  # fmt: skip

# The words a clause opens with that say "if" only there ("om" is also "about", "als" also
# "as"): "om vi pausar den, ...", "als we hem pauzeren, ...".
CLAUSE_IF: dict[str, str] = {"om": "if", "als": "if"}

# The negations said after a verb, and the verbs of steering said as a command (a clause's first
# word) in Dutch, Swedish and German.
_AFTER_VERB = frozenset({"niet", "inte", "nicht", "icke"})
_COMMAND_VERBS = frozenset({
    # Dutch
    "pauzeer", "hervat", "annuleer", "start", "herstart", "probeer", "sla", "keur", "wijs",
    "demp", "zet", "stuur", "breek", "stop", "volg", "laat",
    # Swedish
    "pausa", "återuppta", "avbryt", "starta", "försök", "hoppa", "godkänn", "avvisa", "tysta",
    "slå", "skicka", "stoppa", "kör", "följ", "meddela",
    # German
    "pausiere", "pausier", "stoppe", "stopp", "brich", "brech", "starte", "wiederhole",
    "wiederhol", "überspring", "überspringe", "gib", "lehn", "lehne", "schalte", "schalt",
    "stell", "stelle", "setz", "setze", "halt", "halte", "schick", "schicke", "storniere",
    "genehmige", "mach", "sag", "abonniere", "benachrichtige",
})  # fmt: skip
# "nog niet", "noch nicht", "inte än": not yet.
_YET = frozenset({"nog", "noch", "än", "ännu"})


def negative_command(words: Sequence[str]) -> list[str] | None:
    """ "wijs de release niet af" → "do not wijs de release af": a command whose negation
    stands after its verb, with the negation first; None when `words` are no such command."""
    if len(words) < 2 or words[0] not in _COMMAND_VERBS:
        return None
    at = next((i for i, w in enumerate(words) if w in _AFTER_VERB), None)
    if at is None:
        return None
    out = list(words)
    del out[at]
    yet = False
    for j in (at - 1, at):  # the word before the negation, or the one after it
        if 0 < j < len(out) and out[j] in _YET:
            del out[j]
            yet = True
            break
    return ["do", "not", *out, *(["yet"] if yet else [])]
