"""Defects found walking issue 15's journeys on a production-like server (DEBUG off, gunicorn)."""

import io
import re

import openpyxl
import pytest
from django import forms
from django.template.loader import render_to_string

from cms import exports
from cms.display import local_datetime
from cms.text import INVALID_TEXT_MESSAGE, check_text_fields
from community import transitions as t
from tests.community.covenant_helpers import article, chapter, edit_draft, make_covenant


@pytest.mark.parametrize("template", ["404.html", "500.html", "400.html", "403.html"])
def test_error_pages_carry_the_configured_site_name(settings, template):
    """The error pages named the site "共治" whatever SITE_NAME says (the API docs, e-mails and
    admin use SITE_NAME): a district that names its site sees another name on its 404. They are
    rendered without a request or database (a 500 may come from either), so the name comes from
    settings."""
    settings.WAGTAIL_SITE_NAME = "清河区村务公开"
    html = render_to_string(template)
    assert "清河区村务公开" in html
    assert "共治" not in html


@pytest.mark.django_db
def test_pages_without_a_trail_carry_the_configured_site_name(client, settings, home):
    """A page without a trail falls back to the site name, not a hard-coded "共治"."""
    settings.WAGTAIL_SITE_NAME = "清河区村务公开"
    html = client.get("/search/").content.decode()
    assert "共治" not in html.split("</header>")[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, code",
    [
        ("search=%00", "invalid_characters"),
        ("search=%ED%A0%80", "invalid_encoding"),
        ("offset=99999999999999999999", "out_of_range"),
        ("search=" + "a" * 2001, "too_long"),
    ],
)
def test_api_input_guard_speaks_like_every_other_api_error(client, home, query, code):
    """`?search=%00` on the API answered `detail: "Invalid parameters"`, `msg: "NUL or lone
    surrogate"` while a 422 (`?offset=abc`) answers in Chinese with code, field and message: a
    client reads every refused parameter the same way, whichever layer refused it."""
    response = client.get(f"/api/v3/pages/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert {"type", "title", "status"} <= problem.keys() and problem["status"] == 400
    assert not problem["detail"].isascii()
    [error] = problem["errors"]
    assert error["type"] == error["code"] == code
    assert error["field"] is not None
    assert not error["msg"].isascii() and error["message"] == error["msg"]


@pytest.mark.django_db
def test_a_submission_reason_names_the_draft_by_its_time_not_its_id(shiqiao, committee_shiqiao):
    """The revision's timeline read "提请审核（草案版本 21）": a Wagtail revision's id, which no
    committee member or reviewer can look up. The draft is named by when it was saved, as the
    record's 草案 field is."""
    covenant = make_covenant(shiqiao, committee_shiqiao)
    rev = t.start_revision(covenant, committee_shiqiao, reason="新增垃圾分类条款")
    rev = t.begin_drafting(rev, committee_shiqiao)
    edit_draft(covenant, committee_shiqiao, [chapter("c1", "总则", article("a1", "新条文。"))])
    t.submit_for_review(rev, committee_shiqiao)
    covenant.refresh_from_db()
    reason = rev.history.latest("history_id").history_change_reason
    assert str(covenant.latest_revision.pk) not in reason
    assert local_datetime(covenant.latest_revision.created_at) in reason


def test_an_xlsx_names_its_sheet_for_what_it_holds():
    """Every XLSX opened in Excel on a tab named "Sheet1": the one English word of the file. The
    sheet carries the file's name, within Excel's 31 characters and without the characters Excel
    refuses in a sheet name ([]:*?/\\)."""
    response = exports.xlsx_response("杏花村-意见[征集]:2026/12/02", ["姓名"], [["李秀兰"]])
    [sheet] = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets
    assert sheet.title == "杏花村-意见征集20261202"
    long = exports.xlsx_response("统" * 40, ["姓名"], [])
    [sheet] = openpyxl.load_workbook(io.BytesIO(b"".join(long.streaming_content))).worksheets
    assert sheet.title == "统" * 31


def test_nul_in_a_field_gets_one_message_in_plain_chinese():
    """A NUL in a resident's answer showed two errors: Django's "不允许是用空字符串。" (its
    catalogue's garbled "Null characters are not allowed": it says "empty string", with a typo)
    above ours. Our text check covers NUL, so it is the only one."""

    class Answer(forms.Form):
        text = forms.CharField()

    form = Answer(data={"text": "路灯\x00坏了"})
    check_text_fields(form)
    assert form.errors["text"] == [INVALID_TEXT_MESSAGE]


@pytest.mark.django_db
def test_the_reports_print_view_names_the_configured_site(client, district_staff, settings):
    """The district report's print view said "数据来源：共治平台" whatever SITE_NAME is, with a date
    written unlike the rest of the site (2026-12-01 16:11)."""
    settings.WAGTAIL_SITE_NAME = "清河区基层自治平台"
    client.force_login(district_staff)
    params = {"start": "2019-01-01", "end": "2024-06-30", "print": "1"}
    printed = client.get("/admin/review/report/", params).content.decode()
    assert "数据来源：清河区基层自治平台，" in printed and "共治平台" not in printed
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 生成", printed)
