"""Every cell form of the contract's "Reading tabs" section, table-driven."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from vaxl.sheets.cells import (
    Bad,
    as_text,
    read_date,
    read_hours,
    read_id,
    read_int,
    read_money,
    read_number,
    read_percent,
    read_text,
    read_time_of_day,
    read_yesno,
    span_seconds,
)

D = date(2026, 11, 3)

# --- dates --------------------------------------------------------------------------

DATES = [
    # (cell, Date Order, expected date)
    (D, None, D),
    (datetime(2026, 11, 3, 14, 30), None, D),
    (45658, None, date(2025, 1, 1)),  # Excel serial of 1 Jan 2025
    (45658.75, None, date(2025, 1, 1)),  # a datetime serial: the day part
    (1, None, date(1900, 1, 1)),
    (59, None, date(1900, 2, 28)),
    (61, None, date(1900, 3, 1)),  # 60 is Excel's phantom 29 Feb 1900
    ("2026-11-03", None, D),
    ("  2026-11-03 ", None, D),
    ("2026/11/03", None, D),
    ("2026-11-03T09:00:00", None, D),
    ("25/03/2026", None, date(2026, 3, 25)),  # only day-first is possible
    ("03/25/2026", None, date(2026, 3, 25)),  # only month-first is possible
    ("03/03/2026", None, date(2026, 3, 3)),  # both orders agree
    ("03/04/2026", "DMY", date(2026, 4, 3)),
    ("03/04/2026", "MDY", date(2026, 3, 4)),
    ("03.04.2026", "DMY", date(2026, 4, 3)),
    ("03-04-2026", "MDY", date(2026, 3, 4)),
    ("03/04/26", "DMY", date(2026, 4, 3)),
    ("3 Nov 2026", None, D),
    ("3 November 2026", None, D),
    ("Nov 3, 2026", None, D),
    ("November 3 2026", "DMY", D),
    (None, None, None),
    ("", None, None),
    ("   ", "DMY", None),
]


@pytest.mark.parametrize(("cell", "order", "expected"), DATES)
def test_dates_read(cell: object, order: str | None, expected: date | None) -> None:
    assert read_date(cell, order) == expected


BAD_DATES = [
    ("03/04/2026", None, "ambiguous_date"),
    ("31/02/2026", "DMY", "bad_date"),
    ("03/25/2026", "DMY", "bad_date"),
    ("2026-13-01", None, "bad_date"),
    ("tomorrow", None, "bad_date"),
    ("3 Foo 2026", None, "bad_date"),
    (True, None, "bad_date"),
    (time(9, 30), None, "bad_date"),
    (timedelta(hours=2), None, "bad_date"),
    (-5, None, "bad_date"),
    (0, None, "bad_date"),
    (float("nan"), None, "bad_date"),
    (3e7, None, "bad_date"),
]


@pytest.mark.parametrize(("cell", "order", "code"), BAD_DATES)
def test_dates_refused(cell: object, order: str | None, code: str) -> None:
    result = read_date(cell, order)
    assert isinstance(result, Bad)
    assert result.code == code
    assert result.severity == "error"
    assert result.fix


def test_ambiguous_date_names_both_readings_and_the_fix() -> None:
    result = read_date("03/04/2026")
    assert isinstance(result, Bad)
    assert "03 April 2026" in result.message and "04 March 2026" in result.message
    assert "Date Order" in result.fix and "2026-11-03" in result.fix


# --- hours --------------------------------------------------------------------------

HOURS = [
    (1.5, 5400),
    (2, 7200),
    (0.25, 900),
    (0.1, 360),
    (20 / 60, 1200),
    (0.0, 0),
    (time(1, 30), 5400),
    (time(0, 20), 1200),
    (time(0, 19, 59, 600000), 1200),  # to the nearest second
    (time(0, 19, 59, 400000), 1199),
    (timedelta(hours=26, minutes=30), 95400),
    (timedelta(seconds=5399.6), 5400),
    (datetime(1900, 1, 1, 2, 30), 95400),  # 26:30 shown as h:mm, 1900 date system
    (datetime(1904, 1, 2, 2, 30), 95400),  # the same in the 1904 date system
    (datetime(1899, 12, 30, 1, 30), 5400),  # an OLE automation date (xlwings): 1:30
    (datetime(1899, 12, 31, 2, 30), 95400),  # OLE: 26:30
    ("1:30", 5400),
    ("0:20", 1200),
    ("1:30:30", 5430),
    ("12:05", 43500),
    ("1h30m", 5400),
    ("1h 30m", 5400),
    ("1 h 30 min", 5400),
    ("1h30", 5400),
    ("1h", 3600),
    ("2 hours", 7200),
    ("90m", 5400),
    ("90 min", 5400),
    ("1.5h", 5400),
    ("1.5", 5400),
    ("1,5", 5400),
    (".5", 1800),
    ("2", 7200),
    ("1 giờ 30 phút", 5400),
    (None, None),
    ("", None),
    ("  ", None),
]


@pytest.mark.parametrize(("cell", "seconds"), HOURS)
def test_hours_read(cell: object, seconds: int | None) -> None:
    assert read_hours(cell) == seconds


def test_three_twenty_minute_entries_are_exactly_one_hour() -> None:
    for cell in ("0:20", time(0, 20), 20 / 60, 1 / 72 * 24):
        total = sum(read_hours(cell) for _ in range(3))  # type: ignore[misc]
        assert total == 3600, cell


@pytest.mark.parametrize(
    "cell",
    ["abc", "1:75", "1:30:99", "h", "1.5.2", True, False, D, datetime(2026, 11, 3, 9),
     float("inf"), float("nan"), ["x"]],
)
def test_hours_refused(cell: object) -> None:
    result = read_hours(cell)
    assert isinstance(result, Bad)
    assert result.code == "bad_hours"
    assert "1:30" in result.fix


TIMES = [
    (time(9, 0), 9 * 3600),
    (datetime(2026, 11, 3, 14, 15), 14 * 3600 + 15 * 60),
    ("9:00", 9 * 3600),
    ("09:30", 9 * 3600 + 1800),
    ("14:15:30", 14 * 3600 + 15 * 60 + 30),
    ("2:15 PM", 14 * 3600 + 15 * 60),
    ("2pm", 14 * 3600),
    ("12:00 AM", 0),
    ("12:30 pm", 12 * 3600 + 1800),
    ("14h30", 14 * 3600 + 1800),
    (0.5, 12 * 3600),
    ("24:00", 86400),
    ("", None),
]


@pytest.mark.parametrize(("cell", "seconds"), TIMES)
def test_times_of_day(cell: object, seconds: int | None) -> None:
    assert read_time_of_day(cell) == seconds


@pytest.mark.parametrize("cell", ["25:00", "13:00 PM", "9", "noon", 1.5, True, "9:60"])
def test_times_of_day_refused(cell: object) -> None:
    result = read_time_of_day(cell)
    assert isinstance(result, Bad) and result.code == "bad_time"


def test_span_crosses_midnight_when_end_is_before_start() -> None:
    assert span_seconds(9 * 3600, 10 * 3600 + 1800) == 5400
    assert span_seconds(23 * 3600, 1 * 3600) == 2 * 3600
    assert span_seconds(8 * 3600, 8 * 3600) == 0


# --- yes/no -------------------------------------------------------------------------

YES = ["Y", "y", "yes", "YES", "Yes", "x", "X", "TRUE", "true", "1", "có", "Có", "CÓ",
       True, 1, 1.0, " y "]
NO = ["N", "n", "no", "NO", "FALSE", "false", "0", "không", "KHÔNG", False, 0, 0.0]


@pytest.mark.parametrize("cell", YES)
def test_yes(cell: object) -> None:
    assert read_yesno(cell, False) is True


@pytest.mark.parametrize("cell", NO)
def test_no(cell: object) -> None:
    assert read_yesno(cell, True) is False


@pytest.mark.parametrize("default", [True, False])
@pytest.mark.parametrize("cell", [None, "", "   "])
def test_empty_yes_no_is_the_default(cell: object, default: bool) -> None:
    assert read_yesno(cell, default) is default


@pytest.mark.parametrize("cell", ["maybe", "2", 2, "yess", D])
def test_yes_no_refused(cell: object) -> None:
    result = read_yesno(cell, False)
    assert isinstance(result, Bad) and result.code == "not_yes_no"
    assert "Y or N" in result.fix


# --- percent ------------------------------------------------------------------------

PERCENTS = [
    # (cell, number format or None when unknown, fraction)
    (0.5, "0%", Decimal("0.5")),
    (1, "0%", Decimal("1")),  # 100% formatted
    (1.5, "0.00%", Decimal("1.5")),
    (0.5, None, Decimal("0.5")),
    (0.5, "", Decimal("0.5")),
    (0.1, None, Decimal("0.1")),
    (50, None, Decimal("0.5")),
    (50, "General", Decimal("0.5")),
    (12.5, "0.0", Decimal("0.125")),
    (150, None, Decimal("1.5")),
    (0, None, Decimal("0")),
    ("50%", None, Decimal("0.5")),
    ("12.5%", "0%", Decimal("0.125")),
    ("12,5 %", None, Decimal("0.125")),
    ("0.5", None, Decimal("0.5")),
    ("50", None, Decimal("0.5")),
    (None, None, None),
    ("", "0%", None),
]


@pytest.mark.parametrize(("cell", "fmt", "fraction"), PERCENTS)
def test_percents(cell: object, fmt: str | None, fraction: Decimal | None) -> None:
    assert read_percent(cell, fmt) == fraction


@pytest.mark.parametrize("fmt", [None, "", "General"])
def test_bare_one_is_one_percent_with_a_warning(fmt: str | None) -> None:
    result = read_percent(1, fmt)
    assert isinstance(result, Bad)
    assert result.severity == "warning" and result.code == "ambiguous_percent"
    assert result.value == Decimal("0.01")
    assert "100%" in result.fix


@pytest.mark.parametrize("cell", ["abc", True, "50%%", D])
def test_percent_refused(cell: object) -> None:
    result = read_percent(cell)
    assert isinstance(result, Bad) and result.code == "bad_percent"
    assert result.severity == "error"


# --- money, numbers, ints, text, ids ------------------------------------------------

MONEY = [
    (0.1, Decimal("0.1")),
    (45, Decimal("45")),
    (1234.5, Decimal("1234.5")),
    ("45", Decimal("45")),
    ("1,234.50", Decimal("1234.50")),
    ("$45.00", Decimal("45.00")),
    ("USD 45", Decimal("45")),
    ("500000 VND", Decimal("500000")),
    ("45,50", Decimal("45.50")),
    ("1.234,50", Decimal("1234.50")),
    ("(12.00)", Decimal("-12.00")),
    (None, None),
    ("  ", None),
]


@pytest.mark.parametrize(("cell", "amount"), MONEY)
def test_money(cell: object, amount: Decimal | None) -> None:
    result = read_money(cell)
    assert result == amount
    if amount is not None:
        assert str(result) == str(amount)  # exact, never binary float noise


def test_money_from_float_is_never_binary_noise() -> None:
    assert str(read_money(0.1 + 0.2)) == "0.30000000000000004"  # the float's shortest text
    assert str(read_money(19.99)) == "19.99"


@pytest.mark.parametrize("cell", ["abc", True, "12 apples", D, float("nan")])
def test_money_refused(cell: object) -> None:
    result = read_money(cell)
    assert isinstance(result, Bad) and result.code == "bad_money"


def test_number_refused_has_its_own_code() -> None:
    result = read_number("lots")
    assert isinstance(result, Bad) and result.code == "bad_number"


@pytest.mark.parametrize(
    ("cell", "value"),
    [(14, 14), (14.0, 14), ("14", 14), ("30 days", 30), ("15 min", 15), ("0", 0), ("", None)],
)
def test_ints(cell: object, value: int | None) -> None:
    assert read_int(cell) == value


@pytest.mark.parametrize("cell", [14.5, "x", True, "1.5"])
def test_ints_refused(cell: object) -> None:
    result = read_int(cell)
    assert isinstance(result, Bad) and result.code == "bad_integer"


@pytest.mark.parametrize(
    ("cell", "text"),
    [("  Acme Ltd  ", "Acme Ltd"), (1001.0, "1001"), (1001, "1001"), (2.5, "2.5"), (None, ""),
     (D, "2026-11-03"), (time(1, 30), "01:30"), (timedelta(hours=26, minutes=30), "26:30"),
     (True, "TRUE")],
)
def test_text(cell: object, text: str) -> None:
    assert read_text(cell) == text
    assert as_text(cell) == text


@pytest.mark.parametrize(
    ("cell", "found"),
    [(" acme ", ("acme", "ACME")), ("ACME", ("ACME", "ACME")), (1001, ("1001", "1001")),
     ("", None), (None, None)],
)
def test_ids(cell: object, found: tuple[str, str] | None) -> None:
    assert read_id(cell) == found
