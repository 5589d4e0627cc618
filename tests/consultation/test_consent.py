"""A form asking for a name or a phone number is never public without a consent field, on every path
that publishes: the editor, a script's revision.publish(), a copy, bulk publishing, an import.
Saving a draft of such a form stays possible."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from consultation.models import CommunityFormField, CommunityFormPage
from consultation.models.forms import CONSENT_REQUIRED
from tests.consultation.test_form_builder_admin import field, form_data
from tests.consultation.test_forms import make_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(django_user_model):
    return django_user_model.objects.get(username="weiyuan_yinxing")


def draft_asking_for_a_phone(community) -> CommunityFormPage:
    page = CommunityFormPage(title="报名", slug="signup", purpose="signup", live=False)
    page.form_fields = [
        CommunityFormField(label="您的意见", field_type="multiline", sort_order=0),
        CommunityFormField(label="手机号码", field_type="mobile", required=False, sort_order=1),
    ]
    community.add_child(instance=page)
    page.save_revision()
    return CommunityFormPage.objects.get(pk=page.pk)


def live_without_consent(community) -> CommunityFormPage:
    """A live form that breaks the rule, as one published before the rule would."""
    page = make_form(community)
    CommunityFormField.objects.filter(page=page, field_type="consent").delete()
    return CommunityFormPage.objects.get(pk=page.pk)


def fresh(page) -> CommunityFormPage:
    return CommunityFormPage.objects.get(pk=page.pk)


def test_the_rule_and_its_message():
    page = CommunityFormPage(title="报名")
    page.form_fields = [CommunityFormField(label="联系人姓名", field_type="singleline")]
    assert page.publication_problem() == CONSENT_REQUIRED
    page.form_fields.add(CommunityFormField(label="同意", field_type="consent"))
    assert page.publication_problem() is None


def test_revision_publish_is_refused(yinxing):
    page = draft_asking_for_a_phone(yinxing)
    with pytest.raises(ValidationError) as refused:
        page.save_revision().publish()
    assert refused.value.messages == [CONSENT_REQUIRED]
    assert not fresh(page).live and fresh(page).live_revision_id is None


def test_publishing_a_new_revision_of_a_live_form_is_refused(yinxing):
    page = make_form(yinxing)
    live_revision = page.live_revision_id
    page.form_fields = [f for f in page.form_fields.all() if f.field_type != "consent"]
    with pytest.raises(ValidationError):
        page.save_revision().publish()
    page = fresh(page)
    assert page.live and page.live_revision_id == live_revision
    assert page.form_fields.filter(field_type="consent").exists()  # the public form is unchanged


def test_full_clean_refuses_going_live_but_not_a_live_page_left_as_it_is(yinxing):
    page = live_without_consent(yinxing)
    page.full_clean()  # already public before the rule: editing other fields stays possible
    page.title = "停车难题意见征集（延期）"
    page.save()
    draft = draft_asking_for_a_phone(yinxing)
    draft.live = True
    with pytest.raises(ValidationError):
        draft.full_clean()


def test_saving_drafts_stays_possible(yinxing):
    page = draft_asking_for_a_phone(yinxing)
    page.title = "报名（草稿）"
    revision = page.save_revision()
    assert revision.as_object().title == "报名（草稿）" and not fresh(page).live

    live = make_form(yinxing)
    live.form_fields = [f for f in live.form_fields.all() if f.field_type != "consent"]
    live.save_revision()  # a draft of a live form, not published
    live = fresh(live)
    assert live.live and live.has_unpublished_changes
    assert not live.get_latest_revision_as_object().has_consent()


def test_creating_such_a_form_live_makes_a_draft(yinxing):
    page = CommunityFormPage(title="报名", slug="imported", purpose="signup")  # live by default
    page.form_fields = [CommunityFormField(label="手机号码", field_type="mobile", sort_order=0)]
    yinxing.add_child(instance=page)
    page = fresh(page)
    assert not page.live and page.has_unpublished_changes


def test_copying_a_live_form_keeps_the_rule(yinxing, shiqiao):
    page = live_without_consent(yinxing)
    copy = page.copy(to=yinxing, update_attrs={"slug": "parking-2"}, keep_live=True)
    copy = fresh(copy)
    assert not copy.live and copy.live_revision_id is None and copy.first_published_at is None
    assert copy.form_fields.filter(field_type="mobile").exists()

    good = make_form(shiqiao)
    kept = good.copy(to=shiqiao, update_attrs={"slug": "parking-2"}, keep_live=True)
    assert fresh(kept).live  # a form with consent is copied live, as before


def test_copying_in_the_admin_keeps_the_rule(client, superuser, yinxing):
    page = live_without_consent(yinxing)
    client.force_login(superuser)
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=(page.pk,)),
        {
            "new_title": "停车难题意见征集（副本）",
            "new_slug": "parking-copy",
            "new_parent_page": yinxing.pk,
            "publish_copies": "on",
        },
    )
    assert response.status_code == 302
    assert not CommunityFormPage.objects.get(slug="parking-copy").live


def test_editor_publish_is_refused_with_the_message_and_keeps_the_draft(client, yinxing, committee):
    page = draft_asking_for_a_phone(yinxing)
    client.force_login(committee)
    fields = [
        {**field("您的意见", "multiline"), "id": str(page.form_fields.get(label="您的意见").pk)},
        {
            **field("手机号码", "mobile", False),
            "id": str(page.form_fields.get(label="手机号码").pk),
        },
        field("联系人姓名", "singleline"),
    ]
    data = form_data(fields, initial=2, slug="signup", **{"action-publish": "publish"})
    response = client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "未发布：表单收集姓名、手机号码或身份证号码" in html
    page = fresh(page)
    assert not page.live and page.get_latest_revision_as_object().form_fields.count() == 3


def test_editor_save_draft_of_a_live_form_is_allowed(client, yinxing, committee):
    page = make_form(yinxing)
    client.force_login(committee)
    fields = [
        {**field(f.label, f.field_type, f.required), "id": str(f.pk)}
        | ({"DELETE": "on"} if f.field_type == "consent" else {})
        for f in page.form_fields.order_by("sort_order")
    ]
    data = form_data(fields, initial=len(fields), slug="parking", title="停车难题意见征集")
    response = client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)
    assert response.status_code == 302
    page = fresh(page)
    assert page.live and page.form_fields.filter(field_type="consent").exists()
    assert not page.get_latest_revision_as_object().has_consent()


def test_bulk_publish_is_a_message_not_a_500(client, yinxing, committee):
    page = draft_asking_for_a_phone(yinxing)
    client.force_login(committee)
    client.raise_request_exception = False
    url = (
        reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
        + f"?id={page.pk}&next=/admin/"
    )
    response = client.post(url, {"include_descendants": ""}, follow=True)
    assert response.status_code == 200 and "个人信息同意" in response.content.decode()
    assert not fresh(page).live


def test_bulk_publish_of_descendants_is_refused_too(client, yinxing, superuser):
    page = draft_asking_for_a_phone(yinxing)
    client.force_login(superuser)
    client.raise_request_exception = False
    url = (
        reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
        + f"?id={yinxing.pk}&next=/admin/"
    )
    response = client.post(url, {"include_descendants": "on"}, follow=True)
    assert response.status_code == 200 and "个人信息同意" in response.content.decode()
    assert not fresh(page).live


def test_copying_a_community_with_its_forms_keeps_the_rule(yinxing):
    page = live_without_consent(yinxing)
    copy = yinxing.copy(
        recursive=True,
        to=yinxing.get_parent(),
        update_attrs={"slug": "yinxing-2", "title": "银杏社区（副本）"},
        keep_live=True,
    )
    copied = CommunityFormPage.objects.child_of(copy).get(slug=page.slug)
    assert not copied.live and copied.live_revision_id is None
