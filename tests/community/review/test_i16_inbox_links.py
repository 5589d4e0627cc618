"""Opening a notification goes to the admin path it names, never to another site, however the
link is spelled (browsers read "/\\evil.com" as "//evil.com")."""

import pytest
from django.urls import reverse

from community.models import Notification

pytestmark = pytest.mark.django_db


def _open(client, user, link):
    note = Notification.objects.create(
        recipient=user, kind=Notification.Kind.QUERY_RECEIVED, message="查询", link=link
    )
    return client.get(reverse("review_open_notification", args=(note.pk,)))


@pytest.mark.parametrize(
    "link", ["/\\evil.com", "//evil.com", "https://evil.com", "/\\/evil.com", "\\\\evil.com"]
)
def test_a_link_to_another_site_opens_the_inbox(client, committee_xinghua, link):
    client.force_login(committee_xinghua)
    response = _open(client, committee_xinghua, link)
    assert response.status_code == 302
    assert response["Location"] == reverse("review_inbox")


def test_an_admin_link_is_followed(client, committee_xinghua):
    client.force_login(committee_xinghua)
    link = reverse("consultation_queries")
    assert _open(client, committee_xinghua, link)["Location"] == link
