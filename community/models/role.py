from django.contrib.auth.models import Group
from django.db import models
from wagtail.models import Collection, Page


class Role(models.Model):
    """Links a managed auth Group to the page it governs (see community.roles.sync_roles).

    The link, not the group's name, is what `sync_roles` follows, so renaming a community renames
    its group instead of creating a second one.
    """

    class Kind(models.TextChoices):
        COMMITTEE = "committee", "村(居)委会"
        REVIEWER = "reviewer", "乡镇/街道审核"
        SUPERVISOR = "supervisor", "村(居)务监督委员会"
        DISTRICT = "district", "区民政"

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="role")
    kind = models.CharField("角色", max_length=20, choices=Kind.choices)
    page = models.ForeignKey(
        Page, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    collection = models.ForeignKey(
        Collection, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        constraints = [
            models.UniqueConstraint(fields=["kind", "page"], name="unique_role_per_page"),
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(page__isnull=True), name="unique_page_less_role"
            ),
        ]

    def __str__(self) -> str:
        return self.group.name
