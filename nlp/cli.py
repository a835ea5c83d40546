"""The ``kiemdiem`` command line.

    kiemdiem analyze bao-cao.docx                 # coloured view in the terminal (Vietnamese)
    kiemdiem analyze bao-cao.pdf --format json    # the schema-v1 result
    kiemdiem analyze - --format html -o out.html  # from standard input, a standalone page
    kiemdiem analyze bao-cao.txt --lang en        # English messages for researchers

Exit codes: 0 analysed; 2 wrong usage; 1 internal error; 10–19 one per kind of refused input
(see ``kiemdiem errors`` and ``docs/errors.md``). Report text is never logged.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from nlp.batch.command import batch as batch_command
from nlp.errors import EXIT_INTERNAL, EXIT_OUTPUT, GENERAL_EXITS, INPUT_ERRORS, InputError, errors_markdown

app = typer.Typer(
    name="kiemdiem",
    help="Phân tích bản kiểm điểm đảng viên / tập thể: chỉ ra chỗ chung chung, né tránh, thiếu trách nhiệm.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


class OutputFormat(StrEnum):
    """How ``analyze`` prints its result."""

    terminal = "terminal"
    json = "json"
    html = "html"


class Lang(StrEnum):
    """Language of messages."""

    vi = "vi"
    en = "en"


def _fail(error: InputError, lang: str, as_json: bool) -> None:
    """Print a refusal in both languages (JSON on stdout when asked) and exit with its code."""
    if as_json:
        typer.echo(json.dumps({"error": error.to_dict()}, ensure_ascii=False, indent=2))
    from rich.console import Console

    err = Console(stderr=True, soft_wrap=True)
    first, second = ("vi", "en") if lang == "vi" else ("en", "vi")
    err.print(f"[bold red]Lỗi / Error {error.code}[/]: {error.message(first)}", highlight=False)
    err.print(f"[dim]{error.message(second)}[/]", highlight=False)
    raise typer.Exit(code=error.exit_code)


@app.command()
def analyze(
    path: Annotated[str, typer.Argument(help="Tệp .docx, .pdf, .txt, hoặc '-' để đọc từ stdin.")],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="terminal (mặc định), json hoặc html.")
    ] = OutputFormat.terminal,
    lang: Annotated[Lang, typer.Option("--lang", "-l", help="Ngôn ngữ thông báo: vi hoặc en.")] = Lang.vi,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Ghi kết quả ra tệp (mặc định: json ra stdout, html ra <tên>.html)."),
    ] = None,
    width: Annotated[int | None, typer.Option(help="Độ rộng màn hình cho chế độ terminal.")] = None,
    model: Annotated[
        str | None, typer.Option("--model", "-m", help="Bộ phân loại câu: rules hoặc tên mô hình trong models/.")
    ] = None,
) -> None:
    """Phân tích một bản kiểm điểm / analyse one report."""
    from nlp.pipeline import analyze_bytes, analyze_file

    as_json = output_format is OutputFormat.json
    classifier = _classifier(model)
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
            result = analyze_bytes(data, "stdin.txt", lang=lang.value, classifier=classifier)
        else:
            result = analyze_file(path, lang=lang.value, classifier=classifier)
    except InputError as error:
        _fail(error, lang.value, as_json)
    except Exception as error:
        from rich.console import Console

        Console(stderr=True).print(
            f"[bold red]Lỗi nội bộ / Internal error[/]: {type(error).__name__}. "
            "Hãy báo lỗi kèm tệp mẫu không chứa dữ liệu cá nhân.",
            highlight=False,
        )
        raise typer.Exit(code=EXIT_INTERNAL) from None
    try:
        _emit(result, output_format, output, path, width)
    except OSError as error:
        from rich.console import Console

        Console(stderr=True).print(
            f"[bold red]Không ghi được kết quả / Cannot write the result[/]: {error.strerror or type(error).__name__}",
            highlight=False,
        )
        raise typer.Exit(code=EXIT_OUTPUT) from None


def _classifier(name: str | None):
    """The chosen sentence classifier (None: the default); an unknown name is a usage error."""
    if name is None:
        return None
    from nlp.model import available_models, load_classifier

    try:
        return load_classifier(name)
    except ValueError:
        raise typer.BadParameter(
            f"{name!r}; có / available: {', '.join(available_models())}", param_hint="--model"
        ) from None


def _emit(result, output_format: OutputFormat, output: Path | None, path: str, width: int | None) -> None:
    if output_format is OutputFormat.json:
        text = result.model_dump_json(indent=2)
        if output:
            output.write_text(text + "\n", encoding="utf-8")
        else:
            typer.echo(text)
        return
    from rich.console import Console  # the terminal and html formats only

    if output_format is OutputFormat.html:
        from nlp.render import render_html

        target = output or Path(("kiemdiem" if path == "-" else Path(path).stem) + ".kiemdiem.html")
        target.write_text(render_html(result), encoding="utf-8")
        Console(stderr=True).print(f"Đã ghi / written: {target}", highlight=False)
        return
    from nlp.render import render_terminal

    console = Console(width=width) if width else Console()
    if output:
        with output.open("w", encoding="utf-8") as handle:
            render_terminal(result, Console(file=handle, width=width or 100, force_terminal=False))
    else:
        render_terminal(result, console)


@app.command()
def train(
    variant: Annotated[
        str, typer.Option(help="linear (từ + n-gram ký tự + luật), linear-text, e5 hoặc transformer.")
    ] = "linear",
    name: Annotated[str | None, typer.Option(help="Tên thư mục mô hình trong models/ (mặc định <variant>-v1).")] = None,
    corpus: Annotated[Path | None, typer.Option(help="corpus JSONL (mặc định corpus/data/reports.jsonl).")] = None,
    splits: Annotated[Path | None, typer.Option(help="splits.json (mặc định corpus/splits.json).")] = None,
    seed: Annotated[int, typer.Option(help="Hạt ngẫu nhiên (tái lập kết quả).")] = 13,
    augment_layouts: Annotated[
        str | None,
        typer.Option(
            help="Thêm bản sao đặt lại bố cục của tập train (không bao giờ dev/test), ví dụ "
            "one_line,blocks,wrap70,no_diacritics (linear, linear-text, e5)."
        ),
    ] = None,
    out_dir: Annotated[Path | None, typer.Option(help="Ghi mô hình vào thư mục này (mặc định models/<name>/).")] = None,
) -> None:
    """Huấn luyện bộ phân loại câu từ corpus / train the sentence classifier (writes models/<name>/)."""
    if variant == "sections":  # sections from content (nlp/model/sections_train.py); writes models/sections-v1/
        from nlp.model.sections_train import train_report

        typer.echo(train_report(name=name, out_dir=out_dir, corpus=corpus, splits=splits, seed=seed))
        return
    from nlp.evaluate import format_report
    from nlp.model.corpus import DEFAULT_CORPUS, DEFAULT_SPLITS
    from nlp.model.train import train as run_training
    from nlp.relayout import parse_layouts

    try:
        layouts = parse_layouts(augment_layouts) if augment_layouts else ()
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--augment-layouts") from None
    if variant == "transformer":  # fine-tuned e5 (the transformer extra); KIEMDIEM_TORCH_THREADS sets its threads
        if layouts:
            raise typer.BadParameter("not for the transformer variant", param_hint="--augment-layouts")
        from nlp.model.transformer import train_transformer as run_training
    else:
        run_training = partial(run_training, variant, augment_layouts=layouts)
    metrics = run_training(
        name, out_dir=out_dir, corpus=corpus or DEFAULT_CORPUS, splits=splits or DEFAULT_SPLITS, seed=seed
    )
    typer.echo(f"{metrics['name']}: thresholds {metrics['thresholds']}, fit {metrics['fit_seconds']} s")
    typer.echo(format_report(metrics["dev"], "dev"))
    typer.echo(format_report(metrics["test"], "test"))


@app.command()
def evaluate(
    split: Annotated[str, typer.Argument(help="train, dev, test hoặc all.")] = "test",
    model: Annotated[str | None, typer.Option("--model", "-m", help="Bộ phân loại để đánh giá.")] = None,
    results: Annotated[
        Path | None, typer.Option(help="Đánh giá kết quả JSON của hệ thống khác (thư mục *.json hoặc một .jsonl).")
    ] = None,
    errors_file: Annotated[
        Path, typer.Option("--errors", help="Ghi các câu bị phân loại sai (JSONL) để phân tích lỗi.")
    ] = Path("evaluation-errors.jsonl"),
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
    corpus: Annotated[Path | None, typer.Option(help="corpus JSONL.")] = None,
    splits: Annotated[Path | None, typer.Option(help="splits.json.")] = None,
    layout: Annotated[
        str | None,
        typer.Option(
            help="Đặt lại bố cục mỗi bản trước khi phân tích, khớp câu chuẩn theo chữ: as_written, one_line, "
            "blocks, wrap70, no_diacritics, docx, pdf (docx_breaks), vài tên cách nhau dấu phẩy, hoặc all."
        ),
    ] = None,
) -> None:
    """Đánh giá trên corpus / evaluate a classifier or result files on a corpus split."""
    from nlp.evaluate import analyse_records, evaluate_layout, format_report, layouts_table, read_results
    from nlp.evaluate import evaluate as run_evaluation
    from nlp.model.corpus import DEFAULT_CORPUS, DEFAULT_SPLITS, reports_in
    from nlp.relayout import parse_layouts

    if split not in {"train", "dev", "test", "all"}:
        raise typer.BadParameter(split, param_hint="SPLIT")
    try:
        layouts = parse_layouts(layout) if layout is not None else ()
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--layout") from None
    if layouts and results:
        raise typer.BadParameter("other systems' results cannot be re-laid", param_hint="--layout")
    records = reports_in(split, corpus or DEFAULT_CORPUS, splits or DEFAULT_SPLITS)
    if layouts:
        classifier = _classifier(model)
        evaluations = {name: evaluate_layout(records, name, classifier) for name in layouts}
    else:
        produced = read_results(results) if results else analyse_records(records, _classifier(model))
        evaluations = {"": run_evaluation(records, produced)}
    errors = [error for evaluation in evaluations.values() for error in evaluation.errors]
    with errors_file.open("w", encoding="utf-8") as handle:
        for error in errors:
            handle.write(json.dumps(error, ensure_ascii=False) + "\n")
    summaries = {name: evaluation.summary() for name, evaluation in evaluations.items()}
    if as_json:
        typer.echo(
            json.dumps(summaries if len(layouts) > 1 else next(iter(summaries.values())), ensure_ascii=False, indent=1)
        )
    else:
        name = "results " + str(results) if results else (model or "default")
        for layout_name, summary in summaries.items():
            typer.echo(
                format_report(summary, f"{split} split, {name}" + (f", layout {layout_name}" if layout_name else ""))
            )
        if len(layouts) > 1:
            typer.echo(layouts_table(summaries))
        typer.echo(f"{len(errors)} misclassified units written to {errors_file}")


@app.command()
def schema() -> None:
    """In JSON Schema của kết quả (schema v1) / print the result's JSON Schema."""
    from nlp.schema import result_json_schema

    typer.echo(json.dumps(result_json_schema(), ensure_ascii=False, indent=2))


@app.command()
def errors(
    markdown: Annotated[bool, typer.Option("--markdown", help="In bảng Markdown (docs/errors.md).")] = False,
) -> None:
    """Liệt kê mã lỗi và mã thoát / list error and exit codes."""
    if markdown:
        typer.echo(errors_markdown(), nl=False)
        return
    from rich.console import Console

    console = Console()
    for exit_code, vi, en in GENERAL_EXITS:
        console.print(f"{exit_code}  {vi} / {en}", highlight=False)
    for error_class in INPUT_ERRORS:
        console.print(
            f"{error_class.exit_code}  {error_class.code}  {error_class.message_vi} / {error_class.message_en}",
            highlight=False,
        )


@app.command()
def version() -> None:
    """In phiên bản / print versions."""
    from nlp import __version__
    from nlp.classify import default_classifier
    from nlp.schema import SCHEMA_VERSION

    typer.echo(f"kiemdiem {__version__} (schema {SCHEMA_VERSION}, classifier {default_classifier().name})")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Địa chỉ lắng nghe; 0.0.0.0 để mở cho mạng LAN.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Cổng.")] = 8000,
    workers: Annotated[
        int, typer.Option(help="Số tiến trình uvicorn; mỗi tiến trình có nhóm tiến trình phân tích riêng.")
    ] = 1,
    cors_origin: Annotated[
        list[str] | None, typer.Option("--cors-origin", help="Cho phép trang web ở origin này gọi API (lặp lại được).")
    ] = None,
    analysis_workers: Annotated[
        int | None,
        typer.Option(help="Số tiến trình phân tích của mỗi tiến trình uvicorn (KIEMDIEM_ANALYSIS_WORKERS; 0: luồng)."),
    ] = None,
) -> None:
    """Chạy API và trang web cho người xem xét / run the API and the reviewers' page (docs/SERVICE.md)."""
    from service.serve import run

    run(host=host, port=port, workers=workers, cors_origins=cors_origin, analysis_workers=analysis_workers)


app.command("batch")(batch_command)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
