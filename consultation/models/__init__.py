from consultation.models.agenda import AgendaItem, ConsultationIndexPage, ConsultationPage, Status
from consultation.models.decision import Decision
from consultation.models.deletion import AnswerDeletion
from consultation.models.forms import CommunityFormField, CommunityFormPage, CommunityFormSubmission
from consultation.models.queries import NoticeQuery
from consultation.models.ratelimit import RateCounter
from consultation.models.receipts import AnswerReceipt
from consultation.models.records import Deliberation, ImplementationUpdate

__all__ = [
    "AgendaItem",
    "AnswerDeletion",
    "AnswerReceipt",
    "CommunityFormField",
    "CommunityFormPage",
    "CommunityFormSubmission",
    "ConsultationIndexPage",
    "ConsultationPage",
    "Decision",
    "Deliberation",
    "ImplementationUpdate",
    "NoticeQuery",
    "RateCounter",
    "Status",
]
