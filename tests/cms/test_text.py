"""Text the product stores is text: every admin form (pages, records, procedure steps) refuses a
control character or a lone surrogate with a form error in Chinese, the rule of cms/text.py."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.panels import get_form_for_model
from wagtail.models import get_page_models

from cms.text import displayable, text_problem
from community.forms import WithdrawForm
from consultation.models import Decision

pytestmark = pytest.mark.django_db
MESSAGE = "无法识别的字符"


@pytest.mark.parametrize(
    "value, bad",
    [
        ("协商议题", False),
        ("一\t二\n三\r\n", False),
        ("a\x00b", True),
        ("a\x07b", True),
        ("a\x1fb", True),
        ("a\ud800b", True),
        ("\udfff", True),
        (["好", "a\x00"], True),
        (3, False),
    ],
)
def test_text_problem(value, bad):
    assert bool(text_problem(value)) is bad


def test_displayable_replaces_what_is_not_text():
    assert displayable({"k": ["a\ud800", "b\x00"]}) == {"k": ["a\ufffd", "b\ufffd"]}


@pytest.mark.parametrize("value", ["a\x00b", "a\x07b", "a\ud800b"])
def test_every_page_types_title_refuses_bad_text(value):
    for model in get_page_models():
        if model._meta.abstract or not model.is_creatable:
            continue
        form_class = model.get_edit_handler().get_form_class()
        form = form_class(instance=model(), for_user=None)
        with pytest.raises(ValidationError, match=MESSAGE):
            form.fields["title"].clean(value)


@pytest.mark.parametrize("value", ["a\x00b", "a\x1bb", "a\ud800b"])
def test_an_admin_record_form_refuses_bad_text(value):
    form_class = get_form_for_model(Decision, form_class=WagtailAdminModelForm, fields=["title"])
    form = form_class(data={"title": value})
    assert not form.is_valid() and MESSAGE in " ".join(form.errors["title"])


def test_a_procedure_step_refuses_bad_text():
    form = WithdrawForm({"reason": "撤回\x07"})
    assert not form.is_valid() and MESSAGE in " ".join(form.errors["reason"])
    assert WithdrawForm({"reason": "撤回，\n重新征集。"}).is_valid()
