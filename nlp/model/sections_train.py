"""Training of the section tagger (:mod:`nlp.model.sections`): fitting, the augmented training sequences
(headings removed at random, parts left out, windows of one to three sections), the transition sequences, and
``kiemdiem train --variant sections`` (model, metrics and the MODEL_CARD written from its template)."""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from nlp.model import MODELS_DIR
from nlp.model.sections import MODEL_FILE, MODEL_NAME, STRUCTURAL_BLOCKS, NgramSpace, SectionTagger
from nlp.model.sections_eval import (
    CASES,
    DEFAULT_CORPUS,
    DEFAULT_SPLITS,
    Sequence_,
    as_sequence,
    evaluate_tagger,
    is_heading,
    read_split,
    record_units,
    section_runs,
)
from nlp.schema import SECTION_IDS

CONTENT_SECTIONS = tuple(s for s in SECTION_IDS if s not in STRUCTURAL_BLOCKS)


# -- fitting --------------------------------------------------------------------------------------------------
def fit_ngram_space(docs: Sequence[list[str]], min_df: int = 2) -> NgramSpace:
    """The vocabulary of the tokens in at least ``min_df`` documents, with their smoothed IDF."""
    df: dict[str, int] = {}
    for doc in docs:
        for token in set(doc):
            df[token] = df.get(token, 0) + 1
    kept = sorted(t for t, n in df.items() if n >= min_df)
    counts = np.array([df[t] for t in kept], dtype=np.float64)
    idf = np.log((1 + len(docs)) / (1 + counts)) + 1.0
    return NgramSpace({t: i for i, t in enumerate(kept)}, idf.astype(np.float32))


def _neighbours(words: sparse.csr_matrix, lengths: list[int]) -> sparse.csr_matrix:
    """Per row, the mean of the previous and the next unit's rows within the same sequence."""
    rows, cols, n = [], [], words.shape[0]
    offset = 0
    for length in lengths:
        for i in range(offset, offset + length):
            if i > offset:
                rows.append(i)
                cols.append(i - 1)
            if i < offset + length - 1:
                rows.append(i)
                cols.append(i + 1)
        offset += length
    shift = sparse.csr_matrix((np.full(len(rows), 0.5), (rows, cols)), shape=(n, n))
    return (shift @ words).tocsr()


def _training_matrix(tagger: SectionTagger, sequences: Sequence[tuple[Sequence[str], Sequence[float]]]):
    """Fit the tagger's vocabularies on the units of the (texts, positions) sequences and return the training
    matrix: [words | dense | chars | context × neighbours' words]."""
    documents = tagger._documents(sequences)
    _, _, word_docs, char_docs, _ = documents
    tagger._words = fit_ngram_space(word_docs, min_df=2)
    tagger._chars = fit_ngram_space(char_docs, min_df=3) if tagger.char_sizes else None
    words, dense, chars, lengths = tagger._blocks(documents)
    blocks = [words, sparse.csr_matrix(dense), *([chars] if chars is not None else [])]
    if tagger.context > 0:
        blocks.append(tagger.context * _neighbours(words, lengths))
    return sparse.hstack(blocks, format="csr")


def fit_section_tagger(
    tagger: SectionTagger, sequences: Sequence[tuple[list[str], list[float], list[str]]], transitions_from=None
) -> SectionTagger:
    """Fit ``tagger`` (its settings as given) on (texts, positions, gold sections) sequences; transitions from
    ``transitions_from`` (section sequences; default: the gold sequences given). Returns the tagger."""
    gold = [s for seq in sequences for s in seq[2]]
    index = {state: i for i, state in enumerate(tagger.states)}
    y = np.array([index[s] for s in gold])
    matrix = _training_matrix(tagger, [(seq[0], seq[1]) for seq in sequences])
    model = LogisticRegression(C=tagger.c, max_iter=3000, random_state=tagger.seed)
    model.fit(matrix, y)
    weights = np.zeros((matrix.shape[1], len(tagger.states)), dtype=np.float32)
    intercepts = np.full(len(tagger.states), -30.0)
    weights[:, model.classes_] = model.coef_.T
    intercepts[model.classes_] = model.intercept_
    tagger._weights, tagger._intercepts = weights, intercepts
    counts = np.bincount(y, minlength=len(tagger.states)).astype(float) + 1.0
    tagger._log_prior = np.log(counts / counts.sum())
    set_transitions(tagger, transitions_from or [seq[2] for seq in sequences])
    return tagger


def set_transitions(tagger: SectionTagger, section_sequences: Sequence[Sequence[str]]) -> None:
    """Estimate the tagger's start and transition log-probabilities from gold section sequences."""
    n = len(tagger.states)
    index = {state: i for i, state in enumerate(tagger.states)}
    start = np.zeros(n)
    trans = np.zeros((n, n))
    for sequence in section_sequences:
        ids = [index[s] for s in sequence]
        if not ids:
            continue
        start[ids[0]] += 1
        for a, b in pairwise(ids):
            trans[a, b] += 1
    trans += tagger.smoothing
    trans /= trans.sum(axis=1, keepdims=True)
    if tagger.forward_mix > 0:  # leaving a section: part of the mass spread evenly over the later body parts
        stay = np.diag(trans).copy()
        leave = trans - np.diag(stay)
        leave /= np.maximum(leave.sum(axis=1, keepdims=True), 1e-12)
        forward = np.triu(np.ones((n, n)), k=1)
        forward[:, [index[s] for s in STRUCTURAL_BLOCKS if s in index]] = 0.0
        forward /= np.maximum(forward.sum(axis=1, keepdims=True), 1.0)
        mixed = (1 - tagger.forward_mix) * leave + tagger.forward_mix * forward
        mixed /= np.maximum(mixed.sum(axis=1, keepdims=True), 1e-12)
        trans = np.diag(stay) + (1 - stay)[:, None] * mixed
    start = start / max(start.sum(), 1.0)
    start = (1 - tagger.start_uniform) * start + tagger.start_uniform / n
    tagger._log_start = np.log(start)
    tagger._log_transitions = np.log(trans)


# -- training data --------------------------------------------------------------------------------------------
def training_sequences(records: Sequence[dict], seed: int = 13, fragments: int = 4) -> list[Sequence_]:
    """Augmented sequences: each report with every heading removed, with headings removed at random, without
    headings and with some sections left out (probability 0.3 each), and ``fragments`` contiguous windows of one to three sections (heading kept with probability 0.3)."""
    rng = random.Random(seed)
    sequences = []
    for record in records:
        units = record_units(record)
        sequences.append(as_sequence([u for u in units if not is_heading(u)]))
        drop = rng.uniform(0.3, 1.0)
        sequences.append(as_sequence([u for u in units if not (is_heading(u) and rng.random() < drop)]))
        body = sorted({u[1] for u in units} - set(STRUCTURAL_BLOCKS))
        skipped = {section for section in body if rng.random() < 0.3}  # reports leave parts out
        sequences.append(as_sequence([u for u in units if not is_heading(u) and u[1] not in skipped]))
        runs = section_runs(units)
        for _ in range(fragments if runs else 0):
            width = rng.randint(1, min(3, len(runs)))
            first = rng.randrange(len(runs) - width + 1)
            keep_headings = rng.random() < 0.3
            window = [u for run in runs[first : first + width] for u in run if keep_headings or not is_heading(u)]
            if window:
                sequences.append(as_sequence(window))
    return sequences


def transition_sequences(records: Sequence[dict], seed: int = 13, copies: int = 3, drop: float = 0.3) -> list:
    """Gold section sequences (headings removed), plus ``copies`` of each with every body section dropped with
    probability ``drop``: reports leave parts out, so the form's order must allow skips."""
    rng = random.Random(seed)
    gold = [[u[1] for u in record_units(r) if not is_heading(u)] for r in records]
    sequences = list(gold)
    for sequence in gold:
        body = sorted(set(sequence) - set(STRUCTURAL_BLOCKS))
        for _ in range(copies):
            dropped = {s for s in body if rng.random() < drop}
            sequences.append([s for s in sequence if s not in dropped])
    return sequences


def fit_tagger(records: Sequence[dict], seed: int = 13, fragments: int = 4, **settings) -> SectionTagger:
    """Fit a tagger on the augmented sequences of ``records``; transitions from their headingless sequences."""
    sequences = training_sequences(records, seed=seed, fragments=fragments)
    transitions = transition_sequences(records, seed=seed)
    return fit_section_tagger(SectionTagger(seed=seed, **settings), sequences, transitions_from=transitions)


def _fold_texts(records: Sequence[dict]) -> list[dict]:
    """The records typed in lower case without diacritics (same offsets: folding keeps the length)."""
    from nlp.normalize import fold

    return [{**r, "text": fold(r["text"])} for r in records]


def _speed_ms(tagger: SectionTagger, records: Sequence[dict]) -> dict:
    """Warm time of one ``predict`` over 100 content units: best and median of 7 rounds of 10 calls (the build
    machine is shared, so the load average is recorded with it)."""
    units = [u for r in records for u in record_units(r) if not u[2]][:100]
    texts, positions, _ = as_sequence(units)
    fixed = [None] * len(texts)
    tagger.predict(texts, positions, fixed)
    rounds = []
    for _ in range(7):
        started = time.perf_counter()
        for _ in range(10):
            tagger.predict(texts, positions, fixed)
        rounds.append((time.perf_counter() - started) / 10 * 1000)
    return {
        "best_ms": round(min(rounds), 2),
        "median_ms": round(float(np.median(rounds)), 2),
        "load_average": round(os.getloadavg()[0], 2),
    }


def train_sections(
    out_dir: Path | None = None,
    corpus: Path = DEFAULT_CORPUS,
    splits: Path = DEFAULT_SPLITS,
    seed: int = 13,
) -> dict:
    """Fit on train (settings chosen on dev beforehand: the class defaults), evaluate on dev and, once, on the
    frozen test split; write ``sections.joblib``, ``metrics.json`` and ``MODEL_CARD.md``; return the metrics."""
    out_dir = out_dir or MODELS_DIR / MODEL_NAME
    train, dev, test = (read_split(s, corpus, splits) for s in ("train", "dev", "test"))
    started = time.perf_counter()
    tagger = fit_tagger(train, seed=seed)
    fit_seconds = round(time.perf_counter() - started, 1)
    path = out_dir / MODEL_FILE
    tagger.save(path)
    tagger = SectionTagger.load(path)
    dev_scores = {case: evaluate_tagger(tagger, dev, case) for case in CASES}
    dev_scores["no_headings_folded"] = evaluate_tagger(tagger, _fold_texts(dev), "no_headings")
    metrics = {
        "name": MODEL_NAME,
        "seed": seed,
        "settings": {
            k: getattr(tagger, k)
            for k in ("c", "prior_power", "smoothing", "start_uniform", "transition_weight", "context", "forward_mix")
        },
        "train_reports": len(train),
        "train_rows": sum(len(s[0]) for s in training_sequences(train, seed=seed)),
        "features": int(tagger._weights.shape[0]),
        "fit_seconds": fit_seconds,
        "size_bytes": path.stat().st_size,
        "predict_100_units": _speed_ms(tagger, dev),
        "dev": dev_scores,
        "test": {case: evaluate_tagger(tagger, test, case) for case in CASES},
    }
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (out_dir / "MODEL_CARD.md").write_text(model_card(metrics), encoding="utf-8")
    return metrics


def summary_line(scores: dict) -> str:
    """``accuracy / macro-F1 / macro-F1 with the achievements family merged``."""
    return f"{scores['accuracy']:.3f} / {scores['macro_f1']:.3f} / {scores['merged']['macro_f1']:.3f}"


CASE_NAMES = {
    "no_headings": "whole reports, every heading removed (header and signature fixed, as the layout stage gives them)",
    "body_only": "whole report bodies pasted without headings, header or signature (nothing fixed)",
    "fragment1": "every single section alone, headings removed (nothing fixed)",
    "fragment2": "every two adjacent sections, headings removed (nothing fixed)",
    "no_headings_folded": "as no_headings, typed in lower case without diacritics",
}


def model_card(metrics: dict) -> str:
    """The model card, written from the training metrics."""
    dev, test, settings = metrics["dev"], metrics["test"], metrics["settings"]

    def table(scores: dict) -> str:
        lines = [
            "| case | units | accuracy | macro-F1 | macro-F1 without `achievements` | macro-F1, family merged |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for case, s in scores.items():
            lines.append(
                f"| {case}: {CASE_NAMES[case]} | {s['units']} | {s['accuracy']:.3f} | {s['macro_f1']:.3f} "
                f"| {s['macro_f1_without_achievements']:.3f} | {s['merged']['macro_f1']:.3f} |"
            )
        return "\n".join(lines)

    def per_section(scores: dict) -> str:
        labels = [s for s in CONTENT_SECTIONS if s in scores["no_headings"]["f1"]]
        lines = ["| section | " + " | ".join(CASES) + " |", "|---|" + "---:|" * len(CASES)]
        for label in labels:
            lines.append(f"| {label} | " + " | ".join(f"{scores[c]['f1'].get(label, 0):.3f}" for c in CASES) + " |")
        lines.append(
            "| *family merged* | "
            + " | ".join(f"{scores[c]['merged']['f1'].get('achievements', 0):.3f}" for c in CASES)
            + " |"
        )
        return "\n".join(lines)

    return MODEL_CARD.format(
        train_reports=metrics["train_reports"],
        train_rows=metrics["train_rows"],
        features=metrics["features"],
        fit_seconds=metrics["fit_seconds"],
        size_mb=metrics["size_bytes"] / 1e6,
        speed=metrics["predict_100_units"]["best_ms"],
        speed_median=metrics["predict_100_units"]["median_ms"],
        load=metrics["predict_100_units"]["load_average"],
        seed=metrics["seed"],
        settings_c=settings["c"],
        settings=", ".join(f"{k}={v}" for k, v in settings.items()),
        dev_table=table(dev),
        dev_sections=per_section(dev),
        test_table=table(test),
    )


MODEL_CARD = """# sections-v1 — sections from content

Gives every sentence unit of a report its section id (`nlp.schema.SECTION_IDS`) from what it says and where it
stands, for units whose section no heading decided: reports whose headings were lost, pasted paragraphs, single
sections. Code: `nlp/model/sections.py` (inference), `nlp/model/sections_train.py` (training), `nlp/model/sections_eval.py` (evaluation); written by `kiemdiem train --variant sections` (this card included).

## Use

```python
from nlp.model.sections import default_section_tagger

tagger = default_section_tagger()  # cached; models/sections-v1/sections.joblib
sections = tagger.predict(texts, positions, fixed)  # one id per unit
posteriors = tagger.predict_proba(texts, positions, fixed)  # one {{section: p}} per unit
sections = tagger.predict_spans(text, [(start, end), ...], fixed)  # units as offsets into text
```

`texts`: the units in reading order; `positions`: each unit's start offset / text length (0..1); `fixed[i]`: a
section already decided (heading, `header`, `signature`) or `None`. Fixed units keep their id and are clamped in
decoding; the others are inferred and are never `header`/`signature` (pass `allow_structural=True` to allow it).

## Data

The project's corpus (`corpus/data/reports.jsonl`, fictional reports, every unit labelled): {train_reports}
**train** reports for fitting; **dev** for every choice; the frozen **test** split evaluated once, below. No real
sample text was used.

Training sequences ({train_rows} unit rows): each train report (1) with every heading removed, (2) with headings
removed at random (each kept heading stays as a unit to tag), (3) with every heading removed and each body section
left out with probability 0.3 (reports skip parts), and (4) 4 contiguous windows of one to three sections (heading
kept with probability 0.3); positions are recomputed on the shortened text each time. Lower-case and
no-diacritics variants are not needed: every feature is computed on the folded key (below).

## Model

A hybrid HMM. Emissions: multinomial logistic regression (C={settings_c}) on {features} features of the accent-folded,
lower-cased unit (digits as `0`): word uni- and bigrams (sublinear TF-IDF, l2), the same n-grams of the previous
and next unit (context), relative position (10 bins and the value), length bins, a final colon, digits, `%` or
`/`, and cue-lexicon hits from `nlp/data/lexicons.yaml` (first person, shortcoming, hedge, causes, intent,
deadline, responsibility, head role, collective subject…); scaled likelihood `p(s|x) / p(s)^prior_power`.
Transitions: gold section sequences of the train reports with headings removed, plus 3 copies of each with every
body section dropped with probability 0.3 (so that skipping parts is possible), add-k smoothed; the start
distribution is mixed half and half with a uniform one (fragments start anywhere). Viterbi decoding with the
fixed units clamped; `predict_proba` is forward–backward over the same model.

Settings ({settings}; seed {seed}) were chosen on dev (mean of the four cases below), except prior_power (see
Limits): C in {{4, 8}}, context
weight in {{0, 0.5, 1}}, prior_power in {{0, 0.4, 0.5, 0.75, 1}}, transition weight in {{0.5, 0.75, 1, 1.5, 2}},
forward_mix (spreading the leaving mass over later parts) in {{0, 0.5}}, start mixing and smoothing (insensitive),
character 2–5-grams (no better on dev, 3× slower: left out), a year-relative feature (worse on dev: left out).

Every feature is computed on the folded key, so text typed in lower case or without diacritics gets exactly the
same prediction (dev row `no_headings_folded`).

Fit: {fit_seconds} s on the shared 2-core build machine. Size: {size_mb:.1f} MB. Prediction of 100 units, warm,
feature extraction included: {speed} ms best / {speed_median} ms median of 7 rounds, on that machine with a load
average of {load} (other jobs running); an idle core is faster.

## Dev figures (content units only: headings and structural blocks are not scored)

{dev_table}

Per-section F1 on dev:

{dev_sections}

The achievements family (`achievements`, `ideology_ethics`, `duties`, `commitments`) is where most confusions
are; merged, it scores as shown in the last row. `achievements` itself (content directly under part I) has few
units and they are not separable from `duties` without headings: in the corpus, collective reports of the first
batch label the Party-building paragraphs of part I `achievements` while the others label the same kind of text
`duties`. Macro-F1 counts that label as one of eleven.

## Test (frozen split, evaluated once after every choice was made)

{test_table}

## Limits

- **Remedies written right after the causes or part III can be read as `previous_remediation`** (the corpus
  always puts III between causes and remedies, and the two read alike: "từ tháng 1, tôi lập kế hoạch…" is a
  remedy or last year's fix depending on the year). On 8 hand-written headingless reports (4 remedy openings ×
  with / without a part III sentence, 3 remedies each) 14 of 24 remedies come out right with the shipped
  `prior_power=0.25`; 8/24 with 0.75, which dev alone preferred (by 0.004–0.013 accuracy), and 17/24 with 0 (no
  division by the prior; −0.015 on dev fragments). 0.25 was chosen as the compromise, knowingly departing from
  dev's optimum for text that does not look like the corpus. The opening remedy sentence is the one most often
  missed; a remedies fragment alone comes out right.
- `achievements` (content directly under part I) is not separable from `duties` without headings (see above).
- Trained on the corpus's own unit granularity (mostly one sentence or bullet per unit); units much longer (whole
  paragraphs) or shorter (half sentences from hard-wrapped lines) than that are out of its training distribution.
- Positions are relative to the text given; a fragment's positions say little and the model relies on content.
- `suggested_issues`, `collective_responsibility` and `causes` are the weakest single sections in fragments:
  a lone paragraph about a collective fault or a cause reads like a shortcoming.
- The corpus is fictional and small ({train_reports} train reports, written to the forms' order); figures on real
  reports will be lower. The real sample texts in `../shared/real-samples/` were not used for training or choices;
  tried on them (split naively into sentences, nothing fixed), whole reports come out in the form's order
  (achievements, shortcomings, remedies, self-rating where the text has them) and the part VI fragment as remedies,
  but the three part V fragments (collective responsibility alone) come out as shortcomings and remedies, and the
  part I.3 fragment (commitments) as ideology / duties / remedies.
"""


def train_report(
    name: str | None = None,
    out_dir: Path | None = None,
    corpus: Path | None = None,
    splits: Path | None = None,
    seed: int = 13,
) -> str:
    """Train (``kiemdiem train --variant sections``) and say what came out, one line per evaluation case."""
    out_dir = out_dir or MODELS_DIR / (name or MODEL_NAME)
    metrics = train_sections(out_dir, corpus or DEFAULT_CORPUS, splits or DEFAULT_SPLITS, seed=seed)
    lines = [
        f"{out_dir}: fit {metrics['fit_seconds']} s, {metrics['size_bytes'] / 1e6:.1f} MB, "
        f"{metrics['predict_100_units']['best_ms']} ms / 100 units",
        "content units: accuracy / macro-F1 / macro-F1 with the achievements family merged",
    ]
    for split in ("dev", "test"):
        lines += [f"  {split} {case:<19} {summary_line(scores)}" for case, scores in metrics[split].items()]
    return "\n".join(lines)
