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
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

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
    err = Console(stderr=True)
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
) -> None:
    """Phân tích một bản kiểm điểm / analyse one report."""
    from nlp.pipeline import analyze_bytes, analyze_file

    as_json = output_format is OutputFormat.json
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
            result = analyze_bytes(data, "stdin.txt", lang=lang.value)
        else:
            result = analyze_file(path, lang=lang.value)
    except InputError as error:
        _fail(error, lang.value, as_json)
    except Exception as error:
        Console(stderr=True).print(
            f"[bold red]Lỗi nội bộ / Internal error[/]: {type(error).__name__}. "
            "Hãy báo lỗi kèm tệp mẫu không chứa dữ liệu cá nhân.",
            highlight=False,
        )
        raise typer.Exit(code=EXIT_INTERNAL) from None
    try:
        _emit(result, output_format, output, path, width)
    except OSError as error:
        Console(stderr=True).print(
            f"[bold red]Không ghi được kết quả / Cannot write the result[/]: {error.strerror or type(error).__name__}",
            highlight=False,
        )
        raise typer.Exit(code=EXIT_OUTPUT) from None


def _emit(result, output_format: OutputFormat, output: Path | None, path: str, width: int | None) -> None:
    if output_format is OutputFormat.json:
        text = result.model_dump_json(indent=2)
        if output:
            output.write_text(text + "\n", encoding="utf-8")
        else:
            typer.echo(text)
        return
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


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
