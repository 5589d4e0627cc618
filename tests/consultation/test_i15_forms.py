"""Issue 15, item 6: forms that a committee member who is no programmer builds right. The required
state is said in words, personal data needs a required consent, the type list fits residents, a
rating says what it means, full-width digits are numbers, and a form is linked only to its own
community's covenant revisions."""

from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from community.models import CovenantRevision
from consultation.models import CommunityFormField, CommunityFormPage, CommunityFormSubmission
from consultation.rating import RATING_LABELS, rating_label
from tests.consultation.test_form_builder_admin import field, form_data
from tests.consultation.test_forms import ANSWER, field_names, make_form, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(django_user_model):
    return django_user_model.objects.get(username="weiyuan_yinxing")


def add_url(community):
    return reverse(
        "wagtailadmin_pages:add", args=("consultation", "communityformpage", community.pk)
    )


def fresh(page) -> CommunityFormPage:
    return CommunityFormPage.objects.get(pk=page.pk)


def revision_of(community) -> CovenantRevision:
    return CovenantRevision.objects.filter(community=community).first()


# 必填 / 选填 in words


def test_the_builder_offers_required_as_a_labelled_choice_and_says_the_default(
    client, yinxing, committee
):
    client.force_login(committee)
    html = client.get(add_url(yinxing)).content.decode()
    assert "是否必填" in html
    assert 'value="True"' in html and ">必填<" in html.replace(" ", "").replace("\n", "")
    assert "选填" in html
    assert "新添加的字段默认为必填" in html


def test_the_field_list_says_which_fields_are_required(client, yinxing, committee):
    page = make_form(yinxing)
    client.force_login(committee)
    html = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert "必填：您的建议、同意为回访使用手机号码" in html
    assert "选填：手机号码、满意度" in html


def test_the_public_form_marks_each_field_required_or_optional(client, yinxing):
    html = client.get(make_form(yinxing).url).content.decode()
    assert '您的建议<span class="required">（必填）</span>' in html
    assert '手机号码<span class="optional">（选填）</span>' in html


def test_posting_the_optional_choice_makes_a_field_optional(client, yinxing, committee):
    client.force_login(committee)
    fields = [
        {**field("您的意见", "multiline"), "required": "True"},
        {**field("楼栋", "singleline"), "required": "False"},
    ]
    client.post(add_url(yinxing), form_data(fields))
    page = CommunityFormPage.objects.get(slug="renovation")
    latest = page.get_latest_revision_as_object()
    assert {f.label: f.required for f in latest.form_fields.all()} == {
        "您的意见": True,
        "楼栋": False,
    }


# Consent is required where personal data is asked


def with_optional_consent(community, label="手机号码", field_type="mobile") -> CommunityFormPage:
    page = CommunityFormPage(title="报名", slug="signup", purpose="signup", live=False)
    page.form_fields = [
        CommunityFormField(label=label, field_type=field_type, sort_order=0),
        CommunityFormField(
            label="同意用于联系报名", field_type="consent", required=False, sort_order=1
        ),
    ]
    community.add_child(instance=page)
    page.save_revision()
    return fresh(page)


def test_an_optional_consent_on_a_form_asking_for_a_phone_is_refused_naming_the_field(yinxing):
    page = with_optional_consent(yinxing)
    problem = page.publication_problem()
    assert problem and "“同意用于联系报名”" in problem and "必填" in problem
    with pytest.raises(ValidationError) as refused:
        page.save_revision().publish()
    assert refused.value.messages == [problem]
    assert not fresh(page).live


@pytest.mark.parametrize(
    ("label", "field_type"),
    [("联系人姓名", "singleline"), ("身份证号码", "singleline"), ("证件号码", "singleline")],
)
def test_names_and_id_numbers_are_personal_data_too(yinxing, label, field_type):
    page = CommunityFormPage(title="报名")
    page.form_fields = [CommunityFormField(label=label, field_type=field_type)]
    assert page.asks_for_personal_data() and page.publication_problem()


def test_the_editor_refuses_publishing_with_optional_consent_in_chinese(client, yinxing, committee):
    client.force_login(committee)
    fields = [field("手机号码", "mobile"), field("同意将手机号码用于回访", "consent", False)]
    response = client.post(
        add_url(yinxing), form_data(fields, **{"action-publish": "publish"}), follow=True
    )
    html = response.content.decode()
    assert "未发布" in html and "“同意将手机号码用于回访”须设为必填" in html
    assert not CommunityFormPage.objects.get(slug="renovation").live


def test_a_stored_optional_consent_is_enforced_and_no_answer_is_lost(client, yinxing):
    page = make_form(yinxing)
    post(client, page, ANSWER)
    CommunityFormField.objects.filter(page=page, field_type="consent").update(required=False)
    response = post(
        client, page, {k: v for k, v in ANSWER.items() if k != "同意为回访使用手机号码"}
    )
    assert "已收到" not in response.content.decode()
    assert CommunityFormSubmission.objects.filter(page=page).count() == 1


def test_the_data_migration_makes_stored_consent_required(yinxing):
    page = make_form(yinxing)
    CommunityFormField.objects.filter(page=page, field_type="consent").update(required=False)
    migration = import_module("consultation.migrations.0014_consent_required")
    migration.consent_is_required(apps, None)
    assert CommunityFormField.objects.get(page=page, field_type="consent").required


# The type list


def type_options(html) -> set[str]:
    select = html.split('name="form_fields-__prefix__-field_type"')[1].split("</select>")[0]
    return {part.split('"')[0] for part in select.split('value="')[1:]}


def test_the_type_list_offers_only_types_that_fit_residents(client, yinxing, committee, settings):
    client.force_login(committee)
    options = type_options(client.get(add_url(yinxing)).content.decode())
    assert {"mobile", "rating", "consent", "multiline"} <= options
    assert not {"hidden", "url"} & options
    settings.FORM_EXTRA_FIELD_TYPES = ["hidden", "url"]
    options = type_options(client.get(add_url(yinxing)).content.decode())
    assert {"hidden", "url"} <= options


def test_a_new_hidden_field_is_refused_unless_allowed(client, yinxing, committee):
    client.force_login(committee)
    fields = [field("您的意见", "multiline"), field("来源", "hidden")]
    response = client.post(add_url(yinxing), form_data(fields))
    assert response.status_code == 200
    assert not CommunityFormPage.objects.filter(slug="renovation").exists()


def test_an_existing_hidden_field_keeps_working(client, yinxing, committee):
    page = make_form(yinxing)
    hidden = CommunityFormField.objects.create(
        page=page, label="来源", field_type="hidden", required=False, sort_order=9
    )
    client.force_login(committee)
    edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    html = client.get(edit).content.decode()
    assert 'value="hidden" selected' in html  # shown as what it is
    fields = [
        {**field(f.label, f.field_type, f.required), "id": str(f.pk)}
        for f in page.form_fields.order_by("sort_order")
    ]
    data = form_data(fields, initial=len(fields), slug="parking", title="停车难题意见征集（改）")
    assert client.post(edit, {**data, "action-publish": "publish"}).status_code == 302
    assert fresh(page).title == "停车难题意见征集（改）"
    assert CommunityFormField.objects.get(pk=hidden.pk).field_type == "hidden"


# The rating says what it means


def test_rating_labels():
    assert [rating_label(n) for n in range(1, 6)] == [
        "很不满意",
        "不满意",
        "一般",
        "满意",
        "很满意",
    ]
    assert rating_label("4") == "满意" and rating_label(None) == "" and rating_label(9) == "9"
    assert len(RATING_LABELS) == 5


def test_the_public_form_shows_what_each_rating_means(client, yinxing):
    html = client.get(make_form(yinxing).url).content.decode()
    for n, label in RATING_LABELS.items():
        assert f"{n} {label}" in html


def test_the_answers_listing_shows_the_rating_in_words(client, yinxing, committee):
    page = make_form(yinxing)
    post(client, page, ANSWER)
    client.force_login(committee)
    html = client.get(reverse("wagtailforms:list_submissions", args=(page.pk,))).content.decode()
    assert "4 满意" in html


# Full-width digits


@pytest.mark.parametrize(
    "typed",
    ["１３８００１３８０００", "138 0013 8000", "138-0013-8000", "１３８　００１３　８０００"],
)
def test_a_mobile_number_is_normalised_before_it_is_checked(client, yinxing, typed):
    page = make_form(yinxing)
    response = post(client, page, {**ANSWER, "手机号码": typed})
    assert "已收到" in response.content.decode()
    stored = CommunityFormSubmission.objects.get(page=page).form_data
    assert stored[field_names(page)["手机号码"]] == "13800138000"


def test_the_api_takes_a_full_width_mobile_number_too(client, yinxing):
    page = make_form(yinxing)
    names = field_names(page)
    response = client.post(
        f"/api/v3/forms/{page.pk}/submissions/",
        {"answers": {names["您的建议"]: "路灯", names["手机号码"]: "１３８００１３８０００",
                     names["同意为回访使用手机号码"]: True}},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201
    stored = CommunityFormSubmission.objects.get(page=page).form_data
    assert stored[names["手机号码"]] == "13800138000"


def test_the_mobile_input_takes_a_number_typed_with_spaces(client, yinxing):
    html = client.get(make_form(yinxing).url).content.decode()
    assert 'maxlength="11"' not in html


@pytest.mark.parametrize(("typed", "stored"), [("１２", 12), ("１２．５", 12.5), (" 3 ", 3)])
def test_number_fields_take_full_width_digits(client, yinxing, typed, stored):
    page = make_form(yinxing)
    CommunityFormField.objects.create(
        page=page, label="家庭人数", field_type="number", required=True, sort_order=9
    )
    response = post(client, page, {**ANSWER, "家庭人数": typed})
    assert "已收到" in response.content.decode()
    value = CommunityFormSubmission.objects.get(page=page).form_data[field_names(page)["家庭人数"]]
    assert float(value) == stored


def test_date_fields_take_full_width_digits(client, yinxing):
    page = make_form(yinxing)
    CommunityFormField.objects.create(
        page=page, label="入住日期", field_type="date", required=True, sort_order=9
    )
    response = post(client, page, {**ANSWER, "入住日期": "２０２６－１２－０１"})
    assert "已收到" in response.content.decode()
    value = CommunityFormSubmission.objects.get(page=page).form_data[field_names(page)["入住日期"]]
    assert str(value) == "2026-12-01"


# A form is linked only to its own community's covenant revisions


def test_a_form_cannot_be_linked_to_another_communitys_revision(xinghua, yinxing):
    page = make_form(xinghua)
    page.covenant_revision = revision_of(yinxing)
    with pytest.raises(ValidationError) as refused:
        page.full_clean()
    assert "covenant_revision" in refused.value.message_dict
    assert "杏花村" in refused.value.message_dict["covenant_revision"][0]
    page.covenant_revision = revision_of(xinghua)
    page.full_clean()


def test_a_new_form_is_refused_too(xinghua, yinxing):
    page = CommunityFormPage(
        title="意见", slug="i15-opinions", covenant_revision=revision_of(yinxing)
    )
    page.form_fields = [CommunityFormField(label="您的意见", field_type="multiline")]
    with pytest.raises(ValidationError) as refused:
        xinghua.add_child(instance=page)
    assert "covenant_revision" in refused.value.message_dict


def test_the_chooser_offers_only_the_communitys_revisions(client, xinghua, yinxing, superuser):
    client.force_login(superuser)
    html = client.get(add_url(xinghua)).content.decode()
    select = html.split('name="covenant_revision"')[1].split("</select>")[0]
    assert f'value="{revision_of(xinghua).pk}"' in select
    assert f'value="{revision_of(yinxing).pk}"' not in select


def test_the_editor_refuses_another_communitys_revision(client, xinghua, yinxing, superuser):
    client.force_login(superuser)
    data = form_data(
        [field("您的意见", "multiline")], covenant_revision=str(revision_of(yinxing).pk)
    )
    assert client.post(add_url(xinghua), data).status_code == 200
    assert not CommunityFormPage.objects.filter(slug="renovation").exists()


def test_the_revision_page_counts_only_its_own_communitys_answers(
    client, xinghua, yinxing, superuser
):
    theirs = revision_of(yinxing)
    page = make_form(xinghua)
    post(client, page, ANSWER)
    CommunityFormPage.objects.filter(pk=page.pk).update(covenant_revision=theirs)  # stored before
    client.force_login(superuser)
    html = client.get(reverse("community_revision_detail", args=(theirs.pk,))).content.decode()
    assert page.title not in html
