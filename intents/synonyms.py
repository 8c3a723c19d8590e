"""Words people use for one another in a task's name ("the database backup" is the "DB Backup"):
a short closed table, read by `intents.resolve` when a message's word is no word of any name."""

from __future__ import annotations

__all__ = ["SYNONYMS"]

# Words people use for one another in a task's name: "the database backup" is the "DB Backup".
_SYNONYM_GROUPS = (
    ("db", "database", "databases"),
    ("k8s", "kubernetes", "kube"),
    ("recs", "recommendations", "recommendation", "recommender"),
    ("docs", "documentation"),
    ("repo", "repository"),
    ("prod", "production"),
    ("env", "environment"),
    ("config", "configuration"),
    ("infra", "infrastructure"),
    ("auth", "authentication"),
    ("app", "application"),
    ("stats", "statistics"),
    ("vid", "video"),
    ("img", "image", "images"),
    ("localisation", "localization", "translation", "translations", "l10n"),
    ("catalogue", "catalog"),
    ("cert", "certs", "certificate", "certificates"),
    # shorthand and everyday words for a name's word: "the subs", "the rota", "the planner"
    ("subs", "subtitles", "subtitle"),
    ("rota", "rotas", "roster", "rosters"),
    ("planner", "planning", "planners"),
    ("optimiser", "optimizer", "optimisation", "optimization"),
    ("dna", "genome", "genomes", "genomic", "sequencing"),
    ("pics", "photos", "photo", "pictures"),
    # (round twelve: the clippings people say for a name's long word: "Kenji's sim")
    ("sim", "sims", "simulation", "simulations", "simulator"),
    ("calc", "calcs", "calculation", "calculations", "calculator"),
    ("calib", "calibration", "calibrations"),
    ("sync", "synchronisation", "synchronization"),
    ("spec", "specs", "specification", "specifications"),
    ("admin", "administration"),
    ("lib", "libs", "library", "libraries"),
    # (round fourteen: what a work makes for the work, and the everyday word for a kind's:
    # "the transcripts" of a transcription, "the satellite job" of an imagery pipeline)
    ("transcription", "transcriptions", "transcript", "transcripts"),
    ("imagery", "satellite", "aerial"),
    # (round fifteen: what a thing is for for the thing, "the wind data" of a turbine telemetry,
    # "the salaries" of a payroll)
    ("turbine", "turbines", "wind"),
    ("payroll", "payrolls", "salaries", "salary", "wages", "paychecks"),
    # (round sixteen: the animals of a herd for the herd, "the cow thing"; a gas's formula for its
    # element, "the co2 ledger" of a carbon one)
    ("herd", "herds", "cattle", "cow", "cows", "dairy"),
    ("carbon", "co2"),
)
SYNONYMS: dict[str, tuple[str, ...]] = {
    word: tuple(other for other in group if other != word)
    for group in _SYNONYM_GROUPS
    for word in group
}
