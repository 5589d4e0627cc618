"""The review desk's registry: each app registers its figures and versioned models from its
ready(), in report order, and a series nobody registered is a clear configuration error."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from community.review.registry import FigureRegistry, figure_registry, history_registry


def test_both_apps_registered_their_figures_in_report_order():
    assert [f.key for f in figure_registry] == [
        "consultations_held", "covenants_revised", "covenants_filed", "experiences_featured",
        "queries_received", "queries_escalated",
    ]  # fmt: skip
    keys = {entry.label for entry in history_registry}
    assert {
        "consultation.Deliberation",
        "consultation.Decision",
        "community.CovenantRevision",
    } <= keys


def test_a_series_nobody_registered_says_who_should():
    empty = FigureRegistry()
    with pytest.raises(ImproperlyConfigured, match=r"AppConfig\.ready"):
        empty.series("consultations_per_month")
    empty.register("b", "B", lambda c, p: 2, order=20)
    empty.register("a", "A", lambda c, p: 1, order=10)
    assert [f.key for f in empty] == ["a", "b"]
