"""Find the inputs of a batch: walk folders and open .zip archives member by member (never extracting).

Every file found becomes exactly one :class:`InputItem`. Items that must not be read (system and temporary
files, hidden folders, archives over the limits) carry a ``skip`` reason and become rows of the error sheet,
so nothing disappears silently. Whether a readable file is a report is decided later from its content
(:func:`classify`).

Display paths are ``/``-separated, relative to the input, and sanitised (no leading ``/``, no ``..``);
they are only ever shown or used as database keys, never as a place to write.

Symbolic links never lead out of an input folder (see :mod:`nlp.batch.links`): a link whose resolved target
lies outside the folder, a link to a folder, a second way to reach a file already found, and a link stored in
a .zip are each one skipped row, never read.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from nlp.batch.config import rules
from nlp.batch.links import contains, is_zip_link, link_target
from nlp.errors import (
    ArchiveLimitError,
    CorruptFileError,
    EncryptedFileError,
    FileNotFoundInputError,
    InputError,
    InputTooLargeError,
    UnsupportedFormatError,
)
from nlp.ingest.sniff import sniff

DOCUMENT_EXTENSIONS = frozenset({".docx", ".docm", ".dotx", ".doc", ".pdf"})


@dataclass(frozen=True)
class InputItem:
    """One file of the batch (or one skipped folder), as found."""

    path: str  # display path, unique in the batch
    folders: tuple[str, ...]  # the unit's folders, outermost first (an archive's name counts as a folder)
    source: str  # the file on disk (a link's resolved target), or the archive holding the member
    member: str | None = None  # member name inside ``source`` when it is an archive
    size: int = 0
    skip: str | None = None  # reason code (batch_strings.yaml: reasons.<code>) when the item is not read
    error: InputError | None = field(default=None, compare=False)  # a refusal known before reading
    detail: str = ""
    identity: tuple[int, int] | None = field(default=None, compare=False)  # (st_dev, st_ino) found on disk

    @property
    def unit(self) -> str:
        """The unit's folder path (empty for files at the top of the input)."""
        return "/".join(self.folders)

    @property
    def name(self) -> str:
        """The file name."""
        return PurePosixPath(self.path).name


def discover(inputs: list[Path], exclude: list[Path] | None = None) -> Iterator[InputItem]:
    """Yield every item under ``inputs`` (folders, .zip files or single files), in a stable order."""
    excluded = [p.resolve() for p in exclude or [] if p.exists()]
    prefix_roots = len(inputs) > 1
    seen: set[str] = set()
    for root in inputs:
        root_prefix = (root.name,) if prefix_roots else ()
        for item in _discover_root(root, root_prefix, excluded):
            yield _unique(item, seen)


def _unique(item: InputItem, seen: set[str]) -> InputItem:
    """Make the display path unique (two archives may hold the same member name)."""
    path, n = item.path, 1
    while path in seen:
        n += 1
        path = f"{item.path} ({n})"
    seen.add(path)
    return item if path == item.path else InputItem(**{**item.__dict__, "path": path})


def _discover_root(root: Path, prefix: tuple[str, ...], excluded: list[Path]) -> Iterator[InputItem]:
    """The items of one input; an input named on the command line is used even when it is a link."""
    if root.is_dir():
        yield from _walk(root, prefix, excluded)
    elif root.suffix.lower() in rules()["inputs"]["archive_extensions"] and root.is_file():
        yield from _archive(root, (root.stem,) if prefix else (), root.name)
    else:
        yield _file_item(Path(os.path.realpath(root)), (), root.name)


def _skip_reason(name: str) -> str | None:
    """Why a file is not read: a system/temporary file or a hidden file."""
    settings = rules()["inputs"]
    lower = name.lower()
    if lower in settings["skip_names"]:
        return "system"
    if any(lower.startswith(p) for p in settings["skip_prefixes"]):
        return "temporary"
    if name.startswith("."):
        return "hidden"
    return None


def _dir_skip_reason(name: str) -> str | None:
    if name.lower() in rules()["inputs"]["skip_dirs"]:
        return "system_dir"
    if name.startswith("."):
        return "hidden_dir"
    return None


def _count_files(path: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(path))


def _walk(root: Path, prefix: tuple[str, ...], excluded: list[Path]) -> Iterator[InputItem]:
    """Depth-first, sorted walk. Links to folders are listed, never followed. A link to a file is read as
    that file only when its resolved target lies inside the input folder and the walk does not reach the
    file on its own (links are settled after the walk, so a file is never counted twice)."""
    real_root = os.path.realpath(root)
    real_files: dict[str, str] = {}  # resolved path of every file the walk reached → its display path
    links: list[tuple[str, tuple[str, ...], Path, str]] = []  # display, folders, the link, its target
    errors: list[OSError] = []
    for current, dirnames, filenames in os.walk(root, onerror=errors.append, followlinks=False):
        here = Path(current)
        rel = here.relative_to(root).parts
        real_here = os.path.join(real_root, *rel)  # the walk never enters a link: no part of rel is one
        folders = (*prefix, *rel)
        while errors:  # a folder that could not be listed
            failed = errors.pop(0)
            yield _folder_item(Path(failed.filename or current), root, prefix, "unreadable_dir")
        dirnames.sort()
        keep = []
        for name in dirnames:
            path = here / name
            reason = _dir_skip_reason(name)
            if reason is None and path.is_symlink():
                reason = "symlink_dir" if contains(real_root, link_target(path)) else "symlink_outside"
            if reason is None and any(_same(path, e) for e in excluded):
                reason = "output_dir"
            if reason is None:
                keep.append(name)
            else:
                count = 0 if reason in {"symlink_dir", "symlink_outside", "output_dir"} else _count_files(path)
                yield _folder_item(path, root, prefix, reason, count)
        dirnames[:] = keep
        for name in sorted(filenames):
            path = here / name
            display = "/".join((*folders, name))
            reason = _skip_reason(name)
            if reason is None and path.is_symlink():
                target = link_target(path)
                reason = _link_reason(real_root, target, excluded)
                if reason is None and target is not None:
                    links.append((display, folders, path, target))
                    continue
            if reason:
                yield InputItem(path=display, folders=folders, source=str(path), skip=reason)
                continue
            real_files[os.path.join(real_here, name)] = display
            yield from _file_or_archive(Path(real_here, name), folders, display)
    for display, folders, path, target in links:
        if target in real_files:  # the same file, already found on its own (or through an earlier link)
            yield InputItem(display, folders, str(path), skip="symlink_duplicate", detail=real_files[target])
            continue
        real_files[target] = display
        yield from _file_or_archive(Path(target), folders, display, name=path.name)


def _link_reason(real_root: str, target: str | None, excluded: list[Path]) -> str | None:
    """Why a link to a file is not read (None: read its target as the file itself)."""
    if target is None:
        return "symlink_loop"
    if not contains(real_root, target):
        return "symlink_outside"
    if any(contains(str(e), target) for e in excluded):
        return "output_dir"
    return None


def _file_or_archive(
    path: Path, folders: tuple[str, ...], display: str, name: str | None = None
) -> Iterator[InputItem]:
    """The item of a file (``path``: where it really is), or the items of a .zip's members."""
    if path.suffix.lower() in rules()["inputs"]["archive_extensions"] and path.is_file():
        yield from _archive(path, (*folders, Path(name or path.name).stem), display)
    else:
        yield _file_item(path, folders, display)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b
    except OSError:
        return False


def _folder_item(path: Path, root: Path, prefix: tuple[str, ...], reason: str, count: int = 0) -> InputItem:
    try:
        rel = path.relative_to(root).parts
    except ValueError:
        rel = (path.name,)
    folders = (*prefix, *rel)
    return InputItem(
        path="/".join(folders) + "/", folders=folders[:-1], source=str(path), skip=reason, detail=str(count)
    )


def _file_item(path: Path, folders: tuple[str, ...], display: str) -> InputItem:
    try:
        info = path.stat()
    except OSError:
        return InputItem(display, folders, str(path), error=FileNotFoundInputError("file cannot be read"))
    if not stat.S_ISREG(info.st_mode):
        return InputItem(display, folders, str(path), error=FileNotFoundInputError("not a regular file"))
    return InputItem(display, folders, str(path), size=info.st_size, identity=_identity(info))


# ---------------------------------------------------------------------------------------------- archives


def safe_member_parts(name: str) -> tuple[str, ...]:
    """The member name as path parts, with drive letters, ``.``, ``..`` and empty parts removed."""
    parts = name.replace("\\", "/").split("/")
    if parts and len(parts[0]) == 2 and parts[0][1] == ":":
        parts = parts[1:]
    return tuple(p for p in parts if p not in {"", ".", ".."})


def _archive(path: Path, folders: tuple[str, ...], display: str) -> Iterator[InputItem]:
    """One item per member of a .zip, checked against the archive limits; the archive is never extracted."""
    limits = rules()["archives"]
    base = display
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (OSError, zipfile.BadZipFile, NotImplementedError, ValueError, EOFError):
        yield InputItem(base, folders[:-1], str(path), error=CorruptFileError("ZIP archive cannot be read"))
        return
    files = [info for info in infos if not info.is_dir()]
    if len(files) > limits["max_members"]:
        yield InputItem(
            base, folders[:-1], str(path), error=ArchiveLimitError(f"{len(files)} members > {limits['max_members']}")
        )
        return
    declared = sum(info.file_size for info in files)
    if declared > limits["max_total_bytes"]:
        yield InputItem(
            base,
            folders[:-1],
            str(path),
            error=ArchiveLimitError(f"declared uncompressed size {declared} > {limits['max_total_bytes']}"),
        )
        return
    for info in files:
        parts = safe_member_parts(info.filename)
        if not parts:
            continue
        member_folders = (*folders, *parts[:-1])
        shown = "/".join((base, *parts))
        in_dir = next((_dir_skip_reason(d) for d in parts[:-1] if _dir_skip_reason(d)), None)
        reason = {"system_dir": "system", "hidden_dir": "hidden"}.get(in_dir or "") or _skip_reason(parts[-1])
        if reason is None and is_zip_link(info):
            reason = "symlink_member"  # a link stored in the archive: never resolved against the disk
        if reason:
            yield InputItem(shown, member_folders, str(path), info.filename, info.file_size, skip=reason)
        elif PurePosixPath(parts[-1]).suffix.lower() in limits_archive_extensions():
            yield InputItem(shown, member_folders, str(path), info.filename, info.file_size, skip="nested_archive")
        else:
            yield InputItem(
                shown, member_folders, str(path), info.filename, info.file_size, error=_member_refusal(info)
            )


def limits_archive_extensions() -> list[str]:
    """Extensions of archives that are opened (nested archives are listed, not opened)."""
    return rules()["inputs"]["archive_extensions"]


def _member_refusal(info: zipfile.ZipInfo) -> InputError | None:
    limits = rules()["archives"]
    if info.flag_bits & 0x1:
        return EncryptedFileError("encrypted ZIP member")
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > limits["ratio_floor_bytes"] and ratio > limits["max_ratio"]:
        return ArchiveLimitError(f"member compression ratio {ratio:.0f} > {limits['max_ratio']}")
    return None


class Reader:
    """Reads the bytes of items, keeping each archive open while its members are read."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._archives: dict[str, zipfile.ZipFile] = {}

    def read(self, item: InputItem) -> bytes:
        """The item's bytes (at most ``max_bytes``); raise :class:`InputError` when they cannot be had."""
        if item.error is not None:
            raise item.error
        if item.member is None:
            return self._read_file(item)
        return self._read_member(item)

    def _read_file(self, item: InputItem) -> bytes:
        if item.size > self.max_bytes:
            raise InputTooLargeError(f"{item.size} bytes > {self.max_bytes}")
        try:
            with open(item.source, "rb", opener=_open_no_follow) as handle:
                if item.identity is not None and _identity(os.fstat(handle.fileno())) != item.identity:
                    raise FileNotFoundInputError("file changed while the batch ran")
                data = handle.read(self.max_bytes + 1)
        except OSError:
            raise FileNotFoundInputError("file cannot be read") from None
        if len(data) > self.max_bytes:
            raise InputTooLargeError(f"more than {self.max_bytes} bytes")
        return data

    def _read_member(self, item: InputItem) -> bytes:
        if item.size > self.max_bytes:
            raise InputTooLargeError(f"{item.size} bytes > {self.max_bytes}")
        try:
            archive = self._archives.get(item.source)
            if archive is None:
                self.close()  # members come archive by archive: keep one open
                archive = self._archives[item.source] = zipfile.ZipFile(item.source)
            with archive.open(item.member or "") as handle:  # zipfile never inflates past the declared size
                data = handle.read(self.max_bytes + 1)
        except RuntimeError:  # zipfile: "File is encrypted, password required"
            raise EncryptedFileError("encrypted ZIP member") from None
        except NotImplementedError:
            raise CorruptFileError("unsupported ZIP compression method") from None
        except (OSError, zipfile.BadZipFile, EOFError, ValueError, KeyError):
            raise CorruptFileError("ZIP member cannot be read (damaged or checksum mismatch)") from None
        except Exception:  # zlib.error and friends: damaged member data
            raise CorruptFileError("ZIP member data is damaged") from None
        if len(data) > self.max_bytes:
            raise InputTooLargeError(f"more than {self.max_bytes} bytes")
        return data

    def close(self) -> None:
        """Close the open archives."""
        for archive in self._archives.values():
            archive.close()
        self._archives.clear()


def _open_no_follow(path: str, flags: int) -> int:
    """Open without following a link in the last component (a file swapped for a link after the walk) and
    without blocking (a file swapped for a FIFO); the identity check catches a swapped folder."""
    return os.open(path, flags | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))


def _identity(info: os.stat_result) -> tuple[int, int]:
    return info.st_dev, info.st_ino


# ---------------------------------------------------------------------------------------------- content


def classify(name: str, data: bytes) -> None:
    """Raise :class:`UnsupportedFormatError` unless the content is a report format we read.

    PDF and Word content (a ZIP package with ``word/`` parts, an OLE2 file) is an input whatever the name;
    so is any file named like a document (.docx, .pdf, .doc…: ingest explains what is wrong with it).
    Plain text is an input only with a text extension (``batch_rules.yaml``: inputs.text_extensions).
    """
    extension = PurePosixPath(name).suffix.lower()
    if extension in DOCUMENT_EXTENSIONS:
        return
    kind = sniff(data)
    if kind in {"pdf", "ole"}:
        return
    if kind == "zip":
        if _is_word_package(data):
            return
        raise UnsupportedFormatError("ZIP package that is not a Word document")
    if kind.startswith("binary:"):
        raise UnsupportedFormatError(f"{kind.removeprefix('binary:')} data")
    if extension not in rules()["inputs"]["text_extensions"]:
        raise UnsupportedFormatError(f"text file with extension {extension or '(none)'}")


def _is_word_package(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(n.startswith("word/") for n in archive.namelist())
    except Exception:  # a damaged package: let ingest say what is wrong
        return True
