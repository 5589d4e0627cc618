"""民主评议 as a procedure (docs/disclosure.md § 民主评议): the supervision committee records a
year's meeting and tallies (`save_results`), two consecutive 不称职 of a committee member are
flagged to the township (`flag_consecutive`), and a held (village) or published (urban)
evaluation fulfils the yearly catalogue item on the disclosure calendar (`evaluation_disclosures`),
so a community without one by the year's end is overdue everywhere the calendar is read."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from cms.display import local_date
from community.disclosure.calendar import Disclosure, register_source
from community.disclosure.periods import parse_period
from community.models import CommunityPage, Notification, Role
from community.models.evaluation import (
    MEETING_FIELDS,
    Evaluation,
    EvaluationRating,
    Rating,
    person_key,
)
from community.review.notifications import members, notify_users
from community.review.registry import history_registry

RATING_FIELDS = ("name", "post", "kind", "competent", "basic", "incompetent")
LOCKED = "{year}年度的评议结果已于 {day} 向村(居)民公布，不能再修改。"


@dataclass(frozen=True)
class RatingProblem:
    row: int  # the row's index in the submitted list
    field: str | None
    message: str


def check_ratings(evaluation: Evaluation, ratings: list[dict]) -> list[RatingProblem]:
    """Each person once, tallies within those present, paid helpers only in villages."""
    present = evaluation.present or 0
    found, seen = [], {}
    if not ratings:
        found.append(RatingProblem(0, None, "请至少登记一名被评议人员的票数。"))
    for n, row in enumerate(ratings):
        name = (row.get("name") or "").strip()
        key = person_key(name)
        if key in seen:
            found.append(
                RatingProblem(
                    n,
                    "name",
                    f"“{name}”登记了两次；同名的两人请在姓名中注明区别，例如 {name}（二组）。",
                )
            )
        seen[key] = n
        counts = [row.get(f) or 0 for f in ("competent", "basic", "incompetent")]
        cast = sum(counts)
        if cast > present:
            found.append(
                RatingProblem(
                    n,
                    "competent",
                    f"{name}：称职 {counts[0]}、基本称职 {counts[1]}、不称职 {counts[2]}，"
                    f"合计 {cast} 票，超过到会人数 {present} 人。",
                )
            )
        elif cast == 0:
            found.append(RatingProblem(n, "competent", f"请填写{name}的评议票数。"))
        if row.get("kind") == EvaluationRating.Kind.HIRED and evaluation.scope != "village":
            found.append(
                RatingProblem(
                    n,
                    "kind",
                    "由村集体承担误工补贴的聘用人员参加评议是村的规定（村民委员会组织法第三十八条）；"
                    "社区只评议居民委员会成员。",
                )
            )
    return found


def save_results(
    evaluation: Evaluation, user, meeting: dict, ratings: list[dict], published_on=None
) -> Evaluation:
    """Record the meeting, each person's tallies and (optionally) the day of publication, with the
    assembly's quorum rules; refuse with Chinese messages (ValidationError) and keep what was
    stored. Published results are final."""
    stored = Evaluation.objects.filter(pk=evaluation.pk).first() if evaluation.pk else None
    if stored is not None and stored.published_on is not None:
        raise ValidationError(LOCKED.format(year=stored.year, day=local_date(stored.published_on)))
    for name in MEETING_FIELDS:
        if name in meeting:
            setattr(evaluation, name, meeting[name])
    evaluation.published_on = published_on
    missing = {
        name: f"请填写{Evaluation._meta.get_field(name).verbose_name}。"
        for name in ("meeting_kind", "meeting_date", "eligible", "present")
        if getattr(evaluation, name) in (None, "")
    }
    if missing:
        raise ValidationError(missing)
    evaluation.full_clean()
    problems = check_ratings(evaluation, ratings)
    if problems:
        raise ValidationError([p.message for p in problems])
    with transaction.atomic():
        evaluation._history_user = user
        evaluation.save()
        existing = {r.person: r for r in evaluation.ratings.all()}
        kept = set()
        for order, row in enumerate(ratings):
            key = person_key(row["name"])
            rating = existing.get(key) or EvaluationRating(evaluation=evaluation)
            for name in RATING_FIELDS:
                setattr(rating, name, row.get(name) or (0 if name in RATING_COUNTS else ""))
            rating.name = rating.name.strip()
            rating.post = rating.post.strip()
            rating.sort_order = order
            rating.evaluation = evaluation
            rating._history_user = user
            rating.save()
            kept.add(key)
        for key, rating in existing.items():
            if key not in kept:
                rating._history_user = user
                rating.delete()
        flag_consecutive(evaluation)
        following = (
            Evaluation.objects.filter(community=evaluation.community, year__gt=evaluation.year)
            .order_by("year")
            .first()
        )
        if following is not None:
            flag_consecutive(following)
    return evaluation


RATING_COUNTS = ("competent", "basic", "incompetent")


def previous_of(evaluation: Evaluation) -> Evaluation | None:
    """The community's evaluation before this one with results on record. The law counts
    evaluations ("连续两次被评议"), not calendar years: a year without one does not break the
    chain (that year is itself overdue on the calendar)."""
    return (
        Evaluation.objects.filter(
            community_id=evaluation.community_id,
            year__lt=evaluation.year,
            ratings__isnull=False,
        )
        .order_by("-year")
        .first()
    )


def flag_consecutive(evaluation: Evaluation) -> list[EvaluationRating]:
    """Mark the committee members rated 不称职 here and in the previous evaluation, and tell the
    township's reviewers once per person and evaluation: their office ends by law (paragraph 2 of
    the article of the meeting's day). Paid helpers are evaluated but the paragraph names
    committee members only; an urban evaluation before 2026 had no such rule, neither as the
    second of two nor as the first."""
    law = evaluation.law
    previous = previous_of(evaluation)
    failed_before = set()
    if previous is not None and law is not None and previous.law is not None:
        failed_before = set(
            previous.ratings.filter(
                rating=Rating.INCOMPETENT, kind=EvaluationRating.Kind.MEMBER
            ).values_list("person", flat=True)
        )
    flagged = []
    for rating in evaluation.ratings.all():
        flag = (
            rating.rating == Rating.INCOMPETENT
            and rating.kind == EvaluationRating.Kind.MEMBER
            and rating.person in failed_before
        )
        if flag != rating.consecutive_incompetent:
            EvaluationRating.objects.filter(pk=rating.pk).update(consecutive_incompetent=flag)
            rating.consecutive_incompetent = flag
        if flag:
            flagged.append(rating)
    if flagged:
        community = evaluation.community
        reviewers = members(Role.Kind.REVIEWER, community.get_parent().pk)
        for rating in flagged:
            notify_users(
                reviewers,
                Notification.Kind.EVALUATION_FLAG,
                flag_message(evaluation, previous, rating),
                event_key=f"evaluation-flag:{evaluation.pk}:{rating.person}",
                link=reverse("evaluation_detail", args=(evaluation.pk,)),
            )
    return flagged


def flag_message(evaluation: Evaluation, previous: Evaluation, rating: EvaluationRating) -> str:
    return (
        f"职务终止：{evaluation.community.title}{rating.name}（{rating.post}）在{previous.year}年度和"
        f"{evaluation.year}年度民主评议中连续两次被评议为不称职，依照{termination_citation(evaluation)}"
        "，其职务终止。请核实并依法处理。"
    )


def termination_citation(evaluation: Evaluation) -> str:
    law = evaluation.law
    return f"{law.citation}第二款" if law else ""


def evaluation_disclosures(
    community_ids: list[int], first: datetime.date, last: datetime.date, settings
):
    """A village's evaluation counts for its year once held and recorded; an urban one once its
    results are published (urban 2025 §37: 民主评议结果应当及时向居民公布)."""
    evaluations = (
        Evaluation.objects.filter(
            community_id__in=community_ids,
            year__gte=first.year,
            meeting_date__isnull=False,
            ratings__isnull=False,
        )
        .distinct()
        .select_related("community")
    )
    found = []
    for evaluation in evaluations:
        kind = evaluation.community.kind
        published = evaluation.is_published(last)
        day = (
            evaluation.published_on if kind == CommunityPage.Kind.URBAN else evaluation.meeting_date
        )
        if kind == CommunityPage.Kind.URBAN and not published:
            continue
        found.append(
            Disclosure(
                evaluation.community_id,
                f"{kind}-evaluation",
                parse_period(str(evaluation.year)),
                day,
                f"{evaluation.year}年度民主评议",
                url=public_url(evaluation.community) if published else "",
                source="evaluation",
            )
        )
    return found


def public_url(community: CommunityPage) -> str:
    return (community.get_url() or "") + "evaluation/"


def register() -> None:
    """From CommunityConfig.ready(): the calendar source and the desk's versioned records."""
    register_source(evaluation_disclosures)
    history_registry.register("community.Evaluation", title_path="community.title")
    history_registry.register("community.EvaluationRating", title_path="name")
