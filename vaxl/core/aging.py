"""Open invoices by days past their due date (the `Aging` tab).

Open means status draft or sent with a balance above zero: an assistant who
never moves a status off `draft` still sees what is owed.  `paid` and `void`
invoices are never listed, whatever their balance.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from vaxl.core.models import RegisterRow
from vaxl.core.results import AgingRow

__all__ = ["aging_rows", "bucket"]


def bucket(days_overdue: int) -> str:
    """0 or less: current; then 1-30, 31-60, 61-90, 90+."""
    if days_overdue <= 0:
        return "current"
    if days_overdue <= 30:
        return "1-30"
    if days_overdue <= 60:
        return "31-60"
    if days_overdue <= 90:
        return "61-90"
    return "90+"


def aging_rows(rows: Iterable[RegisterRow], today: date) -> list[AgingRow]:
    """Open invoices, most overdue first (then by number)."""
    out: list[AgingRow] = []
    for row in rows:
        if row.status.strip().lower() not in ("draft", "sent") or row.balance <= 0:
            continue
        due = row.due_date or row.issue_date
        days = max((today - due).days, 0) if due is not None else 0
        out.append(
            AgingRow(
                number=row.number,
                client_key=row.client_key,
                currency=row.currency,
                issue_date=row.issue_date,
                due_date=row.due_date,
                days_overdue=days,
                bucket=bucket(days),  # type: ignore[arg-type]
                balance=row.balance,
            )
        )
    out.sort(key=lambda a: (-a.days_overdue, a.number))
    return out
