"""The tallies of an assembly's vote, shared by every record that holds one (a covenant revision,
a deliberation, a 四议两公开 decision), with the one rule function that checks them.

VOTE_FIELD_ROWS is the one list of the tally's fields: the step form, the revision's record page,
the API and the consultation records' admin panels all derive theirs from it."""

from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, Panel

from community.procedures import (
    MEETING_LABELS,
    MeetingKind,
    Violation,
    Vote,
    VotePurpose,
    check_vote,
)

# As the admin lays the tally out, a row each: the meeting, its dates, attendance, households,
# the votes.
VOTE_FIELD_ROWS: tuple[tuple[str, ...], ...] = (
    ("meeting_kind",),
    ("meeting_date", "notice_date"),
    ("eligible", "present", "women_present"),
    ("households", "households_represented"),
    ("votes_for", "votes_against", "abstentions"),
)
VOTE_FIELDS: tuple[str, ...] = tuple(name for row in VOTE_FIELD_ROWS for name in row)


def vote_panel(heading: str, *after: Panel, classname: str = "") -> MultiFieldPanel:
    """The tally's fields for a record's admin form, with `after` (e.g. what was resolved)."""
    rows = [
        FieldPanel(row[0]) if len(row) == 1 else FieldRowPanel([FieldPanel(n) for n in row])
        for row in VOTE_FIELD_ROWS
    ]
    return MultiFieldPanel([*rows, *after], heading=heading, classname=classname)


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
    eligible = models.PositiveIntegerField("应到人数", null=True, blank=True)
    present = models.PositiveIntegerField("到会人数", null=True, blank=True)
    households = models.PositiveIntegerField("总户数", null=True, blank=True)
    households_represented = models.PositiveIntegerField("到会代表户数", null=True, blank=True)
    women_present = models.PositiveIntegerField("到会女性人数", null=True, blank=True)
    votes_for = models.PositiveIntegerField("赞成", null=True, blank=True)
    votes_against = models.PositiveIntegerField("反对", null=True, blank=True)
    abstentions = models.PositiveIntegerField("弃权", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def has_vote(self) -> bool:
        return bool(self.meeting_kind) and self.present is not None

    def vote(self, community_kind: str, authorised: bool = False) -> Vote:
        """The tally as the rules read it: a count left empty is none."""
        return Vote(
            community_kind=community_kind,
            authorised=authorised,
            purpose=self.vote_purpose,
            **{name: getattr(self, name) for name in VOTE_FIELDS if name not in COUNT_FIELDS},
            **{name: getattr(self, name) or 0 for name in COUNT_FIELDS},
        )

    def check_vote(self, community_kind: str, authorised: bool = False) -> list[Violation]:
        return check_vote(self.vote(community_kind, authorised))

    @property
    def tally(self) -> str:
        if self.votes_for is None:
            return ""
        return (
            f"应到 {self.eligible} 人，到会 {self.present} 人；"
            f"赞成 {self.votes_for}，反对 {self.votes_against}，弃权 {self.abstentions}"
        )


# The head counts, which the rules read as 0 when left empty (the rest: the meeting and its dates).
COUNT_FIELDS: tuple[str, ...] = tuple(
    name
    for name in VOTE_FIELDS
    if isinstance(VoteRecord._meta.get_field(name), models.PositiveIntegerField)
)
