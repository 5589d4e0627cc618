"""What the site search covers: a mixin for page models, and the list of searchable page types."""

from functools import cache

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from wagtail.documents import get_document_model
from wagtail.models import ReferenceIndex, get_page_models
from wagtail.search import index

from cms.ngrams import ngrams, plain


class ChineseSearchable:
    """A page whose text is indexed as Chinese n-grams (see cms.ngrams).

    A model defines `search_text()` (HTML or text): everything its page shows as content, records
    of its own included (see PartOfPageText); models whose hits go deeper than the page (a
    covenant's articles) override `search_units()`.
    """

    search_kind = "页面"
    chinese_search_fields = [index.SearchField("search_ngrams")]

    def search_text(self) -> str:
        return ""

    @classmethod
    def prepare_for_search(cls, pages: list) -> None:
        """Load at once what search_text() reads for each of `pages` (a results page shows up to
        fifty hits; a model whose text comes from other rows overrides this)."""

    def search_units(self):
        """(anchor, title, kind, plain text) for each place on the page a hit can link to."""
        yield ("", self.title, self.search_kind, plain(self.search_text()))

    @property
    def search_ngrams(self) -> str:
        return ngrams(" ".join(f"{title} {text}" for _, title, _, text in self.search_units()))

    # Indexed by save() below, not on post_save (modelsearch's handler): a ClusterableModel sends
    # post_save before it saves its child relations (an agenda's items, an experience's themes and
    # tags), so the index held them as they were before. Deletions: `connect()`.
    search_auto_update = False

    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        reindex(self)
        return result


def reindex(page) -> None:
    """Index the page as stored (as modelsearch does, never an editor's unsaved draft): a task
    (cms/tasks.py index_object), inline in the embedded default, else queued with the change and
    run by the worker once it commits; off the request path either way on PostgreSQL, where each
    index write refreshes the title norms over the whole index."""
    if page is not None and page.pk is not None:
        # cms.tasks reaches the search backend, which imports this module's pages.
        from cms.tasks import index_object

        index_object.enqueue(page._meta.app_label, page._meta.model_name, str(page.pk))


class PartOfPageText:
    """A record a page shows as part of its content (an agenda's deliberation records and
    implementation updates): saving or deleting it indexes those pages again."""

    def indexed_pages(self) -> list:
        raise NotImplementedError


def _record_changed(sender, instance, **kwargs):
    for page in instance.indexed_pages():
        reindex(page)


def _document_changed(sender, instance, **kwargs):
    """A document's title is shown where it is attached: index those pages again."""
    if kwargs.get("raw"):
        return
    for source, _refs in ReferenceIndex.get_references_to(instance).group_by_source_object():
        source = getattr(source, "specific", source)
        if isinstance(source, ChineseSearchable):
            reindex(source)
        elif isinstance(source, PartOfPageText):
            _record_changed(type(source), source)


def _page_deleted(sender, instance, **kwargs):
    index.remove_object(instance)


def connect() -> None:
    """Keep the index of a page in step with the records and documents it shows (cms/apps.py)."""
    for model in apps.get_models():
        if issubclass(model, ChineseSearchable):
            post_delete.connect(
                _page_deleted, sender=model, dispatch_uid=f"search-{model._meta.label}"
            )
        if issubclass(model, PartOfPageText):
            post_save.connect(
                _record_changed, sender=model, dispatch_uid=f"search-{model._meta.label}"
            )
            post_delete.connect(
                _record_changed, sender=model, dispatch_uid=f"search-d-{model._meta.label}"
            )
    post_save.connect(
        _document_changed, sender=get_document_model(), dispatch_uid="search-document"
    )


@cache
def searchable_models() -> tuple:
    """Every page type that mixes in ChineseSearchable, as Wagtail knows its page models: a new
    searchable page type is found without being listed here. Page models are all known once the
    app registry is ready, so the answer is worked out once per process."""
    return tuple(model for model in get_page_models() if issubclass(model, ChineseSearchable))
