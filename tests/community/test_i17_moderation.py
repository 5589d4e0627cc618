"""Issue 17: the comment window, moderation and offline opinions, from the committee's side."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from community import opinions
from community import transitions as t
from community.models import CommentWindow, CovenantPage, Opinion
from community.steps import ProcedureError
from tests.community.covenant_helpers import article, chapter, edit_draft, freeze_today
from tests.community.desk_opinion_helpers import (
    FIVE_ARTICLES,
    STARTED,
    TODAY,
    many_opinions,
    open_revision,
    resident_opinion,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    freeze_today(monkeypatch, TODAY)


@pytest.fixture
def revision(shiqiao, committee_shiqiao):
    return open_revision(shiqiao, committee_shiqiao)


def _code(excinfo) -> set[str]:
    return {v.code for v in excinfo.value.violations}


# The window


def test_window_opens_on_the_covenants_latest_saved_draft(revision):
    window = revision.comment_window
    covenant = CovenantPage.objects.get(pk=revision.covenant_id)
    assert window.draft_id == covenant.latest_revision_id
    assert window.answers_required and window.allow_anonymous and not window.publish_at_once
    assert window.history.get().history_change_reason.startswith("开始征求意见")


def test_window_refused_without_a_saved_draft(shiqiao, committee_shiqiao):
    covenant = CovenantPage(title="无草稿公约", slug="covenant", body=FIVE_ARTICLES)
    shiqiao.add_child(instance=covenant)
    CovenantPage.objects.filter(pk=covenant.pk).update(latest_revision=None)
    revision = t.start_revision(covenant, committee_shiqiao, reason="测试", started_on=STARTED)
    with pytest.raises(ProcedureError) as excinfo:
        opinions.save_window(revision, committee_shiqiao, opens_on=STARTED, closes_on=TODAY)
    assert _code(excinfo) == {"no_draft"}
    assert not CommentWindow.objects.filter(revision=revision).exists()


@pytest.mark.parametrize(
    ("opens_on", "closes_on", "field"),
    [
        (D(2026, 4, 10), D(2026, 4, 9), "closes_on"),  # closes before it opens
        (D(2026, 3, 31), D(2026, 4, 30), "opens_on"),  # before the revision started
    ],
)
def test_window_dates_are_checked(revision, committee_shiqiao, opens_on, closes_on, field):
    with pytest.raises(ProcedureError) as excinfo:
        opinions.save_window(revision, committee_shiqiao, opens_on=opens_on, closes_on=closes_on)
    assert [v.field for v in excinfo.value.violations] == [field]


def test_window_refused_once_the_draft_is_submitted(revision, committee_shiqiao):
    t.begin_drafting(revision, committee_shiqiao)
    t.submit_for_review(revision, committee_shiqiao, submitted_on=TODAY)
    with pytest.raises(ProcedureError) as excinfo:
        opinions.save_window(revision, committee_shiqiao, opens_on=STARTED, closes_on=TODAY)
    assert _code(excinfo) == {"stage"}


def test_window_dates_change_with_history(revision, committee_shiqiao):
    opinions.save_window(revision, committee_shiqiao, opens_on=STARTED, closes_on=D(2026, 6, 30))
    window = CommentWindow.objects.get(revision=revision)
    assert window.closes_on == D(2026, 6, 30)
    assert window.history.count() == 2


def _newer_draft(revision, committee):
    body = [*FIVE_ARTICLES, chapter("c3", "附则", article("a6", "本公约自通过之日起施行。"))]
    edit_draft(CovenantPage.objects.get(pk=revision.covenant_id), committee, body)


def test_window_points_at_a_newer_draft_while_open_and_opinions_keep_theirs(
    revision, committee_shiqiao
):
    before = resident_opinion(revision)
    _newer_draft(revision, committee_shiqiao)
    window = opinions.save_window(
        revision, committee_shiqiao, opens_on=STARTED, closes_on=D(2026, 5, 20),
        use_latest_draft=True,
    )  # fmt: skip
    covenant = CovenantPage.objects.get(pk=revision.covenant_id)
    assert window.draft_id == covenant.latest_revision_id != before.draft_id
    before.refresh_from_db()
    assert before.draft_id != window.draft_id


def test_window_keeps_its_draft_once_closed(revision, committee_shiqiao, monkeypatch):
    _newer_draft(revision, committee_shiqiao)
    freeze_today(monkeypatch, D(2026, 6, 1))
    with pytest.raises(ProcedureError) as excinfo:
        opinions.save_window(
            revision, committee_shiqiao, opens_on=STARTED, closes_on=D(2026, 5, 20),
            use_latest_draft=True,
        )  # fmt: skip
    assert _code(excinfo) == {"window_closed"}


# Who may moderate: the committee only


@pytest.fixture(params=["reviewer_liuxi", "supervisor", "district_staff", "committee_xinghua"])
def outsider(request, shiqiao):
    if request.param == "supervisor":
        from django.contrib.auth import get_user_model

        from community.models import Role

        user = get_user_model().objects.create_user("jiandu_test")
        user.groups.add(Role.objects.get(kind=Role.Kind.SUPERVISOR, page=shiqiao).group)
        return user
    return request.getfixturevalue(request.param)


ACTIONS = {
    "approve": lambda o, u: opinions.approve(o, u),
    "reject": lambda o, u: opinions.reject(o, u, "abuse"),
    "redact": lambda o, u: opinions.redact(o, u, "已删改"),
    "answer": lambda o, u: opinions.answer(o, u, answer="explained", reason="已说明"),
    "offline": lambda o, u: opinions.enter_offline(
        o.revision, u, source="paper", received_on=TODAY, article_id="a5", text="书面意见"
    ),
    "window": lambda o, u: opinions.save_window(o.revision, u, opens_on=STARTED, closes_on=TODAY),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_only_the_committee_moderates(revision, outsider, action):
    opinion = resident_opinion(revision, status=Opinion.Status.APPROVED)
    with pytest.raises(PermissionDenied):
        ACTIONS[action](opinion, outsider)


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_the_committee_and_a_site_administrator_moderate(
    revision, committee_shiqiao, superuser, action
):
    for user in (committee_shiqiao, superuser):
        opinion = resident_opinion(revision, status=Opinion.Status.APPROVED)
        ACTIONS[action](opinion, user)


def test_reviewer_reads_the_list_but_cannot_post(client, revision, reviewer_liuxi):
    opinion = resident_opinion(revision)
    client.force_login(reviewer_liuxi)
    assert client.get(reverse("community_opinions", args=(revision.pk,))).status_code == 200
    url = reverse("community_opinion", args=(revision.pk, opinion.pk))
    assert client.get(url).status_code == 200
    refused = client.post(url, {"action": "approve"})
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")  # Wagtail's 403
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.PENDING


def test_other_township_does_not_see_the_opinions(client, revision, reviewer_dongcheng):
    client.force_login(reviewer_dongcheng)
    assert client.get(reverse("community_opinions", args=(revision.pk,))).status_code == 404


# Approve, reject, redact


def test_approve_publishes_and_records_who(revision, committee_shiqiao):
    opinion = opinions.approve(resident_opinion(revision), committee_shiqiao)
    assert opinion.status == Opinion.Status.APPROVED and opinion.moderated_by == committee_shiqiao
    assert opinion.history.latest().history_change_reason == "审核通过，公开"


@pytest.mark.parametrize("reason", ["", "rude", None])
def test_reject_needs_a_reason_from_the_list(revision, committee_shiqiao, reason):
    opinion = resident_opinion(revision)
    with pytest.raises(ProcedureError) as excinfo:
        opinions.reject(opinion, committee_shiqiao, reason)
    assert _code(excinfo) == {"reject_reason_missing"}
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.PENDING


def test_reject_with_a_reason(revision, committee_shiqiao):
    opinion = opinions.reject(resident_opinion(revision), committee_shiqiao, "advertising")
    assert (opinion.status, opinion.reject_reason) == ("rejected", "advertising")
    assert opinion.history.latest().history_change_reason == "不予公开：广告"


def test_reject_form_without_reason_shows_the_message(client, revision, committee_shiqiao):
    opinion = resident_opinion(revision)
    client.force_login(committee_shiqiao)
    url = reverse("community_opinion", args=(revision.pk, opinion.pk))
    response = client.post(url, {"action": "reject", "public_text": opinion.text})
    assert response.status_code == 200
    assert "不予公开须从列表中选择理由" in response.content.decode()


def test_redaction_keeps_the_original_and_out_of_the_history(revision, committee_shiqiao):
    opinion = resident_opinion(revision, text="我是张三，电话13812341234，建议拴养。")
    opinions.redact(opinion, committee_shiqiao, "建议拴养。")
    opinion.refresh_from_db()
    assert opinion.text == "我是张三，电话13812341234，建议拴养。"
    assert opinion.shown_text == "建议拴养。"
    row = opinion.history.latest()
    assert row.public_text == "建议拴养。" and not hasattr(row, "text")
    assert row.history_change_reason == "删改公开的意见内容"


def test_redaction_equal_to_the_original_is_no_redaction(revision, committee_shiqiao):
    opinion = resident_opinion(revision)
    opinions.redact(opinion, committee_shiqiao, f"  {opinion.text} ")
    assert opinion.public_text == ""


def test_approve_through_the_page_applies_the_redaction(client, revision, committee_shiqiao):
    opinion = resident_opinion(revision, text="王五 13900001111：犬只应当登记。")
    client.force_login(committee_shiqiao)
    url = reverse("community_opinion", args=(revision.pk, opinion.pk))
    response = client.post(url, {"action": "approve", "public_text": "犬只应当登记。"})
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert (opinion.status, opinion.public_text) == ("approved", "犬只应当登记。")


def test_moderation_and_answers_drop_the_page_cache(revision, committee_shiqiao, monkeypatch):
    calls = []
    monkeypatch.setattr("cms.cache.invalidate", lambda **kw: calls.append(1))
    opinion = resident_opinion(revision)
    opinions.redact(opinion, committee_shiqiao, "删改后")
    opinions.approve(opinion, committee_shiqiao)
    opinions.answer(opinion, committee_shiqiao, answer="explained", reason="已说明")
    opinions.reject(opinion, committee_shiqiao, "duplicate")
    assert len(calls) == 4


def test_every_committee_path_drops_the_page_cache_once(revision, committee_shiqiao, monkeypatch):
    """One mechanism (the Opinion signal and PAGE_CACHE_INVALIDATED_BY for the window), whichever
    path saves: counted at the bump, under both."""
    bumps = []
    monkeypatch.setattr("cms.cache._bump", lambda: bumps.append(1))
    opinions.save_window(
        revision, committee_shiqiao, opens_on=STARTED, closes_on=TODAY + datetime.timedelta(days=9)
    )
    assert len(bumps) == 1
    entered = opinions.enter_offline(
        revision, committee_shiqiao, source="paper", received_on=TODAY, article_id="a5",
        text="书面意见：建议拴养。",
    )  # fmt: skip
    assert len(bumps) == 2
    opinions.redact(entered, committee_shiqiao, entered.text)  # no change, no save
    assert len(bumps) == 2
    resident_opinion(revision)  # awaiting moderation: the public pages do not change
    assert len(bumps) == 2


# The listing


def test_list_puts_pending_first_and_filters(client, revision, committee_shiqiao):
    resident_opinion(revision, "a1", "总则意见", status=Opinion.Status.APPROVED)
    resident_opinion(revision, "a5", "第五条待审", status=Opinion.Status.PENDING)
    resident_opinion(revision, "", "整体意见", status=Opinion.Status.APPROVED, source="meeting")
    client.force_login(committee_shiqiao)
    url = reverse("community_opinions", args=(revision.pk,))
    html = client.get(url).content.decode()
    assert html.index("第五条待审") < html.index("总则意见")
    html = client.get(url, {"article": "a1"}).content.decode()
    assert "总则意见" in html and "第五条待审" not in html
    html = client.get(url, {"article": "whole"}).content.decode()
    assert "整体意见" in html and "总则意见" not in html
    html = client.get(url, {"status": "pending"}).content.decode()
    assert "第五条待审" in html and "总则意见" not in html
    html = client.get(url, {"source": "meeting"}).content.decode()
    assert "整体意见" in html and "第五条待审" not in html
    html = client.get(url, {"article": "zzz", "status": "x", "source": "y"}).content.decode()
    assert all(text in html for text in ("总则意见", "第五条待审", "整体意见"))


def test_desk_readers_never_read_an_unpublished_opinion(client, revision, reviewer_liuxi):
    resident_opinion(revision, text="待审核：李四家的狗")
    resident_opinion(revision, text="公开：建议登记", status=Opinion.Status.APPROVED)
    client.force_login(reviewer_liuxi)
    html = client.get(reverse("community_opinions", args=(revision.pk,))).content.decode()
    assert "公开：建议登记" in html and "李四" not in html


def test_list_queries_do_not_grow_with_opinions(
    client, revision, committee_shiqiao, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(committee_shiqiao)
    url = reverse("community_opinions", args=(revision.pk,))
    counts = []
    for n in (5, 495):
        many_opinions(revision, n)
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


# Offline opinions


def _offline(revision, user, **overrides):
    values = dict(
        source="meeting", received_on=D(2026, 4, 15), article_id="a5",
        text="座谈会上老人提出：犬只夜间不得放养。",
    )  # fmt: skip
    return opinions.enter_offline(revision, user, **{**values, **overrides})


def test_offline_opinion_is_approved_and_records_who_entered_it(revision, committee_shiqiao):
    opinion = _offline(revision, committee_shiqiao)
    assert opinion.status == Opinion.Status.APPROVED and opinion.entered_by == committee_shiqiao
    assert (opinion.article_label, opinion.source) == ("第五条", "meeting")
    assert opinion.draft_id == revision.comment_window.draft_id


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"received_on": TODAY + datetime.timedelta(days=1)}, "date_in_future"),
        ({"received_on": STARTED - datetime.timedelta(days=1)}, "date_order"),
        ({"source": "online"}, "source"),
        ({"article_id": "nope"}, "article_unknown"),
        ({"text": "  "}, "text_missing"),
        ({"name": "赵六"}, "consent_missing"),
        ({"status": "rejected"}, "reject_reason_missing"),
    ],
)
def test_offline_opinion_refusals(revision, committee_shiqiao, overrides, code):
    with pytest.raises(ProcedureError) as excinfo:
        _offline(revision, committee_shiqiao, **overrides)
    assert _code(excinfo) == {code}


def test_offline_opinion_on_the_day_the_revision_started_and_today(revision, committee_shiqiao):
    assert _offline(revision, committee_shiqiao, received_on=STARTED).pk
    assert _offline(revision, committee_shiqiao, received_on=TODAY, status="pending").status == (
        "pending"
    )


def test_offline_form_reads_a_full_width_mobile(client, revision, committee_shiqiao):
    client.force_login(committee_shiqiao)
    url = reverse("community_opinion_new", args=(revision.pk,))
    response = client.post(
        url,
        {
            "source": "visit", "received_on": "2026-04-18", "article_id": "a5",
            "text": "入户走访：建议划定遛狗区域。", "name": "孙七", "mobile": "１３８ ０００１ ２３４５",
            "consent": "on", "status": "approved",
        },
    )  # fmt: skip
    assert response.status_code == 302
    opinion = Opinion.objects.get(revision=revision)
    assert (opinion.mobile, opinion.consent, opinion.entered_by) == (
        "13800012345",
        True,
        committee_shiqiao,
    )
