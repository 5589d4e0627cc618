"""CovenantRevision: one pass of the statutory procedure over a covenant, versioned by
django-simple-history. Its stage changes only through community.transitions."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cms.history import ActorSnapshot
from community.models.settings import district_settings
from community.models.tree import CommunityPage
from community.models.vote import VoteRecord


class Stage(models.TextChoices):
    SOLICITING = "soliciting", "征集民意"
    DRAFTING = "drafting", "拟定草案"
    REVIEW = "review", "提请审核"
    VOTE = "vote", "审议表决"
    FILING = "filing", "备案"
    PUBLICATION = "publication", "公布"
    PUBLISHED = "published", "已公布"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN_STAGES = [s for s in Stage if s not in (Stage.PUBLISHED, Stage.WITHDRAWN)]


class VersionStatus(models.TextChoices):
    IN_FORCE = "in_force", "现行"
    UPCOMING = "upcoming", "尚未施行"
    SUPERSEDED = "superseded", "历史版本"


@dataclass
class VersionStanding:
    """Where a covenant's versions stand on a day, worked out from the list `versions()` gives
    (newest publication first), so a page that lists them asks no more: the version in force
    is the first whose `in_effect_from` has come, the ones before it are upcoming (公布, 施行日期
    still ahead), the ones after it superseded. Each version gets its `status`."""

    versions: list["CovenantRevision"]
    day: datetime.date
    in_force: "CovenantRevision | None" = None
    upcoming: list["CovenantRevision"] = field(default_factory=list)

    def __post_init__(self) -> None:
        for version in self.versions:
            if self.in_force is not None:
                version.status = VersionStatus.SUPERSEDED
            elif version.in_effect_from > self.day:
                version.status = VersionStatus.UPCOMING
                self.upcoming.append(version)
            else:
                version.status = VersionStatus.IN_FORCE
                self.in_force = version

    @property
    def latest(self) -> "CovenantRevision | None":
        """The newest version: its voted text is the live one."""
        return self.versions[0] if self.versions else None

    @property
    def next(self) -> "CovenantRevision | None":
        """The upcoming version that comes into force first."""
        return min(self.upcoming, key=lambda v: (v.in_effect_from, v.pk), default=None)


class CovenantRevisionQuerySet(models.QuerySet):
    def for_user(self, user) -> "CovenantRevisionQuerySet":

        return self.filter(community__in=CommunityPage.objects.for_user(user).values("pk"))

    def adopted(self) -> "CovenantRevisionQuerySet":
        return self.filter(stage=Stage.PUBLISHED)

    def versions(self) -> "CovenantRevisionQuerySet":
        """Adopted versions, newest publication first, each with `in_effect_from`: its 施行日期,
        or its 公布日期 where it has none. Not the voted texts themselves: each holds a whole
        text, and listings need none."""
        return (
            self.adopted()
            .filter(published_on__isnull=False)
            .annotate(in_effect_from=Coalesce("effective_on", "published_on"))
            .order_by("-published_on", "-pk")
        )

    def in_force(self, on: datetime.date | None = None) -> "CovenantRevision | None":
        """The version in force on `on` (today by default): the newest adopted one whose 施行日期
        has come. 公布 puts a version's voted text live, yet until its 施行日期 the version
        before it stays in force (see VersionStanding)."""
        return self.versions().filter(in_effect_from__lte=on or timezone.localdate()).first()

    def latest(self, *, before: "CovenantRevision | None" = None) -> "CovenantRevision | None":
        """The newest adopted version, the one whose voted text is live, in force or not yet.
        With `before`, the newest one adopted before that revision was started: the text it
        was drafted from."""
        versions = self.versions()
        if before is not None:
            versions = versions.exclude(pk=before.pk).filter(created_at__lt=before.created_at)
        return versions.first()

    def open(self) -> "CovenantRevisionQuerySet":
        return self.filter(stage__in=OPEN_STAGES)


class CovenantRevision(VoteRecord):
    covenant = models.ForeignKey(
        "community.CovenantPage",
        on_delete=models.PROTECT,
        related_name="procedure_revisions",
        verbose_name="公约",
    )
    community = models.ForeignKey(
        "community.CommunityPage",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="村/社区",
    )
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices, default=Stage.SOLICITING)
    imported = models.BooleanField(
        "历史补录", default=False, help_text="系统启用前已完成的修订，按原日期补录。"
    )

    # 征集民意
    reason = models.TextField("修订缘由")
    soliciting_started_on = models.DateField("征集开始日期")
    opinions_received = models.PositiveIntegerField("收到意见条数", default=0)
    opinions_summary = models.TextField("意见汇总", blank=True)

    # 拟定草案 → 提请审核
    draft_revision = models.ForeignKey(
        "wagtailcore.Revision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="草案",
    )
    submitted_on = models.DateField("提请审核日期", null=True, blank=True)

    # 审核 (合法性审查)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    reviewed_on = models.DateField("审核日期", null=True, blank=True)
    review_opinion = models.TextField("合法性审查意见", blank=True)
    review_passed = models.BooleanField("审核通过", null=True, blank=True)
    reviewed_revision = models.ForeignKey(
        "wagtailcore.Revision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核的草案",
    )

    # 审议表决 (the tally: VoteRecord), after the Party organisation's discussion (2025 texts)
    party_discussed_on = models.DateField("党组织研究讨论日期", null=True, blank=True)
    party_body = models.CharField(
        "研究讨论的党组织", max_length=100, blank=True, help_text="例如：杏花村党总支委员会"
    )
    voted_revision = models.ForeignKey(
        "wagtailcore.Revision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="表决文本",
    )
    warnings = models.JSONField("提示", default=list, blank=True)

    # 备案
    filing_authority = models.CharField("备案机关", max_length=100, blank=True)
    filing_number = models.CharField("备案编号", max_length=60, blank=True)
    filed_on = models.DateField("备案日期", null=True, blank=True)

    # 公布
    published_on = models.DateField("公布日期", null=True, blank=True)
    effective_on = models.DateField("施行日期", null=True, blank=True)
    version_label = models.CharField(
        "版本", max_length=60, blank=True, help_text="例如：2024年修订"
    )

    withdrawn_reason = models.TextField("撤回理由", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(verbose_name="公约修订历史", bases=[ActorSnapshot])
    objects = CovenantRevisionQuerySet.as_manager()

    class Meta:
        verbose_name = "公约修订"
        verbose_name_plural = "公约修订"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["covenant"],
                condition=models.Q(stage__in=OPEN_STAGES),
                name="one_open_revision_per_covenant",
                violation_error_message="这份公约已有一次正在进行的修订。",
            )
        ]

    def vote_context(self) -> dict:
        return {
            "party_discussed_on": self.party_discussed_on,
            "party_body": self.party_body,
            "delegated_covenant_allowed": district_settings().allow_delegated_covenant,
        }

    def __str__(self) -> str:
        label = self.version_label or self.get_stage_display()
        return f"{self.covenant.title} · {label}"
