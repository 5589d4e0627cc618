from django.db import models


class AnswerReceipt(models.Model):
    """One accepted answer under the key its client sent with it (the API's Idempotency-Key, or the
    one-time token of the site's form): a retry with the same key is answered what the first try
    was, instead of storing the answer again (consultation/idempotency.py). Only a digest of the
    answers is kept, never the answers; receipts older than ANSWER_RECEIPT_HOURS are purged
    (`manage.py purge_answer_receipts`)."""

    class Surface(models.TextChoices):
        API = "api", "接口"
        PAGE = "page", "网页表单"

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    surface = models.CharField("提交途径", max_length=8, choices=Surface.choices)
    key = models.CharField("幂等键", max_length=200)
    digest = models.CharField("回答摘要", max_length=64)
    status = models.PositiveSmallIntegerField("响应状态")
    body = models.JSONField("响应内容", default=dict)
    submission = models.ForeignKey(
        "consultation.CommunityFormSubmission",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "回答回执"
        verbose_name_plural = "回答回执"
        constraints = [
            models.UniqueConstraint(
                fields=["page", "surface", "key"], name="answer_receipt_one_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.page_id}/{self.surface}/{self.key}"
