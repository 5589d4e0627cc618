"""Issue 15 item 9: the notice editor. Amounts in a 财务公开 table read with two decimals whatever
was typed; where a committee member may publish, 发布 is the editor's visible action."""

import re

import pytest

from community.models import NoticePage
from community.models.notice import AmountBlock, NoticeTableBlock

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("1234.5", "1,234.50"),
        ("1234", "1,234.00"),
        ("１２３４.５", "1,234.50"),  # full-width digits, as a Chinese input method types them
        ("0.1", "0.10"),
        ("1000000", "1,000,000.00"),
        ("-12.3", "-12.30"),
    ],
)
def test_an_amount_is_shown_with_two_decimals_whatever_was_typed(typed, shown):
    block = AmountBlock()
    value = block.clean(block.value_from_datadict({"amount": typed}, {}, "amount"))
    stored = block.get_prep_value(value)
    assert block.render(block.to_python(stored)) == shown


def test_a_finance_table_renders_its_amount_cells_with_two_decimals():
    table = NoticeTableBlock()
    value = table.to_python(
        {
            "caption": "收支明细",
            "columns": [{"type": "text", "heading": "项目"}, {"type": "amount", "heading": "收入"}],
            "rows": [{"values": ["租金", "86000"]}, {"values": ["补助", "1200.5"]}],
        }
    )
    html = table.render(value)
    assert "86,000.00" in html and "1,200.50" in html


def test_the_demo_finance_notice_shows_every_amount_with_two_decimals(client, xinghua):
    notice = NoticePage.objects.descendant_of(xinghua).get(slug="finance-q3")
    html = client.get(notice.url).content.decode()
    cells = re.findall(r"<td>\s*([\d,.-]+)\s*</td>", html)
    assert cells and all(re.fullmatch(r"-?\d{1,3}(,\d{3})*\.\d\d", cell) for cell in cells), cells


def test_publish_is_the_default_action_for_a_committee_member(client, committee_xinghua, xinghua):
    client.force_login(committee_xinghua)
    notice = NoticePage.objects.descendant_of(xinghua).get(slug="finance-q3")
    html = client.get(f"/admin/pages/{notice.pk}/edit/").content.decode()
    footer = html[html.index("actions--primary") :]
    # The default item comes first; the others follow inside the ▲ dropdown.
    assert (
        footer.index('name="action-publish"')
        < footer.index('data-controller="w-dropdown"')
        < footer.index("保存草稿")
    )
