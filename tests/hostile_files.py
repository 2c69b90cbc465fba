"""Hostile and oversized files, built on demand (nothing large is kept in git).

Used by the tests (small enough to stay fast) and by ``bench/bench_hostile.py`` (the full sizes the
issue measured: a 50 MB CSV, a 1 GB zip bomb, 200 000 rows).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Sequence

from openpyxl import Workbook

REGIONS = (
    "Stockholm", "Uppsala", "Södermanland", "Östergötland", "Jönköping",
    "Kronoberg", "Kalmar", "Gotland", "Blekinge",
)  # fmt: skip
SHEET = "xl/worksheets/sheet1.xml"


def xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    """A valid workbook with these rows on its first sheet."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_rows(n: int = len(REGIONS)) -> list[list[object]]:
    """A header and ``n`` AT reports (cycling through nine regions, so past nine they repeat)."""
    return [["region", "filled", "started", "excluded", "planned"]] + [
        [REGIONS[i % len(REGIONS)], 30 + i, 30 + i, 0, 10] for i in range(n)
    ]


def rewrite_member(data: bytes, member: str, change: object) -> bytes:
    """The same zip with one member's bytes passed through ``change`` (a bytes → bytes function)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == member:
                content = change(content)  # type: ignore[operator]
            target.writestr(info, content)
    return out.getvalue()


def stale_dimension(data: bytes, ref: str) -> bytes:
    """The workbook with its first sheet's stored ``<dimension>`` set to ``ref`` (e.g. ``A1:E2``)."""
    return rewrite_member(
        data, SHEET, lambda xml: re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), xml)
    )


def zip_bomb(inflated: int, base: bytes | None = None) -> bytes:
    """A valid workbook plus a member of ``inflated`` zero bytes (1 GB of zeros deflates to about 1 MB).

    The member is compressed in a stream, so building it never holds the inflated bytes in memory.
    """
    data = base or xlsx(report_rows())
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("xl/media/image1.bin")
        info.compress_type = zipfile.ZIP_DEFLATED
        chunk = b"\0" * (1 << 20)
        with archive.open(info, "w", force_zip64=inflated > 2**31) as member:
            left = inflated
            while left > 0:
                member.write(chunk[: min(left, len(chunk))])
                left -= len(chunk)
    return out.getvalue()


def sheet_bomb(inflated: int) -> bytes:
    """A workbook whose sheet XML itself inflates to ``inflated`` bytes (blank space inside the sheet data,
    which openpyxl would parse to the end): 1 GB deflates to about 1 MB."""
    source = zipfile.ZipFile(io.BytesIO(xlsx(report_rows())))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename != SHEET:
                target.writestr(info, content)
                continue
            head, tail = content.split(b"</sheetData>")
            sheet = zipfile.ZipInfo(SHEET)
            sheet.compress_type = zipfile.ZIP_DEFLATED
            with target.open(sheet, "w", force_zip64=inflated > 2**31) as member:
                member.write(head)
                chunk, left = b" " * (1 << 20), inflated
                while left > 0:
                    member.write(chunk[: min(left, len(chunk))])
                    left -= len(chunk)
                member.write(b"</sheetData>" + tail)
    return out.getvalue()


def bloated_part(member: str, element: str, count: int) -> bytes:
    """A small valid workbook whose XML part ``member`` holds ``count`` more copies of ``element``, just
    before its root's closing tag (e.g. two million ``<xf/>`` in the styles: a few kB deflated, but
    openpyxl would spend minutes building them)."""

    def grow(xml: bytes) -> bytes:
        end = xml.rindex(b"</")
        return xml[:end] + element.encode() * count + xml[end:]

    base = xlsx(report_rows())
    if member not in zipfile.ZipFile(io.BytesIO(base)).namelist():  # openpyxl writes no shared strings
        out = io.BytesIO(base)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(member, b"<sst>" + element.encode() * count + b"</sst>")
        return out.getvalue()
    return rewrite_member(base, member, grow)


def lying_zip_bomb(inflated: int) -> bytes:
    """A zip bomb whose headers declare its big member as 1 kB: only inflating it shows the truth."""
    data = zip_bomb(inflated)
    name = b"xl/media/image1.bin"
    patched = bytearray(data)
    # Central directory entry: signature PK\1\2, uncompressed size at offset 24 (4 bytes).
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    struct.pack_into("<I", patched, central + 24, 1024)
    # Local header: signature PK\3\4, uncompressed size at offset 22.
    local = data.rfind(b"PK\x03\x04", 0, data.find(name))
    struct.pack_into("<I", patched, local + 22, 1024)
    return bytes(patched)


def giant_csv(size: int) -> bytes:
    """A CSV of AT reports of about ``size`` bytes (valid rows, repeated regions)."""
    header = b"region;filled;started\n"
    line = b"Gotland;19;18\n"
    return header + line * max(1, -(-(size - len(header)) // len(line)))  # at least ``size``


def many_rows_xlsx(rows: int) -> bytes:
    """A workbook with ``rows`` data rows (written in streaming mode: fast even for 200 000 rows)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["region", "filled", "started"])
    for i in range(rows):
        sheet.append([f"Region {i}", i, i])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def far_row_xlsx(row_number: int) -> bytes:
    """A small workbook with one more row that claims to be row ``row_number`` (e.g. 10^12)."""
    base = xlsx(report_rows(2))
    extra = f'<row r="{row_number}"><c r="A{row_number}" t="inlineStr"><is><t>Gotland</t></is></c></row>'
    return rewrite_member(base, SHEET, lambda xml: xml.replace(b"</sheetData>", extra.encode() + b"</sheetData>"))


def far_column_xlsx(column: str = "XFD") -> bytes:
    """A small workbook with a value in column ``column`` of row 2."""
    base = xlsx(report_rows(2))
    cell = f'<c r="{column}2" t="inlineStr"><is><t>x</t></is></c>'
    return rewrite_member(
        base,
        SHEET,
        lambda xml: re.sub(
            rb'(<row r="2"[^>]*>.*?)</row>', lambda m: m.group(1) + cell.encode() + b"</row>", xml, count=1, flags=re.S
        ),
    )


def deflated_size(data: bytes) -> int:
    """What ``data`` takes when deflated (for the benchmark's description of a file)."""
    return len(zlib.compress(data, 9))
