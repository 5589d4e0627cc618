"""The supervision committee (村务监督委员会, village 2025 第三十七条; 居务监督委员会, urban 2025
第三十六条): its members with their terms, its opinions, its reports to the township and its
sign-off of finance notices (民主理财). Every record is versioned: the desk shows who wrote what.

The members are elected by the assembly, not appointed by the committee they watch: the list is
kept by the township's reviewers, district staff and site administrators (`may_keep_members`).
Membership of the group `监督委员会:<community>` is what grants access; a member whose term has
ended is shown as former, and the policy no longer counts the group for them (permissions.py)."""

import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords
from wagtail.models import Page, Revision

from cms.history import ActorSnapshot
from community.models.tree import CommunityPage

TEXT_LIMIT = 5000
# The parts of a notice's revision that residents read: a sign-off covers exactly these.
SIGNED_FIELDS = (
    "title",
    "category",
    "disclosure_items",
    "period",
    "summary",
    "body",
    "attachments",
    "display_from",
    "display_until",
)


def clean_text(value: str, label: str) -> str:
    """Refuse what a database or a spreadsheet would mangle: NUL, lone surrogates."""
    if "\x00" in value:
        raise ValidationError(f"{label}含有不可见的控制字符，请删除后重新输入。")
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        raise ValidationError(f"{label}含有无法识别的字符，请删除后重新输入。")
    return value


def current_q(today, prefix: str = "") -> Q:
    return Q(**{f"{prefix}term_start__lte": today}) & (
        Q(**{f"{prefix}term_end__isnull": True}) | Q(**{f"{prefix}term_end__gte": today})
    )


class SupervisionMemberQuerySet(models.QuerySet):
    def current(self, today=None):
        return self.filter(current_q(today or timezone.localdate()))


class SupervisionMember(models.Model):
    class Post(models.TextChoices):
        CHAIR = "chair", "主任"
        MEMBER = "member", "委员"

    community = models.ForeignKey(
        CommunityPage,
        on_delete=models.PROTECT,
        related_name="supervision_members",
        verbose_name="村(社区)",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervision_memberships",
        verbose_name="管理账号",
        help_text="该成员登录后台使用的账号（可不填）；账号须加入“监督委员会”用户组才能查阅。",
    )
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("职务", max_length=10, choices=Post.choices, default=Post.MEMBER)
    finance_knowledge = models.BooleanField(
        "具备财会、管理知识",
        default=False,
        help_text="村务监督委员会成员中应有具备财会、管理知识的人员。",
    )
    term_start = models.DateField("任期开始")
    term_end = models.DateField("任期结束", null=True, blank=True, help_text="留空表示尚未确定。")
    elected_by = models.CharField(
        "推选情况",
        max_length=200,
        blank=True,
        help_text="例如：2026年3月12日村民会议选举产生。",
    )

    objects = SupervisionMemberQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="监督委员会成员历史", bases=[ActorSnapshot])

    class Meta:
        verbose_name = "监督委员会成员"
        verbose_name_plural = "监督委员会成员"
        ordering = ["community", "post", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_post_display()}）"

    def clean(self) -> None:
        super().clean()
        clean_text(self.name, "姓名")
        clean_text(self.elected_by, "推选情况")
        if not self.name.strip():
            raise ValidationError({"name": "请填写姓名。"})
        if self.term_end and self.term_start and self.term_end < self.term_start:
            raise ValidationError({"term_end": "任期结束日期不能早于任期开始日期。"})

    def is_current(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.term_start <= today and (self.term_end is None or self.term_end >= today)


class SupervisionOpinion(models.Model):
    """监督意见: public ones are read by residents on the community's page and in the API; internal
    ones by the committee, the township and the district (and the supervision committee)."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", "公开"
        INTERNAL = "internal", "内部（仅村(居)委会、乡镇街道和区民政可见）"

    community = models.ForeignKey(
        CommunityPage,
        on_delete=models.PROTECT,
        related_name="supervision_opinions",
        verbose_name="村(社区)",
    )
    subject = models.CharField("事项", max_length=200)
    page = models.ForeignKey(
        Page,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="相关页面",
        help_text="意见针对的公示、议题等页面（可不选）。",
    )
    text = models.TextField("意见", max_length=TEXT_LIMIT)
    visibility = models.CharField(
        "公开范围", max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    issued_on = models.DateField("日期", default=timezone.localdate)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="提出人",
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    history = HistoricalRecords(verbose_name="监督意见历史", bases=[ActorSnapshot])

    class Meta:
        verbose_name = "监督意见"
        verbose_name_plural = "监督意见"
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return self.subject

    def clean(self) -> None:
        super().clean()
        clean_text(self.subject, "事项")
        clean_text(self.text, "意见")
        if not self.subject.strip():
            raise ValidationError({"subject": "请填写意见针对的事项。"})
        if not self.text.strip():
            raise ValidationError({"text": "请填写意见内容。"})

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC


class SupervisionReport(models.Model):
    """反映问题: the supervision committee reports to the township; the township's reviewer
    records its receipt and how it was handled."""

    community = models.ForeignKey(
        CommunityPage,
        on_delete=models.PROTECT,
        related_name="supervision_reports",
        verbose_name="村(社区)",
    )
    text = models.TextField("反映的问题", max_length=TEXT_LIMIT)
    reported_on = models.DateField("反映日期", default=timezone.localdate)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="反映人",
    )
    received_on = models.DateField("受理日期", null=True, blank=True)
    handling = models.TextField("处理情况", max_length=TEXT_LIMIT, blank=True)
    handled_on = models.DateField("办结日期", null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="经办人",
    )

    history = HistoricalRecords(verbose_name="监督委员会反映问题历史", bases=[ActorSnapshot])

    class Meta:
        verbose_name = "监督委员会反映问题"
        verbose_name_plural = "监督委员会反映问题"
        ordering = ["-reported_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.community.title} {self.reported_on:%Y-%m-%d} 反映问题"

    def clean(self) -> None:
        super().clean()
        clean_text(self.text, "反映的问题")
        clean_text(self.handling, "处理情况")
        if not self.text.strip():
            raise ValidationError({"text": "请填写反映的问题。"})

    @property
    def status(self) -> str:
        if self.handled_on:
            return "已办结"
        if self.received_on:
            return "已受理"
        return "待受理"


def revision_digest(revision: Revision) -> str:
    """What residents would read if this revision were published, as a fingerprint: the editor's
    publish button saves a new revision with the same content, and autosave overwrites a revision
    in place, so a sign-off is of the content, kept with the revision it was read in."""
    content = {key: revision.content.get(key) for key in SIGNED_FIELDS}
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode("utf-8", "surrogatepass")).hexdigest()


class FinanceSignOff(models.Model):
    """民主理财: a supervision member's sign-off (or return, with an opinion) of one revision of a
    财务公开 notice. A notice is published only in the content the latest sign-off approved."""

    class Outcome(models.TextChoices):
        SIGNED = "signed", "审核通过"
        RETURNED = "returned", "退回修改"

    community = models.ForeignKey(
        CommunityPage,
        on_delete=models.PROTECT,
        related_name="finance_signoffs",
        verbose_name="村(社区)",
    )
    # A deleted notice (or a purged revision) leaves its sign-offs on record, as history does.
    notice = models.ForeignKey(
        "community.NoticePage",
        on_delete=models.SET_NULL,
        null=True,
        related_name="finance_signoffs",
        verbose_name="财务公开",
    )
    revision = models.ForeignKey(
        Revision,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="审核的版本",
    )
    digest = models.CharField("内容指纹", max_length=64, editable=False)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices)
    member = models.ForeignKey(
        SupervisionMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signoffs",
        verbose_name="监督委员会成员",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="审核人账号",
    )
    opinion = models.TextField("审核意见", max_length=TEXT_LIMIT, blank=True)
    signed_at = models.DateTimeField("审核时间", default=timezone.now)

    history = HistoricalRecords(verbose_name="民主理财审核历史", bases=[ActorSnapshot])

    class Meta:
        verbose_name = "民主理财审核"
        verbose_name_plural = "民主理财审核"
        ordering = ["-signed_at", "-pk"]

    def __str__(self) -> str:
        title = self.notice.title if self.notice else "已删除的公示"
        return f"{title}：{self.get_outcome_display()}"

    def clean(self) -> None:
        super().clean()
        clean_text(self.opinion, "审核意见")
        if self.outcome == self.Outcome.RETURNED and not self.opinion.strip():
            raise ValidationError({"opinion": "退回修改时请写明意见。"})
