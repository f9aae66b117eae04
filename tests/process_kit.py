"""Helpers for the tests of forked helper processes (not a test module)."""

from __future__ import annotations

import os


def reaped(pid: int) -> bool:
    """Whether the child `pid` is gone and reaped (no zombie left behind)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False
