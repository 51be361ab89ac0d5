"""YAML folders -> one validated ``PolicySet``, or every problem at once as ``path:line``.

A policy owner must be able to fix each problem from its message alone, so
nothing here lets a traceback escape for a bad file.
"""

from __future__ import annotations

import hashlib
import subprocess
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ValidationError

from bot.errors import PolicyInvalid, Problem
from bot.models import POLICY_SECTIONS, Playbook, Policy, PolicyFile, PolicySet, cap_for
from bot.validation_messages import did_you_mean, dotted, problems_from
from bot.yaml_source import YamlDocument, YamlProblem, read_yaml

YAML_SUFFIXES = (".yaml", ".yml")


def load_policy_set(playbooks_dir: Path, policies_dir: Path) -> PolicySet:
    """Load and cross-check both folders; raise ``PolicyInvalid`` listing every problem."""
    problems: list[Problem] = []
    policy_docs = _read_folder(Path(policies_dir), problems)
    playbook_docs = _read_folder(Path(playbooks_dir), problems)
    policy, policy_locations = _merge_policy(policy_docs, Path(policies_dir), problems)
    playbooks, playbook_docs_by_id = _parse_playbooks(playbook_docs, problems)
    if policy is not None:
        for document in playbook_docs_by_id.values():
            problems += _check_playbook(document, policy, policy_locations)
        problems += _check_tests(playbooks, playbook_docs_by_id, policy)
    if problems or policy is None:
        raise PolicyInvalid(problems)
    return PolicySet(
        playbooks=playbooks,
        policy=policy,
        revision=content_revision(Path(playbooks_dir), Path(policies_dir)),
        git_commit=git_commit(Path(policies_dir)),
        playbook_files={pid: playbook_docs_by_id[pid].path for pid in playbooks},
        locations=_rule_locations(playbooks, playbook_docs_by_id, policy_locations),
    )


def _rule_locations(playbooks, playbook_docs, policy_locations) -> dict[str, str]:
    """``path:line`` of each rule a decision can cite, keyed like ``caps/refund``."""
    found: dict[str, str] = {}
    for section in ("caps", "budgets"):
        document = policy_locations.get(section)
        for key in (document.data.get(section) or {}) if document else ():
            found[f"{section}/{key}"] = f"{document.path}:{document.line_of((section, key))}"
    document = policy_locations.get("frequency_limits")
    for index, rule in enumerate((document.data.get("frequency_limits") or []) if document else []):
        if isinstance(rule, dict):
            found[f"frequency_limits/{rule.get('id')}"] = f"{document.path}:{document.line_of(('frequency_limits', index))}"
    for playbook_id in playbooks:
        document = playbook_docs[playbook_id]
        for action in playbooks[playbook_id].actions:
            found[f"playbooks/{playbook_id}/actions/{action}"] = f"{document.path}:{document.line_of(('actions', action))}"
    return found


def yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())


def _shown(path: Path) -> str:
    """Paths as a policy owner sees them: relative to the current folder when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _read_folder(folder: Path, problems: list[Problem]) -> list[YamlDocument]:
    if not folder.is_dir():
        problems.append(Problem(_shown(folder), 0, "folder not found; pass the right --playbooks/--policies folder"))
        return []
    documents = []
    for path in yaml_files(folder):
        try:
            document = read_yaml(path, shown_as=_shown(path))
        except YamlProblem as error:
            problems.append(error.problem)
            continue
        problems.extend(document.duplicates)
        documents.append(document)
    if not documents and not problems:
        problems.append(Problem(_shown(folder), 0, "no .yaml files here; add at least one"))
    return documents


def _validate(model: type[BaseModel], document: YamlDocument, problems: list[Problem]):
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        problems.extend(problems_from(error, document, model))
        return None


# ---------------------------------------------------------------- policies


def _merge_policy(documents, folder: Path, problems: list[Problem]):
    """Merge the sections of every policy file; each section may be defined in one file only."""
    merged: dict = {}
    locations: dict[str, YamlDocument] = {}
    for document in documents:
        parsed = _validate(PolicyFile, document, problems)
        for section in POLICY_SECTIONS:
            if section not in document.data:
                continue
            if section in locations:
                first = locations[section]
                problems.append(
                    document.problem((section,), f"{section}: already defined in {first.path}:{first.line_of((section,))}; keep one")
                )
                continue
            locations[section] = document
            if parsed is not None:
                merged[section] = document.data[section]
    missing = [s for s in ("currency", "roles", "actions", "people") if s not in locations]
    for section in missing:
        problems.append(Problem(_shown(folder), 0, f"no policy file defines `{section}:`; add it to one file"))
    if missing or any(p.path in {d.path for d in documents} for p in problems):
        return None, locations
    merged["sources"] = {section: doc.path for section, doc in locations.items()}
    repeated = _repeated_role_ids(locations["roles"])
    if repeated:  # Policy refuses them too, but without a file and line
        problems.extend(repeated)
        return None, locations
    try:
        policy = Policy.model_validate(merged)
    except ValidationError as error:
        problems.append(Problem(_shown(folder), 0, f"policies do not fit together: {error.errors()[0]['msg']}"))
        return None, locations
    cross = _check_policy(policy, locations)
    problems.extend(cross)
    return (None if cross else policy), locations


def _repeated_role_ids(document: YamlDocument) -> list[Problem]:
    seen: set[str] = set()
    found = []
    for index, role in enumerate(document.data.get("roles") or []):
        role_id = role.get("id") if isinstance(role, dict) else None
        if role_id in seen:
            found.append(document.problem(("roles", index, "id"), f"roles[{index + 1}].id: '{role_id}' is already a role; ids must be unique"))
        seen.add(role_id)
    return found


def _check_policy(policy: Policy, locations: dict[str, YamlDocument]) -> list[Problem]:
    roles, actions = policy.role_ids, list(policy.actions)
    found: list[Problem] = []

    def at(section, *path):
        return locations[section].problem((section, *path), dotted((section, *path)))

    def unknown(kind, name, choices, section, *path):
        base = at(section, *path)
        found.append(Problem(base.path, base.line, f"{base.message}: unknown {kind} '{name}'.{did_you_mean(name, choices)}"))

    for action, limits in policy.caps.items():
        if action not in actions:
            unknown("action", action, actions, "caps", action)
        for role in limits:
            if role not in roles:
                unknown("role", role, roles, "caps", action, role)
        found += _check_monotonic(limits, roles, locations["caps"], ("caps", action)) if "caps" in locations else []
    for role in policy.budgets:
        if role not in roles:
            unknown("role", role, roles, "budgets", role)
    seen_limits: set[str] = set()
    for index, limit in enumerate(policy.frequency_limits):
        if limit.id in seen_limits:
            base = at("frequency_limits", index, "id")
            found.append(Problem(base.path, base.line, f"{base.message}: duplicate id '{limit.id}'; ids must be unique"))
        seen_limits.add(limit.id)
        for j, action in enumerate(limit.actions):
            if action not in actions:
                unknown("action", action, actions, "frequency_limits", index, "actions", j)
        if limit.approver and limit.approver not in roles:
            unknown("role", limit.approver, roles, "frequency_limits", index, "approver")
    if policy.people.default_role not in roles:
        unknown("role", policy.people.default_role, roles, "people", "default_role")
    for user, person in policy.people.users.items():
        if person.role not in roles:
            unknown("role", person.role, roles, "people", "users", user)
    for group, role in policy.people.groups.items():
        if role not in roles:
            unknown("role", role, roles, "people", "groups", group)
    try:
        ZoneInfo(policy.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        base = at("timezone") if "timezone" in locations else Problem("policies", 0, "timezone")
        found.append(Problem(base.path, base.line, f"timezone: unknown time zone '{policy.timezone}'; use a name like UTC or America/Mexico_City"))
    return found


def _check_monotonic(limits: dict, roles: list[str], document: YamlDocument, path: tuple) -> list[Problem]:
    """A higher role with a lower limit than a lower role is almost always a typo."""
    ordered = [(role, limits[role]) for role in roles if role in limits]
    found = []
    for (low_role, low), (high_role, high) in zip(ordered, ordered[1:]):
        if high < low:
            found.append(
                document.problem(
                    (*path, high_role),
                    f"{'.'.join(path)}.{high_role}: {high} is below the {low_role} limit of {low}; "
                    "limits must not decrease with rank",
                )
            )
    return found


# ---------------------------------------------------------------- playbooks


def _parse_playbooks(documents, problems: list[Problem]):
    playbooks: dict[str, Playbook] = {}
    by_id: dict[str, YamlDocument] = {}
    for document in documents:
        raw_id = document.data.get("id")
        if isinstance(raw_id, str) and raw_id in by_id:
            first = by_id[raw_id]
            problems.append(
                document.problem(("id",), f"id: '{raw_id}' is already used by {first.path}:{first.line_of(('id',))}; ids must be unique")
            )
            continue
        playbook = _validate(Playbook, document, problems)
        if isinstance(raw_id, str):
            by_id[raw_id] = document
        if playbook is not None:
            playbooks[playbook.id] = playbook
    return playbooks, by_id


def _check_playbook(document: YamlDocument, policy: Policy, locations) -> list[Problem]:
    """Cross-checks against the policy, on the raw data so they show even beside schema errors."""
    found: list[Problem] = []
    roles, actions = policy.role_ids, list(policy.actions)
    raw_actions = document.data.get("actions")
    for action, limits in (raw_actions.items() if isinstance(raw_actions, dict) else ()):
        if action not in actions:
            found.append(document.problem(("actions", action), f"actions.{action}: unknown action.{did_you_mean(action, actions)} Known actions are in {policy.sources.get('actions', 'policies/')}."))
            continue
        amounts = {}
        for role, amount in (limits.items() if isinstance(limits, dict) else ()):
            if role not in roles:
                found.append(document.problem(("actions", action, role), f"actions.{action}.{role}: unknown role.{did_you_mean(role, roles)} Roles: {', '.join(roles)}."))
                continue
            if not isinstance(amount, Decimal | int) or isinstance(amount, bool) or amount < 0:
                continue  # the schema check already says what is wrong with it
            amounts[role] = Decimal(amount)
            cap = cap_for(policy, action, role)
            if cap is not None and amount > cap:
                where = _cap_location(policy, action, role, locations)
                found.append(
                    document.problem(
                        ("actions", action, role),
                        f"actions.{action}.{role}: {amount} {policy.currency} is above the policy cap of {cap} {policy.currency} "
                        f"for {role} ({where}); lower it to {cap} or less, or ask the policy owner to raise the cap",
                    )
                )
        found += _check_monotonic(amounts, roles, document, ("actions", action))
    return found


def _cap_location(policy: Policy, action: str, role: str, locations) -> str:
    document = locations.get("caps")
    if document is None:
        return "policies/"
    path = ("caps", action, role) if role in policy.caps[action] else ("caps", action)
    return f"{document.path}:{document.line_of(path)}"


def _check_tests(playbooks: dict[str, Playbook], documents: dict[str, YamlDocument], policy: Policy) -> list[Problem]:
    found = []
    roles = policy.role_ids
    for playbook_id, playbook in playbooks.items():
        for index, case in enumerate(playbook.tests):
            for field, name, known in (("role", case.role, roles), ("approver_role", case.expect.approver_role, roles),
                                       ("action", case.expect.action, list(policy.actions))):
                if name and name not in known:
                    path = ("tests", index, "role") if field == "role" else ("tests", index, "expect", field)
                    found.append(documents[playbook_id].problem(
                        path, f"tests[{index + 1}].{'expect.' if field != 'role' else ''}{field}: unknown {field.split('_')[-1]} '{name}'.{did_you_mean(name, known)}"))
            expected = case.expect.playbook
            if expected and expected not in playbooks:
                found.append(
                    documents[playbook_id].problem(
                        ("tests", index, "expect", "playbook"),
                        f"tests[{index + 1}].expect.playbook: unknown playbook '{expected}'.{did_you_mean(expected, playbooks)}",
                    )
                )
    return found


# ---------------------------------------------------------------- revision


def content_revision(*folders: Path) -> str:
    """A stable hash of every YAML file's path and bytes: equal content, equal revision."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in yaml_files(folder):
            digest.update(f"{folder.name}/{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:12]


def git_commit(folder: Path) -> str | None:
    """The commit of the checkout holding ``folder``, when it is one (and git is installed)."""
    try:
        result = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--short=12", "HEAD"],
            capture_output=True, text=True, timeout=5, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None if result.returncode == 0 else None
