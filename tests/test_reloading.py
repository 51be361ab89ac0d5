"""Last-known-good: a bad edit keeps the previous set answering; a bad start fails closed."""

from __future__ import annotations

import pytest

from bot.errors import NoValidPolicy
from bot.reloading import PolicyStore


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_an_edit_is_picked_up_without_a_restart(valid_dirs):
    playbooks, policies = valid_dirs
    clock = Clock()
    store = PolicyStore(playbooks, policies, clock=clock, check_every=2)
    first = store.current().revision
    path = playbooks / "late-delivery.yaml"
    path.write_text(path.read_text().replace("title: Order arrived late", "title: Order came late"))
    clock.now += 5
    assert store.current().revision != first
    assert store.current().playbooks["late-delivery"].title.text() == "Order came late"


def test_a_bad_edit_keeps_the_last_good_set_and_says_why(valid_dirs):
    playbooks, policies = valid_dirs
    clock = Clock()
    store = PolicyStore(playbooks, policies, clock=clock, check_every=0)
    good = store.current()
    path = playbooks / "late-delivery.yaml"
    path.write_text(path.read_text().replace("agent: 15", "agent: 99"))
    clock.now += 1
    assert store.current() is good
    assert not store.last_report.ok
    assert "above the policy cap" in store.last_report.problems


def test_a_deleted_folder_keeps_the_last_good_set(valid_dirs):
    playbooks, policies = valid_dirs
    store = PolicyStore(playbooks, policies, check_every=0)
    good = store.current()
    for path in playbooks.iterdir():
        path.unlink()
    assert store.current() is good
    assert "no .yaml files here" in store.last_report.problems


def test_a_start_with_an_invalid_set_fails_closed(valid_dirs):
    playbooks, policies = valid_dirs
    (policies / "roles.yaml").write_text("roles: [")
    store = PolicyStore(playbooks, policies)
    with pytest.raises(NoValidPolicy) as caught:
        store.current()
    assert "refuses to answer" in str(caught.value) and "roles.yaml" in str(caught.value)


def test_what_is_built_follows_the_revision(valid_dirs):
    playbooks, policies = valid_dirs
    builds = []
    store = PolicyStore(playbooks, policies, build=lambda s: builds.append(s.revision) or s.revision, check_every=0)
    policy_set, built = store.snapshot()
    assert built == policy_set.revision
    store.current()
    assert len(builds) == 1, "an unchanged set is not rebuilt"
