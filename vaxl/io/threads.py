"""Work beside the calling thread, where Python allows it.

    work = Background(workers=2)
    done = work.submit(fn, *args)     # a Future; fn runs on a worker thread
    work.close()                      # waits for the work started, drops the rest

zlib and python-calamine let go of the GIL, so on a machine with two cores such
work (inflating and checking parts, deflating new sheets) overlaps with the
Python work of the calling thread.  Where no thread can be started (e.g.
Pyodide, for xlwings Lite), `submit` does the work at once on the calling
thread and hands back a finished Future, so callers need no second path.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

__all__ = ["Background"]

_T = TypeVar("_T")


class Background:
    """A few worker threads (see the module's docstring)."""

    def __init__(self, workers: int = 2, name: str = "vaxl") -> None:
        self.pool: ThreadPoolExecutor | None = ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix=name
        )

    def submit(self, fn: Callable[..., _T], *args: object) -> Future[_T]:
        if self.pool is not None:
            try:
                return self.pool.submit(fn, *args)
            except RuntimeError:  # no threads here
                self.pool = None
        done: Future[_T] = Future()
        try:
            done.set_result(fn(*args))
        except Exception as exc:
            done.set_exception(exc)
        return done

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
