"""Who wrote a report: name (and its matching key), date of birth, posts, role, unit, year and form."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from pathlib import PurePosixPath

from nlp.cross.config import (
    Post,
    body_abbreviations,
    body_patterns,
    cue,
    cues,
    expand_unit_phrases,
    fields,
    former_pattern,
    head_levels,
    posts,
    settings,
    staff_pattern,
    unit_abbreviations,
    unit_alternate_abbreviations,
)
from nlp.cross.records import Identity
from nlp.form import HEADER_TITLE
from nlp.lexicon import load_yaml
from nlp.normalize import fold
from nlp.schema import AnalysisResult

_HONORIFIC = re.compile(r"^\s*(đồng chí|đ/c|d/c|đc|ông|bà|anh|chị)\b\.?\s*", re.IGNORECASE)
_DATE = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*((?:19|20)\d\d)")
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_POST_SPLIT = re.compile(r"\s*(?:;|,|\bkiêm\b|\bđồng thời\b)\s*", re.IGNORECASE)  # "kiêm", not "kiểm"
_UNIT_PREFIX = re.compile(r"^(chi bo|dang bo|dang uy)\s+")
_UNIT_BODY = re.compile(r"^(chi bo|dang bo|dang uy)\b")
_I_FOR_Y = re.compile(r"\b(ch|gh|kh|ng|nh|ph|th|tr|[bcdghklmnpqrstvx])y\b")  # "Mỹ" / "Mĩ", "Lý" / "Lí"
_YEAR_DIR = re.compile(r"^(?:19|20)\d\d$")
_IN_CHARGE = re.compile(r"\bphu trach ([^,;()]{3,60})$")
_CHARGE_SPLIT = re.compile(r"\s+(?:va|cung)\s+")
_WORD = re.compile(r"[a-z0-9đ]+")
_DASH = re.compile(r"\s[-–]\s")
_LETTER_DIGIT = re.compile(r"\b([a-z]{2,})(\d+)\b")


# A header line folded once a report, not once per field looked for in it (assigned areas, other post fields,
# header bodies, date of birth): the same lines are read by each.
_fold_line = lru_cache(maxsize=1 << 12)(fold)

FIRST_LINES = 80  # the lines of a report the identity reads at most


@lru_cache(maxsize=4)
def _first_lines(text: str) -> tuple[str, ...]:
    """The first lines of a report's text, where its header and identity fields are (split once: the identity reads
    them for several fields)."""
    return tuple(text.splitlines()[:FIRST_LINES])


@lru_cache(maxsize=1 << 16)
def words_of(folded: str) -> str:
    """The words of a folded text, punctuation dropped ("to toan – tin," → "to toan tin"; remembered: the checks ask
    it of the same sentence for every area of every person)."""
    return " ".join(_WORD.findall(folded))


def dash_parts(folded: str) -> list[str]:
    """The words of each part of a name joined by dashes ("luu tru – co so du lieu" → two parts)."""
    return [words_of(part) for part in _DASH.split(folded)]


def name_key(name: str | None) -> str | None:
    """A name for matching: NFC, 'Đ/c' / 'đồng chí' dropped, spaces collapsed, case-folded."""
    if not name:
        return None
    text = unicodedata.normalize("NFC", name)
    text = _HONORIFIC.sub("", text)
    text = re.sub(r"[^\w\s]", " ", text)
    key = " ".join(text.split()).casefold()
    return key or None


@lru_cache(maxsize=1 << 14)  # the linking asks it of the same header names again and again
def unit_key(name: str | None, alternate: bool = False, expand: bool = True) -> str | None:
    """A unit name for matching: folded, 'chi bộ' / 'đảng bộ' prefix dropped, a final 'y' after a consonant written
    'i' (both spellings are current), abbreviations written out ("CTY CP" → "cong ty co phan"), spaces collapsed.
    ``alternate``: an abbreviation with two readings takes its other one ("P." phường / phòng: cross.yaml
    ``unit_alternate_abbreviations``); ``expand=False``: no abbreviation of the list is written out (its words are
    then read against the other name: "TT&BVTV" is "trồng trọt và bảo vệ thực vật" there, not "trung tâm …")."""
    if not name:
        return None
    folded = _expand_body(" ".join(re.sub(r"[^\w\s]", " ", fold(name)).split()))
    key = _LETTER_DIGIT.sub(r"\1 \2", _UNIT_PREFIX.sub("", folded))  # "kv4" → "kv 4"
    key = expand_unit_phrases(key)  # "cn ty" (CN&TY) → "chan nuoi va thu y"
    table = {**unit_abbreviations(), **unit_alternate_abbreviations()} if alternate else unit_abbreviations()
    words = " ".join(table.get(word, word) for word in key.split()) if expand else key
    return _I_FOR_Y.sub(r"\1i", words) or None


def unit_keys(identity: Identity) -> list[str]:
    """The writer's unit key, and its other reading where an abbreviation has two ("CHI BỘ P. KINH TẾ")."""
    keys = [identity.unit_key] if identity.unit_key else []
    other = unit_key(identity.unit_name, alternate=True)
    return [*keys, other] if other and other not in keys else keys


def written_unit_key(identity: Identity) -> str | None:
    """The writer's unit key with the abbreviations as written, tried when no reading of :func:`unit_keys` names a
    unit of the folder ("CHI BỘ CHI CỤC TT&BVTV": "tt" is no "trung tâm" there, but "trồng trọt")."""
    written = unit_key(identity.unit_name, expand=False)
    return written if written not in unit_keys(identity) else None


@cache
def _birth_field() -> re.Pattern[str]:
    return re.compile(load_yaml("structure.yaml")["header_fields"]["birth"])


def birth_date(text: str) -> str | None:
    """The date of birth from the header ("Ngày sinh: 14/3/1971" → "1971-03-14"; a year alone → "1971")."""
    for line in _first_lines(text)[:60]:
        for part in re.split(r"\s{2,}|\t| \| ", line):
            folded = _fold_line(part).strip()
            match = _birth_field().match(folded)
            if not match:
                inline = re.search(r"\b(ngay sinh|nam sinh|sinh ngay)\s*[:\.]", folded)
                if not inline:
                    continue
                folded = folded[inline.start() :]
                match = _birth_field().match(folded)
                if not match:
                    continue
            value = folded[match.end() :]
            date = _DATE.search(value)
            if date:
                day, month, year = (int(g) for g in date.groups())
                return f"{year:04d}-{month:02d}-{day:02d}"
            year = _YEAR.search(value)
            if year:
                return year.group(1)
    return None


def post_pieces(value: str) -> list[str]:
    """The folded posts of one post field, split where it lists several ("Bí thư, kiêm Giám đốc")."""
    return [fold(piece) for piece in written_pieces(value)]


def posts_named(value: str) -> list[tuple[str, Post | None]]:
    """Each folded post piece of one post field with the first post it names (None: none, or a post held before, or
    a member of a body's staff: "trước đó là Giám đốc …", "giáo viên Trường …")."""
    found = []
    for raw in written_pieces(value):
        piece = fold(raw)
        held = not _holds_no_post(piece.strip(" ."))
        found.append((piece, next((p for p in posts() if p.fits(piece, raw)), None) if held else None))
    return found


def _holds_no_post(piece: str) -> bool:
    """A folded post piece that names a post held before, or a member of a body's staff (positions.yaml
    ``bodies.former``, ``bodies.staff``)."""
    return bool(former_pattern().match(piece) or staff_pattern().match(piece))


def written_pieces(value: str) -> list[str]:
    """The posts of one post field as written (:func:`post_pieces` before folding)."""
    text = " ".join(re.sub(r"[()]", ",", unicodedata.normalize("NFC", value)).split())
    return _POST_SPLIT.split(text)


_NONE_GIVEN = re.compile(r"^\W*(khong|chua co)\b(?!\s+(chuyen trach|truc tiep))")


def find_posts(*written: str | None) -> tuple[list[str], list[str]]:
    """Ids of the posts named in the header's post fields (each piece matched to the first post that fits), and
    the areas they cover (the posts' own, and any a piece names: "phụ trách kho dược", "tổ trưởng tổ Toán")."""
    found, areas, _ = _read_posts(*written)
    return list(found), list(areas)


def charges_of(identity: Identity) -> list[str]:
    """The fields the writer's own post fields say he or she is in charge of ("Phó Trạm trưởng, phụ trách tiêm phòng
    và chẩn đoán xét nghiệm" → "tiem phong va chan doan xet nghiem", "tiem phong", …)."""
    return list(_read_posts(identity.party_post, identity.gov_post)[2])


@lru_cache(maxsize=1 << 12)
def _read_posts(*written: str | None) -> tuple[list[str], list[str], list[str]]:
    found: list[str] = []
    areas: list[str] = []
    charges: list[str] = []
    for value in written:
        if not value or _NONE_GIVEN.match(fold(value)):  # "không (cán bộ Công an xã, làm nhiệm vụ trực ban)"
            continue
        listing = False  # after "phụ trách kiểm tra", the next pieces ("quản lý hóa đơn", "hoàn thuế") go on the list
        for raw in written_pieces(value):
            piece, raw = fold(raw).strip(" ."), raw.strip(" .")
            named_post = any(post.fits(piece, raw) for post in posts())
            if listing and not named_post and 1 <= len(piece.split()) <= 8:
                # "…, tài sản và mua sắm của Đài": the piece, and each field it joins, without "của Đài"
                listed = [words_of(piece), *(field_words(p) for p in _CHARGE_SPLIT.split(words_of(piece)))]
                areas.extend(a for a in listed if a)
                charges.extend(a for a in listed if a)
                continue
            listing = False
            if _holds_no_post(piece):  # a former post; a
                continue  # member of a body's staff ("công chức Đội Kê khai – Kế toán thuế") holds no post in it
            charge = _IN_CHARGE.search(piece)
            if charge:  # "phụ trách xã Thạch Liễn và xã Phú Nham", "phụ trách chăm sóc sức khỏe bà mẹ – trẻ em"
                written = words_of(charge.group(1))
                dashed = [p for p in dash_parts(charge.group(1)) if len(p.split()) >= 3]
                parts = [*_CHARGE_SPLIT.split(written), *dashed]
                areas.extend(a for a in [written, *parts] if len(a.split()) >= 2)
                charges.extend(a for a in [written, *parts] if len(a.split()) >= 2)
                listing = True
            body = _body(piece)
            if body:  # the body, a shorter name of it, and the areas of a post the body is ("Khoa Dược")
                words = body.split()
                numbered = words[-1][:1].isdigit()  # "hạt … số 2": a shorter name would name every hạt
                areas.extend([body, " ".join(words[:-1])] if len(words) >= 4 and not numbered else [body])
                function = " ".join(words[1:]) if kind_word_count(body) == 1 else " ".join(words[2:])
                if len(function.split()) >= 3:  # "Tổ Kiểm tra – kiểm soát nội bộ": "kiểm tra, kiểm soát nội bộ"
                    areas.append(function)
                areas.extend(_team_works(piece))
                areas.extend(a for p in posts() if p.pattern.search(body) for a in p.areas)
            for post in posts():
                if post.fits(piece, raw):
                    if post.id not in found:
                        found.append(post.id)
                        replaces = post.charge_replaces_areas or piece.startswith("pho ")  # a deputy's scope is
                        # the field the header gives ("Phó Trưởng Công an xã, phụ trách … cư trú, căn cước")
                        if not (replaces and any(_IN_CHARGE.search(p) for p in post_pieces(value))):
                            areas.extend(post.areas)  # "Phó Hiệu trưởng, phụ trách công tác học sinh": that field only
                    own = post.area_from.search(piece) if post.area_from else None
                    if own:
                        areas.append(own.group(1).strip())
                    break
    return found, list(dict.fromkeys(a for a in areas if a)), list(dict.fromkeys(a for a in charges if a))


def _team_works(piece: str) -> list[str]:
    """A team named after two works ("Tổ trưởng Tổ Lưu trữ – Cơ sở dữ liệu", "tổ Kế toán – Ngân quỹ"): each work,
    of two words or more, is an area of its head."""
    team = re.search(r"\b(?:to|doi) (?!truong\b)(.+)$", piece)
    if not team or not _DASH.search(team.group(1)):
        return []
    return [p for p in dash_parts(team.group(1)) if len(p.split()) >= 2]


def kind_word_count(body: str) -> int:
    """How many words the kind of body takes at the start of ``body`` ("to" 1, "chi doan" 2)."""
    _, kind, _ = body_patterns()
    opened = kind.match(body)
    return len(opened.group(0).split()) if opened else 0


def _body(piece: str) -> str | None:
    """The body a post heads, as words ("chu tich cong doan co so" → "cong doan"; positions.yaml ``bodies``)."""
    title, kind, qualifiers = body_patterns()
    words = words_of(piece)
    opened = title.match(words)
    if not opened:
        return None
    rest = qualifiers.sub("", words[opened.end() :])
    return rest if kind.match(rest) and len(rest.split()) >= 2 else None


def bodies_of(identity: Identity) -> list[str]:
    """The bodies the writer's posts head, as words ("Chủ nhiệm Ủy ban Kiểm tra Đảng ủy" → "uy ban kiem tra")."""
    return list(_bodies(identity.party_post, identity.gov_post))


@cache
def _bodies(*written: str | None) -> tuple[str, ...]:
    """The bodies of the post pieces; a body named after two works also by its first ("Quản đốc Xưởng bảo dưỡng –
    sửa chữa" heads "xuong bao duong sua chua", which the collective report calls "Xưởng bảo dưỡng")."""
    found = []
    for value in written:
        for piece in post_pieces(value or ""):
            body = _body(piece.strip(" ."))
            if body:
                found.append(body)
                first = _body(_DASH.split(piece)[0].strip(" .")) if _DASH.search(piece) else None
                if first and first != body:
                    found.append(first)
    return tuple(dict.fromkeys(found))


_FIELD_SPLIT = re.compile(r"\s*(?:[,;:]|\bva\b|\bcung\b)\s*")


def assigned_areas(text: str) -> list[str]:
    """The fields a writer says the unit assigned to him or her, as folded phrases, from the header's "Nhiệm vụ được
    phân công: …" or a first-person sentence ("tôi được Đảng ủy phân công theo dõi công tác đất đai")."""
    found = []
    for line in _first_lines(text)[:80]:
        folded = _fold_line(line)
        for pattern in cues()["assigned_field"]:
            for match in pattern.finditer(folded):
                for phrase in _FIELD_SPLIT.split(match.group(1)):
                    field = field_words(phrase)
                    if 2 <= len(field.split()) <= 6:
                        found.append(field)
    return list(dict.fromkeys(found))


def field_words(phrase: str) -> str:
    """A field of work as words, without those that open or close it without naming it (cross.yaml ``field_trim``:
    "công tác bán trú" → "ban tru", "… trên địa bàn xã" dropped)."""
    for trim in cues()["field_trim"]:
        phrase = trim.sub("", phrase.strip()).strip()
    return words_of(phrase)


def with_fields(areas: list[str]) -> list[str]:
    """The areas, and the topics of every field of work one of them names (positions.yaml ``fields``: "to bao ve an
    ninh" covers a drug case, "chi cuc bao ve moi truong" waste water)."""
    found = list(areas)
    for number in sorted(named_fields(tuple(areas))):  # in the order of positions.yaml, as the fields are read
        found.extend(fields()[number][1])
    return list(dict.fromkeys(found))


@lru_cache(maxsize=1 << 14)
def named_fields(areas: tuple[str, ...]) -> frozenset[int]:
    """The fields of work (their order in positions.yaml ``fields``) whose keys the areas name; a key inside a longer
    key named there names nothing of its own ("trật tự" in "trật tự an toàn giao thông" is not public order)."""
    index = _field_index()
    named: set[int] = set()
    for area in areas:
        words = words_of(area).split()
        keys = [
            (start, end, index[key])
            for start in range(len(words))
            for end in range(start + 1, min(len(words), start + _LONGEST_KEY) + 1)
            if (key := " ".join(words[start:end])) in index
        ]
        for start, end, numbers in keys:
            if not any(s <= start and end <= e and (s, e) != (start, end) for s, e, _ in keys):
                named.update(numbers)
    return frozenset(named)


_LONGEST_KEY = 12  # words; positions.yaml's field keys are shorter (checked by _field_index)


@cache
def _field_index() -> dict[str, tuple[int, ...]]:
    """Each key of positions.yaml's ``fields`` (its words) → the fields it opens, by their order in the file."""
    index: dict[str, list[int]] = {}
    for number, (keys, _topics) in enumerate(fields()):
        for key in keys:
            words = key.split()
            if len(words) > _LONGEST_KEY:
                raise ValueError(f"field key longer than {_LONGEST_KEY} words: {key!r}")
            index.setdefault(" ".join(words), []).append(number)
    return {key: tuple(numbers) for key, numbers in index.items()}


def head_level(*written: str | None) -> str | None:
    """The level of the head posts named in the post fields: ``committee`` (the đảng ủy or the whole enterprise /
    agency), ``branch`` (a chi bộ or a sub-unit inside it), ``own`` (neither said: the writer's own unit); None
    without a head post. The highest level named wins."""
    levels = []
    for value in written:
        if not value:
            continue
        for piece, post in posts_named(value):
            if post is None or not post.head:
                continue
            levels.append(next((name for name, pattern in head_levels() if pattern.search(piece)), "own"))
    for level in ("committee", "own", "branch"):
        if level in levels:
            return level
    return None


_OTHER_POST_FIELD = re.compile(
    r"^\W*(cong viec( hien nay| dang lam)?|chuc vu doan the|chuc vu khac|nhiem vu|cong tac doan the|tham gia doan the|doan the|chuc danh)"
    r"\s*:\s*"
)


def _other_post_fields(text: str) -> list[str]:
    """Header lines that name posts outside the two post fields ("Công việc hiện nay: …; Chi hội trưởng …")."""
    found = []
    for line in _first_lines(text)[:30]:
        match = _OTHER_POST_FIELD.match(_fold_line(line))
        if match:  # "Công việc: Văn thư – lưu trữ, Văn phòng Khối Mặt trận – Đoàn thể xã": the workplace names no post
            pieces = re.split(r"[,;]", line[match.end() :])
            found.append(",".join(p for p in pieces if not cue("workplace_opening", _fold_line(p.strip()))))
    return found


def unit_folder(path: str) -> str:
    """The folder of a report with any year folder left out ("dong-lac/2025/x.txt" → "dong-lac")."""
    parts = [p for p in PurePosixPath(path.replace("\\", "/")).parent.parts if not _YEAR_DIR.match(p)]
    return "/".join(parts)


def _path_year(path: str) -> int | None:
    for part in PurePosixPath(path.replace("\\", "/")).parent.parts:
        if _YEAR_DIR.match(part):
            return int(part)
    return None


_COLUMN_GAP = re.compile(r"\s{3,}|\t| \| ")
_CHI_BO = re.compile(r"^chi bo\b")
# the national heading of the right column run onto the line, whole or cut where a fixed-width text wrapped it
_NATIONAL_HEADING = re.compile(
    r"\s(dang cong san viet nam|cong hoa xa hoi chu nghia|dang cong(?: san(?: viet)?)?\s*$|cong hoa(?: xa(?: hoi)?)?\s*$)"
)
# the rest of a right-column line that a fixed-width text wrapped onto a line of its own, between the left column's
# lines ("ĐẢNG CỘNG SẢN⏎VIỆT NAM", "Đồng Nê, ngày 11⏎tháng 12 năm 2025", "Mẫu 01-HD⏎KĐ.ĐG 2025"): no line of the left
# column, so a name wrapped there goes on past it
_WRAPPED_REMNANT = re.compile(
    r"^(?:(?:(?:dang )?cong )?san )?viet nam$|^(?:(?:xa hoi )?chu nghia )viet nam$|^(?:ngay \d+ )?thang \d+ nam \d{4}$"
    r"|^[\w.-]*\s?kd\.?\s?dg \d{4}$|^doc lap\W+tu do\W+hanh phuc$"
)
_INNER_BODY = re.compile(r"(?<=\w)(?:\s+[-–—]\s+|\s*,\s*|\s+)(?=chi bo\b)")
_BODY_ABBREVIATION = re.compile(r"^(\w+)(?=\s)")


def _expand_body(folded: str) -> str:
    """A party body abbreviated at the start ("cb co quan phuong" → "chi bo co quan phuong"); other text unchanged."""
    first = _BODY_ABBREVIATION.match(folded)
    if first and first.group(1) in body_abbreviations():
        return body_abbreviations()[first.group(1)] + folded[first.end() :]
    return folded


_SUB_UNIT = re.compile(r"\b(" + "|".join(settings()["sub_unit_words"]) + r")\b")
_SENTENCE_LIKE = re.compile(r"\b(toi|ban than|da neu|phan)\b")


def _header_bodies(text: str) -> list[str]:
    """Party bodies named in the first column of the header block, superior first ("ĐẢNG BỘ XÃ …", "CHI BỘ …")."""
    bodies: list[str] = []
    continued = False  # the line above named a body: a line of capitals under it may go on with its name
    for line in _first_lines(text)[:12]:
        if HEADER_TITLE.match(_fold_line(line)):  # the title: what follows is the report, no body of its header
            break
        if _WRAPPED_REMNANT.match(_fold_line(line.strip())):
            continue
        cell = _COLUMN_GAP.split(line.strip())[0].strip() if line.strip() else ""
        national = _NATIONAL_HEADING.search(_fold_line(cell))
        rest = ""
        if national and national.start() > 0:  # the two columns pasted onto one line: keep the left one
            cell, rest = cell[: national.start()].strip(), cell[national.end() :].strip()
            # a header pasted as one line: the left column's next body, written in capitals or not, goes on after it
            rest = _without_date_line(rest) if _UNIT_BODY.match(_fold_line(rest)) else ""
        date = _DATE_LINE.search(cell)
        before = len(cell[: date.start()].split()) if date else 0
        cell = _without_date_line(cell)
        # "Ô Rạch, ngày 05 …": a place and date, no name going on; "CÔNG TRÌNH THỦY LỢI HẠ QUẢNG Hạ Quảng, ngày …": the
        # name going on, the place of the date line after it
        dated = bool(date) and not (2 <= len(cell.split()) < before)
        cell = f"{cell} {rest}" if rest else cell
        folded = _expand_body(_fold_line(cell))
        shift = len(folded) - len(cell)  # an abbreviation written out at the start
        if _UNIT_BODY.match(folded) and len(cell) < 90 and not re.search(r"\bviet nam\b", folded):
            inner = _INNER_BODY.search(folded)  # "ĐẢNG BỘ XÃ AN HÒA – CHI BỘ THÔN 3" pasted onto one line
            if inner:
                split = inner.start() - shift
                bodies.extend([cell[:split].strip(" -–—,"), cell[split:].strip(" -–—,")])
            else:
                bodies.append(cell)
            continued = True
        elif continued and not dated and _goes_on_with_name(cell, folded):
            bodies[-1] = f"{bodies[-1]} {cell}"  # "ĐẢNG BỘ CÔNG TY CỔ PHẦN CƠ KHÍ" / "VÀ XÂY LẮP SÔNG TRÀ"
        else:
            continued = False
    return bodies


_NOT_A_NAME = re.compile(
    r"^(bao cao|ban kiem diem|kiem diem|ban tu kiem diem|mau\b|so\b|dang cong san|cong hoa|(chu nghia )?viet nam$)"
)  # "VIỆT NAM" alone: the rest of the national heading, wrapped onto the next line


def _goes_on_with_name(cell: str, folded: str) -> bool:
    """A header line that goes on with the name of the body on the line above it (a long name wrapped in the narrow
    left column): written in capitals, short, and no title, number line or national heading."""
    return bool(cell) and cell.isupper() and len(cell) < 70 and not _NOT_A_NAME.match(folded)


_DATE_LINE = re.compile(r",\s*ng[àa]y\s+\d", re.IGNORECASE)


def _without_date_line(cell: str) -> str:
    """The header cell without the place and date of the right column pasted after it on the same line ("CHI BỘ
    TRẠM Y TẾ Hòa Khánh, ngày 12 tháng 12 năm 2024" → "CHI BỘ TRẠM Y TẾ"): the place is cut too where the unit
    is written in capitals and the place is not."""
    date = _DATE_LINE.search(cell)
    if not date:
        return cell
    words = cell[: date.start()].split()
    if words and words[0].isupper():  # the capitals and the numbers among them ("CHI BỘ ĐỘI XE 3 Phú Nham, ngày …")
        kept = next((i for i, w in enumerate(words) if not (w.isupper() or _NUMBER_WORD.match(w))), len(words))
        words = words[: max(kept, 1)]
    return " ".join(words)


_NUMBER_WORD = re.compile(r"^(?:số\s*)?\d+[A-Za-z]?[.,]?$", re.IGNORECASE)


def _unit_names(result: AnalysisResult) -> tuple[str | None, str | None]:
    """The chi bộ / đảng bộ the report belongs to — the chi bộ of the header block, else the 'Chi bộ:' field, else
    the lowest party body of the header block (a đảng bộ's own report) — and the party body the header names above
    it (the đảng bộ of a chi bộ; None when the header names none)."""
    bodies = _header_bodies(result.text)
    branch = next((i for i in reversed(range(len(bodies))) if _names_chi_bo(bodies[i])), None)
    if branch is not None:
        return bodies[branch], _above(bodies, branch)
    written = result.header.branch
    if written and len(written) < 60 and not _SENTENCE_LIKE.search(fold(written)):
        return written.strip(), bodies[-1] if bodies and unit_key(bodies[-1]) != unit_key(written) else None
    if not bodies:
        return None, None
    return bodies[-1], _above(bodies, len(bodies) - 1)


def _above(bodies: list[str], index: int) -> str | None:
    """The nearest body above ``bodies[index]`` that is not the same unit written twice: the same key, or for a chi
    bộ another chi bộ line whose words hold all of its own or are all in them (the header's "Chi bộ Cty CP Khách sạn
    Ngọc Trà Bến Thóc, ngày …", the place of the date line run into it, above the field "Chi bộ: Công ty cổ phần
    Khách sạn Ngọc Trà")."""
    own = unit_key(bodies[index]) or ""
    branch = _names_chi_bo(bodies[index])
    return next((b for b in reversed(bodies[:index]) if not _written_twice(own, b, branch)), None)


def _names_chi_bo(body: str) -> bool:
    """The header body is a chi bộ ("CB …" written out)."""
    return bool(_CHI_BO.match(_expand_body(fold(body))))


def _written_twice(own: str, body: str, branch: bool) -> bool:
    key = unit_key(body) or ""
    if key == own:
        return True
    if not branch or not _names_chi_bo(body):
        return False
    mine, theirs = set(own.split()), set(key.split())
    return bool(mine and theirs) and (mine <= theirs or theirs <= mine)


def identify(path: str, result: AnalysisResult) -> Identity:
    """The identity of the writer of ``result`` (a collective report has no person)."""
    header = result.header
    collective = result.role == "collective"
    written = [header.party_position, header.government_position, *_other_post_fields(result.text)]
    found, areas = ([], []) if collective else find_posts(*written)
    if not found and not collective and header.position:
        found, areas = find_posts(header.position)
    if not collective:
        areas = with_fields([*areas, *assigned_areas(result.text)])
    name = None if collective else header.name
    unit, parent = _unit_names(result)
    return Identity(
        file=path,
        role=result.role,
        form=result.form,
        year=header.year or _path_year(path),
        name=" ".join(name.split()) if name else None,
        key=name_key(name),
        birth=None if collective else birth_date(result.text),
        party_post=header.party_position,
        gov_post=header.government_position,
        posts=found,
        head=any(p.head for p in posts() if p.id in found),
        head_level=None if collective else head_level(*written),
        areas=areas,
        unit_name=unit,
        unit_key=unit_key(unit),
        parent_name=parent,
        parent_key=unit_key(parent),
        folder=unit_folder(path),
    )


def within_parent(identity: Identity) -> Identity:
    """The identity as a member of the đảng bộ above its chi bộ (the đảng bộ's collective report is the one checked):
    a head post of the chi bộ or of a sub-unit does not make the writer the đảng bộ's head, and a chi bộ's secretary
    is not the secretary the đảng bộ's report names (a management post such as "Trưởng phòng" is kept: the report
    may name it); a head post of the đảng ủy or of the whole enterprise still does."""
    if identity.head_level == "committee":
        return identity
    kept = [BRANCH_SECRETARY if _is_party_head(p) else p for p in identity.posts]
    places = _branch_places(identity)
    return identity.model_copy(update={"head": False, "posts": list(dict.fromkeys(kept)), "places": places})


BRANCH_SECRETARY = "bi_thu_chi_bo"


def sub_unit_heads(members: list[Identity]) -> list[Identity]:
    """The unit's members with the head of a sub-unit no longer counted as the unit's head: in a chi bộ that spans
    a whole agency, school or hospital, a "Trưởng khoa Nội" or "Trưởng phòng Kế hoạch" heads a part of it, not the
    unit, when the unit's name is not that part's (whether or not the secretary's report is there: a reviewer's
    pair check holds one writer only). Such a writer answers for the shortcomings the text places in his or her
    part."""
    unit_names = [f" {m.unit_key} " for m in members if m.unit_key]
    adjusted = []
    for member in members:
        parts = _sub_units(member) if member.head and not _heads_whole_unit(member) else []
        # the part's name as a phrase of the unit's ("khoa noi" in "chi bo khoa noi"), not its words anywhere in it
        # ("phong lien doan lao dong tinh" is not the federation "lien doan lao dong tinh Phong Trì")
        if parts and not any(f" {p} " in name for p in parts for name in unit_names):
            member = within_parent(member).model_copy(
                update={"places": list(dict.fromkeys([*member.places, *_branch_places(member), *parts]))}
            )
        adjusted.append(member)
    return adjusted


def secretary_heads(members: list[Identity]) -> list[Identity]:
    """The unit's members with a director who is not the unit's party secretary no longer counted as its head, where
    the secretary of the same year writes too ("Phó Bí thư, Giám đốc điều hành" beside a Bí thư who heads the
    administration office or chairs the board): the chi bộ's collective report is the secretary's to answer for; the
    director answers for the items in his or her areas, as a deputy does."""
    adjusted = []
    for member in members:
        if member.head and not _is_secretary(member) and member.role != "collective":
            secretaries = [m for m in members if m is not member and m.year == member.year and _is_secretary(m)]
            if secretaries:
                member = member.model_copy(update={"head": False})
        adjusted.append(member)
    return adjusted


def _is_secretary(identity: Identity) -> bool:
    return any(_is_party_head(p) for p in identity.posts)


def _heads_whole_unit(identity: Identity) -> bool:
    """A party secretary, or a head post not of a sub-unit."""
    if any(_is_party_head(p) for p in identity.posts):
        return True
    return identity.head and identity.head_level in ("committee", "own")


def _sub_units(identity: Identity) -> list[str]:
    """The sub-units a writer's head posts are named after, from the last type word of the post ("trưởng khoa nội"
    → "khoa noi"; "trạm trưởng" names none)."""
    found = []
    for written in (identity.party_post, identity.gov_post):
        for piece, post in posts_named(written or ""):
            kinds = list(_SUB_UNIT.finditer(piece)) if post is not None and post.head else []
            # the last type word naming two words or more ("Trưởng khoa Phòng, chống …" cut at the comma: "khoa Phòng")
            named = next((k for k in reversed(kinds) if k.start() > 0 and len(piece[k.start() :].split()) >= 2), None)
            if named:
                found.append(piece[named.start() :].strip(" ."))
    return found


def _is_party_head(post_id: str) -> bool:
    return any(post.party_head for post in posts() if post.id == post_id)


_PLACE_TAIL = re.compile(r"(?:\b[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s+){0,3}[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s*$")


_CHI_BO = re.compile(r"\bchi bo\b")


def _names_a_place(piece: str) -> bool:
    """The piece ends in a proper name: its last word is capitalised ("… thôn Bàu Sen"), or a capitalised word
    opens the last part of a compound name ("Chi bộ Quản lý nợ – Kê khai", "Khoa Kinh tế – Du lịch")."""
    if _PLACE_TAIL.search(piece):
        return True
    last = re.split(r"\s[-–]\s", piece)[-1].split()
    return len(last) >= 2 and last[0][:1].isupper() and piece.split()[0][:1].isupper()


def _branch_places(identity: Identity) -> list[str]:
    """The sub-unit a writer's chi bộ or post is named after, from its type word on ("Bí thư Chi bộ thôn Bàu Sen" →
    "thon bau sen", "Giám đốc Xí nghiệp nước Sông Mai" → "xi nghiep nuoc song mai"): a đảng bộ shortcoming that
    names it happened there. Only where the name ends in a proper name written with capitals."""
    return list(_places_named(identity.party_post, identity.gov_post, identity.unit_name))


@lru_cache(maxsize=1 << 12)
def _places_named(*written_fields: str | None) -> tuple[str, ...]:
    """:func:`_branch_places` of the posts and unit as written (remembered: linking asks it of a writer again)."""
    places = []
    for written in written_fields:
        for piece in re.split(r"[;,]|\bkiêm\b", re.sub(r"\([^)]*\)", "", written or "")):
            piece = piece.strip(" .")
            if not piece or piece.isupper() or not _names_a_place(piece):
                continue
            folded = " ".join(fold(piece).split())
            kinds = list(_SUB_UNIT.finditer(folded)) or list(_CHI_BO.finditer(folded))
            # the last type word a name follows: a place's own name may end in one ("khu phố Bàu Tràm": "tram")
            kind = next((k for k in reversed(kinds) if folded[k.end() :].strip(" -–")), None)
            if kind is not None and kind.start() > 0:
                places.append(words_of(folded[kind.start() :]))
    return tuple(dict.fromkeys(p for p in places if len(p.split()) >= 2))
