"""The process-wide intent classifier, trained once per machine and loaded by every process.

Training (`intents.classifier.fit`) takes a second or two of CPU, and scikit-learn and SciPy,
loaded for it, hold some 130 MB that a process keeps for life; scoring needs neither, only a
few MB of arrays. So the first process that needs the model trains it in a child process, which
writes the weights to a cache file (numpy's `.npz`), and every process, the first included,
loads that file. The file's name carries a digest of all that training depends on: the training
data (and the held-back splits, whose messages it leaves out), the code of `intents/` (it
normalises the examples) and the versions of scikit-learn and numpy; a change to any of them
trains anew.

The folder: `PROGRESSBOT_CACHE_DIR`, else `$XDG_CACHE_HOME/progressbot`, else
`~/.cache/progressbot`. If it cannot be written, or the child fails, the process trains in
itself as it did before (and says so at WARNING): slower and heavier, never wrong.
"""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

import numpy as np

from intents.classifier import (
    IntentClassifier,
    Weights,
    corpus_paths,
    fit,
    held_back_paths,
    training_examples,
)
from intents.normalise import normalise

__all__ = ["cache_dir", "default_classifier", "model_path", "warm_up"]

logger = logging.getLogger(__name__)

PACKAGE = Path(__file__).resolve().parent
TRAINING_TIMEOUT_SECONDS = 300
# Cache files of other code or data are left alone this long (another checkout may still use
# them), then removed when a new file is written.
STALE_SECONDS = 7 * 24 * 3600
_PREFIX = "intent-classifier-"


def cache_dir() -> Path:
    """Where trained weights are kept (see the module docstring)."""
    chosen = os.environ.get("PROGRESSBOT_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "progressbot"


def model_path() -> Path:
    """The cache file of the model for this machine's training data, code and libraries."""
    digest = hashlib.sha256()
    for corpus in (*corpus_paths(), *held_back_paths()):  # held-back rows are left out
        digest.update(corpus.read_bytes() if corpus.is_file() else b"-")
    for source in sorted(PACKAGE.glob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    for library in ("scikit-learn", "numpy"):
        try:
            digest.update(metadata.version(library).encode())
        except metadata.PackageNotFoundError:
            digest.update(b"-")
    return cache_dir() / f"{_PREFIX}{digest.hexdigest()[:20]}.npz"


def save(weights: Weights, path: Path) -> None:
    """Write `weights` to `path` whole or not at all (a temporary file, then a rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".training-", suffix=".npz")
    try:
        with os.fdopen(handle, "wb") as out:
            np.savez(
                out,
                classes=np.array("\n".join(weights.classes)),
                char_grams=np.array("\n".join(weights.char_grams)),
                word_grams=np.array("\n".join(weights.word_grams)),
                idf=weights.idf,
                weights=weights.weights,
                intercept=weights.intercept,
                sigmoid=(
                    np.stack(weights.sigmoid) if weights.sigmoid is not None else np.zeros((0, 0))
                ),
            )
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _remove_stale(path)


def load(path: Path) -> Weights | None:
    """The weights in `path`, or None when it is missing or unreadable (then train anew)."""
    try:
        with np.load(path, allow_pickle=False) as data:
            sigmoid = data["sigmoid"]
            weights = Weights(
                classes=tuple(str(data["classes"]).split("\n")),
                char_grams=_grams(data["char_grams"]),
                word_grams=_grams(data["word_grams"]),
                idf=np.asarray(data["idf"], dtype=np.float64),
                weights=np.ascontiguousarray(data["weights"], dtype=np.float64),
                intercept=np.asarray(data["intercept"], dtype=np.float64),
                sigmoid=(sigmoid[0], sigmoid[1]) if sigmoid.size else None,
            )
    except (OSError, ValueError, KeyError, IndexError, zipfile.BadZipFile) as error:
        if not isinstance(error, FileNotFoundError):
            logger.warning("unreadable intent model %s (%s): training anew", path, error)
        return None
    rows = len(weights.char_grams) + len(weights.word_grams)
    if weights.weights.shape != (rows, len(weights.classes)) or weights.idf.shape != (rows,):
        logger.warning("intent model %s does not fit together: training anew", path)
        return None
    return weights


def _grams(joined: object) -> tuple[str, ...]:
    text = str(joined)
    return tuple(text.split("\n")) if text else ()


def _remove_stale(kept: Path) -> None:
    cutoff = time.time() - STALE_SECONDS
    for other in kept.parent.glob(f"{_PREFIX}*.npz"):
        try:
            if other != kept and other.stat().st_mtime < cutoff:
                other.unlink()
        except OSError:
            pass  # another process removed it first


def _normalised_examples() -> list[tuple[str, str]]:
    return [(normalise(text).normalised, intent) for text, intent in training_examples()]


def _train_in_child(path: Path) -> None:
    """Train in a child process that writes `path` (scikit-learn never loads in this one)."""
    env = dict(os.environ)
    root = str(PACKAGE.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    subprocess.run(
        [sys.executable, "-m", "intents.trained", str(path)],
        env=env,
        check=True,
        capture_output=True,
        timeout=TRAINING_TIMEOUT_SECONDS,
    )


def _trained_weights() -> Weights:
    path = model_path()
    weights = load(path)
    if weights is not None:
        return weights
    try:
        path.parent.mkdir(parents=True, exist_ok=True)  # fails fast where nothing can be kept
        _train_in_child(path)
    except (OSError, subprocess.SubprocessError) as error:
        stderr = getattr(error, "stderr", b"") or b""
        logger.warning(
            "training the intent model in a child process failed (%s%s): training here",
            error,
            f": {stderr.decode(errors='replace').strip()[-300:]}" if stderr else "",
        )
    else:
        weights = load(path)
        if weights is not None:
            return weights
    weights = fit(_normalised_examples())
    try:
        save(weights, path)
    except OSError as error:
        logger.warning("could not keep the intent model in %s: %s", path.parent, error)
    return weights


_LOCK = threading.Lock()
_CACHE: dict[str, IntentClassifier] = {}
_WARMING: list[bool] = []


def default_classifier(examples: Iterable[tuple[str, str]] | None = None) -> IntentClassifier:
    """The process-wide classifier (see the module docstring); with `examples`, one trained on
    them in this process, kept per `examples` object."""
    key = "default" if examples is None else f"custom:{id(examples)}"
    with _LOCK:
        model = _CACHE.get(key)
        if model is None:
            if examples is None:
                model = IntentClassifier(weights=_trained_weights())
            else:
                model = IntentClassifier(list(examples))
            _CACHE[key] = model
        return model


def warm_up() -> None:
    """Start loading (or training) the process-wide classifier in the background, so the first
    message does not wait for it (a message that arrives earlier waits for it to be ready)."""
    with _LOCK:
        if "default" in _CACHE or _WARMING:
            return
        _WARMING.append(True)
    threading.Thread(target=default_classifier, name="intent-classifier", daemon=True).start()


def main(argv: list[str]) -> int:
    """`python -m intents.trained PATH`: train on this machine's data and write PATH."""
    if len(argv) != 1:
        print("usage: python -m intents.trained PATH", file=sys.stderr)
        return 2
    save(fit(_normalised_examples()), Path(argv[0]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
