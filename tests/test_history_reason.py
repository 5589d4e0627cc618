"""A change's reason is stored whole: a 2026 vote's reason, which names the four articles it was
judged by, is longer than 100 characters (PostgreSQL refused it in a varchar(100))."""

from django.db import models
from simple_history.models import registered_models


def test_every_history_keeps_a_reason_of_any_length():
    short = [
        model._meta.label
        for model in registered_models.values()
        if not isinstance(
            model.history.model._meta.get_field("history_change_reason"), models.TextField
        )
    ]
    assert short == []
