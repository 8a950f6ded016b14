"""Token lists as word numbers: numbering, document frequencies and decoding against plain
Python on lists of strings."""

import random
from collections import Counter

import numpy as np
import pytest

from vnparty.wordnumbers import WordNumbers, decode, document_frequencies


def _documents(seed: int, count: int = 300) -> list[list[str]]:
    rng = random.Random(seed)
    words = [f"từ_{i}" for i in range(500)]
    return [[rng.choice(words[:rng.randint(1, 500)]) for _ in range(rng.randint(0, 60))]
            for _ in range(count)]


def test_numbers_in_first_seen_order_and_back():
    words = WordNumbers()
    assert words.number(["đảng", "viên", "đảng"]).tolist() == [0, 1, 0]
    assert words.number(["chi_bộ", "viên"]).tolist() == [2, 1]
    assert words.number([]).dtype == np.dtype("<u4")
    assert words.table.tolist() == ["đảng", "viên", "chi_bộ"]
    documents = _documents(0)
    numbered = [words.number(d) for d in documents]
    assert [words.decode(n) for n in numbered] == documents
    assert len(words) == len(set(words.words)) == 3 + len({w for d in documents for w in d})


def test_forgotten_words_get_their_numbers_again_and_unused_numbers_name_nothing():
    words = WordNumbers()
    words.number(["đảng"])
    words.append(None)  # a number kept unused
    table = words.table  # (taken before the changes below)
    assert words.number(["viên", "mới"]).tolist() == [2, 3]
    words.forget_from(2)
    assert words.table.tolist() == ["đảng", None] and "viên" not in words.numbers
    assert words.number(["mới", "đảng"]).tolist() == [2, 0]
    assert words.table.tolist() == ["đảng", None, "mới"]
    assert table.tolist() == ["đảng", None]  # a table given out earlier keeps its words


def test_table_follows_many_additions():
    words = WordNumbers()
    for i in range(5000):  # across several doublings of the buffer
        words.number([f"w{i}", f"w{i // 2}"])
        if i % 997 == 0:
            assert words.table.tolist() == words.words
    assert words.table.tolist() == words.words and len(words.table) == 5000


@pytest.mark.parametrize("seed", [1, 2])
def test_document_frequencies_as_counted_in_python(seed):
    documents = _documents(seed)
    documents.append(["lặp"] * 65_536)  # an 8- or 16-bit count of it would wrap round to 0
    words = WordNumbers()
    numbered = [words.number(d) for d in documents]
    counted = Counter(w for d in documents for w in set(d))
    expected = [counted[w] for w in words.words]
    assert document_frequencies(numbered, len(words)).tolist() == expected
    assert document_frequencies(numbered, len(words) + 3).tolist() == expected + [0, 0, 0]


def test_document_frequencies_of_nothing():
    assert document_frequencies([], 2).tolist() == [0, 0]
    assert document_frequencies([np.empty(0, "<u4")] * 3, 0).tolist() == []


def test_decode_keeps_order_and_drops_what_is_not_kept():
    documents = _documents(3)
    words = WordNumbers()
    numbered = [words.number(d) for d in documents]
    dropped = {w for w in words.words if w.endswith(("1", "4", "7"))}
    keep = np.array([w not in dropped for w in words.words])
    assert decode(words.table, numbered) == documents
    assert decode(words.table, numbered, keep) == [[w for w in d if w not in dropped]
                                                  for d in documents]


def test_numbered_chunks_are_renumbered_into_the_table():
    import pickle

    from vnparty.wordnumbers import Numbered

    documents = _documents(4, count=40)
    chunk_words = WordNumbers()  # as a worker numbers its chunk
    chunk = pickle.loads(pickle.dumps([Numbered(chunk_words.number(d), chunk_words.words)
                                       for d in documents]))
    assert all(item.words is chunk[0].words for item in chunk)  # one list, sent once
    table = WordNumbers()
    table.number(["đảng", documents[5][0]])  # words already numbered keep their numbers
    numbered = [table.number(item) for item in chunk]
    assert [table.decode(n) for n in numbered] == documents
    assert [table.number(d).tolist() for d in documents] == [n.tolist() for n in numbered]
    again = WordNumbers()
    again.number(["đảng"])
    again.number(chunk[0])
    again.forget_from(1)  # a failed cache write: the chunk's numbers here are forgotten too
    again.number(["khác"])
    assert again.decode(again.number(chunk[3])) == documents[3]


def test_words_numbered_after_a_forget_reach_the_table():
    words = WordNumbers()
    words.number(["a", "b"])
    assert words.table.tolist() == ["a", "b"]
    words.forget_from(1)
    words.number(["c"])
    assert words.table.tolist() == ["a", "c"]


def test_document_frequencies_refuse_numbers_beyond_the_table():
    with pytest.raises(ValueError, match="size"):
        document_frequencies([np.array([0, 5], "<u4")], 2)
