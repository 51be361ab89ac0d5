"""``/leeway reload``: a lead picks up edited files now and sees the validation report; the last good set stays."""

from __future__ import annotations

import shutil

from bot.runtime import open_store
from bot.settings import Settings
from conftest import REPO


def copied_store(tmp_path):
    shutil.copytree(REPO / "playbooks", tmp_path / "playbooks")
    shutil.copytree(REPO / "policies", tmp_path / "policies")
    return open_store(Settings.from_env({}, playbooks=tmp_path / "playbooks", policies=tmp_path / "policies"))


def reply(slack, text, user):
    before = len(slack.standin.of("respond"))
    assert slack.command(text, user=user) == 200
    return slack.standin.wait_for("respond", count=before + 1)[-1].params["text"]


def test_a_lead_reloads_and_a_bad_edit_keeps_the_last_good_set(tmp_path, make_slack):
    store = copied_store(tmp_path)
    slack = make_slack(store)
    good = store.current().revision
    late = tmp_path / "playbooks" / "late-delivery.yaml"
    late.write_text(late.read_text(encoding="utf-8").replace("examples:", "exampels:"), encoding="utf-8")
    text = reply(slack, "reload", "U0LEAD01")
    assert f"revision {good} stays in force" in text
    assert "late-delivery.yaml:" in text and "Did you mean 'examples'?" in text
    assert store.current().revision == good


def test_an_agent_cannot_reload(tmp_path, make_slack):
    store = copied_store(tmp_path)
    slack = make_slack(store)
    before = store.last_report
    text = reply(slack, "reload", "U0AGENT01")
    assert "Only a Team lead or above" in text
    assert store.last_report is before


def test_a_fixed_edit_is_reloaded(tmp_path, make_slack):
    store = copied_store(tmp_path)
    slack = make_slack(store)
    good = store.current().revision
    late = tmp_path / "playbooks" / "late-delivery.yaml"
    late.write_text(late.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    text = reply(slack, "recargar", "U0LEAD01")
    assert text.startswith("✅ Reloaded: revision") and good not in text
