from wagtail import hooks

from community.models import CommunityPage


@hooks.register("after_create_page")
def create_community_sections(request, page):
    if isinstance(page.specific, CommunityPage):
        page.specific.ensure_sections()


@hooks.register("after_copy_page")
def create_sections_for_copied_community(request, page, new_page):
    if isinstance(new_page.specific, CommunityPage):
        new_page.specific.ensure_sections()
