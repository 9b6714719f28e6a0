"""Charset labels as browsers read them (the WHATWG table), the codec behind each encoding, and
decoding bytes with a named encoding (one U+FFFD per undefined byte)."""

from __future__ import annotations

import codecs
import re

# --- WHATWG labels -------------------------------------------------------------------------
# The label table of the WHATWG Encoding Standard (https://encoding.spec.whatwg.org/#names-and-labels),
# the rules every browser applies, as encoding name -> labels. Encodings are reported by
# their WHATWG names.
_WHATWG_LABELS: dict[str, str] = {
    "utf-8": "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8",
    "ibm866": "866 cp866 csibm866 ibm866",
    "iso-8859-2": "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 l2 latin2",
    "iso-8859-3": "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 iso_8859-3:1988 l3 latin3",
    "iso-8859-4": "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988 l4 latin4",
    "iso-8859-5": "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5 iso_8859-5:1988",
    "iso-8859-6": "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6 iso-8859-6-e "
    "iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987",
    "iso-8859-7": "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 iso8859-7 iso88597 "
    "iso_8859-7 iso_8859-7:1987 sun_eu_greek",
    "iso-8859-8": "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 iso8859-8 iso88598 "
    "iso_8859-8 iso_8859-8:1988 visual",
    "iso-8859-8-i": "csiso88598i iso-8859-8-i logical",
    "iso-8859-10": "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6",
    "iso-8859-13": "iso-8859-13 iso8859-13 iso885913",
    "iso-8859-14": "iso-8859-14 iso8859-14 iso885914",
    "iso-8859-15": "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9",
    "iso-8859-16": "iso-8859-16",
    "koi8-r": "cskoi8r koi koi8 koi8-r koi8_r",
    "koi8-u": "koi8-ru koi8-u",
    "macintosh": "csmacintosh mac macintosh x-mac-roman",
    "windows-874": "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874",
    "windows-1250": "cp1250 windows-1250 x-cp1250",
    "windows-1251": "cp1251 windows-1251 x-cp1251",
    "windows-1252": "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 "
    "iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252",
    "windows-1253": "cp1253 windows-1253 x-cp1253",
    "windows-1254": "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 iso_8859-9:1989 "
    "l5 latin5 windows-1254 x-cp1254",
    "windows-1255": "cp1255 windows-1255 x-cp1255",
    "windows-1256": "cp1256 windows-1256 x-cp1256",
    "windows-1257": "cp1257 windows-1257 x-cp1257",
    "windows-1258": "cp1258 windows-1258 x-cp1258",
    "x-mac-cyrillic": "x-mac-cyrillic x-mac-ukrainian",
    "gbk": "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk",
    "gb18030": "gb18030",
    "big5": "big5 big5-hkscs cn-big5 csbig5 x-x-big5",
    "euc-jp": "cseucpkdfmtjapanese euc-jp x-euc-jp",
    "iso-2022-jp": "csiso2022jp iso-2022-jp",
    "shift_jis": "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis",
    "euc-kr": "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 ksc5601 ksc_5601 "
    "windows-949",
    "utf-16be": "unicodefffe utf-16be",
    "utf-16le": "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le",
}
# Spellings outside the standard that pages and tools write (Python's codec names among
# them); they mean what their WHATWG look-alikes mean.
_EXTRA_LABELS = {
    "latin-1": "windows-1252",
    "iso-latin-1": "windows-1252",
    "iso8859_1": "windows-1252",
    "windows1252": "windows-1252",
    "win-1252": "windows-1252",
    "utf_8": "utf-8",
    "utf-8-sig": "utf-8",
}
_LABELS = {label: name for name, labels in _WHATWG_LABELS.items() for label in labels.split()} | _EXTRA_LABELS

# The Python codec behind each WHATWG encoding. Where the standard's decoder is a superset
# of the legacy standard it is named after, so is the codec: "gbk" decodes as gb18030,
# "big5" as Big5-HKSCS, "shift_jis" as windows-31j, "euc-kr" as windows-949.
_CODECS = (
    {
        "utf-8": "utf-8",
        "ibm866": "cp866",
        "iso-8859-8-i": "iso8859_8",
        "koi8-r": "koi8_r",
        "koi8-u": "koi8_u",
        "macintosh": "mac_roman",
        "windows-874": "cp874",
        "x-mac-cyrillic": "mac_cyrillic",
        "gbk": "gb18030",
        "gb18030": "gb18030",
        "big5": "big5hkscs",
        "euc-jp": "euc_jp",
        "iso-2022-jp": "iso2022_jp",
        "shift_jis": "cp932",
        "euc-kr": "cp949",
        "utf-16be": "utf-16-be",
        "utf-16le": "utf-16-le",
    }
    | {f"windows-{n}": f"cp{n}" for n in range(1250, 1259)}
    | {f"iso-8859-{n}": f"iso8859_{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)}
)

# Candidates for detection, in order of preference when two read equally well (the most
# used legacy encodings of the web first). Encodings outside this list are only used when
# a label names them.
_CANDIDATES = (
    "windows-1252",
    "windows-1251",
    "windows-1250",
    "iso-8859-2",
    "koi8-r",
    "windows-1253",
    "windows-1254",
    "windows-1257",
    "windows-1255",
    "windows-1256",
    "windows-874",
    "gbk",
    "big5",
    "shift_jis",
    "euc-jp",
    "euc-kr",
)
_UTF8_MIXED = "utf-8+windows-1252"  # candidate name: UTF-8 with stray windows-1252 bytes

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16le"), (b"\xfe\xff", "utf-16be"))
_COMMENT = re.compile(rb"<!--.*?(?:-->|$)", re.S)
_META = re.compile(rb"<meta[\s/][^>]*>", re.I)
_ATTRIBUTE = re.compile(rb"""([^\s=/>]+)\s*(?:=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
_CHARSET_IN_CONTENT = re.compile(rb"""charset\s*=\s*["']?([^"';\s]+)""", re.I)
_XML_DECLARATION = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']""")


def resolve_label(label: str | None) -> str | None:
    """The WHATWG encoding a charset label names, or ``None`` for an unknown label.

    >>> resolve_label(" Latin1"), resolve_label("US-ASCII"), resolve_label("utf8"), resolve_label("iso-1252")
    ('windows-1252', 'windows-1252', 'utf-8', None)
    """
    if label is None:
        return None
    return _LABELS.get(label.strip().strip("\"'").strip().lower())


# --- decoding --------------------------------------------------------------------------------


def _decode(data: bytes, name: str) -> tuple[str, int]:
    """Decode with the WHATWG encoding ``name``. Each byte it does not define becomes one
    U+FFFD, and the count of those is returned with the text."""
    if name == _UTF8_MIXED:
        text = _STRAY_BYTE.sub(_stray_as_windows_1252, data.decode("utf-8", "surrogateescape"))
    elif name == "shift_jis" and (jis := _strict(data, "shift_jis")) is not None:
        # JIS X 0208 as published reads row 1's £ ¢ ¬ − \ 〜 ‖ as those characters;
        # windows-31j (the WHATWG decoder) reads full-width look-alikes (￡ ￠ ￢ ...). We
        # keep the ordinary characters unless the page needs windows-31j's extensions.
        text = jis
    else:
        text = codecs.decode(data, _CODECS[name], _REPLACE_EACH_BYTE)
    already = data.count(b"\xef\xbf\xbd") if name in ("utf-8", _UTF8_MIXED) else 0
    return text, text.count("\ufffd") - already


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _replace_each_byte(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    return "\ufffd", error.start + 1


# One U+FFFD per undefined byte (Python's "replace" gives one per run), so the count of
# U+FFFD is the count of undecodable bytes.
_REPLACE_EACH_BYTE = "normaliser-replace-each-byte"
codecs.register_error(_REPLACE_EACH_BYTE, _replace_each_byte)
_STRAY_BYTE = re.compile("[\udc80-\udcff]")


def _stray_as_windows_1252(match: re.Match[str]) -> str:
    return bytes([ord(match.group(0)) - 0xDC00]).decode("cp1252", "replace")


def _utf8_counts(data: bytes) -> tuple[int, int]:
    """(valid multi-byte UTF-8 characters, bytes that are not UTF-8)."""
    text = data.decode("utf-8", "surrogateescape")
    invalid = len(_STRAY_BYTE.findall(text))
    return len(_NON_ASCII.findall(text)) - invalid, invalid


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
