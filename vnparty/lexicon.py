"""The Party-domain lexicon, Party-document references and Vietnamese numbers.

Hand-written because no segmenter knows this press: pyvi splits cấp ủy, tự diễn biến and
tổ chức cơ sở đảng, and reads "22-NQ/TW" as five tokens.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

from .normalize import normalize_d, normalize_tone_marks, normalize_unicode

__all__ = [
    "Lexicon",
    "default_lexicon",
    "syllable_key",
    "DOCUMENT_PATTERN",
    "document_references",
    "NUMBER_PATTERN",
    "parse_number",
    "is_number",
]


@lru_cache(maxsize=200_000)
def syllable_key(syllable: str) -> str:
    """Case- and tone-style-insensitive key of one syllable ("Uỷ" and "ủy" → "ủy")."""
    return normalize_tone_marks(normalize_d(normalize_unicode(syllable)).lower())


def _word_key(word: str) -> str:
    return "_".join(syllable_key(s) for s in re.split(r"[\s_]+", word.strip()))


@dataclass(frozen=True)
class Lexicon:
    """Multi-syllable terms that must be one token, and abbreviations that stay one token.

    ``terms`` maps a term's syllable keys to its English gloss; ``abbreviations`` maps the
    surface form (case-sensitive) to ``(expansion, gloss)``.
    """

    terms: dict[tuple[str, ...], str] = field(default_factory=dict)
    abbreviations: dict[str, tuple[str, str]] = field(default_factory=dict)

    @classmethod
    def from_tsv(cls, path: str | Path) -> "Lexicon":
        """Read a lexicon file: tab-separated ``term, kind, gloss, expansion`` with a header;
        lines starting with ``#`` are comments."""
        with open(path, encoding="utf-8", newline="") as handle:
            return cls._from_rows(handle, str(path))

    @classmethod
    def _from_rows(cls, handle, origin: str) -> "Lexicon":
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        terms, abbreviations = {}, {}
        for row in csv.DictReader(lines, delimiter="\t"):
            term, kind = (row.get("term") or "").strip(), (row.get("kind") or "").strip()
            if not term or kind not in ("term", "name", "abbreviation"):
                raise ValueError(f"{origin}: bad lexicon row {row!r}; each row needs a term and "
                                 "a kind of term, name or abbreviation")
            if kind == "abbreviation":
                abbreviations[normalize_unicode(term)] = ((row.get("expansion") or "").strip(),
                                                          row["gloss"])
            else:
                terms[tuple(_word_key(term).split("_"))] = row["gloss"]
        return cls(terms, abbreviations)

    def with_terms(self, glossed_terms: dict[str, str]) -> "Lexicon":
        """A copy with more terms (``{"chi bộ bốn tốt": "four-good Party cell"}``)."""
        extra = {tuple(_word_key(t).split("_")): g for t, g in glossed_terms.items()}
        return Lexicon({**self.terms, **extra}, dict(self.abbreviations))

    # Derived once per lexicon (segment() asks for these on every text); a Lexicon is not
    # changed after it is made, so the cached values stay true.
    def fingerprint(self) -> str:
        """A short hash of the lexicon's content (for cache keys)."""
        return self._fingerprint

    @cached_property
    def _fingerprint(self) -> str:
        content = repr((sorted(self.terms.items()), sorted(self.abbreviations.items())))
        return hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]

    @cached_property
    def max_length(self) -> int:
        return max(map(len, self.terms), default=0)

    @cached_property
    def term_starts(self) -> dict[str, frozenset[int]]:
        """First syllable of each multi-syllable term -> the lengths of the terms it starts."""
        starts: dict[str, set] = {}
        for term in self.terms:
            if len(term) > 1:
                starts.setdefault(term[0], set()).add(len(term))
        return {k: frozenset(v) for k, v in starts.items()}

    @cached_property
    def term_syllables(self) -> frozenset[str]:
        """Every syllable of a multi-syllable term."""
        return frozenset(part for term in self.terms if len(term) > 1 for part in term)

    def term_words(self) -> frozenset[str]:
        """Every term as a lower-case token ("cấp_ủy"), abbreviation expansions included."""
        expansions = (e.replace(" ", "_").lower() for e, _ in self.abbreviations.values())
        return frozenset(["_".join(t) for t in self.terms] + [e for e in expansions if e])

    def gloss(self, token: str) -> str | None:
        """English gloss of a segmented token (``"cấp_ủy"``), or ``None``."""
        abbreviation = self._abbreviation(token)
        if abbreviation:
            return abbreviation[1]
        return self.terms.get(tuple(_word_key(token).split("_")))

    def _abbreviation(self, token: str) -> tuple[str, str] | None:
        return self.abbreviations.get(token) or self.abbreviations.get(token.replace("_", " "))

    def expand(self, token: str) -> str:
        """The segmented expansion of an abbreviation (``"KT-XH"`` → ``"kinh_tế_-_xã_hội"``);
        any other token is returned unchanged."""
        abbreviation = self._abbreviation(token)
        return abbreviation[0].replace(" ", "_") if abbreviation and abbreviation[0] else token

    def abbreviation_pattern(self) -> re.Pattern | None:
        """A regex matching any abbreviation as a whole word, longest first (None if none)."""
        return self._abbreviation_pattern

    @cached_property
    def _abbreviation_pattern(self) -> re.Pattern | None:
        if not self.abbreviations:
            return None
        alternatives = "|".join(  # longest first; not after a letter, digit or "." (the
            # look-behind after the first character lets the regex engine skip ahead)
            re.escape(a[0]) + r"(?<![\w.].)" + re.escape(a[1:])
            for a in sorted(self.abbreviations, key=len, reverse=True))
        return re.compile(rf"(?:{alternatives})(?![\w])")


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The lexicon shipped with vnparty (``vnparty/resources/lexicon.tsv``)."""
    source = resources.files("vnparty") / "resources" / "lexicon.tsv"
    with source.open(encoding="utf-8", newline="") as handle:
        return Lexicon._from_rows(handle, "vnparty/resources/lexicon.tsv")


def _after_non_word(*words: str) -> str:
    """A regex for any of ``words`` not preceded by a letter or digit. The look-behind is put
    after each word's first character, so that the regex engine can skip to the characters a
    match starts with (a pattern that starts with a look-behind is tried at every position)."""
    return "(?:" + "|".join(re.escape(w[0]) + r"(?<!\w.)" + re.escape(w[1:]) for w in words) + ")"


_KIND = _after_non_word("Nghị quyết", "Chỉ thị", "Kết luận", "Quy định", "Quyết định",
                        "Hướng dẫn", "Thông tri", "Quy chế")
_RESOLUTION = _after_non_word("Nghị quyết")
_ROMAN = r"[IVXL]+"
#: A reference to a Party document: "Nghị quyết số 22-NQ/TW", "Chỉ thị 05-CT/TW",
#: "Kết luận 21-KL/TW", "Nghị quyết Trung ương 4 (khóa XII)", "Nghị quyết Đại hội ... lần thứ XXIV",
#: "Nghị quyết Đại hội Đảng bộ huyện khóa XXV".
DOCUMENT_PATTERN = re.compile(
    rf"{_KIND}"
    rf"(?:[ ]+số)?[ ]+\d+(?:[-–][A-ZĐ]+)?(?:/(?:T\.Ư|[A-ZĐƯ]+))?(?!\w)"
    rf"|{_RESOLUTION}[ ]+(?:Hội nghị[ ]+)?(?:Trung ương|TƯ|T\.Ư|TW)[ ]+\d+"
    rf"(?:[ ]*\((?:khóa|khoá|Khóa|Khoá)[ ]+{_ROMAN}(?:,[ ]*{_ROMAN})*\))?"
    rf"|{_RESOLUTION}[ ]+Đại hội(?:[ ]+(?:Đảng|đảng)(?:[ ]+bộ)?(?:[ ]+(?:huyện|tỉnh|thành phố|xã))?)?"
    rf"[ ]+(?:lần[ ]+thứ|khóa|khoá)[ ]+{_ROMAN}(?!\w)"
)


def document_references(text: str) -> list[str]:
    """The Party documents a text cites, in order of first mention, each once: "số" is left
    out and a bare reference that a fuller one of the same text completes is merged into it
    ("Nghị quyết Trung ương 4" into "Nghị quyết Trung ương 4 (khóa XII)").

    Examples
    --------
    >>> document_references("theo Nghị quyết số 22-NQ/TW và Chỉ thị 05-CT/TW; Nghị quyết 22-NQ/TW")
    ['Nghị quyết 22-NQ/TW', 'Chỉ thị 05-CT/TW']
    """
    text = normalize_tone_marks(normalize_unicode(text))
    found = [re.sub(r"\s+", " ", re.sub(r"\s+số\s+", " ", m.group(0)))
             for m in DOCUMENT_PATTERN.finditer(text)]
    unique = list(dict.fromkeys(found))
    fuller = {ref: next((other for other in unique if other != ref and
                         re.match(re.escape(ref) + r"[\s(/-]", other)), ref) for ref in unique}
    return list(dict.fromkeys(fuller[ref] for ref in unique))


#: "2.114", "36.403", "99,74%", "1.561/1.565": "." groups thousands, "," marks decimals.
# a digit not after a letter, digit, "." or ",": the look-behind comes after the first digit
NUMBER_PATTERN = re.compile(r"\d(?<![\w.,]\d)\d*(?:[.,]\d+)*%?(?![\w])")
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_DECIMAL_COMMA = re.compile(r"\d+(?:,\d+)?")


def parse_number(token: str) -> float | int | None:
    """The value of a number written the Vietnamese way, or ``None``.

    Examples
    --------
    >>> parse_number("2.114"), parse_number("99,74%"), parse_number("2020")
    (2114, 99.74, 2020)
    """
    text = token.strip().rstrip("%")
    if _THOUSANDS.fullmatch(text) or _DECIMAL_COMMA.fullmatch(text):
        text = text.replace(".", "").replace(",", ".")
    elif not re.fullmatch(r"\d+\.\d+", text):
        return None
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


def is_number(token: str) -> bool:
    """True for numbers (``"2.114"``, ``"99,74%"``), dates and ratios made only of digits and
    ``. , / - %`` (``"29/11/2019"``, ``"2020-2025"``)."""
    return bool(re.fullmatch(r"\d+(?:[.,/%\-–_]+\d*)*%?", token))
