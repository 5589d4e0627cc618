import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from community import transitions as t
from community.models import CovenantPage, CovenantRevision, DistrictSettings, Stage
from community.models.covenant import CovenantPublishRefused
from community.transitions import ProcedureError
from tests.community.covenant_helpers import (
    BASE_TEXT,
    article,
    chapter,
    edit_draft,
    good_vote,
    make_covenant,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def covenant(shiqiao, committee_shiqiao):
    return make_covenant(shiqiao, committee_shiqiao)


def _to_vote(covenant, committee, reviewer) -> CovenantRevision:
    rev = t.start_revision(covenant, committee, reason="新增垃圾分类条款", started_on=D(2026, 4, 1))
    t.record_opinions(rev, committee, received=37, summary="多数村民赞成定时定点投放。")
    t.begin_drafting(rev, committee)
    t.submit_for_review(rev, committee, submitted_on=D(2026, 5, 10))
    return t.review(
        rev, reviewer, passed=True, opinion="内容合法，同意提交表决。", reviewed_on=D(2026, 5, 20)
    )


def _complete(covenant, committee, reviewer) -> CovenantRevision:
    rev = _to_vote(covenant, committee, reviewer)
    t.record_vote(rev, committee, **good_vote())
    t.record_filing(
        rev,
        reviewer,
        authority="柳溪镇人民政府",
        number="柳民备〔2026〕3号",
        filed_on=D(2026, 6, 25),
    )
    return t.publish_adopted_revision(
        rev, committee, version_label="2026年修订", published_on=D(2026, 6, 28)
    )


def test_happy_path_publishes_the_voted_text(covenant, committee_shiqiao, reviewer_liuxi):
    rev = _complete(covenant, committee_shiqiao, reviewer_liuxi)
    covenant.refresh_from_db()
    assert rev.stage == Stage.PUBLISHED
    assert covenant.live and covenant.live_revision_id == rev.voted_revision_id
    assert [a.label for a in covenant.articles()] == ["第一条", "第二条", "第三条", "第四条"]


def test_history_rows_record_each_transition_with_user_and_reason(
    covenant, committee_shiqiao, reviewer_liuxi
):
    rev = _complete(covenant, committee_shiqiao, reviewer_liuxi)
    rows = list(rev.history.order_by("history_date", "history_id"))
    assert [r.stage for r in rows] == [
        "soliciting", "soliciting", "drafting", "review", "vote", "filing", "publication", "published",
    ]  # fmt: skip
    assert [r.history_user.username for r in rows] == [
        "weiyuan_shiqiao", "weiyuan_shiqiao", "weiyuan_shiqiao", "weiyuan_shiqiao",
        "shenhe_liuxi", "weiyuan_shiqiao", "shenhe_liuxi", "weiyuan_shiqiao",
    ]  # fmt: skip
    assert all(r.history_change_reason for r in rows)
    assert rows[4].history_change_reason == "审核通过：内容合法，同意提交表决。"


def test_draft_edited_after_the_vote_does_not_go_live(covenant, committee_shiqiao, reviewer_liuxi):
    rev = _to_vote(covenant, committee_shiqiao, reviewer_liuxi)
    t.record_vote(rev, committee_shiqiao, **good_vote())
    changed = [chapter("c1", "总则", article("a1", "表决之后偷偷改过的条文。"))]
    edit_draft(covenant, committee_shiqiao, changed)
    t.record_filing(
        rev, reviewer_liuxi, authority="柳溪镇人民政府", number="3", filed_on=D(2026, 6, 25)
    )
    t.publish_adopted_revision(
        rev, committee_shiqiao, version_label="2026年修订", published_on=D(2026, 6, 28)
    )

    live = CovenantPage.objects.get(pk=covenant.pk)
    voted = rev.voted_revision.as_object()
    assert [a.text for a in live.articles()] == [a.text for a in voted.articles()]
    assert "偷偷" not in " ".join(a.text for a in live.articles())
    assert live.has_unpublished_changes  # the later draft is still there, unpublished


def test_vote_refused_when_draft_changed_since_review(covenant, committee_shiqiao, reviewer_liuxi):
    rev = _to_vote(covenant, committee_shiqiao, reviewer_liuxi)
    edit_draft(covenant, committee_shiqiao, BASE_TEXT[:1])
    with pytest.raises(ProcedureError) as excinfo:
        t.record_vote(rev, committee_shiqiao, **good_vote())
    assert excinfo.value.violations[0].code == "draft_changed"
    assert "请重新提请审核" in excinfo.value.messages[0]
    rev.refresh_from_db()
    assert rev.stage == Stage.VOTE


def test_quorum_refusal_keeps_the_stage_and_names_the_law(
    covenant, committee_shiqiao, reviewer_liuxi
):
    rev = _to_vote(covenant, committee_shiqiao, reviewer_liuxi)
    with pytest.raises(ProcedureError) as excinfo:
        t.record_vote(
            rev, committee_shiqiao, **good_vote(present=843, votes_for=793, women_present=300)
        )
    assert "到会 843 人，未超过本村 18 周岁以上村民 1686 人的半数" in excinfo.value.messages[0]
    rev.refresh_from_db()
    assert rev.stage == Stage.VOTE and rev.votes_for is None


def test_representatives_meeting_needs_a_recorded_authorisation(
    covenant, committee_shiqiao, reviewer_liuxi, shiqiao
):
    rev = _to_vote(covenant, committee_shiqiao, reviewer_liuxi)
    reps = good_vote(meeting_kind="village_representatives", eligible=45, present=40, votes_for=30,
                     votes_against=5, abstentions=5, women_present=15)  # fmt: skip
    # the national text gives the 村规民约 to the 村民会议 (2025 第三十一条): off by default
    with pytest.raises(ProcedureError, match=r"第三十一条.*本区未允许") as refusal:
        t.record_vote(rev, committee_shiqiao, **reps)
    assert {v.code for v in refusal.value.violations} == {"covenant_body", "authorisation"}
    settings = DistrictSettings.for_site(Site.objects.get(is_default_site=True))
    settings.allow_delegated_covenant = True
    settings.save()
    with pytest.raises(ProcedureError, match="请登记村民会议的授权决议") as refusal:
        t.record_vote(rev, committee_shiqiao, **reps)
    assert {v.code for v in refusal.value.violations} == {"authorisation"}
    type(shiqiao).objects.filter(pk=shiqiao.pk).update(
        representatives_authorisation="2025年3月2日村民会议决议"
    )
    rev.community.refresh_from_db()
    t.record_vote(rev, committee_shiqiao, **reps)
    assert rev.authorisation == "2025年3月2日村民会议决议"


def test_women_warning_is_kept_for_the_reviewer(covenant, committee_shiqiao, reviewer_liuxi):
    rev = _to_vote(covenant, committee_shiqiao, reviewer_liuxi)
    t.record_vote(rev, committee_shiqiao, **good_vote(women_present=100))
    assert rev.stage == Stage.FILING
    assert [w["code"] for w in rev.warnings] == [
        "women_present", "eligible_differs", "households_differs"
    ]  # fmt: skip
    assert "应到人数 1686 与登记册的18周岁以上村(居)民 1203 人不一致" in rev.warnings[1]["message"]


def test_stages_cannot_be_skipped(covenant, committee_shiqiao, reviewer_liuxi):
    rev = t.start_revision(covenant, committee_shiqiao, reason="修订")
    with pytest.raises(ProcedureError, match="程序不能跳过或颠倒"):
        t.submit_for_review(rev, committee_shiqiao)
    with pytest.raises(ProcedureError):
        t.record_vote(rev, committee_shiqiao, **good_vote())
    with pytest.raises(ProcedureError):
        t.publish_adopted_revision(rev, committee_shiqiao, version_label="x")
    t.begin_drafting(rev, committee_shiqiao)
    with pytest.raises(ProcedureError):
        t.record_filing(rev, reviewer_liuxi, authority="镇", number="1", filed_on=D(2026, 6, 1))


def test_review_not_passed_returns_the_draft(covenant, committee_shiqiao, reviewer_liuxi):
    rev = t.start_revision(covenant, committee_shiqiao, reason="修订")
    t.begin_drafting(rev, committee_shiqiao)
    t.submit_for_review(rev, committee_shiqiao)
    t.review(rev, reviewer_liuxi, passed=False, opinion="第四条涉及罚款，应删除。")
    assert rev.stage == Stage.DRAFTING and rev.review_passed is False
    with pytest.raises(ProcedureError):
        t.record_vote(rev, committee_shiqiao, **good_vote())


def test_filing_before_the_vote_is_refused_late_filing_warns(
    covenant, committee_shiqiao, reviewer_liuxi
):
    rev = _to_vote(covenant, committee_shiqiao, reviewer_liuxi)
    t.record_vote(rev, committee_shiqiao, **good_vote())
    with pytest.raises(ProcedureError, match="早于表决日期"):
        t.record_filing(rev, reviewer_liuxi, authority="镇", number="1", filed_on=D(2026, 6, 19))
    t.record_filing(rev, reviewer_liuxi, authority="镇", number="1", filed_on=D(2026, 7, 1))
    assert "filing_late" in [w["code"] for w in rev.warnings]


def test_withdrawn_revision_keeps_its_history(covenant, committee_shiqiao):
    rev = t.start_revision(covenant, committee_shiqiao, reason="修订")
    t.withdraw(rev, committee_shiqiao, reason="村民意见分歧较大，暂缓修订。")
    assert rev.stage == Stage.WITHDRAWN
    assert rev.history.count() == 2
    with pytest.raises(ProcedureError):
        t.begin_drafting(rev, committee_shiqiao)
    t.start_revision(covenant, committee_shiqiao, reason="重新启动")  # a new one may start


def test_only_one_open_revision_per_covenant(covenant, committee_shiqiao):
    t.start_revision(covenant, committee_shiqiao, reason="修订")
    with pytest.raises(ProcedureError, match="已有一次正在进行的修订"):
        t.start_revision(covenant, committee_shiqiao, reason="又一次")


def test_submit_without_any_draft_is_refused(shiqiao, committee_shiqiao):
    covenant = CovenantPage(title="空公约", slug="empty", body=[])
    shiqiao.add_child(instance=covenant)
    rev = t.start_revision(covenant, committee_shiqiao, reason="制定")
    t.begin_drafting(rev, committee_shiqiao)
    with pytest.raises(ProcedureError, match="还没有草案"):
        t.submit_for_review(rev, committee_shiqiao)


# --- permissions for every transition ---------------------------------------------------

# The supervision committee of the covenant's own community (jiandu_shiqiao) takes no step.
ACTORS = ["weiyuan_shiqiao", "weiyuan_xinghua", "shenhe_liuxi", "shenhe_dongcheng", "minzheng",
          "jiandu_shiqiao", "jiandu_xinghua"]  # fmt: skip
ALLOWED = {
    "committee": {"weiyuan_shiqiao"},
    "reviewer": {"shenhe_liuxi"},
}


def _prepare(stage, covenant, committee, reviewer):
    if stage == "start":
        return None
    rev = t.start_revision(covenant, committee, reason="修订", started_on=D(2026, 4, 1))
    if stage in ("opinions", "drafting"):
        return rev
    t.begin_drafting(rev, committee)
    if stage == "submit":
        return rev
    t.submit_for_review(rev, committee, submitted_on=D(2026, 5, 10))
    if stage == "review":
        return rev
    t.review(rev, reviewer, passed=True, opinion="同意", reviewed_on=D(2026, 5, 20))
    if stage == "vote":
        return rev
    t.record_vote(rev, committee, **good_vote())
    if stage == "filing":
        return rev
    t.record_filing(rev, reviewer, authority="镇", number="1", filed_on=D(2026, 6, 25))
    return rev


TRANSITIONS = {
    "start": ("committee", lambda cov, rev, u: t.start_revision(cov, u, reason="修订")),
    "opinions": ("committee", lambda cov, rev, u: t.record_opinions(rev, u, received=1, summary="s")),
    "drafting": ("committee", lambda cov, rev, u: t.begin_drafting(rev, u)),
    "submit": ("committee", lambda cov, rev, u: t.submit_for_review(rev, u, submitted_on=D(2026, 5, 10))),
    "review": ("reviewer", lambda cov, rev, u: t.review(rev, u, passed=True, opinion="同意", reviewed_on=D(2026, 5, 20))),
    "vote": ("committee", lambda cov, rev, u: t.record_vote(rev, u, **good_vote())),
    "filing": ("reviewer", lambda cov, rev, u: t.record_filing(rev, u, authority="镇", number="1", filed_on=D(2026, 6, 25))),
    "publish": ("committee", lambda cov, rev, u: t.publish_adopted_revision(rev, u, version_label="v", published_on=D(2026, 6, 28))),
    "withdraw": ("committee", lambda cov, rev, u: t.withdraw(rev, u, reason="撤回")),
}  # fmt: skip


@pytest.mark.parametrize("step", TRANSITIONS)
@pytest.mark.parametrize("actor", [*ACTORS, "anonymous"])
def test_transition_permission_matrix(
    step, actor, covenant, committee_shiqiao, reviewer_liuxi, django_user_model
):
    from django.contrib.auth.models import AnonymousUser

    rev = _prepare(
        "opinions" if step == "withdraw" else step, covenant, committee_shiqiao, reviewer_liuxi
    )
    user = (
        AnonymousUser() if actor == "anonymous" else django_user_model.objects.get(username=actor)
    )
    who, run = TRANSITIONS[step]
    if actor in ALLOWED[who]:
        run(covenant, rev, user)
    else:

        def written():
            return rev.history.count() if rev else CovenantRevision.objects.count()

        before = written()
        with pytest.raises(PermissionDenied):
            run(covenant, rev, user)
        assert written() == before


# --- no path publishes a text that was not voted ----------------------------------------


def test_revision_publish_is_refused(covenant, committee_shiqiao):
    with pytest.raises(CovenantPublishRefused):
        covenant.latest_revision.publish(user=committee_shiqiao, skip_permission_checks=True)
    assert not CovenantPage.objects.get(pk=covenant.pk).live


def test_saving_live_text_directly_is_refused(covenant, committee_shiqiao, reviewer_liuxi):
    _complete(covenant, committee_shiqiao, reviewer_liuxi)
    live = CovenantPage.objects.get(pk=covenant.pk)
    live.body = BASE_TEXT[:1]
    with pytest.raises(CovenantPublishRefused):
        live.save()
    live = CovenantPage.objects.get(pk=covenant.pk)
    live.title = "改过的标题"
    with pytest.raises(CovenantPublishRefused):
        live.save()


def test_later_draft_cannot_be_published_after_adoption(
    covenant, committee_shiqiao, reviewer_liuxi
):
    _complete(covenant, committee_shiqiao, reviewer_liuxi)
    edit_draft(covenant, committee_shiqiao, BASE_TEXT[:1])
    covenant.refresh_from_db()
    with pytest.raises(CovenantPublishRefused):
        covenant.latest_revision.publish(user=committee_shiqiao, skip_permission_checks=True)


def test_scheduled_publishing_is_refused_by_validation(covenant):
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    covenant.go_live_at = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="不能定时发布"):
        covenant.full_clean()


def test_new_covenant_created_live_in_code_is_kept_a_draft(shiqiao):
    covenant = CovenantPage(title="新公约", slug="new", body=BASE_TEXT, live=True)
    shiqiao.add_child(instance=covenant)
    assert not CovenantPage.objects.get(pk=covenant.pk).live


def test_editor_has_no_publish_button_and_forged_publish_is_refused(
    client, covenant, committee_shiqiao, superuser
):
    for user in (committee_shiqiao, superuser):
        assert not covenant.permissions_for_user(user).can_publish()
    client.force_login(superuser)
    url = reverse("wagtailadmin_pages:edit", args=(covenant.pk,))
    html = client.get(url).content.decode()
    assert 'name="action-publish"' not in html
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    data = nested_form_data(
        {
            "title": covenant.title, "slug": covenant.slug, "kind": "village_covenant",
            "preamble": rich_text(""), "body": streamfield([]), "action-publish": "publish",
        }
    )  # fmt: skip
    revisions = covenant.revisions.count()
    client.post(url, data)
    assert covenant.revisions.count() == revisions + 1  # kept as a draft, nothing lost
    assert not CovenantPage.objects.get(pk=covenant.pk).live


def test_before_publish_hook_refuses_covenants_only(rf, covenant, shiqiao, superuser):
    from django.contrib.messages.storage.fallback import FallbackStorage

    from community.wagtail_hooks import refuse_direct_covenant_publish

    request = rf.post("/")
    request.user = superuser
    request.session = {}
    request._messages = FallbackStorage(request)
    response = refuse_direct_covenant_publish(request, covenant)
    assert response.status_code == 302
    assert "只能按法定程序公布" in str(next(iter(request._messages)))
    assert refuse_direct_covenant_publish(request, shiqiao) is None


def test_covenant_with_a_procedure_cannot_be_deleted_even_by_a_superuser(
    client, superuser, xinghua
):
    covenant = CovenantPage.objects.child_of(xinghua).get()
    assert not covenant.permissions_for_user(superuser).can_delete()
    client.force_login(superuser)
    for page in (covenant, xinghua, xinghua.get_parent()):
        client.post(reverse("wagtailadmin_pages:delete", args=(page.pk,)))
    assert CovenantPage.objects.filter(pk=covenant.pk).exists()
    assert CovenantRevision.objects.filter(covenant=covenant).count() == 3


def test_committee_cannot_unpublish_its_covenant(xinghua, committee_xinghua, superuser):
    covenant = CovenantPage.objects.child_of(xinghua).get()
    assert not covenant.permissions_for_user(committee_xinghua).can_unpublish()
    assert covenant.permissions_for_user(superuser).can_unpublish()


def test_a_vote_is_recorded_after_its_meeting_and_cites_its_articles(
    covenant, committee_shiqiao, reviewer_liuxi
):
    """A meeting (or a Party discussion) dated after today is refused; an assembly's vote keeps no
    authorisation (only a 代表会议 acts on one); the history's reason names the articles."""
    rev = _to_vote(covenant, committee_shiqiao, reviewer_liuxi)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ProcedureError) as refusal:
        t.record_vote(rev, committee_shiqiao, **good_vote(meeting_date=tomorrow, notice_date=tomorrow - datetime.timedelta(days=12)))  # fmt: skip
    assert [(v.code, v.field) for v in refusal.value.violations] == [
        ("date_in_future", "meeting_date")
    ]
    t.record_vote(rev, committee_shiqiao, **good_vote(authorisation="某授权"))
    assert rev.authorisation == ""
    reason = rev.history.latest("history_id").history_change_reason
    assert reason.endswith("（依据：村民委员会组织法（2025年修正）第二十六条；村民委员会组织法（2025年修正）第三十一条；"
                           "村民委员会组织法（2025年修正）第二十五条第二款；村民委员会组织法（2025年修正）第二十八条第三款）")  # fmt: skip


def test_a_short_notice_is_on_record_for_the_reviewer_and_the_public(
    client, covenant, committee_shiqiao, reviewer_liuxi
):
    """2025 第二十五条第二款: 遇有特殊情况 a short notice, with its reason flagged to the reviewer
    and printed on the public record, beside the articles the vote was judged by."""
    rev = _to_vote(covenant, committee_shiqiao, reviewer_liuxi)
    reason = "台风过境，须紧急决定河道清障"
    t.record_vote(
        rev, committee_shiqiao,
        **good_vote(notice_date=D(2026, 6, 18), short_notice_reason=reason),
    )  # fmt: skip
    (warning,) = [w for w in rev.warnings if w["code"] == "short_notice"]
    assert reason in warning["message"] and "第二十五条第二款" in warning["message"]
    client.force_login(reviewer_liuxi)
    desk = client.get(reverse("community_revision_detail", args=(rev.pk,))).content.decode()
    assert reason in desk and "表决依据" in desk
    assert "村民委员会组织法（2025年修正）第二十六条" in desk
    t.record_filing(rev, reviewer_liuxi, authority="柳溪镇人民政府", number="柳民备〔2026〕8号", filed_on=D(2026, 6, 22))  # fmt: skip
    t.publish_adopted_revision(rev, committee_shiqiao, version_label="2026年修订", published_on=D(2026, 6, 25))  # fmt: skip
    client.logout()
    covenant.refresh_from_db()
    for url in (
        f"{covenant.url}versions/",
        f"{covenant.url}versions/{rev.pk}/",
        f"{covenant.url}print/",
    ):
        page = client.get(url).content.decode()
        assert reason in page, url
        assert "村民委员会组织法（2025年修正）第二十五条第二款" in page, url
