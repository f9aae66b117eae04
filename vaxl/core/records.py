"""Many records, cheaply (a big month makes tens of thousands).

    slot_builder(cls, names) -> constructor(a, b, ...)   ten or three fields, positional
    LazySequence[T]           a read-only sequence whose items are made when read

slot_builder does what the dataclass's own __init__ does (object.__setattr__ on
each slot) and falls back to the ordinary constructor should the class ever
gain, lose or reorder fields.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar, overload

__all__ = ["LazySequence", "slot_builder"]

_T = TypeVar("_T")


class LazySequence(Sequence[_T]):
    """A read-only sequence whose items are made when they are read: a subclass gives
    `__len__` and `item(i)` (i may be negative, as for a list).  Slices are tuples;
    it compares equal to any sequence of equal items and hashes as their tuple."""

    __slots__ = ()

    def item(self, i: int) -> _T:
        raise NotImplementedError

    @overload
    def __getitem__(self, i: int) -> _T: ...

    @overload
    def __getitem__(self, i: slice) -> tuple[_T, ...]: ...

    def __getitem__(self, i: int | slice) -> _T | tuple[_T, ...]:
        if isinstance(i, slice):
            return tuple(map(self.item, range(len(self))[i]))
        return self.item(i)

    def __iter__(self) -> Iterator[_T]:
        return map(self.item, range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(map(operator.eq, self, other))
        return NotImplemented

    def __hash__(self) -> int:  # as the tuple of its items hashes (they compare equal)
        return hash(tuple(self))


def slot_builder(cls: type, names: tuple[str, ...]) -> Callable[..., Any]:
    """A constructor for a frozen slotted dataclass of ten fields (Entry) or three
    (CellRef) that fills its slots directly.

    It does what the dataclass's own __init__ does (object.__setattr__ on each
    slot) in half the time.  Should the class ever gain, lose or reorder fields,
    the ordinary constructor is called instead, with the values by name."""
    if (tuple(f.name for f in dataclasses.fields(cls)) != names
            or not hasattr(cls, "__slots__") or len(names) not in (3, 10)):

        def by_name(*values: Any) -> Any:  # the fields changed: the constructor, by name
            return cls(**dict(zip(names, values, strict=True)))

        return by_name
    new = object.__new__
    if len(names) == 3:  # CellRef
        t0, t1, t2 = [getattr(cls, n).__set__ for n in names]

        def build3(a: Any, b: Any, c: Any) -> Any:
            obj: Any = new(cls)
            t0(obj, a)
            t1(obj, b)
            t2(obj, c)
            return obj

        return build3
    s0, s1, s2, s3, s4, s5, s6, s7, s8, s9 = [getattr(cls, n).__set__ for n in names]

    def build10(a: Any, b: Any, c: Any, d: Any, e: Any, f: Any, g: Any, h: Any, i: Any,
                j: Any) -> Any:
        obj: Any = new(cls)
        s0(obj, a)
        s1(obj, b)
        s2(obj, c)
        s3(obj, d)
        s4(obj, e)
        s5(obj, f)
        s6(obj, g)
        s7(obj, h)
        s8(obj, i)
        s9(obj, j)
        return obj

    return build10
