"""Saving a covenant again the way the Wagtail editor does: the form state the editor's script
receives (block ids, each rich text as Draftail's contentstate) posted back unchanged to the page
edit view, so that every rich text goes through Draftail's converter (adding `data-block-key`)."""

from django.urls import reverse
from wagtail import blocks
from wagtail.admin.rich_text import get_rich_text_editor_widget
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.test.utils.form_data import nested_form_data

from community.models import CovenantPage
from community.models.outline import ARTICLE_FEATURES


def through_draftail(html: str) -> str:
    """What Draftail stores for `html` it loaded and saved without a change."""
    converter = ContentstateConverter(ARTICLE_FEATURES)
    return converter.to_database_format(converter.from_database_format(html))


def _posted(block: blocks.Block, state):
    if isinstance(block, blocks.StreamBlock):
        return {
            "count": str(len(state)),
            **{
                str(i): {
                    "type": child["type"],
                    "id": child["id"] or "",
                    "deleted": "",
                    "order": str(i),
                    "value": _posted(block.child_blocks[child["type"]], child["value"]),
                }
                for i, child in enumerate(state)
            },
        }
    if isinstance(block, blocks.ListBlock):
        return {
            "count": str(len(state)),
            **{
                str(i): {
                    "id": child["id"] or "",
                    "deleted": "",
                    "order": str(i),
                    "value": _posted(block.child_block, child["value"]),
                }
                for i, child in enumerate(state)
            },
        }
    if isinstance(block, blocks.StructBlock):
        return {name: _posted(child, state[name]) for name, child in block.child_blocks.items()}
    return state


def save_in_editor(client, user, covenant: CovenantPage) -> CovenantPage:
    """Open the covenant's latest draft in the page editor and save it as it is (保存草稿)."""
    draft = covenant.get_latest_revision_as_object()
    body = CovenantPage._meta.get_field("body").stream_block
    preamble = get_rich_text_editor_widget(features=ARTICLE_FEATURES).format_value(draft.preamble)
    data = nested_form_data(
        {
            "title": draft.title,
            "slug": draft.slug,
            "kind": draft.kind,
            "preamble": preamble,
            "body": _posted(body, body.get_form_state(draft.body)),
        }
    )
    client.force_login(user)
    response = client.post(reverse("wagtailadmin_pages:edit", args=(covenant.pk,)), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    covenant.refresh_from_db()
    return covenant.get_latest_revision_as_object()
