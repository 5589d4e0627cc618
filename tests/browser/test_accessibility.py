"""Issue 6: every public page type, on a 360-px phone, passes axe-core (no serious or critical
violations), reflows at 200% text size, has its headings in order, a label on every control and a
visible focus, and asks for nothing outside the site."""

from urllib.parse import urlsplit

import pytest

from tests.browser.checks import (
    axe_violations,
    broken_aria_references,
    describe_violations,
    focused_outline,
    heading_levels,
    heading_problems,
    horizontal_overflow,
    small_targets,
    unlabelled_controls,
    zoom_text,
)
from tests.browser.pages import PUBLIC_PAGES

pages = pytest.mark.parametrize("path", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())


def _open(phone, path):
    response = phone.goto(path)
    assert response.status == 200, path
    return phone


@pages
def test_axe_finds_no_serious_or_critical_violation(phone, path):
    violations = axe_violations(_open(phone, path))
    assert not violations, f"{path}\n{describe_violations(violations)}"


@pages
def test_text_at_200_percent_needs_no_horizontal_scrolling_at_360px(phone, path, screenshot):
    page = _open(phone, path)
    before = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    zoom_text(page, 2.0)
    after = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert after == pytest.approx(2 * before)
    overflow = horizontal_overflow(page)
    screenshot(page, f"text-200-{next(k for k, v in PUBLIC_PAGES.items() if v == path)}")
    assert overflow["scrollWidth"] <= overflow["innerWidth"], overflow


@pages
def test_headings_start_at_h1_and_skip_no_level(phone, path):
    levels = heading_levels(_open(phone, path))
    assert heading_problems(levels) == [], (path, levels)


@pages
def test_every_form_control_has_a_label(phone, path):
    assert unlabelled_controls(_open(phone, path)) == []


@pages
def test_form_controls_are_big_enough_to_tap(phone, path):
    assert small_targets(_open(phone, path)) == []


@pages
def test_aria_references_name_elements_that_exist(phone, path):
    assert broken_aria_references(_open(phone, path)) == []


@pages
def test_nothing_is_requested_outside_the_site(phone, path, demo_server):
    _open(phone, path)
    phone.wait_for_load_state("networkidle")
    ours = urlsplit(demo_server).netloc
    elsewhere = [url for url in phone.requests if urlsplit(url).netloc != ours]
    assert elsewhere == []
    # And the page itself names no other origin for a stylesheet, script, font or image.
    external = phone.evaluate(
        """() => [...document.querySelectorAll('link[href], script[src], img[src], iframe[src],'
                                            + ' source[src], video[src], audio[src]')]
            .map(el => el.href || el.src)
            .filter(url => new URL(url, location.href).origin !== location.origin)"""
    )
    assert external == []


def test_keyboard_focus_is_visible_on_links_buttons_and_fields(phone):
    page = _open(phone, PUBLIC_PAGES["form"])
    seen = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        focus = focused_outline(page)
        if focus["tag"] == "BODY":
            break
        assert focus["style"] != "none" and focus["width"] >= 2, focus
        seen.add(focus["tag"])
    # The skip link, the header and breadcrumb links, the form's fields and its button.
    assert {"A", "TEXTAREA", "INPUT", "BUTTON"} <= seen


def test_skip_link_is_the_first_stop_and_shows_itself(phone):
    page = _open(phone, PUBLIC_PAGES["covenant"])
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到正文")
    assert skip.evaluate("el => el === document.activeElement")
    box = skip.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0
    skip.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_heading_check_catches_skips():
    assert heading_problems([1, 2, 3, 2, 2]) == []
    assert heading_problems([1, 3]) == ["h1 is followed by h3"]
    assert heading_problems([2, 1]) != []
    assert heading_problems([1, 2, 1]) == ["2 h1 elements"]
