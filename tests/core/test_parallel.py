"""Worker processes: forked from the main thread, from the fork server elsewhere (the GUI's threads)."""

from __future__ import annotations

import runpy
import threading

import pytest

from c360_desktop.core import parallel


def _on_a_thread(function):
    result = {}
    worker = threading.Thread(target=lambda: result.update(value=function()))
    worker.start()
    worker.join(60)
    return result["value"]


def _scaled(shared: int, item: int) -> tuple[int, int]:
    return item * shared, parallel._worker_shared is not None


def test_workers_fork_from_the_main_thread_only(monkeypatch):
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    assert parallel.start_method() == "fork"
    assert _on_a_thread(parallel.start_method) == "forkserver"
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 1)
    assert parallel.start_method() is None


@pytest.mark.parametrize("where", ["main thread", "other thread"])
def test_each_item_reaches_a_worker_with_the_shared_value_and_results_keep_their_order(where, monkeypatch):
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    work = lambda: list(parallel.ordered_map(_scaled, range(40), shared=3, in_flight=2))  # noqa: E731
    results = work() if where == "main thread" else _on_a_thread(work)
    assert results == [(item * 3, True) for item in range(40)]   # True: computed in a worker, not here


def test_little_work_stays_in_this_process():
    assert list(parallel.ordered_map(_scaled, range(3), shared=2, worth_it=False)) == [(0, False), (2, False),
                                                                                        (4, False)]


def test_a_fork_server_worker_importing_the_app_module_starts_no_second_app(monkeypatch):
    """A fork-server worker of ``python -m c360_desktop`` imports ``c360_desktop.__main__`` as ``__mp_main__``."""
    import c360_desktop.ui.app as app

    started = []
    monkeypatch.setattr(app, "main", lambda: started.append(True) or 0)
    runpy.run_module("c360_desktop", run_name="__mp_main__")
    assert started == []
    with pytest.raises(SystemExit):
        runpy.run_module("c360_desktop", run_name="__main__")
    assert started == [True]


def test_workers_that_cannot_start_leave_the_work_to_this_process(monkeypatch):
    def no_room(method, shared):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(parallel, "_pool", no_room)
    assert list(parallel.ordered_map(_scaled, range(3), shared=2)) == [(0, False), (2, False), (4, False)]
