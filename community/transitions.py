"""One function per step of the covenant procedure, and PROCEDURE, which declares each step with
its function. The admin and the API call these, never `CovenantRevision.save()` directly: each
checks who may act, that no stage is skipped, and the rules in community.procedures, then records
who did it and why in the simple-history log."""

import copy
import datetime

from django.db import transaction
from django.utils import timezone

from cms.display import local_date, local_datetime
from community import forms
from community.models import CovenantPage, CovenantRevision, Stage
from community.models.covenant import same_text
from community.models.guard import publishing_adopted_revision
from community.models.register import register_of, register_warnings, snapshot
from community.opinions import require_answered
from community.permissions import policy_for
from community.procedures import REPRESENTATIVES, check_filing, check_vote, errors, legal_basis
from community.steps import (
    CLOSED_STAGES,
    COMMITTEE,
    REVIEWER,
    ProcedureError,
    Step,
    may_take,
    refuse,
    require,
    require_role,
)


def _not_before(
    day: datetime.date, previous: datetime.date | None, what: str, previous_what: str, field: str
):
    if previous and day < previous:
        refuse(
            "date_order",
            f"{what} {local_date(day)} 早于{previous_what} {local_date(previous)}。",
            field,
        )


def _not_after_today(day: datetime.date, what: str, field: str) -> None:
    """A step records what was done: its date cannot be ahead of today (a 施行日期 may be)."""
    today = _today()
    if day > today:
        refuse(
            "date_in_future",
            f"{what} {local_date(day)} 晚于今天（{local_date(today)}），不能预先登记。",
            field,
        )


def _save(revision: CovenantRevision, user, reason: str) -> CovenantRevision:
    revision._change_reason = reason
    revision._history_user = user
    revision.save()
    return revision


def _today() -> datetime.date:
    return timezone.localdate()


@transaction.atomic
def start_revision(
    covenant: CovenantPage,
    user,
    *,
    reason: str,
    started_on: datetime.date | None = None,
    imported: bool = False,
) -> CovenantRevision:
    community = covenant.get_parent().specific
    require_role(START, user, community)
    if not reason.strip():
        refuse("reason_missing", "请写明修订缘由。", "reason")
    if CovenantRevision.objects.filter(covenant=covenant).open().exists():
        refuse("already_open", "这份公约已有一次正在进行的修订，请先完成或撤回。")
    revision = CovenantRevision(
        covenant=covenant,
        community=community,
        reason=reason,
        soliciting_started_on=started_on or _today(),
        imported=imported,
    )
    return _save(revision, user, f"征集民意：{reason}")


@transaction.atomic
def record_opinions(
    revision: CovenantRevision, user, *, received: int, summary: str
) -> CovenantRevision:
    require(OPINIONS, revision, user)
    revision.opinions_received = received
    revision.opinions_summary = summary
    return _save(revision, user, f"登记意见 {received} 条")


@transaction.atomic
def begin_drafting(revision: CovenantRevision, user, *, reason: str = "") -> CovenantRevision:
    require(DRAFTING, revision, user)
    revision.stage = Stage.DRAFTING
    return _save(revision, user, reason or "征集民意结束，拟定草案")


@transaction.atomic
def submit_for_review(
    revision: CovenantRevision, user, *, submitted_on: datetime.date | None = None, reason: str = ""
) -> CovenantRevision:
    """Submit the covenant's current draft (its latest Wagtail revision) to the township. A draft
    that says what the version in force says (same preamble, chapters and articles by text and
    links, whatever the markup: `same_text`) is no revision and is refused."""
    require(SUBMIT, revision, user)
    covenant = revision.covenant
    covenant.refresh_from_db(fields=["latest_revision"])
    draft = covenant.latest_revision
    if draft is None:
        refuse("no_draft", "还没有草案：请先在页面编辑器中保存公约草稿，再提请审核。")
    # The text the draft was made from: the newest adopted version (live, in force or not yet).
    base = (
        CovenantRevision.objects.filter(covenant_id=covenant.pk)
        .select_related("voted_revision")
        .latest(before=revision)
    )
    if base is not None and same_text(base.voted_revision.as_object(), draft.as_object()):
        refuse("draft_unchanged", "草案与现行版本相同，请先在编辑页修改条文")
    # Every opinion moderated and answered first, while the comment window asks for it.
    require_answered(revision, draft)
    day = submitted_on or _today()
    _not_before(day, revision.soliciting_started_on, "提请审核日期", "征集开始日期", "submitted_on")
    revision.draft_revision = draft
    revision.submitted_on = day
    # A resubmission after a return awaits a new verdict: the returned one stays in the history,
    # not on the record as if it were this draft's.
    revision.reviewer = None
    revision.reviewed_on = None
    revision.review_opinion = ""
    revision.review_passed = None
    revision.stage = Stage.REVIEW
    return _save(
        revision, user, reason or f"提请审核（{local_datetime(draft.created_at)} 保存的草稿）"
    )


@transaction.atomic
def review(
    revision: CovenantRevision,
    user,
    *,
    passed: bool,
    opinion: str,
    reviewed_on: datetime.date | None = None,
) -> CovenantRevision:
    """合法性审查 by the township: passing opens the vote; not passing returns the draft."""
    require(REVIEW, revision, user)
    if not opinion.strip():
        refuse("opinion_missing", "请填写合法性审查意见。", "review_opinion")
    day = reviewed_on or _today()
    _not_before(day, revision.submitted_on, "审核日期", "提请审核日期", "reviewed_on")
    revision.reviewer = user
    revision.reviewed_on = day
    revision.review_opinion = opinion
    revision.review_passed = passed
    if passed:
        revision.reviewed_revision = revision.draft_revision
        revision.stage = Stage.VOTE
        return _save(revision, user, f"审核通过：{opinion}")
    revision.reviewed_revision = None
    revision.stage = Stage.DRAFTING
    return _save(revision, user, f"审核未通过，退回修改：{opinion}")


@transaction.atomic
def record_vote(revision: CovenantRevision, user, *, reason: str = "", **tally) -> CovenantRevision:
    """Record the assembly's vote on the reviewed draft and pin that draft as the voted text."""
    require(VOTE, revision, user)
    covenant = revision.covenant
    covenant.refresh_from_db(fields=["latest_revision"])
    if covenant.latest_revision_id != revision.reviewed_revision_id:
        refuse(
            "draft_changed",
            f"草案在审核后又被修改（审核的是第 {revision.reviewed_revision_id} 号版本，"
            f"当前是第 {covenant.latest_revision_id} 号版本）。表决的文本必须是审核过的文本，请重新提请审核。",
        )
    community = revision.community
    if tally.get("meeting_kind") not in REPRESENTATIVES:
        tally["authorisation"] = ""  # only a representatives' assembly acts on an authorisation
    elif not tally.get("authorisation"):
        tally["authorisation"] = community.representatives_authorisation
    candidate = copy.copy(revision)
    for name, value in tally.items():
        setattr(candidate, name, value)
    register = register_of(community)
    vote = candidate.vote(community, register)
    if vote.meeting_date is None:
        refuse("meeting_date_missing", "请填写会议日期。", "meeting_date")
    _not_before(vote.meeting_date, revision.reviewed_on, "会议日期", "审核日期", "meeting_date")
    for day, what, field in (
        (vote.meeting_date, "会议日期", "meeting_date"),
        (vote.party_discussed_on, "党组织研究讨论日期", "party_discussed_on"),
    ):
        if day and day > _today():
            refuse(
                "date_in_future",
                f"{what} {local_date(day)} 晚于今天（{local_date(_today())}），请在会议之后登记表决结果。",
                field,
            )
    found = check_vote(vote)
    if errors(found):
        raise ProcedureError(errors(found))
    for name, value in tally.items():
        setattr(revision, name, value)
    revision.register_snapshot = snapshot(register)
    found.extend(register_warnings(community, vote.meeting_date, timezone.now()))
    revision.warnings = [{"code": v.code, "message": v.message} for v in found]
    revision.voted_revision = revision.reviewed_revision
    revision.stage = Stage.FILING
    basis = "；".join(p.citation for p in legal_basis(vote))
    said = reason or f"表决通过：赞成 {vote.votes_for} 票，到会 {vote.present} 人"
    return _save(revision, user, f"{said}（依据：{basis}）")


@transaction.atomic
def record_filing(
    revision: CovenantRevision,
    user,
    *,
    authority: str,
    number: str,
    filed_on: datetime.date,
    max_days: int = 10,
) -> CovenantRevision:
    """备案: the township (sub-district) accepts the adopted text."""
    require(FILING, revision, user)
    if not (authority.strip() and number.strip()):
        refuse("filing_missing", "请填写备案机关和备案编号。", "filing_number")
    found = check_filing(revision.meeting_date, filed_on, max_days)
    if errors(found):
        raise ProcedureError(errors(found))
    _not_after_today(filed_on, "备案日期", "filed_on")
    revision.filing_authority = authority
    revision.filing_number = number
    revision.filed_on = filed_on
    revision.warnings = [
        *revision.warnings,
        *({"code": v.code, "message": v.message} for v in found),
    ]
    revision.stage = Stage.PUBLICATION
    return _save(revision, user, f"备案：{authority} {number}")


@transaction.atomic
def publish_adopted_revision(
    revision: CovenantRevision,
    user,
    *,
    version_label: str,
    published_on: datetime.date | None = None,
    effective_on: datetime.date | None = None,
) -> CovenantRevision:
    """公布: the voted text goes live, whatever the draft has become since."""
    require(PUBLISH, revision, user)
    if not revision.filed_on:
        refuse("filing_missing", "尚未备案，不能公布。")
    if not version_label.strip():
        refuse("version_label_missing", "请填写版本名称，例如“2024年修订”。", "version_label")
    day = published_on or _today()
    _not_before(day, revision.filed_on, "公布日期", "备案日期", "published_on")
    _not_after_today(day, "公布日期", "published_on")
    if effective_on is not None:
        _not_before(effective_on, day, "施行日期", "公布日期", "effective_on")
    latest = CovenantRevision.objects.filter(covenant=revision.covenant).latest()
    if latest and day < latest.published_on:
        refuse(
            "older_than_in_force",
            f"公布日期 {local_date(day)} 早于上一版本“{latest.version_label}”的公布日期 "
            f"{local_date(latest.published_on)}。补录历史版本请按时间先后顺序录入。",
            "published_on",
        )
    with publishing_adopted_revision(revision.voted_revision_id):
        revision.voted_revision.publish(
            user=user, skip_permission_checks=True, log_action="wagtail.publish"
        )
    revision.published_on = day
    revision.effective_on = effective_on or day
    revision.version_label = version_label
    revision.stage = Stage.PUBLISHED
    return _save(revision, user, f"公布：{version_label}")


@transaction.atomic
def withdraw(revision: CovenantRevision, user, *, reason: str) -> CovenantRevision:
    require(WITHDRAW, revision, user)
    if revision.stage in CLOSED_STAGES:
        refuse("stage", f"这次修订已{revision.get_stage_display()}，不能撤回。")
    if not reason.strip():
        refuse("reason_missing", "请写明撤回理由。", "withdrawn_reason")
    revision.withdrawn_reason = reason
    revision.stage = Stage.WITHDRAWN
    return _save(revision, user, f"撤回：{reason}")


# The procedure as a table, one step each: name, label, the stage it is taken from (None: any open
# stage), who takes it, its form and its function; `act` and `stage_act` are the words of its
# refusals ("只有……可以{act}。", "……不能{stage_act}"). START acts on a covenant, the rest on a
# revision, in the order the admin offers them.
# fmt: off
START = Step(
    "start", "发起修订", None, COMMITTEE, forms.StartForm, start_revision,
    act="发起公约修订", done="已发起修订，进入“征集民意”阶段。",
)
OPINIONS = Step(
    "opinions", "登记意见", Stage.SOLICITING, COMMITTEE, forms.OpinionsForm, record_opinions,
    act="登记征集到的意见", stage_act="登记意见",
)
DRAFTING = Step(
    "drafting", "开始拟定草案", Stage.SOLICITING, COMMITTEE, forms.DraftingForm, begin_drafting,
    act="进入拟定草案阶段", stage_act="开始拟定草案",
)
SUBMIT = Step(
    "submit", "提请审核", Stage.DRAFTING, COMMITTEE, forms.SubmitForm, submit_for_review,
    act="提请审核", stage_act="提请审核",
)
REVIEW = Step(
    "review", "合法性审查", Stage.REVIEW, REVIEWER, forms.ReviewForm, review,
    act="审核本村(社区)的公约草案", stage_act="审核",
)
VOTE = Step(
    "vote", "登记表决结果", Stage.VOTE, COMMITTEE, forms.VoteForm, record_vote,
    act="登记表决结果", stage_act="登记表决结果",
)
FILING = Step(
    "filing", "办理备案", Stage.FILING, REVIEWER, forms.FilingForm, record_filing,
    act="办理备案", stage_act="备案",
)
PUBLISH = Step(
    "publish", "公布", Stage.PUBLICATION, COMMITTEE, forms.PublishForm, publish_adopted_revision,
    act="公布公约", stage_act="公布",
)
WITHDRAW = Step(
    "withdraw", "撤回修订", None, COMMITTEE, forms.WithdrawForm, withdraw,
    act="撤回修订",
)
PROCEDURE: tuple[Step, ...] = (OPINIONS, DRAFTING, SUBMIT, REVIEW, VOTE, FILING, PUBLISH, WITHDRAW)
# fmt: on
STEPS_BY_NAME = {step.name: step for step in PROCEDURE}


def step_named(name: str) -> Step | None:
    return STEPS_BY_NAME.get(name)


def available_steps(revision: CovenantRevision, user, kinds: set[str] | None = None) -> list[Step]:
    """The steps `user` may take on `revision` now, for the admin's buttons; `kinds`: the user's
    role kinds in the revision's community, when the caller has them already."""
    if revision.stage in CLOSED_STAGES:
        return []
    kinds = policy_for(user).kinds_in(revision.community) if kinds is None else kinds
    return [
        step
        for step in PROCEDURE
        if step.is_open_on(revision) and may_take(step, user, revision.community, kinds)
    ]
