"""pyvi's CRF model read directly, and crfsuite's Viterbi run on many sentences at once.

crfsuite (through python-crfsuite) tags one sentence per call and looks each attribute up by its
name; on news, made of thousands of short sentences, that was a third of preprocessing. Here the
weights are read once from the model file, each distinct syllable's weights are looked up once
(the segmenter caches them), and the sentences of many texts are decoded together with numpy,
one position of all sentences per step.

The arithmetic is crfsuite's, operation for operation (``crf1d_tag.c``, ``crf1d_context.c``): a
position's score for a label adds the weights of its attributes one by one, in order, from 0;
Viterbi adds the transition to the previous score and keeps the first of equal maxima. So the
labels are crfsuite's to the last bit, not merely close: ``tests/test_crf.py`` compares the
two on thousands of sentences, and the segmenter checks the weights against the tagger before it
uses them.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

__all__ = ["Weights", "read_weights", "viterbi_many"]


@dataclass(frozen=True, eq=False)  # (an array does not compare to one bool)
class Weights:
    """A CRF's weights: ``state[attribute][label]`` and ``transition[from label, to label]``."""

    labels: tuple[str, ...]
    state: dict[bytes, tuple[float, ...]]  # an attribute with no feature for a label: 0.0 there
    transition: np.ndarray

    def total(self, attributes: Iterable[bytes]) -> tuple[float, ...]:
        """The score of each label for these attributes, added up in crfsuite's order."""
        total = [0.0] * len(self.labels)
        nothing = (0.0,) * len(self.labels)
        for attribute in attributes:
            for label, weight in enumerate(self.state.get(attribute, nothing)):
                total[label] += weight
        return tuple(total)


def read_weights(path: str | Path, attributes: Sequence[bytes],
                 labels: Sequence[str]) -> Weights | None:
    """The weights of the crfsuite model file at ``path`` (a first-order CRF, "FOMC"), given its
    ``attributes`` and ``labels`` in id order (as the tagger lists them); ``None`` if the file
    is not laid out as this reader expects."""
    try:
        data = Path(path).read_bytes()
        magic, _, kind, _, _, n_labels, n_attributes, offset = struct.unpack_from("<4sI4sI4I", data)
        chunk, _, n_features = struct.unpack_from("<4sII", data, offset)
        features = np.frombuffer(data, dtype=[("type", "<u4"), ("source", "<u4"),
                                              ("target", "<u4"), ("weight", "<f8")],
                                 count=n_features, offset=offset + 12)
    except (OSError, struct.error, ValueError):
        return None
    kinds, sources = features["type"], features["source"]
    if (magic, kind, chunk) != (b"lCRF", b"FOMC", b"FEAT") or n_labels != len(labels) \
            or not 0 < n_labels <= 127 or n_attributes != len(attributes) \
            or not set(kinds.tolist()) <= {0, 1} or features["target"].max(initial=0) >= n_labels \
            or sources[kinds == 0].max(initial=0) >= n_attributes \
            or sources[kinds == 1].max(initial=0) >= n_labels:
        return None  # (at most 127 labels: viterbi_many keeps them as int8)
    state: dict[bytes, list[float]] = {}
    transition = np.zeros((n_labels, n_labels))
    for kind, source, target, weight in features.tolist():
        if kind == 0:  # a state feature: attribute source, label target
            state.setdefault(attributes[source], [0.0] * n_labels)[target] = weight
        else:  # a transition from label source to label target
            transition[source, target] = weight
    return Weights(tuple(labels), {a: tuple(w) for a, w in state.items()}, transition)


def viterbi_many(state: np.ndarray, starts: np.ndarray, lengths: np.ndarray,
                 transition: np.ndarray) -> np.ndarray:
    """The best label (its index) of every position of ``state`` (positions × labels) that lies
    in a sequence ``state[start:start + length]``, each sequence decoded on its own as crfsuite's
    ``crf1dc_viterbi`` does; all sequences advance together, one position per step."""
    labels = np.zeros(len(state), np.intp)
    starts, lengths = starts[lengths > 0], lengths[lengths > 0]
    if not len(starts):
        return labels
    order = np.argsort(-lengths, kind="stable")  # longest first: the live ones are a prefix
    starts, lengths = starts[order], lengths[order]
    longest, n_labels = int(lengths[0]), transition.shape[0]
    # live[t]: how many sequences are longer than t
    live = np.append(np.cumsum(np.bincount(lengths, minlength=longest + 1)[::-1])[::-1][1:], 0)
    back = np.zeros((len(state), n_labels), np.int8)  # the label before, for each label
    score = state[starts]
    for t in range(1, longest):
        at = starts[:live[t]] + t
        before = score[:live[t]]
        new = np.empty_like(before)
        for j in range(n_labels):
            best, came_from = before[:, 0] + transition[0, j], np.zeros(len(at), np.int8)
            for i in range(1, n_labels):
                candidate = before[:, i] + transition[i, j]
                better = best < candidate  # strict: the first of equal scores stays
                best = np.where(better, candidate, best)
                came_from[better] = i
            new[:, j] = best + state[at, j]
            back[at, j] = came_from
        score[:live[t]] = new
    last, best = np.zeros(len(starts), np.intp), score[:, 0]
    for i in range(1, n_labels):
        better = best < score[:, i]
        best = np.where(better, score[:, i], best)
        last[better] = i
    current = np.zeros(len(starts), np.intp)
    for t in range(longest - 1, -1, -1):
        current[live[t + 1]:live[t]] = last[live[t + 1]:live[t]]  # sequences that end at t
        at = starts[:live[t]] + t
        labels[at] = current[:live[t]]
        if t:
            current[:live[t]] = back[at, current[:live[t]]]
    return labels
