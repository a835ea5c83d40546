"""kiemdiem: read Vietnamese self-critique reports (bản kiểm điểm) and show where they are weak.

    >>> from nlp import analyze
    >>> result = analyze(text)          # an AnalysisResult (schema v1)
    >>> result.band, result.scores.overall

``analyze_file(path)`` reads .docx, .pdf and .txt; bad input raises :class:`nlp.errors.InputError`.
"""

from nlp.errors import InputError
from nlp.pipeline import analyze, analyze_bytes, analyze_file
from nlp.schema import SCHEMA_VERSION, AnalysisResult

__all__ = ["SCHEMA_VERSION", "AnalysisResult", "InputError", "analyze", "analyze_bytes", "analyze_file"]
__version__ = "0.1.0"
