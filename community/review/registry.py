"""What the review desk shows: the versioned models (history view, audit log, scope rules are the
same for all of them) and the figures of the dashboard and the report. Each app registers its own
from its AppConfig.ready() (community here, consultation in consultation/desk.py), so the desk
never imports the apps above it."""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.urls import reverse

CHANGE_TYPES = {"+": "创建", "~": "修改", "-": "删除"}
BOOKKEEPING_FIELDS = frozenset({"id", "created_at", "updated_at"})


@dataclass(frozen=True)
class VersionedModel:
    """A model with `HistoricalRecords` and a `community` (the scope every role is checked on)."""

    label: str  # "app_label.ModelName"
    title_path: str  # dotted path, on a history row, to what the record is called
    community_field: str = "community"
    hidden: frozenset = field(default=BOOKKEEPING_FIELDS)
    # The policy's method giving the communities whose rows the user may read (`communities`:
    # every community the user may see).
    scope: str = "communities"
    # Fields only the record's committee reads in the history (e.g. the words of an opinion that
    # was never published): left out of the diff for every other reader.
    committee_only: frozenset = frozenset()

    @property
    def key(self) -> str:
        return self.label.lower()

    @cached_property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)

    @property
    def history_model(self) -> type[models.Model]:
        return self.model.history.model

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def related_for_title(self) -> list[str]:
        head = self.title_path.rsplit(".", 1)[0]
        return [head.replace(".", "__")] if "." in self.title_path else []

    def diff_fields(self, committee: bool = True) -> list[str]:
        """Every tracked field but bookkeeping, editable or not (publishing is a change too);
        without the committee-only ones for a reader who is not of the record's committee."""
        hidden = self.hidden if committee else self.hidden | self.committee_only
        return [
            f.name
            for f in self.history_model.tracked_fields
            if f.name not in hidden and not f.name.startswith("history_")
        ]

    def title_of(self, row) -> str:
        value = row
        for part in self.title_path.split("."):
            value = getattr(value, part, None)
            if value is None:
                return f"{self.verbose_name} #{row.id}"
        return str(value)

    def history_url(self, object_id: int) -> str:
        return reverse("review_history", args=(self.key, object_id))


class HistoryRegistry:
    def __init__(self):
        self._entries: dict[str, VersionedModel] = {}

    def register(
        self,
        label: str,
        *,
        title_path: str,
        community_field: str = "community",
        scope: str = "communities",
        committee_only: frozenset | set = frozenset(),
    ):
        entry = VersionedModel(
            label,
            title_path,
            community_field,
            scope=scope,
            committee_only=frozenset(committee_only),
        )
        self._entries[entry.key] = entry
        return entry

    def get(self, key: str) -> VersionedModel | None:
        return self._entries.get(key.lower())

    def for_model(self, model) -> VersionedModel | None:
        return self._entries.get(model._meta.label_lower)

    def __iter__(self):
        return iter(self._entries.values())

    def choices(self) -> list[tuple[str, str]]:
        return [(entry.key, entry.verbose_name) for entry in self]


@dataclass(frozen=True)
class Figure:
    """One number of the half-year report: `count(communities, period)`; `order` places it."""

    key: str
    label: str
    order: int
    count: Callable


class FigureRegistry:
    """The half-year figures, in report order, and the named series (tables, lists) that an app
    above the desk computes over the viewer's communities."""

    def __init__(self):
        self._figures: dict[str, Figure] = {}
        self._series: dict[str, Callable] = {}

    def register(self, key: str, label: str, count: Callable, *, order: int) -> Figure:
        figure = Figure(key, label, order, count)
        self._figures[key] = figure
        return figure

    def register_series(self, key: str, compute: Callable) -> None:
        self._series[key] = compute

    def __iter__(self):
        return iter(sorted(self._figures.values(), key=lambda f: f.order))

    def series(self, key: str) -> Callable:
        try:
            return self._series[key]
        except KeyError:
            raise ImproperlyConfigured(
                f"The review desk has no series {key!r}: the app that computes it registers it "
                "from its AppConfig.ready()."
            ) from None


history_registry = HistoryRegistry()
figure_registry = FigureRegistry()
