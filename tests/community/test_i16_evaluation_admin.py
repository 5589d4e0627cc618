"""民主评议 in the admin, the public page and the API: the supervision committee opens and records an
evaluation (everyone else gets 403, the community's own committee included); reviewers and the
district read the list with its flags; residents read published results only."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.evaluations import save_results
from community.models import CommunityPage, Evaluation, Role
from community.procedures import MeetingKind

pytestmark = pytest.mark.django_db
D = datetime.date
LAST_YEAR = datetime.date.today().year - 1


@pytest.fixture
def supervisor_xinghua(xinghua):
    user = get_user_model().objects.create_user("jiandu_test", password="x", last_name="监")
    user.groups.add(Role.objects.get(kind=Role.Kind.SUPERVISOR, page=xinghua).group)
    return user


def meeting_post(**extra):
    data = {
        "meeting_kind": MeetingKind.VILLAGE_REPRESENTATIVES,
        "meeting_date": "2024-12-10",
        "notice_date": "",
        "short_notice_reason": "",
        "eligible": "45",
        "present": "40",
        "women_present": "15",
        "households": "",
        "households_represented": "",
        "published_on": "",
        "ratings-TOTAL_FORMS": "2",
        "ratings-INITIAL_FORMS": "0",
        "ratings-MIN_NUM_FORMS": "0",
        "ratings-MAX_NUM_FORMS": "1000",
    }
    rows = [
        ("赵大勇", "主任", "member", "30", "8", "2"),
        ("钱小红", "报账员", "hired", "20", "15", "5"),
    ]
    for n, row in enumerate(rows):
        for name, value in zip(
            ("name", "post", "kind", "competent", "basic", "incompetent"), row, strict=True
        ):
            data[f"ratings-{n}-{name}"] = value
    data.update(extra)
    return data


def test_the_supervision_committee_opens_and_records_an_evaluation(
    client, xinghua, supervisor_xinghua
):
    client.force_login(supervisor_xinghua)
    response = client.post(f"/admin/evaluations/open/{xinghua.pk}/", {"year": "2024"})
    evaluation = Evaluation.objects.get(community=xinghua, year=2024)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/evaluations/{evaluation.pk}/edit/"
    response = client.post(f"/admin/evaluations/{evaluation.pk}/edit/", meeting_post())
    assert response.status_code == 302, response.content.decode()[:3000]
    ratings = {r.name: r.get_rating_display() for r in evaluation.ratings.all()}
    assert ratings == {"赵大勇": "称职", "钱小红": "基本称职"}
    row = evaluation.history.latest()
    assert row.history_user == supervisor_xinghua
    detail = client.get(f"/admin/evaluations/{evaluation.pk}/").content.decode()
    assert "赵大勇" in detail and "基本称职" in detail


def test_a_second_evaluation_of_a_year_is_refused(client, xinghua, supervisor_xinghua):
    client.force_login(supervisor_xinghua)
    response = client.post(f"/admin/evaluations/open/{xinghua.pk}/", {"year": str(LAST_YEAR)})
    assert response.status_code == 200
    assert f"已有{LAST_YEAR}年度的民主评议" in response.content.decode()


@pytest.mark.parametrize(
    "year, message",
    [
        ("1999", "不能早于 2000 年"),
        ("２０２４", None),
        ("=1+1", "四位数的年份"),
        ("2999", "不能晚于今年"),
        ("", "请填写评议年度"),
    ],
)
def test_the_year_is_checked(client, xinghua, supervisor_xinghua, year, message):
    client.force_login(supervisor_xinghua)
    response = client.post(f"/admin/evaluations/open/{xinghua.pk}/", {"year": year})
    if message is None:  # full-width digits are the same number
        assert Evaluation.objects.filter(community=xinghua, year=2024).exists()
    else:
        assert message in response.content.decode()


def test_bad_tallies_get_chinese_messages_and_lose_nothing(client, xinghua, supervisor_xinghua):
    client.force_login(supervisor_xinghua)
    evaluation = Evaluation.objects.create(community=xinghua, year=2024)
    url = f"/admin/evaluations/{evaluation.pk}/edit/"
    cases = {
        "ratings-0-competent": ("39", "合计 49 票，超过到会人数 40 人"),
        "ratings-0-basic": ("-1", "票数不能为负数"),
        "ratings-1-incompetent": ("=1+1", "请填写整数"),
        "present": ("29", "三分之二"),
        "ratings-0-name": ("赵\x00大勇", None),
        "ratings-1-post": ("长" * 100_000, "最多 40 个字"),
    }
    for field, (value, message) in cases.items():
        response = client.post(url, meeting_post(**{field: value}))
        assert response.status_code == 200, field
        if message:
            assert message in response.content.decode(), field
        assert not evaluation.ratings.exists()


def test_the_form_offers_last_years_people(client, xinghua, supervisor_xinghua):
    client.force_login(supervisor_xinghua)
    evaluation = Evaluation.objects.create(community=xinghua, year=datetime.date.today().year)
    page = client.get(f"/admin/evaluations/{evaluation.pk}/edit/").content.decode()
    assert 'value="李秀兰"' in page and 'value="钱永康"' in page


@pytest.mark.parametrize(
    "who", ["committee_xinghua", "reviewer_liuxi", "district_staff", "committee_shiqiao"]
)
def test_only_the_supervision_committee_may_open_or_record(request, client, xinghua, who):
    client.force_login(request.getfixturevalue(who))
    evaluation = Evaluation.objects.get(community=xinghua, year=LAST_YEAR)
    opened = client.post(f"/admin/evaluations/open/{xinghua.pk}/", {"year": "2024"})
    edited = client.post(f"/admin/evaluations/{evaluation.pk}/edit/", meeting_post())
    expected = 404 if who == "committee_shiqiao" else 403  # another village's: not even seen
    assert (opened.status_code, edited.status_code) == (expected, expected)
    assert not Evaluation.objects.filter(community=xinghua, year=2024).exists()


def test_another_villages_supervisor_is_refused(client, shiqiao, supervisor_xinghua):
    client.force_login(supervisor_xinghua)
    assert (
        client.post(f"/admin/evaluations/open/{shiqiao.pk}/", {"year": "2024"}).status_code == 404
    )


def test_the_site_administrator_may_record(client, xinghua, superuser):
    client.force_login(superuser)
    assert (
        client.post(f"/admin/evaluations/open/{xinghua.pk}/", {"year": "2024"}).status_code == 302
    )


def test_the_township_reviewer_reads_its_communities_with_the_flags(
    client, xinghua, reviewer_liuxi, yinxing
):
    fail = {
        "name": "赵大勇",
        "post": "委员",
        "kind": "member",
        "competent": 5,
        "basic": 10,
        "incompetent": 25,
    }
    for year in (2022, 2023):
        save_results(
            Evaluation.objects.create(community=xinghua, year=year), None,
            {"meeting_kind": MeetingKind.VILLAGE_REPRESENTATIVES, "meeting_date": D(year, 12, 1), "eligible": 45, "present": 40},
            [fail],
        )  # fmt: skip
    client.force_login(reviewer_liuxi)
    page = client.get("/admin/evaluations/").content.decode()
    assert "杏花村" in page and "石桥村" in page and "银杏社区" not in page
    assert "职务终止" in page and "第三十三条第二款" in page
    assert "开启评议" not in page  # reading only


def test_the_desk_list_takes_the_same_queries_for_every_community(client, district_staff):
    client.force_login(district_staff)
    client.get("/admin/evaluations/")
    with CaptureQueriesContext(connection) as before:
        client.get("/admin/evaluations/")
    for community in CommunityPage.objects.all():
        for year in range(2010, 2020):
            Evaluation.objects.get_or_create(community=community, year=year)
    with CaptureQueriesContext(connection) as after:
        response = client.get("/admin/evaluations/")
    assert response.status_code == 200
    assert len(after.captured_queries) == len(before.captured_queries) <= 16


def test_a_resident_reads_published_results_only(client, yinxing, shiqiao):
    page = client.get(yinxing.url + "evaluation/")
    text = page.content.decode()
    assert page.status_code == 200
    assert f"{LAST_YEAR}年度" in text and "陈晓燕" in text and "称职" in text
    assert "称职 " in text and "票" in text
    assert "民主评议结果" in client.get(yinxing.url).content.decode()
    unpublished = client.get(shiqiao.url + "evaluation/").content.decode()
    assert "王建国" not in unpublished and "暂无公布的民主评议结果" in unpublished


def test_the_api_serves_published_results(client, yinxing, shiqiao):
    response = client.get(f"/api/v3/evaluations/{yinxing.pk}/")
    assert response.status_code == 200
    first = response.json()[0]
    assert first["year"] == LAST_YEAR
    assert {r["rating"] for r in first["ratings"]} <= {"competent", "basic"}
    assert first["ratings"][0]["name"] == "陈晓燕"
    assert client.get(f"/api/v3/evaluations/{shiqiao.pk}/").json() == []
    assert client.get("/api/v3/evaluations/99999999/").status_code == 404
