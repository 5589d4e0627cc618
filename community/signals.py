"""Keep roles and sections in step with the tree, whichever path creates or renames a page."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from community.models import CommunityPage, TownshipPage


@receiver(post_save, sender=TownshipPage)
@receiver(post_save, sender=CommunityPage)
def sync_roles_on_create(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from community.roles import sync_page_roles

        sync_page_roles(instance)


@receiver(page_published, sender=TownshipPage)
@receiver(page_published, sender=CommunityPage)
def sync_roles_on_publish(sender, instance, **kwargs):
    """A published title change renames the role's group and collection."""
    from community.roles import sync_page_roles

    sync_page_roles(instance)
