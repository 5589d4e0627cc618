from community.models.covenant import CovenantPage
from community.models.notification import Notification
from community.models.revision import CovenantRevision, Stage
from community.models.role import Role
from community.models.tree import (
    CommunityPage,
    CommunityPageQuerySet,
    NoticeIndexPage,
    TownshipPage,
)

__all__ = [
    "CommunityPage",
    "CommunityPageQuerySet",
    "CovenantPage",
    "CovenantRevision",
    "NoticeIndexPage",
    "Notification",
    "Role",
    "Stage",
    "TownshipPage",
]
