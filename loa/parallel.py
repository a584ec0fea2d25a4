"""Work spread over worker processes: `run(task, count, jobs)` is `[task(i) for i in range(count)]`.

Workers are forked, so they start with everything the parent holds (the site, its
pages, the templates) and nothing is pickled on the way in: a task gets only an
index. Results come back pickled, so they should be small (no whole pages).
Where fork does not exist (Windows), or for one job, the tasks run in this process.
"""
from __future__ import annotations

import multiprocessing
import os
from typing import Callable, Iterator, TypeVar

T = TypeVar("T")

# Below this many tasks a single process is faster: forking and collecting results
# costs more than the work (measured on the sample site: ~40 pages).
MIN_PARALLEL = 200
CHUNK = 16  # tasks handed to a worker at a time: few round trips, even load

_task: Callable[[int], object] | None = None  # set in each worker only, by _start
_done: Callable[[], None] | None = None


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _start(task: Callable[[int], object], done: Callable[[], None] | None) -> None:
    global _task, _done
    _task, _done = task, done


def _run_chunk(span: tuple[int, int]) -> list[object]:
    assert _task is not None
    results = [_task(i) for i in range(*span)]
    if _done is not None:
        _done()  # before the results: the parent may read what the chunk wrote
    return results


def workers_for(count: int, jobs: int) -> int:
    """How many processes `count` tasks are worth: one when small or without fork."""
    if jobs <= 1 or count < MIN_PARALLEL or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(jobs, max(1, count // CHUNK))


def run(task: Callable[[int], T], count: int, jobs: int,
        done: Callable[[], None] | None = None) -> Iterator[T]:
    """task(0) … task(count - 1), in order, spread over `jobs` processes when worth it.

    A generator: results arrive while workers go on, so a caller can fold them in
    without holding them all. `done` is called in every process that ran tasks once its
    work is handed back (a worker's, after each chunk), and in this one before workers
    start: the cache's `flush`, so what one process wrote the next stage can read."""
    workers = workers_for(count, jobs)
    if workers == 1:
        yield from (task(i) for i in range(count))
        if done is not None:
            done()
        return
    if done is not None:
        done()
    spans = [(start, min(start + CHUNK, count)) for start in range(0, count, CHUNK)]
    context = multiprocessing.get_context("fork")
    # initargs are not pickled under fork: the task (a closure) is inherited as it is
    with context.Pool(workers, initializer=_start, initargs=(task, done)) as pool:
        for results in pool.imap(_run_chunk, spans):
            yield from results  # type: ignore[misc]
