"""Records the public reads: once public, changed only as a correction with a reason, which the
public page shows (Corrected); and records that are drafts until the committee publishes them
(PublicRecord)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from community.models import CommunityPage

BOOKKEEPING = {
    "id",
    "published_at",
    "corrected_at",
    "correction_reason",
    "created_at",
    "updated_at",
}


class PublicRecordQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def for_user(self, user):
        return self.filter(community__in=CommunityPage.objects.for_user(user).values("pk"))


class Corrected(models.Model):
    """Once `is_published`, a save that changes content must come through `correct()`."""

    corrected_at = models.DateTimeField("最近更正时间", null=True, blank=True, editable=False)
    correction_reason = models.TextField("更正理由", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk and not getattr(self, "_correcting", False):
            stored = type(self).objects.filter(pk=self.pk).first()
            unlocked = self._unlocked_fields(stored) if stored else set()
            if (
                stored
                and stored.is_published
                and self._content(stored, unlocked) != self._content(self, unlocked)
            ):
                raise ValidationError(
                    "已发布的记录只能在写明更正理由后修改（公开页面会显示更正时间）。"
                )
        self._correcting = False
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        raise NotImplementedError

    def correct(self, user, reason: str) -> None:
        """Save changes to a published record, as a correction that says why."""
        if not reason.strip():
            raise ValidationError({"correction_reason": "已发布的记录只能在写明更正理由后修改。"})
        self.correction_reason = reason
        self.corrected_at = timezone.now()
        self._correcting = True
        self._change_reason = f"更正：{reason}"
        self._history_user = user
        self.save()

    def _unlocked_fields(self, stored) -> set[str]:
        """Fields that may still be filled in after publication (later steps)."""
        return set()

    def _content(self, instance, unlocked: set[str] = frozenset()) -> dict:
        return {
            f.attname: f.value_from_object(instance)
            for f in self._meta.concrete_fields
            if f.name not in BOOKKEEPING and f.name not in unlocked
        }


class PublicRecord(Corrected):
    community = models.ForeignKey(
        "community.CommunityPage",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="村/社区",
        editable=False,
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True, editable=False)

    objects = PublicRecordQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def publish(self, user, reason: str = "发布") -> None:
        if self.published_at is None:
            self.published_at = timezone.now()
            self._change_reason = reason
            self._history_user = user
            self.save()
