"""The `Invoices` register: one row per invoice, read back by the parser on every run.

    register_grid(rows: Sequence[RegisterRow], settings: Settings) -> Grid

Headers are exactly vaxl.sheets.spec REGISTER's, in its order (English, or
Vietnamese when Settings Language is vi; the parser accepts both).  Status is a
plain value the assistant edits by hand; Invoice No links to the invoice's tab.
Columns are as wide as their header and content.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from vaxl.core.models import RegisterRow, Settings
from vaxl.layout import styles as S
from vaxl.layout.fit import fit_columns
from vaxl.layout.formats import DATE_FORMATS, HOURS_FORMAT, money_format, sheet_link
from vaxl.layout.grid import Grid, Value
from vaxl.sheets.spec import REGISTER, REGISTER_TAB

__all__ = ["REGISTER_FIELDS", "register_grid", "register_headers"]

REGISTER_FIELDS: tuple[str, ...] = tuple(c.field for c in REGISTER.columns)
_MONEY = frozenset({"subtotal", "tax", "total", "paid", "balance"})
_WIDTHS: dict[str, float] = {
    "invoice_no": 16, "client_id": 12, "period": 10, "issue_date": 13, "due_date": 13,
    "currency": 9, "subtotal": 14, "tax": 12, "total": 14, "paid": 14, "balance": 14,
    "status": 9, "hours": 9, "fingerprint": 18, "tab": 16,
}


def register_headers(language: str) -> list[str]:
    return [c.vi if language == "vi" else c.en for c in REGISTER.columns]


def register_grid(rows: Sequence[RegisterRow], settings: Settings) -> Grid:
    lang = settings.language
    grid = Grid(name=REGISTER_TAB, kind="register", freeze=(2, 2), landscape=True)
    for col, header in enumerate(register_headers(lang), start=1):
        right = REGISTER_FIELDS[col - 1] in _MONEY or REGISTER_FIELDS[col - 1] == "hours"
        grid.set(1, col, header, S.HEADER_RIGHT if right else S.HEADER)
        grid.col_widths[col] = _WIDTHS.get(REGISTER_FIELDS[col - 1], 12)
    date_style = S.with_format(S.ROW, DATE_FORMATS.get(lang, DATE_FORMATS["en"]), "left")
    hours_style = S.with_format(S.ROW, HOURS_FORMAT, "right")
    centered = S.aligned(S.ROW, "center")
    for r, row in enumerate(rows, start=2):
        money = S.with_format(S.ROW, money_format(row.currency, lang), "right")
        values: dict[str, Value] = {
            "invoice_no": row.number,
            "client_id": row.client_key,
            "period": row.period,
            "issue_date": row.issue_date,
            "due_date": row.due_date,
            "currency": row.currency,
            "subtotal": row.subtotal,
            "tax": row.tax,
            "total": row.total,
            "paid": row.paid,
            "balance": row.balance,
            "status": row.status,
            "hours": row.hours,
            "fingerprint": row.fingerprint,
            "tab": row.tab,
        }
        if row.unread:  # a row vaxl could not read goes back exactly as typed
            values = {name: None for name in REGISTER_FIELDS} | dict(row.unread)
        for col, name in enumerate(REGISTER_FIELDS, start=1):
            style = (
                money if name in _MONEY
                else date_style if name in ("issue_date", "due_date")
                else hours_style if name == "hours"
                else centered if name in ("status", "currency", "period")
                else S.ROW
            )
            link = sheet_link(row.tab) if name == "invoice_no" and row.tab else None
            grid.set(r, col, values[name], style, link=link)
    _user_columns(grid, rows, len(REGISTER_FIELDS) + 1)
    fit_columns(grid, 1, least=8, most=40)
    return grid


def _user_columns(grid: Grid, rows: Sequence[RegisterRow], first: int) -> None:
    """The user's own columns on the register (notes, 'emailed on' ...), after vaxl's,
    each value back on its invoice's row: vaxl never loses a value it read."""
    headers: list[str] = []
    for row in rows:
        for label, _ in row.extra:
            if label not in headers:
                headers.append(label)
    for offset, label in enumerate(headers):
        grid.set(1, first + offset, label, S.HEADER)
    where = {label: first + offset for offset, label in enumerate(headers)}
    for r, row in enumerate(rows, start=2):
        for label, value in row.extra:
            if value in (None, ""):
                continue
            if not isinstance(value, (str, int, float, Decimal, date, bool)):
                value = str(value)  # a duration or time of day, as text
            grid.set(r, where[label], value, S.ROW)
