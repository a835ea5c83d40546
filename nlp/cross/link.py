"""Linking: reports grouped into units, each unit's collective report, and writers linked across two years.

Units are grouped by the chi bộ / đảng bộ named in the header where reports give it, else by folder; each unit
says which was used (``basis``). Reports of two folders are joined only when their headers name the same unit by a
proper name under the same body above (a district has many "Chi bộ Trạm Y tế"). A chi bộ that sent no collective report of its own, whose headers name above it a
đảng bộ that did, is attached to that đảng bộ (``basis`` "parent"): its writers answer to the đảng bộ's report, and
a head post of theirs counts there only when it is a post of the đảng ủy or of the whole enterprise or agency
(:func:`nlp.cross.identity.within_parent`). Nothing here raises for a unit without a collective report or a writer found in one
year only: they are listed in ``Linkage.unlinked``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache, lru_cache

from nlp.cross.abbreviation import read_against, unread_name_for
from nlp.cross.config import settings
from nlp.cross.identity import secretary_heads, sub_unit_heads, unit_keys, within_parent, written_unit_key
from nlp.cross.records import Identity, Linkage, PersonLink, UnitLink, Unlinked
from nlp.normalize import fold


@lru_cache(maxsize=1 << 16)
def same_unit(a: str, b: str) -> bool:
    """Two unit keys name the same unit: equal, one's words all in the other's ("thon dong lac" / "dong lac"), or the
    same words with some written as initials ("htx dvnn khe son" / "hop tac xa dich vu nong nghiep khe son"); also
    after an abbreviation no list holds is read against the other name ("tand khu vuc 4" / "toa an nhan dan khu vuc 4
    doan khe": :func:`nlp.cross.abbreviation.read_against`)."""
    if _same_as_written(a, b):
        return True
    a_read, b_read = read_against(a, b), read_against(b, a)
    return (a_read, b_read) != (a, b) and _same_as_written(a_read, b_read)


def _same_as_written(a: str, b: str) -> bool:
    if a == b or a.replace(" ", "") == b.replace(" ", ""):  # "buon eabrang" / "buon ea brang"
        return True
    wa, wb = set(a.split()), set(b.split())
    if len(min(wa, wb, key=len)) >= 2 and (wa <= wb or wb <= wa):
        return True
    if _abbreviated_alike(a.split(), b.split()):
        return True
    la, lb = _without_levels(a), _without_levels(b)  # "… huyện Châu Điền" renamed "… khu vực Châu Điền" in 2025
    return (la, lb) != (a, b) and len(la.split()) >= 3 and la == lb


def _without_party(key: str) -> str:
    """A unit key without its leading "chi bo" / "dang bo"."""
    return re.sub(r"^(chi bo|dang bo|dang uy)\s+", "", key)


@lru_cache(maxsize=1 << 14)
def _without_levels(key: str) -> str:
    """The unit key without the words that give its level ("huyen", "khu vuc": cross.yaml ``unit_level_words``)."""
    words = f" {key} "
    for level in settings()["unit_level_words"]:
        words = words.replace(f" {level} ", " ")
    return " ".join(words.split())


_VOWEL = re.compile(r"[aeiouy]")


def _initials(words: list[str]) -> str:
    """The name as letters: a word written as initials ("htx", "dkkv": no vowel) as itself, any other by its first."""
    return "".join(w if not _VOWEL.search(w) else w[0] for w in words)


def _abbreviated_alike(a: list[str], b: list[str]) -> bool:
    """Same initials, at least one side abbreviated, and the same proper name at the end (its last two words)."""
    if a == b or len(a) < 3 or len(b) < 3 or a[-2:] != b[-2:]:
        return False
    abbreviated = any(not _VOWEL.search(w) for w in a + b)
    return abbreviated and _initials(a) == _initials(b)


def _group(identities: list[Identity]) -> list[tuple[list[Identity], str]]:
    """Groups of reports, each with its basis: by header unit within a folder, merged across folders by header."""
    by_folder: dict[str, list[Identity]] = defaultdict(list)
    for identity in identities:
        by_folder[identity.folder].append(identity)
    groups: list[tuple[list[Identity], str, str | None]] = []  # members, basis, key
    for members in by_folder.values():
        clusters: list[tuple[str, list[Identity]]] = []
        readings: list[list[str]] = []  # each cluster's first member's unit keys ("p kinh te": phường, else phòng)
        keyless = []
        for identity in members:
            if not identity.unit_key:
                keyless.append(identity)
                continue
            keys = unit_keys(identity)
            found = next(
                (i for key in keys for i, known in enumerate(readings) if any(same_unit(k, key) for k in known)), None
            )
            written = written_unit_key(identity) if found is None else None
            if written:  # the abbreviations as written, read against the folder's units
                found = next((i for i, known in enumerate(readings) if any(same_unit(k, written) for k in known)), None)
            if found is not None:
                clusters[found][1].append(identity)
            else:
                clusters.append((identity.unit_key, [identity]))
                readings.append(keys)
        if len(clusters) <= 1:
            key = clusters[0][0] if clusters else None
            basis = "both" if clusters and not keyless else "folder"
            groups.append(([*(clusters[0][1] if clusters else []), *keyless], basis, key))
        else:  # a folder holding several units: the header decides; reports without a unit stay by folder
            groups.extend((c[1], "header", c[0]) for c in clusters)
            if keyless:
                groups.append((keyless, "folder", None))
    merged: list[tuple[list[Identity], str, str | None]] = []
    index: dict[str, list[int]] = defaultdict(list)  # a proper-name word → the merged groups that have it
    for members, basis, key in groups:
        tokens = _tokens(key, members)
        near = sorted({i for token in tokens for i in index.get(token, [])})
        same = next(
            (i for i in near if key and merged[i][2] and _one_unit_across_folders(merged[i], (members, basis, key))),
            None,
        )
        if same is not None:
            merged[same] = (merged[same][0] + members, "header", merged[same][2])
            position = same
        else:
            merged.append((members, basis, key))
            position = len(merged) - 1
        for token in tokens:
            if position not in index[token]:
                index[token].append(position)
    return _attach_to_parents(merged)


def _tokens(key: str | None, members: list[Identity]) -> set[str]:
    """What two groups that may be one unit share: a word of the key that is not a kind of unit, or the key written
    without spaces ("buon eabrang" / "buon ea brang"); for a key made only of such words ("tram y te"), the words of
    the bodies above it ("xa dong khe"). Only groups sharing one are compared, so joining folders grows with the
    reports of a unit, not with all pairs of the district."""
    found = _proper_words(key or "")
    if not found:
        found = {w for m in members if m.parent_key for w in _proper_words(m.parent_key)}
    if key:
        found.add("=" + key.replace(" ", ""))
    return found


def _proper_words(key: str) -> set[str]:
    generic = _generic_words()
    return {w for w in _without_party(key).split() if w not in generic}


@cache
def _generic_words() -> frozenset[str]:
    return frozenset(settings()["unit_kind_words"]) | frozenset(" ".join(settings()["unit_level_words"]).split())


def _one_unit_across_folders(
    a: tuple[list[Identity], str, str | None], b: tuple[list[Identity], str, str | None]
) -> bool:
    """Groups of two folders are one unit only when their headers name it alike, the bodies above them (where both
    name one) are the same, and the name is more than a kind of unit: "Chi bộ Trạm Y tế" or "Chi bộ Khối Điều trị"
    in two folders are two units of two communes or two hospitals."""
    if not same_unit(a[2] or "", b[2] or ""):
        return False
    # bodies above named only by kind ("Đảng bộ Công ty TNHH một thành viên") agree with any company: left out
    parents_a = {m.parent_key for m in a[0] if m.parent_key and _names_a_unit(m.parent_key)}
    parents_b = {m.parent_key for m in b[0] if m.parent_key and _names_a_unit(m.parent_key)}
    if parents_a and parents_b:
        agree = any(same_unit(x, y) for x in parents_a for y in parents_b)
        return agree and (_names_a_unit(a[2] or "") or any(_names_a_unit(p) for p in parents_a | parents_b))
    return _names_a_unit(a[2] or "") and _names_a_unit(b[2] or "")


def _names_a_unit(key: str) -> bool:
    """The key holds a proper name, not only words for a kind of unit (cross.yaml ``unit_kind_words``)."""
    return len(_proper_words(key)) >= 2


def _attach_to_parents(
    groups: list[tuple[list[Identity], str, str | None]],
) -> list[tuple[list[Identity], str]]:
    """Groups without a collective report whose headers name, above their chi bộ, the unit of a group that has one
    are merged into that group (its key stays the unit's)."""
    with_collective = [g for g in groups if g[2] and any(m.role == "collective" for m in g[0])]
    by_word: dict[str, list[int]] = defaultdict(list)  # a proper-name word of a unit → the groups with that unit
    for position, g in enumerate(with_collective):
        for token in _tokens(g[2], []):
            by_word[token].append(position)
    result: dict[int, tuple[list[Identity], str]] = {id(g): (list(g[0]), g[1]) for g in groups}
    for group in groups:
        members, _, key = group
        if any(group is g for g in with_collective):
            continue
        parents = {m.parent_key for m in members if m.parent_key}
        folders = {m.folder for m in members}
        near = sorted({i for p in parents for token in _tokens(p, []) for i in by_word.get(token, [])})
        target = next(
            (
                g
                for g in (with_collective[i] for i in near)
                if g[2] != key
                and any(
                    same_unit(g[2], p)
                    and (folders & {m.folder for m in g[0]} or (_names_a_unit(g[2]) and _names_a_unit(p)))
                    for p in parents
                )  # in another folder only by a proper name ("Chi bộ Văn phòng" of two companies are two)
            ),
            None,
        )
        if target is None:
            continue
        attached = [within_parent(m) if m.role != "collective" else m for m in members]
        target_members, _ = result[id(target)]
        result[id(target)] = ([*target_members, *attached], "parent")
        del result[id(group)]
    return _attach_by_folder(list(result.values()))


def _attach_by_folder(groups: list[tuple[list[Identity], str]]) -> list[tuple[list[Identity], str]]:
    """A group of one folder without a collective report, whose headers this year name no other đảng bộ above it,
    joins the folder's only group with a collective report (the organiser put them together): as members of a chi bộ inside
    the đảng bộ when that report is a đảng bộ's and their chi bộ is another unit, else as the same unit written
    differently."""
    latest = max((m.year for g in groups for m in g[0] if m.year), default=None)
    with_collective = [  # a group holding only last year's collective report joins too (the unit renamed since)
        g for g in groups if any(m.role == "collective" and (latest is None or m.year == latest) for m in g[0])
    ]
    by_folder: dict[str, list[int]] = defaultdict(list)
    for index, group in enumerate(with_collective):
        for folder in {m.folder for m in group[0]}:
            by_folder[folder].append(index)
    merged = {id(g): (list(g[0]), g[1]) for g in with_collective}
    kept = []
    for group in groups:
        if any(group is g for g in with_collective):
            continue
        folders = {m.folder for m in group[0]}
        targets = {i for f in folders for i in by_folder.get(f, [])}
        if len(folders) != 1 or len(targets) != 1 or len(by_folder[next(iter(folders))]) != 1:
            kept.append(group)
            continue
        target = with_collective[targets.pop()]
        collective = next(m for m in target[0] if m.role == "collective")
        parents = {  # a "parent" that is the writer's own unit written again says nothing of the đảng bộ above
            m.parent_key
            for m in group[0]
            if m.parent_key and m.year == latest and not same_unit(m.parent_key, _without_party(m.unit_key or ""))
        }
        another = collective.unit_key and any(not _renamed_alike(p, collective.unit_key) for p in parents)
        writers = [m for m in group[0] if m.year == latest and m.role != "collective"]
        if another and (
            _older_name(writers, collective)
            or _stray_under_same_body(writers, collective, target[0])
            or _named_unread(writers, collective)
        ):
            another = False
        if another and not _same_unit_abbreviated(group[0], collective):
            kept.append(group)  # this year's headers name another đảng bộ above their chi bộ
            continue
        joined = [within_parent(m) if in_another_chi_bo(m, collective) else m for m in group[0]]
        members, basis = merged[id(target)]
        merged[id(target)] = ([*members, *joined], basis if basis == "parent" else "folder")
    return [merged[id(g)] for g in with_collective] + kept


def _older_name(members: list[Identity], collective: Identity) -> bool:
    """This year's writers of a group name the collective report's chi bộ by a name it had before a merger ("Bảo tàng
    Tổng hợp tỉnh" / "Bảo tàng tỉnh Kim Đài"): the same body above, and the same kind of unit (its first two words)."""
    theirs = (collective.unit_key or "").split()[:2]
    return bool(collective.parent_key and members) and all(
        m.parent_key
        and same_unit(m.parent_key, collective.parent_key or "")
        and (m.unit_key or "").split()[:2] == theirs
        for m in members
    )


def _stray_under_same_body(writers: list[Identity], collective: Identity, unit: list[Identity]) -> bool:
    """A few of this year's writers name their chi bộ in a way nothing reads ("Chi bộ CDC Dân Linh" beside the
    collective report's "Chi bộ Trung tâm Kiểm soát bệnh tật"), but the body above it as the collective report does,
    by a proper name, in its folder: the same unit. Fewer of them than the unit's own writers, so that a sibling chi bộ
    of the same đảng bộ that sent no collective report of its own is not taken in."""
    above = collective.parent_key
    if not above or not writers or not _proper_words(above):
        return False
    own = sum(m.year == collective.year and m.role != "collective" for m in unit)
    return len(writers) < own and all(m.parent_key and same_unit(m.parent_key, above) for m in writers)


def _named_unread(writers: list[Identity], collective: Identity) -> bool:
    """This year's writers of a group in the collective report's folder all name its unit by a brand or an
    abbreviation nothing reads, the rest of the name the same ("Chi bộ Agribank Chi nhánh khu vực Cồn Vạn")."""
    theirs = collective.unit_key
    return bool(theirs and writers) and all(m.unit_key and unread_name_for(m.unit_key, theirs or "") for m in writers)


def _same_unit_abbreviated(members: list[Identity], collective: Identity) -> bool:
    """The group's chi bộ is the collective report's, written with abbreviations or cut at a line end ("Chi bộ Trung
    tâm VHTT và TT" / "Chi bộ TT Văn hóa - Thể thao và Truyền thông xã" / "Chi bộ Trung tâm Văn hóa - Thể thao"): the
    same đảng bộ above, and the initials of one name open the other's."""
    if not collective.unit_key or not collective.parent_key:
        return False
    theirs = _initials(collective.unit_key.split())
    for member in members:
        if member.role == "collective" or not member.unit_key or not member.parent_key:
            return False
        if not same_unit(member.parent_key, collective.parent_key):
            return False
        mine = _initials(member.unit_key.split())
        if len(min(mine, theirs, key=len)) < 4 or not (mine.startswith(theirs) or theirs.startswith(mine)):
            return False
    return True


def _renamed_alike(a: str, b: str) -> bool:
    """In one folder: the same unit, or the same kind of unit with the same place name under an older name ("truong
    cao dang nghe tay hoa" / "truong cao dang kinh te ki thuat tay hoa", a school renamed at a merger)."""
    if same_unit(a, b):
        return True
    wa, wb = a.split(), b.split()
    return len(wa) >= 4 and len(wb) >= 4 and wa[:2] == wb[:2] and wa[-2:] == wb[-2:]


def in_another_chi_bo(member: Identity, collective: Identity) -> bool:
    """A writer whose header names a unit other than that of the collective report he or she is checked against,
    when that report is a đảng bộ's: a member of one of its chi bộ (the header need not name the đảng bộ above)."""
    return (
        member.role != "collective"
        and bool(member.unit_key and collective.unit_key)
        and _is_dang_bo(collective.unit_name)
        and not same_unit(member.unit_key or "", collective.unit_key or "")
    )


def _is_dang_bo(name: str | None) -> bool:
    """The unit is a đảng bộ (its own collective report's body), not a chi bộ."""
    return bool(name) and bool(re.match(r"^\W*(dang bo|dang uy|db)\b", fold(name)))


def _collective(candidates: list[Identity]) -> Identity | None:
    return candidates[0] if candidates else None


def link_reports(identities: list[Identity]) -> Linkage:
    """Group ``identities`` into units and link each writer's reports of the latest and the year before."""
    linkage = Linkage(identities=identities)
    groups = [(secretary_heads(sub_unit_heads(members)), basis) for members, basis in _group(identities)]
    adjusted = {m.file: m for members, _ in groups for m in members}
    linkage.identities = [adjusted.get(i.file, i) for i in identities]
    years = [i.year for i in identities if i.year]
    latest = max(years) if years else None
    for members, basis in groups:
        _link_unit(members, basis, linkage, latest)
    _link_movers(linkage)
    return linkage


def _link_movers(linkage: Linkage) -> None:
    """Writers who changed unit between the two years (a chi bộ merged or renamed, a person moved): a report of the
    year before left unlinked is linked to this year's report of the same name *and* date of birth in another
    unit. Across units the date of birth is required (names alone repeat in a district); a lookup by name, not a
    comparison of all pairs."""
    by_file = {i.file: i for i in linkage.identities}
    linked = {p.current for p in linkage.persons}
    current: dict[str, list[Identity]] = defaultdict(list)
    unit_of: dict[str, UnitLink] = {}
    for unit in linkage.units:
        for file in unit.individuals:
            identity = by_file[file]
            if identity.key and identity.birth and file not in linked:
                current[identity.key].append(identity)
                unit_of[file] = unit
    kept = []
    for unlinked in linkage.unlinked:
        old = by_file[unlinked.file]
        match = None
        if unlinked.reason == "one_year_only" and old.birth:
            match = next(
                (
                    c
                    for c in current.get(old.key or "", [])
                    if c.file not in linked and _same_birth(c, old) and old.year == (c.year or 0) - 1
                ),
                None,
            )
        if match is None:
            kept.append(unlinked)
            continue
        linked.add(match.file)
        unit = unit_of[match.file]
        unit.previous.append(old.file)
        linkage.persons.append(
            PersonLink(unit=unit.key, name=match.name or old.name or "", current=match.file, previous=old.file,
                       by_birth=True)
        )  # fmt: skip
    linkage.unlinked = kept


def _link_unit(members: list[Identity], basis: str, linkage: Linkage, latest: int | None) -> None:
    """One unit: this year's reports (the batch's latest year: a unit whose reports are all older is last year's),
    its collective report, what cannot be linked, and its writers across the two years."""
    year = latest if latest is not None and any(m.year for m in members) else None
    named = next((m.unit_name for m in members if m.role == "collective" and m.unit_name), None)
    name = named or next((m.unit_name for m in members if m.unit_name), None) or members[0].folder
    key = (
        next((m.unit_key for m in members if m.role == "collective" and m.unit_key), None)
        or next((m.unit_key for m in members if m.unit_key), None)
        or f"folder:{members[0].folder}"
    )
    current = [m for m in members if m.year == year]
    earlier = [m for m in members if m.year != year]
    collective = _collective([m for m in current if m.role == "collective"])
    previous_collective = _collective([m for m in earlier if m.role == "collective" and m.year == (year or 0) - 1])
    unit = UnitLink(
        key=key,
        name=name,
        basis=basis,
        year=year,
        collective=collective.file if collective else None,
        previous_collective=previous_collective.file if previous_collective else None,
        individuals=[m.file for m in current if m.role != "collective"],
        previous=[m.file for m in earlier],
    )
    linkage.units.append(unit)
    for member in members:
        if member.year is None:
            linkage.unlinked.append(Unlinked(file=member.file, unit=key, reason="no_year"))
        elif member.role != "collective" and not member.key:
            linkage.unlinked.append(Unlinked(file=member.file, unit=key, reason="no_identity"))
    if collective is None:
        linkage.unlinked.extend(
            Unlinked(file=m.file, unit=key, reason="no_collective") for m in current if m.role != "collective" and m.key
        )
    _link_persons(key, [m for m in current if m.key and m.role != "collective"], earlier, linkage)


def _link_persons(unit: str, current: list[Identity], earlier: list[Identity], linkage: Linkage) -> None:
    """Each earlier individual report to this year's report of the same person (name key, and birth where both
    give it); one left over is reported as found in one year only."""
    used: set[str] = set()
    for old in sorted((m for m in earlier if m.role != "collective" and m.key), key=lambda m: -(m.year or 0)):
        match = next(
            (
                c
                for c in current
                if c.file not in used and c.key == old.key and (not c.birth or not old.birth or _same_birth(c, old))
            ),
            None,
        )
        if match is None or old.year != (match.year or 0) - 1:
            linkage.unlinked.append(Unlinked(file=old.file, unit=unit, reason="one_year_only"))
            continue
        used.add(match.file)
        linkage.persons.append(
            PersonLink(
                unit=unit,
                name=match.name or old.name or "",
                current=match.file,
                previous=old.file,
                by_birth=bool(match.birth and old.birth),
            )
        )


def _same_birth(a: Identity, b: Identity) -> bool:
    """Dates of birth agree (a year alone agrees with a full date of that year)."""
    x, y = a.birth or "", b.birth or ""
    return x == y or (len(min(x, y, key=len)) == 4 and x[:4] == y[:4])
