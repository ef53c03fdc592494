"""The app's data table: Textual's, with its rendered lines dropped once columns are measured.

Textual measures the columns of newly added rows when the app next goes idle
(`DataTable._update_dimensions`), but keeps the lines it rendered before that under the
same cache key. A frame drawn between adding the rows and that measurement left the header
with the old, narrow column widths above rows drawn with the new ones (seen in CI as a
case-detail snapshot whose header did not line up with its rows).
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


class ClerkTable(DataTable[object]):
    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        super()._update_dimensions(new_rows)
        self._clear_caches()
        self.refresh()
