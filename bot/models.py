"""Pydantic models of what policy owners write: playbooks and policies.

Every model forbids unknown fields, because pydantic's default of ignoring them
would silently drop a misspelt key in a policy file. Money is ``Decimal``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, field_validator, model_validator
from pydantic_core import PydanticCustomError

Lang = Literal["en", "es"]
LANGS: tuple[Lang, ...] = ("en", "es")

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
Amount = Annotated[Decimal, Field(ge=0, allow_inf_nan=False, max_digits=14, decimal_places=2)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
NonEmptyText = Annotated[str, Field(min_length=1, max_length=2000)]


class Strict(BaseModel):
    """Base for every file model: unknown keys are errors, never ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalizedText(RootModel[NonEmptyText | dict[Lang, NonEmptyText]]):
    """A sentence written once, or once per language (``{en: ..., es: ...}``).

    >>> LocalizedText({"en": "Hello", "es": "Hola"}).text("es")
    'Hola'
    >>> LocalizedText("Hello").text("es")
    'Hello'
    """

    model_config = ConfigDict(frozen=True)

    @field_validator("root")
    @classmethod
    def _not_empty(cls, value):
        if isinstance(value, dict) and not value:
            raise ValueError("give the text, or at least one of 'en' and 'es'")
        return value

    def text(self, lang: Lang = "en") -> str:
        """The text in ``lang``, falling back to English, then to any language given."""
        if isinstance(self.root, str):
            return self.root
        return self.root.get(lang) or self.root.get("en") or next(iter(self.root.values()))

    def all_texts(self) -> list[str]:
        return [self.root] if isinstance(self.root, str) else list(self.root.values())


# ---------------------------------------------------------------- playbooks


class Owner(Strict):
    """The back-office team that owns the root cause, and how to hand over to it."""

    team: NonEmptyText
    handoff: LocalizedText | None = None
    contact: str | None = Field(default=None, description="Slack channel or queue of the owning team")


class CustomerPhrasing(Strict):
    """What to say to the customer, including how to say no honestly."""

    opening: LocalizedText | None = None
    yes: LocalizedText | None = None
    no: LocalizedText | None = None


class PlaybookTestExpectation(Strict):
    playbook: Slug | None = Field(default=None, description="expected matched playbook (defaults to this one)")
    outcome: Literal["match", "ambiguous", "none"] | None = None
    action: Identifier | None = None
    decision: Literal["allowed", "needs_approval", "not_allowed"] | None = None
    approver_role: Identifier | None = None


class PlaybookTest(Strict):
    """A case kept beside the playbook, in the spirit of ``opa test``."""

    note: NonEmptyText
    situation: NonEmptyText
    role: Identifier = "agent"
    customer_gestures: int = Field(default=0, ge=0, description="gestures this customer already had in the window")
    spent_today: Amount = Decimal(0)
    expect: PlaybookTestExpectation


class Playbook(Strict):
    """One customer situation: how to recognise it, what to do, what the agent may decide."""

    id: Slug
    title: LocalizedText
    summary: LocalizedText | None = None
    examples: list[NonEmptyText] = Field(min_length=1)
    aliases: list[NonEmptyText] = Field(default_factory=list, description="keywords and short phrases agents use")
    owner: Owner | None = None
    checks: list[LocalizedText] = Field(default_factory=list, description="conditions to confirm before acting")
    steps: list[LocalizedText] = Field(min_length=1)
    good: list[LocalizedText] = Field(default_factory=list, description="what an excellent handling looks like")
    avoid: list[LocalizedText] = Field(default_factory=list, description="what an unfortunate handling looks like")
    say: CustomerPhrasing | None = None
    offer_instead: list[LocalizedText] = Field(
        default_factory=list, description="what to offer when the answer is no"
    )
    actions: dict[Identifier, dict[Identifier, Amount]] = Field(
        default_factory=dict, description="action -> role -> the most that role may grant in this situation"
    )
    tests: list[PlaybookTest] = Field(default_factory=list)


# ---------------------------------------------------------------- policies


class Role(Strict):
    id: Identifier
    name: LocalizedText


class Action(Strict):
    """An entry of the action catalogue, with the words agents use for it."""

    name: LocalizedText
    synonyms: dict[Lang, list[NonEmptyText]] = Field(default_factory=dict)


class Budget(Strict):
    """How much one person of a role may grant on their own authority."""

    daily: Amount | None = None
    monthly: Amount | None = None


class FrequencyLimit(Strict):
    """At most ``max`` gestures of these actions per customer in ``days`` days."""

    id: Slug
    actions: list[Identifier] = Field(min_length=1)
    max: int = Field(ge=1)
    days: int = Field(ge=1, le=3660)
    approver: Identifier | None = Field(
        default=None, description="role that may approve one more; when absent, no one may"
    )


class Person(Strict):
    role: Identifier
    team: str | None = None
    name: str | None = None


class People(Strict):
    """Who is in which role. Anyone not listed gets ``default_role``."""

    default_role: Identifier
    users: dict[str, Person] = Field(default_factory=dict, description="Slack user id -> person")
    groups: dict[str, Identifier] = Field(default_factory=dict, description="Slack user group id -> role")

    @field_validator("users", mode="before")
    @classmethod
    def _short_form(cls, value):
        """Allow ``U123: lead`` as shorthand for ``U123: {role: lead}``."""
        if isinstance(value, dict):
            return {key: {"role": item} if isinstance(item, str) else item for key, item in value.items()}
        return value


Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[str, ...] = Weekday.__args__
SlackChannel = Annotated[str, Field(pattern=r"^[CG][A-Z0-9]+$")]


class Digest(Strict):
    """When and where the weekly digest for leads is posted: a weekday and a time in the policy's time zone."""

    channel: SlackChannel
    weekday: Weekday = "monday"
    time: str = Field(default="09:00", description="24-hour HH:MM in the policy time zone")

    @field_validator("time", mode="before")
    @classmethod
    def _clock_time(cls, value):
        """``09:00`` or ``9:00``; anything else says how to write it.

        >>> Digest(channel="C0LEADS01", time="9:30").time
        '09:30'
        """
        hours, _, minutes = str(value).partition(":")
        if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and int(hours) < 24 and int(minutes) < 60):
            raise PydanticCustomError("clock_time", "{value} is not a time; write it as HH:MM (24-hour), like \"09:00\"",
                                      {"value": repr(value)})
        return f"{int(hours):02d}:{minutes}"


class Routing(Strict):
    escalation_channel: str = Field(pattern=r"^[CG][A-Z0-9]+$")
    by_team: dict[str, str] = Field(default_factory=dict, description="team -> escalation channel")
    digest: Digest | None = Field(default=None, description="the weekly digest for leads; none is posted without it")
    recognition_channel: SlackChannel | None = Field(
        default=None, description="where a lead may share an agent's great call with the team")


POLICY_SECTIONS = ("currency", "timezone", "roles", "actions", "caps", "budgets", "frequency_limits", "people", "routing")


class PolicyFile(Strict):
    """One file of ``policies/``: any of the sections, each defined in one file only."""

    currency: Currency | None = None
    timezone: str | None = Field(default=None, description="IANA time zone for budget days and months")
    roles: list[Role] | None = None
    actions: dict[Identifier, Action] | None = None
    caps: dict[Identifier, dict[Identifier, Amount]] | None = None
    budgets: dict[Identifier, Budget] | None = None
    frequency_limits: list[FrequencyLimit] | None = None
    people: People | None = None
    routing: Routing | None = None


class Policy(Strict):
    """The organisation-wide rules, merged from every file of ``policies/``."""

    currency: Currency
    timezone: str = "UTC"
    roles: list[Role] = Field(min_length=1)
    actions: dict[Identifier, Action] = Field(min_length=1)
    caps: dict[Identifier, dict[Identifier, Amount]] = Field(default_factory=dict)
    budgets: dict[Identifier, Budget] = Field(default_factory=dict)
    frequency_limits: list[FrequencyLimit] = Field(default_factory=list)
    people: People
    routing: Routing | None = None
    sources: dict[str, str] = Field(default_factory=dict, description="section -> file it came from")

    @model_validator(mode="after")
    def _unique_roles(self):
        ids = [role.id for role in self.roles]
        if len(set(ids)) != len(ids):
            raise ValueError("role ids must be unique")
        return self

    @property
    def role_ids(self) -> list[str]:
        """Roles from least to most authority."""
        return [role.id for role in self.roles]

    def role(self, role_id: str) -> Role:
        return next(role for role in self.roles if role.id == role_id)

    def rank(self, role_id: str) -> int:
        return self.role_ids.index(role_id)

    def role_of(self, user_id: str, groups: tuple[str, ...] = ()) -> str:
        """The role of a Slack user: their own entry, else their highest group, else the default."""
        if user_id in self.people.users:
            return self.people.users[user_id].role
        group_roles = [self.people.groups[g] for g in groups if g in self.people.groups]
        if group_roles:
            return max(group_roles, key=self.rank)
        return self.people.default_role

    def team_of(self, user_id: str) -> str | None:
        person = self.people.users.get(user_id)
        return person.team if person else None

    def escalation_channel(self, team: str | None) -> str | None:
        if self.routing is None:
            return None
        return self.routing.by_team.get(team or "", self.routing.escalation_channel)


def cap_for(policy: "Policy", action: str, role: str) -> Decimal | None:
    """The policy's hard cap for ``role``: its own, else inherited from the nearest lower role named.

    ``None`` means the policy sets no cap for this action at all; ``0`` that this role has none.
    """
    limits = policy.caps.get(action)
    if limits is None:
        return None
    return inherited(limits, policy.role_ids, role)


def inherited(limits: dict[str, Decimal], roles: list[str], role: str) -> Decimal:
    """The limit of ``role``, or of the nearest lower role that is named, or 0.

    >>> from decimal import Decimal as D
    >>> inherited({"agent": D(15), "senior": D(30)}, ["agent", "senior", "lead"], "lead")
    Decimal('30')
    >>> inherited({"senior": D(30)}, ["agent", "senior", "lead"], "agent")
    Decimal('0')
    """
    for candidate in reversed(roles[: roles.index(role) + 1]):
        if candidate in limits:
            return limits[candidate]
    return Decimal(0)


class PolicySet(Strict):
    """Everything Leeway knows at one revision: the playbooks, the policy, and where each came from."""

    playbooks: dict[str, Playbook]
    policy: Policy
    revision: str
    git_commit: str | None = None
    playbook_files: dict[str, str] = Field(default_factory=dict, description="playbook id -> file path")
    locations: dict[str, str] = Field(default_factory=dict, description="rule key -> path:line, cited by reasons")
