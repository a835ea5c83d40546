"""The public entry point: :func:`cross_check` reads a batch of analysed reports and returns the linkage, the rows
of both checks, the findings per report and the results with those findings applied."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from nlp.cross.findings import (
    apply_findings,
    collective_finding,
    owns_every_item,
    previous_finding,
    quote,
    rule_for,
)
from nlp.cross.identity import identify
from nlp.cross.link import link_reports
from nlp.cross.match import Matcher
from nlp.cross.passages import Passage, passages
from nlp.cross.records import (
    AnalysedReport,
    CollectiveRow,
    CrossResult,
    Identity,
    Linkage,
    PreparedReport,
    PreviousRow,
    UnitLink,
)
from nlp.cross.responsibility import (
    SHORTCOMING_PARTS,
    Responsibility,
    Shortcoming,
    holds_a_post,
    responsibility_statements,
    responsible,
    shortcomings,
    statements_for,
    with_divided_fields,
)
from nlp.cross.verdict import (
    collective_baseline,
    collective_verdict,
    embedding_candidates,
    previous_baseline,
    previous_verdict,
    speaks_to,
)
from nlp.schema import AnalysisResult, Finding


class _Reports:
    """The batch's results, their identities and their passages: read from each result when first needed, or as a
    :class:`PreparedReport` gives them (its result loaded only when first needed)."""

    def __init__(self, reports: list[AnalysedReport | PreparedReport], linkage: Linkage) -> None:
        self._results: dict[str, AnalysisResult] = {r.path: r.result for r in reports if isinstance(r, AnalysedReport)}
        self._loaders = {r.path: r.load for r in reports if isinstance(r, PreparedReport)}
        self.identities: dict[str, Identity] = {i.file: i for i in linkage.identities}
        self._readers = {r.path: r.read_passages for r in reports if isinstance(r, PreparedReport)}
        self._parts = {r.path: r.sections for r in reports if isinstance(r, PreparedReport) and r.sections is not None}
        self._passages: dict[str, list[Passage]] = {}
        self._shortcoming_passages: dict[str, list[Passage]] = {}

    def result(self, file: str) -> AnalysisResult:
        if file not in self._results:
            self._results[file] = self._loaders[file]()
        return self._results[file]

    def passages(self, file: str) -> list[Passage]:
        """Every passage of the report (built from its analysis where only some parts were prepared)."""
        if file not in self._passages:
            kept = self._readers[file]() if file in self._readers and file not in self._parts else None
            self._passages[file] = kept if kept is not None else passages(file, self.result(file))
        return self._passages[file]

    def shortcoming_passages(self, file: str) -> list[Passage]:
        """The passages :func:`~nlp.cross.responsibility.shortcomings` reads (last year's report: the workers may
        have prepared only those), or every passage where they are at hand."""
        if file in self._passages or file not in self._parts or not self._parts[file] >= SHORTCOMING_PARTS:
            return self.passages(file)
        if file not in self._shortcoming_passages:
            kept = self._readers[file]()
            if kept is None:
                return self.passages(file)
            self._shortcoming_passages[file] = kept
        return self._shortcoming_passages[file]


def cross_check(
    reports: Iterable[AnalysedReport | PreparedReport],
    *,
    lang: str = "vi",
    matcher: Matcher | None = None,
    adjust: Callable[[list[Identity]], list[Identity]] | None = None,
) -> CrossResult:
    """Link ``reports`` (this year's and, optionally, last year's, of one or many units) and run both checks.

    Matching stays within a unit: a collective shortcoming is compared with the sentences of that unit's responsible
    writers only, a previous shortcoming with the same writer's report of this year only. ``adjust`` may correct
    the identities read from the reports before linking (a caller that knows the files belong together and which
    year each reviews: :func:`nlp.cross.pair.check_pair`). A :class:`PreparedReport` gives its identity and passages
    as they were read beforehand, and its result is loaded only if the report gets findings.
    """
    reports = list(reports)
    identities = [r.identity if isinstance(r, PreparedReport) else identify(r.path, r.result) for r in reports]
    linkage = link_reports(adjust(identities) if adjust else identities)
    batch = _Reports(reports, linkage)
    matcher = matcher or Matcher()
    collective_rows: list[CollectiveRow] = []
    previous_rows: list[PreviousRow] = []
    for unit in linkage.units:
        collective_rows.extend(_collective_rows(unit, batch, matcher))
        previous_rows.extend(_previous_rows(unit, linkage, batch, matcher))
    findings = _findings(collective_rows, previous_rows, batch, lang)
    rows_of: dict[str, list[CollectiveRow]] = {}  # a report's own rows: what apply_findings reads of them
    for row in collective_rows:
        rows_of.setdefault(row.file, []).append(row)
    results = {}
    for file in [*findings, *(f for f, rows in rows_of.items() if f not in findings and owns_every_item(rows))]:
        result = batch.result(file)
        applied = apply_findings(result, findings.get(file, []), batch.identities[file], rows_of.get(file, []), lang)
        if file in findings or applied is not result:  # a writer owning every item: only where the result changes
            results[file] = applied
    return CrossResult(
        lang="en" if lang == "en" else "vi",
        linkage=linkage,
        collective_rows=collective_rows,
        previous_rows=previous_rows,
        findings=findings,
        results=results,
    )


def texts_to_embed(result: AnalysisResult) -> list[str]:
    """The sentences of one analysed report that the checks may embed (so that a batch worker can embed them beside
    the analysis, in parallel, and hand them to ``Matcher.seed``); a superset of what one run embeds."""
    return passage_texts(passages("", result))


def passage_texts(items: list[Passage]) -> list[str]:
    """:func:`texts_to_embed` of a report whose passages are at hand."""
    clauses = [s.passage for s in responsibility_statements(items)]
    return list(dict.fromkeys(p.text for p in [*embedding_candidates(items), *clauses]))


def _collective_rows(unit: UnitLink, batch: _Reports, matcher: Matcher) -> list[CollectiveRow]:
    if not unit.collective:
        return []
    collective = batch.passages(unit.collective)
    items = shortcomings(collective)
    statements = responsibility_statements(collective)
    people = [batch.identities[f] for f in unit.individuals if batch.identities[f].key]
    people = with_divided_fields(people, statements)
    matcher.prepare([i.passage for i in items])
    matcher.prepare([*(i.passage for i in items), *(s.passage for s in statements)])
    baselines = _Baselines(batch)
    duties = [(item, responsible(item, people, statements_for(item, statements, matcher))) for item in items]
    duties = [
        (item, [*found, *_speaking(item, found, people, batch, items, matcher, baselines)]) for item, found in duties
    ]
    answering = {d.identity.file for _, found in duties for d in found}
    matcher.prepare([p for file in sorted(answering) for p in baselines.of(file)])  # one batch
    by_post: dict[str, list] = {}
    for item, found in duties:
        for duty in found:
            if {"named", "area"} & set(duty.why):
                by_post.setdefault(duty.identity.file, []).append(item)
    rows = []
    for item, found in duties:
        for duty in found:
            person = duty.identity
            decision = collective_verdict(
                item,
                duty.why,
                [*person.areas, *duty.fields],
                batch.passages(person.file),
                items,
                matcher,
                by_post.get(person.file),
                baselines.of(person.file),
            )
            rows.append(
                CollectiveRow(
                    unit=unit.name or unit.key,
                    shortcoming=quote(item.passage),
                    person=person.name or "",
                    file=person.file,
                    posts=person.posts,
                    why=duty.why,
                    verdict=decision.verdict,
                    sentence=quote(decision.passage) if decision.passage else None,
                    similarity=round(decision.score, 3) if decision.score is not None else None,
                    rule=rule_for("collective", decision.verdict),
                )
            )
    return rows


class _Baselines:
    """Each writer's :func:`~nlp.cross.verdict.collective_baseline`, read once a unit (the verdicts ask it for each
    of the collective's shortcomings and again inside, for the denials)."""

    def __init__(self, batch: _Reports) -> None:
        self._batch = batch
        self._found: dict[str, list[Passage]] = {}

    def of(self, file: str) -> list[Passage]:
        if file not in self._found:
            self._found[file] = collective_baseline(self._batch.passages(file))
        return self._found[file]


def _speaking(
    item: Shortcoming,
    found: list[Responsibility],
    people: list[Identity],
    batch: _Reports,
    items: list[Shortcoming],
    matcher: Matcher,
    baselines: _Baselines,
) -> list[Responsibility]:
    """Post holders no text holds responsible for ``item`` whose own report takes it up as their own matter."""
    held = {d.identity.file for d in found}
    return [
        Responsibility(person, ["speaks"])
        for person in people
        if person.file not in held
        and holds_a_post(person)
        and speaks_to(item, batch.passages(person.file), items, matcher, baselines.of(person.file))
    ]


def _previous_rows(unit: UnitLink, linkage: Linkage, batch: _Reports, matcher: Matcher) -> list[PreviousRow]:
    pairs = [(p.name, p.previous, p.current) for p in linkage.persons if p.unit == unit.key]
    if unit.collective and unit.previous_collective:
        pairs.append(("collective", unit.previous_collective, unit.collective))
    rows = []
    for writer, old_file, new_file in pairs:
        items, new = shortcomings(batch.shortcoming_passages(old_file)), batch.passages(new_file)
        matcher.prepare([*(i.passage for i in items), *previous_baseline(new)])
        for item in items:
            decision = previous_verdict(item, new, matcher, items)
            rows.append(
                PreviousRow(
                    unit=unit.name or unit.key,
                    writer=writer,
                    shortcoming=quote(item.passage),
                    file=new_file,
                    verdict=decision.verdict,
                    outcome=decision.outcome,
                    sentence=quote(decision.passage) if decision.passage else None,
                    similarity=round(decision.score, 3) if decision.score is not None else None,
                    rule=rule_for("previous", decision.verdict),
                )
            )
    return rows


def _findings(
    collective_rows: list[CollectiveRow], previous_rows: list[PreviousRow], batch: _Reports, lang: str
) -> dict[str, list[Finding]]:
    found: dict[str, list[Finding]] = {}
    for row in collective_rows:
        if row.rule is None:  # no finding (an owned shortcoming): the report's result is not loaded for it
            continue
        year = batch.identities[row.shortcoming.file].year
        finding = collective_finding(row, batch.result(row.file), year, lang)
        if finding:
            found.setdefault(row.file, []).append(finding)
    for row in previous_rows:
        if row.rule is None:
            continue
        year = batch.identities[row.shortcoming.file].year
        finding = previous_finding(row, batch.result(row.file), year, lang)
        if finding:
            found.setdefault(row.file, []).append(finding)
    return found
