"""RawBook -> Book: every input tab's rows as records, plus the cell-form problems.

    book, problems = parse_book(raw)

This stage reports what a single cell says wrongly (a date that is not one,
unreadable hours, yes/no, numbers, money, percents, Settings values) and a
missing required column or required cell.  Rules over whole records and tabs
(duplicate IDs, unknown clients, ranges, missing rates, e-mail) belong to
`vaxl.core.checks`.

A row whose required cell is empty or unreadable (Date, Client ID, Hours; the
Rates Category and Rate; a Payment's Amount; the register's Invoice No, Client
ID and Period) yields no record, only its problem (codes `missing_<field>` or
the cell's own code).  A row with an unreadable optional cell keeps its record
with that cell's default, beside an error problem.

A cell the source lists in `RawTab.uncalculated` (a formula saved with no
calculated value) is reported as that, code `uncalculated_formula`, never also
as empty: an error where the value matters (a required cell fails its row as
an empty one would), a warning for the descriptive cells (Task, Notes,
Contact, Email, Phone, Address, Reference, Note).  In Settings the default is
used.  A row whose only content is such a formula in a column vaxl reads is
read, not skipped as blank.

The Timesheet (100,000 rows and more in an agency's book) is read column by
column, 2,048 rows at a time: the common cells (date cells, float hours, empty
or common yes/no words) inline, any other cell through the same reader the
general path uses; only the rows where a needed cell does not read cleanly go
row by row through the general path, which reports their problems.  The
records and problems are exactly the general path's (`parse_workbook(raw,
fast=False)`, compared in tests/bench/test_bench_equivalence.py).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any

from vaxl.core.models import (
    ENTRY_COLUMNS,
    Block,
    Book,
    CellRef,
    Client,
    Closing,
    Entries,
    Entry,
    Payment,
    Problem,
    RegisterRow,
    Settings,
    SpecialtyRate,
    col_letter,
    new_entry,
)
from vaxl.core.money import is_currency
from vaxl.errors import UnusableWorkbook
from vaxl.sheets import cells
from vaxl.sheets.cells import Bad, as_text, is_blank
from vaxl.sheets.headers import HeaderMap, find_tab, find_tab_name, map_header
from vaxl.sheets.raw import RawBook, RawTab, tab_key
from vaxl.sheets.spec import (
    BLOCKS,
    CLIENTS,
    CLOSINGS,
    MANIFEST_TAB,
    PAYMENTS,
    RATES,
    REGISTER,
    SETTINGS,
    SETTINGS_KEYS,
    TIMESHEET,
    TabSpec,
    header_key,
)

__all__ = ["MANIFEST_TAB", "Parsed", "parse_book", "parse_workbook", "require_vaxl_tabs"]

ColumnMap = dict[str, dict[str, tuple[int, str]]]


@dataclass
class Parsed:
    """The parser's full answer.

    Fields:
        book: the records.
        problems: cell-form problems, in tab and row order.
        columns: tab as spelt -> field -> (sheet column number, header as typed),
            for `vaxl.core.checks.check(columns=...)` so its problems name cells.
    """

    book: Book
    problems: list[Problem]
    columns: ColumnMap = field(default_factory=dict)


def parse_book(raw: RawBook) -> tuple[Book, list[Problem]]:
    """Parse every tab the contract reads; raise UnusableWorkbook when the workbook
    has neither a Clients nor a Timesheet tab."""
    parsed = parse_workbook(raw)
    return parsed.book, parsed.problems


def require_vaxl_tabs(raw: RawBook) -> None:
    """Raise UnusableWorkbook unless the workbook has a Clients or Timesheet tab."""
    names = list(raw.tab_names) or list(raw.tabs)
    if find_tab_name(names, CLIENTS) is None and find_tab_name(names, TIMESHEET) is None:
        source = raw.source or "This workbook"
        raise UnusableWorkbook(
            f"{source} is not a vaxl workbook: it has no Clients or Timesheet tab.",
            "Run `vaxl init` to create a workbook with the right tabs, or add a "
            "Clients and a Timesheet tab.",
        )


def parse_workbook(raw: RawBook, *, fast: bool = True) -> Parsed:
    """parse_book, also returning the column map for checks.

    fast=False reads the Timesheet row by row through the general path only
    (the same records and problems, slower; for tests that compare the two)."""
    require_vaxl_tabs(raw)
    problems: list[Problem] = []
    columns: ColumnMap = {}
    settings = _parse_settings(find_tab(raw, SETTINGS), problems)
    order = settings.date_order

    def load(spec: TabSpec) -> tuple[RawTab, HeaderMap] | None:
        tab = find_tab(raw, spec)
        if tab is None:
            return None
        header, missing = map_header(tab, spec)
        if header is None:
            return None
        columns[tab.name] = {f: (header.sheet_col(f), header.labels[f]) for f in header.columns}
        if spec is TIMESHEET and "hours" not in header.columns and not (
            "start" in header.columns and "end" in header.columns
        ):
            missing.append(_missing_hours_column(tab, header))
        problems.extend(missing)
        return None if missing else (tab, header)

    clients: tuple[Client, ...] = ()
    rates: tuple[SpecialtyRate, ...] = ()
    blocks: tuple[Block, ...] = ()
    closings: tuple[Closing, ...] = ()
    payments: tuple[Payment, ...] = ()
    entries: Entries | tuple[Entry, ...] = ()
    if found := load(CLIENTS):
        clients = tuple(_parse_clients(*found, settings, problems))
    if found := load(RATES):
        rates = tuple(_parse_rates(*found, order, problems))
    if found := load(TIMESHEET):
        entries = (_parse_timesheet(*found, order, problems) if fast
                   else tuple(_parse_timesheet_plain(*found, order, problems)))
    if found := load(BLOCKS):
        blocks = tuple(_parse_blocks(*found, order, problems))
    if found := load(CLOSINGS):
        closings = tuple(_parse_closings(*found, order, problems))
    if found := load(PAYMENTS):
        payments = tuple(_parse_payments(*found, order, problems))
    vaxl_tabs = _manifest(raw)
    invoices = tuple(_register(raw, vaxl_tabs, settings, problems, columns))
    book = Book(
        settings=settings,
        clients=clients,
        rates=rates,
        entries=entries,
        blocks=blocks,
        closings=closings,
        payments=payments,
        invoices=invoices,
        tab_names=tuple(raw.tab_names),
        vaxl_tabs=vaxl_tabs,
    )
    return Parsed(book, problems, columns)


# --- shared row machinery ---------------------------------------------------------


def _missing_hours_column(tab: RawTab, header: HeaderMap) -> Problem:
    return Problem(
        severity="error",
        tab=tab.name,
        cell=f"{cells_letter(header, None)}{header.row}",
        column="Hours",
        message=f"The {tab.name} tab has no 'Hours' column (nor Start and End), "
        "so its rows cannot be read.",
        fix=f"Add a column headed 'Hours' to the header row (row {header.row}).",
        code="missing_column",
    )


def cells_letter(header: HeaderMap, field_name: str | None) -> str:
    """Column letter of a field, or of the first free column right of the header."""
    if field_name is not None and field_name in header.columns:
        return header.letter(field_name)
    last = max(header.columns.values(), default=-1)
    return col_letter(header.first_col + last + 1)


# Cells whose formula without a value is only a warning: nothing billed depends on them.
_DESCRIPTIVE = frozenset({"contact", "email", "phone", "address", "task", "notes", "note",
                          "reference"})
_DESCRIPTIVE_SETTINGS = frozenset({"business_address", "business_email", "tax_id", "logo",
                                   "payment_instructions"})
_RECALCULATE = "Open the workbook in Excel or LibreOffice and save it, then run vaxl again."


def _uncalculated(tab_name: str, cell: str) -> str:
    return (f"The formula in {tab_name}!{cell} has no calculated value (the file was saved "
            "by a program that does not calculate).")


class _Row:
    """One data row of a small tab: reads its cells and records their problems."""

    __slots__ = ("tab", "header", "cells", "index", "row", "problems", "client_id", "failed",
                 "gaps")

    def __init__(
        self, tab: RawTab, header: HeaderMap, index: int, problems: list[Problem]
    ) -> None:
        self.tab = tab
        self.header = header
        self.cells = tab.rows[index]
        self.index = index
        self.row = tab.first_row + index
        self.problems = problems
        self.client_id: str | None = None
        self.failed = False
        # columns of this row holding a formula with no value, until each is reported
        self.gaps: set[int] | None = (
            set(tab.uncalculated[index]) if index in tab.uncalculated else None
        )

    @property
    def ref(self) -> CellRef:
        return CellRef(self.tab.name, self.row, 0)

    def raw(self, name: str) -> Any:
        col = self.header.columns.get(name)
        if col is None or col >= len(self.cells):
            return None
        return self.cells[col]

    def fmt(self, name: str) -> str | None:
        col = self.header.columns.get(name)
        return None if col is None else self.tab.format_at(self.index, col)

    def report(self, name: str, value: object, bad: Bad, *, required: bool = False) -> None:
        if bad.severity == "error" and required:
            self.failed = True
        self.problems.append(
            Problem(
                severity="warning" if bad.severity == "warning" else "error",
                tab=self.tab.name,
                cell=f"{cells_letter(self.header, name)}{self.row}",
                column=self.header.labels.get(name, name),
                value=as_text(value),
                message=bad.message,
                fix=bad.fix,
                client_id=self.client_id,
                code=bad.code,
            )
        )

    def uncalculated(self, name: str, *, required: bool = False) -> bool:
        """Whether the field's cell holds a formula with no value; reports it the
        first time (an error unless the cell is only descriptive)."""
        if self.gaps is None:
            return False
        col = self.header.columns.get(name)
        if col is None or col not in self.tab.uncalculated[self.index]:
            return False
        if col in self.gaps:
            self.gaps.discard(col)
            severity = "warning" if name in _DESCRIPTIVE else "error"
            cell = f"{cells_letter(self.header, name)}{self.row}"
            self.report(name, "", Bad("uncalculated_formula", _uncalculated(self.tab.name, cell),
                                      _RECALCULATE, severity), required=required)
        return True

    def missing(self, name: str, what: str, fix: str) -> None:
        if self.uncalculated(name, required=True):
            return  # reported as a formula without a value, not as empty
        label = self.header.labels.get(name, name)
        self.report(
            name, "", Bad(f"missing_{name}", f"{label} is empty{what}.", fix), required=True
        )

    def read(self, name: str, reader: Callable[[Any], Any], *, required: bool = False) -> Any:
        if self.gaps is not None and self.uncalculated(name, required=required):
            return None
        value = self.raw(name)
        result = reader(value)
        if isinstance(result, Bad):
            self.report(name, value, result, required=required)
            return result.value if result.severity == "warning" else None
        return result

    def client(self, *, required: bool = True) -> str | None:
        if self.gaps is not None and self.uncalculated("client_id", required=required):
            return None
        found = cells.read_id(self.raw("client_id"))
        if found is None:
            if required:
                self.missing(
                    "client_id", "", "Type the Client ID of a client on the Clients tab."
                )
            return None
        self.client_id = found[1]
        return found[1]

    def date(self, name: str, order: str | None, *, required: bool = False) -> date | None:
        found = self.read(name, lambda v: cells.read_date(v, order), required=required)
        if found is None and required and not self.failed:
            self.missing(name, "", "Type the date, e.g. 2026-11-03.")
        return found  # type: ignore[no-any-return]

    def text(self, name: str, *, required: bool = False) -> str:
        if self.gaps is not None and self.uncalculated(name, required=required):
            return ""
        return as_text(self.raw(name))

    def percent(self, name: str) -> Decimal | None:
        fmt = self.fmt(name)
        return self.read(name, lambda v: cells.read_percent(v, fmt))  # type: ignore[no-any-return]


def _gap_rows(tab: RawTab, header: HeaderMap) -> set[int]:
    """Data rows with a formula without a value in a column the tab's header maps
    (such a row is read even when all its values are empty)."""
    if not tab.uncalculated:
        return set()
    mapped = set(header.columns.values())
    return {i for i, cols in tab.uncalculated.items()
            if i > header.index and not mapped.isdisjoint(cols)}


def _rows(tab: RawTab, header: HeaderMap, problems: list[Problem]) -> list[_Row]:
    gaps = _gap_rows(tab, header)
    return [
        _Row(tab, header, i, problems)
        for i in range(header.index + 1, len(tab.rows))
        if _is_read(tab.rows[i], i in gaps)
    ]


def _is_read(values: list[Any], gap: bool) -> bool:
    """A row is read when it holds a value, or a formula without one (`gap`)."""
    return gap or not all(is_blank(v) for v in values)


def _hours_decimal(value: object) -> Decimal | Bad | None:
    """Hours as an exact Decimal: numbers as typed, durations from their seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return cells.read_number(value)
    seconds = cells.read_hours(value)
    if seconds is None or isinstance(seconds, Bad):
        return seconds
    return Decimal(seconds) / 3600


# --- Settings ---------------------------------------------------------------------

_SETTING_FIELDS: dict[str, str] = {}
for _field, _names in SETTINGS_KEYS.items():
    for _name in (*_names, _field):
        _SETTING_FIELDS.setdefault(header_key(_name), _field)

_CHOICES: dict[str, dict[str, str]] = {
    "rounding_mode": {
        "up": "up", "nearest": "nearest", "lên": "up", "lamtronlen": "up", "làmtrònlên": "up",
        "gầnnhất": "nearest", "gannhat": "nearest", "roundup": "up",
    },
    "language": {
        "en": "en", "english": "en", "tiếnganh": "en", "vi": "vi", "vietnamese": "vi",
        "tiếngviệt": "vi", "tiengviet": "vi",
    },
    "paper": {"a4": "A4", "letter": "Letter", "usletter": "Letter"},
}
_ROUNDING = (0, 5, 6, 10, 15, 30, 60)


def _date_order(value: object) -> str | Bad | None:
    text = as_text(value)
    if not text:
        return None
    folded = unicodedata.normalize("NFC", text).casefold()
    for vi, order in (("ngày", "D"), ("tháng", "M"), ("năm", "Y")):
        folded = folded.replace(vi, order.casefold())
    letters = re.sub(r"[^dmy]", "", folded)
    letters = re.sub(r"(.)\1+", r"\1", letters).upper()
    if letters in ("DMY", "MDY"):
        return letters
    return Bad(
        "bad_setting",
        f"Date Order '{text}' is not DMY or MDY; text dates such as 03/04/2026 are not read.",
        "Set Date Order to DMY (day first) or MDY (month first).",
    )


def _setting(name: str, value: object, fmt: str | None) -> Any:
    """One Settings value read for its key; Bad when it cannot be used."""
    label = SETTINGS_KEYS[name][0]
    text = as_text(value)
    if name == "currency":
        if is_currency(text):
            return text.upper()
        return Bad(
            "bad_setting",
            f"Currency '{text}' is not an ISO 4217 currency code; USD is used.",
            "Type a three-letter currency code such as USD, EUR or VND.",
        )
    if name in ("rush_surcharge", "low_balance_alert"):
        read = cells.read_percent(value, fmt)
        if isinstance(read, Bad) and read.severity == "error":
            default = "50%" if name == "rush_surcharge" else "80%"
            return Bad(
                "bad_setting",
                f"{label} '{text}' is not a percentage; {default} is used.",
                "Type a percentage such as 50%.",
            )
        return read
    if name in ("time_rounding", "payment_terms"):
        whole = cells.read_int(value) if name == "time_rounding" else cells.read_days(value)
        if name == "time_rounding" and whole not in _ROUNDING:
            return Bad(
                "bad_setting",
                f"Time Rounding '{text}' is not one of 0, 5, 6, 10, 15, 30 or 60 minutes; "
                "0 (exact) is used.",
                "Set Time Rounding to 0, 5, 6, 10, 15, 30 or 60.",
            )
        if name == "payment_terms" and (isinstance(whole, Bad) or whole is None or whole < 0):
            return Bad(
                "bad_setting",
                f"Payment Terms '{text}' is not a number of days; 14 is used.",
                "Type the number of days from issue date to due date, e.g. 14 "
                "(Net 14 and 14 days are read too).",
            )
        return whole
    if name == "date_order":
        return _date_order(value)
    if name in _CHOICES:
        choice = _CHOICES[name].get(header_key(text))
        if choice is None:
            allowed = sorted(set(_CHOICES[name].values()))
            return Bad(
                "bad_setting",
                f"{label} '{text}' is not one of {', '.join(allowed)}; "
                f"{Settings.model_fields[name].default} is used.",
                f"Set {label} to {' or '.join(allowed)}.",
            )
        return choice
    return text


def _parse_settings(tab: RawTab | None, problems: list[Problem]) -> Settings:
    if tab is None:
        return Settings()
    start, key_col, value_col, value_label = 0, 0, 1, "Value"
    first = next(
        (i for i, row in enumerate(tab.rows) if any(not is_blank(v) for v in row)), None
    )
    if first is None:
        return Settings()
    head = tab.rows[first]
    keys = {header_key(as_text(v)): i for i, v in enumerate(head) if not is_blank(v)}
    setting_keys = SETTINGS.column("setting").keys()
    value_keys = SETTINGS.column("value").keys()
    key_at = next((i for k, i in keys.items() if k in setting_keys), None)
    value_at = next((i for k, i in keys.items() if k in value_keys), None)
    if key_at is not None and value_at is not None:
        start, key_col, value_col = first + 1, key_at, value_at
        value_label = as_text(head[value_at])
    values: dict[str, Any] = {}
    for i in range(start, len(tab.rows)):
        row = tab.rows[i]
        key = as_text(row[key_col]) if key_col < len(row) else ""
        value = row[value_col] if value_col < len(row) else None
        if not key:
            continue
        name = _SETTING_FIELDS.get(header_key(key))
        sheet_row = tab.first_row + i
        cell = f"{col_letter(tab.first_col + value_col)}{sheet_row}"
        if name is None:
            problems.append(
                Problem(
                    severity="warning",
                    tab=tab.name,
                    cell=f"{col_letter(tab.first_col + key_col)}{sheet_row}",
                    column="Setting",
                    value=key,
                    message=f"'{key}' is not a setting vaxl knows; it is ignored.",
                    fix="Check the spelling against the Settings list in the docs, "
                    "or delete the row.",
                    code="unknown_setting",
                )
            )
            continue
        if name in values:
            continue
        if value_col in tab.uncalculated.get(i, ()):
            problems.append(
                Problem(
                    severity="warning" if name in _DESCRIPTIVE_SETTINGS else "error",
                    tab=tab.name,
                    cell=cell,
                    column=value_label,
                    message=_uncalculated(tab.name, cell)[:-1] + "; the default is used.",
                    fix=_RECALCULATE,
                    code="uncalculated_formula",
                )
            )
            continue
        if is_blank(value):
            continue
        read = _setting(name, value, tab.format_at(i, value_col))
        if isinstance(read, Bad):
            problems.append(
                Problem(
                    severity=read.severity,  # type: ignore[arg-type]
                    tab=tab.name,
                    cell=cell,
                    column=value_label,
                    value=as_text(value),
                    message=read.message,
                    fix=read.fix,
                    code=read.code,
                )
            )
            if read.severity != "warning":
                continue
            read = read.value
        if read is not None:
            values[name] = read
    return Settings(**values)


# --- Clients, Rates, Blocks, Closings, Payments -------------------------------------


def _parse_clients(
    tab: RawTab, header: HeaderMap, settings: Settings, problems: list[Problem]
) -> list[Client]:
    out = []
    order = settings.date_order
    for row in _rows(tab, header, problems):
        key = row.client()
        data: dict[str, Any] = {}
        for name in ("rate", "retainer_fee", "overage_rate", "commission_per_closing"):
            data[name] = row.read(name, cells.read_money)
        for name in ("rush_surcharge", "commission_rate", "tax_rate"):
            data[name] = row.percent(name)
        for name in ("rollover_months", "payment_terms", "time_rounding"):
            reader = cells.read_days if name == "payment_terms" else cells.read_int
            data[name] = row.read(name, reader)
        data["retainer_hours"] = row.read("retainer_hours", _hours_decimal)
        data["start_date"] = row.date("start_date", order)
        data["end_date"] = row.date("end_date", order)
        active = row.read("active", lambda v: cells.read_yesno(v, True))
        if key is None:
            continue
        out.append(
            Client(
                key=key,
                id=row.text("client_id"),
                name=row.text("name"),
                contact=row.text("contact"),
                email=row.text("email"),
                phone=row.text("phone"),
                address=row.text("address"),
                billing=row.text("billing").lower(),
                currency=(row.text("currency") or settings.currency).upper(),
                rollover_months=data.pop("rollover_months") or 0,
                tax_rate=data.pop("tax_rate") or Decimal(0),
                active=True if active is None else active,
                ref=row.ref,
                **data,
            )
        )
    return out


def _parse_rates(
    tab: RawTab, header: HeaderMap, order: str | None, problems: list[Problem]
) -> list[SpecialtyRate]:
    out = []
    for row in _rows(tab, header, problems):
        key = row.client(required=False)
        category = row.text("category", required=True)
        if not category:
            row.missing("category", "", "Type the Timesheet category this rate prices.")
        rate = row.read("rate", cells.read_money, required=True)
        if rate is None and not row.failed:
            row.missing("rate", "", "Type the hourly rate for this category.")
        prepaid = row.read("prepaid", lambda v: cells.read_yesno(v, True))
        if row.failed:
            continue
        out.append(
            SpecialtyRate(
                client_key=key,
                category=category,
                rate=rate,
                prepaid=True if prepaid is None else prepaid,
                ref=row.ref,
            )
        )
    return out


def _parse_blocks(
    tab: RawTab, header: HeaderMap, order: str | None, problems: list[Problem]
) -> list[Block]:
    out = []
    for row in _rows(tab, header, problems):
        key = row.client()
        day = row.date("date", order, required=True)
        seconds = row.read("hours", cells.read_hours, required=True)
        if seconds is None and not row.failed:
            row.missing("hours", "", "Type the hours the block buys, e.g. 10.")
        amount = row.read("amount", cells.read_money)
        expires = row.date("expires", order)
        if key is None or day is None or row.failed:
            continue
        out.append(
            Block(
                day=day,
                client_key=key,
                seconds=seconds,
                amount=amount,
                expires=expires,
                reference=row.text("reference"),
                ref=row.ref,
            )
        )
    return out


def _parse_closings(
    tab: RawTab, header: HeaderMap, order: str | None, problems: list[Problem]
) -> list[Closing]:
    out = []
    for row in _rows(tab, header, problems):
        key = row.client()
        day = row.date("date", order, required=True)
        sale_price = row.read("sale_price", cells.read_money)
        commission = row.read("commission", cells.read_money)
        if key is None or day is None or row.failed:
            continue
        out.append(
            Closing(
                day=day,
                client_key=key,
                reference=row.text("reference"),
                sale_price=sale_price,
                commission=commission,
                ref=row.ref,
            )
        )
    return out


def _parse_payments(
    tab: RawTab, header: HeaderMap, order: str | None, problems: list[Problem]
) -> list[Payment]:
    out = []
    for row in _rows(tab, header, problems):
        key = row.client()
        day = row.date("date", order, required=True)
        amount = row.read("amount", cells.read_money, required=True)
        if amount is None and not row.failed:
            row.missing("amount", "", "Type the amount paid.")
        if key is None or day is None or amount is None or row.failed:
            continue
        out.append(
            Payment(
                day=day,
                client_key=key,
                invoice_no=row.text("invoice_no"),
                amount=amount,
                note=row.text("note"),
                ref=row.ref,
            )
        )
    return out


# --- Timesheet (the big one) -------------------------------------------------------


# Yes/no cells the fast path reads inline: 1 yes, 0 no, 2 empty (the default).
_FAST_YES_NO: dict[object, int] = {None: 2, "": 2, True: 1, False: 0}
for _word in ("Y", "y", "Yes", "yes", "YES", "x", "X", "TRUE", "True", "true", "có", "Có"):
    _FAST_YES_NO[_word] = 1
for _word in ("N", "n", "No", "no", "NO", "FALSE", "False", "false", "không", "Không"):
    _FAST_YES_NO[_word] = 0

_TIMESHEET_FIELDS = ("date", "client_id", "hours", "rush", "billable", "task", "category", "notes",
                     "assistant")


def _columns(rows: list[Any], where: list[int | None]) -> list[Any]:
    """The cells of each wanted column, every row (None for a column the tab lacks)."""
    width = max(i for i in where if i is not None) + 1
    lengths = set(map(len, rows))
    if min(lengths) < width:  # ragged rows (a source that trims them): pad
        rows = [r if len(r) >= width else [*r, *([None] * (width - len(r)))] for r in rows]
        lengths = set(map(len, rows))
    if len(lengths) == 1:
        everything = list(zip(*rows, strict=True))
        return [None if i is None else everything[i] for i in where]
    return [None if i is None else list(map(itemgetter(i), rows)) for i in where]


def _shared(values: Any, table: dict[Any, Any], make: Callable[[Any], str]) -> list[str]:
    """`make(cell)` of each cell, worked out once per text spelling (rows share the
    one string).  `table` lives across chunks and holds text keys only (so that a
    number never finds a text's entry, nor 1.0 the entry of True)."""
    for value in set(values).difference(table):
        if type(value) is str:
            table[value] = make(value)
    found: list[str | None] = list(map(table.get, values))
    if None in found:  # a number, date or empty cell
        return [make(v) if o is None else o for o, v in zip(found, values, strict=True)]
    return found  # type: ignore[return-value]  # no None left


def _text_column(values: Any, n: int, table: dict[Any, Any]) -> list[str]:
    """Trimmed text of each cell (as_text)."""
    return [""] * n if values is None else _shared(values, table, as_text)


def _canonical_id(value: object) -> str:
    return as_text(value).upper()


def _key_column(values: Any, n: int, table: dict[Any, Any]) -> list[str]:
    """Canonical client IDs (trimmed, upper case), as `cells.read_id` makes them."""
    return [""] * n if values is None else _shared(values, table, _canonical_id)


def _seconds_column(values: Any, n: int, table: dict[Any, int | None]) -> list[int | None]:
    """Worked seconds of each Hours cell as `cells.read_hours` reads it; None where
    it does not read as a number of seconds (the general path then has the row).
    Hours repeat (0.25, 1.5, `1:30`): each value is read once; `table` lives
    across chunks.  Values of different types that compare equal would share
    an entry (True and 1.0; a huge int and its float), so a column holding
    bools or ints (which .xlsx files never give) is read cell by cell."""
    if values is None:
        return [None] * n
    types = set(map(type, values))
    if bool in types or int in types:
        return [_seconds_of(v) for v in values]
    for value in set(values).difference(table):
        table[value] = _seconds_of(value)
    return list(map(table.__getitem__, values))


def _seconds_of(value: object) -> int | None:
    found = cells.read_hours(value)
    return found if type(found) is int else None


def _day_of(value: object, order: str | None) -> date | None:
    """A Date cell that is not a plain date cell, read as the general path reads it;
    None (the row takes the general path) unless it reads cleanly."""
    found = cells.read_date(value, order)
    return found if type(found) is date else None


def _yes_no_code(value: object) -> int | None:
    """1 yes, 0 no, 2 empty, None unreadable: `cells.read_yesno` for the uncommon words."""
    if is_blank(value):
        return 2
    found = cells.read_yesno(value, False)
    if isinstance(found, Bad):
        return None
    return 1 if found else 0


def _yes_no_column(values: Any, n: int) -> list[int | None]:
    if values is None:
        return [2] * n
    codes = list(map(_FAST_YES_NO.get, values))
    if None in codes:
        codes = [_yes_no_code(v) if c is None else c for c, v in zip(codes, values, strict=True)]
    return codes


def _where_none(values: list[Any]) -> list[int]:
    return [i for i, v in enumerate(values) if v is None]


_CHUNK = 2048  # rows per pass: a chunk's columns stay in the CPU cache (larger is slower)


_READ_COLUMNS = tuple(name for name in ENTRY_COLUMNS if name != "row")  # from an Entry


def _parse_timesheet(
    tab: RawTab, header: HeaderMap, order: str | None, problems: list[Problem]
) -> Entries:
    """The Timesheet, column by column, 2,048 rows at a time, into Entries (columns,
    no object per row).

    Each column is read in one pass (mostly inside C: map, zip, dict tables):
    date cells, float hours, empty or common yes/no words inline; any other
    cell through the same cell reader the general path uses.  The rows where a
    needed cell does not read cleanly (and blank rows) then take the general
    path, `_entry_slow`, in row order, which reports their problems; every
    other row's entry is exactly what the general path makes of it, and it
    would report nothing for that row."""
    where = [header.columns.get(f) for f in _TIMESHEET_FIELDS]
    tables: list[dict[Any, Any]] = [{} for _ in _TIMESHEET_FIELDS]  # each column's readings
    gaps = sorted(_gap_rows(tab, header))
    columns: dict[str, list[Any]] = {name: [] for name in ENTRY_COLUMNS}
    for start in range(header.index + 1, len(tab.rows), _CHUNK):
        chunk_gaps = gaps[bisect_left(gaps, start):bisect_left(gaps, start + _CHUNK)]
        chunk = _timesheet_chunk(tab, header, order, problems, start, where, tables, chunk_gaps)
        for name, values in chunk.items():
            columns[name] += values
    return Entries(tab.name, **columns)


def _timesheet_chunk(
    tab: RawTab,
    header: HeaderMap,
    order: str | None,
    problems: list[Problem],
    start: int,
    where: list[int | None],
    tables: list[dict[Any, Any]],
    gaps: list[int],
) -> dict[str, list[Any]]:
    """One chunk's columns; `gaps` are the chunk's rows (as indices into tab.rows)
    with a formula without a value in a mapped column: the general path reports them."""
    rows = tab.rows[start:start + _CHUNK]
    n = len(rows)
    d_col, c_col, h_col, r_col, b_col, t_col, k_col, n_col, a_col = _columns(rows, where)
    _date = date
    days = ([d if type(d) is _date else _day_of(d, order) for d in d_col]
            if d_col is not None else [None] * n)
    keys = _key_column(c_col, n, tables[1])
    seconds = _seconds_column(h_col, n, tables[2])
    rush = _yes_no_column(r_col, n)
    billable = _yes_no_column(b_col, n)

    kept = {i - start for i in gaps}  # read even when every value is empty
    odd = set(kept)
    for column in (days, seconds, rush, billable):
        if None in column:
            odd.update(_where_none(column))
    if "" in keys:
        odd.update(i for i, k in enumerate(keys) if not k)

    first_row = tab.first_row + start
    chunk: dict[str, list[Any]] = {
        "day": days,
        "client_key": keys,
        "task": _text_column(t_col, n, tables[5]),
        "category": _text_column(k_col, n, tables[6]),
        "seconds": seconds,
        "rush": list(map((1).__eq__, rush)),
        "billable": list(map((0).__ne__, billable)),
        "notes": _text_column(n_col, n, tables[7]),
        "row": list(range(first_row, first_row + n)),
        "assistant": _text_column(a_col, n, tables[8]),
    }
    if not odd:
        return chunk
    dropped: set[int] = set()
    for i in sorted(odd):
        entry = None
        if _is_read(rows[i], i in kept):
            entry = _entry_slow(_Row(tab, header, start + i, problems), order)
        if entry is None:
            dropped.add(i)
            continue
        for name in _READ_COLUMNS:  # its "row" is the row's already
            chunk[name][i] = getattr(entry, name)
    if dropped:
        chunk = {name: [v for i, v in enumerate(values) if i not in dropped]
                 for name, values in chunk.items()}
    return chunk


def _parse_timesheet_plain(
    tab: RawTab, header: HeaderMap, order: str | None, problems: list[Problem]
) -> list[Entry]:
    """The Timesheet row by row through the general path only (what the column
    path must equal; `parse_workbook(raw, fast=False)`)."""
    out = []
    for row in _rows(tab, header, problems):
        entry = _entry_slow(row, order)
        if entry is not None:
            out.append(entry)
    return out


def _entry_slow(row: _Row, order: str | None) -> Entry | None:
    key = row.client()
    day = row.date("date", order, required=True)
    seconds = row.read("hours", cells.read_hours, required=True)
    if seconds is None and not row.failed:
        seconds = _from_start_end(row)
    rush = row.read("rush", lambda v: cells.read_yesno(v, False))
    billable = row.read("billable", lambda v: cells.read_yesno(v, True))
    task, category, notes, assistant = (
        row.text("task"), row.text("category"), row.text("notes"), row.text("assistant"))
    if key is None or row.failed or seconds is None:
        return None
    return new_entry(  # type: ignore[no-any-return]
        day,
        key,
        task,
        category,
        seconds,
        bool(rush),
        True if billable is None else billable,
        notes,
        row.ref,
        assistant,
    )


def _from_start_end(row: _Row) -> int | None:
    start = row.read("start", cells.read_time_of_day, required=True)
    end = row.read("end", cells.read_time_of_day, required=True)
    if row.failed:
        return None
    if start is None and end is None:
        target = "hours" if "hours" in row.header.columns else "start"
        row.missing(
            target,
            "",
            "Type the hours worked (e.g. 1.5 or 1:30), or fill in Start and End.",
        )
        return None
    if start is None or end is None:
        which = "start" if start is None else "end"
        row.missing(which, " while Hours is empty", "Fill in both Start and End, or type Hours.")
        return None
    return cells.span_seconds(start, end)


# --- the register and the manifest -------------------------------------------------


def _manifest(raw: RawBook) -> tuple[str, ...]:
    tab = raw.find(MANIFEST_TAB)
    if tab is None:
        return ()
    col = 1 - tab.first_col
    if col < 0:
        return ()
    names = []
    for i, row in enumerate(tab.rows):
        if tab.first_row + i < 2 or col >= len(row):
            continue
        name = as_text(row[col])
        if name and name not in names:
            names.append(name)
    return tuple(names)


def _cell(cells: list[Any], index: int) -> Any:
    return cells[index] if index < len(cells) else None


def _other_columns(tab: RawTab, header: HeaderMap) -> list[tuple[int, str]]:
    """(index, label) of the columns that are not the tab's own: the user's, kept as typed.
    A column without a header is labelled by its letter."""
    ours = set(header.columns.values())
    width = max((len(r) for r in tab.rows), default=0)
    head = tab.rows[header.index]
    out = []
    for i in range(width):
        if i in ours:
            continue
        label = str(head[i]).strip() if i < len(head) and head[i] not in (None, "") else ""
        if label or any(i < len(r) and r[i] not in (None, "") for r in tab.rows[header.index + 1:]):
            out.append((i, label or col_letter(header.first_col + i)))
    return out


def _period(value: object) -> str:
    if isinstance(value, (date, datetime)):
        return f"{value.year:04d}-{value.month:02d}"
    return as_text(value)


def _register(
    raw: RawBook,
    vaxl_tabs: tuple[str, ...],
    settings: Settings,
    problems: list[Problem],
    columns: ColumnMap,
) -> list[RegisterRow]:
    tab = find_tab(raw, REGISTER)
    if tab is None:
        return []
    header, missing = map_header(tab, REGISTER)
    if header is None:
        return []
    ours = tab_key(tab.name) in {tab_key(n) for n in vaxl_tabs}
    if missing:
        if ours:  # a user's own tab called Invoices is not read as the register
            problems.extend(missing)
        return []
    columns[tab.name] = {f: (header.sheet_col(f), header.labels[f]) for f in header.columns}
    out = []
    zero = Decimal(0)
    extra_cols = _other_columns(tab, header)
    for row in _rows(tab, header, problems):
        extra = tuple((label, _cell(row.cells, i)) for i, label in extra_cols)
        number = row.text("invoice_no")
        key = row.client()
        period = _period(row.raw("period"))
        if not number:
            row.missing("invoice_no", "", "Type the invoice number, or delete the row.")
        if not period:
            row.missing("period", "", "Type the billing month, e.g. 2026-11.")
        money: Mapping[str, Decimal | None] = {
            f: row.read(f, cells.read_money)
            for f in ("subtotal", "tax", "total", "paid", "balance")
        }
        hours = row.read("hours", cells.read_number)
        issue = row.date("issue_date", settings.date_order)
        due = row.date("due_date", settings.date_order)
        if key is None or row.failed:
            # Never lose what the user typed: keep the row as it stands.
            unread = tuple((f, _cell(row.cells, i)) for f, i in header.columns.items())
            out.append(RegisterRow(number=number, client_key=key or "", period=period,
                                   status=row.text("status").lower(), ref=row.ref,
                                   extra=extra, unread=unread))
            continue
        out.append(
            RegisterRow(
                extra=extra,
                number=number,
                client_key=key,
                period=period,
                issue_date=issue,
                due_date=due,
                currency=(row.text("currency") or settings.currency).upper(),
                status=row.text("status").lower() or "draft",
                hours=hours if hours is not None else zero,
                fingerprint=row.text("fingerprint"),
                tab=row.text("tab"),
                ref=row.ref,
                subtotal=money["subtotal"] or zero,
                tax=money["tax"] or zero,
                total=money["total"] or zero,
                paid=money["paid"] or zero,
                balance=money["balance"] or zero,
            )
        )
    return out
