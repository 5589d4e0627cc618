"""Decision: a village's major matter decided by 四议两公开 (docs/consultations.md)."""

from dataclasses import replace

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from cms.history import ActorSnapshot
from community.models.vote import VoteRecord, vote_panel
from community.procedures import (
    MATTER_LABELS,
    MatterKind,
    Violation,
    VotePurpose,
    as_validation_error,
)
from consultation.models.base import Corrected, PublicRecordQuerySet
from consultation.procedures import DECISION_STEPS, check_decision_steps


def _step_fields(key: str, label: str):
    return (
        models.DateField(f"{label}日期", null=True, blank=True),
        models.PositiveIntegerField(f"{label}参加人数", null=True, blank=True),
        models.TextField(f"{label}结果", blank=True),
    )


class DecisionQuerySet(PublicRecordQuerySet):
    def published(self):
        """Decisions whose resolution has been made public (决议公开), not ahead of its date."""
        return self.filter(resolution_published_on__lte=timezone.localdate())


class Decision(Corrected, VoteRecord):
    # The same quorum and majority as a covenant vote; the 代表会议 authorisation that a covenant
    # needs is not asked of an ordinary major matter.
    vote_purpose = VotePurpose.DECISION

    community = models.ForeignKey(
        "community.CommunityPage",
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name="村/社区",
    )
    title = models.CharField("事项", max_length=200)
    summary = models.TextField("事项说明")
    consultation = models.ForeignKey(
        "consultation.ConsultationPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name="关联协商议题",
    )

    proposal_on, proposal_participants, proposal_outcome = _step_fields("proposal", "党组织提议")
    discussion_on, discussion_participants, discussion_outcome = _step_fields(
        "discussion", "两委会议商议"
    )
    party_review_on, party_review_participants, party_review_outcome = _step_fields(
        "party_review", "党员大会审议"
    )
    matter = models.CharField(
        "事项类别",
        max_length=30,
        choices=[(k.value, MATTER_LABELS[k]) for k in MatterKind],
        default=MatterKind.ORDINARY,
        help_text="土地承包和集体财产事项须经全体组成人员三分之二以上同意（农村土地承包法、"
        "农村集体经济组织法）。",
    )
    group_name = models.CharField(
        "村民小组",
        max_length=60,
        blank=True,
        help_text="由村民小组会议决定本组事项的，填写村民小组名称（与登记册一致）。",
    )
    resolution_outcome = models.TextField("决议内容", blank=True)
    resolution_published_on, resolution_published_participants, resolution_published_outcome = (
        _step_fields("resolution_published", "决议公开")
    )
    result_published_on, result_published_participants, result_published_outcome = _step_fields(
        "result_published", "实施结果公开"
    )
    history = HistoricalRecords(verbose_name="四议两公开历史", bases=[ActorSnapshot])
    objects = DecisionQuerySet.as_manager()

    panels = [
        FieldPanel("community"),
        FieldPanel("title"),
        FieldPanel("summary"),
        FieldPanel("consultation"),
        *[
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel(f"{key}_on"), FieldPanel(f"{key}_participants")]),
                    FieldPanel(f"{key}_outcome"),
                ],
                heading=f"第{n}步 {label}",
            )
            for n, (key, label) in enumerate(DECISION_STEPS[:3], start=1)
        ],
        vote_panel(
            "第4步 村民会议或村民代表会议决议",
            FieldPanel("resolution_outcome"),
            before=[FieldPanel("matter"), FieldPanel("group_name")],
        ),
        *[
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel(f"{key}_on"), FieldPanel(f"{key}_participants")]),
                    FieldPanel(f"{key}_outcome"),
                ],
                heading=f"第{n}步 {label}",
            )
            for n, (key, label) in enumerate(DECISION_STEPS[4:], start=5)
        ],
        FieldPanel("correction_reason"),
    ]

    class Meta:
        verbose_name = "四议两公开"
        verbose_name_plural = "四议两公开"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def public_entry(self) -> dict:
        """The two 公开 steps as the public sees them: the result only once its date has come."""
        result_public = (
            self.result_published_on is not None
            and self.result_published_on <= timezone.localdate()
        )
        return {
            "id": self.pk,
            "title": self.title,
            "summary": self.summary,
            "resolution_published_on": self.resolution_published_on,
            "resolution_outcome": self.resolution_outcome,
            "tally": self.tally,
            "matter_label": self.get_matter_display(),
            "meeting_kind_label": self.get_meeting_kind_display(),
            "short_notice_reason": self.short_notice_reason,
            "authorisation": self.authorisation,
            "legal_basis": [p.as_dict() for p in self.legal_basis],
            "result_published_on": self.result_published_on if result_public else None,
            "result_published_outcome": self.result_published_outcome if result_public else "",
        }

    @property
    def is_published(self) -> bool:
        return self.resolution_published_on is not None

    def _unlocked_fields(self, stored) -> set[str]:
        """After 决议公开 the resolution is fixed; 实施结果公开 may still be added, then it is fixed too."""
        if stored.result_published_on is None:
            return {
                "result_published_on",
                "result_published_participants",
                "result_published_outcome",
            }
        return set()

    def vote_context(self) -> dict:
        """The Party organisation's discussion is the 党组织提议 step (四议两公开's first)."""
        return {
            "matter": self.matter,
            "group": self.group_name,
            "party_discussed_on": self.proposal_on,
            "party_body": "党组织会议",
        }

    def step_dates(self) -> dict:
        return {
            key: (self.meeting_date if key == "resolution" else getattr(self, f"{key}_on"))
            for key, _ in DECISION_STEPS
        }

    @property
    def current_step(self) -> str:
        done = [label for key, label in DECISION_STEPS if self.step_dates()[key]]
        return done[-1] if done else "未开始"

    def clean(self) -> None:
        super().clean()
        if (
            self.community_id
            and self.community.kind == "urban"
            and not self.community.decisions_enabled
        ):
            raise ValidationError("城市社区默认不使用四议两公开；如需使用，请在社区页面中启用。")
        # The resolution's date is the vote's meeting date.
        found = [
            replace(v, field="meeting_date") if v.field == "resolution_on" else v
            for v in check_decision_steps(self.step_dates())
        ]
        if self.meeting_date and not self.meeting_kind:
            found.append(
                Violation(
                    "meeting_kind_missing",
                    "已填写决议日期，请选择会议类型（村民会议或村民代表会议）。",
                    "meeting_kind",
                )
            )
        elif self.meeting_date and self.community_id:
            found += self.check_vote(self.community)
        error = as_validation_error(
            found, fields={f.name for f in self._meta.fields}, default="meeting_kind"
        )
        if error.error_dict:
            raise error
