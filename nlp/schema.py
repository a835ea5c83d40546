"""The result schema, version 1: the one set of pydantic models shared by the library, CLI, API and batch.

The JSON Schema in ``docs/result.schema.json`` is generated from these models (``kiemdiem schema``);
``docs/schema.md`` explains each field. Fields may be added; none may be renamed.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

Form = Literal["01", "02A", "02B", "02C", "unknown"]
Guidance = Literal["HD25-2023", "HD43-2025"]
Role = Literal["collective", "leader", "member", "member_outside_system", "unknown"]
SelfRating = Literal[
    "hoàn thành xuất sắc nhiệm vụ",
    "hoàn thành tốt nhiệm vụ",
    "hoàn thành nhiệm vụ",
    "không hoàn thành nhiệm vụ",
]
SectionId = Literal[
    "header",
    "achievements",
    "ideology_ethics",
    "duties",
    "commitments",
    "shortcomings",
    "causes",
    "previous_remediation",
    "suggested_issues",
    "collective_responsibility",
    "remedies",
    "self_rating",
    "signature",
]
SECTION_IDS: tuple[str, ...] = get_args(SectionId)  # in the order the forms put them
SentenceLabel = Literal["generic", "evasive"]
Category = Literal[
    "generic", "evasive", "accountability", "completeness", "consistency", "specificity", "input", "cross_report"
]
Severity = Literal["info", "low", "medium", "high"]
AccountabilityStatus = Literal["present", "missing", "not_applicable"]
Band = Literal["weak", "adequate", "strong"]
Scope = Literal["report", "fragment"]
SectionDecision = Literal["heading", "inferred"]
ScoreName = Literal["specificity", "candor", "accountability", "completeness", "overall"]


class _Model(BaseModel):
    """Validators and serializers are built on first use (``defer_build``): the pipeline builds its results with
    :func:`construct` from values it already holds in their field types, so a terminal view never builds them;
    JSON output, the API and :meth:`model_validate` do, once per process."""

    model_config = ConfigDict(extra="forbid", defer_build=True)


M = TypeVar("M", bound=BaseModel)
_setattr = object.__setattr__
_REQUIRED, _VALUE, _FACTORY, _MODEL, _OTHER = range(5)
_IMMUTABLE = (type(None), bool, int, float, str)


@cache
def _fields(model: type[BaseModel]) -> tuple[tuple[str, int, Any], ...]:
    """Each field of ``model`` with how its default is made when it is not given."""
    fields = []
    for name, field in model.__pydantic_fields__.items():
        factory = field.default_factory
        if field.is_required():
            fields.append((name, _REQUIRED, None))
        elif factory is None and isinstance(field.default, _IMMUTABLE):
            fields.append((name, _VALUE, field.default))
        elif isinstance(factory, type) and issubclass(factory, BaseModel):
            fields.append((name, _MODEL, factory))  # a model's defaults, built as this one is
        elif factory is not None and not field.default_factory_takes_validated_data:
            fields.append((name, _FACTORY, factory))
        else:
            fields.append((name, _OTHER, field))
    return tuple(fields)


def construct(model: type[M], **values: Any) -> M:
    """What ``model.model_construct(**values)`` makes (the fields in order, the defaults of those not given, the
    given ones as the fields set), for field names without aliases; without its lookups per field (aliases, the
    signature of each default factory), which cost more than validating. ``values`` must already be of their
    fields' types: nothing is checked."""
    instance = model.__new__(model)
    data: dict[str, Any] = {}
    for name, how, default in _fields(model):
        if name in values:
            data[name] = values[name]
        elif how == _VALUE:
            data[name] = default
        elif how == _FACTORY:
            data[name] = default()
        elif how == _MODEL:
            data[name] = construct(default)
        elif how == _OTHER:
            data[name] = default.get_default(call_default_factory=True, validated_data=data)
    _setattr(instance, "__dict__", data)
    _setattr(instance, "__pydantic_fields_set__", set(values))
    _setattr(instance, "__pydantic_extra__", None)
    _setattr(instance, "__pydantic_private__", None)
    return instance


class Span(_Model):
    """A character range ``[start, end)`` into the result's ``text``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Header(_Model):
    """Header fields read from the report; ``None`` where the report does not give them."""

    name: str | None = None
    position: str | None = Field(None, description="Party and government posts, as written")
    party_position: str | None = None
    government_position: str | None = None
    unit: str | None = None
    branch: str | None = Field(None, description="chi bộ / đảng bộ the report belongs to")
    year: int | None = None
    place_date: str | None = None


class Section(_Model):
    """One part of the report: its id, its heading as written, and its character range."""

    id: SectionId
    title: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    heading_end: int | None = Field(None, description="end of the heading line inside the section")
    decided_by: SectionDecision = Field(
        "heading", description="'heading': a heading in the text; 'inferred': from what the sentences say"
    )


class Sentence(_Model):
    """One sentence unit (a sentence, a bullet item or a structural line)."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    section: SectionId | None
    structural: bool = Field(description="heading, header line, date or signature line")
    generic: float = Field(ge=0.0, le=1.0, description="probability that the sentence is generic")
    evasive: float = Field(ge=0.0, le=1.0, description="probability that the sentence is evasive")
    labels: list[SentenceLabel] = Field(default_factory=list)
    anchors: list[str] = Field(
        default_factory=list, description="kinds of concrete anchor found (number, date, document...)"
    )


class CrossEvidence(_Model):
    """For a ``cross_report`` finding: the other report's sentence that it rests on (the unit's collective report,
    or the same writer's report of last year), with offsets into that report's returned ``text``."""

    file: str = Field(description="the other report's file, as the batch or the caller named it")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    quote: str = Field(description="the other report's sentence, text[start:end] of that report")
    year: int | None = Field(None, description="the year the other report reviews")
    verdict: str = Field(
        description="owned / diffused / absent / denied, or reported / stock_line / not_mentioned / repeated"
    )


class Finding(_Model):
    """One thing a reviewer should look at, with why and what a specific sentence would say."""

    rule: str = Field(description="stable rule id, e.g. 'evasive.unnamed_agent'")
    category: Category
    severity: Severity
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    message: str
    suggestion: str = ""
    sentence: int | None = Field(None, description="index into sentences, when the finding is on one")
    section: SectionId | None = None
    kind: str | None = Field(
        None, description="for evasive findings, the sub-kind of evasion (hedge, objective_cause, …)"
    )
    evidence: CrossEvidence | None = Field(
        None, description="for cross_report findings: the other report's sentence quoted as evidence"
    )
    review: Literal["confirmed", "dismissed"] | None = Field(
        None,
        description="a reviewer's decision on this finding, kept in the feedback store (docs/FEEDBACK.md); null: "
        "not reviewed",
    )


class Accountability(_Model):
    """Whether the writer takes personal (and, for a head, head-of-unit) responsibility."""

    status: AccountabilityStatus
    evidence: list[Span] = Field(default_factory=list)
    collective_shortcomings: list[Span] = Field(
        default_factory=list, description="sentences showing shortcomings of the collective"
    )
    head_responsibility: bool | None = Field(None, description="for leaders/collectives: head's responsibility stated")
    explanation: str = ""


class Scores(_Model):
    """Report-level scores, 0–100, higher is better."""

    specificity: float = Field(ge=0, le=100)
    candor: float = Field(ge=0, le=100)
    accountability: float = Field(ge=0, le=100)
    completeness: float = Field(ge=0, le=100)
    overall: float = Field(ge=0, le=100)


class ScoreExplanation(_Model):
    """Why a score has its value: a sentence of explanation and the findings that lowered it."""

    score: ScoreName
    value: float
    explanation: str
    findings: list[int] = Field(default_factory=list, description="indices into findings")


class SourceInfo(_Model):
    """How the text was obtained (no personal data)."""

    format: Literal["txt", "docx", "pdf", "text"] = "text"
    encoding: str | None = None
    legacy_font: str | None = None
    diacritics: bool = True
    notes: list[str] = Field(default_factory=list)


class ConfigInfo(_Model):
    """Which configuration produced a result: equal hashes, equal analyses of the same text."""

    hash: str | None = Field(None, description="16 hex digits of a SHA-256 over the settings; null: shipped defaults")
    file: str | None = Field(None, description="the .kiemdiem.yaml read, or null")


class AnalysisResult(_Model):
    """The analysis of one report (schema version 1)."""

    schema_version: Literal[1] = SCHEMA_VERSION
    lang: Literal["vi", "en"] = "vi"
    text: str = Field(description="the normalised text; every offset indexes into it")
    form: Form = "unknown"
    guidance: Guidance | None = None
    role: Role = "unknown"
    header: Header = Field(default_factory=Header)
    self_score: float | None = None
    self_score_parts: dict[str, float] = Field(default_factory=dict)
    self_rating: SelfRating | None = None
    sections: list[Section] = Field(default_factory=list)
    missing_sections: list[SectionId] = Field(default_factory=list)
    sentences: list[Sentence] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    accountability: Accountability
    scores: Scores
    score_explanations: list[ScoreExplanation] = Field(default_factory=list)
    band: Band | None = Field(description="weak / adequate / strong; null for a fragment (no whole report given)")
    scope: Scope = Field(
        "report",
        description="'report': a whole report; 'fragment': a paragraph or section pasted alone (no missing-part "
        "claims, no band)",
    )
    source: SourceInfo = Field(default_factory=SourceInfo)
    classifier: str = Field("rules-v1", description="the SentenceClassifier that gave the probabilities")
    config: ConfigInfo = Field(
        default_factory=ConfigInfo,
        description="the organisation's configuration (.kiemdiem.yaml) that produced this result",
    )


def result_json_schema() -> dict:
    """The JSON Schema of :class:`AnalysisResult`, generated from the models."""
    schema = AnalysisResult.model_json_schema()
    schema["$id"] = "https://kiemdiem.local/schema/result-v1.json"
    schema["title"] = "kiemdiem analysis result v1"
    return schema
