"""Parallel and cached preprocessing, failing workers, and Dask (on a LocalCluster)."""

import os
import re
import sqlite3
import warnings

import numpy as np
import pytest

import vnparty
from vnparty import Preprocessor
from vnparty.cache import SegmentCache
from vnparty.segmenters import PyviSegmenter


@pytest.fixture(scope="module")
def texts():
    return [u.text for u in vnparty.split_units(vnparty.load_articles())]


@pytest.fixture(scope="module")
def serial(texts):
    return Preprocessor(progress=False).fit_transform(texts)


def test_processes_give_the_same_features(texts, serial):
    assert Preprocessor(progress=False, n_jobs=2, chunk_size=5).fit_transform(texts) == serial


def test_generator_input_is_streamed_in_order(texts, serial):
    pre = Preprocessor(progress=False, chunk_size=7)
    assert list(pre.iter_candidates(t for t in texts)) == \
        [pre.candidates(t) for t in texts]
    assert Preprocessor(progress=False).fit_transform(iter(texts)) == serial


class Counting(PyviSegmenter):
    cache_key = "pyvi"  # same output as pyvi: may share its cache entries

    def __init__(self):
        self.calls = 0

    def __call__(self, text):
        self.calls += 1
        return super().__call__(text)


def test_cache_cold_then_warm(tmp_path, texts, serial):
    cold = Preprocessor(progress=False, cache=tmp_path / "cache")
    assert cold.fit_transform(texts) == serial
    assert len(SegmentCache(tmp_path / "cache" / "segments.sqlite")) == len(set(texts))
    counting = Counting()
    warm = Preprocessor(progress=False, cache=tmp_path / "cache", segmenter=counting)
    assert warm.fit_transform(texts) == serial
    assert counting.calls == 0  # everything came from the cache
    other = Preprocessor(progress=False, cache=tmp_path / "cache", segmenter=counting,
                         tone_style="old")
    other.fit_transform(texts[:3])
    assert counting.calls == 3  # other settings, other keys


def test_damaged_entries_are_recomputed(tmp_path, texts, serial):
    path = tmp_path / "c.sqlite"
    Preprocessor(progress=False, cache=path).fit_transform(texts)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE documents SET ids = X'000000' WHERE rowid = 1")
        connection.execute("UPDATE documents SET ids = X'00000000' || ids WHERE rowid = 2")
    with pytest.warns(UserWarning, match="2 damaged cache entries"):
        assert Preprocessor(progress=False, cache=path).fit_transform(texts) == serial
    assert Preprocessor(progress=False, cache=path).fit_transform(texts) == serial


def test_damaged_cache_file_is_started_afresh(tmp_path, texts, serial):
    path = tmp_path / "c.sqlite"
    SegmentCache(path).put_many([("a", ["đảng"])])
    path.write_bytes(path.read_bytes()[:100] + b"not a database" * 600)  # (header kept)
    with pytest.warns(UserWarning, match="damaged"):
        assert Preprocessor(progress=False, cache=path).fit_transform(texts[:5]) == \
            Preprocessor(progress=False).fit_transform(texts[:5])


def test_the_number_of_a_lost_word_is_never_given_again(tmp_path):
    cache = SegmentCache(tmp_path / "c.sqlite")
    cache.put_many([("a", ["đảng"]), ("b", ["chi_bộ"])])
    with sqlite3.connect(tmp_path / "c.sqlite") as connection:
        connection.execute("DELETE FROM words WHERE id = 1")  # the last word, "chi_bộ"
    fresh = SegmentCache(tmp_path / "c.sqlite")
    fresh.put_many([("c", ["viên"])])  # must not take number 1
    with pytest.warns(UserWarning, match="1 damaged cache entries"):
        assert fresh.get_many(["a", "b", "c"]) == {"a": ["đảng"], "c": ["viên"]}
    assert SegmentCache(tmp_path / "c.sqlite").get_many(["a", "c"]) == {
        "a": ["đảng"], "c": ["viên"]}


def test_an_entry_naming_a_word_the_file_lacks_is_recomputed(tmp_path):
    import zlib

    cache = SegmentCache(tmp_path / "c.sqlite")
    cache.put_many([("a", ["đảng", "viên"]), ("b", ["chi_bộ"])])
    value = (7).to_bytes(4, "little")  # word 7: there are 3 (the checksum is right)
    with sqlite3.connect(tmp_path / "c.sqlite") as connection:
        connection.execute("UPDATE documents SET ids = ?, checksum = ? WHERE key = 'b'",
                           (value, zlib.crc32(value, zlib.crc32(b"b"))))
    with pytest.warns(UserWarning, match="1 damaged cache entries"):
        assert SegmentCache(tmp_path / "c.sqlite").get_many(["a", "b"]) == {
            "a": ["đảng", "viên"]}
    assert len(cache) == 1


def test_a_damaged_word_makes_the_entries_holding_it_recomputed(tmp_path, texts, serial):
    path = tmp_path / "c.sqlite"
    Preprocessor(progress=False, cache=path).fit_transform(texts)
    with sqlite3.connect(path) as connection:
        word = connection.execute("SELECT word FROM words WHERE id = 3").fetchone()[0]
        connection.execute("UPDATE words SET word = 'hỏng' WHERE id = 3")
        connection.execute("DELETE FROM words WHERE id = 5")
    with pytest.warns(UserWarning) as caught:
        assert Preprocessor(progress=False, cache=path).fit_transform(texts) == serial
    said = " ".join(str(w.message) for w in caught)
    assert "1 damaged words" in said and re.search(r"[1-9]\d* damaged cache entries", said)
    with sqlite3.connect(path) as connection:  # the word came again, under a new number
        assert connection.execute("SELECT id FROM words WHERE word = ?",
                                  (word,)).fetchone()[0] > 3
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "1 damaged words")  # (still in the file, unused)
        warnings.filterwarnings("error", ".*damaged cache entries")
        assert Preprocessor(progress=False, cache=path).fit_transform(texts) == serial
        assert len(SegmentCache(path)) == len(set(texts))


def test_a_cache_of_the_old_format_is_dropped(tmp_path, texts, serial):
    path = tmp_path / "c.sqlite"
    with sqlite3.connect(path) as connection:  # format 1: tokens as text, no user_version
        connection.execute("CREATE TABLE entries (key TEXT PRIMARY KEY, tokens TEXT, "
                           "checksum TEXT)")
        connection.execute("INSERT INTO entries VALUES ('a', 'đảng', 'x')")
    assert len(SegmentCache(path)) == 0
    assert Preprocessor(progress=False, cache=path).fit_transform(texts) == serial
    with sqlite3.connect(path) as connection:
        tables = {name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"words", "documents", "sqlite_sequence"}


def test_two_caches_on_one_file_share_the_words(tmp_path):
    one, two = SegmentCache(tmp_path / "c.sqlite"), SegmentCache(tmp_path / "c.sqlite")
    one.put_many([("a", ["đảng", "viên"])])
    assert two.get_many(["a"]) == {"a": ["đảng", "viên"]}
    two.put_many([("b", ["chi_bộ", "đảng"])])  # two has read one's words: numbers go on
    one.put_many([("c", ["cấp_ủy"])])
    assert one.get_many(["a", "b", "c"]) == two.get_many(["a", "b", "c"]) == {
        "a": ["đảng", "viên"], "b": ["chi_bộ", "đảng"], "c": ["cấp_ủy"]}
    with sqlite3.connect(tmp_path / "c.sqlite") as connection:
        numbers = [n for (n,) in connection.execute("SELECT id FROM words ORDER BY id")]
    assert numbers == list(range(4))


def test_failed_cache_write_forgets_its_new_words(tmp_path):
    cache = SegmentCache(tmp_path / "c.sqlite")
    cache.put_many([("a", ["đảng"])])
    with pytest.raises(UnicodeEncodeError):  # SQLite cannot store a lone surrogate
        cache.put_many([("b", ["mới", "\ud800"])])
    assert len(cache) == 1
    cache.put_many([("c", ["viên", "mới"])])
    assert SegmentCache(tmp_path / "c.sqlite").get_many(["a", "b", "c"]) == {
        "a": ["đảng"], "c": ["viên", "mới"]}


def test_failed_cache_write_leaves_no_entry(tmp_path):
    cache = SegmentCache(tmp_path / "c.sqlite")

    def entries():
        yield "a", ["đảng"]
        yield "b", ["chi_bộ"]
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        cache.put_many(entries())
    assert len(cache) == 0
    cache.put_many([("a", ["đảng", "viên"]), ("e", [])])
    assert cache.get_many(["a", "e", "z"]) == {"a": ["đảng", "viên"], "e": []}


class DiesOnMarker(PyviSegmenter):
    """Kills its process on one text, raises on another."""

    def __call__(self, text):
        if "CHẾT" in text:
            os._exit(1)
        if "LỖI" in text:
            raise RuntimeError("cannot segment this")
        return super().__call__(text)


def test_a_worker_that_dies_loses_only_its_document(texts):
    batch = texts[:6] + ["đảng viên CHẾT ở đây"] + texts[6:10] + ["LỖI"]
    pre = Preprocessor(progress=False, n_jobs=2, chunk_size=4, segmenter=DiesOnMarker())
    with pytest.warns(UserWarning, match=r"2 of 12 texts failed.*#6: .*died.*#11: RuntimeError"):
        tokens = pre.fit_transform(batch)
    assert [i for i, _ in pre.failed_] == [6, 11]
    assert tokens[6] == [] and tokens[11] == []
    expected = Preprocessor(progress=False).fit_transform(texts[:10])
    assert tokens[:6] + tokens[7:11] == expected


def test_folder_mixing_encodings(tmp_path):
    from test_encodings import encode_cp1258

    text = "Chi bộ thôn Đầm Buôn sinh hoạt định kỳ, cấp ủy quán triệt nghị quyết."
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "c.txt").write_bytes(encode_cp1258(text))
    articles = vnparty.read_articles(tmp_path)
    assert [a.text for a in articles] == [text] * 3


def test_bad_parameters():
    with pytest.raises(ValueError, match="n_jobs"):
        Preprocessor(n_jobs=0).fit_transform(["x"])
    with pytest.raises(TypeError, match="texts must be str"):
        Preprocessor(progress=False).fit_transform(["đảng", None])


def test_uncacheable_segmenter_is_said(tmp_path):
    def segmenter(text):
        return PyviSegmenter()(text)

    with pytest.warns(UserWarning, match="cache is not used"):
        Preprocessor(progress=False, cache=tmp_path / "c", segmenter=segmenter).fit_transform(["đảng viên"])


def test_dask_local_cluster_gives_the_same_features(texts, serial):
    distributed = pytest.importorskip("distributed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the cluster's own start-up chatter
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster, \
                distributed.Client(cluster) as client:
            tokens = Preprocessor(progress=False, client=client, chunk_size=8).fit_transform(texts)
            by_address = Preprocessor(progress=False, client=cluster.scheduler_address,
                                      chunk_size=8).fit_transform(texts[:5])
    assert tokens == serial
    assert by_address == Preprocessor(progress=False).fit_transform(texts[:5])


def test_no_worker_processes_when_every_chunk_is_done(monkeypatch):
    from vnparty import parallel

    def no_pool(*args, **kwargs):
        raise AssertionError("a process pool was started")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_pool)
    prepared = []
    out = list(parallel.map_chunks(len, [[], [], []], n_jobs=2, prepare=lambda: prepared.append(1)))
    assert out == [[], [], []] and prepared == []  # empty chunks give empty results here


def test_prepare_runs_once_before_the_workers(monkeypatch):
    from vnparty import parallel

    prepared = []
    out = list(parallel.map_chunks(_lengths, [[], ["ab", "c"], [], ["def"]], n_jobs=2,
                                   prepare=lambda: prepared.append(1)))
    assert out == [[], [2, 1], [], [3]] and prepared == [1]


def _lengths(chunk):
    return [len(item) for item in chunk]


def _collector_states(chunk):
    import gc

    return [(gc.isenabled(), gc.get_freeze_count() > 0) for _ in chunk]


def test_workers_freeze_what_they_inherit_and_collect_the_rest():
    import gc

    from vnparty.parallel import map_chunks

    was = gc.isenabled()
    gc.disable()  # as while Preprocessor.fit_transform starts its workers
    try:
        states = list(map_chunks(_collector_states, [[1], [2]], n_jobs=2))
    finally:
        (gc.enable if was else gc.disable)()
    assert states == [[(True, True)], [(True, True)]]


def test_cache_hands_out_word_numbers(tmp_path):
    cache = SegmentCache(tmp_path / "c.sqlite")
    stored = cache.put_many([("a", ["đảng", "viên", "đảng"]), ("b", ["chi_bộ", "viên"])])
    assert [s.tolist() for s in stored] == [[0, 1, 0], [2, 1]]
    other = SegmentCache(tmp_path / "c.sqlite")
    found = other.get_numbers_many(["b", "a", "z"])
    assert {k: v.tolist() for k, v in found.items()} == {"a": [0, 1, 0], "b": [2, 1]}
    assert other.words.table[found["b"]].tolist() == ["chi_bộ", "viên"]
    from vnparty.wordnumbers import Numbered

    sent = Numbered(np.array([1, 0, 1], "<u4"), ["đảng", "cấp_ủy"])
    assert cache.put_many([("c", sent)])[0].tolist() == [3, 0, 3]
    assert cache.get_many(["c"]) == {"c": ["cấp_ủy", "đảng", "cấp_ủy"]}


class _Interleaved:
    """A cache connection that lets another process write just before the second of the two
    reads that load the word table (its highest number, and the rows)."""

    def __init__(self, connection, write):
        self.connection, self.write, self.reads = connection, write, 0

    def execute(self, sql, *args):
        if "sqlite_sequence" in sql or "FROM words WHERE" in sql:
            self.reads += 1
            if self.reads == 2:
                self.write()
        return self.connection.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self.connection, name)

    def __enter__(self):
        return self.connection.__enter__()

    def __exit__(self, *exc):
        return self.connection.__exit__(*exc)


def test_words_another_process_adds_while_the_table_loads_are_not_lost(tmp_path):
    one, two = SegmentCache(tmp_path / "c.sqlite"), SegmentCache(tmp_path / "c.sqlite")
    one._connect()
    two.put_many([("k0", ["đảng"])])  # one reads this word when it meets k0 ...
    one._connection = _Interleaved(one._connection, lambda: two.put_many(
        [(f"two{i}", ["viên"]) for i in range(3)]))  # ... and two writes again meanwhile
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no entry or word taken for damaged
        assert one.get_many(["k0"]) == {"k0": ["đảng"]}
        assert one._connection.reads == 2
        assert one.get_many(["two0"]) == {"two0": ["viên"]}
    one.put_many([("one0", ["viên", "đảng"])])
    with sqlite3.connect(tmp_path / "c.sqlite") as connection:
        stored = [w for (w,) in connection.execute("SELECT word FROM words ORDER BY id")]
    assert stored == ["đảng", "viên"]  # each word once


def test_a_word_stored_under_two_numbers_counts_once_per_document():
    # (a cache written before the race above was closed may hold a word twice)
    table = np.array(["đảng", "viên", "viên"], dtype=object)
    documents = [np.array([1, 0], "<u4")] * 12 + [np.array([2], "<u4")] * 12
    fitted = Preprocessor(max_df=0.6)._fit_numbered(documents, table)
    assert "viên" in fitted.stopwords_.corpus and "đảng" not in fitted.stopwords_.corpus
