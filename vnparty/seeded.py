"""Theory-driven themes: LDA guided by a codebook of seed words (:func:`fit_seeded`).

A codebook names the themes a researcher expects and gives a few seed words for each. The
model's first topics are the codebook's themes, in the codebook's order, and ``k_free`` free
topics follow for what the codebook misses. As in seededlda (Watanabe & Zhou 2020) and keyATM,
a seed word's prior is raised in its theme: its topic-word prior there is eta plus
``seed_weight`` times its count in the corpus (seededlda's default ``weight=0.01`` is
``seed_weight=1``), and stays eta in every other topic. tomotopy's collapsed Gibbs sampler
(:mod:`vnparty.gibbs`) does the fitting, through its word priors. The prior steers the sampling
only: the topics reported (``topic_word``, ``weights``) hold the sampled word counts plus eta,
so a seed word tops its theme only where the corpus put it there.

The bundled codebook is the Party's own division of Party-building work: political,
ideological, ethical, organisational and cadre work; inspection, supervision and discipline;
mass mobilisation; anti-corruption. It lives in ``vnparty/resources/codebook.tsv``
(:func:`bundled_codebook_path`), a tab-separated file with the columns theme, gloss (English),
source (the document the theme comes from) and seed_words (vnparty tokens separated by spaces);
lines starting with ``#`` are comments. To use your own: copy that file, edit it (any text
editor or spreadsheet that saves tab-separated UTF-8), check it with :func:`codebook_audit` and
pass its path as ``codebook=``. A mapping ``{theme: [seed words]}`` works too.

Examples
--------
>>> tokens = [["chi_bộ", "kết_nạp", "đảng_viên"], ["tham_nhũng", "kỷ_luật", "vi_phạm"]] * 5
>>> m = fit_seeded(tokens, {"tổ chức": ["chi_bộ"], "kỷ luật": ["kỷ_luật"]}, k_free=0)
>>> m.topic_names
['tổ chức', 'kỷ luật']
>>> [sorted(words) for words in m.top_words(3)]
[['chi_bộ', 'kết_nạp', 'đảng_viên'], ['kỷ_luật', 'tham_nhũng', 'vi_phạm']]
"""

from __future__ import annotations

import numbers
import warnings
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from .features import check_document, check_tokens, document_term_matrix
from .gibbs import LDA_TOMOTOPY, resolved_priors, tomotopy_lda
from .models import (TopicModel, _cap_workers, _check_k, _check_seed, _normalise_rows, _split_params,
                     _vocabulary_params, lda_doc_topic)
from .normalize import normalize_tone_marks
from .streamed import StreamedCorpus

__all__ = ["Theme", "fit_seeded", "codebook_audit", "read_codebook", "default_codebook",
           "bundled_codebook_path", "COLUMNS"]

#: The columns of a codebook file, in order.
COLUMNS = ("theme", "gloss", "source", "seed_words")


@dataclass(frozen=True)
class Theme:
    """One theme of a codebook: its name, English gloss, source document and seed words."""

    name: str
    seed_words: tuple[str, ...]
    gloss: str = ""
    source: str = ""


def bundled_codebook_path() -> Path:
    """Path of the bundled codebook (``vnparty/resources/codebook.tsv``): copy it to edit it."""
    return Path(str(resources.files("vnparty") / "resources" / "codebook.tsv"))


def _seed_word(word, where: str) -> str:
    if not isinstance(word, str):
        raise TypeError(f"{where}: a seed word must be a str, not {word!r}")
    word = normalize_tone_marks(word.strip())  # NFC and one tone-mark style, as preprocess
    if not word or len(word.split()) != 1:
        raise ValueError(f"{where}: seed word {word!r} is not one token; join the syllables "
                         "of a word with '_' (chi_bộ) and separate words with spaces")
    return word


def _theme(name, seeds, where: str, gloss: str = "", source: str = "") -> Theme:
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{where}: a theme needs a name")
    if isinstance(seeds, str) or not hasattr(seeds, "__iter__"):
        raise TypeError(f"{where}: the seed words of theme {name!r} must be a list of str, "
                        f"not {type(seeds).__name__}")
    words = tuple(dict.fromkeys(_seed_word(w, where) for w in seeds))  # each once, in order
    if not words:
        raise ValueError(f"{where}: theme {name!r} has no seed words; give it at least one")
    return Theme(name.strip(), words, gloss, source)


def _check_names(themes: list[Theme], where: str) -> list[Theme]:
    if not themes:
        raise ValueError(f"{where}: the codebook has no themes; give at least one theme "
                         "with its seed words")
    twice = [n for n, c in Counter(t.name for t in themes).items() if c > 1]
    if twice:
        raise ValueError(f"{where}: theme {twice[0]!r} is named twice; give each theme its "
                         "own name")
    return themes


def read_codebook(path: str | Path) -> list[Theme]:
    """Read a codebook file (the format of :func:`bundled_codebook_path`). A line in the wrong
    format raises ``ValueError`` naming the file and the line."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError) as error:
        raise type(error)(f"{path}: no codebook file there; copy the bundled one "
                          f"({bundled_codebook_path()}) and edit it") from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise ValueError(f"{path}, line {line}: not UTF-8 text; save the codebook as UTF-8"
                         ) from error
    themes, header = [], False
    for number, line in enumerate(text.splitlines(), start=1):
        where = f"{path}, line {number}"
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if not header:
            if tuple(cells) != COLUMNS:
                raise ValueError(f"{where}: expected the header {chr(9).join(COLUMNS)!r} "
                                 f"(columns separated by tabs), found {line!r}")
            header = True
            continue
        if len(cells) != len(COLUMNS):
            raise ValueError(f"{where}: expected {len(COLUMNS)} columns separated by tabs "
                             f"({', '.join(COLUMNS)}), found {len(cells)}")
        name, gloss, source, seeds = cells
        themes.append(_theme(name, seeds.split(), where, gloss, source))
    return _check_names(themes, str(path))


def default_codebook() -> list[Theme]:
    """The bundled codebook: the Party's division of Party-building work."""
    return read_codebook(bundled_codebook_path())


def _codebook(codebook) -> list[Theme]:
    """Themes from None (the bundled codebook), a path, a mapping or a list of Theme."""
    if codebook is None:
        return default_codebook()
    if isinstance(codebook, (str, Path)):
        return read_codebook(codebook)
    if isinstance(codebook, Mapping):
        return _check_names([_theme(name, seeds, "codebook") for name, seeds in
                             codebook.items()], "codebook")
    if isinstance(codebook, (list, tuple)) and all(isinstance(t, Theme) for t in codebook):
        return _check_names([_theme(t.name, t.seed_words, "codebook", t.gloss, t.source)
                             for t in codebook], "codebook")
    raise TypeError("codebook must be None (the bundled one), the path of a codebook file, "
                    f"a mapping {{theme: [seed words]}} or a list of Theme, not "
                    f"{type(codebook).__name__}")


def _shared(themes: list[Theme]) -> dict[str, list[str]]:
    """Seed words listed under more than one theme, with those themes."""
    where: dict[str, list[str]] = {}
    for theme in themes:
        for word in theme.seed_words:
            where.setdefault(word, []).append(theme.name)
    return {w: names for w, names in where.items() if len(names) > 1}


def codebook_audit(codebook, tokens) -> pd.DataFrame:
    """How often each seed word of ``codebook`` occurs in ``tokens`` (token lists).

    One row per theme and seed word, in codebook order: theme, seed_word, tokens (occurrences),
    documents (token lists that hold it), themes (how many themes list it) and flag ("never
    occurs", "in 2 themes: a, b", or empty). Warns about seed words that never occur, themes
    none of whose seed words occurs, and seed words in more than one theme (which
    :func:`fit_seeded` refuses). ``codebook`` as in :func:`fit_seeded`; None is the bundled one.
    """
    themes = _codebook(codebook)
    if isinstance(tokens, str) or not hasattr(tokens, "__iter__"):
        raise TypeError("tokens must be a list of token lists, as preprocess() returns")
    occurrences, documents = Counter(), Counter()
    for position, doc in enumerate(tokens):
        check_document(position, doc)
        occurrences.update(doc)
        documents.update(set(doc))
    shared = _shared(themes)
    rows = [{"theme": t.name, "seed_word": w, "tokens": occurrences[w],
             "documents": documents[w], "themes": len(shared.get(w, [t.name])),
             "flag": ("never occurs" if not occurrences[w] else "")
             + ("; " if not occurrences[w] and w in shared else "")
             + (f"in {len(shared[w])} themes: {', '.join(shared[w])}" if w in shared else "")}
            for t in themes for w in t.seed_words]
    frame = pd.DataFrame(rows, columns=["theme", "seed_word", "tokens", "documents", "themes",
                                        "flag"])
    missing = frame[frame["tokens"] == 0]
    if len(missing):
        listed = "; ".join(f"{name}: {', '.join(group['seed_word'])}"
                           for name, group in missing.groupby("theme", sort=False))
        warnings.warn(f"{len(missing)} seed words never occur in the corpus ({listed})",
                      stacklevel=2)
    empty = [t.name for t in themes if not any(occurrences[w] for w in t.seed_words)]
    if empty:
        warnings.warn(f"no seed word of theme(s) {', '.join(map(repr, empty))} occurs in the "
                      "corpus: such a theme is a free topic with a name", stacklevel=2)
    if shared:
        warnings.warn("seed words in more than one theme: " + "; ".join(
            f"{w} ({', '.join(names)})" for w, names in shared.items()), stacklevel=2)
    return frame


def _priors(themes, column, frequency, k, eta, weight):
    """Each seed word's topic-word prior per topic, and the themes with no seed word in the
    vocabulary."""
    priors, unseeded = {}, []
    for t, theme in enumerate(themes):
        found = [w for w in theme.seed_words if w in column]
        if not found:
            unseeded.append(theme.name)
        for word in found:
            prior = [eta] * k
            prior[t] = eta + weight * float(frequency[column[word]])
            priors[word] = prior
    return priors, unseeded


def _whole(name: str, value, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number, not {value!r}")
    if value < least:
        raise ValueError(f"{name} must be at least {least} (got {value})")
    return int(value)


def fit_seeded(tokens, codebook=None, k_free: int = 2, seed: int = 0, **params) -> TopicModel:
    """Fit LDA whose first topics are the themes of ``codebook``, then ``k_free`` free topics.

    ``codebook``: None (the bundled codebook), the path of a codebook file, a mapping
    ``{theme: [seed words]}`` or a list of :class:`Theme`. ``model.topic_names`` names the
    topics: the themes, then "free 0", "free 1" …. ``seed_weight`` (default 1.0, 0 turns the
    seeding off) sets how far a seed word's prior is raised in its theme (see the module
    notes); the other parameters are those of ``fit_lda(..., backend="tomotopy")`` (alpha,
    eta, iterations, optim_interval, burn_in, workers) and the vocabulary's (min_df, max_df,
    max_features). Same tokens, codebook, parameters and seed: the same model, in any process.

    Raises ``ValueError`` for an empty codebook, a seed word listed under two themes (the
    theme it belongs to is the researcher's call: :func:`codebook_audit` lists them),
    ``k_free < 0`` or a codebook file in the wrong format; warns when no seed word of a theme
    is in the vocabulary (the theme is then a free topic with a name).
    """
    vocabulary_params, p = _split_params(params, {**LDA_TOMOTOPY, "seed_weight": 1.0},
                                         "fit_seeded")  # checks names and values
    weight = p.pop("seed_weight")
    k_free = _whole("k_free", k_free, 0)
    seed = _check_seed(seed, "fit_seeded")
    p["workers"] = _cap_workers(p["workers"])
    themes = _codebook(codebook)
    shared = _shared(themes)
    if shared:
        word, names = next(iter(shared.items()))
        raise ValueError(f"seed word {word!r} is listed under {len(names)} themes "
                         f"({', '.join(names)}); keep it in one (codebook_audit lists "
                         f"every such word: {len(shared)} here)")
    if isinstance(tokens, StreamedCorpus):
        raise TypeError("fit_seeded takes token lists (as preprocess() returns), not a "
                        "StreamedCorpus: tomotopy samples from memory")
    docs, index = check_tokens(tokens)
    k = len(themes) + k_free
    if k < 2:
        raise ValueError("one theme and no free topic is one topic, the whole corpus; add a "
                         "theme or a free topic (k_free=1)")
    if k > len(docs):
        raise ValueError(f"{len(themes)} themes and k_free={k_free} free topics make {k} "
                         f"topics, more than the {len(docs)} documents; use fewer themes or "
                         "free topics, or smaller units (split_units(..., unit='paragraph'))")
    k = _check_k(k, len(docs))
    vocabulary_params = _vocabulary_params(vocabulary_params, len(docs))
    counts, vocabulary = document_term_matrix(docs, **vocabulary_params)
    column = {w: j for j, w in enumerate(vocabulary)}
    frequency = np.asarray(counts.sum(axis=0)).ravel()
    p.update(resolved_priors(p, k))
    priors, unseeded = _priors(themes, column, frequency, k, p["eta"], weight)
    if unseeded:
        warnings.warn(f"no seed word of theme(s) {', '.join(map(repr, unseeded))} is in the "
                      "vocabulary (they never occur, or in fewer documents than min_df): such "
                      "a theme is a free topic with a name; check with codebook_audit",
                      stacklevel=2)
    weights, alpha = tomotopy_lda(counts, vocabulary, k, seed, p,
                                  word_priors=priors if weight > 0 else None)
    names = [t.name for t in themes] + [f"free {i}" for i in range(k_free)]
    return TopicModel(kind="lda", backend="tomotopy", vocabulary=vocabulary,
                      topic_word=_normalise_rows(weights),
                      doc_topic=lda_doc_topic(counts, weights, alpha), doc_index=index,
                      weights=weights, seed=seed, topic_names=names,
                      params={"k": k, **vocabulary_params, **p, "k_free": k_free,
                              "seed_weight": float(weight),
                              "codebook": {t.name: list(t.seed_words) for t in themes}})
