"""Deterministic, realistic workbooks for the benchmark.

    generate_book(Path("bench-data/book-100000.xlsx"), rows=100_000)

An agency's billing workbook: Settings, 500 Clients of every billing model
(hourly; retainer without and with rollover; block, with its Blocks rows;
commission, with its Closings rows), specialty Rates, a Timesheet of `rows`
entries dated over three months (2026-09-01 .. 2026-11-30), Payments, and a
few of the user's own formatted tabs (a notes page with a merged title, an
expenses list with formulas, a dashboard) that vaxl must leave alone.

The same arguments always give the same bytes (seeded random, fixed creation
date), so cached inputs in ./bench-data/ stay valid.  xlsxwriter's
constant_memory mode writes the 300,000-row sheet in a few seconds.

The data is clean on purpose (no validation errors), so every client is billed
and a run writes one invoice tab per client with something to bill.  An agency's
Timesheet names who did each entry in an Assistant column: enough assistants
that each logs at most ROWS_PER_ASSISTANT_DAY rows and ASSISTANT_DAY_HOURS hours
a day, so the 24-hours-a-day check (per assistant) passes as it would for a
real agency.  A solo book (`day_hours`) has no Assistant column.  Cells
vary the way a person's do: hours as decimals, h:mm duration cells and text
(`1:30`, `45m`), Rush and Billable as Y/x/yes/N, a few ISO text dates.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

__all__ = [
    "ASSISTANT_DAY_HOURS",
    "BENCH_MONTH",
    "BOOK_VERSION",
    "BENCH_TODAY",
    "CATEGORIES",
    "FIRST_DAY",
    "LAST_DAY",
    "MODELS",
    "ROWS_PER_ASSISTANT_DAY",
    "ClientPlan",
    "assistant_name",
    "client_plans",
    "generate_book",
]

SEED = 20261130
BOOK_VERSION = 2  # part of the cached books' names: bump it when the generated data changes
BENCH_MONTH = "2026-11"
BENCH_TODAY = date(2026, 12, 5)
FIRST_DAY = date(2026, 9, 1)
LAST_DAY = date(2026, 11, 30)
CREATED = datetime(2026, 12, 1, 9, 0, 0)

CATEGORIES = (
    "Admin", "Scheduling", "Correspondence", "Travel", "Bookkeeping", "Newsletter",
    "Proposals", "Customer Support", "Research", "Translation", "Medical Transcription",
    "Market Research", "Web Development",
)
# (share of clients, model name used in the plan)
MODELS = (
    (0.50, "hourly"),
    (0.12, "retainer"),
    (0.10, "retainer-rollover"),
    (0.16, "block"),
    (0.12, "commission"),
)
TASKS = (
    "Inbox triage", "Calendar clean-up", "Book travel", "Reconcile bank feed",
    "Draft newsletter", "Update CRM", "Prepare proposal", "Answer support tickets",
    "Research vendors", "Translate brochure", "Transcribe dictation", "Schedule meetings",
    "Follow up on invoices", "Social media posts", "Update website copy",
)
CLIENT_HEADERS = (
    "Client ID", "Client Name", "Contact", "Email", "Phone", "Address", "Billing", "Rate",
    "Currency", "Retainer Hours", "Retainer Fee", "Rollover Months", "Overage Rate",
    "Rush Surcharge", "Commission per Closing", "Commission Rate", "Tax Rate",
    "Payment Terms", "Time Rounding", "Start Date", "End Date", "Active", "Account Manager",
)
TIMESHEET_HEADERS = ("Date", "Client ID", "Task", "Category", "Hours", "Rush", "Billable",
                     "Notes", "Invoice sent?")
ASSISTANT_HEADER = "Assistant"  # an agency's column 10 (J)
ROWS_PER_ASSISTANT_DAY = 4      # about 2.1 h a row on average: a working day of 8-9 h
ASSISTANT_DAY_HOURS = 9         # and never more than this
FIRST_NAMES = (
    "Ana", "Ben", "Chi", "Dee", "Eli", "Fay", "Gus", "Hoa", "Ivy", "Jon", "Kim", "Lan",
    "Max", "Nia", "Oli", "Pia", "Quy", "Rex", "Sam", "Tao", "Uma", "Vic", "Wes", "Xan",
    "Yen", "Zoe", "Amir", "Bao", "Cara", "Duc", "Emma", "Finn", "Gia", "Hana", "Ian",
    "Jade", "Khoa", "Lena", "Minh", "Nora",
)
LAST_NAMES = (
    "Nguyen", "Smith", "Tran", "Garcia", "Le", "Johnson", "Pham", "Brown", "Hoang", "Lopez",
    "Phan", "Miller", "Vu", "Davis", "Dang", "Wilson", "Bui", "Moore", "Do", "Taylor", "Ho",
    "Anderson", "Ngo", "Thomas", "Duong", "Martin", "Ly", "Clark", "Dinh", "Lewis", "Mai",
    "Walker", "Truong", "Young", "Lam", "King", "Cao", "Wright", "Luong", "Scott",
)


@dataclass(frozen=True)
class ClientPlan:
    """One generated client.

    Fields:
        client_id: e.g. `C0042`.
        model: hourly, retainer, retainer-rollover, block or commission.
        rate: hourly rate (whole units of the currency).
        currency: USD, EUR or GBP.
    """

    client_id: str
    model: str
    rate: int
    currency: str

    @property
    def billing(self) -> str:
        return "retainer" if self.model.startswith("retainer") else self.model


def client_plans(clients: int = 500, seed: int = SEED) -> list[ClientPlan]:
    """The clients of a generated book: every billing model, in fixed shares."""
    rng = random.Random(seed)
    plans = []
    bounds = []
    total = 0.0
    for share, model in MODELS:
        total += share
        bounds.append((round(total * clients), model))
    for i in range(clients):
        model = next(m for bound, m in bounds if i < bound)
        currency = rng.choices(("USD", "EUR", "GBP"), (8, 1, 1))[0]
        plans.append(ClientPlan(f"C{i + 1:04d}", model, rng.randrange(20, 90), currency))
    return plans


def assistant_name(index: int) -> str:
    """The `index`-th assistant of a generated agency: `Ana Nguyen`, `Ben Smith`, ...
    distinct for every index (1,600 first/last pairs, then a number)."""
    n = len(FIRST_NAMES)
    first, rest = index % n, index // n
    name = f"{FIRST_NAMES[first]} {LAST_NAMES[(rest + first) % len(LAST_NAMES)]}"
    return name if rest < len(LAST_NAMES) else f"{name} {rest // len(LAST_NAMES) + 1}"


def generate_book(path: Path, rows: int, clients: int = 500, seed: int = SEED,
                  day_hours: float | None = None) -> Path:
    """Write a generated workbook with `rows` timesheet rows and `clients` clients.

    day_hours: when set, a solo assistant's book: each day's logged hours stay
    within it where the rows allow, and there is no Assistant column.  None for
    an agency's book: many assistants log against one calendar, each named in
    the Assistant column, none above ASSISTANT_DAY_HOURS a day."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    rng = random.Random(seed + rows)
    plans = client_plans(clients, seed)
    book = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
    book.set_properties({"title": "Agency billing", "author": "vaxl bench", "created": CREATED})
    fmt = _Formats(book)
    _notes(book.add_worksheet("Read me"), fmt)
    _settings(book.add_worksheet("Settings"), fmt)
    _clients(book.add_worksheet("Clients"), fmt, plans, rng)
    _rates(book.add_worksheet("Rates"), fmt, plans, rng)
    _timesheet(book.add_worksheet("Timesheet"), fmt, plans, rows, rng, day_hours)
    _blocks(book.add_worksheet("Blocks"), fmt, plans, rng)
    _closings(book.add_worksheet("Closings"), fmt, plans, rng)
    _payments(book.add_worksheet("Payments"), fmt, plans, rng)
    _expenses(book.add_worksheet("My expenses"), fmt, rng)
    _dashboard(book.add_worksheet("Dashboard"), fmt)
    book.worksheets()[4].activate()
    book.close()
    tmp.replace(path)
    return path


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "bottom": 1})
        self.date = book.add_format({"num_format": "yyyy-mm-dd"})
        self.money = book.add_format({"num_format": "#,##0.00"})
        self.percent = book.add_format({"num_format": "0%"})
        self.percent_fine = book.add_format({"num_format": "0.00%"})
        self.hours = book.add_format({"num_format": "0.00"})
        self.duration = book.add_format({"num_format": "[h]:mm"})
        self.int = book.add_format({"num_format": "0"})
        self.title = book.add_format({"bold": True, "font_size": 16, "font_color": "#1F4E79"})
        self.note = book.add_format({"italic": True, "font_color": "#595959", "text_wrap": True})


def _header(sheet: Worksheet, heads: tuple[str, ...] | list[str], fmt: _Formats) -> None:
    for col, head in enumerate(heads):
        sheet.write_string(0, col, head, fmt.head)
    sheet.freeze_panes(1, 0)


def _notes(sheet: Worksheet, fmt: _Formats) -> None:

    sheet.set_tab_color("#7030A0")
    sheet.set_column(0, 0, 60)
    sheet.merge_range(0, 0, 0, 3, "How we keep this workbook", fmt.title)
    lines = ("Log every task the day it is done.", "Rush = same-day requests only.",
             "Blocks are sold in 10 or 20 hour packs.", "Ask before editing Clients.")
    for i, text in enumerate(lines, start=2):
        sheet.write_string(i, 0, text, fmt.note)


def _settings(sheet: Worksheet, fmt: _Formats) -> None:

    _header(sheet, ("Setting", "Value"), fmt)
    sheet.set_column(0, 1, 28)
    values: tuple[tuple[str, object, object], ...] = (
        ("Business Name", "Northwind Assistants Co.", None),
        ("Business Address", "12 Example Street, Springfield", None),
        ("Business Email", "billing@northwind.example.com", None),
        ("Currency", "USD", None),
        ("Invoice Number", "NW-{YYYY}-{NNNNN}", None),
        ("Rush Surcharge", 0.5, fmt.percent),
        ("Time Rounding", 6, fmt.int),
        ("Rounding Mode", "up", None),
        ("Payment Terms", 14, fmt.int),
        ("Language", "en", None),
        ("Low Balance Alert", 0.8, fmt.percent),
    )
    for row, (key, value, style) in enumerate(values, start=1):
        sheet.write_string(row, 0, key)
        if isinstance(value, str):
            sheet.write_string(row, 1, value)
        else:
            sheet.write_number(row, 1, value, style)


def _clients(sheet: Worksheet, fmt: _Formats, plans: list[ClientPlan], rng: random.Random) -> None:

    _header(sheet, CLIENT_HEADERS, fmt)
    col = {h: i for i, h in enumerate(CLIENT_HEADERS)}
    managers = ("Ana", "Ben", "Chi", "Dee")
    for row, p in enumerate(plans, start=1):
        w = sheet.write
        sheet.write_string(row, col["Client ID"], p.client_id)
        sheet.write_string(row, col["Client Name"], f"Client {p.client_id[1:]} Ltd")
        sheet.write_string(row, col["Contact"], f"Contact {row}")
        sheet.write_string(row, col["Email"], f"ap{row}@client{row}.example.com")
        sheet.write_string(row, col["Address"], f"{row} Market Street")
        sheet.write_string(row, col["Billing"], p.billing)
        if p.billing != "commission":
            w(row, col["Rate"], p.rate, fmt.money)
        if p.currency != "USD":
            sheet.write_string(row, col["Currency"], p.currency)
        if p.billing == "retainer":
            hours = rng.choice((10, 20, 30, 40))
            w(row, col["Retainer Hours"], hours, fmt.int)
            w(row, col["Retainer Fee"], hours * p.rate * 0.9, fmt.money)
            if p.model == "retainer-rollover":
                w(row, col["Rollover Months"], rng.choice((1, 2, 3)), fmt.int)
            w(row, col["Overage Rate"], p.rate + 5, fmt.money)
            sheet.write_datetime(row, col["Start Date"], FIRST_DAY, fmt.date)
        if p.billing == "block":
            w(row, col["Overage Rate"], p.rate + 5, fmt.money)
        if p.billing == "commission":
            if row % 2:
                w(row, col["Commission per Closing"], rng.choice((250, 400, 600)), fmt.money)
            else:
                w(row, col["Commission Rate"], rng.choice((0.0025, 0.005, 0.01)), fmt.percent_fine)
        if row % 9 == 0:
            w(row, col["Rush Surcharge"], 0.25, fmt.percent)
        if row % 6 == 0:
            w(row, col["Tax Rate"], 0.08, fmt.percent_fine)
        if row % 5 == 0:
            w(row, col["Payment Terms"], 30, fmt.int)
        if row % 11 == 0:
            w(row, col["Time Rounding"], 15, fmt.int)
        sheet.write_string(row, col["Active"], "yes")
        sheet.write_string(row, col["Account Manager"], managers[row % len(managers)])


def _rates(sheet: Worksheet, fmt: _Formats, plans: list[ClientPlan], rng: random.Random) -> None:

    _header(sheet, ("Client ID", "Category", "Rate", "Prepaid"), fmt)
    row = 1
    for category, rate, prepaid in (("Web Development", 95, "no"), ("Market Research", 80, ""),
                                    ("Medical Transcription", 70, "")):
        sheet.write_string(row, 1, category)
        sheet.write_number(row, 2, rate, fmt.money)
        if prepaid:
            sheet.write_string(row, 3, prepaid)
        row += 1
    for p in plans:
        if p.billing == "commission" or rng.random() > 0.2:
            continue
        sheet.write_string(row, 0, p.client_id)
        sheet.write_string(row, 1, "Translation")
        sheet.write_number(row, 2, p.rate + 15, fmt.money)
        row += 1


def _timesheet(sheet: Worksheet, fmt: _Formats, plans: list[ClientPlan], rows: int,
               rng: random.Random, day_hours: float | None) -> None:

    agency = day_hours is None
    _header(sheet, (*TIMESHEET_HEADERS, ASSISTANT_HEADER) if agency else TIMESHEET_HEADERS, fmt)
    for col, width in enumerate((12, 10, 30, 20, 8, 6, 8, 24, 12, 18)[:10 if agency else 9]):
        sheet.set_column(col, col, width)
    days = (LAST_DAY - FIRST_DAY).days + 1
    # Rows are in date order, as a log is kept.
    offsets = sorted(rng.randrange(days) for _ in range(rows))
    ids = [p.client_id for p in plans]
    weights = [3 if p.billing != "commission" else 1 for p in plans]
    chosen = rng.choices(range(len(ids)), weights, k=rows)
    staff = _assign_assistants(offsets) if agency else []
    left_rows: dict[tuple[int, int], int] = {}  # (assistant, day) -> rows still to write
    for who, offset in zip(staff, offsets, strict=False):
        left_rows[who, offset] = left_rows.get((who, offset), 0) + 1
    names = [assistant_name(i) for i in range(max(staff, default=-1) + 1)]
    budget = ASSISTANT_DAY_HOURS * 4  # quarter hours an assistant may log in a day
    used: dict[object, int] = {}
    wdate, wstr, wnum = sheet.write_datetime, sheet.write_string, sheet.write_number
    for r in range(1, rows + 1):
        day = FIRST_DAY + timedelta(days=offsets[r - 1])
        if r % 997 == 0:
            wstr(r, 0, day.isoformat())
        else:
            wdate(r, 0, day, fmt.date)
        cid = ids[chosen[r - 1]]
        wstr(r, 1, cid.lower() if r % 101 == 0 else cid)
        wstr(r, 2, TASKS[rng.randrange(len(TASKS))])
        wstr(r, 3, CATEGORIES[rng.randrange(9) if rng.random() < 0.9 else rng.randrange(13)])
        quarter_hours = rng.randrange(1, 17)
        if day_hours is not None:
            left = int(day_hours * 4 * 0.7) - used.get(day, 0)  # room for Time Rounding
            quarter_hours = max(1, min(quarter_hours, left - 1, 8))
            used[day] = used.get(day, 0) + quarter_hours
        else:
            slot = (staff[r - 1], offsets[r - 1])
            left_rows[slot] -= 1
            # keep a quarter hour for each of the assistant's later rows that day
            room = budget - used.get(slot, 0) - left_rows[slot]
            quarter_hours = max(1, min(quarter_hours, room))
            used[slot] = used.get(slot, 0) + quarter_hours
            name = names[staff[r - 1]]
            wstr(r, 9, name.upper() if r % 211 == 0 else name)  # typed as people do
        kind = r % 20
        if kind == 0:
            wnum(r, 4, quarter_hours * 15 / 1440, fmt.duration)
        elif kind == 7:
            minutes = quarter_hours * 15
            wstr(r, 4, f"{minutes // 60}:{minutes % 60:02d}" if minutes >= 60 else f"{minutes}m")
        else:
            wnum(r, 4, quarter_hours / 4, fmt.hours)
        if rng.random() < 0.06:
            wstr(r, 5, ("Y", "x", "yes")[r % 3])
        if rng.random() < 0.04:
            wstr(r, 6, "N")
        if rng.random() < 0.15:
            wstr(r, 7, "client asked by phone")
        if day < date(2026, 11, 1):
            wstr(r, 8, "yes")


def _assign_assistants(offsets: list[int]) -> list[int]:
    """Who did each row (rows sorted by day): enough assistants for the busiest day at
    ROWS_PER_ASSISTANT_DAY rows each; each day's rows go round the team from a
    different starting point, so no assistant gets more than that in a day."""
    per_day: dict[int, int] = {}
    for offset in offsets:
        per_day[offset] = per_day.get(offset, 0) + 1
    team = max(1, -(-max(per_day.values(), default=0) // ROWS_PER_ASSISTANT_DAY))
    out = []
    seen: dict[int, int] = {}
    for offset in offsets:
        j = seen.get(offset, 0)
        seen[offset] = j + 1
        out.append((offset * 7 + j) % team)
    return out


def _blocks(sheet: Worksheet, fmt: _Formats, plans: list[ClientPlan], rng: random.Random) -> None:

    _header(sheet, ("Date", "Client ID", "Hours", "Amount", "Expires", "Reference"), fmt)
    row = 1
    entries = []
    for p in plans:
        if p.billing != "block":
            continue
        for month in (9, 10, 11):
            if month > 9 and rng.random() < 0.5:
                continue
            day = date(2026, month, rng.randrange(1, 6))
            entries.append((day, p, rng.choice((10, 20, 40))))
    entries.sort(key=lambda e: (e[0], e[1].client_id))
    for day, p, hours in entries:
        sheet.write_datetime(row, 0, day, fmt.date)
        sheet.write_string(row, 1, p.client_id)
        sheet.write_number(row, 2, hours, fmt.int)
        if row % 3:
            sheet.write_number(row, 3, hours * p.rate * 0.95, fmt.money)
        if row % 4 == 0:
            sheet.write_datetime(row, 4, day + timedelta(days=180), fmt.date)
        sheet.write_string(row, 5, f"Pack {row}")
        row += 1


def _closings(sheet: Worksheet, fmt: _Formats, plans: list[ClientPlan], rng: random.Random) -> None:

    _header(sheet, ("Date", "Client ID", "Reference", "Sale Price", "Commission"), fmt)
    entries = []
    for p in plans:
        if p.billing != "commission":
            continue
        for _ in range(rng.randrange(1, 6)):
            day = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
            entries.append((day, p, rng.randrange(150, 900) * 1000))
    entries.sort(key=lambda e: (e[0], e[1].client_id))
    for row, (day, p, price) in enumerate(entries, start=1):
        sheet.write_datetime(row, 0, day, fmt.date)
        sheet.write_string(row, 1, p.client_id)
        sheet.write_string(row, 2, f"{row} Oak Avenue")
        sheet.write_number(row, 3, price, fmt.money)
        if row % 10 == 0:
            sheet.write_number(row, 4, 500, fmt.money)


def _payments(sheet: Worksheet, fmt: _Formats, plans: list[ClientPlan], rng: random.Random) -> None:

    _header(sheet, ("Date", "Client ID", "Invoice No", "Amount", "Note"), fmt)
    row = 1
    for p in plans:
        if rng.random() < 0.3:
            sheet.write_datetime(row, 0, date(2026, 11, rng.randrange(1, 29)), fmt.date)
            sheet.write_string(row, 1, p.client_id)
            sheet.write_number(row, 3, rng.randrange(50, 500), fmt.money)
            sheet.write_string(row, 4, "bank transfer")
            row += 1


def _expenses(sheet: Worksheet, fmt: _Formats, rng: random.Random) -> None:

    _header(sheet, ("Date", "Item", "Amount"), fmt)
    sheet.set_column(1, 1, 30)
    for row in range(1, 41):
        sheet.write_datetime(row, 0, FIRST_DAY + timedelta(days=row * 2), fmt.date)
        sheet.write_string(row, 1, rng.choice(("Software", "Phone", "Coffee", "Courses")))
        sheet.write_number(row, 2, rng.randrange(5, 200), fmt.money)
    sheet.write_string(41, 1, "Total", fmt.head)
    sheet.write_formula(41, 2, "=SUM(C2:C41)", fmt.money)


def _dashboard(sheet: Worksheet, fmt: _Formats) -> None:

    sheet.set_tab_color("#00B050")
    sheet.write_string(0, 0, "Dashboard", fmt.title)
    sheet.write_string(2, 0, "Clients")
    sheet.write_formula(2, 1, "=COUNTA(Clients!A:A)-1")
    sheet.write_string(3, 0, "Timesheet rows")
    sheet.write_formula(3, 1, "=COUNTA(Timesheet!A:A)-1")
