"""History rows cannot be changed or deleted: no admin URL offers it, and the model refuses it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import get_resolver

from community.review.registry import history_registry
from tests.community.review.helpers import FACTORIES, history_url

pytestmark = pytest.mark.django_db


def _admin_url_names() -> set[str]:
    names = set()

    def walk(patterns, prefix=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif prefix.startswith("admin/") and p.name:
                names.add(p.name)

    walk(get_resolver().url_patterns)
    return names


def test_no_admin_url_edits_or_deletes_a_history_model():
    names = _admin_url_names()
    for entry in history_registry:
        history = entry.history_model._meta
        label = f"{history.app_label}_{history.model_name}"
        assert not [n for n in names if label in n], label
    assert not [n for n in names if n.startswith("admin:")]  # Django's admin is not mounted


@pytest.mark.parametrize("key", sorted(FACTORIES))
def test_posting_to_every_review_url_as_superuser_changes_no_history(
    client, superuser, committee_xinghua, xinghua, key
):
    record = FACTORIES[key][0](xinghua, committee_xinghua)
    history = type(record).history.model
    before = list(history.objects.filter(id=record.pk).values())
    client.force_login(superuser)
    url = history_url(record)
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(url, {"history_change_reason": "篡改"})
        assert response.status_code == 405, (method, response.status_code)
    for url in ("/admin/review/audit/", "/admin/review/audit/results/", "/admin/review/report/"):
        assert client.post(url, {"history_type": "-"}).status_code == 405, url
    assert list(history.objects.filter(id=record.pk).values()) == before


def test_a_history_row_refuses_save_and_delete(committee_xinghua, xinghua):
    record = FACTORIES["consultation.decision"][0](xinghua, committee_xinghua)
    row = record.history.get()
    row.history_change_reason = "篡改"
    with pytest.raises(PermissionDenied), transaction.atomic():
        row.save()
    with pytest.raises(PermissionDenied), transaction.atomic():
        row.delete()
    with pytest.raises(PermissionDenied), transaction.atomic():
        type(row).objects.filter(pk=row.pk).delete()
    assert record.history.get().history_change_reason == "新建"


def test_deleting_a_record_keeps_its_history(committee_xinghua, xinghua):
    record = FACTORIES["consultation.deliberation"][0](xinghua, committee_xinghua)
    pk = record.pk
    record.delete()
    assert [r.history_type for r in type(record).history.filter(id=pk).order_by("history_id")] == [
        "+",
        "-",
    ]
