from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class ConsultationIndexPage(Page):
    """协商议事: the community's consultation agendas and their outcomes."""

    intro = RichTextField("说明", blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["community.CommunityPage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = "协商议事栏目"
        verbose_name_plural = "协商议事栏目"
