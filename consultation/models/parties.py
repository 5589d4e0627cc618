"""协商主体: who takes part in a consultation (中办 国办《关于加强城乡社区协商的意见》)."""

PARTIES = [
    "基层政府及其派出机关", "村(社区)党组织", "村(居)民委员会", "村(居)务监督委员会", "村(居)民小组",
    "驻村(社区)单位", "社区社会组织", "业主委员会", "农村集体经济组织", "农民合作组织", "物业服务企业",
    "户籍居民", "非户籍居民代表", "其他利益相关方",
]  # fmt: skip
PARTY_CHOICES = [(p, p) for p in PARTIES]
# Shown with the community's current supervision committee members on the agenda page.
SUPERVISION_PARTY = "村(居)务监督委员会"
