"""Pure-Python work done by a forked helper process while this one goes on.

    helper = Forked.start(work)      # None where a helper cannot help (see can_fork)
    ...                              # this process does other work meanwhile
    answer = helper.result(seconds)  # work()'s answer; None: the helper failed or hung
    helper.close()                   # always: stops the helper if it runs, reaps it
    helper.own_kb                    # the memory only the helper held, at its end
    helper.together_kb               # ... and with this process's, at most

Threads cannot share pure-Python work (the GIL).  On Linux a forked process
starts with everything this one has computed, so it needs no inputs sent: it
runs `work`, sends back the pickled answer through a pipe and leaves.  A caller
keeps the plain path for None: it does the work itself.

Where it is not used (can_fork is false): not Linux (macOS and Windows do not
fork safely), one usable core, or VAXL_ONE_PROCESS=1 in the environment.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["ONE_PROCESS", "Forked", "can_fork", "read_all"]

ONE_PROCESS = "VAXL_ONE_PROCESS"
_T = TypeVar("_T")


def can_fork() -> bool:
    """Whether a forked helper can run beside this process (see the module's docstring)."""
    return (sys.platform.startswith("linux") and hasattr(os, "fork")
            and os.environ.get(ONE_PROCESS) != "1" and _usable_cores() >= 2)


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


@dataclass(eq=False)
class Forked(Generic[_T]):
    """A helper process running one piece of work.

    Fields:
        pid, pipe: the helper and the read end of its pipe (-1 once closed).
        peak_kb: its peak resident memory once reaped (ru_maxrss, which counts the
            pages it shares with this process too); 0 before.
        reaped: whether close() has reaped it.
        own_kb: the memory only the helper held (its private pages) at its end, once
            its answer is read; 0 before.
        together_kb: the most memory this process and the helper held at once, bounded
            above: this process's peak resident memory when the answer is read, plus
            own_kb; 0 before.
    """

    pid: int
    pipe: int
    peak_kb: int = 0
    own_kb: int = 0
    together_kb: int = 0
    reaped: bool = False

    @classmethod
    def start(cls, work: Callable[[], _T]) -> Forked[_T] | None:
        """A helper running `work`, or None where forking cannot help or fails."""
        if not can_fork():
            return None
        try:
            read_end, write_end = os.pipe()
        except OSError:  # no file descriptor left: work here
            return None
        with warnings.catch_warnings():  # Python 3.12+ warns about forking with threads;
            warnings.simplefilter("ignore", DeprecationWarning)  # the helper starts none
            try:
                pid = os.fork()
            except OSError:
                os.close(read_end)
                os.close(write_end)
                return None
        if pid == 0:  # the helper: work, send, leave without running any cleanup
            code = 1
            try:
                os.close(read_end)
                with open(write_end, "wb") as out:
                    answer = work()
                    pickle.dump((answer, _private_kb()), out, pickle.HIGHEST_PROTOCOL)
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        return cls(pid, read_end)

    def result(self, seconds: float) -> _T | None:
        """The work's answer, once the helper has sent it; None when it failed, or took
        longer than `seconds` (it is stopped then).  Call once.

        The helper is reaped by close(), not here: leaving, it unmaps everything it
        held, which takes milliseconds that this process need not wait for."""
        try:
            data = read_all(self.pipe, seconds)
        except OSError:  # the pipe broke: a failed helper
            data = None
        os.close(self.pipe)
        self.pipe = -1
        answer: _T | None
        try:  # nothing (the work raised), or cut short: failed
            answer, self.own_kb = pickle.loads(data) if data else (None, 0)
        except Exception:  # noqa: BLE001 - any broken answer is a failed helper
            answer = None
        if answer is None:
            self.close()
        else:
            import resource  # Unix only, as forking is: not imported where vaxl cannot fork

            self.together_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + self.own_kb
        return answer

    def close(self) -> None:
        """Stop the helper if it still runs, and reap it (nothing once reaped)."""
        if self.reaped:
            return
        if self.pipe >= 0:
            os.close(self.pipe)
            self.pipe = -1
        try:  # once its answer is read, only its exit is left: stopping it loses nothing
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            _pid, _status, usage = os.wait4(self.pid, 0)
            self.peak_kb = usage.ru_maxrss
        except ChildProcessError:  # reaped already (a host that ignores SIGCHLD)
            pass
        self.reaped = True


def read_all(fd: int, seconds: float) -> bytes | None:
    """Everything until the pipe's end, or None when that takes more than `seconds`."""
    chunks: list[bytes] = []
    deadline = time.monotonic() + seconds
    ready = select.poll()  # not select.select: it refuses descriptors from 1024 up
    ready.register(fd, select.POLLIN)
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not ready.poll(left * 1000):
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _private_kb() -> int:
    """This process's private memory (KiB), from /proc/self/smaps_rollup (0 if unknown)."""
    try:
        with open("/proc/self/smaps_rollup") as smaps:
            return sum(int(line.split()[1]) for line in smaps
                       if line.startswith(("Private_Clean:", "Private_Dirty:")))
    except (OSError, ValueError, IndexError):
        return 0
