"""Per-unit and per-kind statistics, the "xuất sắc ≤ 20% of tốt" quota, and units whose self-ratings are
high while their reports are weak.

Units are the folders the organiser collected the reports in (one folder per đảng bộ / chi bộ); a unit's
kind (xã, phường, trường học …) comes from ``unit_kinds.yaml`` so that units are compared with units of the
same kind. The quota is checked separately for individual reports (02A/02B/2A/2B/2C) and for collective
reports (01), as the organisation boards do (seed 001_7d1a51363f88075a.txt).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import fmean

from nlp.batch.config import infer_kind, rules

SCORES = ("overall", "specificity", "candor", "accountability", "completeness")
EXCELLENT = "hoàn thành xuất sắc nhiệm vụ"
GOOD = "hoàn thành tốt nhiệm vụ"
DONE = "hoàn thành nhiệm vụ"
NOT_DONE = "không hoàn thành nhiệm vụ"
RATINGS = (EXCELLENT, GOOD, DONE, NOT_DONE)
BANDS = ("weak", "adequate", "strong")


@dataclass
class Quota:
    """Self-ratings of a group of reports against the quota rule."""

    ratings: Counter = field(default_factory=Counter)  # self-rating (or None) → count

    @property
    def excellent(self) -> int:
        return self.ratings[EXCELLENT]

    @property
    def good_or_better(self) -> int:
        """Reports rated "hoàn thành tốt nhiệm vụ" or above: the base of the quota."""
        return self.ratings[EXCELLENT] + self.ratings[GOOD]

    @property
    def rated(self) -> int:
        return sum(n for rating, n in self.ratings.items() if rating)

    @property
    def share(self) -> float | None:
        """xuất sắc / (xuất sắc + tốt), or None when nobody is rated tốt or above."""
        return self.excellent / self.good_or_better if self.good_or_better else None

    @property
    def breached(self) -> bool:
        share = self.share
        return share is not None and share > rules()["quota"]["excellent_share_max"] + 1e-9


@dataclass
class UnitStats:
    """Statistics of one unit (folder)."""

    unit: str
    kind: str = "other"
    reports: int = 0
    errors: int = 0
    bands: Counter = field(default_factory=Counter)
    means: dict[str, float] = field(default_factory=dict)
    individuals: Quota = field(default_factory=Quota)
    collectives: Quota = field(default_factory=Quota)
    high_and_weak: int = 0  # reports self-rated tốt / xuất sắc whose band is weak
    kind_mean: float | None = None
    kind_rank: int = 0
    kind_units: int = 0
    flag_high_weak: bool = False

    @property
    def weak_share(self) -> float:
        return self.bands["weak"] / self.reports if self.reports else 0.0

    @property
    def high_share(self) -> float | None:
        """Share of the self-rated reports (individual and collective) rated tốt or above."""
        rated = self.individuals.rated + self.collectives.rated
        high = self.individuals.good_or_better + self.collectives.good_or_better
        return high / rated if rated else None

    @property
    def versus_kind(self) -> float | None:
        """Mean overall score minus the mean of the units of the same kind."""
        if self.kind_mean is None or "overall" not in self.means:
            return None
        return self.means["overall"] - self.kind_mean


@dataclass
class KindStats:
    """Statistics of one kind of unit."""

    kind: str
    units: int = 0
    reports: int = 0
    bands: Counter = field(default_factory=Counter)
    mean_overall: float | None = None
    individuals: Quota = field(default_factory=Quota)


@dataclass
class DistrictStats:
    """Everything the summary sheets and the HTML summary show."""

    units: list[UnitStats]
    kinds: list[KindStats]
    reports: int
    bands: Counter
    individuals: Quota
    collectives: Quota
    stock_phrases: list[tuple[str, int]]
    means: dict[str, float]


def unit_kind(folders: list[str], header_names: list[str | None]) -> str:
    """The kind of a unit: its own folder name, else what its reports' headers say (majority), else the
    folders above it."""
    if folders:
        kind = infer_kind([folders[-1]])
        if kind.id != "other":
            return kind.id
    votes = Counter(k.id for k in (infer_kind([n]) for n in header_names if n) if k.id != "other")
    if votes:
        return sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return infer_kind(list(reversed(folders[:-1]))).id


def compute(rows: list[dict], errors: list[dict]) -> DistrictStats:
    """Statistics over the result rows (one per analysed file) and error rows of a batch.

    Each row needs ``unit``, ``unit_kind``, ``band``, the scores, ``role``, ``self_rating`` and
    ``stock_phrases``; error rows need ``unit`` and ``status``.
    """
    settings = rules()["quota"]
    units: dict[str, UnitStats] = {}
    values: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    district_bands: Counter = Counter()
    individuals, collectives = Quota(), Quota()
    phrases: Counter = Counter()
    district_values: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        stats = units.setdefault(row["unit"], UnitStats(row["unit"], kind=row["unit_kind"]))
        stats.reports += 1
        stats.bands[row["band"]] += 1
        district_bands[row["band"]] += 1
        for score in SCORES:
            values[row["unit"]][score].append(row[score])
            district_values[score].append(row[score])
        collective = row.get("role") == "collective"
        (stats.collectives if collective else stats.individuals).ratings[row.get("self_rating")] += 1
        (collectives if collective else individuals).ratings[row.get("self_rating")] += 1
        if row.get("self_rating") in {EXCELLENT, GOOD} and row["band"] == "weak":
            stats.high_and_weak += 1
        phrases.update(set(row.get("stock_phrases") or ()))
    for error in errors:
        if error.get("status") != "skipped":
            units.setdefault(error["unit"], UnitStats(error["unit"], kind=error.get("unit_kind", "other"))).errors += 1
    for unit, stats in units.items():
        stats.means = {score: fmean(v) for score, v in values[unit].items() if v}
        high = stats.high_share
        stats.flag_high_weak = (
            stats.reports >= settings["min_reports"]
            and high is not None
            and high >= settings["high_rating_share"]
            and stats.weak_share >= settings["weak_share"]
        )
    kinds = _kinds(list(units.values()))
    return DistrictStats(
        units=sorted(units.values(), key=lambda u: (u.kind, u.kind_rank or 10**9, u.unit)),
        kinds=kinds,
        reports=len(rows),
        bands=district_bands,
        individuals=individuals,
        collectives=collectives,
        stock_phrases=sorted(phrases.items(), key=lambda kv: (-kv[1], kv[0]))[
            : rules()["ranking"]["top_stock_phrases"]
        ],
        means={score: fmean(v) for score, v in district_values.items() if v},
    )


def _kinds(units: list[UnitStats]) -> list[KindStats]:
    """Per-kind statistics; each unit gets its kind's mean and its rank among the units of its kind
    (1 = weakest, like the ranked sheet)."""
    by_kind: dict[str, list[UnitStats]] = defaultdict(list)
    for unit in units:
        by_kind[unit.kind].append(unit)
    result = []
    for kind, members in sorted(by_kind.items()):
        scored = [u for u in members if "overall" in u.means]
        total = sum(u.reports for u in scored)
        mean = sum(u.means["overall"] * u.reports for u in scored) / total if total else None
        for rank, unit in enumerate(sorted(scored, key=lambda u: (u.means["overall"], u.unit)), 1):
            unit.kind_mean, unit.kind_rank, unit.kind_units = mean, rank, len(scored)
        stats = KindStats(kind, units=len(members), reports=total, mean_overall=mean)
        for unit in members:
            stats.bands.update(unit.bands)
            stats.individuals.ratings.update(unit.individuals.ratings)
        result.append(stats)
    return result
