"""A real `vaxl serve` (uvicorn) on 127.0.0.1, started once for the server tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from vaxl.bench.surfaces import free_port

ROOT = Path(__file__).resolve().parents[2]
SECRET = "test-secret-" + "x" * 20
MAX_BODY = 400_000


IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def node() -> str:
    """Node.js; skips locally, fails in CI when it is missing."""
    path = shutil.which("node")
    if path is None:
        if IN_CI:
            pytest.fail("node is not installed (.ci/run installs it)")
        pytest.skip("node is not installed")
    return path


@dataclass
class Backend:
    url: str
    secret: str
    max_body: int
    process: subprocess.Popen[bytes]
    log: Path


def start_server(tmp: Path, env_extra: dict[str, str], args: list[str]) -> tuple[
        subprocess.Popen[bytes], Path]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VAXL_")}
    env.update(env_extra)
    log = tmp / "server.log"
    handle = log.open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "vaxl", "serve", *args],
                            cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    return proc, log


def wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"vaxl serve exited: {log.read_text()}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"vaxl serve did not come up: {log.read_text()}")


@pytest.fixture(scope="session")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    tmp = tmp_path_factory.mktemp("backend")
    port = free_port()
    proc, log = start_server(
        tmp, {"VAXL_SECRET": SECRET, "VAXL_MAX_BODY_BYTES": str(MAX_BODY)},
        ["--host", "127.0.0.1", "--port", str(port)],
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, log)
        yield Backend(url, SECRET, MAX_BODY, proc, log)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def insecure_backend(tmp_path: Path) -> Iterator[str]:
    """`vaxl serve --insecure-dev` on 127.0.0.1 without VAXL_SECRET; yields its URL."""
    port = free_port()
    proc, log = start_server(tmp_path, {}, ["--host", "127.0.0.1", "--port", str(port),
                                           "--insecure-dev"])
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, log)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)
