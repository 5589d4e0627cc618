"""History rows are written once by simple-history and never changed or deleted, whoever asks
(docs/operations.md). The admin offers no way to do either; this refuses it at the model layer too."""

from django.core.exceptions import PermissionDenied
from django.db.models.signals import pre_delete, pre_save
from simple_history.models import registered_models

REFUSED = "历史记录依规永久保存，不能修改或删除。"


def refuse_history_change(sender, instance, raw=False, **kwargs):
    if not raw and not instance._state.adding:
        raise PermissionDenied(REFUSED)


def refuse_history_delete(sender, instance, **kwargs):
    raise PermissionDenied(REFUSED)


def connect() -> None:

    for tracked in registered_models.values():
        history = tracked.history.model
        pre_save.connect(refuse_history_change, sender=history, dispatch_uid=f"keep-{history}")
        pre_delete.connect(refuse_history_delete, sender=history, dispatch_uid=f"keep-d-{history}")
