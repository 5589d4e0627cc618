"""A fresh record of each registered model, saved as a committee member would, and a way to change
one field of it: enough to give any model a history of known versions."""

import datetime

from django.utils import timezone

from community.models import (
    ArticleNote,
    CommentWindow,
    CommunityPage,
    CommunityRegister,
    CovenantPage,
    CovenantRevision,
    Evaluation,
    EvaluationRating,
    FinanceSignOff,
    NoticePage,
    Opinion,
    RegisterGroup,
    SupervisionMember,
    SupervisionOpinion,
    SupervisionReport,
)
from consultation.models import (
    AnswerDeletion,
    ConsultationPage,
    Decision,
    Deliberation,
    ImplementationUpdate,
    NoticeQuery,
)


def save(record, user, reason):
    record._history_user = user
    record._change_reason = reason
    record.save()
    return record


def _agenda(community):
    return ConsultationPage.objects.descendant_of(community).order_by("path").first()


def new_revision(community: CommunityPage, user) -> CovenantRevision:
    covenant = CovenantPage.objects.child_of(community).first()
    if covenant is None:
        from tests.community.covenant_helpers import make_covenant

        covenant = make_covenant(community, user)
    return save(
        CovenantRevision(
            covenant=covenant,
            community=community,
            reason="测试修订",
            soliciting_started_on=datetime.date(2026, 1, 5),
            stage="withdrawn",  # not open, so the demo's open revision does not collide
        ),
        user,
        "新建",
    )


def new_deliberation(community, user) -> Deliberation:
    return save(
        Deliberation(
            agenda=_agenda(community),
            held_at=timezone.now(),
            chair="李秀兰",
            recorder="周敏",
            outcome="同意。",
        ),
        user,
        "新建",
    )


def new_update(community, user) -> ImplementationUpdate:
    return save(
        ImplementationUpdate(agenda=_agenda(community), date=timezone.localdate(), text="开工。"),
        user,
        "新建",
    )


def new_decision(community, user) -> Decision:
    return save(
        Decision(community=community, title="修建村道", summary="拟修建村道。"), user, "新建"
    )


def new_answer_deletion(community, user) -> AnswerDeletion:
    return save(
        AnswerDeletion(
            community=community,
            answer_id=1,
            submitted_at=timezone.now(),
            summary="意见征集 · 第 1 号回复：路灯不亮。",
            reason="重复提交",
        ),
        user,
        "重复提交",
    )


def new_feature(community, user):
    from community.models import ExperienceFeature, ExperiencePage

    page = ExperiencePage(
        title="测试经验", slug=f"feature-{ExperiencePage.objects.count()}", summary="摘要"
    )
    community.add_child(instance=page)
    page.save_revision().publish()
    return save(ExperienceFeature(page=page, featured_by=user, reason="做法好"), user, "设为示范")


def new_register(community, user) -> CommunityRegister:
    """`community`'s register (every community has one), saved again with a new source: a row of
    its history made by `user`."""
    register = CommunityRegister.objects.get(community=community)
    register.source = f"户籍底册（2026年{CommunityRegister.history.count() % 12 + 1}月）"
    return save(register, user, "更新登记册")


def new_register_group(community, user) -> RegisterGroup:
    n = RegisterGroup.objects.count()
    return save(
        RegisterGroup(register=community.register, name=f"测试小组{n}", adults=10, households=4),
        user,
        "新增小组",
    )


def new_evaluation(community, user):
    year = 1900 + Evaluation.objects.count()
    return save(Evaluation(community=community, year=year), user, "开启民主评议")


def new_evaluation_rating(community, user):
    evaluation = new_evaluation(community, user)
    evaluation.present = 40
    save(evaluation, user, "登记会议")
    rating = EvaluationRating(
        evaluation=evaluation, name=f"测试{evaluation.year}", post="委员", competent=30
    )
    return save(rating, user, "登记票数")


def new_supervision_member(community, user):
    n = SupervisionMember.objects.count()
    member = SupervisionMember(
        community=community, name=f"测试成员{n}", term_start=datetime.date(2024, 1, 1)
    )
    return save(member, user, "登记成员")


def new_supervision_opinion(community, user):
    return save(
        SupervisionOpinion(community=community, subject="测试事项", text="测试意见。"),
        user,
        "发表意见",
    )


def new_supervision_report(community, user):
    return save(SupervisionReport(community=community, text="测试反映的问题。"), user, "反映问题")


def new_finance_signoff(community, user):
    signoff = FinanceSignOff(
        community=community, digest="0" * 64, outcome="returned", opinion="请补充明细。"
    )
    return save(signoff, user, "退回修改")


# registry key -> (make a record, the field a test changes, its new value, its label)
def new_notice_query(community, user) -> NoticeQuery:
    notice = NoticePage.objects.descendant_of(community).live().order_by("pk").first()
    return save(
        NoticeQuery(
            notice=notice,
            community=community,
            question="补助发给了谁？",
            due_on=timezone.localdate(),
        ),
        user,
        "居民提出查询",
    )


class ShownDate(datetime.date):
    """A date that also equals the text the desk shows for it (2026年3月5日), so that a date field
    can be the one a history sweep changes and compares."""

    def __eq__(self, other):
        if isinstance(other, str):
            return other == f"{self.year}年{self.month}月{self.day}日"
        return super().__eq__(other)

    __hash__ = datetime.date.__hash__


def new_comment_window(community, user) -> CommentWindow:
    revision = new_revision(community, user)
    return save(
        CommentWindow(
            revision=revision,
            community=community,
            draft=revision.covenant.latest_revision,
            opens_on=datetime.date(2026, 1, 5),
            closes_on=datetime.date(2026, 2, 5),
            opened_by=user,
        ),
        user,
        "开始征求意见",
    )


def new_opinion(community, user) -> Opinion:
    window = new_comment_window(community, user)
    return save(
        Opinion(
            revision=window.revision,
            community=community,
            draft=window.draft,
            article_label="第一条",
            text="原文：我是张三，电话13812341234，建议修路。",
            name="张三",
            mobile="13812341234",
            consent=True,
        ),
        user,
        "居民提意见",
    )


def new_article_note(community, user) -> ArticleNote:
    revision = new_revision(community, user)
    return save(
        ArticleNote(
            revision=revision,
            community=community,
            draft=revision.covenant.latest_revision,
            article_label="第一条",
            text="合法。",
            author=user,
        ),
        user,
        "逐条审查意见",
    )


FACTORIES = {
    "community.commentwindow": (
        new_comment_window,
        "closes_on",
        ShownDate(2026, 3, 5),
        "截止日期",
    ),
    "community.opinion": (new_opinion, "answer_reason", "已说明。", "答复理由"),
    "community.articlenote": (new_article_note, "text", "与上位法一致。", "审查意见"),
    "community.covenantrevision": (
        new_revision,
        "opinions_summary",
        "补充：多数村民赞成。",
        "意见汇总",
    ),
    "consultation.deliberation": (new_deliberation, "chair", "王建国", "主持人"),
    "consultation.implementationupdate": (new_update, "text", "已完成路基。", "进展情况"),
    "consultation.decision": (new_decision, "summary", "拟修建通往茶园的村道。", "事项说明"),
    "community.experiencefeature": (new_feature, "reason", "可在全区推广。", "推荐理由"),
    "consultation.answerdeletion": (new_answer_deletion, "reason", "测试数据", "删除原因"),
    "community.communityregister": (
        new_register,
        "source",
        "户籍底册（2026年11月30日）",
        "数据来源",
    ),
    "community.registergroup": (new_register_group, "adults", "12", "18周岁以上人数"),
    "consultation.noticequery": (new_notice_query, "answer", "名单已公示。", "答复"),
    "community.evaluation": (
        new_evaluation,
        "short_notice_reason",
        "遇有防汛特殊情况临时通知。",
        "临时通知理由",
    ),
    "community.evaluationrating": (new_evaluation_rating, "post", "副主任", "职务"),
    "community.supervisionmember": (new_supervision_member, "name", "李四", "姓名"),
    "community.supervisionopinion": (new_supervision_opinion, "text", "补充意见。", "意见"),
    "community.supervisionreport": (new_supervision_report, "handling", "已受理。", "处理情况"),
    "community.financesignoff": (new_finance_signoff, "opinion", "同意。", "审核意见"),
}


def history_url(record) -> str:
    from community.review.registry import history_registry

    return history_registry.for_model(type(record)).history_url(record.pk)
