"""Invoice numbers and invoice tab names.

Pattern placeholders: `{YYYY}`, `{YY}`, `{MM}` of the issue date, `{CLIENT}`
(the client ID) and a run of N (`{NNNN}`): a counter per issue year padded to
the number of N.  A new number takes the highest counter the register holds
for that issue year, plus one; every register row counts, void ones too, so a
number is never reused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from vaxl.core.models import RegisterRow

__all__ = ["Numberer", "format_number", "tab_name"]

_TOKEN = re.compile(r"\{(YYYY|YY|MM|CLIENT|N+)\}", re.IGNORECASE)
_BAD_TAB = re.compile(r"[\[\]:*?/\\]")
DEFAULT_PATTERN = "INV-{YYYY}-{NNNN}"


def _pattern(pattern: str) -> str:
    pattern = pattern.strip() or DEFAULT_PATTERN
    if not any(m.group(1)[0] in "Nn" for m in _TOKEN.finditer(pattern)):
        pattern += "-{NNNN}"
    return pattern


def format_number(pattern: str, issue: date, client_id: str, counter: int) -> str:
    """Fill the pattern: `INV-{YYYY}-{NNNN}` -> `INV-2026-0007`."""

    def fill(match: re.Match[str]) -> str:
        token = match.group(1).upper()
        if token == "YYYY":
            return f"{issue.year:04d}"
        if token == "YY":
            return f"{issue.year % 100:02d}"
        if token == "MM":
            return f"{issue.month:02d}"
        if token == "CLIENT":
            return client_id
        return str(counter).zfill(len(token))

    return _TOKEN.sub(fill, _pattern(pattern))


def _parser(pattern: str, client: str | None = None) -> re.Pattern[str]:
    """A regex that reads the counter (and year) back out of a number made by `pattern`.

    With the row's own client ID, {CLIENT} matches that ID literally, so an ID ending in
    digits (`R2D2`) is never read as part of the counter."""
    parts: list[str] = []
    pos = 0
    for match in _TOKEN.finditer(pattern):
        parts.append(re.escape(pattern[pos : match.start()]))
        token = match.group(1).upper()
        if token == "YYYY":
            parts.append(r"(?P<year>\d{4})")
        elif token == "YY":
            parts.append(r"(?P<yy>\d{2})")
        elif token == "MM":
            parts.append(r"\d{2}")
        elif token == "CLIENT":
            parts.append(re.escape(client) if client else r".+?")
        else:
            parts.append(r"(?P<n>\d+)" if "(?P<n>" not in "".join(parts) else r"\d+")
        pos = match.end()
    parts.append(re.escape(pattern[pos:]))
    return re.compile("".join(parts), re.IGNORECASE)


_TRAILING_DIGITS = re.compile(r"(\d+)\D*$")


class Numberer:
    """Hands out new invoice numbers for one run, never reusing a register number."""

    def __init__(self, pattern: str, register: Iterable[RegisterRow]) -> None:
        self.pattern = _pattern(pattern)
        self._parsers: dict[str, re.Pattern[str]] = {}
        self._taken = {row.number.strip().upper() for row in register}
        self._highest: dict[int | None, int] = {}
        for row in register:
            year, counter = self._read(row)
            if counter is not None:
                self._highest[year] = max(self._highest.get(year, 0), counter)

    def _read(self, row: RegisterRow) -> tuple[int | None, int | None]:
        number = row.number.strip()
        year = row.issue_date.year if row.issue_date is not None else None
        client = row.client_key.strip()
        parser = self._parsers.get(client)
        if parser is None:
            parser = self._parsers[client] = _parser(self.pattern, client)
        match = parser.fullmatch(number)
        if match is not None:
            if year is None and match.groupdict().get("year"):
                year = int(match.group("year"))
            elif year is None and match.groupdict().get("yy"):
                year = 2000 + int(match.group("yy"))
            return year, int(match.group("n"))
        tail = _TRAILING_DIGITS.search(number)
        return year, (int(tail.group(1)) if tail else None)

    def next(self, issue: date, client_id: str) -> str:
        """The next number for an invoice issued on `issue`."""
        year = issue.year
        # rows whose year is unknown count for every year: never risk a reuse
        counter = max(self._highest.get(year, 0), self._highest.get(None, 0)) + 1
        number = format_number(self.pattern, issue, client_id, counter)
        while number.upper() in self._taken:
            counter += 1
            number = format_number(self.pattern, issue, client_id, counter)
        self._highest[year] = counter
        self._taken.add(number.upper())
        return number


def tab_name(number: str, taken: set[str] | None = None) -> str:
    """An Excel-safe tab name for an invoice number: at most 31 characters, none
    of []:*?/\\, not starting or ending with an apostrophe, unique in `taken`
    (compared case-insensitively; the chosen name is added to it)."""
    name = _BAD_TAB.sub("-", number).strip().strip("'").strip() or "Invoice"
    name = name[:31]
    if taken is None:
        return name
    base, n = name, 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name.casefold())
    return name
