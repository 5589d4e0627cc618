"""Demo consultations: every community gets an agenda in each status, with its records and
updates, and every village one 四议两公开 decision through all six steps. Idempotent."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from community.demo_profiles import profile_of
from community.models import CommunityPage, CovenantRevision, Role
from community.models.register import register_of
from consultation.models import (
    CommunityFormField,
    CommunityFormPage,
    CommunityFormSubmission,
    ConsultationIndexPage,
    ConsultationPage,
    Decision,
    Deliberation,
    ImplementationUpdate,
)

# The demo statuses, one per topic of each community's profile (community/demo_profiles.py).
STATUSES = (None, "announced", "deliberated", "implementing", "done")
PARTIES = {
    "village": [
        ("村(社区)党组织", 3),
        ("村(居)民委员会", 5),
        ("村(居)民小组", 9),
        ("户籍居民", 20),
    ],
    "urban": [
        ("村(社区)党组织", 3),
        ("村(居)民委员会", 5),
        ("业主委员会", 3),
        ("物业服务企业", 2),
        ("户籍居民", 25),
    ],
}


def _committee(community: CommunityPage):
    User = get_user_model()
    role = Role.objects.filter(kind=Role.Kind.COMMITTEE, page=community).first()
    return User.objects.filter(groups=role.group).first() if role else None


def _record(model, user, reason, **fields):
    record = model(**fields)
    record._history_user = user
    record._change_reason = reason
    record.save()
    return record


def seed_consultations() -> None:
    """Each community's five agendas (one per status) from its profile, dated by its `lag`."""
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for community in CommunityPage.objects.order_by("path"):
        index = ConsultationIndexPage.objects.child_of(community).first()
        profile = profile_of(community)
        if index is None or profile is None or index.get_children().exists():
            continue
        user = _committee(community)
        lag = datetime.timedelta(days=profile.lag)
        # Villages meet in the evening after the fields, urban communities in the afternoon.
        meets = timezone.localtime(now).replace(hour=19 if community.kind == "village" else 14)
        topics = zip(profile.topics, STATUSES, strict=True)
        for n, ((title, background), status) in enumerate(topics, start=1):
            starts_at = None
            if status == "announced":
                starts_at = meets + datetime.timedelta(days=10) + lag
            elif status:
                starts_at = meets - datetime.timedelta(days={3: 45, 4: 75, 5: 110}[n]) - lag
            agenda = ConsultationPage(
                title=title,
                slug=f"topic-{n}",
                background=f"<p>{background}</p>",
                form=ConsultationPage.Form.COUNCIL if n % 2 else ConsultationPage.Form.DIALOGUE,
                starts_at=starts_at,
                place=profile.place,
                parties=[
                    {"type": "party", "value": {"category": c, "count": k}}
                    for c, k in PARTIES[community.kind]
                ],
                first_published_at=(starts_at - datetime.timedelta(days=7))
                if starts_at
                else now - lag,
                owner=user,
            )
            index.add_child(instance=agenda)
            agenda.agenda_items.create(title="通报议题背景和前期意见征集情况", sort_order=0)
            agenda.agenda_items.create(title="各方发表意见", sort_order=1)
            agenda.agenda_items.create(title="形成协商意见", sort_order=2)
            agenda.save_revision(user=user).publish(user=user)
            if status in (None, "announced"):
                continue
            record = _record(
                Deliberation, user, "录入协商记录",
                agenda=agenda, held_at=starts_at, chair=profile.chair, recorder=profile.recorder,
                outcome="经充分协商，同意按修改后的方案实施，由委员会负责落实并定期反馈。",
                attendance=[{"type": "attendance", "value": {"category": c, "count": k}} for c, k in PARTIES[community.kind]],
                opinions=[
                    {"type": "opinion", "value": {"speaker_category": c, "speaker_name": name, "stance": s, "summary": text}}
                    for c, name, s, text in profile.opinions
                ],
            )  # fmt: skip
            record.publish(user)
            if status == "deliberated":
                continue
            checkers = "村民代表" if community.kind == "village" else "居民代表"
            steps = [("in_progress", "已确定实施方案，正在组织施工（采购）。", 7)]
            if status == "done":
                steps.append(
                    ("done", f"已全部完成，经{checkers}验收，费用明细已在公开栏公示。", 30)
                )
            for update_status, text, days in steps:
                update = _record(
                    ImplementationUpdate, user, "录入落实反馈",
                    agenda=agenda, date=(starts_at + datetime.timedelta(days=days)).date(), status=update_status, text=text,
                )  # fmt: skip
                update.publish(user)
        if community.kind == "village" and profile.decision:
            _seed_decision(community, user, now.date(), profile.decision)


def _seed_decision(
    community: CommunityPage, user, today: datetime.date, assets: tuple[str, str, str, str]
) -> None:
    if Decision.objects.filter(community=community).exists():
        return
    start = today - datetime.timedelta(days=90)
    day = lambda n: start + datetime.timedelta(days=n)  # noqa: E731
    members = register_of(community).members
    adults, households = community.adult_residents, community.households
    authorisation = f"{start.year}年1月村民会议授权村民代表会议讨论决定集体资产经营事项的决议"
    # Collective assets (村委会 acting for the collective economic organisation): two thirds of
    # all representatives (农村集体经济组织法第二十八条).
    title, summary, outcome, result = assets
    _save_decision(user, Decision(
        community=community,
        title=title,
        summary=summary,
        matter="collective_assets",
        proposal_on=day(0), proposal_participants=7, proposal_outcome="村党组织提出公开招租的初步方案。",
        discussion_on=day(5), discussion_participants=9, discussion_outcome="两委会议商议，明确底价和招租方式。",
        party_review_on=day(12), party_review_participants=38, party_review_outcome="党员大会审议通过。",
        meeting_kind="village_representatives", meeting_date=day(20), authorisation=authorisation,
        eligible=members, present=members - 3, women_present=(members - 3) // 3 + 1,
        votes_for=members - 6, votes_against=1, abstentions=2,
        resolution_outcome=outcome,
        resolution_published_on=day(22), resolution_published_participants=0,
        resolution_published_outcome="决议在村务公开栏和本平台公示7天。",
        result_published_on=day(60), result_published_participants=0,
        result_published_outcome=result,
    ))  # fmt: skip
    # Land contracting: two thirds of all members of the 村民会议 (农村土地承包法第十九条).
    present = adults * 3 // 4
    _save_decision(user, Decision(
        community=community,
        title="第二轮土地承包到期后延长三十年实施方案",
        summary="按照第二轮土地承包到期后再延长三十年试点要求，拟定本村延包实施方案。",
        matter="land_plan",
        proposal_on=day(25), proposal_participants=7, proposal_outcome="村党组织提出延包工作方案。",
        discussion_on=day(28), discussion_participants=9, discussion_outcome="两委会议商议，明确“大稳定、小调整”原则。",
        party_review_on=day(32), party_review_participants=40, party_review_outcome="党员大会审议通过。",
        meeting_kind="village_assembly", meeting_date=day(45), notice_date=day(33),
        eligible=adults, present=present, households=households, households_represented=households * 3 // 4,
        women_present=present // 3 + 1, votes_for=adults * 2 // 3 + 40, votes_against=12, abstentions=9,
        resolution_outcome="通过延包实施方案：原承包地块保持稳定，新增人口从机动地中解决。",
        resolution_published_on=day(47), resolution_published_participants=0,
        resolution_published_outcome="决议在村务公开栏和本平台公示7天。",
    ))  # fmt: skip


def _save_decision(user, decision: Decision) -> None:
    decision.full_clean()
    decision._history_user = user
    decision._change_reason = "录入四议两公开"
    decision.save()


FORM_FIELDS = [
    ("您的建议", "multiline", True, ""),
    ("所在村民小组/小区楼栋", "address", False, ""),
    ("手机号码（选填，便于回访）", "mobile", False, ""),
    ("我同意村(居)委会为回访本建议使用上面的手机号码，不作他用", "consent", True, ""),
]


def seed_forms() -> None:
    """Each community's open form: opinions on its draft covenant when one is in the vote,
    otherwise its own 征集 from its profile, with three answers its residents gave."""
    for community in CommunityPage.objects.order_by("path"):
        profile = profile_of(community)
        if profile is None or CommunityFormPage.objects.child_of(community).exists():
            continue
        draft = CovenantRevision.objects.filter(community=community, stage="vote").first()
        page = CommunityFormPage(
            title="村规民约修订草案意见征集" if draft else profile.form_title,
            slug="opinions" if draft else "projects",
            purpose="draft_opinions" if draft else "topics",
            intro="<p>请留下您的意见和建议，村(居)委会将汇总后在协商议事中回应。</p>",
            thank_you_text="<p>已收到，谢谢您的参与！汇总情况将在村(居)务公开栏公布。</p>",
            covenant_revision=draft,
        )
        page.form_fields = [
            CommunityFormField(
                label=label, field_type=kind, required=required, help_text=help_text, sort_order=n
            )
            for n, (label, kind, required, help_text) in enumerate(FORM_FIELDS)
        ]
        community.add_child(instance=page)
        page.save_revision(user=_committee(community)).publish()
        names = [f.clean_name for f in page.get_form_fields()]
        for suggestion, where, mobile in profile.answers:
            CommunityFormSubmission.objects.create(
                page=page,
                page_revision_id=page.live_revision_id,
                form_data=dict(zip(names, [suggestion, where, mobile, True], strict=True)),
            )
