"""Typed errors that know how to show themselves.

Each carries what a reader needs to fix the problem without a traceback: the
file and line, what is wrong, and a hint. The CLI and the Slack adapter turn
them into messages in one place each.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a policy owner's file, shown as ``path:line: message``.

    >>> str(Problem("playbooks/late.yaml", 12, "steps: add at least one step"))
    'playbooks/late.yaml:12: steps: add at least one step'
    """

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


class LeewayError(Exception):
    """Base of every error Leeway raises on purpose; ``exit_code`` is what the CLI returns."""

    exit_code = 1


class PolicyInvalid(LeewayError):
    """The playbooks or policies have problems; every one of them is listed."""

    exit_code = 2

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        lines = [str(problem) for problem in self.problems]
        lines.append(f"{count} problem{'s' if count != 1 else ''} found; fix them and run `leeway validate` again.")
        return "\n".join(lines)


class NoValidPolicy(LeewayError):
    """Leeway refuses to decide anything: it never loaded a valid set of files."""

    exit_code = 2

    def __init__(self, report: str):
        super().__init__(
            "Leeway has no valid playbooks and policies loaded, so it refuses to answer.\n" + report
        )


@dataclass
class UserInputError(LeewayError):
    """Bad input from a person (not a file): shown in their language through ``bot.messages``."""

    code: str
    params: dict = field(default_factory=dict)

    def __post_init__(self):
        super().__init__(self.code)


class NotFound(UserInputError):
    """A record someone referred to does not exist."""


class Refused(UserInputError):
    """A write the policy does not allow at this moment (re-checked at write time)."""
