"""Corpus records in the shapes annotation tools import: (start, end, label) spans, doccano items, Label Studio
tasks and its labelling interface. Used by the corpus converter (``corpus/scripts/convert.py``) and by the export of
reviewers' feedback (:mod:`nlp.feedback.export`), so both write the same shapes.

Labels: ``generic``, ``evasive:<kind>`` (one span per kind; plain ``evasive`` when no kind is known),
``responsibility``, and ``section:<id>`` over each gold section. Offsets index the record's NFC text.
"""

from __future__ import annotations

from nlp.catalog import evasion_kinds

_LABEL_CONFIG = """<View>
  <Labels name="label" toName="text">
    <Label value="generic" background="#f2c94c"/>
{kinds}
    <Label value="responsibility" background="#9b51e0"/>
  </Labels>
  <Text name="text" value="$text"/>
</View>
"""


def unit_spans(record: dict, with_sections: bool = True) -> list[tuple[int, int, str]]:
    """The record's labels as (start, end, label) spans."""
    spans = []
    for unit in record["units"]:
        if unit["generic"]:
            spans.append((unit["start"], unit["end"], "generic"))
        spans.extend((unit["start"], unit["end"], f"evasive:{kind}") for kind in unit["evasion_kinds"])
        if unit["evasive"] and not unit["evasion_kinds"]:
            spans.append((unit["start"], unit["end"], "evasive"))
        if unit["responsibility"]:
            spans.append((unit["start"], unit["end"], "responsibility"))
    if with_sections:
        spans.extend((s["start"], s["end"], f"section:{s['id']}") for s in record["sections"])
    return spans


def doccano_items(records: list[dict]) -> list[dict]:
    """doccano sequence-labelling items: ``{"id", "text", "label": [[start, end, label]], "form", "band"}``."""
    return [
        {
            "id": r["id"],
            "text": r["text"],
            "label": [list(span) for span in unit_spans(r)],
            "form": r["form"],
            "band": r["band"],
        }
        for r in records
    ]


def label_studio_tasks(records: list[dict]) -> list[dict]:
    """Label Studio tasks with the records' labels as pre-annotations (``predictions``), to check or refine."""
    tasks = []
    for record in records:
        results = [
            {
                "id": f"{record['id']}-{i}",
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
                "value": {"start": s, "end": e, "text": record["text"][s:e], "labels": [label]},
            }
            for i, (s, e, label) in enumerate(unit_spans(record, with_sections=False))
        ]
        tasks.append(
            {"data": {"text": record["text"], "report_id": record["id"]}, "predictions": [{"result": results}]}
        )
    return tasks


def label_studio_config(plain_evasive: bool = False) -> str:
    """The Label Studio labelling interface: the corpus's labels (and ``evasive`` without a kind, for feedback)."""
    kinds = [f'    <Label value="evasive:{k}" background="#eb5757"/>' for k in evasion_kinds()]
    if plain_evasive:
        kinds.append('    <Label value="evasive" background="#eb5757"/>')
    return _LABEL_CONFIG.format(kinds="\n".join(kinds))
