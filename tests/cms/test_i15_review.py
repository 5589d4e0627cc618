"""Issue 15 review: defects found in the merged work of items 1-10, each pinned by a test that
failed on the merged code."""

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client

from cms.search import search
from community.models.notice import AmountBlock, NoticeTableBlock
from tests.consultation.test_forms import make_form


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/admin/reports/aging-pages/", "/admin/reports/aging-pages/results/",
            "/admin/reports/page-types-usage/", "/admin/reports/page-types-usage/results/"],
)  # fmt: skip
def test_admin_reports_mounted_beside_the_admin_ask_for_a_login(home, url):
    """Our reports are mounted before wagtailadmin_urls, so they lack its require_admin_access:
    an anonymous visitor is sent to the login, as for every other admin page."""
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/admin/reports/aging-pages/", "/admin/reports/page-types-usage/"])
def test_admin_reports_refuse_a_user_without_admin_access(home, url):
    user = get_user_model().objects.create_user("resident-no-admin", password="x")
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert not response.content or b"<table" not in response.content


HUGE = "1" + "0" * 30  # an amount a slip of the keyboard (or a paste) can type


def test_an_amount_too_long_for_two_decimals_is_refused_in_the_editor():
    """AmountBlock quantizes to cents in Decimal's 28 digits: a longer amount was accepted, then
    every load of the notice (its page, its editor) raised InvalidOperation."""
    block = AmountBlock()
    with pytest.raises(ValidationError):
        block.clean(block.value_from_datadict({"amount": HUGE}, {}, "amount"))


def test_a_stored_amount_too_long_for_two_decimals_still_renders():
    table = NoticeTableBlock()
    value = table.to_python(
        {
            "caption": "收支明细",
            "columns": [{"type": "amount", "heading": "收入"}],
            "rows": [{"values": [HUGE]}, {"values": ["1200.5"]}],
        }
    )
    html = table.render(value)
    assert "1,200.50" in html and "1,000,000,000,000,000,000,000,000,000,000.00" in html


@pytest.mark.django_db
def test_a_search_costs_the_same_queries_however_many_agendas_it_finds(
    django_assert_max_num_queries,
):
    """The search reads each hit's text to cut its excerpt: an agenda's text spans its items,
    records and updates, read for all the hits at once (81 queries for 25 agendas before)."""
    with django_assert_max_num_queries(30):
        hits = search("议题背景")
    assert len(hits) >= 20
    assert all(type(hit.page).__name__ == "ConsultationPage" for hit in hits)


@pytest.mark.django_db
def test_a_draft_or_scheduled_revision_with_an_optional_consent_is_made_required(yinxing):
    """0014 made stored consent fields required, but a form's drafts and scheduled revisions hold
    their fields in the revision's content: opened in the editor they showed 选填 again, and a
    scheduled one refused to publish (publication_problem), which stops publish_scheduled."""
    page = make_form(yinxing)
    revision = page.save_revision()
    content = revision.content
    for stored in content["form_fields"]:
        if stored["field_type"] == "consent":
            stored["required"] = False  # as saved before the builder forced it
    revision.content = content
    revision.save(update_fields=["content"])
    assert not next(
        f for f in revision.as_object().form_fields.all() if f.field_type == "consent"
    ).required

    migration = import_module("consultation.migrations.0015_consent_required_in_revisions")
    migration.consent_is_required_in_revisions(apps, None)

    revision.refresh_from_db()
    draft = revision.as_object()
    assert next(f for f in draft.form_fields.all() if f.field_type == "consent").required
    assert draft.publication_problem() is None
    revision.publish()  # as publish_scheduled would
