"""Per-organisation configuration: ``.kiemdiem.yaml``, validated, with where each value came from.

The file is found, in this order: the path given by ``--config`` (CLI, batch), the ``KIEMDIEM_CONFIG`` environment
variable (the server, or any command), or ``.kiemdiem.yaml`` in the current folder or one of its parents (as Vale
and ruff find theirs). Without a file the shipped defaults apply and the configuration is empty.

Keys (every other key is an error, never ignored):

- ``disable``: rule ids or whole categories to switch off;
- ``severity``: rule id → high | medium | low | info;
- ``lexicons``: per shipped lexicon, phrases to ``add`` (a plain list means add) and shipped phrases to ``remove``;
- ``thresholds``: the generic / evasive decision thresholds of the sentence classifier;
- ``bands``: the band cut-offs of ``nlp/data/scoring.yaml``;
- ``feedback``: where reviewers' decisions are stored (off unless set).

:func:`load_config` returns a :class:`Configuration`: the validated values, the file they came from, a content hash
recorded in every result (``config_hash``) and :meth:`Configuration.provenance`, which ``kiemdiem config`` prints.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from nlp.errors import ConfigError

if TYPE_CHECKING:
    from nlp.lexicon import Lexicons

FILE_NAME = ".kiemdiem.yaml"
ENV_VAR = "KIEMDIEM_CONFIG"
MAX_CONFIG_BYTES = 1_000_000
Severity = Literal["high", "medium", "low", "info"]


# -- the file's shape -----------------------------------------------------------------------------------------
class _Strict(BaseModel):
    # validators built when a file is first read: an analysis with the shipped defaults builds none (issue 12)
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class LexiconChange(_Strict):
    """Phrases added to one shipped lexicon, and shipped phrases removed from it."""

    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()

    @field_validator("add", "remove")
    @classmethod
    def _phrases(cls, phrases: tuple[str, ...]) -> tuple[str, ...]:
        from nlp.normalize import normalize

        cleaned = []
        for phrase in phrases:
            text = " ".join(normalize(phrase).split()).lower()
            if not text:
                raise ValueError("empty phrase")
            if len(text) > 200:
                raise ValueError("phrase longer than 200 characters")
            cleaned.append(text)
        return tuple(dict.fromkeys(cleaned))


class Thresholds(_Strict):
    """Decision thresholds of the sentence classifier (a sentence is flagged at or above)."""

    generic: float | None = Field(default=None, gt=0.0, lt=1.0)
    evasive: float | None = Field(default=None, gt=0.0, lt=1.0)


class Bands(_Strict):
    """Band cut-offs on the 0–100 scores (``nlp/data/scoring.yaml`` → ``bands``)."""

    adequate: float | None = Field(default=None, ge=0, le=100)
    strong: float | None = Field(default=None, ge=0, le=100)
    strong_min_candor: float | None = Field(default=None, ge=0, le=100)
    strong_min_specificity: float | None = Field(default=None, ge=0, le=100)


class Feedback(_Strict):
    """Where reviewers' confirm/dismiss decisions are kept (an SQLite file); off unless set."""

    store: Path


class ConfigFile(_Strict):
    """The content of ``.kiemdiem.yaml``."""

    disable: tuple[str, ...] = ()
    severity: dict[str, Severity] = Field(default_factory=dict)
    lexicons: dict[str, LexiconChange] = Field(default_factory=dict)
    thresholds: Thresholds = Thresholds.model_construct()
    bands: Bands = Bands.model_construct()
    feedback: Feedback | None = None

    @field_validator("lexicons", mode="before")
    @classmethod
    def _plain_list_means_add(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {name: {"add": change} if isinstance(change, list) else change for name, change in value.items()}
        return value

    @field_validator("feedback", mode="before")
    @classmethod
    def _path_means_store(cls, value: Any) -> Any:
        return {"store": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _known_names(self) -> ConfigFile:
        problems = unknown_names(self.model_dump())
        if problems:
            raise ValueError("; ".join(problems))
        return self


def unknown_names(raw: dict[str, Any]) -> list[str]:
    """Rule ids, categories and lexicon names the product does not have, removals of phrases it does not ship, and
    band cut-offs out of order — read leniently from the raw mapping, so they are reported with the type errors."""
    from nlp.catalog import rules
    from nlp.lexicon import load_yaml
    from nlp.normalize import normalize

    known_rules = rules()
    categories = {rule["category"] for rule in known_rules.values()}
    shipped = load_yaml("lexicons.yaml")
    disable = raw.get("disable") or []
    problems = [
        f"disable: «{name}» is neither a rule id nor a category"
        for name in (disable if isinstance(disable, list | tuple) else [])
        if isinstance(name, str) and name not in known_rules and name not in categories
    ]
    severity = raw.get("severity") or {}
    if isinstance(severity, dict):
        problems += [f"severity: unknown rule id «{name}»" for name in severity if name not in known_rules]
    lexicons = raw.get("lexicons") or {}
    for name, change in lexicons.items() if isinstance(lexicons, dict) else ():
        if name not in shipped:
            problems.append(f"lexicons: unknown lexicon «{name}» (known: {', '.join(sorted(shipped))})")
            continue
        removals = change.get("remove") or [] if isinstance(change, dict) else []
        present = {" ".join(str(p).split()).lower() for p in shipped[name] or []}
        for phrase in removals if isinstance(removals, list | tuple) else []:
            key = " ".join(normalize(str(phrase)).split()).lower()
            if key not in present:
                problems.append(f"lexicons.{name}.remove: «{phrase}» is not a shipped phrase")
    bands = raw.get("bands") or {}
    if isinstance(bands, dict):
        merged = {**_shipped_bands(), **{k: v for k, v in bands.items() if v is not None}}
        adequate, strong = merged.get("adequate"), merged.get("strong")
        if isinstance(adequate, int | float) and isinstance(strong, int | float) and adequate >= strong:
            problems.append(f"bands: adequate ({adequate}) must be below strong ({strong})")
    return problems


# -- the effective configuration ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Configuration:
    """A validated configuration and the file it came from (``None``: the shipped defaults)."""

    values: ConfigFile = field(default_factory=ConfigFile.model_construct)
    path: Path | None = None
    found_by: str = "default"  # default | option | environment | search

    DEFAULT_SOURCE: ClassVar[str] = "default"

    @property
    def is_default(self) -> bool:
        """True when nothing changes the shipped behaviour (feedback aside)."""
        if not self.values.model_fields_set - {"feedback"}:  # every value the shipped default: no hash needed
            return True
        return self.config_hash == _empty_hash()

    @property
    def config_hash(self) -> str:
        """sha256 (first 16 hex digits) of what changes an analysis: equal hashes, equal results."""
        return _hash(self.values)

    def is_disabled(self, rule_id: str, category: str) -> bool:
        """Whether findings of this rule (or of its whole category) are switched off."""
        return rule_id in self.values.disable or category in self.values.disable

    def category_disabled(self, category: str) -> bool:
        """Whether a whole category (generic, evasive, accountability…) is switched off."""
        return category in self.values.disable

    def lexicons(self) -> Lexicons | None:
        """The cue lexicons with this configuration's changes (compiled once per configuration), or None when the
        configuration changes no lexicon (the shipped automaton is used)."""
        if not self.values.lexicons:
            return None
        return _compiled_lexicons(self.config_hash, self.values)

    def severity_of(self, rule_id: str, shipped: str) -> str:
        """The severity a finding of ``rule_id`` gets: the configured one, else the shipped one."""
        return self.values.severity.get(rule_id, shipped)

    def lexicon_lists(self, shipped: dict[str, list[str]]) -> dict[str, list[str]]:
        """The shipped lexicon lists with this configuration's additions and removals."""
        lists = {name: list(phrases or []) for name, phrases in shipped.items()}
        for name, change in self.values.lexicons.items():
            removed = set(change.remove)
            kept = [p for p in lists[name] if " ".join(str(p).split()).lower() not in removed]
            lists[name] = kept + [p for p in change.add if p not in kept]
        return lists

    @property
    def feedback_store(self) -> Path | None:
        """The feedback store's path (relative paths are read from the configuration file's folder), or None."""
        if self.values.feedback is None:
            return None
        store = self.values.feedback.store.expanduser()
        if not store.is_absolute() and self.path is not None:
            store = self.path.parent / store
        return store

    def provenance(self) -> list[tuple[str, object, str]]:
        """(key, effective value, where it came from) for every setting, as ``kiemdiem config`` prints it."""
        source = str(self.path) if self.path else self.DEFAULT_SOURCE
        values = self.values
        rows: list[tuple[str, object, str]] = [
            ("disable", list(values.disable), source if values.disable else self.DEFAULT_SOURCE)
        ]
        rows += [(f"severity.{rule}", level, source) for rule, level in sorted(values.severity.items())]
        for name, change in sorted(values.lexicons.items()):
            rows.append((f"lexicons.{name}", {"add": list(change.add), "remove": list(change.remove)}, source))
        for group, defaults in (("thresholds", None), ("bands", _shipped_bands())):
            model = getattr(values, group)
            for key, value in model.model_dump().items():
                if value is not None:
                    rows.append((f"{group}.{key}", value, source))
                else:
                    shipped = defaults.get(key) if defaults else "model's own (models/<name>/)"
                    rows.append((f"{group}.{key}", shipped, self.DEFAULT_SOURCE))
        store = self.feedback_store
        rows.append(("feedback.store", str(store) if store else None, source if store else self.DEFAULT_SOURCE))
        return rows

    def describe(self) -> dict[str, object]:
        """What a result records about the configuration that produced it."""
        return {"hash": self.config_hash, "file": str(self.path) if self.path else None}


def _hash(values: ConfigFile) -> str:
    analysed = values.model_dump(mode="json", exclude={"feedback"})
    canonical = json.dumps(analysed, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


_COMPILED: dict[str, Lexicons] = {}


def _compiled_lexicons(config_hash: str, values: ConfigFile) -> Lexicons:
    """One compiled automaton per configuration (keyed by its hash; a few configurations per process at most)."""
    from nlp.lexicon import Lexicons, load_yaml

    if config_hash not in _COMPILED:
        if len(_COMPILED) >= 8:
            _COMPILED.clear()
        _COMPILED[config_hash] = Lexicons(Configuration(values=values).lexicon_lists(load_yaml("lexicons.yaml")))
    return _COMPILED[config_hash]


@cache
def _empty_hash() -> str:
    return _hash(ConfigFile.model_construct())


@cache
def _shipped_bands() -> dict[str, object]:
    from nlp.lexicon import load_yaml

    return dict(load_yaml("scoring.yaml")["bands"])


# -- finding and reading the file -----------------------------------------------------------------------------
def find_config_file(start: Path | None = None) -> Path | None:
    """``.kiemdiem.yaml`` in ``start`` (default: the current folder) or the nearest parent that has one."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / FILE_NAME
        if path.is_file():
            return path
    return None


def load_config(
    path: str | os.PathLike[str] | None = None, *, search: bool = True, environ: dict[str, str] | None = None
) -> Configuration:
    """The configuration named by ``path``, else by ``KIEMDIEM_CONFIG``, else found by searching upwards
    (``search=False``: the server, which reads only the environment). Raise :class:`ConfigError` when unusable."""
    env = os.environ if environ is None else environ
    if path is not None:
        return read_config(Path(path), found_by="option")
    if env.get(ENV_VAR):
        return read_config(Path(env[ENV_VAR]), found_by="environment")
    found = find_config_file() if search else None
    return read_config(found, found_by="search") if found else Configuration()


def read_config(path: Path, *, found_by: str = "option") -> Configuration:
    """Read and validate one configuration file."""
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise ConfigError(f"{path}: larger than {MAX_CONFIG_BYTES} bytes")
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except ConfigError:
        raise
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({type(exc).__name__})") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" line {where.line + 1}" if where is not None else ""
        raise ConfigError(f"{path}:{line} not valid YAML") from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: the file must hold a mapping of keys (disable, severity, lexicons…)")
    try:
        values = ConfigFile.model_validate(raw)
    except ValidationError as exc:
        problems = _describe(exc.errors())
        problems += [p for p in unknown_names(raw) if not any(p in known for known in problems)]
        raise ConfigError(f"{path}: " + "; ".join(problems)) from None
    return Configuration(values=values, path=path.resolve(), found_by=found_by)


def _describe(errors: Iterable[dict]) -> list[str]:
    problems = []
    for error in errors:
        where = ".".join(str(part) for part in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown key"
        problems.append(f"{where}: {message}" if where else message)
    return problems
