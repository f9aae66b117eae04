"""`Report YYYY-MM`: the month per client, totals per currency and a chart.

    report_grid(result: RunResult, book: Book) -> Grid
    report_tab_name(period) -> "Report 2026-11"

A title (`Report — November 2026`), then the table from HEADER_ROW:
Client ID | Client | Billing | Currency | Hours worked | Billable hours |
Amount billed | Effective rate | Rush share | Prepaid balance | Alerts.
Columns are as wide as their header and content; long client names and alerts
wrap (their rows grow to fit).  Printed landscape, one page wide.
Rows are grouped by currency (in order of first appearance) so each group is
one contiguous range; below the table one total row per currency (SUMIF
formulas carrying their values; amounts are never added across currencies),
and below them one bar chart of amount billed per client for each currency,
stacked (so the tab prints in reading order, table first).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from vaxl.core.models import Book
from vaxl.core.results import ReportRow, RunResult
from vaxl.layout import styles as S
from vaxl.layout.fit import fit_columns, fit_rows, needs_wrap
from vaxl.layout.formats import HOURS_FORMAT, PERCENT_FORMAT, money_format, period_text
from vaxl.layout.grid import Chart, Grid, Style, a1
from vaxl.layout.labels import text

__all__ = ["HEADER_ROW", "REPORT_KEYS", "report_grid", "report_tab_name"]

REPORT_KEYS: tuple[str, ...] = (
    "client_id", "client", "billing", "currency", "hours_worked", "billable_hours",
    "amount_billed", "effective_rate", "rush_share", "prepaid_balance", "alerts",
)
HEADER_ROW = 3  # row 1: the title; row 2: a gap
HOURS_COL, BILLABLE_COL, AMOUNT_COL = 5, 6, 7
NAME_COL, ALERTS_COL = 2, 11
WRAPPED = {NAME_COL: 30, ALERTS_COL: 48}  # the widest these columns get; their text wraps
CHART_ROWS = 16
_TEXT = S.aligned(S.ROW, "left")
_WRAP = replace(_TEXT, wrap=True)  # only on long texts: LibreOffice tops wrapped cells


def report_tab_name(period: str) -> str:
    return f"Report {period}"


def _by_currency(rows: tuple[ReportRow, ...]) -> list[tuple[str, list[ReportRow]]]:
    groups: dict[str, list[ReportRow]] = {}
    for row in rows:
        groups.setdefault(row.currency.upper(), []).append(row)
    return list(groups.items())


def report_grid(result: RunResult, book: Book) -> Grid:
    lang = book.settings.language
    grid = Grid(name=report_tab_name(result.period), kind="report",
                freeze=(HEADER_ROW + 1, 3), landscape=True, fit_width=True)
    grid.set(1, 1, text(lang, "report_title", period=period_text(result.period, lang)), S.BANNER)
    for col, key in enumerate(REPORT_KEYS, start=1):
        grid.set(HEADER_ROW, col, text(lang, key),
                 S.HEADER_RIGHT if 5 <= col <= 10 else S.HEADER)
    hours = S.with_format(S.ROW, HOURS_FORMAT, "right")
    percent = S.with_format(S.ROW, PERCENT_FORMAT, "right")
    groups = _by_currency(result.report)
    spans: list[tuple[str, int, int]] = []
    r = HEADER_ROW
    for currency, rows in groups:
        money = S.with_format(S.ROW, money_format(currency, lang), "right")
        first = r + 1
        for row in rows:
            r += 1
            grid.put_row(r, [row.client_key, None, row.billing, currency], S.ROW)
            grid.set(r, NAME_COL, row.client_name, _text_style(row.client_name, NAME_COL))
            grid.set(r, HOURS_COL, row.hours_worked, hours)
            grid.set(r, BILLABLE_COL, row.billable_hours, hours)
            grid.set(r, AMOUNT_COL, row.amount_billed, money)
            grid.set(r, 8, row.effective_rate, money)
            grid.set(r, 9, row.rush_share, percent)
            grid.set(r, 10, row.prepaid_balance, hours)
            alerts = "; ".join(row.alerts)
            grid.set(r, ALERTS_COL, alerts, _text_style(alerts, ALERTS_COL))
        spans.append((currency, first, r))
    last_data = r
    top = _totals(grid, groups, last_data, lang) + 2
    fit_columns(grid, HEADER_ROW, skip_rows=(last_data + 2,), least=8, most=24, caps=WRAPPED)
    fit_rows(grid, HEADER_ROW + 1, last_data, cols=WRAPPED)
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


def _text_style(value: str, col: int) -> Style:
    return _WRAP if needs_wrap(value, _TEXT, WRAPPED[col]) else _TEXT


def _totals(grid: Grid, groups: list[tuple[str, list[ReportRow]]], last: int, lang: str) -> int:
    """One SUMIF row per currency below the table; returns the last row used."""
    if not groups:
        return last
    r = last + 2
    grid.set(r, 1, text(lang, "totals_per_currency"), S.SECTION)
    for col in range(2, len(REPORT_KEYS) + 1):
        grid.set(r, col, None, S.SECTION)
    first = HEADER_ROW + 1
    cur_range = f"$D${first}:$D${max(last, first)}"
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
            formula = (f'SUMIF({cur_range},"{currency}",'
                       f'${column}${first}:${column}${max(last, first)})')
            grid.set(r, col, cached, style, formula=formula)
    return r
