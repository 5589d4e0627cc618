"""Keep roles and sections in step with the tree, whichever path creates or renames a page."""

from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.models import Revision
from wagtail.signals import page_published

from cms import cache
from community.models import CommunityPage, Opinion, TownshipPage
from community.models.covenant import is_pinned
from community.roles import sync_page_roles


@receiver(post_save, sender=TownshipPage)
@receiver(post_save, sender=CommunityPage)
def sync_roles_on_create(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        sync_page_roles(instance)


@receiver(page_published, sender=TownshipPage)
@receiver(page_published, sender=CommunityPage)
def sync_roles_on_publish(sender, instance, **kwargs):
    """A published title change renames the role's group and collection."""
    sync_page_roles(instance)


@receiver(pre_save, sender=Revision)
def keep_pinned_revisions_unchanged(sender, instance, raw=False, **kwargs):
    """What was submitted, reviewed or voted stays exactly as it was, whatever saves it."""
    if raw or instance.pk is None or not is_pinned(instance.pk):
        return
    stored = Revision.objects.filter(pk=instance.pk).values_list("content", flat=True).first()
    if stored is not None and stored != instance.content:
        raise PermissionDenied("这份草案已提请审核或已表决，内容不能再修改；请另存为新的草稿。")


@receiver(post_save, sender=Opinion)
@receiver(post_delete, sender=Opinion)
def drop_pages_showing_opinions(sender, instance, created=False, raw=False, **kwargs):
    """The draft page and its 意见采纳情况说明 (cached) show the published opinions, their answers
    and the count of those not published: any change by the committee drops the cached pages, an
    opinion published at once too; a resident's opinion awaiting moderation does not, so that
    residents' opinions alone never empty the page cache."""
    if raw or (created and instance.status == Opinion.Status.PENDING):
        return
    cache.invalidate()
