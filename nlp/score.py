"""Score: report-level scores 0–100 and a band, each explained by the findings that drove it.

Weights and cut-offs live in ``nlp/data/scoring.yaml``.
"""

from __future__ import annotations

from functools import cache

from nlp.catalog import label
from nlp.lexicon import load_yaml
from nlp.schema import Finding, ScoreExplanation, Scores, Sentence, construct

CANDOR_SECTIONS = {
    "shortcomings",
    "causes",
    "collective_responsibility",
    "suggested_issues",
    "previous_remediation",
    "remedies",
}
SCORE_CATEGORIES = {
    "specificity": {"generic"},
    "candor": {"evasive"},
    "accountability": {"accountability"},
    "completeness": {"completeness"},
    "overall": {"consistency"},
}


@cache
def _config() -> dict:
    return load_yaml("scoring.yaml")


def _clamp(value: float) -> float:
    return round(max(0.0, min(100.0, value)), 1)


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def score(
    sentences: list[Sentence],
    findings: list[Finding],
    accountability_status: str,
    head_responsibility: bool | None,
    required_count: int,
    missing_count: int,
    lang: str = "vi",
    bands: dict[str, float] | None = None,
) -> tuple[Scores, str, list[ScoreExplanation]]:
    """Scores, band and explanations for one report; ``bands`` overrides cut-offs of ``scoring.yaml`` (a
    configuration's ``bands``)."""
    cfg = _config()
    classified = [s for s in sentences if not s.structural and s.section not in {"header", "self_rating", "signature"}]
    generic_share = _mean([1.0 if "generic" in s.labels else 0.0 for s in classified])
    specificity = 100 * (1 - 0.5 * _mean([s.generic for s in classified]) - 0.5 * generic_share)
    if not classified:
        specificity = 0.0

    candid = [s for s in classified if s.section in CANDOR_SECTIONS]
    evasive_share = _mean([1.0 if "evasive" in s.labels else 0.0 for s in candid])
    candor = (
        100 * (1 - 0.5 * _mean([s.evasive for s in candid]) - 0.5 * evasive_share)
        if candid
        else cfg["candor_without_shortcomings"]
    )
    candor -= cfg["candor_penalty_per_high"] * sum(
        1 for f in findings if f.category == "evasive" and f.severity == "high"
    )

    accountability = cfg["accountability"][accountability_status]
    if accountability_status == "present" and head_responsibility is False:
        accountability = cfg["accountability"]["present_without_head"]

    completeness = 100 * (required_count - missing_count) / required_count if required_count else 100.0
    completeness -= sum(
        cfg["completeness_penalty"].get(f.rule, 0)
        for f in findings
        if f.category == "completeness" and f.rule != "completeness.missing_section"
    )

    weights = dict(cfg["weights"])
    if accountability_status == "not_applicable":
        weights.pop("accountability")
    parts = {
        "specificity": specificity,
        "candor": candor,
        "accountability": accountability,
        "completeness": completeness,
    }
    overall = sum(_clamp(parts[k]) * w for k, w in weights.items()) / sum(weights.values())
    overall -= sum(cfg["consistency_penalty"][f.severity] for f in findings if f.category == "consistency")
    scores = construct(  # floats, as validation would make them (nlp.schema.construct)
        Scores,
        specificity=float(_clamp(specificity)),
        candor=float(_clamp(candor)),
        accountability=float(_clamp(accountability)),
        completeness=float(_clamp(completeness)),
        overall=float(_clamp(overall)),
    )
    band = _band(scores, findings, accountability_status, bands or {})
    return scores, band, _explanations(scores, findings, accountability_status, classified, candid, lang)


def band_cutoffs(overrides: dict[str, float] | None = None) -> dict[str, float]:
    """The band cut-offs of ``scoring.yaml`` with a configuration's overrides."""
    return {**_config()["bands"], **(overrides or {})}


def _band(scores: Scores, findings: list[Finding], accountability_status: str, overrides: dict[str, float]) -> str:
    cfg = band_cutoffs(overrides)
    band = "strong" if scores.overall >= cfg["strong"] else "adequate" if scores.overall >= cfg["adequate"] else "weak"
    if band == "strong":
        blocking = [
            f for f in findings if f.severity == "high" and f.category in {"accountability", "consistency", "evasive"}
        ]
        if blocking or scores.candor < cfg["strong_min_candor"] or scores.specificity < cfg["strong_min_specificity"]:
            band = "adequate"
    return band


def _explanations(
    scores: Scores,
    findings: list[Finding],
    accountability_status: str,
    classified: list[Sentence],
    candid: list[Sentence],
    lang: str,
) -> list[ScoreExplanation]:
    vi = lang == "vi"
    generic = sum(1 for s in classified if "generic" in s.labels)
    evasive = sum(1 for s in candid if "evasive" in s.labels)
    texts = {
        "specificity": (
            f"{generic}/{len(classified)} câu nội dung bị đánh giá chung chung."
            if vi
            else f"{generic}/{len(classified)} content sentences are generic."
        ),
        "candor": (
            f"{evasive}/{len(candid)} câu ở các phần hạn chế, nguyên nhân, trách nhiệm, khắc phục có dấu hiệu né tránh."
            if vi
            else f"{evasive}/{len(candid)} sentences in the shortcomings, causes, responsibility and remedy parts are evasive."
        ),
        "accountability": label("accountability", accountability_status, lang) + ".",
        "completeness": (
            f"{sum(1 for f in findings if f.rule == 'completeness.missing_section')} phần bắt buộc bị thiếu, "
            f"{sum(1 for f in findings if f.category == 'completeness' and f.rule != 'completeness.missing_section')} "
            "lỗi trống/mẫu."
            if vi
            else f"{sum(1 for f in findings if f.rule == 'completeness.missing_section')} required parts missing, "
            f"{sum(1 for f in findings if f.category == 'completeness' and f.rule != 'completeness.missing_section')} "
            "blanks or template leftovers."
        ),
        "overall": (
            "Trung bình có trọng số của các điểm thành phần, trừ điểm khi mức tự xếp loại mâu thuẫn với nội dung."
            if vi
            else "Weighted mean of the part scores, minus penalties where the self-rating contradicts the text."
        ),
    }
    result = []
    for name, categories in SCORE_CATEGORIES.items():
        indices = [i for i, f in enumerate(findings) if f.category in categories and f.severity != "info"]
        result.append(
            construct(
                ScoreExplanation, score=name, value=getattr(scores, name), explanation=texts[name], findings=indices
            )
        )
    return result
