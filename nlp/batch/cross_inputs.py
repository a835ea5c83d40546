"""What the cross-report checks read from each report, prepared by the batch worker beside the analysis.

A worker of a batch with the checks on prepares, for each report it analyses, the writer's identity
(:func:`nlp.cross.identity.identify`, its path-dependent fields left out) on a first line and the report's passages
(:func:`nlp.cross.passages.passages`: text, section, lexicon hits, anchors) on a second, each as compact JSON; the
driver keeps them in the batch store beside the analysis (:meth:`nlp.batch.store.Store.put_prepared`: one row, not
one more file a report). The checks read these instead of validating every plain analysis and building them again:
the identity of every report, the passages of a report only when they first read its sentences (a member without a
post often never is), and a report's full result only when it gets findings. The prepared inputs record a
fingerprint of the code and data that build them (:func:`fingerprint`): ones prepared by another version, or missing
(a store of an earlier version, a run with the checks off), are not read, and the checks build what they need from
the analysis as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from functools import cache, partial
from pathlib import Path

from pydantic_core import from_json, to_json

from nlp.cross.identity import _path_year, identify, unit_folder
from nlp.cross.passages import Passage, from_row, passage_row, passages
from nlp.cross.records import Identity
from nlp.cross.responsibility import SHORTCOMING_PARTS
from nlp.doc import Unit
from nlp.schema import AnalysisResult

_PATH_FIELDS = {"file", "folder"}  # the identity's fields that the report's path gives (and its year, when unsaid)
_SOURCES = ("cross", "data")  # packages of nlp/ whose every file goes into the fingerprint
# the modules of nlp/ they use, and this one, which writes the file's format
_MODULES = (
    "features.py",
    "form.py",
    "layout.py",
    "lexicon.py",
    "normalize.py",
    "doc.py",
    "schema.py",
    "batch/cross_inputs.py",
)


@cache
def fingerprint() -> str:
    """A hash of the code and data that build identities and passages (nlp/cross, nlp/data and the modules they
    use) and of this module, which writes them: prepared inputs with another fingerprint are stale."""
    root = Path(__file__).resolve().parent.parent
    files = sorted(
        [*(p for package in _SOURCES for p in (root / package).rglob("*") if p.suffix in {".py", ".yaml"})]
        + [root / name for name in _MODULES]
    )
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def prepare(result: AnalysisResult, units: Sequence[Unit] | None = None, earlier: bool = False) -> bytes:
    """The prepared inputs of one analysed report (what :func:`read` reads back)."""
    return prepared(result, units, earlier)[0]


def prepared(
    result: AnalysisResult, units: Sequence[Unit] | None = None, earlier: bool = False
) -> tuple[bytes, Identity]:
    """The prepared inputs of one analysed report, and the writer's identity they hold (its path fields empty);
    ``units``: the analysis's own units, annotated with the shipped lexicons, when at hand (their lexicon hits and
    anchors are taken instead of searched again: :func:`nlp.cross.passages.passages`; the same bytes); ``earlier``:
    last year's report in this year's batch (:func:`earlier_years`), of which the checks read only the parts
    :data:`nlp.cross.responsibility.SHORTCOMING_PARTS`: only those passages are prepared, and the head says
    so (a reader that needs the others builds them from the analysis)."""
    identity = identify("", result)
    head = {"version": fingerprint(), "identity": identity.model_dump(mode="json", exclude=_PATH_FIELDS)}
    sections = sorted(SHORTCOMING_PARTS) if earlier else None
    if sections is not None:
        head["sections"] = sections
    rows = [passage_row(item) for item in passages("", result, units, sections)]
    # compact UTF-8 JSON, as json.dumps writes it (in a quarter of the time): a JSON text holds no raw line break
    return to_json(head) + b"\n" + to_json(rows), identity


def page_after_checks(identity: Identity) -> bool:
    """True when the report's page is better rendered once, by the checks, than by the worker and again by the
    checks: a writer with a post, whom the collective check may give findings (more than half of them get some; a
    member without a post, or a collective report, gets findings only from last year's check, seldom). The checks
    render every page the worker left out, with the findings or without (:mod:`nlp.batch.cross_reports`)."""
    return bool(identity.posts or identity.head)


def earlier_years(paths: Iterable[str]) -> set[str]:
    """The paths under a year folder of a unit folder that also has a later one ("xa/2024/a.txt" beside "xa/2025/…"):
    last year's reports in this year's batch, which the checks never give findings, so their pages are rendered by
    the workers, not left to the checks (which would load their analyses again only to render them)."""
    found: dict[str, tuple[str, int]] = {}
    latest: dict[str, int] = {}
    for path in paths:
        year = _path_year(path)
        if year is not None:
            folder = unit_folder(path)
            found[path] = (folder, year)
            latest[folder] = max(latest.get(folder, year), year)
    return {path for path, (folder, year) in found.items() if year < latest[folder]}


def read(data: bytes, report: str) -> tuple[Identity, Callable[[], list[Passage] | None], frozenset[str] | None] | None:
    """The identity kept in ``data`` (as :func:`prepare` gave it) for the report the batch calls ``report``, a reader
    of its passages (None where they cannot be read back: the caller builds them from the analysis) and the parts
    they are limited to (None: all of them); None when ``data`` is unreadable or of another fingerprint."""
    try:
        head, _, rows = data.partition(b"\n")
        stamped = from_json(head)
    except ValueError:
        return None
    if not isinstance(stamped, dict) or stamped.get("version") != fingerprint() or not rows:
        return None
    fields = stamped.get("identity")
    if not isinstance(fields, dict):
        return None
    year = fields.get("year") or _path_year(report)  # identify(): the header's year, else a year folder's
    try:
        identity = Identity.model_validate({**fields, "file": report, "folder": unit_folder(report), "year": year})
    except ValueError:  # an altered row: built from the analysis instead
        return None
    sections = stamped.get("sections")
    if sections is not None and not (isinstance(sections, list) and all(isinstance(x, str) for x in sections)):
        return None
    return identity, partial(_passages, rows, report), frozenset(sections) if sections is not None else None


def _passages(rows: bytes, report: str) -> list[Passage] | None:
    try:
        return [from_row(row, report) for row in from_json(rows)]
    except (ValueError, TypeError):  # cut short or altered after its first line
        return None
