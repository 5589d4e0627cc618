"""The one writer of every spreadsheet the product hands out, CSV and XLSX: the committee's form
answers, the desk's audit log and report, and any export of Wagtail's own admin (its reports,
listings), which reaches it through SpreadsheetExportMixin (wired in cms/apps.py).

An export is opened in Excel or WPS by a committee member, so each cell is written as they read it
on the screen: a time in local time (TIME_ZONE, Asia/Shanghai) without an offset, a yes/no as 是/否,
a choice as its label, nothing as an empty cell. A cell that begins like a formula would be run
there (`=HYPERLINK("http://…"&C2,"查看")`), so each such cell is written as text, with a leading
single quote (OWASP, CSV injection). A character that is not text (NUL, a lone surrogate, another
control character) is written as U+FFFD, as the admin shows it; a text longer than a cell holds
(Excel: 32,767 characters) is cut there with a note saying how long it was, in both formats, so
the file opens the same in Excel whichever was chosen. The file itself: CSV in UTF-8 with a BOM
(Excel reads UTF-8 only with one), XLSX with real dates; named for what it holds and the day, with
an ASCII name beside the UTF-8 one (RFC 6266) for clients that read only `filename`."""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import quote

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from cms.text import displayable

CSV = "csv"
XLSX = "xlsx"
# A spreadsheet reads a cell starting with one of these as a formula (tab and CR as the start of
# one once the cell is trimmed or split).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # Excel opens UTF-8 CSV correctly only with a byte-order mark
CELL_LIMIT = 32767  # characters in one Excel cell
# Control characters a cell cannot hold (XML 1.0 forbids them in XLSX); tab and line breaks are text.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
XLSX_DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
XLSX_DATE_FORMAT = "yyyy-mm-dd"
# Characters a file name cannot hold on Windows or in a header.
NOT_IN_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def neutralise(value: Any) -> Any:
    """A cell as written: text that a spreadsheet would run as a formula, quoted; other values as
    they are (numbers stay numbers, so `-3` as an int is not touched)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def text(value: str) -> str:
    """Text as a cell holds it: bad characters as U+FFFD, at most CELL_LIMIT characters."""
    value = CONTROL.sub("\ufffd", displayable(value))
    if len(value) > CELL_LIMIT:
        note = f"……（超出表格单元格上限，已截断；全文 {len(value)} 字）"
        value = value[: CELL_LIMIT - len(note)] + note
    return value


def cell(value: Any, fmt: str) -> Any:
    """One value as the cell of a `fmt` file (CSV: text; XLSX: text, numbers and naive dates)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        value = value.replace(microsecond=0)
        return value if fmt == XLSX else value.strftime(DATETIME_FORMAT)
    if isinstance(value, datetime.date):
        return value if fmt == XLSX else value.isoformat()
    if isinstance(value, (int, float, decimal.Decimal)):
        return value if fmt == XLSX else str(value)
    if isinstance(value, (list, tuple, set)):
        value = "、".join(force_str(cell(v, CSV)) for v in value)
    return neutralise(text(force_str(value)))


def _ascii_name(filename: str) -> str:
    """The name for clients that read only `filename`: its ASCII part, or export-… if that is
    only digits and dashes."""
    stem, dot, extension = filename.rpartition(".")
    ascii_stem = re.sub(r"-{2,}", "-", re.sub(r"[^A-Za-z0-9._-]+", "-", stem)).strip("-")
    if not re.search("[A-Za-z]", ascii_stem):
        ascii_stem = f"export-{ascii_stem}".rstrip("-")
    return f"{ascii_stem}{dot}{extension}"


def attachment(filename: str) -> str:
    """Content-Disposition for `filename` in any characters: an ASCII `filename` and the UTF-8
    `filename*` (RFC 6266, 5987); a browser that reads filename* uses the real name."""
    filename = NOT_IN_FILENAME.sub("_", displayable(filename)).strip() or "export"
    return (
        f'attachment; filename="{_ascii_name(filename)}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )


def dated(name: str) -> str:
    """A file's name: what it holds and today's date (local), 杏花村-停车意见征集-答复-2026-12-01."""
    return f"{name}-{timezone.localdate():%Y-%m-%d}"


class _Echo:
    """A file-like object whose write() returns the line, to stream what csv.writer produces."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The file line by line: the BOM with the header, then each row, every cell as cell() writes
    it. An empty row is written empty (the report separates its sections with one)."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([cell(value, CSV) for value in header])
    for row in rows:
        yield writer.writerow([cell(value, CSV) for value in row])


def csv_response(
    filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    """A download of `rows` under `header` as `filename`.csv (any characters)."""
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = attachment(f"{filename}.csv")
    return response


def sheet_title(name: str) -> str:
    """A sheet named for what it holds (the file's name), as Excel allows: at most 31
    characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", "", name)[:31] or "数据"


def xlsx_bytes(header: Sequence[Any], rows: Iterable[Sequence[Any]], title: str = "数据") -> bytes:
    """A workbook of one sheet named `title`: the header, then the rows, each cell as cell()
    writes it; text stays text even when it reads like a formula, dates are dates in local time."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(title))

    def cells(values: Sequence[Any]) -> Iterator[WriteOnlyCell]:
        for value in values:
            written = WriteOnlyCell(sheet, cell(value, XLSX))
            if written.data_type == "f":
                written.data_type = "s"
            if isinstance(written.value, datetime.datetime):
                written.number_format = XLSX_DATETIME_FORMAT
            elif isinstance(written.value, datetime.date):
                written.number_format = XLSX_DATE_FORMAT
            yield written

    sheet.append(list(cells(header)))
    for row in rows:
        sheet.append(list(cells(row)))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def xlsx_response(
    filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> FileResponse:
    response = FileResponse(
        io.BytesIO(xlsx_bytes(header, rows, title=filename)), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = attachment(f"{filename}.xlsx")
    return response


def response(fmt: str, filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]):
    """The download of `rows` as `fmt` (CSV or XLSX), named `filename` plus its extension."""
    return (xlsx_response if fmt == XLSX else csv_response)(filename, header, rows)


def _labelled(item: Any, field: str, value: Any) -> Any:
    """A model field's stored choice as its label (stage 'drafting' as 拟定草案)."""
    if isinstance(item, models.Model) and "." not in field:
        try:
            model_field = item._meta.get_field(field)
        except FieldDoesNotExist:  # a property or method, not a field
            return value
        choices = getattr(model_field, "flatchoices", None)
        if choices:
            return dict(choices).get(value, value)
    return value


def spreadsheet_filename(view) -> str:
    """What a listing's export is named: the view's export_name() if it has one, else its title
    (Wagtail's reports: 锁定的页面, 站点历史), with the date."""
    if hasattr(view, "export_name"):
        return dated(view.export_name())
    title = force_str(getattr(view, "page_title", "") or "")
    return dated(title) if title else view.get_filename()


def spreadsheet_response(view, queryset, fmt: str):
    """SpreadsheetExportMixin's export through this writer: Wagtail's headings, each field's own
    preprocessing where the view gives one (an action's label), then cells as cell() writes them
    (Wagtail's own value preprocessing would write UTC times and True)."""
    fields = list(view.list_export)
    header = [view.get_heading(queryset, field) for field in fields]

    def value(item, field, raw):
        custom = view.custom_field_preprocess.get(field, {})
        if fmt in custom:
            return custom[fmt](raw) if custom[fmt] else raw
        return _labelled(item, field, raw)

    rows = (
        [value(item, field, raw) for field, raw in view.to_row_dict(item).items()]
        for item in queryset
    )
    return response(fmt, spreadsheet_filename(view), header, rows)


def write_csv_response(view, queryset):
    return spreadsheet_response(view, queryset, CSV)


def write_xlsx_response(view, queryset):
    return spreadsheet_response(view, queryset, XLSX)
