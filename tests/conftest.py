"""Shared fixtures.  In CI (CI=true) a skipped test fails the run: every tool
the suite needs is installed by .ci/run, so a skip there means a broken setup."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
if str(ROOT / "tests") not in sys.path:  # helper modules beside this file (parse_kit)
    sys.path.insert(0, str(ROOT / "tests"))


def need_tool(name: str) -> str:
    """Path of an external tool; skips locally, fails in CI when it is missing."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (.ci/run installs it)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def soffice() -> str:
    return need_tool("soffice")


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        message = f"the shared corpus is missing at {CORPUS}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return CORPUS


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # type: ignore[no-untyped-def]
    skipped = terminalreporter.stats.get("skipped", [])
    if IN_CI and skipped:
        terminalreporter.write_line(
            f"CI: {len(skipped)} test(s) skipped; in CI a skip is a failure.", red=True
        )


def pytest_sessionfinish(session, exitstatus):  # type: ignore[no-untyped-def]
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if IN_CI and reporter is not None and reporter.stats.get("skipped"):
        session.exitstatus = 1
