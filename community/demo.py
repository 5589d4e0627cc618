"""The demo district's townships and communities, and one demo account per role (home/demo.py
seeds the whole district).

Everything is looked up before it is created, so seeding twice changes nothing; pages that exist
are left as they are, even if someone has edited them since.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Page

from community.models import CommunityPage, CommunityRegister, RegisterGroup, TownshipPage
from community.roles import (
    COMMITTEE_PREFIX,
    DISTRICT_GROUP_NAME,
    REVIEWER_PREFIX,
    SUPERVISOR_PREFIX,
)

DEMO_PASSWORD = "gongzhi-demo-2026"
D = datetime.date

TOWNSHIPS = [
    {
        "slug": "liuxi",
        "title": "柳溪镇",
        "kind": TownshipPage.Kind.TOWN,
        "intro": "<p>柳溪镇位于清河区西部，以茶叶、竹编和乡村旅游为主要产业。</p>",
        "office_address": "柳溪镇人民路 88 号 柳溪镇人民政府",
        "contact_phone": "0571-8812 3456",
        "communities": [
            {
                "slug": "xinghua",
                "register": {
                    "committee_members": 7,
                    "representatives": 38,
                    "women_representatives": 16,
                    "source": "户籍底册（2026年6月30日）；第十二届村民代表名册",
                    "as_of": D(2026, 6, 30),
                    "groups": [
                        ("第一村民小组", 212, 78),
                        ("第二村民小组", 198, 71),
                        ("第三村民小组", 186, 67),
                        ("第四村民小组", 175, 64),
                        ("第五村民小组", 203, 74),
                        ("第六村民小组", 164, 60),
                        ("第七村民小组", 191, 69),
                        ("第八村民小组", 182, 66),
                        ("第九村民小组", 175, 63),
                    ],
                },
                "title": "杏花村",
                "kind": CommunityPage.Kind.VILLAGE,
                "intro": "<p>杏花村辖 9 个村民小组，村民以种茶、制茶为业，村文化礼堂为村民议事场所。</p>",
                "households": 612,
                "adult_residents": 1686,
                "representatives": 38,
                "office_address": "杏花村文化礼堂东侧 村民委员会办公楼",
                "contact_phone": "0571-8812 6601",
                "office_hours": "周一至周五 8:30–17:00，农忙时节周六上午值班",
            },
            {
                "slug": "shiqiao",
                "register": {
                    "committee_members": 5,
                    "representatives": 30,
                    "women_representatives": 12,
                    "source": "户籍底册（2026年6月30日）；第十二届村民代表名册",
                    "as_of": D(2026, 6, 30),
                    "groups": [
                        ("古桥组", 226, 82),
                        ("前溪组", 208, 76),
                        ("后山组", 187, 68),
                        ("上村组", 201, 73),
                        ("下村组", 195, 71),
                        ("新村组", 186, 68),
                    ],
                },
                "title": "石桥村",
                "kind": CommunityPage.Kind.VILLAGE,
                "intro": "<p>石桥村因村口明代古石桥得名，近年发展民宿与研学旅游。</p>",
                "households": 438,
                "adult_residents": 1203,
                "representatives": 30,
                "office_address": "石桥村古桥路 2 号",
                "contact_phone": "0571-8812 7702",
                "office_hours": "周一至周五 8:30–17:00",
            },
            {
                "slug": "nanshan",
                "register": {
                    "committee_members": 5,
                    "representatives": 22,
                    "women_representatives": 10,
                    "source": "户籍底册（2026年3月31日）；第十二届村民代表名册",
                    "as_of": D(2026, 3, 31),
                    "groups": [
                        ("东坑组", 214, 77),
                        ("西坑组", 198, 72),
                        ("岭头组", 176, 64),
                        ("坞里组", 202, 74),
                    ],
                },
                "title": "南山村",
                "kind": CommunityPage.Kind.VILLAGE,
                "intro": "<p>南山村为山区村，青壮年多在外务工，留守老人较多，设有居家养老服务站。</p>",
                "households": 287,
                "adult_residents": 790,
                "representatives": 22,
                "office_address": "南山村村部（南山小学旧址）",
                "contact_phone": "0571-8812 8803",
                "office_hours": "周二、周四、周六 9:00–16:00",
            },
        ],
    },
    {
        "slug": "dongcheng",
        "title": "东城街道",
        "kind": TownshipPage.Kind.SUBDISTRICT,
        "intro": "<p>东城街道是清河区的老城区，老旧小区多，正在推进加装电梯和适老化改造。</p>",
        "office_address": "解放路 210 号 东城街道办事处",
        "contact_phone": "0571-8723 4567",
        "communities": [
            {
                "slug": "yinxing",
                "register": {
                    "committee_members": 7,
                    "representatives": 53,
                    "women_representatives": 21,
                    "source": "社区常住人口登记表（2026年6月30日）；第十二届居民代表名册",
                    "as_of": D(2026, 6, 30),
                    "groups": [],
                },
                "title": "银杏社区",
                "kind": CommunityPage.Kind.URBAN,
                "intro": "<p>银杏社区由 6 个老旧小区组成，设 18 个居民小组，业主委员会 4 个。</p>",
                "households": 3120,
                "adult_residents": 6930,
                "representatives": 53,
                "office_address": "银杏路 15 号 社区党群服务中心二楼",
                "contact_phone": "0571-8723 1101",
                "office_hours": "周一至周六 8:30–17:30",
            },
            {
                "slug": "hepingli",
                "register": {
                    "committee_members": 7,
                    "representatives": 41,
                    "women_representatives": 17,
                    "source": "社区常住人口登记表（2026年6月30日）；第十二届居民代表名册",
                    "as_of": D(2026, 6, 30),
                    "groups": [],
                },
                "title": "和平里社区",
                "kind": CommunityPage.Kind.URBAN,
                "intro": "<p>和平里社区为单位老宿舍区，60 岁以上居民约占三成，志愿服务活跃。</p>",
                "households": 2456,
                "adult_residents": 5388,
                "representatives": 41,
                "office_address": "和平里 7 幢底层 社区居委会",
                "contact_phone": "0571-8723 2202",
                "office_hours": "周一至周五 8:30–17:00，周六上午值班",
            },
        ],
    },
]

USERS = [
    # (username, last name, first name, group name)
    ("weiyuan_xinghua", "李", "秀兰", f"{COMMITTEE_PREFIX}杏花村"),
    ("weiyuan_shiqiao", "王", "建国", f"{COMMITTEE_PREFIX}石桥村"),
    ("weiyuan_yinxing", "陈", "晓燕", f"{COMMITTEE_PREFIX}银杏社区"),
    ("shenhe_liuxi", "张", "明", f"{REVIEWER_PREFIX}柳溪镇"),
    ("shenhe_dongcheng", "刘", "芳", f"{REVIEWER_PREFIX}东城街道"),
    ("minzheng", "赵", "立新", DISTRICT_GROUP_NAME),
    # 村务/居务监督委员会主任, one per community (community/demo_supervision.py lists the members)
    ("jiandu_xinghua", "周", "德福", f"{SUPERVISOR_PREFIX}杏花村"),
    ("jiandu_shiqiao", "钱", "国强", f"{SUPERVISOR_PREFIX}石桥村"),
    ("jiandu_nanshan", "蒋", "春花", f"{SUPERVISOR_PREFIX}南山村"),
    ("jiandu_yinxing", "郑", "文静", f"{SUPERVISOR_PREFIX}银杏社区"),
    ("jiandu_hepingli", "冯", "建华", f"{SUPERVISOR_PREFIX}和平里社区"),
]


@dataclass
class DemoLogin:
    username: str
    password: str
    role: str
    created: bool


def _child(parent: Page, model: type[Page], slug: str, fields: dict) -> tuple[Page, bool]:
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def seed_tree(home: Page) -> None:
    """The demo's townships and communities under the district's home page."""
    for township_data in TOWNSHIPS:
        township_fields = {
            k: v for k, v in township_data.items() if k not in ("slug", "communities")
        }
        township, _ = _child(home, TownshipPage, township_data["slug"], township_fields)
        for community_data in township_data["communities"]:
            fields = {k: v for k, v in community_data.items() if k not in ("slug", "register")}
            community, _ = _child(township, CommunityPage, community_data["slug"], fields)
            community.ensure_sections()
            seed_register(community, community_data["register"])


def seed_register(community: CommunityPage, data: dict) -> None:
    """The community's register as its committee entered it from the 户籍底册 (no user: seeded,
    like the migration's carry-over, so no vote warns of it)."""
    if CommunityRegister.objects.filter(community=community).exists():
        return
    reason = "演示数据：依据户籍底册和代表名册建立登记册"
    register = CommunityRegister(
        community=community,
        adult_residents=community.adult_residents,
        households=community.households,
        **{k: v for k, v in data.items() if k != "groups"},
    )
    register._change_reason = reason
    register.full_clean()
    register.save()
    for name, adults, households in data["groups"]:
        group = RegisterGroup(register=register, name=name, adults=adults, households=households)
        group._change_reason = reason
        group.save()


def seed_users() -> list[DemoLogin]:
    User = get_user_model()
    logins = []
    for username, last_name, first_name, group_name in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "last_name": last_name,
                "first_name": first_name,
                "is_staff": False,
                # Wagtail's user form requires an e-mail: without one an administrator could not
                # even deactivate the account (notifications go there too).
                "email": f"{username}@example.cn",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        group = Group.objects.get(name=group_name)
        if not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)
        logins.append(DemoLogin(username, DEMO_PASSWORD, group_name, created))
    return logins
