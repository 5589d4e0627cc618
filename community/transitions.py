"""One function per step of the covenant procedure. The admin and the API call these, never
`CovenantRevision.save()` directly: each checks who may act, that no stage is skipped, and the
rules in community.procedures, then records who did it and why in the simple-history log."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from community.models import CommunityPage, CovenantPage, CovenantRevision, Role, Stage
from community.models.covenant import publishing_adopted_revision
from community.permissions import policy_for
from community.procedures import Violation, Vote, check_filing, check_vote, errors

COMMITTEE = {Role.Kind.COMMITTEE}
REVIEWER = {Role.Kind.REVIEWER}
ROLE_NAMES = {
    Role.Kind.COMMITTEE: "本村(社区)委员会成员",
    Role.Kind.REVIEWER: "所属乡镇(街道)的审核人员",
}


class ProcedureError(ValidationError):
    """A refused step; `violations` carry codes, Chinese messages and the offending field."""

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        super().__init__([v.message for v in violations])


def _refuse(code: str, message: str, field: str | None = None):
    raise ProcedureError([Violation(code, message, field)])


def _require_role(user, community: CommunityPage, allowed: set[str], action: str) -> None:
    if user is not None and user.is_active and user.is_superuser:
        return
    if not policy_for(user).kinds_in(community) & allowed:
        who = "或".join(ROLE_NAMES[k] for k in allowed)
        raise PermissionDenied(f"只有{who}可以{action}。")


def _require_stage(revision: CovenantRevision, *stages: Stage, action: str) -> None:
    if revision.stage not in stages:
        expected = "、".join(s.label for s in stages)
        _refuse(
            "stage",
            f"这次修订当前处于“{revision.get_stage_display()}”阶段，不能{action}"
            f"（须在“{expected}”阶段进行，程序不能跳过或颠倒）。",
        )


def _not_before(
    day: datetime.date, previous: datetime.date | None, what: str, previous_what: str, field: str
):
    if previous and day < previous:
        _refuse(
            "date_order",
            f"{what} {day:%Y年%m月%d日} 早于{previous_what} {previous:%Y年%m月%d日}。",
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
    _require_role(user, community, COMMITTEE, "发起公约修订")
    if not reason.strip():
        _refuse("reason_missing", "请写明修订缘由。", "reason")
    if CovenantRevision.objects.filter(covenant=covenant).open().exists():
        _refuse("already_open", "这份公约已有一次正在进行的修订，请先完成或撤回。")
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
    _require_role(user, revision.community, COMMITTEE, "登记征集到的意见")
    _require_stage(revision, Stage.SOLICITING, action="登记意见")
    revision.opinions_received = received
    revision.opinions_summary = summary
    return _save(revision, user, f"登记意见 {received} 条")


@transaction.atomic
def begin_drafting(revision: CovenantRevision, user, *, reason: str = "") -> CovenantRevision:
    _require_role(user, revision.community, COMMITTEE, "进入拟定草案阶段")
    _require_stage(revision, Stage.SOLICITING, action="开始拟定草案")
    revision.stage = Stage.DRAFTING
    return _save(revision, user, reason or "征集民意结束，拟定草案")


@transaction.atomic
def submit_for_review(
    revision: CovenantRevision, user, *, submitted_on: datetime.date | None = None, reason: str = ""
) -> CovenantRevision:
    """Submit the covenant's current draft (its latest Wagtail revision) to the township."""
    _require_role(user, revision.community, COMMITTEE, "提请审核")
    _require_stage(revision, Stage.DRAFTING, action="提请审核")
    revision.covenant.refresh_from_db(fields=["latest_revision"])
    draft = revision.covenant.latest_revision
    if draft is None:
        _refuse("no_draft", "还没有草案：请先在页面编辑器中保存公约草稿，再提请审核。")
    day = submitted_on or _today()
    _not_before(day, revision.soliciting_started_on, "提请审核日期", "征集开始日期", "submitted_on")
    revision.draft_revision = draft
    revision.submitted_on = day
    revision.stage = Stage.REVIEW
    return _save(revision, user, reason or f"提请审核（草案版本 {draft.pk}）")


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
    _require_role(user, revision.community, REVIEWER, "审核本村(社区)的公约草案")
    _require_stage(revision, Stage.REVIEW, action="审核")
    if not opinion.strip():
        _refuse("opinion_missing", "请填写合法性审查意见。", "review_opinion")
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
    _require_role(user, revision.community, COMMITTEE, "登记表决结果")
    _require_stage(revision, Stage.VOTE, action="登记表决结果")
    covenant = revision.covenant
    covenant.refresh_from_db(fields=["latest_revision"])
    if covenant.latest_revision_id != revision.reviewed_revision_id:
        _refuse(
            "draft_changed",
            f"草案在审核后又被修改（审核的是第 {revision.reviewed_revision_id} 号版本，"
            f"当前是第 {covenant.latest_revision_id} 号版本）。表决的文本必须是审核过的文本，请重新提请审核。",
        )
    community = revision.community
    vote = Vote(
        community_kind=community.kind,
        authorised=bool(community.representatives_authorisation),
        **tally,
    )
    if vote.meeting_date is None:
        _refuse("meeting_date_missing", "请填写会议日期。", "meeting_date")
    _not_before(vote.meeting_date, revision.reviewed_on, "会议日期", "审核日期", "meeting_date")
    found = check_vote(vote)
    if errors(found):
        raise ProcedureError(errors(found))
    for name, value in tally.items():
        setattr(revision, name, value)
    if vote.meeting_kind == "village_representatives":
        revision.authorisation = community.representatives_authorisation
    registered = (
        community.representatives
        if vote.meeting_kind == "village_representatives"
        else community.adult_residents
    )
    if vote.meeting_kind != "residents_assembly" and registered and vote.eligible != registered:
        found.append(
            Violation(
                "eligible_differs",
                f"应到人数 {vote.eligible} 与{community.title}登记的 {registered} 人不一致，请审核人员核实。",
                "eligible",
                warning=True,
            )
        )
    revision.warnings = [{"code": v.code, "message": v.message} for v in found]
    revision.voted_revision = revision.reviewed_revision
    revision.stage = Stage.FILING
    return _save(
        revision, user, reason or f"表决通过：赞成 {vote.votes_for} 票，到会 {vote.present} 人"
    )


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
    _require_role(user, revision.community, REVIEWER, "办理备案")
    _require_stage(revision, Stage.FILING, action="备案")
    if not (authority.strip() and number.strip()):
        _refuse("filing_missing", "请填写备案机关和备案编号。", "filing_number")
    found = check_filing(revision.meeting_date, filed_on, max_days)
    if errors(found):
        raise ProcedureError(errors(found))
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
    _require_role(user, revision.community, COMMITTEE, "公布公约")
    _require_stage(revision, Stage.PUBLICATION, action="公布")
    if not revision.filed_on:
        _refuse("filing_missing", "尚未备案，不能公布。")
    if not version_label.strip():
        _refuse("version_label_missing", "请填写版本名称，例如“2024年修订”。", "version_label")
    day = published_on or _today()
    _not_before(day, revision.filed_on, "公布日期", "备案日期", "published_on")
    in_force = revision.covenant.versions().exclude(pk=revision.pk).first()
    if in_force and day < in_force.published_on:
        _refuse(
            "older_than_in_force",
            f"公布日期 {day:%Y年%m月%d日} 早于现行版本“{in_force.version_label}”的公布日期 "
            f"{in_force.published_on:%Y年%m月%d日}。补录历史版本请按时间先后顺序录入。",
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
    _require_role(user, revision.community, COMMITTEE, "撤回修订")
    if revision.stage in (Stage.PUBLISHED, Stage.WITHDRAWN):
        _refuse("stage", f"这次修订已{revision.get_stage_display()}，不能撤回。")
    if not reason.strip():
        _refuse("reason_missing", "请写明撤回理由。", "withdrawn_reason")
    revision.withdrawn_reason = reason
    revision.stage = Stage.WITHDRAWN
    return _save(revision, user, f"撤回：{reason}")


# step name -> (label, stage it starts from, roles that may take it, function, form field -> kwarg)
STEPS = {
    "opinions": ("登记意见", Stage.SOLICITING, COMMITTEE, record_opinions),
    "drafting": ("开始拟定草案", Stage.SOLICITING, COMMITTEE, begin_drafting),
    "submit": ("提请审核", Stage.DRAFTING, COMMITTEE, submit_for_review),
    "review": ("合法性审查", Stage.REVIEW, REVIEWER, review),
    "vote": ("登记表决结果", Stage.VOTE, COMMITTEE, record_vote),
    "filing": ("办理备案", Stage.FILING, REVIEWER, record_filing),
    "publish": ("公布", Stage.PUBLICATION, COMMITTEE, publish_adopted_revision),
    "withdraw": ("撤回修订", None, COMMITTEE, withdraw),
}


def available_steps(revision: CovenantRevision, user, kinds: set[str] | None = None) -> list[str]:
    """The steps `user` may take on `revision` now, for the admin's buttons."""
    if revision.stage in (Stage.PUBLISHED, Stage.WITHDRAWN):
        return []
    kinds = policy_for(user).kinds_in(revision.community) if kinds is None else kinds
    superuser = bool(user and user.is_active and user.is_superuser)
    return [
        name
        for name, (_label, stage, roles, _fn) in STEPS.items()
        if (stage is None or stage == revision.stage) and (superuser or kinds & roles)
    ]
