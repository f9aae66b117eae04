"""Excel surface tests import their helpers from excel_kit.py beside them."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # noncommercial use, tests only

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from excel_kit import make_small_book  # noqa: E402


@pytest.fixture
def small_book(tmp_path: Path) -> Path:
    return make_small_book(tmp_path)
