"""What happened at a consultation (Deliberation) and after it (ImplementationUpdate)."""

from django.db import models
from simple_history.models import HistoricalRecords
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import StreamField

from cms.history import ActorSnapshot
from cms.searchable import PartOfPageText
from community.blocks import APIDocumentChooserBlock, APIImageChooserBlock
from community.models.vote import VoteRecord, vote_panel
from community.procedures import VotePurpose, as_validation_error
from consultation.models.base import PublicRecord
from consultation.models.parties import PARTY_CHOICES

STANCES = [("support", "赞成"), ("oppose", "反对"), ("neutral", "中立"), ("suggest", "建议")]
STANCE_LABELS = dict(STANCES)


class AttendanceBlock(blocks.StructBlock):
    category = blocks.ChoiceBlock(choices=PARTY_CHOICES, label="参与主体")
    count = blocks.IntegerBlock(min_value=0, label="到会人数")

    class Meta:
        label = "到会情况"


class OpinionBlock(blocks.StructBlock):
    speaker_category = blocks.ChoiceBlock(choices=PARTY_CHOICES, label="发言人身份")
    speaker_name = blocks.CharBlock(
        required=False,
        label="发言人姓名",
        help_text="选填。仅本村(社区)委员会和区民政可见，不会公开。",
    )
    summary = blocks.TextBlock(label="发言摘要")
    stance = blocks.ChoiceBlock(choices=STANCES, label="态度")

    class Meta:
        label = "意见"


def agenda_community(agenda):
    return agenda.get_parent().get_parent().specific


class Deliberation(PartOfPageText, PublicRecord, VoteRecord):
    """协商记录: who came, who said what (by category), and what was agreed."""

    # A consultation may vote on any matter (no covenant authorisation needed), and a vote that
    # fails its majority is a result to record, not an error.
    vote_purpose = VotePurpose.DELIBERATION

    agenda = models.ForeignKey(
        "consultation.ConsultationPage",
        on_delete=models.PROTECT,
        related_name="deliberations",
        verbose_name="协商议题",
    )
    held_at = models.DateTimeField("协商时间")
    chair = models.CharField("主持人", max_length=50)
    recorder = models.CharField("记录人", max_length=50)
    attendance = StreamField(
        [("attendance", AttendanceBlock())], verbose_name="到会情况", blank=True
    )
    opinions = StreamField([("opinion", OpinionBlock())], verbose_name="发言与意见", blank=True)
    outcome = models.TextField("协商意见", help_text="协商形成的意见，将向居民公开。")

    history = HistoricalRecords(verbose_name="协商记录历史", bases=[ActorSnapshot])

    panels = [
        FieldPanel("agenda"),
        FieldRowPanel([FieldPanel("held_at"), FieldPanel("chair"), FieldPanel("recorder")]),
        FieldPanel("attendance"),
        FieldPanel("opinions"),
        FieldPanel("outcome"),
        vote_panel("表决（如有）", classname="collapsed"),
        FieldPanel("correction_reason"),
    ]

    class Meta:
        verbose_name = "协商记录"
        verbose_name_plural = "协商记录"
        ordering = ["-held_at"]

    def __str__(self) -> str:
        return f"{self.agenda.title} · {self.held_at:%Y-%m-%d}"

    def clean(self) -> None:
        super().clean()
        if self.agenda_id is None:
            return
        community = agenda_community(self.agenda)
        if self.has_vote:
            error = as_validation_error(
                self.check_vote(community),
                fields={f.name for f in self._meta.fields},
                default="meeting_kind",
            )
            if error.error_dict:
                raise error

    def save(self, *args, **kwargs):
        if self.agenda_id:
            self.community = agenda_community(self.agenda)
        super().save(*args, **kwargs)

    def indexed_pages(self) -> list:
        return [self.agenda] if self.agenda_id else []

    def public_text(self) -> list[str]:
        """What the agenda's page shows of this record (never a speaker's name), for its search."""
        return [
            *(a["category"] for a in self.public_attendance()),
            *(f"{o['speaker_category']} {o['summary']}" for o in self.public_opinions()),
            self.outcome,
            self.correction_reason if self.corrected_at else "",
            self.get_meeting_kind_display() if self.has_vote else "",
        ]

    def public_opinions(self) -> list[dict]:
        """Opinions as the public and the API may see them: category, stance and summary, no name."""
        return [
            {
                "speaker_category": block.value["speaker_category"],
                "stance": block.value["stance"],
                "stance_label": STANCE_LABELS.get(block.value["stance"], ""),
                "summary": block.value["summary"],
            }
            for block in self.opinions
        ]

    def public_attendance(self) -> list[dict]:
        return [
            {"category": b.value["category"], "count": b.value["count"]} for b in self.attendance
        ]


class ImplementationUpdate(PartOfPageText, PublicRecord):
    """落实反馈: what has been done about the outcome, published one by one."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "推进中"
        BLOCKED = "blocked", "遇到困难"
        DONE = "done", "已办结"

    agenda = models.ForeignKey(
        "consultation.ConsultationPage",
        on_delete=models.PROTECT,
        related_name="updates",
        verbose_name="协商议题",
    )
    date = models.DateField("日期")
    status = models.CharField(
        "进展", max_length=20, choices=Status.choices, default=Status.IN_PROGRESS
    )
    text = models.TextField("进展情况")
    photos = StreamField(
        [("image", APIImageChooserBlock(label="照片"))], verbose_name="照片", blank=True
    )
    documents = StreamField(
        [("document", APIDocumentChooserBlock(label="文件"))], verbose_name="文件", blank=True
    )

    history = HistoricalRecords(verbose_name="落实反馈历史", bases=[ActorSnapshot])

    panels = [
        FieldPanel("agenda"),
        FieldRowPanel([FieldPanel("date"), FieldPanel("status")]),
        FieldPanel("text"),
        FieldPanel("photos"),
        FieldPanel("documents"),
        FieldPanel("correction_reason"),
    ]

    class Meta:
        verbose_name = "落实反馈"
        verbose_name_plural = "落实反馈"
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.agenda.title} · {self.date:%Y-%m-%d} {self.get_status_display()}"

    def indexed_pages(self) -> list:
        return [self.agenda] if self.agenda_id else []

    def public_text(self) -> list[str]:
        """What the agenda's page shows of this update (with `document_files` from
        attach_files), for its search."""
        return [
            self.text,
            self.correction_reason if self.corrected_at else "",
            *(d.title for d in getattr(self, "document_files", [])),
        ]

    def save(self, *args, **kwargs):
        if self.agenda_id:
            self.community = agenda_community(self.agenda)
        super().save(*args, **kwargs)
