"""Records in the admin: scoped lists and views, names for committee and district only, history."""

import pytest
from django.urls import reverse

from consultation.models import ConsultationPage, Decision, Deliberation, ImplementationUpdate

pytestmark = pytest.mark.django_db
INDEX = {
    Deliberation: "consultation_deliberation_modeladmin_index",
    ImplementationUpdate: "consultation_implementationupdate_modeladmin_index",
    Decision: "consultation_decision_modeladmin_index",
}


def admin_url(model, view, *args):
    return reverse(f"consultation_{model._meta.model_name}_modeladmin_{view}", args=args)


@pytest.mark.parametrize("model", [Deliberation, ImplementationUpdate, Decision])
def test_committee_of_a_cannot_list_or_open_records_of_b(client, committee_xinghua, shiqiao, model):
    client.force_login(committee_xinghua)
    theirs = model.objects.filter(community=shiqiao).first()
    listing = client.get(admin_url(model, "index")).content.decode()
    assert admin_url(model, "inspect", theirs.pk) not in listing
    assert str(theirs) not in listing or model is Decision  # decisions share a demo title
    for view in ("inspect", "edit", "delete"):
        response = client.get(admin_url(model, view, theirs.pk))
        assert response.status_code in (302, 403, 404), view
        if response.status_code == 302:
            assert response.url == reverse("wagtailadmin_home")


def test_committee_sees_its_own_records(client, committee_xinghua, xinghua):
    client.force_login(committee_xinghua)
    own = Deliberation.objects.filter(community=xinghua).first()
    assert (
        admin_url(Deliberation, "inspect", own.pk)
        in client.get(admin_url(Deliberation, "index")).content.decode()
    )


@pytest.mark.parametrize(
    ("username", "sees_names"),
    [
        ("weiyuan_xinghua", True),
        ("minzheng", True),
        ("shenhe_liuxi", False),
        ("jiandu_xinghua", False),
    ],
)
def test_speaker_names_only_for_committee_and_district(
    client, django_user_model, xinghua, username, sees_names
):
    client.force_login(django_user_model.objects.get(username=username))
    record = Deliberation.objects.filter(community=xinghua).first()
    html = client.get(admin_url(Deliberation, "inspect", record.pk)).content.decode()
    assert "户籍居民" in html
    assert ("王秀英" in html) is sees_names


def test_reviewer_supervisor_and_district_cannot_edit(
    client, reviewer_liuxi, supervisor_xinghua, district_staff, xinghua
):
    record = Deliberation.objects.filter(community=xinghua).first()
    for user in (reviewer_liuxi, supervisor_xinghua, district_staff):
        client.force_login(user)
        response = client.post(admin_url(Deliberation, "edit", record.pk), {"outcome": "改"})
        assert response.status_code in (302, 403)
        assert client.get(admin_url(Deliberation, "create")).status_code in (302, 403)
    record.refresh_from_db()
    assert record.outcome != "改"


def test_committee_creates_and_publishes_an_update_with_history(client, committee_shiqiao, shiqiao):
    agenda = ConsultationPage.objects.descendant_of(shiqiao).filter(slug="topic-3").get()
    client.force_login(committee_shiqiao)
    create = admin_url(ImplementationUpdate, "create")
    form = client.get(f"{create}?agenda={agenda.pk}").content.decode()
    assert f'name="agenda" value="{agenda.pk}"' in form  # the page chooser, preselected
    response = client.post(
        create,
        {
            "agenda": agenda.pk, "date": "2026-11-20", "status": "in_progress", "text": "已完成招标。",
            "photos-count": "0", "documents-count": "0", "correction_reason": "", "publish": "on",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[-2000:]
    update = ImplementationUpdate.objects.get(agenda=agenda, text="已完成招标。")
    assert update.is_published and update.community_id == shiqiao.pk
    assert [
        (h.history_user, h.history_change_reason) for h in update.history.order_by("history_id")
    ] == [
        (committee_shiqiao, "保存"),
        (committee_shiqiao, "发布"),
    ]


def test_agenda_of_another_community_is_refused(client, committee_shiqiao, xinghua):
    theirs = ConsultationPage.objects.descendant_of(xinghua).first()
    client.force_login(committee_shiqiao)
    before = ImplementationUpdate.objects.count()
    response = client.post(
        admin_url(ImplementationUpdate, "create"),
        {"agenda": theirs.pk, "date": "2026-11-20", "status": "in_progress", "text": "x",
         "photos-count": "0", "documents-count": "0", "correction_reason": ""},
    )  # fmt: skip
    assert response.status_code == 200
    assert ImplementationUpdate.objects.count() == before


def test_agenda_admin_page_has_one_click_record_buttons(client, committee_shiqiao, shiqiao):
    agenda = ConsultationPage.objects.descendant_of(shiqiao).filter(slug="topic-2").get()
    client.force_login(committee_shiqiao)
    html = client.get(reverse("wagtailadmin_pages:edit", args=(agenda.pk,))).content.decode()
    assert f"{admin_url(Deliberation, 'create')}?agenda={agenda.pk}" in html
