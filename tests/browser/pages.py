"""The demo district's public page types, shared by the browser tests, the page-weight test and
bench/page_weight.py (no imports, so the bench script can read it without pytest)."""

# The public pages named in issue 6 (home, community, covenant, diff, agenda, notice, form) and the
# other page types a resident reaches from them, all in the demo district.
PUBLIC_PAGES = {
    "home": "/",
    "township": "/liuxi/",
    "community": "/liuxi/xinghua/",
    "covenant": "/liuxi/xinghua/covenant/",
    "versions": "/liuxi/xinghua/covenant/versions/",
    "diff": "/liuxi/xinghua/covenant/versions/diff/",
    "agendas": "/liuxi/xinghua/consultations/",
    "agenda": "/liuxi/xinghua/consultations/topic-5/",  # 已办结: record and updates
    "notices": "/liuxi/xinghua/notices/",
    "notice": "/liuxi/xinghua/notices/finance-q3/",
    "form": "/liuxi/xinghua/opinions/",
    "form-urban": "/dongcheng/yinxing/projects/",
    "experiences": "/experiences/",
    "experience": "/liuxi/xinghua/hongbai/",
    "search": "/search/?q=%E7%BA%A2%E7%99%BD%E5%96%9C%E4%BA%8B",
    "covenant-print": "/liuxi/xinghua/covenant/print/",
}
