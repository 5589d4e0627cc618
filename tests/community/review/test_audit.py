"""The audit log: every history row across models, filtered, paginated, exported."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from community.review.registry import history_registry
from consultation.models import Decision
from tests.community.review.helpers import FACTORIES, save

pytestmark = pytest.mark.django_db
AUDIT = "/admin/review/audit/"
MODELS = tuple(entry.model for entry in history_registry)


def _csv(client, **params) -> list[dict]:
    response = client.get(AUDIT, {**params, "export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _visible_total(communities=None) -> int:
    total = 0
    for model in MODELS:
        rows = model.history.all()
        if communities is not None:
            rows = rows.filter(community__in=communities)
        total += rows.count()
    return total


def test_district_export_has_every_history_row_parsed_back(client, district_staff):
    client.force_login(district_staff)
    rows = _csv(client)
    assert len(rows) == _visible_total()
    assert list(rows[0]) == [
        "时间",
        "乡镇/街道",
        "村/社区",
        "记录类型",
        "记录编号",
        "记录",
        "变动",
        "操作人",
        "原因",
    ]
    dates = [r["时间"] for r in rows]
    assert dates == sorted(dates, reverse=True)


def test_xlsx_export_opens_with_the_same_rows(client, district_staff):
    client.force_login(district_staff)
    response = client.get(AUDIT, {"export": "xlsx", "model": "consultation.decision"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert values[0][0] == "时间"
    assert len(values) - 1 == Decision.history.count()
    assert {v[3] for v in values[1:]} == {"四议两公开"}


def test_filter_by_model_and_change_type(client, district_staff, committee_xinghua, xinghua):
    record = FACTORIES["consultation.decision"][0](xinghua, committee_xinghua)
    record.summary = "改。"
    save(record, committee_xinghua, "修改说明")
    client.force_login(district_staff)
    rows = _csv(client, model="consultation.decision", change_type="~")
    assert [r["原因"] for r in rows] == ["修改说明"]
    assert (
        rows[0]["记录"] == "修建村道"
        and rows[0]["村/社区"] == "杏花村"
        and rows[0]["乡镇/街道"] == "柳溪镇"
    )


def test_filter_by_township_community_and_user(
    client, district_staff, liuxi, xinghua, shiqiao, committee_xinghua, reviewer_liuxi
):
    client.force_login(district_staff)
    township_rows = _csv(client, township=liuxi.pk)
    assert {r["乡镇/街道"] for r in township_rows} == {"柳溪镇"}
    assert len(township_rows) == _visible_total(
        [c.pk for c in (xinghua, shiqiao)] + [c.pk for c in liuxi.get_children()]
    )
    community_rows = _csv(client, community=shiqiao.pk)
    assert community_rows and {r["村/社区"] for r in community_rows} == {"石桥村"}
    user_rows = _csv(client, user=reviewer_liuxi.pk)
    assert user_rows and {r["操作人"] for r in user_rows} == {"张明（shenhe_liuxi）"}
    expected = sum(m.history.filter(history_user=reviewer_liuxi).count() for m in MODELS)
    assert len(user_rows) == expected


def test_filter_by_date_range(client, district_staff, committee_xinghua, xinghua):
    record = FACTORIES["consultation.decision"][0](xinghua, committee_xinghua)
    old = record.history.get()
    type(old).objects.filter(pk=old.pk).update(  # a row written on an earlier day
        history_date=timezone.make_aware(datetime.datetime(2025, 3, 15, 10, 0))
    )
    client.force_login(district_staff)
    rows = _csv(client, date_from="2025-03-15", date_to="2025-03-15")
    assert [(r["记录"], r["时间"]) for r in rows] == [("修建村道", "2025-03-15 10:00:00")]
    assert _csv(client, date_from="2025-03-16", date_to="2025-12-31") == []


def test_deleted_records_stay_in_the_log(client, district_staff, committee_xinghua, xinghua):
    record = FACTORIES["consultation.implementationupdate"][0](xinghua, committee_xinghua)
    pk = record.pk
    record._change_reason = "误录，删除"
    record.delete()
    client.force_login(district_staff)
    rows = _csv(client, change_type="-")
    assert [(r["记录"], r["原因"], r["记录编号"]) for r in rows] == [
        (record.agenda.title, "误录，删除", str(pk))
    ]


def test_listing_is_paginated_and_links_each_row_to_its_history(client, district_staff):
    client.force_login(district_staff)
    response = client.get(AUDIT)
    assert response.status_code == 200
    assert response.context["paginator"].count == _visible_total()
    assert len(response.context["object_list"]) == 50
    html = response.content.decode()
    assert "/admin/review/history/" in html
    assert "export=csv" in html and "export=xlsx" in html  # the header's download buttons
    second = client.get(AUDIT, {"p": 2})
    assert (
        second.context["object_list"][0].history_date
        <= response.context["object_list"][-1].history_date
    )
    results = client.get("/admin/review/audit/results/", {"model": "consultation.decision"})
    assert results.status_code == 200 and "四议两公开" in results.content.decode()


def _count(client, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(AUDIT, params).status_code == 200
    return len(ctx)


def _one_of_each(community, user) -> None:
    for key, (make, field, value, _label) in FACTORIES.items():
        record = make(community, user)
        setattr(record, field, value)
        save(record, user, key)


def test_audit_listing_queries_do_not_grow_with_rows(
    client, district_staff, committee_xinghua, xinghua
):
    """Both pages hold rows of all four models (the newest rows are interleaved)."""
    client.force_login(district_staff)
    _one_of_each(xinghua, committee_xinghua)
    _count(client)
    small = _count(client, date_from="2000-01-01")
    for _ in range(10):
        _one_of_each(xinghua, committee_xinghua)
    large = _count(client, date_from="2000-01-01")
    assert large == small
