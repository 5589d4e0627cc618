"""A record belongs to its agenda's community, wherever the agenda is."""

import pytest
from django.utils import timezone

from consultation.models import ConsultationPage, Deliberation

pytestmark = pytest.mark.django_db


# 4. A draft record moved to another community's agenda keeps the old community.
def test_record_follows_its_agenda_community(superuser, xinghua, shiqiao):
    record = Deliberation.objects.filter(community=xinghua, published_at__isnull=True).first() or (
        Deliberation.objects.create(
            agenda=ConsultationPage.objects.descendant_of(xinghua).first(),
            held_at=timezone.now(),
            chair="王",
            recorder="周",
            outcome="x",
        )
    )
    record.agenda = ConsultationPage.objects.descendant_of(shiqiao).first()
    record.save()
    record.refresh_from_db()
    assert record.community_id == shiqiao.pk
