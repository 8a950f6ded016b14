"""scikit-learn estimators around :func:`fit_lda` and :func:`fit_nmf`, so that preprocessing and
model sit in one ``Pipeline``::

    Pipeline([("features", Preprocessor()), ("topics", LdaTopics(n_topics=6))])
"""

from __future__ import annotations

from sklearn.base import BaseEstimator, TransformerMixin

from .models import TopicModel, fit_lda, fit_nmf

__all__ = ["LdaTopics", "NmfTopics"]


class _Topics(TransformerMixin, BaseEstimator):
    def _fit(self, tokens) -> TopicModel:  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    def fit(self, X, y=None):
        """Fit on token lists (``X``: list of list of str). The result is ``model_``."""
        self.model_ = self._fit(X)
        self.components_ = self.model_.topic_word
        return self

    def transform(self, X):
        """Topic shares (n × k) of token lists."""
        if not hasattr(self, "model_"):
            raise RuntimeError(f"this {type(self).__name__} is not fitted yet; call fit first")
        return self.model_.transform(X)

    def top_words(self, n: int = 10) -> list[list[str]]:
        return self.model_.top_words(n)


class LdaTopics(_Topics):
    """LDA as a scikit-learn transformer. ``backend`` and ``options`` go to
    :func:`vnparty.fit_lda` (None: its default backend; options such as iterations, alpha, eta,
    min_df, …); unknown ones raise when fitting."""

    def __init__(self, n_topics: int = 6, *, random_state: int = 0, backend: str | None = None,
                 options: dict | None = None):
        self.n_topics = n_topics
        self.random_state = random_state
        self.backend = backend
        self.options = options

    def _fit(self, tokens) -> TopicModel:
        return fit_lda(tokens, self.n_topics, seed=self.random_state, backend=self.backend,
                       **(self.options or {}))


class NmfTopics(_Topics):
    """NMF on TF-IDF as a scikit-learn transformer. ``options`` go to :func:`vnparty.fit_nmf`."""

    def __init__(self, n_topics: int = 6, *, random_state: int = 0, options: dict | None = None):
        self.n_topics = n_topics
        self.random_state = random_state
        self.options = options

    def _fit(self, tokens) -> TopicModel:
        return fit_nmf(tokens, self.n_topics, seed=self.random_state, **(self.options or {}))
