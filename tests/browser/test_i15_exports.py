"""Issue 15, item 3: each export downloaded through the real admin in Chromium (the committee's
answers from the answer list; the desk's audit log and report) is saved under a meaningful name
(not download.csv) and opens as Excel would open it: a CSV with the UTF-8 BOM that parses, an
XLSX that openpyxl opens, Chinese headers, local times without offsets, 是/否."""

import csv
import datetime
import io
import re
from pathlib import Path

from openpyxl import load_workbook

from tests.browser.conftest import DEMO_PASSWORD

DATE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")  # no +00:00, no microseconds


def _login(context, username):
    page = context.new_page()
    page.goto("/admin/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    return page


def _download(page, fmt: str):
    """Click the listing's own export link (Wagtail's listings keep it in the header's 动作 menu)
    and return (suggested file name, rows as Excel reads them)."""
    link = page.locator(f"a[href*='export={fmt}']").first
    if not link.is_visible():
        page.get_by_role("button", name="动作").click()
    with page.expect_download() as info:
        link.click()
    download = info.value
    data = Path(download.path()).read_bytes()
    if fmt == "csv":
        assert data.startswith(b"\xef\xbb\xbf"), data[:20]
        rows = list(csv.reader(io.StringIO(data.decode("utf-8")[1:])))
    else:
        sheet = load_workbook(io.BytesIO(data)).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return download.suggested_filename, rows


def _local_time(value, fmt):
    if fmt == "xlsx":
        return isinstance(value, datetime.datetime) and value.tzinfo is None
    return bool(DATE.match(value))


def test_exports_download_with_their_names_and_open_as_in_excel(browser, demo_server):
    today = f"{datetime.date.today():%Y-%m-%d}"
    context = browser.new_context(
        viewport={"width": 1280, "height": 800},
        base_url=demo_server,
        locale="zh-CN",
        accept_downloads=True,
    )
    context.set_default_timeout(30_000)
    try:
        committee = _login(context, "weiyuan_xinghua")
        committee.goto("/admin/forms/")
        committee.locator("main table a[href*='/admin/forms/submissions/']").first.click()
        committee.wait_for_url(re.compile(r"/admin/forms/submissions/\d+/"))
        for fmt in ("csv", "xlsx"):
            name, rows = _download(committee, fmt)
            assert name.startswith("杏花村-") and f"-答复-{today}." in name, name
            assert name.endswith(f".{fmt}") and name != f"download.{fmt}"
            header, *answers = rows
            assert header[0] == "提交时间" and all(re.search("[一-鿿]", h) for h in header)
            assert answers and all(_local_time(row[0], fmt) for row in answers)
            assert {row[-1] for row in answers} <= {"是", "否", "", None}
            assert "True" not in {str(cell) for row in answers for cell in row}

        context.clear_cookies()  # the district's desk, in the same browser
        desk = _login(context, "minzheng")
        desk.goto("/admin/review/audit/")
        for fmt in ("csv", "xlsx"):
            name, rows = _download(desk, fmt)
            assert name == f"审计日志-{today}.{fmt}", name
            header, *entries = rows
            assert header[:3] == ["时间", "乡镇/街道", "村/社区"]
            assert entries and all(_local_time(row[0], fmt) for row in entries[:50])
        desk.goto("/admin/review/report/")
        for fmt in ("csv", "xlsx"):
            name, rows = _download(desk, fmt)
            assert name.startswith("统计报表-全部-") and name.endswith(f".{fmt}"), name
            assert rows[0][0] == "统计期间"
    finally:
        context.close()
