"""The procedure's steps as objects: each as docs/covenants.md's table says, offered to whom and
when, and the vote rules composed per purpose (covenant, decision, deliberation)."""

import dataclasses
import datetime
from types import SimpleNamespace

import pytest
from django import forms as django_forms
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils import timezone

from community import api, forms
from community import transitions as t
from community.models import CovenantRevision, Role, Stage
from community.models.vote import VOTE_FIELD_ROWS, VOTE_FIELDS
from community.procedures import (
    VOTE_RULES,
    Violation,
    Vote,
    VotePurpose,
    as_validation_error,
    check_vote,
    errors,
)
from community.steps import ProcedureError, may_take
from consultation.models import ConsultationPage, Decision, Deliberation
from tests.community.covenant_helpers import article, chapter, edit_draft, good_vote, make_covenant

D = datetime.date
COMMITTEE, REVIEWER = Role.Kind.COMMITTEE, Role.Kind.REVIEWER


# name, from stage (None: any open stage), who, form, function: docs/covenants.md's table.
PROCEDURE_TABLE = [
    ("opinions", Stage.SOLICITING, COMMITTEE, forms.OpinionsForm, t.record_opinions),
    ("drafting", Stage.SOLICITING, COMMITTEE, forms.DraftingForm, t.begin_drafting),
    ("submit", Stage.DRAFTING, COMMITTEE, forms.SubmitForm, t.submit_for_review),
    ("review", Stage.REVIEW, REVIEWER, forms.ReviewForm, t.review),
    ("vote", Stage.VOTE, COMMITTEE, forms.VoteForm, t.record_vote),
    ("filing", Stage.FILING, REVIEWER, forms.FilingForm, t.record_filing),
    ("publish", Stage.PUBLICATION, COMMITTEE, forms.PublishForm, t.publish_adopted_revision),
    ("withdraw", None, COMMITTEE, forms.WithdrawForm, t.withdraw),
]  # fmt: skip


def test_procedure_is_the_documented_table_in_order():
    assert [(s.name, s.stage, set(s.roles), s.form_class, s.run) for s in t.PROCEDURE] == [
        (name, stage, {who}, form, run) for name, stage, who, form, run in PROCEDURE_TABLE
    ]
    assert (t.START.stage, set(t.START.roles), t.START.form_class, t.START.run) == (
        None,
        {COMMITTEE},
        forms.StartForm,
        t.start_revision,
    )


def test_steps_are_found_by_name_and_speak_for_themselves():
    assert t.step_named("vote") is t.VOTE and t.step_named("nonsense") is None
    assert t.VOTE.success == "登记表决结果：已完成。"
    assert t.START.success == "已发起修订，进入“征集民意”阶段。"
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.VOTE.label = "x"


# ---- who is offered which step, at every stage ----

OPEN_AT = {  # stage -> the steps taken from it, besides withdrawing
    Stage.SOLICITING: ["opinions", "drafting"],
    Stage.DRAFTING: ["submit"],
    Stage.REVIEW: ["review"],
    Stage.VOTE: ["vote"],
    Stage.FILING: ["filing"],
    Stage.PUBLICATION: ["publish"],
}
COMMITTEE_STEPS = {"opinions", "drafting", "submit", "vote", "publish", "withdraw"}
REVIEWER_STEPS = {"review", "filing"}


@pytest.fixture
def revision(shiqiao, committee_shiqiao):
    covenant = make_covenant(shiqiao, committee_shiqiao)
    return t.start_revision(covenant, committee_shiqiao, reason="修订", started_on=D(2026, 4, 1))


def _names(revision, user) -> list[str]:
    return [step.name for step in t.available_steps(revision, user)]


@pytest.mark.django_db
@pytest.mark.parametrize("stage", list(OPEN_AT))
def test_available_steps_for_each_role_at_each_stage(
    stage, revision, committee_shiqiao, committee_xinghua, reviewer_liuxi, reviewer_dongcheng,
    district_staff, superuser,
):  # fmt: skip
    revision.stage = stage
    everything = [*OPEN_AT[stage], "withdraw"]
    assert _names(revision, committee_shiqiao) == [n for n in everything if n in COMMITTEE_STEPS]
    assert _names(revision, reviewer_liuxi) == [n for n in everything if n in REVIEWER_STEPS]
    assert _names(revision, superuser) == everything
    # another village's committee, another township's reviewer, 区民政: read, never act
    for outsider in (committee_xinghua, reviewer_dongcheng, district_staff, None):
        assert _names(revision, outsider) == []


@pytest.mark.django_db
@pytest.mark.parametrize("stage", [Stage.PUBLISHED, Stage.WITHDRAWN])
def test_no_step_after_the_procedure_ends(stage, revision, committee_shiqiao, superuser):
    revision.stage = stage
    assert _names(revision, committee_shiqiao) == [] and _names(revision, superuser) == []


@pytest.mark.django_db
def test_may_take_is_what_the_functions_enforce(
    revision, shiqiao, committee_shiqiao, reviewer_liuxi, superuser
):
    assert may_take(t.VOTE, committee_shiqiao, shiqiao)
    assert not may_take(t.VOTE, reviewer_liuxi, shiqiao)
    assert may_take(t.REVIEW, reviewer_liuxi, shiqiao, kinds={REVIEWER})
    assert not may_take(t.REVIEW, reviewer_liuxi, shiqiao, kinds=set())  # the caller's kinds
    assert may_take(t.REVIEW, superuser, shiqiao, kinds=set())
    superuser.is_active = False
    assert not may_take(t.REVIEW, superuser, shiqiao)
    with pytest.raises(PermissionDenied, match="只有本村\\(社区\\)委员会成员可以登记征集到的意见"):
        t.record_opinions(revision, reviewer_liuxi, received=1, summary="-")
    with pytest.raises(ProcedureError, match="不能提请审核（须在“拟定草案”阶段进行"):
        t.submit_for_review(revision, committee_shiqiao)


# ---- the forms, made for their revision ----


@pytest.mark.django_db
def test_each_step_form_is_made_for_its_revision(revision, yinxing):
    revision.stage = Stage.VOTE
    vote = t.VOTE.form(revision)
    # a village's form asks no 居民小组 representatives (a 2018 urban route)
    assert list(vote.fields) == [
        "party_discussed_on", "party_body", *(f for f in VOTE_FIELDS if f != "group_representatives")
    ]  # fmt: skip
    assert [k for k, _ in vote.fields["meeting_kind"].choices] == [
        "village_assembly",
        "village_representatives",
    ]
    community = revision.community
    assert vote.initial == {
        "eligible": community.adult_residents,
        "households": community.households,
        "authorisation": community.representatives_authorisation,
    }
    assert t.FILING.form(revision).initial == {"authority": "柳溪镇人民政府"}
    assert t.SUBMIT.form(revision).initial == {}
    revision.community = yinxing
    assert [k for k, _ in t.VOTE.form(revision).fields["meeting_kind"].choices] == [
        "residents_assembly",
        "residents_representatives",
    ]
    assert t.FILING.form(revision).initial == {"authority": "东城街道办事处"}


def test_vote_form_asks_a_whole_tally():
    form = forms.VoteForm(
        {"meeting_kind": "village_assembly", "present": "-1"},
        revision=_fake_revision("village"),
    )
    assert not form.is_valid()
    assert "notice_date" not in form.errors  # only an assembly needs one: the rules say so
    assert set(form.errors) == set(VOTE_FIELDS) - {"meeting_kind"} - forms.OPTIONAL_VOTE_FIELDS


def _fake_revision(kind):
    community = SimpleNamespace(
        kind=kind, adult_residents=10, households=5, representatives_authorisation=""
    )
    return SimpleNamespace(community=community)


# ---- the vote fields, declared once ----


def test_vote_fields_are_declared_once_and_followed():
    assert tuple(name for row in VOTE_FIELD_ROWS for name in row) == VOTE_FIELDS
    assert len(set(VOTE_FIELDS)) == len(VOTE_FIELDS) == 14
    # what the record adds (vote_context), the register and the district's setting aside, every
    # rule input is a vote field; the text of an authorisation is read as `authorised`
    rule_inputs = {f.name for f in dataclasses.fields(Vote)} - {
        "community_kind", "authorised", "purpose", "register", "delegated_covenant_allowed",
        "party_discussed_on", "party_body", "matter", "group",
    }  # fmt: skip
    assert set(VOTE_FIELDS) - {"authorisation"} == rule_inputs
    assert set(VOTE_FIELDS) <= {f.name for f in CovenantRevision._meta.fields}
    served = set(api.VersionSchema.model_fields)
    assert set(VOTE_FIELDS) - served == {"notice_date", "women_present"}  # as the API always was


# ---- the vote check, composed per purpose ----


def village(**kw) -> Vote:
    base = dict(
        meeting_kind="village_assembly", community_kind="village", eligible=830, present=416,
        votes_for=300, households=600, women_present=200, meeting_date=D(2026, 6, 20),
        notice_date=D(2026, 6, 10), party_discussed_on=D(2026, 6, 1), party_body="村党支部",
    )  # fmt: skip
    return Vote(**{**base, **kw})


def reps(**kw) -> Vote:
    base = dict(
        meeting_kind="village_representatives", community_kind="village", eligible=45,
        present=30, votes_for=16, women_present=15, authorised=True, meeting_date=D(2026, 6, 20),
        party_discussed_on=D(2026, 6, 1), party_body="村党支部",
    )  # fmt: skip
    return Vote(**{**base, **kw})


def refused(vote: Vote) -> set[str]:
    return {v.code for v in errors(check_vote(vote))}


COVENANT, DECISION, DELIBERATION = (
    VotePurpose.COVENANT,
    VotePurpose.DECISION,
    VotePurpose.DELIBERATION,
)


@pytest.mark.parametrize(
    ("vote", "covenant", "decision", "deliberation"),
    [
        (village(), set(), set(), set()),
        # the majority refuses a covenant and a decision; a consultation records it as its result
        (village(votes_for=208), {"majority"}, {"majority"}, set()),
        # a 代表会议 decides what its assembly authorised (a consultation's vote records a
        # result); a 村规民约 is the 村民会议's unless the district allows otherwise
        (reps(authorised=False), {"covenant_body", "authorisation"}, {"authorisation"}, set()),
        (reps(), {"covenant_body"}, set(), set()),
        # every purpose: quorum, notice, and numbers that add up
        (village(present=415), {"quorum"}, {"quorum"}, {"quorum"}),
        (village(notice_date=D(2026, 6, 11)), {"notice"}, {"notice"}, {"notice"}),
        (village(notice_date=None), {"notice_missing"}, {"notice_missing"}, {"notice_missing"}),
        (reps(present=29, votes_for=16, women_present=10), {"covenant_body"}, {"quorum"}, {"quorum"}),
        (village(votes_for=500), {"votes_exceed_present"}, {"votes_exceed_present"}, {"votes_exceed_present"}),
        (village(present=831, votes_for=500), {"present_exceeds_eligible"}, {"present_exceeds_eligible"}, {"present_exceeds_eligible"}),
        (village(households_represented=601), {"households_exceed_total"}, {"households_exceed_total"}, {"households_exceed_total"}),
        (village(women_present=417), {"women_exceed_present"}, {"women_exceed_present"}, {"women_exceed_present"}),
        (village(present=-1), {"negative"}, {"negative"}, {"negative"}),
        (village(eligible=0, present=0, votes_for=0, women_present=0), {"no_eligible"}, {"no_eligible"}, {"no_eligible"}),
        (village(community_kind="urban"), {"meeting_kind"}, {"meeting_kind"}, {"meeting_kind"}),
        (village(meeting_kind=""), {"meeting_kind_missing"}, {"meeting_kind_missing"}, {"meeting_kind_missing"}),
    ],
)  # fmt: skip
def test_each_purpose_keeps_its_rules(vote, covenant, decision, deliberation):
    found = {
        p: refused(dataclasses.replace(vote, purpose=p)) for p in (COVENANT, DECISION, DELIBERATION)
    }
    assert found == {COVENANT: covenant, DECISION: decision, DELIBERATION: deliberation}


@pytest.mark.parametrize("purpose", list(VotePurpose))
def test_women_under_a_third_is_a_warning_for_every_purpose(purpose):
    found = check_vote(village(present=600, votes_for=400, women_present=199, purpose=purpose))
    assert [(v.code, v.warning) for v in found] == [("women_present", True)]


def test_a_vote_is_checked_for_a_covenant_unless_it_says_otherwise():
    assert (
        Vote(meeting_kind="", community_kind="village", eligible=1, present=1, votes_for=1).purpose
        == COVENANT
    )
    assert set(VOTE_RULES) == set(VotePurpose)


@pytest.mark.django_db
def test_a_covenant_vote_that_fails_its_majority_is_refused(
    shiqiao, committee_shiqiao, reviewer_liuxi
):
    covenant = make_covenant(shiqiao, committee_shiqiao)
    rev = t.start_revision(covenant, committee_shiqiao, reason="修订", started_on=D(2026, 4, 1))
    t.begin_drafting(rev, committee_shiqiao)
    t.submit_for_review(rev, committee_shiqiao, submitted_on=D(2026, 5, 10))
    t.review(rev, reviewer_liuxi, passed=True, opinion="合法", reviewed_on=D(2026, 5, 20))
    with pytest.raises(ProcedureError) as refusal:
        t.record_vote(rev, committee_shiqiao, **good_vote(votes_for=450))  # of 900 present
    assert [(v.code, v.field) for v in refusal.value.violations] == [("majority", "votes_for")]
    assert CovenantRevision.objects.get(pk=rev.pk).stage == Stage.VOTE


def _deliberation(community, **tally) -> Deliberation:
    return Deliberation(
        agenda=ConsultationPage.objects.descendant_of(community).first(),
        held_at=timezone.now(), chair="王", recorder="周", outcome="未通过",
        meeting_kind="village_assembly", meeting_date=D(2026, 6, 20), notice_date=D(2026, 6, 1),
        **tally,
    )  # fmt: skip


@pytest.mark.django_db
def test_a_deliberation_whose_majority_fails_is_accepted_as_its_result(shiqiao):
    record = _deliberation(shiqiao, eligible=1203, present=700, votes_for=300, women_present=300)
    assert {v.code for v in errors(check_vote(record.vote(shiqiao)))} == set()
    assert [v.code for v in errors(record.check_vote(shiqiao))] == []
    record.full_clean()
    # ... while its quorum is still asked, on the field that is wrong
    record.present, record.votes_for = 601, 500
    with pytest.raises(ValidationError) as refusal:
        record.full_clean()
    assert list(refusal.value.message_dict) == ["present"]


def _decision(community, **tally) -> Decision:
    return Decision(
        community=community, title="事项", summary="说明",
        proposal_on=D(2026, 1, 1), discussion_on=D(2026, 1, 2), party_review_on=D(2026, 1, 3),
        meeting_date=D(2026, 1, 4), **tally,
    )  # fmt: skip


@pytest.mark.django_db
def test_a_decision_by_village_representatives_needs_the_assemblys_authorisation(shiqiao):
    """村民委员会组织法（2025年修正）第二十八条: the 代表会议 decides what the 村民会议 authorised."""
    decision = _decision(
        shiqiao, meeting_kind="village_representatives", eligible=35, present=24, votes_for=20,
        women_present=8,
    )  # fmt: skip
    with pytest.raises(ValidationError) as refusal:
        decision.full_clean()
    assert "第二十八条" in refusal.value.message_dict["authorisation"][0]
    decision.authorisation = "2026年1月村民会议授权决议"
    decision.full_clean()
    # as a covenant vote it would still be refused: the 村规民约 is the 村民会议's
    covenant_vote = dataclasses.replace(decision.vote(shiqiao), purpose=COVENANT)
    assert refused(covenant_vote) == {"covenant_body"}
    decision.votes_for = 12  # of 24 present
    with pytest.raises(ValidationError) as refusal:
        decision.full_clean()
    assert list(refusal.value.message_dict) == ["votes_for"]


# ---- violations as form and model errors ----


def test_violations_become_errors_on_the_fields_that_exist():
    found = [
        Violation("quorum", "法定人数不足。", "present"),
        Violation("majority", "赞成票不足。", "votes_for"),
        Violation("filing_missing", "请填写备案机关。", "filing_number"),
        Violation("stage", "阶段不对。"),
        Violation("women_present", "女性不足三分之一。", "women_present", warning=True),
    ]
    error = as_validation_error(found, fields={"present", "votes_for", "women_present"})
    assert error.message_dict == {
        "present": ["法定人数不足。"],
        "votes_for": ["赞成票不足。"],
        NON_FIELD_ERRORS: ["请填写备案机关。", "阶段不对。"],  # warnings never refuse
    }
    to_default = as_validation_error(found[2:], fields=set(), default="meeting_kind")
    assert to_default.message_dict == {"meeting_kind": ["请填写备案机关。", "阶段不对。"]}
    assert as_validation_error(found[4:], fields={"women_present"}).error_dict == {}


def test_a_refused_step_shows_on_its_form():
    class Form(django_forms.Form):
        number = django_forms.CharField()

    form = Form({"number": "1"})
    assert form.is_valid()
    ProcedureError(
        [Violation("a", "编号重复。", "number"), Violation("b", "尚未表决。", "meeting_date")]
    ).apply_to(form)
    assert form.errors == {"number": ["编号重复。"], NON_FIELD_ERRORS: ["尚未表决。"]}
    assert "number" not in form.cleaned_data


# ---- the version in force ----


def _adopt(covenant, committee, reviewer, year, effective_on=None) -> CovenantRevision:
    rev = t.start_revision(covenant, committee, reason="修订", started_on=D(year, 3, 1))
    t.begin_drafting(rev, committee)
    t.submit_for_review(rev, committee, submitted_on=D(year, 4, 1))
    t.review(rev, reviewer, passed=True, opinion="合法", reviewed_on=D(year, 4, 10))
    t.record_vote(
        rev, committee, **good_vote(meeting_date=D(year, 5, 1), notice_date=D(year, 4, 20))
    )
    t.record_filing(
        rev, reviewer, authority="柳溪镇人民政府", number=f"{year}-1", filed_on=D(year, 5, 5)
    )
    return t.publish_adopted_revision(
        rev,
        committee,
        version_label=f"{year}年版",
        published_on=D(year, 5, 8),
        effective_on=effective_on,
    )


@pytest.mark.django_db
def test_the_latest_version_is_live_and_in_force_from_its_effective_date(
    shiqiao, committee_shiqiao, reviewer_liuxi
):
    """公布 puts the voted text live; until its 施行日期 (effective_on) the previous version stays
    in force (tests/community/test_in_force_dates.py has the pages and the API)."""
    covenant = make_covenant(shiqiao, committee_shiqiao)
    v1 = _adopt(covenant, committee_shiqiao, reviewer_liuxi, 2023)
    edit_draft(covenant, committee_shiqiao, [chapter("c9", "新章", article("n1", "新条文"))])
    v2 = _adopt(covenant, committee_shiqiao, reviewer_liuxi, 2026, effective_on=D(2099, 1, 1))
    revisions = CovenantRevision.objects.filter(covenant=covenant)
    assert revisions.latest() == v2
    assert revisions.in_force() == v1 == covenant.in_force()
    assert revisions.in_force(on=D(2099, 1, 1)) == v2 == covenant.in_force(D(2099, 1, 1))
    assert list(covenant.versions()) == [v2, v1]
    assert revisions.latest(before=v2) == v1
    assert revisions.latest(before=v1) is None
    covenant.refresh_from_db()
    assert covenant.live_revision_id == v2.voted_revision_id
    assert covenant.current_version["id"] == v1.pk
    assert covenant.upcoming_version["id"] == v2.pk
    opened = t.start_revision(
        covenant, committee_shiqiao, reason="再修订", started_on=D(2026, 9, 1)
    )
    assert revisions.latest(before=opened) == v2


def test_the_short_notice_reason_is_a_short_box():
    """The reason is a line or two: a default ten-row box pushed the tallies below the screen."""
    form = forms.VoteForm(revision=_fake_revision("village"))
    assert 'rows="2"' in str(form["short_notice_reason"])
