"""Rebuild the sample workbooks from vaxl.samples (byte for byte the same every time).

    python sample_workbooks/build.py            writes assistant-en.xlsx and assistant-vi.xlsx
    python sample_workbooks/build.py --check    exits 1 when a committed file is stale

Beside each workbook, expected-<lang>.json holds its November run (the golden file
tests/cli/test_run_end_to_end.py compares against).  Figures in it were checked by hand
when they were first written; rebuild it only on purpose, and review the diff.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run from a checkout without installing vaxl

import json  # noqa: E402

from vaxl.samples import expected_results, sample_bytes  # noqa: E402

FILES = {"en": HERE / "assistant-en.xlsx", "vi": HERE / "assistant-vi.xlsx"}
EXPECTED = {"en": HERE / "expected-en.json", "vi": HERE / "expected-vi.json"}


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for lang, path in FILES.items():
        data = sample_bytes(lang)
        if path.exists() and path.read_bytes() == data:
            print(f"{path.name}: up to date")
            continue
        if check:
            stale.append(path.name)
            print(f"{path.name}: stale (run python sample_workbooks/build.py)")
            continue
        path.write_bytes(data)
        print(f"{path.name}: written ({len(data):,} bytes)")
    if "--expected" in argv:
        for lang, path in EXPECTED.items():
            text = json.dumps(expected_results(lang), indent=1, ensure_ascii=False) + "\n"
            path.write_text(text, encoding="utf-8")
            print(f"{path.name}: written")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
