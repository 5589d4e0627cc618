"""The publish guard: a covenant's live text changes only through a completed procedure.

Whatever path tries to publish a covenant (the editor's button, a schedule, `revision.publish()`,
the API) is refused unless `publishing_adopted_revision()` authorised exactly that revision; the
editor is not offered the action at all (CovenantPermissionTester)."""

import contextlib
import json
from collections.abc import Iterable, Iterator
from contextvars import ContextVar

from django.core.exceptions import PermissionDenied
from django.db import models
from wagtail.models import Page, PagePermissionTester

from community.models.revision import CovenantRevision
from community.permissions import policy_for

_authorised_revision: ContextVar[int | None] = ContextVar(
    "authorised_covenant_revision", default=None
)

PUBLISH_REFUSED = (
    "村规民约、居民公约只能按法定程序公布：请在“公约修订”中完成征集民意、拟定草案、提请审核、审议表决和备案，"
    "由“公布”一步发布表决通过的文本。"
)
ALIAS_REFUSED = "村规民约、居民公约不能创建别名；如需在别处展示，请添加链接。"
# What the live text is made of: changing any of these on a live covenant is publishing.
GUARDED_FIELDS = ("live", "live_revision_id", "body", "preamble", "title", "kind")


class CovenantPublishRefused(PermissionDenied):
    pass


class CovenantAliasRefused(PermissionDenied):
    """An alias follows its covenant's every publication, outside the procedure."""


@contextlib.contextmanager
def publishing_adopted_revision(revision_id: int) -> Iterator[None]:
    """Authorise publishing this one Wagtail revision (the voted one) while the block runs."""
    token = _authorised_revision.set(revision_id)
    try:
        yield
    finally:
        _authorised_revision.reset(token)


def is_pinned(revision_id: int) -> bool:
    """Whether a covenant procedure points at this Wagtail revision (submitted, reviewed, voted)."""
    return CovenantRevision.objects.filter(
        models.Q(draft_revision=revision_id)
        | models.Q(reviewed_revision=revision_id)
        | models.Q(voted_revision=revision_id)
    ).exists()


class CovenantPermissionTester(PagePermissionTester):
    """Nobody publishes a covenant from the editor; unpublishing is left to site administrators;
    nobody deletes a covenant whose procedure is on record."""

    def can_publish(self) -> bool:
        return False

    def can_unpublish(self) -> bool:
        return policy_for(self.user).may_unpublish_covenant() and super().can_unpublish()

    def can_delete(self, ignore_bulk=False) -> bool:
        """A covenant with a procedure on record is kept: its history is never deleted."""
        return not self.page.procedure_revisions.exists() and super().can_delete(ignore_bulk)


def _stream_json(page: Page, value) -> str:
    field = page._meta.get_field("body")
    return json.dumps(field.get_prep_value(field.to_python(value)), sort_keys=True, default=str)


def refuse_unauthorised_publish(page: Page, update_fields: Iterable[str] | None) -> None:
    """Called by the covenant's `save()`, the one path every publish takes: raises
    CovenantPublishRefused unless the save leaves the live text alone or was authorised, and
    CovenantAliasRefused for an alias (the admin's copy view and the API's `create_alias` both
    end in this save)."""
    if page.alias_of_id is not None:
        raise CovenantAliasRefused(ALIAS_REFUSED)
    authorised = _authorised_revision.get()
    if page.pk is None:
        if authorised is None:
            page.live = False  # a new covenant is a draft until its procedure completes
        return
    if authorised is not None and authorised == page.live_revision_id:
        return
    guarded = {name.removesuffix("_id") for name in GUARDED_FIELDS}
    if update_fields is not None and not guarded & {f.removesuffix("_id") for f in update_fields}:
        return
    stored = type(page).objects.filter(pk=page.pk).values(*GUARDED_FIELDS).first()
    if stored is None:
        return
    going_live = page.live and not stored["live"]
    new_live_revision = page.live and page.live_revision_id not in (
        None,
        stored["live_revision_id"],
    )
    live_text_changed = stored["live"] and (
        page.preamble != stored["preamble"]
        or page.title != stored["title"]
        or page.kind != stored["kind"]
        or _stream_json(page, page.body) != _stream_json(page, stored["body"])
    )
    if going_live or new_live_revision or live_text_changed:
        raise CovenantPublishRefused(PUBLISH_REFUSED)
