"""Responsibility: the shortcomings a report names, and who in the unit answers for each collective one (the head
always; the post the collective text names; else the posts whose area it is)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import pairwise

from nlp.cross.config import cue, cues, matching, posts, settings
from nlp.cross.identity import (
    bodies_of,
    charges_of,
    field_words,
    named_fields,
    post_pieces,
    posts_named,
    with_fields,
    words_of,
)
from nlp.cross.match import Matcher
from nlp.cross.passages import PREAMBLE, Passage, make_passage
from nlp.cross.records import Identity
from nlp.normalize import fold

_INTRO = re.compile(r":\s*$")


@dataclass
class Shortcoming:
    """A shortcoming named in a report, with any sentence that says whose area it is."""

    passage: Passage
    attribution: str = ""  # folded text saying who is in charge (the sentence itself or the next one)
    fields: Passage | None = None  # for a clause dividing fields ("… phụ trách A, B và C"): those fields


@dataclass
class Responsibility:
    """Why a person answers for a collective shortcoming."""

    identity: Identity
    why: list[str] = field(default_factory=list)  # "head", "named", "area", "speaks"
    fields: list[str] = field(default_factory=list)  # fields the collective's division of work gives the writer


# -- shortcomings ---------------------------------------------------------------------------------------------


SHORTCOMING_PARTS = frozenset({"shortcomings"})  # the parts of a report that shortcomings() reads


def shortcomings(items: list[Passage]) -> list[Shortcoming]:
    """The shortcomings a report names: sentences of its shortcomings part that are not causes, sub-headings,
    introductions or denials; a following sentence that only says who is in charge is attached to the one before.
    Only the passages from the first to the last of :data:`SHORTCOMING_PARTS` are read."""
    found: list[Shortcoming] = []
    by_lines = _items_by_lines(items)
    previous: Passage | None = None
    for item in items:
        if item.section not in SHORTCOMING_PARTS or cue("not_shortcoming", item.folded):
            previous = None
            continue
        continues = by_lines and found and previous is not None and not item.opens_line
        previous = item
        if continues:  # a later sentence of the same list item ("…; Trường bị nhắc nhở. Mô hình … không duy trì …")
            found[-1].attribution += " " + item.folded
            continue
        if _INTRO.search(item.text) and not item.numbers:
            continue
        if item.has("denial") and not item.has("shortcoming"):
            continue
        if found and _only_attribution(item):
            found[-1].attribution += " " + item.folded
            continue
        if divides_work(item):  # "Ban Giám đốc đã phân công đồng chí Phó Giám đốc phụ trách …": who, not a fault
            continue
        found.append(Shortcoming(item, item.folded if cue("attribution", item.folded) else ""))
    return found


_DATE = re.compile(r"\b(thang|ngay|quy|nam|tu|den)\s+\d{1,2}(\s*/\s*\d{1,2})?(\s*/\s*\d{4})?\b|\b\d{1,2}/\d{4}\b")


def _items_by_lines(items: list[Passage]) -> bool:
    """The shortcomings part lays its items out one per line, or numbered in one paragraph (some sentences open an
    item, some go on one): a sentence that does not open an item is then a later sentence of the item before. A part
    pasted as one paragraph without its numbers (no sentence but the first opens an item) or written one sentence per
    line is read sentence by sentence."""
    part = [p for p in items if p.section in SHORTCOMING_PARTS]
    opening = sum(1 for p in part[1:] if p.opens_line) + bool(part)  # the first opens the part's first item
    return opening >= 2 and opening < len(part)


def has_figures(folded: str) -> bool:
    """The folded text gives a figure other than a date ("tháng 8/2025", "ngày 14/3" are none)."""
    return bool(re.search(r"\d", _DATE.sub(" ", folded)))


def _only_attribution(item: Passage) -> bool:
    """A short sentence that only says who is in charge of the shortcoming before it: "Việc này do đồng chí …", or
    one with no shortcoming wording and no figure but dates ("Lĩnh vực giảm thất thoát do đồng chí Phó Giám đốc …
    trực tiếp chỉ đạo")."""
    if not cue("attribution", item.folded) or len(item.text) >= 160:
        return False
    if has_figures(item.folded):
        return False
    return bool(cue("attribution_opening", item.folded)) or not cue("fault_words", item.folded)


@lru_cache(maxsize=1 << 14)
def named_posts(folded: str) -> tuple[str, ...]:
    """Ids of the posts a folded text names (a deputy's title is not also read as the post it deputises; remembered:
    the checks ask it of the same attribution for each writer of the unit)."""
    taken: list[tuple[int, int]] = []
    found: list[str] = []
    for post in posts():
        patterns = [post.pattern, *(_phrase(n) for n in post.named)]
        for pattern in patterns:
            for match in pattern.finditer(folded):
                if any(s < match.end() and match.start() < e for s, e in taken):
                    continue
                taken.append(match.span())
                if post.id not in found:
                    found.append(post.id)
    return tuple(found)


def responsible(
    item: Shortcoming, people: list[Identity], statements: list[Shortcoming] | None = None
) -> list[Responsibility]:
    """Who answers for ``item``: the head always; the holders of the posts the collective text names for it (in the
    sentence, or in a responsibility statement of the collective report matched to it); else the holders of the
    posts whose area it is. A member without a post answers for nothing."""
    named_text = item.attribution
    for statement in statements or []:
        named_text += " " + statement.attribution
    by_name, by_body, by_post, named = _named_in(named_text, item.passage.folded, people)
    scene = _Scene(item.passage.folded, people)
    result = []
    for person in people:
        if not holds_a_post(person):
            continue
        why = []
        if person.head:
            why.append("head")
        fields = []
        if id(person) in by_name or id(person) in by_post or id(person) in by_body:
            why.append("named")
            fields = [_field_words(s.fields.folded) for s in statements or [] if s.fields is not None]
        elif _in_area_of(scene, person, named, bool(by_name)):
            why.append("area")
        if why:
            result.append(Responsibility(person, why, [f for phrase in fields for f in phrase]))
    return result


def _named_in(named_text: str, item_text: str, people: list[Identity]) -> tuple[set[int], set[int], set[int], set[str]]:
    """Who a text saying whose area something is names: by name, by a body they head, by post (the most specific
    holders), and the posts it names."""
    by_name = {id(p) for p in people if _names(named_text, p.key) or _names(item_text, p.key)}
    by_body = {id(p) for p in people if in_area(named_text, bodies_of(p))}  # "… Đoàn Thanh niên trường chủ trì"
    # a post written after a name is that person's ("đồng chí Hà Thị Piềng, Chi hội trưởng Chi hội Phụ nữ"); a post
    # named on its own still names its holder ("do đồng chí Phó Giám đốc phụ trách; cán bộ … là đồng chí Doãn Minh Khôi")
    unnamed = _without_named_people(named_text, [p for p in people if id(p) in by_name])
    after = _after_attribution(named_text)
    unnamed_after = after if unnamed == named_text else _after_attribution(unnamed)  # no one named: the same text
    named = set(named_posts(unnamed_after)) if unnamed.strip() else set()
    holders = [p for p in people if id(p) not in by_name and (set(p.posts) & named or _names_post(unnamed, p))]
    return by_name, by_body, _most_specific(after, _of_the_charge(after, holders)), named


_CHARGE_NAMED = re.compile(r"\bphu trach ((?:[a-z0-9đ]+ ?){1,6})")


def _of_the_charge(folded: str, holders: list[Identity]) -> list[Identity]:
    """Of the holders of a post the text names with its charge ("do đồng chí Phó Trưởng Công an xã phụ trách an ninh
    trật tự theo dõi"), those whose own charge is in another field of work ("phụ trách trật tự an toàn giao thông,
    phòng cháy …") are not meant, though they hold the post: where only they wrote (one reviewer's pair check), no one
    present is named."""
    charge = _CHARGE_NAMED.search(folded)
    wanted = named_fields((charge.group(1),)) if charge else frozenset()
    if not wanted:
        return holders
    return [p for p in holders if not (own := named_fields(tuple(charges_of(p)))) or own & wanted]


def with_divided_fields(people: list[Identity], statements: list[Shortcoming]) -> list[Identity]:
    """The writers, each one a division of work in the collective report gives fields to with those fields (and the
    topics they cover) as areas in place of the default areas of the posts: "đồng chí Phó Trưởng Công an xã phụ trách
    giao thông và phòng cháy" answers for those by area, not for every police matter. The head keeps all. A division
    stated before the report's first part (a standing one, :data:`nlp.cross.passages.PREAMBLE`) adds its fields to
    the post's areas."""
    given: dict[int, list[str]] = {}
    divided: dict[int, set[str]] = {}  # the posts of each person that a division names ("đồng chí Phó Giám đốc …")
    charged: set[int] = set()
    for statement in statements:
        if statement.fields is None:
            continue
        by_name, by_body, by_post, named = _named_in(_naming_part(statement), "", people)
        if cue("extra_charge", statement.passage.folded) or statement.passage.section == PREAMBLE:
            charged |= by_name | by_body | by_post
        for person in people:
            if id(person) in by_name | by_body | by_post:
                given.setdefault(id(person), []).extend(_field_words(statement.fields.folded))
                divided.setdefault(id(person), set()).update(named & set(person.posts) or person.posts)
    return [
        p.model_copy(update={"areas": _divided_areas(p, given[id(p)], id(p) in charged, divided[id(p)])})
        if given.get(id(p)) and not p.head
        else p
        for p in people
    ]


def _divided_areas(person: Identity, fields: list[str], charged: bool, divided: set[str]) -> list[str]:
    """A division of work gives a post its scope ("đồng chí Phó Giám đốc phụ trách y tế dự phòng"): its fields replace
    the post's default areas (not those the writer's own post fields name: "Phó Trạm trưởng, phụ trách tiêm phòng",
    nor those of the writer's other posts, which the division does not name: a Phó Bí thư's party work); one that
    gives a charge on top of the post ("đồng chí …, Trưởng phòng Kế hoạch – Tài chính, được giao làm Tổ trưởng Tổ
    mua sắm") leaves the post's areas and adds the charge's."""
    if charged:
        return with_fields([*person.areas, *fields])
    kept = [area for post in posts() if post.id in person.posts and post.id not in divided for area in post.areas]
    return with_fields([*charges_of(person), *kept, *fields])


def _naming_part(division: Shortcoming) -> str:
    """The part of a division-of-work clause that says who, without the fields after it."""
    folded = division.passage.folded
    return folded[: max(0, len(folded) - len(division.fields.folded if division.fields else ""))]


def _field_words(folded: str) -> list[str]:
    """The fields of a division of work as area phrases ("chuyên môn, công tác bán trú và …" → "chuyen mon", "ban
    tru", …)."""
    return [field for topic in _TOPIC_SPLIT.split(folded) if len((field := field_words(topic)).split()) >= 2]


def _without_named_people(folded: str, named: list[Identity]) -> str:
    """The text with each named person's name and the words that follow it (the person's own post) blanked."""
    for person in named:
        for match in _name_pattern(person.key or "").finditer(folded):
            end = min(len(folded), match.end() + 70)
            folded = folded[: match.start()] + " " * (end - match.start()) + folded[end:]
    return folded


def holds_a_post(person: Identity) -> bool:
    """A post, or a job in charge of a field: a member without either answers for nothing."""
    return bool(person.posts) or _has_a_charge(person)


def _has_a_charge(person: Identity) -> bool:
    """A writer without a post whose header still gives a job in charge of a field ("Y sĩ, phụ trách tiêm chủng mở
    rộng", "Cán bộ tín dụng phụ trách xã Thạch Liễn"): answers for that field like a post holder. A member whose header
    gives no such field answers for nothing."""
    written = " ".join(w for w in (person.party_post, person.gov_post) if w)
    return bool(person.areas) and bool(re.search(r"\bphu trach\b", fold(written)))


def _most_specific(folded: str, holders: list[Identity]) -> set[int]:
    """Of the holders of a post the text names, those whose own post text shares most words with what the text
    says of the post ("Phó Giám đốc phụ trách kỹ thuật" names the deputy for technical work, not the one for
    business)."""
    holders = [p for p in holders if not _names_another_part(folded, p)]
    if len(holders) < 2:
        return {id(p) for p in holders}
    words = set(words_of(folded).split())
    written = {
        id(p): set(words_of(fold(" ".join(w for w in (p.party_post, p.gov_post) if w))).split()) for p in holders
    }
    common = set.intersection(*written.values())  # the title they share says nothing about which of them
    common |= set(settings()["stop_syllables"].split())

    def shared(person: Identity) -> int:
        return len(words & (written[id(person)] - common))

    best = max(shared(p) for p in holders)
    return {id(p) for p in holders if shared(p) == best}


def _names_another_part(folded: str, holder: Identity) -> bool:
    """The text names the post with the part it heads ("đồng chí Trưởng phòng Kế hoạch – Kỹ thuật"), and the holder's
    own post heads another part ("Hạt trưởng Hạt Quản lý đường bộ số 2"), or lacks the rank the text gives the post
    ("Phó Bí thư Thường trực" against "Phó Bí thư Đảng ủy xã"), or a second post in apposition that the holder does
    not hold ("Phó Bí thư Đảng ủy, Chủ tịch Ủy ban nhân dân xã"); or with the field it is in charge of
    wherever it names the post ("đồng chí Phó Giám đốc phụ trách kỹ thuật – sản xuất"), and the holder's own post is
    in charge of another field ("Phó Giám đốc phụ trách kinh doanh"): the same kind of post, not this holder's (a
    reviewer's pair check holds one holder of each kind only)."""
    stop = set(settings()["stop_syllables"].split())
    for written in (holder.party_post, holder.gov_post):
        for piece, post in posts_named(written or ""):
            said = post.pattern.search(folded) if post else None
            own = post.pattern.search(piece) if post else None
            if said is None or own is None:
                continue
            rest = folded[said.end() :]
            rank = cue("post_rank", rest)
            if rank and rank.group(1) not in piece[own.end() :]:  # "Phó Bí thư Thường trực": not the other deputy
                return True
            theirs = _part_words(rest, stop)
            mine = set(words_of(piece[own.end() :]).split()) - stop
            if theirs and mine and not theirs & mine:
                return True
            end = cue("post_part_end", rest)
            if end and end.group().strip() == "," and _apposes_another_post(rest[end.end() :], holder):
                return True
            mine = _charged_field(piece[own.end() :], stop)
            if mine and all(
                (field := _charged_field(folded[m.end() :], stop)) and not field & mine
                for m in post.pattern.finditer(folded)
            ):
                return True
    return False


def _apposes_another_post(after_comma: str, holder: Identity) -> bool:
    """The words after the comma that ends the post's name give the same person a second post ("đồng chí Phó Bí thư
    Đảng ủy, Chủ tịch Ủy ban nhân dân xã trực tiếp chỉ đạo"), one the holder does not hold: someone else is meant (not
    a second person, "…, đồng chí Trưởng thôn …", nor the field the post is in charge of, "…, phụ trách …")."""
    if after_comma.lstrip().startswith(("dong chi", "d/c")):
        return False
    apposed = named_posts(_up_to_part_end(after_comma))
    return bool(apposed) and not set(apposed) & set(holder.posts)


_CHARGE = re.compile(r"^[^.;:()]{0,40}?\bphu trach\b")


def _charged_field(after_post: str, stop: set[str]) -> set[str]:
    """The content words of the field a post is in charge of, in the words written after the post ("… Công ty phụ
    trách kỹ thuật – sản xuất" → {"ky", "thuat", "san", "xuat"}; nothing when no "phụ trách" follows it)."""
    charge = _CHARGE.search(after_post)
    if charge is None:
        return set()
    return _part_words(after_post[charge.end() :], stop)


def _up_to_part_end(after_post: str) -> str:
    """The words after a post's title that still name its part or field (up to cross.yaml ``post_part_end``, else
    60 characters)."""
    end = cue("post_part_end", after_post)
    return after_post[: end.start() if end else 60]


def _part_words(after_post: str, stop: set[str]) -> set[str]:
    """The content words (six at most) of what :func:`_up_to_part_end` keeps."""
    return set(words_of(_up_to_part_end(after_post)).split()[:6]) - stop


def _names(folded: str, key: str | None) -> bool:
    """The text names the person (the whole name, two syllables at least)."""
    if not key or len(key.split()) < 2:
        return False
    return bool(_name_pattern(key).search(folded))


@lru_cache(maxsize=1 << 12)
def _name_pattern(key: str) -> re.Pattern[str]:
    """A name key, folded, as a whole-word pattern."""
    return _phrase(fold(key))


class _Scene:
    """What a shortcoming's text says of each writer of the unit, read once for the shortcoming (each writer's case
    asks it of every other writer): whose body opens it, whose body opens one of its clauses, whose place it names."""

    def __init__(self, folded: str, people: list[Identity]) -> None:
        self.folded = folded
        self._people = people
        self._sets: tuple[set[int], set[int], set[int]] | None = None

    def _read(self) -> tuple[set[int], set[int], set[int]]:
        if self._sets is None:
            opening = _opening(self.folded)
            clauses = _clause_openings(self.folded)
            subject, opens, here = set(), set(), set()
            for person in self._people:
                bodies = bodies_of(person)
                if in_area(opening, bodies):
                    subject.add(id(person))
                if bodies and any(in_area(clause, bodies) for clause in clauses):
                    opens.add(id(person))
                if in_area(self.folded, person.places):
                    here.add(id(person))
            self._sets = subject, opens, here
        return self._sets

    def subject_of_another(self, person: Identity) -> bool:
        """The shortcoming opens on a body that another writer heads."""
        return bool(self._read()[0] - {id(person)})

    def names_body_of_another(self, person: Identity) -> bool:
        """A clause of the shortcoming opens on a body another writer heads ("…; Chi hội Phụ nữ khu phố, đơn vị được
        giao chủ trì mô hình, không duy trì …") and none on the person's own: it is that body's, not in the person's
        area by post."""
        opens = self._read()[1]
        return id(person) not in opens and bool(opens - {id(person)})

    def here(self, person: Identity) -> bool:
        """The shortcoming names the person's chi bộ or sub-unit."""
        return id(person) in self._read()[2]

    def elsewhere(self, person: Identity) -> bool:
        """The shortcoming names another writer's chi bộ or sub-unit."""
        return bool(self._read()[2] - {id(person)})


def _in_area_of(scene: _Scene, person: Identity, named: set[str], someone_named: bool) -> bool:
    """Unless its subject is a body another writer heads ("Ủy ban Kiểm tra chưa giám sát … tại Xí nghiệp X" is the
    committee's shortcoming, not the xí nghiệp's): the shortcoming is in the area of the person's posts (when the
    text names no other post for it, and, for the manager of a sub-unit, no other sub-unit than his or hers), or it
    happened in the writer's chi bộ or sub-unit inside a đảng bộ (when the text names no one by name for it)."""
    folded = scene.folded
    if scene.subject_of_another(person) and not _opens_a_clause(folded, [*bodies_of(person), *person.places]):
        return False
    if cue("mass_body_subject", _opening(folded)) and not in_area(
        _opening(folded), [*bodies_of(person), *person.areas]
    ):
        return False  # "Ban Chấp hành Công đoàn cơ sở chưa …": the organisation's, not a post's area (none may write)
    if not someone_named and in_area(folded, bodies_of(person)):  # "… 33 hồ sơ thuộc các lớp của Tổ Mẫu giáo"
        return True
    here = scene.here(person)
    by_post = (
        not someone_named
        and not named - {p for p in named if _is_head_post(p)}
        and not scene.names_body_of_another(person)
        and in_area(folded, person.areas)
        and (here or not person.places or not scene.elsewhere(person))
    )
    return by_post or (not someone_named and here)


def _opens_a_clause(folded: str, areas: list[str]) -> bool:
    """One of the areas is named in the first words of a clause of the text (clauses split at ";" and ":")."""
    return bool(areas) and any(in_area(clause, areas) for clause in _clause_openings(folded))


@lru_cache(maxsize=1 << 12)
def _clause_openings(folded: str) -> tuple[str, ...]:
    """The first eight words of each clause of the text (clauses split at ";" and ":")."""
    return tuple(_opening(clause) for clause in re.split(r"[;:]", folded))


def _opening(folded: str) -> str:
    """The first eight words of the text."""
    return " ".join(words_of(folded).split()[:8])


def _names_post(folded: str, person: Identity) -> bool:
    """The attribution names one of the person's posts as the person writes it ("Trưởng Ban Quản lý dự án")."""
    if not folded.strip():
        return False
    return any(head.search(folded) for head in _post_heads(person.party_post, person.gov_post))


@lru_cache(maxsize=1 << 12)
def _post_heads(*posts_written: str | None) -> tuple[re.Pattern[str], ...]:
    """The patterns of the openings, four words or more, of a writer's post pieces ("… dự án [Công ty]")."""
    written = " ; ".join(p for p in posts_written if p)
    pieces = post_pieces(written) if written else []
    heads = {" ".join(p.split()[:n]) for p in pieces for n in range(4, len(p.split()) + 1)}
    return tuple(_phrase(h) for h in heads)


@cache
def _phrase(words: str) -> re.Pattern[str]:
    """A folded phrase as a whole-word pattern (compiled once)."""
    return re.compile(rf"\b{re.escape(words)}\b")


def in_area(folded: str, areas: list[str]) -> bool:
    """The shortcoming's text names one of the areas (punctuation between words ignored: "tổ Toán – Tin")."""
    if not areas:
        return False
    words = f" {words_of(folded)} "
    return any(f" {a} " in words for a in areas)


def _is_head_post(post_id: str) -> bool:
    return any(p.head for p in posts() if p.id == post_id)


@lru_cache(maxsize=1 << 14)
def _after_attribution(folded: str) -> str:
    """The part of an attribution that names the person (after 'do đồng chí', 'đồng chí … phụ trách')."""
    parts = []
    for pattern in cues()["attribution"]:
        parts.extend(folded[m.start() : m.end() + 60] for m in pattern.finditer(folded))
    return " ".join(parts)


def statements_for(item: Shortcoming, statements: list[Shortcoming], matcher: Matcher) -> list[Shortcoming]:
    """The collective report's responsibility statements that are about ``item`` (one that names its topics, "… về
    thất thoát nước và an toàn lao động", only when one of them is the item's)."""
    found = []
    for statement in statements:
        if statement.passage.section == PREAMBLE:  # a standing division gives areas (with_divided_fields), names no one
            continue
        if statement.fields is not None:  # a division of fields: about an item one of its fields names, in meaning too
            topics = topic_words(statement.fields.folded, statement.fields)
            shared = _shares_a_phrase(item.passage, statement.fields)
            close = matcher.score(item.passage, statement.fields).score >= matching("same_item_floor")
            if (
                shared
                and covers_topic(item.passage, topics)
                and (close or _names_a_field(item.passage, statement.fields))
            ):
                found.append(statement)
            continue
        topic = cue("statement_topic", statement.passage.folded)
        if topic and not covers_topic(item.passage, topic_words(topic.group(1), statement.passage)):
            continue
        if matcher.score(item.passage, statement.passage).score >= matching("same_item"):
            found.append(statement)
    return found


_TOPIC_SPLIT = re.compile(r"\s*(?:,|;|\bva\b)\s*")


def _names_a_field(item: Passage, fields: Passage) -> bool:
    """The item names one field of the division whole, two words or more ("… bếp ăn bán trú …" names "công tác bán
    trú"; the words that open a field without naming it, cross.yaml ``field_trim``, left out): no closeness in meaning
    to the whole list is asked then (a list of three fields is never close to one sentence about one of them)."""
    words = f" {words_of(item.folded)} "
    return any(set(p.split()) & fields.syllables and f" {p} " in words for p in _field_words(fields.folded))


def _shares_a_phrase(item: Passage, fields: Passage) -> bool:
    """The item names one of the fields: two syllables of a field in a row, one of them a content syllable, in the
    item's text ("phổ cập" is not named by "Phó Hiệu trưởng … cập nhật")."""
    words = f" {words_of(item.folded)} "
    for topic in _TOPIC_SPLIT.split(fields.folded):
        written = words_of(topic).split()
        pairs = pairwise(written)
        if any(f" {a} {b} " in words for a, b in pairs if {a, b} & fields.syllables):
            return True
    return False


def topic_words(topics: str, line: Passage) -> list[set[str]]:
    """The content syllables of each topic a line names ("thất thoát nước và an toàn lao động" names two)."""
    for trim in cues()["topic_trim"]:  # "Đối với các hạn chế về thu hồi công nợ mà báo cáo … đã nêu": the debts
        topics = trim.sub(" ", topics)
    found = [set(t.split()) & line.syllables for t in _TOPIC_SPLIT.split(topics)]
    return [t for t in found if t]


def covers_topic(item: Passage, topics: list[set[str]]) -> bool:
    """The item's text has most content syllables of one of the topics."""
    return any(len(t & item.syllables) / len(t) >= matching("topic_overlap") for t in topics)


def responsibility_statements(items: list[Passage]) -> list[Shortcoming]:
    """Clauses of the collective report's responsibility part that say who answers for what, one per clause ("đồng
    chí Phó Bí thư chịu trách nhiệm trực tiếp về …; đồng chí Kế toán trưởng … về …"), so that each post is matched to
    its own item only."""
    found = []
    for item in items:
        responsibility_part = item.section == "collective_responsibility"
        divides = any(cue("assignment_clause", clause) for clause in item.folded.split(";"))
        if not responsibility_part and (not divides or (item.section in _ITEM_SECTIONS and not divides_work(item))):
            continue
        offset = 0
        for clause in item.text.split(";"):
            start = item.start + offset + (len(clause) - len(clause.lstrip()))
            offset += len(clause) + 1
            clause = clause.strip()
            if len(clause) < 12:
                continue
            passage = make_passage(clause, item.section, file=item.file, start=start)
            assigned = cue("assignment_clause", passage.folded)
            if assigned and not responsibility_part:  # "Phân công …: đồng chí X … phụ trách A, B và C"
                fields = make_passage(clause[assigned.start(1) :], item.section, file=item.file)
                found.append(Shortcoming(passage, passage.folded, fields))
            elif responsibility_part and cue("attribution", passage.folded):
                found.append(Shortcoming(passage, passage.folded))
    return found


_ITEM_SECTIONS = ("shortcomings", "causes")  # their sentences say whose area an item is themselves


def divides_work(item: Passage) -> bool:
    """A sentence that only divides the work, in whatever part it stands ("Trong năm, Ban Giám đốc đã phân công
    đồng chí Phó Giám đốc trực tiếp phụ trách hệ thống trạm quan trắc …; các phòng thực hiện theo chức năng"): a
    clause giving someone fields, and no word of a fault nor a figure."""
    clauses = item.folded.split(";")
    return (
        bool(cue("division_verb", item.folded))
        and not cue("item_attribution", item.folded)  # "Đây là lĩnh vực do đồng chí …": the item's own
        and any(cue("assignment_clause", clause) for clause in clauses)
        and not cue("fault_words", item.folded)
        and not has_figures(item.folded)
    )
