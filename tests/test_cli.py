"""The ``leeway`` command: exit codes, output shapes, and that the docs keep up with it."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import COMMANDS, build_parser, main
from bot.schemas import schema_documents
from bot.settings import Settings

REPO = Path(__file__).parent.parent


def run(*args, stdin: str | None = None, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          cwd=cwd, timeout=180)


def test_validate_is_clean_on_the_samples(capsys):
    assert main(["validate"]) == 0
    assert re.search(r"OK: 16 playbooks, 9 actions, 4 roles \(agent < senior < lead < manager\)", capsys.readouterr().out)


def test_validate_reports_problems_and_exits_2(valid_dirs, capsys):
    playbooks, policies = valid_dirs
    late = playbooks / "late-delivery.yaml"
    late.write_text(late.read_text().replace("examples:", "exampels:"))
    assert main(["validate", "--playbooks", str(playbooks), "--policies", str(policies)]) == 2
    err = capsys.readouterr().err
    assert "late-delivery.yaml:3: exampels: unknown field. Did you mean 'examples'?" in err
    assert "Traceback" not in err


def test_a_missing_folder_is_a_message_not_a_traceback(tmp_path, capsys):
    assert main(["validate", "--playbooks", str(tmp_path / "nope"), "--policies", str(tmp_path / "nope2")]) == 2
    assert "folder not found" in capsys.readouterr().err


def test_ask_json_has_the_stable_shape(tmp_path):
    done = run("ask", "el cliente recibió el pedido 6 días tarde y pide que le devolvamos los 12 dólares del envío",
               "--user", "U0AGENT01", "--json", "--db", str(tmp_path / "l.db"))
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert {"outcome", "playbook", "request", "decision", "approver_role", "reasons", "policy_revision"} <= set(body)
    assert (body["outcome"], body["playbook"], body["decision"]) == ("match", "late-delivery", "allowed")
    assert body["request"] == {"action": "refund_shipping", "amount": "12", "currency": "USD", "ambiguous": False,
                               "reason": None}
    assert any(r["source"] and "late-delivery.yaml" in r["source"] for r in body["reasons"])


def test_ask_fails_closed_on_an_invalid_set(valid_dirs):
    playbooks, policies = valid_dirs
    (policies / "roles.yaml").write_text("roles: [")
    done = run("ask", "late order", "--playbooks", str(playbooks), "--policies", str(policies),
               "--db", str(playbooks.parent / "l.db"))
    assert done.returncode == 2
    assert "refuses to answer" in done.stderr and "roles.yaml:1" in done.stderr
    assert "Traceback" not in done.stderr


def test_match_batch_works_on_minimal_playbooks(tmp_path):
    playbooks = tmp_path / "playbooks"
    playbooks.mkdir()
    for pid, title, examples in [
        ("card-arrival", "Card arrival", ["when will my card arrive", "my new card hasn't come yet"]),
        ("lost-card", "Lost card", ["I lost my card", "my card was stolen, block it"]),
    ]:
        (playbooks / f"{pid}.yaml").write_text(
            f"id: {pid}\ntitle: {title}\nexamples:\n" + "".join(f"  - {e}\n" for e in examples) + "steps: [Help.]\n")
    done = run("match", "--jsonl", "--playbooks", str(playbooks), "--policies", str(REPO / "policies"),
               stdin='{"text": "somebody stole my card"}\n{"text": "when will my new card be delivered? refund $12"}\n')
    assert done.returncode == 0, done.stderr
    first, second = [json.loads(line) for line in done.stdout.splitlines()]
    assert first["matches"][0]["playbook"] == "lost-card"
    assert set(first) == {"text", "outcome", "matches", "request"}
    assert second["matches"][0]["playbook"] == "card-arrival"
    assert second["request"]["amount"] == "12" and second["request"]["currency"] == "USD"


def test_the_committed_schemas_are_current():
    for name, text in schema_documents().items():
        assert (REPO / "schemas" / name).read_text(encoding="utf-8") == text, f"run `leeway schema` ({name} is stale)"


def test_every_sample_validates_against_the_exported_schema():
    jsonschema = pytest.importorskip("jsonschema")
    from ruamel.yaml import YAML

    documents = {name: json.loads(text) for name, text in schema_documents().items()}
    for folder, name in (("playbooks", "playbook.schema.json"), ("policies", "policy.schema.json")):
        for path in sorted((REPO / folder).glob("*.yaml")):
            jsonschema.validate(YAML(typ="safe").load(path.read_text(encoding="utf-8")), documents[name])


def test_schema_command_writes_both(tmp_path, capsys):
    assert main(["schema", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["playbook.schema.json", "policy.schema.json"]


def test_settings_flags_override_environment():
    settings = Settings.from_env({"LEEWAY_DB": "/tmp/env.db", "LEEWAY_RELOAD_SECONDS": "5"}, db="/tmp/flag.db")
    assert (str(settings.db), settings.reload_seconds) == ("/tmp/flag.db", 5.0)


def test_every_command_is_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    build_parser()
    for name in COMMANDS:
        assert f"leeway {name}" in readme, f"document `leeway {name}` in the README"


def test_every_setting_is_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    source = (REPO / "bot" / "settings.py").read_text(encoding="utf-8")
    for variable in sorted(set(re.findall(r'env\.get\("((?:LEEWAY|SLACK)_[A-Z_]+)"\)', source))):
        assert variable in readme, f"document {variable} in the README"


def test_ci_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```bash\n(.+?)\n```", readme)
    assert len(commands) >= 2 and "leeway chat" in commands[0] and "pytest" in commands[1]
    assert commands[1] in (REPO / ".ci" / "run").read_text(encoding="utf-8")


CORE = ["models", "loading", "matching", "decision", "ledger", "answering", "acting", "extraction", "amounts",
        "redaction", "language", "messages", "reloading", "evaluation", "policy_tests"]


@pytest.mark.parametrize("module", CORE)
def test_the_core_never_imports_slack_or_the_cli(module):
    tree = ast.parse((REPO / "bot" / f"{module}.py").read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not {n for n in names if n.startswith(("slack", "bot.slack", "bot.cli", "argparse"))}
