"""A stored value as a person reads it (docs/review-desk.md, history): a choice by its label, a
boolean as 是/否, a user by their name in Chinese order (姓名), a Wagtail revision by when it was
saved, a date or time in local time in one format. Every history and diff (the revision's
timeline, the review desk, the register's change log) shows values through `field_text`, so none
of them shows `soliciting`, `True`, `+00:00` or a bare user id.

Django's `User.get_full_name()` puts the given name first with a space ("秀兰 李"); Wagtail's
admin names users through it everywhere (its user display, listings, logs, revisions), so
`name_users_in_chinese_order()` makes it the family name first, without a space."""

from __future__ import annotations

import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from wagtail.models import Revision

# One format for a day and a moment, as the site's templates print them (date:"Y年n月j日").
DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
YES, NO = "是", "否"


def full_name(user) -> str:
    """姓名: family name then given name, no space ("李秀兰"); empty when neither is set."""
    return f"{user.last_name}{user.first_name}".strip()


def person_name(user) -> str:
    """How the admin names a user: 姓名, or the user name where none is set."""
    if user is None:
        return ""
    return full_name(user) or user.get_username()


def local_date(day: datetime.date) -> str:
    """2026年12月5日 (no leading zeros, as the public pages print dates)."""
    return f"{day.year}年{day.month}月{day.day}日"


def local_datetime(moment: datetime.datetime) -> str:
    """2026年12月1日 16:11, in the site's time zone."""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{local_date(moment)} {moment:%H:%M}"


def revision_text(revision: Revision) -> str:
    """A Wagtail revision (a saved draft) by when it was saved."""
    return f"草稿（{local_datetime(revision.created_at)} 保存）"


def object_text(obj) -> str:
    """A related object: a user by name, a revision by its time, anything else by its title."""
    if isinstance(obj, AbstractBaseUser):
        return person_name(obj)
    if isinstance(obj, Revision):
        return revision_text(obj)
    return str(getattr(obj, "title", None) or obj)


def field_text(field: models.Field, value, related: dict | None = None) -> str:
    """`value` of model field `field` as text; "" for no value. A foreign key's value may be
    the object or its id: an id is looked up in `related` ({(model, pk): text}) or, failing
    that, in the database."""
    if value is None or value == "":
        return ""
    if isinstance(field, models.BooleanField):
        return YES if value else NO
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        if isinstance(value, models.Model):
            return object_text(value)
        model = field.related_model
        if related is not None and (model, value) in related:
            return related[(model, value)]
        found = model._default_manager.filter(pk=value).first()
        return (
            object_text(found) if found is not None else f"（已删除的{model._meta.verbose_name}）"
        )
    if isinstance(value, datetime.datetime):
        return local_datetime(value)
    if isinstance(value, datetime.date):
        return local_date(value)
    return str(value)


def _chinese_full_name(self) -> str:
    return full_name(self)


def name_users_in_chinese_order() -> None:
    """Every `get_full_name()` (Wagtail's user display, Django's admin) gives 姓名."""
    AbstractUser.get_full_name = _chinese_full_name
