"""The tallies of an assembly's vote, shared by every record that holds one (a covenant revision,
a deliberation, a 四议两公开 decision), with the one rule function that checks them.

VOTE_FIELD_ROWS is the one list of the tally's fields: the step form, the revision's record page,
the API and the consultation records' admin panels all derive theirs from it."""

from dataclasses import replace

from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, Panel

from community.law import Provision
from community.models.register import register_of
from community.procedures import (
    MEETING_LABELS,
    REPRESENTATIVES,
    MatterKind,
    MeetingKind,
    Register,
    Violation,
    Vote,
    VotePurpose,
    check_vote,
    legal_basis,
    quorum,
)

# As the admin lays the tally out, a row each: the meeting, its dates, attendance, households,
# the votes.
VOTE_FIELD_ROWS: tuple[tuple[str, ...], ...] = (
    ("meeting_kind",),
    ("meeting_date", "notice_date"),
    ("short_notice_reason",),
    ("authorisation",),
    ("eligible", "present", "women_present"),
    ("households", "households_represented"),
    ("group_representatives",),
    ("votes_for", "votes_against", "abstentions"),
)
VOTE_FIELDS: tuple[str, ...] = tuple(name for row in VOTE_FIELD_ROWS for name in row)


def vote_panel(
    heading: str, *after: Panel, before: tuple[Panel, ...] | list[Panel] = (), classname: str = ""
) -> MultiFieldPanel:
    """The tally's fields for a record's admin form, with `before` (what the vote is about) and
    `after` (e.g. what was resolved)."""
    rows = [
        FieldPanel(row[0]) if len(row) == 1 else FieldRowPanel([FieldPanel(n) for n in row])
        for row in VOTE_FIELD_ROWS
    ]
    return MultiFieldPanel([*before, *rows, *after], heading=heading, classname=classname)


class VoteRecord(models.Model):
    # Each record says what its vote decides, which chooses the rules (procedures.VOTE_RULES).
    vote_purpose: VotePurpose = VotePurpose.COVENANT

    meeting_kind = models.CharField(
        "会议类型",
        max_length=30,
        blank=True,
        choices=[(k.value, MEETING_LABELS[k]) for k in MeetingKind],
    )
    meeting_date = models.DateField("会议日期", null=True, blank=True)
    notice_date = models.DateField("会议通知日期", null=True, blank=True)
    short_notice_reason = models.TextField(
        "临时通知理由",
        blank=True,
        help_text="提前不足十日通知的，写明遇有的特殊情况（2026年起法律允许），公开记录中显示。",
    )
    authorisation = models.CharField(
        "会议授权",
        max_length=200,
        blank=True,
        help_text="由村(居)民代表会议表决的，填写村(居)民会议的授权决议：会议名称、日期或文号。",
    )
    eligible = models.PositiveIntegerField("应到人数", null=True, blank=True)
    present = models.PositiveIntegerField("到会人数", null=True, blank=True)
    households = models.PositiveIntegerField("总户数", null=True, blank=True)
    households_represented = models.PositiveIntegerField("到会代表户数", null=True, blank=True)
    women_present = models.PositiveIntegerField("到会女性人数", null=True, blank=True)
    group_representatives = models.PositiveIntegerField(
        "居民小组代表人数",
        null=True,
        blank=True,
        help_text="仅用于2026年以前由居民小组选举的代表参加的居民会议：代表总数。",
    )
    votes_for = models.PositiveIntegerField("赞成", null=True, blank=True)
    votes_against = models.PositiveIntegerField("反对", null=True, blank=True)
    abstentions = models.PositiveIntegerField("弃权", null=True, blank=True)
    # The register's values the vote was judged against, as they were on the day it was recorded
    # (community.models.register.register_of): a later register change does not rewrite them.
    register_snapshot = models.JSONField("登记册数据", default=dict, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def has_vote(self) -> bool:
        return bool(self.meeting_kind) and self.present is not None

    def vote_context(self) -> dict:
        """What the record knows of the vote beyond the tally (the Party's discussion, the
        matter, the group), as `Vote` fields."""
        return {}

    def vote(self, community, register: Register | None = None) -> Vote:
        """The tally as the rules read it, against the community's register: a count left empty
        is none."""
        return Vote(
            community_kind=community.kind,
            authorised=bool(self.authorisation.strip()),
            register=register_of(community) if register is None else register,
            purpose=self.vote_purpose,
            **{
                name: getattr(self, name)
                for name in VOTE_FIELDS
                if name not in COUNT_FIELDS and name != "authorisation"
            },
            **{name: getattr(self, name) or 0 for name in COUNT_FIELDS},
            **self.vote_context(),
        )

    def check_vote(self, community) -> list[Violation]:
        return check_vote(self.vote(community))

    @property
    def legal_basis(self) -> list[Provision]:
        """The articles this vote was judged by on its day (community.law): they depend on its
        kind, day, purpose and matter only, so no register and no query (居民… meetings are
        urban)."""
        if not self.meeting_kind:
            return []
        return legal_basis(
            Vote(
                meeting_kind=self.meeting_kind,
                community_kind="urban" if self.meeting_kind.startswith("residents") else "village",
                eligible=0,
                present=0,
                votes_for=0,
                meeting_date=self.meeting_date,
                purpose=self.vote_purpose,
                matter=getattr(self, "matter", MatterKind.ORDINARY),
            )
        )

    @property
    def quorum_basis(self) -> str:
        """The count the quorum was met on, as the public record states it, so that a vote
        carried by its household representatives is not read as inquorate from its head count:
        到会 N 人 / 应到 M 人, 到会户代表 N 户 / 总户数 M 户, or 到会代表 N 人 / 应到 M 人 at a
        representatives' meeting. Which one is asked of the quorum rule itself
        (community.procedures.quorum), each route alone; "" when no route was met or nothing
        was counted."""
        if not self.meeting_kind or self.present is None:
            return ""
        counts = {name: getattr(self, name) or 0 for name in COUNT_FIELDS}
        vote = Vote(
            meeting_kind=self.meeting_kind,
            community_kind="urban" if self.meeting_kind.startswith("residents") else "village",
            meeting_date=self.meeting_date,
            purpose=self.vote_purpose,
            **counts,
        )
        present, eligible = counts["present"], counts["eligible"]
        if self.meeting_kind in REPRESENTATIVES:
            by_persons = f"到会代表 {present} 人 / 应到 {eligible} 人"
        else:
            by_persons = f"到会 {present} 人 / 应到 {eligible} 人"
        households, represented = counts["households"], counts["households_represented"]
        groups = counts["group_representatives"]
        routes = (  # (counted at all, the vote on this route alone, how the record says it)
            (
                eligible,
                replace(vote, households_represented=0, group_representatives=0),
                by_persons,
            ),
            (
                households,
                replace(vote, present=0, group_representatives=0),
                f"到会户代表 {represented} 户 / 总户数 {households} 户",
            ),
            (
                groups,
                replace(vote, eligible=groups, households_represented=0),
                f"到会 {present} 人 / 居民小组代表 {groups} 人",
            ),
        )
        if vote.body_law is None:
            return ""
        for counted, alone, text in routes:
            if counted and not quorum(alone):
                return text
        return ""

    @property
    def legal_basis_text(self) -> str:
        """The articles as one line, for exports and the print view."""
        return "；".join(p.citation for p in self.legal_basis)

    @property
    def tally(self) -> str:
        if self.votes_for is None:
            return ""
        # The body the quorum was counted on: a 2018 居民会议 of 居民小组 representatives counts
        # them, not the adults; the households route says how many households were represented.
        if self.group_representatives:
            head = f"应到居民小组代表 {self.group_representatives} 人，到会 {self.present} 人"
        elif self.households_represented:
            head = (
                f"应到 {self.eligible} 人，到会 {self.present} 人"
                f"，代表 {self.households} 户中的 {self.households_represented} 户"
            )
        else:
            head = f"应到 {self.eligible} 人，到会 {self.present} 人"
        return f"{head}；赞成 {self.votes_for}，反对 {self.votes_against}，弃权 {self.abstentions}"


# The head counts, which the rules read as 0 when left empty (the rest: the meeting and its dates).
COUNT_FIELDS: tuple[str, ...] = tuple(
    name
    for name in VOTE_FIELDS
    if isinstance(VoteRecord._meta.get_field(name), models.PositiveIntegerField)
)
