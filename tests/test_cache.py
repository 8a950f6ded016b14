"""The cache file: what it may reset, locks held by other processes, damaged pages, paths."""

import hashlib
import sqlite3
import subprocess
import sys
import time
import warnings

import pytest

import vnparty
from vnparty import Preprocessor
from vnparty import cache as cache_module
from vnparty.cache import NotACacheError, SegmentCache

SAMPLE = ["Chi bộ thôn Đầm Buôn sinh hoạt định kỳ.", "Cấp ủy quán triệt nghị quyết của Đảng.",
          "Đảng viên mới được kết nạp ở xã."]


@pytest.fixture(scope="module")
def expected():
    return Preprocessor(progress=False).fit_transform(SAMPLE)


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _other_app_database(path):
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE documents (key TEXT PRIMARY KEY, body TEXT)")
        connection.execute("INSERT INTO documents VALUES ('letter', 'thư gửi mẹ')")
    connection.close()


# -- a path that holds something else is refused and left as it is ---------------------------

@pytest.mark.parametrize("kind", ["csv", "other_database", "empty_database", "no_suffix"])
def test_a_file_that_is_not_a_cache_is_refused_and_left_alone(tmp_path, kind):
    path = tmp_path / ("notes" if kind == "no_suffix" else f"user.{kind}")
    if kind == "csv":
        path.write_text("id,text\n1,Đảng viên\n", encoding="utf-8")
    elif kind == "other_database":
        _other_app_database(path)
    elif kind == "empty_database":
        with sqlite3.connect(path) as connection:  # a database whose tables were dropped
            connection.execute("CREATE TABLE t (a)")
            connection.execute("DROP TABLE t")
        connection.close()
    else:
        path.write_bytes(b"not a database" * 100)
    before, files = _digest(path), sorted(tmp_path.iterdir())
    with pytest.raises(NotACacheError, match=r"not a vnparty cache.*folder or a new file name"):
        Preprocessor(progress=False, cache=path).fit_transform(SAMPLE)
    with pytest.raises(ValueError, match="not a vnparty cache"):
        len(SegmentCache(path))
    assert _digest(path) == before and sorted(tmp_path.iterdir()) == files
    if kind == "other_database":
        with sqlite3.connect(path) as connection:
            assert connection.execute("SELECT * FROM documents").fetchall() == [
                ("letter", "thư gửi mẹ")]
        connection.close()


def test_the_command_refuses_its_own_input_as_cache(tmp_path, capsys):
    from vnparty.cli import main

    corpus = tmp_path / "corpus.csv"
    corpus.write_text("id,text\n" + "".join(f"{i},{t}\n" for i, t in enumerate(SAMPLE)),
                      encoding="utf-8")
    before = _digest(corpus)
    status = main(["topics", str(corpus), "--cache", str(corpus), "--k", "2",
                   "--out", str(tmp_path / "out")])
    assert status != 0 and "not a vnparty cache" in capsys.readouterr().err
    assert _digest(corpus) == before


def test_an_empty_file_or_a_new_name_becomes_a_cache(tmp_path, expected):
    (tmp_path / "empty.sqlite").touch()
    for path in (tmp_path / "empty.sqlite", tmp_path / "new.sqlite"):
        assert Preprocessor(progress=False, cache=path).fit_transform(SAMPLE) == expected
        assert len(SegmentCache(path)) == len(SAMPLE)
        with sqlite3.connect(path) as connection:
            assert connection.execute("PRAGMA application_id").fetchone()[0] == \
                cache_module._APPLICATION_ID
        connection.close()


def _old_cache(path):
    """A cache as vnparty wrote them before it marked its files (format 3, no application id)."""
    with sqlite3.connect(path) as connection:
        for statement in cache_module._TABLES:
            connection.execute(statement)
        connection.execute("PRAGMA user_version = 3")
    connection.close()
    return path


def test_a_cache_written_before_the_mark_is_kept(tmp_path):
    path = _old_cache(tmp_path / "old.sqlite")
    with sqlite3.connect(path) as connection:  # (as that version wrote it)
        for number, word in enumerate(["đảng", "viên"]):
            connection.execute("INSERT INTO words VALUES (?, ?, ?)",
                               (number, word, cache_module._word_checksum(number, word)))
        value = bytes([0, 0, 0, 0, 1, 0, 0, 0])
        connection.execute("INSERT INTO documents VALUES ('a', ?, ?)",
                           (value, cache_module._checksum("a", value)))
    connection.close()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert SegmentCache(path).get_many(["a"]) == {"a": ["đảng", "viên"]}
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA application_id").fetchone()[0] == \
            cache_module._APPLICATION_ID
    connection.close()


def test_an_unmarked_file_too_damaged_to_recognise_is_left_alone(tmp_path):
    path = _old_cache(tmp_path / "old.sqlite")
    SegmentCache(tmp_path / "marked.sqlite")  # (not this one)
    data = bytearray(path.read_bytes())
    data[100] = 0  # the schema's page: no longer readable, so not recognisable
    path.write_bytes(bytes(data))
    with pytest.raises(NotACacheError, match="too damaged to recognise"):
        len(SegmentCache(path))
    assert path.read_bytes() == bytes(data)


# -- damage ------------------------------------------------------------------------------------

def _filled_cache(path, n=3000):
    cache = SegmentCache(path)
    cache.put_many([(f"k{i}", [f"từ{i % 300}", f"chữ{i % 7}"] * 5) for i in range(n)])
    cache.close()
    return [f"k{i}" for i in range(n)]


def _break_pages(path, page_type):
    """Set every b-tree page of ``page_type`` (and not page 1) to an invalid type."""
    data = bytearray(path.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    broken = [n for n in range(1, len(data) // size) if data[n * size] == page_type]
    for n in broken:
        data[n * size] = 0
    path.write_bytes(bytes(data))
    return broken


def test_a_damaged_page_found_by_a_query_starts_the_cache_afresh(tmp_path):
    path = tmp_path / "c.sqlite"
    keys = _filled_cache(path)
    cache = SegmentCache(path)
    assert len(cache.get_many(keys[:5])) == 5  # opened: the damage comes after
    assert _break_pages(path, 0x0A)  # the leaves of the index of keys
    path.chmod(0o640)
    with pytest.warns(UserWarning, match=r"damaged \(database disk image is malformed\); it "
                                         "is started afresh"):
        assert cache.get_many(keys) == {}  # (all recomputed)
    assert path.stat().st_mode & 0o777 == 0o640 and len(list(tmp_path.iterdir())) == 1
    cache.put_many([("k1", ["từ1", "chữ1"])])
    assert cache.get_many(["k1", "k2"]) == {"k1": ["từ1", "chữ1"]}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fresh = SegmentCache(path)
        assert fresh.get_many(["k1"]) == {"k1": ["từ1", "chữ1"]} and len(fresh) == 1


def test_numbers_handed_out_before_a_reset_stay_valid(tmp_path):
    path = tmp_path / "c.sqlite"
    keys = _filled_cache(path)
    cache = SegmentCache(path)
    before = cache.get_numbers_many(keys[:3])
    _break_pages(path, 0x0A)
    with pytest.warns(UserWarning, match="started afresh"):
        stored = cache.put_many([("new", ["từ5", "mới"])])  # the write meets the damage
    assert cache.words.table[stored[0]].tolist() == ["từ5", "mới"]
    assert {k: cache.words.table[v].tolist() for k, v in before.items()} == {
        k: [f"từ{i % 300}", f"chữ{i % 7}"] * 5 for i, k in enumerate(keys[:3])}
    again = SegmentCache(path)  # another process reads the same numbers back
    assert again.get_many(["new"]) == {"new": ["từ5", "mới"]}
    assert again.get_numbers_many(["new"])["new"].tolist() == stored[0].tolist()


def test_a_cache_damaged_where_it_is_opened_starts_afresh(tmp_path, expected):
    path = tmp_path / "c.sqlite"
    Preprocessor(progress=False, cache=path).fit_transform(SAMPLE)
    data = bytearray(path.read_bytes())
    data[100] = 0  # the schema's page (the header still says vnparty)
    path.write_bytes(bytes(data))
    with pytest.warns(UserWarning, match="started afresh"):
        assert Preprocessor(progress=False, cache=path).fit_transform(SAMPLE) == expected
    assert len(SegmentCache(path)) == len(SAMPLE)


def test_a_damaged_page_during_a_run_is_recomputed(tmp_path):
    texts = [u.text for u in vnparty.split_units(vnparty.load_articles())][:60]
    serial = Preprocessor(progress=False).fit_transform(texts)
    path = tmp_path / "c.sqlite"
    Preprocessor(progress=False, cache=path).fit_transform(texts)
    assert _break_pages(path, 0x0A) or _break_pages(path, 0x0D)
    with pytest.warns(UserWarning, match="started afresh"):
        assert Preprocessor(progress=False, cache=path).fit_transform(texts) == serial
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Preprocessor(progress=False, cache=path).fit_transform(texts) == serial
        assert len(SegmentCache(path)) == len(set(texts))


# -- locks -------------------------------------------------------------------------------------

class _Holder:
    """Another process that holds the cache file's exclusive lock until closed."""

    def __init__(self, path):
        self.process = subprocess.Popen(
            [sys.executable, "-c", "import sqlite3, sys\n"
             "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
             "c.execute('BEGIN EXCLUSIVE')\nprint('locked', flush=True)\nsys.stdin.read()\n"
             "c.rollback()", str(path)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline() == "locked\n"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.process.stdin.close()
        self.process.wait(timeout=60)


def test_a_cache_locked_by_another_process_is_waited_for_then_refused(tmp_path, monkeypatch):
    path = tmp_path / "c.sqlite"
    keys = _filled_cache(path, 50)
    before = _digest(path)
    monkeypatch.setattr(cache_module, "LOCK_TIMEOUT", 0.3, raising=False)
    with _Holder(path):
        with pytest.raises(TimeoutError, match=rf"{path}.*locked by another process.*try again"):
            Preprocessor(progress=False, cache=path).fit_transform(SAMPLE)
        with pytest.raises(TimeoutError, match="locked"):
            SegmentCache(path, timeout=0.2).get_many(keys)
        assert _digest(path) == before  # not taken for damage: nothing deleted
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(SegmentCache(path).get_many(keys)) == len(keys)


def test_a_lock_taken_while_the_cache_is_open(tmp_path):
    path = tmp_path / "c.sqlite"
    keys = _filled_cache(path, 50)
    cache = SegmentCache(path, timeout=0.2)
    assert len(cache.get_many(keys)) == 50
    with _Holder(path):
        with pytest.raises(TimeoutError, match="locked"):
            cache.put_many([("new", ["mới"])])
        with pytest.raises(TimeoutError, match="locked"):
            cache.get_many(keys)
    cache.put_many([("new", ["mới"])])  # goes on once the lock is gone
    assert len(cache) == 51 and cache.get_many(["new", "k0"]) == {
        "new": ["mới"], "k0": ["từ0", "chữ0"] * 5}


# -- paths -------------------------------------------------------------------------------------

def test_a_cache_path_under_the_home_folder(tmp_path, monkeypatch, expected):
    home, work = tmp_path / "home", tmp_path / "work"
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    assert SegmentCache("~/.cache/vnparty").path == home / ".cache" / "vnparty" / "segments.sqlite"
    assert Preprocessor(progress=False, cache="~/.cache/vnparty").fit_transform(SAMPLE) == expected
    assert len(SegmentCache(home / ".cache" / "vnparty")) == len(SAMPLE)
    assert list(work.iterdir()) == []  # no folder named "~" here


# -- a run killed with its workers -------------------------------------------------------------

_RUN = """
import sys, vnparty
texts = [u.text for u in vnparty.split_units(vnparty.load_articles(), unit="sentence")]
vnparty.Preprocessor(progress=False, n_jobs=2, chunk_size=6, cache=sys.argv[1]).fit(texts)
"""


def test_a_run_killed_with_its_workers_leaves_a_sound_cache(tmp_path):
    import os
    import signal

    path = tmp_path / "c.sqlite"
    run = subprocess.Popen([sys.executable, "-c", _RUN, str(path)], start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not (path.exists() and path.stat().st_size > 3 * 4096):  # (some entries)
            assert time.monotonic() < deadline and run.poll() is None, "the run wrote nothing"
            time.sleep(0.01)
        assert run.poll() is None  # (killed while it runs)
    finally:
        os.killpg(run.pid, signal.SIGKILL)  # the run and its workers, mid-write maybe
        run.wait()
    texts = [u.text for u in vnparty.split_units(vnparty.load_articles(), unit="sentence")]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no damage, no reset
        cached = Preprocessor(progress=False, cache=path).fit_transform(texts)
        assert len(SegmentCache(path)) == len(set(texts))
    assert cached == Preprocessor(progress=False).fit_transform(texts)
