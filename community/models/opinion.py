"""Residents' opinions on a covenant draft, article by article (征集民意, 拟定草案), and the
committee's public answer to each one (意见采纳情况说明).

A revision opens its draft for comment once (`CommentWindow`, one per revision; its dates and its
draft may be changed, with history): residents read that saved draft revision, never the live text
or an unsaved edit, and comment on an article by the article's block id, so an opinion follows its
article when the numbers change. An `Opinion` comes in online (the page or the API) or is entered
by the committee from paper, a 座谈会, a door-to-door visit or the 意见箱. It is public only once
approved (or at once, by the window's setting); a rejection names a reason from a short list, whose
counts are public. Every approved opinion gets an answer (采纳 / 部分采纳 / 不采纳 / 已说明) with a
reason. A township reviewer may leave an `ArticleNote` on any article (合法性审查意见 by article).

Personal data: the resident's name and mobile (with consent) are for the committee only; they are
never public and never in the history (excluded_fields). The resident's own words (`text`) never
change after submission and are kept out of the history too, so the desk's readers (reviewers,
supervisors) read only `public_text`, the committee's redaction where it made one."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cms.history import ActorSnapshot
from community.models.tree import CommunityPage

OPINION_MAX = 2000
REASON_MAX = 2000
NOTE_MAX = 5000
NAME_MAX = 50


class CommentWindow(models.Model):
    """When and on which saved draft residents may comment on a revision's text."""

    revision = models.OneToOneField(
        "community.CovenantRevision",
        on_delete=models.PROTECT,
        related_name="comment_window",
        verbose_name="公约修订",
    )
    community = models.ForeignKey(
        "community.CommunityPage",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="村/社区",
    )
    draft = models.ForeignKey(
        "wagtailcore.Revision",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="征求意见稿",
        help_text="居民看到的是这一份已保存的草案，不是现行文本，也不是之后未保存的修改。",
    )
    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("截止日期")
    allow_anonymous = models.BooleanField(
        "允许匿名提意见", default=True, help_text="关闭后，居民须留姓名和手机号码（不公开）。"
    )
    publish_at_once = models.BooleanField(
        "意见提交后立即公开",
        default=False,
        help_text="默认由村(居)委会审核后公开；勾选后意见提交即公开，仍可事后不予公开。",
    )
    answers_required = models.BooleanField(
        "每条意见答复后才能提请审核",
        default=True,
        help_text="已公开的意见都有答复，才能提请乡镇(街道)审核。",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="设置人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(verbose_name="征求意见设置历史", bases=[ActorSnapshot])

    class Meta:
        verbose_name = "草案征求意见"
        verbose_name_plural = "草案征求意见"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="comment_window_closes_after_it_opens",
                violation_error_message="截止日期不能早于开始日期。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.revision}（{self.opens_on:%Y-%m-%d} 至 {self.closes_on:%Y-%m-%d}）"

    def is_open(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.opens_on <= day <= self.closes_on

    @property
    def title(self) -> str:
        """What the review desk calls a version of this record."""
        return f"{self.revision}的征求意见"


class OpinionQuerySet(models.QuerySet):
    def for_user(self, user) -> "OpinionQuerySet":
        return self.filter(community__in=CommunityPage.objects.for_user(user).values("pk"))

    def public(self) -> "OpinionQuerySet":
        """What anyone may read: approved opinions, oldest first."""
        return self.filter(status=Opinion.Status.APPROVED).order_by("received_on", "pk")

    def unanswered(self) -> "OpinionQuerySet":
        return self.filter(status=Opinion.Status.APPROVED, answer="")


class Opinion(models.Model):
    class Source(models.TextChoices):
        ONLINE = "online", "网上提交"
        PAPER = "paper", "书面意见"
        MEETING = "meeting", "座谈会"
        VISIT = "visit", "入户走访"
        BOX = "box", "意见箱"

    OFFLINE_SOURCES = (Source.PAPER, Source.MEETING, Source.VISIT, Source.BOX)

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已公开"
        REJECTED = "rejected", "不予公开"

    class RejectReason(models.TextChoices):
        ABUSE = "abuse", "辱骂"
        PERSONAL = "personal", "含个人信息"
        OFF_TOPIC = "off_topic", "与本条无关"
        DUPLICATE = "duplicate", "重复"
        ADVERTISING = "advertising", "广告"

    class Answer(models.TextChoices):
        ADOPTED = "adopted", "采纳"
        PARTLY = "partly", "部分采纳"
        NOT_ADOPTED = "not_adopted", "不采纳"
        EXPLAINED = "explained", "已说明"

    revision = models.ForeignKey(
        "community.CovenantRevision",
        on_delete=models.PROTECT,
        related_name="opinions",
        verbose_name="公约修订",
    )
    community = models.ForeignKey(
        "community.CommunityPage",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="村/社区",
    )
    draft = models.ForeignKey(
        "wagtailcore.Revision",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="所针对的草案",
    )
    article_id = models.CharField(
        "条文", max_length=64, blank=True, help_text="条文的块标识；留空为对草案整体的意见。"
    )
    article_label = models.CharField(
        "提意见时的条号", max_length=40, blank=True, help_text="例如：第五条。"
    )
    text = models.TextField("意见原文", max_length=OPINION_MAX)
    public_text = models.TextField(
        "公开的意见内容",
        max_length=OPINION_MAX,
        blank=True,
        help_text="可删去其中的个人信息后再公开；留空则公开原文。原文保留，不公开。",
    )
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.ONLINE)
    received_on = models.DateField("收到日期", default=timezone.localdate)
    received_at = models.DateTimeField("录入时间", default=timezone.now)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="代录人",
    )
    name = models.CharField("姓名", max_length=NAME_MAX, blank=True)
    mobile = models.CharField("手机号码", max_length=11, blank=True)
    consent = models.BooleanField("同意村(居)委会用于联系", default=False)

    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    reject_reason = models.CharField(
        "不予公开的理由", max_length=12, choices=RejectReason.choices, blank=True
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    moderated_at = models.DateTimeField("审核时间", null=True, blank=True)

    answer = models.CharField("答复", max_length=12, choices=Answer.choices, blank=True)
    answer_reason = models.TextField("答复理由", max_length=REASON_MAX, blank=True)
    adopted_in = models.CharField(
        "采纳于条文", max_length=64, blank=True, help_text="采纳、部分采纳时，写入了草案的哪一条。"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="答复人",
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    history = HistoricalRecords(
        verbose_name="意见历史",
        bases=[ActorSnapshot],
        excluded_fields=["text", "name", "mobile", "consent"],
    )
    objects = OpinionQuerySet.as_manager()

    class Meta:
        verbose_name = "草案意见"
        verbose_name_plural = "草案意见"
        ordering = ["received_on", "pk"]
        indexes = [
            models.Index(fields=["revision", "status"], name="opinion_revision_status"),
            models.Index(fields=["revision", "article_id"], name="opinion_revision_article"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(reject_reason=""),
                name="opinion_rejected_has_reason",
                violation_error_message="不予公开须选择理由。",
            )
        ]

    def __str__(self) -> str:
        where = self.article_label or "草案整体"
        return f"{where}：{self.shown_text[:20]}"

    @property
    def shown_text(self) -> str:
        """The opinion as the public reads it: the committee's redaction, or the original."""
        return self.public_text or self.text

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_offline(self) -> bool:
        return self.source in self.OFFLINE_SOURCES

    @property
    def title(self) -> str:
        """What the review desk calls a version of this record."""
        return f"{self.revision}的意见（{self.article_label or '草案整体'}）"


class ArticleNote(models.Model):
    """A township reviewer's note on one article of a draft under review (合法性审查意见 by
    article), which the committee reads when the draft comes back."""

    revision = models.ForeignKey(
        "community.CovenantRevision",
        on_delete=models.PROTECT,
        related_name="article_notes",
        verbose_name="公约修订",
    )
    community = models.ForeignKey(
        "community.CommunityPage",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="村/社区",
    )
    draft = models.ForeignKey(
        "wagtailcore.Revision",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="所审核的草案",
    )
    article_id = models.CharField("条文", max_length=64, blank=True)
    article_label = models.CharField("审核时的条号", max_length=40, blank=True)
    text = models.TextField("审查意见", max_length=NOTE_MAX)
    # SET_NULL: a deleted account leaves the note (and the history keeps the author's name).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="审核人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(verbose_name="逐条审查意见历史", bases=[ActorSnapshot])

    class Meta:
        verbose_name = "逐条审查意见"
        verbose_name_plural = "逐条审查意见"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.article_label or '草案整体'}：{self.text[:20]}"

    @property
    def title(self) -> str:
        return f"{self.revision}的逐条审查意见（{self.article_label or '草案整体'}）"
