"""A committee member builds a form in the admin, without code, and residents answer it."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from consultation.models import CommunityFormPage, CommunityFormSubmission

pytestmark = pytest.mark.django_db


def field(label, field_type, required=True):
    return {"label": label, "field_type": field_type, "required": "on" if required else "", "choices": "",
            "default_value": "", "help_text": ""}  # fmt: skip


def form_data(fields, initial=0, **extra):
    return nested_form_data({
        "title": "老旧小区改造意见征集", "slug": "renovation", "purpose": "topics", "intro": rich_text(""),
        "thank_you_text": rich_text("<p>谢谢！</p>"), "to_address": "", "from_address": "", "subject": "",
        "opens_at": "", "closes_at": "", "allow_anonymous": "on", "covenant_revision": "",
        "form_fields": inline_formset(fields, initial=initial), **extra,
    })  # fmt: skip


def test_committee_builds_publishes_and_residents_answer(client, yinxing, django_user_model):
    cache.clear()
    committee = django_user_model.objects.get(username="weiyuan_yinxing")
    client.force_login(committee)
    add = reverse("wagtailadmin_pages:add", args=("consultation", "communityformpage", yinxing.pk))
    fields = [field("您的意见", "multiline"), field("手机号码", "mobile", required=False)]

    client.post(add, form_data(fields, **{"action-publish": "publish"}))
    page = CommunityFormPage.objects.get(slug="renovation")
    assert not page.live  # a phone number without a consent field: saved as a draft, not published

    edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    existing = [
        {**f, "id": str(obj.pk)}
        for f, obj in zip(fields, page.form_fields.order_by("sort_order"), strict=True)
    ]
    with_consent = [*existing, field("同意将手机号码用于回访", "consent")]
    response = client.post(
        edit, form_data(with_consent, initial=2, **{"action-publish": "publish"})
    )
    assert response.status_code == 302
    page = CommunityFormPage.objects.get(pk=page.pk)
    assert page.live and page.form_fields.count() == 3

    client.logout()
    schema = client.get(f"/api/v3/forms/{page.pk}/").json()
    names = {f["label"]: f["name"] for f in schema["fields"]}
    api = client.post(
        f"/api/v3/forms/{page.pk}/submissions/",
        {
            "answers": {
                names["您的意见"]: "先修屋顶再装电梯。",
                names["同意将手机号码用于回访"]: True,
            }
        },
        content_type="application/json",
    )
    assert api.status_code == 201
    site = client.post(
        page.url, {names["您的意见"]: "楼道灯坏了。", names["同意将手机号码用于回访"]: "on"}
    )
    assert "谢谢" in site.content.decode()
    assert CommunityFormSubmission.objects.filter(page=page).count() == 2


def test_creating_a_too_late_agenda_with_publish_keeps_a_draft_and_says_why(
    client, shiqiao, committee_shiqiao
):
    import datetime

    from django.utils import timezone
    from wagtail.test.utils.form_data import streamfield

    from consultation.models import ConsultationIndexPage, ConsultationPage

    index = ConsultationIndexPage.objects.child_of(shiqiao).get()
    client.force_login(committee_shiqiao)
    add = reverse("wagtailadmin_pages:add", args=("consultation", "consultationpage", index.pk))
    data = nested_form_data({
        "title": "明天开会的议题", "slug": "tomorrow", "background": rich_text(""), "form": "council",
        "starts_at": (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
        "place": "", "online_link": "", "parties": streamfield([]), "materials": streamfield([]),
        "urgent_reason": "", "agenda_items": inline_formset([]), "action-publish": "publish",
    })  # fmt: skip
    response = client.post(add, data, follow=True)
    assert response.status_code == 200
    assert "应至少提前 3 天公告" in response.content.decode()
    page = ConsultationPage.objects.get(slug="tomorrow")
    assert not page.live and page.revisions.count() == 1
    client.logout()
    assert client.get("/liuxi/shiqiao/consultations/tomorrow/").status_code == 404
