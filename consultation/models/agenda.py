"""Consultation agendas (协商议程) and the index that lists them."""

from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, prefetch_related_objects
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page, PageManager, PageQuerySet

from cms.printable import PrintableMixin
from cms.searchable import ChineseSearchable
from community.blocks import API_RENDITION, APIDocumentChooserBlock, document_data, image_data
from community.models import SupervisionMember
from community.procedures import as_validation_error
from consultation.models.parties import PARTY_CHOICES, SUPERVISION_PARTY
from consultation.models.records import Deliberation, ImplementationUpdate
from consultation.procedures import check_notice

INTRO_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class ConsultationIndexPage(Page):
    """协商议事: the community's consultation agendas and their outcomes."""

    intro = RichTextField("说明", blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]

    parent_page_types = ["community.CommunityPage"]
    subpage_types = ["consultation.ConsultationPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "协商议事栏目"
        verbose_name_plural = "协商议事栏目"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["agendas"] = (
            ConsultationPage.objects.child_of(self)
            .live()
            .with_status()
            .order_by("-starts_at", "-pk")
        )
        return context


class Status(models.TextChoices):
    COLLECTING = "collecting", "征集议题"
    ANNOUNCED = "announced", "已公告"
    DELIBERATED = "deliberated", "已协商"
    IMPLEMENTING = "implementing", "落实中"
    DONE = "done", "已办结"


class ConsultationPageQuerySet(PageQuerySet):
    def with_status(self):
        """Annotate what the status is derived from, in the same query (no query per agenda)."""
        published_updates = ImplementationUpdate.objects.published().filter(agenda=OuterRef("pk"))
        return self.annotate(
            _has_record=Exists(Deliberation.objects.published().filter(agenda=OuterRef("pk"))),
            _has_update=Exists(published_updates),
            _is_done=Exists(published_updates.filter(status=ImplementationUpdate.Status.DONE)),
        )

    def without_record(self):
        """Agendas with no published deliberation yet: still to be held (one anti-join, and none
        of the status annotations, which PostgreSQL plans as scans of every record)."""
        return self.exclude(Exists(Deliberation.objects.published().filter(agenda=OuterRef("pk"))))


class ConsultationPage(ChineseSearchable, PrintableMixin, Page):
    """An agenda: what will be discussed, how, when, where, by whom. Its status follows its records."""

    class Form(models.TextChoices):
        COUNCIL = "council", "议事会"
        DIALOGUE = "dialogue", "恳谈会"
        HEARING = "hearing", "听证会"
        BOARD = "board", "理事会"
        MEDIATION = "mediation", "协调会"
        ONLINE = "online", "网上协商"
        OTHER = "other", "其他"

    background = RichTextField("背景", blank=True, features=INTRO_FEATURES)
    form = models.CharField("协商形式", max_length=20, choices=Form.choices, default=Form.COUNCIL)
    starts_at = models.DateTimeField(
        "协商时间", null=True, blank=True, help_text="留空表示仍在征集议题。"
    )
    place = models.CharField("地点", max_length=200, blank=True)
    online_link = models.URLField("网上协商链接", blank=True)
    parties = StreamField(
        [
            (
                "party",
                blocks.StructBlock(
                    [
                        ("category", blocks.ChoiceBlock(choices=PARTY_CHOICES, label="协商主体")),
                        ("count", blocks.IntegerBlock(min_value=1, label="人数")),
                    ],
                    label="参与主体",
                ),
            )
        ],
        verbose_name="参与主体",
        blank=True,
    )
    materials = StreamField(
        [("document", APIDocumentChooserBlock(label="材料"))], verbose_name="协商材料", blank=True
    )
    urgent = models.BooleanField(
        "紧急", default=False, help_text="紧急议题可不受提前公告期限制，但须写明理由。"
    )
    urgent_reason = models.TextField("紧急理由", blank=True)
    from_proposal = models.BooleanField("来自居民提议", default=False)

    objects = PageManager.from_queryset(ConsultationPageQuerySet)()

    content_panels = [
        FieldPanel("title", heading="议题"),
        FieldPanel("background"),
        FieldPanel("form"),
        MultiFieldPanel(
            [
                FieldPanel("starts_at"),
                FieldRowPanel([FieldPanel("place"), FieldPanel("online_link")]),
            ],
            heading="时间与地点",
        ),
        FieldPanel("parties"),
        InlinePanel("agenda_items", heading="议程", label="议程事项"),
        FieldPanel("materials"),
        MultiFieldPanel([FieldPanel("urgent"), FieldPanel("urgent_reason")], heading="紧急议题"),
    ]

    parent_page_types = ["consultation.ConsultationIndexPage"]
    subpage_types: list[str] = []

    search_kind = "协商议题"
    search_fields = [*Page.search_fields, *ChineseSearchable.chinese_search_fields]

    @classmethod
    def prepare_for_search(cls, pages: list) -> None:
        """The items, published records and updates of many agendas in three queries."""
        prefetch_related_objects(pages, "agenda_items")
        records, updates = defaultdict(list), defaultdict(list)
        for record in Deliberation.objects.published().filter(agenda__in=pages):
            records[record.agenda_id].append(record)
        found = ImplementationUpdate.objects.published().filter(agenda__in=pages)
        for update in attach_files(list(found)):
            updates[update.agenda_id].append(update)
        for page in pages:
            page._search_records, page._search_updates = records[page.pk], updates[page.pk]

    def search_text(self) -> str:
        """What the page shows: the agenda, its materials, and the public part of its published
        records and updates (each saved record indexes the agenda again, cms.searchable)."""
        items = [f"{item.title} {item.description}" for item in self.agenda_items.all()]
        if not hasattr(self, "_search_records"):
            type(self).prepare_for_search([self])
        # Read once: a later call on this page reads the records as they are then.
        records, updates = (
            self.__dict__.pop("_search_records"),
            self.__dict__.pop("_search_updates"),
        )
        return " ".join([
            self.get_form_display(), self.urgent_reason if self.urgent else "", self.place,
            self.background, *(str(p.value["category"]) for p in self.parties), *items,
            *(block.value.title for block in self.materials if block.value),
            *(text for record in records for text in record.public_text()),
            *(text for update in updates for text in update.public_text()),
        ])  # fmt: skip

    api_fields = [
        APIField("status"),
        APIField("status_label"),
        APIField("background"),
        APIField("form"),
        APIField("starts_at"),
        APIField("place"),
        APIField("online_link"),
        APIField("parties"),
        APIField("materials"),
        APIField("urgent"),
        APIField("urgent_reason"),
        APIField("from_proposal"),
        APIField("agenda"),
        APIField("outcomes"),
    ]

    class Meta:
        verbose_name = "协商议题"
        verbose_name_plural = "协商议题"

    @property
    def status(self) -> str:
        if self.starts_at is None:
            return Status.COLLECTING
        if hasattr(self, "_has_record"):
            record, update, done = self._has_record, self._has_update, self._is_done
        else:
            record = Deliberation.objects.published().filter(agenda=self).exists()
            updates = ImplementationUpdate.objects.published().filter(agenda=self)
            update = updates.exists()
            done = updates.filter(status=ImplementationUpdate.Status.DONE).exists()
        if done:
            return Status.DONE
        if update:
            return Status.IMPLEMENTING
        if record:
            return Status.DELIBERATED
        return Status.ANNOUNCED

    @property
    def agenda(self) -> list[dict]:
        return [
            {"title": item.title, "description": item.description}
            for item in self.agenda_items.all()
        ]

    @property
    def outcomes(self) -> dict:
        return self.outcomes_for()

    def outcomes_for(self, context: dict | None = None) -> dict:
        """Published records and updates as the public may see them: never a speaker's name.
        Photo and document URLs are absolute: the request's host when ``context`` has it."""
        return {
            "records": [
                {
                    "held_at": record.held_at,
                    "attendance": record.public_attendance(),
                    "opinions": record.public_opinions(),
                    "outcome": record.outcome,
                    "vote": record.tally if record.has_vote else None,
                    "legal_basis": [p.as_dict() for p in record.legal_basis]
                    if record.has_vote
                    else [],
                    "corrected_at": record.corrected_at,
                    "correction_reason": record.correction_reason if record.corrected_at else "",
                }
                for record in Deliberation.objects.published()
                .filter(agenda=self)
                .order_by("held_at")
            ],
            "updates": [
                {
                    "date": u.date,
                    "status": u.status,
                    "status_label": u.get_status_display(),
                    "text": u.text,
                    "photos": [image_data(image, context) for image in u.photo_images],
                    "documents": [document_data(d, context) for d in u.document_files],
                }
                for u in attach_files(
                    list(
                        ImplementationUpdate.objects.published()
                        .filter(agenda=self)
                        .order_by("date", "pk")
                    ),
                    rendition=API_RENDITION,
                )
            ],
        }

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    def notice_violations(self, announced_at=None):
        """Why this agenda may not be announced (published) now, if it may not.

        Notice runs from when the meeting time becomes public: the first publication if the live
        agenda already shows this time, otherwise now (or the scheduled go-live time)."""
        if announced_at is None:
            stored = (
                ConsultationPage.objects.filter(pk=self.pk).values("live", "starts_at").first()
                if self.pk
                else None
            )
            unchanged = (
                stored is not None and stored["live"] and stored["starts_at"] == self.starts_at
            )
            if stored is None or unchanged:
                announced_at = self.first_published_at  # a new page may carry its historical date
            announced_at = announced_at or timezone.now()
        return check_notice(
            self.starts_at,
            announced_at,
            settings.CONSULTATION_NOTICE_DAYS,
            self.urgent,
            self.urgent_reason,
        )

    def save(self, *args, **kwargs):
        """Refuse going live, or moving a live meeting, when the notice period is not kept, on every
        path (the editor and bulk publishing are stopped earlier, by hooks, with a message)."""
        update_fields = kwargs.get("update_fields")
        if self.live and (update_fields is None or {"live", "starts_at"} & set(update_fields)):
            stored = (
                ConsultationPage.objects.filter(pk=self.pk).values("live", "starts_at").first()
                if self.pk
                else None
            )
            if stored is None or not stored["live"] or stored["starts_at"] != self.starts_at:
                found = self.notice_violations()
                if found and self.pk is None:
                    self.live = (
                        False  # created as a draft; the editor's hook says why it is not published
                    )
                elif found:
                    raise ValidationError(found[0].message, code=found[0].code)
        return super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.urgent and not self.urgent_reason.strip():
            raise ValidationError({"urgent_reason": "标为“紧急”的议题必须写明紧急理由。"})
        if self.go_live_at:
            found = self.notice_violations(announced_at=self.go_live_at)
            if found:
                raise as_validation_error(found, fields=(), default="go_live_at")

    def load_status(self) -> None:
        """Read what the status is derived from in one query, for a page that shows its status more
        than once (the template shows the status and its label)."""
        flags = (
            ConsultationPage.objects.with_status()
            .filter(pk=self.pk)
            .values("_has_record", "_has_update", "_is_done")
            .first()
        )
        if flags:
            self._has_record = flags["_has_record"]
            self._has_update = flags["_has_update"]
            self._is_done = flags["_is_done"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        self.load_status()
        context["records"] = list(
            Deliberation.objects.published().filter(agenda=self).order_by("held_at")
        )
        context["updates"] = attach_files(
            list(
                ImplementationUpdate.objects.published().filter(agenda=self).order_by("date", "pk")
            )
        )
        context["items"] = list(self.agenda_items.all())
        context["supervision_members"] = self.supervision_members()
        return context

    def supervision_members(self) -> list[str]:
        """The community's current supervision committee, when it is a party (参与主体)."""
        if not any(b.value["category"] == SUPERVISION_PARTY for b in self.parties):
            return []
        members = SupervisionMember.objects.current().filter(
            community__path=self.path[: self.steplen * 4]
        )
        return [str(m) for m in members.order_by("post", "pk")]


def attach_files(updates: list, rendition: str = "width-640") -> list:
    """Give each update its photos (`photo_images`, with their renditions) and documents
    (`document_files`), read for all the updates at once: each update's StreamField would
    otherwise fetch its own, one query per update."""

    def ids(field: str, block_type: str) -> list[int]:
        return [
            block["value"]
            for update in updates
            for block in getattr(update, field).raw_data
            if block["type"] == block_type
        ]

    image_ids, document_ids = ids("photos", "image"), ids("documents", "document")
    images = (
        get_image_model().objects.prefetch_renditions(rendition).in_bulk(image_ids)
        if image_ids
        else {}
    )
    documents = get_document_model().objects.in_bulk(document_ids) if document_ids else {}
    for update in updates:
        update.photo_images = [
            images[b["value"]] for b in update.photos.raw_data if b["value"] in images
        ]
        update.document_files = [
            documents[b["value"]] for b in update.documents.raw_data if b["value"] in documents
        ]
    return updates


class AgendaItem(Orderable):
    page = ParentalKey(ConsultationPage, on_delete=models.CASCADE, related_name="agenda_items")
    title = models.CharField("事项", max_length=200)
    description = models.TextField("说明", blank=True)

    panels = [FieldPanel("title"), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = "议程事项"
        verbose_name_plural = "议程事项"
