"""A model given `HistoricalRecords` but not registered with the review desk would have a history
nobody in the district can read: the system check says so."""

from django.core import checks
from simple_history.models import registered_models

from community.review import registry


@checks.register()
def every_versioned_model_is_on_the_desk(app_configs=None, **kwargs):

    problems = []
    for tracked in registered_models.values():
        if tracked._meta.app_label not in ("community", "consultation"):
            continue
        if registry.history_registry.for_model(tracked) is None:
            problems.append(
                checks.Error(
                    f"{tracked._meta.label} has HistoricalRecords but is not registered "
                    "with the review desk.",
                    hint="Register it with history_registry from its app's ready() (see consultation/desk.py).",
                    obj=tracked,
                    id="community.E801",
                )
            )
    return problems
