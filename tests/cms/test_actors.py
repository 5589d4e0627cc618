"""The audit trail keeps its actors: a user who acted cannot be deleted (deactivate instead), and
every history row names its actor even if the user row is gone (docs/review-desk.md)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.db.models.signals import pre_delete
from django.urls import reverse

from cms import history
from tests.community.review.helpers import FACTORIES

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def actor(xinghua):
    """A committee member of 杏花村 who has written one record of every kind."""
    user = User.objects.create_user("weiyuan_temp", password="x", first_name="临时", last_name="张")
    records = [make(xinghua, user) for make, *_ in FACTORIES.values()]
    return user, records


def test_every_history_model_keeps_a_name_snapshot():
    assert history.historical_models()
    for model in history.historical_models():
        assert issubclass(model, history.ActorSnapshot), model


def test_a_history_row_is_written_with_its_actors_name(actor):
    _user, records = actor
    for record in records:
        row = record.history.latest()
        assert row.history_user_name == "张临时（weiyuan_temp）", type(record)


def test_the_admin_refuses_to_delete_a_user_who_acted(client, superuser, actor):
    user, _records = actor
    client.force_login(superuser)
    response = client.post(reverse("wagtailusers_users:delete", args=(user.pk,)), follow=True)
    assert User.objects.filter(pk=user.pk).exists()
    assert "不能删除" in response.content.decode() and "停用" in response.content.decode()


def test_bulk_delete_refuses_a_user_who_acted(client, superuser, actor):
    user, _records = actor
    client.force_login(superuser)
    url = f"/admin/bulk/auth/user/delete/?id={user.pk}&next=/admin/users/"
    response = client.post(url, follow=True)
    assert User.objects.filter(pk=user.pk).exists()
    assert "不能删除" in response.content.decode()


def test_no_script_deletes_a_user_who_acted(actor):
    user, _records = actor
    with pytest.raises(ProtectedError), transaction.atomic():
        user.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        User.objects.filter(pk=user.pk).delete()
    assert User.objects.filter(pk=user.pk).exists()


def test_a_user_who_never_acted_can_be_deleted(client, superuser):
    idle = User.objects.create_user("never_acted", password="x")
    client.force_login(superuser)
    client.post(reverse("wagtailusers_users:delete", args=(idle.pk,)))
    assert not User.objects.filter(pk=idle.pk).exists()


def test_rows_keep_their_actor_when_the_user_row_is_gone(client, district_staff, actor):
    user, records = actor
    pre_delete.disconnect(history._protect, sender=User, dispatch_uid="cms_history_protect_actor")
    try:
        user.delete()  # a path that skipped the guard
    finally:
        history.connect()
    client.force_login(district_staff)
    for record in records:
        row = record.history.latest()
        assert row.history_user is None
        assert row.actor == "张临时（weiyuan_temp）"
    audit = b"".join(
        client.get("/admin/review/audit/", {"export": "csv"}).streaming_content
    ).decode("utf-8")
    assert audit.count("张临时（weiyuan_temp）") >= len(records)
