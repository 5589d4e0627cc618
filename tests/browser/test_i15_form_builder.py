"""Issue 15, item 6: a committee member builds a form in the admin with a mobile number and a
consent field, reads each field's required state in words, is refused in Chinese when consent is
left optional, fixes it and publishes; a resident on a 360 px phone answers it with a full-width
mobile number and a rating whose meanings show, and the answer is taken."""

import re
from urllib.parse import urlparse

from tests.browser.checks import horizontal_overflow
from tests.browser.conftest import signed_in

TITLE = "村口停车位调整意见征集"
CONSENT = "同意将手机号码用于回访"
FIELDS = [  # label, type (its label in the list), 必填 or 选填
    ("您的意见", "多行文本", "必填"),
    ("手机号码", "手机号码", "必填"),
    ("满意度", "评分（1–5）", "选填"),
    (CONSENT, "个人信息同意", "选填"),  # the mistake the editor refuses
]


def community_pk(page, slug: str) -> int:
    return page.request.get(f"/api/v3/pages/?slug={slug}").json()["items"][0]["id"]


def add_field(admin, index: int, label: str, type_label: str, required: str) -> None:
    admin.get_by_role("button", name="增加 字段").click()
    admin.locator(f"[name='form_fields-{index}-label']").fill(label)
    select = admin.locator(f"[name='form_fields-{index}-field_type']")
    select.select_option(label=type_label)
    admin.locator(f"[name='form_fields-{index}-required'][value='{required == '必填'}']").check()


def publish(admin) -> None:
    admin.get_by_role("button", name="更多动作").click()
    admin.get_by_role("button", name="发布", exact=True).click()


def test_committee_builds_a_form_and_a_resident_answers_on_a_phone(
    browser, demo_server, phone, screenshot
):
    context, admin = signed_in(browser, demo_server, "weiyuan_xinghua", height=900)
    try:
        xinghua = community_pk(admin, "xinghua")
        admin.goto(f"/admin/pages/add/consultation/communityformpage/{xinghua}/")
        admin.locator("#id_title").fill(TITLE)

        # A new field states its default in words, and the list offers no hidden or URL field.
        admin.get_by_role("button", name="增加 字段").click()
        first = admin.locator("[name='form_fields-0-required']")
        assert admin.locator("[name='form_fields-0-required'][value='True']").is_checked()
        assert admin.get_by_text("新添加的字段默认为必填").first.is_visible()
        assert first.count() == 2  # 必填 and 选填, each a labelled choice
        options = admin.locator("[name='form_fields-0-field_type'] option").all_inner_texts()
        assert "手机号码" in options and "评分（1–5）" in options
        assert not {"隐藏字段", "Hidden field", "URL", "网址"} & set(options)
        admin.locator("[name='form_fields-0-label']").fill(FIELDS[0][0])
        admin.locator("[name='form_fields-0-field_type']").select_option(label=FIELDS[0][1])
        for index, (label, type_label, required) in enumerate(FIELDS[1:], start=1):
            add_field(admin, index, label, type_label, required)
        screenshot(admin, "i15-forms-01-builder")

        publish(admin)
        refusal = admin.get_by_text(re.compile(f"未发布：“{CONSENT}”须设为必填"))
        refusal.wait_for()
        # The editor now lists the fields by their state, as saved in the draft.
        admin.get_by_text(f"必填：您的意见、手机号码；选填：满意度、{CONSENT}").wait_for()
        screenshot(admin, "i15-forms-02-refused")

        assert admin.locator("[name='form_fields-3-label']").input_value() == CONSENT
        admin.locator("[name='form_fields-3-required'][value='True']").check()
        publish(admin)
        admin.get_by_text(f"页面 '{TITLE}' 已经发布。").wait_for()
        url = urlparse(admin.get_by_role("link", name="实时查看").get_attribute("href")).path
        admin.get_by_role("link", name="编辑", exact=True).first.click()
        admin.get_by_text(f"必填：您的意见、手机号码、{CONSENT}；选填：满意度").wait_for()
        screenshot(admin, "i15-forms-03-published")
    finally:
        context.close()

    resident = phone
    resident.goto(url)
    resident.get_by_role("heading", level=1, name=TITLE).wait_for()
    assert resident.get_by_text("满意度（选填）").is_visible()
    assert resident.get_by_text("手机号码（必填）").is_visible()
    for meaning in ("1 很不满意", "2 不满意", "3 一般", "4 满意", "5 很满意"):
        assert resident.get_by_text(meaning, exact=True).is_visible()
    resident.get_by_role("textbox", name=re.compile("^您的意见")).fill("晚上车停到了路中间。")
    resident.get_by_role("textbox", name=re.compile("^手机号码")).fill("１３８００１３８０００")
    resident.get_by_role("radio", name="4 满意").check()
    resident.get_by_role("checkbox", name=re.compile(CONSENT)).check()
    overflow = horizontal_overflow(resident)
    assert overflow["scrollWidth"] <= overflow["innerWidth"], overflow
    screenshot(resident, "i15-forms-04-phone")
    resident.get_by_role("button", name="提交").click()
    resident.get_by_text("已收到，谢谢您的参与！").wait_for()
    screenshot(resident, "i15-forms-05-taken")
