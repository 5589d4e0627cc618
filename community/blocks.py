"""StreamField blocks whose API representation is what a front end can render directly.

Wagtail's own blocks serve rich text in its storage format (`<a linktype="page" id="3">`) and
images and documents as bare ids; a mini-program cannot resolve either. These serve HTML and URLs.
"""

from django.conf import settings
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock, ImageChooserBlock
from wagtail.rich_text import expand_db_html

# The rendition the API hands out: wide enough for a phone at 2×, small enough for a slow network.
API_RENDITION = "max-800x800"


def _absolute(url: str, context: dict | None) -> str:
    """The request's own host when there is one (StreamField blocks, our routers); otherwise the
    site's public address, as Wagtail's own ``Rendition.full_url`` does: API v3 hands computed
    page fields no request."""
    request = (context or {}).get("request")
    if request is not None:
        return request.build_absolute_uri(url)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url if url.startswith("/") else url


def image_data(image, context: dict | None = None, alt: str | None = None) -> dict | None:
    if image is None:
        return None
    rendition = image.get_rendition(API_RENDITION)
    return {
        "id": image.pk,
        "title": image.title,
        "alt": image.default_alt_text if alt is None else alt,
        "url": _absolute(rendition.url, context),
        "width": rendition.width,
        "height": rendition.height,
    }


def document_data(document, context: dict | None = None) -> dict | None:
    if document is None:
        return None
    return {
        "id": document.pk,
        "title": document.title,
        "url": _absolute(document.url, context),
        "file_extension": document.file_extension,
    }


class HTMLRichTextBlock(blocks.RichTextBlock):
    """Rich text whose API value is front-end HTML (links resolved), not the storage format."""

    def get_api_representation(self, value, context=None):
        return expand_db_html(value.source) if value else ""


class APIImageBlock(ImageBlock):
    """An image with alt text; the API serves a rendition URL and its size."""

    def get_api_representation(self, value, context=None):
        if value is None:
            return None
        alt = "" if getattr(value, "decorative", False) else value.contextual_alt_text
        return image_data(value, context, alt=alt)


class APIImageChooserBlock(ImageChooserBlock):
    def get_api_representation(self, value, context=None):
        return image_data(value, context)


class APIDocumentChooserBlock(DocumentChooserBlock):
    """A document; the API serves its download URL, title and type."""

    def get_api_representation(self, value, context=None):
        return document_data(value, context)
