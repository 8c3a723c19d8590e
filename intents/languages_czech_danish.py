"""The everyday words of Czech and Danish, read as English by `intents.languages`.

Support staff write "Zruš ten newsletter test", "Kdy bude hotový ...?", "Godkend planen" or
"Tak for hjælpen": the steering verbs (in the imperative a request is said with, and the
negative imperative "nezkoušej", "lad være med at ..." a refusal is), the question words, the
few nouns of the bot's own world (task, step, notifications, approval, link, log) and the
courtesies. As for the other languages, a short closed table per language is enough for the
rules and the classifier to read the rest; task names are never translated.

Czech points at its object with a demonstrative right after the verb ("pozastav to stitchování",
"obnov ten rozvrh"): that "to" is English's "to" too, so `czech_demonstratives` reads it as "the"
before a noun and "it" when the clause ends with it, and only after a Czech verb of the table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

__all__ = ["CZECH_DANISH_PHRASES", "CZECH_DANISH_WORDS", "czech_demonstratives"]

# The Czech imperatives of the steering verbs (and the negative ones, "do not" first as English
# says it), kept apart so a demonstrative after them can be read.
_CZECH_VERBS: dict[str, str] = {
    "pozastav": "pause", "zastav": "stop", "obnov": "resume", "pokračuj": "resume",
    "zruš": "cancel", "restartuj": "restart", "zopakuj": "retry", "přeskoč": "skip",
    "schval": "approve", "zamítni": "reject", "odmítni": "reject", "ztlum": "mute",
    "ukaž": "show", "pošli": "send", "sleduj": "follow", "nastav": "set", "vypni": "turn off",
    "zapni": "turn on",
    "nepozastavuj": "do not pause", "nezastavuj": "do not stop", "neobnovuj": "do not resume",
    "neruš": "do not cancel", "nerestartuj": "do not restart", "nezkoušej": "do not try",
    "nepřeskakuj": "do not skip", "neschvaluj": "do not approve", "nezamítej": "do not reject",
    "neztlumuj": "do not mute", "nevypínej": "do not turn off",
}  # fmt: skip

CZECH_DANISH_WORDS: dict[str, str] = {
    **_CZECH_VERBS,
    # Czech: question words, states, the bot's nouns, courtesies
    "kdy": "when", "proč": "why", "kdo": "who", "jak": "how", "kolik": "how much",
    "bude": "will be", "hotový": "done", "hotová": "done", "hotové": "done", "hotovo": "done",
    "spadla": "failed", "spadl": "failed", "spadlo": "failed", "selhala": "failed",
    "selhal": "failed", "selhalo": "failed", "zastavil": "paused", "zastavila": "paused",
    "zrušil": "cancelled", "zrušila": "cancelled", "schválil": "approved",
    "schválila": "approved", "běží": "running", "čeká": "waiting", "něco": "anything",
    "mé": "my", "moje": "my", "můj": "my", "mi": "me", "mě": "me", "schválení": "approval",
    "schválit": "approve", "obnovovat": "resume", "rušit": "cancel", "krok": "step",
    "kroku": "step", "úloha": "task", "úlohy": "tasks", "úkoly": "tasks", "stav": "status",
    "odkaz": "link", "logy": "logs", "upozornění": "notifications", "migrace": "migration",
    "migraci": "migration", "nového": "new", "nový": "new", "nová": "new", "nové": "new",
    "zatím": "yet", "netřeba": "no need to", "počkej": "wait", "prosím": "please",
    "ahoj": "hello", "díky": "thanks", "děkuji": "thanks", "děkuju": "thanks",
    "až": "when", "doběhne": "finishes", "skončí": "finishes", "znovu": "again",
    "používat": "use", "víkendech": "weekends",
    # Danish: question words, the steering verbs, the bot's nouns, courtesies
    "hvordan": "how", "hvornår": "when", "hvorfor": "why", "hvem": "who", "hvad": "what",
    "hvilke": "which", "hvilken": "which", "hvilket": "which", "opgaver": "tasks",
    "opgave": "task", "opgaven": "the task", "kører": "running", "færdig": "done",
    "fejlede": "failed", "godkend": "approve", "afvis": "reject", "annuller": "cancel",
    "genstart": "restart", "fortsæt": "resume", "prøv": "try", "trin": "step",
    "trinnet": "the step", "notifikationer": "notifications",
    "notifikationerne": "the notifications", "fejl": "failures",
    "og": "and", "godkendelser": "approvals", "godkendelse": "approval", "ikke": "not",
    "alt": "everything", "andet": "other", "hej": "hello", "nej": "no", "ja": "yes",
    "mig": "me", "vis": "show", "linket": "the link", "loggen": "the log",
}  # fmt: skip

CZECH_DANISH_PHRASES: dict[tuple[str, ...], str] = {
    # Czech
    ("zkus", "znovu"): "retry", ("spusť", "znovu"): "restart",
    ("nezkoušej", "znovu"): "do not retry",
    ("dej", "mi", "vědět"): "notify me", ("upozorni", "mě"): "notify me",
    ("jak", "tě", "mám"): "how do i", ("co", "umíš"): "what can you do",
    ("tichý", "režim"): "quiet hours", ("díky", "moc"): "thanks a lot",
    ("jak", "to", "vypadá", "s"): "how is", ("jak", "jde"): "how is",
    # Danish
    ("hvordan", "går", "det", "med"): "how is", ("hvordan", "går", "det"): "how is it going",
    ("lige", "nu"): "right now", ("tak", "for", "hjælpen"): "thanks for the help",
    ("mange", "tak"): "thanks a lot", ("tusind", "tak"): "thanks a lot",
    ("lad", "være", "med", "at"): "do not", ("sætte", "den", "på", "pause"): "pause it",
    ("sæt", "den", "på", "pause"): "pause it", ("sætte", "på", "pause"): "pause",
    ("sæt", "på", "pause"): "pause", ("giv", "mig", "besked"): "notify me",
    ("slå", "notifikationer", "fra"): "turn off notifications",
    ("slå", "notifikationerne", "fra"): "turn off the notifications",
    ("spring", "over"): "skip", ("hvor", "lang", "tid"): "how long",
}  # fmt: skip
# A Danish verb then "den" is "... it" ("genstart den"); alone "den" is German's article too.
CZECH_DANISH_PHRASES.update(
    {
        (verb, "den"): CZECH_DANISH_WORDS[verb] + " it"
        for verb in ("godkend", "afvis", "annuller", "genstart", "fortsæt", "prøv")
    }
)

_DEMONSTRATIVES = frozenset({"to", "ten", "tu", "tom"})


def czech_demonstratives(
    words: Sequence[str], keep: Callable[[str], bool] | None = None
) -> list[str]:
    """ "pozastav to stitchování" → "pozastav the stitchování", "pozastav to" → "pozastav it":
    the demonstrative after a Czech verb of the table, read before the verb is translated."""
    out = list(words)
    for i in range(len(out) - 1):
        if (
            out[i] in _CZECH_VERBS
            and out[i + 1] in _DEMONSTRATIVES
            and not (keep is not None and keep(out[i + 1]))
        ):
            out[i + 1] = "it" if i + 2 == len(out) else "the"
    return out
