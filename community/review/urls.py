from django.urls import path

from community.review import audit, history, inbox, overdue, report

urlpatterns = [
    path("history/<str:model_key>/<int:object_id>/", history.history_view, name="review_history"),
    path("audit/", audit.AuditLogView.as_view(), name="review_audit"),
    path(
        "audit/results/",
        audit.AuditLogView.as_view(results_only=True),
        name="review_audit_results",
    ),
    path("disclosures/", overdue.OverdueDisclosuresView.as_view(), name="review_disclosures"),
    path(
        "disclosures/results/",
        overdue.OverdueDisclosuresView.as_view(results_only=True),
        name="review_disclosures_results",
    ),
    path("report/", report.report_view, name="review_report"),
    path("notifications/", inbox.inbox, name="review_inbox"),
    path("notifications/<int:pk>/", inbox.open_notification, name="review_open_notification"),
    path("notifications/read/", inbox.mark_all_read, name="review_mark_all_read"),
]
