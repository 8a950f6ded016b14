"""Names and places among the topics' top words on the bundled paragraphs (issue 13, item 3).

For LDA and NMF, k = 6, seeds 0-4, on the paragraphs of the bundled articles: the top-10 words
that are part of a person's name, and the top-3 words that are part of a place name, with the
name layer and the articles rule (``groups``) on, and with both off (as at 3ae0c36).

    python benchmarks/names_bundled.py
"""

from __future__ import annotations

import vnparty
from vnparty.names import find_names, person_names
from vnparty.normalize import normalize_text


def name_and_place_words(articles) -> tuple[set[str], set[str]]:
    """Lower-cased features that are (part of) a person's or a place's name in the articles, as
    the old pipeline (no name layer) cuts them."""
    people, places = set(), set()
    for article in articles:
        text = normalize_text(article.text)
        tokens = vnparty.segment_spans(text)
        found = find_names(text, tokens)
        for spans, into in ((found.people, people), ([(a, b) for a, b, _ in found.places], places)):
            for a, b in spans:  # the old features that overlap a name: "hà_văn", "hùng"
                into.update("_".join(text[s:e].lower().split()) for s, e in tokens
                            if s < b and e > a)
                into.add("_".join(text[a:b].lower().split()))
        for place in filter(None, (article.province, article.district)):
            places.add("_".join(place.lower().split()))
    return people, places


def check(tokens, people, places, label) -> int:
    bad = 0
    for fit in (vnparty.fit_lda, vnparty.fit_nmf):
        for seed in range(5):
            model = fit(tokens, k=6, seed=seed)
            for t, words in enumerate(model.top_words(10)):
                named = [w for w in words if w in people or w[:1].isupper()]
                placed = [w for w in words[:3] if w in places]
                if named or placed:
                    bad += 1
                    print(f"{label} {fit.__name__} seed {seed} topic {t}: names {named} "
                          f"places {placed} | {' '.join(words)}")
    return bad


def main() -> None:
    articles = vnparty.load_articles()
    units = vnparty.split_units(articles, unit="paragraph")
    people, places = name_and_place_words(articles)
    print("names:", sorted({n for a in articles for n in person_names(a.text)}))
    print("name words:", sorted(people))
    print("place words:", sorted(places))
    texts, groups = [u.text for u in units], [u.article_id for u in units]
    old = vnparty.preprocess(texts, names=False, min_articles=1)
    new = vnparty.preprocess(texts, groups=groups)
    print("topics with a name in the top 10 or a place in the top 3:")
    print("  before:", check(old, people, places, "before"), "of 60")
    print("  after: ", check(new, people, places, "after"), "of 60")


if __name__ == "__main__":
    main()
