"""Common words of other languages that people mix into English chat, read as English.

Teams write "Mosaik abbrechen bitte", "catalogue import kab tak khatam hoga?", "namaste" or
"どうして data lock failed?": a sentence in English with a few everyday words of their own
language, or a greeting and a thank-you. Those few words (the requests, the question words, the
courtesies) are a short, closed list per language, so a table of them to their English words is
enough for the rules and the classifier to read the rest; no model is needed. Task names are never
translated (the caller keeps any word that names a task as it is).

German, Dutch, Swedish, Danish, Czech, Spanish, Portuguese, French, Italian, Polish, Turkish,
Russian, Vietnamese, Hindi written in Latin letters, Korean (in Hangul or romanised) and Japanese;
the words are matched after lower-casing, apostrophes dropped, so "qué" and "por qué" keep their
accents. The words of Dutch and Swedish (and German's still missing) are in
`intents.languages_germanic`, the forms of the Romance and Polish steering verbs that questions,
negative commands and hypotheticals are said with in `intents.languages_romance`, and Turkish's
words and the endings of its verbs in `intents.languages_turkish`; this module reads them all.

A negative command is read as English says it, "do not" before the verb, whatever the order of
its language: "wijs de release niet af", "avvisa inte releasen" (`negative_command`), "não pausa
o crane", "nie wyciszaj go", "ne coupe pas les alertes", "crane'i duraklatma", so the speech
act sees a negation and nothing is done (a foreign word never makes a request of what is none).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from intents.languages_czech_danish import (
    CZECH_DANISH_PHRASES,
    CZECH_DANISH_WORDS,
    czech_demonstratives,
)
from intents.languages_germanic import CLAUSE_IF as _GERMANIC_IF
from intents.languages_germanic import GERMANIC_PHRASES, GERMANIC_WORDS, negative_command
from intents.languages_romance import CLAUSE_IF as _ROMANCE_IF
from intents.languages_romance import (
    NEGATIONS_BEFORE_VERB,
    ROMANCE_PHRASES,
    ROMANCE_WORDS,
    YET_AFTER_NEGATION,
)
from intents.languages_turkish import TURKISH_PHRASES, TURKISH_WORDS, turkish_verbs

__all__ = ["FOREIGN_PHRASES", "FOREIGN_WORDS", "translate_words"]

# One word → its English reading (several words when English needs them; "" drops a filler).
FOREIGN_WORDS: dict[str, str] = {
    # (round eight: the question words and verbs of asking about a task, its link, its logs, who
    # decides and what waits, and the settings, in the languages already here; and the few
    # nouns that recur in task names, as "migración" before them)
    # German
    "hilfe": "help", "darf": "may", "dürfen": "may", "bei": "on", "für": "for",
    "fehlern": "failures", "benachrichtigen": "notify", "stummschalten": "mute",
    "zu": "to", "alles": "everything",
    # Spanish and Portuguese
    "tengo": "do i have", "tenho": "do i have", "dame": "give me", "pendiente": "pending",
    "pendente": "pending", "reactivar": "turn back on", "reativar": "turn back on",
    "enlace": "link", "vínculo": "link", "acontecendo": "happening", "pasando": "happening",
    "aconteceu": "happened", "pasó": "happened", "com": "with", "ontem": "yesterday",
    "ayer": "yesterday", "pq": "why", "erro": "error", "registros": "records",
    "registos": "records", "dos": "of the", "datos": "data", "dados": "data",
    "faltan": "missing", "está": "is",
    # French
    "envoie": "send", "envoyer": "send", "alertes": "alerts", "sur": "on", "par": "by",
    "quoi": "what", "sera": "will be", "prêt": "ready", "prête": "ready", "prêts": "ready",
    "modèle": "model", "journaux": "logs", "lien": "link", "dossiers": "records",
    # Italian
    "andando": "going", "migrazione": "migration", "sincronizzazione": "sync",
    "mostrami": "show me", "stato": "status", "avvisami": "notify me",
    # Polish
    "jak": "how", "idzie": "is going", "pokaż": "show", "pokaz": "show", "logi": "logs",
    "gotowe": "ready", "gotowy": "ready",
    # Hindi (Latin letters)
    "haal": "status", "batana": "tell", "bataana": "tell", "jab": "when", "ho": "",
    "jaye": "", "jaaye": "",
    # (round nine: more of the everyday verbs and small words, the time words of a deadline,
    # and the words of the settings)
    "probieren": "try", "nachrichten": "messages", "zwischen": "between", "uhr": "",
    "mit": "with", "erst": "first", "rejeita": "reject", "rejeite": "reject", "riprova": "retry",
    "riprovare": "retry", "fallito": "failed", "fallita": "failed", "fini": "finished",
    "finie": "finished", "valide": "approve", "valider": "approve", "validez": "approve",
    "stuur": "send", "naar": "to", "mijn": "my",
    # (round ten: the negative commands of the action verbs, which Spanish and Portuguese say
    # in another mood ("no canceles", "no aprueben", "não cancele"), the small words said
    # around them, and a northern German hello)
    "canceles": "cancel", "cancele": "cancel", "cancelen": "cancel", "apruebes": "approve",
    "apruebe": "approve", "aprueben": "approve", "aprove": "approve", "rechaces": "reject",
    "rechace": "reject", "rechacen": "reject", "reinicies": "restart", "reinicien": "restart",
    "reintentes": "retry", "reintente": "retry", "reintenten": "retry", "saltes": "skip",
    "omitas": "skip", "todavía": "yet", "todavia": "yet", "nada": "anything",
    "espera": "wait", "pregunta": "asks", "mándame": "send me", "mandame": "send me",
    "alertas": "alerts", "por": "by", "bis": "until", "moin": "hello",
    # (round eleven: the small words of Italian, Spanish, Polish and Turkish that still stood
    # between a verb and a task's name ("il", "una hora", "z", "işi"), Polish negative commands
    # (said with the imperfective: "nie odrzucaj") and reports, and the words for an optimiser
    # and its optimisation, which name such tasks in every language)
    "il": "the", "non": "not", "una": "a", "un": "a", "hora": "hour", "horas": "hours",
    "z": "from", "nie": "not", "tego": "this", "tej": "this", "krok": "step", "kroku": "step",
    "ponawiaj": "retry", "odrzucaj": "reject", "wstrzymuj": "pause",
    "zatwierdzaj": "approve", "pomijaj": "skip", "wznawiaj": "resume", "kto": "who",
    "wstrzymał": "paused", "wstrzymała": "paused", "anulował": "cancelled",
    "anulowała": "cancelled", "zatwierdził": "approved", "zatwierdziła": "approved",
    "odrzucił": "rejected", "odrzuciła": "rejected", "czy": "", "coś": "anything",
    "czeka": "waiting", "moją": "my", "mój": "my", "moje": "my", "akceptację": "approval",
    "akceptacji": "approval", "işi": "job", "iş": "job", "wyślij": "send", "wyslij": "send",
    "powiadomienia": "notifications", "powiadomień": "notifications", "na": "on",
    "maila": "email", "mailem": "by email",
    "optimizador": "optimiser", "otimizador": "optimiser", "ottimizzatore": "optimiser",
    "optimización": "optimisation", "otimização": "optimisation",
    "ottimizzazione": "optimisation", "optimierung": "optimisation",
    "optymalizacja": "optimisation", "optymalizację": "optimisation",
    "optymalizacji": "optimisation",
    # (round twelve: Swedish and Dutch, which had few words here, and the words of the lists, the
    # approvals and the settings that Polish, Italian, French and German still lacked)
    # Swedish ("inte" stays: after its verb, as a "not" before the object it would read as
    # "not that task but another", `intents.hedges` reads it as it is)
    "avbryt": "cancel", "återuppta": "resume", "godkänn": "approve", "avvisa": "reject",
    "varför": "why", "när": "when", "misslyckades": "failed", "tack": "thanks",
    "loggarna": "logs", "loggar": "logs", "loggen": "log", "tysta": "mute", "länken": "link",
    "aviseringar": "notifications", "meddelanden": "messages", "uppgifter": "tasks",
    "uppgiften": "task", "steget": "step", "klart": "done",
    # Dutch
    "demp": "mute", "logboeken": "logs", "logboek": "log",
    "waarschuw": "notify", "goedgekeurd": "approved", "afgewezen": "rejected",
    "geannuleerd": "cancelled", "gepauzeerd": "paused", "probeer": "try",
    "proberen": "try", "faalt": "fails", "weer": "again", "toch": "", "nee": "no",
    "bedoelde": "meant", "bedoel": "mean",
    # German
    "aufgaben": "tasks", "aufgabe": "task", "alle": "all", "nein": "no", "meinte": "meant",
    "freigaben": "approvals", "genehmigung": "approval",
    # French
    "quelles": "which", "quels": "which", "tâches": "tasks", "sont": "are",
    "attente": "waiting",
    "montre": "show", "montrez": "show",
    # Italian
    "riattiva": "turn back on", "riattivare": "turn back on", "disattiva": "turn off",
    "notifiche": "notifications", "silenzia": "mute", "sospendi": "pause",
    "approvazione": "approval", "attività": "tasks",
    # (the infinitive, which Italian says its negative commands with: "non annullare")
    "annullare": "cancel", "approvare": "approve", "rifiutare": "reject",
    "riavviare": "restart", "saltare": "skip", "sospendere": "pause",
    # Spanish
    "pásame": "send me", "pasame": "send me", "salten": "skip", "salte": "skip",
    "pruebas": "tests",
    # Polish
    "zatwierdza": "approves", "zatwierdzenie": "approval", "zatwierdzenia": "approval",
    "tylko": "only", "błędy": "failures", "bledy": "failures", "prośby": "requests",
    "reszta": "the rest", "zadania": "tasks", "wszystkie": "all",
    # Turkish: the negative command, said with -ma/-me before its ending
    "onaylamayın": "do not approve", "onaylama": "do not approve",
    # (round seven: the everyday inflections of the same verbs, the past participles people
    # report with, and the question words and small words around them)
    # German
    "pausiere": "pause", "pausier": "pause", "pausiert": "paused", "stoppe": "stop",
    "stopp": "stop", "abgebrochen": "cancelled", "storniere": "cancel", "wiederhole": "retry",
    "wiederhol": "retry", "überspring": "skip", "überspringe": "skip",
    "übersprungen": "skipped", "genehmige": "approve", "genehmigt": "approved",
    "freigegeben": "approved", "freigabe": "approval", "abgelehnt": "rejected",
    "gestartet": "started", "abonniere": "subscribe", "abonnieren": "subscribe",
    "benachrichtige": "notify", "benachrichtigungen": "notifications", "wer": "who",
    "wie": "how", "wenn": "if", "sobald": "once", "ist": "is",
    "der": "the", "das": "the", "dem": "the", "einen": "a", "eine": "a", "ein": "a",
    "mich": "me", "mir": "me", "ich": "i", "du": "you", "kannst": "can", "auch": "also",
    "mal": "", "nochmal": "again", "erneut": "again", "irgendwas": "anything",
    "etwas": "anything", "wartet": "waiting", "warten": "waiting", "nur": "only",
    "fehler": "failures", "keine": "no", "kein": "no", "schick": "send", "schicke": "send",
    "zeig": "show", "zeige": "show", "fortschritt": "progress",
    "fortschrittsmeldungen": "progress updates", "muss": "must", "soll": "should",
    "heute": "today", "morgen": "tomorrow", "jetzt": "now", "gerade": "right now",
    "fehlgeschlagenen": "failed", "schritt": "step", "beim": "in the",
    "versuchen": "try", "versuch": "try", "versuche": "try", "kann": "can", "falls": "if",
    "mein": "my", "meine": "my", "meiner": "my", "meinen": "my", "neustart": "restart",
    "noch": "still", "moi": "me",
    # Spanish
    "aprueba": "approve", "aprobado": "approved", "aprobó": "approved",
    "aprobación": "approval", "aprobacion": "approval", "pausa": "pause", "pausó": "paused",
    "pausado": "paused", "canceló": "cancelled", "cancelado": "cancelled",
    "reinició": "restarted", "reintenta": "retry", "rechazó": "rejected",
    "rechazado": "rejected", "salto": "skipped", "reactiva": "turn back on",
    "activa": "turn on", "desactiva": "turn off", "quién": "who", "quien": "who",
    "cómo": "how", "dónde": "where", "donde": "where", "cuánto": "how much",
    "cuanto": "how much", "si": "if", "falla": "it fails", "luego": "then", "mañana": "tomorrow",
    "hoy": "today", "hay": "is there", "algo": "anything", "mis": "my",
    "este": "this", "esta": "this", "modo": "mode", "resumen": "summary", "solo": "only",
    "errores": "failures", "muéstrame": "show me",
    "muestrame": "show me", "del": "of the", "en": "in", "la": "the",
    "puedes": "can you", "podés": "can you", "podrías": "could you", "podrias": "could you",
    "apruebo": "i approve",
    # Portuguese
    "aprovado": "approved", "pausou": "paused", "cancelou": "cancelled",
    "reinicie": "restart", "reiniciou": "restarted", "tente": "try", "pule": "skip",
    "avisa": "notify", "avise": "notify", "valeu": "thanks", "terminar": "finishes",
    "falta": "left", "falhou": "failed", "mostra": "show", "quanto": "how much",
    "importação": "import", "importación": "import",
    "exportação": "export", "exportación": "export", "traducciones": "translations",
    "traduções": "translations", "traductions": "translations", "übersetzungen": "translations",
    "migración": "migration", "migração": "migration", "sincronización": "sync",
    "sincronização": "sync", "despliegue": "deploy", "implantação": "deploy",
    # French
    "annule": "cancel", "annulé": "cancelled", "relance": "restart", "relancé": "restarted",
    "reprends": "resume", "approuve": "approve", "approuvé": "approved", "rejette": "reject",
    "saute": "skip", "réessaie": "retry", "réessayer": "retry", "préviens": "notify",
    "qui": "who", "où": "where", "combien": "how much", "le": "the", "les": "the",
    "des": "the", "étape": "step", "tâche": "task",
    # Hindi (Latin letters)
    "hua": "", "ko": "", "batao": "tell me", "dikhao": "show", "roko": "pause",
    "kitna": "how much", "mujhe": "me",
    # German (first round)
    "bitte": "please", "danke": "thanks", "dankeschön": "thanks", "hallo": "hello",
    "pausieren": "pause", "anhalten": "pause", "fortsetzen": "resume", "weitermachen": "continue",
    "abbrechen": "cancel", "stoppen": "stop", "neustarten": "restart", "wiederholen": "retry",
    "überspringen": "skip", "genehmigen": "approve", "freigeben": "approve",
    "ablehnen": "reject", "wann": "when", "fertig": "done", "warum": "why", "wieso": "why",
    "fehlgeschlagen": "failed", "abgestürzt": "crashed", "katalog": "catalog",
    "schon": "", "weiter": "continue",
    "den": "the", "und": "and", "nicht": "not",
    # Spanish and Portuguese
    "porfa": "please", "gracias": "thanks", "obrigado": "thanks", "obrigada": "thanks",
    "pausar": "pause", "reanudar": "resume", "retomar": "resume", "continuar": "continue",
    "cancelar": "cancel", "detener": "stop", "parar": "stop", "reiniciar": "restart",
    "reintentar": "retry", "saltar": "skip", "omitir": "skip", "pular": "skip",
    "aprobar": "approve", "aprovar": "approve", "rechazar": "reject", "rejeitar": "reject",
    "cuándo": "when", "cuando": "when", "quando": "when", "terminado": "finished",
    "listo": "done", "ayuda": "help", "ajuda": "help", "hola": "hello", "olá": "hello",
    "estado": "status", "necesito": "i need", "qué": "what", "falló": "failed",
    "fallo": "failed", "reanudé": "i resumed", "continúa": "continue", "continua": "continue",
    "reinicia": "restart", "salta": "skip", "paso": "step", "passo": "step", "etapa": "step",
    "rechaza": "reject", "avísame": "notify me", "avisame": "notify me", "avisos": "notifications",
    "notificaciones": "notifications", "notificações": "notifications", "correo": "email",
    "manda": "send", "corrección": "correction", "correccion": "correction", "modelo": "model",
    "proyecto": "project", "tarea": "task", "tareas": "tasks", "tarefa": "task",
    "tarefas": "tasks", "informe": "report", "tá": "is", "acaba": "finishes", "não": "not",
    "nao": "not", "só": "just", "pula": "skip", "silencia": "mute", "quero": "i want",
    "receber": "receive", "menos": "fewer", "resumo": "summary", "diário": "daily",
    "diario": "daily", "quem": "who", "pode": "can", "quais": "which", "cuáles": "which",
    "estão": "are", "rodando": "running", "agora": "now", "ahora": "now",
    "esperando": "waiting", "voltar": "again", "el": "the", "cancela": "cancel",
    "los": "the", "las": "the", "aprova": "approve", "terminó": "finished",
    "terminou": "finished", "termina": "finishes", "retoma": "resume", "reanuda": "resume",
    # French
    "bonjour": "hello", "salut": "hello", "merci": "thanks", "pourquoi": "why",
    "quand": "when", "annuler": "cancel", "reprendre": "resume", "relancer": "restart",
    "stp": "please", "svp": "please", "échoué": "failed", "planté": "crashed",
    "terminé": "finished", "encore": "again", "rejeter": "reject", "approuver": "approve",
    # Italian
    "grazie": "thanks", "ciao": "hello", "buongiorno": "good morning", "riprendi": "resume",
    "riprendere": "resume", "annulla": "cancel", "approva": "approve", "rifiuta": "reject",
    "riavvia": "restart", "perché": "why", "perche": "why", "finito": "finished",
    "aiuto": "help", "mille": "",
    # Dutch
    "niet": "not", "geen": "no", "nooit": "never", "alsjeblieft": "please", "aub": "please",
    "bedankt": "thanks", "hoi": "hello", "pauzeren": "pause", "pauzeer": "pause",
    "hervatten": "resume", "hervat": "resume", "annuleren": "cancel", "annuleer": "cancel",
    "herstarten": "restart", "herstart": "restart", "overslaan": "skip", "oversla": "skip",
    "goedkeuren": "approve", "afwijzen": "reject", "afkeuren": "reject",
    "muten": "mute", "dempen": "mute", "wanneer": "when", "waarom": "why", "klaar": "done",
    "mislukt": "failed", "gefaald": "failed", "taak": "task", "stap": "step", "graag": "please",
    "ik": "i", "wil": "want", "zien": "see", "hoe": "how",
    "opnieuw": "again", "meldingen": "notifications",
    # Polish
    "dzięki": "thanks", "dzieki": "thanks", "dziękuję": "thanks", "dziekuje": "thanks",
    "cześć": "hello", "czesc": "hello", "proszę": "please", "prosze": "please",
    "wstrzymaj": "pause", "wznów": "resume", "anuluj": "cancel", "zatwierdź": "approve",
    "odrzuć": "reject", "pomiń": "skip", "dlaczego": "why", "kiedy": "when",
    # Korean (in Hangul, or romanised)
    "안녕하세요": "hello", "안녕": "hello", "감사합니다": "thanks", "고마워요": "thanks",
    "고맙습니다": "thanks", "주세요": "please", "링크": "link", "결과": "results", "왜": "why",
    "언제": "when", "취소": "cancel", "승인": "approve", "거절": "reject", "재개": "resume",
    "annyeong": "hello", "annyeonghaseyo": "hello", "gamsahamnida": "thanks",
    "kamsahamnida": "thanks", "gomawo": "thanks",
    # Hindi (Latin letters)
    "namaste": "hello", "namaskar": "hello", "dhanyavaad": "thanks", "dhanyavad": "thanks",
    "dhanyawad": "thanks", "shukriya": "thanks", "kripya": "please", "kab": "when",
    "khatam": "finish", "kyun": "why", "kyon": "why", "dobara": "again", "koi": "any",
    "abhi": "now", "nahi": "not", "nahin": "not", "haan": "yes", "hoga": "", "hogi": "",
    "hai": "", "kya": "",
    # Turkish (a suffix after an apostrophe is dropped with it: "rollup'u" reads "rollup")
    "lütfen": "please", "biter": "finishes", "bitecek": "will finish", "neden": "why",
    "patladı": "crashed", "beklet": "pause", "biraz": "for a bit", "onaylıyorum": "i approve",
    "onayla": "approve", "reddet": "reject", "iptal": "cancel", "durdur": "stop",
    "teşekkürler": "thanks", "sağol": "thanks", "merhaba": "hello", "yardım": "help",
    "mı": "", "mi": "", "mu": "", "mü": "",
    # Russian
    "как": "how is", "там": "", "покажи": "show", "логи": "logs", "отмени": "cancel",
    "пожалуйста": "please", "продолжи": "resume", "повтори": "retry", "шаг": "step",
    "отклони": "reject", "отключи": "turn off", "уведомления": "notifications", "по": "for",
    "ссылку": "link", "спасибо": "thanks", "привет": "hello", "здравствуйте": "hello",
    "помогите": "help", "помоги": "help", "какие": "which", "задачи": "tasks", "сейчас": "now",
    "идут": "running", "есть": "is there", "ждёт": "waits for", "ждет": "waits for",
    "меня": "me", "почему": "why", "когда": "when", "статус": "status", "аудит": "audit",
    "пауза": "pause", "останови": "stop", "перезапусти": "restart", "пропусти": "skip",
    "одобри": "approve", "утверди": "approve",
    # Japanese (each word written alone, or in romaji)
    "こんにちは": "hello", "おはよう": "good morning", "おはようございます": "good morning",
    "ありがとう": "thanks", "ありがとうございます": "thanks", "お願いします": "please",
    "おねがいします": "please", "ください": "please", "どうして": "why", "なぜ": "why",
    "いつ": "when", "停止": "stop", "一時停止": "pause", "再開": "resume", "キャンセル": "cancel",
    "承認": "approve", "却下": "reject", "状況": "status", "状態": "status",
    "konnichiwa": "hello", "ohayo": "good morning", "ohayou": "good morning",
    "arigato": "thanks", "arigatou": "thanks", "onegaishimasu": "please",
}  # fmt: skip

# Words read together ("kab tak" is "until when", "mere liye" is "for me").
FOREIGN_PHRASES: dict[tuple[str, ...], str] = {
    # (round twelve: Swedish "visa" is an English word too, so it is read only before what it
    # shows)
    ("visa", "mig"): "show me",
    ("visa", "loggarna"): "show the logs",
    ("visa", "loggar"): "show logs",
    ("visa", "länken"): "show the link",
    ("visa", "alla"): "show all",
    ("starta", "om"): "restart",
    ("hoppa", "över"): "skip",
    ("försök", "igen"): "retry",
    ("wie", "spät"): "what time",
    # "pas de notifications la nuit": no such thing, and when (a "ne … pas" is read before)
    ("pas", "de"): "no",
    ("la", "nuit"): "at night",
    ("pendant", "la", "nuit"): "at night",
    # "no, la del espejo", "non, celle du miroir": the one of a thing, said to correct
    ("la", "del"): "the one of the",
    ("el", "del"): "the one of the",
    ("la", "de"): "the one of",
    ("el", "de"): "the one of",
    ("celle", "du"): "the one of the",
    ("celui", "du"): "the one of the",
    ("celle", "de"): "the one of",
    ("celui", "de"): "the one of",
    ("quella", "del"): "the one of the",
    ("quello", "del"): "the one of the",
    ("quella", "della"): "the one of the",
    ("quello", "della"): "the one of the",
    ("quella", "dell"): "the one of the",
    ("quello", "dell"): "the one of the",
    ("quella", "di"): "the one of",
    ("quello", "di"): "the one of",
    ("en", "attente"): "waiting",
    ("validations", "en", "attente"): "approvals waiting",
    # (round eleven)
    ("mettere", "in", "pausa"): "pause",
    ("ne", "durumda"): "how is",
    ("czeka", "na"): "waiting for",
    # (round ten)
    ("por", "que"): "why",
    ("lo", "del"): "the",
    ("stumm", "schalten"): "mute",
    ("wer", "darf"): "who may",
    # (round nine)
    ("noch", "nicht"): "not yet",
    ("nochmal", "probieren"): "retry",
    ("was", "kannst", "du", "alles"): "what can you do",
    ("wie", "läuft", "es", "mit"): "how is",
    ("tudo", "bem", "com"): "all good with",
    ("quanto", "manca"): "how long until",
    ("ce", "soir"): "tonight",
    ("pas", "encore"): "yet",
    # (round eight)
    ("o", "que"): "what",
    ("est", "ce", "que"): "",
    ("que", "sais", "tu", "faire"): "what can you do",
    ("tu", "sais", "faire"): "can you do",
    ("cosa", "sai", "fare"): "what can you do",
    ("was", "kannst", "du"): "what can you",
    ("hab", "ich", "was"): "do i have anything",
    ("habe", "ich", "was"): "do i have anything",
    ("gibt", "es", "was"): "is there anything",
    ("nochmal", "versuchen"): "retry",
    ("erneut", "versuchen"): "retry",
    ("noch", "einmal", "versuchen"): "retry",
    ("come", "sta"): "how is",
    ("come", "va"): "how is",
    ("deu", "erro"): "failed",
    ("dio", "error"): "failed",
    ("mujhe", "batana"): "tell me",
    ("mujhe", "batao"): "tell me",
    # "el paso de limpieza", "a etapa de envio": the step named after it ("de" alone stays: it is
    # part of task names people say in their language, "el export de cursos")
    ("paso", "de"): "step",
    ("passo", "de"): "step",
    ("etapa", "de"): "step",
    ("étape", "de"): "step",
    # (round seven)
    ("wie", "weit"): "how far along",
    ("wie", "läuft"): "how is",
    ("wie", "steht", "es", "um"): "how is",
    ("neu", "gestartet"): "restarted",
    ("sag", "mir", "bescheid"): "notify me",
    ("sag", "bescheid"): "notify me",
    ("gib", "mir", "bescheid"): "notify me",
    ("per", "mail"): "by email",
    ("per", "email"): "by email",
    ("auf", "mich"): "on me",
    ("kannst", "du"): "can you",
    ("wie", "abonniere", "ich"): "how do i subscribe",
    ("qué", "tal", "va"): "how is",
    ("que", "tal", "va"): "how is",
    ("qué", "tal"): "how is",
    ("cómo", "va"): "how is it",
    ("cómo", "está"): "how is it",
    ("cómo", "se", "usa"): "how do i use",
    ("como", "se", "usa"): "how do i use",
    ("tiempo", "estimado"): "estimated time",
    ("cuánto", "falta"): "how long is left",
    ("cuanto", "falta"): "how long is left",
    ("quanto", "falta"): "how long is left",
    ("otra", "vez"): "again",
    ("una", "vez", "más"): "once more",
    ("vuelve", "a", "intentar"): "retry",
    ("me", "avisa"): "notify me",
    ("me", "avise"): "notify me",
    ("il", "en", "est", "où"): "how is it going",
    ("où", "en", "est"): "how is",
    ("ça", "en", "est", "où"): "how is it going",
    ("depuis", "le", "début"): "from scratch",
    ("mets", "en", "pause"): "pause",
    ("combien", "de", "temps"): "how long",
    ("kya", "hua"): "what happened",
    ("kyun", "hua"): "why",
    ("kyon", "hua"): "why",
    ("phir", "se"): "again",
    ("rok", "do"): "pause",
    ("bata", "do"): "tell me",
    ("tiene", "que"): "has to",
    ("como", "funciona"): "how does it work",
    ("cómo", "funciona"): "how does it work",
    ("comment", "ça", "marche"): "how does it work",
    ("wie", "funktioniert"): "how does it work",
    ("tienen", "que"): "have to",
    ("tem", "que"): "has to",
    ("você", "pode"): "can you",
    ("como", "está", "o"): "how is the",
    ("como", "está", "a"): "how is the",
    ("resumen", "diario"): "daily summary",
    ("modo", "resumen", "diario"): "daily summary mode",
    ("modo", "resumo", "diário"): "daily summary mode",
    ("kab", "tak"): "when",
    ("mere", "liye"): "for me",
    ("mujhe", "liye"): "for me",
    ("band", "karo"): "stop",
    ("guten", "tag"): "good day",
    ("guten", "morgen"): "good morning",
    ("neu", "starten"): "restart",
    ("por", "favor"): "please",
    ("per", "favore"): "please",
    ("mettre", "en", "pause"): "pause",
    ("metti", "in", "pausa"): "pause",
    ("metti", "in", "muto"): "mute",
    ("mettre", "en", "sourdine"): "mute",
    ("tu", "peux"): "can you",
    ("como", "está"): "how is it",
    ("dzień", "dobry"): "good morning",
    ("por", "qué"): "why",
    ("buenos", "días"): "good morning",
    ("buenos", "dias"): "good morning",
    ("bom", "dia"): "good morning",
    ("sil", "vous", "plait"): "please",
    ("sil", "te", "plait"): "please",
    ("desde", "cero"): "from scratch",
    ("de", "novo"): "again",
    ("tenta", "de", "novo"): "try again",
    ("me", "diz"): "tell me",
    ("como", "tá"): "how is it",
    ("como", "va"): "how is it",
    ("tudo", "certo"): "all good",
    ("por", "mim"): "for me",
    ("o", "que", "você", "sabe", "fazer"): "what can you do",
    ("qué", "puedes", "hacer"): "what can you do",
    ("resumo", "diário"): "daily summary",
    ("voltar", "a", "receber"): "receive again",
    ("ne", "zaman"): "when",
    ("yeniden", "başlat"): "restart",
    ("yeniden", "başlattık"): "we restarted",
    ("baştan", "başlat"): "restart from scratch",
    ("geçen", "hafta"): "last week",
    ("devam", "ettir"): "resume",
    ("devam", "et"): "continue",
    ("iptal", "et"): "cancel",
    ("teşekkür", "ederim"): "thanks",
    ("beni", "bekleyen"): "waiting on me",
    ("bir", "şey"): "something",
    ("var", "mı"): "",
    ("что", "то"): "something",
    ("anh", "ơi"): "hey",
    ("chị", "ơi"): "hey",
    ("sao", "rồi"): "how is it",
    ("tạm", "dừng"): "pause",
    ("giúp", "mình"): "please",
    ("giúp", "em"): "please",
    ("giúp", "tôi"): "please",
    ("hủy",): "cancel",
    ("thử", "lại"): "retry",
    ("tiếp", "tục"): "resume",
    ("khởi", "động", "lại"): "restart",
    ("bỏ", "qua"): "skip",
    ("bước",): "step",
    ("duyệt",): "approve",
    ("từ", "chối"): "reject",
    ("theo", "dõi"): "follow",
    ("cho", "mình"): "for me",
    ("bật", "lại"): "turn back on",
    ("thông", "báo"): "notifications",
    ("tại", "sao"): "why",
    ("bị", "lỗi"): "failed",
    ("bao", "giờ"): "when",
    ("khi", "nào"): "when",
    ("đang", "chạy"): "running",
    ("những", "task", "nào"): "which tasks",
    ("ai", "được"): "who can",
    ("làm", "được", "những", "gì"): "can do what",
    ("bạn", "làm", "được", "những", "gì"): "what can you do",
    ("cảm", "ơn"): "thanks",
    ("xin", "chào"): "hello",
    ("cái",): "the",
    ("nhé",): "",
    ("vậy",): "",
    ("đi",): "",
    ("với",): "",
    # (round seventeen (d)) "to-dos" is split at its hyphen; its "dos" is no Portuguese "of the"
    ("to", "dos"): "todos",
}
# (round fourteen: Dutch and Swedish, and the forms of the steering verbs that questions,
# negative commands and hypotheticals are said with, in their own modules)
FOREIGN_WORDS.update(GERMANIC_WORDS)
FOREIGN_WORDS.update(ROMANCE_WORDS)
FOREIGN_PHRASES.update(GERMANIC_PHRASES)
FOREIGN_PHRASES.update(ROMANCE_PHRASES)
FOREIGN_WORDS.update(TURKISH_WORDS)
FOREIGN_PHRASES.update(TURKISH_PHRASES)
# (round seventeen (d): Czech and Danish; a word another language already reads keeps its reading)
FOREIGN_WORDS.update({k: v for k, v in CZECH_DANISH_WORDS.items() if k not in FOREIGN_WORDS})
FOREIGN_PHRASES.update({k: v for k, v in CZECH_DANISH_PHRASES.items() if k not in FOREIGN_PHRASES})
# The words that say "if" only as a clause's first word ("om" is also "about", "se" "itself").
_CLAUSE_IF = {**_GERMANIC_IF, **_ROMANCE_IF}

# German verbs whose particle goes to the end of the clause ("lehn den Report bitte ab",
# "halt die Pipeline bitte an", "starte den Sync neu"): the stem, then its particle as the clause's
# last word (before a "bitte" or "mal"), read as one English verb where the stem stands.
SEPARABLE_VERBS: dict[tuple[str, str], str] = {
    # Dutch: "wijs de deploy af", "keur de release goed", "zet het stil", "sla de stap over"
    # (that one only as a request's first words, an article after it: an SLA is English's, "is
    # the sla over?")
    ("sla", "over"): "skip", ("wijs", "af"): "reject", ("keur", "goed"): "approve",
    ("keur", "af"): "reject",
    ("zet", "stil"): "pause", ("breek", "af"): "cancel", ("start", "opnieuw"): "restart",
    ("lehn", "ab"): "reject", ("lehne", "ab"): "reject", ("brich", "ab"): "cancel",
    ("brech", "ab"): "cancel", ("halt", "an"): "pause", ("halte", "an"): "pause",
    ("gib", "frei"): "approve", ("gibt", "frei"): "approves", ("gebe", "frei"): "approve",
    ("geben", "frei"): "approve", ("setz", "fort"): "resume",
    ("setze", "fort"): "resume",
    ("starte", "neu"): "restart", ("start", "neu"): "restart", ("schalte", "stumm"): "mute",
    ("schalt", "stumm"): "mute", ("stell", "stumm"): "mute", ("stelle", "stumm"): "mute",
    ("schalte", "ab"): "turn off", ("schalt", "ab"): "turn off", ("sag", "bescheid"): "notify",
    ("gib", "bescheid"): "notify", ("zeig", "an"): "show", ("mach", "weiter"): "resume",
}  # fmt: skip
_SEPARABLE_STEMS = frozenset(stem for stem, _ in SEPARABLE_VERBS)
# (and the Dutch please and now: "keur de bestelling goed aub")
_AFTER_PARTICLE = frozenset(
    {"bitte", "mal", "danke", "doch", "jetzt", "sofort", "aub", "alsjeblieft", "graag", "nu"}
)
_DUTCH_ARTICLES = frozenset({"de", "het", "die", "dat", "deze", "dit"})
_PHRASE_STARTS = frozenset(phrase[0] for phrase in FOREIGN_PHRASES)
_LONGEST_PHRASE = max(map(len, FOREIGN_PHRASES))


def translate_words(words: Sequence[str], keep: Callable[[str], bool] | None = None) -> list[str]:
    """`words` with the foreign words of the tables in English; a word `keep` says names a task
    (a "Kab Ingest" task, a "die" step) stays as it is."""
    if len(words) == 1 and words[0] in NEGATIONS_BEFORE_VERB:
        # "non, celui de l'aquarium", "nie, ten drugi": said alone, before its comma, the "not"
        # of a verb is the "no" of an answer
        return ["no"]
    words = czech_demonstratives(turkish_verbs(words, keep), keep)
    out: list[str] = []
    last: list[str] = []
    if (negated := negative_command(words)) is not None:
        # "wijs de release niet af": "do not" first, then the command without its "niet" (and
        # a "nog niet" as a "yet" after everything, its particle still the clause's end)
        out.extend(negated[:2])
        words = negated[2:]
        if words[-1] == "yet":
            words, last = words[:-1], ["yet"]
    if _SEPARABLE_STEMS.intersection(words):
        words = _join_separable(words)
    if "pas" in words:
        words = _french_negation(words)
    i = 0
    if len(words) > 1 and not (keep is not None and keep(words[0])):
        first = words[0]
        if first in NEGATIONS_BEFORE_VERB and _says_a_verb(words[1:]):
            # "não pausa o crane", "nie wyciszaj go": a negative command; "não quero seguir":
            # "i do not want"
            subject = FOREIGN_WORDS.get(words[1], "").split()
            if subject[:1] in (["i"], ["we"]) and len(subject) > 1:
                out.extend([subject[0], "do", "not", *subject[1:]])
                i = 2
            else:
                out.extend(["do", "not"])
                i = 1
            words = [
                "yet" if w in YET_AFTER_NEGATION and not (keep is not None and keep(w)) else w
                for w in words
            ]
        elif first in _CLAUSE_IF and not _starts_phrase(words):
            out.append(_CLAUSE_IF[first])
            i = 1
    while i < len(words):
        word = words[i]
        kept = keep is not None and keep(word)
        if (word not in _PHRASE_STARTS and word not in FOREIGN_WORDS) or (
            kept and word not in _PHRASE_STARTS
        ):
            out.append(word)
            i += 1
            continue
        if word in _PHRASE_STARTS:
            # a phrase is read even when its first word names a task if its other words are the
            # language's own too ("wer darf" beside a "WER eval" step; not "kab tak" beside a
            # "Kab Ingest": "tak" alone is no word of the tables)
            for size in range(_LONGEST_PHRASE, 1 if kept else 0, -1):
                phrase = tuple(words[i : i + size])
                english = FOREIGN_PHRASES.get(phrase)
                if kept and not all(w in FOREIGN_WORDS for w in phrase[1:]):
                    english = None
                if english is not None:
                    out.extend(english.split())
                    i += size
                    break
            else:
                english = None
            if english is not None:
                continue
        if kept:
            out.append(word)
            i += 1
            continue
        english = FOREIGN_WORDS.get(word)
        out.extend(english.split() if english is not None else (word,))
        i += 1
    return out + last


# What a negative command's verb reads as (or its subject: "não quero", "nie chcę"): "não tá
# pronto" or "nie działa" say something is not so, and stay as they are.
_NEGATED_VERBS = frozenset({
    "pause", "resume", "cancel", "restart", "retry", "rerun", "skip", "approve", "reject",
    "mute", "unmute", "turn", "send", "notify", "stop", "continue", "follow", "try", "show",
    "put", "subscribe", "give", "tell", "i", "we",
})  # fmt: skip


def _says_a_verb(words: Sequence[str]) -> bool:
    """Do `words` open with a verb of the tables (one word or a phrase)?"""
    for size in range(min(_LONGEST_PHRASE, len(words)), 1, -1):
        english = FOREIGN_PHRASES.get(tuple(words[:size]))
        if english is not None:
            return english.split()[0] in _NEGATED_VERBS
    reading = FOREIGN_WORDS.get(words[0], "").split()
    return bool(reading) and reading[0] in _NEGATED_VERBS


def _starts_phrase(words: Sequence[str]) -> bool:
    return any(tuple(words[:size]) in FOREIGN_PHRASES for size in range(2, _LONGEST_PHRASE + 1))


def _join_separable(words: Sequence[str]) -> list[str]:
    """ "lehn den report bitte ab" → "reject den report bitte": a German stem and the particle
    that ends its clause, one verb."""
    out = list(words)
    for i, word in enumerate(out):
        if word not in _SEPARABLE_STEMS or (
            word == "sla" and not (i == 0 and len(out) > 2 and out[1] in _DUTCH_ARTICLES)
        ):
            continue
        end = len(out)
        while end > i + 1 and out[end - 1] in _AFTER_PARTICLE:
            end -= 1
        if end > i + 1 and (english := SEPARABLE_VERBS.get((word, out[end - 1]))) is not None:
            del out[end - 1]
            out[i] = english
            break
    return out


def _french_negation(words: Sequence[str]) -> list[str]:
    """ "ne valide pas encore le contrat" → "not valide encore le contrat": the two words of a
    French negation around its verb, read as one "not" before it (the "pas encore" after it is
    a "yet")."""
    out = list(words)
    for i in range(len(out) - 1):
        if (
            out[i + 1] == "pas"
            and len(out[i]) > 3
            and out[i][0] == "n"
            and out[i][1:] in FOREIGN_WORDS
        ):
            # "n'approuve pas": the "n'" is written onto its verb
            out[i : i + 2] = ["ne", out[i][1:], "pas"]
        if i + 2 < len(out) and out[i] in ("ne", "n") and out[i + 2] == "pas":
            out[i] = "not"
            if i + 3 < len(out) and out[i + 3] == "encore":
                out[i + 2], out[i + 3] = "yet", ""
                del out[i + 3]
            else:
                del out[i + 2]
            if i == 0:
                # a negative command: "ne coupe pas les alertes", "do not" as English says it
                out.insert(0, "do")
            break
    return out
