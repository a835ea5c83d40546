"""Build the corpus JSONL from the authored (and derived) report files.

    python corpus/scripts/build_corpus.py            # writes corpus/data/reports.jsonl
    python corpus/scripts/build_corpus.py --check    # parse and report problems only

Each input file is YAML front matter plus the report text with inline tags (corpus/AUTHORING.md). The tags are
removed, the text is normalised exactly as ``nlp.analyze`` normalises it, and the sentence units are those of the
pipeline's segmenter, so a unit's gold labels line up with the units every detector scores. A tag labels the unit
that ends at it; units before it on the same line that do not end a sentence (the segmenter split one written
sentence in two) take the same labels. Offsets index the normalised text.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from nlp import analyze
from nlp.catalog import evasion_kinds
from nlp.normalize import normalize
from nlp.schema import SECTION_IDS as SCHEMA_SECTION_IDS

CORPUS = Path(__file__).resolve().parent.parent
SOURCES = (CORPUS / "authored", CORPUS / "derived")
OUTPUT = CORPUS / "data" / "reports.jsonl"

TAG = re.compile(r"[ \t]*⟦([^⟧]*)⟧")
SECTION_IDS = set(SCHEMA_SECTION_IDS) - {"header"}
EVASION_KINDS = set(evasion_kinds())
SENTINEL = "\ue000"
SENTENCE_END = (".", "!", "?", "…", ":", ";", ")")
META_KEYS = ("form", "guidance", "role", "unit_kind", "band", "self_rating", "accountability")


class TagError(ValueError):
    """A malformed tag or front matter in an authored file."""


@dataclass
class Tag:
    kind: str  # "section" | "sentence"
    position: int  # offset in the normalised text where the tag stood
    section: str | None = None
    generic: bool = False
    evasion: list[str] = field(default_factory=list)
    responsibility: bool = False


def parse_tag(body: str) -> Tag:
    """``S:causes`` → section tag; ``G E:hedge,agentless R`` → sentence tag."""
    body = body.strip()
    if body.startswith("S:"):
        section = body[2:].strip()
        if section not in SECTION_IDS:
            raise TagError(f"unknown section {section!r}")
        return Tag("section", -1, section=section)
    tag = Tag("sentence", -1)
    for part in body.split():
        if part == "G":
            tag.generic = True
        elif part == "R":
            tag.responsibility = True
        elif part.startswith("E:"):
            kinds = [k.strip() for k in part[2:].split(",") if k.strip()]
            unknown = [k for k in kinds if k not in EVASION_KINDS]
            if unknown or not kinds:
                raise TagError(f"unknown evasion kind {unknown or part!r}")
            tag.evasion.extend(kinds)
        else:
            raise TagError(f"unknown tag part {part!r}")
    return tag


def split_front_matter(raw: str) -> tuple[dict, str]:
    if not raw.startswith("---"):
        raise TagError("no front matter")
    _, front, body = raw.split("---", 2)
    meta = yaml.safe_load(front) or {}
    return meta, body.lstrip("\n")


def strip_tags(body: str) -> tuple[str, list[Tag]]:
    """Normalised tag-free text and the tags with their positions in it."""
    tags: list[Tag] = []

    def replace(match: re.Match[str]) -> str:
        tags.append(parse_tag(match.group(1)))
        return SENTINEL

    marked = normalize(TAG.sub(replace, body))
    text_parts, position, index = [], 0, 0
    for char in marked:
        if char == SENTINEL:
            tags[index].position = position
            index += 1
            continue
        text_parts.append(char)
        position += 1
    text = "".join(text_parts)
    # removing a tag can leave "a  b" or a trailing space: normalise again and require it to be stable
    if normalize(text) != text:
        text, tags = _renormalise(text, tags)
    return text, tags


def _renormalise(text: str, tags: list[Tag]) -> tuple[str, list[Tag]]:
    """Collapse what tag removal left behind (double spaces, spaces before a newline), moving tag offsets."""
    keep = []
    for i, char in enumerate(text):
        drop = char == " " and (i + 1 == len(text) or text[i + 1] in " \n" or (i > 0 and text[i - 1] == "\n"))
        keep.append(not drop)
    new_index = [0] * (len(text) + 1)
    count = 0
    for i, kept in enumerate(keep):
        new_index[i] = count
        count += kept
    new_index[len(text)] = count
    for tag in tags:
        tag.position = new_index[tag.position]
    cleaned = "".join(c for c, kept in zip(text, keep, strict=True) if kept)
    if normalize(cleaned) != cleaned:
        raise TagError("text is not stable under normalisation after removing tags")
    return cleaned, tags


def line_bounds(text: str, position: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return start, len(text) if end == -1 else end


def gold_sections(text: str, tags: list[Tag]) -> list[dict]:
    """Sections from the ⟦S:…⟧ tags: each opens at its heading line and runs to the next one."""
    spans = [{"id": "header", "start": 0}]
    for tag in tags:
        if tag.kind == "section":
            start, _ = line_bounds(text, max(tag.position - 1, 0))
            spans.append({"id": tag.section, "start": start})
    for current, following in zip(spans, [*spans[1:], None], strict=True):
        current["end"] = following["start"] if following else len(text)
    return [s for s in spans if s["end"] > s["start"]]


def heading_lines(text: str, tags: list[Tag]) -> list[tuple[int, int]]:
    """(start, position) of each section heading: the line up to its tag (inline headings end at the tag)."""
    result = []
    for tag in tags:
        if tag.kind == "section":
            start, _ = line_bounds(text, max(tag.position - 1, 0))
            result.append((start, tag.position))
    return result


def _section_at(sections: list[dict], position: int) -> str:
    for section in sections:
        if section["start"] <= position < section["end"]:
            return section["id"]
    return sections[-1]["id"]


def label_units(text: str, tags: list[Tag], sections: list[dict]) -> list[dict]:
    """Gold labels for each unit of the pipeline's segmentation of ``text``."""
    result = analyze(text)
    headings = heading_lines(text, tags)
    units = []
    for sentence in result.sentences:
        section = _section_at(sections, sentence.start)
        in_heading = any(start <= sentence.start < end for start, end in headings)
        units.append(
            {
                "start": sentence.start,
                "end": sentence.end,
                "section": section,
                "structural": in_heading or section in {"header", "signature"},
                "generic": False,
                "evasive": False,
                "evasion_kinds": [],
                "responsibility": False,
                "tagged": False,
            }
        )
    for tag in tags:
        if tag.kind != "sentence":
            continue
        index = _unit_ending_at(units, text, tag.position)
        if index is None:
            raise TagError(f"tag at {tag.position} does not follow any sentence unit")
        targets = [index]
        previous = index - 1
        while previous >= 0 and _continues_into(units, text, previous, targets[-1]):
            targets.append(previous)
            previous -= 1
        for target in targets:
            unit = units[target]
            unit["tagged"] = True
            unit["generic"] |= tag.generic
            unit["evasive"] |= bool(tag.evasion)
            unit["evasion_kinds"] = sorted(set(unit["evasion_kinds"]) | set(tag.evasion))
            unit["responsibility"] |= tag.responsibility
    for unit in units:
        untagged = not unit.pop("tagged")
        words = text[unit["start"] : unit["end"]].split()
        if untagged and words and words[-1].endswith(":") and len(words) <= 8:
            unit["structural"] = True  # an untagged sub-heading ("- Nguyên nhân khách quan:")
        if unit["structural"] and (unit["generic"] or unit["evasive"]):
            unit["structural"] = False  # a labelled sentence is content, whatever the section
    return units


def _continues_into(units: list[dict], text: str, previous: int, current: int) -> bool:
    """Whether unit ``previous`` is the first part of the sentence that unit ``current`` ends: it is untagged,
    does not end a sentence, and either shares the line or the current part goes on in lower case (a sentence
    the writer wrapped onto the next line)."""
    before, after = units[previous], units[current]
    if before["tagged"] or before["structural"]:
        return False
    if text[before["start"] : before["end"]].rstrip().endswith(SENTENCE_END):
        return False
    same_line = "\n" not in text[before["end"] : after["start"]]
    return same_line or text[after["start"] : after["start"] + 1].islower()


def _unit_ending_at(units: list[dict], text: str, position: int) -> int | None:
    best = None
    for index, unit in enumerate(units):
        if unit["start"] < position <= unit["end"] + 1:
            best = index
        elif unit["start"] >= position:
            break
    if best is None:
        # the tag may follow trailing spaces or closing quotes the unit excluded
        candidates = [
            i for i, u in enumerate(units) if u["end"] <= position and text[u["end"] : position].strip() == ""
        ]
        best = candidates[-1] if candidates else None
    return best


def build_record(path: Path) -> dict:
    meta, body = split_front_matter(path.read_text(encoding="utf-8"))
    missing = [k for k in ("id", *META_KEYS) if k not in meta]
    if missing:
        raise TagError(f"front matter lacks {missing}")
    text, tags = strip_tags(body)
    sections = gold_sections(text, tags)
    units = label_units(text, tags, sections)
    relative = path.resolve().relative_to(CORPUS.parent)
    provenance = {
        "source": "derived" if meta.get("derived_from") else "authored",
        "author": meta.get("author"),
        "file": str(relative),
        "generated_by": meta.get("generated_by"),
        "seed": meta.get("seed"),
        "derived_from": meta.get("derived_from"),
        "raw_file": meta.get("raw_file"),
    }
    return {
        "id": meta["id"],
        "text": text,
        "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "form": str(meta["form"]),
        "guidance": meta["guidance"],
        "role": meta["role"],
        "unit_kind": meta["unit_kind"],
        "band": meta["band"],
        "self_rating": (meta.get("self_rating") or None) and str(meta["self_rating"]).lower(),
        "accountability": meta["accountability"],
        "noise": list(meta.get("noise") or []),
        "copied_from": meta.get("copied_from"),
        "sections_present": sorted({s["id"] for s in sections} - {"header", "signature"}),
        "sections": sections,
        "units": units,
        "evidence": [{"start": u["start"], "end": u["end"]} for u in units if u["responsibility"]],
        "provenance": provenance,
    }


def source_files() -> list[Path]:
    return sorted(p for root in SOURCES if root.exists() for p in root.rglob("*.txt"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only parse and report problems")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    records, problems = [], []
    for path in source_files():
        try:
            records.append(build_record(path))
        except (TagError, yaml.YAMLError, ValueError) as error:
            problems.append(f"{path.relative_to(CORPUS)}: {error}")
    ids = [r["id"] for r in records]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        problems.append(f"duplicate ids: {duplicates}")
    for problem in problems:
        print(problem, file=sys.stderr)
    units = sum(len(r["units"]) for r in records)
    content = sum(1 for r in records for u in r["units"] if not u["structural"])
    print(f"{len(records)} reports, {units} units ({content} content units), {len(problems)} problems")
    if not args.check:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        with args.output.open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
