"""scikit-learn estimators around :func:`fit_lda` and :func:`fit_nmf`, so that preprocessing and
model sit in one ``Pipeline``::

    Pipeline([("features", Preprocessor()), ("topics", LdaTopics(n_topics=6))])
"""

from __future__ import annotations

from collections.abc import Mapping

from sklearn.base import BaseEstimator, TransformerMixin

from .models import TopicModel, fit_lda, fit_nmf

__all__ = ["LdaTopics", "NmfTopics"]


class _Topics(TransformerMixin, BaseEstimator):
    def _fit(self, tokens) -> TopicModel:  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    def fit(self, X, y=None):
        """Fit on token lists (``X``: list of list of str). The result is ``model_``. Bad
        parameters raise the errors of :func:`vnparty.fit_lda` and :func:`vnparty.fit_nmf`."""
        self.model_ = self._fit(X)
        self.components_ = self.model_.topic_word
        return self

    def transform(self, X):
        """Topic shares (n × k) of token lists."""
        return self._fitted().transform(X)

    def top_words(self, n: int = 10) -> list[list[str]]:
        return self._fitted().top_words(n)

    def _fitted(self) -> TopicModel:
        if not hasattr(self, "model_"):
            raise RuntimeError(f"this {type(self).__name__} is not fitted yet; call fit first")
        return self.model_

    def _options(self) -> dict:
        """``options`` for the fit, checked: a dict without the estimator's own parameters."""
        if self.options is None:
            return {}
        if not isinstance(self.options, Mapping):
            raise TypeError(f"options must be a dict of fit parameters, not {self.options!r}")
        own = {"k": "n_topics", "seed": "random_state", "backend": "backend"}
        clash = sorted(set(self.options) & set(own))
        if clash:
            raise TypeError(f"options may not hold {clash}: set the estimator's "
                            f"{', '.join(own[name] for name in clash)} instead")
        return dict(self.options)


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
                       **self._options())


class NmfTopics(_Topics):
    """NMF on TF-IDF as a scikit-learn transformer. ``options`` go to :func:`vnparty.fit_nmf`."""

    def __init__(self, n_topics: int = 6, *, random_state: int = 0, options: dict | None = None):
        self.n_topics = n_topics
        self.random_state = random_state
        self.options = options

    def _fit(self, tokens) -> TopicModel:
        return fit_nmf(tokens, self.n_topics, seed=self.random_state, **self._options())
