from wagtail import hooks
from wagtail.admin.widgets import Button

from cms.printable import PrintableMixin


@hooks.register("register_page_header_buttons")
def notice_board_buttons(page, user, view_name, next_url=None):
    """For pages that go on the notice board: the print view and the QR code, from the editor."""
    specific = page.specific_deferred
    if not isinstance(specific, PrintableMixin) or not page.live:
        return
    url = page.url
    yield Button("打印版（A4）", url=f"{url}print/", icon_name="doc-full", priority=90,
                 attrs={"target": "_blank", "rel": "noopener"})  # fmt: skip
    yield Button(
        "下载二维码（PNG）", url=f"{url}qr.png?download=1", icon_name="download", priority=91
    )
    yield Button(
        "下载二维码（SVG）", url=f"{url}qr.svg?download=1", icon_name="download", priority=92
    )
