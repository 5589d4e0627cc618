"""The committee's dashboard panel: agendas waiting for a record, and feedback that is overdue."""

import datetime
from typing import NamedTuple

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from wagtail.admin.ui.components import Component

from community.permissions import policy_for, within
from consultation.models import ConsultationPage, Deliberation, ImplementationUpdate


class Attention(NamedTuple):
    waiting_record: list
    waiting_feedback: list


def agendas_needing_attention(user, now=None, communities=None) -> Attention:
    """(waiting for a record, waiting for feedback for more than FEEDBACK_OVERDUE_DAYS) for the
    agendas of the user's communities (or of `communities`, for the review desk); one query each."""
    now = now or timezone.now()
    if communities is None:
        communities = policy_for(user).committee_communities()
    agendas = ConsultationPage.objects.filter(within(communities)).live()
    record = Deliberation.objects.published().filter(agenda=OuterRef("pk"))
    done = ImplementationUpdate.objects.published().filter(agenda=OuterRef("pk"), status="done")
    waiting_record = agendas.filter(starts_at__lt=now).exclude(Exists(record)).order_by("starts_at")
    overdue_since = (now - datetime.timedelta(days=settings.FEEDBACK_OVERDUE_DAYS)).date()
    waiting_feedback = (
        agendas.filter(Exists(record))
        .exclude(Exists(done))
        .annotate(last_update=Max("updates__date", filter=Q(updates__published_at__isnull=False)))
        .annotate(held=Max("deliberations__held_at"))
        .filter(
            Q(last_update__lt=overdue_since)
            | Q(last_update__isnull=True, held__date__lt=overdue_since)
        )
        .order_by("last_update")
    )
    return Attention(list(waiting_record), list(waiting_feedback))


class ConsultationTodoPanel(Component):
    name = "consultation_todo"
    order = 110
    template_name = "consultation/admin/todo_panel.html"

    def __init__(self, user):
        self.waiting_record, self.waiting_feedback = agendas_needing_attention(user)

    def get_context_data(self, parent_context):
        return {
            "waiting_record": self.waiting_record,
            "waiting_feedback": self.waiting_feedback,
            "overdue_days": settings.FEEDBACK_OVERDUE_DAYS,
        }
