"""Retainer hours, month by month (rule 4).

Every month from the first one to the period adds Retainer Hours.  Work that
draws prepaid time takes the oldest hours first (carried hours, oldest month
first, then the month's own).  Hours of month M left unused stay usable
through M + Rollover Months and expire at the end of that month: the ledger
shows them as `expired` in month M + Rollover Months, and `carried_out` only
ever holds hours still usable next month.  All counting is in whole seconds,
so hours are neither created nor lost.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

__all__ = ["RetainerMonth", "run_retainer"]


@dataclass(frozen=True, slots=True)
class RetainerMonth:
    """One month of a retainer, in seconds.

    Fields: month (index), included, carried_in, used, overage, expired, carried_out.
    Conservation: included + carried_in = used + expired + carried_out.
    """

    month: int
    included: int
    carried_in: int
    used: int
    overage: int
    expired: int
    carried_out: int


def run_retainer(
    first: int,
    last: int,
    included: int,
    rollover: int,
    drawing: list[tuple[int, int]],
) -> tuple[list[RetainerMonth], list[int]]:
    """Run the retainer from month index `first` through `last`.

    `drawing` is the prepaid-drawing work in date order as (month index,
    billed seconds); work outside [first, last] draws nothing.  Returns the
    ledger months and, per drawing item, the seconds it drew (the rest of its
    seconds is overage when its month is in range).
    """
    drawn = [0] * len(drawing)
    months: list[RetainerMonth] = []
    buckets: deque[list[int]] = deque()  # [origin month, seconds left], oldest first
    rollover = max(rollover, 0)
    pos = 0
    count = len(drawing)
    while pos < count and drawing[pos][0] < first:
        pos += 1
    for month in range(first, last + 1):
        carried_in = sum(b[1] for b in buckets)
        buckets.append([month, included])
        used = overage = 0
        while pos < count and drawing[pos][0] == month:
            need = drawing[pos][1]
            took = 0
            while need and buckets:
                head = buckets[0]
                take = head[1] if head[1] < need else need
                head[1] -= take
                need -= take
                took += take
                if head[1] == 0:
                    buckets.popleft()
            drawn[pos] = took
            used += took
            overage += need
            pos += 1
        expired = 0
        while buckets and buckets[0][0] + rollover <= month:
            expired += buckets.popleft()[1]
        carried_out = sum(b[1] for b in buckets)
        months.append(
            RetainerMonth(month, included, carried_in, used, overage, expired, carried_out)
        )
    return months, drawn
