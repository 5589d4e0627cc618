"""民主评议: once a year the assembly (or its representatives) rates each committee member, and in
villages each paid helper, as 称职 / 基本称职 / 不称职 (village 2025 §38, 2018 §33; urban 2025 §37).
The supervision committee opens and runs it (community/evaluations.py: who may, the flags, the
calendar); the meeting's quorum is the assembly's, checked by community.procedures as every vote.

The law gives no formula for a rating: `rate()` is the common local practice, in one place, and a
rating is stored when the tallies are saved, so a later change of practice never rewrites a
published result."""

import datetime
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cms.display import local_date
from cms.history import ActorSnapshot
from community.law import Provision, provision
from community.models.vote import VoteRecord
from community.procedures import VotePurpose, as_validation_error

# The meeting's fields an evaluation records (no votes for/against: each person has own tallies).
MEETING_FIELDS = (
    "meeting_kind",
    "meeting_date",
    "notice_date",
    "short_notice_reason",
    "eligible",
    "present",
    "women_present",
    "households",
    "households_represented",
)


class Rating(models.TextChoices):
    COMPETENT = "competent", "称职"
    BASIC = "basic", "基本称职"
    INCOMPETENT = "incompetent", "不称职"


def rate(present: int, competent: int, basic: int, incompetent: int) -> Rating:
    """The rating a person's tallies give (practice; the law sets no formula): 不称职 only when
    the 不称职 votes exceed half of those present, since two of them end a member's office; 称职
    when the 称职 votes do; otherwise 基本称职. Integer arithmetic, so no rounding decides."""
    if 2 * incompetent > present:
        return Rating.INCOMPETENT
    if 2 * competent > present:
        return Rating.COMPETENT
    return Rating.BASIC


def person_key(name: str) -> str:
    """Who a row is across years: the name with width and spaces folded (张 三, 张三 and ＺＨＡＮＧ
    are one person each way they are typed). Posts change between years and do not count; two
    people of one name in one evaluation must be told apart in the name, e.g. 王伟（二组）."""
    folded = unicodedata.normalize("NFKC", name or "")
    return "".join(folded.split()).casefold()


class EvaluationQuerySet(models.QuerySet):
    def published(self, today: datetime.date | None = None):
        """Results made public to residents (a day of publication that has come)."""
        return self.filter(published_on__lte=today or timezone.localdate())


class Evaluation(VoteRecord):
    vote_purpose = VotePurpose.EVALUATION

    community = models.ForeignKey(
        "community.CommunityPage",
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name="村/社区",
    )
    year = models.PositiveSmallIntegerField("评议年度")
    published_on = models.DateField(
        "结果公布日期",
        null=True,
        blank=True,
        help_text="向村(居)民公布评议结果的日期；社区的评议结果应当及时向居民公布"
        "（城市居民委员会组织法第三十七条）。",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    history = HistoricalRecords(verbose_name="民主评议历史", bases=[ActorSnapshot])
    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = "民主评议"
        verbose_name_plural = "民主评议"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["community", "year"], name="one_evaluation_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.community.title}{self.year}年度民主评议"

    @property
    def scope(self) -> str:
        return "village" if self.community.kind == "village" else "urban"

    @property
    def law(self) -> Provision | None:
        """The article of the meeting's day (or of today while none is recorded); None for an
        urban evaluation before 2026, when no urban text had the rule."""
        return provision(f"{self.scope}.evaluation", self.meeting_date or timezone.localdate())

    @property
    def publish_required(self) -> bool:
        law = self.law
        return bool(law and law.params["publish"])

    @property
    def attendance(self) -> str:
        """Who came, on the count the quorum was met on (`quorum_basis`): a 居民会议 carried by its
        household representatives states the households, not the adults it did not reach, so the
        line and 达到法定人数 below it never read as two different meetings."""
        if self.households_represented and self.quorum_basis.startswith("到会户代表"):
            return (
                f"到会 {self.present} 人，代表总户数 {self.households} 户中的 "
                f"{self.households_represented} 户"
            )
        return f"应到 {self.eligible} 人，到会 {self.present} 人"

    @property
    def recorded(self) -> bool:
        """The meeting and its ratings are on record (ratings are saved only with a valid meeting)."""
        return self.has_vote and self.meeting_date is not None and self.ratings.exists()

    def is_published(self, today: datetime.date | None = None) -> bool:
        return self.published_on is not None and self.published_on <= (
            today or timezone.localdate()
        )

    def status(self, today: datetime.date | None = None) -> str:
        """As the desk reads it: an urban evaluation is complete only once published."""
        if not self.recorded:
            return "已开启，待登记结果"
        if self.is_published(today):
            return f"已于 {local_date(self.published_on)} 公布"
        if self.publish_required:
            return f"结果尚未公布（{self.law}要求及时向居民公布）"
        return "结果已登记（未公布）"

    def complete(self, today: datetime.date | None = None) -> bool:
        return self.recorded and (self.is_published(today) or not self.publish_required)

    def clean(self) -> None:
        super().clean()
        today = timezone.localdate()
        found: dict[str, str] = {}
        if self.year is not None and not 2000 <= self.year <= today.year:
            found["year"] = f"评议年度应在 2000 年至 {today.year} 年之间（填写的是 {self.year}）。"
        if self.meeting_date is not None:
            if self.meeting_date > today:
                found["meeting_date"] = "评议会议日期不能晚于今天：请在会议召开后登记结果。"
            elif self.year and self.meeting_date.year < self.year:
                found["meeting_date"] = (
                    f"{self.year}年度的民主评议，会议日期不能早于 {self.year}年1月1日。"
                )
        if self.published_on is not None:
            if self.published_on > today:
                found["published_on"] = "公布日期不能晚于今天。"
            elif self.meeting_date is None or self.published_on < self.meeting_date:
                found["published_on"] = "公布日期不能早于评议会议日期（请先登记会议）。"
        if found:
            raise ValidationError(found)
        if self.meeting_kind or self.present is not None:
            problems = self.check_vote(self.community)
            if any(not v.warning for v in problems):
                raise as_validation_error(problems, MEETING_FIELDS)


class EvaluationRating(models.Model):
    """One person's tallies and rating in one evaluation."""

    class Kind(models.TextChoices):
        MEMBER = "member", "委员会成员"
        HIRED = "hired", "聘用人员（误工补贴）"

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="ratings", verbose_name="民主评议"
    )
    # The evaluation's community, kept on the row so its history is scoped like every record.
    community = models.ForeignKey(
        "community.CommunityPage",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name="村/社区",
    )
    name = models.CharField("姓名", max_length=40)
    post = models.CharField("职务", max_length=40, help_text="例如：主任、副主任、委员、报账员。")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.MEMBER)
    competent = models.PositiveIntegerField("称职票", default=0)
    basic = models.PositiveIntegerField("基本称职票", default=0)
    incompetent = models.PositiveIntegerField("不称职票", default=0)
    rating = models.CharField("评议结果", max_length=20, choices=Rating.choices, editable=False)
    person = models.CharField("人员标识", max_length=40, editable=False)
    # Rated 不称职 in this and the community's previous evaluation: flagged to the township.
    consecutive_incompetent = models.BooleanField("连续两次不称职", default=False, editable=False)
    sort_order = models.PositiveSmallIntegerField("顺序", default=0)
    history = HistoricalRecords(verbose_name="民主评议结果历史", bases=[ActorSnapshot])

    class Meta:
        verbose_name = "民主评议结果"
        verbose_name_plural = "民主评议结果"
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "person"], name="one_rating_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.post}）"

    def save(self, *args, **kwargs):
        self.community_id = self.evaluation.community_id
        self.person = person_key(self.name)
        self.rating = rate(
            self.evaluation.present or 0, self.competent, self.basic, self.incompetent
        )
        super().save(*args, **kwargs)

    @property
    def cast(self) -> int:
        return self.competent + self.basic + self.incompetent
