"""A district at scale, generated for benchmarks and query budgets (`python -m bench.generate_district`).

Structural pages (townships, communities, their sections, covenants, forms) go through Wagtail's
`add_child` and publishing, so roles, groups and collections are made as on a real site. The bulk
(notices, agendas, covenant versions, records, answers, their revisions and simple-history rows)
is inserted in batches: Wagtail page rows with `bulk_create` on the base table and one multi-row
insert on the specific table, with tree paths computed here. Deterministic for a seed: the same
seed gives the same titles, texts, dates and counts (row ids depend on the database).
"""

import datetime
import random
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from simple_history.utils import bulk_create_with_history
from wagtail.models import Locale, Page, Revision, Site

from bench.district_covenants import add_covenant
from bench.district_text import ANCHOR, BATCH, NOTICE_TITLES, SENTENCES, TOPICS
from community.disclosure.catalogue import ITEM_OF_CATEGORY
from community.disclosure.periods import QUARTER, period_of
from community.models import (
    CommunityPage,
    DisclosureItem,
    NoticeIndexPage,
    NoticePage,
    TownshipPage,
)
from consultation.models import (
    AgendaItem,
    CommunityFormPage,
    CommunityFormSubmission,
    ConsultationIndexPage,
    ConsultationPage,
    Deliberation,
    ImplementationUpdate,
)
from consultation.models.forms import CommunityFormField


@dataclass
class Sizes:
    """How much of everything each community gets. Ranges are inclusive and drawn per community."""

    communities_per_township: int = 20
    articles: tuple[int, int] = (20, 150)
    versions: tuple[int, int] = (1, 15)
    notices: int = 50
    consultations: int = 20
    answers: int = 100
    popular_answers: int = 3000  # one form of the district, the day its notice went up


@dataclass
class Report:
    communities: int = 0
    pages: int = 0
    rows: int = 0
    seconds: float = 0.0
    created: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, n: int) -> None:
        self.created[what] = self.created.get(what, 0) + n
        self.rows += n

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def _path(parent: Page, steps: int) -> Iterable[str]:
    last = parent.get_last_child()
    start = Page._str2int(last.path[-Page.steplen :]) if last else 0
    for n in range(start + 1, start + 1 + steps):
        yield Page._get_path(parent.path, parent.depth + 1, n)


def bulk_add_pages(parent: Page, pages: list[Page], rng: random.Random, user=None) -> list[Page]:
    """Insert leaf pages of one model under `parent`, live, each with one published revision.

    The base rows go in with bulk_create; the specific rows with one multi-row insert. No page
    save signal is sent (so no search indexing: run `update_index` if search matters)."""
    if not pages:
        return []
    model = type(pages[0])
    content_type = ContentType.objects.get_for_model(model)
    locale_id = parent.locale_id or Locale.get_default().pk
    base_fields = [f for f in Page._meta.concrete_fields if f.attname != "id"]
    bases = []
    for page, path in zip(pages, _path(parent, len(pages)), strict=True):
        page.path, page.depth, page.numchild = path, parent.depth + 1, 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.draft_title = page.title
        page.live, page.has_unpublished_changes = True, False
        page.locale_id, page.content_type_id = locale_id, content_type.pk
        page.translation_key = uuid.uuid4()  # an identity, not content: not seeded
        page.owner = user
        page.first_published_at = page.first_published_at or ANCHOR
        page.last_published_at = page.first_published_at
        bases.append(Page(**{f.attname: getattr(page, f.attname) for f in base_fields}))
    Page.objects.bulk_create(bases, batch_size=BATCH)
    for page, base in zip(pages, bases, strict=True):
        page.pk = page.page_ptr_id = base.pk
        page._state.adding = False
    local = list(model._meta.local_concrete_fields)
    for i in range(0, len(pages), BATCH):
        model._base_manager._insert(pages[i : i + BATCH], fields=local, using="default")
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    parent.numchild += len(pages)
    revisions = Revision.objects.bulk_create(
        [
            Revision(
                content_type_id=content_type.pk,
                base_content_type_id=ContentType.objects.get_for_model(Page).pk,
                object_id=str(page.pk),
                content=page.serializable_data(),
                object_str=page.title,
                user=user,
                created_at=page.first_published_at,
                approved_go_live_at=None,
            )
            for page in pages
        ],
        batch_size=BATCH,
    )
    for page, base, revision in zip(pages, bases, revisions, strict=True):
        page.live_revision_id = page.latest_revision_id = revision.pk
        base.live_revision_id = base.latest_revision_id = revision.pk
    Page.objects.bulk_update(bases, ["live_revision", "latest_revision"], batch_size=BATCH)
    return pages


def _publish(parent: Page, page: Page, user=None) -> Page:
    parent.add_child(instance=page)
    page.save_revision(user=user).publish()
    return page


def add_notices(index: NoticeIndexPage, rng: random.Random, count: int, user=None) -> list:
    """Weekly notices, each on the board fifteen days (the law's least, both ends counted) or
    long-term, filed under its catalogue item and the quarter it starts in."""
    kind = (
        CommunityPage.objects.filter(path=index.path[: index.steplen * 4])
        .values_list("kind", flat=True)
        .first()
    ) or "village"
    item_ids = dict(DisclosureItem.objects.values_list("key", "pk"))
    notices, keys = [], []
    for n in range(count):
        start = (ANCHOR - datetime.timedelta(days=7 * (count - n))).date()
        long_term = n % 10 == 0
        category = rng.choice(["affairs", "finance", "party", "government"])
        keys.append(ITEM_OF_CATEGORY.get((category, kind)))
        notices.append(
            NoticePage(
                title=f"{rng.choice(NOTICE_TITLES)}（第{n + 1}期）",
                slug=f"notice-{n + 1}",
                category=category,
                period=period_of(start, QUARTER).code,
                summary=rng.choice(SENTENCES),
                body=[{"type": "paragraph", "value": f"<p>{rng.choice(SENTENCES)}。</p>"}],
                display_from=start,
                display_until=None if long_term else start + datetime.timedelta(days=14),
                first_published_at=datetime.datetime.combine(start, datetime.time(9), datetime.UTC),
            )
        )
    pages = bulk_add_pages(index, notices, rng, user)
    through = NoticePage.disclosure_items.through
    through.objects.bulk_create(
        [
            through(noticepage_id=page.pk, disclosureitem_id=item_ids[key])
            for page, key in zip(pages, keys, strict=True)
            if key in item_ids
        ],
        batch_size=BATCH,
    )
    return pages


def add_consultations(
    index: ConsultationIndexPage, community: CommunityPage, rng: random.Random, count: int, user
) -> dict[str, int]:
    agendas = []
    for n in range(count):
        starts_at = None if n % 5 == 4 else ANCHOR - datetime.timedelta(days=20 * (count - n))
        agendas.append(
            ConsultationPage(
                title=f"{rng.choice(TOPICS)}协商（{n + 1}）",
                slug=f"topic-{n + 1}",
                background=f"<p>{rng.choice(SENTENCES)}。</p>",
                starts_at=starts_at,
                place=f"{community.title}议事室",
                parties=[{"type": "party", "value": {"category": "户籍居民", "count": 20}}],
                first_published_at=(starts_at or ANCHOR) - datetime.timedelta(days=7),
            )
        )
    bulk_add_pages(index, agendas, rng, user)
    items = [
        AgendaItem(page=a, title=title, sort_order=k)
        for a in agendas
        for k, title in enumerate(("通报背景", "各方发表意见", "形成协商意见"))
    ]
    AgendaItem.objects.bulk_create(items, batch_size=BATCH)
    held = [a for a in agendas if a.starts_at is not None]
    records = [
        Deliberation(
            agenda=a,
            community=community,
            held_at=a.starts_at,
            chair="主持人",
            recorder="记录人",
            outcome="经充分协商，同意按修改后的方案实施。",
            attendance=[{"type": "attendance", "value": {"category": "户籍居民", "count": 18}}],
            opinions=[
                {
                    "type": "opinion",
                    "value": {
                        "speaker_category": "户籍居民",
                        "speaker_name": "",
                        "stance": "support",
                        "summary": rng.choice(SENTENCES),
                    },
                }
            ],
            published_at=a.starts_at + datetime.timedelta(days=1),
        )
        for a in held
    ]
    bulk_create_with_history(records, Deliberation, batch_size=BATCH, default_user=user)
    updates = [
        ImplementationUpdate(
            agenda=a,
            community=community,
            date=(a.starts_at + datetime.timedelta(days=10 * (k + 1))).date(),
            status="done" if k == 2 else "in_progress",
            text=rng.choice(SENTENCES),
            published_at=a.starts_at + datetime.timedelta(days=10 * (k + 1)),
        )
        for a in held
        for k in range(rng.randint(0, 3))
    ]
    bulk_create_with_history(updates, ImplementationUpdate, batch_size=BATCH, default_user=user)
    return {"agendas": len(agendas), "deliberations": len(records), "updates": len(updates)}


def add_form(community: CommunityPage, rng: random.Random, answers: int, user=None):
    form = CommunityFormPage(title="议题征集", slug="topics", purpose="topics", owner=user)
    form.form_fields = [
        CommunityFormField(label="您的建议", field_type="multiline", required=True, sort_order=0),
        CommunityFormField(
            label="所在小组", field_type="dropdown", choices="一组\n二组\n三组", sort_order=1
        ),
        CommunityFormField(label="手机号码", field_type="mobile", required=False, sort_order=2),
        # A form asking for a phone number is published only with a consent field (the model's rule).
        CommunityFormField(label="同意为回访使用手机号码", field_type="consent", sort_order=3),
    ]
    _publish(community, form, user)
    add_answers(form, rng, answers)
    return form


def add_answers(form: CommunityFormPage, rng: random.Random, count: int) -> None:
    CommunityFormSubmission.objects.bulk_create(
        [
            CommunityFormSubmission(
                page=form,
                page_revision_id=form.live_revision_id,
                form_data={
                    "您的建议": rng.choice(SENTENCES),
                    "所在小组": rng.choice(["一组", "二组", "三组"]),
                    "手机号码": f"138{rng.randrange(10**8):08d}",
                    "同意为回访使用手机号码": True,
                },
            )
            for _ in range(count)
        ],
        batch_size=BATCH,
    )


def _generator_user():
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username="generator", defaults={"last_name": "数据", "first_name": "生成"}
    )
    return user


def generate(
    communities: int,
    seed: int = 0,
    sizes: Sizes | None = None,
    prefix: str = "gen",
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Add `communities` communities (in townships of `sizes.communities_per_township`) under the
    site root, each with a covenant, notices, agendas with records, and a form with answers."""
    sizes = sizes or Sizes()
    rng = random.Random(seed)
    report = Report()
    started = time.perf_counter()
    pages_before = Page.objects.count()
    home = Site.objects.get(is_default_site=True).root_page.specific
    if TownshipPage.objects.child_of(home).filter(slug__startswith=f"{prefix}-").exists():
        raise ValueError(f"这个数据库已有前缀为 {prefix}- 的生成数据；请换一个前缀或使用新数据库。")
    user = _generator_user()
    township = None
    for c in range(communities):
        with transaction.atomic():
            if c % sizes.communities_per_township == 0:
                number = c // sizes.communities_per_township + 1
                township = _publish(
                    home, TownshipPage(title=f"生成{number}镇", slug=f"{prefix}-t{number:03d}")
                )
            community = _publish(
                township,
                CommunityPage(
                    title=f"生成{c + 1}村",
                    slug=f"c{c + 1:04d}",
                    households=rng.randint(200, 3000),
                    adult_residents=rng.randint(600, 8000),
                    representatives=rng.randint(20, 60),
                ),
            )
            community.ensure_sections()
            articles = rng.randint(*sizes.articles)
            versions = rng.randint(*sizes.versions)
            add_covenant(community, rng, articles, versions, user)
            report.count("covenant_versions", versions)
            notice_index = NoticeIndexPage.objects.child_of(community).get()
            report.count("notices", len(add_notices(notice_index, rng, sizes.notices, user)))
            agenda_index = ConsultationIndexPage.objects.child_of(community).get()
            for what, n in add_consultations(
                agenda_index, community, rng, sizes.consultations, user
            ).items():
                report.count(what, n)
            answers = sizes.popular_answers if c == 0 else sizes.answers
            add_form(community, rng, answers, user)
            report.count("answers", answers)
        report.communities += 1
        if progress:
            progress(1)
    report.pages = Page.objects.count() - pages_before
    report.seconds = time.perf_counter() - started
    report.created["pages"] = report.pages
    report.created["database"] = connection.vendor  # type: ignore[assignment]
    return report
