"""The quorum base is a register (issue 14 item 5): versioned with user, reason and source; a vote
stores what it was judged against; the reviewer sees its history and a warning when it changed
shortly before the vote; the audit log lists its changes."""

import datetime
import importlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision, Site

from community import transitions as t
from community.models import CommunityPage, CommunityRegister, DistrictSettings, RegisterGroup
from community.models.register import (
    CARRIED_OVER,
    register_history,
    register_of,
    register_warnings,
    save_register,
)
from tests.community.covenant_helpers import good_vote, make_covenant

pytestmark = pytest.mark.django_db
D = datetime.date


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _values(register, **changes) -> dict:
    names = ("adult_residents", "households", "committee_members", "representatives")
    values = {n: getattr(register, n) for n in names}
    values.update(women_representatives=register.women_representatives, source=register.source)
    values.update(as_of=register.as_of, **changes)
    return values


def _edit_form(register, reason="换届后代表名册调整", **changes) -> dict:
    data = {k: "" if v is None else str(v) for k, v in _values(register, **changes).items()}
    groups = list(register.groups.all())
    data.update(
        {
            "reason": reason,
            "groups-TOTAL_FORMS": str(len(groups)),
            "groups-INITIAL_FORMS": str(len(groups)),
            "groups-MIN_NUM_FORMS": "0",
            "groups-MAX_NUM_FORMS": "1000",
        }
    )
    for i, g in enumerate(groups):
        data.update(
            {
                f"groups-{i}-id": str(g.pk),
                f"groups-{i}-register": str(register.pk),
                f"groups-{i}-name": g.name,
                f"groups-{i}-adults": str(g.adults),
                f"groups-{i}-households": str(g.households),
            }
        )
    return data


def test_a_change_keeps_user_reason_source_and_the_values_before(shiqiao, committee_shiqiao):
    register = shiqiao.register
    revisions_before = shiqiao.revisions.count()
    save_register(
        shiqiao,
        committee_shiqiao,
        reason="依据2026年11月30日户籍底册更新",
        values=_values(register, adult_residents=1210, source="户籍底册（2026年11月30日）"),
        groups=[
            {"name": g.name, "adults": g.adults, "households": g.households, "instance": g}
            for g in register.groups.all()
        ],
    )
    latest = register.history.latest("history_date")
    assert latest.history_user == committee_shiqiao
    assert latest.history_change_reason == "依据2026年11月30日户籍底册更新"
    assert latest.source == "户籍底册（2026年11月30日）"
    change = register_history(shiqiao)[0]
    assert change.actor == "王建国（weiyuan_shiqiao）"
    assert {(c.label, c.old, c.new) for c in change.changes} == {
        ("18周岁以上村(居)民人数", 1203, 1210),
        (
            "数据来源",
            "户籍底册（2026年6月30日）；第十二届村民代表名册",
            "户籍底册（2026年11月30日）",
        ),
    }
    shiqiao.refresh_from_db()
    # The page's columns follow the register, without a page revision.
    assert shiqiao.adult_residents == 1210
    assert shiqiao.revisions.count() == revisions_before


def test_every_change_needs_a_reason(shiqiao, committee_shiqiao):
    register = shiqiao.register
    with pytest.raises(ValidationError, match="变更理由"):
        save_register(shiqiao, committee_shiqiao, reason=" ", values=_values(register), groups=[])
    register.households = 439
    with pytest.raises(ValidationError, match="变更理由"):
        register.save()
    group = register.groups.first()
    group.adults += 1
    with pytest.raises(ValidationError, match="变更理由"):
        group.save()


@pytest.mark.parametrize(
    ("changes", "groups", "message"),
    [
        ({"women_representatives": 31}, None, "妇女代表 31 人不能多于代表 30 人"),
        ({"representatives": 1300}, None, "不能多于18周岁以上村(居)民 1203 人"),
        ({"adult_residents": 1000}, None, "各小组18周岁以上人数合计 1203 人，多于全村(社区) 1000 人"),
        ({"households": 400}, None, "各小组户数合计 438 户，多于全村(社区) 400 户"),
        ({}, [("一组", 10, 5), ("一组", 10, 5)], "小组名称重复"),
    ],
)  # fmt: skip
def test_impossible_registers_are_refused_in_chinese(
    shiqiao, committee_shiqiao, changes, groups, message
):
    register = shiqiao.register
    if groups is None:
        groups = [(g.name, g.adults, g.households) for g in register.groups.all()]
    existing = {g.name: g for g in register.groups.all()}
    with pytest.raises(ValidationError, match=re.escape(message)):
        save_register(
            shiqiao,
            committee_shiqiao,
            reason="核对",
            values=_values(register, **changes),
            groups=[
                {"name": n, "adults": a, "households": h, "instance": existing.get(n)}
                for n, a, h in groups
            ],
        )


def test_register_of_reads_the_register_and_its_groups_in_two_queries(
    xinghua, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        register = register_of(xinghua)
    assert (register.adult_residents, register.committee_members, register.representatives) == (
        1686,
        7,
        38,
    )
    assert register.members == 45 and len(register.groups) == 9
    assert register.source.startswith("户籍底册（2026年6月30日）")


def test_a_community_without_a_register_reads_its_page(liuxi):
    community = CommunityPage(
        title="新设村", slug="xinshe", households=80, adult_residents=200, representatives=20
    )
    liuxi.add_child(instance=community)
    assert register_of(community).adult_residents == 200
    assert register_of(community).representatives == 20


def test_the_migration_carries_each_page_over_with_a_history_row(liuxi):
    community = CommunityPage(
        title="转入村", slug="zhuanru", households=80, adult_residents=200, representatives=20
    )
    liuxi.add_child(instance=community)
    migration = importlib.import_module("community.migrations.0012_register")
    assert migration.CARRIED_OVER == CARRIED_OVER
    state = MigrationExecutor(connection).loader.project_state(("community", "0012_register"))
    migration.carry_over(state.apps, None)
    register = CommunityRegister.objects.get(community=community)
    assert (register.households, register.adult_residents, register.representatives) == (
        80,
        200,
        20,
    )
    assert register.committee_members == 0
    (row,) = register.history.all()
    assert row.history_change_reason == CARRIED_OVER and row.history_user is None
    # A carried-over register is where the record starts, not a change a vote is warned of.
    assert register_warnings(community, timezone.localdate(), timezone.now()) == []


def test_the_page_editor_no_longer_edits_the_numbers_and_a_draft_does_not_bring_them_back(
    client, shiqiao, committee_shiqiao
):
    client.force_login(committee_shiqiao)
    html = client.get(reverse("wagtailadmin_pages:edit", args=(shiqiao.pk,))).content.decode()
    assert 'name="adult_residents"' not in html and 'name="households"' not in html
    draft = shiqiao.save_revision(user=committee_shiqiao)  # before the register changes
    save_register(
        shiqiao, committee_shiqiao, reason="更正", values=_values(shiqiao.register, households=437),
        groups=[], deleted=[],
    )  # fmt: skip
    Revision.objects.get(pk=draft.pk).publish(user=committee_shiqiao)  # as the admin loads it
    shiqiao.refresh_from_db()
    assert shiqiao.households == 437


def _register_change_window(community, user, day):
    register = community.register
    register.representatives = 3
    register.committee_members = 0
    register.women_representatives = 1
    register._change_reason = "测试"
    register._history_user = user
    register._history_date = _at(day)
    register.save()


def test_changes_inside_the_window_warn_outside_do_not(shiqiao, committee_shiqiao):
    meeting = D(2026, 6, 20)  # the window opens on 2026-03-22
    _register_change_window(shiqiao, committee_shiqiao, D(2026, 3, 20))
    assert register_warnings(shiqiao, meeting, _at(D(2026, 6, 25))) == []
    _register_change_window(shiqiao, committee_shiqiao, D(2026, 3, 22))  # no change of value
    register = shiqiao.register
    register.source = "代表名册（2026年3月）"  # a source alone moves no quorum
    register._change_reason, register._history_date = "来源", _at(D(2026, 4, 1))
    register.save()
    assert register_warnings(shiqiao, meeting, _at(D(2026, 6, 25))) == []
    group = RegisterGroup.objects.filter(register=register).first()
    group.adults -= 6
    group._change_reason, group._history_date = "迁出", _at(D(2026, 5, 1))
    group._history_user = committee_shiqiao
    group.save()
    (warning,) = register_warnings(shiqiao, meeting, _at(D(2026, 6, 25)))
    assert warning.code == "register_changed" and warning.warning
    assert "2026年5月1日 王建国（weiyuan_shiqiao）" in warning.message
    assert f"18周岁以上人数 {group.adults + 6} → {group.adults}" in warning.message
    assert "理由：迁出" in warning.message
    # Recorded before the change: the vote was judged against the numbers before it.
    assert register_warnings(shiqiao, meeting, _at(D(2026, 4, 30))) == []


def _refused(response) -> bool:
    """Wagtail's admin answers a PermissionDenied with a redirect to its home and a message."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


@pytest.fixture
def delegated(db):
    settings = DistrictSettings.for_site(Site.objects.get(is_default_site=True))
    settings.allow_delegated_covenant = True
    settings.save()


def test_three_representatives_story(
    client, delegated, shiqiao, committee_shiqiao, reviewer_liuxi, reviewer_dongcheng
):
    """A committee sets its representatives to 3 and votes 2 of 3: the reviewer sees why."""
    type(shiqiao).objects.filter(pk=shiqiao.pk).update(
        representatives_authorisation="2025年3月2日村民会议决议"
    )
    shiqiao.refresh_from_db()
    covenant = make_covenant(shiqiao, committee_shiqiao)
    rev = t.start_revision(covenant, committee_shiqiao, reason="修订", started_on=D(2026, 9, 1))
    t.begin_drafting(rev, committee_shiqiao)
    t.submit_for_review(rev, committee_shiqiao, submitted_on=D(2026, 10, 10))
    t.review(rev, reviewer_liuxi, passed=True, opinion="同意。", reviewed_on=D(2026, 10, 20))

    client.force_login(committee_shiqiao)
    edit = reverse("community_register_edit", args=(shiqiao.pk,))
    form = _edit_form(
        shiqiao.register, reason="代表调整为3人", committee_members=0, representatives=3,
        women_representatives=1,
    )  # fmt: skip
    assert client.post(edit, form).status_code == 302
    vote = good_vote(
        meeting_kind="village_representatives", meeting_date=D(2026, 11, 25), notice_date=None,
        party_discussed_on=D(2026, 11, 10), party_body="石桥村党支部",
        eligible=3, present=2, households=0, women_present=1, votes_for=2, votes_against=0,
        abstentions=0,
    )  # fmt: skip
    t.record_vote(rev, committee_shiqiao, **vote)
    codes = [w["code"] for w in rev.warnings]
    assert "register_changed" in codes
    message = next(w["message"] for w in rev.warnings if w["code"] == "register_changed")
    assert "村(居)民代表人数 30 → 3" in message and "代表调整为3人" in message
    assert rev.register_snapshot["representatives"] == 3

    client.force_login(reviewer_liuxi)
    filing = client.get(reverse("community_revision_step", args=(rev.pk, "filing")))
    html = filing.content.decode()
    assert filing.status_code == 200
    assert "登记册在表决前90日内至表决登记时有变更" in html
    assert "代表调整为3人" in html and "王建国（weiyuan_shiqiao）" in html
    assert "登记册（表决的应到人数依据）" in html
    detail = client.get(reverse("community_revision_detail", args=(rev.pk,))).content.decode()
    assert "代表调整为3人" in detail

    audit = client.get(reverse("review_audit")).content.decode()
    assert "人口与代表登记册" in audit and "代表调整为3人" in audit

    # The reviewer reads the register and its history, and edits nothing.
    page = client.get(reverse("community_register_detail", args=(shiqiao.pk,)))
    assert page.status_code == 200 and "代表调整为3人" in page.content.decode()
    assert reverse("community_register_edit", args=(shiqiao.pk,)) not in page.content.decode()
    assert _refused(client.get(edit))
    assert _refused(client.post(edit, {**form, "representatives": "30"}))
    assert shiqiao.register.history.latest("history_id").representatives == 3
    # Another township's reviewer does not even see it.
    client.force_login(reviewer_dongcheng)
    assert client.get(reverse("community_register_detail", args=(shiqiao.pk,))).status_code == 404


def test_district_reads_committees_edit_only_their_own(
    client, xinghua, shiqiao, district_staff, committee_xinghua
):
    client.force_login(district_staff)
    listing = client.get(reverse("community_register_list")).content.decode()
    assert "石桥村" in listing and "银杏社区" in listing
    assert _refused(client.get(reverse("community_register_edit", args=(shiqiao.pk,))))
    client.force_login(committee_xinghua)
    listing = client.get(reverse("community_register_list")).content.decode()
    assert "杏花村" in listing and "石桥村" not in listing
    assert client.get(reverse("community_register_edit", args=(shiqiao.pk,))).status_code == 404
    assert client.get(reverse("community_register_edit", args=(xinghua.pk,))).status_code == 200


def test_the_edit_form_refuses_an_impossible_register_and_asks_a_reason(
    client, shiqiao, committee_shiqiao
):
    client.force_login(committee_shiqiao)
    edit = reverse("community_register_edit", args=(shiqiao.pk,))
    response = client.post(edit, _edit_form(shiqiao.register, women_representatives=40))
    assert response.status_code == 200
    assert "妇女代表 40 人不能多于代表 30 人" in response.content.decode()
    response = client.post(edit, _edit_form(shiqiao.register, reason=""))
    assert response.status_code == 200 and "请填写变更理由。" in response.content.decode()
    assert shiqiao.register.history.count() == 1


def test_groups_are_added_and_removed_with_their_history(client, shiqiao, committee_shiqiao):
    client.force_login(committee_shiqiao)
    register = shiqiao.register
    data = _edit_form(register, reason="小组合并")
    data["groups-0-DELETE"] = "on"
    n = int(data["groups-TOTAL_FORMS"])
    data.update(
        {
            "groups-TOTAL_FORMS": str(n + 1),
            f"groups-{n}-name": "新合并组",
            f"groups-{n}-adults": "226",
            f"groups-{n}-households": "82",
        }
    )
    response = client.post(reverse("community_register_edit", args=(shiqiao.pk,)), data)
    assert response.status_code == 302
    names = list(register.groups.values_list("name", flat=True))
    assert "古桥组" not in names and "新合并组" in names
    kinds = {(c.what, c.kind) for c in register_history(shiqiao)[:2]}
    assert kinds == {("小组“古桥组”", "删除"), ("小组“新合并组”", "建立")}


@pytest.mark.parametrize("field", ["source", "reason", "groups-0-name"])
def test_the_edit_form_refuses_a_nul_in_chinese_and_keeps_the_register(
    client, shiqiao, committee_shiqiao, field
):
    register = shiqiao.register
    before = CommunityRegister.history.filter(community=shiqiao).count()
    client.force_login(committee_shiqiao)
    data = {**_edit_form(register), field: "户籍\x00底册"}
    response = client.post(reverse("community_register_edit", args=(shiqiao.pk,)), data)
    assert response.status_code == 200
    assert "无法识别的字符" in response.content.decode()
    assert CommunityRegister.history.filter(community=shiqiao).count() == before


def test_the_change_reason_has_a_bound(client, shiqiao, committee_shiqiao):
    client.force_login(committee_shiqiao)
    data = _edit_form(shiqiao.register, reason="长" * 100_000)
    response = client.post(reverse("community_register_edit", args=(shiqiao.pk,)), data)
    assert response.status_code == 200 and "最多 500 个字" in response.content.decode()
