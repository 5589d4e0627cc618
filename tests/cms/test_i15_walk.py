"""Defects found walking issue 15's journeys on a production-like server (DEBUG off, gunicorn)."""

import pytest
from django.template.loader import render_to_string


@pytest.mark.parametrize("template", ["404.html", "500.html", "400.html", "403.html"])
def test_error_pages_carry_the_configured_site_name(settings, template):
    """The error pages named the site "共治" whatever SITE_NAME says (the API docs, e-mails and
    admin use SITE_NAME): a district that names its site sees another name on its 404. They are
    rendered without a request or database (a 500 may come from either), so the name comes from
    settings."""
    settings.WAGTAIL_SITE_NAME = "清河区村务公开"
    html = render_to_string(template)
    assert "清河区村务公开" in html
    assert "共治" not in html


@pytest.mark.django_db
def test_pages_without_a_trail_carry_the_configured_site_name(client, settings, home):
    """A page without a trail falls back to the site name, not a hard-coded "共治"."""
    settings.WAGTAIL_SITE_NAME = "清河区村务公开"
    html = client.get("/search/").content.decode()
    assert "共治" not in html.split("</header>")[0]
