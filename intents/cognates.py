"""A word of a task's name said in another language: its cognate, and the compounds it is in.

Task names are English, and people who write in their own language name the task in it: "la
simulación del túnel", "die Kalibrierung", "migracji", "simülasyonu", "vingsimuleringen" of a
"Wind-Tunnel Simulation", an "Observatory Mirror Calibration", a "Loans Migration". Most of a
name's long words are Latin or Greek words every European language shares, written with that
language's letters and endings. `cognate_key` folds a word to a spelling those forms share
(accents gone, k as c, doubled letters single, the endings of "-tion" and of the plural as one),
so the English word and its cognate meet on one key; `compound_keys` adds the parts of a German,
Dutch or Swedish compound ("Spiegel|kalibrierung", "Kalibrierungs|job"). No dictionary: words
nobody has listed meet all the same ("kalibracja", "integração", "Produktionen").

`SMALL_WORDS` are the articles and prepositions of those languages, which stand between a
verb and a name ("status dla migracji", "die Logs vom Job") and name nothing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["SMALL_WORDS", "SMALL_WORDS_ENGLISH_TOO", "cognate_key", "compound_keys"]

# Letters no decomposition takes apart into a base letter and an accent.
_LETTERS = str.maketrans({"ł": "l", "ß": "ss", "ı": "i", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d"})
# The ending of the abstract noun of an act, in each language, as the English "-tion":
# "-ción", "-ção", "-zione", "-cja"/"-cji", "-syon(u)", "-tie", and as "-ation" the German
# "-ierung" and the Swedish "-ering" (with its article, "-eringen"). Longest first.
_TION_ENDINGS: tuple[tuple[str, str], ...] = (
    ("ierungen", "ation"), ("ierung", "ation"), ("eringen", "ation"), ("ering", "ation"),
    ("tionen", "tion"), ("ciones", "tion"), ("cion", "tion"), ("coes", "tion"), ("cao", "tion"),
    ("zioni", "tion"), ("zione", "tion"), ("syonu", "tion"), ("syon", "tion"), ("cji", "tion"),
    ("cja", "tion"), ("cje", "tion"), ("ties", "tion"), ("tie", "tion"), ("tions", "tion"),
)  # fmt: skip
# The endings of the Polish noun of an act made of a borrowed verb ("flash|owanie", "skan|owania")
# and of its infinitive ("flash|ować", folded "owac").
_POLISH_VERBAL_NOUN = re.compile(r"owan(?:ie|ia|iu|iem)$|owac$")
# "déploiement" and "deployment": the ending of the noun of an act in French and English.
_MENT = re.compile(r"e?ments?$")
_DOUBLED = re.compile(r"(.)\1+")
# Spanish and Portuguese open a word that starts with s and a consonant with an e ("escaneo",
# "estado"): the English word starts at the s (English words so spelled lose it too).
_PROSTHETIC_E = re.compile(r"^e(?=s[cpt])")
_VOWELS = "aeiou"
# The Latin "qu" is spelled "cu" in Spanish ("acuario", "cuota", "cuarentena"), "cqu" in Italian
# ("acquario") and "kw"/"kv" in Polish and Swedish ("akwarium", "akvarium"), the k already a c
# by then: one spelling for all.
_QU = re.compile(r"c?qu|cu(?=[aeio])|c[wv](?=[aeio])")
# A key shorter than this says too little to be a cognate of anything.
MIN_KEY = 4
# A compound's part that may be a word of a name: this long at least (an English compound's
# parts are mostly shorter: "time|sheet", "ware|house", "key|board"); the part beside it, this.
_MIN_PART = 6
_MIN_OTHER = 3


@lru_cache(maxsize=16384)
def cognate_key(word: str) -> str:
    """The spelling `word` shares with its cognates: "Kalibrierung", "calibración",
    "kalibrasyon" and "calibration" all fold to "calibration"; "archivo" and "archive" to
    "archiv"; "collari" and "collars" to "colar". A word that is not all letters is itself."""
    folded = unicodedata.normalize("NFKD", word.lower().translate(_LETTERS))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    if not folded.isalpha() or not folded.isascii():
        return word
    folded = _PROSTHETIC_E.sub("", folded)
    if (verbal := _POLISH_VERBAL_NOUN.search(folded)) is not None and verbal.start() >= 4:
        # "flashowania", "skanowanie", "testowaniu": the Polish noun of a borrowed English
        # verb is the verb and "-owanie"; its key is the verb's
        folded = folded[: verbal.start()]
    for ending, english in _TION_ENDINGS:
        if folded.endswith(ending) and len(folded) - len(ending) >= 3:
            folded = folded[: -len(ending)] + english
            break
    else:
        unmented = _MENT.sub("", folded)
        if len(unmented) >= MIN_KEY:
            folded = unmented
        # the plural, the Latin "-um" ("museum", "museo", "museu"), and the vowels Romance,
        # Slavic and Turkish words end in ("collari", "archivo", "tüneli"), which English drops
        # or spells with an e; an i after a vowel is the word's own ("deploi" of "déploiement")
        if folded.endswith("s") and len(folded) > MIN_KEY:
            folded = folded[:-1]
        # "título", "módulo", "artículo" of "title", "module", "article": one ending for the
        # "-ulo" of Romance words and the "-le" and "-ule" of English ones
        if folded.endswith(("ulo", "ula", "ule")) and len(folded) > MIN_KEY + 1:
            folded = folded[:-3] + "le"
        if folded.endswith("um") and len(folded) - 2 >= MIN_KEY:
            folded = folded[:-2]
        while (
            len(folded) > MIN_KEY
            and folded[-1] in _VOWELS
            and not (folded[-1] == "i" and folded[-2] in _VOWELS)
        ):
            folded = folded[:-1]
    folded = folded.replace("k", "c").replace("y", "i").replace("z", "s").replace("ph", "f")
    if "q" in folded or "c" in folded:
        folded = _QU.sub("cw", folded)
    return _DOUBLED.sub(r"\1", folded)


@lru_cache(maxsize=8192)
def compound_keys(word: str) -> tuple[str, ...]:
    """The keys of the parts of a compound ("bibliotheksmigration" → "migration" among them,
    "kalibrierungsjob" → "calibration"): of each split in two, a part of six letters or more,
    a German linking s dropped; the other part may be as short as "job" or "ving"."""
    if len(word) < _MIN_PART + _MIN_OTHER or not word.isalpha():
        return ()
    keys: list[str] = []
    for cut in range(_MIN_OTHER, len(word) - _MIN_OTHER + 1):
        head, tail = word[:cut], word[cut:]
        for part in (head, head[:-1] if head.endswith("s") else "", tail):
            if len(part) >= _MIN_PART and (key := cognate_key(part)) not in keys:
                keys.append(key)
    return tuple(keys)


# Articles, prepositions and their contractions in German, Dutch, Swedish, Spanish, Portuguese,
# French, Italian, Polish and Turkish: "status dla migracji", "die Logs vom Job", "la del
# espejo". Never a word English uses too ("die", "den", "las", "van", "con", "till", "pour",
# "mit", "dos"): one of those before a name's word may name another thing ("the van sync").
SMALL_WORDS = frozenset(
    {"der", "das", "ein", "eine", "einen", "einem", "vom", "zum", "zur", "beim", "von", "het"}
    | {"een", "voor", "och", "för", "el", "la", "los", "del", "una", "unos", "por", "da"}
    | {"nos", "nas", "em", "pelo", "pela", "le", "les", "du", "au", "une", "sur", "il", "gli"}
    | {"della", "dello", "delle", "dei", "degli", "alla", "allo", "alle", "nel", "nella", "sul"}
    | {"sulla", "dla", "przez", "ze", "bu", "şu", "ve", "ile", "için", "o", "di"}
    # (Dutch, Swedish and Portuguese: "de link naar de ...", "hur går det med ...", "status på
    # ...", "ao sismógrafo"; not "met", "av", "dos", which English writes too)
    | {"naar", "med", "det", "på", "ao", "aos", "às", "na"}
)
# The small words of those languages that English writes too ("van", "die", "till", "dos"):
# never dropped as SMALL_WORDS are, but beside a name said in another language they are that
# language's ("de logs van de salarisrun", "status på tullen med"), no other thing.
SMALL_WORDS_ENGLISH_TOO = frozenset(
    {"die", "den", "van", "met", "mit", "con", "till", "las", "pour", "dos", "av", "do", "de"}
)
