"""``leeway chat``: the agent's Slack flow in a terminal, over any playbooks, with a local ledger.

Describe the situation -> see the steps and the verdict -> log it, ask a lead, or
pick another candidate. Reads lines from any stream, so tests script it end to end.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from bot.acting import ask_a_lead, decide_escalation, log_exception, make_draft
from bot.answering import Answer, Engine, answer
from bot.errors import NotFound, Refused, UserInputError
from bot.language import detect_language
from bot.ledger import Ledger
from bot.messages import money, refusal_text, t, verdict_line
from bot.reloading import PolicyStore
from bot.rendering_text import render_answer


@dataclass
class Session:
    """Who is typing and what they last asked about."""

    user: str
    role: str
    lang: str
    fixed_lang: bool
    last: Answer | None = None
    history: list[str] = field(default_factory=list)


def identity(store: PolicyStore, who: str | None) -> tuple[str, str]:
    """``--as lead`` tries a role; ``--as U0LEAD01`` a Slack user from people.yaml. Default: the lowest role."""
    policy = store.current().policy
    if not who:
        return "cli-user", policy.people.default_role
    if who in policy.role_ids:
        return f"cli-{who}", who
    return who, policy.role_of(who)


class Chat:
    def __init__(self, store: PolicyStore, ledger: Ledger, *, console: Console, read: Callable[[str], str | None],
                 who: str | None = None, lang: str | None = None, clock: Callable[[], datetime] | None = None):
        self.store, self.ledger, self.console, self.read = store, ledger, console, read
        self.clock = clock or (lambda: datetime.now(UTC))
        user, role = identity(store, who)
        self.session = Session(user=user, role=role, lang=lang or "en", fixed_lang=bool(lang))

    # ------------------------------------------------------------ loop

    def run(self) -> int:
        self.say("chat_welcome", role=self.role_name(self.session.role))
        while True:
            line = self.read(self.prompt("chat_prompt"))
            if line is None:
                return 0
            line = line.strip()
            if not line:
                continue
            if line.startswith("/"):
                if self.command(line) == "quit":
                    return 0
                continue
            self.describe(line)

    def command(self, line: str) -> str | None:
        name, _, rest = line[1:].partition(" ")
        handlers = {"quit": lambda: "quit", "salir": lambda: "quit", "exit": lambda: "quit",
                    "help": self.help, "ayuda": self.help, "as": lambda: self.switch(rest.strip()),
                    "lang": lambda: self.set_lang(rest.strip()), "log": lambda: self.log_last(),
                    "ask": lambda: self.escalate_last(), "pending": self.show_pending,
                    "approve": lambda: self.decide(rest, approve=True), "deny": lambda: self.decide(rest, approve=False),
                    "withdraw": lambda: self.withdraw(rest)}
        handler = handlers.get(name.lower())
        if handler is None:
            self.say("chat_unknown_command", command=escape(name))
            return None
        return handler()

    # ------------------------------------------------------------ asking

    def describe(self, text: str) -> None:
        if not self.session.fixed_lang:
            self.session.lang = detect_language(text, default=self.session.lang)
        self.show(self.ask(text))
        self.follow_up()

    def ask(self, text: str, *, playbook: str | None = None) -> Answer:
        policy_set, engine = self.store.snapshot()
        now = self.clock()
        history = self.ledger.history(user=self.session.user, customer_ref=None, policy=policy_set.policy, now=now)
        result = answer(engine, text, role=self.session.role, history=history, now=now, lang=self.session.lang,
                        playbook=playbook)
        if result.outcome == "none":
            self.ledger.record_unmatched(text, key=f"cli:{uuid.uuid4()}", user=self.session.user,
                                         candidates=[(c.playbook, c.score) for c in result.candidates],
                                         revision=policy_set.revision, now=now)
        self.session.last = result
        return result

    def show(self, result: Answer) -> None:
        self.console.print(render_answer(result, self.store.current()))

    def follow_up(self) -> None:
        """Offer the next step for what was just shown; Enter goes back to a new situation."""
        result = self.session.last
        if result is None:
            return
        if result.outcome == "ambiguous":
            self.pick()
            return
        if result.outcome == "none":
            return
        decision = result.decision
        options = []
        verdict = decision.verdict if decision else "not_allowed"
        if verdict in ("allowed", None):  # with no amount yet, logging asks for it and re-checks
            options.append(("1", "chat_option_log", self.log_last))
        if verdict != "not_allowed":
            options.append(("2", "chat_option_ask", self.escalate_last))
        if len(result.candidates) > 1:
            options.append(("3", "chat_option_other", self.pick))
        if not options:
            return
        menu = "  ".join(f"[{key}] {t(label, self.session.lang)}" for key, label, _ in options)
        choice = self.read(self.prompt_text(menu + "  [Enter] " + t("chat_option_new", self.session.lang)))
        for key, _, action in options:
            if choice is not None and choice.strip() == key:
                action()
                return

    def pick(self) -> None:
        """Another candidate, or [0] none of them: a gap (and a turn-down of the one shown)."""
        result = self.session.last
        if result is None or not result.candidates:
            return
        policy_set = self.store.current()
        for number, candidate in enumerate(result.candidates[:3], start=1):
            title = policy_set.playbooks[candidate.playbook].title.text(self.session.lang)
            self.console.print(f"  [{number}] {escape(title)}  ({candidate.score:.0%})")
        self.console.print(f"  [0] {t('none_fit', self.session.lang)}")
        choice = (self.read(self.prompt("chat_pick")) or "").strip()
        if choice == "0":
            self.none_fit(result)
        elif choice.isdigit() and 1 <= int(choice) <= min(3, len(result.candidates)):
            chosen = result.candidates[int(choice) - 1].playbook
            if result.playbook and chosen != result.playbook:  # "not this one": evidence two playbooks overlap
                self.turned_down(result.playbook, chosen)
            self.show(self.ask(result.text, playbook=chosen))
            self.follow_up()
        elif choice:
            self.say("chat_invalid_choice")

    def none_fit(self, result: Answer) -> None:
        """No candidate fits after all: recorded like a situation nothing matched."""
        if result.playbook:
            self.turned_down(result.playbook, None)
        self.ledger.record_unmatched(result.text, key=f"cli:{uuid.uuid4()}", user=self.session.user,
                                     candidates=[(c.playbook, c.score) for c in result.candidates],
                                     revision=self.store.current().revision, now=self.clock())
        self.say("outcome_none")

    def turned_down(self, offered: str, chosen: str | None) -> None:
        from bot.rematches import record_rematch

        record_rematch(self.ledger, key=f"cli:{uuid.uuid4()}", user=self.session.user, offered=offered,
                       chosen=chosen, now=self.clock())

    # ------------------------------------------------------------ writing

    def complete_request(self):
        """Action, amount and customer from the answer, asking for whatever is missing or ambiguous."""
        result = self.session.last
        if result is None or result.playbook is None:
            self.say("chat_nothing_to_log")
            return None
        policy_set = self.store.current()
        playbook = policy_set.playbooks[result.playbook]
        action = result.request.action if result.request.action in playbook.actions else None
        while action is None:
            names = ", ".join(playbook.actions) or "-"
            reply = self.read(self.prompt_text(t("chat_ask_action", self.session.lang, actions=names)))
            if reply is None:
                return None
            action = reply.strip() if reply.strip() in playbook.actions else None
        amount = None if result.request.ambiguous else result.request.amount
        while amount is None:
            reply = self.read(self.prompt("chat_ask_amount", currency=policy_set.policy.currency))
            if reply is None:
                return None
            amount = parse_amount(reply)
            if amount is None:
                self.say("invalid_amount", amount=escape(reply.strip()))
        customer = self.read(self.prompt("chat_ask_customer")) or ""
        note = self.read(self.prompt("chat_ask_note")) or ""
        try:
            return policy_set, make_draft(policy_set, user=self.session.user, playbook=result.playbook, action=action,
                                          amount=amount, currency=policy_set.policy.currency, customer_ref=customer,
                                          note=note.strip() or None, situation=result.text)
        except UserInputError as error:
            self.say(error.code, **_printable(error.params))
            return None

    def log_last(self) -> None:
        recorded = self._write(log_exception)
        if recorded is not None:
            record = recorded.record
            self.say("chat_logged", id=record.id, action=self.action_name(record.action),
                     amount=money(record.amount, record.currency, self.session.lang))

    def escalate_last(self) -> None:
        recorded = self._write(ask_a_lead)
        if recorded is not None:
            self.say("chat_escalated", id=recorded.record.id, role=self.role_name(recorded.record.approver_role or ""))

    def _write(self, write):
        """Complete the request, then write it; a refusal (re-decided at write time) is shown, not raised."""
        prepared = self.complete_request()
        if prepared is None:
            return None
        policy_set, draft = prepared
        try:
            return write(self.ledger, policy_set, draft, role=self.session.role, key=f"cli:{uuid.uuid4()}",
                         now=self.clock())
        except Refused as error:
            self.refused(error)
            return None

    def show_pending(self) -> None:
        pending = self.ledger.escalations(status="pending", limit=20)
        if not pending:
            self.say("chat_no_pending")
        for escalation in pending:
            self.console.print(f"  #{escalation.id}  {escape(escalation.requested_by)}  {escape(escalation.playbook)}  "
                               f"{self.action_name(escalation.action)}  {escalation.amount} {escalation.currency}  "
                               f"→ {self.role_name(escalation.approver_role or '')}")

    def decide(self, rest: str, *, approve: bool) -> None:
        number, _, note = rest.strip().partition(" ")
        if not number.lstrip("#").isdigit():
            self.say("chat_need_escalation_id")
            return
        try:
            recorded = decide_escalation(self.ledger, self.store.current(), int(number.lstrip("#")), approve=approve,
                                         by=self.session.user, by_role=self.session.role, now=self.clock(),
                                         note=note or None)
        except (Refused, NotFound) as error:
            self.refused(error)
            return
        self.say("chat_approved" if approve else "chat_denied", id=recorded.record.id)

    def withdraw(self, rest: str) -> None:
        number = rest.strip().lstrip("#")
        if not number.isdigit():
            self.say("chat_need_escalation_id")
            return
        try:
            recorded = self.ledger.withdraw_escalation(int(number), by=self.session.user, now=self.clock())
        except Refused as error:
            self.refused(error)
            return
        self.say("chat_withdrawn", id=recorded.record.id)

    def refused(self, error: UserInputError) -> None:
        policy_set = self.store.current()
        decision = error.params.get("decision")
        if decision is not None:
            self.console.print(Text(verdict_line(decision, self.session.lang, policy_set)))
        self.console.print(Text(refusal_text(error, self.session.lang, policy_set)))

    # ------------------------------------------------------------ session

    def switch(self, who: str) -> None:
        if not who:
            self.say("chat_as_usage")
            return
        self.session.user, self.session.role = identity(self.store, who)
        self.say("chat_now_as", user=escape(self.session.user), role=self.role_name(self.session.role))

    def set_lang(self, lang: str) -> None:
        if lang not in ("en", "es"):
            self.say("chat_lang_usage")
            return
        self.session.lang, self.session.fixed_lang = lang, True
        self.say("chat_lang_set")

    def help(self) -> None:
        self.say("chat_help")

    # ------------------------------------------------------------ words

    def say(self, key: str, **params) -> None:
        self.console.print(t(key, self.session.lang, **params))

    def prompt(self, key: str, **params) -> str:
        return self.prompt_text(t(key, self.session.lang, **params))

    @staticmethod
    def prompt_text(text: str) -> str:
        return f"{text} "

    def role_name(self, role: str) -> str:
        policy = self.store.current().policy
        return policy.role(role).name.text(self.session.lang) if role in policy.role_ids else role

    def action_name(self, action: str) -> str:
        policy = self.store.current().policy
        return policy.actions[action].name.text(self.session.lang) if action in policy.actions else action


def parse_amount(text: str) -> Decimal | None:
    """A typed amount: ``12``, ``12.50``, ``12,50``, ``$12``. Anything else is None (the agent is asked again).

    >>> parse_amount("12,50"), parse_amount("$15"), parse_amount("-3"), parse_amount("abc")
    (Decimal('12.50'), Decimal('15'), None, None)
    """
    cleaned = text.strip().lstrip("$€£").strip().replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value > Decimal("1e9") or value != value.quantize(Decimal("0.01")):
        return None
    return value


def _printable(params: dict) -> dict:
    return {key: value for key, value in params.items() if isinstance(value, str | int)}


def line_reader(lines: Iterator[str], console: Console) -> Callable[[str], str | None]:
    """A ``read`` for scripted input: echoes the prompt and the line, like a terminal would."""

    def read(prompt: str) -> str | None:
        line = next(lines, None)
        console.print(escape(prompt) + escape((line or "").rstrip("\n")), highlight=False)
        return None if line is None else line.rstrip("\n")

    return read
