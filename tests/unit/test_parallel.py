import os

import pytest

from loa import parallel


def test_results_come_back_in_order_from_several_processes():
    def task(i):
        return i * i, os.getpid()

    results = list(parallel.run(task, 500, 2))
    assert [value for value, _ in results] == [i * i for i in range(500)]
    pids = {pid for _, pid in results}
    assert pids and os.getpid() not in pids  # the parent only collected
    assert parallel.workers_for(500, 2) == 2


def test_a_small_run_or_one_job_stays_in_this_process():
    assert {pid for pid in parallel.run(lambda i: os.getpid(), 20, 4)} == {os.getpid()}
    assert {pid for pid in parallel.run(lambda i: os.getpid(), 500, 1)} == {os.getpid()}


def test_workers_see_what_the_parent_held_without_pickling_it():
    unpicklable = {"f": lambda x: x + 1}  # a lambda cannot be pickled
    assert list(parallel.run(lambda i: unpicklable["f"](i), 300, 2)) == list(range(1, 301))


def test_an_error_in_a_worker_reaches_the_caller():
    def task(i):
        if i == 250:
            raise ValueError("bad page")
        return i

    with pytest.raises(ValueError, match="bad page"):
        list(parallel.run(task, 300, 2))
