"""Low-code forms on the site: field types, the open window, honeypot, rate limit, consent, pinning."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from consultation.models import CommunityFormField, CommunityFormPage, CommunityFormSubmission
from consultation.models.forms import mask_mobile
from consultation.wagtail_hooks import require_consent_for_personal_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def make_form(community, **fields) -> CommunityFormPage:
    page = CommunityFormPage(title="停车难题意见征集", slug="parking", purpose="topics", **fields)
    page.form_fields = [
        CommunityFormField(label="您的建议", field_type="multiline", required=True, sort_order=0),
        CommunityFormField(label="手机号码", field_type="mobile", required=False, sort_order=1),
        CommunityFormField(label="满意度", field_type="rating", required=False, sort_order=2),
        CommunityFormField(label="同意为回访使用手机号码", field_type="consent", sort_order=3),
    ]
    community.add_child(instance=page)
    page.save_revision().publish()
    return CommunityFormPage.objects.get(pk=page.pk)


ANSWER = {
    "您的建议": "晚上小区门口停车太乱。",
    "手机号码": "13812341234",
    "满意度": "4",
    "同意为回访使用手机号码": "on",
}


def field_names(page):
    return {f.label: f.clean_name for f in page.get_form_fields()}


def post(client, page, data):
    names = field_names(page)
    return client.post(page.url, {names.get(k, k): v for k, v in data.items()})


def test_answer_is_stored_with_its_form_revision(client, yinxing):
    page = make_form(yinxing)
    response = post(client, page, ANSWER)
    assert response.status_code == 200 and "已收到" in response.content.decode()
    submission = CommunityFormSubmission.objects.get(page=page)
    assert submission.page_revision_id == page.live_revision_id
    assert "website" not in submission.form_data
    assert submission.form_data[field_names(page)["满意度"]] == 4


@pytest.mark.parametrize(
    "mobile", ["1381234123", "23812341234", "12812341234", "138123412345", "abc"]
)
def test_bad_mobile_numbers_get_a_chinese_message(client, yinxing, mobile):
    page = make_form(yinxing)
    response = post(client, page, {**ANSWER, "手机号码": mobile})
    assert "请填写 11 位手机号码" in response.content.decode()
    assert not CommunityFormSubmission.objects.filter(page=page).exists()


def test_mobile_is_masked_for_display():
    assert mask_mobile("13812341234") == "138****1234"


def test_closed_and_not_yet_open_forms_say_when(client, yinxing):
    page = make_form(yinxing, closes_at=timezone.now() - datetime.timedelta(hours=1))
    response = post(client, page, ANSWER)
    assert "已于" in response.content.decode() and "截止" in response.content.decode()
    page.closes_at = None
    page.opens_at = timezone.now() + datetime.timedelta(days=2)
    page.save_revision().publish()
    assert "开始填写" in client.get(page.url).content.decode()
    assert not CommunityFormSubmission.objects.filter(page=page).exists()


def test_honeypot_is_refused_with_a_message(client, yinxing):
    page = make_form(yinxing)
    response = post(client, page, {**ANSWER, "website": "http://spam.example"})
    assert response.status_code == 200 and "请勿填写" in response.content.decode()
    assert not CommunityFormSubmission.objects.filter(page=page).exists()


def test_rate_limit_per_client(client, yinxing, settings):
    settings.FORM_RATE_LIMIT = (5, 600)
    page = make_form(yinxing)
    for _ in range(5):
        assert post(client, page, ANSWER).status_code == 200
    refused = post(client, page, ANSWER)
    assert refused.status_code == 429 and "提交太频繁" in refused.content.decode()
    assert CommunityFormSubmission.objects.filter(page=page).count() == 5
    other = client.post(page.url, {}, REMOTE_ADDR="10.0.0.9")  # another client is not limited
    assert other.status_code == 200


def test_form_asking_for_a_phone_needs_consent_to_publish(client, superuser, yinxing):
    page = CommunityFormPage(title="报名", slug="signup", purpose="signup", live=False)
    page.form_fields = [CommunityFormField(label="手机号码", field_type="mobile", sort_order=0)]
    yinxing.add_child(instance=page)
    assert page.asks_for_personal_data() and not page.has_consent()
    request = RequestFactory().post("/")
    request.user, request.session = superuser, {}
    request._messages = FallbackStorage(request)
    response = require_consent_for_personal_data(request, page)
    assert response.status_code == 302 and "个人信息同意" in str(next(iter(request._messages)))
    page.form_fields.add(CommunityFormField(label="同意", field_type="consent", sort_order=1))
    assert require_consent_for_personal_data(request, page) is None


def test_listing_masks_mobiles_and_export_keeps_answers_under_their_own_labels(
    client, yinxing, superuser
):
    page = make_form(yinxing)
    post(client, page, ANSWER)
    suggestion = page.form_fields.get(label="您的建议")
    suggestion.label = "您对停车的建议"  # renaming a field after answers came in
    suggestion.save()
    page = CommunityFormPage.objects.get(pk=page.pk)
    page.save_revision().publish()
    page = CommunityFormPage.objects.get(pk=page.pk)
    post(client, page, {**ANSWER, "您对停车的建议": "划定夜间临时停车位。"})

    client.force_login(superuser)
    listing = client.get(f"/admin/forms/submissions/{page.pk}/").content.decode()
    assert "138****1234" in listing and "13812341234" not in listing
    response = client.get(f"/admin/forms/submissions/{page.pk}/?export=csv")
    export = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = [line for line in export.splitlines() if line]
    assert "您对停车的建议" in header and "您的建议（旧版表单）" in header
    assert "13812341234" in export  # the committee's export keeps the number whole
    assert any("晚上小区门口停车太乱。" in r for r in rows) and any(
        "划定夜间临时停车位。" in r for r in rows
    )

    response = client.get(f"/admin/forms/submissions/{page.pk}/?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell for cell in row if cell is not None] for row in sheet.iter_rows(values_only=True)]
    assert "您对停车的建议" in rows[0] and "您的建议（旧版表单）" in rows[0]
    cells = [str(cell) for row in rows[1:] for cell in row]
    assert "13812341234" in cells
    assert "晚上小区门口停车太乱。" in cells and "划定夜间临时停车位。" in cells


def test_demo_opinion_form_is_linked_to_the_revision_being_voted(
    client, xinghua, committee_xinghua
):
    from django.urls import reverse

    from community.models import CovenantRevision

    revision = CovenantRevision.objects.get(community=xinghua, stage="vote")
    form = CommunityFormPage.objects.get(covenant_revision=revision)
    client.force_login(committee_xinghua)
    html = client.get(reverse("community_revision_detail", args=(revision.pk,))).content.decode()
    assert f"{form.title}：收到 3 份意见" in html
    assert reverse("wagtailforms:list_submissions", args=(form.pk,)) in html


def test_committee_promotes_a_proposal_to_a_draft_agenda_without_identity(
    client, xinghua, committee_xinghua, committee_shiqiao
):
    from django.urls import reverse

    from consultation.models import ConsultationPage

    form = CommunityFormPage.objects.child_of(xinghua).get()
    form.purpose = "topics"
    form.save()
    submission = CommunityFormSubmission.objects.filter(page=form).order_by("pk").first()
    promote_url = reverse("consultation_promote", args=(submission.pk,))

    client.force_login(committee_shiqiao)  # another community: not even listed
    assert promote_url not in client.get(reverse("consultation_proposals")).content.decode()
    assert client.post(promote_url).status_code == 404

    client.force_login(committee_xinghua)
    assert promote_url in client.get(reverse("consultation_proposals")).content.decode()
    response = client.post(promote_url)
    agenda = ConsultationPage.objects.get(slug=f"proposal-{submission.pk}")
    assert response.url == reverse("wagtailadmin_pages:edit", args=(agenda.pk,))
    assert (
        agenda.from_proposal
        and not agenda.live
        and "路灯" in agenda.get_latest_revision_as_object().background
    )
    revision_text = str(agenda.get_latest_revision().content)
    assert "13857112345" not in revision_text and "第三村民小组" not in revision_text
    submission.refresh_from_db()
    assert submission.promoted_to_id == agenda.pk


def test_required_fields_are_marked_before_the_resident_answers(client, yinxing):
    import re

    page = make_form(yinxing)
    html = client.get(page.url).content.decode()
    labels = {
        re.sub(r"<[^>]+>", "", label): "（必填）" in label
        for label in re.findall(r"<label for=[^>]+>(.*?)</label>", html)
    }
    labels = {
        text.replace("（必填）", "").replace("（选填）", ""): marked
        for text, marked in labels.items()
    }
    assert labels["您的建议"] is True
    assert labels["手机号码"] is False and labels["满意度"] is False
    assert "标有" in html and "的项目必须填写" in html
