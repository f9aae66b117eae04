"""`python -m vaxl.bench` end to end on a small workbook (well under a minute)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from vaxl.bench.generate import BOOK_VERSION

ROOT = Path(__file__).resolve().parents[2]


def test_quick_bench_writes_the_markdown(tmp_path: Path) -> None:
    out = tmp_path / "performance.md"
    data = tmp_path / "data"
    done = subprocess.run(
        [sys.executable, "-m", "vaxl.bench", "--sizes", "2000", "--repeat", "1",
         "--no-baseline", "--out", str(out), "--data-dir", str(data)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert (data / f"agency-2000-500-v{BOOK_VERSION}.xlsx").is_file()
    text = out.read_text(encoding="utf-8")
    assert "| Size | Figure | Median | Peak memory | Ratio | Target | Result |" in text
    assert "--sizes 2000 --repeat 1 --no-baseline" in text
    cpu = next(line for line in Path("/proc/cpuinfo").read_text().splitlines()
               if line.startswith("model name")).split(":", 1)[1].strip()
    assert f"- CPU: {cpu}" in text
    assert re.search(r"- Python: CPython 3\.\d+", text)
    run = re.search(r"\| 2k \| vaxl run \(in process\) \| ([\d.]+) (ms|s) \| (\d+) MB \| "
                    r"([\d.]+)x floor \| <= 1.5x \| \*\*(PASS|MISS)\*\* \|", text)
    assert run is not None, text
    assert float(run.group(3)) > 20  # a real child's peak memory, not a placeholder
    for figure in ("read floor: python-calamine", "write floor: raw copy", "stage parse",
                   "stage write", "vaxl validate (in process)", "vaxl run CLI"):
        assert figure in text
    assert "baseline skipped (--no-baseline)" in text
    assert "surfaces" in text and "HTTP" in text
    assert "Result" in done.stdout and "vaxl run (in process)" in done.stdout
