"""A date shown in an <input type="date"> must be ISO (YYYY-MM-DD): the browser leaves the field
empty for the zh-hans format (2026/06/30), and saving the form then erases the date."""

import datetime
import re

import pytest
from django.utils import translation

from community.forms import FilingForm, PublishForm, StartForm
from community.models import CommunityPage
from community.register_admin import RegisterForm
from community.review.report import PeriodForm

D = datetime.date


def _value(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    assert 'type="date"' in tag
    return re.search(r'value="([^"]*)"', tag).group(1)


@pytest.mark.django_db
def test_the_register_form_shows_its_data_date_so_a_save_keeps_it(shiqiao):
    form = RegisterForm(instance=shiqiao.register)
    form.initial["as_of"] = D(2026, 6, 30)
    with translation.override("zh-hans"):
        assert _value(str(form["as_of"]), "as_of") == "2026-06-30"


@pytest.mark.parametrize(
    ("form", "name"),
    [(StartForm, "started_on"), (FilingForm, "filed_on"), (PublishForm, "published_on")],
)
def test_step_forms_show_their_suggested_dates_in_iso(form, name):
    with translation.override("zh-hans"):
        value = _value(str(form(initial={name: D(2026, 12, 1)})[name]), name)
    assert value == "2026-12-01"


def test_the_report_period_shows_iso_dates():
    with translation.override("zh-hans"):
        assert _value(
            str(
                PeriodForm(
                    initial={"start": D(2026, 1, 1)}, communities=CommunityPage.objects.none()
                )["start"]
            ),
            "start",
        ) == ("2026-01-01")
