"""The user's own notifications in the admin: the list, opening one (marks it read), and marking
all read."""

from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from community.models import Notification
from community.permissions import policy_for


@require_safe
def inbox(request):
    policy_for(request.user).require_desk()
    notes = Notification.objects.filter(recipient=request.user).select_related("revision")[:200]
    context = {"page_title": "通知", "header_icon": "mail", "notifications": notes}
    return TemplateResponse(request, "community/review/inbox.html", context)


def open_notification(request, pk: int):
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    if note.revision_id:
        return redirect("community_revision_detail", note.revision_id)
    # Our own paths only: a link is written by our code, but "/\\evil.com" would reach elsewhere.
    link = note.link
    if link.startswith("/") and url_has_allowed_host_and_scheme(
        link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(link)
    return redirect("review_inbox")


@require_POST
def mark_all_read(request):
    Notification.objects.filter(recipient=request.user).unread().update(read_at=timezone.now())
    return redirect("review_inbox")
