"""What a step of the covenant procedure is (Step), who may take it (may_take) and how a step is
refused (ProcedureError). The steps themselves, each with its function, are declared together in
community.transitions.PROCEDURE."""

from collections.abc import Callable, Set
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from community.forms import StepForm
from community.models import CommunityPage, CovenantRevision, Role, Stage
from community.permissions import policy_for
from community.procedures import Violation, as_validation_error

COMMITTEE = frozenset({Role.Kind.COMMITTEE})
REVIEWER = frozenset({Role.Kind.REVIEWER})
ROLE_NAMES = {
    Role.Kind.COMMITTEE: "本村(社区)委员会成员",
    Role.Kind.REVIEWER: "所属乡镇(街道)的审核人员",
}
CLOSED_STAGES = (Stage.PUBLISHED, Stage.WITHDRAWN)


class ProcedureError(ValidationError):
    """A refused step; `violations` carry codes, Chinese messages and the offending field."""

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        super().__init__([v.message for v in violations])

    def apply_to(self, form: forms.BaseForm) -> None:
        """Show the refusal on the step's form: on the field it names, if the form has it."""
        form.add_error(None, as_validation_error(self.violations, form.fields))


def refuse(code: str, message: str, field: str | None = None):
    raise ProcedureError([Violation(code, message, field)])


@dataclass(frozen=True)
class Step:
    """One step of the procedure: what the admin offers (label, form), when (stage), to whom
    (roles), what it does (run), and the words of its refusals and of its success."""

    name: str  # in the step's admin URL
    label: str  # its button and page title
    stage: Stage | None  # the stage it is taken from; None: any open stage
    roles: frozenset[str]
    form_class: type[StepForm]
    run: Callable[..., CovenantRevision]  # (revision, user, **the form's cleaned data)
    act: str  # "只有……可以{act}。"
    stage_act: str = ""  # "……不能{stage_act}（须在……阶段进行）"
    done: str = ""  # the success message, if not "{label}：已完成。"

    @property
    def success(self) -> str:
        return self.done or f"{self.label}：已完成。"

    def form(self, revision: CovenantRevision | None, data=None) -> StepForm:
        return self.form_class(data, revision=revision)

    def is_open_on(self, revision: CovenantRevision) -> bool:
        """Whether the revision is at a stage this step is taken from."""
        if revision.stage in CLOSED_STAGES:
            return False
        return self.stage is None or self.stage == revision.stage


def may_take(step: Step, user, community: CommunityPage, kinds: Set[str] | None = None) -> bool:
    """Whether `user` may take `step` on `community`'s covenant: the one place that says so.
    `kinds`: the user's role kinds there, when the caller has them already. The permission
    policy decides; site administrators may take every step."""
    policy = policy_for(user)
    if kinds is None:
        return policy.may_act_as(community, step.roles)
    return policy.superuser or bool(kinds & step.roles)


def require_role(step: Step, user, community: CommunityPage) -> None:
    if not may_take(step, user, community):
        who = "或".join(ROLE_NAMES[k] for k in sorted(step.roles))
        raise PermissionDenied(f"只有{who}可以{step.act}。")


def require_stage(step: Step, revision: CovenantRevision) -> None:
    if step.stage is not None and revision.stage != step.stage:
        refuse(
            "stage",
            f"这次修订当前处于“{revision.get_stage_display()}”阶段，不能{step.stage_act}"
            f"（须在“{step.stage.label}”阶段进行，程序不能跳过或颠倒）。",
        )


def require(step: Step, revision: CovenantRevision, user) -> None:
    """Refuse the step to a user who may not take it, then at a stage it is not taken from."""
    require_role(step, user, revision.community)
    require_stage(step, revision)
