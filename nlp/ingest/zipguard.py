"""Zip-bomb guard: check a ZIP package against :class:`~nlp.ingest.IngestLimits` before anything parses it.

Declared facts are checked first (member count from the end record, then total declared size and the
worst compression ratio); then every member is inflated here, with a hard cap at its declared size and
at the total budget, so a header that lies cannot make us inflate more than the limits allow. Parsers
only ever see the validated in-memory copies.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

from nlp.errors import ArchiveLimitError, CorruptFileError, EncryptedFileError
from nlp.ingest import IngestLimits

_EOCD = b"PK\x05\x06"
_EOCD_SEARCH = 65_536 + 22
_LOCAL_HEADER = b"PK\x03\x04"
_RATIO_FLOOR = 256 * 1024  # ratios of small members say nothing about bombs


@dataclass(frozen=True)
class Archive:
    """An opened ZIP whose declared sizes passed the limits."""

    data: bytes
    infos: tuple[zipfile.ZipInfo, ...]

    @property
    def names(self) -> set[str]:
        """Member names."""
        return {info.filename for info in self.infos}


def open_archive(data: bytes, limits: IngestLimits) -> Archive:
    """Open ``data`` as a ZIP and check its declared member count, total size and ratios."""
    _check_end_record(data, limits)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = tuple(zf.infolist())
    except Exception:  # BadZipFile, NotImplementedError (unknown version), struct.error, OSError, ...
        raise CorruptFileError("ZIP container cannot be read") from None
    if len(infos) > limits.max_zip_members:
        raise ArchiveLimitError(f"{len(infos)} members > {limits.max_zip_members}")
    if len({info.filename for info in infos}) != len(infos):
        raise CorruptFileError("ZIP container has duplicate member names")
    declared = sum(info.file_size for info in infos)
    if declared > limits.max_unzipped_bytes:
        raise ArchiveLimitError(f"declared uncompressed size {declared} bytes > {limits.max_unzipped_bytes}")
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR and ratio > limits.max_zip_ratio:
            raise ArchiveLimitError(f"member compression ratio {ratio:.0f} > {limits.max_zip_ratio:.0f}")
    return Archive(data, infos)


def read_members(archive: Archive, limits: IngestLimits) -> dict[str, bytes]:
    """Inflate every member with bounded reads; raise if one inflates beyond its declared size."""
    members: dict[str, bytes] = {}
    budget = limits.max_unzipped_bytes
    for info in archive.infos:
        if info.is_dir():
            continue
        content = _read_member(archive.data, info, budget)
        budget -= len(content)
        members[info.filename] = content
    return members


def _check_end_record(data: bytes, limits: IngestLimits) -> None:
    """Refuse a huge member count from the end record, before zipfile builds one object per member."""
    position = data.rfind(_EOCD, max(0, len(data) - _EOCD_SEARCH))
    if position < 0 or position + 22 > len(data):
        return  # zipfile will report the damage
    (total,) = struct.unpack_from("<H", data, position + 10)
    if total != 0xFFFF and total > limits.max_zip_members:
        raise ArchiveLimitError(f"{total} members > {limits.max_zip_members}")


def _read_member(data: bytes, info: zipfile.ZipInfo, budget: int) -> bytes:
    """The member's bytes, inflated here with a cap at its declared size and the remaining budget."""
    if info.flag_bits & 0x1:
        raise EncryptedFileError("encrypted ZIP member")
    raw = _raw_member(data, info)
    if info.compress_type == zipfile.ZIP_STORED:
        if len(raw) != info.file_size:
            raise CorruptFileError("stored ZIP member size mismatch")
        content = bytes(raw)
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        content = _inflate(raw, info.file_size, budget)
    else:
        raise CorruptFileError(f"unsupported ZIP compression method {info.compress_type}")
    if zlib.crc32(content) != info.CRC:
        raise CorruptFileError("ZIP member checksum mismatch")
    return content


def _raw_member(data: bytes, info: zipfile.ZipInfo) -> memoryview:
    """The compressed bytes of ``info``, located through its local header."""
    offset = info.header_offset
    if data[offset : offset + 4] != _LOCAL_HEADER:
        raise CorruptFileError("ZIP local header missing")
    name_len, extra_len = struct.unpack_from("<HH", data, offset + 26)
    start = offset + 30 + name_len + extra_len
    end = start + info.compress_size
    if end > len(data):
        raise CorruptFileError("ZIP member truncated")
    return memoryview(data)[start:end]


def _inflate(raw: memoryview, declared: int, budget: int) -> bytes:
    """Raw-deflate ``raw``, never producing more than ``declared + 1`` bytes."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    out = bytearray()
    pending: bytes | memoryview = raw
    try:
        while True:
            chunk = inflater.decompress(pending, declared + 1 - len(out))
            out += chunk
            if len(out) > declared:
                raise ArchiveLimitError("ZIP member inflates beyond its declared size")
            if len(out) > budget:
                raise ArchiveLimitError("total uncompressed size over the limit")
            pending = inflater.unconsumed_tail
            if inflater.eof or (not pending and not chunk):
                break
    except zlib.error:
        raise CorruptFileError("ZIP member data is damaged") from None
    if not inflater.eof or len(out) != declared:
        raise CorruptFileError("ZIP member data is truncated")
    return bytes(out)
