"""Wagtail's database search backend, with search terms quoted for SQLite's FTS5.

The SQLite backend wraps each term in double quotes for MATCH but leaves a quote inside the term
as it is, so a search for `"` (or `a"b`) is an FTS syntax error and the page answers 500. FTS5
escapes a quote inside a string by doubling it; the compilers here do that before the upstream
code builds the MATCH expression. PostgreSQL and MySQL are served by the upstream backend as is.
"""

import copy

from modelsearch.backends import database
from modelsearch.query import Phrase, PlainText


def _quoted(query):
    if isinstance(query, PlainText | Phrase) and '"' in query.query_string:
        query = copy.copy(query)
        query.query_string = query.query_string.replace('"', '""')
    return query


def _sqlite_backend_class():
    # The SQLite backend's module imports its FTS models: only loaded when SQLite is in use.
    from modelsearch.backends.database.sqlite import sqlite

    class QuotedSearchQueryCompiler(sqlite.SQLiteSearchQueryCompiler):
        def build_search_query_content(self, query, config=None):
            return super().build_search_query_content(_quoted(query), config=config)

    class QuotedAutocompleteQueryCompiler(sqlite.SQLiteAutocompleteQueryCompiler):
        def build_search_query_content(self, query, config=None):
            return super().build_search_query_content(_quoted(query), config=config)

    class QuotedSQLiteSearchBackend(sqlite.SQLiteSearchBackend):
        query_compiler_class = QuotedSearchQueryCompiler
        autocomplete_query_compiler_class = QuotedAutocompleteQueryCompiler

    return QuotedSQLiteSearchBackend


def SearchBackend(params):  # the name Wagtail looks up in a backend module
    backend = database.SearchBackend(params)
    if type(backend).__name__ == "SQLiteSearchBackend":
        return _sqlite_backend_class()(params)
    return backend
