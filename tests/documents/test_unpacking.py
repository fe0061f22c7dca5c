from __future__ import annotations

import io
import struct
import zipfile

import pytest

from suppliernet.documents.unpacking import Limits, unpack
from tests.documents import samples

LIMITS = Limits(file_bytes=5 * 1024 * 1024, zip_bytes=50 * 1024 * 1024, zip_entries=50, ratio=100)


def make_zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def results(name: str, data: bytes, limits: Limits = LIMITS) -> list[tuple[str, str]]:
    """(name, "ok" | "skipped" | the rejection) per entry."""
    return [
        (e.name, "skipped" if e.skipped else e.problem.replace("\xa0", " ") or "ok")
        for e in unpack(name, data, limits)
    ]


def test_a_single_xml_file_is_itself():
    [entry] = unpack("factura.xml", samples.dian_invoice(), LIMITS)
    assert (entry.name, entry.data, entry.problem) == ("factura.xml", samples.dian_invoice(), "")


def test_a_zip_gives_its_xml_files_skips_the_pdfs_and_ignores_os_leftovers():
    data = make_zip(
        {
            "correo/ad0800197268.xml": samples.dian_attached_document(),
            "correo/ad0800197268.pdf": b"%PDF-1.4 ...",
            "__MACOSX/correo/._ad0800197268.xml": b"\x00\x05\x16\x07",
            "cfdi.XML": samples.cfdi(),
        }
    )
    assert results("marzo.zip", data) == [
        ("marzo.zip/correo/ad0800197268.xml", "ok"),
        ("marzo.zip/correo/ad0800197268.pdf", "skipped"),
        ("marzo.zip/cfdi.XML", "ok"),
    ]
    assert [e.data for e in unpack("marzo.zip", data, LIMITS) if e.data] == [
        samples.dian_attached_document(),
        samples.cfdi(),
    ]


def test_an_xml_file_over_the_limit_is_rejected():
    limits = Limits(file_bytes=1000, zip_bytes=10_000, zip_entries=5, ratio=100)
    [(_name, problem)] = results("big.xml", b"<a>" + b" " * 2000 + b"</a>", limits)
    assert problem == "The file is 2.0 KB; at most 1000 bytes per XML file."


def test_a_zip_over_the_limit_is_not_opened():
    limits = Limits(file_bytes=1000, zip_bytes=100, zip_entries=5, ratio=100)
    data = make_zip({"a.xml": samples.cfdi()})
    [(_name, problem)] = results("a.zip", data, limits)
    assert problem.startswith("The zip is ") and problem.endswith("at most 100 bytes per zip.")


def test_a_file_that_is_neither_xml_nor_zip_is_rejected():
    assert results("factura.pdf", b"%PDF-1.4") == [
        ("factura.pdf", "Not an XML file or a zip of XML files.")
    ]


def test_a_damaged_zip_is_rejected():
    [(_name, problem)] = results("broken.zip", b"PK\x03\x04 not really a zip")
    assert problem.startswith("Not a readable zip file")


def test_too_many_entries():
    data = make_zip({f"{n}.xml": b"<a/>" for n in range(51)})
    assert results("many.zip", data) == [
        ("many.zip", "The zip holds 51 files; at most 50 per zip.")
    ]


def test_a_zip_inside_a_zip_is_not_read():
    inner = make_zip({"a.xml": samples.cfdi()})
    data = make_zip({"inner.zip": inner, "disguised.xml": inner})
    assert results("outer.zip", data) == [
        ("outer.zip/inner.zip", "A zip inside a zip is not read: upload it on its own."),
        ("outer.zip/disguised.xml", "A zip inside a zip is not read: upload it on its own."),
    ]


def test_a_member_with_a_bomb_ratio_is_refused_from_its_header():
    bomb = b"<a>" + b"\x20" * (4 * 1024 * 1024) + b"</a>"  # 4 MB, compresses about 1000:1
    data = make_zip({"bomb.xml": bomb, "fine.xml": samples.cfdi()})
    [(_bomb, problem), fine] = results("bomb.zip", data)
    assert problem.startswith("This file is compressed ") and "possible zip bomb" in problem
    assert fine == ("bomb.zip/fine.xml", "ok")


def test_small_members_that_together_expand_too_much_are_refused_before_reading():
    # Each member is small enough to be exempt from the ratio; together they are a bomb.
    limits = Limits(file_bytes=5 * 1024 * 1024, zip_bytes=1024**2, zip_entries=500, ratio=100)
    data = make_zip({f"{n}.xml": b"<a>" + b" " * 60_000 + b"</a>" for n in range(150)})
    [(_name, problem)] = results("spread.zip", data, limits)
    assert problem.startswith("The zip would expand to ") and "possible zip bomb" in problem


def lie_about_size(data: bytes, member: str, declared: int) -> bytes:
    """The zip with `member`'s uncompressed size set to `declared` in both of its headers."""
    archive = bytearray(data)
    name = member.encode()
    local = archive.find(b"PK\x03\x04")
    while local != -1:
        if archive[local + 30 : local + 30 + len(name)] == name:
            struct.pack_into("<I", archive, local + 22, declared)
        local = archive.find(b"PK\x03\x04", local + 4)
    central = archive.find(b"PK\x01\x02")
    while central != -1:
        if archive[central + 46 : central + 46 + len(name)] == name:
            struct.pack_into("<I", archive, central + 24, declared)
        central = archive.find(b"PK\x01\x02", central + 4)
    return bytes(archive)


def test_a_zip_lying_about_its_sizes_is_not_expanded_beyond_what_it_declared():
    # 4 MB that its headers say are 2,000 bytes: the declared ratio looks harmless.
    bomb = b"<a>" + b"\x20" * (4 * 1024 * 1024) + b"</a>"
    data = lie_about_size(make_zip({"liar.xml": bomb}), "liar.xml", 2000)
    [entry] = unpack("liar.zip", data, LIMITS)
    assert entry.problem and not entry.data
    assert "damaged" in entry.problem or "zip bomb" in entry.problem


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_reading_stops_at_the_declared_size_whatever_the_data(compression):
    data = lie_about_size(
        make_zip({"a.xml": b"<a>" + b"x" * 5000 + b"</a>"}, compression), "a.xml", 10
    )
    [entry] = unpack("a.zip", data, LIMITS)
    assert entry.problem and not entry.data
