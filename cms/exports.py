"""The one writer of every spreadsheet the product hands out: the committee's form answers, the
desk's audit log and report, and any export of Wagtail's own admin (its reports, listings), which
reaches it through SpreadsheetExportMixin (wired in cms/apps.py).

An export is read in Excel or WPS by people who did not type its cells: a resident's answer, a page
title. A cell that begins like a formula would be run there (`=HYPERLINK("http://…"&C2,"查看")`), so
each such cell is written as text, with a leading single quote (OWASP, CSV injection). Everything
about the file itself (BOM, filename, later headers and formats) is decided here too, so that a
view only gives a filename, a header and its rows."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import StreamingHttpResponse
from django.utils.encoding import force_str
from django.utils.http import content_disposition_header

# A spreadsheet reads a cell starting with one of these as a formula (tab and CR as the start of
# one once the cell is trimmed or split).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # Excel opens UTF-8 CSV correctly only with a byte-order mark


def neutralise(value: Any) -> Any:
    """A cell as written: text that a spreadsheet would run as a formula, quoted; other values as
    they are (numbers stay numbers, so `-3` as an int is not touched)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


class _Echo:
    """A file-like object whose write() returns the line, to stream what csv.writer produces."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The file line by line: the BOM with the header, then each row, every cell neutralised.
    An empty row is written empty (the report separates its sections with one)."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([neutralise(force_str(cell)) for cell in header])
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def csv_response(
    filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    """A download of `rows` under `header` as `filename` (any characters: the header carries an
    ASCII fallback and the UTF-8 name, RFC 6266)."""
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def spreadsheet_csv_response(view, queryset) -> StreamingHttpResponse:
    """SpreadsheetExportMixin.write_csv_response through this writer: Wagtail's headings and
    preprocessing (dates, lists) for each value, then the cells as csv_lines() writes them."""
    fields = list(view.list_export)
    header = [view.get_heading(queryset, field) for field in fields]
    rows = (
        [
            view.preprocess_field_value(field, value, view.FORMAT_CSV)
            for field, value in view.to_row_dict(item).items()
        ]
        for item in queryset
    )
    return csv_response(f"{view.get_filename()}.csv", header, rows)
