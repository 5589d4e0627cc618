"""Demo opinions on 杏花村's 2026 revision (issue 17): its 征求意见稿 (XH_2026_COMMENT_DRAFT,
saved at 拟定草案 before the draft submitted for review) was open for comment for a month, and
residents commented on several articles (第五条 红白喜事 the most) and on the whole draft: online,
some with a name and mobile for the committee only, and offline (书面意见, 座谈会, 入户走访,
意见箱) entered by the committee. Some were not published, one for each reason; one was published
with a neighbour's identity taken out (public_text); every published one is answered, the 采纳 and
部分采纳 ones naming the article of the submitted draft that took them up. The township reviewer left
a note on 第十一条.

Why the revision stays at 表决 (审核通过): the whole story is then on the record and checkable — the
window closed before 提请审核, every opinion was answered (so 提请审核 was allowed), the reviewer saw
the opinions beside each article of the diff, and residents read the final 意见采纳情况说明 — and the
many tests that take this revision as the demo's draft awaiting its vote keep their footing.

Dates follow the revision's own (absolute, as in community/demo_covenants.py): the window closes a
week before the revision's 提请审核 date. Written through the models with history, as the committee's
services would write them (docs/covenants.md, "Comments on the draft"). Idempotent: a revision that
already has a comment window is left alone."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.models import Revision

from community.models import (
    ArticleNote,
    CommentWindow,
    CovenantRevision,
    Notification,
    Opinion,
    Stage,
)

S, R, A = Opinion.Source, Opinion.RejectReason, Opinion.Answer
WINDOW_DAYS = 30
CLOSES_BEFORE_SUBMISSION = 6  # days between the window's last day and 提请审核


@dataclass(frozen=True)
class Demo:
    article: str  # block id; "" for the whole draft
    source: str
    day: int  # days after the window opened
    text: str
    public_text: str = ""
    name: str = ""
    mobile: str = ""
    reject: str = ""
    answer: str = ""
    reason: str = ""
    adopted_in: str = ""


OPINIONS = [
    # 第五条 (xh-5): 红白喜事. The 征求意见稿 proposed 十桌 and a 彩礼 cap.
    Demo("xh-5", S.ONLINE, 1, "十桌太少了，我们村亲戚多，光本家就有七八桌，建议维持现在的十五桌。",
         answer=A.ADOPTED, adopted_in="xh-5",
         reason="多数村民认为十桌难以执行，修改稿维持现行“不超过十五桌”的上限。"),
    Demo("xh-5", S.ONLINE, 2, "支持限桌，现在攀比风太重，办一场酒席要花十几万，年轻人结婚压力很大。",
         answer=A.PARTLY, adopted_in="xh-5",
         reason="从简办理、反对攀比的意见已保留在第五条；桌数上限按多数意见维持十五桌。"),
    Demo("xh-5", S.MEETING, 8, "彩礼限额写死三万元不好执行，各家情况不一样，也没法查，建议改成倡导性的说法。",
         answer=A.ADOPTED, adopted_in="xh-5",
         reason="采纳。修改稿改为“倡导不要或少要彩礼”，不设具体金额。"),
    Demo("xh-5", S.VISIT, 10, "老人过世按老规矩要请人做法事，这个也不让搞，我们老年人想不通。",
         answer=A.NOT_ADOPTED,
         reason="“丧事不搞封建迷信活动”是现行条款，符合移风易俗要求，予以保留；守灵、追悼等正常悼念活动不受影响。"),
    Demo("xh-5", S.ONLINE, 12, "建议写明违反了怎么处理，不然就是一句空话。",
         answer=A.EXPLAINED,
         reason="村规民约不得设定罚款。对违反的，由村民委员会批评教育，并在村民积分评定中扣分（见第十二条）。"),
    Demo("xh-5", S.PAPER, 14, "建议村里成立红白理事会，统一帮忙操办，减轻各家负担。",
         answer=A.EXPLAINED,
         reason="本村红白理事会已于2024年成立，由村民委员会负责协调，协助监督第五条的执行。"),
    Demo("xh-5", S.BOX, 16, "白事用高音喇叭放哀乐放到半夜，影响周围人家休息，希望管一管。",
         answer=A.EXPLAINED,
         reason="噪声扰民可向村民委员会反映，由村人民调解委员会协调（第三条）；红白理事会将提醒办事户控制时间和音量。"),
    Demo("xh-5", S.ONLINE, 3, "十桌真的太少了，本家亲戚都坐不下，还是十五桌吧。", reject=R.DUPLICATE),
    Demo("xh-5", S.ONLINE, 5, "出这种主意的人就是吃饱了撑的，一群废物！", reject=R.ABUSE),
    # 第七条 (xh-8): 门前三包, with a new ban on using the road.
    Demo("xh-8", S.ONLINE, 4, "秋收时节晒稻谷没有场地，只能在路边晒几天，全部禁止不现实。",
         answer=A.ADOPTED, adopted_in="xh-8",
         reason="采纳。修改稿删去“晾晒农作物”，保留不得占道堆放柴草、建材。"),
    Demo("xh-8", S.BOX, 9, "建筑垃圾乱堆的问题最严重，建议村里设一个集中堆放点。",
         answer=A.EXPLAINED,
         reason="村民委员会已在村西旧砖厂设建筑垃圾临时堆放点，每月清运一次，堆放点位置已在村务公开栏公布。"),
    Demo("xh-8", S.ONLINE, 11, "支持门前三包，门口干净了大家都舒服。",
         answer=A.ADOPTED, adopted_in="xh-8", reason="感谢支持，第七条予以保留。"),
    Demo("xh-8", S.ONLINE, 13, "专业清运建筑垃圾、疏通化粪池，价格优惠，欢迎来电咨询。", reject=R.ADVERTISING),
    # 第九条 (xh-11): 垃圾分类, unchanged.
    Demo("xh-11", S.ONLINE, 6, "厨余垃圾晚上收得太早，下班回来已经收走了，建议推迟到七点以后。",
         answer=A.EXPLAINED,
         reason="收运时间由镇环卫所统一安排，第九条只规定定时收运；已向镇环卫所反映，调整后的时间将另行公告。"),
    # 第十条 (xh-6): 文明祭扫, unchanged.
    Demo("xh-6", S.MEETING, 8, "清明节山上烧纸容易引发山火，建议在山脚设集中焚烧点，派人看守。",
         answer=A.EXPLAINED,
         reason="清明期间村里将在山脚设文明祭扫点并安排护林员值守，属于执行措施，不写入公约。"),
    # 第十一条 (xh-12): 文明养犬, new.
    Demo("xh-12", S.ONLINE, 2, "上个月我家孩子在村口被散养的狗咬了，打了五针狂犬疫苗。建议禁止养烈性犬。",
         name="王建军", mobile="13800571234",
         answer=A.ADOPTED, adopted_in="xh-12", reason="采纳。修改稿增加“烈性犬不得在村内饲养”。"),
    Demo("xh-12", S.ONLINE, 3, "狗在路上拉屎没人管，建议写上狗主人要及时清理粪便。",
         answer=A.ADOPTED, adopted_in="xh-12", reason="采纳。修改稿增加“及时清理犬只粪便”。"),
    Demo("xh-12", S.MEETING, 8, "看家护院的土狗晚上放出来是老习惯，全天拴养不现实。",
         answer=A.NOT_ADOPTED,
         reason="携带犬只出户应当系犬绳，是《动物防疫法》第三十条的要求；在自家院内圈养不受限制。"),
    Demo("xh-12", S.ONLINE, 15, "建议村里每年组织一次给狗免费打疫苗。",
         answer=A.EXPLAINED,
         reason="犬只狂犬病免疫由镇农业农村服务中心每年春秋两季集中开展，村民委员会将提前通知，不写入公约。"),
    Demo("xh-12", S.PAPER, 18, "狗咬伤人的，狗主人要负责医药费。",
         answer=A.EXPLAINED,
         reason="饲养的动物造成他人损害的，由饲养人或者管理人承担侵权责任（《民法典》第一千二百四十五条），公约不再重复。"),
    Demo("xh-12", S.ONLINE, 7,
         "五组李大爷家（村东头第三户）的大黄狗咬过好几个人了，建议村里上门督促他家拴养。",
         public_text="五组某户的狗咬过好几个人了，建议村里上门督促拴养。",
         answer=A.PARTLY, adopted_in="xh-12",
         reason="出户拴绳已写入第十一条；村民委员会已上门督促该户拴养。"),
    Demo("xh-12", S.ONLINE, 9, "三组张某某家（电话13905710000）那条黑狗天天追人，你们管不管？",
         reject=R.PERSONAL),
    Demo("xh-12", S.VISIT, 20, "养狗的人家要登记，村里建个台账，出了事好找人。",
         answer=A.EXPLAINED,
         reason="犬只登记由镇里统一办理，村民委员会协助建立台账，属于执行措施，不写入公约。"),
    # 第十二条 (xh-13): 积分制, new.
    Demo("xh-13", S.MEETING, 8, "积分谁来评？评分要公开，不然就是村干部说了算。",
         answer=A.ADOPTED, adopted_in="xh-13",
         reason="采纳。修改稿写明积分“由村民代表会议评定并按月公示”。"),
    Demo("xh-13", S.ONLINE, 10, "积分能兑换什么要写清楚，最好每季度公布一次兑换情况。",
         name="陈桂芳", mobile="13957112468",
         answer=A.PARTLY, adopted_in="xh-13",
         reason="评定结果按月公示已写入第十二条；兑换物品清单由村民代表会议另行制定并公布，不写入公约。"),
    Demo("xh-13", S.VISIT, 17, "我们老两口腿脚不便，参加不了义务劳动，积分是不是就没我们的份了？",
         answer=A.EXPLAINED,
         reason="积分细则将设孝老爱亲、邻里互助等项目，不以参加劳动为唯一标准，老年人、残疾人同样可以获得积分。"),
    Demo("xh-13", S.ONLINE, 19, "村口的路灯坏了两个月了，什么时候修？", reject=R.OFF_TOPIC),
    # 第六条 (xh-7): 孝老, unchanged.
    Demo("xh-7", S.ONLINE, 21, "建议规定子女每月至少看望一次独居老人，村里建立关爱台账。",
         answer=A.NOT_ADOPTED,
         reason="看望的频次属于家庭事务，公约作倡导性规定为宜；独居老人关爱台账已由村妇联建立。"),
    # The whole draft.
    Demo("", S.ONLINE, 5, "建议在公约里加上宅基地的规定，一户一宅，不能超面积建房。",
         name="赵国平", mobile="13605716789",
         answer=A.EXPLAINED,
         reason="“一户一宅”和宅基地面积标准由《土地管理法》第六十二条和省里的规定确定，村规民约不另作规定；"
         "审批程序见村务公开栏。"),
    Demo("", S.PAPER, 12, "草案整体比较好。建议表决通过后印成小册子发到每家每户，老人看手机不方便。",
         answer=A.EXPLAINED, reason="表决通过后将印发到户，并在村务公开栏和文化礼堂张贴。"),
    Demo("", S.MEETING, 22, "征求意见的时间太短，外出打工的人回不来，建议春节前后再开一次座谈会。",
         answer=A.NOT_ADOPTED,
         reason="征求意见期为一个月，同时开通网上提交、意见箱和电话，外出村民可在网上提出意见；"
         "本次修订不再延长，下次修订将安排在春节前后征求意见。"),
]  # fmt: skip

NOTE = (
    "xh-12",
    "第十一条“烈性犬”的范围，建议以县公安局公布的禁养犬名录为准，并在宣传时一并公布，便于村民遵守。",
)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _save(record, user, reason: str, when: datetime.datetime):
    record._history_user = user
    record._change_reason = reason
    record._history_date = when
    record.full_clean()
    record.save()
    return record


def _comment_draft(revision: CovenantRevision) -> Revision | None:
    """The 征求意见稿: the covenant's draft saved just before the one submitted for review, if it
    is a 2026 draft (it has every article the demo's opinions name)."""
    draft = (
        Revision.objects.for_instance(revision.covenant)
        .filter(pk__lt=revision.draft_revision_id)
        .order_by("-pk")
        .first()
    )
    named = {o.article for o in OPINIONS if o.article}
    if draft is None or not named <= {a.id for a in draft.as_object().articles()}:
        return None
    return draft


def _decide(opinion: Opinion, demo: Demo, committee, when: datetime.datetime) -> None:
    opinion.moderated_by, opinion.moderated_at = committee, when
    if demo.reject:
        opinion.status, opinion.reject_reason = Opinion.Status.REJECTED, demo.reject
    else:
        opinion.status = Opinion.Status.APPROVED


@transaction.atomic
def seed_opinions() -> None:
    revision = (
        CovenantRevision.objects.filter(
            community__slug="xinghua", stage=Stage.VOTE, draft_revision__isnull=False
        )
        .select_related("covenant", "community", "draft_revision")
        .first()
    )
    if revision is None or CommentWindow.objects.filter(revision=revision).exists():
        return
    draft = _comment_draft(revision)
    if draft is None:
        return
    User = get_user_model()
    committee = User.objects.get(username="weiyuan_xinghua")
    reviewer = User.objects.get(username="shenhe_liuxi")
    closes = revision.submitted_on - datetime.timedelta(days=CLOSES_BEFORE_SUBMISSION)
    opens = closes - datetime.timedelta(days=WINDOW_DAYS - 1)
    _save(
        CommentWindow(
            revision=revision,
            community=revision.community,
            draft=draft,
            opens_on=opens,
            closes_on=closes,
            opened_by=committee,
        ),
        committee,
        "开始征求意见（征求意见稿）",
        _at(opens - datetime.timedelta(days=1), 17),
    )
    # The 征求意见稿 was saved before the window opened (the page says when it was saved), not on
    # the day the demo was seeded.
    Revision.objects.filter(pk=draft.pk).update(
        created_at=_at(opens - datetime.timedelta(days=2), 16)
    )
    labels = {a.id: a.label for a in draft.as_object().articles()}
    answered_on = closes + datetime.timedelta(days=2)
    for n, demo in enumerate(OPINIONS):
        received = opens + datetime.timedelta(days=demo.day)
        offline = demo.source != S.ONLINE
        entered = _at(received + datetime.timedelta(days=1 if offline else 0), 9 + n % 10)
        opinion = Opinion(
            revision=revision,
            community=revision.community,
            draft=draft,
            article_id=demo.article,
            article_label=labels.get(demo.article, ""),
            text=demo.text,
            source=demo.source,
            received_on=received,
            received_at=entered,
            entered_by=committee if offline else None,
            name=demo.name,
            mobile=demo.mobile,
            consent=bool(demo.name or demo.mobile),
        )
        if offline:  # entered and decided at once, as the committee's offline form does
            _decide(opinion, demo, committee, entered)
            _save(opinion, committee, f"代录意见（{S(demo.source).label}）", entered)
        else:
            _save(opinion, None, "居民网上提交意见", entered)
            moderated = entered + datetime.timedelta(days=1)
            if demo.public_text:
                opinion.public_text = demo.public_text
                _save(opinion, committee, "删改公开的意见内容", moderated)
            _decide(opinion, demo, committee, moderated)
            reason = f"不予公开：{R(demo.reject).label}" if demo.reject else "审核通过，公开"
            _save(opinion, committee, reason, moderated)
        if demo.reject:
            continue
        when = _at(answered_on, 9 + n % 8)
        opinion.answer, opinion.answer_reason, opinion.adopted_in = (
            demo.answer,
            demo.reason,
            demo.adopted_in,
        )
        opinion.answered_by, opinion.answered_at = committee, when
        _save(opinion, committee, f"答复：{A(demo.answer).label}", when)
    article_id, text = NOTE
    labels_now = {a.id: a.label for a in revision.draft_revision.as_object().articles()}
    note = _save(
        ArticleNote(
            revision=revision,
            community=revision.community,
            draft=revision.draft_revision,
            article_id=article_id,
            article_label=labels_now.get(article_id, ""),
            text=text,
            author=reviewer,
        ),
        reviewer,
        f"逐条审查意见（{labels_now.get(article_id, '草案整体')}）",
        _at(revision.reviewed_on, 10),
    )
    ArticleNote.objects.filter(pk=note.pk).update(
        created_at=_at(revision.reviewed_on, 10), updated_at=_at(revision.reviewed_on, 10)
    )
    # The committee dealt with these months ago (every opinion is answered): the notices of their
    # arrival are read, not news in today's inbox or digest.
    Notification.objects.filter(
        kind=Notification.Kind.OPINION_RECEIVED, event_key__startswith=f"opinion:{revision.pk}:"
    ).update(read_at=_at(closes, 18), digested_at=_at(closes, 18))
