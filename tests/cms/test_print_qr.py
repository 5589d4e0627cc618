"""Print views (A4) and notice-board QR codes for covenants, notices and agendas."""

import io

import pytest
import zxingcpp
from PIL import Image
from wagtail.models import PageViewRestriction

from cms.printable import qr_svg
from community.models import CovenantPage, NoticePage
from consultation.models import ConsultationPage

pytestmark = pytest.mark.django_db


def _pages(xinghua):
    return [
        CovenantPage.objects.child_of(xinghua).get(),
        NoticePage.objects.descendant_of(xinghua).get(slug="finance-q3"),
        ConsultationPage.objects.descendant_of(xinghua).get(slug="topic-5"),
    ]


def test_print_views_are_clean_a4_with_the_qr_code_and_url(client, xinghua):
    for page in _pages(xinghua):
        html = client.get(f"{page.url}print/").content.decode()
        assert f"<h1>{page.title}</h1>" in html
        assert "css/print.css" in html and "css/site.css" not in html  # no site chrome
        assert 'class="site-search"' not in html and "breadcrumbs" not in html
        assert f"http://testserver{page.url}" in html.split('class="print-footer"')[1]
        assert "<svg" in html.split('class="print-footer"')[1]


def test_covenant_print_has_article_numbers_version_and_adoption(client, xinghua):
    covenant = _pages(xinghua)[0]
    html = client.get(f"{covenant.url}print/").content.decode()
    assert html.index("第一章 总则") < html.index("第五条") < html.index("第十一条")
    assert "现行版本：2023年修订" in html and "柳民备〔2023〕4号" in html
    assert "经村民会议表决通过（应到 1672 人，到会 430 人，代表 606 户中的 420 户；赞成 401" in html


def test_finance_notice_print_keeps_its_table(client, xinghua):
    html = client.get(f"{_pages(xinghua)[1].url}print/").content.decode()
    assert (
        "<caption>第三季度收支明细（单位：元）</caption>" in html
        and '<th scope="col">支出</th>' in html
    )


def test_qr_png_decodes_to_the_page_url(client, xinghua):
    for page in _pages(xinghua):
        response = client.get(f"{page.url}qr.png")
        assert response["Content-Type"] == "image/png"
        decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.content)))
        assert [code.text for code in decoded] == [f"http://testserver{page.url}"]


def test_qr_svg_is_the_same_code(client, xinghua):
    page = _pages(xinghua)[0]
    response = client.get(f"{page.url}qr.svg", {"download": "1"})
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == 'attachment; filename="qr-covenant.svg"'
    assert response.content.decode() == qr_svg(f"http://testserver{page.url}")


def test_no_qr_code_for_drafts_private_pages_sub_routes_or_other_types(client, xinghua):
    covenant, notice, _ = _pages(xinghua)
    assert client.get(f"{covenant.url}versions/qr.svg").status_code == 404
    assert client.get(f"{xinghua.url}qr.png").status_code == 404  # community pages have none
    assert client.get("/no-such-page/qr.png").status_code == 404
    PageViewRestriction.objects.create(page=notice, restriction_type="password", password="x")
    assert client.get(f"{notice.url}qr.png").status_code == 404
    notice.unpublish()
    assert client.get(f"{notice.url}qr.svg").status_code == 404


def test_editor_offers_print_and_qr_downloads(client, xinghua, committee_xinghua):
    client.force_login(committee_xinghua)
    notice = _pages(xinghua)[1]
    html = client.get(f"/admin/pages/{notice.pk}/edit/").content.decode()
    assert f"{notice.url}qr.png?download=1" in html and f"{notice.url}print/" in html
    html = client.get(f"/admin/pages/{xinghua.pk}/edit/").content.decode()
    assert "qr.png?download=1" not in html
