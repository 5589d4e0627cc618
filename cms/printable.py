"""Print views and QR codes for pages that go on the notice board (docs/site.md).

`<page-url>print/` is an A4 page with the page's QR code and URL in the footer; `qr.svg` and
`qr.png` are the QR code alone, for the committee to print or paste into a notice.
"""

import io
from urllib.parse import quote

import segno
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils.encoding import uri_to_iri
from django.utils.safestring import mark_safe
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Site

from cms.visibility import is_reachable


def page_qr(url: str):
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str, scale: int = 4, *, fit: bool = False) -> str:
    """The QR code as SVG. `fit`: no width and height but a viewBox, so CSS may size it (the print
    views set 28 mm); with a fixed size, CSS crops the code instead of scaling it, and a cropped
    code loses its quiet zone and does not scan."""
    buffer = io.BytesIO()
    page_qr(url).save(buffer, kind="svg", scale=scale, border=4, xmldecl=False, svgns=True,
                      omitsize=fit, title=f"本页二维码：{url}")  # fmt: skip
    return buffer.getvalue().decode()


def qr_png(url: str, scale: int = 10) -> bytes:
    buffer = io.BytesIO()
    page_qr(url).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def download_disposition(name: str, ascii_name: str) -> str:
    """`attachment` naming the file `name` (RFC 6266 `filename*`, which may be Chinese) with an
    ASCII `filename` beside it for clients that read only that one."""
    if name.isascii():
        return f'attachment; filename="{name}"'
    return f"attachment; filename=\"{ascii_name}\"; filename*=utf-8''{quote(name)}"


class PrintableMixin(RoutablePageMixin):
    """Adds print/, qr.svg and qr.png under the page's URL.

    The print view renders the page's own template on `print_base.html` (the page templates extend
    `base_template`), so what is printed is what the page shows, without the site's navigation.
    """

    def public_url(self, request) -> str:
        return request.build_absolute_uri(self.get_url(request))

    @path("print/", name="print")
    def print_view(self, request):
        url = self.public_url(request)
        context = self.get_context(request)
        context.update(
            page=self,
            self=self,
            page_url=url,
            page_iri=uri_to_iri(url),  # printed for people to read: 村务公开, not %E6%9D%91…
            qr=mark_safe(qr_svg(url, scale=3, fit=True)),
            base_template="print_base.html",
            printing=True,
        )
        return TemplateResponse(request, self.get_template(request), context)

    def qr_response(self, request, fmt: str) -> HttpResponse:
        """The QR code of the page's URL (served at <page-url>qr.svg / qr.png by `qr_code`)."""
        url = self.public_url(request)
        if fmt == "svg":
            response = HttpResponse(qr_svg(url), content_type="image/svg+xml")
        else:
            response = HttpResponse(qr_png(url), content_type="image/png")
        if request.GET.get("download"):
            response["Content-Disposition"] = download_disposition(
                f"qr-{self.slug}.{fmt}", ascii_name=f"qr-{self.pk}.{fmt}"
            )
        return response


def qr_code(request, page_path: str, fmt: str):
    """`<page-url>qr.svg` and `qr.png`: Wagtail's page URLs end in a slash, so these need a route
    of their own. Only pages a resident can reach (cms.visibility) that go on a notice board
    have one."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    root = site.root_page.localized.specific
    components = [c for c in page_path.split("/") if c]
    page = root.route(request, components).page
    # Compared as stored (`url_path`, decoded like `page_path`), not with the page's URL, which is
    # percent-encoded for a Chinese slug: the route must end at the page itself.
    if page.url_path != root.url_path + "".join(f"{c}/" for c in components):
        raise Http404  # a sub-route (versions/…)
    if not isinstance(page, PrintableMixin):
        raise Http404  # a page that has no notice-board QR code
    if not is_reachable(page):
        raise Http404
    return page.qr_response(request, fmt)
