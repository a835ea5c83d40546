"""The shipped data files (rules, lexicons, structure… as YAML) and a cache of their parsed form.

:func:`load_data` parses a YAML file of a package (``nlp/data`` by default) once per content: the parsed value is
kept in memory and on disk as ``marshal`` bytes named by the sha256 of the YAML source (under
``$XDG_CACHE_HOME/kiemdiem/data``, else ``~/.cache/kiemdiem/data``; ``KIEMDIEM_CACHE_DIR`` overrides, and
``KIEMDIEM_CACHE_DIR=""`` turns the disk cache off). A cold process then neither imports nor runs the YAML parser;
an edited file has a new hash and is parsed again. Every call returns a fresh copy, so callers may change it. A
cache folder that cannot be written, or a cache file that is damaged, is ignored: the YAML is parsed as before.
The regular expressions built from these files are cached in the same folder by :mod:`nlp.data.patterns`.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import threading
from importlib import resources
from pathlib import Path
from typing import Any

_KEY_SALT = f"yaml-marshal-1/{marshal.version}/{sys.version_info[0]}.{sys.version_info[1]}".encode()
_DIGEST_SIZE = 32
_memory: dict[str, bytes | None] = {}  # source hash → marshal bytes (None: not marshallable, parse each time)


def cache_dir() -> Path | None:
    """Where parsed data files are kept between processes (None: no disk cache)."""
    chosen = os.environ.get("KIEMDIEM_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) / "data" if chosen.strip() else None
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kiemdiem" / "data"


def parse_yaml(source: bytes) -> Any:
    """YAML ``safe_load`` of ``source``, with libyaml's C parser when the installed PyYAML has it."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(source, Loader=loader)  # a safe loader


def load_data(name: str, package: str = __name__) -> Any:
    """The parsed content of the YAML file ``name`` shipped in ``package`` (a fresh copy each call)."""
    source = resources.files(package).joinpath(name).read_bytes()
    key = hashlib.sha256(_KEY_SALT + source).hexdigest()
    if key not in _memory:
        _memory[key] = _read_cache(key)
        if _memory[key] is None:
            value = parse_yaml(source)
            _memory[key] = _marshalled(value)
            if _memory[key] is None:
                return value
            _write_cache(key, _memory[key])
    blob = _memory[key]
    return marshal.loads(blob) if blob is not None else parse_yaml(source)


def _marshalled(value: Any) -> bytes | None:
    try:
        return marshal.dumps(value)
    except ValueError:  # e.g. a date: not marshallable, parsed each time instead
        return None


def _read_cache(key: str) -> bytes | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        stored = (folder / f"{key}.marshal").read_bytes()
    except OSError:
        return None
    digest, blob = stored[:_DIGEST_SIZE], stored[_DIGEST_SIZE:]
    if hashlib.sha256(blob).digest() != digest:
        return None  # damaged or foreign: parse again (and rewrite)
    return blob


def _write_cache(key: str, blob: bytes) -> None:
    folder = cache_dir()
    if folder is None:
        return
    target = folder / f"{key}.marshal"
    temporary = folder / f".{key}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary.write_bytes(hashlib.sha256(blob).digest() + blob)
        os.replace(temporary, target)  # readers see the whole file or none
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
