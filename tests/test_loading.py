"""Every validation rule: a broken file and the exact ``path:line`` message a policy owner sees."""

from __future__ import annotations

import pytest

from bot.errors import PolicyInvalid
from bot.loading import content_revision, load_policy_set

LATE = """\
id: late-delivery
title: Order arrived late
examples:
  - customer says the package came a week late
  - el pedido llegó tarde y el cliente está molesto
steps:
  - Apologise and confirm the new delivery date in the tracking tool.
actions:
  refund_shipping: {agent: 15, senior: 30}
"""

PLAYBOOK_CASES = [
    ("unknown field", LATE.replace("examples:", "exampels:"),
     ["playbooks/late-delivery.yaml:1: examples: is required; add it",
      "playbooks/late-delivery.yaml:3: exampels: unknown field. Did you mean 'examples'?"]),
    ("duplicate key", LATE + "title: Another title\n",
     ["playbooks/late-delivery.yaml:10: duplicate key 'title' (first at line 2); keep only one"]),
    ("limit above the cap", LATE.replace("agent: 15", "agent: 25"),
     ["playbooks/late-delivery.yaml:9: actions.refund_shipping.agent: 25 USD is above the policy cap of 20 USD "
      "for agent (policies/authority.yaml:11); lower it to 20 or less, or ask the policy owner to raise the cap"]),
    ("unknown action", LATE.replace("refund_shipping:", "refund_shiping:"),
     ["playbooks/late-delivery.yaml:9: actions.refund_shiping: unknown action. Did you mean 'refund_shipping'? "
      "Known actions are in policies/actions.yaml."]),
    ("unknown role", LATE.replace("senior: 30", "senor: 30"),
     ["playbooks/late-delivery.yaml:9: actions.refund_shipping.senor: unknown role. Did you mean 'senior'? "
      "Roles: agent, senior, lead, manager."]),
    ("negative amount", LATE.replace("agent: 15", "agent: -5"),
     ["playbooks/late-delivery.yaml:9: actions.refund_shipping.agent: must be 0 or more"]),
    ("non-numeric amount", LATE.replace("agent: 15", "agent: fifteen"),
     ["playbooks/late-delivery.yaml:9: actions.refund_shipping.agent: must be a number, like 15 or 12.50"]),
    ("too many decimals", LATE.replace("agent: 15", "agent: 15.505"),
     ["playbooks/late-delivery.yaml:9: actions.refund_shipping.agent: must have at most 2 decimals"]),
    ("empty steps", LATE.replace("steps:\n  - Apologise and confirm the new delivery date in the tracking tool.",
                                 "steps: []"),
     ["playbooks/late-delivery.yaml:6: steps: add at least one step"]),
    ("no examples", LATE.replace("examples:\n  - customer says the package came a week late\n"
                                 "  - el pedido llegó tarde y el cliente está molesto", "examples: []"),
     ["playbooks/late-delivery.yaml:3: examples: add at least one example of how agents describe this situation"]),
    ("limits decrease with rank", LATE.replace("senior: 30", "senior: 10"),
     ["playbooks/late-delivery.yaml:9: actions.refund_shipping.senior: 10 is below the agent limit of 15; "
      "limits must not decrease with rank"]),
    ("bad id", LATE.replace("id: late-delivery", "id: Late Delivery"),
     ["playbooks/late-delivery.yaml:1: id: 'Late Delivery': use lowercase letters, digits and dashes, like late-delivery"]),
    ("unknown language", LATE.replace("title: Order arrived late", "title: {en: Late, fr: En retard}"),
     ["playbooks/late-delivery.yaml:2: title.fr: input should be 'en' or 'es'"]),
    ("title is a number", LATE.replace("title: Order arrived late", "title: 42"),
     ["playbooks/late-delivery.yaml:2: title: must be text, or `{en: ..., es: ...}`"]),
    ("YAML syntax", LATE.replace("title: Order arrived late", 'title: "Order arrived late'),
     ["playbooks/late-delivery.yaml:2: YAML syntax: a quote opened here is never closed; add the closing quote"]),
    ("empty file", "", ["playbooks/late-delivery.yaml:1: file is empty; add the fields or delete the file"]),
    ("a list at the top", "- id: late-delivery\n",
     ["playbooks/late-delivery.yaml:1: expected `key: value` lines at the top of the file"]),
    ("unknown playbook in a test", LATE + "tests:\n  - note: n\n    situation: s\n    expect: {playbook: late-delivry}\n",
     ["playbooks/late-delivery.yaml:13: tests[1].expect.playbook: unknown playbook 'late-delivry'. "
      "Did you mean 'late-delivery'?"]),
    ("unknown role in a test", LATE + "tests:\n  - note: n\n    situation: s\n    role: boss\n    expect: {decision: allowed}\n",
     ["playbooks/late-delivery.yaml:13: tests[1].role: unknown role 'boss'."]),
    ("alias bomb", "id: late-delivery\ntitle: t\nsteps: [s]\n" + "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
     + "".join(f"a{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}]\n" for i in range(1, 7))
     + "examples: *a6\n",
     ["playbooks/late-delivery.yaml: file expands to more than 50,000 values (too many aliases?); simplify it"]),
]


@pytest.mark.parametrize("rule, content, expected", PLAYBOOK_CASES, ids=[case[0] for case in PLAYBOOK_CASES])
def test_a_broken_playbook_gets_a_path_line_message(rule, content, expected, valid_dirs, monkeypatch):
    playbooks, policies = valid_dirs
    (playbooks / "late-delivery.yaml").write_text(content, encoding="utf-8")
    monkeypatch.chdir(playbooks.parent)
    with pytest.raises(PolicyInvalid) as caught:
        load_policy_set(playbooks.relative_to(playbooks.parent), policies.relative_to(playbooks.parent))
    assert [str(p) for p in caught.value.problems] == expected


def test_a_duplicate_id_names_both_files(valid_dirs, monkeypatch):
    playbooks, policies = valid_dirs
    (playbooks / "copy.yaml").write_text(LATE, encoding="utf-8")
    monkeypatch.chdir(playbooks.parent)
    with pytest.raises(PolicyInvalid) as caught:
        load_policy_set(playbooks.relative_to(playbooks.parent), policies.relative_to(playbooks.parent))
    assert [str(p) for p in caught.value.problems] == [
        "playbooks/late-delivery.yaml:1: id: 'late-delivery' is already used by playbooks/copy.yaml:1; ids must be unique"
    ]


POLICY_CASES = [
    ("authority.yaml", "agent: 50, senior: 150", "agnt: 50, senior: 150",
     ["policies/authority.yaml:10: caps.refund.agnt: unknown role 'agnt'. Did you mean 'agent'?"]),
    ("authority.yaml", "currency: USD", "currency: usd",
     ["policies/authority.yaml:3: currency: 'usd' is not a currency code; use three capital letters, like USD"]),
    ("authority.yaml", "currency: USD", "",
     ["policies: no policy file defines `currency:`; add it to one file"]),
    ("authority.yaml", "timezone: UTC", "timezone: Mars/Olympus",
     ["policies/authority.yaml:5: timezone: unknown time zone 'Mars/Olympus'; use a name like UTC or America/Mexico_City"]),
    ("authority.yaml", "actions: [goodwill_credit, discount]", "actions: [goodwill_credit, discont]",
     ["policies/authority.yaml:30: frequency_limits[1].actions[2]: unknown action 'discont'. Did you mean 'discount'?"]),
    ("authority.yaml", "    approver: manager", "    approver: boss",
     ["policies/authority.yaml:43: frequency_limits[3].approver: unknown role 'boss'."]),
    ("authority.yaml", "senior: 40,  lead: 100, manager: 200}\n  goodwill", "senior: 10,  lead: 100, manager: 200}\n  goodwill",
     ["policies/authority.yaml:11: caps.refund_shipping.senior: 10 is below the agent limit of 20; limits must not decrease with rank"]),
    ("people.yaml", "default_role: agent", "default_role: agnt",
     ["policies/people.yaml:4: people.default_role: unknown role 'agnt'. Did you mean 'agent'?"]),
    ("people.yaml", "escalation_channel: C0LEADS01", "escalation_channel: leads",
     ["policies/people.yaml:17: routing.escalation_channel: 'leads' is not a Slack channel id (they start with C or G, like C0LEADS01)"]),
    ("people.yaml", "  default_role: agent", "  default_role: agent\n  defualt_team: tier1",
     ["policies/people.yaml:5: people.defualt_team: unknown field. Allowed here: default_role, groups, users."]),
    ("roles.yaml", "roles:", "currency: EUR\nroles:",
     ["policies/roles.yaml:3: currency: already defined in policies/authority.yaml:3; keep one"]),
]


@pytest.mark.parametrize("file, old, new, expected", POLICY_CASES, ids=[c[3][0][:40] for c in POLICY_CASES])
def test_a_broken_policy_gets_a_path_line_message(file, old, new, expected, valid_dirs, monkeypatch):
    playbooks, policies = valid_dirs
    path = policies / file
    text = path.read_text(encoding="utf-8")
    assert old in text, "the fixture changed; update the case"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    monkeypatch.chdir(playbooks.parent)
    with pytest.raises(PolicyInvalid) as caught:
        load_policy_set(playbooks.relative_to(playbooks.parent), policies.relative_to(playbooks.parent))
    assert [str(p) for p in caught.value.problems] == expected


def test_every_problem_is_reported_at_once(valid_dirs):
    playbooks, policies = valid_dirs
    (playbooks / "late-delivery.yaml").write_text(LATE.replace("examples:", "exampels:").replace("agent: 15", "agent: 25"))
    (playbooks / "damaged-item.yaml").write_text("id: damaged-item\ntitle: x\nexamples: [a]\nsteps: []\n")
    with pytest.raises(PolicyInvalid) as caught:
        load_policy_set(playbooks, policies)
    messages = "\n".join(str(p) for p in caught.value.problems)
    assert "exampels: unknown field" in messages
    assert "above the policy cap" in messages
    assert "damaged-item.yaml:4: steps: add at least one step" in messages
    assert caught.value.report().endswith("4 problems found; fix them and run `leeway validate` again.")


def test_yaml_1_2_keeps_no_as_text(valid_dirs):
    playbooks, policies = valid_dirs
    (playbooks / "late-delivery.yaml").write_text(LATE.replace("title: Order arrived late", "title: no"))
    loaded = load_policy_set(playbooks, policies)
    assert loaded.playbooks["late-delivery"].title.text() == "no"


def test_a_minimal_playbook_is_valid(valid_dirs):
    playbooks, policies = valid_dirs
    (playbooks / "late-delivery.yaml").write_text(
        "id: late-delivery\ntitle: Late\nexamples: [it came late]\nsteps: [Apologise.]\n")
    loaded = load_policy_set(playbooks, policies)
    assert loaded.playbooks["late-delivery"].actions == {}


def test_the_revision_changes_with_content_and_only_with_content(valid_dirs):
    playbooks, policies = valid_dirs
    before = content_revision(playbooks, policies)
    assert content_revision(playbooks, policies) == before
    path = playbooks / "late-delivery.yaml"
    path.write_text(path.read_text() + "\n# a comment\n")
    assert content_revision(playbooks, policies) != before


def test_rules_cite_their_file_and_line(fixture_set):
    assert fixture_set.locations["caps/refund_shipping"].endswith("policies/authority.yaml:11")
    assert fixture_set.locations["playbooks/late-delivery/actions/refund_shipping"].endswith("late-delivery.yaml:9")


def test_a_huge_file_is_refused(valid_dirs):
    playbooks, policies = valid_dirs
    (playbooks / "huge.yaml").write_text("id: huge\n" + "# padding\n" * 150_000)
    with pytest.raises(PolicyInvalid) as caught:
        load_policy_set(playbooks, policies)
    assert "the limit is 1,000,000. Split it." in str(caught.value)
