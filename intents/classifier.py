"""Stage 3b of understanding: a trained second opinion on the intent, with calibrated confidence.

A linear model over character n-grams (char_wb 2-5, robust to typos and odd spellings) and word
n-grams (1-2): a linear SVM wrapped in `CalibratedClassifierCV` (sigmoid, 3 folds), whose
calibrated probabilities are the confidences (with only a handful of examples per intent, plain
logistic regression instead). No downloaded weights: it trains at first use (about a second) and
is cached per process.

Where its training data comes from, at runtime:
1. `tests/data/corpus_train.yaml` next to the package (a source checkout), when that file exists:
   the labelled training split of the corpus (never the held-back `tests/data/heldout*.yaml`
   nor the development split `tests/data/dev.yaml`);
2. otherwise (an installed package) the example phrasings of `intents.catalog.CATALOG`.
`PROGRESSBOT_INTENT_CORPUS` may name another YAML file of the same shape.

Prediction avoids scikit-learn's per-call overhead: the fitted vocabularies and weights are read
once and a message is scored with a dict lookup per n-gram (a few hundred microseconds).
"""

from __future__ import annotations

import math
import os
import re
import threading
from collections.abc import Iterable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from intents.catalog import CATALOG

__all__ = ["IntentClassifier", "default_classifier", "training_examples", "warm_up"]

CALIBRATION_FOLDS = 3
RECENT_TEXTS = 4096
CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "corpus_train.yaml"
_WORD = re.compile(r"(?u)\b\w+\b")


def training_examples(path: Path | None = None) -> list[tuple[str, str]]:
    """(text, intent) pairs: the training split if present, else the catalog examples."""
    chosen = path or Path(os.environ.get("PROGRESSBOT_INTENT_CORPUS", CORPUS))
    pairs: list[tuple[str, str]] = []
    if chosen.is_file():
        import yaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser is 10x faster
        data: dict[str, Any] = yaml.load(chosen.read_text(encoding="utf-8"), Loader=loader)
        for item in data.get("utterances", []):
            pairs.append((str(item["text"]), str(item["intent"])))
        for conversation in data.get("conversations", []):
            for turn in conversation.get("turns", []):
                pairs.append((str(turn["text"]), str(turn["intent"])))
    if not pairs:
        for spec_ in CATALOG:
            pairs.extend((example, spec_.name) for example in spec_.examples)
    return pairs


class IntentClassifier:
    """Intent probabilities for normalised text (see the module docstring)."""

    def __init__(self, examples: Sequence[tuple[str, str]]) -> None:
        from collections import Counter

        from scipy.sparse import hstack
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import normalize
        from sklearn.svm import LinearSVC

        # The scores of the texts seen last, by text: chat repeats itself ("status?", "eta").
        self._recent: dict[str, tuple[tuple[str, float], ...]] = {}
        texts = [t for t, _ in examples]
        labels = [label for _, label in examples]
        char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=1)
        word = TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=_WORD.pattern
        )
        x = hstack([normalize(char.fit_transform(texts)), normalize(word.fit_transform(texts))])
        x = x.tocsr()
        n_char = len(char.vocabulary_)
        # (feature row, idf) per n-gram; weights are rows of one (features x intents) matrix.
        self._char = {t: (i, float(char.idf_[i])) for t, i in char.vocabulary_.items()}
        self._word = {t: (n_char + i, float(word.idf_[i])) for t, i in word.vocabulary_.items()}
        # Sigmoid calibration per intent (a, b): p = 1 / (1 + exp(a * score + b)), then normalised.
        self._sigmoid: tuple[Any, Any] | None = None
        if min(Counter(labels).values()) >= CALIBRATION_FOLDS:
            # A linear SVM trains in a fraction of a second; cross-validated sigmoid calibration
            # turns its scores into probabilities.
            # Balanced class weights: the corpus has many more status rows than, say, unmute
            # rows; weighting them evenly held up better on hand-written rows kept out of
            # training (4-fold, templated rows always in training: 81.2 % vs 80.4 % at C=0.5;
            # C from 0.25 to 1 made no clear difference).
            calibrated = CalibratedClassifierCV(
                LinearSVC(C=0.5, class_weight="balanced"),
                method="sigmoid",
                cv=CALIBRATION_FOLDS,
                ensemble=False,
            )
            calibrated.fit(x, labels)
            fitted = calibrated.calibrated_classifiers_[0]
            svm = fitted.estimator
            self.classes: tuple[str, ...] = tuple(str(c) for c in calibrated.classes_)
            self._intercept = np.asarray(svm.intercept_, dtype=np.float64)
            self._weights = np.ascontiguousarray(svm.coef_.T, dtype=np.float64)
            self._sigmoid = (
                np.asarray([float(c.a_) for c in fitted.calibrators], dtype=np.float64),
                np.asarray([float(c.b_) for c in fitted.calibrators], dtype=np.float64),
            )
        else:  # a handful of examples per intent (the catalog's): plain logistic regression
            model = LogisticRegression(C=20.0, max_iter=2000)
            model.fit(x, labels)
            self.classes = tuple(str(c) for c in model.classes_)
            self._intercept = np.asarray(model.intercept_, dtype=np.float64)
            self._weights = np.ascontiguousarray(model.coef_.T, dtype=np.float64)

    @staticmethod
    def _char_ngrams(text: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for word in text.split():
            padded = f" {word} "
            n_len = len(padded)
            for n in range(2, 6):
                offset = 0
                gram = padded[:n]
                counts[gram] = counts.get(gram, 0) + 1
                while offset + n < n_len:
                    offset += 1
                    gram = padded[offset : offset + n]
                    counts[gram] = counts.get(gram, 0) + 1
                if offset == 0:  # a short word counts once, as scikit-learn's char_wb does
                    break
        return counts

    @staticmethod
    def _word_ngrams(text: str) -> dict[str, int]:
        tokens = _WORD.findall(text)
        counts: dict[str, int] = {}
        for token in tokens:
            counts[token] = counts.get(token, 0) + 1
        for a, b in pairwise(tokens):
            gram = f"{a} {b}"
            counts[gram] = counts.get(gram, 0) + 1
        return counts

    @staticmethod
    def _features(
        counts: dict[str, int], table: dict[str, tuple[int, float]]
    ) -> tuple[list[int], list[float]]:
        rows: list[int] = []
        values: list[float] = []
        for gram, count in counts.items():
            entry = table.get(gram)
            if entry is not None:
                rows.append(entry[0])
                values.append((1.0 + math.log(count)) * entry[1])
        if values:
            scale = 1.0 / math.sqrt(sum(v * v for v in values))
            values = [v * scale for v in values]
        return rows, values

    def probabilities(self, text: str) -> list[tuple[str, float]]:
        """Every intent with its probability, most likely first (a new list each call)."""
        cached = self._recent.get(text)
        if cached is None:
            cached = tuple(self._probabilities(text))
            if len(self._recent) >= RECENT_TEXTS:
                self._recent.clear()  # bounded; chat repeats itself within minutes, not days
            self._recent[text] = cached
        return list(cached)

    def _probabilities(self, text: str) -> list[tuple[str, float]]:
        lowered = text.lower()
        char_rows, char_values = self._features(self._char_ngrams(lowered), self._char)
        word_rows, word_values = self._features(self._word_ngrams(lowered), self._word)
        rows = char_rows + word_rows
        scores = self._intercept.copy()
        if rows:
            scores += np.asarray(char_values + word_values) @ self._weights[rows]
        if self._sigmoid is not None:
            a, b = self._sigmoid
            probs = 1.0 / (1.0 + np.exp(a * scores + b))
            total = probs.sum()
            probs = probs / total if total > 0 else np.full_like(probs, 1.0 / len(probs))
        else:
            scores -= scores.max()
            exps = np.exp(scores)
            probs = exps / exps.sum()
        order = np.argsort(-probs)
        return [(self.classes[i], float(probs[i])) for i in order]

    def top(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        return self.probabilities(text)[:k]

    def probability(self, text: str, intent: str) -> float:
        return dict(self.probabilities(text)).get(intent, 0.0)


_LOCK = threading.Lock()
_CACHE: dict[str, IntentClassifier] = {}


def default_classifier(examples: Iterable[tuple[str, str]] | None = None) -> IntentClassifier:
    """The process-wide classifier, trained on first use (see the module docstring)."""
    key = "default" if examples is None else f"custom:{id(examples)}"
    with _LOCK:
        model = _CACHE.get(key)
        if model is None:
            model = IntentClassifier(
                list(examples) if examples is not None else _normalised_examples()
            )
            _CACHE[key] = model
        return model


def warm_up() -> None:
    """Start training the process-wide classifier in the background, so the first message does
    not wait for it (a message that arrives earlier waits for the training to finish)."""
    with _LOCK:
        if "default" in _CACHE or _WARMING:
            return
        _WARMING.append(True)
    threading.Thread(target=default_classifier, name="intent-classifier", daemon=True).start()


_WARMING: list[bool] = []


def _normalised_examples() -> list[tuple[str, str]]:
    from intents.normalise import normalise

    return [(normalise(text).normalised, intent) for text, intent in training_examples()]
