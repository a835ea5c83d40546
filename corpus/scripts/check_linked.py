"""Check linked sets (corpus/linked/<set>/set.yaml) against the format of corpus/linked/README.md.

Usage: python corpus/scripts/check_linked.py SET_DIR [SET_DIR ...]

For each set: the keys and vocabularies of set.yaml, the files (every listed file exists, every file is listed),
the quotes (each an exact substring of the normalised file text, found exactly once), the persons (every person
named in the links is a listed writer), the head (in every ``responsible`` list) and members without a post (never
responsible). Prints one line per problem and exits 1 when any set has one.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from nlp.normalize import normalize  # noqa: E402

SET_ID = re.compile(r"^L\d{2,3}$")
SPLITS = ("train", "dev", "test")
# The split each set id belongs to (README "Splits"); ids beyond these may use any split.
SPLIT_OF_ID = {f"L{n:02d}": "train" for n in range(1, 5)} | {"L05": "dev", "L06": "dev"}
SPLIT_OF_ID |= {f"L{n:02d}": "test" for n in range(7, 11)}
UNIT_KINDS = frozenset(
    [
        "commune",
        "ward",
        "school",
        "hospital",
        "enterprise",
        "police",
        "bank",
        "cooperative",
        "district_office",
        "retired_branch",
        "army",
        "court",
        "tax",
        "health_center",
        "other",
    ]
)
GUIDANCE_OF_YEAR = {2024: "HD25-2023", 2025: "HD43-2025"}
ROLE_OF_FORM = {
    "HD43-2025": {"01": "collective", "2A": "leader", "2B": "member", "2C": "member_outside_system"},
    "HD25-2023": {"01": "collective", "02A": "member", "02B": "leader"},
}
COLLECTIVE_VERDICTS = frozenset({"owned", "diffused", "absent", "denied"})
QUOTED_VERDICTS = frozenset({"owned", "diffused", "denied"})
PREVIOUS_VERDICTS = frozenset({"reported", "stock_line", "repeated", "not_mentioned"})
OUTCOMES = frozenset({"fixed", "partly", "not_fixed"})
TOP_KEYS = {"id", "split", "author", "unit", "reports", "collective_shortcomings", "previous_shortcomings"}
OPTIONAL_TOP_KEYS = {"unlinked"}
UNIT_KEYS = {"name", "parent", "kind"}
REPORT_KEYS = {"file", "year", "form", "guidance", "role"}
PERSON_KEYS = {"person", "party_post", "gov_post", "head"}
COLLECTIVE_KEYS = {"id", "quote", "area", "area_named_in_text", "responsible", "verdicts"}
PREVIOUS_KEYS = {"id", "person", "quote", "verdict"}
PREVIOUS_OPTIONAL_KEYS = {"outcome", "quote_current"}
NO_COLLECTIVE = "no collective report for the unit"  # the unlinked reason of a set left without one on purpose


@dataclass
class LinkedSet:
    """A loaded set: its folder, set.yaml, the normalised texts by file and the problems found so far."""

    path: Path
    data: dict[str, Any]
    texts: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def error(self, message: str) -> None:
        """Record one problem, prefixed with the set's folder name."""
        self.errors.append(f"{self.path.name}: {message}")


def load_set(set_dir: Path) -> LinkedSet:
    """Read set.yaml and the normalised text of every file it lists that exists."""
    set_file = set_dir / "set.yaml"
    if not set_file.is_file():
        linked = LinkedSet(set_dir, {})
        linked.error("no set.yaml")
        return linked
    data = yaml.safe_load(set_file.read_text(encoding="utf-8"))
    linked = LinkedSet(set_dir, data if isinstance(data, dict) else {})
    if not isinstance(data, dict):
        linked.error("set.yaml is not a mapping")
        return linked
    for report in _list(data.get("reports")):
        name = report.get("file") if isinstance(report, dict) else None
        if isinstance(name, str) and (set_dir / name).is_file():
            linked.texts[name] = normalize((set_dir / name).read_text(encoding="utf-8"))
    return linked


def check_set(set_dir: Path) -> list[str]:
    """Return the problems of one linked set (empty when it follows the README)."""
    linked = load_set(Path(set_dir))
    if linked.errors:
        return linked.errors
    _check_top(linked)
    reports = [r for r in _list(linked.data.get("reports")) if isinstance(r, dict)]
    _check_reports(linked, reports)
    _check_files(linked, reports)
    _check_collective(linked, reports)
    _check_previous(linked, reports)
    _check_unlinked(linked, reports)
    return linked.errors


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _keys(
    linked: LinkedSet, where: str, item: Any, required: AbstractSet[str], optional: AbstractSet[str] = frozenset()
) -> bool:
    if not isinstance(item, dict):
        linked.error(f"{where}: not a mapping")
        return False
    missing = required - item.keys()
    unknown = item.keys() - required - optional
    if missing:
        linked.error(f"{where}: missing keys {sorted(missing)}")
    if unknown:
        linked.error(f"{where}: unknown keys {sorted(unknown)}")
    return not missing


def _check_top(linked: LinkedSet) -> None:
    data = linked.data
    _keys(linked, "set.yaml", data, TOP_KEYS, OPTIONAL_TOP_KEYS)
    set_id = data.get("id")
    if not isinstance(set_id, str) or not SET_ID.match(set_id):
        linked.error(f"id {set_id!r} is not of the form L01")
    elif set_id != linked.path.name:
        linked.error(f"id {set_id!r} differs from the folder name {linked.path.name!r}")
    split = data.get("split")
    if split not in SPLITS:
        linked.error(f"split {split!r} is not one of {list(SPLITS)}")
    elif set_id in SPLIT_OF_ID and split != SPLIT_OF_ID[set_id]:
        linked.error(f"split {split!r}: set {set_id} belongs to {SPLIT_OF_ID[set_id]!r}")
    if not isinstance(data.get("author"), str) or not data.get("author"):
        linked.error("author is missing")
    unit = data.get("unit")
    if _keys(linked, "unit", unit, UNIT_KEYS):
        if unit["kind"] not in UNIT_KINDS:
            linked.error(f"unit.kind {unit['kind']!r} is not in the unit_kind vocabulary")
        for key in ("name", "parent"):
            if not isinstance(unit[key], str) or not unit[key].strip():
                linked.error(f"unit.{key} is empty")


def _check_reports(linked: LinkedSet, reports: list[dict[str, Any]]) -> None:
    if not reports:
        linked.error("reports is empty")
    seen_files: set[str] = set()
    seen_person_year: set[tuple[str, int]] = set()
    for index, report in enumerate(reports):
        where = f"reports[{index}] ({report.get('file')})"
        is_collective = report.get("role") == "collective"
        if not _keys(linked, where, report, REPORT_KEYS, set() if is_collective else PERSON_KEYS):
            continue
        name, year = report["file"], report["year"]
        if name in seen_files:
            linked.error(f"{where}: listed twice")
        seen_files.add(name)
        if year not in GUIDANCE_OF_YEAR:
            linked.error(f"{where}: year {year!r} is not 2024 or 2025")
            continue
        if not str(name).startswith(f"{year}/"):
            linked.error(f"{where}: a {year} report must lie under {year}/")
        guidance = report["guidance"]
        if guidance != GUIDANCE_OF_YEAR[year]:
            linked.error(f"{where}: guidance {guidance!r}, expected {GUIDANCE_OF_YEAR[year]!r} for {year}")
            continue
        expected_role = ROLE_OF_FORM[guidance].get(str(report["form"]))
        if expected_role is None:
            linked.error(f"{where}: form {report['form']!r} is not a {guidance} form {list(ROLE_OF_FORM[guidance])}")
        elif expected_role != report["role"]:
            linked.error(f"{where}: form {report['form']} under {guidance} is role {expected_role!r}")
        if is_collective:
            continue
        if not _keys(linked, where, report, REPORT_KEYS | PERSON_KEYS):
            continue
        _check_person_report(linked, where, report, seen_person_year)
    for year in GUIDANCE_OF_YEAR:
        collectives = [r for r in reports if r.get("role") == "collective" and r.get("year") == year]
        if len(collectives) > 1:
            linked.error(f"more than one collective report for {year}")
    if not any(r.get("role") == "collective" and r.get("year") == 2025 for r in reports) and not _without_collective(
        linked
    ):
        linked.error("no 2025 collective report")
    if not _heads(reports):
        linked.error("no 2025 report has head: true")
    unit_name = linked.data.get("unit", {}).get("name") if isinstance(linked.data.get("unit"), dict) else None
    collective = linked.texts.get(_collective_file(reports, 2025) or "")
    if isinstance(unit_name, str) and collective is not None and _squash(unit_name) not in _squash(collective):
        linked.error(f"unit.name {unit_name!r} is not written in the 2025 collective report")


def _without_collective(linked: LinkedSet) -> bool:
    """A set may leave the unit's 2025 collective report out on purpose; ``unlinked`` then says so."""
    return any(
        isinstance(item, dict) and NO_COLLECTIVE in str(item.get("reason", ""))
        for item in _list(linked.data.get("unlinked"))
    )


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def _check_person_report(
    linked: LinkedSet, where: str, report: dict[str, Any], seen_person_year: set[tuple[str, int]]
) -> None:
    person = report["person"]
    if not isinstance(person, str) or not person.strip():
        linked.error(f"{where}: person is empty")
        return
    if (person, report["year"]) in seen_person_year:
        linked.error(f"{where}: {person} has two {report['year']} reports")
    seen_person_year.add((person, report["year"]))
    for key in ("party_post", "gov_post"):
        if report[key] is not None and (not isinstance(report[key], str) or not report[key].strip()):
            linked.error(f"{where}: {key} must be a non-empty string or null")
    if not isinstance(report["head"], bool):
        linked.error(f"{where}: head must be true or false")
    elif report["head"] and _has_no_post(report):
        linked.error(f"{where}: the head has no post")
    text = linked.texts.get(report["file"])
    if text is not None and person.casefold() not in text.casefold():
        linked.error(f"{where}: the name {person!r} is not in the file")


def _has_no_post(report: dict[str, Any]) -> bool:
    return report.get("party_post") is None and report.get("gov_post") is None


def _heads(reports: list[dict[str, Any]]) -> set[str]:
    return {r["person"] for r in reports if r.get("year") == 2025 and r.get("head") is True and "person" in r}


def _persons(reports: list[dict[str, Any]], year: int | None = None) -> dict[str, dict[str, Any]]:
    return {
        r["person"]: r for r in reports if isinstance(r.get("person"), str) and (year is None or r.get("year") == year)
    }


def _check_files(linked: LinkedSet, reports: list[dict[str, Any]]) -> None:
    listed = {r.get("file") for r in reports}
    for name in sorted(n for n in listed if isinstance(n, str)):
        if not (linked.path / name).is_file():
            linked.error(f"listed file {name} does not exist")
    for path in sorted(linked.path.rglob("*")):
        relative = path.relative_to(linked.path).as_posix()
        if path.is_file() and relative != "set.yaml" and relative not in listed:
            linked.error(f"file {relative} is not listed in reports")


def _check_quote(linked: LinkedSet, where: str, quote: Any, file_name: str | None) -> None:
    if not isinstance(quote, str) or not quote.strip():
        linked.error(f"{where}: quote is missing or empty")
        return
    if file_name is None or file_name not in linked.texts:
        linked.error(f"{where}: no file to look the quote up in")
        return
    count = linked.texts[file_name].count(normalize(quote))
    if count != 1:
        found = "not found" if count == 0 else f"found {count} times"
        linked.error(f"{where}: quote {quote[:60]!r}… {found} in {file_name}")


def _collective_file(reports: list[dict[str, Any]], year: int) -> str | None:
    for report in reports:
        if report.get("role") == "collective" and report.get("year") == year:
            return report.get("file")
    return None


def _check_collective(linked: LinkedSet, reports: list[dict[str, Any]]) -> None:
    items = _list(linked.data.get("collective_shortcomings"))
    if not items and not _without_collective(linked):
        linked.error("collective_shortcomings is empty")
    if items and _without_collective(linked):
        linked.error("collective_shortcomings given, but unlinked says the unit has no collective report")
    known = _persons(reports)
    current = _persons(reports, 2025)
    heads = _heads(reports)
    collective = _collective_file(reports, 2025)
    ids: set[str] = set()
    for index, item in enumerate(items):
        where = f"collective_shortcomings[{index}]"
        if not _keys(linked, where, item, COLLECTIVE_KEYS):
            continue
        where = f"collective_shortcomings {item['id']}"
        if item["id"] in ids:
            linked.error(f"{where}: id used twice")
        ids.add(item["id"])
        _check_quote(linked, where, item["quote"], collective)
        if not isinstance(item["area"], str) or not item["area"].strip():
            linked.error(f"{where}: area is empty")
        if not isinstance(item["area_named_in_text"], bool):
            linked.error(f"{where}: area_named_in_text must be true or false")
        responsible = _list(item["responsible"])
        if not responsible:
            linked.error(f"{where}: responsible is empty")
        for person in responsible:
            if person not in known:
                linked.error(f"{where}: responsible {person!r} is not a listed person")
            elif _has_no_post(current.get(person) or known[person]) and person not in heads:  # this year's posts
                linked.error(f"{where}: {person} holds no post and cannot be responsible")
        for head in sorted(heads - set(responsible)):
            linked.error(f"{where}: the head {head} is not in responsible")
        verdicts = item["verdicts"] if isinstance(item["verdicts"], dict) else {}
        if not isinstance(item["verdicts"], dict):
            linked.error(f"{where}: verdicts is not a mapping")
        for person in responsible:
            if person in current and person not in verdicts:
                linked.error(f"{where}: no verdict for {person}, who has a 2025 report")
        for person, verdict in verdicts.items():
            _check_collective_verdict(linked, f"{where} × {person}", person, verdict, responsible, current)


def _check_collective_verdict(
    linked: LinkedSet,
    where: str,
    person: str,
    verdict: Any,
    responsible: list[Any],
    current: dict[str, dict[str, Any]],
) -> None:
    if person not in responsible:
        linked.error(f"{where}: has a verdict but is not in responsible")
    if person not in current:
        linked.error(f"{where}: has a verdict but no 2025 report")
        return
    if not _keys(linked, where, verdict, {"verdict"}, {"quote"}):
        return
    value = verdict["verdict"]
    if value not in COLLECTIVE_VERDICTS:
        linked.error(f"{where}: verdict {value!r} is not one of {sorted(COLLECTIVE_VERDICTS)}")
    elif value in QUOTED_VERDICTS:
        _check_quote(linked, where, verdict.get("quote"), current[person]["file"])
    elif "quote" in verdict:
        linked.error(f"{where}: an absent verdict takes no quote")


def _check_previous(linked: LinkedSet, reports: list[dict[str, Any]]) -> None:
    previous = _persons(reports, 2024)
    current = _persons(reports, 2025)
    collective_2024 = _collective_file(reports, 2024)
    collective_2025 = _collective_file(reports, 2025)
    ids: set[str] = set()
    covered: set[str] = set()
    for index, item in enumerate(_list(linked.data.get("previous_shortcomings"))):
        where = f"previous_shortcomings[{index}]"
        if not _keys(linked, where, item, PREVIOUS_KEYS, PREVIOUS_OPTIONAL_KEYS):
            continue
        where = f"previous_shortcomings {item['id']}"
        if item["id"] in ids:
            linked.error(f"{where}: id used twice")
        ids.add(item["id"])
        person = item["person"]
        if person == "collective":
            old_file, new_file = collective_2024, collective_2025
        elif person not in previous and person not in current:
            linked.error(f"{where}: person {person!r} is not a listed person")
            continue
        else:
            old_file = previous.get(person, {}).get("file")
            new_file = current.get(person, {}).get("file")
        if old_file is None or new_file is None:
            linked.error(f"{where}: {person} needs a 2024 and a 2025 report")
            continue
        covered.add(person)
        _check_quote(linked, where, item["quote"], old_file)
        _check_previous_verdict(linked, where, item, new_file)
    for person in sorted(previous.keys() & current.keys()):
        if person not in covered:
            linked.error(f"{person} has reports in both years but no previous_shortcomings")
    if collective_2024 and collective_2025 and "collective" not in covered:
        linked.error("the 2024 collective report has no previous_shortcomings")


def _check_previous_verdict(linked: LinkedSet, where: str, item: dict[str, Any], new_file: str) -> None:
    verdict = item["verdict"]
    if verdict not in PREVIOUS_VERDICTS:
        linked.error(f"{where}: verdict {verdict!r} is not one of {sorted(PREVIOUS_VERDICTS)}")
        return
    if verdict == "reported":
        if item.get("outcome") not in OUTCOMES:
            linked.error(f"{where}: a reported verdict needs outcome, one of {sorted(OUTCOMES)}")
    elif "outcome" in item:
        linked.error(f"{where}: outcome is only for a reported verdict")
    if verdict == "not_mentioned":
        if "quote_current" in item:
            linked.error(f"{where}: a not_mentioned verdict takes no quote_current")
    else:
        _check_quote(linked, f"{where} (quote_current)", item.get("quote_current"), new_file)


def _check_unlinked(linked: LinkedSet, reports: list[dict[str, Any]]) -> None:
    listed = {r.get("file") for r in reports}
    for index, item in enumerate(_list(linked.data.get("unlinked"))):
        where = f"unlinked[{index}]"
        if not _keys(linked, where, item, {"file", "reason"}):
            continue
        if item["file"] not in listed:
            linked.error(f"{where}: {item['file']} is not listed in reports")
        if not isinstance(item["reason"], str) or not item["reason"].strip():
            linked.error(f"{where}: reason is empty")


def main(argv: list[str]) -> int:
    """Check every set folder given; print the problems; return 1 when there are any."""
    if not argv:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    failed = False
    for arg in argv:
        errors = check_set(Path(arg))
        for message in errors:
            print(message)
        if errors:
            failed = True
        else:
            print(f"{Path(arg).name}: ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
