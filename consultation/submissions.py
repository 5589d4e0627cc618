from collections import OrderedDict

from wagtail.contrib.forms.views import SubmissionsListView
from wagtail.models import Page


class CommunitySubmissionsListView(SubmissionsListView):
    """Answers under the labels of the form revision they were given to; mobile numbers masked on
    screen (138****1234), whole in the committee's export."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.is_export:
            labels = self.form_page._labels_by_revision()
            names = [name for name, _label in self.form_page.get_data_fields()]
            current = self.form_page.current_fields()
            context["data_rows"] = [
                {"model_id": s.id, "fields": [row.get(n) for n in names]}
                for s in context["submissions"]
                for row in [self.form_page.answer_row(s, labels, mask=True, current=current)]
            ]
        return context

    def to_row_dict(self, item):
        if not hasattr(self, "_labels"):
            self._labels = self.form_page._labels_by_revision()
            self._current = self.form_page.current_fields()
        row = self.form_page.answer_row(item, self._labels, mask=False, current=self._current)
        return OrderedDict((field, row.get(field)) for field in self.list_export)

    def export_name(self) -> str:
        """The export's name (cms/exports.py adds the date): 杏花村-停车难题意见征集-答复."""
        community = Page.objects.filter(pk=self.form_page.get_parent().pk).values_list(
            "title", flat=True
        )
        return f"{community.first() or ''}-{self.form_page.title}-答复".lstrip("-")
