"""One transaction per writing request on SQLite, none for a read (docs/performance.md).

On PostgreSQL every request runs in a transaction (ATOMIC_REQUESTS). On SQLite, where a transaction
that may write must take the one write lock at its start (BEGIN IMMEDIATE; a deferred one that
later writes fails at once with `database is locked` instead of waiting), that would make every
page view wait for every other one. So there ATOMIC_REQUESTS is off and this middleware, last in
MIDDLEWARE, opens the transaction for POST, PUT, PATCH and DELETE only: a write waits its turn for
the lock (the `timeout` option), a read never takes it (WAL: readers never wait for a writer).

As with ATOMIC_REQUESTS, a view that raises leaves nothing behind: process_exception marks the
transaction for rollback, whatever response the exception is then turned into (404, 400, 500)."""

from django.db import transaction

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class WriteRequestTransactionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        with transaction.atomic():
            return self.get_response(request)

    def process_exception(self, request, exception):
        if request.method not in SAFE_METHODS and transaction.get_connection().in_atomic_block:
            transaction.set_rollback(True)
        return None
