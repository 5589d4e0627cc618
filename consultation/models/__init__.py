from consultation.models.agenda import AgendaItem, ConsultationIndexPage, ConsultationPage, Status
from consultation.models.decision import Decision
from consultation.models.records import Deliberation, ImplementationUpdate

__all__ = [
    "AgendaItem",
    "ConsultationIndexPage",
    "ConsultationPage",
    "Decision",
    "Deliberation",
    "ImplementationUpdate",
    "Status",
]
