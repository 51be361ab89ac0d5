"""Writers queue on an OS lock beside the ledger: one at a time, and a dead writer frees its turn."""

from __future__ import annotations

import os
import signal
import threading
import time

from bot.ledger import Ledger
from bot.ledger_turns import WriterTurns


def test_a_second_writer_waits_for_the_first(tmp_path):
    turns = WriterTurns(tmp_path / "l.db")
    order: list[str] = []
    first_in = threading.Event()

    def first():
        with turns.turn():
            first_in.set()
            time.sleep(0.2)
            order.append("first done")

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with turns.turn():
        order.append("second in")
    thread.join()
    assert order == ["first done", "second in"]


def test_a_killed_writer_never_leaves_the_ledger_locked(tmp_path):
    turns = WriterTurns(tmp_path / "l.db")
    child = os.fork()
    if child == 0:  # the child takes the turn and dies holding it
        with WriterTurns(tmp_path / "l.db").turn():
            os.kill(os.getpid(), signal.SIGKILL)
    os.waitpid(child, 0)
    acquired = threading.Event()
    thread = threading.Thread(target=lambda: (turns.turn().__enter__(), acquired.set()), daemon=True)
    thread.start()
    assert acquired.wait(5), "the dead writer's turn was not released"


def test_the_ledger_takes_its_turn_beside_the_database(tmp_path):
    ledger = Ledger(tmp_path / "l.db")
    assert (tmp_path / "l.db.lock").exists()
    ledger.close()
