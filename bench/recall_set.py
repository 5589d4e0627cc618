"""The fixed recall set for site search over the demo district (docs/search.md).

Each query is an exact phrase taken from inside a longer sentence of the demo content, with the
URL (a page, or a covenant article's anchor) that a resident searching for it must be offered.
`measure()` runs the set through the site search on whatever database is configured.
"""

from dataclasses import dataclass

QUERIES = [
    ("红白喜事", "/liuxi/xinghua/covenant/#第五条"),
    ("婚事宴席", "/liuxi/xinghua/covenant/#第五条"),
    ("封建迷信", "/liuxi/xinghua/covenant/#第五条"),
    ("人民调解委员会", "/liuxi/xinghua/covenant/#第三条"),
    ("独居老人", "/liuxi/xinghua/covenant/#第六条"),
    ("三包", "/liuxi/xinghua/covenant/#第七条"),
    ("倾倒垃圾", "/liuxi/xinghua/covenant/#第八条"),
    ("厨余垃圾", "/liuxi/xinghua/covenant/#第九条"),
    ("文明祭扫", "/liuxi/xinghua/covenant/#第十条"),
    ("高空抛物", "/dongcheng/yinxing/covenant/#第三条"),
    ("消防通道", "/dongcheng/yinxing/covenant/#第三条"),
    ("出门拴绳", "/dongcheng/yinxing/covenant/#第四条"),
    ("电动自行车", "/dongcheng/yinxing/covenant/#第五条"),
    ("加装电梯", "/dongcheng/yinxing/covenant/#第六条"),
    ("财务收支", "/liuxi/xinghua/notices/finance-q3/"),
    ("道路维修", "/liuxi/xinghua/notices/finance-q3/"),
    ("低保对象", "/liuxi/xinghua/notices/low-income/"),
    ("高价彩礼", "/liuxi/xinghua/notices/hongbai/"),
    ("党费", "/liuxi/xinghua/notices/party-fees/"),
    ("停车场", "/liuxi/xinghua/consultations/topic-5/"),
    ("机耕路", "/liuxi/xinghua/consultations/topic-3/"),
    ("公益性岗位", "/liuxi/xinghua/consultations/topic-4/"),
    ("路灯", "/liuxi/xinghua/consultations/topic-1/"),
    ("红白理事会", "/liuxi/xinghua/hongbai/"),
    ("积分超市", "/liuxi/xinghua/points/"),
    ("小事不出楼栋", "/dongcheng/yinxing/yishi/"),
    ("适老化", "/dongcheng/hepingli/elderly/"),
]


@dataclass
class Row:
    query: str
    expected: str
    found: bool
    rank: int | None
    hits: int


def measure() -> list[Row]:
    # The recall set is plain data, importable without Django; the search needs it set up.
    from cms.search import search

    rows = []
    for query, expected in QUERIES:
        hits = search(query, limit=200)
        urls = [hit.url for hit in hits if hit.exact]
        rank = urls.index(expected) + 1 if expected in urls else None
        rows.append(Row(query, expected, rank is not None, rank, len(urls)))
    return rows


def table(rows: list[Row], database: str) -> str:
    found = sum(row.found for row in rows)
    lines = [
        f"Recall on {database}: {found}/{len(rows)} exact phrases found "
        f"({100 * found / len(rows):.0f}%).",
        "",
        "| query | must offer | found | rank | exact hits |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        mark = "yes" if row.found else "**no**"
        lines.append(
            f"| {row.query} | `{row.expected}` | {mark} | {row.rank or '–'} | {row.hits} |"
        )
    return "\n".join(lines)
