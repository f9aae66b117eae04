"""The `_vaxl` manifest: a very hidden tab listing the tabs vaxl wrote.

    MANIFEST_TAB = "_vaxl"
    manifest_grid(names) -> Grid          header `Tab | Kind`, one row per tab, sorted
    vaxl_tab_names(raw) -> set[str]       the names listed in a workbook's manifest
    tab_kind(name) -> str                 what vaxl wrote a tab as, from its name

The manifest is how vaxl tells its own tabs from a user's tab that happens to
carry one of its names: only listed tabs are ever replaced. It always lists
itself, so a workbook's manifest is consistently one of vaxl's tabs too.
A listed name whose tab the user has since deleted is dropped on the next run,
so a new tab the user makes under that name is theirs.
"""

from __future__ import annotations

from vaxl.layout.grid import Grid, Style
from vaxl.sheets.raw import RawBook, tab_key
from vaxl.sheets.spec import MANIFEST_TAB

__all__ = ["MANIFEST_TAB", "manifest_grid", "tab_kind", "vaxl_tab_names"]

_HEADER = Style(bold=True)
_FIXED_KINDS = {
    "validation": "validation",
    "invoices": "register",
    "retainers": "retainers",
    "aging": "aging",
    tab_key(MANIFEST_TAB): "manifest",
}


def tab_kind(name: str) -> str:
    """`validation`, `register`, `retainers`, `aging`, `report`, `manifest` or `invoice`."""
    key = tab_key(name)
    if key in _FIXED_KINDS:
        return _FIXED_KINDS[key]
    if key.startswith("report "):
        return "report"
    return "invoice"


def manifest_grid(names: set[str]) -> Grid:
    """The very hidden `_vaxl` tab listing `names` (and itself), sorted case-insensitively."""
    unique: dict[str, str] = {}
    for name in [*names, MANIFEST_TAB]:
        clean = name.strip()
        if clean:
            unique.setdefault(tab_key(clean), clean)
    grid = Grid(name=MANIFEST_TAB, hidden="veryHidden", fit_width=False, kind="manifest")
    grid.put_row(1, ["Tab", "Kind"], _HEADER)
    for row, name in enumerate(sorted(unique.values(), key=lambda n: (tab_key(n), n)), start=2):
        grid.put_row(row, [name, tab_kind(name)])
    grid.col_widths = {1: 32, 2: 14}
    grid.freeze = (2, 1)
    return grid


def vaxl_tab_names(raw: RawBook) -> set[str]:
    """Tab names in the workbook's `_vaxl` manifest (column A from row 2).

    Names of tabs that are no longer in the workbook are left out when the
    source lists the workbook's tabs.
    """
    tab = raw.find(MANIFEST_TAB)
    if tab is None:
        return set()
    names: set[str] = set()
    col = 1 - tab.first_col
    if col < 0:
        return names
    for index, row in enumerate(tab.rows):
        if tab.first_row + index < 2 or col >= len(row):
            continue
        value = row[col]
        if value is None:
            continue
        name = str(value).strip()
        if name:
            names.add(name)
    if raw.tab_names:
        names = {n for n in names if raw.has(n)}
    return names
