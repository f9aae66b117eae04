"""Pricing stages: time rounding, rate resolution, line amounts, rush.

Time is counted in whole seconds until the last moment: a line's hours are
its seconds summed, then divided by 3600 (three 0:20 entries are exactly 1 h),
and a line's amount is `rate x seconds / 3600`, rounded once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from vaxl.core.models import Client, Settings, SpecialtyRate
from vaxl.core.money import round_money

__all__ = [
    "RateBook",
    "ResolvedRate",
    "client_rounding",
    "client_surcharge",
    "overage_rate",
    "exact_hours",
    "hours",
    "hours_2",
    "rush_amount",
    "round_seconds",
    "time_amount",
]

_H = Decimal(3600)
_MICRO = Decimal("0.000001")
_CENTI = Decimal("0.01")


def round_seconds(seconds: int, minutes: int, mode: str) -> int:
    """Apply Time Rounding to one entry: `up` rounds to the next multiple of
    `minutes`, `nearest` to the closest one (a tie goes up); 0 keeps it exact."""
    if minutes <= 0 or seconds <= 0:
        return max(seconds, 0)
    step = minutes * 60
    if mode == "nearest":
        return (seconds + step // 2) // step * step
    return -(-seconds // step) * step


def exact_hours(seconds: int) -> Decimal:
    """Seconds as hours, exact whenever the division terminates (28 digits otherwise)."""
    return Decimal(seconds) / _H


def _plain(value: Decimal) -> Decimal:
    value = value.normalize()
    return value.quantize(Decimal(1)) if value.as_tuple().exponent > 0 else value  # type: ignore[operator]


def hours(seconds: int) -> Decimal:
    """Seconds as hours to the micro-hour, without trailing zeros (for reports and ledgers)."""
    return _plain((Decimal(seconds) / _H).quantize(_MICRO, rounding=ROUND_HALF_UP))


def hours_2(seconds: int) -> Decimal:
    """Seconds as hours to two decimals (the register and drift messages)."""
    return (Decimal(seconds) / _H).quantize(_CENTI, rounding=ROUND_HALF_UP)


def time_amount(rate: Decimal, seconds: int, currency: str) -> Decimal:
    """`rate x hours`, rounded once to the currency's minor unit."""
    return round_money(rate * seconds / _H, currency)


def rush_amount(surcharge: Decimal, rate: Decimal, seconds: int, currency: str) -> Decimal:
    """The surcharge percent of the unrounded amount `rate x hours`, then rounded."""
    return round_money(surcharge * rate * seconds / _H, currency)


def rush_rate(rate: Decimal, surcharge: Decimal) -> Decimal:
    """The hourly price of rush work: the rate plus its surcharge."""
    return rate * (1 + surcharge)


@dataclass(frozen=True, slots=True)
class ResolvedRate:
    """The price of one category for one client.

    Fields:
        rate: hourly rate.
        prepaid: whether these hours draw retainer or block hours.
        category: the category as the Rates tab spells it ('' when the client's Rate applies).
    """

    rate: Decimal
    prepaid: bool
    category: str


class RateBook:
    """Rate lookup in the contract's order: the client's own Rates row for the
    category, then the all-clients row, then the client's Rate."""

    def __init__(self, rates: tuple[SpecialtyRate, ...] | list[SpecialtyRate]) -> None:
        self._own: dict[tuple[str, str], SpecialtyRate] = {}
        self._all: dict[str, SpecialtyRate] = {}
        for row in rates:
            cat = row.category.strip().casefold()
            if row.client_key:
                self._own.setdefault((row.client_key.upper(), cat), row)
            else:
                self._all.setdefault(cat, row)
        self._cache: dict[tuple[str, str], ResolvedRate] = {}

    def resolve(self, client: Client, category: str) -> ResolvedRate:
        cat = category.strip().casefold()
        key = (client.key, cat)
        found = self._cache.get(key)
        if found is None:
            row = self._own.get(key) or self._all.get(cat)
            if row is not None:
                found = ResolvedRate(row.rate, row.prepaid, row.category.strip())
            else:
                found = ResolvedRate(client.rate or Decimal(0), True, "")
            self._cache[key] = found
        return found


def client_rounding(client: Client, settings: Settings) -> int:
    """Minutes of Time Rounding for a client (its own, else Settings)."""
    return client.time_rounding if client.time_rounding is not None else settings.time_rounding


def client_surcharge(client: Client, settings: Settings) -> Decimal:
    """The client's Rush Surcharge as a fraction (its own, else Settings)."""
    return client.rush_surcharge if client.rush_surcharge is not None else settings.rush_surcharge


def overage_rate(client: Client) -> Decimal:
    """Overage Rate, defaulting to Rate."""
    if client.overage_rate is not None:
        return client.overage_rate
    return client.rate or Decimal(0)
