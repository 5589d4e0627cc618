"""民主理财: in a community where the district's setting asks for it (villages by default), a
财务公开 notice goes live only in content a supervision member has signed off.

Every publish path ends in the notice's save (the editor's button, `publish_scheduled`,
`revision.publish()`, the API's publish action, bulk publishing), so the guard is a `pre_save`
on NoticePage: it refuses a save that makes the page live, or live with another revision, unless
the latest sign-off of the notice approved exactly that content (`revision_digest`). The editor
and bulk actions ask first, to keep the draft and say why (hooks.py); a new finance notice created
live by a script is created as a draft. Unpublishing is never refused."""

from django.core.exceptions import PermissionDenied
from django.db.models.signals import pre_save
from django.utils import timezone
from wagtail.models import Revision

from community.law import provision
from community.models import DisclosureItem, NoticeCategory, NoticePage, Role
from community.models.settings import district_settings
from community.models.supervision import FinanceSignOff, SupervisionMember, revision_digest
from community.permissions import policy_for, within
from community.review.notifications import members

PENDING_LABEL = "待监督委员会审核"


def basis(kind: str | None) -> str:
    """Why the sign-off is asked: the village law's 民主理财 article; for urban communities the
    district's own rule (the urban law's supervision article does not name 民主理财)."""
    if kind == "urban":
        return "按本区规则，社区财务公开也须经居务监督委员会审核"
    row = provision("village.supervision", on=timezone.localdate())
    return f"民主理财，{row.citation}"


def refused_message(kind: str | None) -> str:
    return (
        f"财务公开须经监督委员会审核（{basis(kind)}）：请先在后台“监督委员会”中"
        "提请监督委员会审核，审核通过的内容才能发布；审核后又修改的，须重新审核。"
    )


class FinancePublishRefused(PermissionDenied):
    pass


def finance_item_ids() -> set[int]:
    return set(
        DisclosureItem.objects.filter(category=NoticeCategory.FINANCE).values_list("pk", flat=True)
    )


def is_finance(notice: NoticePage, revision: Revision | None = None, finance_ids=None) -> bool:
    """A finance notice: its category is 财务公开, or it names a catalogue item of that category
    (财务收支情况 under 村务公开 is still the accounts). With a revision, what that revision would
    publish (a draft changed later does not count); without, the page as it is in memory."""
    if revision is not None:
        category = revision.content.get("category")
        item_ids = set(revision.content.get("disclosure_items") or [])
    else:
        category = notice.category
        item_ids = {item.pk for item in notice.disclosure_items.all()}
    if category == NoticeCategory.FINANCE:
        return True
    if not item_ids:
        return False
    if finance_ids is not None:
        return bool(item_ids & finance_ids)
    return DisclosureItem.objects.filter(pk__in=item_ids, category=NoticeCategory.FINANCE).exists()


def signoff_required(
    notice: NoticePage, kind: str | None = None, revision: Revision | None = None
) -> bool:
    kind = kind or notice.community_kind()
    if kind is None or not district_settings().finance_signoff_required(kind):
        return False
    return is_finance(notice, revision)


def latest_signoff(notice_id: int) -> FinanceSignOff | None:
    return FinanceSignOff.objects.filter(notice_id=notice_id).order_by("-signed_at", "-pk").first()


def is_signed(notice_id: int, revision: Revision | None) -> bool:
    """Whether the notice's latest sign-off approved this revision's content."""
    if revision is None:
        return False
    latest = latest_signoff(notice_id)
    return (
        latest is not None
        and latest.outcome == FinanceSignOff.Outcome.SIGNED
        and latest.digest == revision_digest(revision)
    )


def publication_problem(notice: NoticePage, revision: Revision | None) -> str | None:
    """Why this revision of the notice may not be published now (None: it may)."""
    kind = notice.community_kind()
    if not signoff_required(notice, kind, revision) or is_signed(notice.pk, revision):
        return None
    return refused_message(kind)


def refuse_unsigned_publication(sender, instance: NoticePage, update_fields=None, **kwargs):
    if kwargs.get("raw"):
        return
    if instance.pk is None:
        if instance.live and signoff_required(instance):
            instance.live = False  # a script's new notice waits for its sign-off
            instance.has_unpublished_changes = True
        return
    if not instance.live:
        return
    if update_fields is not None and not {"live", "live_revision", "live_revision_id"} & set(
        update_fields
    ):
        return
    stored = NoticePage.objects.filter(pk=instance.pk).values("live", "live_revision_id").first()
    if stored is None:
        return
    going_live = not stored["live"] or instance.live_revision_id != stored["live_revision_id"]
    if not going_live:
        return
    revision = Revision.objects.filter(pk=instance.live_revision_id).first()
    kind = instance.community_kind()
    # Publishing a revision checks what it would publish; a plain save (live=True, the same live
    # revision) checks the page in memory; either counts.
    required = signoff_required(instance, kind) or (
        revision is not None
        and instance.live_revision_id != stored["live_revision_id"]
        and signoff_required(instance, kind, revision)
    )
    if required and not is_signed(instance.pk, revision):
        raise FinancePublishRefused(refused_message(kind))


def connect() -> None:
    pre_save.connect(
        refuse_unsigned_publication, sender=NoticePage, dispatch_uid="finance_signoff_guard"
    )


# Sign-off and its request


def current_member(user, community) -> SupervisionMember | None:
    return (
        SupervisionMember.objects.current()
        .filter(community=community, user=user)
        .order_by("post", "pk")
        .first()
    )


def record_outcome(notice: NoticePage, revision: Revision, user, outcome: str, opinion: str):
    """Record a member's sign-off or return of this revision; the caller has checked the role."""
    community = notice.get_parent().get_parent().specific
    signoff = FinanceSignOff(
        community=community,
        notice=notice,
        revision=revision,
        digest=revision_digest(revision),
        outcome=outcome,
        member=current_member(user, community),
        user=user,
        opinion=opinion,
    )
    signoff.full_clean(exclude=["community", "notice", "revision", "member", "user"])
    signoff._history_user = user
    signoff._change_reason = signoff.get_outcome_display()
    signoff.save()
    return signoff


def pending_notices(communities) -> list[NoticePage]:
    """Finance notices of these communities whose latest revision waits for publication (drafts
    and unpublished changes) where a sign-off is required, judged by that revision's content;
    each with `latest_signoff` set (a constant number of queries)."""
    settings = district_settings()
    kinds = [kind for kind in ("village", "urban") if settings.finance_signoff_required(kind)]
    candidates = (
        NoticePage.objects.filter(within(communities.filter(kind__in=kinds)))
        .filter(has_unpublished_changes=True)
        .select_related("latest_revision")
        .order_by("path")
    )
    finance_ids = finance_item_ids()
    notices = [n for n in candidates if is_finance(n, n.latest_revision, finance_ids)]
    latest = {}
    signoffs = FinanceSignOff.objects.filter(notice__in=[n.pk for n in notices]).order_by(
        "notice_id", "-signed_at", "-pk"
    )
    for signoff in signoffs:
        latest.setdefault(signoff.notice_id, signoff)
    for notice in notices:
        notice.latest_signoff = latest.get(notice.pk)
    return notices


def status_of(notice: NoticePage, latest: FinanceSignOff | None = None) -> str:
    revision = notice.latest_revision
    if latest is None:
        latest = (
            notice.latest_signoff
            if hasattr(notice, "latest_signoff")
            else latest_signoff(notice.pk)
        )
    if latest is not None and revision is not None and latest.digest == revision_digest(revision):
        return "监督委员会已审核通过" if latest.outcome == "signed" else "监督委员会退回修改"
    return PENDING_LABEL


def supervisors_of(community):
    """The users the policy counts as the community's supervision committee."""
    return [
        user
        for user in members(Role.Kind.SUPERVISOR, community.pk)
        if policy_for(user).is_supervisor_of(community) and not policy_for(user).superuser
    ]
