"""Validation rules over the parsed workbook: every finding is a Problem record.

    check(book, today=date(2026, 12, 1), already=parse_problems, columns=None)

The parser has already reported cell-form problems (dates, hours, numbers,
yes/no, missing columns, Settings values); `check` adds the rules that need
whole records or several tabs, and never reports a cell again that `already`
has a problem for.  It is one pass per tab with dict lookups (difflib runs only
for an unknown client ID, once per distinct ID), so 100,000 timesheet rows
take a fraction of a second.

Cells: records remember only their row.  `columns` maps a tab (as spelt in the
workbook or its contract name) to field -> (column number, header as typed);
with it a problem names its cell (`Timesheet!E14`) and the user's header,
without it the cell is the row number and the column the contract's English
header.

Decisions the contract leaves open:
- Tax Rate and Commission Rate must lie within 0..100%; Rush Surcharge within
  0..500% (a surcharge above five times the rate is taken for a typo).
- The 24-hours-a-day rule adds up only entries whose own hours are in range
  (an entry of 30 h is reported once, as out of range).  It counts per
  assistant and day: an agency's book names who did the work in the optional
  Assistant column (compared case-insensitively), and the entries without a
  name are one assistant, the solo assistant's own.
- A closing for a client whose Billing is not `commission` is a warning; the
  "no amount terms" error applies to commission clients only.
- A payment naming an invoice that is not in the register is a warning: the
  payment is applied to no invoice and counts as unapplied credit for the
  client (billing must treat it so).
- An all-clients Rates row has no client: its problems carry client_id None.
- A parser problem on a whole column (a tab+column with no cell, or code
  `missing_column`) silences the per-row reports of that column.
- Settings problems name the setting as their column and no cell (the
  records do not remember the Settings rows).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Protocol

from vaxl.core.contacts import email_problem, normalise_phone
from vaxl.core.labels import fmt_number, fmt_percent
from vaxl.core.models import (
    BILLING_MODELS,
    Book,
    CellRef,
    Client,
    Entries,
    Problem,
    RegisterRow,
    Severity,
)
from vaxl.core.money import is_currency
from vaxl.sheets.headers import tab_matches
from vaxl.sheets.spec import SETTINGS_KEYS, TABS, header_key

__all__ = [
    "ALLOWED_ROUNDING",
    "ALLOWED_STATUSES",
    "ColumnMap",
    "MAX_DAY_SECONDS",
    "RUSH_LIMIT",
    "check",
]

ColumnMap = Mapping[str, Mapping[str, tuple[int, str]]]

ALLOWED_ROUNDING: frozenset[int] = frozenset({0, 5, 6, 10, 15, 30, 60})
ALLOWED_STATUSES: tuple[str, ...] = ("draft", "sent", "paid", "void")
MAX_DAY_SECONDS = 24 * 3600
RUSH_LIMIT = Decimal(5)
_ONE = Decimal(1)
_ZERO = Decimal(0)
_COUNTER = re.compile(r"\{N+\}", re.IGNORECASE)
_CELL = re.compile(r"^([A-Za-z]*)(\d+)$")
_TAB_ORDER = ("Settings", "Clients", "Rates", "Timesheet", "Blocks", "Closings", "Payments",
              "Invoices")

CLIENTS, RATES, TIMESHEET, BLOCKS = "Clients", "Rates", "Timesheet", "Blocks"
CLOSINGS, PAYMENTS, SETTINGS, REGISTER = "Closings", "Payments", "Settings", "Invoices"


def check(
    book: Book,
    *,
    today: date,
    already: Sequence[Problem] = (),
    columns: ColumnMap | None = None,
) -> list[Problem]:
    """Every rule over `book`, as problems sorted by tab (contract order) and row."""
    ctx = _Context(book, today, already, columns)
    _check_settings(ctx)
    _check_clients(ctx)
    _check_rates(ctx)
    _check_entries(ctx)
    _check_blocks(ctx)
    _check_closings(ctx)
    _check_payments(ctx)
    _check_register(ctx)
    return sorted(ctx.problems, key=_order)


# --- the shared machinery ---------------------------------------------------------------


def _canon(key: str | None) -> str:
    """How client IDs compare: trimmed, upper case (` acme ` is `ACME`)."""
    return (key or "").strip().upper()


def _hours(seconds: int) -> str:
    return fmt_number((Decimal(seconds) / 3600).quantize(Decimal("0.01")))


def settings_broken(problems: Sequence[Problem]) -> bool:
    """Whether an error sits on the Settings tab (then every client would be mispriced)."""
    settings = TABS["Settings"]
    return any(p.severity == "error" and tab_matches(p.tab, settings) for p in problems)


@cache
def _tab_canon(name: str) -> str:
    """A tab's contract name when `name` is one of its spellings, else the trimmed, folded name."""
    for spec in TABS.values():
        if tab_matches(name, spec):
            return spec.name
    return name.strip().casefold()


@cache
def _header_keys(tab: str, field: str) -> frozenset[str]:
    spec = TABS.get(tab)
    if spec is not None:
        try:
            return frozenset(spec.column(field).keys())
        except KeyError:
            pass
    if tab == SETTINGS and field in SETTINGS_KEYS:
        return frozenset(header_key(k) for k in (*SETTINGS_KEYS[field], field))
    return frozenset({header_key(field)})


@cache
def _english(tab: str, field: str) -> str:
    if tab == SETTINGS and field in SETTINGS_KEYS:
        return SETTINGS_KEYS[field][0]
    return TABS[tab].column(field).en


def _row_of(cell: str) -> str | None:
    match = _CELL.match(cell.strip())
    return match.group(2) if match else None


class _Context:
    """The book's indexes, the columns, the already-reported cells, and the output list."""

    def __init__(
        self, book: Book, today: date, already: Sequence[Problem], columns: ColumnMap | None
    ) -> None:
        self.book = book
        self.today = today
        self.problems: list[Problem] = []
        self._columns = {_tab_canon(t): dict(f) for t, f in (columns or {}).items()}
        self._columns.update({t.strip().casefold(): dict(f) for t, f in (columns or {}).items()})
        self._mapped: dict[tuple[str, str, str], tuple[int, str] | None] = {}
        self._keys: dict[tuple[str, str, str], frozenset[str]] = {}
        self._whole: dict[tuple[str, str, str], bool] = {}
        self._any_already = bool(already)
        self._cells: set[tuple[str, str]] = set()
        self._row_columns: set[tuple[str, str, str]] = set()
        self._whole_columns: set[tuple[str, str]] = set()
        for p in already:
            tab = _tab_canon(p.tab)
            if p.column and (not p.cell or p.code == "missing_column"):
                self._whole_columns.add((tab, header_key(p.column)))
            elif p.cell:
                self._cells.add((tab, p.cell.strip().upper()))
                row = _row_of(p.cell)
                if row is not None and p.column:
                    self._row_columns.add((tab, row, header_key(p.column)))
        self.clients: dict[str, Client] = {}
        for client in book.clients:
            key = _canon(client.key or client.id)
            if key and key not in self.clients:
                self.clients[key] = client
        self._suggestions: dict[str, str | None] = {}
        self._candidates: dict[str, str] | None = None

    # where and whether to report

    def _locate(self, ref: CellRef | None, tab: str, field: str) -> tuple[str, str, str]:
        """(tab as spelt, cell, column header) of a field of a row."""
        if ref is None:
            return tab, "", _english(tab, field)
        where = (ref.tab, tab, field)
        if where in self._mapped:
            mapped = self._mapped[where]
        else:
            fields = self._columns.get(ref.tab.strip().casefold()) or self._columns.get(tab)
            mapped = self._mapped[where] = fields.get(field) if fields else None
        if mapped is not None:
            col, header = mapped
            return ref.tab, ref.at(col).a1, header
        return ref.tab, str(ref.row), _english(tab, field)

    def _reported(self, tab: str, cell: str, column: str, field: str) -> bool:
        if not self._any_already:
            return False
        what = (tab, field, column)
        keys = self._keys.get(what)
        if keys is None:
            keys = self._keys[what] = _header_keys(tab, field) | {header_key(column)}
            self._whole[what] = any((tab, k) in self._whole_columns for k in keys)
        if self._whole[what]:
            return True
        if not cell:
            return False
        if (tab, cell.upper()) in self._cells:
            return True
        if not cell.isdigit():  # a real cell: only that cell counts
            return False
        return any((tab, cell, k) in self._row_columns for k in keys)

    def add(
        self,
        code: str,
        severity: Severity,
        ref: CellRef | None,
        tab: str,
        field: str,
        value: object,
        message: str,
        fix: str,
        client_id: str | None,
    ) -> None:
        spelt, cell, column = self._locate(ref, tab, field)
        if self._reported(tab, cell, column, field):
            return
        self.problems.append(Problem(
            severity=severity, tab=spelt, cell=cell, column=column,
            value="" if value is None else str(value), message=message, fix=fix,
            client_id=client_id or None, code=code,
        ))

    # clients

    def suggest(self, unknown: str) -> str | None:
        """The ID of the client `unknown` most likely meant (IDs and names compared), or None."""
        if unknown in self._suggestions:
            return self._suggestions[unknown]
        if self._candidates is None:
            self._candidates = {}
            for key, client in self.clients.items():
                shown = client.id.strip() or key
                self._candidates.setdefault(client.name.strip().upper(), shown)
            for key, client in self.clients.items():
                self._candidates[key] = client.id.strip() or key
            self._candidates.pop("", None)
        match = difflib.get_close_matches(unknown.upper(), list(self._candidates), n=1, cutoff=0.6)
        found = self._candidates[match[0]] if match else None
        self._suggestions[unknown] = found
        return found

    def client_of(self, key: str, ref: CellRef, tab: str) -> tuple[str, Client | None]:
        """The row's canonical client key and client; reports a missing or unknown ID."""
        canon = _canon(key)
        client = self.clients.get(canon)
        if client is not None:
            return canon, client
        if not canon:
            self.add("missing_client_id", "error", ref, tab, "client_id", "",
                     f"This {tab} row has no Client ID.",
                     "Type the Client ID of a client on the Clients tab.", None)
            return canon, None
        shown = key.strip()
        guess = self.suggest(canon)
        if guess is not None:
            message = f"Unknown client '{shown}' — did you mean '{guess}'?"
            fix = f"Change the Client ID to '{guess}', or add '{shown}' to the Clients tab."
        else:
            message = f"Unknown client '{shown}' — it is not on the Clients tab."
            fix = f"Correct the Client ID, or add '{shown}' to the Clients tab."
        self.add("unknown_client", "error", ref, tab, "client_id", shown, message, fix, canon)
        return canon, None


def _order(problem: Problem) -> tuple[int, int]:
    tab = _tab_canon(problem.tab)
    index = _TAB_ORDER.index(tab) if tab in _TAB_ORDER else len(_TAB_ORDER)
    row = _row_of(problem.cell)
    return index, int(row) if row is not None else 0


def _closest(word: str, choices: Iterable[str]) -> str | None:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.4)
    return match[0] if match else None


# --- Settings ------------------------------------------------------------------------------


def _check_settings(ctx: _Context) -> None:
    s = ctx.book.settings
    if not _COUNTER.search(s.invoice_number):
        ctx.add("invoice_pattern_no_counter", "error", None, SETTINGS, "invoice_number",
                s.invoice_number,
                f"The Invoice Number pattern '{s.invoice_number}' has no counter such as {{NNNN}}.",
                "Add a counter to the pattern, for example INV-{YYYY}-{NNNN}.", None)
    if not _ZERO <= s.low_balance_alert <= _ONE:
        ctx.add("percent_out_of_range", "error", None, SETTINGS, "low_balance_alert",
                fmt_percent(s.low_balance_alert),
                f"Low Balance Alert {fmt_percent(s.low_balance_alert)} is outside 0% to 100%.",
                "Enter the share of prepaid hours used that should raise an alert, e.g. 80%.",
                None)
    if not _ZERO <= s.rush_surcharge <= RUSH_LIMIT:
        ctx.add("percent_out_of_range", "error", None, SETTINGS, "rush_surcharge",
                fmt_percent(s.rush_surcharge),
                f"Rush Surcharge {fmt_percent(s.rush_surcharge)} is outside 0% to "
                f"{fmt_percent(RUSH_LIMIT)}.",
                "Enter the default rush surcharge, e.g. 50%.", None)


# --- Clients -------------------------------------------------------------------------------

_PERCENT_LIMITS: tuple[tuple[str, str, Decimal], ...] = (
    ("tax_rate", "Tax Rate", _ONE),
    ("commission_rate", "Commission Rate", _ONE),
    ("rush_surcharge", "Rush Surcharge", RUSH_LIMIT),
)


class _Adder(Protocol):
    def __call__(self, code: str, field: str, value: object, message: str, fix: str,
                 severity: Severity = "error") -> None: ...


_NOT_NEGATIVE: tuple[tuple[str, str], ...] = (
    ("overage_rate", "Overage Rate"),
    ("rollover_months", "Rollover Months"),
    ("payment_terms", "Payment Terms"),
    ("commission_per_closing", "Commission per Closing"),
)


def _check_clients(ctx: _Context) -> None:
    first: dict[str, Client] = {}
    for c in ctx.book.clients:
        key = _canon(c.key or c.id)
        if not key:
            ctx.add("missing_client_id", "error", c.ref, CLIENTS, "client_id", "",
                    "This client row has no Client ID.",
                    "Type a short unique code such as ACME in the Client ID cell.", None)
        elif key in first:
            ctx.add("duplicate_client_id", "error", c.ref, CLIENTS, "client_id", c.id,
                    f"Client ID '{c.id.strip()}' is already used on row {first[key].ref.row} "
                    "(IDs ignore case and surrounding spaces).",
                    "Give each client its own Client ID, or delete the duplicate row.", key)
        else:
            first[key] = c
        _check_client(ctx, c, key)


def _check_client(ctx: _Context, c: Client, key: str) -> None:
    def add(code: str, field: str, value: object, message: str, fix: str,
            severity: Severity = "error") -> None:
        ctx.add(code, severity, c.ref, CLIENTS, field, value, message, fix, key)

    who = f"Client '{c.id.strip()}'" if c.id.strip() else f"The client on row {c.ref.row}"
    if not c.name.strip():
        add("missing_client_name", "name", "", f"{who} has no Client Name.",
            "Type the client's name as it should appear on invoices.")
    billing = c.billing.strip().lower()
    if not billing:
        add("missing_billing", "billing", "", f"{who} has no Billing model.",
            "Choose hourly, retainer, block or commission.")
    elif billing not in BILLING_MODELS:
        guess = _closest(billing, BILLING_MODELS)
        hint = f" — did you mean '{guess}'?" if guess else "."
        add("unknown_billing", "billing", c.billing,
            f"Billing '{c.billing.strip()}' of {who} is not a billing model{hint}",
            f"Write {guess!r} or another of hourly, retainer, block, commission."
            if guess else "Write one of hourly, retainer, block or commission.")
    if c.rate is None and billing in ("hourly", "retainer", "block"):
        add("missing_rate", "rate", "", f"{who} is billed {billing} but has no Rate.",
            "Enter the hourly rate, a number above 0, in the Rate cell.")
    elif c.rate is not None and c.rate <= 0:
        add("rate_not_positive", "rate", fmt_number(c.rate),
            f"Rate {fmt_number(c.rate)} of {who} is not above 0.",
            "Enter the hourly rate as a number above 0.")
    if billing == "retainer":
        _check_retainer(c, who, add)
    if billing == "commission":
        has_fixed = c.commission_per_closing is not None
        has_rate = c.commission_rate is not None
        if has_fixed and has_rate:
            add("commission_terms_both", "commission_rate", fmt_percent(c.commission_rate or _ZERO),
                f"{who} has both a Commission per Closing and a Commission Rate.",
                "Keep only one of Commission per Closing or Commission Rate.")
        elif not has_fixed and not has_rate:
            add("commission_terms_missing", "commission_per_closing", "",
                f"{who} is billed by commission but has no Commission per Closing "
                "or Commission Rate.",
                "Enter either a fixed Commission per Closing or a Commission Rate.")
    if c.email.strip():
        why = email_problem(c.email)
        if why is not None:
            add("bad_email", "email", c.email,
                f"E-mail '{c.email.strip()}' of {who} is not a valid address: {why}",
                "Correct the address, e.g. name@example.com, or leave the cell empty.")
    if c.phone.strip() and normalise_phone(c.phone, c.currency) is None:
        add("bad_phone", "phone", c.phone,
            f"Phone '{c.phone.strip()}' of {who} is not a valid number for its country.",
            "Write the number with its country code, e.g. +1 212 555 0100 or +84 91 234 5678.",
            "warning")
    currency = c.currency.strip()
    if currency and not is_currency(currency):
        add("unknown_currency", "currency", c.currency,
            f"Currency '{currency}' of {who} is not an ISO 4217 code.",
            "Use a three-letter currency code such as USD, EUR or VND.")
    for field, label, limit in _PERCENT_LIMITS:
        value = getattr(c, field)
        if value is not None and not _ZERO <= value <= limit:
            add("percent_out_of_range", field, fmt_percent(value),
                f"{label} {fmt_percent(value)} of {who} is outside 0% to {fmt_percent(limit)}.",
                f"Enter a {label} between 0% and {fmt_percent(limit)}, e.g. 10%.")
    for field, label in _NOT_NEGATIVE:
        value = getattr(c, field)
        if value is not None and value < 0:
            add("negative_value", field, fmt_number(value),
                f"{label} {fmt_number(value)} of {who} is negative.",
                f"Enter a {label} of 0 or more, or leave the cell empty for the default.")
    if c.time_rounding is not None and c.time_rounding not in ALLOWED_ROUNDING:
        add("bad_time_rounding", "time_rounding", c.time_rounding,
            f"Time Rounding {c.time_rounding} of {who} is not one of 0, 5, 6, 10, 15, 30, 60.",
            "Enter minutes per entry: 0 (exact), 5, 6, 10, 15, 30 or 60.")
    if c.start_date and c.end_date and c.end_date < c.start_date:
        add("end_before_start", "end_date", c.end_date.isoformat(),
            f"End Date {c.end_date.isoformat()} of {who} is before its Start Date "
            f"{c.start_date.isoformat()}.",
            "Correct the End Date (or the Start Date), or leave End Date empty.")


def _check_retainer(c: Client, who: str, add: _Adder) -> None:
    if c.retainer_hours is None:
        add("missing_retainer_hours", "retainer_hours", "",
            f"{who} is on a retainer but has no Retainer Hours.",
            "Enter the hours included each month, a number above 0.")
    elif c.retainer_hours <= 0:
        add("retainer_hours_not_positive", "retainer_hours", fmt_number(c.retainer_hours),
            f"Retainer Hours {fmt_number(c.retainer_hours)} of {who} is not above 0.",
            "Enter the hours included each month, a number above 0.")
    if c.retainer_fee is None:
        add("missing_retainer_fee", "retainer_fee", "",
            f"{who} is on a retainer but has no Retainer Fee.",
            "Enter the fee billed each month (0 is allowed).")
    elif c.retainer_fee < 0:
        add("negative_value", "retainer_fee", fmt_number(c.retainer_fee),
            f"Retainer Fee {fmt_number(c.retainer_fee)} of {who} is negative.",
            "Enter the fee billed each month, 0 or more.")


# --- Rates ---------------------------------------------------------------------------------


def _check_rates(ctx: _Context) -> None:
    seen: dict[tuple[str, str], int] = {}
    for r in ctx.book.rates:
        key = _canon(r.client_key)
        if key:
            ctx.client_of(r.client_key or "", r.ref, RATES)
        cid = key or None
        category = r.category.strip()
        if not category:
            ctx.add("missing_category", "error", r.ref, RATES, "category", "",
                    "This Rates row has no Category.",
                    "Type the Timesheet category this rate prices, e.g. Translation.", cid)
        if r.rate <= 0:
            ctx.add("rate_not_positive", "error", r.ref, RATES, "rate", fmt_number(r.rate),
                    f"Rate {fmt_number(r.rate)} for '{category}' is not above 0.",
                    "Enter the hourly rate as a number above 0.", cid)
        pair = (key, category.casefold())
        if category and pair in seen:
            whose = f"client '{r.client_key.strip()}'" if key and r.client_key else "all clients"
            ctx.add("duplicate_rate", "warning", r.ref, RATES, "category", category,
                    f"'{category}' for {whose} is already priced on row {seen[pair]}; "
                    f"row {seen[pair]} wins and this row is ignored.",
                    "Delete this row or merge it into the first one.", cid)
        elif category:
            seen[pair] = r.ref.row


# --- Timesheet -----------------------------------------------------------------------------


def _check_entries(ctx: _Context) -> None:
    """Every Timesheet rule, over the entries' columns (a big Timesheet has 100,000
    rows and no object per row): each rule finds its rows in one pass over the
    columns it needs; the rows it finds are then reported row by row, in the order
    the rules are listed below, so each row's problems read the same as before."""
    entries = Entries.of(ctx.book.entries)
    n = len(entries)
    if not n:
        return
    days, keys, seconds = entries.day, entries.client_key, entries.seconds
    today = ctx.today
    hits: dict[int, list[str]] = {}  # row index -> the rules it breaks, in order

    def hit(rule: str, indices: Iterable[int]) -> None:
        for i in indices:
            hits.setdefault(i, []).append(rule)

    # A client's key: every row names one; unknown and missing ones are reported by
    # ctx.client_of, first among a row's problems.
    known = ctx.clients
    canon = {k: _canon(k) for k in set(keys)}
    unknown = {k for k, c in canon.items() if c not in known}
    if unknown:
        hit("client", (i for i, k in enumerate(keys) if k in unknown))
    if min(seconds) <= 0 or max(seconds) > MAX_DAY_SECONDS:
        hit("range", (i for i, s in enumerate(seconds) if s <= 0 or s > MAX_DAY_SECONDS))
    if max(days) > today:
        hit("future", (i for i, d in enumerate(days) if d > today))
    windows: dict[str, tuple[date, date, bool]] = {}  # key -> (first day, last day, active)
    for key in set(keys) - unknown:
        client = known[canon[key]]
        if client.start_date or client.end_date or not client.active:
            windows[key] = (client.start_date or date.min, client.end_date or date.max,
                            client.active)
    if windows:
        get = windows.get
        for i, (key, day) in enumerate(zip(keys, days, strict=True)):
            window = get(key)
            if window is not None:
                if not window[0] <= day <= window[1]:
                    hit("window", (i,))
                if not window[2]:
                    hit("inactive", (i,))
    folded: dict[str, str] = {}  # text -> its casefold (a few hundred distinct texts)

    def fold(texts: list[str]) -> list[str]:
        for text in set(texts).difference(folded):
            folded[text] = text.casefold()
        return list(map(folded.__getitem__, texts))

    twins = list(zip(days, map(canon.__getitem__, keys), seconds, fold(entries.task),
                     fold(entries.category), strict=True))
    first_of: dict[tuple[object, ...], int] = {}
    if len(set(twins)) != n:
        for i, twin in enumerate(twins):
            if first_of.setdefault(twin, i) != i:
                hit("duplicate", (i,))
    for i in sorted(hits):
        _report_entry(ctx, entries, i, hits[i], entries.row[first_of.get(twins[i], i)])
    names = fold(entries.assistant)  # who did each entry, casefolded ("" when solo)
    over = _long_days(names, days, seconds)
    if over:
        _report_long_days(ctx, entries, names, over)


def _report_entry(ctx: _Context, entries: Entries, i: int, rules: list[str],
                  earlier: int) -> None:
    """Row i's problems; `earlier`: the row it repeats (for a duplicate)."""
    ref = entries.ref(i)
    key, client = ctx.client_of(entries.client_key[i], ref, TIMESHEET)
    seconds, day = entries.seconds[i], entries.day[i]
    for rule in rules:
        if rule == "range":
            ctx.add("hours_out_of_range", "error", ref, TIMESHEET, "hours", _hours(seconds),
                    f"{_hours(seconds)} hours is outside the range of one entry "
                    "(above 0, at most 24).",
                    "Enter the time worked, above 0 and at most 24 hours.", key)
        elif rule == "future":
            ctx.add("future_date", "warning", ref, TIMESHEET, "date", day.isoformat(),
                    f"Date {day.isoformat()} is after today ({ctx.today.isoformat()}).",
                    "Check the date; work in the future is billed in its own month.", key)
        elif rule == "window" and client is not None:
            ctx.add("outside_client_window", "warning", ref, TIMESHEET, "date",
                    day.isoformat(), _window_message(day, client),
                    "Check the date, or the client's Start Date and End Date.", key)
        elif rule == "inactive" and client is not None:
            ctx.add("inactive_client", "warning", ref, TIMESHEET, "client_id", client.id,
                    f"Client '{client.id.strip()}' is marked inactive (Active = no).",
                    "Set the client's Active to yes if this work should be billed.", key)
        elif rule == "duplicate":
            ctx.add("duplicate_entry", "warning", ref, TIMESHEET, "hours", _hours(seconds),
                    f"This entry repeats row {earlier} (same date, client, hours, task "
                    "and category).",
                    f"Delete this row if it is a copy of row {earlier}.", key)


def _long_days(names: list[str], days: list[date], seconds: list[int]
               ) -> dict[tuple[str, date], int]:
    """(assistant, day) -> seconds logged, where more than 24 hours (entries of a
    valid length only; "" for a solo assistant's book)."""
    totals: dict[tuple[str, date], int] = {}
    get = totals.get
    for name, day, logged in zip(names, days, seconds, strict=True):
        if 0 < logged <= MAX_DAY_SECONDS:
            key = (name, day)
            totals[key] = get(key, 0) + logged
    return {who: total for who, total in totals.items() if total > MAX_DAY_SECONDS}


def _window_message(day: date, client: Client) -> str:
    start = client.start_date.isoformat() if client.start_date else "the start"
    end = client.end_date.isoformat() if client.end_date else "now"
    return (f"Date {day.isoformat()} is outside the billing window of client "
            f"'{client.id.strip()}' ({start} to {end}).")


def _report_long_days(ctx: _Context, entries: Entries, names: list[str],
                      over: dict[tuple[str, date], int]) -> None:
    for i, (assistant, name, day, seconds) in enumerate(
            zip(entries.assistant, names, entries.day, entries.seconds, strict=True)):
        total = over.get((name, day))
        if total is None or not 0 < seconds <= MAX_DAY_SECONDS:
            continue
        if assistant:
            message = (f"{_hours(total)} hours are logged on {day.isoformat()} by "
                       f"assistant '{assistant}' across all clients, more than 24.")
            fix = (f"Correct the hours or dates of {assistant}'s entries that day, or the "
                   "Assistant of an entry someone else did.")
        else:
            message = (f"{_hours(total)} hours are logged on {day.isoformat()} across all "
                       "clients, more than 24.")
            fix = ("Correct the hours or dates of that day's entries; in an agency's "
                   "workbook, name who did each entry in an Assistant column.")
        ctx.add("day_over_24h", "error", entries.ref(i), TIMESHEET, "hours", _hours(seconds),
                message, fix, _canon(entries.client_key[i]))


# --- Blocks, Closings, Payments ------------------------------------------------------------


def _check_blocks(ctx: _Context) -> None:
    for b in ctx.book.blocks:
        key, client = ctx.client_of(b.client_key, b.ref, BLOCKS)
        if b.seconds <= 0:
            ctx.add("hours_not_positive", "error", b.ref, BLOCKS, "hours", _hours(b.seconds),
                    f"Block of {_hours(b.seconds)} hours: a block needs hours above 0.",
                    "Enter the hours bought in this block.", key)
        if b.amount is not None and b.amount < 0:
            ctx.add("negative_value", "error", b.ref, BLOCKS, "amount", fmt_number(b.amount),
                    f"Block Amount {fmt_number(b.amount)} is negative.",
                    "Enter the price of the block, 0 or more.", key)
        if b.amount is None and client is not None and client.rate is None:
            ctx.add("block_no_amount", "error", b.ref, BLOCKS, "amount", "",
                    f"This block has no Amount and client '{client.id.strip()}' has no Rate "
                    "to price it.",
                    "Enter the block's Amount, or give the client a Rate.", key)
        if b.expires is not None and b.expires < b.day:
            ctx.add("expires_before_date", "error", b.ref, BLOCKS, "expires",
                    b.expires.isoformat(),
                    f"Expires {b.expires.isoformat()} is before the block's Date "
                    f"{b.day.isoformat()}.",
                    "Correct the expiry date, or leave it empty for a block that never expires.",
                    key)
        if client is not None and client.billing.strip().lower() != "block":
            ctx.add("block_for_non_block_client", "warning", b.ref, BLOCKS, "client_id",
                    client.id,
                    f"Client '{client.id.strip()}' is billed '{client.billing.strip()}', "
                    "not 'block'.",
                    "Set the client's Billing to block, or check the Client ID.", key)


def _check_closings(ctx: _Context) -> None:
    for c in ctx.book.closings:
        key, client = ctx.client_of(c.client_key, c.ref, CLOSINGS)
        for field, label, value in (("sale_price", "Sale Price", c.sale_price),
                                    ("commission", "Commission", c.commission)):
            if value is not None and value < 0:
                ctx.add("negative_value", "error", c.ref, CLOSINGS, field, fmt_number(value),
                        f"{label} {fmt_number(value)} is negative.",
                        f"Enter the {label} as 0 or more.", key)
        if client is None:
            continue
        who = f"client '{client.id.strip()}'"
        if client.billing.strip().lower() != "commission":
            ctx.add("closing_for_non_commission_client", "warning", c.ref, CLOSINGS,
                    "client_id", client.id,
                    f"Closing for {who}, who is billed '{client.billing.strip()}', "
                    "not by commission.",
                    "Set the client's Billing to commission, or check the Client ID.", key)
            continue
        if c.commission is not None or client.commission_per_closing is not None:
            continue
        if client.commission_rate is not None and c.sale_price is None:
            ctx.add("closing_no_terms", "error", c.ref, CLOSINGS, "sale_price", "",
                    f"This closing has no Sale Price for {who}'s Commission Rate and no "
                    "Commission.",
                    "Enter the Sale Price, or the Commission for this closing.", key)
        elif client.commission_rate is None:
            ctx.add("closing_no_terms", "error", c.ref, CLOSINGS, "commission", "",
                    f"This closing has no Commission and {who} has no commission terms.",
                    "Enter the Commission, or give the client a Commission per Closing "
                    "or Commission Rate.", key)


def _check_payments(ctx: _Context) -> None:
    register: dict[str, RegisterRow] = {}
    for row in ctx.book.invoices:
        register.setdefault(row.number.strip().upper(), row)
    for p in ctx.book.payments:
        key, _client = ctx.client_of(p.client_key, p.ref, PAYMENTS)
        if p.amount <= 0:
            ctx.add("amount_not_positive", "error", p.ref, PAYMENTS, "amount", fmt_number(p.amount),
                    f"Payment Amount {fmt_number(p.amount)} is not above 0.",
                    "Enter the amount received, above 0.", key)
        number = p.invoice_no.strip()
        if not number:
            continue
        invoice = register.get(number.upper())
        if invoice is None:
            ctx.add("payment_invoice_unknown", "warning", p.ref, PAYMENTS, "invoice_no", number,
                    f"Invoice '{number}' is not in the Invoices register yet; until an invoice "
                    "with this number exists the payment is kept as unapplied credit.",
                    "Correct the Invoice No, or leave it empty to pay the oldest open invoice.",
                    key)
        elif _canon(invoice.client_key) != key:
            ctx.add("payment_invoice_other_client", "error", p.ref, PAYMENTS, "invoice_no",
                    number,
                    f"Invoice '{number}' belongs to client '{invoice.client_key}', not "
                    f"'{p.client_key.strip()}'.",
                    "Correct the Invoice No or the Client ID of this payment.", key)


# --- the Invoices register -----------------------------------------------------------------


def _check_register(ctx: _Context) -> None:
    first: dict[str, int | str] = {}
    for row in ctx.book.invoices:
        key = _canon(row.client_key) or None
        status = row.status.strip().lower()
        if status not in ALLOWED_STATUSES:
            guess = _closest(status, ALLOWED_STATUSES)
            hint = f" — did you mean '{guess}'?" if guess else "."
            ctx.add("unknown_status", "error", row.ref, REGISTER, "status", row.status,
                    f"Status '{row.status.strip()}' of invoice '{row.number}' is not one of "
                    f"draft, sent, paid, void{hint}",
                    "Set Status to draft, sent, paid or void.", key)
        number = row.number.strip().upper()
        if number in first:
            where = f"row {first[number]}" if isinstance(first[number], int) else "the register"
            ctx.add("duplicate_invoice_number", "error", row.ref, REGISTER, "invoice_no",
                    row.number,
                    f"Invoice number '{row.number.strip()}' is already used on {where}.",
                    "Give this invoice its own number; numbers are never reused.", key)
        else:
            first[number] = row.ref.row if row.ref is not None else "register"
