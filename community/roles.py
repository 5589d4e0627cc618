"""The four managed roles and `sync_roles`, which creates and repairs them (docs/roles.md).
What a role may do is asked of the one permission policy, community/permissions.py.

Each role is an auth Group linked to its page by a `Role` row. Syncing makes every managed
group's permissions exactly what is declared here: missing ones are added, extra ones removed,
group and collection names follow the page title. Group membership is never touched.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from community.models import CommunityPage, Role, TownshipPage

DISTRICT_GROUP_NAME = "区民政"
COMMITTEE_PREFIX = "委员会:"
REVIEWER_PREFIX = "审核:"
SUPERVISOR_PREFIX = "监督委员会:"

# Wagtail page permissions a committee holds on its CommunityPage (and so on its whole subtree).
# No bulk_delete: a committee cannot delete its community or a section with content in it.
COMMITTEE_PAGE_ACTIONS = ("add", "change", "publish", "lock", "unlock")

# Collection permissions a committee holds on its community's image and document collection.
COMMITTEE_COLLECTION_PERMISSIONS = (
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
)

# Collection permissions reviewers hold on their township's collection (so on its communities'),
# and district staff on the root collection: "choose" is Wagtail's read-only one (list in the
# chooser and the admin API, fetch the file), never add, change or delete.
READER_COLLECTION_PERMISSIONS = ("wagtailimages.choose_image", "wagtaildocs.choose_document")

# Model permissions per role, as "app_label.codename". Later features extend these lists.
MODEL_PERMISSIONS: dict[str, list[str]] = {
    Role.Kind.COMMITTEE: ["wagtailadmin.access_admin"],
    Role.Kind.REVIEWER: ["wagtailadmin.access_admin"],
    Role.Kind.SUPERVISOR: ["wagtailadmin.access_admin"],
    Role.Kind.DISTRICT: [
        "wagtailadmin.access_admin",
        "community.feature_experience",
        # 公开目录 (local items; built-in ones only switched off) and 本区规则 (the schedule)
        "community.add_disclosureitem",
        "community.change_disclosureitem",
        "community.view_disclosureitem",
        "community.change_districtsettings",
    ],
}


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.renamed or self.repaired)

    def merge(self, other: "SyncReport") -> None:
        self.created += other.created
        self.renamed += other.renamed
        self.repaired += other.repaired


def _permissions(labels: Iterable[str]) -> list[Permission]:
    wanted = {tuple(label.split(".", 1)) for label in labels}
    found = [
        perm
        for perm in Permission.objects.filter(
            codename__in=[codename for _, codename in wanted]
        ).select_related("content_type")
        if (perm.content_type.app_label, perm.codename) in wanted
    ]
    if len(found) != len(wanted):
        missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
        raise LookupError(f"Permissions not found (run migrate first): {sorted(missing)}")
    return found


def _page_permissions(actions: Iterable[str]) -> list[Permission]:
    page_type = ContentType.objects.get_for_model(Page)
    codenames = [f"{action}_page" for action in actions]
    return list(Permission.objects.filter(content_type=page_type, codename__in=codenames))


def _group_name(prefix: str, page: Page, role: Role | None) -> str:
    """`<prefix><title>`, disambiguated by the parent's title, then the page id, when taken."""
    candidates = [f"{prefix}{page.title}"]
    parent = page.get_parent()
    if parent is not None:
        candidates.append(f"{prefix}{page.title}（{parent.title}）")
    candidates.append(f"{prefix}{page.title}#{page.pk}")
    for name in candidates:
        holder = Group.objects.filter(name=name).first()
        if holder is None or (role is not None and holder.pk == role.group_id):
            return name
        if role is None and not hasattr(holder, "role"):
            return name  # a hand-made group of that name is adopted by _ensure_role
    return candidates[-1]


def _ensure_role(kind: str, name: str, page: Page | None, report: SyncReport) -> Role:
    role = Role.objects.filter(kind=kind, page=page).select_related("group").first()
    if role is None:
        group, created = Group.objects.get_or_create(name=name)
        role = Role.objects.create(group=group, kind=kind, page=page)
        if created:
            report.created.append(name)
        else:
            report.repaired.append(f"{name}: 关联角色")
    elif role.group.name != name:
        report.renamed.append(f"{role.group.name} → {name}")
        role.group.name = name
        role.group.save(update_fields=["name"])
    return role


def _set_model_permissions(role: Role, report: SyncReport) -> None:
    wanted = {perm.pk for perm in _permissions(MODEL_PERMISSIONS[role.kind])}
    current = set(role.group.permissions.values_list("pk", flat=True))
    if wanted != current:
        role.group.permissions.set(wanted)
        report.repaired.append(f"{role.group.name}: 模型权限")


def _reconcile(model, role: Role, target: str, wanted: set[tuple[int, int]], report: SyncReport):
    """Make the group's `model` rows exactly `wanted`, a set of (<target>_id, permission_id)."""
    existing = {
        (getattr(row, f"{target}_id"), row.permission_id): row.pk
        for row in model.objects.filter(group=role.group)
    }
    extra = [pk for key, pk in existing.items() if key not in wanted]
    missing = wanted - existing.keys()
    if extra:
        model.objects.filter(pk__in=extra).delete()
    model.objects.bulk_create(
        model(group=role.group, permission_id=perm_id, **{f"{target}_id": target_id})
        for target_id, perm_id in missing
    )
    if extra or missing:
        report.repaired.append(f"{role.group.name}: {model._meta.verbose_name}")


def _ensure_collection(role: Role, name: str, parent: Collection, report: SyncReport) -> Collection:
    collection = role.collection
    if collection is None:
        collection = parent.get_children().filter(name=name).first() or parent.add_child(name=name)
        role.collection = collection
        role.save(update_fields=["collection"])
        report.repaired.append(f"{role.group.name}: 素材库 {name}")
    elif collection.name != name:
        collection.name = name
        collection.save(update_fields=["name"])
        report.renamed.append(f"素材库 → {name}")
    return collection


def sync_district_role() -> SyncReport:
    report = SyncReport()
    role = _ensure_role(Role.Kind.DISTRICT, DISTRICT_GROUP_NAME, None, report)
    _set_model_permissions(role, report)
    _reconcile(GroupPagePermission, role, "page", set(), report)
    _set_reader_collection(role, Collection.get_first_root_node(), report)
    return report


def _set_reader_collection(role: Role, collection: Collection, report: SyncReport) -> None:
    wanted = {(collection.pk, perm.pk) for perm in _permissions(READER_COLLECTION_PERMISSIONS)}
    _reconcile(GroupCollectionPermission, role, "collection", wanted, report)


def sync_township_role(township: TownshipPage) -> SyncReport:
    report = SyncReport()
    existing = Role.objects.filter(kind=Role.Kind.REVIEWER, page=township).first()
    role = _ensure_role(
        Role.Kind.REVIEWER, _group_name(REVIEWER_PREFIX, township, existing), township, report
    )
    _set_model_permissions(role, report)
    _reconcile(GroupPagePermission, role, "page", set(), report)
    collection = _ensure_collection(role, township.title, Collection.get_first_root_node(), report)
    _set_reader_collection(role, collection, report)
    return report


def sync_community_role(community: CommunityPage) -> SyncReport:
    report = SyncReport()
    township = community.get_parent().specific
    township_role = Role.objects.filter(kind=Role.Kind.REVIEWER, page=township).first()
    if township_role is None or township_role.collection is None:
        report.merge(sync_township_role(township))
        township_role = Role.objects.get(kind=Role.Kind.REVIEWER, page=township)
    existing = Role.objects.filter(kind=Role.Kind.COMMITTEE, page=community).first()
    role = _ensure_role(
        Role.Kind.COMMITTEE, _group_name(COMMITTEE_PREFIX, community, existing), community, report
    )
    _set_model_permissions(role, report)
    wanted = {(community.pk, perm.pk) for perm in _page_permissions(COMMITTEE_PAGE_ACTIONS)}
    _reconcile(GroupPagePermission, role, "page", wanted, report)
    collection = _ensure_collection(role, community.title, township_role.collection, report)
    wanted = {(collection.pk, perm.pk) for perm in _permissions(COMMITTEE_COLLECTION_PERMISSIONS)}
    _reconcile(GroupCollectionPermission, role, "collection", wanted, report)
    report.merge(sync_supervisor_role(community, collection))
    return report


def sync_supervisor_role(community: CommunityPage, collection: Collection) -> SyncReport:
    """The community's supervision committee (村务/居务监督委员会): no page permission (it reads in
    the review desk, like reviewers), read-only on the community's files."""
    report = SyncReport()
    existing = Role.objects.filter(kind=Role.Kind.SUPERVISOR, page=community).first()
    role = _ensure_role(
        Role.Kind.SUPERVISOR,
        _group_name(SUPERVISOR_PREFIX, community, existing),
        community,
        report,
    )
    _set_model_permissions(role, report)
    _reconcile(GroupPagePermission, role, "page", set(), report)
    if role.collection_id != collection.pk:
        role.collection = collection
        role.save(update_fields=["collection"])
    _set_reader_collection(role, collection, report)
    return report


def sync_page_roles(page: Page) -> SyncReport:
    """Sync the role of one township or community page (called when such a page is created)."""
    page = page.specific
    with transaction.atomic():
        if isinstance(page, TownshipPage):
            return sync_township_role(page)
        if isinstance(page, CommunityPage):
            return sync_community_role(page)
    return SyncReport()


def sync_roles() -> SyncReport:
    """Create and repair every managed group. Idempotent: a second run reports no change."""
    report = SyncReport()
    with transaction.atomic():
        report.merge(sync_district_role())
        for township in TownshipPage.objects.order_by("path"):
            report.merge(sync_township_role(township))
        for community in CommunityPage.objects.order_by("path"):
            report.merge(sync_community_role(community))
    return report


def orphan_groups() -> list[str]:
    """Managed-looking groups whose page is gone: reported, never deleted (members keep history)."""
    prefixes = (COMMITTEE_PREFIX, REVIEWER_PREFIX, SUPERVISOR_PREFIX)
    return sorted(
        group.name
        for group in Group.objects.filter(role__isnull=True)
        if group.name.startswith(prefixes)
    )
