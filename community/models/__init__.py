from community.models.role import Role
from community.models.tree import (
    CommunityPage,
    CommunityPageQuerySet,
    NoticeIndexPage,
    TownshipPage,
)

__all__ = ["CommunityPage", "CommunityPageQuerySet", "NoticeIndexPage", "Role", "TownshipPage"]
