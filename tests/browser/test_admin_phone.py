"""Staff on a phone: every admin page of the committee's, the township reviewer's, the district's
and the supervision committee's menus, and the pages of a covenant revision's procedure, at
360 px, show all of their content. Wagtail hides <main>'s sideways overflow on a phone, so a wide
listing lost its last columns (the audit log's 操作人, the revision timeline's 变动字段) with no way
to scroll to them; listings now scroll in their own box (cms/static/cms/editor.css), which takes
the keyboard focus (cms/static/cms/admin.js)."""

import pytest

from tests.browser.checks import axe_violations, horizontal_overflow
from tests.browser.conftest import PHONE, demo_shell, signed_in
from tests.browser.test_i15_admin_chinese import _menu_urls

USERS = ("weiyuan_xinghua", "shenhe_liuxi", "minzheng", "jiandu_xinghua")

# The procedure's pages of 杏花村's 2026 revision, which no menu links to directly.
REVISION_PATHS = """
from community.models import CovenantRevision, Opinion
revision = CovenantRevision.objects.filter(community__slug='xinghua').order_by('-pk').first()
opinion = Opinion.objects.filter(revision=revision).order_by('pk').first()
base = '/admin/covenants/revisions/%d/' % revision.pk
for path in (base, base + 'draft-opinions/', base + 'draft-opinions/%d/' % opinion.pk,
             '/admin/review/history/community.covenantrevision/%d/' % revision.pk):
    print('PATH', path)
"""


def revision_paths(demo_db: str) -> list[str]:
    out = demo_shell(demo_db, REVISION_PATHS)
    return [line.split()[1] for line in out.splitlines() if line.startswith("PATH ")]


@pytest.mark.parametrize("username", USERS)
def test_every_admin_page_of_a_staff_menu_fits_a_phone(
    browser, demo_server, demo_db, username, screenshot
):
    context, page = signed_in(browser, demo_server, username, **PHONE)
    cut_off: dict[str, list[str]] = {}
    unreachable: dict[str, list[str]] = {}
    try:
        paths = ["/admin/", *_menu_urls(page)]
        if username in ("weiyuan_xinghua", "shenhe_liuxi"):
            paths += revision_paths(demo_db)
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, path
            found = horizontal_overflow(page)
            if found["wide"] or found["scrollWidth"] > found["innerWidth"]:
                cut_off[path] = found["wide"]
                screenshot(page, f"admin-phone-cut-{username}-{len(cut_off)}")
            # A box that scrolls takes the keyboard focus (cms/static/cms/admin.js).
            for violation in axe_violations(page, rules=["scrollable-region-focusable"]):
                unreachable.setdefault(path, []).extend(
                    " ".join(node["target"]) for node in violation["nodes"]
                )
        assert len(paths) >= 5
        assert not cut_off, {path: wide[:2] for path, wide in cut_off.items()}
        assert not unreachable, unreachable
        if username == "shenhe_liuxi":
            page.goto("/admin/review/audit/")
            screenshot(page, "admin-phone-audit-log")
    finally:
        context.close()
