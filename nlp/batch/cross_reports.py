"""The cross-report checks of a batch (issue 13), run by the driver after every file is analysed.

Each unit is checked on its own (:func:`nlp.cross.cross_check` over that unit's reports, and last year's reports of
the same unit when ``--previous`` names last year's batch output): units are the folders (a year folder left out)
joined where the header names the same chi bộ / đảng bộ, so matching grows with the reports of a unit, never with
all pairs of the district.

What the checks read from each report — the writer's identity and the report's passages — is prepared by the
batch workers beside each analysis (:mod:`nlp.batch.cross_inputs`) and kept in the batch store; the checks read these
(a unit's in one query) and load a report's full analysis only when it gets findings. Where they are missing or
stale, they read the plain analysis and build them (the same findings either way).

The default sentence encoder (``static``, :mod:`nlp.cross.static_encoder`) costs microseconds a sentence: each
unit's sentences are encoded as it is checked, and nothing is kept; from ``PARALLEL_UNITS`` units on, the units are
checked (and their outputs rendered) in ``jobs`` processes, the large units first, and the driver writes the outputs in
unit order. With
``e5`` (``--cross-matcher e5``), the sentences the checks compare are embedded by the workers beside each analysis and kept in the batch store by
sentence hash; the driver embeds only what is missing there (reports analysed by an earlier run without the checks,
last year's reports without a store of embeddings).

A report with cross findings (or one that owns every collective shortcoming its writer answers for, which lifts a
missing accountability) gets its per-report JSON and HTML page rewritten with the findings applied (status,
scores and band as :func:`nlp.cross.findings.apply_findings` says) and its summary row recomputed; the analysis as
the worker wrote it is kept beside it (``<hash>.json.plain``, a hard link of the worker's file where the file system
has them), so that every run — the first or a ``--resume`` — checks the plain analyses again and gives the same
findings, and a report whose unit changed is checked afresh.
"""

from __future__ import annotations

import gc
import json
import os
import sqlite3
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

import numpy as np

from nlp.batch import cross_inputs
from nlp.batch.store import STORE_NAME, Store, read_by_keys, read_prepared
from nlp.batch.worker import summarise, text_key, write_atomic
from nlp.cross import AnalysedReport, CrossResult, Identity, Linkage, Matcher, cross_check, sheet_rows, texts_to_embed
from nlp.cross.check import passage_texts
from nlp.cross.config import default_matcher
from nlp.cross.identity import unit_folder, unit_key
from nlp.cross.passages import passages
from nlp.cross.records import PreparedReport
from nlp.schema import AnalysisResult

PREVIOUS_PREFIX = "nam-truoc"  # last year's reports are named "nam-truoc/<their path in last year's batch>"
PLAIN_SUFFIX = ".plain"  # "<hash>.json.plain": not a "*.json" of the report folder
COLLECTIVE_CSV = "doi-chieu-tap-the.csv"
PREVIOUS_CSV = "doi-chieu-nam-truoc.csv"
DIMENSIONS = 384
STORED_MATCHER = "e5"  # the encoder whose vectors the workers compute and the store keeps


def embeds_in_workers(matcher: str | None) -> bool:
    """True when the workers should embed sentences beside the analysis (the e5 encoder; the static one is cheaper
    to run in the driver than to store)."""
    return (matcher or default_matcher()) == STORED_MATCHER


class PreviousFolderError(Exception):
    """``--previous`` does not name a usable batch output: ``reason`` is ``not_folder``, ``no_store``,
    ``unreadable``, ``no_run``, ``no_reports`` or ``same_folder``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class PreviousReport:
    """One report of last year's batch: its path there, its per-report JSON files, its unit's header name, its
    content hash (the key of what the store keeps of it)."""

    path: str
    folder: Path
    json: str
    unit: str | None
    sha256: str = ""


@dataclass
class PreviousBatch:
    """Last year's batch output: its reports and its store (for the embeddings and prepared inputs it kept, those
    of its analyser configuration ``config``)."""

    folder: Path
    reports: list[PreviousReport]
    config: str = ""


@dataclass
class CrossSummary:
    """What the cross-checks of one run found, for the outputs and the report."""

    checked: CrossResult | None = None
    units: int = 0
    reports: int = 0  # reports whose outputs carry cross findings
    findings: int = 0
    seconds: float = 0.0  # driver time, loading and writing included
    cpu_seconds: float = 0.0  # CPU time of the checks: the driver's, and their processes' where units ran in a pool
    driver_embedded: int = 0  # sentences the driver had to embed itself
    seeded: int = 0  # sentences whose embeddings came from the workers or a store
    pairs: int = 0  # sentence pairs the matcher scored (grows with the reports of each unit, not the district's)
    sheets: dict[str, list[list]] = field(default_factory=dict)


def open_previous(folder: Path, out_dir: Path | None = None) -> PreviousBatch:
    """Last year's batch output folder: its store's latest completed run and the per-report JSON of each analysed
    report. Raises :class:`PreviousFolderError` when it cannot be used (nothing of this year's batch is touched)."""
    if not folder.is_dir():
        raise PreviousFolderError("not_folder")
    if out_dir is not None and folder.resolve() == out_dir.resolve():
        raise PreviousFolderError("same_folder")
    path = folder / STORE_NAME
    if not path.is_file():
        raise PreviousFolderError("no_store")
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            found = db.execute("SELECT id, config FROM runs WHERE status = 'done' ORDER BY id DESC LIMIT 1").fetchone()
            if found is None:
                raise PreviousFolderError("no_run")
            rows = db.execute(
                "SELECT i.path, a.row, i.sha256 FROM inputs i JOIN analyses a ON a.sha256 = i.sha256 AND a.config = ? "
                "WHERE i.run = ? AND i.status = 'analysed' AND a.ok = 1 ORDER BY i.path",
                (found[1], found[0]),
            ).fetchall()
        finally:
            db.close()
    except sqlite3.Error:
        raise PreviousFolderError("unreadable") from None
    reports = []
    for report_path, row_text, sha256 in rows:
        row = json.loads(row_text)
        if (folder / row["json"]).is_file():
            unit = row.get("branch") or row.get("header_unit")
            reports.append(PreviousReport(report_path, folder, row["json"], unit, sha256))
    if not reports:
        raise PreviousFolderError("no_reports")
    return PreviousBatch(folder, reports, found[1])


def plain_path(json_path: Path) -> Path:
    """Where the analysis as the worker wrote it is kept while the report's JSON carries cross findings."""
    return json_path.with_name(json_path.name + PLAIN_SUFFIX)


def _load(json_path: Path) -> AnalysisResult | None:
    """The plain analysis of a report (its ``.json.plain`` when cross findings were applied, else its JSON)."""
    for candidate in (plain_path(json_path), json_path):
        try:
            return AnalysisResult.model_validate_json(candidate.read_bytes())
        except (OSError, ValueError):
            continue
    return None


# ---------------------------------------------------------------------------------------------- units


def _units(results: list[dict], previous: list[PreviousReport]) -> list[tuple[list[dict], list[PreviousReport]]]:
    """The reports in groups that the checks read together: the same unit folder (a year folder left out), joined
    where the header names the same unit; last year's reports go with this year's of the same folder or unit.

    A chi bộ is named by its own name where that name goes with one đảng bộ only in the batch; a name that several
    đảng bộ use ("Chi bộ Văn phòng", "Chi bộ Kinh doanh") joins only the folders whose headers name the same đảng
    bộ above it (a header naming that chi bộ alone joins nothing by it: its folder stays its own)."""
    written = [(row["path"], row.get("branch"), row.get("header_unit")) for row in results]
    written += [(report.path, report.unit, None) for report in previous]
    headers = [(path, unit_key(branch), unit_key(unit)) for path, branch, unit in written]  # each name read once
    shared = _shared_branch_names(headers)
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for path, branch_key, unit_key_ in headers:
        root = find(f"folder:{unit_folder(path)}")
        for key in _header_keys(branch_key, unit_key_, shared):
            other = find(key)
            if other != root:
                parent[other] = root
    groups: dict[str, tuple[list[dict], list[PreviousReport]]] = defaultdict(lambda: ([], []))
    for row in results:
        groups[find(f"folder:{unit_folder(row['path'])}")][0].append(row)
    for report in previous:
        groups[find(f"folder:{unit_folder(report.path)}")][1].append(report)
    ordered = sorted(groups.values(), key=lambda g: min([r["path"] for r in g[0]] or ["~"]))
    return [g for g in ordered if g[0]]


def _shared_branch_names(headers: list[tuple[str, str | None, str | None]]) -> set[str]:
    """The chi bộ keys that headers (path, chi bộ key, đảng bộ key) put under more than one đảng bộ."""
    parents: dict[str, set[str]] = defaultdict(set)
    for _path, branch_key, unit_key_ in headers:
        if branch_key and unit_key_ and branch_key != unit_key_:
            parents[branch_key].add(unit_key_)
    return {key for key, units in parents.items() if len(units) > 1}


def _header_keys(branch_key: str | None, unit_key_: str | None, shared: set[str]) -> list[str]:
    """The keys a report's header joins its folder by: its chi bộ key (with the đảng bộ's above it where the chi bộ's
    name is shared), else its đảng bộ key."""
    if branch_key and branch_key in shared:
        return [f"unit:{branch_key}|{unit_key_}"] if unit_key_ and unit_key_ != branch_key else []
    key = branch_key or unit_key_
    return [f"unit:{key}"] if key else []


# ---------------------------------------------------------------------------------------------- the run


class _Embeddings:
    """Embeddings by sentence from the batch store (and last year's), the driver's encoder for what is missing."""

    def __init__(self, store: Store, previous: Path | None, embedder: Callable | None) -> None:
        self.store = store
        self.previous = previous
        self._embedder = embedder
        self.embedded = 0
        self.seeded = 0

    def vectors(self, texts: list[str]) -> dict[str, np.ndarray]:
        keys = {text: text_key(text) for text in texts}
        found = self.store.embeddings(list(keys.values()))
        missing = [text for text, key in keys.items() if key not in found]
        if missing and self.previous is not None:
            found.update(_previous_embeddings(self.previous, [keys[t] for t in missing]))
            missing = [text for text, key in keys.items() if key not in found]
        if missing:
            computed = self._embed(missing)
            fresh = {keys[t]: np.asarray(v, dtype=np.float32).tobytes() for t, v in zip(missing, computed, strict=True)}
            self.store.put_embeddings(fresh)
            found.update(fresh)
            self.embedded += len(missing)
        self.seeded += len(texts) - len(missing)
        return {text: np.frombuffer(found[key], dtype=np.float32) for text, key in keys.items()}

    def _embed(self, texts: list[str]) -> np.ndarray:
        if self._embedder is None:
            from nlp.cross.match import e5_embedder

            self._embedder = e5_embedder()
        return self._embedder(texts)

    def matcher(self) -> Matcher:
        """An e5 matcher whose encoder is the driver's (loaded only if a sentence is missing from the seed)."""
        return Matcher(self._embed, STORED_MATCHER)


def _previous_embeddings(folder: Path, keys: list[str]) -> dict[str, bytes]:
    """Last year's store's embeddings among ``keys`` (none from a store of an older version, which keeps none)."""
    return read_by_keys(folder / STORE_NAME, "SELECT text_hash, vector FROM embeddings WHERE text_hash IN", keys)


_T = TypeVar("_T")
PARALLEL_UNITS = 16  # from this many units on, the static checks run in ``jobs`` processes
MatcherFactory = Callable[[list[AnalysedReport | PreparedReport]], Matcher]


@dataclass(frozen=True)
class _UnitJob:
    """What checking one unit needs (sent to a process of the pool as it is)."""

    rows: list[dict]
    old: list[PreviousReport]
    out_dir: Path
    lang: str
    main_findings: int
    stock_phrase_rules: tuple[str, ...]
    matcher: str | None
    alone: frozenset[str] = frozenset()  # paths whose content no other file of the batch has: written by the check
    prepared: tuple[Path, str] | None = None  # the batch store and analyser configuration of the prepared inputs
    previous_prepared: tuple[Path, str] | None = None  # last year's


@dataclass
class _UnitOutcome:
    """One unit checked: its rows and linkage (results left out), and for each report with findings its new JSON and
    page (None when already written: a content no other file has) and its summary row."""

    checked: CrossResult
    rendered: dict[str, tuple[bytes | None, bytes | None, dict]]
    pairs: int
    pages: dict[str, bytes | None] = field(default_factory=dict)  # pages the workers left out, of reports without
    # findings: rendered here from the analysis (None when already written: a content no other file has)
    cpu: float = 0.0  # CPU seconds the process spent on the unit


def _check_unit(job: _UnitJob, matchers: MatcherFactory | None = None) -> _UnitOutcome | None:
    """Check one unit and render the outputs of its reports with findings: written here for a content no other file
    of the batch has, else left to the driver (which writes them in unit order); ``matchers`` gives the unit's
    matcher from its reports (None: a fresh one of ``job.matcher``)."""
    from nlp.render import render_html

    started = time.process_time()
    loaded: dict[Path, AnalysisResult] = {}  # analyses loaded for the checks, read again for no page of this unit
    reports = _reports(job.rows, job.old, job.out_dir, loaded=loaded, stores=(job.prepared, job.previous_prepared))
    if not reports:
        return None
    matcher = matchers(reports) if matchers else Matcher(name=job.matcher)  # one a unit: its vectors go with it
    try:
        checked = cross_check(reports, lang=job.lang, matcher=matcher, adjust=_previous_folders)
    except UnreadableReport:  # a report's analysis went missing after its inputs were prepared: leave it out
        reports = _reports(job.rows, job.old, job.out_dir)  # every report from its analysis
        if not reports:
            return None
        matcher = matchers(reports) if matchers else Matcher(name=job.matcher)
        checked = cross_check(reports, lang=job.lang, matcher=matcher, adjust=_previous_folders)
    rendered = {}
    for row in job.rows:
        result = checked.results.get(row["path"])  # with findings, or owning every item the writer answers for
        if result is None or row["path"] in rendered:
            continue
        json_bytes = result.model_dump_json().encode("utf-8")
        html_bytes = render_html(result, lang=job.lang).encode("utf-8")
        fresh = summarise(result, job.main_findings, job.stock_phrase_rules)
        if row["path"] in job.alone:
            _write_checked(job.out_dir, row, json_bytes, html_bytes)
            rendered[row["path"]] = (None, None, fresh)
        else:
            rendered[row["path"]] = (json_bytes, html_bytes, fresh)
    checked.results = {}
    checked.linkage.identities = []  # the driver merges units, persons and unlinked reports, not identities
    pages = _missing_pages(job, rendered, loaded)
    return _UnitOutcome(checked, rendered, matcher.pairs, pages, time.process_time() - started)


def _missing_pages(job: _UnitJob, rendered: dict, loaded: dict[Path, AnalysisResult]) -> dict[str, bytes | None]:
    """The pages of this unit's reports without findings that the workers left to the checks
    (:func:`nlp.batch.cross_inputs.page_after_checks`), rendered from the analysis: written here for a content no
    other file of the batch has, else returned for the driver to write. A report whose cross findings of an earlier
    run no longer hold (it has a ``.json.plain``) is left to the driver, which writes its JSON and page again."""
    from nlp.render import render_html

    pages: dict[str, bytes | None] = {}
    seen = {row["sha256"] for row in job.rows if row["path"] in rendered}  # the same content with findings
    for row in job.rows:
        if row["path"] in rendered or row["sha256"] in seen:
            continue
        seen.add(row["sha256"])
        json_path, html_path = job.out_dir / row["json"], job.out_dir / row["html"]
        if html_path.is_file() or plain_path(json_path).is_file():
            continue
        result = loaded.get(json_path)  # the checks loaded it (a writer owning every item, the result unchanged)
        if result is None:
            try:  # no .json.plain: the JSON is the analysis as the worker wrote it
                result = AnalysisResult.model_validate_json(json_path.read_bytes())
            except (OSError, ValueError):
                continue
        html_bytes = render_html(result, lang=job.lang).encode("utf-8")
        if row["path"] in job.alone:
            write_atomic(str(html_path), html_bytes)
            pages[row["path"]] = None
        else:
            pages[row["path"]] = html_bytes
    return pages


def _outcomes(jobs: list[_UnitJob], processes: int, matchers: MatcherFactory | None) -> Iterator[_UnitOutcome | None]:
    """Each unit's outcome, in order: in ``processes`` processes when there are enough units and each builds its own
    matcher (the static encoder), else here."""
    if not _in_pool(jobs, processes, matchers):
        for job in jobs:
            yield _check_unit(job, matchers)
        return
    import multiprocessing

    with multiprocessing.get_context("forkserver").Pool(processes, initializer=_calm_collector) as pool:
        indexed = [(i, jobs[i]) for i in large_units_first(jobs, processes)]
        # handed on in unit order: the writer's order decides which of two identical files carries the findings
        yield from in_unit_order(pool.imap_unordered(_check_indexed, indexed, chunksize=2))


def _in_pool(jobs: list[_UnitJob], processes: int, matchers: MatcherFactory | None) -> bool:
    """The units are checked in a pool of processes (enough units, several processes, each building its matcher)."""
    return matchers is None and processes >= 2 and len(jobs) >= PARALLEL_UNITS


TAIL_SHARE = 20  # a unit of more than 1/TAIL_SHARE of a process's share of the reports is checked first


def large_units_first(jobs: list[_UnitJob], processes: int) -> list[int]:
    """The order the units are handed to the processes: the large ones first, the largest first, then the others in
    their order. A large unit taken last would keep one process busy while the others stand idle (one unit of 1,260
    reports was the last of 901 at 10,000 reports); the others keep their order so that their outcomes reach the
    driver, which handles them in unit order, as they are done, not all at the end."""
    sizes = [len(job.rows) + len(job.old) for job in jobs]
    large = sum(sizes) / (max(processes, 1) * TAIL_SHARE)
    first = sorted((i for i, size in enumerate(sizes) if size > large), key=lambda i: -sizes[i])
    return first + [i for i, size in enumerate(sizes) if size <= large]


def in_unit_order(indexed: Iterable[tuple[int, _T]]) -> Iterator[_T]:
    """The outcomes of units checked in any order, handed on in the units' order (0, 1, 2…) as soon as each is due."""
    waiting: dict[int, _T] = {}
    following = 0
    for index, outcome in indexed:
        waiting[index] = outcome
        while following in waiting:
            yield waiting.pop(following)
            following += 1


def _check_indexed(indexed: tuple[int, _UnitJob]) -> tuple[int, _UnitOutcome | None]:
    index, job = indexed
    return index, _check_unit(job)


CHECKS_GC_THRESHOLD = (50_000, 20, 100)  # the cyclic collector's thresholds in a checks' process


def _calm_collector() -> None:
    """A checks' process builds many short-lived objects for each unit and keeps none of them after it: its cyclic
    collector runs less often, and no longer walks what the process loaded at its start (about a tenth of the
    process's time went to collections that found little)."""
    gc.freeze()
    gc.set_threshold(*CHECKS_GC_THRESHOLD)


@contextmanager
def _calm_driver_collector() -> Iterator[None]:
    """While the driver receives the units' outcomes (or checks the units itself, with one process or few units), its
    cyclic collector runs as in a checks' process and does not walk what the batch holds (the summary rows, the
    store): it took about a third of the driver's time there (0.9 of 2.9 s at 10,080 reports). The collector is
    put back as it was afterwards."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*CHECKS_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def run_cross_checks(
    results: list[dict],
    out_dir: Path,
    store: Store,
    previous: PreviousBatch | None,
    lang: str,
    main_findings: int,
    stock_phrase_rules: tuple[str, ...],
    embedder: Callable | None = None,
    matcher: str | None = None,
    jobs: int = 1,
    config: str | None = None,
) -> CrossSummary:
    """Check each unit of this run's ``results`` (summary rows, updated in place) and rewrite the outputs of the
    reports with cross findings; ``matcher`` names the sentence encoder (None: the default); ``jobs``: processes
    for the units (the static encoder's; e5 runs here, on the vectors the workers stored); ``config``: the analyser
    configuration whose prepared inputs the store keeps (None: none are read, all are built from the analyses); see
    the module docstring."""
    started, cpu_started = time.perf_counter(), time.process_time()
    store.commit()  # the prepared inputs of the last analyses: read by the checks through connections of their own
    prepared = (store.path, config) if config is not None else None
    previous_prepared = (previous.folder / STORE_NAME, previous.config) if previous and previous.config else None
    embeddings = _Embeddings(store, previous.folder if previous else None, embedder)
    merged = CrossResult(lang="en" if lang == "en" else "vi", linkage=Linkage())
    summary = CrossSummary(checked=merged)
    units = _units(results, previous.reports if previous else [])
    shas = Counter(row["sha256"] for row in results)
    unit_jobs = [
        _UnitJob(
            rows,
            old,
            out_dir,
            lang,
            main_findings,
            stock_phrase_rules,
            matcher,
            frozenset(row["path"] for row in rows if shas[row["sha256"]] == 1),
            prepared,
            previous_prepared,
        )
        for rows, old in units
    ]
    matchers: MatcherFactory | None = None
    if embeds_in_workers(matcher):

        def matchers(reports: list[AnalysedReport | PreparedReport]) -> Matcher:
            seeded = embeddings.matcher()
            seeded.seed(embeddings.vectors(sorted({t for r in reports for t in _embed_texts(r)})))
            return seeded

    elif embedder is not None:

        def matchers(reports: list[AnalysedReport | PreparedReport]) -> Matcher:
            return Matcher(embedder, matcher)

    writer = _Writer(results, out_dir, lang, summary)
    pooled = _in_pool(unit_jobs, jobs, matchers)
    with _calm_driver_collector():
        for job, outcome in zip(unit_jobs, _outcomes(unit_jobs, jobs, matchers), strict=True):
            if outcome is None:
                continue
            summary.cpu_seconds += outcome.cpu if pooled else 0.0  # else part of the driver's own, below
            summary.units += 1
            summary.pairs += outcome.pairs
            _merge(merged, outcome.checked)
            writer.write(job.rows, outcome)
    store.commit()
    summary.sheets = sheet_rows(merged, lang)
    summary.driver_embedded, summary.seeded = embeddings.embedded, embeddings.seeded
    summary.seconds = time.perf_counter() - started
    summary.cpu_seconds += time.process_time() - cpu_started
    return summary


class _Writer:
    """Writes the checked units' outputs in unit order: two files with identical content share one per-report JSON,
    which carries the cross findings of the first of them that has some."""

    def __init__(self, results: list[dict], out_dir: Path, lang: str, summary: CrossSummary) -> None:
        self.out_dir, self.lang, self.summary = out_dir, lang, summary
        self.by_sha: dict[str, list[dict]] = defaultdict(list)
        for row in results:
            self.by_sha[row["sha256"]].append(row)
        self.rewritten: set[str] = set()

    def write(self, rows: list[dict], outcome: _UnitOutcome) -> None:
        from nlp.render import render_html

        for row in rows:
            sha = row["sha256"]
            if sha in self.rewritten:
                continue
            json_path = self.out_dir / row["json"]
            if row["path"] in outcome.rendered:
                json_bytes, html_bytes, fresh = outcome.rendered[row["path"]]
                if json_bytes is not None and html_bytes is not None:
                    _write_checked(self.out_dir, row, json_bytes, html_bytes)
                for target in self.by_sha[sha]:
                    target.update(fresh)
                self.rewritten.add(sha)
                found = outcome.checked.findings.get(row["path"], [])
                self.summary.reports += bool(found)
                self.summary.findings += len(found)
            elif row["path"] in outcome.pages:  # a page the worker left to the checks, without findings
                html_bytes = outcome.pages[row["path"]]
                if html_bytes is not None:
                    write_atomic(str(self.out_dir / row["html"]), html_bytes)
            elif plain_path(json_path).is_file():  # cross findings of an earlier run that no longer hold
                result = _load(json_path)
                if result is not None:
                    write_atomic(str(json_path), result.model_dump_json().encode("utf-8"))
                    write_atomic(str(self.out_dir / row["html"]), render_html(result, lang=self.lang).encode("utf-8"))
                plain_path(json_path).unlink(missing_ok=True)


def _write_checked(out_dir: Path, row: dict, json_bytes: bytes, html_bytes: bytes) -> None:
    """A report's JSON and page with its cross findings; its analysis as the worker wrote it kept beside them."""
    json_path = out_dir / row["json"]
    plain = plain_path(json_path)
    if not plain.is_file():  # the report's JSON is still the analysis as the worker wrote it: keep it as it is
        _keep_plain(json_path, plain)
    write_atomic(str(json_path), json_bytes)
    write_atomic(str(out_dir / row["html"]), html_bytes)


def _keep_plain(json_path: Path, plain: Path) -> None:
    """``plain`` a second name of the worker's JSON (a hard link: nothing read or written; the JSON is then replaced
    by a new file, so the link keeps the analysis), or a copy where the file system has no hard links. The link is
    made under its own name at once (one step, and as atomic as a rename); a name already taken goes through a
    temporary link."""
    try:
        os.link(json_path, plain)
        return
    except FileExistsError:  # a leftover of an interrupted run: replaced below
        pass
    except OSError:
        write_atomic(str(plain), json_path.read_bytes())
        return
    temporary = plain.with_name(f"{plain.name}.{os.getpid()}.tmp")
    try:
        temporary.unlink(missing_ok=True)
        os.link(json_path, temporary)
        os.replace(temporary, plain)
    except OSError:
        temporary.unlink(missing_ok=True)
        write_atomic(str(plain), json_path.read_bytes())


def render_missing_pages(results: list[dict], out_dir: Path, lang: str) -> int:
    """Render the page of every report that has none (left to checks that did not run: a run stopped before them
    and resumed without them, or a unit whose reports could not be read back); returns how many."""
    from nlp.render import render_html

    done = 0
    for row in results:
        if not row.get("html") or not row.get("json") or (out_dir / row["html"]).is_file():
            continue
        html_path = out_dir / row["html"]
        result = _load(out_dir / row["json"])
        if result is not None:
            write_atomic(str(html_path), render_html(result, lang=lang).encode("utf-8"))
            done += 1
    return done


def write_csvs(out_dir: Path, sheets: dict[str, list[list]]) -> None:
    """The two sheets as CSV files (UTF-8 with BOM, like the batch's other tables)."""
    from nlp.batch.outputs import write_csv

    for name, rows in zip((COLLECTIVE_CSV, PREVIOUS_CSV), sheets.values(), strict=True):
        write_csv(out_dir / name, [str(h) for h in rows[0]], rows[1:])


class UnreadableReport(Exception):
    """A report's prepared inputs were read but its analysis cannot be (it is checked again without them)."""


def _reports(
    rows: list[dict],
    old: list[PreviousReport],
    out_dir: Path,
    loaded: dict[Path, AnalysisResult] | None = None,
    stores: tuple[tuple[Path, str] | None, tuple[Path, str] | None] = (None, None),
) -> list[AnalysedReport | PreparedReport]:
    """This unit's analysed reports (this year's by their batch path, last year's under ``nam-truoc/``): as the
    workers prepared them (:mod:`nlp.batch.cross_inputs`) where ``stores`` (this year's and last year's batch store
    with its analyser configuration; None: none read) keep them, else their analyses; ``loaded`` keeps, by JSON
    path, the analyses the checks then load."""
    this_year = [(row["path"], out_dir / row["json"], row["sha256"]) for row in rows]
    last_year = [(f"{PREVIOUS_PREFIX}/{r.path}", r.folder / r.json, r.sha256) for r in old]
    reports: list[AnalysedReport | PreparedReport] = []
    for found, place in zip((this_year, last_year), stores, strict=True):
        hashes = sorted({sha256 for _, _, sha256 in found})
        kept = read_prepared(place[0], place[1], hashes) if place is not None else {}
        reports.extend(_prepared_or_analysed(found, kept, loaded))
    return reports


def _prepared_or_analysed(
    found: list[tuple[str, Path, str]], kept: dict[str, bytes], loaded: dict[Path, AnalysisResult] | None
) -> Iterator[AnalysedReport | PreparedReport]:
    """Each (batch path, JSON path, content hash) as the prepared inputs ``kept`` by content hash give it, else its
    analysis (none when that cannot be read)."""
    for path, json_path, sha256 in found:
        inputs = cross_inputs.read(kept[sha256], path) if sha256 in kept else None
        if inputs is not None:
            yield PreparedReport(path, inputs[0], inputs[1], partial(_load_or_fail, json_path, loaded), inputs[2])
            continue
        result = _load(json_path)
        if result is not None:
            yield AnalysedReport(path, result)


def _load_or_fail(json_path: Path, loaded: dict[Path, AnalysisResult] | None = None) -> AnalysisResult:
    result = _load(json_path)
    if result is None:
        raise UnreadableReport(json_path.name)
    if loaded is not None:
        loaded[json_path] = result
    return result


def _embed_texts(report: AnalysedReport | PreparedReport) -> list[str]:
    """The sentences of a report that the checks may embed (the e5 matcher's seed)."""
    if isinstance(report, PreparedReport):
        kept = report.read_passages()
        return passage_texts(kept if kept is not None else passages(report.path, report.load()))
    return texts_to_embed(report.result)


def _previous_folders(identities: list[Identity]) -> list[Identity]:
    """Last year's reports belong to the folder they had in last year's batch (for units grouped by folder)."""
    prefix = f"{PREVIOUS_PREFIX}/"
    return [
        i.model_copy(update={"folder": unit_folder(i.file.removeprefix(prefix))}) if i.file.startswith(prefix) else i
        for i in identities
    ]


def _merge(into: CrossResult, checked: CrossResult) -> None:
    """Add one unit's rows and linkage to the batch's (the per-report results are written, not kept)."""
    into.collective_rows.extend(checked.collective_rows)
    into.previous_rows.extend(checked.previous_rows)
    into.linkage.units.extend(checked.linkage.units)
    into.linkage.persons.extend(checked.linkage.persons)
    into.linkage.unlinked.extend(checked.linkage.unlinked)
    for file, found in checked.findings.items():
        into.findings[file] = found
