"""示范经验 in the admin: district staff mark an experience as featured, or take the mark away.

The mark is its own record (ExperienceFeature, with history), so no page permission is needed and
a committee's later edit of the page never touches it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from cms.ids import parse_id
from community.models import ExperienceFeature, ExperiencePage

PERMISSION = "community.feature_experience"


@require_http_methods(["GET", "POST"])
def experience_features(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    if request.method == "POST":
        page = get_object_or_404(
            ExperiencePage.objects.live(), pk=parse_id(request.POST.get("page"))
        )
        if request.POST.get("action") == "feature":
            reason = request.POST.get("reason", "").strip()[:200]
            if not ExperienceFeature.objects.filter(page=page).exists():
                feature = ExperienceFeature(page=page, featured_by=request.user, reason=reason)
                feature._change_reason = "设为示范"
                feature.save()
                messages.success(request, f"已将“{page.title}”设为示范经验。")
        else:
            feature = ExperienceFeature.objects.filter(page=page).first()
            if feature is not None:
                feature._change_reason = "取消示范"
                feature.delete()
                messages.success(request, f"已取消“{page.title}”的示范标记。")
        return redirect("community_experience_features")
    experiences = (
        ExperiencePage.objects.live()
        .annotate(featured=Exists(ExperienceFeature.objects.filter(page_id=OuterRef("pk"))))
        .select_related("feature__featured_by")
        .order_by("-featured", "-first_published_at")
    )
    return TemplateResponse(
        request, "community/admin/experience_features.html", {"experiences": experiences}
    )


def experience_urls():
    return [
        path("experiences/featured/", experience_features, name="community_experience_features")
    ]


def menu_url() -> str:
    return reverse("community_experience_features")
