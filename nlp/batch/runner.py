"""Run a batch: discover → read and hash → analyse (pool or Dask) → store → copies → reviews → statistics → files.

The driver streams: it reads one file at a time, keeps at most ``capacity`` tasks in flight, records each
outcome in the SQLite store as it arrives (the worker has already written the report's JSON and HTML
page), and keeps only summary rows in memory. Duplicate detection and the tables run at the end, over the
store. The organisation's configuration (:class:`~nlp.config.Configuration`) travels with every task, so every
engine analyses with it; its hash is part of the analyser fingerprint, so ``--resume`` with another configuration
analyses the files again instead of mixing results. Reviewers' decisions are applied at the end
(:mod:`nlp.batch.reviews`).
"""

from __future__ import annotations

import hashlib
import shutil
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from nlp.batch import cross_inputs, cross_reports, outputs, reviews
from nlp.batch.config import rules
from nlp.batch.dedup import CopyGroup, DedupStats, find_copies, number_groups, report_loader
from nlp.batch.discover import InputItem, Reader, classify, discover
from nlp.batch.engines import Engine, default_jobs, make_engine
from nlp.batch.stats import DistrictStats, compute, unit_kind
from nlp.batch.store import STORE_NAME, Store, close_readers
from nlp.batch.summary_html import render_summary
from nlp.batch.worker import REPORTS_DIR, Outcome, Task, error_row, input_error_row, report_files, write_atomic
from nlp.config import Configuration
from nlp.errors import InputError
from nlp.ingest import IngestLimits

OUTPUT_FILES = (
    outputs.WORKBOOK,
    outputs.TABLE_CSV,
    outputs.ERRORS_CSV,
    outputs.UNITS_CSV,
    outputs.SUMMARY_HTML,
    outputs.RESULTS_JSONL,
    cross_reports.COLLECTIVE_CSV,
    cross_reports.PREVIOUS_CSV,
)
LEGACY_PREPARED_SUFFIX = ".cross"  # "bao-cao/<hash>.cross": the checks' prepared inputs as earlier versions kept them


class OutputFolderError(Exception):
    """The output folder cannot be used: ``reason`` is ``exists``, ``not_empty`` or ``cannot_write``."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class BatchInterrupted(Exception):
    """The batch stopped before the end (Ctrl-C, or ``stop_after``); ``report`` says how far it got."""

    def __init__(self, report: BatchReport) -> None:
        super().__init__(f"interrupted after {report.analysed} analysed files")
        self.report = report


@dataclass
class BatchOptions:
    """How to run a batch."""

    jobs: int | None = None  # worker processes (None: the usable cores)
    resume: bool = False  # continue the batch in the output folder
    fresh: bool = False  # delete the earlier batch in the output folder first
    lang: str = "vi"
    model: str | None = None  # sentence classifier name (None: the default)
    engine: str = "local"  # local | dask
    scheduler: object | None = None  # dask: "tcp://host:8786", a Client, or None for a local cluster
    timeout_s: float | None = None  # per file (None: batch_rules.yaml run.task_timeout_s; 0: no limit)
    stop_after: int | None = None  # stop after this many newly analysed files (tests, trial runs)
    limits: IngestLimits = field(default_factory=IngestLimits)
    # the organisation's configuration (nlp.config.load_config; None: the shipped defaults); its feedback store,
    # when set, gives the reviewers' decisions applied to the outputs
    config: Configuration | None = None
    cross: bool = False  # the cross-report checks (issue 13; --cross-check, or --previous, turns them on)
    previous: Path | None = None  # last year's batch output folder (--previous)
    cross_matcher: str | None = None  # the cross-checks' sentence encoder (--cross-matcher; None: the default)


@dataclass
class BatchReport:
    """What a batch did, and how long each phase took."""

    out_dir: Path
    config: str = ""  # the analyser fingerprint (version, classifier, language, configuration hash)
    config_hash: str = ""  # the organisation's configuration (nlp.config), as every row records it
    config_file: str | None = None
    previous_config_hash: str | None = None  # the configuration of the batch resumed, when it was another one
    feedback: bool = False  # a feedback store is configured: reviewers' decisions were applied
    reviewed: int = 0  # reports whose outputs show reviewers' decisions
    dismissed: int = 0  # findings dismissed by reviewers in them (left out of the counts)
    files: int = 0
    results: int = 0
    errors: int = 0
    skipped: int = 0
    analysed: int = 0  # files analysed in this run (new content)
    reused: int = 0  # files whose analysis came from the store
    groups: int = 0
    jobs: int = 1
    boilerplate_df: float = 0.0
    seconds: float = 0.0
    analysis_seconds: float = 0.0
    dedup_seconds: float = 0.0
    shingle_seconds: float = 0.0  # worker time spent on shingles (part of the duplicate detection)
    output_seconds: float = 0.0
    cross: cross_reports.CrossSummary | None = None  # None: the cross-report checks were off
    embed_seconds: float = 0.0  # worker time spent embedding sentences for the cross-report checks
    prepare_seconds: float = 0.0  # worker CPU time spent preparing the cross-report checks' inputs (cross_inputs)
    page_seconds: float = 0.0  # worker CPU time spent rendering and writing per-report pages
    worker_pages: int = 0  # pages the workers rendered (the others were left to the cross-report checks)
    dedup: DedupStats | None = None
    stats: DistrictStats | None = None
    interrupted: bool = False


class Progress:
    """Progress sink (no output); the CLI passes a rich progress bar."""

    def start(self, total: int) -> None: ...

    def advance(self, n: int = 1) -> None: ...

    def phase(self, name: str) -> None: ...

    def stop(self) -> None: ...


def analyser_config(lang: str, model: str | None, config_hash: str | None = None) -> str:
    """The analyser fingerprint stored with each analysis: a change means the stored results are stale.
    ``config_hash``: the organisation's configuration (default: the shipped one)."""
    from nlp import __version__
    from nlp.classify import default_classifier

    if model is None:
        name = default_classifier().name
    else:
        from nlp.model import load_classifier

        name = load_classifier(model).name
    config_hash = config_hash or Configuration().config_hash
    shingles = rules()["copies"]["shingle_words"]
    return f"kiemdiem {__version__}; classifier {name}; lang {lang}; shingles {shingles}; config {config_hash}"


def prepare_output(out_dir: Path, resume: bool, fresh: bool) -> None:
    """Check (and create) the output folder; raise :class:`OutputFolderError` when it cannot be used."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputFolderError("cannot_write", "not a folder")
    store = out_dir / STORE_NAME
    if store.exists():
        if fresh:
            _remove_batch(out_dir)
        elif not resume:
            raise OutputFolderError("exists")
    elif out_dir.exists() and any(out_dir.iterdir()):
        raise OutputFolderError("not_empty")
    try:
        (out_dir / REPORTS_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputFolderError("cannot_write", error.strerror or type(error).__name__) from None


def _remove_batch(out_dir: Path) -> None:
    """Delete what an earlier batch wrote (and nothing else)."""
    for name in (STORE_NAME, f"{STORE_NAME}-wal", f"{STORE_NAME}-shm", *OUTPUT_FILES):
        (out_dir / name).unlink(missing_ok=True)
    reports = out_dir / REPORTS_DIR
    if reports.is_dir():
        for path in reports.iterdir():
            if path.suffix in {".json", ".html", ".tmp", cross_reports.PLAIN_SUFFIX, LEGACY_PREPARED_SUFFIX}:
                path.unlink()
        if not any(reports.iterdir()):
            shutil.rmtree(reports)


def run_batch(
    inputs: list[Path], out_dir: Path, options: BatchOptions | None = None, progress: Progress | None = None
) -> BatchReport:
    """Analyse every file under ``inputs`` and write the batch outputs into ``out_dir``.

    Raises :class:`OutputFolderError` before doing anything when the folder cannot be used,
    :class:`~nlp.batch.cross_reports.PreviousFolderError` before doing anything when ``options.previous`` does not
    name a usable batch output,
    :class:`~nlp.errors.FeedbackStoreError` (KD-E014) before doing anything when the configured feedback store
    cannot be read, and :class:`BatchInterrupted` (after saving what was done) on Ctrl-C or ``stop_after``.
    """
    options = options or BatchOptions()
    progress = progress or Progress()
    started = time.perf_counter()
    configuration = options.config or Configuration()
    reviews.check_store(configuration.feedback_store)
    previous_batch = cross_reports.open_previous(options.previous, out_dir) if options.previous else None
    prepare_output(out_dir, options.resume, options.fresh)
    config = analyser_config(options.lang, options.model, configuration.config_hash)
    jobs = options.jobs or default_jobs()
    report = BatchReport(
        out_dir=out_dir,
        config=config,
        jobs=jobs,
        config_hash=configuration.config_hash,
        config_file=str(configuration.path) if configuration.path else None,
        feedback=configuration.feedback_store is not None,
    )
    store = Store(out_dir / STORE_NAME, commit_every=rules()["run"]["commit_every"])
    previous = store.last_settings()
    if previous is not None and previous["config_hash"] != report.config_hash:
        report.previous_config_hash = previous["config_hash"]
    store.keep_only(config)  # results of another configuration are analysed again, never mixed
    run = store.begin_run(config)
    store.put_settings(run, report.config_hash, report.config_file, report.feedback)
    engine: Engine | None = None
    try:
        # workers start while the folders are walked
        engine = make_engine(
            options.engine,
            jobs,
            options.model,
            options.scheduler,
            rules()["run"]["in_flight_per_job"],
            timeout_s=task_timeout(options),
        )
        items = list(discover(inputs, exclude=[out_dir]))
        report.files = len(items)
        progress.start(len(items))
        _analyse_all(items, store, run, config, configuration, engine, options, report, progress)
        engine.close()
        engine = None
        report.analysis_seconds = time.perf_counter() - started
        _finish(inputs, store, run, config, configuration, options, previous_batch, report, progress)
        store.finish_run(run, "done")
    except (KeyboardInterrupt, BatchInterrupted):
        if engine is not None:
            engine.close(cancel=True)
        store.finish_run(run, "interrupted")
        report.interrupted = True
        report.seconds = time.perf_counter() - started
        raise BatchInterrupted(report) from None
    finally:
        close_readers()  # the checks' read-only connections, before the store's own: no write-ahead log left beside it
        store.close()
        progress.stop()
    report.seconds = time.perf_counter() - started
    return report


def task_timeout(options: BatchOptions) -> float | None:
    """The per-file time limit in seconds (None: no limit)."""
    seconds = options.timeout_s if options.timeout_s is not None else rules()["run"]["task_timeout_s"]
    return float(seconds) if seconds and seconds > 0 else None


def _analyse_all(
    items: list[InputItem],
    store: Store,
    run: int,
    config: str,
    configuration: Configuration,
    engine: Engine,
    options: BatchOptions,
    report: BatchReport,
    progress: Progress,
) -> None:
    """Read, hash and dispatch every item; record outcomes as they come."""
    settings = rules()
    retry = set(settings["run"]["retry_on_resume"])
    done = store.done(config, retry=retry)
    failed: dict[str, dict] = {}  # error rows of this run that are not stored as done (timeouts)
    pending: dict[str, list[InputItem]] = {}
    reader = Reader(options.limits.max_file_bytes)
    out_dir = report.out_dir
    timeout = task_timeout(options)

    def handle(outcome: Outcome) -> None:
        for relative, content in outcome.files.items():
            write_atomic(str(out_dir / relative), content)
        if outcome.ok:  # a fresh analysis: cross findings of an earlier run are checked again from it
            json_path = out_dir / report_files(outcome.sha256)[0]
            cross_reports.plain_path(json_path).unlink(missing_ok=True)
            # the checks' inputs prepared beside it, or none: an earlier analysis's would not match this one
            store.put_prepared(outcome.sha256, config, outcome.prepared or None)
            if not outcome.page:  # left to the checks, which render a missing page: none of an earlier analysis
                (out_dir / report_files(outcome.sha256)[1]).unlink(missing_ok=True)
        if outcome.embeddings:
            store.put_embeddings(outcome.embeddings)
        report.embed_seconds += outcome.embed_seconds
        report.prepare_seconds += outcome.cross_seconds
        report.page_seconds += outcome.page_seconds
        report.worker_pages += int(outcome.ok and outcome.page)
        waiting = pending.pop(outcome.sha256, [])
        if not outcome.ok and outcome.row.get("code") in retry:  # an error row, but not done: --resume retries
            failed[outcome.sha256] = outcome.row
            for item in waiting:
                store.put_input(item.path, item.folders, run, size=item.size, status="error", error=outcome.row)
        else:
            store.put_analysis(outcome.sha256, config, outcome.ok, outcome.row, outcome.shingles, outcome.seconds, run)
            done[outcome.sha256] = outcome.ok  # a later file with the same content reuses it
            for item in waiting:
                store.put_input(item.path, item.folders, run, sha256=outcome.sha256, size=item.size)
        report.shingle_seconds += outcome.shingle_seconds
        report.analysed += 1
        progress.advance(len(waiting))
        if options.stop_after is not None and report.analysed >= options.stop_after:
            raise BatchInterrupted(report)

    earlier = cross_inputs.earlier_years(i.path for i in items if not i.skip) if options.cross else set()
    try:
        for item in items:
            if item.skip:
                store.put_input(item.path, item.folders, run, status="skipped", error=error_row(item.skip, item.detail))
                progress.advance()
                continue
            try:
                data = reader.read(item)
                classify(item.name, data)
            except InputError as error:
                store.put_input(
                    item.path, item.folders, run, size=item.size, status="error", error=input_error_row(error)
                )
                progress.advance()
                continue
            sha256 = hashlib.sha256(data).hexdigest()
            if sha256 in failed:  # the same content already timed out in this run
                store.put_input(item.path, item.folders, run, size=item.size, status="error", error=failed[sha256])
                progress.advance()
                continue
            if sha256 in pending:  # the same content is already being analysed
                pending[sha256].append(item)
                continue
            if sha256 in done and _files_present(out_dir, sha256, done[sha256]):
                store.put_input(item.path, item.folders, run, sha256=sha256, size=item.size)
                report.reused += 1
                progress.advance()
                continue
            pending[sha256] = [item]
            while engine.in_flight >= engine.capacity:
                handle(engine.next_done())
            engine.submit(
                Task(
                    sha256=sha256,
                    data=data,
                    name=item.name,
                    lang=options.lang,
                    model=options.model,
                    out_dir=str(out_dir) if engine.writes_files else None,
                    timeout_s=timeout,
                    shingle_words=settings["copies"]["shingle_words"],
                    main_findings=settings["ranking"]["main_findings"],
                    stock_phrase_rules=tuple(settings["ranking"]["stock_phrase_rules"]),
                    config=configuration,
                    embed=options.cross and cross_reports.embeds_in_workers(options.cross_matcher),
                    cross=options.cross,
                    defer_page=item.path not in earlier,
                    earlier=item.path in earlier,
                )
            )
        while engine.in_flight:
            handle(engine.next_done())
    finally:
        reader.close()
        store.commit()


def _files_present(out_dir: Path, sha256: str, ok: bool) -> bool:
    if not ok:
        return True
    return all((out_dir / relative).is_file() for relative in report_files(sha256))


# ---------------------------------------------------------------------------------------------- the end


def _collect(store: Store, run: int, config: str) -> tuple[list[dict], list[dict]]:
    """The result rows and error rows of this run."""
    results, errors = [], []
    for entry in store.run_inputs(run, config):
        folders = entry["folders"]
        base = {"path": entry["path"], "folders": folders, "unit": "/".join(folders), "sha256": entry["sha256"]}
        if entry["status"] == "analysed" and entry["ok"]:
            row = {**entry["row"], **base, "size": entry["size"]}
            if not row.get("name") and row.get("role") == "collective":
                row["name"] = row.get("branch") or row.get("header_unit")
            results.append(row)
            continue
        if entry["status"] == "analysed":
            error = entry["row"] or error_row("internal")
        else:
            error = entry["error"] or error_row("internal")
        status = entry["status"] if entry["status"] == "skipped" else "error"
        if error.get("code") == "KD-E010":
            status = "unsupported"
        errors.append({**error, **base, "status": status})
    return results, errors


def _assign_units(results: list[dict], errors: list[dict]) -> None:
    """Unit names for files at the top of the input (from their header) and a kind per unit."""
    for row in results:
        if not row["unit"]:
            row["unit"] = row.get("branch") or row.get("header_unit") or ""
    by_unit: dict[str, list[dict]] = defaultdict(list)
    for row in results:
        by_unit[row["unit"]].append(row)
    kinds: dict[str, str] = {}
    for unit, rows in by_unit.items():
        folders = rows[0]["folders"] or ([unit] if unit else [])
        names = [n for r in rows for n in (r.get("branch"), r.get("header_unit"))]
        kinds[unit] = unit_kind(list(folders), names)
    for row in results:
        row["unit_kind"] = kinds[row["unit"]]
    for error in errors:
        error["unit_kind"] = kinds.get(error["unit"]) or unit_kind(list(error["folders"]), [])


def _copy_rows(groups: list[CopyGroup], results: list[dict], lang: str) -> list[dict]:
    """Expand groups of content hashes to rows of files; identical files form groups of their own."""
    from nlp.batch.config import t

    by_sha: dict[str, list[dict]] = defaultdict(list)
    for row in results:
        by_sha[row["sha256"]].append(row)
    grouped = {sha for group in groups for sha in group.members}
    for sha256, rows in by_sha.items():
        if len(rows) > 1 and sha256 not in grouped:
            from nlp.batch.dedup import CopyMember

            groups.append(CopyGroup({sha256: CopyMember(sha256, 1.0, sha256)}))
    groups = number_groups(
        groups, lambda g: (-sum(len(by_sha[s]) for s in g.members), min(by_sha[s][0]["path"] for s in g.members))
    )
    copy_rows = []
    for group in groups:
        members = sorted((row for sha in group.members for row in by_sha[sha]), key=lambda r: r["path"])
        for row in members:
            member = group.members[row["sha256"]]
            twins = [r for r in by_sha[row["sha256"]] if r is not row]
            if twins:
                similarity, match, passages = 1.0, twins[0], [t("identical", lang)]
            else:
                similarity = member.similarity
                match = by_sha[member.match][0] if member.match in by_sha else None
                passages = member.passages
            row["copy_group"] = group.id
            row["copy_similarity"] = round(similarity, 3)
            copy_rows.append(
                {
                    "copy_group": group.id,
                    "group_size": len(members),
                    "path": row["path"],
                    "name": row.get("name"),
                    "unit": row["unit"],
                    "band": outputs.cell(row, "band", "band", lang),
                    "copy_similarity": round(similarity, 3),
                    "match": match["path"] if match else None,
                    "passages": " | ".join(passages) or None,
                    "passage_list": passages,
                    "html": row.get("html"),
                }
            )
    return copy_rows


def _finish(
    inputs: list[Path],
    store: Store,
    run: int,
    config: str,
    configuration: Configuration,
    options: BatchOptions,
    previous: cross_reports.PreviousBatch | None,
    report: BatchReport,
    progress: Progress,
) -> None:
    lang = options.lang
    results, errors = _collect(store, run, config)
    _assign_units(results, errors)
    ranking = rules()["ranking"]
    if options.cross:
        progress.phase("cross")
        report.cross = cross_reports.run_cross_checks(
            results,
            report.out_dir,
            store,
            previous,
            lang,
            ranking["main_findings"],
            tuple(ranking["stock_phrase_rules"]),
            matcher=options.cross_matcher,
            jobs=report.jobs,
            config=config,
        )
    cross_reports.render_missing_pages(results, report.out_dir, lang)  # pages the workers left to the checks
    reviewed = reviews.apply_reviews(
        results,
        report.out_dir,
        store,
        configuration.feedback_store,
        lang,
        ranking["main_findings"],
        tuple(ranking["stock_phrase_rules"]),
    )
    report.reviewed, report.dismissed = reviewed.reports, reviewed.dismissed
    report.results, report.skipped = len(results), sum(e["status"] == "skipped" for e in errors)
    report.errors = len(errors) - report.skipped

    progress.phase("dedup")
    started = time.perf_counter()
    loader = report_loader(report.out_dir, lambda sha: report_files(sha)[0])
    groups, dedup = find_copies(store, config, sorted({r["sha256"] for r in results}), loader)
    copies = _copy_rows(groups, results, lang)
    report.dedup = dedup
    report.boilerplate_df = dedup.boilerplate_df
    report.groups = len({c["copy_group"] for c in copies})
    report.dedup_seconds = time.perf_counter() - started

    progress.phase("outputs")
    started = time.perf_counter()
    order = {band: i for i, band in enumerate(rules()["ranking"]["band_order"])}
    ranked = sorted(results, key=lambda r: (order.get(r["band"], 99), r["overall"], r["path"]))
    for rank, row in enumerate(ranked, 1):
        row["rank"] = rank
    stats = compute(ranked, errors)
    report.stats = stats
    out_dir = report.out_dir
    info = outputs.info_rows(report, stats, [str(p) for p in inputs], lang)
    sheets = report.cross.sheets if report.cross else {}
    outputs.write_workbook(out_dir, ranked, errors, copies, stats, info, lang, sheets)
    outputs.write_tables(out_dir, ranked, errors, stats, lang)
    if report.cross:
        cross_reports.write_csvs(out_dir, sheets)

    def read(relative: str) -> str | None:
        try:
            return (out_dir / relative).read_text(encoding="utf-8")
        except OSError:
            return None

    outputs.write_jsonl(out_dir, ranked, read)
    page = render_summary(report, stats, ranked, errors, copies, lang)
    (out_dir / outputs.SUMMARY_HTML).write_text(page, encoding="utf-8")
    report.output_seconds = time.perf_counter() - started
