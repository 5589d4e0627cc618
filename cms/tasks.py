"""Work done off the request path, on django-tasks (the backport of Django 6's django.tasks):
e-mail notifications and the digest (community/tasks.py), search index updates after a save
(`index_object` below, in place of Wagtail's own), and the requeueing of tasks whose worker died.

settings.TASKS_BACKEND chooses where a task runs (docs/deployment.md, "Background tasks"):
- "immediate" (the default, and `quickstart`'s): inline, in the process that asks for it, so the
  embedded site needs no other process;
- "database": a row in the database, written in the transaction of the change that asks for it
  (it commits or rolls back with the change: nothing is lost between the two, nothing runs for a
  change that did not happen), worked by `manage.py db_worker` (cms/management/commands/), which
  claims rows with SELECT … FOR UPDATE SKIP LOCKED, so any number of workers on any hosts share it.

django-tasks has no retries, and a task whose worker is killed mid-run stays "running" for ever.
Both are added here, without a second engine: a task made with `retried()` that raises is queued
again with its attempt counted, after TASKS_RETRY_SECONDS, then twice as long each time, up to
TASKS_RETRY_ATTEMPTS attempts in all; `requeue_abandoned()` (run by the worker when it starts, and
every minute while it runs) puts back in the queue the tasks claimed by a worker process of this
host that no longer runs, and any task running for longer than TASKS_ABANDONED_SECONDS. Every task
here is idempotent, so a task run twice (its worker died after the work, before marking it done)
does no harm."""

from __future__ import annotations

import datetime
import functools
import logging
import os
import socket
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import router, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import TaskResultStatus, task

logger = logging.getLogger(__name__)

ATTEMPT = "_attempt"  # the keyword argument that counts a retried task's attempts


def queued(task_obj) -> bool:
    """Whether `task_obj` goes to a queue in the database (rather than running inline)."""
    # The database queue's app is importable only once the app registry is ready.
    from django_tasks_db import DatabaseBackend

    return isinstance(task_obj.get_backend(), DatabaseBackend)


def enqueue_on_commit(task_obj, *args, **kwargs) -> None:
    """Queue `task_obj` so that it runs only once the current transaction has committed: on a
    database queue, in the same transaction (the row commits with the change); inline, after the
    commit (e-mail for a change that rolled back is never sent)."""
    if queued(task_obj):
        task_obj.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task_obj.enqueue(*args, **kwargs))


def retry_delay(attempt: int) -> datetime.timedelta:
    """How long to wait before attempt `attempt + 1`: TASKS_RETRY_SECONDS, doubling each time."""
    return datetime.timedelta(seconds=settings.TASKS_RETRY_SECONDS * 2 ** (attempt - 1))


def retried(*, attempts: int | None = None, atomic: bool = True, **task_options) -> Callable:
    """A task of the decorated function, tried again when it raises (up to `attempts`, by default
    TASKS_RETRY_ATTEMPTS, in all). Each attempt runs in its own transaction unless `atomic` is
    false (a task that does something outside the database, such as sending mail, records each
    step as it goes instead, so an attempt that fails halfway keeps what it did)."""

    def decorate(func: Callable) -> Any:
        @functools.wraps(func)
        def run(*args, **kwargs):
            attempt = kwargs.pop(ATTEMPT, 1)
            try:
                if atomic:
                    with transaction.atomic():
                        return func(*args, **kwargs)
                return func(*args, **kwargs)
            except Exception:
                limit = attempts or settings.TASKS_RETRY_ATTEMPTS
                if attempt >= limit:
                    logger.exception("Task %s failed for good after %d attempts", func, attempt)
                    raise
                logger.warning("Task %s failed (attempt %d of %d)", func, attempt, limit)
                again = the_task
                if again.get_backend().supports_defer:
                    again = again.using(run_after=timezone.now() + retry_delay(attempt))
                # Queued, the next attempt is a new row, and this one is marked failed with its
                # traceback. Inline, the next attempt runs here and now: its outcome is this one's.
                result = again.enqueue(*args, **kwargs, **{ATTEMPT: attempt + 1})
                if result.status == TaskResultStatus.SUCCESSFUL:
                    return result.return_value
                raise

        the_task = task(**task_options)(run)
        return the_task

    return decorate


# Search index updates ------------------------------------------------------------------------


@retried()
def index_object(app_label: str, model_name: str, pk: str) -> bool:
    """Bring the search index entry of one object up to date (Wagtail's insert_or_update_object):
        idempotent, the entry is written from the object as it is when the task runs. An object deleted
        since has nothing to index (its entry went with it). On PostgreSQL, Wagtail's database backend
        then refreshes the title norms, an aggregate over the whole index: off the request path here.

    A publish saves its page several times (the revision, then the publish), each save asking for
    an update: queued, the first to run marks the others done (`_supersede`), so the worker indexes
    the page once."""
    # modelsearch's index module loads the search backends: only when a task runs.
    from modelsearch import index

    if queued(index_object):
        _supersede(index_object, [app_label, model_name, pk])
    model = apps.get_model(app_label, model_name)
    instance = model._default_manager.filter(pk=pk).first()
    if instance is None:
        return False
    index.insert_or_update_object(instance)
    return True


def _supersede(task_obj, args: list) -> int:
    """Mark done the queued runs of `task_obj` with these arguments not started yet: this run
    reads the object after they were committed, so it does their work. Runs committed later stay
    queued."""
    # Models of the database queue: only after the app registry is ready.
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        task_path=task_obj.module_path,
        args_kwargs={"args": args, "kwargs": {}},
    ).update(status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now(), return_value=None)


def route_search_updates() -> None:
    """Have Wagtail's post_save search handler (modelsearch.signal_handlers) queue `index_object`,
    retried, instead of its own task without retries. Called from cms/apps.py."""
    # Called from AppConfig.ready(): the handlers' module needs the models.
    from modelsearch import signal_handlers

    signal_handlers.insert_or_update_object_task = index_object


# Tasks whose worker died ---------------------------------------------------------------------


def worker_id() -> str:
    """A worker's id, naming its host and process so that its host can tell when it has died."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{get_random_string(8)}"


def _process_gone(claimed_by: str) -> bool:
    host, _, rest = claimed_by.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname()[:40] or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # another user's process: alive
        return False
    return False


def requeue_abandoned(now: datetime.datetime | None = None) -> int:
    """Put back in the queue the tasks marked running whose worker is gone: claimed by a process of
    this host that no longer runs, or started more than TASKS_ABANDONED_SECONDS ago. Returns how
    many. The row keeps its id, so whoever waits on the result sees it finish."""
    # Models of the database queue: only after the app registry is ready.
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.TASKS_ABANDONED_SECONDS)
    requeued = 0
    running = DBTaskResult.objects.running().only("id", "started_at", "worker_ids")
    for row in running.using(router.db_for_write(DBTaskResult)):
        claimed_by = row.worker_ids[-1] if row.worker_ids else ""
        if (row.started_at and row.started_at < cutoff) or _process_gone(claimed_by):
            # Only if nobody claimed it again meanwhile (the same start time).
            requeued += DBTaskResult.objects.filter(
                pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
            ).update(status=TaskResultStatus.READY, started_at=None)
    if requeued:
        logger.warning("Requeued %d task(s) whose worker had gone", requeued)
    return requeued
