"""Regular expressions of the data files, compiled once per content and Python version, not once per process.

``re.compile`` parses a pattern and turns it into the program that the C matcher (``_sre``) runs, both steps in
Python: about 45 ms for the patterns of a first analysis (long alternations of cues), on every start of the CLI.
The program is a function of the pattern, its flags and the Python version alone. :func:`compile` keeps it (the
opcodes, flags and group names) in one ``marshal`` file beside the parsed data files (:func:`nlp.data.cache_dir`),
named by the Python version and ``_sre``'s magic number, and gives it back to ``_sre`` in a new process: the same
pattern object, without the parser. The file is written when the process ends, if it learnt a pattern; a file that
is damaged, foreign or unreadable is ignored and each pattern compiled as ``re.compile`` does. Any problem with the
interpreter's internals falls back to ``re.compile``.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import marshal
import os
import re
import sys
import threading

from nlp.data import cache_dir

try:  # CPython's regular expression internals (3.11+); elsewhere every pattern goes through re.compile
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another interpreter
    _sre = None

_MAX_ENTRIES = 2_000  # a cache grown past this (data files edited many times) starts again; ~100 in use
_Program = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
_lock = threading.Lock()
_programs: dict[tuple[str, int], _Program] | None = None
_learnt = False


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)`` for a ``str`` pattern, its program read from the cache when it is there."""
    if _sre is None or cache_dir() is None:
        return re.compile(pattern, flags)
    flags = int(flags)  # a RegexFlag is an int that marshal cannot store
    programs = _loaded()
    program = programs.get((pattern, flags))
    if program is not None:
        with contextlib.suppress(Exception):  # _sre checks the program; a bad one is compiled again
            return _sre.compile(pattern, *program)
    try:
        program = _program(pattern, flags)
        compiled = _sre.compile(pattern, *program)
    except re.error:
        raise
    except Exception:  # internals not as expected: the public way
        return re.compile(pattern, flags)
    _learn((pattern, flags), program)
    return compiled


def _program(pattern: str, flags: int) -> _Program:
    """What ``re._compiler.compile`` hands to ``_sre.compile`` after the pattern itself."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    opcodes = [int(op) for op in code]  # named constants among them: plain ints, as _sre reads them
    return int(flags | parsed.state.flags), opcodes, parsed.state.groups - 1, groupindex, tuple(indexgroup)


def _file_name() -> str:
    return f"patterns-{sys.implementation.cache_tag}-{_sre.MAGIC}-{_sre.CODESIZE}.marshal"


def _loaded() -> dict[tuple[str, int], _Program]:
    global _programs
    if _programs is None:
        with _lock:
            if _programs is None:
                _programs = _read()
    return _programs


def _read() -> dict[tuple[str, int], _Program]:
    folder = cache_dir()
    try:
        stored = (folder / _file_name()).read_bytes()
    except (OSError, TypeError):
        return {}
    digest, blob = stored[:32], stored[32:]
    if hashlib.sha256(blob).digest() != digest:
        return {}
    try:
        programs = marshal.loads(blob)
    except (ValueError, EOFError, TypeError):
        return {}
    return programs if isinstance(programs, dict) else {}


def _learn(key: tuple[str, int], program: _Program) -> None:
    global _learnt
    with _lock:
        programs = _loaded()
        if len(programs) >= _MAX_ENTRIES:
            programs.clear()
        programs[key] = program
        if not _learnt:
            _learnt = True
            atexit.register(_write)


def _write() -> None:
    """Store the programs (called at exit when new ones were learnt); readers see the whole file or none."""
    folder = cache_dir()
    if folder is None or _programs is None:
        return
    with _lock:
        try:
            blob = marshal.dumps(_programs)
        except ValueError:
            return
    target = folder / _file_name()
    temporary = folder / f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary.write_bytes(hashlib.sha256(blob).digest() + blob)
        os.replace(temporary, target)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
