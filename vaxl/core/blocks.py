"""Prepaid blocks of hours (rule 5).

Work draws from blocks dated on or before the work date and not yet expired
on it, oldest block first, in date order of the work.  A block's Expires date
is its last usable day: work on that very day still draws from it.  Hours
left when a block expires are forfeited in the month of its Expires date.
Counting is in whole seconds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from vaxl.core.months import month_of

__all__ = ["BlockMonth", "BlockSpec", "BlockRun", "run_blocks"]


@dataclass(frozen=True, slots=True)
class BlockSpec:
    """A block as the draw-down sees it: bought on `day`, usable through `expires`."""

    day: date
    expires: date | None
    seconds: int


@dataclass(frozen=True, slots=True)
class BlockMonth:
    """One block in one month, in seconds (conserved like a retainer month)."""

    block: int
    month: int
    included: int
    carried_in: int
    used: int
    expired: int
    carried_out: int


@dataclass(frozen=True, slots=True)
class BlockRun:
    """The outcome of the draw-down.

    Fields:
        months: per block and month, from the block's month until it is used
            up or expired (or the period ends).
        drawn: seconds drawn by each work item, aligned with the input.
        overage: seconds no block covered, per month index.
    """

    months: list[BlockMonth]
    drawn: list[int]
    overage: dict[int, int]


def run_blocks(blocks: list[BlockSpec], drawing: list[tuple[date, int]], last: int) -> BlockRun:
    """Draw `drawing` (date order, (day, billed seconds)) from `blocks` (oldest
    first), reporting every block month up to month index `last`."""
    remaining = [b.seconds for b in blocks]
    used: dict[tuple[int, int], int] = defaultdict(int)
    overage: dict[int, int] = defaultdict(int)
    drawn = [0] * len(drawing)
    for pos, (day, need) in enumerate(drawing):
        month = month_of(day)
        took = 0
        for i, block in enumerate(blocks):
            if need == 0 or block.day > day:
                break
            left = remaining[i]
            if left == 0 or (block.expires is not None and day > block.expires):
                continue
            take = left if left < need else need
            remaining[i] = left - take
            used[(i, month)] += take
            need -= take
            took += take
        drawn[pos] = took
        if need:
            overage[month] += need
    months: list[BlockMonth] = []
    for i, block in enumerate(blocks):
        start = month_of(block.day)
        end = month_of(block.expires) if block.expires is not None else None
        if end is not None and end < start:
            end = start
        left = block.seconds
        for month in range(start, last + 1):
            included = block.seconds if month == start else 0
            carried_in = 0 if month == start else left
            spent = used.get((i, month), 0)
            left -= spent
            expired = left if month == end else 0
            left -= expired
            months.append(BlockMonth(i, month, included, carried_in, spent, expired, left))
            if left == 0:
                break
    return BlockRun(months, drawn, dict(overage))
