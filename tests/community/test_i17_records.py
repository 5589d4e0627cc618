"""Issue 17: opinions on the review desk (history, audit log), their export through the one
writer, and the committee told of new online opinions once a day."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from community import opinions
from community.models import Notification, Opinion
from tests.community.covenant_helpers import freeze_today
from tests.community.desk_opinion_helpers import TODAY, open_revision, resident_opinion
from tests.community.review.helpers import history_url

pytestmark = pytest.mark.django_db
ORIGINAL = "我是张三，电话13812341234，建议拴养。"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    freeze_today(monkeypatch, TODAY)


@pytest.fixture
def revision(shiqiao, committee_shiqiao):
    return open_revision(shiqiao, committee_shiqiao)


@pytest.fixture
def moderated(revision, committee_shiqiao):
    opinion = resident_opinion(revision, text=ORIGINAL, name="张三", mobile="13812341234")
    opinions.redact(opinion, committee_shiqiao, "建议拴养。")
    opinions.approve(opinion, committee_shiqiao)
    opinions.answer(
        opinion, committee_shiqiao, answer="adopted", reason="已写入。", adopted_in="a5"
    )
    return opinion


@pytest.mark.parametrize("who", ["reviewer_liuxi", "district_staff", "committee_shiqiao"])
def test_history_never_shows_name_mobile_or_original_text(client, request, moderated, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(history_url(moderated))
    html = response.content.decode()
    assert response.status_code == 200
    assert "删改公开的意见内容" in html and "答复：采纳" in html
    assert "张三" not in html and "13812341234" not in html


def test_audit_log_lists_moderation_and_answers(client, moderated, district_staff):
    client.force_login(district_staff)
    html = client.get(reverse("review_audit"), {"model": "community.opinion"}).content.decode()
    for reason in ("居民提意见", "删改公开的意见内容", "审核通过，公开", "答复：采纳"):
        assert reason in html
    assert "13812341234" not in html


def _export(client, revision) -> list[list[str]]:
    url = reverse("community_opinions", args=(revision.pk,))
    response = client.get(url, {"export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_committee_export_has_the_residents_contact(client, moderated, committee_shiqiao):
    client.force_login(committee_shiqiao)
    header, row = _export(client, moderated.revision)
    values = dict(zip(header, row, strict=True))
    assert values["姓名"] == "张三" and values["手机号码"] == "13812341234"
    assert values["意见原文"] == ORIGINAL and values["公开的意见内容"] == "建议拴养。"
    assert values["答复"] == "采纳" and values["采纳于条文"] == "第五条"


@pytest.mark.parametrize("who", ["reviewer_liuxi", "district_staff"])
def test_desk_export_has_no_personal_data(client, request, moderated, who):
    resident_opinion(moderated.revision, text="待审核：李四 13900001111")
    client.force_login(request.getfixturevalue(who))
    rows = _export(client, moderated.revision)
    assert "姓名" not in rows[0] and "意见原文" not in rows[0]
    flat = "".join(cell for row in rows for cell in row)
    assert "张三" not in flat and "13812341234" not in flat and "李四" not in flat
    assert "建议拴养。" in flat


def test_export_neutralises_formulas(client, revision, committee_shiqiao):
    resident_opinion(revision, text='=HYPERLINK("http://x","点")', status=Opinion.Status.APPROVED)
    client.force_login(committee_shiqiao)
    header, row = _export(client, revision)
    assert dict(zip(header, row, strict=True))["公开的意见内容"].startswith("'=")


# The committee is told


def _notes(user):
    return Notification.objects.filter(recipient=user, kind=Notification.Kind.OPINION_RECEIVED)


def test_committee_told_once_a_day_of_online_opinions(revision, committee_shiqiao):
    resident_opinion(revision)
    resident_opinion(revision, "a1")
    assert _notes(committee_shiqiao).count() == 1
    note = _notes(committee_shiqiao).get()
    assert note.link == reverse("community_opinions", args=(revision.pk,))
    assert "收到居民意见" in note.message
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    resident_opinion(revision, received_at=tomorrow)
    assert _notes(committee_shiqiao).count() == 2


def test_offline_opinions_notify_nobody(revision, committee_shiqiao):
    opinions.enter_offline(
        revision, committee_shiqiao, source="box", received_on=TODAY, article_id="", text="意见箱"
    )
    assert not _notes(committee_shiqiao).exists()


@pytest.mark.parametrize("who", ["reviewer_liuxi", "district_staff"])
def test_history_of_an_opinion_not_published_shows_no_text_beyond_the_committee(
    client, request, revision, committee_shiqiao, who
):
    opinion = resident_opinion(revision, text="广告：某某狗粮批发。")
    opinions.redact(opinion, committee_shiqiao, "某某狗粮批发，电话另询。")
    opinions.reject(opinion, committee_shiqiao, "advertising")
    first, *_, last = opinion.history.order_by("history_date", "history_id")
    whole = {"from": first.history_id, "to": last.history_id}  # the diff across every change
    client.force_login(request.getfixturevalue(who))
    html = client.get(history_url(opinion), whole).content.decode()
    assert "不予公开：广告" in html
    assert "狗粮" not in html
    client.force_login(committee_shiqiao)
    assert "某某狗粮批发，电话另询。" in client.get(history_url(opinion), whole).content.decode()
