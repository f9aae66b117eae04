"""`Aging`: open invoices by days overdue, totals per currency.

    aging_grid(rows: Sequence[AgingRow], book: Book, today: date | None = None,
               tabs: Mapping[str, str] | None = None) -> Grid

A title (`Aging at 10 Dec 2026`, or `Aging of open invoices` without
`today`), then the table from HEADER_ROW: Invoice | Client | Currency | Due |
Days overdue | Current | 1-30 | 31-60 | 61-90 | 90+, the balance in its
bucket's column, and one total row per currency.  `tabs` maps invoice numbers
to their tab names, to link each invoice.  Columns are as wide as their header
and content; long client names wrap.  Printed landscape, one page wide.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from vaxl.core.models import Book
from vaxl.core.results import AgingRow
from vaxl.layout import styles as S
from vaxl.layout.fit import fit_columns, fit_rows, needs_wrap
from vaxl.layout.formats import DATE_FORMATS, INT_FORMAT, date_text, money_format, sheet_link
from vaxl.layout.grid import Grid, a1
from vaxl.layout.labels import text

__all__ = ["AGING_TAB", "BUCKETS", "HEADER_ROW", "aging_grid"]

AGING_TAB = "Aging"
BUCKETS: tuple[str, ...] = ("current", "1-30", "31-60", "61-90", "90+")
_BUCKET_LABELS = ("bucket_current", "bucket_1_30", "bucket_31_60", "bucket_61_90", "bucket_90")
FIRST_BUCKET_COL = 6
HEADER_ROW = 3  # row 1: the title; row 2: a gap
NAME_COL = 2
WRAPPED = {NAME_COL: 30}  # the widest the client column gets; longer names wrap
_WRAP = replace(S.ROW, wrap=True)  # only on long names: LibreOffice tops wrapped cells


def aging_grid(
    rows: Sequence[AgingRow],
    book: Book,
    today: date | None = None,
    tabs: Mapping[str, str] | None = None,
) -> Grid:
    lang = book.settings.language
    names = {c.key: c.name for c in book.clients}
    grid = Grid(name=AGING_TAB, kind="aging", freeze=(HEADER_ROW + 1, 2), landscape=True,
                fit_width=True)
    title = (text(lang, "aging_at", date=date_text(today, lang)) if today is not None
             else text(lang, "aging_title"))
    grid.set(1, 1, title, S.BANNER)
    headers = [text(lang, k) for k in ("invoice", "client", "currency", "due", "days_overdue")]
    headers += [text(lang, k) for k in _BUCKET_LABELS]
    for col, header in enumerate(headers, start=1):
        grid.set(HEADER_ROW, col, header, S.HEADER_RIGHT if col >= 5 else S.HEADER)
    date_style = S.with_format(S.ROW, DATE_FORMATS.get(lang, DATE_FORMATS["en"]), "left")
    days_style = S.with_format(S.ROW, INT_FORMAT, "right")
    currencies: list[str] = []
    for r, row in enumerate(rows, start=HEADER_ROW + 1):
        currency = row.currency.upper()
        if currency not in currencies:
            currencies.append(currency)
        money = S.with_format(S.ROW, money_format(currency, lang), "right")
        tab = (tabs or {}).get(row.number)
        grid.set(r, 1, row.number, S.ROW, link=sheet_link(tab) if tab else None)
        name = names.get(row.client_key, row.client_key)
        wrap = needs_wrap(name, S.ROW, WRAPPED[NAME_COL])
        grid.set(r, NAME_COL, name, _WRAP if wrap else S.ROW)
        grid.set(r, 3, currency, S.ROW)
        grid.set(r, 4, row.due_date, date_style)
        grid.set(r, 5, row.days_overdue, days_style)
        for offset, bucket in enumerate(BUCKETS):
            value = row.balance if bucket == row.bucket else None
            grid.set(r, FIRST_BUCKET_COL + offset, value, money)
    last = len(rows) + HEADER_ROW
    _totals(grid, rows, currencies, last, lang)
    fit_columns(grid, HEADER_ROW, least=8, most=24, caps=WRAPPED)
    fit_rows(grid, HEADER_ROW + 1, last, cols=WRAPPED)
    return grid


def _totals(
    grid: Grid, rows: Sequence[AgingRow], currencies: list[str], last: int, lang: str
) -> None:
    if not rows:
        return
    r = last + 1
    for currency in currencies:
        r += 1
        money = S.with_format(S.TOTAL, money_format(currency, lang), "right")
        grid.set(r, 1, text(lang, "total_currency", currency=currency), S.TOTAL)
        grid.set(r, 2, None, S.TOTAL)
        grid.set(r, 3, currency, S.TOTAL)
        grid.set(r, 4, None, S.TOTAL)
        grid.set(r, 5, None, S.TOTAL)
        for offset, bucket in enumerate(BUCKETS):
            col = FIRST_BUCKET_COL + offset
            letter = a1(1, col)[:-1]
            cached = sum(
                (x.balance for x in rows if x.currency.upper() == currency and x.bucket == bucket),
                Decimal(0),
            )
            first = HEADER_ROW + 1
            formula = (f'SUMIF($C${first}:$C${last},"{currency}",'
                       f'${letter}${first}:${letter}${last})')
            grid.set(r, col, cached, money, formula=formula)
