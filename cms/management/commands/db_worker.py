"""django-tasks-db's `db_worker`, which first puts back in the queue the tasks whose worker died
(cms/tasks.py requeue_abandoned), and does so again every minute while it runs: a worker killed
mid-task (kill -9, a host lost) leaves its task marked running, which django-tasks-db never
retries. Its worker id names the host and the process, so a restarted worker on the same host
requeues at once what the dead one held. This app comes first in INSTALLED_APPS, so this command
is the one `manage.py db_worker` runs."""

import threading

from django.db import connections
from django_tasks_db.management.commands import db_worker

from cms.tasks import requeue_abandoned, worker_id

SWEEP_SECONDS = 60


def _sweep_forever(stop: threading.Event) -> None:
    while not stop.wait(SWEEP_SECONDS):
        try:
            requeue_abandoned()
        except Exception:  # the database away: the next sweep tries again
            db_worker.logger.exception("Could not requeue abandoned tasks")
        finally:
            connections.close_all()  # this thread's own connections


class Command(db_worker.Command):
    help = db_worker.Command.help + " (requeueing the tasks of dead workers)"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=worker_id())

    def handle(self, *args, **options):
        self.configure_logging(options["verbosity"])
        requeue_abandoned()
        stop = threading.Event()
        threading.Thread(target=_sweep_forever, args=(stop,), daemon=True).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
