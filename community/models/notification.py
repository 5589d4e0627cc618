"""A message to one admin user about something that waits for them (a covenant revision, a
disclosure due or overdue, a resident's query, a supervision report): shown on the admin home,
e-mailed when the user has an address, and gathered by `notify_digest`."""

from django.conf import settings
from django.db import models


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    class Kind(models.TextChoices):
        REVIEW_REQUESTED = "review_requested", "待审核"
        FILING_REQUESTED = "filing_requested", "待备案"
        DRAFT_RETURNED = "draft_returned", "草案被退回"
        DISCLOSURE_DUE = "disclosure_due", "公开即将到期"
        DISCLOSURE_OVERDUE = "disclosure_overdue", "公开逾期"
        QUERY_RECEIVED = "query_received", "居民查询待答复"
        QUERY_ESCALATED = "query_escalated", "居民查询转办"
        SIGNOFF_REQUESTED = "signoff_requested", "财务公开待审核"
        SUPERVISION_REPORT = "supervision_report", "监督委员会反映"
        EVALUATION_FLAG = "evaluation_flag", "民主评议结果"
        OPINION_RECEIVED = "opinion_received", "草案收到居民意见"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="review_notifications",
        verbose_name="接收人",
    )
    kind = models.CharField("类型", max_length=30, choices=Kind.choices)
    revision = models.ForeignKey(
        "community.CovenantRevision",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name="公约修订",
    )
    # The history row of the transition: one event, one notification per recipient.
    event_history_id = models.PositiveBigIntegerField("事件", null=True, blank=True)
    # Events that are not a revision's transition: a stable key (e.g. "overdue:12:village-funds:
    # 2026Q3") and the admin path the notification opens.
    event_key = models.CharField("事件标识", max_length=200, blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    message = models.TextField("内容")
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    digested_at = models.DateTimeField("汇总邮件时间", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "event_history_id"], name="one_notification_per_event"
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "event_key"],
                condition=~models.Q(event_key=""),
                name="one_notification_per_event_key",
            ),
        ]

    def __str__(self) -> str:
        return self.message
