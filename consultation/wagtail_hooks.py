from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks

from consultation.models import ConsultationPage
from consultation.records_admin import ConsultationRecordsGroup


@hooks.register("before_publish_page")
def keep_the_notice_period(request, page):
    """The draft is already saved; publishing waits until the notice period can be kept."""
    page = page.specific
    if isinstance(page, ConsultationPage):
        found = page.notice_violations()
        if found:
            messages.error(request, f"未发布：{found[0].message}草稿已保存。")
            return redirect("wagtailadmin_pages:edit", page.pk)
    return None


ConsultationRecordsGroup().register_with_wagtail()
