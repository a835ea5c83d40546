"""Trained sentence classifiers and their registry.

``load_classifier(name)`` returns a :class:`nlp.classify.SentenceClassifier`: ``"rules"`` (the rule classifier)
or the name of a folder in ``models/`` holding a trained model (``linear.json`` and its plain arrays, read with
numpy alone; else ``model.joblib``, which needs scikit-learn; or ``transformer.json`` for a fine-tuned
transformer, which needs the ``transformer`` extra). The shipped default is named in
``models/DEFAULT``; ``nlp.classify.default_classifier`` uses it, so callers never change.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

MODELS_DIR = Path(os.environ.get("KIEMDIEM_MODELS", Path(__file__).resolve().parents[2] / "models"))
# a folder holding one of these is a model
MODEL_FILES = ("linear.json", "model.joblib", "transformer.json", "ensemble.json")


def available_models() -> list[str]:
    """Names accepted by :func:`load_classifier`."""
    if not MODELS_DIR.exists():
        return ["rules"]
    trained = {p.parent.name for marker in MODEL_FILES for p in MODELS_DIR.glob(f"*/{marker}")}
    return ["rules", *sorted(trained)]


def default_model_name() -> str:
    """``$KIEMDIEM_MODEL`` if set (the API and batch workers then use that model, e.g. ``transformer-v1``), else the
    model named in ``models/DEFAULT`` if it is present, else ``"rules"``."""
    chosen = os.environ.get("KIEMDIEM_MODEL", "").strip()
    if chosen:
        return chosen  # an unknown name fails when it is loaded, with the available names
    marker = MODELS_DIR / "DEFAULT"
    if marker.exists():
        name = marker.read_text(encoding="utf-8").strip()
        if any((MODELS_DIR / name / file).exists() for file in MODEL_FILES):
            return name
    return "rules"


@cache
def load_classifier(name: str):
    """The classifier called ``name`` (loaded once per process)."""
    from nlp.classify import RuleSentenceClassifier

    if name == "rules":
        return RuleSentenceClassifier()
    if (MODELS_DIR / name / "ensemble.json").exists():  # members loaded by name (nlp/model/ensemble.py)
        from nlp.model.ensemble import EnsembleSentenceClassifier

        return EnsembleSentenceClassifier.load(MODELS_DIR / name)
    if (MODELS_DIR / name / "transformer.json").exists():  # fine-tuned transformer: imports torch only here
        try:
            from nlp.model.transformer import TransformerSentenceClassifier

            return TransformerSentenceClassifier.load(MODELS_DIR / name)
        except ImportError as error:
            raise ValueError(
                f"model {name!r} needs the transformer extra (pip install 'kiemdiem[transformer]')"
            ) from error
    from nlp.model.linear import LinearSentenceClassifier

    if (MODELS_DIR / name / "linear.json").exists():  # plain arrays: no scikit-learn, scipy or unpickling
        return LinearSentenceClassifier.from_arrays(MODELS_DIR / name)
    path = MODELS_DIR / name / "model.joblib"
    if not path.exists():
        raise ValueError(f"unknown model {name!r}; available: {', '.join(available_models())}")
    return LinearSentenceClassifier.load(path)  # also loads its subclasses (e.g. the e5 model)
