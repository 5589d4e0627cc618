"""What every router of our headless API shares: ids that cannot overflow the database, and the
problem responses (Wagtail's problem+json or our own `detail`/`errors`), so each endpoint
declares the same error shapes in OpenAPI."""

from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from cms.ids import MAX_ID

# Ids beyond a database integer are simply not found (422 from validation), never a server error.
PageId = Annotated[int, Field(ge=1, le=MAX_ID)]


class ProblemSchema(Schema):
    """Errors: Wagtail's problem+json (type, title, status, detail) or ours (detail, errors)."""

    type: str | None = None
    title: str | None = None
    status: int | None = None
    detail: Any = None
    errors: list[Any] = []


# 400: a parameter refused before any handler runs (cms/input_guard.py: NUL, out-of-range ids).
PROBLEMS = {400: ProblemSchema, 404: ProblemSchema, 422: ProblemSchema}
