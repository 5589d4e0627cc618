"""A resident's query about a notice (村民/居民的查询, village 2025 第三十五条第四款, 第三十六条;
urban 2025 第三十四条第三款, 第三十五条): the committee answers within the district's
`query_answer_days`; the answer is public on the notice without the resident's identity; an
unanswered query past its deadline, or an answer the resident disputes, goes to the township's
reviewers, who record what they found and ordered.

The resident's name and mobile are kept for the committee to call back, never shown publicly and
never written into the history (excluded_fields): the review desk's readers (reviewers,
supervisors) must not read them there either. The private follow-up address is a random token."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cms.history import ActorSnapshot
from community.models import CommunityPage

QUESTION_MAX = 1000
ANSWER_MAX = 5000
REASON_MAX = 1000
NAME_MAX = 50


def new_token() -> str:
    return secrets.token_urlsafe(24)


class NoticeQueryQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(community__in=CommunityPage.objects.for_user(user).values("pk"))

    def answered(self):
        return self.exclude(answered_on=None)

    def public(self):
        """What the notice page and the API show: answered queries, oldest first."""
        return self.answered().order_by("received_at", "pk")

    def to_escalate(self, today: datetime.date):
        """Unanswered past the deadline and not yet escalated, or disputed and not yet escalated
        for the dispute (a query escalated as overdue and answered later goes again when the
        resident disputes the answer)."""
        overdue = models.Q(escalated_at=None, answered_on=None, due_on__lt=today)
        disputed = models.Q(disputed_at__isnull=False) & ~models.Q(
            escalation=NoticeQuery.Escalation.DISPUTED
        )
        return self.filter(overdue | disputed)


class NoticeQuery(models.Model):
    class Escalation(models.TextChoices):
        OVERDUE = "overdue", "逾期未答复"
        DISPUTED = "disputed", "对答复有异议"

    class Outcome(models.TextChoices):
        UPHELD = "upheld", "答复属实，维持"
        ORDER_PUBLISH = "order_publish", "责令依法公布"
        ORDER_CORRECT = "order_correct", "责令更正"
        OTHER = "other", "其他"

    notice = models.ForeignKey(
        "community.NoticePage",
        on_delete=models.PROTECT,
        related_name="queries",
        verbose_name="公示",
    )
    community = models.ForeignKey(
        "community.CommunityPage",
        on_delete=models.PROTECT,
        related_name="notice_queries",
        verbose_name="村/社区",
    )
    question = models.TextField("查询内容", max_length=QUESTION_MAX)
    public_question = models.TextField(
        "公开的查询内容",
        max_length=QUESTION_MAX,
        blank=True,
        help_text="公开答复时显示的查询内容。可删去其中的个人信息；留空则显示原文。原文保留。",
    )
    name = models.CharField("姓名", max_length=NAME_MAX, blank=True)
    mobile = models.CharField("手机号码", max_length=11, blank=True)
    consent = models.BooleanField("同意村(居)委会用于联系答复", default=False)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    received_at = models.DateTimeField("收到时间", default=timezone.now)
    due_on = models.DateField("答复期限")

    answer = models.TextField("答复", max_length=ANSWER_MAX, blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="答复人",
    )

    disputed_at = models.DateTimeField("提出异议时间", null=True, blank=True)
    dispute_reason = models.TextField("异议理由", max_length=REASON_MAX, blank=True)

    escalated_at = models.DateTimeField("转乡镇(街道)时间", null=True, blank=True)
    escalation = models.CharField("转办原因", max_length=10, choices=Escalation.choices, blank=True)

    outcome = models.CharField("处理结果", max_length=20, choices=Outcome.choices, blank=True)
    outcome_text = models.TextField("处理意见", max_length=ANSWER_MAX, blank=True)
    outcome_on = models.DateField("处理日期", null=True, blank=True)
    outcome_basis = models.CharField("法律依据", max_length=200, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="处理人",
    )

    history = HistoricalRecords(bases=[ActorSnapshot], excluded_fields=["name", "mobile", "token"])
    objects = NoticeQueryQuerySet.as_manager()

    class Meta:
        verbose_name = "居民查询"
        verbose_name_plural = "居民查询"
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["notice", "answered_on"], name="query_notice_answered")]

    def __str__(self) -> str:
        return f"{self.notice.title}：{self.shown_question[:20]}"

    @property
    def shown_question(self) -> str:
        """The question as the public reads it: the committee's redaction, or the original."""
        return self.public_question or self.question

    @property
    def is_answered(self) -> bool:
        return self.answered_on is not None

    @property
    def answer_frozen(self) -> bool:
        """The township has recorded its outcome on an answer: the committee may no longer change
        it, or the outcome would judge a text nobody disputed. A first answer after an outcome on
        an overdue query (one ordered to answer) is still allowed."""
        return bool(self.outcome) and self.is_answered

    def public_fields(self) -> tuple | None:
        """What the notice page and the API show of this query (None while it is unanswered):
        the page cache is dropped only when this changes."""
        if not self.is_answered:
            return None
        return (
            self.notice_id,
            self.shown_question,
            self.received_at,
            self.answer,
            self.answered_on,
        )

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return not self.is_answered and self.due_on < (today or timezone.localdate())

    @property
    def status_label(self) -> str:
        if self.outcome:
            return f"乡镇(街道)已处理：{self.get_outcome_display()}"
        if self.escalated_at:
            return f"已转乡镇(街道)（{self.get_escalation_display()}）"
        if self.is_answered:
            return "已答复"
        return "逾期未答复" if self.is_overdue() else "待答复"

    @property
    def title(self) -> str:
        """What the review desk calls a version of this record."""
        return f"{self.notice.title}的居民查询"
