"""Detect and decode the text encodings Vietnamese files are found in.

UTF-8 / UTF-16 / UTF-32 first, then the legacy 8-bit Vietnamese encodings
Windows-1258, VISCII, TCVN3 (ABC) and VNI-Windows.  A legacy decode is only
accepted when the result reads as Vietnamese.  Output is always NFC.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter

__all__ = ["decode_bytes"]

_TONES = "\u0301\u0300\u0309\u0303\u0323"  # sắc, huyền, hỏi, ngã, nặng
_UNDEF = "\ufffe"  # charmap_decode: byte not defined


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _cp1252(b: int) -> str:
    try:
        return bytes([b]).decode("cp1252")
    except UnicodeDecodeError:
        return _UNDEF


# VISCII 1.1 (RFC 1456).  Source: GNU libiconv lib/viscii.h (viscii_2uni_1/2).
# Six rare capitals sit in C0 positions.
_VISCII_C0 = {0x02: "Ẳ", 0x05: "Ẵ", 0x06: "Ẫ", 0x14: "Ỷ", 0x19: "Ỹ", 0x1E: "Ỵ"}
_VISCII = "".join(_VISCII_C0.get(i, chr(i)) for i in range(128)) + (
    "ẠẮẰẶẤẦẨẬẼẸẾỀỂỄỆỐ"  # 80
    "ỒỔỖỘỢỚỜỞỊỎỌỈỦŨỤỲ"  # 90
    "Õắằặấầẩậẽẹếềểễệố"  # A0
    "ồổỗỠƠộờởịỰỨỪỬơớƯ"  # B0
    "ÀÁÂÃẢĂẳẵÈÉÊẺÌÍĨỳ"  # C0
    "ĐứÒÓÔạỷừửÙÚỹỵÝỡư"  # D0
    "àáâãảăữẫèéêẻìíĩỉ"  # E0
    "đựòóôõỏọụùúũủýợỮ"  # F0
)

# TCVN3 = TCVN 5712:1993 VN3 (ABC fonts, .VnTime).  0xA0-0xFF from GNU
# libiconv lib/tcvn.h (tcvn_2uni_2; 0xB0-0xB4 are combining tone marks).
# VN3 has no 0x80-0x9F letters (those are VN1 only): like Unikey's vnconv
# (unikey/data.cpp, "TCVN3" table) we read them as Windows-1252 symbols, and
# C0 stays control characters.  Capitals with tones mostly do not exist in
# VN3; ABC text writes them with the lowercase code in an uppercase font.
_TCVN3 = "".join(chr(i) for i in range(128)) + "".join(
    _cp1252(b) for b in range(0x80, 0xA0)) + (
    "\u00a0ĂÂÊÔƠƯĐăâêôơưđẰ"  # A0
    "\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ"  # B0
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"  # C0
    "éẹềểễếệìỉỄẾỒĩíịò"  # D0
    "Ổỏõóọồổỗốộờởỡớợù"  # E0
    "ỖủũúụừửữứựỳỷỹýỵỐ"  # F0
)
assert len(_VISCII) == len(_TCVN3) == 256

# VNI-Windows: base letter + one mark byte.  Source: Unikey vnconv
# (unikey/data.cpp, DoubleByteTables "VNI-WIN", e.g. 0xf961 = 'a'+0xF9 = á).
# Mark bytes for: no tone, sắc, huyền, hỏi, ngã, nặng  (upper, lower case).
_VNI_MARKS = {
    "": (b"\x00\xd9\xd8\xdb\xd5\xcf", b"\x00\xf9\xf8\xfb\xf5\xef"),
    "\u0302": (b"\xc2\xc1\xc0\xc5\xc3\xc4", b"\xe2\xe1\xe0\xe5\xe3\xe4"),  # â ê ô
    "\u0306": (b"\xca\xc9\xc8\xda\xdc\xcb", b"\xea\xe9\xe8\xfa\xfc\xeb"),  # ă
}
# One-byte letters (Ơ Ư take tone marks like a base letter).
_VNI_SINGLE = {
    0xD1: "Đ", 0xF1: "đ", 0xD4: "Ơ", 0xF4: "ơ", 0xD6: "Ư", 0xF6: "ư",
    0xCD: "Í", 0xED: "í", 0xCC: "Ì", 0xEC: "ì", 0xC6: "Ỉ", 0xE6: "ỉ",
    0xD3: "Ĩ", 0xF3: "ĩ", 0xD2: "Ị", 0xF2: "ị", 0xCE: "Ỵ", 0xEE: "ỵ",
}


def _build_vni() -> dict[bytes, str]:
    pairs = {}
    bases = [("a", "aA"), ("e", "eE"), ("o", "oO"), ("u", "uU"), ("y", "yY"),
             ("ơ", "\xf4\xd4"), ("ư", "\xf6\xd6")]
    for letter, (lo, up) in bases:
        mods = ["", "\u0302", "\u0306"] if letter == "a" else (
            ["", "\u0302"] if letter in "eo" else [""])
        for mod in mods:
            for upper, base in ((True, up), (False, lo)):
                marks = _VNI_MARKS[mod][0 if upper else 1]
                for tone, mark in zip(["", *_TONES], marks):
                    if mark == 0 or (letter == "y" and tone == "\u0323"):
                        continue  # plain letter / ỵ is a single byte
                    ch = _nfc(letter + mod + tone)
                    pairs[base.encode("latin-1") + bytes([mark])] = (
                        ch.upper() if upper else ch)
    return pairs


_VNI_PAIRS = _build_vni()
_VNI_MARK_BYTES = {k[1] for k in _VNI_PAIRS}
_VNI_RE = re.compile(
    b"[AaEeOoUuYy\xd4\xf4\xd6\xf6]["
    + re.escape(bytes(sorted(_VNI_MARK_BYTES))) + b"]|[\x80-\xff]")


def _vni_char(b: int) -> str:
    if b in _VNI_SINGLE:
        return _VNI_SINGLE[b]
    return _UNDEF if b in _VNI_MARK_BYTES else _cp1252(b)  # stray mark: invalid


def _vni_sub(m: re.Match) -> str:
    k = m.group()
    if k in _VNI_PAIRS:
        return _VNI_PAIRS[k]
    return "".join(chr(b) if b < 0x80 else _vni_char(b) for b in k)


def _decode_vni(data: bytes) -> str:
    # Pairs and high bytes become str; ASCII passes through via latin-1.
    out, pos = [], 0
    for m in _VNI_RE.finditer(data):
        out.append(data[pos:m.start()].decode("latin-1"))
        out.append(_vni_sub(m))
        pos = m.end()
    out.append(data[pos:].decode("latin-1"))
    return "".join(out)


def _charmap(table: str):
    return lambda data: codecs.charmap_decode(data, "strict", table)[0]


_LEGACY = [
    ("cp1258", lambda data: data.decode("cp1258")),
    ("viscii", _charmap(_VISCII)),
    ("tcvn3", _charmap(_TCVN3)),
    ("vni", _decode_vni),
]

# --- recognising Vietnamese ---------------------------------------------

_VOWELS = "aăâeêioôơuưy"
_VIET_LETTERS = frozenset(
    "abcdefghijklmnopqrstuvwxyzđ"
    + "".join(_nfc(v + t) for v in _VOWELS for t in [""] + list(_TONES)))
_ONSET = "ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx]"
_OPEN = "uyê|iê|yê|uô|ươ|oa|oă|oe|uâ|uê|uy|[aăâeêioôơuưy]"  # may take a coda
_CLOSED = ("iêu|yêu|ươi|ươu|uôi|oai|oao|oay|oeo|uây|uya|uyu|ai|ao|au|ay|âu|ây"
           "|eo|êu|ia|iu|oi|ôi|ơi|ua|ui|uơ|ưa|ưi|ưu")
_SYLLABLE = re.compile(
    f"(?:{_ONSET})?(?:(?:{_OPEN})(?:ch|ng|nh|[cmnpt])?|(?:{_CLOSED}))")
_COMMON = frozenset(
    "của và các những được người không là có trong một với cho này đã để đến"
    " khi theo về từ năm thì như nhưng cũng sẽ tại trên ra đó làm nhiều phải"
    " hơn vào nước nhà công việc việt nam chúng tôi bị sự lại còn đi mà nên"
    " nhất đang rất thể hiện lên nhân dân đồng thời hội cùng điều đảng bộ"
    " tỉnh huyện xã ủy ban chính trị kinh tế xây dựng phát triển quốc chức"
    " hoạt động tổ văn hóa giáo dục học sinh ngày số đầu mới".split())
_WORD = re.compile(r"[^\W\d_]+")
_BAD_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # Cc minus \t\n\v\f\r


def _is_syllable(word: str) -> bool:
    if len(word) > 7 or any(c not in _VIET_LETTERS for c in word):
        return False
    d = unicodedata.normalize("NFD", word)
    if sum(c in _TONES for c in d) > 1:
        return False
    bare = _nfc("".join(c for c in d if c not in _TONES))
    return _SYLLABLE.fullmatch(bare) is not None


def _score(text: str) -> float | None:
    """How Vietnamese `text` looks; None if it is not recognisable."""
    if "\ufffd" in text or _UNDEF in text or _BAD_CONTROL.search(text):
        return None
    words = Counter(w.lower() for w in _WORD.findall(text, 0, 200_000))
    marked = {w: n for w, n in words.items() if not w.isascii()}
    if not marked:
        return None
    valid = sum(n for w, n in marked.items() if _is_syllable(w))
    share = valid / sum(marked.values())
    hits = sum(n for w, n in words.items() if w in _COMMON)
    if share < 0.8 or (hits == 0 and valid < 3):
        return None
    return share + hits / sum(words.values())


# --- Unicode encodings ---------------------------------------------------

_BOMS = [  # longest first: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
]


def _utf16_without_bom(data: bytes, compose) -> tuple[str, str] | None:
    n = len(data) // 2
    if n < 2 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if odd >= 0.25 * n and even <= 0.02 * n:
        enc = "utf-16-le"
    elif even >= 0.25 * n and odd <= 0.02 * n:
        enc = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        return None
    if _BAD_CONTROL.search(text):
        return None
    letters = sum(c.isalpha() or c.isspace() for c in text)
    return (compose(text), enc) if letters >= 0.6 * len(text) else None


_TRIED = ("UTF-8 (with or without BOM), UTF-16 (BOM or NUL pattern), "
          "UTF-32 (BOM), Windows-1258, VISCII, TCVN3 (ABC), VNI-Windows")


def decode_bytes(data: bytes, *, name: str = "<bytes>", nfc: bool = True) -> tuple[str, str]:
    """Return (text, encoding_name).

    encoding_name is one of: utf-8, utf-8-sig, utf-16-le, utf-16-be,
    utf-32-le, utf-32-be, cp1258, viscii, tcvn3, vni.  The text is NFC, with
    any BOM removed.  Raises ValueError if no encoding fits.

    ``nfc=False`` keeps text in a Unicode encoding as written (the ids of a
    table must match the user's own); the legacy encodings are always
    composed, as their bytes have no other Unicode form.
    """
    data = bytes(data)
    compose = _nfc if nfc else str
    for bom, label, codec in _BOMS:
        if data.startswith(bom):
            try:
                return compose(data[len(bom):].decode(codec)), label
            except UnicodeDecodeError:
                break
    found = _utf16_without_bom(data, compose)
    if found:
        return found
    try:
        return compose(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    best = None
    for enc, decode in _LEGACY:
        try:
            text = _nfc(decode(data))
        except UnicodeDecodeError:
            continue
        score = _score(text)
        if score is not None and (best is None or score > best[0]):
            best = (score, text, enc)
    if best:
        return best[1], best[2]
    raise ValueError(
        f"{name}: cannot tell the text encoding; tried {_TRIED}. "
        "None gave readable Vietnamese. Open the file in an editor that "
        "knows its encoding (e.g. Unikey's converter for TCVN3/VNI) and "
        "re-save the file as UTF-8.")
