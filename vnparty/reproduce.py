"""Every table (and, as the project grows, every figure) from the bundled articles.

Outputs are written atomically and are byte-identical from run to run.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd

from .corpus import load_articles, split_units
from .io import atomic_write_text
from .lexicon import default_lexicon, document_references
from .preprocess import Preprocessor

__all__ = ["reproduce"]


def _write_csv(frame: pd.DataFrame, path: Path) -> Path:
    return atomic_write_text(path, frame.to_csv(index=False, lineterminator="\n"))


def reproduce(out: str | Path, *, unit: str = "paragraph") -> list[Path]:
    """Write the tables of the bundled corpus under ``out/tables``; return the paths."""
    out = Path(out)
    articles = load_articles()
    units = split_units(articles, unit=unit)
    preprocessor = Preprocessor()
    tokens = preprocessor.fit_transform([u.text for u in units])
    lexicon = default_lexicon()
    written = []

    written.append(_write_csv(pd.DataFrame([{
        "id": a.id, "title": a.title, "newspaper": a.source, "province": a.province,
        "district": a.district, "date": a.date.isoformat() if a.date else "unknown",
        "byline": a.byline, "paragraphs": len(a.paragraphs), "characters": len(a.text),
    } for a in articles]), out / "tables" / "articles.csv"))

    counts = Counter(t for doc in tokens for t in doc)
    written.append(_write_csv(pd.DataFrame(
        [(w, n, lexicon.gloss(w) or "") for w, n in sorted(counts.items(),
                                                           key=lambda x: (-x[1], x[0]))],
        columns=["feature", "count", "gloss"]), out / "tables" / "features.csv"))

    candidates = [preprocessor.candidates(u.text) for u in units]
    written.append(_write_csv(preprocessor.stopwords_.report(candidates),
                              out / "tables" / "stopwords_removed.csv"))

    written.append(_write_csv(pd.DataFrame(
        [(a.id, ref) for a in articles for ref in document_references(a.text)],
        columns=["article_id", "document"]), out / "tables" / "documents_cited.csv"))
    return written
