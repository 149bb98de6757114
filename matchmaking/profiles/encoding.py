"""The text encoding of a file, told from its bytes: UTF-8 (with or without BOM), UTF-16 (with or without
BOM), GB18030 (GBK's superset: what Excel on a simplified-Chinese Windows writes) or Big5 (Taiwan- and
Hong Kong-invested firms). A file is read in one of them exactly, or refused with the reason; it is never
stored as mojibake.

Several readings of the same bytes are often *valid*: Big5 bytes decode as GB18030 too, and some GBK text
(``实业``, ``医药``) is valid UTF-8. So a reading must also be *plausible*: a reading as Chinese must be
made of the characters people write (the commonly used characters of GB2312 and of Big5's first level),
and a UTF-8 reading must not be full of letters of scripts no profile here uses (Cyrillic, Armenian,
Hebrew, Arabic…) where a Chinese reading makes sense. Nothing here parses CSV or JSON.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import numpy as np

from .report import FileRefused

__all__ = ["Decoded", "decode", "utf8_header_ok", "utf16_without_bom", "maybe_mojibake_leads", "MOJIBAKE_LEADS"]

_PLAUSIBLE = 0.85  # share of a Chinese reading's characters that must be commonly written ones
# every non-ASCII character but punctuation, symbols and full-width forms (which any reading may have): in a
# plausible Chinese reading these are commonly written Chinese characters; kana, bopomofo, private-use and
# rare characters are what a wrong reading produces
_SAMPLE = re.compile(r"[^\x00-\x7f\u00a0-\u00ff\u2000-\u206f\u2100-\u27ff\u3000-\u303f\uff00-\uffef\ufeff]")
# What GBK bytes look like when read as UTF-8: each Chinese character becomes one letter of U+0180–U+07FF.
# Letters of scripts no profile of the cluster is written in (IPA, Cyrillic, Armenian, Hebrew …) are
# suspect alone; Greek, Latin Extended-B and combining marks only in a run of two or more (a profile may
# well say "μm" or "β-"), and pinyin's tone letters ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ never.
_FOREIGN_SCRIPT = re.compile(r"[\u0250-\u02ff\u0400-\u07ff]|[\u0180-\u01cc\u01dd-\u024f\u0300-\u03ff]{2,}")
# the UTF-8 lead bytes of those letters (U+0180–U+07FF): a UTF-8 file without any needs no closer look
MOJIBAKE_LEADS = bytes(range(0xC6, 0xE0))


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # utf-8 | utf-8-sig | utf-16 | utf-16-le | utf-16-be | gb18030 | big5


@cache
def _common_chinese() -> frozenset[str]:
    """The commonly written Chinese characters: GB2312 (6,763, simplified) and Big5 level 1 (5,401,
    traditional), taken from the codecs themselves."""
    out = set()
    for lead, trails, codec in ((range(0xB0, 0xF8), range(0xA1, 0xFF), "gb2312"),
                                (range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)], "cp950")):
        for b1 in lead:
            for b2 in trails:
                try:
                    out.add(bytes([b1, b2]).decode(codec))
                except UnicodeDecodeError:
                    pass
    return frozenset(out)


def _chinese_share(text: str) -> tuple[float, int]:
    """(share of the non-ASCII letters that are commonly written Chinese characters, how many letters)."""
    chars = _SAMPLE.findall(text)
    if not chars:
        return 1.0, 0
    common = _common_chinese()
    return sum(c in common for c in chars) / len(chars), len(chars)


def utf8_header_ok(data: bytes) -> bool:
    """The first line is valid UTF-8 (the fast path reads the rest with Arrow, which checks it)."""
    end = data.find(b"\n", 0, 1 << 20)
    head = data[: end if end >= 0 else 1 << 20]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3 and end < 0  # a character cut at the 1 MiB mark of a huge line
    return True


def maybe_mojibake_leads(marks: bytes) -> bool:
    """Whether bytes kept by a scan include UTF-8 lead bytes of foreign-script letters."""
    return bool(marks.translate(None, _NOT_MOJIBAKE_LEADS)) if marks else False


_NOT_MOJIBAKE_LEADS = bytes(b for b in range(256) if b not in MOJIBAKE_LEADS)


def _utf8_or_chinese(data: bytes, text: str, encoding: str) -> Decoded:
    """A valid UTF-8 reading, unless its foreign-script letters are a Chinese text in GB18030: then that."""
    foreign = sum(len(m) for m in _FOREIGN_SCRIPT.findall(text))
    if not foreign:
        return Decoded(text, encoding)
    try:
        gb = data.decode("gb18030")
    except UnicodeDecodeError:
        return Decoded(text, encoding)
    share, n = _chinese_share(gb)
    if share >= _PLAUSIBLE and n >= foreign:
        return Decoded(gb, "gb18030")
    return Decoded(text, encoding)


def utf16_without_bom(data: bytes) -> str | None:
    """utf-16-le / utf-16-be for a file whose bytes pair up as UTF-16 text without a byte-order mark."""
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data[:4096]:
        return None
    arr = np.frombuffer(data[: 1 << 16], dtype=np.uint8)
    even, odd = (arr[0::2] == 0).mean(), (arr[1::2] == 0).mean()
    for enc, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros >= 0.3 and other <= 0.02:
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _chinese_share(text)[0] >= _PLAUSIBLE and not re.search(r"[\x00-\x08\x0e-\x1f]", text):
                return enc
    return None


def decode(data: bytes) -> Decoded:
    """The whole text of a file and its encoding, or ``FileRefused`` saying why none fits."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise FileRefused(f"the file starts with a {enc} byte-order mark but byte {exc.start} is not valid "
                                  f"{enc}", f"文件以 {enc} 标记开头，但第 {exc.start} 字节不是有效的 {enc} 编码") from exc
            return _utf8_or_chinese(data[3:], text, enc) if enc == "utf-8-sig" else Decoded(text, enc)
    utf16 = utf16_without_bom(data)
    if utf16:
        return Decoded(data.decode(utf16), utf16)
    try:
        return _utf8_or_chinese(data, data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    line = data[: utf8_error.start].count(b"\n") + 1
    # A UTF-8 file with a few broken bytes must not be read as Chinese (that would silently turn its text
    # into nonsense); a GB18030 or Big5 file, read as UTF-8, breaks on most of its Chinese characters.
    valid, broken = _utf8_damage(data)
    if valid >= 4 * broken:
        raise FileRefused(f"the file is UTF-8 but {broken} byte(s) are broken, the first at line {line} "
                          f"(byte {utf8_error.start}, 0x{data[utf8_error.start]:02x}); save it again as UTF-8",
                          f"文件为 UTF-8 编码，但有 {broken} 处编码已损坏，第一处在第 {line} 行（第 {utf8_error.start} 字节）；"
                          "请重新以 UTF-8 保存")
    readings = []
    for enc, codec in (("gb18030", "gb18030"), ("big5", "cp950")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        readings.append((_chinese_share(text)[0], enc, text))
    plausible = [r for r in readings if r[0] >= _PLAUSIBLE]
    if plausible:
        share, enc, text = max(plausible, key=lambda r: r[0])  # a tie keeps the first: GB18030
        return Decoded(text, enc)
    if readings:
        tried = ", ".join(f"{enc} ({share:.0%} common characters)" for share, enc, _ in readings)
        raise FileRefused(f"cannot tell the text encoding: read as {tried}, the text is not plausible Chinese "
                          "(too many rare characters); save the file as CSV UTF-8 or as .xlsx",
                          f"无法确定文件编码：按 {tried.replace('common characters', '常用字')} 读取都不像正常的中文（生僻字过多）；"
                          "请另存为 CSV UTF-8 或 .xlsx")
    raise FileRefused(f"cannot read the text: it is neither UTF-8 nor GB18030/GBK nor Big5 (first bad byte at line "
                      f"{line}); save the file as CSV UTF-8 or as .xlsx",
                      f"无法识别文件编码：既不是 UTF-8，也不是 GB18030/GBK 或 Big5（第 {line} 行起）；请另存为 CSV UTF-8 或 .xlsx")


def _utf8_damage(data: bytes) -> tuple[int, int]:
    """(valid multi-byte characters, broken bytes) when reading ``data`` as UTF-8."""
    text = data.decode("utf-8", "replace")
    broken = text.count("\ufffd")
    non_ascii = sum(1 for c in text if ord(c) > 127) if len(text) < 2_000_000 else len(text) - len(
        text.encode("ascii", "ignore"))
    return non_ascii - broken, broken
