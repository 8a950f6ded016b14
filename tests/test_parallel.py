"""Worker processes: deaths at every point, the cap on their number, and their parent's death."""

import functools
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from vnparty import Preprocessor, parallel
from vnparty.parallel import Failed, cap_workers, map_chunks, usable_cpus

DIED = Failed("the worker process died on this document")


def _upper_unless_dead(chunk):
    out = []
    for item in chunk:
        if item.startswith("DIE"):
            os._exit(1)
        out.append(item.upper())
    return out


def _expected(chunks):
    return [[DIED if item.startswith("DIE") else item.upper() for item in chunk]
            for chunk in chunks]


@pytest.fixture
def pools(monkeypatch):
    """The pools map_chunks starts, in order (with their sizes)."""
    started = []
    original = parallel._pool

    def recording(n_jobs, *args):
        pool = original(n_jobs, *args)
        started.append((n_jobs, pool))
        return pool

    monkeypatch.setattr(parallel, "_pool", recording)
    return started


def _wait_for(condition, what, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.01)


def test_a_chunk_sent_to_a_pool_that_just_broke(pools):
    chunks = [["a", "DIE", "b", "c"]] + [[f"t{i}{j}" for j in range(3)] for i in range(7)]

    def given():
        yield chunks[0]
        _wait_for(lambda: pools and pools[0][1]._broken, "the worker to die")
        yield from chunks[1:]  # the next one is sent to the broken pool

    assert list(map_chunks(_upper_unless_dead, given(), n_jobs=2)) == _expected(chunks)


def test_deaths_in_several_chunks_lose_only_their_documents(pools):
    chunks = [[f"t{i}-{j}" for j in range(16)] for i in range(10)]
    chunks[1][5] = "DIE once"
    chunks[6][0] = "DIE twice"
    chunks[6][15] = "DIE thrice"
    chunks[9][8] = "DIE at the end"
    assert list(map_chunks(_upper_unless_dead, chunks, n_jobs=2)) == _expected(chunks)


def test_a_death_costs_a_few_pools_not_one_per_document(pools):
    chunks = [[f"t{i}-{j}" for j in range(64)] for i in range(3)]
    chunks[1][37] = "DIE"
    assert list(map_chunks(_upper_unless_dead, chunks, n_jobs=2)) == _expected(chunks)
    # the chunk is halved at each death (64 -> 1: 7 deaths), and the document that had
    # begun when the last one died is run alone (so is, at most, one beside it each time)
    assert len(pools) <= 1 + 7 + 7, [n for n, _ in pools]


def test_workers_that_die_before_any_work_are_an_error(monkeypatch):
    monkeypatch.setattr(parallel, "_follow_parent", lambda parent: os._exit(1))
    with pytest.raises(ChildProcessError, match="n_jobs=1"):
        list(map_chunks(_upper_unless_dead, [["a"], ["b"]], n_jobs=2))


def _slow_double(folder, chunk):
    Path(folder, str(os.getpid())).touch()  # (a worker has begun a part)
    time.sleep(0.05 * len(chunk))
    return [2 * item for item in chunk]


def _running(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a child that ended but was not yet reaped by its new parent
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return True


def test_workers_killed_again_and_again(tmp_path):
    chunks = [list(range(10 * i, 10 * i + 10)) for i in range(24)]
    killed = []

    def killer():
        for _ in range(6):
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                pids = [int(p.name) for p in tmp_path.iterdir()]
                pids = [p for p in pids if p not in killed and _running(p)]
                if pids:
                    break
                time.sleep(0.01)
            else:
                return
            os.kill(pids[0], signal.SIGKILL)
            killed.append(pids[0])
            time.sleep(0.2)

    thread = threading.Thread(target=killer)
    thread.start()
    try:
        out = list(map_chunks(functools.partial(_slow_double, str(tmp_path)), chunks, n_jobs=2))
    finally:
        thread.join()
    assert len(killed) >= 3
    assert [len(o) for o in out] == [len(c) for c in chunks]
    lost = 0
    for chunk, results in zip(chunks, out):
        for item, result in zip(chunk, results):
            if isinstance(result, Failed):
                lost += 1  # (only when a document's own process, run alone, was killed)
            else:
                assert result == 2 * item
    assert lost <= len(killed)


class DiesOnMarker:
    cache_key = "dies-on-marker"

    def __call__(self, text):
        from vnparty.segmenters import PyviSegmenter

        if "CHẾT" in text:
            os._exit(1)
        return PyviSegmenter()(text)


def test_a_cached_parallel_run_with_a_dying_worker(tmp_path):
    import vnparty

    texts = [u.text for u in vnparty.split_units(vnparty.load_articles())][:40]
    batch = texts[:13] + ["đảng viên CHẾT ở đây"] + texts[13:]
    pre = Preprocessor(progress=False, n_jobs=2, chunk_size=4, segmenter=DiesOnMarker(),
                       cache=tmp_path / "c")
    with pytest.warns(UserWarning, match=r"1 of 41 texts failed.*#13: .*died"):
        tokens = pre.fit_transform(batch)
    assert [i for i, _ in pre.failed_] == [13]
    expected = Preprocessor(progress=False, segmenter=DiesOnMarker()).fit_transform(texts)
    assert tokens[:13] + tokens[14:] == expected
    from vnparty.cache import SegmentCache

    assert len(SegmentCache(tmp_path / "c")) == len(set(texts))


# -- how many workers ---------------------------------------------------------------------------

def _pids(chunk):
    return [os.getpid() for _ in chunk]


def test_more_workers_than_cpus_are_capped(pools):
    cpus = usable_cpus()
    assert cap_workers(cpus) == cpus
    with pytest.warns(UserWarning, match=rf"n_jobs=1000 is more than the {cpus} CPUs"):
        assert cap_workers(1000) == cpus
    with pytest.warns(UserWarning, match=r"workers=1000 is more than"):
        assert cap_workers(1000, "workers") == cpus
    with pytest.warns(UserWarning, match=r"n_jobs=1000 is more than"):
        out = list(map_chunks(_pids, [[1], [2], [3]] * 4, n_jobs=1000))
    assert [n for n, _ in pools] == [cpus] and len({p for o in out for p in o}) <= cpus
    with pytest.warns(UserWarning, match=r"n_jobs=1000 is more than"):
        Preprocessor(progress=False, n_jobs=1000).fit_transform(["Đảng viên mới"] * 3)


# -- the parent's death -------------------------------------------------------------------------

_ORPHANS = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from vnparty import parallel

    if sys.argv[2] == "thread":  # only the portable watch: no death signal from the kernel
        parallel._set_death_signal = lambda: False
    else:  # only the kernel's death signal: the watch looks too late
        parallel._PARENT_CHECK = 3600

    def work(chunk):
        Path(sys.argv[1], str(os.getpid())).touch()
        time.sleep(600)
        return chunk

    list(parallel.map_chunks(work, [[1], [2]], n_jobs=2))
""")


@pytest.mark.parametrize("watch", ["signal", "thread"])
def test_workers_end_when_their_parent_is_killed(tmp_path, watch):
    if watch == "signal" and not sys.platform.startswith("linux"):
        pytest.skip("PR_SET_PDEATHSIG is Linux's")
    script, folder = tmp_path / "orphans.py", tmp_path / "pids"
    script.write_text(_ORPHANS, encoding="utf-8")
    folder.mkdir()
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    parent = subprocess.Popen([sys.executable, str(script), str(folder), watch], env=environment)
    workers = []
    try:
        _wait_for(lambda: len(list(folder.iterdir())) == 2, "two busy workers")
        workers = [int(p.name) for p in folder.iterdir()]
        assert all(_running(p) for p in workers)
        parent.kill()
        parent.wait()
        _wait_for(lambda: not any(_running(p) for p in workers), "the workers to end", 15)
    finally:
        parent.kill()
        for pid in workers:  # (left by a failure above)
            if _running(pid):
                os.kill(pid, signal.SIGKILL)
