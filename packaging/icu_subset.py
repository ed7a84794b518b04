"""A smaller ICU data library for the bundle: KneeCheck's languages only (Linux, used by kneecheck.spec).

PySide6's wheel ships ICU 73, and ``libicudata.so.73`` (32 MB, the largest file of the bundle) is
one ICU common-data package holding every locale, collation, converter table, break dictionary and
transliterator ICU knows. Qt Core links it and uses little of it (collation, locale-aware case
mapping, time-zone names, a few converters). This script reads the package out of the library and
writes a library of the same name and symbol (``icudt73_dat``) holding:

- everything that is not per-locale (normalization, properties, time zones, plurals, likely
  subtags, converter aliases, ...), and the ``pool.res``/``res_index.res`` of every tree;
- the locale data of root and of the app's languages (English, German, French, Spanish, each with
  its regional variants) in every tree (main, collation, currencies, languages, regions, units,
  zones, number spell-out, break rules);

and leaves out other languages' data (ICU falls back to root for them, as for any locale it lacks),
the multi-byte legacy converter tables (``*.cnv`` of 16 KB and more: the CJK encodings; Qt converts
UTF-8/16 and Latin-1 itself, ICU's UTF and Latin-1 converters are algorithmic, and the single-byte
tables such as windows-1252 stay), the CJK/Thai/Khmer/Burmese word-break dictionaries and the
transliterators. The result is about 4 MB.

It needs only the Python standard library and binutils (``as`` and ``ld``, which PyInstaller needs on
Linux anyway). The package format is ICU's common data ("CmnD", format 1): a data header, then a
table of contents (count, then per entry the offsets of its name and of its data, both from the
start of the table), the names, and the entries, each 16-byte aligned, sorted by name.
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

LANGUAGES = ("en", "de", "fr", "es")  # the default; kneecheck.spec passes models.i18n.LANGUAGES
SYMBOL = "icudt73_dat"
_LOCALE = re.compile(r"^([a-z]{2,3})(_[A-Za-z0-9]+)*\.(res|brk)$")
SMALL_CONVERTER = 16 * 1024  # the single-byte tables (windows-1252, ISO-8859-15, ...) stay: 100 of them, 0.4 MB
_ALWAYS = {"res_index.res", "pool.res", "root.res"}


def read_package(library: Path) -> tuple[bytes, list[tuple[str, bytes]]]:
    """(the data header, [(name, item bytes), ...]) of the ICU common data inside ``library``."""
    dump = subprocess.run(["nm", "-D", "--defined-only", "-S", str(library)], check=True, capture_output=True,
                          text=True).stdout
    address = size = None
    for line in dump.splitlines():
        fields = line.split()
        if len(fields) == 4 and fields[3] == SYMBOL:
            address, size = int(fields[0], 16), int(fields[1], 16)
    if address is None or size is None:
        raise SystemExit(f"{library}: no {SYMBOL} symbol")
    blob = _bytes_at(library, address, size)
    header_size, magic1, magic2 = struct.unpack_from("<HBB", blob, 0)
    if (magic1, magic2) != (0xDA, 0x27) or blob[12:16] != b"CmnD":
        raise SystemExit(f"{library}: not an ICU common data package")
    toc = blob[header_size:]
    (count,) = struct.unpack_from("<I", toc, 0)
    offsets = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_at, data_at) in enumerate(offsets):
        end = offsets[i + 1][1] if i + 1 < count else len(toc)
        items.append((toc[name_at:toc.index(b"\0", name_at)].decode("ascii"), toc[data_at:end]))
    return blob[:header_size], items


def _bytes_at(library: Path, address: int, size: int) -> bytes:
    """The bytes at a virtual address of an ELF shared library (its section table, via readelf)."""
    sections = subprocess.run(["readelf", "-S", "-W", str(library)], check=True, capture_output=True, text=True).stdout
    for line in sections.splitlines():
        fields = line.replace("[ ", "[").split()
        if len(fields) > 5 and fields[1] in (".rodata", ".data"):
            start, offset, length = int(fields[3], 16), int(fields[4], 16), int(fields[5], 16)
            if start <= address and address + size <= start + length:
                with library.open("rb") as f:
                    f.seek(offset + address - start)
                    return f.read(size)
    raise SystemExit(f"{library}: {SYMBOL} is not in .rodata")


def wanted(name: str, size: int, languages: tuple[str, ...] = LANGUAGES) -> bool:
    """Whether an entry (``icudt73l/coll/de.res``) stays."""
    parts = name.split("/")[1:]
    base = parts[-1]
    tree = parts[0] if len(parts) > 1 else ""
    if tree == "translit" or base.endswith(".dict"):
        return False
    if base.endswith(".cnv"):
        return size < SMALL_CONVERTER
    if base in _ALWAYS or tree == "" and not _LOCALE.match(base):
        return True  # not per-locale data
    match = _LOCALE.match(base)
    if match is None:
        return True  # ucadata.icu, the .nrm/.spp files, ...
    return match.group(1) in languages


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    items = sorted(items)
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    table_size = 4 + 8 * len(items)
    data_start = _align(len(header) + table_size + len(names)) - len(header)
    offsets, body, name_at = [], bytearray(), table_size
    for name, data in items:
        offsets.append((name_at, data_start + len(body)))
        name_at += len(name) + 1
        body += data + b"\0" * (_align(len(data)) - len(data))
    table = struct.pack("<I", len(items)) + b"".join(struct.pack("<II", *pair) for pair in offsets)
    padding = b"\0" * (data_start - table_size - len(names))
    return header + table + names + padding + bytes(body)


def _align(n: int) -> int:
    return (n + 15) // 16 * 16


def build_library(package: bytes, soname: str, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data, asm, obj = Path(tmp, "icudata.dat"), Path(tmp, "icudata.s"), Path(tmp, "icudata.o")
        data.write_bytes(package)
        asm.write_text(f'\t.section .rodata\n\t.globl {SYMBOL}\n\t.type {SYMBOL}, @object\n\t.balign 16\n'
                       f'{SYMBOL}:\n\t.incbin "{data}"\n\t.size {SYMBOL}, {len(package)}\n'
                       '\t.section .note.GNU-stack,"",@progbits\n')
        subprocess.run(["as", "-o", str(obj), str(asm)], check=True)
        subprocess.run(["ld", "-shared", "-soname", soname, "-o", str(out), str(obj)], check=True)


def subset(library: Path, out: Path, languages: tuple[str, ...] = LANGUAGES) -> tuple[int, int]:
    """Write the smaller library to ``out``, with the locale data of ``languages``; (entries kept,
    entries in all)."""
    header, items = read_package(library)
    kept = [item for item in items if wanted(item[0], len(item[1]), languages)]
    out.parent.mkdir(parents=True, exist_ok=True)
    build_library(write_package(header, kept), library.name, out)
    # The new library must read back as the same package, less what was left out.
    again_header, again = read_package(out)
    expected = sorted(kept)
    if again_header != header or len(again) != len(expected) or [
            (name, data[:len(want)]) for (name, data), (_, want) in zip(again, expected, strict=True)] != expected:
        raise SystemExit(f"{out}: the subset does not read back")
    return len(kept), len(items)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: python packaging/icu_subset.py LIBICUDATA OUT")
    kept, total = subset(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{sys.argv[2]}: {kept} of {total} ICU data entries")
