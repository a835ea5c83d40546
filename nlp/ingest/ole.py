"""OLE2 compound files: a password-protected .docx/.xlsx lives in one, and so does a legacy .doc.

Office encrypts OOXML by wrapping the package into an OLE2 file with ``EncryptionInfo`` and
``EncryptedPackage`` streams; anything else in an OLE2 container (``WordDocument`` = .doc,
``Workbook`` = .xls, ...) is a format we do not read.
"""

from __future__ import annotations

import io

from nlp.errors import EncryptedFileError, UnsupportedFormatError

_ENCRYPTION_STREAMS = ("EncryptionInfo", "EncryptedPackage")


def refuse_ole(data: bytes) -> None:
    """Raise EncryptedFileError for encrypted OOXML, UnsupportedFormatError for any other OLE2 file."""
    names = _stream_names(data)
    if all(name in names for name in _ENCRYPTION_STREAMS):
        raise EncryptedFileError("encrypted Office document (OLE2 EncryptedPackage)")
    if "WordDocument" in names:
        raise UnsupportedFormatError("legacy Word .doc (OLE2); save it as .docx")
    raise UnsupportedFormatError("OLE2 compound file that is not a Word document")


def _stream_names(data: bytes) -> set[str]:
    """Top-level stream names, from olefile; if the directory is damaged, from the raw UTF-16 names."""
    try:
        import olefile

        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            return {"/".join(entry) for entry in ole.listdir(streams=True, storages=False)}
    except Exception:  # damaged directory: olefile raises many types; fall back to a byte scan
        wanted = (*_ENCRYPTION_STREAMS, "WordDocument")
        return {name for name in wanted if name.encode("utf-16-le") in data}
