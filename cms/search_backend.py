"""Wagtail's database search backend, with search terms quoted for SQLite's FTS5, and Chinese
queries on pages searched as the site searches them (cms/ngrams.py).

A page query with Chinese in it also matches the pages whose n-gram field holds every pair of
its characters, so Wagtail's own searches (API v3's `?search=`, the admin's page search) find
a phrase inside a sentence as the site search does; the plain query is kept beside it (a page
type without n-grams is still found by a whole title).

The SQLite backend wraps each term in double quotes for MATCH but leaves a quote inside the term
as it is, so a search for `"` (or `a"b`) is an FTS syntax error and the page answers 500. FTS5
escapes a quote inside a string by doubling it; the compilers here do that before the upstream
code builds the MATCH expression. PostgreSQL and MySQL are served by the upstream backend as is.
"""

import copy
import re

from django.db.models import QuerySet
from modelsearch.backends import database
from modelsearch.query import Or, Phrase, PlainText
from wagtail.models import Page

from cms.ngrams import HAN, query_terms


def _quoted(query):
    if isinstance(query, PlainText | Phrase) and '"' in query.query_string:
        query = copy.copy(query)
        query.query_string = query.query_string.replace('"', '""')
    return query


def chinese_query(query, model, operator):
    """The query a backend runs: for Chinese text on pages, its whole words or all its pairs."""
    if not (isinstance(query, str) and issubclass(model, Page) and re.search(f"[{HAN}]", query)):
        return query, operator
    pairs = PlainText(" ".join(query_terms(query)), operator="and")
    return Or([PlainText(query, operator=operator or "and"), pairs]), None


class ChineseQueries:
    def search(self, query, model_or_queryset, fields=None, operator=None, **kwargs):
        if fields is None:
            model = (
                model_or_queryset.model
                if isinstance(model_or_queryset, QuerySet)
                else model_or_queryset
            )
            query, operator = chinese_query(query, model, operator)
        return super().search(query, model_or_queryset, fields=fields, operator=operator, **kwargs)


def _sqlite_backend_class():
    # The SQLite backend's module imports its FTS models: only loaded when SQLite is in use.
    from modelsearch.backends.database.sqlite import sqlite

    class QuotedSearchQueryCompiler(sqlite.SQLiteSearchQueryCompiler):
        def build_search_query_content(self, query, config=None):
            return super().build_search_query_content(_quoted(query), config=config)

    class QuotedAutocompleteQueryCompiler(sqlite.SQLiteAutocompleteQueryCompiler):
        def build_search_query_content(self, query, config=None):
            return super().build_search_query_content(_quoted(query), config=config)

    class QuotedSQLiteSearchBackend(ChineseQueries, sqlite.SQLiteSearchBackend):
        query_compiler_class = QuotedSearchQueryCompiler
        autocomplete_query_compiler_class = QuotedAutocompleteQueryCompiler

    return QuotedSQLiteSearchBackend


def SearchBackend(params):  # the name Wagtail looks up in a backend module
    backend = database.SearchBackend(params)
    if type(backend).__name__ == "SQLiteSearchBackend":
        return _sqlite_backend_class()(params)
    chinese = type(f"Chinese{type(backend).__name__}", (ChineseQueries, type(backend)), {})
    return chinese(params)
