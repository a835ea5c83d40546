"""Apply a recorded relabel pass to the authored files (and the derived items made from them).

    python corpus/scripts/relabel.py corpus/second_pass/relabel-2026-12.jsonl          # apply
    python corpus/scripts/relabel.py corpus/second_pass/relabel-2026-12.jsonl --check  # report only

Each line of the record is one change: ``id`` (the report), ``sentence`` (the unit's text as in the corpus),
``old`` and ``new`` (tags as in AUTHORING.md without brackets, ``-`` for none), ``rule`` (the GUIDELINES.md
rule applied) and, where the blind second pass changed the decision, ``adjudicated`` (the tags applied instead). The tag after the sentence in ``corpus/authored/<batch>/<id>.txt`` is replaced (or added, or
removed); derived items (near-copies, no-diacritics and legacy-font versions, which keep their source's lines and
tags) get the same change at the same place. A change whose ``old`` no longer matches the file is refused; one
already applied is skipped. Reports of the frozen test split are never touched.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from nlp.normalize import normalize

CORPUS = Path(__file__).resolve().parent.parent
AUTHORED = CORPUS / "authored"
DERIVED = CORPUS / "derived"
SPLITS = CORPUS / "splits.json"
TAG = re.compile(r"[ \t]*⟦([^⟧]*)⟧")
SENTENCE_END = re.compile(r"[.!?…;:)](?=\s|$)")


class RelabelError(ValueError):
    """A change that cannot be applied as recorded."""


@dataclass(frozen=True)
class Place:
    """Where a sentence's tag slot is: line number, the tag slot (segment) and sentence-end count within it."""

    line: int
    segment: int
    ends: int  # sentence ends in the segment up to and including this sentence's; -1: the segment's end


def canonical(tags: str) -> str:
    """Tags in a fixed order (``G``, ``E:<kinds sorted>``, ``R``), ``-`` for none."""
    parts = tags.split()
    kinds = sorted({k for p in parts if p.startswith("E:") for k in p[2:].split(",") if k})
    out = ["G"] * ("G" in parts) + ([f"E:{','.join(kinds)}"] if kinds else []) + ["R"] * ("R" in parts)
    return " ".join(out) or "-"


def _segments(line: str) -> list[tuple[str, str | None]]:
    """A line split at its tags: (text before the tag, the tag body) pairs; the last has tag ``None``."""
    parts, start = [], 0
    for match in TAG.finditer(line):
        parts.append((line[start : match.start()], match.group(1)))
        start = match.end()
    parts.append((line[start:], None))
    return parts


def _squash(text: str) -> str:
    return " ".join(normalize(text).split())


def locate(lines: list[str], sentence: str) -> Place:
    """The tag slot right after ``sentence`` in an authored file's lines."""
    wanted = _squash(sentence)
    for number, line in enumerate(lines):
        segments = _segments(line)
        for index, (text, tag) in enumerate(segments):
            flat = _squash(text)
            at = flat.find(wanted)
            if at < 0 or (tag is not None and tag.startswith("S:")):
                continue
            end = at + len(wanted)
            if flat[end:].strip() == "":
                return Place(number, index, -1)
            ends = len(SENTENCE_END.findall(flat[:end]))
            return Place(number, index, ends)
    raise RelabelError(f"sentence not found: {sentence[:60]!r}")


def _cut(text: str, ends: int) -> int:
    """Offset in ``text`` just after its ``ends``-th sentence end."""
    matches = list(SENTENCE_END.finditer(text))
    if ends < 1 or ends > len(matches):
        raise RelabelError("sentence boundary not found in the segment")
    return matches[ends - 1].end()


def current_tags(lines: list[str], place: Place) -> str:
    """The tags now in the slot at ``place`` (canonical)."""
    _, tag = _segments(lines[place.line])[place.segment]
    if place.ends == -1:
        return canonical(tag or "")
    return "-"  # an untagged sentence followed by others in the same slot


def _join(segments: list[tuple[str, str | None]]) -> str:
    return "".join(part + (f" ⟦{body}⟧" if body else "") for part, body in segments)


def set_tags(lines: list[str], place: Place, new: str) -> None:
    """Put ``new`` (``-``: no tag) in the tag slot at ``place``."""
    segments = _segments(lines[place.line])
    text, tag = segments[place.segment]
    body = None if new == "-" else new
    if place.ends == -1:
        segments[place.segment] = (text.rstrip(), body)
    elif body is not None:
        cut = _cut(text, place.ends)
        segments[place.segment] = (f"{text[:cut]} ⟦{body}⟧{text[cut:]}", tag)
    lines[place.line] = _join(segments)


def _file_of(report_id: str) -> Path:
    path = AUTHORED / report_id.split("-")[0] / f"{report_id}.txt"
    if not path.exists():
        raise RelabelError(f"no authored file for {report_id}")
    return path


def derived_files(report_id: str) -> list[Path]:
    found = []
    for path in sorted(DERIVED.glob("*.txt")):
        head = path.read_text(encoding="utf-8").split("---", 2)[1]
        if re.search(rf"^derived_from: {re.escape(report_id)}$", head, re.M):
            found.append(path)
    return found


def _split(path: Path) -> tuple[str, list[str]]:
    raw = path.read_text(encoding="utf-8")
    _, front, body = raw.split("---", 2)
    return f"---{front}---", body.split("\n")


def _write(path: Path, head: str, lines: list[str]) -> None:
    path.write_text(head + "\n".join(lines), encoding="utf-8")


def apply_change(change: dict, check: bool = False) -> list[str]:
    """Apply one change; returns what was done (files touched, or why it was skipped)."""
    old, new = canonical(change["old"]), canonical(change.get("adjudicated") or change["new"])
    path = _file_of(change["id"])
    head, lines = _split(path)
    place = locate(lines, change["sentence"])
    found = current_tags(lines, place)
    if found == new:
        return [f"{change['id']}: already applied"]
    if found != old:
        raise RelabelError(f"{change['id']}: expected {old!r}, file has {found!r}: {change['sentence'][:50]!r}")
    done = []
    targets = [(path, head, lines)]
    for other in derived_files(change["id"]):
        other_head, other_lines = _split(other)
        if len(other_lines) != len(lines) or [len(_segments(x)) for x in other_lines] != [
            len(_segments(x)) for x in lines
        ]:
            done.append(f"{other.name}: lines or tags differ from its source, left as is")
            continue
        targets.append((other, other_head, other_lines))
    for target, target_head, target_lines in targets:
        if current_tags(target_lines, place) != old:
            done.append(f"{target.name}: tag differs from its source, left as is")
            continue
        set_tags(target_lines, place, new)
        if not check:
            _write(target, target_head, target_lines)
        done.append(f"{target.name}: {old} → {new}")
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("record", type=Path)
    parser.add_argument("--check", action="store_true", help="locate every change, write nothing")
    args = parser.parse_args(argv)
    test = set(json.loads(SPLITS.read_text(encoding="utf-8"))["test"])
    changes = [json.loads(x) for x in args.record.read_text(encoding="utf-8").splitlines() if x.strip()]
    problems = 0
    for change in changes:
        if change["id"] in test:
            print(f"{change['id']}: in the frozen test split, refused", file=sys.stderr)
            problems += 1
            continue
        try:
            for line in apply_change(change, check=args.check):
                print(line)
        except RelabelError as error:
            print(error, file=sys.stderr)
            problems += 1
    print(f"{len(changes)} changes, {problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
