"""The intent model is trained once per machine and loaded by every process (`intents.trained`):
a process that loads it never imports scikit-learn, scores exactly as the process that trained
it, and a damaged or unwritable cache costs a training, never a wrong answer."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from intents import trained
from intents.classifier import IntentClassifier

ROOT = Path(__file__).resolve().parent.parent
# A small training file keeps each training to the time it takes to import scikit-learn (with
# two examples an intent, a plain logistic regression; with three or more, a calibrated SVM).
# (Training leaves out any message a held-back split also holds, so the probes are not rows
# here: a split that writes "unpause it" would take that row away.)
SMALL_CORPUS = {
    "pause": ["pause the etl", "pause it"],
    "status": ["status of the crm", "hows it going"],
    "resume": ["resume the etl", "unpause the etl now"],
}
CALIBRATED_CORPUS = {
    "pause": ["pause the etl", "hold the crm", "pause it", "freeze the invoices job"],
    "status": ["how is the etl", "status of the crm", "whats up with it", "hows it going"],
    "resume": ["resume the etl", "continue the crm", "unpause the invoices job", "carry on"],
}
PROBE = """
import json, sys
from intents import default_classifier
model = default_classifier()
print(json.dumps({
    "sklearn_loaded": "sklearn" in sys.modules or "scipy" in sys.modules,
    "ranked": model.probabilities("pause it"),
}))
"""


@pytest.fixture(autouse=True)
def small_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "corpus.yaml"
    rows = [{"text": t, "intent": i} for i, texts in SMALL_CORPUS.items() for t in texts]
    path.write_text(json.dumps({"utterances": rows}))  # JSON is YAML
    monkeypatch.setenv("PROGRESSBOT_INTENT_CORPUS", str(path))
    return path


def _probe(cache: Path) -> dict[str, object]:
    env = {**os.environ, "PROGRESSBOT_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_a_process_loads_the_model_another_trained_without_scikit_learn(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _probe(cache)
    files = list(cache.glob("intent-classifier-*.npz"))
    assert len(files) == 1, "the first process keeps the model it trained"
    second = _probe(cache)
    # neither the process that needed the model first (it trained in a child) nor the next
    # (it loaded the file) holds scikit-learn and SciPy for life
    assert first["sklearn_loaded"] is False
    assert second["sklearn_loaded"] is False
    assert second["ranked"] == first["ranked"]
    ranked = second["ranked"]
    assert isinstance(ranked, list) and ranked[0][0] == "pause"


def test_a_damaged_model_file_is_trained_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("PROGRESSBOT_CACHE_DIR", str(tmp_path / "cache"))
    path = trained.model_path()
    path.parent.mkdir()
    path.write_bytes(b"PK\x03\x04 not a model")
    with caplog.at_level(logging.WARNING, logger="intents.trained"):
        weights = trained._trained_weights()
    assert "unreadable intent model" in caplog.text
    model = IntentClassifier(weights=weights)
    assert model.top("pause it", 1)[0][0] == "pause"
    assert trained.load(path) is not None, "the file now holds the model"


def test_where_nothing_can_be_kept_the_process_trains_in_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("PROGRESSBOT_CACHE_DIR", str(blocker))
    with caplog.at_level(logging.WARNING, logger="intents.trained"):
        weights = trained._trained_weights()
    assert "training here" in caplog.text
    assert IntentClassifier(weights=weights).top("unpause it", 1)[0][0] == "resume"
    assert blocker.read_text() == "a file where the cache folder would be"


def test_a_saved_model_loads_back_the_same(tmp_path: Path) -> None:
    examples = [(text, intent) for intent, texts in CALIBRATED_CORPUS.items() for text in texts]
    model = IntentClassifier(examples)
    assert model.weights.sigmoid is not None
    path = tmp_path / "model.npz"
    trained.save(model.weights, path)
    loaded = trained.load(path)
    assert loaded is not None
    again = IntentClassifier(weights=loaded)
    for text in ("pause the crm please", "how's the etl", "a message about lunch"):
        assert again.probabilities(text) == model.probabilities(text)
