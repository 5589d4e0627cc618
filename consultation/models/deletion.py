"""AnswerDeletion: the trace a deleted answer leaves (consultation/deletion.py). An answer is a
resident's record; the committee may delete one (a duplicate, a test, an answer given in error)
only with a reason, and the audit log keeps who, when, why and what it said."""

from django.db import models
from simple_history.models import HistoricalRecords

from cms.history import ActorSnapshot


class AnswerDeletion(models.Model):
    community = models.ForeignKey(
        "community.CommunityPage",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="村/社区",
    )
    form = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="表单",
    )
    answer_id = models.PositiveIntegerField("回复编号")
    submitted_at = models.DateTimeField("提交时间")
    summary = models.TextField("回复摘要")
    reason = models.TextField("删除原因")
    deleted_at = models.DateTimeField("删除时间", auto_now_add=True)

    history = HistoricalRecords(verbose_name="表单回复删除记录历史", bases=[ActorSnapshot])

    class Meta:
        verbose_name = "表单回复删除记录"
        verbose_name_plural = "表单回复删除记录"
        ordering = ["-deleted_at"]

    def __str__(self) -> str:
        return self.summary
