"""Django's own validation messages as a resident or a committee member reads them (issue 15 item
4): its zh_Hans catalogue says "不允许是用空字符串" for a NUL and "确保该变量包含不超过…" for a long
text; the project's catalogue (locale/zh_Hans) says what happened in plain words."""

import pytest
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils import translation

from community.models import NoticeIndexPage, NoticePage


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


@pytest.mark.django_db
def test_a_slug_taken_by_an_unfinished_draft_says_where_to_find_it(committee_xinghua):
    """Wagtail 8 autosaves a new page as a draft once something is typed, so a committee member who
    leaves and starts the same notice again meets a taken slug: the message says it may be that
    draft and where to continue it."""
    notices = NoticeIndexPage.objects.get(url_path__endswith="/xinghua/notices/")
    notices.add_child(instance=NoticePage(title="冬季防火通知", slug="dongji", live=False))
    form_class = NoticePage.get_edit_handler().get_form_class()
    with translation.override("zh-hans"):
        form = form_class(
            {
                "title": "冬季防火通知",
                "slug": "dongji",
                "body-count": "0",
                "attachments-count": "0",
            },
            instance=NoticePage(),
            parent_page=notices,
            for_user=committee_xinghua,
        )
        form.is_valid()
        messages = [str(m) for m in form.errors.get("slug", [])]
    assert any("可能是您之前没有完成、已自动保存的草稿" in m for m in messages), messages
