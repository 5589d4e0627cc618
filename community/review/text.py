"""A field's value as text a reviewer can read (rich text without tags, JSON and StreamField
content laid out line by line, every other value through cms.display.field_text), and a
character-level diff of two such texts."""

import difflib
import json
from dataclasses import dataclass
from html import unescape as unescape_entities

from django.db import models
from django.utils.html import strip_tags
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField

from cms.display import field_text

EMPTY = "（空）"
INLINE_LIMIT = 40  # longer or multi-line values are shown as a text diff
# Block names that hold a person's name: shown only to whom may_see_personal_names() allows.
PERSONAL_BLOCK_NAMES = frozenset({"speaker_name"})


def _rich_text(html: str) -> str:
    for tag in ("</p>", "</li>", "</h2>", "</h3>", "</h4>", "<br>", "<br/>", "</blockquote>"):
        html = html.replace(tag, tag + "\n")
    return unescape_entities(strip_tags(html)).strip()


def _block_value(block, value, hide_personal: bool) -> str:
    child_blocks = getattr(block, "child_blocks", None)
    if isinstance(value, dict) and child_blocks:
        parts = []
        for name, child in child_blocks.items():
            if hide_personal and name in PERSONAL_BLOCK_NAMES:
                continue
            inner = _block_value(child, value.get(name), hide_personal)
            if inner:
                parts.append(f"{child.label}：{inner}")
        return "；".join(parts)
    if isinstance(value, list):
        return "、".join(filter(None, (_block_value(None, v, hide_personal) for v in value)))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if value is None:
        return ""
    if block is None:
        return str(value)
    if isinstance(block, blocks.ChooserBlock):
        # The chosen document, image or page by its title (one query: a history shows few).
        chosen = block.to_python(value)
        return str(chosen) if chosen is not None else f"{block.label}（已删除）"
    choices = getattr(getattr(block, "field", None), "choices", None) or []
    return str(dict(choices).get(value, value))


def _stream(field: StreamField, value, hide_personal: bool) -> str:
    raw = getattr(value, "raw_data", value) or []
    lines = []
    for n, item in enumerate(raw, start=1):
        block = field.stream_block.child_blocks.get(item.get("type"))
        label = block.label if block is not None else item.get("type")
        lines.append(f"{n}. {label}：{_block_value(block, item.get('value'), hide_personal)}")
    return "\n".join(lines)


def readable(
    field: models.Field, value, related_titles: dict | None = None, hide_personal: bool = True
) -> str:
    """`value` of `field` (as simple-history's model_to_dict gives it) as plain text."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(field, StreamField):
        return _stream(field, value, hide_personal)
    if isinstance(field, RichTextField):
        return _rich_text(str(value))
    if isinstance(field, models.JSONField):
        return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
    return field_text(field, value, related_titles or {})


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str

    @property
    def inline(self) -> bool:
        return all("\n" not in v and len(v) <= INLINE_LIMIT for v in (self.old, self.new))

    @property
    def segments(self) -> list[tuple[str, str]]:
        """("equal"|"delete"|"insert", text) pieces, character by character (Chinese has no
        spaces to split words on)."""
        matcher = difflib.SequenceMatcher(None, self.old, self.new, autojunk=False)
        pieces = []
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                pieces.append(("equal", self.old[i1:i2]))
            if op in ("delete", "replace"):
                pieces.append(("delete", self.old[i1:i2]))
            if op in ("insert", "replace"):
                pieces.append(("insert", self.new[j1:j2]))
        return pieces
