"""The URLs the benchmarks request, found (or, for the 150-article covenant, made) in a generated
database. Idempotent: running a benchmark twice uses the same pages."""

import random

from community.models import CommunityPage, CovenantPage, NoticeIndexPage, TownshipPage

BENCH_SLUG = "bench-covenant"


def ensure_targets() -> dict[str, str]:
    # district_covenants imports the page models, which need Django set up (bench scripts do so
    # after importing this module).
    from bench.district_covenants import add_covenant

    township = TownshipPage.objects.live().filter(slug__contains="-t").order_by("path").first()
    if township is None:
        raise SystemExit("no generated district: run python -m bench.generate_district first")
    community = CommunityPage.objects.child_of(township).filter(slug=BENCH_SLUG).first()
    if community is None:
        community = CommunityPage(
            title="基准测试村", slug=BENCH_SLUG, households=600, adult_residents=1600
        )
        township.add_child(instance=community)
        community.save_revision().publish()
        add_covenant(community, random.Random(150), articles=150, versions=15)
    covenant = CovenantPage.objects.child_of(community).get()
    versions = list(covenant.versions())
    generated = CommunityPage.objects.child_of(township).exclude(slug=BENCH_SLUG).order_by("path")
    notices = NoticeIndexPage.objects.child_of(generated.first()).get()
    return {
        "home": "/",
        "community": generated.first().url,
        "covenant (150 articles)": covenant.url,
        "diff (150 articles, v1→v15)": (
            f"{covenant.url}versions/diff/?from={versions[-1].pk}&to={versions[0].pk}"
        ),
        "notice index (50)": notices.url,
        "API page detail (covenant)": f"/api/v3/pages/{covenant.pk}/",
        "API page list (notices)": f"/api/v3/pages/?type=community.NoticePage&child_of={notices.pk}",
    }
