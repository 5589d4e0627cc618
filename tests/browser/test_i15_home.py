"""Issue 15, item 2: a resident on a 360×740 phone reads the home page's lists (最新公示, 正在协商,
请您参与, 示范经验) and can tell each item from the others and where it is: every item names its
community and township, and no two items of a list read alike. The page is saved as the README's
screenshot "home"."""

from tests.browser.checks import horizontal_overflow

LISTS = ("最新公示", "正在协商", "请您参与", "示范经验")


def test_resident_sees_distinct_community_named_items_in_each_home_page_list(phone, screenshot):
    page = phone
    page.goto("/")
    communities = {
        link.inner_text(): link.get_attribute("href")
        for link in page.locator("main section.card li > a").all()
    }
    assert len(communities) == 5, communities
    for heading in LISTS:
        items = page.locator(
            f"xpath=//h2[normalize-space()='{heading}']/following-sibling::ul[1]/li"
        )
        texts = [" ".join(text.split()) for text in items.all_inner_texts()]
        assert texts, heading
        assert len(set(texts)) == len(texts), (heading, texts)
        for n in range(items.count()):
            item = items.nth(n)
            place = item.locator(".place")
            assert place.is_visible(), (heading, texts[n])
            community, township = place.inner_text().split(" · ")
            href = item.locator("a").first.get_attribute("href")
            assert href.startswith(communities[community]), (heading, href, community)
            assert township in ("柳溪镇", "东城街道")
    assert horizontal_overflow(page)["wide"] == [], "the lists fit a 360-px phone"
    screenshot(page, "home")
