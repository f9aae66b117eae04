"""Reading single cell values, as the contract's "Reading tabs" section says.

Every source hands cells as plain Python values: str, int, float, bool, date,
datetime, time, timedelta or None (python-calamine gives '' for an empty cell).
Each reader here takes one such value and returns:

- ``None`` when the cell is empty (blank or only spaces),
- the value read (date, seconds, bool, Decimal, int, str), or
- a ``Bad``: what is wrong and how to fix it (``Bad.severity == "warning"``
  means the value was read anyway and sits in ``Bad.value``).

No reader raises for a user's typo.

Decisions where the contract leaves room:

- Text dates: ISO ``2026-11-03`` (also ``2026/11/03``) always; ``d/m/y`` with
  ``/``, ``-`` or ``.`` in the order Settings ``Date Order`` names; with no Date
  Order, a text date is read only when one order is impossible (``25/03/2026``
  can only be day-first) or both orders give the same day (``03/03/2026``);
  ``03/04/2026`` is an "ambiguous" error, never a guess.  Two-digit years are
  20yy.  English month names (``3 Nov 2026``, ``Nov 3, 2026``) are read too.
  A plain number is an Excel serial date (1900 date system).
- Hours: numbers are decimal hours; a time cell is a duration (``1:30``); a
  duration above 24 hours that a sheet shows with ``h:mm`` arrives as a date in
  January 1900 (or 1904) and is read back as that duration.  Results are whole
  seconds, rounded half up.
- Start/End: a time of day (time cell, ``9:30``, ``2:15 PM``, ``14h30``, or a
  day fraction); End before Start crosses midnight (see ``span_seconds``).
- Percent: ``fmt`` is the cell's number format: None when the source does not
  know it, '' for General.  See ``read_percent``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, cast

from vaxl.core.money import to_decimal

__all__ = [
    "Bad",
    "as_text",
    "is_blank",
    "read_date",
    "read_days",
    "read_hours",
    "read_id",
    "read_int",
    "read_money",
    "read_number",
    "read_percent",
    "read_text",
    "read_time_of_day",
    "read_yesno",
    "span_seconds",
]

DAY = 86400


@dataclass(frozen=True, slots=True)
class Bad:
    """A cell that could not be read as its column needs.

    Fields:
        code: stable rule name (e.g. ``bad_date``, ``ambiguous_date``).
        message: what is wrong, one sentence.
        fix: what to do, one sentence.
        severity: ``error`` (nothing read) or ``warning`` (read anyway: see value).
        value: the value read despite a warning.
    """

    code: str
    message: str
    fix: str
    severity: str = "error"
    value: Any = None


def is_blank(value: object) -> bool:
    """Whether a cell is empty: None, '' or only spaces."""
    return value is None or (type(value) is str and not value.strip())


def as_text(value: object) -> str:
    """A cell value as a person would read it: `2026-11-03`, `1:30`, `45`, `0.5`."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    if isinstance(value, timedelta):
        total = round(value.total_seconds())
        sign = "-" if total < 0 else ""
        hours, rest = divmod(abs(total), 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{sign}{hours}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")
    return str(value)


# --- text, ids, numbers ---------------------------------------------------------


def read_text(value: object) -> str:
    """Trimmed text; numbers as they show (`1001`, not `1001.0`); '' when empty."""
    return as_text(value)


def read_id(value: object) -> tuple[str, str] | None:
    """An ID cell -> (as typed and trimmed, canonical key in upper case), or None."""
    text = as_text(value)
    if not text:
        return None
    return text, text.upper()


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_THOUSANDS_EU = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+$")
_CURRENCY_MARKS = re.compile(r"^[A-Za-z]{3}\s+|\s+[A-Za-z]{3}$|[$€£¥₫₹₩\s\u00a0]")


def _number_text(text: str) -> Decimal | None:
    """`1,234.50`, `45,5`, `$45`, `45 USD`, `1.234,50` -> Decimal; None if not a number."""
    cleaned = _CURRENCY_MARKS.sub("", text.strip())
    if cleaned.startswith("(") and cleaned.endswith(")"):
        cleaned = "-" + cleaned[1:-1]
    if _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(",", "")
    elif _THOUSANDS_EU.match(cleaned) and "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif _DECIMAL_COMMA.match(cleaned):
        cleaned = cleaned.replace(",", ".")
    try:
        return to_decimal(cleaned)
    except ValueError:
        return None


def read_number(value: object) -> Decimal | Bad | None:
    """A plain number as an exact Decimal (floats via their shortest text form)."""
    if is_blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return to_decimal(value)
        except ValueError:
            pass
    elif isinstance(value, str):
        number = _number_text(value)
        if number is not None:
            return number
    return Bad(
        "bad_number",
        f"'{as_text(value)}' is not a number.",
        "Type a plain number such as 12.5.",
    )


def read_money(value: object) -> Decimal | Bad | None:
    """An amount of money as an exact Decimal; `$1,234.50` and `45,50` are read too."""
    result = read_number(value)
    if isinstance(result, Bad):
        return Bad(
            "bad_money",
            f"'{as_text(value)}' is not an amount of money.",
            "Type the amount as a plain number such as 1234.50, without text.",
        )
    return result


_INT_TEXT = re.compile(
    r"^([+-]?\d+)(?:\.0+)?\s*(?:days?|ngày|mins?|minutes?|phút|months?|tháng)?$", re.I
)


def read_int(value: object) -> int | Bad | None:
    """A whole number (`30`, `30.0`, `30 days`, `15 min`)."""
    return _whole(value, _INT_TEXT.match(value.strip()) if isinstance(value, str) else None,
                  "is not a whole number.", "Type a whole number such as 14.")


# `Net 30`, `net30`, `NET-30`, `N30`, `30 days`, `30 ngày`, `Net 30 days`, `30`.
_DAYS_TEXT = re.compile(
    r"^(?:(?:net|n)\s*[-.:]?\s*)?(\d+)(?:\.0+)?\s*(?:days?|d|ngày|ngay)?\.?$", re.I
)


def read_days(value: object) -> int | Bad | None:
    """A number of days, as payment terms are written: `30`, `30 days`, `30 ngày`,
    and the terms an invoice prints, `Net 30` (`net30`, `NET-30`, `N30`)."""
    found = (_DAYS_TEXT.match(" ".join(unicodedata.normalize("NFC", value).split()))
             if isinstance(value, str) else None)
    return _whole(value, found, "is not a number of days.",
                  "Type the number of days from issue date to due date, e.g. 30 (or Net 30).")


def _whole(value: object, found: re.Match[str] | None, what: str, fix: str) -> int | Bad | None:
    """A whole number cell: a number without a fraction, or text whose pattern `found`
    its number in group 1; else Bad ("'value' <what>", `fix`)."""
    if is_blank(value):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if found:
        return int(found.group(1))
    return Bad("bad_integer", f"'{as_text(value)}' {what}", fix)


# --- yes/no ---------------------------------------------------------------------

_YES = frozenset({"y", "yes", "x", "true", "1", "có", "co", "c", "✓", "✔", "1.0"})
_NO = frozenset({"n", "no", "false", "0", "không", "khong", "k", "0.0", "-"})


def read_yesno(value: object, default: bool) -> bool | Bad:
    """`Y`, `yes`, `x`, `TRUE`, `1`, `có` -> True; `N`, `no`, `FALSE`, `0`, `không` -> False;
    empty -> default.  Case-insensitive."""
    if value is None:
        return default
    if value is True or value is False:
        return bool(value)
    if isinstance(value, (int, float)):
        if value == 1:
            return True
        if value == 0:
            return False
    elif isinstance(value, str):
        word = value.strip().casefold()
        if not word:
            return default
        if word in _YES:
            return True
        if word in _NO:
            return False
    return Bad(
        "not_yes_no",
        f"'{as_text(value)}' is not yes or no.",
        "Type Y or N (or yes/no, TRUE/FALSE, x for yes); leave it empty for the default.",
    )


# --- percent --------------------------------------------------------------------

_PERCENT_TEXT = re.compile(r"^([+-]?\d*[.,]?\d+)\s*%$")


def read_percent(value: object, fmt: str | None = None) -> Decimal | Bad | None:
    """A percentage as a fraction (50% -> Decimal('0.5')).

    A percent-formatted cell holds the fraction.  Otherwise (format unknown or
    not a percent format) a number below 1 is a fraction and a number above 1
    is percent points (50 -> 0.5); a bare 1 is 1% with a warning (Bad with
    severity 'warning' and value 0.01).  Text `50%` is 50%; other text is read
    like a number.
    """
    if is_blank(value):
        return None
    number: Decimal | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            number = to_decimal(value)
        except ValueError:
            number = None
        if number is not None and fmt and "%" in fmt:
            return number
    elif isinstance(value, str):
        text = value.strip()
        match = _PERCENT_TEXT.match(text)
        if match:
            return to_decimal(match.group(1).replace(",", ".")) / 100
        number = _number_text(text)
    if number is None:
        return Bad(
            "bad_percent",
            f"'{as_text(value)}' is not a percentage.",
            "Type a percentage such as 50%.",
        )
    if number == 1:
        return Bad(
            "ambiguous_percent",
            "A bare 1 was read as 1%.",
            "If you meant 100%, type 100%; type 1% to silence this warning.",
            severity="warning",
            value=Decimal("0.01"),
        )
    if abs(number) < 1:
        return number
    return number / 100


# --- dates ----------------------------------------------------------------------

_EXCEL_EPOCH = date(1899, 12, 30)
_MAX_SERIAL = 2958465  # 9999-12-31
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})(?:\s+\d{1,2}:\d{2}.*)?$")
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s-]+([a-z]+)\.?,?[\s-]+(\d{4})$", re.I)
_MONTH_NAME_DAY = re.compile(r"^([a-z]+)\.?[\s-]+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$", re.I)


def _bad_date(value: object) -> Bad:
    return Bad(
        "bad_date",
        f"'{as_text(value)}' is not a date.",
        "Type the date as 2026-11-03 (year-month-day) or make the cell a date.",
    )


def _serial_date(serial: float) -> date | None:
    if not 1 <= serial <= _MAX_SERIAL:
        return None
    whole = int(serial)
    if whole < 60:  # Excel counts a 29 Feb 1900 that never was
        whole += 1
    return _EXCEL_EPOCH + timedelta(days=whole)


def _make_date(year: int, month: int, day: int) -> date | None:
    if year < 100:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        return None


def read_date(value: object, order: str | None = None) -> date | Bad | None:
    """A date cell, Excel serial, ISO text, or d/m/y text in Settings Date Order
    (`DMY` or `MDY`, None when unset: ambiguous text is then an error)."""
    if type(value) is date:
        return value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if is_blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            return _bad_date(value)
        found = _serial_date(value)
        return found if found is not None else _bad_date(value)
    if not isinstance(value, str):
        return _bad_date(value)
    text = value.strip()
    match = _ISO.match(text)
    if match:
        found = _make_date(int(match[1]), int(match[2]), int(match[3]))
        return found if found is not None else _bad_date(value)
    match = _DMY.match(text)
    if match:
        return _ordered_date(text, int(match[1]), int(match[2]), int(match[3]), order)
    for pattern, day_group, month_group in ((_DAY_MONTH_NAME, 1, 2), (_MONTH_NAME_DAY, 2, 1)):
        match = pattern.match(text)
        if match and match[month_group].casefold() in _MONTHS:
            month = _MONTHS[match[month_group].casefold()]
            found = _make_date(int(match[3]), month, int(match[day_group]))
            return found if found is not None else _bad_date(value)
    return _bad_date(value)


def _ordered_date(text: str, first: int, second: int, year: int, order: str | None) -> date | Bad:
    if order == "DMY":
        found = _make_date(year, second, first)
    elif order == "MDY":
        found = _make_date(year, first, second)
    else:
        day_first = _make_date(year, second, first)
        month_first = _make_date(year, first, second)
        if day_first and month_first and day_first != month_first:
            return Bad(
                "ambiguous_date",
                f"'{text}' could be {day_first:%d %B %Y} or {month_first:%d %B %Y}.",
                "Type the date as year-month-day (2026-11-03), or set Date Order "
                "(DMY or MDY) on the Settings tab.",
            )
        found = day_first or month_first
    if found is None:
        named = {"DMY": "day/month/year", "MDY": "month/day/year"}.get(order or "", "")
        return Bad(
            "bad_date",
            f"'{text}' is not a valid date" + (f" in {named} order." if named else "."),
            "Type the date as year-month-day (2026-11-03), or check Date Order on Settings.",
        )
    return found


# --- hours and times ------------------------------------------------------------

_DECIMAL_HOURS = re.compile(r"^\d*\.?\d+$")
_CLOCK = re.compile(r"^(\d+):(\d{1,2})(?::(\d{1,2}(?:\.\d+)?))?$")
_UNITS = re.compile(
    r"^(?:(\d*\.?\d+)\s*(?:h|hr|hrs|hour|hours|g|giờ|gio|tiếng)\.?)?\s*"
    r"(?:(\d*\.?\d+)\s*(?:m|min|mins|minute|minutes|p|phút|phut)?\.?)?$",
    re.I,
)


def _bad_hours(value: object) -> Bad:
    return Bad(
        "bad_hours",
        f"'{as_text(value)}' cannot be read as hours.",
        "Type hours as a number (1.5), a duration (1:30) or text such as 1h30m or 90m.",
    )


def _round_seconds(hours: float) -> int:
    return math.floor(hours * 3600 + 0.5)


def _clock_seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second + (1 if t.microsecond >= 500000 else 0)


def _duration_from_datetime(value: datetime) -> int | None:
    """A long `h:mm` duration that a reader turned into a date of 1900 or 1904.

    calamine counts serial 1 as 1900-01-01; OLE automation dates (xlwings/COM)
    count serial 0 as 1899-12-30, so a date before 1900 can only be the latter.
    A source with OLE dates should hand durations of 48 hours and more over as
    timedelta: from 1900-01-01 on, the calamine reading is taken."""
    if datetime(1899, 12, 30) <= value < datetime(1900, 1, 1):
        base = datetime(1899, 12, 30)
    elif datetime(1900, 1, 1) <= value < datetime(1900, 3, 1):
        base = datetime(1899, 12, 31)
    elif datetime(1900, 3, 1) <= value < datetime(1901, 1, 1):
        base = datetime(1899, 12, 30)
    elif datetime(1904, 1, 1) <= value < datetime(1905, 1, 1):
        base = datetime(1904, 1, 1)
    else:
        return None
    return math.floor((value - base).total_seconds() + 0.5)


def read_hours(value: object) -> int | Bad | None:
    """Worked time in whole seconds: 1.5, 1:30 (time or duration cell), `1:30`,
    `1h30m`, `1h`, `90m`, `1.5`, `1,5`."""
    kind = type(value)
    if kind is float:
        if math.isfinite(value):  # type: ignore[arg-type]
            return _round_seconds(value)  # type: ignore[arg-type]
        return _bad_hours(value)
    if kind is int:
        return value * 3600  # type: ignore[operator]
    if kind is time:
        return _clock_seconds(value)  # type: ignore[arg-type]
    if kind is timedelta:
        return math.floor(cast(timedelta, value).total_seconds() + 0.5)
    if is_blank(value):
        return None
    if kind is datetime:
        found = _duration_from_datetime(value)  # type: ignore[arg-type]
        return found if found is not None else _bad_hours(value)
    if kind is str:
        text = cast(str, value)
        return _hours_text(text.strip(), text)
    return _bad_hours(value)


def _hours_text(text: str, value: object) -> int | Bad:
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    if _DECIMAL_HOURS.match(text):
        return _round_seconds(float(text))
    match = _CLOCK.match(text)
    if match:
        minutes = int(match[2])
        seconds = float(match[3] or 0)
        if minutes >= 60 or seconds >= 60:
            return _bad_hours(value)
        return int(match[1]) * 3600 + minutes * 60 + math.floor(seconds + 0.5)
    compact = text.replace(" ", "")
    match = _UNITS.match(compact) if compact else None
    if match and (match[1] or match[2]):
        if match[2] and not match[1] and not re.search(r"[a-zA-Zà-ỹ]$", compact):
            return _bad_hours(value)  # a bare number was handled above
        hours = float(match[1] or 0) + float(match[2] or 0) / 60
        return _round_seconds(hours)
    return _bad_hours(value)


_TIME_TEXT = re.compile(
    r"^(\d{1,2})(?:[:h.](\d{2}))?(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|sa|ch)?$", re.I
)


def _bad_time(value: object) -> Bad:
    return Bad(
        "bad_time",
        f"'{as_text(value)}' is not a time of day.",
        "Type a time such as 9:30 or 14:15 (or 2:15 PM).",
    )


def read_time_of_day(value: object) -> int | Bad | None:
    """A Start/End time as seconds after midnight (0..86399, 86400 for `24:00`)."""
    if type(value) is time:
        return _clock_seconds(value)
    if isinstance(value, datetime):
        return _clock_seconds(value.time())
    if is_blank(value):
        return None
    if isinstance(value, float) and 0 <= value <= 1:
        return math.floor(value * DAY + 0.5)
    if isinstance(value, timedelta) and timedelta(0) <= value <= timedelta(days=1):
        return math.floor(value.total_seconds() + 0.5)
    if isinstance(value, str):
        match = _TIME_TEXT.match(value.strip())
        if match and (match[2] or match[4]):
            hour, minute, second = int(match[1]), int(match[2] or 0), int(match[3] or 0)
            half = (match[4] or "").casefold().replace(".", "")
            if half:
                if not 1 <= hour <= 12:
                    return _bad_time(value)
                hour = hour % 12 + (12 if half in ("pm", "ch") else 0)
            if hour > 24 or minute > 59 or second > 59 or (hour == 24 and minute + second):
                return _bad_time(value)
            return hour * 3600 + minute * 60 + second
    return _bad_time(value)


def span_seconds(start: int, end: int) -> int:
    """Seconds from Start to End; an End before Start crosses midnight."""
    return end - start if end >= start else end + DAY - start
