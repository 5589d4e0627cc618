"""The review desk's panel on the Wagtail admin home, one per user, with a section for each role
the user holds: unread notifications for all, the district's half-year figures, a reviewer's
queue, and the overdue feedback in the user's scope."""

from django.utils import timezone
from wagtail.admin.ui.components import Component

from community.models import CommunityPage, CovenantRevision, Notification, Role, Stage
from community.models.settings import district_settings
from community.permissions import policy_for
from community.review import disclosures, figures

WORST = 5  # communities named on the desk panel; the full list is the 逾期未公开 page
SHOWN = 20  # entries on the committee's panel


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
        if district or reviewer:
            rows = disclosures.overdue_by_community(communities, today)
            context["disclosure_overdue"] = sum(r.count for r in rows)
            context["disclosure_worst"] = rows[:WORST]
        if reviewer:
            context["awaiting"] = (
                CovenantRevision.objects.for_user(self.user)
                .filter(stage__in=[Stage.REVIEW, Stage.FILING])
                .select_related("covenant", "community")
                .order_by("updated_at")
            )
        return context


class DisclosureDuePanel(Component):
    """即将到期的公开: the committee's overdue disclosures and those due within `reminder_days`,
    each with its deadline and where to disclose it (a new notice on the board, or the record)."""

    name = "disclosure_due"
    order = 100
    template_name = "community/review/due_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        settings = district_settings()
        communities = policy_for(self.user).committee_communities()
        items = disclosures.due_soon(communities, timezone.localdate(), settings)
        return {
            "items": items[:SHOWN],
            "hidden": max(0, len(items) - SHOWN),
            "overdue": sum(1 for i in items if i.overdue),
            "soon": sum(1 for i in items if not i.overdue),
            "reminder_days": settings.reminder_days,
        }


def panels_for(user) -> list[Component]:
    policy = policy_for(user)
    panels = []
    if policy.has_committee_role():
        panels.append(DisclosureDuePanel(user))
    if policy.may_use_desk():
        panels.append(ReviewDeskPanel(user))
    return panels
