"""A proposal with several free-text answers becomes an agenda with one paragraph per answer."""

import pytest

from consultation.models import (
    CommunityFormField,
    CommunityFormPage,
    CommunityFormSubmission,
    ConsultationPage,
)
from consultation.proposals import promote, proposal_text

pytestmark = pytest.mark.django_db


def two_question_form(community) -> CommunityFormPage:
    page = CommunityFormPage(title="议题征集", slug="two-questions", purpose="topics")
    page.form_fields = [
        CommunityFormField(label="您的提议", field_type="singleline", sort_order=0),
        CommunityFormField(label="详细说明", field_type="multiline", sort_order=1),
        CommunityFormField(label="手机号码", field_type="mobile", required=False, sort_order=2),
        CommunityFormField(label="同意回访", field_type="consent", sort_order=3),
    ]
    community.add_child(instance=page)
    page.save_revision().publish()
    return CommunityFormPage.objects.get(pk=page.pk)


def test_two_text_answers_become_the_title_and_two_paragraphs(yinxing, django_user_model):
    page = two_question_form(yinxing)
    names = {f.label: f.clean_name for f in page.get_form_fields()}
    submission = CommunityFormSubmission.objects.create(
        page=page,
        page_revision_id=page.live_revision_id,
        form_data={
            names["您的提议"]: "增设夜间临时停车位",
            names["详细说明"]: "小区门口晚上车辆乱停，消防通道被占。",
            names["手机号码"]: "13812341234",
            names["同意回访"]: True,
        },
    )
    assert "\\" not in proposal_text(submission)

    agenda = promote(submission, django_user_model.objects.get(username="weiyuan_yinxing"))

    agenda = ConsultationPage.objects.get(pk=agenda.pk).get_latest_revision_as_object()
    assert agenda.title == "增设夜间临时停车位"
    assert agenda.background == (
        "<p>增设夜间临时停车位</p><p>小区门口晚上车辆乱停，消防通道被占。</p>"
    )
    assert "\\" not in agenda.title and "\\" not in agenda.background
    assert "13812341234" not in str(agenda.get_latest_revision().content)
