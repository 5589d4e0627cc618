"""Pages whose slugs are Chinese (the default for a Chinese title) answer on every sub-route:
print/, qr.png, qr.svg, a covenant's versions/ and versions/diff/, a community's search/ (issue 15)."""

import io
from urllib.parse import quote, unquote

import pytest
import zxingcpp
from PIL import Image
from wagtail.models import Page

from cms.printable import qr_svg
from community.models import CovenantPage, NoticeIndexPage, NoticePage
from consultation.models import CommunityFormPage, ConsultationPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def chinese_notice(xinghua):
    index = NoticeIndexPage.objects.child_of(xinghua).get()
    notice = NoticePage(
        title="关于春耕补贴的公示", slug="关于春耕补贴的公示", summary="春耕补贴名单"
    )
    index.add_child(instance=notice)
    notice.save_revision().publish()
    return notice


@pytest.fixture
def chinese_village(xinghua):
    """杏花村 renamed to a Chinese slug: every page below it has a Chinese URL."""
    xinghua.slug = "杏花村"
    xinghua.save()
    return xinghua


def _decoded(response) -> list[str]:
    return [c.text for c in zxingcpp.read_barcodes(Image.open(io.BytesIO(response.content)))]


def test_a_chinese_slug_notice_has_its_qr_codes_and_print_view(client, chinese_notice):
    url = chinese_notice.url
    assert "关于春耕补贴的公示" in unquote(url)
    assert client.get(url).status_code == 200
    footer = client.get(f"{url}print/").content.decode().split('class="print-footer"')[1]
    assert f"http://testserver{unquote(url)}" in footer  # readable, not %E5%85%B3…
    png = client.get(f"{url}qr.png")
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert _decoded(png) == [f"http://testserver{url}"]
    svg = client.get(f"{url}qr.svg")
    assert svg.status_code == 200
    assert svg.content.decode() == qr_svg(f"http://testserver{url}")


def test_a_chinese_url_is_answered_whether_typed_encoded_or_not(client, chinese_notice):
    decoded = unquote(chinese_notice.url)
    encoded = quote(decoded)
    for url in (decoded, encoded):
        assert client.get(f"{url}qr.png").status_code == 200, url
        assert client.get(f"{url}print/").status_code == 200, url


def test_the_qr_download_names_the_file_in_ascii_and_in_chinese(client, chinese_notice):
    response = client.get(f"{chinese_notice.url}qr.png", {"download": "1"})
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert disposition.isascii()
    assert f'filename="qr-{chinese_notice.pk}.png"' in disposition
    assert f"filename*=utf-8''{quote('qr-关于春耕补贴的公示.png')}" in disposition


def test_every_sub_route_works_below_a_chinese_slug(client, chinese_village):
    covenant = CovenantPage.objects.child_of(chinese_village).get()
    assert "杏花村" in unquote(covenant.url)
    for sub in ("", "print/", "qr.png", "qr.svg", "versions/", "versions/diff/"):
        assert client.get(f"{covenant.url}{sub}").status_code == 200, sub
    version = covenant.versions().first()
    assert client.get(f"{covenant.url}versions/{version.pk}/").status_code == 200
    html = client.get(f"{chinese_village.url}search/", {"q": "红白喜事"}).content.decode()
    assert f'href="{covenant.url}#第五条"' in html
    agenda = ConsultationPage.objects.descendant_of(chinese_village).live().first()
    for sub in ("", "print/", "qr.png", "qr.svg"):
        assert client.get(f"{agenda.url}{sub}").status_code == 200, sub
    assert client.get(f"{covenant.url}versions/qr.svg").status_code == 404  # still no QR


def test_the_editors_qr_and_print_buttons_lead_to_a_page_for_every_printable_type(
    client, chinese_village, chinese_notice, committee_xinghua
):
    client.force_login(committee_xinghua)
    printable = [
        CovenantPage.objects.child_of(chinese_village).get(),
        NoticePage.objects.descendant_of(chinese_village).live().first(),
        chinese_notice,
        ConsultationPage.objects.descendant_of(chinese_village).live().first(),
    ]
    for page in printable:
        page.refresh_from_db()
        html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
        for sub in ("print/", "qr.png?download=1", "qr.svg?download=1"):
            assert f"{page.url}{sub}" in html, (page, sub)
            assert client.get(f"{page.url}{sub}").status_code == 200, (page, sub)
    form = CommunityFormPage.objects.descendant_of(chinese_village).live().first()
    assert "qr.png?download=1" not in client.get(f"/admin/pages/{form.pk}/edit/").content.decode()
    assert Page.objects.get(pk=form.pk).url.startswith(printable[0].url.rsplit("/", 2)[0])
