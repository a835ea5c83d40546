"""Derived corpus items: near-copies of authored reports and noisy variants, each recording how it was made.

    python corpus/scripts/derive.py          # writes corpus/derived/ and corpus/raw/ (once; --force to redo)

- **near-copies** (``copied_from``): another person's report made from an authored one the way copied reports are
  made in practice — the name, the birth date and a few words changed, some figures nudged; labels carry over.
- **no diacritics** (``noise: [no_diacritics]``): the same report typed without tone marks.
- **legacy fonts** (``noise: [legacy_tcvn3]`` / ``[legacy_vni]``): the tagged Unicode text is the gold, and the
  bytes a legacy-font user would have saved are written to ``corpus/raw/<id>.txt`` for ingest tests.

Every derived file's front matter records ``generated_by`` (this script), ``seed`` and ``derived_from``.
"""

from __future__ import annotations

import random
import re
import sys
import unicodedata
from pathlib import Path

import yaml

CORPUS = Path(__file__).resolve().parent.parent
AUTHORED = CORPUS / "authored"
DERIVED = CORPUS / "derived"
RAW = CORPUS / "raw"
SCRIPT = "corpus/scripts/derive.py"
SEED = 7
TAG = re.compile(r"⟦[^⟧]*⟧")

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Mai",
    "Trịnh",
]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quốc", "Thu", "Xuân", "Công", "Hồng"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Long", "Mai", "Nam", "Nga",
         "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trung", "Tuấn", "Vân", "Yến", "Khoa", "Lộc", "Phương"]  # fmt: skip
# light rewording a copier does (both directions are natural Vietnamese)
REWORDING = [
    ("thực hiện", "triển khai"),
    ("nâng cao", "tăng cường"),
    ("kịp thời", "đúng lúc"),
    ("nghiêm túc", "nghiêm chỉnh"),
    ("bản thân", "bản thân tôi"),
    ("trong năm", "trong năm qua"),
    ("đầy đủ", "đủ"),
    ("tích cực", "chủ động"),
]


def split(raw: str) -> tuple[dict, str]:
    _, front, body = raw.split("---", 2)
    return yaml.safe_load(front), body.lstrip("\n")


def join(meta: dict, body: str) -> str:
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n{body}"


def _new_name(rng: random.Random, old: str) -> str:
    middle = "Thị" if " Thị " in f" {old} " else rng.choice([m for m in MIDDLE if m != "Thị"])
    return f"{rng.choice(FAMILY)} {middle} {rng.choice(GIVEN)}"


def near_copy(body: str, rng: random.Random) -> str:
    """Swap the writer's name, reword a few phrases, nudge a few figures; tags stay where they were."""
    match = re.search(
        r"(?im)^\s*h[ọo] (?:và|va) t[êe]n\s*:\s*([^\n|]+?)(?:\s{2,}|\s*\||\s*$|\s+(?:Ngày|Năm) sinh)", body
    )
    if match:
        old = match.group(1).strip()
        body = body.replace(old, _new_name(rng, old))
        body = body.replace(old.upper(), _new_name(rng, old).upper())
    pairs = rng.sample(REWORDING, k=4)
    for source, target in pairs:
        occurrences = [m.start() for m in re.finditer(re.escape(source), body)]
        for start in rng.sample(occurrences, k=min(2, len(occurrences))):
            if body[start : start + len(source)] == source:
                body = body[:start] + target + body[start + len(source) :]
                break
    numbers = [m for m in re.finditer(r"(?<![\d/.,])([2-9]\d)(?![\d/.,%])", body)]
    for number in rng.sample(numbers, k=min(3, len(numbers))):
        value = str(int(number.group(1)) + rng.choice([-2, -1, 1, 2]))
        body = body[: number.start()] + value + body[number.end() :]
    return body


def strip_marks(body: str) -> str:
    """Vietnamese typed without tone marks or letter diacritics (đ → d); tags untouched."""
    parts, last = [], 0
    for tag in TAG.finditer(body):
        parts.append(_strip(body[last : tag.start()]))
        parts.append(tag.group(0))
        last = tag.end()
    parts.append(_strip(body[last:]))
    return "".join(parts)


def _strip(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def legacy_bytes(text: str, encoding: str) -> bytes:
    """The bytes a TCVN3 or VNI font user saves (see :func:`nlp.ingest.legacy.encode`)."""
    from nlp.ingest.legacy import encode

    return encode(text, encoding).encode("cp1252")


_ASCII_FALLBACK = {"–": "-", "—": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "...", "«": '"', "»": '"'}


def legacy_surface(body: str, encoding: str) -> str:
    """What survives a round trip through the legacy font: TCVN3 has no capital toned letters (a caps font
    draws the small ones), so those come back small; symbols the font lacks become their ASCII forms."""
    from nlp.ingest.legacy import encodable

    out = []
    for char in body:
        if char in "⟦⟧" or encodable(char, encoding):
            out.append(char)
        elif encodable(char.lower(), encoding):
            out.append(char.lower())
        else:
            folded = unicodedata.normalize("NFKC", char)
            out.append(folded if all(encodable(c, encoding) for c in folded) else _ASCII_FALLBACK.get(char, "?"))
    return "".join(out)


def authored() -> list[tuple[Path, dict, str]]:
    items = []
    for path in sorted(AUTHORED.rglob("*.txt")):
        meta, body = split(path.read_text(encoding="utf-8"))
        items.append((path, meta, body))
    return items


def main(argv: list[str] | None = None) -> int:
    force = "--force" in (argv if argv is not None else sys.argv[1:])
    if any(DERIVED.glob("*.txt")) and not force:
        # the derived set is fixed once, like the split: redoing it with more authored reports would change it
        print(f"{DERIVED} is already made; --force redoes it (and changes the frozen split)", file=sys.stderr)
        return 1
    rng = random.Random(SEED)
    items = [i for i in authored() if not (i[1].get("noise") or [])]
    for folder in (DERIVED, RAW):
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.txt"):
            old.unlink()
    weak_or_adequate = [i for i in items if i[1]["band"] in {"weak", "adequate"}]
    made = 0
    plans = [("copy", c) for c in rng.sample(weak_or_adequate, k=min(24, len(weak_or_adequate)))]
    rest = [i for i in items if i not in [p[1] for p in plans]]
    plans += [("nodiac", c) for c in rng.sample(rest, k=min(8, len(rest)))]
    rest = [i for i in rest if i not in [p[1] for p in plans]]
    plans += [("tcvn3", c) for c in rng.sample(rest, k=min(5, len(rest)))]
    rest = [i for i in rest if i not in [p[1] for p in plans]]
    plans += [("vni", c) for c in rng.sample(rest, k=min(5, len(rest)))]
    for number, (kind, (_, meta, body)) in enumerate(plans, 1):
        seed = SEED * 1000 + number
        local = random.Random(seed)
        new_id = f"d-{kind}-{number:03d}"
        derived = {
            **meta,
            "id": new_id,
            "author": None,
            "generated_by": SCRIPT,
            "seed": seed,
            "derived_from": meta["id"],
            "copied_from": meta["id"] if kind == "copy" else None,
        }
        if kind == "copy":
            body = near_copy(body, local)
        elif kind == "nodiac":
            body = strip_marks(body)
            derived["noise"] = ["no_diacritics"]
        else:
            derived["noise"] = [f"legacy_{kind}"]
            derived["raw_file"] = f"corpus/raw/{new_id}.txt"
            body = legacy_surface(body, kind)
            (RAW / f"{new_id}.txt").write_bytes(legacy_bytes(TAG.sub("", body), kind))
        (DERIVED / f"{new_id}.txt").write_text(join(derived, body), encoding="utf-8")
        made += 1
    print(f"{made} derived items in {DERIVED}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
