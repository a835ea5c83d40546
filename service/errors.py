"""Errors of the HTTP API, in the same shape as the pipeline's :class:`nlp.errors.InputError`.

Every refusal is answered with JSON ``{"error": {"code", "status", "message_vi", "message_en", "detail"}}``.
Pipeline refusals (``KD-E0xx``) keep their code and HTTP status; the API adds its own ``KD-A0xx`` codes for what
only a web request can get wrong (size of the request, JSON, media type, token...). ``detail`` holds sizes,
limits, field names and formats, never report text.
"""

from __future__ import annotations

from typing import ClassVar

from starlette.responses import JSONResponse

from nlp.errors import InputError


class ApiError(Exception):
    """A refusal by the API layer, with a stable ``code``, an HTTP status and bilingual messages."""

    code: ClassVar[str] = "KD-A000"
    http_status: ClassVar[int] = 400
    message_vi: ClassVar[str] = "Yêu cầu không hợp lệ."
    message_en: ClassVar[str] = "Invalid request."
    headers: ClassVar[dict[str, str]] = {}

    def __init__(self, detail: str = "", *, extra: dict[str, object] | None = None) -> None:
        self.detail = detail
        self.extra = extra or {}
        super().__init__(self.code + (f" ({detail})" if detail else ""))

    def to_dict(self) -> dict[str, object]:
        return error_body(self.code, self.http_status, self.message_vi, self.message_en, self.detail, self.extra)


class RequestTooLargeError(ApiError):
    code = "KD-A001"
    http_status = 413
    message_vi = "Yêu cầu gửi lên vượt quá giới hạn kích thước cho phép."
    message_en = "The request body exceeds the size limit."


class MalformedRequestError(ApiError):
    code = "KD-A002"
    http_status = 400
    message_vi = "Yêu cầu bị lỗi cú pháp (JSON, multipart hoặc độ dài khai báo không đúng)."
    message_en = "The request is malformed (bad JSON, multipart data or declared length)."


class UnsupportedMediaTypeError(ApiError):
    code = "KD-A003"
    http_status = 415
    message_vi = 'Kiểu nội dung không được hỗ trợ; hãy gửi JSON {"text": ...} hoặc tải tệp lên (multipart/form-data).'
    message_en = 'Unsupported content type; send JSON {"text": ...} or upload a file (multipart/form-data).'


class InvalidRequestError(ApiError):
    code = "KD-A004"
    http_status = 422
    message_vi = "Thiếu hoặc sai trường dữ liệu trong yêu cầu."
    message_en = "A field of the request is missing or invalid."


class UnauthorizedError(ApiError):
    code = "KD-A005"
    http_status = 401
    message_vi = "Cần mã truy cập API hợp lệ (tiêu đề Authorization: Bearer …)."
    message_en = "A valid API token is required (header Authorization: Bearer …)."
    headers: ClassVar[dict[str, str]] = {"WWW-Authenticate": "Bearer"}


class NotFoundError(ApiError):
    code = "KD-A006"
    http_status = 404
    message_vi = "Không có địa chỉ này."
    message_en = "No such address."


class MethodNotAllowedError(ApiError):
    code = "KD-A007"
    http_status = 405
    message_vi = "Địa chỉ này không nhận phương thức HTTP đã dùng."
    message_en = "This address does not accept the HTTP method used."


class BusyError(ApiError):
    code = "KD-A008"
    http_status = 503
    message_vi = "Máy chủ đang bận phân tích nhiều báo cáo; hãy thử lại sau ít giây."
    message_en = "The server is busy analysing other reports; try again in a few seconds."
    headers: ClassVar[dict[str, str]] = {"Retry-After": "2"}


class BodyTimeoutError(ApiError):
    code = "KD-A010"
    http_status = 408
    message_vi = "Nội dung yêu cầu gửi lên quá chậm hoặc bị dừng giữa chừng; máy chủ đã đóng kết nối."
    message_en = "The request body arrived too slowly or stopped arriving; the server closed the connection."
    headers: ClassVar[dict[str, str]] = {"Connection": "close"}


class AnalysisTimeoutError(ApiError):
    code = "KD-A011"
    http_status = 504
    message_vi = "Phân tích báo cáo này vượt quá thời gian cho phép nên đã bị dừng; hãy thử bản ngắn hơn."
    message_en = "Analysing this report took longer than the time limit and was stopped; try a shorter text."


class FeedbackOffError(ApiError):
    code = "KD-A012"
    http_status = 404
    message_vi = "Máy chủ này không lưu ý kiến phản hồi (cấu hình không đặt kho phản hồi); không có gì được ghi lại."
    message_en = "This server does not keep feedback (no feedback store is configured); nothing was recorded."


class NothingToCompareError(ApiError):
    code = "KD-A013"
    http_status = 422
    message_vi = "Đối chiếu cần thêm báo cáo kiểm điểm tập thể (collective) hoặc bản kiểm điểm năm trước (previous)."
    message_en = "A comparison needs the collective report (collective) or last year's report (previous) as well."


class SameFileTwiceError(ApiError):
    code = "KD-A014"
    http_status = 422
    message_vi = "Hai tệp gửi để đối chiếu có nội dung giống hệt nhau; hãy gửi đúng báo cáo tập thể / bản năm trước."
    message_en = "Two of the files sent for comparison are identical; send the right collective / last year's report."


class InternalError(ApiError):
    code = "KD-A009"
    http_status = 500
    message_vi = "Lỗi nội bộ của máy chủ (hãy báo lỗi kèm tệp mẫu không chứa dữ liệu cá nhân)."
    message_en = "Internal server error (please report it with a sample file holding no personal data)."


API_ERRORS: tuple[type[ApiError], ...] = (
    RequestTooLargeError,
    MalformedRequestError,
    UnsupportedMediaTypeError,
    InvalidRequestError,
    UnauthorizedError,
    NotFoundError,
    MethodNotAllowedError,
    BusyError,
    InternalError,
    BodyTimeoutError,
    AnalysisTimeoutError,
    FeedbackOffError,
    NothingToCompareError,
    SameFileTwiceError,
)


class PartRefusal(Exception):
    """The pipeline refused one file of a comparison (``POST /v1/compare``): its refusal, and which file
    (``part``: "report", "collective" or "previous"), which the answer names in ``error.part``."""

    def __init__(self, part: str, error: InputError) -> None:
        super().__init__(f"{part}: {error.code}")
        self.part = part
        self.error = error


def error_body(
    code: str, status: int, message_vi: str, message_en: str, detail: str = "", extra: dict[str, object] | None = None
) -> dict[str, object]:
    """The JSON body of every error answer."""
    error: dict[str, object] = {
        "code": code,
        "status": status,
        "message_vi": message_vi,
        "message_en": message_en,
        "detail": detail,
    }
    if extra:
        error.update(extra)
    return {"error": error}


def error_response(error: ApiError | InputError | PartRefusal) -> JSONResponse:
    """A JSON answer for an API or pipeline refusal, with its status and headers (``no-store``)."""
    if isinstance(error, PartRefusal):
        refused = error.error
        body = error_body(
            refused.code,
            refused.http_status,
            refused.message_vi,
            refused.message_en,
            refused.detail,
            {"part": error.part},
        )
        return JSONResponse(body, status_code=refused.http_status, headers={"Cache-Control": "no-store"})
    if isinstance(error, InputError):
        body = error_body(error.code, error.http_status, error.message_vi, error.message_en, error.detail)
        headers: dict[str, str] = {}
    else:
        body = error.to_dict()
        headers = dict(error.headers)
    headers["Cache-Control"] = "no-store"
    return JSONResponse(body, status_code=error.http_status, headers=headers)


def errors_markdown() -> str:
    """The table of API error codes (pipeline refusals are in ``docs/errors.md``), as in ``docs/SERVICE.md``."""
    lines = ["| Code | HTTP | Tiếng Việt | English |", "|---|---:|---|---|"]
    for error in API_ERRORS:
        lines.append(f"| `{error.code}` | {error.http_status} | {error.message_vi} | {error.message_en} |")
    return "\n".join(lines) + "\n"
