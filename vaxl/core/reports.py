"""Per-client report rows (`Report YYYY-MM`) and prepaid-balance alerts."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from vaxl.core.labels import fmt_hours, fmt_percent, text
from vaxl.core.models import Client
from vaxl.core.money import round_money
from vaxl.core.pricing import exact_hours, hours
from vaxl.core.results import ReportRow

__all__ = ["low_balance_alerts", "report_row"]

_SHARE = Decimal("0.0001")


def low_balance_alerts(
    language: str, *, available: int, used: int, overage: int, threshold: Decimal
) -> list[str]:
    """Alerts for a prepaid client's month (seconds in): prepaid hours used up
    (overage billed), or the share used reaching Settings' Low Balance Alert."""
    if overage > 0:
        return [text(language, "alert_empty", overage=fmt_hours(exact_hours(overage)))]
    if available > 0 and Decimal(used) / Decimal(available) >= threshold and used > 0:
        share = (Decimal(used) / Decimal(available)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        left = fmt_hours(exact_hours(available - used))
        return [text(language, "alert_low", percent=fmt_percent(share), left=left)]
    return []


def report_row(
    client: Client,
    *,
    worked: int,
    billable: int,
    rush: int,
    amount_billed: Decimal,
    prepaid_left: int | None,
    alerts: Sequence[str] = (),
) -> ReportRow:
    """One client's month; times in seconds.

    effective_rate = amount billed / hours worked (for a commission client the
    amount billed is its commission), rounded like money; None without hours.
    rush_share = rush share of billable hours, to 4 decimals.
    """
    effective = (
        round_money(amount_billed / exact_hours(worked), client.currency) if worked > 0 else None
    )
    share = (
        (Decimal(rush) / Decimal(billable)).quantize(_SHARE, ROUND_HALF_UP)
        if billable > 0
        else Decimal(0)
    )
    return ReportRow(
        client_key=client.key,
        client_name=client.name,
        billing=client.billing,
        currency=client.currency,
        hours_worked=hours(worked),
        billable_hours=hours(billable),
        amount_billed=amount_billed,
        effective_rate=effective,
        rush_share=share,
        prepaid_balance=hours(prepaid_left) if prepaid_left is not None else None,
        alerts=tuple(alerts),
    )
