"""From an uploaded file to the XML documents in it: the file itself, or the members of a zip.

Nothing is ever written to disk and member paths are only shown, never used. Sizes declared in
a zip's headers are checked first (cheap, and they catch an honest bomb), and then what is
really decompressed is counted as it is read, so a zip that lies in its headers cannot make
us expand more than the limits either. Limits are settings (see .env.example).
"""

from __future__ import annotations

import io
import lzma
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext, ngettext

ZIP_MAGIC = b"PK\x03\x04"
CHUNK = 64 * 1024
# Below this a member may compress beyond the ratio: 10 KB of repeated XML can, legitimately,
# and cannot bomb anything.
RATIO_FREE_BYTES = 64 * 1024
# Operating-system leftovers in zips made on a Mac or in Windows Explorer: not the buyer's.
_JUNK = re.compile(r"(^|/)(__MACOSX/|\._|\.DS_Store$|Thumbs\.db$)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    NotImplementedError,  # compression methods zipfile lacks (deflate64, …)
    RuntimeError,  # encrypted members
    ValueError,
)


@dataclass(frozen=True)
class Entry:
    """One file of an upload: XML to read, or why not."""

    name: str
    data: bytes = b""
    problem: str = ""  # rejected, with this reason
    skipped: bool = False  # not an XML file inside a zip (the PDF beside an invoice)


@dataclass(frozen=True)
class Limits:
    file_bytes: int
    zip_bytes: int
    zip_entries: int
    ratio: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            file_bytes=settings.DOCUMENTS_MAX_FILE_BYTES,
            zip_bytes=settings.DOCUMENTS_MAX_ZIP_BYTES,
            zip_entries=settings.DOCUMENTS_MAX_ZIP_ENTRIES,
            ratio=settings.DOCUMENTS_MAX_ZIP_RATIO,
        )


class _Exceeded(Exception):
    pass


def unpack(name: str, data: bytes, limits: Limits | None = None) -> Iterator[Entry]:
    limits = limits or Limits.from_settings()
    name = display_name(name)
    if data.startswith(ZIP_MAGIC) or name.lower().endswith(".zip"):
        yield from _unpack_zip(name, data, limits)
    elif not _looks_like_xml(name, data):
        yield Entry(name, problem=gettext("Not an XML file or a zip of XML files."))
    elif len(data) > limits.file_bytes:
        yield Entry(name, problem=_too_large(len(data), limits.file_bytes))
    else:
        yield Entry(name, data)


def display_name(name: str) -> str:
    return _CONTROL.sub("", name)[-255:] or "?"


def _looks_like_xml(name: str, data: bytes) -> bool:
    start = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return (
        name.lower().endswith(".xml")
        or start.startswith(b"<")
        or start[:2]
        in (
            b"\xff\xfe",  # UTF-16 byte order marks
            b"\xfe\xff",
        )
    )


def _too_large(size: int, limit: int) -> str:
    return gettext("The file is %(size)s; at most %(limit)s per XML file.") % {
        "size": filesizeformat(size),
        "limit": filesizeformat(limit),
    }


def _unpack_zip(name: str, data: bytes, limits: Limits) -> Iterator[Entry]:
    if len(data) > limits.zip_bytes:
        yield Entry(
            name,
            problem=gettext("The zip is %(size)s; at most %(limit)s per zip.")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(limits.zip_bytes)},
        )
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir() and not _JUNK.search(info.filename)
        ]
    except _READ_ERRORS as error:
        yield Entry(
            name, problem=gettext("Not a readable zip file (%(error)s).") % {"error": error}
        )
        return
    if len(members) > limits.zip_entries:
        yield Entry(
            name,
            problem=ngettext(
                "The zip holds %(count)s file; at most %(limit)s per zip.",
                "The zip holds %(count)s files; at most %(limit)s per zip.",
                len(members),
            )
            % {"count": f"{len(members):,}", "limit": f"{limits.zip_entries:,}"},
        )
        return
    # What all members together may expand to, in bytes really decompressed.
    budget = limits.ratio * max(len(data), RATIO_FREE_BYTES)
    declared = sum(info.file_size for info in members)
    if declared > budget:
        yield Entry(name, problem=_bomb(declared, limits))
        return
    for info in members:
        entry_name = display_name(f"{name}/{info.filename}")
        if problem := _member_problem(info, limits):
            yield Entry(entry_name, problem=problem)
            continue
        if not info.filename.lower().endswith(".xml"):
            yield Entry(entry_name, skipped=True)
            continue
        try:
            content = _read(archive, info, min(info.file_size, limits.file_bytes), budget)
        except _Exceeded:
            yield Entry(entry_name, problem=_bomb(declared, limits, lying=True))
            return  # the budget is spent: nothing more of this zip is read
        except _READ_ERRORS as error:
            yield Entry(
                entry_name,
                problem=gettext("This file of the zip is damaged (%(error)s).") % {"error": error},
            )
            continue
        budget -= len(content)
        if content.startswith(ZIP_MAGIC):
            yield Entry(entry_name, problem=_nested())
        else:
            yield Entry(entry_name, content)


def _member_problem(info: zipfile.ZipInfo, limits: Limits) -> str:
    if info.filename.lower().endswith(".zip"):
        return _nested()
    if info.flag_bits & 0x1:
        return gettext("This file of the zip is password-protected.")
    if info.file_size > limits.file_bytes:
        return _too_large(info.file_size, limits.file_bytes)
    if info.file_size > RATIO_FREE_BYTES and info.file_size > limits.ratio * max(
        info.compress_size, 1
    ):
        return gettext(
            "This file is compressed %(ratio)s to 1, more than %(limit)s to 1: refused as a "
            "possible zip bomb."
        ) % {"ratio": f"{info.file_size // max(info.compress_size, 1):,}", "limit": limits.ratio}
    return ""


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, budget: int) -> bytes:
    """The member's bytes; _Exceeded as soon as it yields more than its header declared (or
    than a file may have) or more than the zip's budget. zipfile itself stops at the declared
    size (then fails the CRC check); this count does not rely on that."""
    chunks: list[bytes] = []
    size = 0
    with archive.open(info) as stream:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > limit or size > budget:
                raise _Exceeded
            chunks.append(chunk)
    return b"".join(chunks)


def _nested() -> str:
    return gettext("A zip inside a zip is not read: upload it on its own.")


def _bomb(declared: int, limits: Limits, *, lying: bool = False) -> str:
    if lying:
        return gettext(
            "This file expands beyond what the zip's headers declare: refused as a possible "
            "zip bomb, and the rest of the zip is not read."
        )
    return gettext(
        "The zip would expand to %(size)s, more than %(ratio)s times its own size: refused as "
        "a possible zip bomb."
    ) % {"size": filesizeformat(declared), "ratio": limits.ratio}
