"""Every file of the shared hostile corpus goes through the guarded read in a subprocess:
within 10 s, bounded memory, a RawBook or a one-line UnusableWorkbook, the file unchanged."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
FILES = sorted(
    p.name for p in CORPUS.glob("*") if p.is_file() and p.name not in ("README.md", "SOURCES.tsv")
) if CORPUS.is_dir() else []
BATCHES = 8
PER_FILE_SECONDS = 10.0
MEMORY_LIMIT = 3 * 2**30  # address space of the reading process (its guard child gets ~1 GB)
PEAK_RSS_LIMIT_KB = 1_500_000

SCRIPT = r"""
import hashlib, json, resource, sys, time
from pathlib import Path
from vaxl.errors import UnusableWorkbook
from vaxl.io.guard import read_workbook_safely
from vaxl.sheets.parse import parse_book

for name in sys.argv[2:]:
    path = Path(sys.argv[1]) / name
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    started = time.monotonic()
    try:
        raw = read_workbook_safely(path)
        outcome, message = "read", f"{len(raw.tab_names)} tabs"
        try:
            parse_book(raw)
        except UnusableWorkbook as exc:
            message += "; " + str(exc)
    except UnusableWorkbook as exc:
        outcome, message = "unusable", str(exc)
    print(json.dumps({
        "name": name, "outcome": outcome, "message": message, "sha256": digest,
        "seconds": time.monotonic() - started,
        "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "child_rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    }), flush=True)
"""

# What some of the files that bite must say (a fragment of the one-line reason).
EXPECTED: dict[str, tuple[str, str]] = {
    "phpss__oleloop.xls": ("unusable", "damaged"),
    "poi__Simple.xlsb": ("unusable", "damaged"),
    "poi__clusterfuzz-HSSF-5816431116615680.xls": ("unusable", "damaged"),
    "poi__protect.xlsx": ("unusable", "password"),
    "excelize__encryptAES.xlsx": ("unusable", "password"),
    "poi__password.xls": ("unusable", "password"),
    "sheetjs__password_2002_40_xor.xls": ("unusable", "password"),
    "roo__encrypted-letmein.ods": ("unusable", "password"),
    "calamine__pass_protected.ods": ("unusable", "password"),
    "poi__protected_passtika.xlsb": ("unusable", "password"),
    "poi__35897-type4.xls": ("unusable", "password"),
    "poi__poc-xmlbomb.xlsx": ("unusable", "XML entities"),
    "poi__poc-xmlbomb-empty.xlsx": ("unusable", "XML entities"),
    "poi__54764.xlsx": ("unusable", "XML entities"),
    "phpss__utf7white.dontuse.xlsx": ("unusable", "XML entities"),
    "phpss__utf8entity.dontuse.xlsx": ("unusable", "XML entities"),
    "poi__ContentTypeHasEntities.docx-as.xlsx": ("unusable", "Word document"),
    "poi__45829.png-as.xlsx": ("unusable", "PNG image"),
    "exceljs__~$fibonacci.xlsx": ("unusable", "lock file"),
    "sheetjs__word_doc.doc-as.xls": ("unusable", "Word document"),
    "roo__bode-v1.xls.zip-as.xlsx": ("unusable", "zip archive"),
    "phpss__charset.UTF-16.lebom.html-as.xls": ("unusable", "web page"),
    "poi__SampleSS.spreadsheetml2003.xls": ("unusable", "Excel 2003 XML"),
    "pycalamine__empty_file.xlsx": ("unusable", "empty"),
    "derived__SampleSS.truncated-half.xlsx": ("unusable", "damaged"),
    "derived__SampleSS.corrupt-sheet-deflate.xlsx": ("unusable", "damaged"),
    "derived__SampleSS.no-central-directory.xlsx": ("unusable", "damaged"),
    "derived__SampleSS.truncated-half.xls": ("unusable", ""),
    "poi__SampleSS.xlsx": ("read", "3 tabs"),
    "poi__SampleSS.xls": ("read", "3 tabs"),
    "poi__SampleSS.ods": ("read", "3 tabs"),
    "poi__SampleSS.strict.xlsx": ("read", "3 tabs"),
    "roo__type_excel.xlsx": ("read", "3 tabs"),  # an .xls behind an .xlsx name
    "calamine__issue_174.xlsx": ("read", ""),
    "tealeg__testFileToSliceValueOnly.xlsx": ("read", ""),
    "poi__57893-many-merges.xlsx": ("read", ""),
    "sheetjs__large_strings.xlsx": ("read", ""),
    "poi__workbookProtection-workbook_password-2013.xlsx": ("read", ""),
    "xlsxwriter__date_1904_01.xlsx": ("read", ""),
}


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.fixture(scope="module")
def results(corpus_dir: Path) -> dict[str, dict[str, Any]]:
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "RUST_BACKTRACE": "0"}
    found: dict[str, dict[str, Any]] = {}
    for batch in range(BATCHES):
        names = FILES[batch::BATCHES]
        if not names:
            continue
        try:
            done = subprocess.run(
                [sys.executable, "-c", SCRIPT, str(corpus_dir), *names],
                capture_output=True, text=True, env=env, preexec_fn=_limit,
                timeout=PER_FILE_SECONDS * len(names) + 15,
            )
            out, err = done.stdout, done.stderr
        except subprocess.TimeoutExpired as exc:
            out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
            err = "timeout"
        for line in out.splitlines():
            if line.startswith("{"):
                record = json.loads(line)
                found[record["name"]] = record
        for name in names:
            found.setdefault(name, {"name": name, "outcome": "died", "message": err[-2000:]})
    return found


def test_corpus_is_present() -> None:
    if not FILES:
        pytest.skip("the shared corpus is missing")
    assert len(FILES) >= 100


@pytest.mark.parametrize("name", FILES)
def test_corpus_file(name: str, results: dict[str, dict[str, Any]], corpus_dir: Path) -> None:
    record = results[name]
    assert record["outcome"] in ("read", "unusable"), record["message"]
    message = record["message"]
    assert "\n" not in message and "Traceback" not in message
    if record["outcome"] == "unusable":
        assert message.startswith(name), message
        assert len(message) < 400
    assert record["seconds"] < PER_FILE_SECONDS
    assert record["rss_kb"] < PEAK_RSS_LIMIT_KB
    assert record["child_rss_kb"] < PEAK_RSS_LIMIT_KB
    path = corpus_dir / name
    assert hashlib.sha256(path.read_bytes()).hexdigest() == record["sha256"]
    if name in EXPECTED:
        outcome, words = EXPECTED[name]
        assert record["outcome"] == outcome, message
        assert words in message
