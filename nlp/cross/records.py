"""The typed input and output of the cross-report checks: analysed reports in, linkage, rows and findings out.

Output models are pydantic, so the API and the batch can write them as JSON as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from nlp.schema import AnalysisResult, Finding

if TYPE_CHECKING:
    from nlp.cross.passages import Passage

CollectiveVerdict = Literal["owned", "diffused", "absent", "denied"]
PreviousVerdict = Literal["reported", "stock_line", "not_mentioned", "repeated"]
Outcome = Literal["fixed", "partly", "not_fixed"]
UnitBasis = Literal["header", "folder", "both", "parent"]
UnlinkedReason = Literal["no_collective", "one_year_only", "no_identity", "no_year"]


@dataclass(frozen=True)
class AnalysedReport:
    """One analysed report: its file (as the batch names it, relative to the batch root) and its result."""

    path: str
    result: AnalysisResult


@dataclass(frozen=True)
class PreparedReport:
    """One report as the checks read it, prepared beforehand (by a batch worker, beside the analysis): its identity,
    ``read_passages`` for its passages, called when the checks first read its sentences (None: they cannot be read
    back, and are built from the full result), and ``load`` for its full result, called only when the report gets
    findings (to place and apply them) or its passages must be built. The checks give the same as with the
    :class:`AnalysedReport` of that result."""

    path: str
    identity: Identity
    read_passages: Callable[[], list[Passage] | None]
    load: Callable[[], AnalysisResult]
    sections: frozenset[str] | None = None  # the parts ``read_passages`` is limited to (None: the whole report)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Identity(_Model):
    """Who wrote a report, for which unit and year (read from the header and the text)."""

    file: str
    role: str
    form: str
    year: int | None = None
    name: str | None = None
    key: str | None = Field(None, description="the name normalised for matching (NFC, case-folded, no 'Đ/c')")
    birth: str | None = Field(None, description="date of birth as YYYY-MM-DD (or YYYY)")
    party_post: str | None = None
    gov_post: str | None = None
    posts: list[str] = Field(default_factory=list, description="ids of nlp/data/positions.yaml")
    head: bool = False
    head_level: Literal["committee", "branch", "own"] | None = Field(
        None, description="level of the head post: the đảng ủy / whole enterprise, a chi bộ / sub-unit, or unsaid"
    )
    areas: list[str] = Field(default_factory=list, description="folded phrases naming the areas the posts cover")
    places: list[str] = Field(
        default_factory=list,
        description="folded names of the writer's chi bộ or sub-unit inside a đảng bộ: a shortcoming there is theirs",
    )
    unit_name: str | None = None
    unit_key: str | None = None
    parent_name: str | None = Field(None, description="the party body the header names above the writer's unit")
    parent_key: str | None = None
    folder: str = ""


class UnitLink(_Model):
    """One unit (chi bộ / đảng bộ) of the batch and its reports."""

    key: str
    name: str | None = None
    basis: UnitBasis = Field(
        description="how its reports were grouped: header unit name, folder, both agreeing, or chi bộ attached to the "
        "đảng bộ their headers name above them (parent)"
    )
    year: int | None = Field(None, description="the year under review (the latest year of the unit's reports)")
    collective: str | None = Field(None, description="this year's collective report")
    previous_collective: str | None = None
    individuals: list[str] = Field(default_factory=list, description="this year's individual reports")
    previous: list[str] = Field(default_factory=list, description="earlier years' reports")


class PersonLink(_Model):
    """One writer found in this year's and last year's reports."""

    unit: str
    name: str
    current: str
    previous: str
    by_birth: bool = Field(description="the date of birth agreed (not only the name)")


class Unlinked(_Model):
    """A report that could not be linked, with why (never an error)."""

    file: str
    unit: str | None = None
    reason: UnlinkedReason


class Linkage(_Model):
    """What was linked and what could not be."""

    identities: list[Identity] = Field(default_factory=list)
    units: list[UnitLink] = Field(default_factory=list)
    persons: list[PersonLink] = Field(default_factory=list)
    unlinked: list[Unlinked] = Field(default_factory=list)


class Quote(_Model):
    """A sentence of one report: file, offsets into its text, the text itself."""

    file: str
    start: int
    end: int
    text: str


class CollectiveRow(_Model):
    """One collective shortcoming × one responsible person (sheet 'Đối chiếu tập thể – cá nhân')."""

    unit: str
    shortcoming: Quote
    person: str
    file: str
    posts: list[str] = Field(default_factory=list)
    why: list[Literal["head", "named", "area", "speaks"]] = Field(default_factory=list)
    verdict: CollectiveVerdict
    sentence: Quote | None = Field(None, description="the person's sentence the verdict rests on")
    similarity: float | None = None
    rule: str | None = None


class PreviousRow(_Model):
    """One of last year's shortcomings × this year's report of the same writer (sheet 'Đối chiếu năm trước')."""

    unit: str
    writer: str = Field(description="the person's name, or 'collective'")
    shortcoming: Quote
    file: str
    verdict: PreviousVerdict
    outcome: Outcome | None = None
    sentence: Quote | None = None
    similarity: float | None = None
    rule: str | None = None


class CrossResult(_Model):
    """Everything the cross-report checks give: the linkage, the rows of both checks, per-report findings and the
    results with those findings applied (accountability status and scores updated)."""

    lang: Literal["vi", "en"] = "vi"
    linkage: Linkage
    collective_rows: list[CollectiveRow] = Field(default_factory=list)
    previous_rows: list[PreviousRow] = Field(default_factory=list)
    findings: dict[str, list[Finding]] = Field(default_factory=dict, description="file → cross_report findings")
    results: dict[str, AnalysisResult] = Field(
        default_factory=dict, description="file → the result with its cross_report findings applied"
    )
