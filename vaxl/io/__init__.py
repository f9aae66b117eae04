"""Adapters between vaxl and the outside: workbook files, live Excel, Google Sheets, PDF.

Reading a workbook file goes through `read_workbook` (guarded: a one-line
UnusableWorkbook for any file that cannot be used, never a traceback or hang).
"""

from __future__ import annotations

from vaxl.io.guard import read_workbook_safely, sniff
from vaxl.io.xlsx_read import read_workbook

__all__ = ["read_workbook", "read_workbook_safely", "sniff"]
