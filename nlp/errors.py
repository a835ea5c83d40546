"""Documented refusals of the pipeline: each has a stable code, an exit code and bilingual messages.

Every error a user can provoke with bad input is an :class:`InputError` subclass. The CLI turns it into
its message and exit code, the API (later) into a JSON error; nothing else escapes as a traceback.
The table is rendered into ``docs/errors.md`` and tested, so codes never drift.
"""

from __future__ import annotations

from typing import ClassVar


class KiemdiemError(Exception):
    """Base of every error kiemdiem raises on purpose."""


class InputError(KiemdiemError):
    """An input the pipeline refuses, with a stable ``code`` and a distinct CLI ``exit_code``.

    ``detail`` carries non-personal facts (sizes, limits, the format) and never report text.
    """

    code: ClassVar[str] = "KD-E000"
    exit_code: ClassVar[int] = 1
    http_status: ClassVar[int] = 400
    message_vi: ClassVar[str] = "Không đọc được đầu vào."
    message_en: ClassVar[str] = "The input could not be read."

    def __init__(self, detail: str = "", **facts: object) -> None:
        self.detail = detail
        self.facts = facts
        super().__init__(self.message("en"))

    def message(self, lang: str = "vi") -> str:
        """The message in ``lang`` ("vi" or "en"), with the detail appended when there is one."""
        base = self.message_vi if lang == "vi" else self.message_en
        return f"{base} ({self.detail})" if self.detail else base

    def to_dict(self) -> dict[str, object]:
        """JSON-ready description: code, exit code, both messages and the detail."""
        return {
            "code": self.code,
            "exit_code": self.exit_code,
            "message_vi": self.message("vi"),
            "message_en": self.message("en"),
            "detail": self.detail,
        }


class FileNotFoundInputError(InputError):
    code = "KD-E001"
    exit_code = 10
    http_status = 400
    message_vi = "Không tìm thấy tệp hoặc không có quyền đọc tệp."
    message_en = "The file does not exist or cannot be read."


class EmptyInputError(InputError):
    code = "KD-E002"
    exit_code = 11
    http_status = 422
    message_vi = "Tệp rỗng hoặc không có nội dung chữ để phân tích."
    message_en = "The input is empty or holds no text to analyse."


class InputTooLargeError(InputError):
    code = "KD-E003"
    exit_code = 12
    http_status = 413
    message_vi = "Nội dung vượt quá giới hạn kích thước cho phép."
    message_en = "The input exceeds the size limit."


class BinaryInputError(InputError):
    code = "KD-E004"
    exit_code = 13
    http_status = 415
    message_vi = "Tệp có nội dung nhị phân, không phải văn bản (phần mở rộng không khớp với nội dung)."
    message_en = "The file holds binary data, not text (its extension does not match its content)."


class EncodingError(InputError):
    code = "KD-E005"
    exit_code = 14
    http_status = 415
    message_vi = "Không xác định được bảng mã của văn bản; hãy lưu lại dưới dạng UTF-8."
    message_en = "The text encoding could not be determined; save the file as UTF-8."


class CorruptFileError(InputError):
    code = "KD-E006"
    exit_code = 15
    http_status = 422
    message_vi = "Tệp bị hỏng hoặc không đúng định dạng, không mở được."
    message_en = "The file is corrupt or not in the format its name says."


class EncryptedFileError(InputError):
    code = "KD-E007"
    exit_code = 16
    http_status = 422
    message_vi = "Tệp được đặt mật khẩu; hãy gỡ mật khẩu rồi gửi lại."
    message_en = "The file is password-protected; remove the password and try again."


class ScannedPdfError(InputError):
    code = "KD-E008"
    exit_code = 17
    http_status = 422
    message_vi = "Tệp PDF là bản quét (ảnh), không có lớp chữ; cần bản có chữ hoặc bản .docx."
    message_en = "The PDF is a scan with no text layer; provide a text PDF or the .docx."


class ArchiveLimitError(InputError):
    code = "KD-E009"
    exit_code = 18
    http_status = 413
    message_vi = "Tệp nén bên trong .docx vượt giới hạn an toàn (có thể là 'bom nén'); đã từ chối."
    message_en = "The .docx archive exceeds the safety limits (possible zip bomb); refused."


class UnsupportedFormatError(InputError):
    code = "KD-E010"
    exit_code = 19
    http_status = 415
    message_vi = "Định dạng tệp chưa được hỗ trợ; hãy dùng .docx, .pdf hoặc .txt."
    message_en = "Unsupported file format; use .docx, .pdf or .txt."


class NotVietnameseError(InputError):
    """The text reads as another language (English, French, Chinese…), not as Vietnamese with or without
    diacritics; see :mod:`nlp.language`. 422: the input was read, but its content cannot be analysed."""

    code = "KD-E011"
    exit_code = 20
    http_status = 422
    message_vi = "Văn bản không phải tiếng Việt; kiemdiem chỉ phân tích bản kiểm điểm viết bằng tiếng Việt (có dấu hoặc không dấu)."
    message_en = "The text is not in Vietnamese; kiemdiem analyses only reports written in Vietnamese (with or without diacritics)."


class ConfigError(InputError):
    """The configuration file cannot be used; ``detail`` lists every problem (key paths and values, no report
    text). Raised before any report is read, so nothing is analysed with a configuration the user did not mean."""

    code = "KD-E012"
    exit_code = 21
    http_status = 500  # a server started with a bad KIEMDIEM_CONFIG: the deployment's fault, not the client's
    message_vi = "Tệp cấu hình .kiemdiem.yaml không hợp lệ; không phân tích với cấu hình sai."
    message_en = "The configuration file .kiemdiem.yaml is invalid; nothing is analysed with a wrong configuration."


class FeedbackDecisionError(InputError):
    """A reviewer's confirm/dismiss decision that cannot be kept (:mod:`nlp.feedback`): the finding is not in the
    result, the decision or note is invalid. ``detail`` names the field and the limit, never the note or report text."""

    code = "KD-E013"
    exit_code = 22
    http_status = 422
    message_vi = "Không ghi nhận được ý kiến về phát hiện này (không có trong kết quả hoặc dữ liệu không hợp lệ)."
    message_en = "The feedback on this finding cannot be recorded (not in the result, or invalid data)."


class FeedbackStoreError(InputError):
    """The feedback store (an SQLite file) cannot be opened, read or written: its folder is missing, it is not a
    kiemdiem feedback store, or it was written by a newer version. 500: a deployment problem, not the client's."""

    code = "KD-E014"
    exit_code = 23
    http_status = 500
    message_vi = "Không mở hoặc không ghi được kho phản hồi (tệp SQLite); hãy kiểm tra đường dẫn trong cấu hình."
    message_en = "The feedback store (an SQLite file) cannot be opened or written; check its path in the configuration."


INPUT_ERRORS: tuple[type[InputError], ...] = (
    FileNotFoundInputError,
    EmptyInputError,
    InputTooLargeError,
    BinaryInputError,
    EncodingError,
    CorruptFileError,
    EncryptedFileError,
    ScannedPdfError,
    ArchiveLimitError,
    UnsupportedFormatError,
    NotVietnameseError,
    ConfigError,
    FeedbackDecisionError,
    FeedbackStoreError,
)

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2
EXIT_OUTPUT = 3  # the result could not be written (-o to a missing folder, a full disk…)

GENERAL_EXITS: tuple[tuple[int, str, str], ...] = (
    (EXIT_OK, "Đã phân tích.", "Analysed."),
    (
        EXIT_INTERNAL,
        "Lỗi nội bộ (hãy báo lỗi kèm tệp mẫu không chứa dữ liệu cá nhân).",
        "Internal error (please report it).",
    ),
    (EXIT_USAGE, "Sai cú pháp lệnh.", "Wrong usage of the command."),
    (EXIT_OUTPUT, "Không ghi được kết quả ra tệp.", "The result could not be written."),
)


def errors_markdown() -> str:
    """The table of exit codes and error codes, as in ``docs/errors.md`` (a test keeps the two equal)."""
    lines = [
        "# Exit codes and error codes",
        "",
        "Generated from `nlp/errors.py` (`kiemdiem errors --markdown`); a test keeps this file in sync.",
        "Every refusal carries a stable `code`, the CLI exit code and, in the API, the HTTP status;",
        "its message is given in Vietnamese and English. `detail` holds only sizes, limits and formats,",
        "never report text.",
        "",
        "| Exit | Code | HTTP | Tiếng Việt | English |",
        "|---:|---|---:|---|---|",
    ]
    for exit_code, vi, en in GENERAL_EXITS:
        lines.append(f"| {exit_code} | | | {vi} | {en} |")
    for error in INPUT_ERRORS:
        lines.append(
            f"| {error.exit_code} | `{error.code}` | {error.http_status} | {error.message_vi} | {error.message_en} |"
        )
    return "\n".join(lines) + "\n"
