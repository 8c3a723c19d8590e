"""The JSON bodies engines and front-ends send (DESIGN.md's wire format), validated with pydantic.

Shapes are checked here, so an API caller gets a 4xx that names the field; what the state allows
is the Tracker's business.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from store.tracker import MAX_STEP_ESTIMATE_SECONDS, NewStep, NewTask

__all__ = [
    "ActionBody",
    "ApprovalPolicy",
    "ChatBody",
    "ControlBody",
    "CreateTask",
    "NotifyTarget",
    "StepSpec",
    "SubstepSpec",
    "ValidationError",
    "describe_validation_error",
]

_strict = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SubstepSpec(BaseModel):
    model_config = _strict
    name: str = Field(min_length=1, max_length=500)
    label: str | None = Field(default=None, max_length=500)


class StepSpec(BaseModel):
    model_config = _strict
    name: str = Field(min_length=1, max_length=500)
    done_label: str | None = Field(default=None, max_length=500)
    weight: float = Field(default=1.0, ge=0, le=1_000_000)
    substeps: list[SubstepSpec | str] = Field(default_factory=list, max_length=500)
    # The engine's rough guess of the step's duration: the ETA's prior before any history.
    estimate_seconds: float | None = Field(
        default=None, gt=0, le=MAX_STEP_ESTIMATE_SECONDS, allow_inf_nan=False
    )

    @field_validator("substeps")
    @classmethod
    def _unique(cls, value: list[SubstepSpec | str]) -> list[SubstepSpec | str]:
        names = [s if isinstance(s, str) else s.name for s in value]
        if any(not n.strip() for n in names):
            raise ValueError("substep names must not be empty")
        if len(set(names)) != len(names):
            raise ValueError("substep names must be unique within a step")
        return value


class NotifyTarget(BaseModel):
    model_config = _strict
    platform: str = Field(min_length=1, max_length=32, pattern=r"^[a-z][a-z0-9_-]*$")
    chat: str = Field(min_length=1, max_length=200)
    thread: str | None = Field(default=None, max_length=200)

    @field_validator("chat", "thread", mode="before")
    @classmethod
    def _ids_as_text(cls, value: Any) -> Any:
        # Telegram chat ids are numbers; engines send them either way.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class ApprovalPolicy(BaseModel):
    model_config = _strict
    approvers: list[str] = Field(default_factory=list, max_length=100)
    quorum: int = Field(default=1, ge=1, le=100)
    allow_self_approval: bool = True
    expires_seconds: int | None = Field(default=None, ge=1)


class CreateTask(BaseModel):
    model_config = _strict
    task_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
    title: str = Field(min_length=1, max_length=500)
    short_name: str | None = Field(default=None, max_length=100)
    kind: str | None = Field(default=None, max_length=100)
    owner: str | None = Field(default=None, max_length=100)
    team: str | None = Field(default=None, max_length=100)
    complexity: dict[str, Any] | None = None
    steps: list[StepSpec] = Field(min_length=1, max_length=1000)
    notify: list[NotifyTarget] = Field(default_factory=list, max_length=100)
    approval: ApprovalPolicy | None = None
    workspace: str | None = Field(default=None, max_length=100)

    @field_validator("steps", mode="before")
    @classmethod
    def _plain_names(cls, value: Any) -> Any:
        # "Extract" is as good a step as {"name": "Extract"}, as in bot.client and substeps.
        if isinstance(value, list):
            return [{"name": item} if isinstance(item, str) else item for item in value]
        return value

    def to_new_task(self) -> NewTask:
        approval = self.approval or ApprovalPolicy()
        return NewTask(
            title=self.title,
            task_id=self.task_id,
            short_name=self.short_name,
            kind=self.kind,
            owner=self.owner,
            team=self.team,
            complexity=self.complexity,
            workspace=self.workspace,
            steps=tuple(
                NewStep(
                    name=step.name,
                    done_label=step.done_label,
                    weight=step.weight,
                    estimate_seconds=step.estimate_seconds,
                    substeps=tuple(
                        (s, None) if isinstance(s, str) else (s.name, s.label)
                        for s in step.substeps
                    ),
                )
                for step in self.steps
            ),
            notify=tuple((t.platform, t.chat, t.thread) for t in self.notify),
            approvers=tuple(approval.approvers),
            quorum=approval.quorum,
            allow_self_approval=approval.allow_self_approval,
            approval_expires_seconds=approval.expires_seconds,
        )


class ControlBody(BaseModel):
    """Body of the control routes (pause, resume, ...): who asked, and why. Both optional."""

    model_config = _strict
    by: str | None = Field(default=None, max_length=100)
    reason: str | None = Field(default=None, max_length=2000)
    via: str | None = Field(default=None, max_length=100)


class ChatBody(BaseModel):
    model_config = _strict
    person: str = Field(min_length=1, max_length=100)
    chat: str = Field(default="api", min_length=1, max_length=200)
    text: str = Field(max_length=100_000)


class ActionBody(BaseModel):
    model_config = _strict
    person: str = Field(min_length=1, max_length=100)
    chat: str = Field(default="api", min_length=1, max_length=200)
    action: str = Field(min_length=1, max_length=50)
    task_id: str | None = Field(default=None, max_length=64)
    arg: str | None = Field(default=None, max_length=200)
    text: str | None = Field(default=None, max_length=2000)


def describe_validation_error(exc: ValidationError) -> list[dict[str, Any]]:
    """pydantic's errors as [{"field": "steps.0.name", "problem": "..."}], no input echoed."""
    problems = []
    for error in exc.errors(include_input=False, include_url=False):
        location = ".".join(str(part) for part in error["loc"]) or "(body)"
        problems.append({"field": location, "problem": error["msg"]})
    return problems
