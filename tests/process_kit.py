"""Helpers for the tests of forked helper processes (not a test module)."""

from __future__ import annotations

import os
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from vaxl import service
from vaxl.bench.generate import BENCH_MONTH, BENCH_TODAY

# Helper processes are forked on Linux only (elsewhere a run stays in one process).
LINUX_ONLY = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="helper processes are forked on Linux only")


def reaped(pid: int) -> bool:
    """Whether the child `pid` is gone and reaped (no zombie left behind)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def run_copy(book: Path, folder: Path) -> tuple[dict[str, bytes], service.Outcome]:
    """`vaxl run` for the benchmark's month on a copy of `book` in `folder`: the parts
    of the file written, and the outcome."""
    folder.mkdir(parents=True, exist_ok=True)
    copy = Path(shutil.copyfile(book, folder / book.name))
    outcome = service.run_file("run", copy, today=BENCH_TODAY, period=BENCH_MONTH)
    with zipfile.ZipFile(copy) as package:
        return {name: package.read(name) for name in package.namelist()}, outcome
