"""The guided session's summary as rich renderables: names in one column, so long lines wrap
under their own column instead of under the names."""

from __future__ import annotations

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from kotcoach.coaching.session.summary import Summary
from kotcoach.render import clean


def summary_view(summary: Summary) -> Group:
    rows = Table.grid(padding=(0, 1))
    rows.add_column(style="bold")
    rows.add_column()
    for name, what in summary.rows:
        rows.add_row(Text(clean(name) + ":"), Text(what))
    if summary.not_reached:
        rows.add_row(Text("Not reached:"), Text(", ".join(clean(n) for n in summary.not_reached)))
    return Group(
        Text(summary.saved), Padding(rows, (0, 0, 0, 2)), *(Text(line) for line in summary.advice)
    )
