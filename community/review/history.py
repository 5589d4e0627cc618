"""One history view for every registered model: the timeline of versions (who, when, created /
changed / deleted, why) and a field-by-field diff of any two versions (simple-history's
`diff_against`). Deleted records keep their history: rows are read from the history table, so a
record that no longer exists still opens here with its last state."""

from collections import defaultdict

from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe
from simple_history.models import ModelChange
from wagtail.models import Revision

from cms.display import object_text
from community.models import CommunityPage
from community.permissions import policy_for
from community.review.registry import CHANGE_TYPES, VersionedModel, history_registry
from community.review.text import FieldChange, readable


def visible_history(entry: VersionedModel, user):
    """The history rows of `entry` whose community `user` may read (one subquery, no loop)."""
    communities = getattr(policy_for(user), entry.scope)().values("pk")
    return entry.history_model.objects.filter(**{f"{entry.community_field}__in": communities})


def related_titles(entry: VersionedModel, rows) -> dict:
    """Titles of every object a foreign key of these rows points at: one query per related model."""
    wanted = defaultdict(set)
    for name in entry.diff_fields():
        field = entry.model._meta.get_field(name)
        if isinstance(field, models.ForeignKey):
            for row in rows:
                value = getattr(row, field.attname)
                if value is not None:
                    wanted[field.related_model].add(value)
    titles = {}
    for model, ids in wanted.items():
        found = model._default_manager.filter(pk__in=ids)
        if issubclass(model, Revision):  # named by when it was saved: not its whole text
            found = found.only("pk", "created_at")
        for obj in found:
            titles[(model, obj.pk)] = object_text(obj)
    return titles


def field_changes(
    entry: VersionedModel,
    new,
    old,
    titles: dict,
    hide_personal: bool = True,
    committee: bool = True,
) -> list[FieldChange]:
    """`diff_against` for the editable fields; the bookkeeping it skips (model_to_dict leaves
    non-editable fields out), such as `published_at`, compared the same way by hand. A reader
    not of the record's committee (`committee` False) sees no committee-only field."""
    names = entry.diff_fields(committee)
    fields = {name: entry.model._meta.get_field(name) for name in names}
    editable = [name for name in names if fields[name].editable]
    delta = new.diff_against(old, included_fields=editable)
    extra = [
        ModelChange(name, fields[name].value_from_object(old), fields[name].value_from_object(new))
        for name in names
        if not fields[name].editable
        and fields[name].value_from_object(old) != fields[name].value_from_object(new)
    ]
    changes = []
    for change in sorted([*delta.changes, *extra], key=lambda c: names.index(c.field)):
        field = entry.model._meta.get_field(change.field)
        changes.append(
            FieldChange(
                change.field,
                str(field.verbose_name),
                readable(field, change.old, titles, hide_personal),
                readable(field, change.new, titles, hide_personal),
            )
        )
    return changes


def _pick(rows, value, default):
    by_id = {str(row.history_id): row for row in rows}
    return by_id.get(value or "", default)


@require_safe
def history_view(request, model_key: str, object_id: int):
    policy_for(request.user).require_desk()
    entry = history_registry.get(model_key)
    if entry is None:
        raise Http404
    rows = list(
        visible_history(entry, request.user)
        .filter(id=object_id)
        .select_related("history_user", *entry.related_for_title)
        .order_by("history_date", "history_id")
    )
    if not rows:
        raise Http404
    titles = related_titles(entry, rows)
    latest = rows[-1]
    community = CommunityPage.objects.get(pk=getattr(latest, f"{entry.community_field}_id"))
    policy = policy_for(request.user)
    hide = not policy.may_see_personal_names(community)
    committee = policy.is_committee_of(community)
    timeline = []
    for previous, row in zip([None, *rows], rows, strict=False):
        changed = field_changes(entry, row, previous, titles, hide, committee) if previous else []
        timeline.append(
            {
                "row": row,
                "previous": previous,
                "type": CHANGE_TYPES[row.history_type],
                "changed": changed,
            }
        )
    older = _pick(rows, request.GET.get("from"), rows[-2] if len(rows) > 1 else latest)
    newer = _pick(rows, request.GET.get("to"), latest)
    if older.history_date > newer.history_date:
        older, newer = newer, older
    context = {
        "page_title": f"{entry.verbose_name}历史",
        "header_icon": "history",
        "entry": entry,
        "object_id": object_id,
        "title": entry.title_of(latest),
        "deleted": latest.history_type == "-",
        "timeline": list(reversed(timeline)),
        "rows": list(reversed(rows)),
        "older": older,
        "newer": newer,
        "community": community,
        "diff": (
            field_changes(entry, newer, older, titles, hide, committee)
            if older is not newer
            else []
        ),
        "change_types": CHANGE_TYPES,
    }
    return TemplateResponse(request, "community/review/history.html", context)
