"""The print views' QR code scales to its 28 mm box instead of being cropped by it: a cropped
code loses its quiet zone and a module or two of data, and no phone reads it (found on the
disclosure calendar's print view, true of every print view)."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "suffix", ["notices/hongbai/print/", "disclosure/print/", "covenant/print/"]
)
def test_print_view_qr_has_a_viewbox_and_no_fixed_size(client, xinghua, suffix):
    response = client.get(xinghua.url + suffix)
    assert response.status_code == 200
    svg = re.search(r'<div class="print-qr">\s*(<svg[^>]*>)', response.content.decode())
    assert svg, suffix
    tag = svg.group(1)
    assert "viewBox=" in tag
    assert not re.search(r"\s(width|height)=", tag)


def test_downloadable_qr_svg_keeps_its_size(client, xinghua):
    response = client.get(xinghua.url + "covenant/qr.svg")
    assert response.status_code == 200
    assert re.search(r'<svg[^>]*\swidth="\d+"', response.content.decode())
