from django.db import models


class RateCounter(models.Model):
    """One fixed-window counter of cms/ratelimit.py, when no cache is shared by every
    worker (the per-process local-memory cache): the database is."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "频率计数"
        verbose_name_plural = "频率计数"

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
