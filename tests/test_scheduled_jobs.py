"""The crontab in docs/operations.md is the operator's one list of scheduled jobs: every line runs a
command that exists, with arguments it accepts, and every command of ours is either on it or named
here as not scheduled (with why), so a new periodic command cannot be forgotten."""

import re
import shlex
from pathlib import Path

from django.core.management import get_commands, load_command_class
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
OUR_APPS = ("cms", "community", "consultation", "home")

# Commands that are run by hand or as a service, never from cron.
NOT_SCHEDULED = {
    "db_worker": "the task worker is a service (deployment.md § Background tasks)",
    "quickstart": "sets up and serves the embedded default",
    "seed_demo": "loads the demo district",
    "sync_roles": "run once per release, after migrate (deployment.md)",
}
# Commands of installed packages that must be scheduled all the same.
SCHEDULED_FROM_PACKAGES = {"prune_db_task_results"}


def crontab_commands() -> list[list[str]]:
    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- crontab -->\n```cron\n(.*?)```", text, re.S)
    assert block, "docs/operations.md has no crontab block"
    lines = [line for line in block.group(1).splitlines() if line and not line.startswith("#")]
    commands = []
    for line in lines:
        words = shlex.split(line.split(None, 5)[5])  # past the five time fields
        commands.append(words[words.index("manage.py") + 1 :])
    return commands


# prune_db_task_results takes only a database queue's backend; the crontab is for TASKS_BACKEND=database.
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_every_crontab_line_runs_a_command_that_exists_with_arguments_it_accepts():
    available = get_commands()
    commands = crontab_commands()
    assert commands
    for name, *args in commands:
        assert name in available, f"{name} is in the crontab but is no command"
        parser = load_command_class(available[name], name).create_parser("manage.py", name)
        parser.parse_args(args)  # raises CommandError on an argument the command does not take


def test_every_command_of_ours_is_scheduled_or_said_not_to_be():
    ours = {name for name, app in get_commands().items() if app in OUR_APPS}
    scheduled = {name for name, *_ in crontab_commands()}
    forgotten = ours - scheduled - set(NOT_SCHEDULED)
    assert not forgotten, (
        f"neither in docs/operations.md's crontab nor in NOT_SCHEDULED: {forgotten}"
    )
    assert not scheduled & set(NOT_SCHEDULED)
    assert scheduled >= SCHEDULED_FROM_PACKAGES
