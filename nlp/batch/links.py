"""Symbolic links in a batch's input: where they really lead, and whether that is inside the input folder.

A batch runs on folders collected from many units; a link must never pull in a file from elsewhere on the
machine. Targets are resolved with :func:`os.path.realpath` (every link of a chain, ``..`` included) and
compared, path component by path component, with the resolved input folder. A link stored in a .zip is
recognised from its Unix mode bits and never resolved against the disk.
"""

from __future__ import annotations

import errno
import os
import stat
import zipfile


def link_target(path: os.PathLike[str] | str) -> str | None:
    """The resolved target of the link ``path`` (even a missing one), or None for a loop of links."""
    try:
        return os.path.realpath(path, strict=True)
    except FileNotFoundError:
        return os.path.realpath(path)  # a dangling link still says where it points
    except OSError as error:
        if error.errno == errno.ELOOP:
            return None
        return os.path.realpath(path)


def contains(real_root: str, target: str | None) -> bool:
    """Whether the resolved path ``target`` is ``real_root`` itself or lies under it (both resolved).

    Compares whole components, so ``/data/in2/x`` is not inside ``/data/in``.
    """
    if target is None:
        return False
    try:
        return os.path.commonpath([real_root, target]) == real_root
    except ValueError:  # different drives (Windows), or a relative path mixed with an absolute one
        return False


def is_zip_link(info: zipfile.ZipInfo) -> bool:
    """Whether the archive member ``info`` is a symbolic link (Unix mode ``S_IFLNK`` in ``external_attr``)."""
    return stat.S_ISLNK(info.external_attr >> 16)
