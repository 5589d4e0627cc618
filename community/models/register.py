"""A community's register: the quorum bases a vote is judged against (docs/covenants.md, Register).

Adults 18+, households, the committee's and the representatives' numbers and the 村民小组 are
entered by the committee from a source (户籍底册 of a date), every change with a reason and its
user in the history. `register_of(community)` is the one way the procedures read it; a vote stores
`snapshot()` of what it was judged against, and `register_warnings()` tells the reviewer when the
register changed shortly before the vote."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cms.display import field_text, local_date
from cms.history import ActorSnapshot
from community.models.tree import CommunityPage
from community.procedures import GroupSize, Register, Violation

# The page's columns the register keeps equal to its own (the API and the public page read them).
PAGE_COLUMNS = ("households", "adult_residents", "representatives")
# A register's values whose change may move a quorum (source and date only say where they are from).
VALUE_FIELDS = (
    "adult_residents",
    "households",
    "committee_members",
    "representatives",
    "women_representatives",
)
GROUP_FIELDS = ("name", "adults", "households")
CHANGE_WINDOW_DAYS = 90
CARRIED_OVER = "由村(社区)页面转入：户数、18周岁以上人数、代表人数（登记册启用）"


class CommunityRegister(models.Model):
    """The register of one community, as its committee keeps it."""

    community = models.OneToOneField(
        CommunityPage,
        on_delete=models.PROTECT,
        related_name="register",
        verbose_name="村/社区",
    )
    adult_residents = models.PositiveIntegerField(
        "18周岁以上村(居)民人数", help_text="村民会议、居民会议的应到人数。"
    )
    households = models.PositiveIntegerField("户数")
    committee_members = models.PositiveIntegerField(
        "村(居)民委员会成员人数", default=0, help_text="代表会议的组成人员包括委员会成员。"
    )
    representatives = models.PositiveIntegerField(
        "村(居)民代表人数", default=0, help_text="不含村(居)民委员会成员。"
    )
    women_representatives = models.PositiveIntegerField("妇女代表人数", default=0)
    source = models.CharField(
        "数据来源",
        max_length=200,
        help_text="例如：户籍底册（2026年6月30日）、第十二届村民代表名册。",
    )
    as_of = models.DateField("数据截至日期", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(verbose_name="登记册历史", bases=[ActorSnapshot])

    class Meta:
        verbose_name = "人口与代表登记册"
        verbose_name_plural = "人口与代表登记册"

    def __str__(self) -> str:
        return f"{self.community.title}登记册"

    def save(self, *args, **kwargs):
        if not getattr(self, "_change_reason", "").strip():
            raise ValidationError("登记册的每次变更都须写明变更理由。", code="reason_missing")
        super().save(*args, **kwargs)
        # The page keeps the register's numbers for its readers (API, public page), without a
        # page revision: the register is where they are edited (CommunityPage.with_content_json).
        CommunityPage.objects.filter(pk=self.community_id).update(
            households=self.households,
            adult_residents=self.adult_residents,
            representatives=self.representatives,
        )

    def clean(self) -> None:
        errors = register_errors(self, groups=None)
        if errors:
            raise ValidationError(errors)

    @property
    def members(self) -> int:
        return self.committee_members + self.representatives


class RegisterGroup(models.Model):
    """A 村民小组 (or 居民小组) of the register: a 村民小组会议's quorum base."""

    register = models.ForeignKey(
        CommunityRegister, on_delete=models.CASCADE, related_name="groups", verbose_name="登记册"
    )
    # The register's community, kept on the row so the review desk scopes its history as every
    # record's (review/registry.py).
    community = models.ForeignKey(
        CommunityPage,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name="村/社区",
    )
    name = models.CharField("小组名称", max_length=60, help_text="例如：第三村民小组。")
    adults = models.PositiveIntegerField("18周岁以上人数")
    households = models.PositiveIntegerField("户数")

    history = HistoricalRecords(verbose_name="村民小组登记历史", bases=[ActorSnapshot])

    class Meta:
        verbose_name = "村(居)民小组"
        verbose_name_plural = "村(居)民小组"
        ordering = ("id",)
        constraints = [
            models.UniqueConstraint(fields=("register", "name"), name="register_group_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not getattr(self, "_change_reason", "").strip():
            raise ValidationError("登记册的每次变更都须写明变更理由。", code="reason_missing")
        self.community_id = self.register.community_id
        super().save(*args, **kwargs)


def register_errors(register, groups) -> dict[str, list[str]]:
    """What makes a register impossible, by field (Chinese). `groups`: the groups it will have
    (name, adults, households), or None to leave them out."""
    found: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        found.setdefault(name, []).append(message)

    adults, households = register.adult_residents, register.households
    if adults is None or households is None:
        return found
    if register.women_representatives > register.representatives:
        add(
            "women_representatives",
            f"妇女代表 {register.women_representatives} 人不能多于代表 {register.representatives} 人。",
        )
    if register.committee_members + register.representatives > adults:
        add(
            "representatives",
            f"委员会成员与代表共 {register.committee_members + register.representatives} 人，"
            f"不能多于18周岁以上村(居)民 {adults} 人。",
        )
    if groups:
        names = [name for name, _, _ in groups]
        if len(set(names)) != len(names):
            add("__all__", "小组名称重复，请核对。")
        group_adults = sum(a for _, a, _ in groups)
        group_households = sum(h for _, _, h in groups)
        if group_adults > adults:
            add(
                "adult_residents",
                f"各小组18周岁以上人数合计 {group_adults} 人，多于全村(社区) {adults} 人。",
            )
        if group_households > households:
            add(
                "households",
                f"各小组户数合计 {group_households} 户，多于全村(社区) {households} 户。",
            )
    return found


def register_warnings_of_values(register, groups) -> list[str]:
    """What is possible but worth a second look before saving (shown, never refused)."""
    found = []
    if groups:
        group_adults = sum(a for _, a, _ in groups)
        if group_adults < register.adult_residents:
            found.append(
                f"各小组18周岁以上人数合计 {group_adults} 人，少于全村(社区) "
                f"{register.adult_residents} 人：是否有小组未登记？"
            )
    return found


@transaction.atomic
def save_register(
    community, user, *, reason: str, values: dict, groups: list[dict], deleted: list = ()
) -> CommunityRegister:
    """Save the register's values and groups with the user and reason on every history row.
    `groups`: dicts of name/adults/households (and `instance` for an existing group)."""
    if not reason.strip():
        raise ValidationError("请填写变更理由。", code="reason_missing")
    register = CommunityRegister.objects.filter(community=community).first()
    register = register or CommunityRegister(community=community)
    changed = register.pk is None or any(getattr(register, k) != v for k, v in values.items())
    for name, value in values.items():
        setattr(register, name, value)
    errors = register_errors(register, [(g["name"], g["adults"], g["households"]) for g in groups])
    if errors:
        raise ValidationError(errors)
    if changed:
        _stamp(register, user, reason).save()
    for group in deleted:
        _stamp(group, user, reason).delete()
    for data in groups:
        group = data.get("instance") or RegisterGroup(register=register)
        values_now = {k: data[k] for k in GROUP_FIELDS}
        if group.pk and all(getattr(group, k) == v for k, v in values_now.items()):
            continue
        for name, value in values_now.items():
            setattr(group, name, value)
        group.register = register
        _stamp(group, user, reason).save()
    return register


def _stamp(instance, user, reason: str):
    instance._history_user = user
    instance._change_reason = reason
    return instance


def register_of(community) -> Register:
    """The register's values now, as the rules read them (two queries: the register, its groups);
    a community without a register yet: its page's numbers."""
    register = (
        CommunityRegister.objects.filter(community_id=community.pk)
        .prefetch_related("groups")
        .first()
    )
    if register is None:
        return Register(
            adult_residents=community.adult_residents or 0,
            households=community.households or 0,
            representatives=community.representatives or 0,
        )
    return Register(
        adult_residents=register.adult_residents,
        households=register.households,
        committee_members=register.committee_members,
        representatives=register.representatives,
        women_representatives=register.women_representatives,
        groups=tuple(GroupSize(g.name, g.adults, g.households) for g in register.groups.all()),
        source=register.source,
    )


def snapshot(register: Register) -> dict:
    """The register's values as a vote stores them (JSON)."""
    return {
        "adult_residents": register.adult_residents,
        "households": register.households,
        "committee_members": register.committee_members,
        "representatives": register.representatives,
        "women_representatives": register.women_representatives,
        "groups": [
            {"name": g.name, "adults": g.adults, "households": g.households}
            for g in register.groups
        ],
        "source": register.source,
    }


# Reading the history


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: object
    new: object
    model_field: models.Field | None = field(default=None, compare=False, repr=False)

    @property
    def old_text(self) -> str:
        return _shown(self.model_field, self.old)

    @property
    def new_text(self) -> str:
        return _shown(self.model_field, self.new)

    def __str__(self) -> str:
        return f"{self.label} {self.old_text} → {self.new_text}"


@dataclass(frozen=True)
class RegisterChange:
    """One history row of the register or of a group, as the reviewer reads it."""

    when: datetime.datetime
    actor: str
    kind: str  # 建立, 修改, 删除
    what: str  # 登记册, or the group's name
    reason: str
    source: str
    changes: tuple[FieldChange, ...] = field(default=())
    history_type: str = "~"
    by_user: bool = True

    @property
    def moves_quorum(self) -> bool:
        """Could this row change what a vote is judged against? A group added, changed or
        removed, or a value changed; not the register's first entry carried over or seeded
        without a user (the migration, the demo), and not a change of the source alone."""
        if self.history_type == "+" and not self.by_user:
            return False
        if self.what == "登记册" and self.history_type == "~":
            return any(c.label in _VALUE_LABELS for c in self.changes)
        return True

    def describe(self) -> str:
        changes = "、".join(str(c) for c in self.changes) or self.kind
        who = self.actor or "系统"
        when = local_date(timezone.localtime(self.when))
        return f"{when} {who}：{self.what}{changes}；理由：{self.reason or '（未填写）'}"


def _shown(field: models.Field | None, value) -> str:
    """A register value as the history shows it (cms.display.field_text: dates in one format)."""
    if value in (None, ""):
        return "（空）"
    return field_text(field, value) if field is not None else str(value)


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


_VALUE_LABELS = frozenset(_label(CommunityRegister, n) for n in VALUE_FIELDS)
_REGISTER_SHOWN = (*VALUE_FIELDS, "source", "as_of")
_KINDS = {"+": "建立", "~": "修改", "-": "删除"}


def register_history(community, *, since: datetime.datetime | None = None) -> list[RegisterChange]:
    """Every change of the community's register and its groups, newest first (two queries);
    with `since`, only those made from then on."""
    entries = []
    register_rows = CommunityRegister.history.filter(community_id=community.pk).select_related(
        "history_user"
    )
    group_rows = RegisterGroup.history.filter(community_id=community.pk).select_related(
        "history_user"
    )
    for model, rows, names in (
        (CommunityRegister, register_rows, _REGISTER_SHOWN),
        (RegisterGroup, group_rows, GROUP_FIELDS),
    ):
        previous_of: dict[int, object] = {}
        for row in rows.order_by("history_id"):  # as written: each row's previous state
            previous = previous_of.get(row.id)
            previous_of[row.id] = row
            if row.history_type == "~" and previous is not None:
                shown = [n for n in names if getattr(previous, n) != getattr(row, n)]
            elif row.history_type == "+":
                shown = [n for n in names if n != "name" and getattr(row, n) not in (None, "")]
            else:
                shown = []
            old = previous if row.history_type == "~" else None
            changes = tuple(
                FieldChange(
                    _label(model, n),
                    getattr(old, n) if old else None,
                    getattr(row, n),
                    model._meta.get_field(n),
                )
                for n in shown
            )
            if row.history_type == "~" and not changes:
                continue  # saved without a change
            entries.append(
                RegisterChange(
                    when=row.history_date,
                    actor=row.actor,
                    kind=_KINDS[row.history_type],
                    what="登记册" if model is CommunityRegister else f"小组“{row.name}”",
                    reason=row.history_change_reason or "",
                    source=getattr(row, "source", ""),
                    changes=changes,
                    history_type=row.history_type,
                    by_user=row.history_user_id is not None,
                )
            )
    entries = [e for e in entries if since is None or e.when >= since]
    return sorted(entries, key=lambda e: e.when, reverse=True)


def window_start(meeting_date: datetime.date) -> datetime.datetime:
    day = meeting_date - datetime.timedelta(days=CHANGE_WINDOW_DAYS)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def register_warnings(
    community, meeting_date: datetime.date, when_recorded: datetime.datetime
) -> list[Violation]:
    """A warning for each change of the register (or a group) between 90 days before the meeting
    and the vote's recording: the reviewer checks the vote was judged against the right numbers."""
    start = window_start(meeting_date)
    return [
        Violation(
            "register_changed",
            f"登记册在表决前{CHANGE_WINDOW_DAYS}日内至表决登记时有变更（{change.describe()}），"
            "请审核人员核实表决所依据的登记数据。",
            "eligible",
            warning=True,
        )
        for change in reversed(register_history(community, since=start))
        if change.when <= when_recorded and change.moves_quorum
    ]
