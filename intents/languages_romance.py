"""The everyday words of Spanish, Portuguese, French and Italian (and Polish, whose verbs are
said the same ways) that `intents.languages` lacked, read as English by it.

A question about an action, a negative command and a hypothetical are said with the forms a
command is not: the infinitive after "can I" ("posso silenziare", "¿puedo seguir",
"czy mogę wstrzymać"), the negative command ("non silenziare", "nie wyciszaj") and the first
person of the present or the past subjunctive after "if" ("si pausamos", "se annullo",
"gdybyśmy wznowili", "si on sautait"). Those forms of the steering verbs are a short, closed
list, read here as the English verb after its subject; a first-person form that is also a noun
("silencio", "reactivo") only after its "if".
"""

from __future__ import annotations

__all__ = ["ROMANCE_PHRASES", "ROMANCE_WORDS"]

ROMANCE_WORDS: dict[str, str] = {
    # (round eighteen (b)) a task's history, as Italian and Portuguese call it ("lo storico del
    # forecast", "o histórico do OCR"; Spanish "historial" reads already; the French "historique"
    # is as often a chat's history kept when moving channels, no task's)
    "storico": "history", "cronologia": "history", "histórico": "history",
    # Spanish
    "puedo": "can i", "quiero": "i want", "pausamos": "we pause", "reanudamos": "we resume",
    "reanudes": "resume", "cancelo": "i cancel", "cancelamos": "we cancel",
    "reiniciamos": "we restart", "reintentamos": "we retry", "saltamos": "we skip",
    "rechazamos": "we reject", "aprobamos": "we approve",
    "silenciar": "mute", "silencies": "mute", "silenciamos": "we mute",
    "reactives": "turn back on", "reactivamos": "we turn back on",
    "mandes": "send", "recibir": "receive", "tarda": "takes", "pasa": "happens",
    "sáltate": "skip", "saltate": "skip", "corriendo": "running",
    "perdón": "sorry", "perdon": "sorry", "perdão": "sorry", "scusa": "sorry",
    # Portuguese
    "posso": "can i", "tentar": "try", "ainda": "yet",
    "reativa": "turn back on", "acontece": "happens", "seguir": "follow",
    "retome": "resume", "pausem": "pause",
    # French
    "sauter": "skip", "suivre": "follow", "veux": "want", "reçois": "receive",
    "coupe": "turn off", "couper": "turn off", "coupez": "turn off",
    "réactive": "turn back on", "réactiver": "turn back on", "réactivez": "turn back on",
    "mettre": "put", "tournent": "running",
    "reprenait": "resumed", "sautait": "skipped", "maintenant": "now",
    # Italian
    "silenziare": "mute", "seguire": "follow", "voglio": "i want",
    "annullo": "i cancel", "riavviamo": "we restart", "riproviamo": "we retry",
    "saltassimo": "we skipped", "riprendessimo": "we resumed", "rifiutiamo": "we reject",
    "approvo": "i approve", "seguo": "i follow", "riattivo": "i turn back on",
    "deve": "must", "girando": "running", "succede": "happens",
    "adesso": "now",
    # (round eighteen (a)) the past participles of the steering verbs, so "chi ha riavviato il
    # job?" asks who did it (the history), and the verb of moving updates elsewhere
    "riavviato": "restarted", "annullato": "cancelled", "approvato": "approved",
    "rifiutato": "rejected", "saltato": "skipped", "ripreso": "resumed",
    "spostare": "move", "sposta": "move", "spostato": "moved", "sulla": "on the",
    # Polish
    "mogę": "can i", "moge": "can i", "można": "can we", "mozna": "can we",
    "wstrzymać": "pause", "wznowić": "resume", "anulować": "cancel",
    "zrestartować": "restart", "restartuj": "restart", "zrestartuj": "restart",
    "ponowić": "retry", "ponów": "retry", "pominąć": "skip", "zatwierdzić": "approve",
    "odrzucić": "reject", "wyciszyć": "mute", "wycisz": "mute", "wyciszaj": "mute",
    "włącz": "turn on", "włączyć": "turn on", "włączaj": "turn on", "znowu": "again",
    "obserwować": "follow", "obserwuj": "follow", "jeśli": "if", "jesli": "if",
    "jeżeli": "if", "jezeli": "if", "gdyby": "if", "gdybyśmy": "if we",
    "wstrzymamy": "we pause", "wznowili": "we resumed", "anuluję": "i cancel",
    "zrestartujemy": "we restart", "ponowimy": "we retry", "pominęli": "we skipped",
    "zatwierdzę": "i approve", "odrzucimy": "we reject", "wyciszę": "i mute",
    # (round sixteen: the first person of the steering verbs, the plural and the other
    # aspect's imperatives, and a setting's words: "rechazo el despliegue", "se rifiuto il
    # rollout", "redémarre la synchro", "nie pauzuj", "nie anulujcie", "powiadamiaj mnie tylko
    # o błędach")
    "rechazo": "i reject", "rifiuto": "i reject", "rejeito": "i reject", "rejette": "reject",
    "redémarre": "restart", "redemarre": "restart", "redémarrer": "restart",
    "redemarrer": "restart", "redémarrez": "restart",
    "pauzuj": "pause", "zapauzuj": "pause", "pauzować": "pause", "wstrzymajcie": "pause",
    "anulujcie": "cancel", "wznówcie": "resume", "zatwierdźcie": "approve",
    "odrzućcie": "reject", "pomińcie": "skip", "powiadamiaj": "notify", "powiadom": "notify",
    "mnie": "me", "błędach": "failures", "błędy": "failures", "dla": "for",
    # French asking words, so a question about no task reads as one ("quel film tu me
    # conseilles ce soir ?")
    "quel": "which", "quelle": "which", "quels": "which", "quelles": "which",
    "conseilles": "recommend", "conseiller": "recommend", "recommandes": "recommend",
    "włączę": "i turn on", "chcę": "i want", "chce": "i want", "pomoc": "help",
    "potrafisz": "can you do", "potrwa": "will take",
    "wysyłaj": "send", "dostawać": "receive",
    "jakie": "which", "działają": "running", "teraz": "now",
    "będzie": "will be", "się": "",
    # (round seventeen: the imperfective "don't" of a pause, what someone stopped, the noun of
    # a pause, "restart" said as "run again", and Italian's "which" and "there are")
    "zatrzymał": "stopped", "zatrzymała": "stopped",
    "zatrzymali": "stopped", "wstrzymanie": "pausing", "anulowanie": "cancelling",
    "quali": "which", "quale": "which",
    # (round fifteen) Portuguese
    "alguém": "someone", "alguem": "someone", "avisado": "notified", "avisada": "notified",
    "ativar": "turn on", "ative": "turn on", "usar": "use", "uso": "use",
}  # fmt: skip

ROMANCE_PHRASES: dict[tuple[str, ...], str] = {
    ("uruchom", "ponownie"): "restart", ("uruchomić", "ponownie"): "restart",
    ("to", "zły", "pomysł"): "is a bad idea", ("zły", "pomysł"): "a bad idea",
    ("to", "dobry", "pomysł"): "is a good idea", ("dobry", "pomysł"): "a good idea",
    ("ci", "sono"): "are there",
    # "and if", "what if": a hypothetical
    ("y", "si"): "what if", ("e", "se"): "what if", ("et", "si", "on"): "what if we",
    ("et", "si"): "what if", ("a", "gdybyśmy"): "what if we", ("a", "gdyby"): "what if",
    ("si", "on"): "if we", ("si", "je"): "if i", ("si", "j"): "if i",
    # a first person that is also a noun, after its "if"
    ("si", "silencio"): "if i mute", ("si", "reactivo"): "if i turn back on",
    ("si", "sigo"): "if i follow", ("se", "silenzio"): "if i mute",
    ("si", "je", "suis"): "if i follow", ("si", "je", "coupe"): "if i turn off",
    ("si", "je", "réactive"): "if i turn back on",
    ("se", "mettiamo", "in", "pausa"): "if we pause", ("mettiamo", "in", "pausa"): "we pause",
    ("non", "mettere", "in", "pausa"): "do not pause",
    ("non", "spostare"): "do not move",  # the negative command is the infinitive
    ("a", "gente"): "we", ("se", "a", "gente"): "if we", ("e", "se", "a", "gente"): "what if we",
    ("je", "peux"): "can i", ("on", "peut"): "can we", ("est", "ce", "que", "je", "peux"): "can i",
    ("si", "on", "met"): "if we put", ("qu", "est", "ce", "qui", "se", "passe"): "what happens",
    ("quest", "ce", "qui", "se", "passe"): "what happens",
    ("quest", "ce", "que", "tu", "sais", "faire"): "what can you do",
    ("se", "puede"): "can we", ("si", "può"): "can we", ("dá", "pra"): "can we",
    ("da", "pra"): "can we", ("qué", "pasa"): "what happens", ("que", "pasa"): "what happens",
    ("o", "que", "acontece"): "what happens", ("cosa", "succede"): "what happens",
    ("co", "się", "stanie"): "what happens", ("co", "potrafisz"): "what can you do",
    ("ile", "jeszcze"): "how long", ("no", "pauses"): "do not pause",
    # "chi" is a name and a letter too: Italian's "who" before its verb
    ("chi", "deve"): "who must", ("chi", "ha"): "who has", ("chi", "può"): "who can",
    ("daj", "mi", "znać"): "notify me",
    ("daj", "znać"): "notify me", ("czy", "mogę"): "can i", ("czy", "można"): "can we",
    ("czy", "coś"): "is there anything",
    ("a", "mis", "en", "pause"): "paused", ("en", "ce", "moment"): "right now",
    ("por", "favor"): "please", ("horário", "silencioso"): "quiet hours",
    ("horario", "silencioso"): "quiet hours",
    # "perdón, quería decir la de …": the last request, moved to another task (a correction)
    ("quería", "decir"): "i meant", ("queria", "decir"): "i meant", ("quise", "decir"): "i meant",
    ("queria", "dizer"): "i meant", ("quis", "dizer"): "i meant", ("volevo", "dire"): "i meant",
    ("je", "voulais", "dire"): "i meant", ("chciałem", "powiedzieć"): "i meant",
}  # fmt: skip

# The words a clause opens with that say "if" only there ("se" is also "itself").
CLAUSE_IF: dict[str, str] = {"se": "if"}
# A clause that opens with its negation, then a verb of the tables: a negative command ("não
# pausa o crane", "non silenziare il job", "nie wyciszaj go"), read "do not pause ...".
NEGATIONS_BEFORE_VERB = frozenset({"não", "nao", "non", "nie"})
# After such a negation, "still" is "yet": "non approvare ancora", "nie zatwierdzaj jeszcze".
YET_AFTER_NEGATION = frozenset({"ancora", "jeszcze"})
