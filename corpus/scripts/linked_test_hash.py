"""The frozen test part of corpus/linked/: one sha256 over every file of the test sets (path and bytes).

``python corpus/scripts/linked_test_hash.py`` prints it; ``--write`` stores it in corpus/linked/test.sha256, which
tests/test_linked_data.py compares, so a test set cannot change unnoticed.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import yaml

LINKED = Path(__file__).resolve().parent.parent / "linked"
LOCK = LINKED / "test.sha256"


def test_sets(root: Path = LINKED) -> list[Path]:
    """The set folders whose set.yaml says ``split: test``."""
    sets = []
    for set_yaml in sorted(root.glob("L*/set.yaml")):
        if yaml.safe_load(set_yaml.read_text(encoding="utf-8")).get("split") == "test":
            sets.append(set_yaml.parent)
    return sets


def test_hash(root: Path = LINKED) -> str:
    """sha256 over the relative path and bytes of every file in the test sets, in a fixed order."""
    digest = hashlib.sha256()
    for set_dir in test_sets(root):
        for path in sorted(p for p in set_dir.rglob("*") if p.is_file()):
            digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


if __name__ == "__main__":
    value = test_hash()
    if "--write" in sys.argv[1:]:
        LOCK.write_text(value + "\n", encoding="utf-8")
    print(value)
