"""The notice editor's form: every 村务/居务公开 notice names what it discloses (catalogue items of
its community's kind) and for which period, so the disclosure calendar can count it.

Both are required on publish and on submit; Wagtail defers them on 保存草稿, autosave and preview
(FieldPanel(required_on_save=False) in NoticePage.content_panels), so a half-written draft is
still saved. 党务公开 and 政务公开 (e.g. a 低保 公示 of seven days) are not 村务/居务公开: such a
notice may name no item, and then follows its own rules; naming one makes it that item's
disclosure, with the fifteen days (NoticePage.follows_own_rules). Choosing an item changes nothing
else in the form (the category stays what the editor chose).

On 发布 or 提交审核 of a notice never published, the 公示期 must also leave residents the fifteen
days from the day it goes live (NoticePage.first_publication_refusal); the model refuses the same
on the save that publishes it, for the paths that do not go through this form."""

import datetime

from django import forms
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page

from community.disclosure.periods import parse_period, period_choices
from community.models.disclosure import DisclosureItem, NoticeCategory

KIND_NAMES = {"village": "村", "urban": "社区"}
# Categories whose notices need no catalogue item (党务公开, 政务公开: their own rules).
ITEMS_OPTIONAL = frozenset({NoticeCategory.PARTY, NoticeCategory.GOVERNMENT})
PUBLISHING = ("action-publish", "action-submit")


def community_kind_of(page: Page | None) -> str | None:
    """The kind ("village"/"urban") of the community a page lies in (or is), None above one."""
    if page is None or not page.path or page.depth < 4:
        return None
    path = page.path[: page.steplen * 4]
    return Page.objects.filter(path=path).values_list("communitypage__kind", flat=True).first()


class NoticeForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parent = self.parent_page
        if parent is None and self.instance.pk:
            parent = self.instance.get_parent()
        self.community_kind = community_kind_of(parent)
        self._setup_items()
        self._setup_period()

    def _setup_items(self) -> None:
        field = self.fields.get("disclosure_items")
        if field is None:
            return
        stored = list(self.instance.disclosure_items.all()) if self.instance.pk else []
        queryset = DisclosureItem.objects.active()
        if self.community_kind:
            queryset = queryset.for_kind(self.community_kind)
        if stored:
            # An item filed before it was switched off stays ticked, so saving loses nothing.
            queryset = queryset | DisclosureItem.objects.filter(pk__in=[i.pk for i in stored])
        field.queryset = queryset.distinct().order_by("sort_order", "pk")
        field.widget = forms.CheckboxSelectMultiple()
        field.widget.choices = field.choices
        field.required = True
        field.error_messages.update(
            required="请至少勾选一项公开事项（公开目录），例如“财务收支情况”。",
            invalid_choice="所选的公开事项不适用于本村（社区），或已停用。",
            invalid_pk_value="所选的公开事项不存在。",
        )
        field.help_text = (
            "本公示公开的是公开目录中的哪些事项（可多选）。只列出适用于本{}的事项。".format(
                KIND_NAMES.get(self.community_kind, "村（社区）")
            )
        )

    def _setup_period(self) -> None:
        if "period" not in self.fields:
            return
        old = self.fields["period"]
        choices = period_choices(timezone.localdate())
        stored = self.instance.period if self.instance.pk else ""
        if stored and stored not in dict(choices):
            period = parse_period(stored)
            choices.append((stored, period.label if period else stored))
        self.fields["period"] = forms.ChoiceField(
            label=old.label,
            choices=[("", "请选择公开期间"), *choices],
            required=True,
            help_text="本公示所公开的期间：季度、月份（财务往来较多的村按月公开财务）或年度。",
            error_messages={
                "required": "请选择公开期间，例如 2026年第四季度 或 2026年11月。",
                "invalid_choice": "公开期间“%(value)s”不在可选范围内，请从列表中选择，"
                "例如 2026年第四季度 或 2026年11月。",
            },
        )

    def clean(self):
        cleaned = super().clean()
        items = cleaned.get("disclosure_items")
        if items is not None and self.community_kind:
            wrong = [
                item.name
                for item in items
                if item.scope not in (self.community_kind, DisclosureItem.Scope.BOTH)
            ]
            if wrong:
                self.add_error(
                    "disclosure_items",
                    "“{}”不适用于{}，请改选适用于本{}的公开事项。".format(
                        "、".join(wrong),
                        "村" if self.community_kind == "village" else "城市社区",
                        KIND_NAMES[self.community_kind],
                    ),
                )
        if items is not None:
            # The model's clean() (next) judges the 公示期 by the items chosen, not those stored.
            self.instance.disclosure_items = list(items)
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        if "display_until" in self.errors or not self._publishing_first():
            return
        message = self.instance.first_publication_refusal(
            today=self._goes_live_on(), items=self.cleaned_data.get("disclosure_items")
        )
        if message:
            self.add_error("display_until", message)

    def _publishing_first(self) -> bool:
        published = self.instance.pk and self.instance.first_published_at
        return self.is_bound and any(self.data.get(a) for a in PUBLISHING) and not published

    def _goes_live_on(self) -> datetime.date:
        """Today, or the day a scheduled publication (定时发布) will make it live."""
        today = timezone.localdate()
        go_live_at = self.cleaned_data.get("go_live_at")
        return max(today, timezone.localdate(go_live_at)) if go_live_at else today

    def _clean_fields(self):
        field = self.fields.get("disclosure_items")
        category = self.data.get("category") if self.is_bound else None
        if field is not None and category in ITEMS_OPTIONAL and field.required:
            field.required = False
        super()._clean_fields()
