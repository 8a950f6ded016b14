"""The default modelling features: normalise, segment, find people's names, lower-case, drop
punctuation, numbers, stopwords, names, words of a single article and one-letter leftovers.

:class:`Preprocessor` follows scikit-learn's conventions (parameters stored as given, work in
``fit``, learned attributes end in ``_``) and is itself a callable, so it can be a vectorizer's
``analyzer``::

    CountVectorizer(analyzer=Preprocessor())
"""

from __future__ import annotations

import contextlib
import copy
import functools
import gc
import itertools
import json
import sys
import warnings
from collections import Counter
from typing import Iterable, Iterator

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from tqdm import tqdm  # the plain bar: tqdm.auto warns on import in a notebook without ipywidgets

from .cache import SegmentCache, text_key
from . import names as _names
from .lexicon import Lexicon, default_lexicon, is_number
from .normalize import TONE_STYLES, normalize_text
from .parallel import Failed, map_chunks, safely
from .stopwords import Stopwords
from .tokenization import segment_spans_many
from .wordnumbers import NUMBER, Numbered, WordNumbers, decode, document_frequencies

__all__ = ["Preprocessor", "preprocess"]

PROGRESS_ABOVE = 200  # texts; a progress bar is shown for more when progress=None


class Preprocessor(TransformerMixin, BaseEstimator):
    """Texts to token lists for topic models.

    Parameters
    ----------
    tone_style : "new" or "old"
        Tone-mark style every text is put in (see :func:`vnparty.normalize_text`).
    lexicon : Lexicon, optional
        Terms and abbreviations kept as one token; the bundled lexicon by default.
    segmenter : callable, optional
        A word segmenter (see :mod:`vnparty.segmenters`); pyvi by default.
    stopwords : Stopwords, optional
        Generic, protected and domain layers; the bundled ones by default. ``fit`` adds the
        corpus layer with :meth:`Stopwords.with_frequencies` (and the articles layer, see
        ``min_articles``), and words ``in`` the result are removed. Its name layer removes the
        people's names found (``Stopwords(names=False)`` keeps them as features).
    names : bool
        Find people's names in the original casing (see :mod:`vnparty.names`) and make each one
        token that keeps its capitals ("Hà_Văn_Hùng", even where the segmenter cut it in two);
        every other token is lower case. Hồ Chí Minh is never taken for a name.
    expand_abbreviations : bool
        Turn "KT-XH", "BTV" … into the words they stand for, so both spellings count as one.
    drop_punctuation : bool
        Drop tokens with no letter or digit.
    drop_numbers : bool
        Drop numbers, dates and percentages.
    min_length : int
        Drop tokens shorter than this many characters (one-letter leftovers by default).
    max_df : float
        ``fit`` adds a corpus layer of stopwords: words in more than ``max_df`` of the
        documents (lexicon terms are never in it) ...
    min_documents : int
        ... when there are at least ``min_documents`` documents.
    min_articles : int
        When ``fit`` is told which article each text comes from (``groups``: paragraphs of
        articles, say), words found in fewer than ``min_articles`` articles are removed (the
        articles layer): a word of one article marks that article (its places, its people), not
        a theme. Lexicon terms and protected words stay. 1 turns the rule off.
    progress : bool or None
        Show a progress bar; ``None`` shows one for more than 200 texts.
    n_jobs : int
        Processes that segment in parallel (1: in this process).
    cache : str, Path or None
        A file or folder for the on-disk cache of segmented texts (keyed by each text's hash
        and these settings); a rerun reads what it can from there.
    client : dask.distributed.Client, str or None
        Segment on a Dask cluster (a Client, or a scheduler address) instead of locally.
    chunk_size : int
        Texts per task sent to a process or to the cluster.

    Notes
    -----
    ``fit`` sets ``stopwords_``, ``n_documents_`` and ``n_articles_`` (``None`` without
    ``groups``). People's names per text: :func:`vnparty.person_names`.

    A text whose processing fails (or kills its worker process) gives an empty token list; the
    failures are listed in ``failed_`` as ``(position, error)`` and named in a warning.

    Examples
    --------
    >>> Preprocessor()("Cấp uỷ nâng cao sức chiến đấu, phòng chống “tự diễn biến”.")
    ['cấp_ủy', 'nâng_cao', 'sức_chiến_đấu', 'phòng_chống', 'tự_diễn_biến']
    """

    def __init__(self, *, tone_style: str = "new", lexicon: Lexicon | None = None,
                 segmenter=None, stopwords: Stopwords | None = None,
                 expand_abbreviations: bool = True, drop_punctuation: bool = True,
                 drop_numbers: bool = True, min_length: int = 2, max_df: float = 0.5,
                 min_documents: int = 20, names: bool = True, min_articles: int = 2,
                 progress: bool | None = None, n_jobs: int = 1, cache=None, client=None,
                 chunk_size: int = 256):
        self.tone_style = tone_style
        self.lexicon = lexicon
        self.segmenter = segmenter
        self.stopwords = stopwords
        self.expand_abbreviations = expand_abbreviations
        self.drop_punctuation = drop_punctuation
        self.drop_numbers = drop_numbers
        self.min_length = min_length
        self.max_df = max_df
        self.min_documents = min_documents
        self.names = names
        self.min_articles = min_articles
        self.progress = progress
        self.n_jobs = n_jobs
        self.cache = cache
        self.client = client
        self.chunk_size = chunk_size

    # -- the steps -----------------------------------------------------------------------------
    def _check(self) -> None:
        if self.tone_style not in TONE_STYLES:
            raise ValueError(f"tone_style must be one of {TONE_STYLES}, not {self.tone_style!r}")
        if not isinstance(self.min_length, int) or self.min_length < 1:
            raise ValueError(f"min_length must be a whole number >= 1, not {self.min_length!r}")
        for name in ("n_jobs", "chunk_size", "min_articles"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a whole number >= 1, not {value!r}")

    def _base_stopwords(self) -> Stopwords:
        if self.stopwords is not None:
            return self.stopwords
        cached = getattr(self, "_default_stopwords", None)
        if cached is None or cached.tone_style != self.tone_style:
            cached = self._default_stopwords = Stopwords(tone_style=self.tone_style)
        return cached

    def candidates(self, text: str) -> list[str]:
        """Words of ``text`` before stopwords are removed: lower case, except people's names."""
        return self._candidates_many([text])[0]

    def _candidates_many(self, texts: list[str]) -> list[list[str]]:
        """:meth:`candidates` of each text (the segmenter decodes them together)."""
        for text in texts:
            if not isinstance(text, str):
                raise TypeError(f"expected a str, not {type(text).__name__}")
        self._check()
        texts = [normalize_text(text, tone_style=self.tone_style) for text in texts]
        lexicon = default_lexicon() if self.lexicon is None else self.lexicon
        spans = iter(segment_spans_many([text for text in texts if text], lexicon=lexicon,
                                        segmenter=self.segmenter))
        forms = self._token_forms(lexicon)
        out = []
        for text in texts:
            if self.names and text:
                out.append(self._forms_with_names(text, next(spans), forms))
                continue
            pieces = map(text.__getitem__, itertools.starmap(slice, next(spans))) if text else ()
            out.append([form for form in map(forms.__getitem__, pieces) if form is not None])
        return out

    def _forms_with_names(self, text: str, spans: list, forms: "_TokenForms") -> list[str]:
        """The forms of a text's tokens, each person's name one token in its own casing."""
        spans, found = _names.join_names(text, spans)
        out = []
        for i, (start, end) in enumerate(spans):
            if i in found:
                form = "_".join(text[start:end].split())
                form = form if len(form) >= self.min_length else None
            else:
                form = forms[text[start:end]]
            if form is not None:
                out.append(form)
        return out

    def _token_forms(self, lexicon: Lexicon) -> "_TokenForms":
        """The cache of token forms for the current settings (made anew when they change)."""
        options = (self.expand_abbreviations, self.drop_punctuation, self.drop_numbers,
                   self.min_length)
        forms = self.__dict__.get("_forms")
        if forms is None or forms.lexicon is not lexicon or forms.options != options:
            forms = self.__dict__["_forms"] = _TokenForms(lexicon, *options)
        return forms

    def __getstate__(self):  # the token-form cache is not sent to worker processes
        state = super().__getstate__()
        state.pop("_forms", None)
        return state

    def __call__(self, text: str) -> list[str]:
        """Features of one text (uses the corpus layer once fitted)."""
        stopwords = getattr(self, "stopwords_", None)
        if stopwords is None:  # not `or`: an empty Stopwords is falsy but fitted
            stopwords = self._base_stopwords()
        return stopwords.remove_from(self.candidates(text))

    # -- many texts ----------------------------------------------------------------------------
    def _signature(self) -> str | None:
        """What the cached tokens depend on, or None when the segmenter cannot say."""
        from . import __version__
        from .segmenters import PyviSegmenter

        segmenter = self.segmenter
        if segmenter is not None and not isinstance(segmenter, PyviSegmenter) \
                and not hasattr(segmenter, "cache_key"):
            return None
        lexicon = default_lexicon() if self.lexicon is None else self.lexicon
        return json.dumps([__version__, self.tone_style, self.expand_abbreviations,
                           self.drop_punctuation, self.drop_numbers, self.min_length,
                           getattr(segmenter, "cache_key", "pyvi"), lexicon.fingerprint()]
                          + ([_names.signature()] if self.names else []))

    def iter_candidates(self, texts: Iterable[str]) -> Iterator[list[str]]:
        """:meth:`candidates` of each text, in order, as a generator: texts are read, segmented
        (in parallel, from the cache where possible) and handed on chunk by chunk."""
        for numbers, words in self._numbered(texts):
            yield words.decode(numbers)

    def _numbered(self, texts: Iterable[str]) -> Iterator[tuple[np.ndarray, WordNumbers]]:
        """:meth:`iter_candidates`, each text's candidates as numbers into a table of words:
        ``(numbers, words)`` pairs (the same ``words`` throughout a run; it grows)."""
        if isinstance(texts, str):
            raise TypeError("pass a list of texts, not one str (wrap it: [text])")
        self._check()
        cache = SegmentCache(self.cache) if self.cache is not None else None
        signature = self._signature() if cache is not None else None
        if cache is not None and signature is None:
            warnings.warn("the cache is not used: the segmenter has no cache_key attribute "
                          "that says what its output depends on", stacklevel=3)
            cache = None
        self._failures, self._empty, position = [], 0, 0
        chunks = iter(lambda it=iter(texts): list(itertools.islice(it, self.chunk_size)), [])
        worker = copy.copy(self)  # what a worker needs: no client, no cache handle
        worker.client = worker.cache = None
        work = functools.partial(_candidates_of, worker)
        local = WordNumbers() if cache is None else None
        try:
            prepare = functools.partial(_load_models, worker)
            for chunk, found in self._from_cache(chunks, cache, signature, work, prepare, local):
                words = local if cache is None else cache.words
                for text, result in zip(chunk, found):
                    if isinstance(result, Failed):
                        self._failures.append((position, result.error))
                        result = _NONE
                    elif isinstance(text, str) and not text.strip():
                        self._empty += 1
                    position += 1
                    yield result, words
        finally:
            if cache is not None:
                cache.close()

    def _from_cache(self, chunks, cache, signature, work, prepare, local):
        """(chunk, results) pairs, each result the numbers of a text's candidates (or a
        :class:`Failed`): cached results looked up, the rest computed and stored (numbered by
        ``local`` when there is no cache)."""
        if cache is None:
            pairs = ((chunk, None) for chunk in chunks)
        else:
            pairs = self._lookup(chunks, cache, signature)
        held = []  # chunks whose misses are being computed, in order

        def missing():
            for chunk, known in pairs:
                for text in chunk:
                    if not isinstance(text, str):
                        raise TypeError(f"texts must be str, not {type(text).__name__}")
                held.append((chunk, known))
                todo = [t for i, t in enumerate(chunk) if known is None or i not in known]
                yield todo

        computed = map_chunks(work, missing(), n_jobs=self.n_jobs, client=self.client,
                              prepare=prepare)  # (prepare: before worker processes start)
        for results in computed:
            chunk, known = held.pop(0)
            if known is None:
                yield chunk, [r if isinstance(r, Failed) else local.number(r) for r in results]
                continue
            fresh = iter(results)
            merged = [known[i] if i in known else next(fresh) for i in range(len(chunk))]
            store = [i for i, r in enumerate(merged) if i not in known and not isinstance(r, Failed)]
            numbers = cache.put_many((text_key(chunk[i], signature), merged[i]) for i in store)
            for i, found in zip(store, numbers):
                merged[i] = found
            yield chunk, merged

    @staticmethod
    def _lookup(chunks, cache, signature):
        for chunk in chunks:
            keys = [text_key(t, signature) if isinstance(t, str) else "" for t in chunk]
            found = cache.get_numbers_many([k for k in keys if k])
            yield chunk, {i: found[k] for i, k in enumerate(keys) if k in found}

    def _batches(self, texts, size: int,
                 stacklevel: int = 3) -> Iterator[tuple[list[np.ndarray], WordNumbers]]:
        """Every text's candidates as numbers, ``size`` texts at a time, with the table of words
        they index (at least one batch, maybe empty); then the warnings about empty and failed
        texts (``stacklevel``: where they point, from here)."""
        total = len(texts) if hasattr(texts, "__len__") else None
        show = (total or 0) > PROGRESS_ABOVE if self.progress is None else self.progress
        batch, words, count = [], WordNumbers(), 0  # (an empty table when there are no texts)
        for numbers, words in tqdm(self._numbered(texts), total=total, disable=not show,
                                   desc="segmenting", unit="text"):
            batch.append(numbers)
            count += 1
            if len(batch) == size:
                yield batch, words
                batch = []
        if batch or not count:
            yield batch, words
        if self._empty:
            warnings.warn(f"{self._empty} of {count} texts are empty or white space only; they "
                          "give empty token lists", stacklevel=stacklevel)
        self.failed_ = list(self._failures)
        if self.failed_:
            named = "; ".join(f"#{i}: {e}" for i, e in self.failed_[:5])
            warnings.warn(f"{len(self.failed_)} of {count} texts failed and give empty token "
                          f"lists ({named}{' …' if len(self.failed_) > 5 else ''}); the rest "
                          "were kept. See Preprocessor.failed_", stacklevel=stacklevel)

    def _all_numbered(self, texts) -> tuple[list[np.ndarray], np.ndarray]:
        """Every text's candidates as numbers, and the table of words they index."""
        documents = []
        # (stacklevel: transform and fit_transform are wrapped by scikit-learn's set_output)
        for batch, words in self._batches(texts, _BATCH, stacklevel=5):
            documents += batch
        return documents, words.table

    def fit_candidates(self, candidates: list[list[str]], groups=None) -> "Preprocessor":
        """:meth:`fit` on candidates already made (as :meth:`candidates` or
        :meth:`iter_candidates` give them), for a caller that keeps the candidates too (the
        report shows which words each stopword layer removed); ``groups`` as in :meth:`fit`."""
        words = WordNumbers()
        return self._fit_numbered([words.number(c) for c in candidates], words.table, groups)

    def _fit_numbered(self, documents: list[np.ndarray], table: np.ndarray,
                      groups=None) -> "Preprocessor":
        articles = None
        if groups is not None:
            articles = _ArticleWords()
            articles.add(documents, _group_list(groups, len(documents)))
        return self._fit_frequencies(document_frequencies(documents, len(table)),
                                     len(documents), table, articles)

    def _fit_frequencies(self, frequency: np.ndarray, n_documents: int, table: np.ndarray,
                         articles: "_ArticleWords | None" = None) -> "Preprocessor":
        lexicon = default_lexicon() if self.lexicon is None else self.lexicon
        present = np.flatnonzero(frequency)
        by_word = Counter()  # added up by word: a cache shared by processes may hold a word under
        for word, count in zip(table[present].tolist(), frequency[present].tolist()):  # two
            by_word[word] += count  # numbers (a text's tokens use one number for each word)
        self.stopwords_ = self._base_stopwords().with_frequencies(
            by_word, n_documents, max_df=self.max_df, min_documents=self.min_documents,
            keep=lexicon.term_words())
        self.n_documents_ = n_documents
        self.n_articles_ = None if articles is None else len(articles)
        if articles is not None:
            if len(articles) <= self.min_articles and self.min_articles > 1:
                warnings.warn(f"min_articles={self.min_articles} is not applied: the texts come "
                              f"from {len(articles)} articles only", stacklevel=3)
            self.stopwords_ = self.stopwords_.with_articles(
                articles.frequencies(table), len(articles), min_articles=self.min_articles,
                keep=lexicon.term_words())
        return self

    def _kept(self, table: np.ndarray, known: np.ndarray | None = None) -> np.ndarray:
        """For each word of ``table``: not a stopword? (``known``: the answer for its start)"""
        known = np.zeros(0, bool) if known is None else known
        stopwords = self.stopwords_
        new = (word is not None and word not in stopwords for word in table[len(known):].tolist())
        return np.concatenate([known, np.fromiter(new, bool, len(table) - len(known))])

    def _features(self, documents: list[np.ndarray], table: np.ndarray) -> list[list[str]]:
        return decode(table, documents, self._kept(table))

    def fit(self, texts: Iterable[str], y=None, groups: Iterable | None = None) -> "Preprocessor":
        """Learn the corpus layer of stopwords (``stopwords_``) from ``texts``. The texts are
        read once and counted a batch at a time: memory is bounded by the vocabulary and the
        batch, not by the corpus (and, with ``groups``, by each article's distinct words).

        ``groups``: the article each text comes from (``[u.article_id for u in units]``), one
        for each text; then words found in fewer than ``min_articles`` articles are removed."""
        frequency, count = np.zeros(0, np.int64), 0
        articles = None if groups is None else _ArticleWords()
        labels = None if groups is None else _group_iter(groups, texts)
        with _collector_paused():
            for batch, words in self._batches(texts, _BATCH):
                counted = document_frequencies(batch, len(words))
                counted[:len(frequency)] += frequency
                frequency, count = counted, count + len(batch)
                if articles is not None:
                    articles.add(batch, _take(labels, len(batch)))
            if labels is not None and next(labels, _END) is not _END:
                raise ValueError(f"groups has more labels than the {count} texts; give one "
                                 "article label for each text")
            return self._fit_frequencies(frequency, count, words.table, articles)

    def _check_fitted(self) -> None:
        if getattr(self, "stopwords_", None) is None:
            raise RuntimeError("this Preprocessor is not fitted yet; call fit(texts) first, or "
                               "fit_transform(texts)")

    def transform(self, texts: Iterable[str]) -> list[list[str]]:
        """Token lists of ``texts``, using the fitted stopwords."""
        self._check_fitted()
        with _collector_paused():
            return self._features(*self._all_numbered(texts))

    def iter_transform(self, texts: Iterable[str]) -> Iterator[list[str]]:
        """:meth:`transform` as a generator: token lists one by one, the texts read a chunk at a
        time, so a corpus larger than memory can go to :meth:`vnparty.StreamedCorpus.write`.
        ``failed_`` is set when the last text is done."""
        self._check_fitted()
        kept = None
        for batch, words in self._batches(texts, self.chunk_size):
            kept = self._kept(words.table, kept)
            yield from decode(words.table, batch, kept)

    def fit_transform(self, texts: Iterable[str], y=None,
                      groups: Iterable | None = None) -> list[list[str]]:
        """``fit`` and ``transform`` in one pass over the texts (``groups``: see :meth:`fit`)."""
        if groups is not None:
            groups = _group_list(groups, len(texts) if hasattr(texts, "__len__") else None)
        with _collector_paused():
            documents, table = self._all_numbered(texts)
            self._fit_numbered(documents, table, groups)
            return self._features(documents, table)


_NONE = np.empty(0, dtype=NUMBER)  # the numbers of a text that failed
_BATCH = 4096  # texts whose candidates fit counts at once
_END = object()


def _group_list(groups, count: int | None) -> list:
    """``groups`` as a list, checked against the number of texts (when known)."""
    if isinstance(groups, (str, bytes)):
        raise TypeError("groups must be one article label for each text (a list), not a str")
    groups = list(groups)
    if count is not None and len(groups) != count:
        raise ValueError(f"groups has {len(groups)} labels for {count} texts; give one article "
                         "label for each text")
    return groups


def _group_iter(groups, texts) -> Iterator:
    if hasattr(groups, "__len__") and hasattr(texts, "__len__"):
        _group_list(groups, len(texts))
    elif isinstance(groups, (str, bytes)):
        _group_list(groups, None)
    return iter(groups)


def _take(labels: Iterator, count: int) -> list:
    taken = list(itertools.islice(labels, count))
    if len(taken) < count:
        raise ValueError("groups has fewer labels than there are texts; give one article label "
                         "for each text")
    return taken


class _ArticleWords(dict):
    """article label -> the sorted distinct word numbers of its texts."""

    def add(self, documents: list[np.ndarray], labels: list) -> None:
        for numbers, label in zip(documents, labels):
            distinct = np.unique(numbers)
            known = self.get(label)
            self[label] = distinct if known is None else np.union1d(known, distinct)

    def frequencies(self, table: np.ndarray) -> dict[str, int]:
        """word -> the number of articles that hold it (a word may have two numbers)."""
        words = table.tolist()
        ids: dict = {}
        canonical = np.fromiter((ids.setdefault(w, len(ids)) for w in words), np.int64,
                                len(words))
        held = [np.unique(canonical[numbers]) for numbers in self.values()]
        counts = np.bincount(np.concatenate(held) if held else np.zeros(0, np.int64),
                             minlength=len(ids))
        return {w: int(counts[i]) for w, i in ids.items() if w is not None and counts[i]}


class _TokenForms(dict):
    """Each token's feature form, worked out once per distinct token text (tokens repeat a lot):
    the text of a token span -> the lower-cased token, or None when it is dropped."""

    def __init__(self, lexicon: Lexicon, expand: bool, drop_punctuation: bool,
                 drop_numbers: bool, min_length: int):
        super().__init__()
        self.lexicon, self.options = lexicon, (expand, drop_punctuation, drop_numbers, min_length)

    def __missing__(self, piece: str) -> str | None:
        expand, drop_punctuation, drop_numbers, min_length = self.options
        token = "_".join(piece.split())  # as segment() writes it
        if expand:
            token = self.lexicon.expand(token)
        token = token.lower()
        if (drop_punctuation and not any(ch.isalnum() for ch in token)
                or drop_numbers and is_number(token) or len(token) < min_length):
            form = None
        else:
            form = sys.intern(token)
        if len(self) >= 500_000:  # bounded: about 100 MB at most
            self.clear()
        self[piece] = form
        return form


def _load_models(preprocessor: Preprocessor) -> None:
    """Load the segmenter's model in this process: forked worker processes then start with it
    instead of each loading its own."""
    safely(preprocessor.candidates, ["Khởi động."])


def _candidates_of(preprocessor: Preprocessor, texts: list) -> list:
    """Worker task: candidates of each text as a :class:`Numbered`, a :class:`Failed` where one
    raises (then the texts are done again one by one, to tell which)."""
    with _collector_paused():
        try:
            found = preprocessor._candidates_many(texts)
        except Exception:  # noqa: BLE001 - found again, and reported, text by text
            found = safely(preprocessor.candidates, texts)
        words = WordNumbers()  # numbered here, in the worker (see Numbered)
        return [r if isinstance(r, Failed) else Numbered(words.number(r), words.words)
                for r in found]


@contextlib.contextmanager
def _collector_paused():
    """Python's cyclic garbage collector off for a while (reference counting still frees
    everything). Segmenting makes millions of small lists and tuples and no reference cycles, and
    with the collector on, its passes over every object of the process took a seventh of the
    time (benchmarks/segmentation_speed.py); gathering a large corpus's token lists (from the
    cache, say) makes it pass again and again over all the lists gathered so far."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def preprocess(texts: Iterable[str], groups: Iterable | None = None,
               **params) -> list[list[str]]:
    """The default modelling features of each text (see :class:`Preprocessor` for ``params``;
    ``groups``: the article each text comes from, see :meth:`Preprocessor.fit`).

    Examples
    --------
    >>> preprocess(["Huyện uỷ ban hành Nghị quyết về công tác phát triển đảng viên."])
    [['huyện_ủy', 'ban_hành', 'nghị_quyết', 'phát_triển_đảng_viên']]
    """
    return Preprocessor(**params).fit_transform(texts, groups=groups)
