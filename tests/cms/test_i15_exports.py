"""Exports that open right in Excel (issue 15, item 3): every CSV and XLSX the product writes is
opened here as Excel would open it: a CSV must start with the UTF-8 BOM and parse; an XLSX must
open with openpyxl; the file is named for what it holds (community, form, date), with an ASCII
`filename` beside the UTF-8 one; its cells are what the screen shows: local times without an
offset, 是/否, choice labels, Chinese headers; formulas stay text, bad characters and texts longer
than a cell are written so that Excel still opens the file."""

import csv
import datetime
import io
import re
from urllib.parse import unquote

import pytest
from django.core.cache import cache
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from cms import exports
from consultation.models import CommunityFormSubmission, Decision
from tests.community.review.helpers import new_decision
from tests.consultation.test_forms import ANSWER, make_form, post

pytestmark = pytest.mark.django_db
FORMATS = ["csv", "xlsx"]
# 2026-03-01 08:21:22 UTC, which is 16:21:22 in Asia/Shanghai
UTC_MOMENT = datetime.datetime(2026, 3, 1, 8, 21, 22, 790305, tzinfo=datetime.UTC)
LOCAL = datetime.datetime(2026, 3, 1, 16, 21, 22)


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def names(response) -> tuple[str, str]:
    """(the ASCII `filename`, the UTF-8 `filename*`) of a download."""
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    plain = re.search(r'filename="([^"]*)"', disposition)
    utf8 = re.search(r"filename\*=UTF-8''(\S+)", disposition)
    assert plain and utf8, disposition
    assert plain.group(1).isascii() and plain.group(1) not in ("download.csv", "download.xlsx")
    return plain.group(1), unquote(utf8.group(1))


def opened(response, fmt: str) -> list[list]:
    """The rows as Excel reads them: CSV with its BOM, decoded and parsed; XLSX's cell values."""
    data = body(response)
    if fmt == "csv":
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert data.startswith(b"\xef\xbb\xbf")
        return list(csv.reader(io.StringIO(data.decode("utf-8")[1:])))
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    for row in rows:  # a sheet's rows are as wide as its widest; Excel shows the rest empty
        while row and row[-1] is None:
            row.pop()
    return rows


def as_written(fmt: str, moment: datetime.datetime):
    return moment if fmt == "xlsx" else f"{moment:%Y-%m-%d %H:%M:%S}"


def today() -> str:
    return f"{timezone.localdate():%Y-%m-%d}"


@pytest.fixture
def answered(client, yinxing):
    cache.clear()
    page = make_form(yinxing)
    assert post(client, page, {**ANSWER, "您的建议": "=1+1"}).status_code == 200
    CommunityFormSubmission.objects.filter(page=page).update(submit_time=UTC_MOMENT)
    return page


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_answers_open_in_excel_as_the_screen_shows_them(client, answered, superuser, fmt):
    client.force_login(superuser)
    response = client.get(f"/admin/forms/submissions/{answered.pk}/", {"export": fmt})
    assert response.status_code == 200
    ascii_name, name = names(response)
    assert name == f"银杏社区-停车难题意见征集-答复-{today()}.{fmt}"
    assert ascii_name == f"export-{today()}.{fmt}"
    header, row = opened(response, fmt)
    assert header == ["提交时间", "您的建议", "手机号码", "满意度", "同意为回访使用手机号码"]
    assert row[0] == as_written(fmt, LOCAL)  # 16:21 as on the screen, not 08:21+00:00
    assert row[1] == "'=1+1"  # a formula stays text
    assert row[2] == "13812341234"  # whole in the committee's export
    assert row[4] == "是"


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_audit_log_opens_in_excel(client, district_staff, xinghua, committee_xinghua, fmt):
    decision = new_decision(xinghua, committee_xinghua)
    decision.history.update(history_date=UTC_MOMENT)
    client.force_login(district_staff)
    response = client.get("/admin/review/audit/", {"model": "consultation.decision", "export": fmt})
    assert names(response)[1] == f"审计日志-{today()}.{fmt}"
    header, *rows = opened(response, fmt)
    assert header[:4] == ["时间", "乡镇/街道", "村/社区", "记录类型"]
    mine = [row for row in rows if str(row[4]) == str(decision.pk)]
    assert [row[0] for row in mine] == [as_written(fmt, LOCAL)]
    assert mine[0][2:4] == ["杏花村", "四议两公开"] and mine[0][6] == "创建"

    chosen = client.get("/admin/review/audit/", {"community": xinghua.pk, "export": fmt})
    assert names(chosen)[1] == f"审计日志-杏花村-{today()}.{fmt}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_report_opens_in_excel(client, district_staff, fmt):
    client.force_login(district_staff)
    response = client.get(
        "/admin/review/report/", {"start": "2026-01-01", "end": "2026-06-30", "export": fmt}
    )
    assert names(response)[1] == f"统计报表-全部-2026-01-01至2026-06-30.{fmt}"
    rows = opened(response, fmt)
    start = datetime.datetime(2026, 1, 1) if fmt == "xlsx" else "2026-01-01"
    assert rows[0][:2] == ["统计期间", start]
    assert ["指标", "数值"] in rows


@pytest.mark.parametrize("fmt", FORMATS)
def test_wagtail_reports_open_in_excel(client, superuser, xinghua, fmt):
    xinghua.save_revision(user=superuser, log_action=True).publish(user=superuser)
    client.force_login(superuser)
    response = client.get("/admin/reports/site-history/", {"export": fmt})
    name = names(response)[1]
    assert not name.startswith(("audit-log", "spreadsheet-export"))
    assert re.search("[\u4e00-\u9fff]", name) and name.endswith(f"-{today()}.{fmt}")
    header, *rows = opened(response, fmt)
    assert all(re.search("[\u4e00-\u9fff]", h) or h == "ID" for h in header), header
    timestamps = [row[-1] for row in rows]
    now = timezone.localtime().replace(tzinfo=None, microsecond=0)
    newest = max(timestamps)
    if fmt == "csv":
        newest = datetime.datetime.strptime(newest, "%Y-%m-%d %H:%M:%S")
    assert abs(newest - now) < datetime.timedelta(minutes=5)  # local, no offset


class DecisionExport(SpreadsheetExportMixin):
    """A listing of Decision as any Wagtail listing with list_export exports it."""

    page_title = "四议两公开"
    list_export = ["title", "matter"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_choice_is_written_as_its_label(xinghua, committee_xinghua, fmt):
    decision = new_decision(xinghua, committee_xinghua)
    Decision.objects.filter(pk=decision.pk).update(matter="land_plan")
    view = DecisionExport()
    response = exports.spreadsheet_response(view, Decision.objects.filter(pk=decision.pk), fmt)
    header, row = opened(response, fmt)
    label = Decision._meta.get_field("matter").flatchoices
    assert row == ["修建村道", dict(label)["land_plan"]] and row[1] != "land_plan"
    assert header == ["事项", "事项类别"]


@pytest.mark.parametrize(
    "value, csv_cell, xlsx_cell",
    [
        (True, "是", "是"),
        (False, "否", "否"),
        (None, "", None),  # an empty cell (a sheet row ends at its last value)
        (UTC_MOMENT, "2026-03-01 16:21:22", LOCAL),
        (datetime.date(2026, 3, 1), "2026-03-01", datetime.datetime(2026, 3, 1)),
        (3, "3", 3),
        ("=1+1", "'=1+1", "'=1+1"),
        ("a\x00b", "a\ufffdb", "a\ufffdb"),  # NUL: written visibly, the file still opens
        ("a\ud800b", "a\ufffdb", "a\ufffdb"),  # a lone surrogate cannot be encoded at all
        ("a\x1bb", "a\ufffdb", "a\ufffdb"),  # XLSX (XML) cannot hold other control characters
        (["甲", "乙"], "甲、乙", "甲、乙"),
    ],
)
def test_each_value_is_written_as_excel_reads_it(value, csv_cell, xlsx_cell):
    response = exports.csv_response("x", ["值"], [[value, "止"]])
    assert opened(response, "csv") == [["值"], [csv_cell, "止"]]
    response = exports.xlsx_response("x", ["值"], [[value, "止"]])
    assert opened(response, "xlsx") == [["值"], [xlsx_cell, "止"]]


def test_a_text_longer_than_a_cell_is_cut_with_a_note(client, answered, superuser):
    """Excel holds 32,767 characters in a cell and cuts or refuses more; the export cuts there,
    in both formats, and says how long the text was (the answer itself is kept whole)."""
    long = "长" * 100_000
    submission = CommunityFormSubmission.objects.get(page=answered)
    name = next(f.clean_name for f in answered.get_form_fields() if f.label == "您的建议")
    submission.form_data = {**submission.form_data, name: long}
    submission.save()
    client.force_login(superuser)
    for fmt in FORMATS:
        response = client.get(f"/admin/forms/submissions/{answered.pk}/", {"export": fmt})
        cell = opened(response, fmt)[1][1]
        assert len(cell) == exports.CELL_LIMIT
        assert cell.startswith("长" * 30000) and cell.endswith("全文 100000 字）")
    assert CommunityFormSubmission.objects.get(pk=submission.pk).form_data[name] == long


@pytest.mark.parametrize("name", ["停车/意见:征集?", "a\x00b", ""])
def test_any_name_gives_a_file_a_system_can_save(name):
    ascii_name, utf8 = names(exports.csv_response(name, ["a"], []))
    assert not set('/\\:*?"<>|\x00') & set(utf8) and utf8.endswith(".csv")
    assert ascii_name.endswith(".csv")


def test_the_answer_list_shows_consent_as_the_export_writes_it(client, answered, superuser):
    client.force_login(superuser)
    response = client.get(f"/admin/forms/submissions/{answered.pk}/")
    row = response.context["data_rows"][0]["fields"]
    assert row[-1] == "是" and "True" not in response.content.decode().split("<tbody")[-1]
