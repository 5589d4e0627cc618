"""Work off the request path (issue 18, item 5; cms/tasks.py): inline in the embedded default, queued
in the database for `manage.py db_worker` in production; retried on failure; the tasks of a dead
worker queued again."""

import datetime
import os
import socket
import subprocess

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max
from wagtail.search.models import IndexEntry

from cms import tasks
from cms.search import search
from cms.tasks import requeue_abandoned, retried
from community.models import NoticeIndexPage, NoticePage
from community.tasks import email_notifications
from tests.consultation import queries_helpers
from tests.consultation.queries_helpers import post_query

pytestmark = pytest.mark.django_db
notice = queries_helpers.notice

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TITLE = "关于二〇二六年冬季防火巡查安排的通知"

CALLS: list[int] = []


@retried(attempts=3)
def flaky(fail_times: int) -> str:
    """Fails its first `fail_times` calls (counted in CALLS), then succeeds."""
    CALLS.append(1)
    if len(CALLS) <= fail_times:
        raise ConnectionError("SMTP away")
    return "done"


@pytest.fixture(autouse=True)
def _calls():
    CALLS.clear()


@pytest.fixture
def queue(settings):
    settings.TASKS = DATABASE
    settings.TASKS_RETRY_SECONDS = 30


def work(now=None) -> int:
    """What `manage.py db_worker --batch` does, in the test's transaction: claim each ready task
    (at `now`, to see deferred retries) and run it. Returns how many ran."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=tasks.worker_id(),
        excluded_queue_names=[],
    )
    ran = 0
    when = now or timezone.now()
    while True:
        row = (
            DBTaskResult.objects.filter(status=TaskResultStatus.READY)
            .filter(Q(run_after=get_date_max()) | Q(run_after__lte=when))
            .first()
        )
        if row is None:
            return ran
        row.claim(worker.worker_id)
        worker.run_task(row)
        ran += 1


def publish_notice(community) -> NoticePage:
    board = NoticeIndexPage.objects.child_of(community).get()
    page = NoticePage(title=TITLE, slug="fire-patrol", display_from=timezone.localdate())
    board.add_child(instance=page)
    page.save_revision().publish()
    return page


def found(page) -> bool:
    return any(hit.page.pk == page.pk for hit in search("冬季防火巡查"))


def test_inline_by_default_a_publish_is_searchable_at_once(settings, xinghua):
    assert settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")
    page = publish_notice(xinghua)
    assert found(page)
    assert not DBTaskResult.objects.exists()  # nothing waits for a worker


def test_queued_a_publish_enqueues_the_index_task_and_search_finds_it_after_the_worker(
    queue, xinghua
):
    page = publish_notice(xinghua)
    waiting = DBTaskResult.objects.filter(task_path="cms.tasks.index_object")
    assert waiting.filter(status=TaskResultStatus.READY).exists()
    assert not found(page)  # the request did not index it
    assert not IndexEntry.objects.filter(object_id=str(page.pk), title=TITLE).exists()
    assert work() >= 1
    assert found(page)
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists()


def test_the_index_task_is_idempotent_and_skips_a_deleted_object(queue, xinghua):
    page = publish_notice(xinghua)
    work()
    assert tasks.index_object.call("community", "noticepage", str(page.pk)) is True
    assert IndexEntry.objects.filter(object_id=str(page.pk), title=TITLE).count() == 1
    assert tasks.index_object.call("community", "noticepage", "99999999") is False


def test_a_failing_task_is_retried_later_with_backoff(queue):
    before = timezone.now()
    flaky.enqueue(fail_times=1)
    assert work() == 1
    failed = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    assert failed.exception_class_path == "builtins.ConnectionError"
    again = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert again.args_kwargs["kwargs"] == {"fail_times": 1, "_attempt": 2}
    assert again.run_after >= before + datetime.timedelta(seconds=30)
    assert work() == 0  # not before its time
    assert work(now=timezone.now() + datetime.timedelta(seconds=31)) == 1
    assert DBTaskResult.objects.get(pk=again.pk).status == TaskResultStatus.SUCCESSFUL
    assert DBTaskResult.objects.get(pk=again.pk).return_value == "done"


def test_a_task_failing_every_time_stops_after_its_attempts(queue):
    flaky.enqueue(fail_times=99)
    later = timezone.now()
    for _ in range(5):
        later += datetime.timedelta(hours=1)
        work(now=later)
    assert len(CALLS) == 3
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 3
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()


def test_inline_a_failing_task_is_retried_at_once():
    result = flaky.enqueue(fail_times=2)
    assert len(CALLS) == 3
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == "done"
    CALLS.clear()
    result = flaky.enqueue(fail_times=99)
    assert len(CALLS) == 3 and result.status == TaskResultStatus.FAILED


def test_the_notification_mail_is_sent_by_the_task_not_in_the_request(
    queue, client, notice, committee_xinghua
):
    committee_xinghua.email = "weiyuan@example.cn"
    committee_xinghua.save()
    mail.outbox.clear()
    assert post_query(client, notice).status_code == 303
    assert mail.outbox == []  # the request sent nothing
    waiting = DBTaskResult.objects.get(task_path="community.tasks.email_notifications")
    work()
    assert [m.to for m in mail.outbox] == [["weiyuan@example.cn"]]
    assert "查询" in mail.outbox[0].body
    waiting.refresh_from_db()
    assert waiting.status == TaskResultStatus.SUCCESSFUL
    # Run again (a retry, a requeue after a dead worker): no second mail.
    assert email_notifications.call(waiting.args_kwargs["args"][0]) == 0
    assert len(mail.outbox) == 1


def test_inline_the_notification_mail_goes_after_the_commit(
    client, notice, committee_xinghua, django_capture_on_commit_callbacks
):
    committee_xinghua.email = "weiyuan@example.cn"
    committee_xinghua.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert post_query(client, notice).status_code == 303
    assert [m.to for m in mail.outbox] == [["weiyuan@example.cn"]]
    assert not DBTaskResult.objects.exists()


def test_the_digest_command_queues_a_task_when_tasks_are_queued(queue, capsys):
    call_command("notify_digest")
    assert "Queued the digest" in capsys.readouterr().out
    assert DBTaskResult.objects.filter(task_path="community.tasks.digest").exists()
    work()
    assert DBTaskResult.objects.get(task_path="community.tasks.digest").return_value["sent"] >= 0


def _running(worker: str, started: datetime.datetime) -> DBTaskResult:
    row = flaky.enqueue(fail_times=0).db_result
    DBTaskResult.objects.filter(pk=row.pk).update(
        status=TaskResultStatus.RUNNING, started_at=started, worker_ids=[worker]
    )
    return row


def test_the_tasks_of_a_dead_worker_are_queued_again(queue, settings):
    settings.TASKS_ABANDONED_SECONDS = 900
    host = socket.gethostname()[:40]
    dead = subprocess.Popen(["true"])
    dead.wait()
    now = timezone.now()
    killed = _running(f"{host}:{dead.pid}:abcdefgh", now)  # this host, its process gone
    stale = _running("otherhost:123:abcdefgh", now - datetime.timedelta(seconds=901))
    alive_here = _running(f"{host}:{os.getpid()}:abcdefgh", now - datetime.timedelta(seconds=60))
    alive_there = _running("otherhost:123:abcdefgh", now - datetime.timedelta(seconds=60))
    assert requeue_abandoned(now) == 2
    status = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert status[killed.pk] == status[stale.pk] == TaskResultStatus.READY
    assert status[alive_here.pk] == status[alive_there.pk] == TaskResultStatus.RUNNING
    assert work() == 2 and len(CALLS) == 2  # and they run


def test_the_worker_command_names_its_host_and_process(queue):
    from cms.management.commands.db_worker import Command

    parser = Command().create_parser("manage.py", "db_worker")
    worker = parser.parse_args([]).worker_id
    assert worker.startswith(f"{socket.gethostname()[:40]}:{os.getpid()}:")
    assert len(worker) <= 64


def test_queued_the_page_is_indexed_once_per_publish(queue, xinghua):
    publish_notice(xinghua)
    asked = DBTaskResult.objects.filter(task_path="cms.tasks.index_object")
    assert asked.count() > 1  # the revision, then the publish, each saved the page
    calls = []
    from modelsearch import index

    original = index.insert_or_update_object
    index.insert_or_update_object = lambda obj: calls.append(obj.pk) or original(obj)
    try:
        work()
    finally:
        index.insert_or_update_object = original
    assert len(calls) == len(set(calls))  # each object indexed once
    assert not asked.exclude(status=TaskResultStatus.SUCCESSFUL).exists()
