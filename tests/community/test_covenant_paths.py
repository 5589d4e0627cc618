"""Every other way a covenant's text could change or go live, each closed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import APIToken, Page, Revision
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from community import transitions as t
from community.importing import HistoricalAdoption, import_adoption
from community.models import CommunityPage, CovenantPage, CovenantRevision
from community.transitions import ProcedureError
from tests.community.covenant_helpers import article, chapter, good_vote, make_covenant

pytestmark = pytest.mark.django_db
D = datetime.date


def voted(covenant, committee, reviewer):
    rev = t.start_revision(covenant, committee, reason="修订", started_on=D(2026, 4, 1))
    t.begin_drafting(rev, committee)
    t.submit_for_review(rev, committee, submitted_on=D(2026, 5, 10))
    t.review(rev, reviewer, passed=True, opinion="同意", reviewed_on=D(2026, 5, 20))
    return t.record_vote(rev, committee, **good_vote())


def test_editor_autosave_cannot_overwrite_the_voted_draft(
    client, shiqiao, committee_shiqiao, reviewer_liuxi
):
    covenant = make_covenant(shiqiao, committee_shiqiao)
    rev = voted(covenant, committee_shiqiao, reviewer_liuxi)
    voted_text = [a.text for a in rev.voted_revision.as_object().articles()]
    client.force_login(committee_shiqiao)
    data = nested_form_data({
        "title": covenant.title, "slug": covenant.slug, "kind": "village_covenant", "preamble": rich_text(""),
        "body": streamfield([("article", rich_text("<p>违者罚款一万元。</p>"))]),
        "overwrite_revision_id": str(rev.voted_revision_id),
    })  # fmt: skip
    client.post(reverse("wagtailadmin_pages:edit", args=(covenant.pk,)), data)
    covenant.refresh_from_db()
    assert covenant.latest_revision_id != rev.voted_revision_id  # saved as a new draft
    assert [
        a.text for a in Revision.objects.get(pk=rev.voted_revision_id).as_object().articles()
    ] == voted_text

    rev = CovenantRevision.objects.get(pk=rev.pk)
    t.record_filing(
        rev, reviewer_liuxi, authority="柳溪镇人民政府", number="1", filed_on=D(2026, 6, 25)
    )
    t.publish_adopted_revision(
        rev, committee_shiqiao, version_label="2026", published_on=D(2026, 6, 28)
    )
    live = CovenantPage.objects.get(pk=covenant.pk)
    assert [a.text for a in live.articles()] == voted_text


def test_a_pinned_revision_cannot_be_changed_by_any_save(
    shiqiao, committee_shiqiao, reviewer_liuxi
):
    covenant = make_covenant(shiqiao, committee_shiqiao)
    rev = voted(covenant, committee_shiqiao, reviewer_liuxi)
    pinned = Revision.objects.get(pk=rev.voted_revision_id)
    pinned.content = {**pinned.content, "body": "[]"}
    with pytest.raises(PermissionDenied, match="内容不能再修改"):
        pinned.save()


def adoption(text, year, label):
    return HistoricalAdoption(
        text=text, reason="修订", started_on=D(year, 4, 1), opinions_received=1, opinions_summary="-",
        submitted_on=D(year, 5, 10), review_opinion="同意", reviewed_on=D(year, 5, 20),
        vote=good_vote(meeting_date=D(year, 6, 20), notice_date=D(year, 6, 8)),
        filing_authority="柳溪镇人民政府", filing_number=f"{year}-1", filed_on=D(year, 6, 25),
        version_label=label, published_on=D(year, 6, 28),
    )  # fmt: skip


def test_an_older_version_cannot_be_published_over_a_newer_one(
    shiqiao, committee_shiqiao, reviewer_liuxi
):
    covenant = make_covenant(shiqiao, committee_shiqiao)
    new_text = [chapter("c9", "新章", article("n1", "二〇二四年文本"))]
    import_adoption(
        covenant, committee_shiqiao, reviewer_liuxi, adoption(new_text, 2024, "2024年修订")
    )
    old_text = [chapter("c8", "旧章", article("o1", "二〇一八年文本"))]
    with pytest.raises(ProcedureError, match="早于上一版本“2024年修订”的公布日期"):
        import_adoption(
            covenant, committee_shiqiao, reviewer_liuxi, adoption(old_text, 2018, "2018年版")
        )
    live = CovenantPage.objects.get(pk=covenant.pk)
    assert [a.text for a in live.articles()] == ["二〇二四年文本"]
    assert live.versions().first().version_label == "2024年修订"


def test_covenant_alias_is_refused(client, xinghua, committee_xinghua):
    covenant = CovenantPage.objects.child_of(xinghua).get()
    client.force_login(committee_xinghua)
    client.post(
        reverse("wagtailadmin_pages:copy", args=(covenant.pk,)),
        {"new_title": "别名", "new_slug": "alias", "new_parent_page": xinghua.pk, "alias": "on"},
    )
    assert not CovenantPage.objects.filter(alias_of=covenant).exists()


def test_covenant_alias_through_the_api_is_refused(client, xinghua, committee_xinghua):
    covenant = CovenantPage.objects.child_of(xinghua).get()
    _token, key = APIToken.create_token(user=committee_xinghua, name="t")
    response = client.post(
        f"/api/v3/pages/{covenant.pk}/actions/create_alias/",
        content_type="application/json",
        data={"destination_id": xinghua.pk, "slug": "alias"},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 403, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert not Page.objects.filter(alias_of=covenant).exists()


def test_an_alias_of_a_community_would_alias_its_covenant_and_is_refused(
    client, xinghua, liuxi, committee_xinghua
):
    covenant = CovenantPage.objects.child_of(xinghua).get()
    client.force_login(committee_xinghua)
    client.post(
        reverse("wagtailadmin_pages:copy", args=(xinghua.pk,)),
        {
            "new_title": "别名",
            "new_slug": "xinghua-alias",
            "new_parent_page": liuxi.pk,
            "alias": "on",
            "copy_subpages": "on",
        },
    )
    assert not Page.objects.filter(alias_of=covenant).exists()
    with pytest.raises(PermissionDenied):
        covenant.create_alias(parent=liuxi, update_slug="direct-alias")


def test_copying_a_community_with_published_copies_keeps_the_tree_sound(xinghua, liuxi, superuser):
    copy = xinghua.copy(
        recursive=True,
        to=liuxi,
        update_attrs={"title": "新村", "slug": "xincun"},
        keep_live=True,
        user=superuser,
    )
    copy = CommunityPage.objects.get(pk=copy.pk)
    children = list(copy.get_children().specific())
    assert copy.numchild == len(children) == xinghua.get_children().count()
    covenant_copy = next(c for c in children if isinstance(c, CovenantPage))
    assert not covenant_copy.live  # a copied covenant is a draft until its own procedure


def test_covenant_editor_offers_no_moderation_workflow(client, shiqiao, committee_shiqiao):
    covenant = make_covenant(shiqiao, committee_shiqiao)
    assert covenant.get_workflow() is None
    client.force_login(committee_shiqiao)
    html = client.get(reverse("wagtailadmin_pages:edit", args=(covenant.pk,))).content.decode()
    assert 'name="action-submit"' not in html


def test_revision_history_view_of_modeladmin_is_closed(client, reviewer_dongcheng, xinghua):
    revision = CovenantRevision.objects.filter(community=xinghua).first()
    client.force_login(reviewer_dongcheng)
    response = client.get(f"/admin/community/covenantrevision/history/{revision.pk}/")
    assert response.status_code == 404


def test_huge_numbers_are_a_form_error_not_a_crash(client, xinghua, committee_xinghua):
    revision = CovenantRevision.objects.get(community=xinghua, stage="vote")
    client.force_login(committee_xinghua)
    response = client.post(
        reverse("community_revision_step", args=(revision.pk, "vote")),
        {"meeting_kind": "village_assembly", "meeting_date": "2026-11-20", "notice_date": "2026-11-01",
         "eligible": "99999999999", "present": "900", "households": "612", "households_represented": "0",
         "women_present": "400", "votes_for": "850", "votes_against": "0", "abstentions": "0"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "errorlist" in response.content.decode() or "error-message" in response.content.decode()
