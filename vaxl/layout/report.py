"""`Report YYYY-MM`: the month per client, totals per currency and a chart.

    report_grid(result: RunResult, book: Book) -> Grid
    report_tab_name(period) -> "Report 2026-11"

Client ID | Client | Billing | Currency | Hours worked | Billable hours |
Amount billed | Effective rate | Rush share | Prepaid balance | Alerts.
Rows are grouped by currency (in order of first appearance) so each group is
one contiguous range; below the table one total row per currency (SUMIF
formulas carrying their values; amounts are never added across currencies),
and below them one bar chart of amount billed per client for each currency,
stacked (so the tab prints in reading order, table first).
"""

from __future__ import annotations

from decimal import Decimal

from vaxl.core.models import Book
from vaxl.core.results import ReportRow, RunResult
from vaxl.layout import styles as S
from vaxl.layout.formats import HOURS_FORMAT, PERCENT_FORMAT, money_format
from vaxl.layout.grid import Chart, Grid, a1
from vaxl.layout.labels import text

__all__ = ["REPORT_KEYS", "report_grid", "report_tab_name"]

REPORT_KEYS: tuple[str, ...] = (
    "client_id", "client", "billing", "currency", "hours_worked", "billable_hours",
    "amount_billed", "effective_rate", "rush_share", "prepaid_balance", "alerts",
)
_WIDTHS = (12, 28, 12, 9, 13, 13, 16, 14, 11, 16, 34)
HOURS_COL, BILLABLE_COL, AMOUNT_COL = 5, 6, 7
CHART_ROWS = 16


def report_tab_name(period: str) -> str:
    return f"Report {period}"


def _by_currency(rows: tuple[ReportRow, ...]) -> list[tuple[str, list[ReportRow]]]:
    groups: dict[str, list[ReportRow]] = {}
    for row in rows:
        groups.setdefault(row.currency.upper(), []).append(row)
    return list(groups.items())


def report_grid(result: RunResult, book: Book) -> Grid:
    lang = book.settings.language
    grid = Grid(name=report_tab_name(result.period), kind="report", freeze=(2, 3), landscape=True)
    for col, (key, width) in enumerate(zip(REPORT_KEYS, _WIDTHS, strict=True), start=1):
        grid.set(1, col, text(lang, key), S.HEADER_RIGHT if 5 <= col <= 10 else S.HEADER)
        grid.col_widths[col] = width
    hours = S.with_format(S.ROW, HOURS_FORMAT, "right")
    percent = S.with_format(S.ROW, PERCENT_FORMAT, "right")
    groups = _by_currency(result.report)
    spans: list[tuple[str, int, int]] = []
    r = 1
    for currency, rows in groups:
        money = S.with_format(S.ROW, money_format(currency, lang), "right")
        first = r + 1
        for row in rows:
            r += 1
            grid.put_row(r, [row.client_key, row.client_name, row.billing, currency], S.ROW)
            grid.set(r, HOURS_COL, row.hours_worked, hours)
            grid.set(r, BILLABLE_COL, row.billable_hours, hours)
            grid.set(r, AMOUNT_COL, row.amount_billed, money)
            grid.set(r, 8, row.effective_rate, money)
            grid.set(r, 9, row.rush_share, percent)
            grid.set(r, 10, row.prepaid_balance, hours)
            grid.set(r, 11, "; ".join(row.alerts), S.aligned(S.ROW, "left"))
        spans.append((currency, first, r))
    last_data = r
    top = _totals(grid, groups, last_data, lang) + 2
    for index, (currency, first, last) in enumerate(spans):
        grid.charts.append(Chart(
            title=text(lang, "chart_title", currency=currency),
            categories=f"{a1(first, 2)}:{a1(last, 2)}",
            values=f"{a1(first, AMOUNT_COL)}:{a1(last, AMOUNT_COL)}",
            series_name=f"{text(lang, 'amount_billed')} ({currency})",
            anchor_row=top + index * (CHART_ROWS + 1),
            anchor_col=1,
            width_cols=6,
            height_rows=CHART_ROWS,
        ))
    return grid


def _totals(grid: Grid, groups: list[tuple[str, list[ReportRow]]], last: int, lang: str) -> int:
    """One SUMIF row per currency below the table; returns the last row used."""
    if not groups:
        return last
    r = last + 2
    grid.set(r, 1, text(lang, "totals_per_currency"), S.SECTION)
    for col in range(2, len(REPORT_KEYS) + 1):
        grid.set(r, col, None, S.SECTION)
    cur_range = f"$D$2:$D${max(last, 2)}"
    for currency, rows in groups:
        r += 1
        money = S.with_format(S.TOTAL, money_format(currency, lang), "right")
        hours = S.with_format(S.TOTAL, HOURS_FORMAT, "right")
        grid.set(r, 1, text(lang, "total_currency", currency=currency), S.TOTAL)
        grid.set(r, 2, None, S.TOTAL)
        grid.set(r, 3, None, S.TOTAL)
        grid.set(r, 4, currency, S.TOTAL)
        sums = (
            (HOURS_COL, sum((x.hours_worked for x in rows), Decimal(0)), hours),
            (BILLABLE_COL, sum((x.billable_hours for x in rows), Decimal(0)), hours),
            (AMOUNT_COL, sum((x.amount_billed for x in rows), Decimal(0)), money),
        )
        for col, cached, style in sums:
            column = a1(2, col)[:-1]
            formula = f'SUMIF({cur_range},"{currency}",${column}$2:${column}${max(last, 2)})'
            grid.set(r, col, cached, style, formula=formula)
    return r
