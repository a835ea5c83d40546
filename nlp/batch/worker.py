"""The unit of work: one file's bytes in, one summary row (or error row) out.

:func:`analyse` is pure and picklable, so the same function runs in-process, in a process pool and on Dask
workers. It writes the report's JSON and HTML page into the output folder when it shares the disk with the
driver (``Task.out_dir``), or returns them in :attr:`Outcome.files` otherwise. It never raises for a bad
file, and it never puts report text into an error (only codes, sizes and exception type names).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import threading
import time
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from nlp.errors import InputError
from nlp.normalize import fold

if TYPE_CHECKING:
    from nlp.config import Configuration

REPORTS_DIR = "bao-cao"
_WORD = re.compile(r"\w+")
_SEVERITY = {"high": 0, "medium": 1, "low": 2, "info": 3}
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Task:
    """What a worker needs to analyse one file."""

    sha256: str
    data: bytes
    name: str  # file name: only a hint for the format, the content decides
    lang: str = "vi"
    model: str | None = None
    out_dir: str | None = None
    timeout_s: float | None = None  # enforced by the engine, which kills the worker process (None: no limit)
    shingle_words: int = 5
    main_findings: int = 3
    stock_phrase_rules: tuple[str, ...] = ()
    config: Configuration | None = None  # the organisation's configuration (None: the shipped behaviour)
    embed: bool = False  # embed the sentences the cross-report checks compare (nlp.batch.cross_reports)
    cross: bool = False  # prepare what the cross-report checks read (nlp.batch.cross_inputs)
    defer_page: bool = True  # a post holder's page left to the checks (not last year's: cross_inputs.earlier_years)
    earlier: bool = False  # last year's report in this year's batch: only what the checks read of it is prepared


@dataclass
class Outcome:
    """The result of one task: a summary row, or an error row when ``ok`` is false."""

    sha256: str
    ok: bool
    row: dict
    shingles: bytes = b""  # sorted unique uint32 hashes of the informative word shingles
    seconds: float = 0.0
    shingle_seconds: float = 0.0
    files: dict[str, bytes] = field(default_factory=dict)  # relative path → content, when not written here
    embeddings: dict[str, bytes] = field(default_factory=dict)  # sentence hash → float32 e5 vector (Task.embed)
    embed_seconds: float = 0.0
    prepared: bytes = b""  # what the cross-report checks read from the report (Task.cross; the driver stores it)
    cross_seconds: float = 0.0  # CPU time spent preparing it
    page: bool = True  # the report's page was rendered (False: left to the cross-report checks, which render it)
    page_seconds: float = 0.0  # CPU time spent rendering and writing the page (none when left to the checks)


def report_files(sha256: str) -> tuple[str, str]:
    """Relative paths of a report's JSON and HTML page in the output folder."""
    stem = f"{REPORTS_DIR}/{sha256[:16]}"
    return f"{stem}.json", f"{stem}.html"


def error_row(code: str, detail: str = "", message_vi: str = "", message_en: str = "") -> dict:
    """An error row's fields (messages may be filled in later from ``batch_strings.yaml``)."""
    return {"code": code, "detail": detail, "message_vi": message_vi, "message_en": message_en}


def timeout_row(seconds: float | None) -> dict:
    """The error row of a file cut at the per-file time limit (``detail``: the limit in seconds)."""
    return error_row("timeout", f"{seconds or 0:g}")


def input_error_row(error: InputError) -> dict:
    """The error row of a documented refusal."""
    return error_row(error.code, error.detail, error.message_vi, error.message_en)


@cache
def _classifier(model: str | None):
    if model is None:
        return None
    from nlp.model import load_classifier

    return load_classifier(model)


def warm_up(model: str | None = None, encoder: bool = False) -> None:
    """Load the models once per worker process, before the first real file: the classifier and (``encoder``) the e5
    encoder that embeds sentences for the cross-report checks. By default the encoder is left to its first use: only
    a batch with ``--cross-matcher e5`` embeds in the workers, and most never do. The forkserver loads the
    classifier only: the encoder's thread pool must not be forked."""
    from nlp.pipeline import analyze

    with contextlib.suppress(Exception):
        analyze(
            "Năm 2024 tôi hoàn thành 12 hồ sơ. Còn chậm 2 báo cáo do tôi chưa lập lịch.", classifier=_classifier(model)
        )
    if encoder:
        with contextlib.suppress(Exception):  # the cross-report checks' encoder (Task.embed), outside any time limit
            _embedder()(["Năm 2024 tôi hoàn thành 12 hồ sơ."])


def analyse(task: Task) -> Outcome:
    """Analyse one file; every failure becomes an error row (the time limit is the engine's: it kills)."""
    started = time.perf_counter()
    try:
        outcome = _analyse(task)
    except InputError as error:
        outcome = Outcome(task.sha256, False, input_error_row(error))
    except MemoryError:
        outcome = Outcome(task.sha256, False, error_row("internal", "MemoryError"))
    except Exception as error:  # a bug or a parser failure: the type only, never the message (it may quote text)
        outcome = Outcome(task.sha256, False, error_row("internal", type(error).__name__))
    outcome.seconds = time.perf_counter() - started
    return outcome


def _analyse(task: Task) -> Outcome:
    from nlp.pipeline import analyze_bytes_document
    from nlp.render import render_html

    result, doc = analyze_bytes_document(
        task.data, filename=task.name, lang=task.lang, classifier=_classifier(task.model), config=task.config
    )
    json_path, html_path = report_files(task.sha256)
    row = summarise(result, task.main_findings, task.stock_phrase_rules)
    row.update(json=json_path, html=html_path)
    started = time.perf_counter()
    shingles = shingle_hashes(result, task.shingle_words)
    shingle_seconds = time.perf_counter() - started
    files = {json_path: result.model_dump_json().encode("utf-8")}
    page = True
    started = time.process_time()  # CPU time: what the work costs the machine, not the waits of a busy one
    kept = b""
    if task.cross:
        from nlp.batch.cross_inputs import page_after_checks, prepared

        shipped = task.config is None or task.config.lexicons() is None  # the units' hits: the passages' lexicons
        kept, identity = prepared(result, doc.units if shipped else None, task.earlier)  # kept by the driver
        page = not (task.defer_page and page_after_checks(identity))  # else the checks render it once
    cross_seconds = time.process_time() - started if task.cross else 0.0
    if task.out_dir is not None:
        write_atomic(os.path.join(task.out_dir, json_path), files.pop(json_path))
    started = time.process_time()
    if page:
        files[html_path] = render_html(result, lang=task.lang).encode("utf-8")
    if task.out_dir is not None:
        for relative, content in files.items():
            write_atomic(os.path.join(task.out_dir, relative), content)
        files = {}
    page_seconds = time.process_time() - started if page else 0.0
    started = time.perf_counter()
    embeddings = embed_sentences(result) if task.embed else {}
    embed_seconds = time.perf_counter() - started if task.embed else 0.0
    return Outcome(
        task.sha256,
        True,
        row,
        shingles.tobytes(),
        0.0,
        shingle_seconds,
        files,
        embeddings,
        embed_seconds,
        kept,
        cross_seconds,
        page,
        page_seconds,
    )


def text_key(text: str) -> str:
    """The key of a sentence's embedding in the batch store (a hash: the store keeps no sentence for it)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@cache
def _embedder():
    from nlp.cross.match import e5_embedder

    return e5_embedder()


def embed_sentences(result) -> dict[str, bytes]:
    """The e5 vectors of the sentences the cross-report checks may compare (``nlp.cross.texts_to_embed``), by
    :func:`text_key`: computed here, beside the analysis, so that the driver does not encode them."""
    from nlp.cross import texts_to_embed

    texts = texts_to_embed(result)
    if not texts:
        return {}
    vectors = _embedder()(texts)
    return {text_key(text): np.asarray(v, dtype=np.float32).tobytes() for text, v in zip(texts, vectors, strict=True)}


def write_atomic(path: str, content: bytes) -> None:
    """Write ``content`` to ``path`` through a temporary file, so a killed run never leaves half a file (its folder
    made when missing: a batch writes thousands of files into a few folders, so it is not looked for first)."""
    temporary = f"{path}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        handle = open(temporary, "wb")  # noqa: SIM115 - closed below, after the folder may have been made
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        handle = open(temporary, "wb")  # noqa: SIM115
    with handle:
        handle.write(content)
    os.replace(temporary, path)


# ---------------------------------------------------------------------------------------------- summary


def summarise(result, main_findings: int = 3, stock_phrase_rules: tuple[str, ...] = ()) -> dict:
    """The summary row of one result: what the tables, statistics and ranking need, nothing more.

    Findings a reviewer dismissed (``review``, set by :mod:`nlp.batch.reviews`) are left out of the findings, the
    stock phrases and the generic / evasive sentence counts, and counted in ``dismissed``; scores and band stay the
    analysis's own.
    """
    from nlp.feedback.apply import active_findings
    from nlp.feedback.model import report_hash

    header = result.header
    findings = active_findings(result)
    cleared = _cleared_labels(result)
    content = [s for s in result.sentences if not s.structural]
    scores = result.scores
    return {
        "format": result.source.format,
        "encoding": result.source.encoding,
        "legacy_font": result.source.legacy_font,
        "diacritics": result.source.diacritics,
        "form": result.form,
        "guidance": result.guidance,
        "role": result.role,
        "name": header.name,
        "position": header.position,
        "header_unit": header.unit,
        "branch": header.branch,
        "year": header.year,
        "self_rating": result.self_rating,
        "self_score": result.self_score,
        "band": result.band or "fragment",
        "scope": result.scope,
        "overall": scores.overall,
        "specificity": scores.specificity,
        "candor": scores.candor,
        "accountability": scores.accountability,
        "completeness": scores.completeness,
        "accountability_status": result.accountability.status,
        "sentences": len(content),
        "generic": _flagged(result, "generic", cleared),
        "evasive": _flagged(result, "evasive", cleared),
        "missing_sections": list(result.missing_sections),
        "findings": _main_findings(findings, main_findings),
        "findings_by_category": _by_category(findings),
        "stock_phrases": _stock_phrases(result.text, findings, set(stock_phrase_rules)),
        "dismissed": len(result.findings) - len(findings),
        "config_hash": result.config.hash or _default_hash(),
        "report_hash": report_hash(result.text),
    }


def _flagged(result, label: str, cleared: set[tuple[int, str]]) -> int:
    """Content sentences labelled ``label``, less those whose every finding of that category was dismissed."""
    return sum(
        label in s.labels and (i, label) not in cleared for i, s in enumerate(result.sentences) if not s.structural
    )


def _cleared_labels(result) -> set[tuple[int, str]]:
    """(sentence index, label) pairs whose every finding of that label's category a reviewer dismissed."""
    kept: set[tuple[int, str]] = set()
    dismissed: set[tuple[int, str]] = set()
    for finding in result.findings:
        if finding.sentence is None or finding.category not in {"generic", "evasive"}:
            continue
        key = (finding.sentence, finding.category)
        (dismissed if finding.review == "dismissed" else kept).add(key)
    return dismissed - kept


@cache
def _default_hash() -> str:
    """The hash of the shipped configuration (a result made with it records no hash)."""
    from nlp.config import Configuration

    return Configuration().config_hash


def _main_findings(findings, limit: int) -> list[dict]:
    """The most serious distinct rules, with the message of their first finding and their count."""
    first: dict[str, object] = {}
    counts: dict[str, int] = {}
    for finding in findings:
        if finding.category == "specificity" or finding.severity == "info":
            continue
        counts[finding.rule] = counts.get(finding.rule, 0) + 1
        first.setdefault(finding.rule, finding)
    ranked = sorted(first.values(), key=lambda f: (_SEVERITY[f.severity], -counts[f.rule], f.rule))
    return [
        {"rule": f.rule, "category": f.category, "severity": f.severity, "message": f.message, "count": counts[f.rule]}
        for f in ranked[:limit]
    ]


def _by_category(findings) -> dict[str, int]:
    counts: dict[str, int] = {}
    for finding in findings:
        if finding.severity != "info":
            counts[finding.category] = counts.get(finding.category, 0) + 1
    return counts


def _stock_phrases(text: str, findings, wanted: set[str]) -> list[str]:
    """The distinct stock phrases the report uses (lexicon phrases, not free text)."""
    phrases: set[str] = set()
    for finding in findings:
        if finding.rule in wanted and 0 < finding.end - finding.start <= 80:
            phrases.add(_SPACES.sub(" ", text[finding.start : finding.end]).strip().lower())
    return sorted(p for p in phrases if p)


def shingle_hashes(result, size: int) -> np.ndarray:
    """Sorted unique 32-bit hashes of the word ``size``-grams of the non-structural sentences.

    Words are accent-folded and lower-cased, so a copy retyped without diacritics still matches; shingles
    never cross a sentence boundary, so moving sentences around does not hide a copy. Sentences shorter
    than ``size`` words count as one shingle when they have at least 3 words.
    """
    grams: set[str] = set()
    text = result.text
    for sentence in result.sentences:
        if sentence.structural:
            continue
        words = _WORD.findall(fold(text[sentence.start : sentence.end]))
        if len(words) >= size:
            grams.update(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))
        elif len(words) >= 3:
            grams.add(" ".join(words))
    return hash_grams(grams)


def hash_grams(grams: set[str]) -> np.ndarray:
    """Sorted unique 32-bit BLAKE2b hashes of ``grams`` (stable across processes, unlike ``hash()``)."""
    values = np.fromiter(
        (int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=4).digest(), "little") for g in grams),
        dtype=np.uint32,
        count=len(grams),
    )
    return np.unique(values)
