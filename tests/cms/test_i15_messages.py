"""Django's own validation messages as a resident or a committee member reads them (issue 15 item
4): its zh_Hans catalogue says "不允许是用空字符串" for a NUL and "确保该变量包含不超过…" for a long
text; the project's catalogue (locale/zh_Hans) says what happened in plain words."""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils import translation


class Opinion(forms.Form):
    text = forms.CharField(max_length=5000, min_length=2)


def _errors(value: str) -> list[str]:
    with translation.override("zh-hans"):
        form = Opinion(data={"text": value})
        form.is_valid()
        return [str(message) for message in form.errors["text"]]


def test_a_text_too_long_says_how_many_characters_in_plain_words():
    assert _errors("意" * 100_000) == ["最多 5000 个字，现在有 100000 个字。"]


def test_a_text_too_short_says_how_many_characters_in_plain_words():
    assert _errors("意") == ["至少 2 个字，现在有 1 个字。"]


def test_a_nul_is_named_as_what_it_is():
    with translation.override("zh-hans"):
        message = str(ProhibitNullCharactersValidator.message)
    assert message == "不能包含空字符（NUL），请删去后再提交。"
    assert "变量" not in "".join(_errors("x" * 6000)) and "空字符串" not in message
