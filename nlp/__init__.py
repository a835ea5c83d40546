"""kiemdiem: read Vietnamese self-critique reports (bản kiểm điểm) and show where they are weak.

    >>> from nlp import analyze
    >>> result = analyze(text)          # an AnalysisResult (schema v1)
    >>> result.band, result.scores.overall

``analyze_file(path)`` reads .docx, .pdf and .txt; bad input raises :class:`nlp.errors.InputError`.
"""

import sys

# underthesea imports its optional translator on import, which imports transformers and torch (seconds) wherever
# they are installed (the transformer extra); kiemdiem never translates, so that module is marked absent and
# underthesea skips it. torch is then imported only when the transformer classifier is used.
sys.modules.setdefault("underthesea.pipeline.translate", None)

from nlp.errors import InputError  # noqa: E402
from nlp.pipeline import analyze, analyze_bytes, analyze_file  # noqa: E402
from nlp.schema import SCHEMA_VERSION, AnalysisResult  # noqa: E402

__all__ = ["SCHEMA_VERSION", "AnalysisResult", "InputError", "analyze", "analyze_bytes", "analyze_file"]
__version__ = "0.1.0"
