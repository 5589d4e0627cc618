"""Search that works in Chinese, on SQLite and PostgreSQL alike.

Neither SQLite's FTS5 nor PostgreSQL's text search splits Chinese into words, so a phrase inside a
sentence (红白喜事 in 婚丧嫁娶、红白喜事从简办理) is never found. Each searchable page therefore
indexes an extra field of character n-grams (every character and every pair of neighbours in each
run of Chinese text), and a query is turned into the pairs of its own characters, all required.
Any page containing the exact phrase contains all its pairs, so exact phrases are always found,
whatever the database; pages that merely contain the pairs apart are kept, ranked below.
No dictionary, so no word the dictionary lacks (a village's name, a new policy term) is missed.
"""

import re

from django.utils.html import strip_tags

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{HAN}]+|[A-Za-z0-9]+")
_HAN_RUN = re.compile(rf"[{HAN}]+")
MAX_QUERY_LENGTH = 50


def plain(html_or_text: str) -> str:
    return re.sub(r"\s+", " ", strip_tags(html_or_text or "")).strip()


def ngrams(text: str) -> str:
    """The index form of `text`: unigrams and bigrams of Chinese runs, lower-cased other words."""
    tokens: list[str] = []
    for run in _RUNS.findall(text or ""):
        if _HAN_RUN.fullmatch(run):
            tokens.extend(run)
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            tokens.append(run.lower())
    return " ".join(tokens)


def query_terms(query: str) -> list[str]:
    """The terms a query requires: bigrams of each Chinese run (the character if alone), words."""
    terms: list[str] = []
    for run in _RUNS.findall((query or "")[:MAX_QUERY_LENGTH]):
        if _HAN_RUN.fullmatch(run):
            grams = [run[i : i + 2] for i in range(len(run) - 1)] or [run]
            terms.extend(g for g in grams if g not in terms)
        elif run.lower() not in terms:
            terms.append(run.lower())
    return terms


def phrases(query: str) -> list[str]:
    """The query's words as typed (split on spaces), to test for exact containment."""
    return [p for p in (query or "")[:MAX_QUERY_LENGTH].lower().split() if p]


def excerpt(text: str, phrase: str, width: int = 40) -> tuple[str, str, str]:
    """(before, match, after) around the first occurrence of phrase in text, for highlighting."""
    at = text.lower().find(phrase.lower()) if phrase else -1
    if at < 0:
        return (text[: width * 2] + ("…" if len(text) > width * 2 else ""), "", "")
    start = max(0, at - width)
    end = at + len(phrase)
    return (
        ("…" if start else "") + text[start:at],
        text[at:end],
        text[end : end + width] + ("…" if end + width < len(text) else ""),
    )
