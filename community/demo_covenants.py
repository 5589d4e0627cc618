"""Demo covenants: 杏花村村规民约 (two adopted versions and a 2026 revision awaiting the vote, whose
征求意见稿 residents commented on: community/demo_opinions.py),
石桥村村规民约 (2021, judged by the 2018 text; 2026, by the 2025 text) and 银杏社区居民公约 (2020 and
2024 by 居民小组 representatives; 2026 by an authorised 居民代表会议; articles without chapters). Entered through the
transitions, as a committee would, so the demo obeys every rule it shows."""

import datetime

from django.contrib.auth import get_user_model

from community import transitions as t
from community.importing import HistoricalAdoption, import_adoption, save_draft
from community.models import CommunityPage, CovenantPage

D = datetime.date


def a(aid: str, text: str) -> dict:
    return {"type": "item", "value": f"<p>{text}</p>", "id": aid}


def ch(cid: str, title: str, *articles: dict) -> dict:
    return {"type": "chapter", "value": {"title": title, "articles": list(articles)}, "id": cid}


def art(aid: str, text: str) -> dict:
    return {"type": "article", "value": f"<p>{text}</p>", "id": aid}


XH_PREAMBLE = "<p>为推进本村村民自治，建设文明和谐美丽乡村，根据有关法律法规，经村民会议讨论通过，制定本村规民约。</p>"

XH_GENERAL = ch(
    "xh-c1", "总则",
    a("xh-1", "本村规民约适用于本村全体村民和在本村居住、经营的人员。"),
    a("xh-2", "村民应当遵守宪法、法律、法规和国家政策，依法行使权利、履行义务。"),
)  # fmt: skip
XH_ORDER = ch(
    "xh-c2", "社会治安",
    a("xh-3", "邻里之间互谅互让，发生纠纷时先由村人民调解委员会调解。"),
    a("xh-4", "爱护公共设施，不得损坏村内道路、路灯、水利设施和健身器材。"),
)  # fmt: skip

XH_2019 = [
    XH_GENERAL,
    XH_ORDER,
    ch("xh-c3", "村风民俗",
       a("xh-5", "红白喜事从简办理，婚事宴席不超过二十桌，不大操大办。"),
       a("xh-6", "倡导文明祭扫，不在山林焚烧纸钱、燃放鞭炮。"),
       a("xh-7", "孝敬父母，赡养老人，子女应当定期看望独居老人。")),
    ch("xh-c4", "环境卫生",
       a("xh-8", "各户门前实行“三包”，保持房前屋后整洁。"),
       a("xh-9", "不得在河道、沟渠倾倒垃圾和污水。")),
    ch("xh-c5", "附则", a("xh-10", "本村规民约自村民会议通过之日起施行，由村民委员会负责解释。")),
]  # fmt: skip

XH_2023 = [
    XH_GENERAL,
    XH_ORDER,
    ch("xh-c3", "村风民俗",
       a("xh-5", "红白喜事从简办理，婚事宴席不超过十五桌，丧事不搞封建迷信活动。"),
       a("xh-7", "孝敬父母，赡养老人，子女应当定期看望独居老人。")),
    ch("xh-c4", "环境卫生",
       a("xh-8", "各户门前实行“三包”，保持房前屋后整洁。"),
       a("xh-9", "不得在河道、沟渠倾倒垃圾和污水。"),
       a("xh-11", "生活垃圾分类投放，厨余垃圾每日早晚定时收运。"),
       a("xh-6", "倡导文明祭扫，不在山林焚烧纸钱、燃放鞭炮。")),
    ch("xh-c5", "附则", a("xh-10", "本村规民约自村民会议通过之日起施行，由村民委员会负责解释。")),
]  # fmt: skip

# 征求意见稿: the draft residents commented on (community/demo_opinions.py); the draft submitted
# for review below took up the opinions adopted (第五条's tables and 彩礼, 第七条, 第十一条, 第十二条).
XH_2026_COMMENT_DRAFT = [
    *XH_2023[:2],
    ch("xh-c3", "村风民俗",
       a("xh-5", "红白喜事从简办理，婚事宴席不超过十桌，彩礼不超过三万元，丧事不搞封建迷信活动。"),
       a("xh-7", "孝敬父母，赡养老人，子女应当定期看望独居老人。")),
    ch("xh-c4", "环境卫生",
       a("xh-8", "各户门前实行“三包”，保持房前屋后整洁，不得占道堆放柴草、建材和晾晒农作物。"),
       a("xh-9", "不得在河道、沟渠倾倒垃圾和污水。"),
       a("xh-11", "生活垃圾分类投放，厨余垃圾每日早晚定时收运。"),
       a("xh-6", "倡导文明祭扫，不在山林焚烧纸钱、燃放鞭炮。"),
       a("xh-12", "文明养犬，出户拴绳。")),
    ch("xh-c6", "关爱互助", a("xh-13", "村民积分可兑换生活用品。")),
    XH_2023[4],
]  # fmt: skip

XH_2026_DRAFT = [
    *XH_2023[:2],
    ch("xh-c3", "村风民俗",
       a("xh-5", "红白喜事从简办理，婚事宴席不超过十五桌，倡导不要或少要彩礼，丧事不搞封建迷信活动。"),
       a("xh-7", "孝敬父母，赡养老人，子女应当定期看望独居老人。")),
    ch("xh-c4", "环境卫生",
       a("xh-8", "各户门前实行“三包”，保持房前屋后整洁，不得占道堆放柴草、建材。"),
       a("xh-9", "不得在河道、沟渠倾倒垃圾和污水。"),
       a("xh-11", "生活垃圾分类投放，厨余垃圾每日早晚定时收运。"),
       a("xh-6", "倡导文明祭扫，不在山林焚烧纸钱、燃放鞭炮。"),
       a("xh-12", "文明养犬，出户拴绳，及时清理犬只粪便，烈性犬不得在村内饲养。")),
    ch("xh-c6", "关爱互助",
       a("xh-13", "村民积分可兑换生活用品，积分由村民代表会议评定并按月公示。")),
    XH_2023[4],
]  # fmt: skip

YX_PREAMBLE = "<p>为建设管理有序、服务完善、文明祥和的社区，经居民会议讨论通过，制定本公约。</p>"
YX_2020 = [
    art("yx-1", "遵纪守法，爱护社区公共设施，共同维护社区秩序。"),
    art("yx-2", "邻里和睦，互帮互助，关心孤寡老人和残疾人。"),
    art("yx-3", "不高空抛物，不在楼道堆放杂物，保持消防通道畅通。"),
    art("yx-4", "饲养宠物应当依法登记，出门拴绳。"),
    art("yx-5", "垃圾分类投放，不乱扔乱倒。"),
    art("yx-6", "本公约自居民会议通过之日起施行。"),
]  # fmt: skip
YX_2024 = [
    *YX_2020[:3],
    art("yx-4", "饲养宠物应当依法登记、免疫，出门拴绳，及时清理粪便。"),
    art("yx-7", "电动自行车不进楼入户，在集中充电点充电。"),
    art("yx-8", "加装电梯等涉及多数业主利益的事项，通过居民议事会协商解决。"),
    YX_2020[4],
    YX_2020[5],
]  # fmt: skip
YX_2026 = [
    *YX_2024[:3],
    art("yx-4", "饲养宠物应当依法登记、免疫，出门拴绳，及时清理粪便；烈性犬不得在社区内饲养。"),
    *YX_2024[4:5],
    art("yx-8", "加装电梯等涉及多数居民利益的事项，通过居民议事会、听证会等形式协商解决。"),
    *YX_2024[6:],
]  # fmt: skip

SQ_2021 = [
    art("sq-1", "本村规民约适用于本村全体村民。"),
    art("sq-2", "宅基地按规划审批建设，不得占用耕地建房。"),
    art("sq-3", "河道实行分段保洁，各户不得向河道倾倒垃圾。"),
    art("sq-4", "红白喜事从简办理，提倡移风易俗。"),
    art("sq-5", "本村规民约由村民委员会负责解释。"),
]  # fmt: skip
SQ_2026 = [
    *SQ_2021[:3],
    art("sq-4", "红白喜事从简办理，婚事宴席不超过十五桌，提倡移风易俗。"),
    art("sq-6", "涉及全体村民利益的事项，先经村党组织研究讨论，再提交村民会议决定。"),
    SQ_2021[4],
]  # fmt: skip


def _users():
    User = get_user_model()
    return {u.username: u for u in User.objects.filter(username__in=[
        "weiyuan_xinghua", "weiyuan_shiqiao", "weiyuan_yinxing", "shenhe_liuxi", "shenhe_dongcheng"])}  # fmt: skip


def _covenant(
    community: CommunityPage, title: str, kind: str, user, slug: str = "covenant"
) -> tuple[CovenantPage, bool]:
    existing = CovenantPage.objects.child_of(community).filter(slug=slug).first()
    if existing is not None:
        return existing, False
    covenant = CovenantPage(title=title, slug=slug, kind=kind, owner=user)
    community.add_child(instance=covenant)
    return covenant, True


def seed_covenants() -> None:
    users = _users()
    xinghua = CommunityPage.objects.get(slug="xinghua")
    committee, reviewer = users["weiyuan_xinghua"], users["shenhe_liuxi"]
    covenant, created = _covenant(
        xinghua, "杏花村村规民约", CovenantPage.Kind.VILLAGE_COVENANT, committee
    )
    if created:
        import_adoption(
            covenant,
            committee,
            reviewer,
            HistoricalAdoption(
                text=XH_2019,
                preamble=XH_PREAMBLE,
                reason="制定本村第一部村规民约",
                started_on=D(2019, 3, 1),
                opinions_received=126,
                opinions_summary="村民集中关注红白喜事、环境卫生和邻里纠纷。",
                submitted_on=D(2019, 4, 15),
                review_opinion="内容符合法律法规，同意提交村民会议表决。",
                reviewed_on=D(2019, 4, 25),
                vote={
                    "meeting_kind": "village_assembly",
                    "meeting_date": D(2019, 5, 18),
                    "notice_date": D(2019, 5, 6),
                    "eligible": 1650,
                    "present": 902,
                    "households": 598,
                    "households_represented": 0,
                    "women_present": 388,
                    "votes_for": 861,
                    "votes_against": 22,
                    "abstentions": 19,
                },
                filing_authority="柳溪镇人民政府",
                filing_number="柳民备〔2019〕7号",
                filed_on=D(2019, 5, 24),
                version_label="2019年版",
                published_on=D(2019, 5, 28),
            ),
        )
        import_adoption(covenant, committee, reviewer, HistoricalAdoption(
            text=XH_2023, reason="移风易俗和垃圾分类工作需要，修订部分条款",
            started_on=D(2023, 2, 10), opinions_received=88, opinions_summary="多数户赞成压减宴席桌数，建议增加垃圾分类条款。",
            submitted_on=D(2023, 3, 20), review_opinion="修订内容合法，同意提交表决。", reviewed_on=D(2023, 3, 28),
            vote={"meeting_kind": "village_assembly", "meeting_date": D(2023, 4, 15), "notice_date": D(2023, 4, 3),
                  "eligible": 1672, "present": 430, "households": 606, "households_represented": 420,
                  "women_present": 150, "votes_for": 401, "votes_against": 17, "abstentions": 12},
            filing_authority="柳溪镇人民政府", filing_number="柳民备〔2023〕4号", filed_on=D(2023, 4, 21),
            version_label="2023年修订", published_on=D(2023, 4, 25), effective_on=D(2023, 5, 1),
        ))  # fmt: skip
        revision = t.start_revision(
            covenant, committee, reason="增加文明养犬和积分制条款", started_on=D(2026, 9, 1)
        )
        t.record_opinions(
            revision, committee, received=64, summary="村民反映散养犬只伤人，建议推行积分制。"
        )
        t.begin_drafting(revision, committee)
        save_draft(covenant, committee, XH_2026_COMMENT_DRAFT)  # put out for comment
        save_draft(covenant, committee, XH_2026_DRAFT)
        t.submit_for_review(revision, committee, submitted_on=D(2026, 10, 20))
        t.review(
            revision,
            reviewer,
            passed=True,
            opinion="养犬条款符合《动物防疫法》，同意提交表决。",
            reviewed_on=D(2026, 11, 2),
        )

    yinxing = CommunityPage.objects.get(slug="yinxing")
    committee, reviewer = users["weiyuan_yinxing"], users["shenhe_dongcheng"]
    covenant, created = _covenant(
        yinxing, "银杏社区居民公约", CovenantPage.Kind.RESIDENT_CONVENTION, committee
    )
    if created:
        # 2020 and 2024: 居民会议 of the 居民小组 representatives, a route of the 2018 text (第九条).
        for year, text, label, tally in (
            (2020, YX_2020, "2020年版", (54, 47, 43, 2, 2, 21)),
            (2024, YX_2024, "2024年修订", (54, 49, 45, 1, 3, 24)),
        ):
            group_reps, present, votes_for, against, abstain, women = tally
            import_adoption(covenant, committee, reviewer, HistoricalAdoption(
                text=text, preamble=YX_PREAMBLE if year == 2020 else "", reason=f"{year}年居民公约制定（修订）",
                started_on=D(year, 3, 1), opinions_received=210, opinions_summary="居民关注高空抛物、宠物和电动车充电。",
                submitted_on=D(year, 4, 1), review_opinion="内容合法，同意提交居民会议表决。", reviewed_on=D(year, 4, 12),
                vote={"meeting_kind": "residents_assembly", "meeting_date": D(year, 5, 9),
                      "eligible": yinxing.adult_residents, "group_representatives": group_reps,
                      "present": present, "women_present": women, "votes_for": votes_for,
                      "votes_against": against, "abstentions": abstain},
                filing_authority="东城街道办事处", filing_number=f"东街备〔{year}〕2号", filed_on=D(year, 5, 15),
                version_label=label, published_on=D(year, 5, 20),
            ))  # fmt: skip
        # 2026: the 居民代表会议 the 2025 text created, authorised by the 居民会议 (第三十条).
        members = yinxing.representatives
        import_adoption(covenant, committee, reviewer, HistoricalAdoption(
            text=YX_2026, reason="落实新修订的城市居民委员会组织法，增加文明养犬和议事协商条款",
            started_on=D(2026, 2, 2), opinions_received=176, opinions_summary="居民建议明确犬只管理和议事协商的程序。",
            submitted_on=D(2026, 3, 20), review_opinion="内容合法，同意提交经授权的居民代表会议表决。", reviewed_on=D(2026, 3, 31),
            vote={"meeting_kind": "residents_representatives", "meeting_date": D(2026, 4, 18),
                  "authorisation": "2026年3月7日居民会议授权居民代表会议修订居民公约的决议",
                  "party_discussed_on": D(2026, 4, 8), "party_body": "银杏社区党委",
                  "eligible": members, "present": members - 8, "women_present": (members - 8) // 2,
                  "votes_for": members - 14, "votes_against": 3, "abstentions": 3},
            filing_authority="东城街道办事处", filing_number="东街备〔2026〕5号", filed_on=D(2026, 4, 24),
            version_label="2026年修订", published_on=D(2026, 4, 28), effective_on=D(2026, 5, 1),
        ))  # fmt: skip

    shiqiao = CommunityPage.objects.get(slug="shiqiao")
    committee, reviewer = users["weiyuan_shiqiao"], users["shenhe_liuxi"]
    covenant, created = _covenant(
        shiqiao, "石桥村村规民约", CovenantPage.Kind.VILLAGE_COVENANT, committee, slug="cungui"
    )
    if created:
        adults, households = shiqiao.adult_residents, shiqiao.households
        for text, label, reason, vote_day, party in (
            (SQ_2021, "2021年版", "制定本村村规民约", D(2021, 6, 12), {}),
            (SQ_2026, "2026年修订", "依照2025年修正的村民委员会组织法修订", D(2026, 6, 13),
             {"party_discussed_on": D(2026, 5, 20), "party_body": "石桥村党支部委员会"}),
        ):  # fmt: skip
            present = adults * 3 // 5
            import_adoption(covenant, committee, reviewer, HistoricalAdoption(
                text=text, reason=reason, started_on=vote_day - datetime.timedelta(days=100),
                opinions_received=57, opinions_summary="村民关注宅基地、河道保洁和红白喜事。",
                submitted_on=vote_day - datetime.timedelta(days=45), review_opinion="内容合法，同意提交村民会议表决。",
                reviewed_on=vote_day - datetime.timedelta(days=30),
                vote={"meeting_kind": "village_assembly", "meeting_date": vote_day,
                      "notice_date": vote_day - datetime.timedelta(days=12), **party,
                      "eligible": adults, "present": present, "households": households, "households_represented": 0,
                      "women_present": present // 3 + 5, "votes_for": present - 30, "votes_against": 18, "abstentions": 12},
                filing_authority="柳溪镇人民政府", filing_number=f"柳民备〔{vote_day.year}〕{vote_day.month}号",
                filed_on=vote_day + datetime.timedelta(days=6), version_label=label,
                published_on=vote_day + datetime.timedelta(days=9),
            ))  # fmt: skip
