"""vaxl's own exceptions: a program or service failing, never a user's typo.

Every message is one sentence a user can act on; foreign exceptions (zip
errors, openpyxl, gspread, xlwings) are translated into these at the edge.
"""

from __future__ import annotations

__all__ = ["VaxlError", "UnusableWorkbook", "WriteRefused", "MissingExtra"]


class VaxlError(Exception):
    """A failure with a message for the user and, where known, how to fix it."""

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.message} {self.fix}".strip()


class UnusableWorkbook(VaxlError):
    """The file cannot be used at all: encrypted, damaged, not a spreadsheet,
    unsupported, or not a vaxl workbook (exit code 2)."""


class WriteRefused(VaxlError):
    """vaxl will not write: the workbook is open in Excel, a user's own tab
    carries one of vaxl's names, or the format cannot be written."""


class MissingExtra(VaxlError):
    """An optional integration is used without its extra installed."""

    def __init__(self, extra: str, module: str) -> None:
        super().__init__(
            f"This needs the optional package '{module}'.",
            f"Install it with: pip install 'vaxl[{extra}]'",
        )
