"""What the site search covers: a mixin for page models, and the list of searchable page types."""

from functools import cache

from wagtail.models import get_page_models
from wagtail.search import index

from cms.ngrams import ngrams, plain


class ChineseSearchable:
    """A page whose text is indexed as Chinese n-grams (see cms.ngrams).

    A model defines `search_text()` (HTML or text); models whose hits go deeper than the page
    (a covenant's articles) override `search_units()`.
    """

    search_kind = "页面"
    chinese_search_fields = [index.SearchField("search_ngrams")]

    def search_text(self) -> str:
        return ""

    def search_units(self):
        """(anchor, title, kind, plain text) for each place on the page a hit can link to."""
        yield ("", self.title, self.search_kind, plain(self.search_text()))

    @property
    def search_ngrams(self) -> str:
        return ngrams(" ".join(f"{title} {text}" for _, title, _, text in self.search_units()))


@cache
def searchable_models() -> tuple:
    """Every page type that mixes in ChineseSearchable, as Wagtail knows its page models: a new
    searchable page type is found without being listed here. Page models are all known once the
    app registry is ready, so the answer is worked out once per process."""
    return tuple(model for model in get_page_models() if issubclass(model, ChineseSearchable))
