"""A forked helper's answer, and what happens when it breaks or hangs (vaxl.io.forked)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable

import pytest
from process_kit import LINUX_ONLY, reaped

from vaxl.io import forked
from vaxl.io.forked import ONE_PROCESS, Forked

pytestmark = LINUX_ONLY


@pytest.fixture(autouse=True)
def helper_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ONE_PROCESS, raising=False)


def test_the_helper_answers_with_what_it_computed_from_this_process_memory() -> None:
    table = {n: n * n for n in range(10_000)}  # made here, read there: nothing is sent
    helper = Forked.start(lambda: (os.getpid(), sum(table.values())))
    assert helper is not None
    pid, total = helper.result(30)  # type: ignore[misc]
    assert pid == helper.pid != os.getpid()
    assert total == sum(n * n for n in range(10_000))
    assert helper.own_kb > 0 and not helper.reaped  # reaped by close(), not waited for
    # together: this process's peak so far plus the helper's own pages
    here_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert helper.own_kb < helper.together_kb <= here_kb + helper.own_kb
    helper.close()
    assert reaped(helper.pid) and helper.reaped
    assert helper.peak_kb > helper.own_kb  # its peak counts the pages it shares too
    helper.close()  # reaped already: nothing to do


def _breaks() -> int:
    raise RuntimeError("the helper breaks")


def _unpicklable() -> object:
    return lambda: None  # its answer cannot be sent: the pipe holds a cut pickle


@pytest.mark.parametrize("work", [_breaks, _unpicklable], ids=["breaks", "unpicklable"])
def test_a_helper_that_breaks_or_cannot_send_answers_none_and_is_reaped(
    work: Callable[[], object],
) -> None:
    helper = Forked.start(work)
    assert helper is not None
    assert helper.result(30) is None
    assert reaped(helper.pid)


def test_a_helper_that_hangs_is_stopped_after_the_wait() -> None:
    helper = Forked.start(lambda: time.sleep(60))
    assert helper is not None
    started = time.monotonic()
    assert helper.result(0.5) is None
    assert time.monotonic() - started < 10
    assert reaped(helper.pid)


def test_close_stops_a_helper_never_asked_for_its_answer() -> None:
    helper = Forked.start(lambda: time.sleep(60))
    assert helper is not None
    helper.close()
    assert reaped(helper.pid)


def test_no_helper_when_switched_off_or_on_one_core(monkeypatch: pytest.MonkeyPatch) -> None:
    assert forked.can_fork()  # CI runs on two cores or more
    monkeypatch.setenv(ONE_PROCESS, "1")
    assert Forked.start(lambda: 1) is None
    monkeypatch.delenv(ONE_PROCESS)
    monkeypatch.setattr(forked, "_usable_cores", lambda: 1)
    assert Forked.start(lambda: 1) is None


def test_a_pipe_on_a_high_descriptor_still_answers() -> None:
    """A host process with many files open: select() refuses descriptors from 1024 up."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    high = 1100  # above select()'s 1024
    if hard != resource.RLIM_INFINITY and hard <= high:
        pytest.skip(f"this machine allows {hard} open files, fewer than the test needs")
    if soft <= high:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    try:
        helper = Forked.start(lambda: "answered")
        assert helper is not None
        os.dup2(helper.pipe, high)
        os.close(helper.pipe)
        helper.pipe = high
        assert helper.result(30) == "answered"
        helper.close()
        assert reaped(helper.pid)
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_close_after_the_host_reaped_the_helper_itself() -> None:
    helper = Forked.start(lambda: 1)
    assert helper is not None
    assert helper.result(30) == 1
    os.waitpid(helper.pid, 0)  # as a host that reaps every child would
    helper.close()
    assert helper.reaped


def test_the_helpers_import_where_there_is_no_fork_nor_resource_module() -> None:
    """Windows and Pyodide (xlwings Lite) have neither os.fork nor the resource
    module: vaxl imports there, and runs in one process."""
    code = (
        "import sys; sys.modules['resource'] = None\n"
        "import vaxl.io.forked, vaxl.io.ahead, vaxl.service\n"
        "sys.platform = 'win32'\n"
        "assert not vaxl.io.forked.can_fork()\n"
        "assert vaxl.io.forked.Forked.start(lambda: 1) is None\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
