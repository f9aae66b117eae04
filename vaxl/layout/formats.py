"""How numbers, money, dates and durations look: as text and as Excel number formats.

Text (for PDFs, e-mails and text cells), in the language's locale (en_US, vi_VN):
    money_text(amount, currency, lang)   `$1,500.00`, `1.500.000 ₫`
    date_text(day, lang)                 `3 Nov 2026`, `03/11/2026`
    period_text("2026-11", lang)         `November 2026`, `Tháng 11/2026`
    hours_text(hours, lang)              `12.50`, `12,50`
    quantity_text(q, lang, decimals)     `2.50` / `1`
    duration_text(seconds)               `1:30` (h:mm, to the nearest minute)
    percent_text(rate, lang)             `10%`, `8.25%`

Excel number format codes (written with `,` `.` as Excel codes always are;
the reader's locale decides the separators shown):
    money_format(currency, lang)         `"$"#,##0.00`, `#,##0 "₫"` (the currency's own decimals)
    per_hour_format(currency, lang)      `"$"#,##0.00" / h"`, `#,##0 "₫""/giờ"`
    hours_qty_format(lang)               `#,##0.00" h"`, `#,##0.00" giờ"`
    DATE_FORMATS[lang], HOURS_FORMAT, DURATION_FORMAT (`[h]:mm`), PERCENT_FORMAT, INT_FORMAT

Tab names and links:
    tab_name(text)                       a valid tab name (no []:*?/\\, at most 31 characters)
    sheet_link(tab, cell="A1")           `'Timesheet'!A14`, the link target a Cell carries
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import (
    format_currency,
    format_decimal,
    format_percent,
    get_currency_symbol,
)

from vaxl.core.money import minor_units
from vaxl.layout.labels import text as label_text

__all__ = [
    "DATE_FORMATS",
    "DURATION_FORMAT",
    "HOURS_FORMAT",
    "INT_FORMAT",
    "LOCALES",
    "PERCENT_FORMAT",
    "date_text",
    "duration_text",
    "hours_text",
    "locale_of",
    "money_format",
    "money_text",
    "per_hour_format",
    "percent_text",
    "period_text",
    "hours_qty_format",
    "quantity_text",
    "seconds_to_days",
    "sheet_link",
    "tab_name",
]

LOCALES: dict[str, str] = {"en": "en_US", "vi": "vi_VN"}
DATE_FORMATS: dict[str, str] = {"en": "d mmm yyyy", "vi": "dd/mm/yyyy"}
HOURS_FORMAT = "#,##0.00"
DURATION_FORMAT = "[h]:mm"
PERCENT_FORMAT = "0.0%"
INT_FORMAT = "0"

_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)


def locale_of(lang: str) -> str:
    return LOCALES.get(lang, "en_US")


# Babel takes ~20 µs a call and a big month repeats the same few hundred amounts,
# hours and days thousands of times, so the texts are cached.  Decimals are keyed by
# their exact text, not their value: Decimal("-0") == Decimal("0") but Babel shows
# `-$0.00` for one and `$0.00` for the other (and `1.2` and `1.20` hash alike).
_CACHE_SIZE = 8192


def money_text(amount: Decimal, currency: str, lang: str) -> str:
    """Amount with its currency, in the language's locale and the currency's decimals."""
    if type(amount) is Decimal:
        shape = _money_shape(currency, lang)
        if shape is not None and amount.is_finite():
            exponent = amount.as_tuple().exponent
            if isinstance(exponent, int) and exponent >= -shape.digits:
                return shape.text(amount)
        return _money_text(str(amount), currency, lang)
    return str(format_currency(amount, currency.upper(), locale=locale_of(lang)))


class _MoneyShape:
    """Babel's text for one currency in one locale, taken apart once: the text around
    the number (positive, negative), the separators and the currency's decimals.

    An invoice month formats tens of thousands of distinct amounts and Babel takes
    ~9 µs for each; this puts the same text together in ~1 µs.  Only amounts that
    need no rounding take it (Babel would round the others); `_money_shape` keeps a
    shape only if it gives Babel's own text for a set of probe amounts."""

    __slots__ = ("around", "digits", "table")

    def __init__(self, around: tuple[tuple[str, str], tuple[str, str]], digits: int,
                 table: dict[int, int]) -> None:
        self.around = around
        self.digits = digits
        self.table = table

    def text(self, amount: Decimal) -> str:
        number = format(abs(amount), f",.{self.digits}f").translate(self.table)
        before, after = self.around[amount.is_signed()]
        return f"{before}{number}{after}"


_PROBE = Decimal("8888888")


@cache
def _money_shape(currency: str, lang: str) -> _MoneyShape | None:
    code = currency.upper()
    locale = _babel_locale(lang)
    try:
        digits = minor_units(code)
        symbols = locale.number_symbols["latn"]
        table = str.maketrans({",": symbols["group"], ".": symbols["decimal"]})
        probe = _PROBE.scaleb(0) if digits == 0 else _PROBE + Decimal(1).scaleb(-digits) * 8
        grouped = format(probe, f",.{digits}f").translate(table)
        around = []
        for signed in (probe, -probe):
            whole = str(format_currency(signed, code, locale=locale))
            if whole.count(grouped) != 1:
                return None
            before, _, after = whole.partition(grouped)
            around.append((before, after))
        shape = _MoneyShape((around[0], around[1]), digits, table)
    except (KeyError, ValueError, ArithmeticError):
        return None
    checks = ("0", "-0", "0.5", "1", "-1", "12.34", "999.99", "1000", "-1234567.8", "100000000")
    for check in checks:
        value = Decimal(check).quantize(Decimal(1).scaleb(-digits))
        if shape.text(value) != str(format_currency(value, code, locale=locale)):
            return None
    return shape


@lru_cache(maxsize=_CACHE_SIZE)
def _money_text(amount: str, currency: str, lang: str) -> str:
    return str(format_currency(Decimal(amount), currency.upper(), locale=_babel_locale(lang)))


@cache
def _babel_locale(lang: str) -> Locale:
    """The language's Babel Locale, parsed once (Babel parses a locale name on every call)."""
    return Locale.parse(locale_of(lang))


def date_text(day: date | None, lang: str) -> str:
    if day is None:
        return ""
    return _date_text(day, lang)


@lru_cache(maxsize=_CACHE_SIZE, typed=True)
def _date_text(day: date, lang: str) -> str:
    if lang == "vi":
        return day.strftime("%d/%m/%Y")
    return str(format_date(day, "d MMM y", locale="en_US"))


def period_text(period: str, lang: str) -> str:
    """`2026-11` -> `November 2026` / `Tháng 11/2026` (the text itself when not YYYY-MM)."""
    try:
        year, month = (int(p) for p in period.split("-"))
        name = _EN_MONTHS[month - 1]
    except (ValueError, IndexError):
        return period
    return f"Tháng {month:02d}/{year}" if lang == "vi" else f"{name} {year}"


def hours_text(hours: Decimal, lang: str) -> str:
    return _number_text(hours, "#,##0.00", lang)


def quantity_text(quantity: Decimal, lang: str, decimals: int = 2) -> str:
    pattern = "#,##0." + "0" * decimals if decimals else "#,##0.##"
    return _number_text(quantity, pattern, lang)


def _number_text(number: Decimal, pattern: str, lang: str) -> str:
    if type(number) is Decimal:
        return _decimal_text(str(number), pattern, lang)
    return str(format_decimal(number, format=pattern, locale=locale_of(lang)))


@lru_cache(maxsize=_CACHE_SIZE)
def _decimal_text(number: str, pattern: str, lang: str) -> str:
    return str(format_decimal(Decimal(number), format=pattern, locale=_babel_locale(lang)))


@lru_cache(maxsize=_CACHE_SIZE)
def duration_text(seconds: int) -> str:
    """Whole seconds as h:mm, to the nearest minute (half a minute rounds up)."""
    sign = "-" if seconds < 0 else ""
    minutes = (abs(seconds) + 30) // 60
    return f"{sign}{minutes // 60}:{minutes % 60:02d}"


def percent_text(rate: Decimal, lang: str) -> str:
    return str(format_percent(rate, format="#,##0.##%", locale=locale_of(lang)))


@lru_cache(maxsize=_CACHE_SIZE)
def seconds_to_days(seconds: int) -> Decimal:
    """Seconds as a fraction of a day: the value a `[h]:mm` cell holds."""
    return (Decimal(seconds) / Decimal(86400)).quantize(Decimal("1e-12"), rounding=ROUND_HALF_UP)


@cache
def money_format(currency: str, lang: str = "en") -> str:
    """Excel number format for amounts in `currency`: its symbol placed as the
    language's locale places it, and exactly its own decimals (VND `#,##0 "₫"`)."""
    code = currency.upper()
    locale = locale_of(lang)
    symbol = str(get_currency_symbol(code, locale=locale)).replace('"', "")
    digits = minor_units(code)
    number = "#,##0" + ("." + "0" * digits if digits else "")
    if not _currency_pattern(locale).lstrip().startswith("¤"):
        body = f'{number} "{symbol}"'
    else:
        body = f'"{symbol}"{number}'
    return f"{body};-{body}"


def _literal(text: str) -> str:
    return '"' + text.replace('"', "") + '"' if text else ""


@cache
def per_hour_format(currency: str, lang: str = "en") -> str:
    """`money_format` followed by the language's per-hour unit, in both sections."""
    unit = _literal(label_text(lang, "per_hour", price=""))
    return ";".join(
        part[:-1] + unit[1:] if part.endswith('"') else part + unit  # `"₫/giờ"`, one literal
        for part in money_format(currency, lang).split(";")
    )


@cache
def hours_qty_format(lang: str = "en") -> str:
    """HOURS_FORMAT followed by the language's hour unit: the number stays a number."""
    return HOURS_FORMAT + _literal(label_text(lang, "hours_qty", hours=""))


def _currency_pattern(locale: str) -> str:
    from babel import Locale

    return str(Locale.parse(locale).currency_formats["standard"].pattern)


_BAD_TAB_CHARS = str.maketrans({c: "-" for c in "[]:*?/\\"})


def tab_name(text: str) -> str:
    """A tab name Excel and Google Sheets accept: forbidden characters become `-`,
    surrounding apostrophes go, at most 31 characters."""
    return text.translate(_BAD_TAB_CHARS).strip().strip("'")[:31] or "Sheet"


def sheet_link(tab: str, cell: str = "A1") -> str:
    """An internal link target: `'My Tab'!A14` (apostrophes in the name doubled)."""
    return "'" + tab.replace("'", "''") + "'!" + cell
