"""Form detection: header fields, year, guidance regime, role, form code, self-rating and self-score.

The same code means different roles in the two regimes (HD 25: 02A member, 02B leader; HD 43: 2A
leader, 2B member, 2C member outside the political system), so the role is decided from the title,
the header posts and the content, and the form code is then written in the regime the report follows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from nlp.data.patterns import compile as compiled
from nlp.doc import Doc
from nlp.lexicon import load_yaml
from nlp.normalize import fold
from nlp.schema import Header, construct

FORM_BY_ROLE = {
    "HD25-2023": {"collective": "01", "leader": "02B", "member": "02A", "member_outside_system": "02A"},
    "HD43-2025": {"collective": "01", "leader": "02A", "member": "02B", "member_outside_system": "02C"},
}
ROLE_BY_FORM = {
    "HD25-2023": {"01": "collective", "02B": "leader", "02A": "member"},
    "HD43-2025": {"01": "collective", "02A": "leader", "02B": "member", "02C": "member_outside_system"},
}
_YEAR_TITLE = re.compile(r"^(?:nam|kiem diem nam|ban kiem diem .{0,40}nam)\s*(20\d\d)\b")
_YEAR_ANY = re.compile(r"\bnam (20[12]\d)\b")
_DATE_YEAR = re.compile(r"ngay .{0,12}thang\s*(\d{1,2})?.{0,8}nam\s*(20\d\d)")
_SCORE_PART = re.compile(r"(\d{1,3}(?:[\.,]\d{1,2})?)\s*(?:diem)?\s*/\s*(30|70|100)\b")
_SCORE_TOTAL = re.compile(r"tong(?: cong| so)?(?: diem)?\s*[:=]?\s*(\d{1,3}(?:[\.,]\d{1,2})?)\s*(?:diem|/\s*100)")
_PLACEHOLDER = re.compile(r"(?:…|\.{4,}|_{3,})(?:[….\s_]*)")  # dots or underscores left for the writer to fill


def _only_prompts(value: str) -> bool:
    """A field left blank around the form's own words ("……Chi bộ ……"): nothing but placeholders and field labels."""
    if not _PLACEHOLDER.search(value):
        return False
    rest = fold(_PLACEHOLDER.sub(" ", value))
    return not _rules().blank_field_words.sub(" ", rest).strip(" .,;:-")


_SCORE_BLOCK = re.compile(r"/\s*(30|70)\b")
_COLLECTIVE_WORDS = re.compile(r"\b(chi bo|chi uy|dang uy|tap the)\b")
_PLACE_DATE = re.compile(r"ngay .{0,12}thang .{0,12}nam")
_BRANCH = re.compile(r"^chi bo\b")
_REPORT_WORDS = re.compile(r"kiem diem|xep loai")
_RATING_WORDS = re.compile(r"xep loai|tu nhan muc")
_NOT_A_RATING = re.compile(r"(phan dau|de nghi cap tren|nam toi)")


@dataclass(frozen=True)
class _OutsideCues:
    """Cues that a member does not work in the political system (structure.yaml outside_system_content)."""

    self_cues: re.Pattern[str]  # any of the cues (one alternation: only whether one occurs matters)
    leader_self: re.Pattern[str]
    support: list[re.Pattern[str]]
    support_cap: int
    neutral: list[re.Pattern[str]]
    against: list[re.Pattern[str]]
    against_weight: int
    threshold: int


@dataclass(frozen=True)
class _FormRules:
    roles: dict[str, list[re.Pattern[str]]]
    roles_in_text: dict[str, list[re.Pattern[str]]]
    leader_posts: re.Pattern[str]  # any of the posts, as whole words
    head_titles: re.Pattern[str]  # titles of a head not among the leader posts, on the lower-cased text
    not_head_posts: re.Pattern[str]  # the opening of a post piece that is not a head's (a former one included)
    outside_posts: re.Pattern[str]
    guidance: dict[str, list[re.Pattern[str]]]
    form_code: re.Pattern[str]
    ratings: list[tuple[str, list[re.Pattern[str]]]]
    fields: dict[str, re.Pattern[str]]
    blank_field_words: re.Pattern[str]  # the form's own words in a field left blank ("……Chi bộ ……")


def _words(phrases: list[str]) -> list[re.Pattern[str]]:
    return [compiled(rf"\b{p}\b") for p in phrases]


def _any_word(phrases: list[str]) -> re.Pattern[str]:
    """One pattern that finds a match where any ``_words(phrases)`` pattern would (one compilation, one search)."""
    return _any_of([rf"\b{p}\b" for p in phrases])


def _any_of(patterns: list[str]) -> re.Pattern[str]:
    return compiled("|".join(f"(?:{p})" for p in patterns) or "(?!)")


@cache
def _rules() -> _FormRules:
    data = load_yaml("structure.yaml")
    return _FormRules(
        roles={k: [compiled(p) for p in v] for k, v in data["roles"].items()},
        roles_in_text={k: [compiled(p) for p in v] for k, v in data["roles_in_text"].items()},
        leader_posts=_any_word(data["leader_posts"]),
        head_titles=_any_word(data["head_titles"]),
        not_head_posts=compiled(
            rf"^\W*(?:{_any_word(data['not_head_posts']).pattern}|{load_yaml('positions.yaml')['bodies']['former']})"
        ),
        outside_posts=_any_word(data["outside_system_posts"]),
        guidance={k: [compiled(p) for p in v] for k, v in data["guidance_markers"].items()},
        form_code=compiled(data["form_code"]),
        ratings=[(r["level"], _words(r["cues"])) for r in data["ratings"]],
        fields={k: compiled(v) for k, v in data["header_fields"].items()},
        blank_field_words=_any_word(data["blank_field_words"]),
    )


@cache
def _outside_content() -> _OutsideCues:
    """The cues of a member outside the political system, compiled when a report's role is read from its content
    (a report whose title or header says the role never needs them)."""
    return _outside_cues(load_yaml("structure.yaml")["outside_system_content"])


def _outside_cues(data: dict) -> _OutsideCues:
    return _OutsideCues(
        self_cues=_any_of(data["self"]),
        leader_self=_any_of(data["leader_self"]),
        support=_words(data["support"]),
        support_cap=int(data["support_cap"]),
        neutral=[compiled(p) for p in data["neutral"]],
        against=_words(data["against"]),
        against_weight=int(data["against_weight"]),
        threshold=int(data["threshold"]),
    )


OPENING_LINES = 40
OPENING_CHARS = 2500


def opening_text(doc: Doc) -> str:
    """The folded opening of the report, where the title, header and form code stand: the first 40 lines but
    no more than the first ~2,500 characters (a report pasted on one line is one line)."""
    lines = doc.lines[:OPENING_LINES]
    if not lines:
        return ""
    limit = lines[0].start + OPENING_CHARS
    parts = []
    for line in lines:
        if line.start >= limit:
            break
        if line.end <= limit:
            parts.append(line.folded)
        else:
            cut = line.folded.rfind(" ", 0, limit - line.start)
            parts.append(line.folded[: cut if cut > 0 else limit - line.start])
    return "\n".join(parts)


def detect_form(doc: Doc) -> Doc:
    """Fill header, year, guidance, role, form, self-rating and self-score on ``doc``."""
    doc.header = read_header(doc)
    opening = opening_text(doc)
    doc.guidance = detect_guidance(doc.folded, doc.header.year, has_score_block(doc))
    code = _rules().form_code.search(opening)
    doc.form_code_written = _canonical_code(code.group(1)) if code else None
    doc.role = detect_role(doc, opening)
    doc.form = _form_code(doc)
    doc.self_rating, doc.self_rating_span = read_self_rating(doc)
    doc.self_score, doc.self_score_parts = read_self_score(doc)
    return doc


def _canonical_code(raw: str) -> str:
    raw = raw.upper()
    return "01" if raw.lstrip("0") == "1" else "0" + raw.lstrip("0")


def detect_guidance(folded: str, year: int | None, score_block: bool) -> str | None:
    """The regime: explicit references first, then the 2025 self-scoring block, then the year."""
    for regime, patterns in _rules().guidance.items():
        if any(p.search(folded) for p in patterns):
            return regime
    if score_block:
        return "HD43-2025"
    if year is None:
        return None
    return "HD43-2025" if year >= 2025 else "HD25-2023"


def has_score_block(doc: Doc) -> bool:
    """True when the report carries the 2025 self-scoring block (…/30, …/70 or …/100)."""
    return bool(_SCORE_BLOCK.search(doc.folded)) and "diem" in doc.folded


def detect_role(doc: Doc, opening: str) -> str:
    """collective / leader / member / member_outside_system / unknown, from title, posts and content."""
    rules = _rules()
    for role in ("collective", "member_outside_system", "member", "leader"):
        if any(p.search(opening) for p in rules.roles[role]):
            if role == "collective" and doc.header.name:
                continue  # an individual's report that mentions the collective in its title
            return role
    posts = " ".join(filter(None, [doc.header.party_position, doc.header.government_position, doc.header.position]))
    folded_posts = fold(posts)
    if folded_posts and rules.leader_posts.search(folded_posts):
        return "leader"
    if folded_posts and rules.outside_posts.search(folded_posts + " " + fold(doc.header.unit or "")):
        return _outside_role(doc)
    if doc.form_code_written and doc.guidance in ROLE_BY_FORM:
        role = ROLE_BY_FORM[doc.guidance].get(doc.form_code_written)
        if role:
            return role
    if doc.header.name or "ho va ten" in opening or _first_person(doc) >= _FIRST_PERSON_MIN:
        # an individual's report whose title and header do not say the role, or a report pasted from its
        # first section whose writer speaks as one person
        return _individual_role(doc)
    if _COLLECTIVE_WORDS.search(opening):
        return "collective"
    return "unknown"


_POST_PIECES = re.compile(r"[;,]")
_UNACCENTED_HEAD = re.compile(r"(?<!vien )\btruong\b")
_BRACKETS = re.compile(r"\([^()]*\)?")


def heads_a_unit(header: Header) -> bool:
    """A leader's posts make the writer the head of a unit (người đứng đầu): some piece of them names a post that is
    not a deputy's, a committee member's, a profession's chief's ("Kế toán trưởng") or a former one ("Chi ủy viên;
    Phó Hiệu trưởng phụ trách cấp THCS" does not; "Phó Bí thư chi bộ; Trưởng khu phố" does); a leader whose header names no post is read as one
    (structure.yaml ``head_titles``, ``not_head_posts``)."""
    rules = _rules()
    written = header.position or "; ".join(p for p in (header.party_position, header.government_position) if p)
    named = False
    for piece in _POST_PIECES.split(_BRACKETS.sub(" ", written)):
        folded = fold(piece).strip()
        # typed without diacritics, "truong" may be "trưởng" as well as "trường": read as the title, but after the
        # word of a staff member ("giao vien truong THCS")
        titled = piece.lower() if folded != piece.lower().strip() else _UNACCENTED_HEAD.sub("trưởng", piece.lower())
        if rules.leader_posts.search(folded) or rules.head_titles.search(titled):
            if not rules.not_head_posts.search(folded):
                return True
            named = True
    return not named


def _outside_role(doc: Doc) -> str:
    """A member outside the political system: Mẫu 2C exists only in the 2025 forms (HD 25 has no 2C: member)."""
    return "member" if doc.guidance == "HD25-2023" else "member_outside_system"


def _individual_role(doc: Doc) -> str:
    """The role of an individual writer from the content: 2C cues, a role title quoted later in the text (the
    2025 scoring block names the criteria framework it uses), the writer's own leadership post; else member."""
    rules = _rules()
    if outside_system_from_content(doc.folded):
        return _outside_role(doc)
    for role in ("member", "leader"):
        if any(p.search(doc.folded) for p in rules.roles_in_text[role]):
            return role
    if _outside_content().leader_self.search(doc.folded):
        return "leader"
    return "member"


_FIRST_PERSON_MIN = 3
_FIRST_PERSON = re.compile(r"\b(tôi|bản thân)\b", re.IGNORECASE)
_FIRST_PERSON_FOLDED = re.compile(r"\b(toi|ban than)\b(?! (nay|day|nam|thang|se|sap))")
_NOT_FIRST_PERSON_FOLDED = re.compile(r"\b(thoi gian|sap|se|cho|den|ke) toi\b")


def _first_person(doc: Doc) -> int:
    """How often the writer says "tôi" / "bản thân" (accent-insensitive, "thời gian tới" aside, when typed
    without diacritics)."""
    if doc.diacritics:
        return len(_FIRST_PERSON.findall(doc.text))
    return len(_FIRST_PERSON_FOLDED.findall(doc.folded)) - len(_NOT_FIRST_PERSON_FOLDED.findall(doc.folded))


def outside_system_from_content(folded: str) -> bool:
    """True when the content shows a member who does not work in the political system (a student, a retiree
    of a residential branch, private-company staff, the self-employed): the writer says so, or their life
    outside an agency outweighs any sign of work inside the political system (cues in structure.yaml)."""
    cues = _outside_content()
    if cues.leader_self.search(folded):
        return False
    if cues.self_cues.search(folded):
        return True
    for pattern in cues.neutral:
        folded = pattern.sub(lambda m: " " * len(m.group()), folded)
    support = sum(min(len(p.findall(folded)), cues.support_cap) for p in cues.support)
    if support < cues.threshold:
        return False
    against = sum(cues.against_weight for p in cues.against if p.search(folded))
    return support - against >= cues.threshold


def _form_code(doc: Doc) -> str:
    if doc.guidance in FORM_BY_ROLE and doc.role in FORM_BY_ROLE[doc.guidance]:
        return FORM_BY_ROLE[doc.guidance][doc.role]
    if doc.form_code_written in {"01", "02A", "02B", "02C"}:
        return doc.form_code_written
    return "unknown"


def read_header(doc: Doc) -> Header:
    """Header fields from the labelled lines and the left header block."""
    rules = _rules()
    values: dict[str, str] = {}
    header_lines = [line for line in doc.lines[:45]]
    for line in header_lines:
        for part in _field_parts(line.text):
            part = _BULLET.sub("", part.strip())  # "- Họ và tên: …"
            folded = fold(part)
            for name, pattern in rules.fields.items():
                match = pattern.match(folded)
                if match and name not in values:
                    value = part[match.end() :].strip(" .:;-")
                    if name == "name":  # "Đoàn Minh Triết - Thiếu tá", "Lê Văn An (Tư An)": the name alone
                        value = _AFTER_NAME.split(value)[0].strip(" .:;-")
                    if value and not _PLACEHOLDER.fullmatch(value) and not _only_prompts(value):
                        values[name] = value
                    break
    block = _left_block(header_lines)
    party, government = values.get("party_position"), values.get("government_position")
    position = "; ".join(p for p in (party, government) if p) or None
    return construct(  # strings and an int year, as validation gives them (nlp.schema.construct)
        Header,
        name=values.get("name"),
        position=position,
        party_position=party,
        government_position=government,
        unit=values.get("unit") or block.get("unit"),
        branch=values.get("branch") or block.get("branch"),
        year=_read_year(doc),
        place_date=block.get("place_date"),
    )


_INLINE_FIELD = re.compile(  # each label with its diacritics and without (a report typed without them)
    r"\s{2,}|\t|(?<=\S)\s+(?=(?:Ngày sinh|Ngay sinh|Năm sinh|Nam sinh|Sinh ngày|Sinh ngay|Chức vụ|Chuc vu|Cấp bậc|Cap bac"
    r"|Quân hàm|Quan ham|Giới tính|Gioi tinh|Dân tộc|Dan toc|Bí danh|Bi danh)\s*:)",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^(?:[-–—•*+]|\d{1,2}[.)])\s*")
_AFTER_NAME = re.compile(r"\s+[-–—]\s+|\s*[(,;]|\s+(?=(?:[Ss]inh|SINH)\s+(?:năm|ngày|nam|ngay|NĂM|NGÀY|NAM|NGAY)\b)")


def _field_parts(text: str) -> list[str]:
    """A line may hold two fields ("Họ và tên: …  Ngày sinh: …") or table cells ("a | b")."""
    parts = []
    for cell in text.split(" | "):
        parts.extend(p for p in _INLINE_FIELD.split(cell) if p and p.strip())
    return parts


_COLUMN_GAP = re.compile(r"\s{3,}|\t| \| ")
_PARTY_BODY = re.compile(r"^(chi bo|dang bo|dang uy|ban chap hanh|ban thuong vu)\b")
# the national heading and motto, and the rest of the heading wrapped onto a line of its own ("VIỆT NAM")
_NATIONAL_MOTTO = re.compile(r"^(dang cong san viet nam|cong hoa xa hoi|doc lap|(chu nghia )?viet nam$)")
HEADER_TITLE = re.compile(r"^\W*(bao cao|ban kiem diem|ban tu kiem diem|kiem diem)\b")  # the header block ends here


def _left_block(lines: list) -> dict[str, str]:
    """Header block typed in two columns: party bodies on the left (superior first, then the body itself)."""
    found: dict[str, str] = {}
    bodies: list[str] = []
    previous_was_body = False
    for line in lines[:12]:
        if HEADER_TITLE.match(fold(line.text)):  # the title: what follows is the report, no body of its header
            break
        cells = [c.strip() for part in _COLUMN_GAP.split(line.text) for c in _split_columns(part) if c.strip()]
        for index, cell in enumerate(cells):
            folded = fold(cell).strip()
            if _PLACE_DATE.search(folded):
                found.setdefault("place_date", cell)
            elif _NATIONAL_MOTTO.match(folded) or index > 0:
                continue
            elif _PARTY_BODY.match(folded) and len(cell) < 90:
                bodies.append(cell)
                previous_was_body = True
                continue
            elif previous_was_body and _is_caps_continuation(cell) and bodies:
                bodies[-1] = f"{bodies[-1]} {cell}"
                continue
            previous_was_body = False
    for body in bodies:
        if _BRANCH.match(fold(body)):
            found.setdefault("branch", body)
    if bodies:
        found["unit"] = bodies[0]
        if len(bodies) > 1:
            found.setdefault("branch", bodies[-1])
    return found


# the national heading run onto a body's line, whole or cut where a fixed-width text wrapped it
_MOTTO_INSIDE = re.compile(
    r"\s(dang cong san viet nam|cong hoa xa hoi chu nghia viet nam)\b|\s(dang cong san|cong hoa xa hoi( chu nghia)?)\s*$"
)
_DATE_INSIDE = re.compile(r",?\s*ngay\s+\d{1,2}\s+thang")


def _split_columns(text: str) -> list[str]:
    """Undo two header columns that normalisation ran together ("CHI BỘ X   ĐẢNG CỘNG SẢN VIỆT NAM")."""
    folded = fold(text)
    motto = _MOTTO_INSIDE.search(folded)
    if motto and motto.start() > 0:
        return [text[: motto.start()], text[motto.start() :]]
    date = _DATE_INSIDE.search(folded)
    if date and date.start() > 0:
        words = text[: date.start()].split(" ")
        if words and _is_caps_word(words[0]):  # the capitals and the numbers among them ("CHI BỘ THÔN 3 Tân Phong, …")
            cut = next((i for i, w in enumerate(words) if not (_in_capitals(w) or _NUMBER.match(w))), len(words))
        else:
            cut = len(words)
            while cut > 0 and not _is_caps_word(words[cut - 1]):
                cut -= 1
        if 0 < cut < len(words):
            return [" ".join(words[:cut]), text[len(" ".join(words[:cut])) :]]
    return [text]


_NUMBER = re.compile(r"^(?:số)?\d+[A-Za-z]?$", re.IGNORECASE)  # "3", "02D" in a unit's name


def _is_caps_word(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) > 1


def _in_capitals(word: str) -> bool:
    """Every letter of the word a capital ("Y" of "Y TẾ" too)."""
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _is_caps_continuation(cell: str) -> bool:
    letters = [c for c in cell if c.isalpha()]
    return bool(letters) and len(cell) < 60 and all(c.isupper() for c in letters) and "*" not in cell


def _read_year(doc: Doc) -> int | None:
    first_section = next((s.start for s in doc.sections if s.id != "header"), len(doc.text))
    head_lines = [line for line in doc.lines[:30] if line.start < first_section]
    for line in head_lines:
        match = _YEAR_TITLE.search(line.folded.strip())
        if match:
            return int(match.group(1))
    found = _report_year(head_lines)
    if found is not None:
        return found
    for line in doc.lines[:15] + doc.lines[-12:]:
        match = _DATE_YEAR.search(line.folded)
        if match:
            month = int(match.group(1)) if match.group(1) else 12
            year = int(match.group(2))
            return year - 1 if month <= 2 else year
    return _report_year(doc.lines[:30])  # a body line naming a report and a year ("… bản kiểm điểm năm 2024")


def _report_year(lines: list) -> int | None:
    """The year of the first line that names a report and a year."""
    for line in lines:
        if _REPORT_WORDS.search(line.folded):
            match = _YEAR_ANY.search(line.folded)
            if match:
                return int(match.group(1))
    return None


_OPTIONS_LISTED = 3  # a line naming this many levels lists the form's choices (one claim names two at most:
# "không hoàn thành nhiệm vụ" holds "hoàn thành nhiệm vụ")


def read_self_rating(doc: Doc) -> tuple[str | None, tuple[int, int] | None]:
    """The level the writer claims, read from the self-rating part (or a rating line elsewhere)."""
    candidates = [u for u in doc.units if u.section == "self_rating"]
    if not candidates:
        candidates = [u for u in doc.units if _RATING_WORDS.search(u.folded)]
    for unit in candidates:
        folded = unit.folded
        if _NOT_A_RATING.search(folded) and unit.section != "self_rating":
            continue
        named = [level for level, patterns in _rules().ratings if any(p.search(folded) for p in patterns)]
        if len(named) >= _OPTIONS_LISTED:  # the blank form's list of the levels to choose from: none chosen
            continue
        for level, patterns in _rules().ratings:
            for pattern in patterns:
                match = pattern.search(folded)
                if match:
                    return level, (unit.start + match.start(), unit.start + match.end())
    return None, None


def read_self_score(doc: Doc) -> tuple[float | None, dict[str, float]]:
    """Self-assessed points of the 2025 forms: parts out of 30 and 70, and the total out of 100."""
    parts: dict[str, float] = {}
    total: float | None = None
    for unit in doc.units:
        if unit.section not in {"self_rating", None, "signature"} and "diem" not in unit.folded:
            continue
        for match in _SCORE_PART.finditer(unit.folded):
            value = float(match.group(1).replace(",", "."))
            scale = match.group(2)
            key = {"30": "general", "70": "tasks", "100": "total"}[scale]
            if value <= int(scale) and key not in parts:
                parts[key] = value
        match = _SCORE_TOTAL.search(unit.folded)
        if match and total is None:
            value = float(match.group(1).replace(",", "."))
            if value <= 100:
                total = value
    if total is None:
        total = parts.get("total")
    if total is None and "general" in parts and "tasks" in parts:
        total = parts["general"] + parts["tasks"]
    return total, parts
