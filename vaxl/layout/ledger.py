"""The `Retainers` tab: prepaid hours per client and month (retainers) and per block.

    ledger_grid(rows: Sequence[LedgerRow], book: Book) -> Grid

Client ID | Client | Month | Kind | Reference | Included | Carried in | Used |
Overage | Expired | Carried out, hours with two decimals; columns as wide as
their header and content.
"""

from __future__ import annotations

from collections.abc import Sequence

from vaxl.core.models import Book
from vaxl.core.results import LedgerRow
from vaxl.layout import styles as S
from vaxl.layout.fit import fit_columns
from vaxl.layout.formats import HOURS_FORMAT
from vaxl.layout.grid import Grid
from vaxl.layout.labels import text

__all__ = ["LEDGER_KEYS", "LEDGER_TAB", "ledger_grid"]

LEDGER_TAB = "Retainers"
LEDGER_KEYS: tuple[str, ...] = (
    "client_id", "client", "month", "kind", "reference",
    "included", "carried_in", "used", "overage", "expired", "carried_out",
)
_WIDTHS = (12, 28, 10, 11, 26, 11, 11, 11, 11, 11, 12)


def ledger_grid(rows: Sequence[LedgerRow], book: Book) -> Grid:
    lang = book.settings.language
    names = {c.key: c.name for c in book.clients}
    grid = Grid(name=LEDGER_TAB, kind="ledger", freeze=(2, 3), landscape=True)
    for col, (key, width) in enumerate(zip(LEDGER_KEYS, _WIDTHS, strict=True), start=1):
        grid.set(1, col, text(lang, key), S.HEADER_RIGHT if col > 5 else S.HEADER)
        grid.col_widths[col] = width
    hours = S.with_format(S.ROW, HOURS_FORMAT, "right")
    for r, row in enumerate(rows, start=2):
        grid.put_row(r, [
            row.client_key, names.get(row.client_key, ""), row.month,
            text(lang, f"kind_{row.kind}"), row.reference,
        ], S.ROW)
        grid.put_row(r, [
            row.included, row.carried_in, row.used, row.overage, row.expired, row.carried_out,
        ], hours, col=6)
    fit_columns(grid, 1, least=8, most=40)
    return grid
