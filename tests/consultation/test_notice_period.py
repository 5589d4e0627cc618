"""The agenda's notice period (提前通报), measured from its first announcement, on every publish path."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consultation.models import ConsultationIndexPage, ConsultationPage

pytestmark = pytest.mark.django_db


# 3. Notice period: a topic first published while still collecting (no time) can later be given
#    a meeting time tomorrow and published without the urgent flag: first_published_at is used.
def test_setting_a_time_on_a_live_collecting_agenda_keeps_the_notice_period(shiqiao):
    index = ConsultationIndexPage.objects.child_of(shiqiao).get()
    page = ConsultationPage(title="征集中的议题", slug="collecting-x", starts_at=None, live=False)
    index.add_child(instance=page)
    page.save_revision().publish()  # 征集议题 is public, fine
    page = ConsultationPage.objects.get(pk=page.pk)
    page.first_published_at = timezone.now() - datetime.timedelta(days=20)  # published weeks ago
    page.save(update_fields=["first_published_at"])
    page = ConsultationPage.objects.get(pk=page.pk)
    page.starts_at = timezone.now() + datetime.timedelta(hours=12)  # meeting in 12 hours
    assert page.notice_violations(), "12 h notice must be refused without 紧急 + reason"


def test_moving_a_live_meeting_to_tomorrow_is_refused(shiqiao):
    index = ConsultationIndexPage.objects.child_of(shiqiao).get()
    page = ConsultationPage(
        title="已公告议题",
        slug="moved-x",
        starts_at=timezone.now() + datetime.timedelta(days=30),
        live=False,
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    page = ConsultationPage.objects.get(pk=page.pk)
    page.first_published_at = timezone.now() - datetime.timedelta(days=5)
    page.save(update_fields=["first_published_at"])
    page = ConsultationPage.objects.get(pk=page.pk)
    page.starts_at = timezone.now() + datetime.timedelta(days=1)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        page.save_revision().publish()


# 3b. Bulk publish from the explorer bypasses the hook; save() raises ValidationError -> 500.
def test_bulk_publish_of_a_too_late_agenda_is_a_message_not_a_500(
    client, shiqiao, committee_shiqiao
):
    index = ConsultationIndexPage.objects.child_of(shiqiao).get()
    page = ConsultationPage(
        title="明天开会",
        slug="bulk-x",
        starts_at=timezone.now() + datetime.timedelta(days=1),
        live=False,
    )
    index.add_child(instance=page)
    page.save_revision()
    client.force_login(committee_shiqiao)
    client.raise_request_exception = False
    url = (
        reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
        + f"?id={page.pk}&next=/admin/"
    )
    response = client.post(url, {"include_descendants": ""})
    assert response.status_code in (200, 302)
    assert not ConsultationPage.objects.get(pk=page.pk).live
