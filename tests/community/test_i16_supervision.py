"""The supervision committee (village 2025 第三十七条, urban 2025 第三十六条): never the same person
as the committee, reads its community and changes nothing but its own records; members and their
terms kept by the township; opinions public or internal; reports to the township."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from community.models import (
    NoticeIndexPage,
    Notification,
    SupervisionMember,
    SupervisionOpinion,
    SupervisionReport,
)
from community.permissions import COMMITTEE, REVIEWER, SUPERVISOR, forget, policy_for
from consultation.models import ConsultationPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(supervisor_xinghua):
    return supervisor_xinghua


def _group(name):
    return Group.objects.get(name=name)


# --- exclusivity ------------------------------------------------------------------------


def test_a_committee_member_cannot_join_the_supervision_committee(committee_xinghua):
    with pytest.raises(ValidationError, match="第三十七条"), transaction.atomic():
        committee_xinghua.groups.add(_group("监督委员会:杏花村"))
    assert not committee_xinghua.groups.filter(name="监督委员会:杏花村").exists()


def test_a_supervisor_cannot_join_the_committee_by_the_groups_side(supervisor):
    with (
        pytest.raises(ValidationError, match="村民委员会成员及其近亲属不得担任"),
        transaction.atomic(),
    ):
        _group("委员会:杏花村").user_set.add(supervisor)
    assert not supervisor.groups.filter(name="委员会:杏花村").exists()


def test_the_urban_rule_cites_its_own_article(django_user_model):
    user = django_user_model.objects.get(username="weiyuan_yinxing")
    with pytest.raises(ValidationError, match="第三十六条"), transaction.atomic():
        user.groups.add(_group("监督委员会:银杏社区"))


def test_another_communitys_supervision_committee_is_allowed(committee_xinghua):
    committee_xinghua.groups.add(_group("监督委员会:石桥村"))
    assert committee_xinghua.groups.filter(name="监督委员会:石桥村").exists()


def _user_form(user, groups):
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on",
        "groups": [g.pk for g in groups],
    }
    return data


def test_the_admin_user_form_refuses_both_roles_with_the_article(
    client, superuser, committee_xinghua
):
    client.force_login(superuser)
    groups = [_group("委员会:杏花村"), _group("监督委员会:杏花村")]
    url = reverse("wagtailusers_users:edit", args=(committee_xinghua.pk,))
    response = client.post(url, _user_form(committee_xinghua, groups))
    assert response.status_code == 200
    assert "第三十七条" in response.content.decode()
    assert not committee_xinghua.groups.filter(name="监督委员会:杏花村").exists()


def test_the_admin_user_creation_form_refuses_both_roles(client, superuser, django_user_model):
    client.force_login(superuser)
    data = {
        **_user_form(
            django_user_model(
                username="newbie", email="n@example.cn", first_name="新", last_name="人"
            ),
            [_group("委员会:石桥村"), _group("监督委员会:石桥村")],
        ),
        "password1": "a-long-enough-password-1",
        "password2": "a-long-enough-password-1",
    }
    response = client.post(reverse("wagtailusers_users:add"), data)
    assert "第三十七条" in response.content.decode()
    assert not django_user_model.objects.filter(username="newbie").exists()


def test_the_admin_user_form_moves_a_user_between_the_roles(client, superuser, supervisor):
    """Leaving the supervision committee and joining the committee in one save is allowed."""
    client.force_login(superuser)
    url = reverse("wagtailusers_users:edit", args=(supervisor.pk,))
    response = client.post(url, _user_form(supervisor, [_group("委员会:杏花村")]))
    assert response.status_code == 302
    assert list(supervisor.groups.values_list("name", flat=True)) == ["委员会:杏花村"]


# --- the policy -------------------------------------------------------------------------


def test_a_supervisor_reads_its_community_and_acts_as_nothing_else(supervisor, xinghua, shiqiao):
    policy = policy_for(supervisor)
    assert policy.kinds_in(xinghua) == {SUPERVISOR}
    assert policy.kinds_in(shiqiao) == set()
    assert set(policy.communities().values_list("slug", flat=True)) == {"xinghua"}
    assert policy.may_read_register(xinghua) and policy.may_use_desk()
    assert not policy.may_act_as(xinghua, {COMMITTEE, REVIEWER})
    assert not policy.is_committee_of(xinghua) and not policy.may_edit_register(xinghua)
    assert not policy.committee_communities().exists()
    assert not policy.may_keep_supervision_members(xinghua)
    assert not policy.may_handle_supervision_reports(xinghua)
    assert policy.may_write_supervision(xinghua) and not policy.may_write_supervision(shiqiao)
    assert not policy.may_see_personal_names(xinghua) and not policy.is_district()


def test_a_member_whose_term_has_ended_no_longer_counts(supervisor, xinghua):
    member = SupervisionMember.objects.get(user=supervisor)
    member.term_end = timezone.localdate() - datetime.timedelta(days=1)
    member.term_start = member.term_end - datetime.timedelta(days=365)
    member.save()
    forget(supervisor)
    policy = policy_for(supervisor)
    assert not policy.is_supervisor_of(xinghua)
    assert not policy.communities().exists()


def test_the_member_list_is_kept_by_the_township_not_the_committee(
    client, xinghua, committee_xinghua, supervisor, reviewer_liuxi
):
    url = reverse("supervision_member_add", args=(xinghua.pk,))
    data = {"name": "新成员", "post": "member", "term_start": "2026-03-12"}
    for user in (committee_xinghua, supervisor):
        client.force_login(user)
        client.post(url, data)
    assert not SupervisionMember.objects.filter(name="新成员").exists()
    client.force_login(reviewer_liuxi)
    assert client.post(url, data).status_code == 302
    member = SupervisionMember.objects.get(name="新成员")
    assert member.history.get().actor == "张明（shenhe_liuxi）"


def test_a_lone_surrogate_in_a_name_is_refused(xinghua):
    member = SupervisionMember(community=xinghua, name="a\ud800", term_start=timezone.localdate())
    with pytest.raises(ValidationError, match="无法识别的字符"):
        member.full_clean()


@pytest.mark.parametrize("bad", ["a\x00b", "x" * 100_000])
def test_bad_member_names_get_a_chinese_message(client, xinghua, reviewer_liuxi, bad):
    client.force_login(reviewer_liuxi)
    url = reverse("supervision_member_add", args=(xinghua.pk,))
    response = client.post(url, {"name": bad, "post": "member", "term_start": "2026-03-12"})
    assert response.status_code == 200 and "error-message" in response.content.decode()


def test_overview_lists_current_and_former_members(client, supervisor):
    client.force_login(supervisor)
    page = client.get(reverse("supervision_overview")).content.decode()
    assert "周德福" in page and "赵守义（原成员）" in page
    assert "石桥村" not in page


def test_the_overview_query_count_does_not_grow_with_rows(
    client, district_staff, django_assert_max_num_queries
):
    client.force_login(district_staff)
    with django_assert_max_num_queries(40):
        assert client.get(reverse("supervision_overview")).status_code == 200


# --- read-only elsewhere ----------------------------------------------------------------


def test_a_supervisor_reads_the_desk_and_records_but_edits_nothing(client, supervisor, xinghua):
    client.force_login(supervisor)
    assert client.get(reverse("review_audit")).status_code == 200
    assert client.get(reverse("community_register_detail", args=(xinghua.pk,))).status_code == 200
    response = client.get(reverse("community_register_edit", args=(xinghua.pk,)))
    assert response.status_code in (302, 403)
    assert client.get("/admin/consultation/decision/").status_code == 200
    assert client.get("/admin/consultation/decision/create/").status_code in (302, 403)
    notices = NoticeIndexPage.objects.child_of(xinghua).get()
    assert client.get(f"/admin/pages/{notices.pk}/edit/").status_code in (302, 403, 404)


# --- opinions and reports ---------------------------------------------------------------


def test_public_opinions_are_on_the_page_and_in_the_api_internal_ones_are_not(
    client, supervisor, xinghua
):
    client.force_login(supervisor)
    url = reverse("supervision_opinion_add", args=(xinghua.pk,))
    client.post(url, {"subject": "内部事项", "text": "内部意见", "visibility": "internal",
                      "issued_on": "2026-12-01"})  # fmt: skip
    client.post(url, {"subject": "=1+1", "text": "公开意见", "visibility": "public",
                      "issued_on": "2026-12-01"})  # fmt: skip
    assert SupervisionOpinion.objects.filter(community=xinghua).count() == 3
    client.logout()
    page = client.get(xinghua.url).content.decode()
    assert "公开意见" in page and "内部意见" not in page and "周德福（主任）" in page
    api = client.get(f"/api/v3/pages/{xinghua.pk}/").json()["public_supervision"]
    assert "=1+1" in [o["subject"] for o in api["opinions"]]
    assert "内部事项" not in [o["subject"] for o in api["opinions"]]


def test_the_committee_cannot_write_an_opinion(client, committee_xinghua, xinghua):
    client.force_login(committee_xinghua)
    url = reverse("supervision_opinion_add", args=(xinghua.pk,))
    client.post(
        url, {"subject": "s", "text": "t", "visibility": "public", "issued_on": "2026-12-01"}
    )
    assert SupervisionOpinion.objects.filter(community=xinghua).count() == 1  # the demo's


def test_a_report_notifies_the_township_which_records_its_handling(
    client, supervisor, reviewer_liuxi, xinghua
):
    client.force_login(supervisor)
    client.post(
        reverse("supervision_report_add", args=(xinghua.pk,)),
        {"text": "第三季度公开未列明道路维修施工单位。", "reported_on": "2026-12-01"},
    )
    report = SupervisionReport.objects.get(community=xinghua)
    note = Notification.objects.get(recipient=reviewer_liuxi, kind="supervision_report")
    handle = reverse("supervision_report_handle", args=(report.pk,))
    assert note.link == handle
    client.post(handle, {"received_on": "2026-12-02", "handling": "", "handled_on": ""})
    report.refresh_from_db()
    assert report.received_on is None  # the supervisor does not handle its own report
    client.force_login(reviewer_liuxi)
    response = client.post(handle, {"received_on": "", "handling": "", "handled_on": "2026-12-03"})
    assert "办结前请先填写受理日期" in response.content.decode()
    client.post(handle, {"received_on": "2026-12-02", "handling": "已责令补充公开。",
                         "handled_on": "2026-12-03"})  # fmt: skip
    report.refresh_from_db()
    assert report.status == "已办结" and report.handled_by == reviewer_liuxi


def test_agenda_lists_the_supervision_committee_when_it_is_a_party(client, xinghua):
    agenda = ConsultationPage.objects.descendant_of(xinghua).live().first()
    agenda.parties = [("party", {"category": "村(居)务监督委员会", "count": 3})]
    agenda.save_revision().publish()
    page = client.get(agenda.url).content.decode()
    assert "周德福（主任）" in page
