"""Accountability: does the writer state personal (and, for a head, head-of-unit) responsibility for the
collective's shortcomings? (DOMAIN.md §4, P8.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlp.catalog import make_finding
from nlp.doc import Doc, Unit
from nlp.features import anchor_kinds, is_first_person
from nlp.form import heads_a_unit
from nlp.schema import Accountability, Finding, Span, construct

FAULT_SECTIONS = ("shortcomings", "causes", "collective_responsibility", "previous_remediation", "suggested_issues")
_STRONG_RESPONSIBILITY = re.compile(r"trach nhiem (chinh|truc tiep|ca nhan|cua (toi|ban than|nguoi dung dau))")
_NONE = re.compile(r"^\W*(khong( co)?|chua co|khong co (gi|han che|khuyet diem)[^\.]*)\W*$")


@dataclass
class AccountabilityFacts:
    """What the accountability check found, for the result and for scoring."""

    status: str
    evidence: list[Unit] = field(default_factory=list)
    collective_faults: list[Unit] = field(default_factory=list)
    head_responsibility: bool | None = None
    findings: list[Finding] = field(default_factory=list)
    explanation: str = ""


def collective_faults(doc: Doc) -> list[Unit]:
    """Sentences that state shortcomings of the collective (the body, the unit)."""
    if doc.role == "collective":
        return [u for u in doc.units_in("shortcomings", "causes") if u.has("shortcoming")]
    return [u for u in doc.units_in(*MEMBER_FAULT_SECTIONS) if _states_collective_fault(u)]


MEMBER_FAULT_SECTIONS = ("shortcomings", "causes", "collective_responsibility")
_SUBJECT_WINDOW = 40  # the collective must be what the sentence is about, near its start
# a unit named at the start ("Phòng Quản lý đất đai còn …"): matched on the text itself, since folding would
# confuse "Đội" (team) with "Đôi lúc" (at times)
_NAMED_UNIT_AT_START = re.compile(
    r"^(phòng|khoa|tổ|trường|trạm|đội|chi cục|công ty|xí nghiệp|phân xưởng|ủy ban|ubnd|trung tâm|bệnh viện|"
    r"ban quản lý|văn phòng|chi nhánh|hợp tác xã|công an)\s+\w"
)
_PREPOSITION_BEFORE = re.compile(r"\b(trong|o|tai|cua|voi|cho|sinh hoat|doi voi|ve)\s+$")


def _states_collective_fault(unit: Unit) -> bool:
    """In a member's report: the unit, its chi bộ or its body is the subject of a shortcoming (not the writer)."""
    if _NONE.search(unit.folded) or unit.has("denial"):
        return False
    if unit.section == "collective_responsibility":  # the part exists to name them: any fact stated there
        return unit.has("shortcoming") or unit.has("collective_subject") or bool(anchor_kinds(unit))
    if not unit.has("shortcoming"):
        return False
    writer = unit.lexicon_hits("first_person")
    subjects = [
        h.start
        for h in unit.lexicon_hits("collective_subject")
        if h.start < _SUBJECT_WINDOW and not _PREPOSITION_BEFORE.search(unit.folded[: h.start])
    ]
    if _NAMED_UNIT_AT_START.match(unit.text.lower()) and unit.text[:1].isupper():
        subjects.insert(0, 0)
    if not subjects:
        return False
    return not [h for h in writer if h.start < subjects[0]]  # "tôi … chi bộ" is the writer's own fault


def _is_responsibility_statement(unit: Unit, role: str) -> bool:
    """The writer (or, for a collective, its head) owns a specific share: not a stock line, not a generic one."""
    if "generic" in unit.labels:  # the classifier judged it formulaic ("cùng chịu trách nhiệm chung")
        return False
    stock = unit.lexicon_hits("stock_responsibility")
    own = [h for h in unit.lexicon_hits("responsibility") if not any(s.start <= h.start < s.end for s in stock)]
    if not own or (unit.has("deflection") and not is_first_person(unit)):
        return False
    if role == "collective":
        subject = unit.has("head_role") or unit.has("collective_subject") or is_first_person(unit)
    else:
        subject = is_first_person(unit) or unit.has("head_role")
    specific = (
        bool(anchor_kinds(unit))
        or bool(_STRONG_RESPONSIBILITY.search(" ".join(unit.folded.split())))
        or (unit.has("shortcoming") and not stock)
    )
    return subject and specific


def _is_head_statement(unit: Unit) -> bool:
    return unit.has("head_role") and unit.has("responsibility") and not _only_stock(unit)


def _only_stock(unit: Unit) -> bool:
    stock = unit.lexicon_hits("stock_responsibility")
    return bool(stock) and not anchor_kinds(unit) and not unit.has("head_role")


def check_accountability(doc: Doc, lang: str = "vi") -> AccountabilityFacts:
    """Decide the accountability status and the findings behind it."""
    faults = collective_faults(doc)
    candidates = [u for u in doc.content_units if u.section not in {"header", "signature", "achievements"}]
    evidence = [u for u in candidates if _is_responsibility_statement(u, doc.role)]
    needs_head = doc.role == "collective" or (doc.role == "leader" and heads_a_unit(doc.header))
    head = any(_is_head_statement(u) for u in evidence) if needs_head else None
    applicable = doc.role in {"collective", "leader"} or bool(faults)
    facts = AccountabilityFacts(
        status="present" if evidence else ("missing" if applicable else "not_applicable"),
        evidence=evidence,
        collective_faults=faults,
        head_responsibility=head,
    )
    anchor = _anchor_span(doc, faults)
    if facts.status == "missing":
        facts.findings.append(make_finding("accountability.missing_personal", *anchor, lang=lang))
    if needs_head and not head:
        facts.findings.append(make_finding("accountability.missing_head", *anchor, lang=lang))
    facts.findings.extend(_empty_section_findings(doc, faults, lang))
    facts.explanation = _explain(facts, doc, lang)
    return facts


def _anchor_span(doc: Doc, faults: list[Unit]) -> tuple[int, int]:
    for section in doc.sections:
        if section.id == "collective_responsibility":
            return section.start, section.heading_end
    if faults:
        return faults[0].start, faults[0].end
    for section in doc.sections:
        if section.id == "shortcomings":
            return section.start, section.heading_end
    first = doc.lines[0] if doc.lines else None
    return (first.start, first.end) if first else (0, 0)


def _empty_section_findings(doc: Doc, faults: list[Unit], lang: str) -> list[Finding]:
    if not faults:
        return []
    findings = []
    for unit in doc.units_in("collective_responsibility"):
        if _NONE.search(unit.folded) or (unit.has("denial") and not unit.has("responsibility")):
            findings.append(make_finding("accountability.empty_section", unit.start, unit.end, lang=lang))
    return findings


def _explain(facts: AccountabilityFacts, doc: Doc, lang: str) -> str:
    vi = lang == "vi"
    if facts.status == "not_applicable":
        return (
            "Báo cáo không nêu hạn chế của tập thể và người viết không giữ chức vụ lãnh đạo."
            if vi
            else "No collective shortcomings are mentioned and the writer holds no leadership post."
        )
    if facts.status == "missing":
        return (
            f"Có {len(facts.collective_faults)} câu nêu hạn chế của tập thể nhưng không câu nào nêu trách nhiệm cá nhân cụ thể."
            if vi
            else f"{len(facts.collective_faults)} sentences state collective shortcomings; none states specific personal responsibility."
        )
    head = (
        ""
        if facts.head_responsibility in (None, True)
        else (" Chưa nêu trách nhiệm của người đứng đầu." if vi else " The head's responsibility is not stated.")
    )
    return (
        f"Có {len(facts.evidence)} câu nêu trách nhiệm cá nhân cụ thể.{head}"
        if vi
        else f"{len(facts.evidence)} sentences state specific personal responsibility.{head}"
    )


def to_schema(facts: AccountabilityFacts) -> Accountability:
    """The schema object of the accountability verdict."""
    return construct(  # values already in their fields' types (nlp.schema.construct)
        Accountability,
        status=facts.status,
        evidence=[construct(Span, start=u.start, end=u.end) for u in facts.evidence],
        collective_shortcomings=[construct(Span, start=u.start, end=u.end) for u in facts.collective_faults],
        head_responsibility=facts.head_responsibility,
        explanation=facts.explanation,
    )
