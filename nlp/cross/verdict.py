"""Verdicts: whether a responsible person's report owns, diffuses, omits or denies a collective shortcoming, and
what this year's report says of each of last year's shortcomings.

Evidence used: the project's lexicons (first person, responsibility, stock responsibility, denial), the cues of
``nlp/data/cross.yaml`` (own part, diffuse, area denial, good result, stock remediation, outcome) and the
:class:`~nlp.cross.match.Matcher`'s similarity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nlp.cross.config import cue, cues, matching, settings
from nlp.cross.identity import with_fields, words_of
from nlp.cross.match import Match, Matcher, shared_phrases, syllable_overlap
from nlp.cross.passages import Passage, make_passage, per_passage
from nlp.cross.responsibility import Shortcoming, covers_topic, has_figures, in_area, topic_words
from nlp.cross.stance import reads_as as model_reads_as
from nlp.normalize import fold


@dataclass
class Decision:
    """A verdict with the sentence it rests on."""

    verdict: str
    passage: Passage | None = None
    score: float | None = None
    outcome: str | None = None


# -- collective shortcoming × responsible person ------------------------------------------------------------


def reads_as(item: Passage, label: str) -> bool:
    """The stance model (:mod:`nlp.cross.stance`) reads the sentence as ``label`` (owned, diffused, denied) with a
    probability its held-out writers were right at; never without a shipped model."""
    return model_reads_as(item.text, label)


@per_passage
def denies(item: Passage) -> bool:
    """The sentence says the item is not the writer's fault or area: by the denial cues, or as the stance model reads
    it ("… là do đơn vị đó hạch toán nhầm …, không phải sai sót của kế toán …")."""
    return denial_cue(item) or _read_as_denied(item)


@per_passage
def _read_as_denied(item: Passage) -> bool:
    """The stance model reads a denial of a sentence outside the writer's own list of faults and their causes (there,
    only of one that disowns something: "… không phải là chậm tiến độ …"), and the sentence neither names the fault
    with only an outside cause nor states the writer's own fault ("… tôi đã để sinh hoạt chi bộ ghép với giao ban …;
    lỗi này do tôi …")."""
    return (
        _model_may_deny(item)
        and reads_as(item, "denied")
        and not _names_the_fault_only(item)
        and not _states_own_fault(item)
    )


def _model_may_deny(item: Passage) -> bool:
    """Outside the writer's own list of faults and their causes, or there in a sentence that disowns something."""
    return item.section not in _OWN_FAULT_SECTIONS or bool(cue("disowning", item.folded))


_OWN_FAULT_SECTIONS = ("shortcomings", "causes")  # the writer's own faults and their causes: no denial by the model


@per_passage
def _states_own_fault(item: Passage) -> bool:
    """The writer's own part in a fault said outright ("tôi đã để …", "lỗi này do tôi …"), outside the phrases that
    deny one ("không để xảy ra sai sót"), in a sentence that disowns nothing ("không phải …", "không thuộc …")."""
    if not item.first_person or cue("disowning", item.folded):
        return False
    rest = _without_no_fault(item.folded)
    part = cue("own_part", rest)
    if not part or "trach nhiem" not in part.group(0):
        return bool(part)  # a post's responsibility with nothing gone wrong ("tôi chịu trách nhiệm trực tiếp và đã …
    return bool(cue("fault_noun", part.group(0)) or cue("fault_words", rest))  # đủ 4 cột mốc") states no fault


@per_passage
def _names_the_fault_only(item: Passage) -> bool:
    """The sentence states the fault, claims nothing good and says nothing of whose duty it was ("Phụ cấp … chi trả
    chậm do kinh phí … phân bổ muộn"): naming the item with an outside cause diffuses it, it does not deny it."""
    if good_result(item.folded) or cue("duty_words", item.folded) or cue("disowning", item.folded):
        return False
    return bool(cue("fault_words", _without_no_fault(item.folded)))


@lru_cache(maxsize=1 << 14)
def _without_no_fault(folded: str) -> str:
    """The folded sentence without the phrases that deny a fault ("không để xảy ra sai sót", cross.yaml
    ``no_fault``), so that the fault words left are the ones it admits."""
    for pattern in cues()["no_fault"]:
        folded = pattern.sub(" ", folded)
    return folded


@per_passage
def denial_cue(item: Passage) -> bool:
    """A denial cue that is not a shared responsibility put on bodies the writer belongs to ("… thuộc trách nhiệm
    chung của Ban giám hiệu và tổ …": a diffuse wording the stance model reads as diffusing)."""
    if not cue("area_denial", item.folded):
        return False
    return not (cue("diffuse", item.folded) and reads_as(item, "diffused"))


@per_passage
def owns(item: Passage) -> bool:
    """A first-person sentence that gives the writer's own part or responsibility (not only a shared one) in a fault:
    "tôi chịu trách nhiệm chính về công tác X; công tác này đã thực hiện đúng quy định" owns the area, not a fault.
    A sentence the stance model reads as a denial owns nothing, one it reads as owning in the first person does."""
    if clean_claim(item) or denial_cue(item) or (reads_as(item, "denied") and not _states_own_fault(item)):
        return False
    if item.first_person and reads_as(item, "owned"):
        return True
    if cue("own_part", item.folded):
        return True
    fault = cue("own_fault", _without_no_fault(item.folded)) if item.first_person else None  # not "không để chậm"
    if fault and "trach nhiem" not in fault.group(0):  # "Tôi ký ban hành quy chế … chậm", "chính tôi đã ký … khi chưa
        return True  # xem …", not "bản thân cùng chịu trách nhiệm chung … về việc chậm …"
    role = cue("role_opening", item.folded)
    if role and not _diffuse_only(item.folded[role.end() :]):
        return True
    return item.first_person and item.has("responsibility") and not _diffuse_only(item.folded)


def _diffuse_only(folded: str) -> bool:
    """Only a shared, general responsibility: a diffuse cue and no main or direct responsibility."""
    return bool(cue("diffuse", folded)) and not re.search(r"trach nhiem (chinh|truc tiep)", folded)


def _mutual(match: Match, item: Shortcoming, others: list[Shortcoming], matcher: Matcher) -> bool:
    """The person's sentence is closer to ``item`` than to any other collective shortcoming: by score, or, when it
    shares most of its words with ``item`` (``mutual_overlap``), by far more words than with the other."""
    own_phrases = shared_phrases(item.passage, match.passage)
    for other in others:
        if other is item:
            continue
        rival_phrases = shared_phrases(other.passage, match.passage)
        if _names_by_phrases(rival_phrases, own_phrases):
            return False  # "… chỉ sinh hoạt chuyên đề được 2/4 kỳ, vì … lo chuyển trụ sở và lớp hè": the meetings'
        rival = matcher.score(other.passage, match.passage)  # phrases, not the summer classes' one word
        if rival.score <= match.score + 1e-6:
            continue
        if match.overlap >= matching("mutual_overlap") and match.overlap >= 2 * rival.overlap:
            continue
        if _names_by_phrases(own_phrases, rival_phrases):
            continue
        return False
    return True


def _names_by_phrases(mine: int, other: int) -> bool:
    """A sentence sharing ``mine`` two-syllable phrases with one item and ``other`` with another is about the first:
    at least ``phrase_count`` of them, ``phrase_ratio`` times as many."""
    return mine >= matching("phrase_count") and mine >= matching("phrase_ratio") * max(other, 1)


@per_passage
def contrary(item: Passage) -> bool:
    """The sentence says the contrary of a fault: no shortcoming, not the writer's area, a good result."""
    if denial_cue(item) or clean_claim(item):
        return True
    claims = good_result(item.folded) or item.has("denial")
    return bool(claims) and not cue("own_part", item.folded) and not cue("outcome_not_fixed", item.folded)


@lru_cache(maxsize=1 << 16)
def good_result(folded: str) -> bool:
    """A claim of good results not taken back or made a wish by the words before it ("chưa chặt chẽ", "chưa có biện
    pháp xử lý dứt điểm", "cần quyết liệt hơn" claim nothing; remembered: the checks ask it of the same sentence once
    per collective shortcoming)."""
    for pattern in cues()["good_result"]:
        for match in pattern.finditer(folded):
            if not cue("negated_good", folded[max(0, match.start() - 40) : match.start()]):
                return True
    return False


@per_passage
def clean_claim(item: Passage) -> bool:
    """A claim of good results that admits no fault at all ("… đã được thực hiện đúng trình tự, thủ tục, không để
    xảy ra sai sót"): fault wording counts only outside the phrases that deny one (a plan that gives the writer's
    own past fault as its reason, "… chi trả dứt điểm …, vì năm qua tôi đã để …", admits one)."""
    if not good_result(item.folded):
        return False
    rest = _without_no_fault(item.folded)
    return not any(cue(name, rest) for name in ("fault_words", "outcome_not_fixed", "own_fault", "past_fault_reason"))


def _about(match: Match) -> bool:
    """A cause line ("Nguyên nhân chủ quan: tôi giao việc …") owns an item only when it shares its words."""
    return not _cause_line(match.passage) or match.overlap >= matching("cause_overlap")


def _cause_line(line: Passage) -> bool:
    """A sentence of the causes, or one opening on their title."""
    return line.section == "causes" or bool(cue("not_shortcoming", line.folded))


def collective_verdict(
    item: Shortcoming,
    why: list[str],
    areas: list[str],
    report: list[Passage],
    others: list[Shortcoming],
    matcher: Matcher,
    mine: list[Shortcoming] | None = None,
    baseline: list[Passage] | None = None,
) -> Decision:
    """owned / denied / diffused / absent for one person's report on one collective shortcoming (``areas``: the
    person's areas; ``others``: every shortcoming of the collective; ``mine``: those the person answers for by post,
    so that a claim of good results in the person's area is held against the one it is closest to; ``baseline``:
    :func:`collective_baseline` of ``report`` when the caller has it, read once a report, not once a shortcoming)."""
    sections = set(settings()["collective_sections"])
    plans = set(settings()["plan_sections"])  # "Tôi sẽ trực tiếp …, vì năm qua tôi đã để …"
    candidates = [p for p in report if p.section in sections or (p.section in plans and _plan_owning(p))]
    baseline = collective_baseline(report) if baseline is None else baseline
    same = [
        m
        for m in matcher.same_item(item.passage, candidates, baseline)
        if _mutual(m, item, others, matcher) and not _scoped_elsewhere(item, m.passage, others)
    ]
    owned = next((m for m in same if _owning(m.passage) and _about(m) and not denies(m.passage)), None)
    owned = owned or _owned_in_its_phrases(item, candidates, others, matcher)
    owned = owned or _owned_in_the_next(same, report, item, others, matcher)
    owned = owned or _owned_in_a_clause(item, candidates, others, matcher, baseline)
    denying = next((m for m in same if denies(m.passage)), None)
    if denying and (
        owned is None or denying.score >= owned.score or denying.overlap >= owned.overlap
    ):  # "… đúng là có khuyết điểm, nhưng … không
        return Decision("denied", denying.passage, denying.score)  # thuộc trách nhiệm của tôi"
    if owned:
        return Decision("owned", owned.passage, owned.score)
    denial = _denial(item, why, areas, mine or [item], report, others, matcher, baseline)
    if denial and not (same and _shares_responsibility(same[0], denial)):
        return denial
    named = next((m for m in same if _about(m)), None)  # a cause line that shares no words names no item
    if named:
        return Decision("diffused", named.passage, named.score)
    general = _general_diffuse(item, candidates, others, matcher)
    if general:
        return Decision("diffused", general, None)
    return Decision("absent")


def _owning(line: Passage) -> bool:
    """The sentence owns a fault (:func:`owns`), or is a plan that gives the writer's own past fault as its reason."""
    return owns(line) or (line.section in settings()["plan_sections"] and _plan_owning(line))


@per_passage
def _plan_owning(line: Passage) -> bool:
    """A plan whose reason is the writer's own past fault ("Tôi sẽ trực tiếp mở bù 4 lớp …, vì năm qua tôi đã để các
    lớp này lùi mãi …"): it owns that fault, though written among the remedies."""
    return (
        bool(cue("past_fault_reason", line.folded))
        and line.first_person
        and not denial_cue(line)
        and not clean_claim(line)
    )


def _owned_in_the_next(
    same: list[Match], report: list[Passage], item: Shortcoming, others: list[Shortcoming], matcher: Matcher
) -> Match | None:
    """A sentence naming ``item`` without the writer's part, followed in the same part by one that gives it and goes
    on from it ("Năm 2025, đoạn đường tỉnh 917 qua ấp Giồng Dài có 5 vụ tai nạn …" + "Một phần do đường đang thi công
    …, nhưng chủ yếu là do tôi chỉ xếp mỗi tuần một ca tuần tra đêm …"): the second opens on the first (``continues``:
    "Một phần do", "Việc này", "Khuyết điểm này") and names no other collective shortcoming."""
    if not same:  # asked for every item and writer: no index of the report where no sentence names the item
        return None
    position = {id(p): i for i, p in enumerate(report)}
    for match in same:
        index = position.get(id(match.passage))
        if index is None or index + 1 >= len(report):
            continue
        following = report[index + 1]
        if following.section != match.passage.section or not cue("continues", following.folded):
            continue
        if not owns(following) or denies(following) or not _about(match):
            continue
        if any(matcher.score(o.passage, following).score >= matching("same_item") for o in others if o is not item):
            continue  # it names another item: its own, not this one's (its words are not asked: it names none)
        return match
    return None


def _owned_in_a_clause(
    item: Shortcoming, candidates: list[Passage], others: list[Shortcoming], matcher: Matcher, baseline: list[Passage]
) -> Match | None:
    """A long first-person sentence that owns several of the collective's shortcomings at once, each in a clause of
    its own ("Với cương vị bí thư chi bộ, tôi nhận trách nhiệm … về việc lớp 1 ở Bản Chài còn 8 em chưa đọc thông
    vì …, về việc tiền ăn trưa … chi chậm …, và về việc dãy phòng học … dột …"): matched whole, such a sentence is as
    close to each item as to the others. ``item`` is owned where one of its clauses names it (the same item, closer
    to it than to any other: :func:`_names_in_a_clause`), the sentence names two items at least, and the writer's own
    act in the fault covers it (:func:`_act_covers`: in its clause, a lead, or a reason after it, "…, vì tôi đã không
    đưa ba việc này vào …"); taking the responsibility alone, over a bare list, owns nothing (it shares it: a
    `diffused` item), nor does a clause that only shares it."""
    shared = matching("clause_shared")
    for said in candidates:
        if len(said.syllables & item.passage.syllables) < shared:  # no clause of it can name the item
            continue
        if not said.first_person or not _has_clauses(said) or _cause_line(said) or denies(said) or clean_claim(said):
            continue  # a cause line's clauses are causes ("chủ quan: …; khách quan: …"), not items
        parts = clauses(said)
        naming = [part for part in parts if _names_in_a_clause(part, item)]  # the words first: only these encoded
        named = [m for m in matcher.same_item(item.passage, naming, baseline) if _mutual(m, item, others, matcher)]
        if not named or not _names_several(parts, others, matcher, baseline):
            continue  # a sentence on one fault is read whole
        best = named[0]
        if _diffuse_only(best.passage.folded) and not cue("own_part", best.passage.folded):
            continue  # "còn việc … thì tôi cùng chi ủy chịu trách nhiệm chung": shared, not owned
        if _act_covers(parts, parts.index(best.passage), item, others, matcher, baseline):
            return Match(said, best.score, best.cosine, best.overlap)
    return None


def _names_in_a_clause(part: Passage, item: Shortcoming) -> bool:
    """A clause has the words to name the item: it shares ``clause_overlap`` of its content syllables and
    ``clause_shared`` of them at least (a short clause's encoding is loose: "tháng 9 mới có tờ trình" is no item), and
    it is neither a reason ("nhưng chủ yếu là do tôi …", which gives the writer's act, not the item) nor the writer's
    post ("là Chủ tịch Ủy ban nhân dân xã") (cross.yaml ``clause_not_item``). Read before the clause is encoded: the
    encoder then says whether it names the same item."""
    return (
        len(part.syllables & item.passage.syllables) >= matching("clause_shared")
        and syllable_overlap(item.passage, part) >= matching("clause_overlap")
        and not cue("clause_not_item", part.folded)
    )


def _has_clauses(said: Passage) -> bool:
    """Long enough, and cut into clauses, to name several items."""
    return len(said.text) >= matching("clause_sentence") and bool(cue("clause_cut", said.folded))


def _act_covers(
    parts: tuple[Passage, ...],
    index: int,
    item: Shortcoming,
    items: list[Shortcoming],
    matcher: Matcher,
    baseline: list[Passage],
) -> bool:
    """The writer's own act covers ``item``, named in clause ``index``: stated in that clause or in another clause
    naming the item alone ("…: thu quỹ … chỉ đạt 68%, còn 41 hộ chưa nộp vì tôi giao hết …"), in a lead before the
    first clause naming an item ("Năm qua tôi đã để xảy ra những việc sau: …"), or in the first clause after it that
    states an act or the item as the writer's own charge, where that clause names no other item ("…, vì tôi không
    kiểm tra …", "…, là mảng tôi trực tiếp phụ trách": a reason goes with the items before it, not with those after,
    and not past another item's own act); a clause naming the item as a lapse the writer takes the responsibility for
    ("… về việc để 7 bản án … bị hủy") is an act in it."""
    mine = {number for number, other in enumerate(items) if other is item}
    naming = _clause_names(parts, items, matcher, baseline)
    if any(_act_in(part) for part, names in zip(parts, naming, strict=True) if names and names <= mine):
        return True
    if _act_in(parts[index]):
        return True
    first = next((j for j, names in enumerate(naming) if names), index)
    if any(own_act(part) for part in parts[:first]):
        return True
    following = next(
        (j for j in range(index + 1, len(parts)) if own_act(parts[j]) or cue("own_charge_clause", parts[j].folded)),
        None,
    )
    return following is not None and naming[following] <= mine


def _act_in(clause: Passage) -> bool:
    """A clause naming an item states the writer's own act in it, or takes the responsibility for letting it happen
    (cross.yaml ``lapse_owned``: "tôi chịu trách nhiệm … về việc để 7 bản án … bị hủy")."""
    return own_act(clause) or bool(cue("lapse_owned", clause.folded))


def _names_several(
    parts: tuple[Passage, ...], items: list[Shortcoming], matcher: Matcher, baseline: list[Passage]
) -> bool:
    """Two items at least are named each in a clause of the sentence."""
    return len(set().union(*_clause_names(parts, items, matcher, baseline))) >= 2


def _clause_names(
    parts: tuple[Passage, ...], items: list[Shortcoming], matcher: Matcher, baseline: list[Passage]
) -> list[set[int]]:
    """For each clause, the positions in ``items`` of those it names (:func:`_names_in_a_clause`); remembered on the
    matcher, which checks one unit: the checks ask it of the same sentence for each of the unit's items."""
    key = ("clause_names", id(parts), id(items))
    known = matcher.memo.get(key)
    if known is not None and known[0] is parts and known[1] is items:
        return known[2]
    found = [
        {
            number
            for number, item in enumerate(items)
            if _names_in_a_clause(part, item) and matcher.same_item(item.passage, [part], baseline)
        }
        for part in parts
    ]
    matcher.memo[key] = (parts, items, found)
    return found


@per_passage
def own_act(said: Passage) -> bool:
    """The writer's own act in a fault stated outright ("vì tôi không dự giờ …", "tôi đã để …", "vì tôi ký hợp đồng khi
    …"), not only the responsibility taken for it ("tôi nhận trách nhiệm người đứng đầu về …")."""
    folded = _without_no_fault(said.folded)
    for name in ("own_fault", "past_fault_reason", "own_cause"):
        for pattern in cues()[name]:
            if any("trach nhiem" not in found.group(0) for found in pattern.finditer(folded)):
                return True
    return False


def clauses(said: Passage) -> tuple[Passage, ...]:
    """The clauses of a long sentence, each a passage of its own (offsets into the same report; words and anchors,
    no lexicon hits), cut where cross.yaml ``clause_cut`` does (";", ":", ",", "… và (về) việc …"); pieces too short
    to name an item are left out (remembered: the checks ask them of the same sentence for each collective
    shortcoming)."""
    return _clauses(said.text, said.section, said.file, said.start)


@lru_cache(maxsize=1 << 12)
def _clauses(text: str, section: str | None, file: str, start: int) -> tuple[Passage, ...]:
    found = []
    begin = 0
    folded = fold(text)  # the text as written (its line breaks kept), folded letter by letter
    cuts = [m.span() for pattern in cues()["clause_cut"] for m in pattern.finditer(folded)]
    for cut_start, cut_end in [*sorted(cuts), (len(folded), len(folded))]:
        piece = text[begin:cut_start]
        stripped = piece.strip()
        if len(stripped) >= matching("clause_piece"):
            offset = begin + piece.index(stripped)
            found.append(make_passage(stripped, section, file=file, start=start + offset, hits=False))
        begin = max(begin, cut_end)
    return tuple(found)


def _owned_in_its_phrases(
    item: Shortcoming, candidates: list[Passage], others: list[Shortcoming], matcher: Matcher
) -> Match | None:
    """A first-person sentence owning a fault that names ``item`` in its phrases (:func:`_names_by_phrases` against
    every other item) though the encoder scores it below the thresholds, at ``same_item_floor`` or above."""
    best: Match | None = None
    for said in candidates:
        mine = shared_phrases(item.passage, said)
        if mine < matching("phrase_count") or not said.first_person:
            continue
        if not all(_names_by_phrases(mine, shared_phrases(o.passage, said)) for o in others if o is not item):
            continue
        if not owns(said) or denies(said) or _scoped_elsewhere(item, said, others):
            continue
        match = matcher.score(item.passage, said)
        if match.score >= matching("same_item_floor") and (best is None or match.score > best.score):
            best = match
    return best


def speaks_to(
    item: Shortcoming,
    report: list[Passage],
    others: list[Shortcoming],
    matcher: Matcher,
    baseline: list[Passage] | None = None,
) -> bool:
    """The writer's own report takes the collective shortcoming up as his or her own matter, though neither the
    collective text nor the post says so: a sentence naming it (the same item, closer to it than to any other, sharing
    its concrete words) that owns it ("Tôi được chi bộ giao theo dõi tuyển sinh mà không lập danh sách …"), calls it
    the writer's own field ("… do tôi phụ trách …") or says it is not ("… không thuộc phần việc tôi được phân công").
    A shared responsibility said of the item itself ("Việc … chậm là hạn chế chung của cả Trung tâm") answers for it
    too; said of the collective's shortcomings in general, it names no item (only post holders are asked)."""
    owning_sections = set(settings()["collective_sections"])
    floor = matching("speaks_overlap")  # the words first: only the few sentences that share them are embedded
    candidates = [
        p
        for p in report
        if p.section in owning_sections | set(settings()["denial_sections"])
        and syllable_overlap(item.passage, p) >= floor
    ]
    owning = {id(p) for p in candidates if p.section in owning_sections and owns(p)}
    sharing = {id(p) for p in candidates if p.section in owning_sections and _shares_on_the_item(p)}
    # a denial: by its cues anywhere, or as the model reads it where the report answers for faults (not a claim among
    # the duties done: "Hoàn thành các cam kết đã đăng ký")
    denying = {id(p) for p in candidates if denial_cue(p) or (p.section in owning_sections and denies(p))}
    speaking = [
        p for p in candidates if id(p) in owning or id(p) in sharing or id(p) in denying or cue("own_area", p.folded)
    ]
    if not speaking:  # nothing to match: no embedding, no baseline
        return False
    baseline = collective_baseline(report) if baseline is None else baseline  # the caller's, when it has it
    for match in matcher.same_item(item.passage, speaking, baseline):
        said = match.passage
        if not _mutual(match, item, others, matcher):
            continue
        if ({id(said)} & (owning | sharing) and _about(match)) or id(said) in denying or cue("own_area", said.folded):
            return True
    return False


@per_passage
def _shares_on_the_item(line: Passage) -> bool:
    """A line that shares the responsibility for a fault ("tôi cùng tập thể chịu trách nhiệm chung về việc …", "việc …
    là hạn chế chung của cả Trung tâm") without pointing it elsewhere or denying it."""
    return bool(cue("diffuse", line.folded)) and not cue("points_elsewhere", line.folded) and not contrary(line)


def _shares_responsibility(match: Match, denial: Decision) -> bool:
    """The sentence naming the item itself says the writer shares the responsibility for it ("… bản thân cùng chịu
    trách nhiệm chung với tập thể về việc …"): that outweighs a claim of good results found only through the
    writer's area."""
    return (
        denial.passage is not match.passage
        and bool(cue("diffuse", match.passage.folded))
        and not contrary(match.passage)
    )


def _denial(
    item: Shortcoming,
    why: list[str],
    areas: list[str],
    mine: list[Shortcoming],
    report: list[Passage],
    others: list[Shortcoming],
    matcher: Matcher,
    baseline: list[Passage],
) -> Decision | None:
    sections = set(settings()["denial_sections"])
    candidates = [p for p in report if p.section in sections]
    if "named" in why or "area" in why:
        general = next(
            (
                p
                for p in candidates
                if denial_cue(p)
                and not (p.numbers and has_figures(p.folded))
                and not _scoped_elsewhere(item, p, others)
                and not _about_another(item, p, others, matcher)
            ),
            None,
        )
        claims = [p for p in candidates if contrary(p) and in_area(p.folded, areas) and _speaks_for_the_field(p, areas)]
        general = general or next((p for p in claims if _closest(item, p, mine or [item], areas, matcher)), None)
        if general:
            return Decision("denied", general, None)
    if "head" in why:
        claimed = next((p for p in candidates if _claims_the_items_field(item, p, others)), None)
        if claimed:  # "Là Bí thư, tôi trực tiếp chỉ đạo công tác phát triển đảng viên và công tác này đạt kết quả tốt"
            return Decision("denied", claimed, None)
    declared = next((p for p in candidates if _own_area_claim(item, p, others)), None)
    if declared:  # "Công tác phát triển đảng viên do tôi trực tiếp chỉ đạo đạt kết quả tốt"
        return Decision("denied", declared, None)
    claims = [p for p in candidates if contrary(p) and not _scoped_elsewhere(item, p, others)]
    for match in matcher.same_item(item.passage, claims, baseline, "denial"):
        if _mutual(match, item, others, matcher):
            return Decision("denied", match.passage, match.score)
    # a claim only the stance model reads ("Việc thu, nộp đảng phí được duy trì đầy đủ, đúng kỳ …; không có đảng viên
    # nợ đảng phí"): held against the item only when it plainly names the same item, in its words too
    floor = matching("read_claim_overlap")  # the words first: only the few sentences that share them are embedded
    rest = [
        p
        for p in candidates
        if p not in claims and syllable_overlap(item.passage, p) >= floor and not _scoped_elsewhere(item, p, others)
    ]
    for match in matcher.same_item(item.passage, rest, baseline):
        plain = match.score >= matching("same_item") and match.overlap >= matching("read_claim_overlap")
        if (
            plain
            and _model_may_deny(match.passage)
            and reads_as(match.passage, "denied")
            and _mutual(match, item, others, matcher)
        ):
            return Decision("denied", match.passage, match.score)
    return None


def _claims_the_items_field(item: Shortcoming, said: Passage, others: list[Shortcoming]) -> bool:
    """A claim of good results, admitting no fault, about a field of work ("công tác phát triển đảng viên") whose
    topics (positions.yaml ``fields``) this item names and no other item does."""
    if not clean_claim(said) or _scoped_elsewhere(item, said, others):
        return False
    field = cue("claimed_field", said.folded)
    if not field:
        return False
    topics = with_fields([words_of(field.group(1))])
    return in_area(item.passage.folded, topics) and not any(
        in_area(o.passage.folded, topics) for o in others if o is not item
    )


def _speaks_for_the_field(said: Passage, areas: list[str] | None = None) -> bool:
    """A claim that answers for a field ("Công tác tài chính … đúng quy định", "… do tôi phụ trách …", "tôi …", or
    one opening on the writer's own area or body: "Quỹ Công đoàn năm 2025 được thu, chi đúng nguyên tắc"), not the
    report of one activity ("Phối hợp tổ chức hội nghị viên chức đúng quy định")."""
    if cue("field_claim", said.folded) or cue("own_area", said.folded) or said.first_person:
        return True
    return bool(areas) and in_area(" ".join(words_of(said.folded).split()[:4]), areas or [])


def _about_another(item: Shortcoming, said: Passage, others: list[Shortcoming], matcher: Matcher) -> bool:
    """The sentence names another collective shortcoming, not this one ("… việc lớp dạy bơi không mở được không thuộc
    trách nhiệm của Chi đoàn" is about the drowning, not about young people leaving without papers)."""
    own = matcher.score(item.passage, said).score
    return _names_another_in_words(item, said.syllables, others) or any(
        o is not item and (score := matcher.score(o.passage, said).score) >= matching("same_item") and score > own
        for o in others
    )


def _names_another_in_words(item: Shortcoming, words: set[str], others: list[Shortcoming]) -> bool:
    """Content syllables of a sentence that name another collective shortcoming clearly more than any other and
    than ``item``: three at least, and at least twice (plus two) those it shares with ``item`` ("Công nợ với chủ
    ghe, đại lý thu mua … không thuộc nhiệm vụ của Phòng …" is about the overdue debts, not the late orders)."""
    asked = len(words & item.passage.syllables)
    shares = [len(words & o.passage.syllables) for o in others if o is not item]
    most = max(shares, default=0)
    return most >= 3 and most >= 2 * asked + 2 and shares.count(most) == 1


def _own_area_claim(item: Shortcoming, said: Passage, others: list[Shortcoming]) -> bool:
    """A claim of good results about an area the writer names as his or her own ("… do tôi phụ trách …"), that
    shares the item's words more than any other collective shortcoming's."""
    if not cue("own_area", said.folded) or not contrary(said):
        return False
    overlap = syllable_overlap(item.passage, said)
    if overlap < matching("cause_overlap"):
        return False
    return all(syllable_overlap(o.passage, said) <= overlap for o in others if o is not item)


def collective_baseline(report: list[Passage]) -> list[Passage]:
    """The sentences a match must stand out from: those of the parts where a collective shortcoming is looked for,
    and the claims of good results (only these are embedded, not the whole report)."""
    looked = set(settings()["collective_sections"])
    claims = set(settings()["denial_sections"])
    return [p for p in report if p.section in looked or (p.section in claims and contrary(p))]


def _closest(item: Shortcoming, said: Passage, mine: list[Shortcoming], areas: list[str], matcher: Matcher) -> bool:
    """``item`` is the shortcoming a claim in the person's area is held against: of those the person answers for by
    post, the ones naming an area the claim names (all of them when none does and the claim is about a whole field,
    not one activity: "Phối hợp tổ chức hội nghị viên chức đúng quy định"), the one the claim is closest to."""
    named = [a for a in areas if in_area(said.folded, [a])]
    sharing = [o for o in mine if in_area(o.passage.folded, named)]
    if not sharing and cue("field_claim", said.folded):  # "Công tác tài chính … đúng quy định": the whole field
        sharing = mine
    if item not in sharing:
        return False
    score = matcher.score(item.passage, said).score
    return all(matcher.score(o.passage, said).score <= score + 1e-6 for o in sharing if o is not item)


def _general_diffuse(
    shortcoming: Shortcoming, candidates: list[Passage], others: list[Shortcoming], matcher: Matcher
) -> Passage | None:
    """A shared-responsibility line about the collective's shortcomings in general (not about another item, and
    not scoped to named topics that leave ``shortcoming`` out: "Về phát triển đảng viên …: …")."""
    for item in candidates:
        if not cue("diffuse", item.folded) or owns(item) or cue("points_elsewhere", item.folded):
            continue
        if item.section != "collective_responsibility" and not item.first_person:
            continue
        if _scoped_elsewhere(shortcoming, item, others):
            continue
        if not _about_one_item(item, shortcoming, others, matcher):
            return item
    return None


def _about_one_item(line: Passage, shortcoming: Shortcoming, others: list[Shortcoming], matcher: Matcher) -> bool:
    """A shared-responsibility line about one collective shortcoming, not the collective's in general: it names one
    (the same item by the matcher), or, outside its shared-responsibility words, it shares a good part of its words
    with one (``general_line_overlap``, three at least), more than with ``shortcoming`` ("Công tác bồi dưỡng nghiệp
    vụ … chưa hoàn thành …, tôi cùng tập thể … chịu trách nhiệm chung"), or clearly more of them than with any other
    item and ``shortcoming`` ("Để 01 đảng viên vi phạm phải xử lý kỷ luật là trách nhiệm của cả chi ủy …")."""
    rest = line.folded
    for pattern in cues()["diffuse"]:
        rest = pattern.sub(" ", rest)
    # its content syllables outside the shared-responsibility words
    words = set(words_of(rest).split()) & line.syllables
    floor = matching("general_line_overlap")

    def share(item: Shortcoming) -> int:
        return len(words & item.passage.syllables)

    if _names_another_in_words(shortcoming, words, others):  # clearly more of its words than any other item's
        return True
    for other in others:
        if matcher.score(other.passage, line).score >= matching("same_item"):
            return True
        named = share(other)
        if other is not shortcoming and named >= 3 and named >= floor * len(words) and named > share(shortcoming):
            return True
    return False


def _scoped_elsewhere(shortcoming: Shortcoming, line: Passage, others: list[Shortcoming]) -> bool:
    """The line opens on named topics ("Về …:") that share words with other shortcomings but not with this one."""
    opening = cue("topic_opening", line.folded)
    if not opening:
        return False
    topics = topic_words(opening.group(0), line)  # "Về tỷ lệ thất thoát và tiến độ tuyến ống D500:" names two
    if not topics:
        return False
    if not covers_topic(shortcoming.passage, topics):
        return any(covers_topic(o.passage, topics) for o in others if o is not shortcoming)
    # both name the topic: the line is another item's when that item holds clearly more of its words ("Về vụ va chạm
    # tại đường ngang Lũng Hạ:" is the collision's, not the union's item about the gatekeepers of another crossing)
    first = topic_words(re.split(r"[:,]", opening.group(0))[0], line)  # up to its first comma or colon
    named = [topic for topic in first if len(topic) >= 3]  # "Về tiền lương," is too short to tell two items apart
    if not named:
        return False
    mine = _topic_share(shortcoming.passage, named)
    return any(_topic_share(o.passage, named) >= mine + 0.25 for o in others if o is not shortcoming)


def _topic_share(item: Passage, topics: list[set[str]]) -> float:
    """The largest share of one topic's content syllables that the item's text holds."""
    return max(len(t & item.syllables) / len(t) for t in topics)


# -- last year's shortcoming × this year's report -----------------------------------------------------------


def previous_baseline(report: list[Passage]) -> list[Passage]:
    """This year's sentences that last year's shortcomings are compared with: the remediation parts and this year's
    shortcomings and causes."""
    looked = {*settings()["remediation_sections"], "shortcomings", "causes"}
    return [p for p in report if p.section in looked]


def embedding_candidates(report: list[Passage]) -> list[Passage]:
    """Every sentence of a report that the checks may embed, whatever its role in the unit: its shortcomings, its
    parts where collective or last year's shortcomings are looked for, its claims of good results."""
    looked = {*settings()["collective_sections"], *settings()["remediation_sections"], "shortcomings", "causes"}
    claims = set(settings()["denial_sections"])
    return [p for p in report if p.section in looked or (p.section in claims and contrary(p))]


def previous_verdict(
    item: Shortcoming, report: list[Passage], matcher: Matcher, others: list[Shortcoming] | None = None
) -> Decision:
    """reported (with outcome) / repeated / stock_line / not_mentioned for one of last year's shortcomings
    (``others``: the rest of last year's shortcomings, so that a sentence is credited to the one it is closest to)."""
    remediation = set(settings()["remediation_sections"])
    others = others or [item]
    baseline = previous_baseline(report)
    told = [
        m
        for m in matcher.same_item(
            item.passage, [p for p in baseline if p.section in remediation], baseline, "remediation"
        )
        if _mutual(m, item, others, matcher)
    ]
    reported = next((m for m in told if _has_result(m.passage)), None)
    if reported is None:  # a specific account anywhere else in the report, one that looks back at last year
        elsewhere = [p for p in report if p.section not in remediation and _looks_back(p)]
        reported = next(
            (
                m
                for m in matcher.same_item(item.passage, elsewhere, baseline, "remediation")
                if _has_result(m.passage) and _mutual(m, item, others, matcher)
            ),
            None,
        )
    if reported:
        return Decision("reported", reported.passage, reported.score, outcome(reported.passage))
    this_year = [p for p in report if p.section in {"shortcomings", "causes"}]
    again = matcher.same_item(item.passage, this_year, baseline)
    verbatim = next((m for m in again if _verbatim(m)), None)
    if verbatim:
        return Decision("repeated", verbatim.passage, verbatim.score)
    still = next(
        (
            m
            for m in again
            if m.score >= matching("same_item")
            and m.passage.numbers
            and m.overlap >= matching("still_overlap")
            and _mutual(m, item, others, matcher)
        ),
        None,
    )
    if still:  # this year's shortcomings say, with figures, what became of it: not fixed
        return Decision("reported", still.passage, still.score, "not_fixed")
    named = [m for m in told if m.passage.section == "previous_remediation"]
    if named:  # named in the part on last year's shortcomings, with no result
        return Decision("stock_line", named[0].passage, named[0].score)
    stock = next(
        (
            p
            for p in report
            if p.section in remediation
            and cue("stock_remediation", p.folded)
            and not _names_another(item, p, others, matcher)
        ),
        None,
    )
    if stock:
        return Decision("stock_line", stock, None)
    return Decision("not_mentioned")


def _looks_back(said: Passage) -> bool:
    """The sentence compares with, or says it remedied, last year's state ("… khắc phục được tình trạng …")."""
    return bool(cue("looks_back", said.folded))


def _names_another(item: Shortcoming, line: Passage, others: list[Shortcoming], matcher: Matcher) -> bool:
    """A stock line that names one of last year's other shortcomings ("Hạn chế về kiểm tra, giám sát … đã cơ bản
    được khắc phục") speaks of that one only."""
    own = syllable_overlap(item.passage, line)
    return any(
        syllable_overlap(o.passage, line) >= matching("cause_overlap") and syllable_overlap(o.passage, line) > own
        for o in others
        if o is not item
    )


def _verbatim(match: Match) -> bool:
    return match.cosine >= matching("verbatim") or match.overlap >= matching("verbatim_overlap")


def _has_result(item: Passage) -> bool:
    """Says what was done and how far: a figure, a date or an outcome word, not a stock line alone."""
    naming = {
        re.sub(r"\D", "", m.group(0)) for pattern in cues()["named_number"] for m in pattern.finditer(item.folded)
    }
    if cue("stock_remediation", item.folded) and not (item.numbers - naming):
        return False  # a number that only names something ("kho số 2", "đường ĐH.12") is no figure of a result
    if cue("outcome_stated_not_fixed", item.folded) or cue("outcome_not_fixed", item.folded):
        return True  # "… chưa thực hiện được do …, đến nay vẫn chưa có …": what became of it, not a stock line
    return bool(item.numbers or item.named) or bool(cue("outcome_done", item.folded))


_FRACTION = re.compile(r"(?<![\d/.,])(\d[\d.,]*\d|\d)\s*/\s*(\d[\d.,]*\d|\d)(?![\d/])")


def _number(written: str) -> float:
    """A figure as Vietnamese writes it: '.' between thousands, ',' before decimals ("1.034", "41,5")."""
    return float(written.replace(".", "").replace(",", "."))


def _short_of_whole(folded: str) -> bool:
    """A count short of its whole ("14/22 hộ", "1.034/1.120 lượt"), not a date ("3/2025") and not one over its
    whole ("41,5/40 triệu")."""
    counts = [
        (_number(m.group(1)), _number(m.group(2)))
        for m in _FRACTION.finditer(folded)
        if not re.fullmatch(r"(19|20)\d\d", m.group(2)) and not re.search(r"(thang|ngay|quy)\s*$", folded[: m.start()])
    ]
    return bool(counts) and 0 < counts[-1][0] < counts[-1][1]  # the last count: earlier ones may be last year's


def outcome(item: Passage) -> str:
    """fixed / partly / not_fixed: the writer's own conclusion when the sentence states one; else partial-progress cues, or something done before something not done ("đã ký …;
    tuy nhiên vẫn chưa …"), read as partly; something not done as not_fixed; else fixed."""
    if cue("outcome_stated_not_fixed", item.folded):  # the writer's own conclusion: "… hạn chế này chưa khắc phục được"
        return "not_fixed"
    stated = cue("outcome_stated_fixed", item.folded)  # "… hạn chế này đã khắc phục", nothing left undone after it
    if stated and not cue("outcome_not_fixed", item.folded[stated.end() :]):
        return "fixed"
    done, undone = cue("outcome_done", item.folded), cue("outcome_not_fixed", item.folded)
    done_first = done is not None and undone is not None and done.start() < undone.start()
    if done_first and cue("handed_on", item.folded):  # "đã chuyển hồ sơ sang …, đến nay chưa có kết quả"
        done_first = False
    if cue("outcome_partly", item.folded) or _short_of_whole(item.folded) or done_first:
        return "partly"
    return "not_fixed" if undone else "fixed"
