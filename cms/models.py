"""The kernel's one table: the page cache's generation, where publishes commit (cms/cache.py)."""

import time

from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Greatest


class CacheGeneration(models.Model):
    """One row: the generation every stored page is compared against when the page cache is shared
    (Redis). Bumped in the publishing transaction, so a publish cannot commit without it and a
    Redis that was away (and kept its old entries) never serves them again. Values start from
    the clock (microseconds) and never go back, even after a database restore."""

    ROW = 1

    value = models.BigIntegerField("代数", default=0)

    class Meta:
        verbose_name = "页面缓存代数"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def read(cls) -> int:
        value = cls.objects.filter(pk=cls.ROW).values_list("value", flat=True).first()
        return value if value is not None else cls.bump()

    @classmethod
    def bump(cls) -> int:
        """One UPDATE in the caller's transaction (visible when it commits)."""
        now = time.time_ns() // 1000
        updated = cls.objects.filter(pk=cls.ROW).update(value=Greatest(F("value") + 1, Value(now)))
        if not updated:
            cls.objects.get_or_create(pk=cls.ROW, defaults={"value": now})
        return cls.objects.filter(pk=cls.ROW).values_list("value", flat=True).get()
