"""The subcommands of ``leeway``. Each parses its flags, calls one core function, prints."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli import command
from bot.loading import load_policy_set
from bot.settings import Settings


@command("validate", "Check every playbook and policy file; report all problems as path:line.")
def validate(args: argparse.Namespace, settings: Settings) -> int:
    policy_set = load_policy_set(settings.playbooks, settings.policies)
    policy = policy_set.policy
    print(f"OK: {len(policy_set.playbooks)} playbooks, {len(policy.actions)} actions, {len(policy.roles)} roles "
          f"({' < '.join(policy.role_ids)}), base currency {policy.currency}. Revision {policy_set.revision}"
          + (f" (git {policy_set.git_commit})" if policy_set.git_commit else "") + ".")
    if args.verbose:
        for playbook_id, playbook in sorted(policy_set.playbooks.items()):
            actions = ", ".join(playbook.actions) or "no actions"
            print(f"  {playbook_id:32} {len(playbook.examples):3} examples  {len(playbook.steps)} steps  {actions}")
    return 0


validate.configure = lambda parser: parser.add_argument("-v", "--verbose", action="store_true", help="list what was loaded")


@command("schema", "Write the JSON Schemas of playbook and policy files, for editor autocompletion.")
def schema(args: argparse.Namespace, settings: Settings) -> int:
    from bot.schemas import write_schemas

    for path in write_schemas(Path(args.out)):
        print(f"wrote {path}")
    print("Add `# yaml-language-server: $schema=<path to the schema>` as the first line of a YAML file.")
    return 0


schema.configure = lambda parser: parser.add_argument("--out", default="schemas", metavar="DIR", help="folder to write to (default ./schemas)")
