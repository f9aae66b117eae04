"""sheets/Code.gs run by Node (node:test + vm) against a real vaxl backend.

The Node tests (tests/node/vaxl.test.js) drive Code.gs through stand-ins for
SpreadsheetApp, UrlFetchApp (synchronous, forwarding to this backend over
loopback), PropertiesService and LockService.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from vaxl.io.gsheets import input_tab_names
from vaxl.server import sheet_token

ROOT = Path(__file__).resolve().parents[2]
SHEET_ID = "1AppsScriptSheet_xyz"


def test_code_gs_under_node(backend, node: str) -> None:  # type: ignore[no-untyped-def]
    env = dict(os.environ, VAXL_TEST_URL=backend.url, VAXL_TEST_SHEET_ID=SHEET_ID,
               VAXL_TEST_TOKEN=sheet_token(backend.secret, SHEET_ID),
               VAXL_TEST_MAX_BODY=str(backend.max_body))
    done = subprocess.run([node, "--test", "--test-reporter=tap", "tests/node/"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=240)
    report = done.stdout + done.stderr
    assert done.returncode == 0, report
    passed = re.search(r"^# pass (\d+)", report, re.M)
    assert passed and int(passed.group(1)) >= 12, report
    assert re.search(r"^# skipped 0", report, re.M), report


def test_code_gs_reads_the_tabs_vaxl_reads() -> None:
    """Code.gs's list of input tab names is the spec's (en, vi, aliases, register, manifest)."""
    text = (ROOT / "sheets" / "Code.gs").read_text(encoding="utf-8")
    block = re.search(r"var VAXL_INPUT_TABS = \[(.*?)\];", text, re.S)
    assert block
    listed = set(re.findall(r"'([^']*)'", re.sub(r"//[^\n]*", "", block.group(1))))
    assert listed == input_tab_names()


def test_manifest_asks_only_for_narrow_scopes() -> None:
    import json

    manifest = json.loads((ROOT / "sheets" / "appsscript.json").read_text())
    assert manifest["runtimeVersion"] == "V8"
    assert set(manifest["oauthScopes"]) == {
        "https://www.googleapis.com/auth/spreadsheets.currentonly",
        "https://www.googleapis.com/auth/script.external_request",
        "https://www.googleapis.com/auth/script.container.ui",
    }
