import datetime

import pytest
from django.utils import timezone

from consultation.dashboard import agendas_needing_attention
from consultation.models import ConsultationPage, ImplementationUpdate

pytestmark = pytest.mark.django_db


def test_panel_lists_agendas_without_record_and_overdue_feedback(
    client, committee_xinghua, xinghua
):
    waiting_record, waiting_feedback = agendas_needing_attention(committee_xinghua)
    assert waiting_record == []  # the demo recorded every held meeting
    titles = {a.title for a in waiting_feedback}
    assert titles == {
        "茶园机耕路拓宽方案协商",
        "村级公益性岗位设置协商",
    }  # deliberated / implementing, quiet > 30 days

    held = ConsultationPage.objects.descendant_of(xinghua).get(slug="topic-2")
    later = timezone.now() + datetime.timedelta(days=11)
    waiting_record, _ = agendas_needing_attention(committee_xinghua, now=later)
    assert [a.pk for a in waiting_record] == [held.pk]

    busy = ConsultationPage.objects.descendant_of(xinghua).get(slug="topic-4")
    update = ImplementationUpdate(
        agenda=busy, date=timezone.localdate(), text="本周已完成人员招聘。"
    )
    update.save()
    update.publish(committee_xinghua)
    _, waiting_feedback = agendas_needing_attention(committee_xinghua)
    assert busy.pk not in {a.pk for a in waiting_feedback}

    client.force_login(committee_xinghua)
    html = client.get("/admin/").content.decode()
    assert "协商议事待办" in html and "茶园机耕路拓宽方案协商" in html


def test_other_communities_are_not_on_my_panel(committee_shiqiao, xinghua):
    _, waiting_feedback = agendas_needing_attention(committee_shiqiao)
    assert not {a.pk for a in waiting_feedback} & set(
        ConsultationPage.objects.descendant_of(xinghua).values_list("pk", flat=True)
    )
