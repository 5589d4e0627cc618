"""A version is in force from its 施行日期 (issue 14 item 6): before that day the page, the versions
list, the print view and the API say the earlier version is in force and that the new one 将于……施行;
filing and publication dates cannot be in the future, and the procedure's dates keep their order."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.cache import _LOCAL
from cms.search import search
from community import transitions as t
from community.forms import FilingForm, PublishForm
from community.models import CovenantRevision
from community.steps import ProcedureError
from tests.community.covenant_helpers import (
    article,
    chapter,
    edit_draft,
    freeze_today,
    good_vote,
    make_covenant,
)
from tests.community.test_covenant_pages import V2_TEXT

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 12, 1)
EFFECTIVE = D(2027, 1, 1)


def voted(covenant, committee, reviewer, year, month=5):
    """A revision voted on `year`-`month`-01, ready to be filed."""
    rev = t.start_revision(
        covenant, committee, reason=f"{year}年修订", started_on=D(year, month - 3, 1)
    )
    t.begin_drafting(rev, committee)
    t.submit_for_review(rev, committee, submitted_on=D(year, month - 2, 1))
    t.review(rev, reviewer, passed=True, opinion="合法", reviewed_on=D(year, month - 2, 10))
    t.record_vote(
        rev,
        committee,
        **good_vote(meeting_date=D(year, month, 1), notice_date=D(year, month - 1, 20)),
    )
    return rev


def adopt(covenant, committee, reviewer, label, year, month=5, effective_on=None):
    rev = voted(covenant, committee, reviewer, year, month)
    t.record_filing(
        rev, reviewer, authority="柳溪镇人民政府", number=f"柳民备〔{year}〕1号",
        filed_on=D(year, month, 5),
    )  # fmt: skip
    return t.publish_adopted_revision(
        rev, committee, version_label=label, published_on=D(year, month, 8),
        effective_on=effective_on,
    )  # fmt: skip


@pytest.fixture
def upcoming(monkeypatch, shiqiao, committee_shiqiao, reviewer_liuxi):
    """2023年版 in force; 2026年修订 公布 on 2026-11-08, 施行 from 2027-01-01; today 2026-12-01."""
    freeze_today(monkeypatch, TODAY)
    covenant = make_covenant(shiqiao, committee_shiqiao)
    v1 = adopt(covenant, committee_shiqiao, reviewer_liuxi, "2023年版", 2023)
    edit_draft(covenant, committee_shiqiao, V2_TEXT)
    v2 = adopt(
        covenant, committee_shiqiao, reviewer_liuxi, "2026年修订", 2026, 11, effective_on=EFFECTIVE
    )
    covenant.refresh_from_db()
    return covenant, v1, v2


OLD, NEW = "婚事宴席不超过二十桌", "婚事宴席不超过十五桌"


# ---- the rule ----


def test_a_version_is_in_force_from_its_effective_date_not_before(upcoming, monkeypatch):
    covenant, v1, v2 = upcoming
    revisions = CovenantRevision.objects.filter(covenant=covenant)
    assert revisions.in_force(on=EFFECTIVE - datetime.timedelta(days=1)) == v1
    assert revisions.in_force(on=EFFECTIVE) == v2
    assert revisions.in_force(on=D(2023, 5, 7)) is None
    assert revisions.in_force() == v1 == covenant.in_force()
    assert covenant.live_revision_id == v2.voted_revision_id  # 公布 put the new text live
    freeze_today(monkeypatch, EFFECTIVE)
    assert covenant.in_force() == v2 == revisions.in_force()


def test_without_an_effective_date_a_version_is_in_force_from_its_publication(upcoming):
    covenant, v1, _ = upcoming
    CovenantRevision.objects.filter(pk=v1.pk).update(effective_on=None)
    revisions = CovenantRevision.objects.filter(covenant=covenant)
    assert revisions.in_force(on=D(2023, 5, 8)) == v1
    assert revisions.in_force(on=D(2023, 5, 7)) is None


# ---- what the public sees ----


def test_the_page_shows_the_text_in_force_and_announces_the_new_version(client, upcoming):
    covenant, _, v2 = upcoming
    html = client.get(covenant.url).content.decode()
    assert "现行版本：2023年版" in html and "2023年5月8日起施行" in html
    assert OLD in html and NEW not in html and "实行垃圾分类" not in html
    assert "2026年修订" in html and "于2026年11月8日公布" in html
    assert "将于2027年1月1日施行" in html
    assert f'href="{covenant.url}versions/{v2.pk}/"' in html


def test_from_the_effective_date_the_page_shows_the_new_version(client, upcoming, monkeypatch):
    covenant, *_ = upcoming
    freeze_today(monkeypatch, EFFECTIVE)
    html = client.get(covenant.url).content.decode()
    assert "现行版本：2026年修订" in html and "2027年1月1日起施行" in html
    assert NEW in html and OLD not in html and "将于" not in html


def test_the_versions_list_marks_the_version_in_force_and_the_upcoming_one(client, upcoming):
    covenant, *_ = upcoming
    html = client.get(covenant.url + "versions/").content.decode()
    new, old = html.index("2026年修订</a>"), html.index("2023年版</a>")
    assert new < old
    assert '<span class="badge">将于2027年1月1日施行</span>' in html[new:old]
    assert '<span class="badge">现行</span>' in html[old:]
    assert "现行" not in html[new:old].replace("现行版本", "")


def test_each_version_page_says_where_it_stands(client, upcoming, monkeypatch):
    covenant, v1, v2 = upcoming
    new = client.get(covenant.url + f"versions/{v2.pk}/").content.decode()
    assert NEW in new and "尚未施行" in new and "将于2027年1月1日施行" in new
    assert "现行版本为2023年版" in new
    old = client.get(covenant.url + f"versions/{v1.pk}/").content.decode()
    assert OLD in old and "此为历史版本" not in old and "尚未施行" not in old
    freeze_today(monkeypatch, EFFECTIVE)
    old = client.get(covenant.url + f"versions/{v1.pk}/").content.decode()
    assert "此为历史版本，现行版本为2026年修订" in old


def test_the_print_view_prints_the_text_in_force(client, upcoming):
    covenant, *_ = upcoming
    html = client.get(covenant.url + "print/").content.decode()
    assert OLD in html and NEW not in html
    assert "现行版本：2023年版" in html and "将于2027年1月1日施行" in html


def test_the_api_says_which_version_is_in_force(client, upcoming, monkeypatch):
    covenant, v1, v2 = upcoming
    data = client.get(f"/api/v3/covenants/{covenant.pk}/versions/").json()
    assert [(v["id"], v["in_force"], v["status"]) for v in data] == [
        (v2.pk, False, "upcoming"),
        (v1.pk, True, "in_force"),
    ]
    page = client.get(f"/api/v3/pages/{covenant.pk}/").json()
    assert page["current_version"]["id"] == v1.pk
    assert page["upcoming_version"]["id"] == v2.pk
    assert page["upcoming_version"]["effective_on"] == "2027-01-01"
    assert OLD in str(page["numbered_text"]) and NEW not in str(page["numbered_text"])
    freeze_today(monkeypatch, EFFECTIVE)
    data = client.get(f"/api/v3/covenants/{covenant.pk}/versions/").json()
    assert [(v["in_force"], v["status"]) for v in data] == [
        (True, "in_force"),
        (False, "superseded"),
    ]
    page = client.get(f"/api/v3/pages/{covenant.pk}/").json()
    assert page["current_version"]["id"] == v2.pk and page["upcoming_version"] is None


def test_a_first_version_not_yet_in_force_is_shown_as_such(
    client, monkeypatch, shiqiao, committee_shiqiao, reviewer_liuxi
):
    freeze_today(monkeypatch, TODAY)
    covenant = make_covenant(shiqiao, committee_shiqiao)
    v1 = adopt(
        covenant, committee_shiqiao, reviewer_liuxi, "2026年版", 2026, 11, effective_on=EFFECTIVE
    )
    covenant.refresh_from_db()
    assert covenant.in_force() is None
    html = client.get(covenant.url).content.decode()
    assert "尚未施行" in html and "将于2027年1月1日施行" in html and OLD in html
    assert "现行版本" not in html
    versions = client.get(covenant.url + "versions/").content.decode()
    assert '<span class="badge">将于2027年1月1日施行</span>' in versions
    data = client.get(f"/api/v3/covenants/{covenant.pk}/versions/").json()
    assert [(v["id"], v["in_force"], v["status"]) for v in data] == [(v1.pk, False, "upcoming")]
    assert client.get(f"/api/v3/pages/{covenant.pk}/").json()["current_version"] is None


def test_the_earlier_text_costs_a_bounded_number_of_queries(client, upcoming, monkeypatch):
    covenant, *_ = upcoming

    def count(url):
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = [count(covenant.url), count(covenant.url + "print/")]
    freeze_today(monkeypatch, EFFECTIVE)
    after = [count(covenant.url), count(covenant.url + "print/")]
    assert [b - a for a, b in zip(after, before, strict=True)] == [1, 1]  # the voted text


# ---- the cache turns over at midnight ----


def test_a_cached_page_made_the_day_before_is_not_served_on_the_effective_date(
    client, settings, upcoming, monkeypatch
):
    settings.PAGE_CACHE_SECONDS = 300
    settings.PAGE_CACHE_CDN_SECONDS = 60
    cache.clear()
    _LOCAL.clear()
    covenant, *_ = upcoming
    freeze_today(monkeypatch, EFFECTIVE - datetime.timedelta(days=1))
    first, second = client.get(covenant.url), client.get(covenant.url)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert OLD in second.content.decode()
    freeze_today(monkeypatch, EFFECTIVE)
    response = client.get(covenant.url)
    assert response["X-Page-Cache"] == "miss"
    assert NEW in response.content.decode() and "将于" not in response.content.decode()
    cache.clear()
    _LOCAL.clear()


# ---- the dates of 备案 and 公布 ----


def _violation(excinfo):
    (violation,) = excinfo.value.violations
    return violation.code, violation.field, violation.message


def test_a_filing_date_in_the_future_is_refused(
    monkeypatch, shiqiao, committee_shiqiao, reviewer_liuxi
):
    freeze_today(monkeypatch, TODAY)
    covenant = make_covenant(shiqiao, committee_shiqiao)
    rev = voted(covenant, committee_shiqiao, reviewer_liuxi, 2026, 11)
    with pytest.raises(ProcedureError) as excinfo:
        t.record_filing(
            rev, reviewer_liuxi, authority="柳溪镇人民政府", number="1", filed_on=D(2026, 12, 5)
        )
    code, field, message = _violation(excinfo)
    assert (code, field) == ("date_in_future", "filed_on")
    assert message == "备案日期 2026年12月5日 晚于今天（2026年12月1日），不能预先登记。"
    t.record_filing(rev, reviewer_liuxi, authority="柳溪镇人民政府", number="1", filed_on=TODAY)


def test_a_publication_date_in_the_future_is_refused(
    monkeypatch, shiqiao, committee_shiqiao, reviewer_liuxi
):
    freeze_today(monkeypatch, TODAY)
    covenant = make_covenant(shiqiao, committee_shiqiao)
    rev = voted(covenant, committee_shiqiao, reviewer_liuxi, 2026, 11)
    t.record_filing(
        rev, reviewer_liuxi, authority="柳溪镇人民政府", number="1", filed_on=D(2026, 11, 5)
    )
    with pytest.raises(ProcedureError) as excinfo:
        t.publish_adopted_revision(
            rev, committee_shiqiao, version_label="2026年版", published_on=D(2026, 12, 6)
        )
    code, field, message = _violation(excinfo)
    assert (code, field) == ("date_in_future", "published_on")
    assert "公布日期 2026年12月6日 晚于今天（2026年12月1日）" in message
    covenant.refresh_from_db()
    assert covenant.live is False
    t.publish_adopted_revision(rev, committee_shiqiao, version_label="2026年版", published_on=TODAY)
    assert rev.effective_on == TODAY


def test_the_dates_keep_their_order(monkeypatch, shiqiao, committee_shiqiao, reviewer_liuxi):
    """vote ≤ 备案 ≤ 公布 ≤ 施行; a 施行日期 later than today is allowed."""
    freeze_today(monkeypatch, TODAY)
    covenant = make_covenant(shiqiao, committee_shiqiao)
    rev = voted(covenant, committee_shiqiao, reviewer_liuxi, 2026, 11)  # voted 2026-11-01
    with pytest.raises(ProcedureError) as excinfo:
        t.record_filing(
            rev, reviewer_liuxi, authority="柳溪镇人民政府", number="1", filed_on=D(2026, 10, 31)
        )
    assert _violation(excinfo)[:2] == ("filing_before_vote", "filed_on")
    t.record_filing(
        rev, reviewer_liuxi, authority="柳溪镇人民政府", number="1", filed_on=D(2026, 11, 5)
    )
    with pytest.raises(ProcedureError) as excinfo:
        t.publish_adopted_revision(
            rev, committee_shiqiao, version_label="v", published_on=D(2026, 11, 4)
        )
    assert _violation(excinfo)[:2] == ("date_order", "published_on")
    with pytest.raises(ProcedureError) as excinfo:
        t.publish_adopted_revision(
            rev, committee_shiqiao, version_label="v", published_on=D(2026, 11, 8),
            effective_on=D(2026, 11, 7),
        )  # fmt: skip
    code, field, message = _violation(excinfo)
    assert (code, field) == ("date_order", "effective_on")
    assert message == "施行日期 2026年11月7日 早于公布日期 2026年11月8日。"
    t.publish_adopted_revision(
        rev, committee_shiqiao, version_label="v", published_on=D(2026, 11, 8),
        effective_on=EFFECTIVE,
    )  # fmt: skip
    assert (rev.published_on, rev.effective_on) == (D(2026, 11, 8), EFFECTIVE)


def test_the_publish_form_shows_the_refused_date_on_its_field(
    monkeypatch, shiqiao, committee_shiqiao, reviewer_liuxi
):
    freeze_today(monkeypatch, TODAY)
    covenant = make_covenant(shiqiao, committee_shiqiao)
    rev = voted(covenant, committee_shiqiao, reviewer_liuxi, 2026, 11)
    t.record_filing(
        rev, reviewer_liuxi, authority="柳溪镇人民政府", number="1", filed_on=D(2026, 11, 5)
    )
    form = PublishForm(
        {"version_label": "v", "published_on": "2026-12-06", "effective_on": ""}, revision=rev
    )
    assert 'max="2026-12-01"' in str(form["published_on"])
    assert 'max="2026-12-01"' in str(FilingForm(revision=rev)["filed_on"])
    assert form.is_valid()
    with pytest.raises(ProcedureError) as excinfo:
        t.publish_adopted_revision(rev, committee_shiqiao, **form.cleaned_data)
    excinfo.value.apply_to(form)
    assert "晚于今天" in form.errors["published_on"][0]
    assert timezone.localdate() == TODAY


# ---- search ----


def test_search_finds_the_text_in_force_before_and_after_the_effective_date(upcoming, monkeypatch):
    covenant, *_ = upcoming

    def exact(query):
        return [hit.url for hit in search(query) if hit.exact and hit.page.pk == covenant.pk]

    assert exact("不超过二十桌") == [f"{covenant.url}#第三条"]
    assert exact("实行垃圾分类") == []
    freeze_today(monkeypatch, EFFECTIVE)  # no reindex: the index holds both texts
    assert exact("实行垃圾分类") == [f"{covenant.url}#第四条"]
    assert exact("不超过十五桌") == [f"{covenant.url}#第三条"]
    assert exact("不超过二十桌") == []


def test_a_preview_shows_the_draft_not_the_text_in_force(upcoming, committee_shiqiao):
    covenant, *_ = upcoming
    edit_draft(
        covenant, committee_shiqiao, [chapter("c9", "新章", article("n1", "草案里的新条文"))]
    )
    draft = covenant.get_latest_revision_as_object()
    html = draft.make_preview_request().content.decode()
    assert "草案里的新条文" in html and OLD not in html
