"""The one permission policy: "may this user do X to this community's Y" and "which communities
may this user see", asked by every admin view, modeladmin scope, chooser, the review desk, the
procedure's steps and the API (docs/roles.md).

A user's managed roles are read once and kept on the user object, which Django builds afresh
for each request: one query per request, however many questions a page asks. Changing a user's
groups through `user.groups` forgets what was kept (see `forget`).

Site administrators (active superusers) may do everything a role may; that rule is here and
nowhere else. What a role may do to pages and files is Wagtail's page and collection permissions,
which `community.roles.sync_roles` keeps in step; what it may do in the procedure and the records
is decided here.
"""

from collections.abc import Iterable
from functools import cached_property

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.db.models.signals import m2m_changed
from django.utils import timezone

from cms.visibility import under
from community.models.role import Role

COMMITTEE = Role.Kind.COMMITTEE
REVIEWER = Role.Kind.REVIEWER
DISTRICT = Role.Kind.DISTRICT
SUPERVISOR = Role.Kind.SUPERVISOR

# Who may read personal data (speakers' names) of a community's records (docs/roles.md, personal data).
PERSONAL_DATA_READERS = frozenset({COMMITTEE, DISTRICT})

_CACHE_ATTRIBUTE = "_community_policy"

# The tree's levels (parent_page_types enforce them): root 1, home 2, township 3, community 4, and
# every page deeper than that inside one community.
COMMUNITY_DEPTH = 4


def _community_model():
    # The policy is imported by the page models' module (CommunityPage.objects.for_user), so it
    # takes the model from the app registry when asked, not at import time.
    return apps.get_model("community", "CommunityPage")


class CommunityPolicy:
    """What one user may do in which community. Build it with `policy_for(user)`."""

    def __init__(self, user):
        self.user = user

    # The user's own flags are read each time (cheap, and a script may change them); only the
    # roles, which cost a query, are kept.
    @property
    def active(self) -> bool:
        user = self.user
        return bool(user and user.is_authenticated and user.is_active and user.pk)

    @property
    def superuser(self) -> bool:
        return self.active and self.user.is_superuser

    @cached_property
    def roles(self) -> tuple[Role, ...]:
        if not (self.user and self.user.is_authenticated and self.user.pk):
            return ()
        roles = tuple(Role.objects.filter(group__user=self.user).select_related("page"))
        supervised = {r.page_id for r in roles if r.kind == SUPERVISOR}
        if not supervised:
            return roles
        ended = _former_supervisions(self.user, supervised)
        return tuple(r for r in roles if not (r.kind == SUPERVISOR and r.page_id in ended))

    @property
    def held(self) -> tuple[Role, ...]:
        """The roles that count: none while the user is inactive."""
        return self.roles if self.active else ()

    @property
    def kinds(self) -> frozenset[str]:
        """The kinds of role the user holds anywhere."""
        return frozenset(role.kind for role in self.held)

    # Which communities

    def community_q(self) -> Q | None:
        """A filter on CommunityPage for the communities the user may work with or read in the
        admin; None for all of them (site administrators, district staff)."""
        if not self.active:
            return Q(pk__in=[])
        if self.superuser or DISTRICT in self.kinds:
            return None
        scope = Q(pk__in=[])
        for role in self.held:
            if role.kind in (COMMITTEE, SUPERVISOR):
                scope |= Q(pk=role.page_id)
            elif role.kind == REVIEWER and role.page is not None:
                scope |= Q(path__startswith=role.page.path, depth=role.page.depth + 1)
        return scope

    def page_scope_q(self) -> Q | None:
        """A filter on Page for what the admin may show the user at all (titles included): the
        district's levels above the communities, and the subtrees of `communities()`; None for
        everything (site administrators, district staff). Explorer, chooser, bulk actions, move
        and reports ask this (community/admin_scope.py)."""
        if self.is_district():
            return None
        return Q(depth__lt=COMMUNITY_DEPTH) | within(self.communities())

    def communities(self):
        """The communities the user may see in the admin (their pages, records and history)."""
        return _community_model().objects.for_user(self.user)

    def committee_communities(self):
        """The communities whose records the user may create and edit (site administrators: all)."""
        pages = _community_model().objects.all()
        if self.superuser:
            return pages
        return pages.filter(pk__in=[r.page_id for r in self.held if r.kind == COMMITTEE])

    def kinds_in(self, community) -> set[str]:
        """The roles the user holds over `community`: committee, reviewer (of its township),
        district."""
        township_path = community.path[: -community.steplen]
        kinds = set()
        for role in self.held:
            if role.kind == DISTRICT:
                kinds.add(DISTRICT)
            elif role.kind in (COMMITTEE, SUPERVISOR) and role.page_id == community.pk:
                kinds.add(role.kind)
            elif (
                role.kind == REVIEWER and role.page is not None and role.page.path == township_path
            ):
                kinds.add(REVIEWER)
        return kinds

    # May

    def may_act_as(self, community, allowed: Iterable[str]) -> bool:
        """May the user act in `community` as one of these roles (a procedure step, a record)?"""
        return self.superuser or bool(self.kinds_in(community) & set(allowed))

    def is_committee_of(self, community) -> bool:
        return self.may_act_as(community, {COMMITTEE})

    def may_edit_register(self, community) -> bool:
        """The register (quorum bases) is kept by the community's committee; township reviewers
        and district staff read it and its history, and change nothing."""
        return self.is_committee_of(community)

    def may_read_register(self, community) -> bool:
        return self.may_act_as(community, {COMMITTEE, SUPERVISOR, REVIEWER, DISTRICT})

    def is_supervisor_of(self, community) -> bool:
        """A member of the community's supervision committee (村务/居务监督委员会); site
        administrators may do what it may."""
        return self.may_act_as(community, {SUPERVISOR})

    def supervised_communities(self):
        """The communities whose supervision committee the user sits on (site administrators: all)."""
        pages = _community_model().objects.all()
        if self.superuser:
            return pages
        return pages.filter(pk__in=[r.page_id for r in self.held if r.kind == SUPERVISOR])

    def may_keep_supervision_members(self, community) -> bool:
        """The assembly elects the supervision committee: its list is kept by the township's
        reviewers and district staff, never by the committee it watches nor by itself."""
        return self.may_act_as(community, {REVIEWER, DISTRICT})

    def may_write_supervision(self, community) -> bool:
        """Opinions, reports to the township and finance sign-off: the supervision committee's
        own records, and nothing else it may change."""
        return self.is_supervisor_of(community)

    def may_read_supervision_reports(self, community) -> bool:
        """The supervision committee's reports to the township are about the committee it
        watches: read by itself, the township and the district, never by that committee."""
        return self.may_act_as(community, {SUPERVISOR, REVIEWER, DISTRICT})

    def supervision_report_communities(self):
        """`communities()` less those the user sees only as their committee (the desk's history
        and audit log of the reports)."""
        committee_only = [
            role.page_id
            for role in self.held
            if role.kind == COMMITTEE and not self.may_read_supervision_reports(role.page)
        ]
        communities = self.communities()
        return communities.exclude(pk__in=committee_only) if committee_only else communities

    def may_handle_supervision_reports(self, community) -> bool:
        """The township records the receipt and handling of a supervision report."""
        return self.may_act_as(community, {REVIEWER})

    def may_see_personal_names(self, community) -> bool:
        return self.may_act_as(community, PERSONAL_DATA_READERS)

    def has_committee_role(self) -> bool:
        """Holds a committee role somewhere (site administrators do not: they have no community
        to-do list of their own)."""
        return COMMITTEE in self.kinds

    def may_use_desk(self) -> bool:
        """The review desk and the records' lists: anyone holding a managed role, and site
        administrators; what each sees is then scoped by `communities()`."""
        return self.superuser or bool(self.held)

    def require_desk(self) -> None:
        """Refuse (403) the review desk's views to a user who may not use it."""
        self.require(self.may_use_desk())

    def is_district(self) -> bool:
        return self.superuser or DISTRICT in self.kinds

    def may_unpublish_covenant(self) -> bool:
        """A covenant's live text is the adopted one: only site administrators take it down."""
        return self.superuser

    def sees_every_draft(self) -> bool:
        """Choosers list other communities' drafts only to site administrators."""
        return self.superuser

    def require(self, allowed: bool, message: str = "") -> None:
        if not allowed:
            raise PermissionDenied(message)


def _former_supervisions(user, community_ids: set[int]) -> set[int]:
    """The supervised communities where every membership of the user's has ended: a former
    member's group no longer counts (a member with no membership row keeps the group's access)."""
    member_model = apps.get_model("community", "SupervisionMember")
    today = timezone.localdate()
    rows = member_model.objects.filter(user=user, community_id__in=community_ids).values_list(
        "community_id", "term_start", "term_end"
    )
    listed, current = set(), set()
    for community_id, start, end in rows:
        listed.add(community_id)
        if start <= today and (end is None or end >= today):
            current.add(community_id)
    return listed - current


def policy_for(user) -> CommunityPolicy:
    """The user's policy, built once per user object (so once per request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return CommunityPolicy(user)
    policy = getattr(user, _CACHE_ATTRIBUTE, None)  # request.user is lazy: getattr reaches the user
    if policy is None:
        policy = CommunityPolicy(user)
        setattr(user, _CACHE_ATTRIBUTE, policy)
    return policy


def forget(user) -> None:
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def _forget_on_group_change(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, get_user_model()):
        forget(instance)


def connect() -> None:
    m2m_changed.connect(
        _forget_on_group_change,
        sender=get_user_model().groups.through,
        dispatch_uid="community_policy_forget",
    )


def within(communities, prefix: str = "") -> Q:
    """A filter for pages inside any of these communities' subtrees (their covenants, agendas,
    forms); with a prefix (e.g. "page__"), for rows whose related page is."""
    return under(communities.values_list("path", flat=True), prefix)
