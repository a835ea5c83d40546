"""Write the research notebooks (run once after editing; the .ipynb files are committed without outputs).

python notebooks/make_notebooks.py
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

SETUP = """import json, sys
from collections import Counter
from pathlib import Path
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
ROOT = Path.cwd() if (Path.cwd() / "corpus").exists() else Path.cwd().parent
sys.path.insert(0, str(ROOT))
records = [json.loads(l) for l in (ROOT / "corpus/data/reports.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
print(len(records), "reports")"""

OVERVIEW = [
    new_markdown_cell(
        "# The kiemdiem corpus: an overview\n\n"
        "Forms, bands, label rates, sentence lengths and differences between kinds of unit, computed from "
        "`corpus/data/reports.jsonl`. Runs offline; the plots use matplotlib."
    ),
    new_code_cell(SETUP),
    new_markdown_cell("## Forms, regimes and quality bands"),
    new_code_cell(
        """forms = Counter((r["guidance"], r["form"], r["role"]) for r in records)
for key, n in sorted(forms.items()):
    print(*key, n)
bands = Counter(r["band"] for r in records)
print(bands)
fig, ax = plt.subplots(figsize=(5, 3))
ax.bar(list(bands), [bands[b] for b in bands], color=["#c0392b", "#f39c12", "#27ae60"][: len(bands)])
ax.set_title("Reports per band")
plt.show()"""
    ),
    new_markdown_cell("## Label rates per section"),
    new_code_cell(
        """units = [(r, u) for r in records for u in r["units"] if not u["structural"]]
print(len(units), "content units")
by_section = {}
for r, u in units:
    row = by_section.setdefault(u["section"], Counter())
    row["n"] += 1; row["generic"] += u["generic"]; row["evasive"] += u["evasive"]
for section, row in sorted(by_section.items(), key=lambda kv: -kv[1]["n"]):
    print(f"{section:<28}{row['n']:>6}  generic {row['generic']/row['n']:.2f}  evasive {row['evasive']/row['n']:.2f}")
kinds = Counter(k for _, u in units for k in u["evasion_kinds"])
print(kinds.most_common())"""
    ),
    new_markdown_cell("## Sentence lengths"),
    new_code_cell(
        """lengths = {"generic": [], "evasive": [], "neither": []}
for r, u in units:
    n = len(r["text"][u["start"]:u["end"]].split())
    key = "generic" if u["generic"] else "evasive" if u["evasive"] else "neither"
    lengths[key].append(n)
fig, ax = plt.subplots(figsize=(6, 3))
ax.hist([lengths[k] for k in lengths], bins=30, label=list(lengths), stacked=True)
ax.set_xlabel("syllables per unit"); ax.legend(); plt.show()
for k, v in lengths.items():
    print(k, len(v), "median", sorted(v)[len(v)//2] if v else None)"""
    ),
    new_markdown_cell("## Differences between kinds of unit"),
    new_code_cell(
        """per_kind = {}
for r in records:
    content = [u for u in r["units"] if not u["structural"]]
    if not content:
        continue
    row = per_kind.setdefault(r["unit_kind"], [])
    row.append(sum(u["generic"] for u in content) / len(content))
for kind, values in sorted(per_kind.items(), key=lambda kv: -len(kv[1])):
    print(f"{kind:<16}{len(values):>4} reports, generic share {sum(values)/len(values):.2f}")
fig, ax = plt.subplots(figsize=(7, 3))
ax.boxplot(list(per_kind.values()), tick_labels=list(per_kind))
ax.tick_params(axis="x", rotation=60); ax.set_ylabel("share of generic units"); plt.show()"""
    ),
]

ERRORS = [
    new_markdown_cell(
        "# Error analysis of the default sentence classifier\n\n"
        "Runs kiemdiem's default pipeline on the **dev** split (choices may be made here; the frozen test split is "
        "only evaluated, in `docs/EVALUATION.md`) and looks at what it gets wrong."
    ),
    new_code_cell(SETUP),
    new_code_cell(
        """from nlp.model import default_model_name, load_classifier
from nlp.model.corpus import reports_in
from nlp.evaluate import analyse_records, evaluate, format_report
name = default_model_name()
dev = reports_in("dev")
evaluation = evaluate(dev, analyse_records(dev, load_classifier(name)))
print(format_report(evaluation.summary(), f"dev, {name}"))"""
    ),
    new_markdown_cell("## Where the errors are"),
    new_code_cell(
        """errors = evaluation.errors
print(len(errors), "misclassified units")
print(Counter(e["section"] for e in errors).most_common())
print(Counter(w for e in errors for w in e["wrong"]))
missed = [e for e in errors if "evasive" in e["wrong"] and "evasive" not in e["predicted"]]
print(Counter(k for e in missed for k in e["gold"] if k.startswith("E:")).most_common())"""
    ),
    new_markdown_cell("## Examples: false negatives and false positives"),
    new_code_cell(
        """def show(rows, n=8):
    for e in rows[:n]:
        print(f"[{e['section']}] gold={e['gold']} predicted={e['predicted']} g={e['generic']} e={e['evasive']}")
        print("   ", e["text"][:160])
print("Missed evasive:"); show(missed)
false_generic = [e for e in errors if "generic" in e["wrong"] and "generic" in e["predicted"]]
print("\\nFlagged generic but gold says specific:"); show(false_generic)"""
    ),
    new_markdown_cell("## Calibration"),
    new_code_cell(
        """import numpy as np
points = evaluation.calibration["generic"]
probs = np.array([p for p, _ in points]); gold = np.array([g for _, g in points])
bins = np.linspace(0, 1, 11); centers, freq = [], []
for lo, hi in zip(bins[:-1], bins[1:]):
    mask = (probs >= lo) & (probs < hi)
    if mask.sum():
        centers.append(probs[mask].mean()); freq.append(gold[mask].mean())
fig, ax = plt.subplots(figsize=(4, 4))
ax.plot([0, 1], [0, 1], "--", color="grey"); ax.plot(centers, freq, "o-")
ax.set_xlabel("predicted P(generic)"); ax.set_ylabel("observed frequency"); plt.show()
print("ECE", evaluation.summary()["calibration_error"])"""
    ),
]


def main() -> None:
    for name, cells in (("01-corpus-overview.ipynb", OVERVIEW), ("02-error-analysis.ipynb", ERRORS)):
        notebook = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})
        nbformat.write(notebook, HERE / name)
        print("wrote", name)


if __name__ == "__main__":
    main()
