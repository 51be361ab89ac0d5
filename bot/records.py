"""What the ledger stores: exceptions used, escalations, unmatched situations."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

EscalationStatus = Literal["pending", "approved", "denied", "withdrawn", "expired"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ExceptionDraft(Frozen):
    """An exception an agent is about to use: who, in which situation, what, for whom, why."""

    user: str
    playbook: str
    action: str
    amount: Decimal = Field(ge=0)
    currency: str
    customer_ref: str | None = None
    note: str | None = None
    situation: str | None = None
    team: str | None = None


class ExceptionRecord(Frozen):
    id: int
    key: str
    user: str
    role: str
    team: str | None
    playbook: str
    action: str
    amount: Decimal
    currency: str
    customer_ref: str | None
    note: str | None
    situation: str | None
    decision: str = Field(description="allowed on the user's own authority, or approved through an escalation")
    approved_by: str | None
    escalation_id: int | None
    policy_revision: str
    created_at: datetime
    purged_at: datetime | None = Field(default=None, description="when its free text was purged (retention)")


class Escalation(Frozen):
    id: int
    key: str
    status: EscalationStatus
    requested_by: str
    requester_role: str
    team: str | None
    playbook: str
    action: str
    amount: Decimal
    currency: str
    customer_ref: str | None
    note: str | None
    situation: str | None
    approver_role: str | None
    decision_json: str = Field(description="the Decision that sent it to a lead, as JSON")
    policy_revision: str
    created_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_note: str | None = None
    channel: str | None = None
    message_ts: str | None = None
    reply_channel: str | None = None
    reply_thread_ts: str | None = None
    purged_at: datetime | None = Field(default=None, description="when its free text was purged (retention)")


class UnmatchedSituation(Frozen):
    id: int
    key: str
    user: str | None
    text: str
    candidates: str = Field(description="the closest playbooks and scores, as JSON")
    policy_revision: str
    created_at: datetime
    purged_at: datetime | None = Field(default=None, description="when its free text was purged (retention)")


class Recorded(Frozen):
    """The outcome of an idempotent write: the stored record, and whether this call created it."""

    record: ExceptionRecord | Escalation | UnmatchedSituation
    created: bool
