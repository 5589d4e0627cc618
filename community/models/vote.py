"""The tallies of an assembly's vote, shared by every record that holds one (a covenant revision,
a deliberation, a 四议两公开 decision), with the one rule function that checks them."""

from django.db import models

from community.procedures import MEETING_LABELS, MeetingKind, Violation, Vote, check_vote

VOTE_FIELDS = (
    "meeting_kind", "meeting_date", "notice_date", "eligible", "present", "households",
    "households_represented", "women_present", "votes_for", "votes_against", "abstentions",
)  # fmt: skip


class VoteRecord(models.Model):
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
        return Vote(
            meeting_kind=self.meeting_kind,
            community_kind=community_kind,
            eligible=self.eligible or 0,
            present=self.present or 0,
            votes_for=self.votes_for or 0,
            votes_against=self.votes_against or 0,
            abstentions=self.abstentions or 0,
            households=self.households or 0,
            households_represented=self.households_represented or 0,
            women_present=self.women_present or 0,
            meeting_date=self.meeting_date,
            notice_date=self.notice_date,
            authorised=authorised,
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
