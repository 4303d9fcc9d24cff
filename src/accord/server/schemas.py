"""The service's own request bodies and the documented shapes of its answers (OpenAPI).

Bodies that *are* library objects (a scenario, a ``Text``, ``Preferences``,
a ``Statement``, a ``Meeting``) are not re-declared here: the routes validate
them with the library (:mod:`accord.server.store`) and the OpenAPI document
refers to the library's own JSON Schemas.  The models below cover what only
the service has: logins, tokens, invitations, votes, comments, amendments,
acceptances.  Response models describe what the routes return; the routes
build those answers with the library's converters and send them as they are,
and the schemathesis test checks that they match these shapes.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from accord.model.types import Identifier

# -- requests -----------------------------------------------------------------------------


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


Email = Annotated[str, StringConstraints(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Note = Annotated[str, StringConstraints(max_length=10_000)]
Password = Annotated[str, StringConstraints(max_length=1024)]


class LoginBody(_Body):
    email: Annotated[str, StringConstraints(max_length=320)]
    password: Password


class AccountCreateBody(_Body):
    email: Email
    name: Name
    password: Password
    is_admin: bool = False


class AccountUpdateBody(_Body):
    name: Name | None = None
    password: Password | None = None
    current_password: Password | None = Field(default=None, description="Needed to change the password.")


class TokenCreateBody(_Body):
    name: Name
    expires_in_days: int | None = Field(default=None, ge=1, le=3650, strict=True)


Role = Literal["mediator", "delegate", "observer"]
Visibility = Literal["full", "analysis-only", "none"]


class InvitationCreateBody(_Body):
    role: Role
    party: Identifier | None = Field(default=None, description="The party a delegate speaks for.")
    expires_in_hours: float = Field(default=72.0, gt=0, allow_inf_nan=False, strict=True)
    note: Annotated[str, StringConstraints(max_length=500)] | None = None
    email: Email | None = Field(
        default=None,
        description="Bind the invitation to the account with this email: no one else may accept it. "
        "A delegate invited without one waits for a mediator's confirmation before seeing anything.",
    )


class InvitationAcceptBody(_Body):
    token: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    email: Email | None = Field(default=None, description="To create an account while accepting.")
    name: Name | None = None
    password: Password | None = None


class PreferencesBody(_Body):
    visibility: Visibility = Field(description="What the mediators may see of these preferences.")
    preferences: dict[str, Any] = Field(
        description="The party's preferences, exactly as in a scenario file's [preferences.PARTY] table."
    )


class VoteBody(_Body):
    verdict: Literal["accept", "reject", "accept_with_reservations"]
    points: list[Identifier] = Field(
        default_factory=list, max_length=500, description="Issues the reservations are about."
    )
    note: Note | None = None


class CommentBody(_Body):
    body: Annotated[str, StringConstraints(min_length=1, max_length=10_000)]
    point: Identifier | None = Field(default=None, description="The issue the comment is about.")
    audience: Literal["mediators", "participants"] = Field(
        default="mediators",
        description="mediators: your party and the mediators; participants: every mediator and delegate.",
    )


class AmendmentBody(_Body):
    base: Identifier = Field(description="The text the change applies to.")
    changes: dict[Identifier, Identifier | None] = Field(
        min_length=1, description="issue → proposed option (null: leave the point open)."
    )
    note: Note | None = None


class AmendmentDecisionBody(_Body):
    decision: Literal["publish", "decline"]
    text_id: Identifier | None = Field(default=None, description="Id of the new version (publish).")
    title: Name | None = None
    notes: Note | None = None


class WithdrawBody(_Body):
    note: Note | None = None


class AcceptanceBody(_Body):
    text: Identifier | None = Field(default=None, description="A published version with every point settled.")
    positions: dict[Identifier, Identifier] | None = Field(
        default=None, description="Or a package: one option for every issue."
    )


class ImprovementOfferBody(_Body):
    pick: int = Field(default=1, ge=1, le=50, strict=True,
                      description="Which listed improvement (1 = the first).")
    text_id: Identifier
    title: Name


class StatementBody(_Body):
    published: bool = True
    statement: dict[str, Any] = Field(description="A Statement, as in a scenario file's [[statements]].")


class MeetingBody(_Body):
    published: bool = True
    meeting: dict[str, Any] = Field(description="A Meeting, as in a scenario file's [[meetings]].")


# -- responses ------------------------------------------------------------------------------


class _Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class ProblemOut(_Out):
    path: str
    message: str


class ErrorOut(_Out):
    error: str
    problems: list[ProblemOut]
    current: Any | None = None


class AccountOut(_Out):
    id: int
    email: str
    name: str
    is_admin: bool


class SessionOut(_Out):
    account: AccountOut
    csrf_token: str | None
    via: str


class TokenOut(_Out):
    id: str
    name: str
    prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked: bool
    token: str | None = Field(default=None, description="Shown once, when the token is created.")


class TokenList(_Out):
    tokens: list[TokenOut]


class InvitationOut(_Out):
    id: str
    role: str
    party: str | None
    created_at: dt.datetime
    expires_at: dt.datetime
    status: str
    note: str | None = None
    email: str | None = Field(default=None, description="The email it is bound to, if any.")
    token: str | None = Field(default=None, description="Shown once, when the invitation is created.")


class InvitationList(_Out):
    invitations: list[InvitationOut]


class InvitationPreview(_Out):
    negotiation: str
    title: str
    role: str
    party: str | None
    party_name: str | None
    expires_at: dt.datetime
    bound: bool = Field(default=False, description="Only the account it was made for may accept it.")


class MembershipOut(_Out):
    negotiation: str
    role: str
    party: str | None
    confirmed: bool = True


class MemberOut(_Out):
    account: int
    name: str
    email: str | None
    role: str
    party: str | None
    since: dt.datetime
    confirmed: bool = True


class MemberList(_Out):
    members: list[MemberOut]


class NegotiationSummary(_Out):
    id: str
    title: str
    role: str
    party: str | None


class NegotiationList(_Out):
    negotiations: list[NegotiationSummary]


class TextSummary(_Out):
    id: str
    title: str
    seq: int
    parent: str | None
    status: str
    open_points: list[str]
    origin: str
    published_at: dt.datetime


class NegotiationState(_Out):
    id: str
    title: str
    role: str
    party: str | None
    version: int
    state_version: int
    structure: dict[str, Any]
    must_accept: list[str]
    texts: list[TextSummary]
    current_text: str | None
    agreement: dict[str, Any] | None
    preferences: dict[str, Any]


class StructureOut(_Out):
    version: int
    structure: dict[str, Any]


class PreferencesOut(_Out):
    party: str
    kind: str
    version: int
    updated_at: dt.datetime
    visibility: str | None = None
    preferences: dict[str, Any] | None = None


class PreferencesList(_Out):
    parties: dict[str, Any]


class TextOut(_Out):
    text: dict[str, Any]
    seq: int
    origin: str
    published_at: dt.datetime
    lineage: list[str]
    changes: list[dict[str, Any]]


class TextList(_Out):
    texts: list[TextSummary]
    current_text: str | None


class CommentOut(_Out):
    id: str
    text: str
    point: str | None
    party: str | None
    author: str
    audience: str
    body: str
    created_at: dt.datetime


class CommentList(_Out):
    comments: list[CommentOut]


class VoteOut(_Out):
    id: str
    text: str
    party: str
    verdict: str
    points: list[str]
    note: str | None
    version: int
    cast_at: dt.datetime


class VoteList(_Out):
    votes: list[VoteOut]


class AmendmentOut(_Out):
    id: str
    party: str
    base: str
    changes: dict[str, str | None]
    note: str | None
    status: str
    version: int
    result_text: str | None
    created_at: dt.datetime


class AmendmentList(_Out):
    amendments: list[AmendmentOut]


class AcceptanceOut(_Out):
    id: str
    party: str
    text: str | None
    positions: dict[str, str]
    created_at: dt.datetime
    active: bool


class AcceptanceList(_Out):
    acceptances: list[AcceptanceOut]


class AcceptanceResult(_Out):
    acceptance: AcceptanceOut
    agreement: dict[str, Any] | None


class AgreementOut(_Out):
    agreement: dict[str, Any] | None
    history: list[dict[str, Any]]


class RecordOut(_Out):
    id: str
    published: bool
    created_at: dt.datetime


class RecordList(_Out):
    items: list[dict[str, Any]]


class AnalysisOut(_Out):
    status: str
    role: str


class AuditOut(_Out):
    entries: list[dict[str, Any]]
    streams: dict[str, int]


class HealthOut(_Out):
    status: str
    version: str
    database: str
