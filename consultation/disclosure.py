"""What the consultation app discloses, as sources of the disclosure calendar
(community/disclosure/calendar.py), registered from ConsultationConfig.ready().

- A 四议两公开 decision whose vote is recorded (meeting_date) must be made public at once: an
  obligation 决议公开 due `at_once_days` after the meeting, under the item for major matters
  (village 2025 第三十五条第三款 "随时公布"), fulfilled by its resolution_published_on.
- Once the resolution is public, its implementation must be too (第二款第（一）项 "及其实施情况",
  at least quarterly): an obligation 实施结果公开 due with the regular disclosure of the quarter after
  the resolution's (that quarter's end + `quarter_deadline_days`), fulfilled by result_published_on.
- A published resolution discloses the decisions item for its quarter; a published 落实反馈 of a
  consultation discloses the consultation item for the quarter of its date.

Only what residents can read counts: a date not yet come, an unpublished update, a page under an
unpublished ancestor fulfil nothing (as Decision.objects.published() and consultation/api.py decide).
A fixed number of queries for any number of communities and decisions.
"""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from cms.visibility import hidden_q, reachable
from community.disclosure.calendar import Disclosure, EventObligation, due_on, register_source
from community.disclosure.catalogue import EVENT_ITEMS
from community.disclosure.periods import MONTH, QUARTER, period_of
from community.models import CommunityPage
from community.models.settings import DistrictSettings
from community.review.disclosures import register_event_action
from consultation.models import ConsultationPage, Decision, ImplementationUpdate


def result_due_on(resolution_on: datetime.date, settings: DistrictSettings) -> datetime.date:
    """实施结果公开 is due with the regular disclosure of the quarter after the resolution's."""
    return due_on(period_of(resolution_on, QUARTER).next(), settings)


def _period_kind(kind: str, settings: DistrictSettings) -> str:
    """The period a disclosure of a community of `kind` is for: a quarter, or a month where the
    district holds urban communities to monthly disclosure (a month lies within its quarter)."""
    if kind == CommunityPage.Kind.URBAN and settings.urban_period == MONTH:
        return MONTH
    return QUARTER


def _communities(community_ids: list[int], hidden) -> tuple[dict, set[int]]:
    """Each community's (kind, path on the site: where its page lists its decisions), and the ids
    of those residents can reach."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    root = site.root_page.url_path if site else "/"
    rows = CommunityPage.objects.filter(pk__in=community_ids).values_list("pk", "kind", "url_path")
    found = {pk: (kind, "/" + url_path.removeprefix(root)) for pk, kind, url_path in rows}
    visible = set(
        reachable(CommunityPage.objects.filter(pk__in=community_ids), hidden).values_list(
            "pk", flat=True
        )
    )
    return found, visible


def _public_on(day: datetime.date | None, visible: bool, today: datetime.date):
    return day if visible and day is not None and day <= today else None


def decision_sources(community_ids, first: datetime.date, today: datetime.date, settings):
    """决议公开 and 实施结果公开 obligations, and each public resolution as a disclosure."""
    hidden = hidden_q()
    communities, visible = _communities(community_ids, hidden)
    decisions = (
        Decision.objects.filter(community_id__in=community_ids, meeting_date__isnull=False)
        .filter(Q(meeting_date__gte=first) | Q(resolution_published_on__gte=first))
        .only(
            "community_id",
            "title",
            "meeting_date",
            "resolution_published_on",
            "result_published_on",
        )
        .order_by("meeting_date", "pk")
    )
    found = []
    for decision in decisions:
        kind, url = communities.get(decision.community_id, (None, ""))
        if kind is None:
            continue
        shown = decision.community_id in visible
        resolved = _public_on(decision.resolution_published_on, shown, today)
        found.append(
            EventObligation(
                key=f"decision:{decision.pk}:resolution",
                community_id=decision.community_id,
                item_key=EVENT_ITEMS[("major", kind)],
                label=f"决议公开：{decision.title}",
                occurred_on=decision.meeting_date,
                due_on=decision.meeting_date + datetime.timedelta(days=settings.at_once_days),
                fulfilled_on=resolved,
                title=decision.title,
                url=url,
            )
        )
        if resolved is None:
            continue
        found.append(
            Disclosure(
                decision.community_id,
                EVENT_ITEMS[("decision", kind)],
                period_of(resolved, _period_kind(kind, settings)),
                resolved,
                f"决议公开：{decision.title}",
                url=url,
                source="decision",
            )
        )
        found.append(
            EventObligation(
                key=f"decision:{decision.pk}:result",
                community_id=decision.community_id,
                item_key=EVENT_ITEMS[("decision", kind)],
                label=f"实施结果公开：{decision.title}",
                occurred_on=resolved,
                due_on=result_due_on(resolved, settings),
                fulfilled_on=_public_on(decision.result_published_on, shown, today),
                title=decision.title,
                url=url,
            )
        )
    return found


def update_disclosures(community_ids, first: datetime.date, today: datetime.date, settings):
    """Each published 落实反馈 on a reachable agenda discloses the consultation item for the
    quarter of its date, from the day it was published."""
    hidden = hidden_q()
    communities, _visible = _communities(community_ids, hidden)
    agendas = reachable(ConsultationPage.objects.all(), hidden)
    updates = (
        ImplementationUpdate.objects.published()
        .filter(community_id__in=community_ids, agenda__in=agendas, date__gte=first)
        .select_related("agenda")
        .only("community_id", "date", "published_at", "agenda__title", "agenda__url_path")
        .order_by("date", "pk")
    )
    found = []
    for update in updates:
        kind, _url = communities.get(update.community_id, (None, ""))
        published_on = timezone.localdate(update.published_at)
        if kind is None or published_on > today:
            continue
        found.append(
            Disclosure(
                update.community_id,
                EVENT_ITEMS[("consultation", kind)],
                period_of(update.date, _period_kind(kind, settings)),
                published_on,
                f"落实反馈：{update.agenda.title}",
                page=update.agenda,
                source="consultation",
            )
        )
    return found


def decision_admin_url(event: EventObligation) -> str:
    """A decision's obligations are met in the decision itself (its 公开 dates)."""
    return reverse("consultation_decision_modeladmin_edit", args=(event.key.split(":")[1],))


def register() -> None:
    register_source(decision_sources)
    register_source(update_disclosures)
    register_event_action("decision:", decision_admin_url)
