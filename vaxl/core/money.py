"""Money: exact decimal amounts in an ISO 4217 currency.

This module owns the one rounding rule of vaxl (half up, to the currency's
minor unit) and the only way a cell value becomes a Decimal.  Minor units come
from Babel's CLDR data, not from a hand-kept table.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from babel.numbers import get_currency_precision, list_currencies

__all__ = [
    "Money",
    "is_currency",
    "minor_units",
    "round_money",
    "to_decimal",
]


@cache
def _known_currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def is_currency(code: str) -> bool:
    """True when `code` is an ISO 4217 currency code Babel knows (e.g. USD, VND)."""
    return code.upper() in _known_currencies()


@cache
def minor_units(code: str) -> int:
    """Decimal places of the currency's minor unit: USD 2, VND 0, JPY 0."""
    return int(get_currency_precision(code.upper()))


@cache
def _quantum(code: str) -> Decimal:
    return Decimal(1).scaleb(-minor_units(code))


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round half up to the currency's minor unit: the only rounding rule of vaxl."""
    return amount.quantize(_quantum(currency), rounding=ROUND_HALF_UP)


def to_decimal(value: object) -> Decimal:
    """Turn a cell value into an exact Decimal.

    A float goes through its shortest text form (``Decimal(repr(x))``), so the
    cell that shows 0.1 becomes exactly 0.1, never 0.1000000000000000055...
    Raises ValueError for anything that is not a number.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"not a finite number: {value!r}")
        return Decimal(repr(value))
    if isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation as exc:
            raise ValueError(f"not a number: {value!r}") from exc
        if not result.is_finite():
            raise ValueError(f"not a finite number: {value!r}")
        return result
    raise ValueError(f"not a number: {value!r}")


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount in one currency.

    Fields:
        amount: the Decimal amount (not necessarily rounded).
        currency: ISO 4217 code, upper case.
    """

    amount: Decimal
    currency: str

    def rounded(self) -> Money:
        return Money(round_money(self.amount, self.currency), self.currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot combine {self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        return Money(self.amount * factor, self.currency)

    def __str__(self) -> str:
        return f"{round_money(self.amount, self.currency)} {self.currency}"

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)
