"""Last-known-good reloading: an edit that breaks the files never takes the bot down.

The store answers with the newest set that validated. A bad edit is reported and
ignored; a start with no valid set fails closed: ``current()`` raises
``NoValidPolicy`` instead of deciding with nothing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.errors import NoValidPolicy, PolicyInvalid
from bot.loading import load_policy_set, yaml_files
from bot.models import PolicySet


@dataclass(frozen=True)
class ReloadReport:
    """What the last reload did: ``changed`` to a new revision, kept the old one, or nothing to do."""

    ok: bool
    revision: str | None
    previous_revision: str | None
    problems: str = ""

    @property
    def changed(self) -> bool:
        return self.ok and self.revision != self.previous_revision


class PolicyStore:
    """Holds the last good ``PolicySet`` and what was built from it (e.g. the match index)."""

    def __init__(self, playbooks: Path, policies: Path, *, build: Callable[[PolicySet], object] | None = None,
                 check_every: float = 2.0, clock: Callable[[], float] = time.monotonic):
        self.playbooks, self.policies = Path(playbooks), Path(policies)
        self._build = build
        self._check_every = check_every
        self._clock = clock
        self._lock = threading.Lock()
        self._current: PolicySet | None = None
        self._built: object = None
        self._fingerprint: tuple = ()
        self._last_check = float("-inf")
        self.last_report = ReloadReport(ok=False, revision=None, previous_revision=None, problems="not loaded yet")

    def reload(self) -> ReloadReport:
        """Load the folders now; keep the previous set if the new one is invalid."""
        with self._lock:
            previous = self._current.revision if self._current else None
            fingerprint = self._files_fingerprint()
            try:
                candidate = load_policy_set(self.playbooks, self.policies)
                built = self._build(candidate) if self._build else None
            except PolicyInvalid as error:
                self.last_report = ReloadReport(False, previous, previous, error.report())
                self._fingerprint = fingerprint
                return self.last_report
            if previous != candidate.revision or self._built is None:
                self._current, self._built = candidate, built
            self._fingerprint = fingerprint
            self.last_report = ReloadReport(True, candidate.revision, previous)
            return self.last_report

    def current(self) -> PolicySet:
        """The set in force, reloading first when files changed; raises ``NoValidPolicy`` if none ever loaded."""
        self._reload_if_changed()
        if self._current is None:
            raise NoValidPolicy(self.last_report.problems)
        return self._current

    def built(self):
        """What ``build`` made from the current set (the same revision as ``current()``)."""
        self.current()
        return self._built

    def snapshot(self) -> tuple[PolicySet, object]:
        """The set and what was built from it, consistently from one revision."""
        self._reload_if_changed()
        with self._lock:
            if self._current is None:
                raise NoValidPolicy(self.last_report.problems)
            return self._current, self._built

    def _reload_if_changed(self) -> None:
        now = self._clock()
        if now - self._last_check < self._check_every and self._current is not None:
            return
        self._last_check = now
        if self._current is None or self._files_fingerprint() != self._fingerprint:
            self.reload()

    def _files_fingerprint(self) -> tuple:
        """Cheap change detection: names, sizes and modification times of the YAML files."""
        entries = []
        for folder in (self.playbooks, self.policies):
            if not folder.is_dir():
                entries.append((str(folder), "missing"))
                continue
            for path in yaml_files(folder):
                try:
                    stat = path.stat()
                except OSError:
                    continue
                entries.append((str(path), stat.st_size, stat.st_mtime_ns))
        return tuple(entries)
