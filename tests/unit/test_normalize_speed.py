"""Fast paths of normalisation agree with the slow ones: the C library's IPv6 parse (the
fast path of `_canonical_ip`) gives exactly what `ipaddress` gives, on random spellings and
on the edge cases where the two could differ; phones are parsed on every idle core."""

from __future__ import annotations

import random

from linker.ingest.normalize import _bare_ip, _canonical_ip, _ipaddress_text


def _reference(value: str) -> str | None:
    return _ipaddress_text(_bare_ip(value))


EDGES = ["::", "::1", "1::", "fe80::1%eth0", "[2001:DB8::1]", "2001:db8:0:0:1:0:0:1",
         "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::0:1", "1:0:0:2:0:0:0:3",
         "0:0:1:0:0:1:0:0", "::ffff:1.2.3.4", "::ffff:102:304", "::1.2.3.4", "::ffff:01.2.3.4",
         "1:2:3:4:5:6:1.2.3.4", "1::2::3", "12345::", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9",
         "1:2:3:4:5:6:7::", "g::1", "1:2:3:4:5:6:7:8", " 2001:db8::1 ", "::ffff:0:0",
         "64:ff9b::1.2.3.4", "2001:db8::", "0::0", "ABCD:EF01::", "1.2.3.4", "01.2.3.4", ""]


def test_edge_spellings_match_ipaddress() -> None:
    _canonical_ip.cache_clear()
    for v in EDGES:
        assert _canonical_ip(v) == _reference(v), v


def test_random_spellings_match_ipaddress() -> None:
    rng = random.Random(7)
    _canonical_ip.cache_clear()
    for _ in range(20_000):
        groups = [rng.choice(["0", "0", "0000", "00" + format(rng.randrange(256), "x"),
                              format(rng.randrange(65536), "x"),
                              format(rng.randrange(65536), "X")]) for _ in range(8)]
        v = ":".join(groups)
        if rng.random() < 0.5:
            i = rng.randrange(8)
            j = rng.randrange(i, 9)
            v = ":".join(groups[:i]) + "::" + ":".join(groups[j:])
        assert _canonical_ip(v) == _reference(v), v


def test_idle_cores_do_not_count_this_process_as_another() -> None:
    """A run alone on the machine parses phones on every core; others' work takes cores."""
    import os

    from linker.ingest.normalize import _idle_cores, _others_running

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert _idle_cores(others=0.0) == cores
    assert _idle_cores(others=float(cores)) == 1  # every core busy with others' work
    assert _idle_cores(others=1.0) == max(1, cores - 1)
    assert _others_running() >= 0.0


def test_no_worker_processes_are_forked_beside_linkers_own_threads(monkeypatch) -> None:
    """While one of linker's worker threads runs (ring detection's, the campaigns'
    extraction), a big parse stays in this process: a fork would copy the locks those
    threads hold. With none running, it may go to worker processes."""
    import threading

    import numpy as np

    from linker.ingest import normalize

    forks = []

    class NoPool:
        def __init__(self, *a, **kw) -> None:
            forks.append(1)
            raise RuntimeError("no processes here")

    monkeypatch.setattr("concurrent.futures.ProcessPoolExecutor", NoPool)
    monkeypatch.setattr(normalize, "_idle_cores", lambda others=None: 2)
    values = np.array([f"10.0.{i // 256}.{i % 256}" for i in range(normalize.PARALLEL_FROM)],
                      dtype=object)
    release = threading.Event()
    worker = threading.Thread(target=release.wait, name="linker-rings_0")
    worker.start()
    try:
        assert normalize._apply(str.upper, values) == [v.upper() for v in values]
        assert forks == []
    finally:
        release.set()
        worker.join()
    assert normalize._apply(str.upper, values) == [v.upper() for v in values]
    assert forks == [1]  # alone, it tried the worker processes
    # nor from a worker thread, the main thread working beside it
    out = []
    worker = threading.Thread(target=lambda: out.append(normalize._apply(str.upper, values)),
                              name="linker-campaigns_0")
    worker.start()
    worker.join()
    assert out[0] == [v.upper() for v in values] and forks == [1]
