"""The whole-page cache (cms/cache.py): what it stores, what it never stores, and that every
change a page shows drops it."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from cms.cache import _LOCAL, generation
from community.models import ExperiencePage, NoticeIndexPage, NoticePage
from consultation.models import CommunityFormPage, ConsultationPage, Deliberation
from tests.community.covenant_helpers import edit_draft, make_covenant
from tests.community.test_covenant_pages import V2_TEXT, adopt

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=[0, 2**20], ids=["shared-only", "with-local-copies"])
def page_cache(settings, request):
    """Every rule holds with and without the per-process copies kept beside a shared cache."""
    settings.PAGE_CACHE_SECONDS = 300
    settings.PAGE_CACHE_CDN_SECONDS = 60
    settings.PAGE_CACHE_LOCAL_BYTES = request.param
    cache.clear()
    _LOCAL.clear()
    yield
    cache.clear()
    _LOCAL.clear()


def get(client, url, **headers):
    return client.get(url, headers=headers)


def state(response) -> str | None:
    return response.headers.get("X-Page-Cache")


def test_anonymous_page_is_stored_then_served_with_validators_a_cdn_can_follow(client):
    first, second = get(client, "/liuxi/xinghua/"), get(client, "/liuxi/xinghua/")
    assert (state(first), state(second)) == ("miss", "hit")
    assert first.content == second.content
    assert second["ETag"] == first["ETag"] and second["Last-Modified"]
    control = {part.strip() for part in second["Cache-Control"].split(",")}
    assert control == {"public", "max-age=0", "s-maxage=60"}


def test_repeat_visits_get_304_by_etag_and_by_date(client):
    first = get(client, "/liuxi/")
    assert get(client, "/liuxi/", if_none_match=first["ETag"]).status_code == 304
    assert get(client, "/liuxi/", if_modified_since=first["Last-Modified"]).status_code == 304
    assert get(client, "/liuxi/", if_none_match='"other"').status_code == 200


def test_api_responses_are_cached_but_not_for_bearer_tokens(client, xinghua):
    url = f"/api/v3/pages/{xinghua.pk}/"
    assert [state(get(client, url)) for _ in range(2)] == ["miss", "hit"]
    assert state(get(client, url, authorization="Bearer abc")) is None


def test_logged_in_users_never_get_or_fill_the_cache(client, committee_xinghua):
    get(client, "/liuxi/xinghua/")  # stored for anonymous visitors
    client.force_login(committee_xinghua)
    for _ in range(2):
        response = get(client, "/liuxi/xinghua/")
        assert state(response) is None
        assert "private" in response["Cache-Control"]


def test_a_form_page_with_its_csrf_token_is_never_stored(client):
    form = CommunityFormPage.objects.live().first()
    for _ in range(2):
        response = get(client, form.url)
        assert b"csrfmiddlewaretoken" in response.content
        assert state(response) is None
        assert "private" in response["Cache-Control"]
    assert not [k for k in cache._cache if "pagecache:" in k and ":generation" not in k]


def test_admin_errors_and_other_methods_are_not_stored(client, superuser):
    assert state(get(client, "/no-such-page/")) is None
    assert state(get(client, "/no-such-page/")) is None
    assert state(client.head("/liuxi/")) is None  # a HEAD is answered, never stored
    assert state(get(client, "/liuxi/")) == "miss"
    client.force_login(superuser)
    assert state(get(client, "/admin/")) is None


def test_publish_drops_cached_pages_everywhere(client, liuxi):
    assert "柳溪镇" in get(client, "/").content.decode()
    liuxi.title = "柳溪新镇"
    liuxi.save_revision().publish()
    response = get(client, "/")
    assert state(response) == "miss" and "柳溪新镇" in response.content.decode()


def test_unpublish_drops_the_page(client, liuxi):
    page = Page.objects.get(url_path__endswith="/liuxi/nanshan/")
    assert get(client, "/liuxi/nanshan/").status_code == 200
    page.specific.unpublish()
    assert get(client, "/liuxi/nanshan/").status_code == 404


def test_move_drops_both_old_and_new_places(client, liuxi, dongcheng):
    nanshan = Page.objects.get(url_path__endswith="/liuxi/nanshan/")
    assert get(client, "/liuxi/nanshan/").status_code == 200
    get(client, "/dongcheng/")
    nanshan.move(dongcheng, pos="last-child")
    assert get(client, "/liuxi/nanshan/").status_code == 301  # Wagtail's automatic redirect
    assert "南山村" in get(client, "/dongcheng/").content.decode()


def test_delete_drops_the_page(client):
    index = NoticeIndexPage.objects.get(url_path__endswith="/dongcheng/yinxing/notices/")
    notice = NoticePage.objects.child_of(index).live().first()
    assert get(client, notice.url).status_code == 200
    notice.delete()
    assert get(client, notice.url).status_code == 404


def test_publishing_a_deliberation_shows_on_the_cached_agenda(client, shiqiao, committee_shiqiao):
    agenda = (
        ConsultationPage.objects.descendant_of(shiqiao)
        .live()
        .filter(deliberations__isnull=True, starts_at__isnull=False)
        .first()
    )
    assert "经协商，同意缓建" not in get(client, agenda.url).content.decode()
    record = Deliberation(
        agenda=agenda, held_at=timezone.now(), chair="王", recorder="周", outcome="经协商，同意缓建"
    )
    record.save()
    record.publish(committee_shiqiao)
    assert "经协商，同意缓建" in get(client, agenda.url).content.decode()


def test_a_new_covenant_version_shows_on_the_cached_page(
    client, shiqiao, committee_shiqiao, reviewer_liuxi
):
    covenant = make_covenant(shiqiao, committee_shiqiao)
    adopt(covenant, committee_shiqiao, reviewer_liuxi, "2023年版", 2023)
    assert "实行垃圾分类" not in get(client, covenant.url).content.decode()
    get(client, f"{covenant.url}versions/")
    edit_draft(covenant, committee_shiqiao, V2_TEXT)
    adopt(covenant, committee_shiqiao, reviewer_liuxi, "2026年修订", 2026)
    assert "实行垃圾分类" in get(client, covenant.url).content.decode()
    assert "2026年修订" in get(client, f"{covenant.url}versions/").content.decode()


def test_a_page_made_private_is_no_longer_served_from_the_cache(client):
    page = Page.objects.get(url_path__endswith="/liuxi/xinghua/")
    assert get(client, "/liuxi/xinghua/").status_code == 200
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert get(client, "/liuxi/xinghua/").status_code == 302


def test_featuring_an_experience_drops_the_listing(client, district_staff):
    from community.models import ExperienceFeature, ExperienceIndexPage

    index = ExperienceIndexPage.objects.live().first()
    experience = ExperiencePage.objects.live().exclude(feature__isnull=False).first()
    get(client, index.url)
    before = generation()
    ExperienceFeature.objects.create(page=experience, featured_by=district_staff)
    assert generation() > before
    assert state(get(client, index.url)) == "miss"


def test_invalidation_repeats_when_the_transaction_commits(
    liuxi, django_capture_on_commit_callbacks
):
    start = generation()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        liuxi.save_revision().publish()
        assert generation() > start
        during = generation()
    assert callbacks and generation() > during


def test_the_notice_board_moves_a_notice_to_past_at_midnight(client, monkeypatch, yinxing):
    today = timezone.localdate()
    index = NoticeIndexPage.objects.child_of(yinxing).get()
    notice = NoticePage(
        title="今天最后一天的公示",
        slug="last-day",
        display_from=today - datetime.timedelta(days=14),
        display_until=today,
        first_published_at=timezone.now() - datetime.timedelta(days=14),  # put up on its first day
    )
    index.add_child(instance=notice)
    notice.save_revision().publish()
    html = get(client, index.url).content.decode()
    assert html.index("今天最后一天的公示") < html.index("往期公示")
    assert state(get(client, index.url)) == "hit"
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today + datetime.timedelta(days=1))
    response = get(client, index.url)
    assert state(response) == "miss"
    html = response.content.decode()
    assert html.index("往期公示") < html.index("今天最后一天的公示")


def test_entries_expire_after_page_cache_seconds(client, settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 1
    assert state(get(client, "/liuxi/")) == "miss"
    assert state(get(client, "/liuxi/")) == "hit"
    import time

    now, later = time.time(), time.monotonic()
    monkeypatch.setattr("django.core.cache.backends.locmem.time.time", lambda: now + 2)
    monkeypatch.setattr("cms.cache.time.monotonic", lambda: later + 2)
    assert state(get(client, "/liuxi/")) == "miss"


def test_off_when_page_cache_seconds_is_zero(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    assert state(get(client, "/liuxi/")) is None
    assert state(get(client, "/liuxi/")) is None
