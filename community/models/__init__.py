from community.models.covenant import CovenantPage
from community.models.disclosure import DisclosureItem, NoticeCategory
from community.models.evaluation import Evaluation, EvaluationRating
from community.models.experience import (
    ExperienceFeature,
    ExperienceIndexPage,
    ExperiencePage,
    ExperiencePageTag,
    ExperienceTheme,
)
from community.models.notice import NoticeIndexPage, NoticePage
from community.models.notification import Notification
from community.models.opinion import ArticleNote, CommentWindow, Opinion
from community.models.register import CommunityRegister, RegisterGroup
from community.models.revision import CovenantRevision, Stage
from community.models.role import Role
from community.models.settings import DistrictSettings
from community.models.supervision import (
    FinanceSignOff,
    SupervisionMember,
    SupervisionOpinion,
    SupervisionReport,
)
from community.models.tree import (
    CommunityPage,
    CommunityPageQuerySet,
    TownshipPage,
)

__all__ = [
    "ArticleNote",
    "CommentWindow",
    "CommunityPage",
    "CommunityPageQuerySet",
    "CommunityRegister",
    "CovenantPage",
    "CovenantRevision",
    "DisclosureItem",
    "DistrictSettings",
    "Evaluation",
    "EvaluationRating",
    "ExperienceFeature",
    "ExperienceIndexPage",
    "ExperiencePage",
    "ExperiencePageTag",
    "ExperienceTheme",
    "FinanceSignOff",
    "NoticeCategory",
    "NoticeIndexPage",
    "NoticePage",
    "Notification",
    "Opinion",
    "RegisterGroup",
    "Role",
    "Stage",
    "SupervisionMember",
    "SupervisionOpinion",
    "SupervisionReport",
    "TownshipPage",
]
