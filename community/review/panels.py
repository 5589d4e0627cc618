"""The review desk's panel on the Wagtail admin home, one per user, with a section for each role
the user holds: unread notifications for all, the district's half-year figures, a reviewer's
queue, and the overdue feedback in the user's scope."""

from django.utils import timezone
from wagtail.admin.ui.components import Component

from community.models import CommunityPage, CovenantRevision, Notification, Role, Stage
from community.permissions import policy_for
from community.review import figures


class ReviewDeskPanel(Component):
    name = "review_desk"
    order = 90
    template_name = "community/review/panel.html"

    def __init__(self, user):
        self.user = user
        self.policy = policy_for(user)
        self.kinds = self.policy.kinds

    def get_context_data(self, parent_context):
        communities = CommunityPage.objects.for_user(self.user)
        today = timezone.localdate()
        period = figures.Period.half_year(today)
        district = self.policy.is_district()
        reviewer = Role.Kind.REVIEWER in self.kinds
        context = {
            "notifications": list(Notification.objects.filter(recipient=self.user).unread()[:5]),
            "unread": Notification.objects.filter(recipient=self.user).unread().count(),
            "district": district,
            "reviewer": reviewer,
            "committee": Role.Kind.COMMITTEE in self.kinds,
            "overdue": figures.overdue_updates(communities),
            "overdue_days": figures.overdue_days(),
        }
        if district:
            context["period"] = period
            context["figures"] = figures.half_year_figures(communities, period)
        if district or reviewer:
            context["stages"] = figures.covenants_by_stage(communities, today)
        if reviewer:
            context["awaiting"] = (
                CovenantRevision.objects.for_user(self.user)
                .filter(stage__in=[Stage.REVIEW, Stage.FILING])
                .select_related("covenant", "community")
                .order_by("updated_at")
            )
        return context


def panels_for(user) -> list[Component]:
    if not policy_for(user).may_use_desk():
        return []
    return [ReviewDeskPanel(user)]
