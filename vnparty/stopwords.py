"""Layered, auditable stopwords.

``removed = ((generic ∪ corpus ∪ articles) − protected) ∪ domain ∪ names``

* generic: the Vietnamese list of the ``stop-words`` package, in "_" form and one tone style;
* protected: words of that list that carry meaning here (Bác, tự, cấp, cao, …), kept;
* domain: boilerplate of Party-building news (resources/stopwords_domain.txt);
* corpus: words in more than ``max_df`` of a corpus's documents (:meth:`Stopwords.with_corpus`);
* name: people's names, which :class:`vnparty.Preprocessor` finds and keeps in their capitals
  ("Hà_Văn_Hùng"; every other word is lower case): every word that starts with a capital;
* articles: words found in fewer than ``min_articles`` articles when the documents are parts of
  articles (paragraphs): they mark an article (its place, its people), not a theme
  (:meth:`Stopwords.with_articles`).
:meth:`Stopwords.layer` says which layer removes a word, :meth:`Stopwords.report` counts them.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from importlib import resources
from itertools import filterfalse
from typing import Iterable, Mapping

import pandas as pd

from .normalize import normalize_text

__all__ = ["Stopwords", "generic_stopwords", "read_word_list", "LAYERS"]

LAYERS = ("generic", "domain", "corpus", "name", "articles")


def _canonical(word: str, tone_style: str) -> str:
    return "_".join(normalize_text(word, tone_style=tone_style).lower().split())


def read_word_list(text: str, *, tone_style: str = "new") -> frozenset[str]:
    """Words of a list file: one a line, "_" or spaces between syllables, "#" starts a comment."""
    words = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return frozenset(_canonical(w, tone_style) for w in words if w)


def _resource(name: str, tone_style: str) -> frozenset[str]:
    text = (resources.files("vnparty") / "resources" / name).read_text(encoding="utf-8")
    return read_word_list(text, tone_style=tone_style)


@lru_cache(maxsize=2)
def generic_stopwords(tone_style: str = "new") -> frozenset[str]:
    """The ``stop-words`` package's Vietnamese list ("a lô" → "a_lô"), in one tone style."""
    from stop_words import get_stop_words

    return frozenset(_canonical(w, tone_style) for w in get_stop_words("vietnamese"))


def _check_max_df(max_df: float) -> None:
    if not 0 < max_df <= 1:
        raise ValueError(f"max_df must be in (0, 1], not {max_df}")


class Stopwords:
    """The layers and the rule that combines them. Words are lower case, "_" between syllables,
    except people's names (``names=False`` keeps them)."""

    def __init__(self, *, tone_style: str = "new", generic: Iterable[str] | None = None,
                 protected: Iterable[str] | None = None, domain: Iterable[str] | None = None,
                 corpus: Iterable[str] = (), names: bool = True, articles: Iterable[str] = ()):
        self.tone_style = tone_style
        self.generic = frozenset(generic_stopwords(tone_style) if generic is None else generic)
        self.protected = frozenset(_resource("stopwords_protected.txt", tone_style)
                                   if protected is None else protected)
        self.domain = frozenset(_resource("stopwords_domain.txt", tone_style)
                                if domain is None else domain)
        self.corpus = frozenset(corpus)
        self.names = bool(names)
        self.articles = frozenset(articles)
        self._removed = ((self.generic | self.corpus | self.articles) - self.protected) | self.domain

    @staticmethod
    def is_name(word: str) -> bool:
        """A person's name, as :class:`vnparty.Preprocessor` writes it: it starts with a capital."""
        return word[:1].isupper()

    def __contains__(self, word: str) -> bool:
        return word in self._removed or self.names and word[:1].isupper()

    def remove_from(self, tokens: list[str]) -> list[str]:
        """``tokens`` without the stopwords, in order."""
        kept = filterfalse(self._removed.__contains__, tokens)  # (no Python loop: faster)
        if self.names:
            kept = filterfalse(self.is_name, kept)
        return list(kept)

    def __len__(self) -> int:
        return len(self._removed)

    def layer(self, word: str) -> str | None:
        """The layer that removes ``word`` (one of :data:`LAYERS`), or ``None``."""
        if word in self.domain:
            return "domain"
        if self.names and self.is_name(word):
            return "name"
        if word in self.protected:
            return None
        if word in self.generic:
            return "generic"
        if word in self.corpus:
            return "corpus"
        return "articles" if word in self.articles else None

    def with_corpus(self, token_lists: Iterable[list[str]], *, max_df: float = 0.5,
                    min_documents: int = 20, keep: Iterable[str] = ()) -> "Stopwords":
        """A copy whose corpus layer holds the words found in more than ``max_df`` of the
        documents, except those in ``keep`` (the lexicon's terms, say). With fewer than
        ``min_documents`` documents the layer stays empty: document frequency means little on a
        handful of texts."""
        _check_max_df(max_df)  # before the texts are read
        frequency, documents = Counter(), 0
        for tokens in token_lists:
            documents += 1
            frequency.update(set(tokens))
        return self.with_frequencies(frequency, documents, max_df=max_df,
                                     min_documents=min_documents, keep=keep)

    def with_frequencies(self, frequency: Mapping[str, int], documents: int, *,
                         max_df: float = 0.5, min_documents: int = 20,
                         keep: Iterable[str] = ()) -> "Stopwords":
        """:meth:`with_corpus` from document frequencies already counted: ``frequency[word]``
        of the ``documents`` hold ``word`` (words missing from it count as in none)."""
        _check_max_df(max_df)
        keep = frozenset(keep)
        corpus = ([w for w, n in frequency.items() if n > max_df * documents and w not in keep]
                  if documents >= min_documents else [])
        return self._with(corpus=sorted(corpus))

    def with_articles(self, frequency: Mapping[str, int], articles: int, *,
                      min_articles: int = 2, keep: Iterable[str] = ()) -> "Stopwords":
        """A copy whose articles layer holds the words found in fewer than ``min_articles`` of
        the ``articles`` (``frequency[word]``: how many articles hold ``word``), except those in
        ``keep``. With ``min_articles`` articles or fewer the layer stays empty: with so few
        articles, almost every word would be in it."""
        if isinstance(min_articles, bool) or not isinstance(min_articles, int) or min_articles < 1:
            raise ValueError(f"min_articles must be a whole number >= 1, not {min_articles!r}")
        keep = frozenset(keep)
        rare = ([w for w, n in frequency.items() if n < min_articles and w not in keep]
                if articles > min_articles else [])
        return self._with(articles=sorted(rare))

    def _with(self, **layers) -> "Stopwords":
        params = dict(tone_style=self.tone_style, generic=self.generic, protected=self.protected,
                      domain=self.domain, corpus=self.corpus, names=self.names,
                      articles=self.articles)
        return Stopwords(**{**params, **layers})

    def report(self, token_lists: Iterable[list[str]]) -> pd.DataFrame:
        """What each layer removes from these (lower-cased, segmented) token lists:
        columns word, layer, count, documents; most frequent first."""
        count, documents = Counter(), Counter()
        for tokens in token_lists:
            removed = [t for t in tokens if t in self]
            count.update(removed)
            documents.update(set(removed))
        rows = [(w, self.layer(w), n, documents[w]) for w, n in count.items()]
        frame = pd.DataFrame(rows, columns=["word", "layer", "count", "documents"])
        return frame.sort_values(["count", "word"], ascending=[False, True], ignore_index=True)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={len(getattr(self, name))}"
                          for name in ("generic", "protected", "domain", "corpus", "articles"))
        return f"Stopwords({sizes}, names={self.names})"
