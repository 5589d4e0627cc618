"""The rules of residents' opinions on a draft, from the committee's and the reviewer's side: the
comment window, moderation, offline opinions, answers, what 提请审核 waits for, the real count by
source, and the township reviewer's notes by article. The one place these rules live: the admin
views (community/opinion_admin.py), community.transitions and the tests call these functions.

A refusal is a ProcedureError (code, Chinese message, field), as for the procedure's steps; a user
who may not act gets PermissionDenied. Every change is saved with who and why in its history.
Moderation and answers change what the public draft page shows: saving an opinion or the window
drops the page cache (community/signals.py, PAGE_CACHE_INVALIDATED_BY), whichever path saves it."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from wagtail.models import Revision

from cms.display import local_date, local_datetime
from community.models import (
    ArticleNote,
    CommentWindow,
    CovenantPage,
    CovenantRevision,
    Opinion,
    Stage,
)
from community.models.opinion import NOTE_MAX, OPINION_MAX, REASON_MAX
from community.models.outline import Article
from community.permissions import policy_for
from community.procedures import Violation
from community.steps import CLOSED_STAGES, REVIEWER, ProcedureError, refuse

WINDOW_STAGES = (Stage.SOLICITING, Stage.DRAFTING)
ADOPTING = (Opinion.Answer.ADOPTED, Opinion.Answer.PARTLY)
WHOLE_DRAFT = "草案整体"
COMMITTEE_ONLY = "只有本村(社区)委员会成员可以审核、录入和答复意见。"
REVIEWER_ONLY = "只有所属乡镇(街道)的审核人员可以写逐条审查意见。"


# Who


def may_moderate(user, revision: CovenantRevision) -> bool:
    """The community's committee (and site administrators, by the policy): township reviewers,
    supervisors and district staff read the opinions and change nothing."""
    return policy_for(user).is_committee_of(revision.community)


def may_write_notes(user, revision: CovenantRevision) -> bool:
    """Whoever may take the 合法性审查 step (transitions.REVIEW): the township's reviewers."""
    return policy_for(user).may_act_as(revision.community, REVIEWER)


def _require_committee(user, revision: CovenantRevision) -> None:
    if not may_moderate(user, revision):
        raise PermissionDenied(COMMITTEE_ONLY)


def _require_open(revision: CovenantRevision) -> None:
    if revision.stage in CLOSED_STAGES:
        refuse(
            "closed",
            f"这次修订已{revision.get_stage_display()}，意见不能再审核、录入或答复。",
        )


def _save(record, user, reason: str):
    record._history_user = user
    record._change_reason = reason
    record.save()
    return record


# The draft and its articles


def latest_draft(revision: CovenantRevision) -> Revision | None:
    """The covenant's latest saved revision (a draft, or the live text if none was saved since)."""
    covenant = revision.covenant
    covenant.refresh_from_db(fields=["latest_revision"])
    return covenant.latest_revision


def articles_of(draft: Revision | None) -> dict[str, Article]:
    """The draft's articles by block id, in the text's order."""
    if draft is None:
        return {}
    return {article.id: article for article in CovenantPage.text_from(draft.content).articles()}


def label_in(articles: dict[str, Article], article_id: str, fallback: str = "") -> str:
    if not article_id:
        return WHOLE_DRAFT
    found = articles.get(article_id)
    return found.label if found else (fallback or "已删除的条文")


def _text(value: str, limit: int, what: str, code: str, field_name: str) -> str:
    value = (value or "").strip()
    if not value:
        refuse(f"{code}_missing", f"请填写{what}。", field_name)
    if len(value) > limit:
        refuse(f"{code}_too_long", f"{what}太长：最多 {limit} 个字。", field_name)
    return value


# The comment window


@transaction.atomic
def save_window(
    revision: CovenantRevision,
    user,
    *,
    opens_on: datetime.date,
    closes_on: datetime.date,
    allow_anonymous: bool = True,
    publish_at_once: bool = False,
    answers_required: bool = True,
    use_latest_draft: bool = False,
) -> CommentWindow:
    """Open the revision's draft for comment, or change its dates and settings. The draft is the
    covenant's latest saved revision when the window opens; while the window is open it may be
    pointed at a newer saved draft (`use_latest_draft`), opinions keeping the draft they were
    made on."""
    _require_committee(user, revision)
    if revision.stage not in WINDOW_STAGES:
        refuse(
            "stage",
            f"这次修订当前处于“{revision.get_stage_display()}”阶段，不能设置草案征求意见"
            f"（须在“{Stage.SOLICITING.label}”或“{Stage.DRAFTING.label}”阶段）。",
        )
    if closes_on < opens_on:
        refuse(
            "date_order",
            f"截止日期 {local_date(closes_on)} 早于开始日期 {local_date(opens_on)}。",
            "closes_on",
        )
    if opens_on < revision.soliciting_started_on:
        refuse(
            "date_order",
            f"开始日期 {local_date(opens_on)} 早于这次修订的征集开始日期 "
            f"{local_date(revision.soliciting_started_on)}。",
            "opens_on",
        )
    window = CommentWindow.objects.filter(revision=revision).first()
    draft = latest_draft(revision)
    if window is None:
        if draft is None:
            refuse("no_draft", "还没有草案：请先在页面编辑器中保存公约草稿，再征求意见。")
        window = CommentWindow(
            revision=revision, community=revision.community, draft=draft, opened_by=user
        )
        reason = f"开始征求意见（{local_datetime(draft.created_at)} 保存的草案）"
    else:
        reason = "修改征求意见设置"
    window.opens_on, window.closes_on = opens_on, closes_on
    window.allow_anonymous = allow_anonymous
    window.publish_at_once = publish_at_once
    window.answers_required = answers_required
    if use_latest_draft and window.pk and draft is not None and draft.pk != window.draft_id:
        if not window.is_open():
            refuse(
                "window_closed",
                "只有在征求意见期间才能改用新的草案（已提的意见仍对应原来的草案）。",
                "use_latest_draft",
            )
        window.draft = draft
        reason = f"改为征求对 {local_datetime(draft.created_at)} 保存的草案的意见"
    _save(window, user, reason)
    return window


def window_of(revision: CovenantRevision) -> CommentWindow | None:
    return CommentWindow.objects.filter(revision=revision).select_related("draft").first()


# Moderation


def _require_moderation(opinion: Opinion, user) -> None:
    _require_committee(user, opinion.revision)
    _require_open(opinion.revision)


def _moderated(opinion: Opinion, user, reason: str) -> Opinion:
    opinion.moderated_by = user
    opinion.moderated_at = timezone.now()
    _save(opinion, user, reason)
    return opinion


@transaction.atomic
def approve(opinion: Opinion, user) -> Opinion:
    """Publish the opinion (its redaction, if the committee made one)."""
    _require_moderation(opinion, user)
    opinion.status = Opinion.Status.APPROVED
    opinion.reject_reason = ""
    return _moderated(opinion, user, "审核通过，公开")


@transaction.atomic
def reject(opinion: Opinion, user, reason: str) -> Opinion:
    """Keep the opinion from the public, for a reason from the list (its count is public)."""
    _require_moderation(opinion, user)
    if reason not in Opinion.RejectReason.values:
        labels = "、".join(Opinion.RejectReason.labels)
        refuse(
            "reject_reason_missing",
            f"不予公开须从列表中选择理由（{labels}）。",
            "reject_reason",
        )
    opinion.status = Opinion.Status.REJECTED
    opinion.reject_reason = reason
    return _moderated(opinion, user, f"不予公开：{Opinion.RejectReason(reason).label}")


@transaction.atomic
def redact(opinion: Opinion, user, public_text: str) -> Opinion:
    """Set the words the public reads (personal data taken out); the resident's own words are
    kept unchanged and are not in the history. Empty, or the original: the original is shown.
    Allowed whatever the status, since an opinion published at once is approved already."""
    _require_moderation(opinion, user)
    shown = (public_text or "").strip()
    if len(shown) > OPINION_MAX:
        refuse(
            "public_text_too_long", f"公开的意见内容太长：最多 {OPINION_MAX} 个字。", "public_text"
        )
    if shown == opinion.text.strip():
        shown = ""
    if shown == opinion.public_text:
        return opinion
    opinion.public_text = shown
    _save(opinion, user, "删改公开的意见内容" if shown else "恢复公开意见原文")
    return opinion


# Offline opinions


@transaction.atomic
def enter_offline(
    revision: CovenantRevision,
    user,
    *,
    source: str,
    received_on: datetime.date,
    article_id: str,
    text: str,
    name: str = "",
    mobile: str = "",
    consent: bool = False,
    status: str = Opinion.Status.APPROVED,
    reject_reason: str = "",
) -> Opinion:
    """An opinion the committee gathered on paper, at a 座谈会, door to door or from the 意见箱,
    entered on the resident's behalf on the window's draft; approved unless it says otherwise."""
    _require_committee(user, revision)
    _require_open(revision)
    window = window_of(revision)
    if window is None:
        refuse("no_window", "请先设置草案征求意见（草案和起止日期），再录入意见。")
    if source not in Opinion.OFFLINE_SOURCES:
        refuse("source", "请选择意见来源：书面意见、座谈会、入户走访或意见箱。", "source")
    today = timezone.localdate()
    if received_on > today:
        refuse(
            "date_in_future",
            f"收到日期 {local_date(received_on)} 晚于今天（{local_date(today)}）。",
            "received_on",
        )
    if received_on < revision.soliciting_started_on:
        refuse(
            "date_order",
            f"收到日期 {local_date(received_on)} 早于这次修订的征集开始日期 "
            f"{local_date(revision.soliciting_started_on)}。",
            "received_on",
        )
    text = _text(text, OPINION_MAX, "意见内容", "text", "text")
    articles = articles_of(window.draft)
    if article_id and article_id not in articles:
        refuse("article_unknown", "所选条文不在征求意见稿中，请重新选择。", "article_id")
    if (name or mobile) and not consent:
        refuse(
            "consent_missing",
            "留下姓名或手机号码的，须经本人同意村(居)委会用于联系（不公开）。",
            "consent",
        )
    if status not in Opinion.Status.values:
        refuse("status", "请选择状态。", "status")
    if status == Opinion.Status.REJECTED and reject_reason not in Opinion.RejectReason.values:
        refuse("reject_reason_missing", "不予公开须从列表中选择理由。", "reject_reason")
    now = timezone.now()
    decided = status != Opinion.Status.PENDING
    opinion = Opinion(
        revision=revision,
        community=revision.community,
        draft=window.draft,
        article_id=article_id,
        article_label=articles[article_id].label if article_id else "",
        text=text,
        source=source,
        received_on=received_on,
        received_at=now,
        entered_by=user,
        name=name.strip(),
        mobile=mobile,
        consent=bool(consent and (name or mobile)),
        status=status,
        reject_reason=reject_reason if status == Opinion.Status.REJECTED else "",
        moderated_by=user if decided else None,
        moderated_at=now if decided else None,
    )
    _save(opinion, user, f"代录意见（{Opinion.Source(source).label}）")
    return opinion


# Answers


@transaction.atomic
def answer(opinion: Opinion, user, *, answer: str, reason: str, adopted_in: str = "") -> Opinion:
    """The committee's public answer to an approved opinion, with its reason; 采纳 and 部分采纳
    name the article of the covenant's latest saved draft that took the opinion up."""
    _require_moderation(opinion, user)
    if opinion.status != Opinion.Status.APPROVED:
        refuse("not_approved", "只能答复已公开的意见：请先审核通过。")
    if answer not in Opinion.Answer.values:
        refuse("answer_missing", "请选择答复：采纳、部分采纳、不采纳或已说明。", "answer")
    reason = _text(reason, REASON_MAX, "答复理由", "answer_reason", "answer_reason")
    if answer in ADOPTING:
        if not adopted_in:
            refuse(
                "adopted_in_missing",
                "采纳或部分采纳的，请选择草案中吸收这条意见的条文。",
                "adopted_in",
            )
        if adopted_in not in articles_of(latest_draft(opinion.revision)):
            refuse(
                "adopted_in_unknown",
                "所选条文不在公约最新保存的草案中，请重新选择。",
                "adopted_in",
            )
    else:
        adopted_in = ""
    first = not opinion.answer
    opinion.answer = answer
    opinion.answer_reason = reason
    opinion.adopted_in = adopted_in
    opinion.answered_by = user
    opinion.answered_at = timezone.now()
    label = Opinion.Answer(answer).label
    _save(opinion, user, f"答复：{label}" if first else f"修改答复：{label}")
    return opinion


# What 提请审核 waits for


def submission_violations(revision: CovenantRevision, draft: Revision | None) -> list[Violation]:
    """While the window asks for answers (its default): every opinion moderated, and every
    approved one answered. A pending opinion is unanswered work too (`opinions_pending`). The
    message names how many, and the first article in the draft's order."""
    window = CommentWindow.objects.filter(revision=revision).only("answers_required").first()
    if window is None or not window.answers_required:
        return []
    rows = list(
        revision.opinions.filter(
            Q(status=Opinion.Status.PENDING) | Q(status=Opinion.Status.APPROVED, answer="")
        ).values_list("status", "article_id", "article_label", "received_on", "pk")
    )
    if not rows:
        return []
    articles = articles_of(draft)
    order = {article_id: n for n, article_id in enumerate(articles, start=1)}

    def first_label(status: str) -> tuple[int, str]:
        mine = [r for r in rows if r[0] == status]
        mine.sort(key=lambda r: (order.get(r[1], 0 if not r[1] else len(order) + 1), r[3], r[4]))
        return len(mine), (label_in(articles, mine[0][1], mine[0][2]) if mine else "")

    found = []
    pending, where = first_label(Opinion.Status.PENDING)
    if pending:
        found.append(
            Violation(
                "opinions_pending",
                f"还有 {pending} 条意见待审核（首条在{where}）：请先审核（公开或不予公开）"
                "并答复，再提请审核。",
            )
        )
    unanswered, where = first_label(Opinion.Status.APPROVED)
    if unanswered:
        found.append(
            Violation(
                "opinions_unanswered",
                f"还有 {unanswered} 条已公开的意见未答复（首条在{where}）：请逐条答复后再提请审核。",
            )
        )
    return found


def require_answered(revision: CovenantRevision, draft: Revision | None) -> None:
    found = submission_violations(revision, draft)
    if found:
        raise ProcedureError(found)


# The real count


@dataclass
class OpinionCount:
    total: int
    by_source: list[tuple[str, int]] = field(default_factory=list)  # (label, n), n > 0
    recorded: bool = False  # counted from opinion records (else the number typed on the revision)


def opinion_count(revision: CovenantRevision) -> OpinionCount:
    """How many opinions the revision received, by source: its opinion records, every status
    (one query); a revision without any (imported, or before this existed) keeps the number the
    committee typed (`opinions_received`)."""
    rows = dict(
        revision.opinions.order_by()
        .values_list("source")
        .annotate(n=Count("pk"))
        .values_list("source", "n")
    )
    if not rows:
        return OpinionCount(revision.opinions_received)
    by_source = [(label, rows[value]) for value, label in Opinion.Source.choices if rows.get(value)]
    return OpinionCount(sum(rows.values()), by_source, True)


# The reviewer's notes


@transaction.atomic
def add_note(revision: CovenantRevision, user, *, article_id: str, text: str) -> ArticleNote:
    """A township reviewer's note on one article of the draft under review (or on the whole
    draft), which the committee reads when the draft comes back."""
    if not may_write_notes(user, revision):
        raise PermissionDenied(REVIEWER_ONLY)
    if revision.stage != Stage.REVIEW or revision.draft_revision_id is None:
        refuse("stage", f"只有在“{Stage.REVIEW.label}”阶段才能写逐条审查意见。")
    text = _text(text, NOTE_MAX, "审查意见", "text", "text")
    articles = articles_of(revision.draft_revision)
    if article_id and article_id not in articles:
        refuse("article_unknown", "所选条文不在提请审核的草案中，请重新选择。", "article_id")
    label = articles[article_id].label if article_id else ""
    note = ArticleNote(
        revision=revision,
        community=revision.community,
        draft_id=revision.draft_revision_id,
        article_id=article_id,
        article_label=label,
        text=text,
        author=user,
    )
    return _save(note, user, f"逐条审查意见（{label or WHOLE_DRAFT}）")


def visible_notes(revision: CovenantRevision, user):
    """The reviewer's notes as `user` may read them: reviewers and district staff all of them;
    the committee and the supervisors those on drafts already decided (a returned or passed
    draft, or the one before a resubmission), not the reviewer's notes on the draft still
    under review."""
    notes = revision.article_notes.select_related("author").order_by("created_at", "pk")
    policy = policy_for(user)
    if policy.is_district() or policy.may_act_as(revision.community, REVIEWER):
        return notes
    if revision.stage == Stage.REVIEW:
        return notes.exclude(draft_id=revision.draft_revision_id)
    return notes


# Beside each article of the diff


@dataclass
class ArticleFeedback:
    """What the reviewer reads beside one article: its approved opinions with their answers, how
    many are pending or not published, and the reviewer's notes."""

    opinions: list[Opinion] = field(default_factory=list)
    pending: int = 0
    rejected: int = 0
    notes: list[ArticleNote] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.opinions or self.pending or self.rejected or self.notes)


def feedback_by_article(
    revision: CovenantRevision, user, articles: dict[str, Article]
) -> dict[str, ArticleFeedback]:
    """Per article id ("" for the whole draft): three queries, however many opinions. Each
    opinion's `adopted_label` names the article that took it up, in `articles` (the proposed
    text)."""
    found: dict[str, ArticleFeedback] = {}
    approved = (
        revision.opinions.filter(status=Opinion.Status.APPROVED)
        .defer("name", "mobile", "consent")
        .order_by("received_on", "pk")
    )
    for opinion in approved:
        opinion.adopted_label = label_in(articles, opinion.adopted_in) if opinion.adopted_in else ""
        found.setdefault(opinion.article_id, ArticleFeedback()).opinions.append(opinion)
    counts = (
        revision.opinions.exclude(status=Opinion.Status.APPROVED)
        .order_by()
        .values_list("article_id", "status")
        .annotate(n=Count("pk"))
    )
    for article_id, status, n in counts:
        feedback = found.setdefault(article_id, ArticleFeedback())
        if status == Opinion.Status.PENDING:
            feedback.pending += n
        else:
            feedback.rejected += n
    for note in visible_notes(revision, user):
        found.setdefault(note.article_id, ArticleFeedback()).notes.append(note)
    return found
