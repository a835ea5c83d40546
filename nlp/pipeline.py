"""The analysis pipeline: ingest → normalise → segment → form → features → detect/classify → score.

:func:`analyze` and :func:`analyze_file` are the one public entry point; the CLI, the API and the batch
all call them and return the same :class:`~nlp.schema.AnalysisResult`.
"""

from __future__ import annotations

import os
import re
from functools import cache

from nlp.catalog import label, make_finding, rules
from nlp.classify import SentenceClassifier, default_classifier
from nlp.config import Configuration
from nlp.detect.accountability import check_accountability, to_schema
from nlp.detect.completeness import _required, check_completeness
from nlp.detect.consistency import check_consistency
from nlp.detect.form_instructions import form_instruction_findings
from nlp.detect.sentence_rules import Candidate, sentence_candidates
from nlp.doc import Doc
from nlp.errors import EmptyInputError, InputTooLargeError
from nlp.features import anchor_kinds, annotate, is_first_person
from nlp.form import detect_form
from nlp.ingest import IngestedText, IngestLimits
from nlp.language import require_vietnamese
from nlp.lexicon import Lexicons
from nlp.normalize import has_diacritics, normalize
from nlp.schema import AnalysisResult, ConfigInfo, Finding, Section, Sentence, SourceInfo, construct
from nlp.scope import decide_scope
from nlp.score import score
from nlp.segment import segment

_LETTERS = re.compile(r"[^\W\d_]")
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "info": 3}


def analyze(
    text: str,
    *,
    lang: str = "vi",
    classifier: SentenceClassifier | None = None,
    source: SourceInfo | None = None,
    max_chars: int | None = None,
    config: Configuration | None = None,
) -> AnalysisResult:
    """Analyse one report given as text; raise :class:`~nlp.errors.InputError` on empty or huge input.

    ``config``: an organisation's configuration (:func:`nlp.config.load_config`); default: the shipped behaviour."""
    return analyze_document(text, lang=lang, classifier=classifier, source=source, max_chars=max_chars, config=config)[
        0
    ]


def analyze_document(
    text: str,
    *,
    lang: str = "vi",
    classifier: SentenceClassifier | None = None,
    source: SourceInfo | None = None,
    max_chars: int | None = None,
    config: Configuration | None = None,
) -> tuple[AnalysisResult, Doc]:
    """:func:`analyze`, and the annotated ``Doc`` it read (each unit's folded text, lexicon hits and anchors), for a
    caller that reads the same sentences again (the batch worker preparing the cross-report checks' inputs)."""
    if lang not in {"vi", "en"}:
        raise ValueError("lang must be 'vi' or 'en'")
    limit = max_chars if max_chars is not None else IngestLimits().max_text_chars
    if not isinstance(text, str):
        raise TypeError("analyze() takes a str; use analyze_file() or analyze_bytes() for files")
    if len(text) > limit:
        raise InputTooLargeError(f"{len(text)} > {limit} characters")
    config = config or _shipped_configuration()
    doc = prepare(text, lexicons=config.lexicons())
    result = _build_result(doc, classifier or default_classifier(), lang, source or construct(SourceInfo), config)
    return result, doc


@cache
def _shipped_configuration() -> Configuration:
    """The configuration of an analysis given none (frozen: one per process, not one per analysis)."""
    return Configuration()


def prepare(text: str, *, lexicons: Lexicons | None = None) -> Doc:
    """Normalise, segment, read the form and annotate features: the ``Doc`` every detector and model reads
    (``lexicons``: a configuration's cue lists; default: the shipped ones)."""
    normalized = normalize(text)
    if not _LETTERS.search(normalized):
        raise EmptyInputError("no letters")
    require_vietnamese(normalized)  # KD-E011: English, French, Chinese… are refused, not read as Vietnamese
    doc = Doc(normalized)
    doc.diacritics = has_diacritics(normalized)
    segment(doc)
    detect_form(doc)
    doc.scope = decide_scope(doc)
    annotate(doc, lexicons)
    return doc


def analyze_file(
    path: str | os.PathLike[str],
    *,
    lang: str = "vi",
    classifier: SentenceClassifier | None = None,
    limits: IngestLimits | None = None,
    config: Configuration | None = None,
) -> AnalysisResult:
    """Read a .docx, .pdf or .txt file and analyse it (refusals raise :class:`~nlp.errors.InputError`)."""
    from nlp.ingest import read_file  # parsers load only when a file is read

    ingested = read_file(path, limits=limits)
    return _analyze_ingested(ingested, lang, classifier, limits, config)[0]


def analyze_bytes(
    data: bytes,
    filename: str | None = None,
    *,
    lang: str = "vi",
    classifier: SentenceClassifier | None = None,
    limits: IngestLimits | None = None,
    config: Configuration | None = None,
) -> AnalysisResult:
    """Analyse an uploaded file's bytes; the format is sniffed from the content, not the name."""
    return analyze_bytes_document(data, filename, lang=lang, classifier=classifier, limits=limits, config=config)[0]


def analyze_bytes_document(
    data: bytes,
    filename: str | None = None,
    *,
    lang: str = "vi",
    classifier: SentenceClassifier | None = None,
    limits: IngestLimits | None = None,
    config: Configuration | None = None,
) -> tuple[AnalysisResult, Doc]:
    """:func:`analyze_bytes`, and the annotated ``Doc`` it read (:func:`analyze_document`)."""
    from nlp.ingest import read_bytes

    ingested = read_bytes(data, filename=filename, limits=limits)
    return _analyze_ingested(ingested, lang, classifier, limits, config)


def _analyze_ingested(
    ingested: IngestedText,
    lang: str,
    classifier: SentenceClassifier | None,
    limits: IngestLimits | None,
    config: Configuration | None = None,
) -> tuple[AnalysisResult, Doc]:
    source = construct(
        SourceInfo,
        format=ingested.format if ingested.format in {"txt", "docx", "pdf"} else "text",
        encoding=ingested.encoding,
        legacy_font=ingested.legacy_font,
        notes=list(ingested.notes),
    )
    limit = (limits or IngestLimits()).max_text_chars
    return analyze_document(
        ingested.text, lang=lang, classifier=classifier, source=source, max_chars=limit, config=config
    )


def _build_result(
    doc: Doc, classifier: SentenceClassifier, lang: str, source: SourceInfo, config: Configuration
) -> AnalysisResult:
    candidates = sentence_candidates(doc)
    predictions = classifier.predict(doc, candidates)
    thresholds = config.values.thresholds
    generic_threshold = thresholds.generic if thresholds.generic is not None else classifier.generic_threshold
    evasive_threshold = thresholds.evasive if thresholds.evasive is not None else classifier.evasive_threshold
    label_generic = not config.category_disabled("generic")
    label_evasive = not config.category_disabled("evasive")
    sentences: list[Sentence] = []
    findings: list[Finding] = []
    for index, (unit, found, scores) in enumerate(zip(doc.units, candidates, predictions, strict=True)):
        labels = []
        if label_generic and not unit.structural and scores.generic >= generic_threshold:
            labels.append("generic")
        if label_evasive and not unit.structural and scores.evasive >= evasive_threshold:
            labels.append("evasive")
        unit.labels = labels
        sentences.append(
            construct(
                Sentence,
                start=unit.start,
                end=unit.end,
                section=unit.section,
                structural=unit.structural,
                generic=float(scores.generic),
                evasive=float(scores.evasive),
                labels=list(labels),
                anchors=anchor_kinds(unit),
            )
        )
        unit_findings = _sentence_findings(unit.start, index, unit.section, found, labels, lang)
        unit_findings.extend(_model_findings(unit, index, scores, labels, unit_findings, lang))
        findings.extend(unit_findings)

    facts = check_accountability(doc, lang)
    if doc.scope == "fragment" and facts.status == "missing":  # a fragment need not hold that part
        facts = _fragment_accountability(facts, lang)
    if config.category_disabled("accountability"):
        facts = _accountability_switched_off(facts, lang)
    findings.extend(facts.findings)
    missing, completeness = check_completeness(doc, lang)
    if doc.scope == "fragment":  # no claim about parts that were never given
        missing = []
        completeness = [f for f in completeness if f.rule not in _WHOLE_REPORT_RULES]
    findings.extend(completeness)
    findings.extend(form_instruction_findings(doc, lang, search_text=False))
    findings.extend(check_consistency(doc, lang))
    findings.extend(_positive_findings(doc, facts.evidence, lang))
    findings.extend(_input_findings(doc, source, lang))
    findings = _configured(findings, config)
    findings.sort(key=lambda f: (f.start, SEVERITY_ORDER[f.severity], f.rule))

    required = len(_required().get(doc.role, _required()["unknown"]))
    bands = {k: v for k, v in dict(config.values.bands).items() if v is not None}
    scores, band, explanations = score(
        sentences, findings, facts.status, facts.head_responsibility, required, len(missing), lang, bands
    )
    if doc.scope == "fragment":
        band = None
    source = source.model_copy(update={"diacritics": doc.diacritics})
    return construct(  # values already in their fields' types (nlp.schema.construct)
        AnalysisResult,
        lang=lang,
        text=doc.text,
        form=doc.form,
        guidance=doc.guidance,
        role=doc.role,
        header=doc.header,
        self_score=None if doc.self_score is None else float(doc.self_score),
        self_score_parts={name: float(value) for name, value in doc.self_score_parts.items()},
        self_rating=doc.self_rating,
        sections=[
            construct(
                Section,
                id=s.id,
                title=s.title,
                start=s.start,
                end=s.end,
                heading_end=s.heading_end,
                decided_by=s.decided_by,
            )
            for s in doc.sections
        ],
        missing_sections=list(missing),
        sentences=sentences,
        findings=findings,
        accountability=to_schema(facts),
        scores=scores,
        score_explanations=explanations,
        band=band,
        scope=doc.scope,
        source=source,
        classifier=classifier.name,
        config=construct(ConfigInfo, **config.describe())
        if config.path or not config.is_default
        else construct(ConfigInfo),
    )


_WHOLE_REPORT_RULES = {"completeness.missing_section", "completeness.no_self_rating"}


def _configured(findings: list[Finding], config: Configuration) -> list[Finding]:
    """Drop the findings of switched-off rules and categories; give the others their configured severity."""
    if config.is_default:
        return findings
    kept = []
    for finding in findings:
        if config.is_disabled(finding.rule, finding.category):
            continue
        severity = config.severity_of(finding.rule, finding.severity)
        kept.append(finding if severity == finding.severity else finding.model_copy(update={"severity": severity}))
    return kept


def _accountability_switched_off(facts, lang: str):
    """The configuration switched the accountability check off: not judged, no findings."""
    facts.status = "not_applicable"
    facts.findings = []
    facts.explanation = (
        "Cấu hình của đơn vị tắt việc đánh giá trách nhiệm cá nhân đối với hạn chế của tập thể."
        if lang == "vi"
        else "The organisation's configuration switches the personal-responsibility check off."
    )
    return facts


def _fragment_accountability(facts, lang: str):
    """In a fragment, responsibility not stated is not a finding: the part may simply not have been pasted."""
    facts.status = "not_applicable"
    facts.findings = [f for f in facts.findings if f.rule not in {"accountability.missing_personal"}]
    facts.explanation = (
        "Đoạn trích: không đánh giá phần trách nhiệm cá nhân của cả bản kiểm điểm."
        if lang == "vi"
        else "Fragment: personal responsibility is not judged for a whole report that was not given."
    )
    return facts


def _sentence_findings(
    offset: int, index: int, section: str | None, found: list[Candidate], labels: list[str], lang: str
) -> list[Finding]:
    """Report the candidates of the categories the classifier labelled (one finding per rule)."""
    findings: list[Finding] = []
    seen: set[str] = set()
    generic_rules = {c.rule for c in found if rules()[c.rule]["category"] == "generic"}
    if len(generic_rules) > 1:  # "no anchor" only matters when nothing more telling was found
        found = [c for c in found if c.rule != "generic.no_anchor"]
    for candidate in found:
        category = rules()[candidate.rule]["category"]
        label = "generic" if category in {"generic", "accountability"} else "evasive"
        if label not in labels or candidate.rule in seen or candidate.strength < 0.5:
            continue
        seen.add(candidate.rule)
        findings.append(
            make_finding(
                candidate.rule,
                offset + candidate.start,
                offset + candidate.end,
                lang=lang,
                phrase=candidate.phrase,
                sentence=index,
                section=section,
            )
        )
    return findings


def _model_findings(unit, index: int, scores, labels: list[str], found: list[Finding], lang: str) -> list[Finding]:
    """What the classifier saw that no rule explains: the evasion sub-kinds it recognised, then (if still
    unexplained) the label itself as the model's judgement."""
    findings = []
    if "evasive" in labels:
        named = {f.kind for f in found if f.kind}
        for kind, _probability in scores.kinds:
            if kind not in named:
                findings.append(
                    make_finding(
                        "evasive.model_kind",
                        unit.start,
                        unit.end,
                        lang=lang,
                        phrase=label("evasion_kinds", kind, lang),
                        sentence=index,
                        section=unit.section,
                        kind=kind,
                    )
                )
    explained = {("generic" if f.category in {"generic", "accountability"} else "evasive") for f in found + findings}
    for name in labels:
        if name not in explained:
            probability = f"{getattr(scores, name):.2f}"
            findings.append(
                make_finding(
                    f"{name}.model",
                    unit.start,
                    unit.end,
                    lang=lang,
                    phrase=probability,
                    sentence=index,
                    section=unit.section,
                )
            )
    return findings


def _positive_findings(doc: Doc, evidence: list, lang: str) -> list[Finding]:
    """Specific writing worth pointing out: owned causes, remedies with deadlines, owned responsibility."""
    findings = []
    evidence_ids = {id(u) for u in evidence}
    for index, unit in enumerate(doc.units):
        if unit.structural or unit.labels:
            continue
        rule = None
        if id(unit) in evidence_ids:
            rule = "specificity.personal_responsibility"
        elif unit.section in {"shortcomings", "causes"} and is_first_person(unit) and unit.has("subjective_cause"):
            rule = "specificity.owned_cause"
        elif unit.section == "remedies" and (unit.anchors.get("deadline") or unit.anchors.get("date")):
            rule = "specificity.deadline"
        if rule:
            findings.append(make_finding(rule, unit.start, unit.end, lang=lang, sentence=index, section=unit.section))
    return findings


def _input_findings(doc: Doc, source: SourceInfo, lang: str) -> list[Finding]:
    first = doc.lines[0] if doc.lines else None
    span = (first.start, first.end) if first else (0, 0)
    findings = []
    if not doc.diacritics:
        findings.append(make_finding("input.no_diacritics", *span, lang=lang))
    if source.legacy_font:
        findings.append(make_finding("input.legacy_font", *span, lang=lang, phrase=source.legacy_font.upper()))
    if doc.form == "unknown":
        findings.append(make_finding("input.form_unknown", *span, lang=lang))
    return findings
