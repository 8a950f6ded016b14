import codecs
import random
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vnparty import encodings as enc
from vnparty.encodings import decode_bytes

PARAGRAPH = (
    "Đảng bộ huyện Đầm Hà đã tập trung triển khai quyết liệt các giải pháp "
    "xây dựng tổ chức Đảng trong sạch; nâng cao năng lực lãnh đạo, sức chiến "
    "đấu của tổ chức cơ sở đảng, phòng chống “tự diễn biến”, “tự chuyển hóa” "
    "trong nội bộ. Ủy ban nhân dân, Mặt trận Tổ quốc Việt Nam, thủy lợi, "
    "quý giá."
)

# --- encoders built from the module's own tables (inverse direction) -----


def encode_cp1258(text):
    """Windows-1258 as Windows writes it: base letter (maybe with ^ ( +)
    precomposed, tone as a separate combining byte."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        tone = "".join(c for c in d if c in enc._TONES)
        base = unicodedata.normalize(
            "NFC", "".join(c for c in d if c not in enc._TONES))
        out += (base + tone).encode("cp1258")
    return bytes(out)


def encode_single(text, table):
    """Single-byte table inverse.  Characters missing from the table fall
    back to their lowercase form (TCVN3 has no capitals with tones; ABC
    text stores them as the lowercase code), then curly to straight
    quotes (VISCII has no curly quotes)."""
    inverse = {c: i for i, c in enumerate(table) if c != enc._UNDEF}
    out = bytearray()
    for ch in text:
        for alt in (ch, ch.lower(), {"“": '"', "”": '"'}.get(ch)):
            if alt in inverse:
                out.append(inverse[alt])
                break
        else:
            raise AssertionError(f"cannot encode {ch!r}")
    return bytes(out)


def encode_vni(text):
    inverse = {c: k for k, c in enc._VNI_PAIRS.items()}
    inverse.update({c: bytes([b]) for b, c in enc._VNI_SINGLE.items()})
    return b"".join(inverse.get(ch) or ch.encode("cp1252") for ch in text)


# What each legacy encoding can hold of PARAGRAPH.
NO_CURLY = PARAGRAPH.replace("“", '"').replace("”", '"')
LEGACY = {
    "cp1258": (encode_cp1258, PARAGRAPH),
    # VISCII has no curly quotes: straight quotes are written instead.
    "viscii": (lambda t: encode_single(t, enc._VISCII), NO_CURLY),
    # TCVN3 (VN3) has no "Ủ": ABC text writes it as "ủ" (uppercase font).
    "tcvn3": (lambda t: encode_single(t, enc._TCVN3),
              PARAGRAPH.replace("Ủy", "ủy")),
    "vni": (encode_vni, PARAGRAPH),
}


# --- tables against published code points (not circular) ---------------


def test_table_spot_checks():
    # VISCII, RFC 1456
    assert encode_single("ếƯưđĐ", enc._VISCII) == b"\xaa\xbf\xdf\xf0\xd0"
    assert enc._VISCII[0x02] == "Ẳ" and enc._VISCII[0x1E] == "Ỵ"
    # TCVN3 / ABC
    assert encode_single("áđĐươ", enc._TCVN3) == b"\xb8\xae\xa7\xad\xac"
    assert encode_single("ệ", enc._TCVN3) == b"\xd6"
    # VNI-Windows: "Việt Nam", "người", "Đảng"
    assert encode_vni("Việt Nam") == b"Vie\xe4t Nam"
    assert encode_vni("người") == b"ng\xf6\xf4\xf8i"
    assert encode_vni("Đảng") == b"\xd1a\xfbng"
    # Windows-1258: tone written as a combining byte after the base
    assert encode_cp1258("ầ") == b"\xe2\xcc"


# --- round trips ----------------------------------------------------------


@pytest.mark.parametrize("name", sorted(LEGACY))
def test_legacy_round_trip(name):
    encoder, expected = LEGACY[name]
    data = encoder(PARAGRAPH)
    assert not data.isascii()
    text, detected = decode_bytes(data, name=f"{name}.txt")
    assert detected == name
    assert text == expected
    assert unicodedata.is_normalized("NFC", text)


@pytest.mark.parametrize("name", sorted(LEGACY))
def test_legacy_multiline(name):
    encoder, expected = LEGACY[name]
    data = encoder(PARAGRAPH + "\r\n\r\n" + PARAGRAPH)
    assert decode_bytes(data) == (expected + "\r\n\r\n" + expected, name)


def test_utf8():
    assert decode_bytes(PARAGRAPH.encode("utf-8")) == (PARAGRAPH, "utf-8")


def test_utf8_bom_is_stripped():
    data = codecs.BOM_UTF8 + PARAGRAPH.encode("utf-8")
    assert decode_bytes(data) == (PARAGRAPH, "utf-8-sig")


def test_utf8_nfd_becomes_nfc():
    nfd = unicodedata.normalize("NFD", PARAGRAPH)
    assert decode_bytes(nfd.encode("utf-8")) == (PARAGRAPH, "utf-8")


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32"])
def test_unicode_kept_as_written_without_nfc(codec):
    nfd = unicodedata.normalize("NFD", PARAGRAPH)
    text, _ = decode_bytes(nfd.encode(codec), nfc=False)
    assert text == nfd != PARAGRAPH


def test_legacy_is_composed_even_without_nfc():
    assert decode_bytes(encode_cp1258(PARAGRAPH), nfc=False) == (PARAGRAPH, "cp1258")


@pytest.mark.parametrize("codec, bom, label", [
    ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16-le"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16-be"),
    ("utf-32-le", codecs.BOM_UTF32_LE, "utf-32-le"),
    ("utf-32-be", codecs.BOM_UTF32_BE, "utf-32-be"),
])
def test_utf16_utf32_with_bom(codec, bom, label):
    data = bom + PARAGRAPH.encode(codec)
    assert decode_bytes(data) == (PARAGRAPH, label)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(codec):
    assert decode_bytes(PARAGRAPH.encode(codec)) == (PARAGRAPH, codec)


def test_plain_ascii_is_utf8():
    assert decode_bytes(b"Hello, world.\n") == ("Hello, world.\n", "utf-8")
    assert decode_bytes(b"") == ("", "utf-8")


# --- failures -------------------------------------------------------------


@pytest.mark.parametrize("data", [
    bytes(range(256)) * 4,
    random.Random(0).randbytes(4096),
    bytes(range(0x80, 0x100)) * 8,  # no control bytes at all
])
def test_garbage_raises(data):
    with pytest.raises(ValueError) as info:
        decode_bytes(data, name="garbage.bin")
    msg = str(info.value)
    assert "garbage.bin" in msg and "UTF-8" in msg
    for label in ("Windows-1258", "VISCII", "TCVN3", "VNI", "UTF-16"):
        assert label in msg


def test_non_vietnamese_legacy_text_raises():
    data = "Le café du résumé est naïve à l'été.".encode("cp1252")
    with pytest.raises(ValueError, match="french.txt"):
        decode_bytes(data, name="french.txt")


# --- property -------------------------------------------------------------

VOWELS = "aăâeêioôơuưy"
VIET_LETTERS = "bcdđghklmnpqrstvx" + "".join(
    unicodedata.normalize("NFC", v + t)
    for v in VOWELS for t in ["", *enc._TONES])
VIET_LETTERS += VIET_LETTERS.upper()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=VIET_LETTERS + " ", max_size=200))
def test_utf8_vietnamese_round_trip(text):
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8")
