"""vaxl: billing for virtual assistants, from the workbook they already keep.

The library is the product; the CLI, Excel, Google Sheets and HTTP surfaces
are thin wrappers over these functions:

    from vaxl import run_file, run_action, last_complete_month
    outcome = run_file("run", Path("book.xlsx"), today=date.today(), period="2026-11")
    outcome.public()     # the contract's JSON
    outcome.tabs         # the tabs written; their cells are in the file (keep_grids=True
                         # keeps them in outcome.grids too)
"""

from vaxl.core.models import Book, CellRef, Problem, Settings
from vaxl.core.money import Money, round_money, to_decimal
from vaxl.core.results import Invoice, RunResult
from vaxl.errors import MissingExtra, UnusableWorkbook, VaxlError, WriteRefused
from vaxl.service import Outcome, last_complete_month, load_book, run_action, run_file

__all__ = [
    "Book",
    "CellRef",
    "Invoice",
    "MissingExtra",
    "Money",
    "Outcome",
    "Problem",
    "RunResult",
    "Settings",
    "UnusableWorkbook",
    "VaxlError",
    "WriteRefused",
    "last_complete_month",
    "load_book",
    "round_money",
    "run_action",
    "run_file",
    "to_decimal",
]
__version__ = "0.1.0"
