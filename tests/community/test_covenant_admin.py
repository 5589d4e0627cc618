"""The procedure carried through the admin by a committee member and a township reviewer."""

import pytest
from django.urls import reverse

from community.models import CovenantPage, CovenantRevision, Stage
from tests.community.covenant_helpers import edit_draft, make_covenant

pytestmark = pytest.mark.django_db


def step_url(revision, step):
    return reverse("community_revision_step", args=(revision.pk, step))


def post_step(client, revision, step, data, expect_ok=True):
    response = client.post(step_url(revision, step), data)
    if expect_ok:
        assert response.status_code == 302, response.content.decode()[-3000:]
        revision.refresh_from_db()
    return response


VOTE = {
    "meeting_kind": "village_assembly", "meeting_date": "2026-06-20", "notice_date": "2026-06-08",
    "eligible": "1686", "present": "900", "households": "612", "households_represented": "0",
    "women_present": "400", "votes_for": "850", "votes_against": "30", "abstentions": "20",
    "party_discussed_on": "2026-06-01", "party_body": "石桥村党支部委员会",
}  # fmt: skip


def test_committee_and_reviewer_carry_a_revision_to_publication(
    client, shiqiao, committee_shiqiao, reviewer_liuxi
):
    covenant = make_covenant(shiqiao, committee_shiqiao)
    client.force_login(committee_shiqiao)
    assert "发起修订" in client.get(reverse("community_start_list")).content.decode()
    response = client.post(
        reverse("community_start_revision", args=(covenant.pk,)),
        {"reason": "增加垃圾分类条款", "started_on": "2026-04-01"},
    )
    revision = CovenantRevision.objects.get(covenant=covenant)
    assert response.url == reverse("community_revision_detail", args=(revision.pk,))
    post_step(client, revision, "opinions", {"received": "37", "summary": "多数赞成"})
    post_step(client, revision, "drafting", {"reason": ""})
    post_step(client, revision, "submit", {"submitted_on": "2026-05-10"})
    assert revision.stage == Stage.REVIEW

    client.force_login(reviewer_liuxi)
    queue = client.get(reverse("community_review_queue")).content.decode()
    assert covenant.title in queue and "待合法性审查" in queue
    post_step(
        client,
        revision,
        "review",
        {"passed": "1", "opinion": "内容合法", "reviewed_on": "2026-05-20"},
    )

    client.force_login(committee_shiqiao)
    refused = post_step(
        client, revision, "vote", {**VOTE, "present": "843", "votes_for": "793"}, expect_ok=False
    )
    assert refused.status_code == 200
    assert "到会 843 人，未超过本村 18 周岁以上村民 1686 人的半数" in refused.content.decode()
    post_step(client, revision, "vote", VOTE)

    client.force_login(reviewer_liuxi)
    post_step(
        client,
        revision,
        "filing",
        {"authority": "柳溪镇人民政府", "number": "柳民备〔2026〕3号", "filed_on": "2026-06-25"},
    )

    client.force_login(committee_shiqiao)
    edit_draft(covenant, committee_shiqiao, [])  # a later draft must not be what goes live
    post_step(
        client,
        revision,
        "publish",
        {"version_label": "2026年修订", "published_on": "2026-06-28", "effective_on": ""},
    )
    assert revision.stage == Stage.PUBLISHED

    client.logout()
    public = client.get(covenant.url).content.decode()
    assert "红白喜事从简办理" in public and "现行版本：2026年修订" in public

    client.force_login(reviewer_liuxi)
    detail = client.get(reverse("community_revision_detail", args=(revision.pk,))).content.decode()
    assert "现行文本即表决通过的文本" in detail
    assert "审核通过：内容合法" in detail
    assert "张明（shenhe_liuxi）" in detail and "王建国（weiyuan_shiqiao）" in detail


def test_reviewer_of_other_township_and_other_committee_see_nothing(
    client, shiqiao, committee_shiqiao, reviewer_dongcheng, django_user_model
):
    from community import transitions as t

    covenant = make_covenant(shiqiao, committee_shiqiao)
    revision = t.start_revision(covenant, committee_shiqiao, reason="修订")
    for username in ("shenhe_dongcheng", "weiyuan_xinghua"):
        client.force_login(django_user_model.objects.get(username=username))
        assert (
            client.get(reverse("community_revision_detail", args=(revision.pk,))).status_code == 404
        )
        assert (
            client.post(step_url(revision, "opinions"), {"received": 1, "summary": "x"}).status_code
            == 404
        )
        listing = client.get("/admin/community/covenantrevision/").content.decode()
        assert covenant.title not in listing
    revision.refresh_from_db()
    assert revision.opinions_received == 0


def test_district_reads_everything_and_acts_on_nothing(
    client, shiqiao, committee_shiqiao, district_staff
):
    from community import transitions as t

    covenant = make_covenant(shiqiao, committee_shiqiao)
    revision = t.start_revision(covenant, committee_shiqiao, reason="修订")
    client.force_login(district_staff)
    listing = client.get(
        "/admin/community/covenantrevision/?township=" + str(shiqiao.get_parent().pk)
    )
    assert listing.status_code == 200 and covenant.title in listing.content.decode()
    detail = client.get(reverse("community_revision_detail", args=(revision.pk,))).content.decode()
    assert step_url(revision, "opinions") not in detail
    response = client.post(step_url(revision, "opinions"), {"received": 1, "summary": "x"})
    assert response.status_code in (302, 403)
    revision.refresh_from_db()
    assert revision.opinions_received == 0


def test_no_generic_create_edit_or_delete_of_revisions(
    client, shiqiao, committee_shiqiao, superuser
):
    from community import transitions as t

    revision = t.start_revision(
        make_covenant(shiqiao, committee_shiqiao), committee_shiqiao, reason="修订"
    )
    client.force_login(superuser)
    for url in (
        "/admin/community/covenantrevision/create/",
        f"/admin/community/covenantrevision/edit/{revision.pk}/",
        f"/admin/community/covenantrevision/delete/{revision.pk}/",
    ):
        client.post(url, {"stage": "published"})
    revision.refresh_from_db()
    assert revision.stage == Stage.SOLICITING
    assert CovenantRevision.objects.filter(pk=revision.pk).exists()


def test_admin_listing_filters_by_stage(client, shiqiao, committee_shiqiao, district_staff):
    from community import transitions as t

    t.start_revision(make_covenant(shiqiao, committee_shiqiao), committee_shiqiao, reason="修订")
    client.force_login(district_staff)
    assert (
        "石桥村村规民约"
        in client.get("/admin/community/covenantrevision/?stage__exact=soliciting").content.decode()
    )
    assert (
        "石桥村村规民约"
        not in client.get("/admin/community/covenantrevision/?stage__exact=vote").content.decode()
    )
    assert CovenantPage.objects.count() >= 1


def test_reviewer_sees_the_article_diff_and_fines_flagged(
    client, shiqiao, committee_shiqiao, reviewer_liuxi
):
    from community import transitions as t
    from tests.community.covenant_helpers import BASE_TEXT, article, chapter

    covenant = make_covenant(shiqiao, committee_shiqiao)
    revision = t.start_revision(covenant, committee_shiqiao, reason="修订")
    t.begin_drafting(revision, committee_shiqiao)
    edit_draft(
        covenant,
        committee_shiqiao,
        [*BASE_TEXT, chapter("c9", "罚则", article("a9", "乱倒垃圾者罚款一百元。"))],
    )
    t.submit_for_review(revision, committee_shiqiao)
    client.force_login(reviewer_liuxi)
    html = client.get(reverse("community_revision_detail", args=(revision.pk,))).content.decode()
    assert "新增 5 条" in html  # the first version: every article is new
    assert "第五条：乱倒垃圾者罚款一百元。" in html


def test_only_the_committee_may_open_the_start_form(
    client, shiqiao, committee_shiqiao, reviewer_liuxi, committee_xinghua
):
    covenant = make_covenant(shiqiao, committee_shiqiao)
    url = reverse("community_start_revision", args=(covenant.pk,))
    client.force_login(committee_shiqiao)
    assert client.get(url).status_code == 200
    client.force_login(reviewer_liuxi)  # in scope, but reviewers do not start revisions
    assert client.get(url).status_code in (302, 403)
    client.force_login(committee_xinghua)  # another community: not even there
    assert client.get(url).status_code == 404


def test_listing_ignores_lookups_that_are_not_declared_filters(client, reviewer_liuxi, xinghua):
    revision = CovenantRevision.objects.filter(community=xinghua).first()
    client.force_login(reviewer_liuxi)
    url = "/admin/community/covenantrevision/"
    hit = client.get(
        url, {"reviewer__password__startswith": reviewer_liuxi.password[:20]}
    ).content.decode()
    miss = client.get(url, {"reviewer__password__startswith": "zzzz"}).content.decode()
    detail = reverse("community_revision_detail", args=(revision.pk,))
    assert detail in hit and detail in miss
