"""Who acted stays on the record (docs/review-desk.md, audit trail).

Every historical model (django-simple-history) takes `ActorSnapshot` as a base: the actor's name is
written into the history row when it is created, so the row still names who acted if the user row
is ever gone. And a user who has acted on any record, or on any page (Wagtail's log and revisions),
cannot be deleted: deactivate the account instead. Both rules hold for every path: the admin's
user views (community hooks below), a bulk action, a script (the `pre_delete` guard).
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models.deletion import ProtectedError
from django.db.models.signals import pre_delete
from simple_history.models import HistoricalChanges
from simple_history.signals import pre_create_historical_record
from wagtail.models import ModelLogEntry, PageLogEntry, Revision

from cms.display import full_name, name_users_in_chinese_order

REFUSED = (
    "该用户在记录中留有操作，审计记录须保留操作人，不能删除。"
    "如不再使用该账号，请编辑用户并取消“启用”（停用）。"
)


def actor_name(user) -> str:
    """How a history row names its actor: 李秀兰（weiyuan_xinghua）."""
    if user is None:
        return ""
    full = full_name(user)
    return f"{full}（{user.get_username()}）" if full else user.get_username()


class ActorSnapshot(models.Model):
    """A base for historical models (`HistoricalRecords(bases=[ActorSnapshot])`)."""

    history_user_name = models.CharField("操作人（存档）", max_length=310, blank=True, default="")

    class Meta:
        abstract = True

    @property
    def actor(self) -> str:
        """The actor's name: the user's current one, or the name written when the row was made."""
        user = self.history_user
        return actor_name(user) if user is not None else self.history_user_name


def historical_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if issubclass(m, HistoricalChanges)]


def has_acted(user) -> bool:
    """Has the user left a trace anywhere the audit trail reads (a few queries; on deletion only)?"""
    if user.pk is None:
        return False
    for model in historical_models():
        if model.objects.filter(history_user_id=user.pk).exists():
            return True
    return (
        PageLogEntry.objects.filter(user_id=user.pk).exists()
        or ModelLogEntry.objects.filter(user_id=user.pk).exists()
        or Revision.objects.filter(user_id=user.pk).exists()
    )


def _snapshot(sender, history_instance, history_user=None, **kwargs):
    if history_user is not None and isinstance(history_instance, ActorSnapshot):
        history_instance.history_user_name = actor_name(history_user)


def _protect(sender, instance, **kwargs):
    if has_acted(instance):
        raise ProtectedError(REFUSED, {instance})


def connect() -> None:
    name_users_in_chinese_order()
    pre_create_historical_record.connect(_snapshot, dispatch_uid="cms_history_actor_snapshot")
    pre_delete.connect(_protect, sender=get_user_model(), dispatch_uid="cms_history_protect_actor")
