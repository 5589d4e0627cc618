"""The rule table (community/law.py) and the docs that print it stay in step."""

from pathlib import Path

from community import law

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_row_is_in_the_docs_table():
    text = (DOCS / "covenants.md").read_text(encoding="utf-8")
    for row in law.ROWS:
        line = (
            f"| `{row.key}` | {row.law} | {row.version} | {row.in_force_from:%Y-%m-%d} | "
            f"{row.article} | {row.summary} |"
        )
        assert line in text, f"docs/covenants.md lacks the row of {row.key} ({row.version})"


def test_consultations_doc_names_both_texts():
    text = (DOCS / "consultations.md").read_text(encoding="utf-8")
    assert "村民委员会组织法（2018年修正）第二十二条" in text
    assert "村民委员会组织法（2025年修正）第二十六条" in text
