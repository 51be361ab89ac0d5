"""Reading one YAML file the safe way: YAML 1.2, line numbers kept, duplicate keys refused.

PyYAML's YAML 1.1 turns ``no`` into False and silently keeps the last of two
duplicate keys, both dangerous in a policy file; ruamel.yaml does neither.
Aliases are allowed but expansion is bounded, so an alias bomb is an error, not
an outage.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from bot.errors import Problem

MAX_FILE_BYTES = 1_000_000
MAX_VALUES = 50_000


class YamlProblem(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


@dataclass(frozen=True)
class YamlDocument:
    """A parsed file: plain Python data plus the ruamel tree that knows every line."""

    path: str
    data: Any
    tree: Any
    duplicates: tuple[Problem, ...] = ()

    def line_of(self, location: tuple) -> int:
        """The 1-based line of the deepest part of ``location`` that exists in the file."""
        node, line = self.tree, 1
        for part in location:
            if isinstance(node, CommentedMap) and part in node:
                line = node.lc.key(part)[0] + 1
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
                line = node.lc.item(part)[0] + 1
                node = node[part]
            elif not isinstance(part, str | int):
                continue
            else:
                break
        return line

    def problem(self, location: tuple, message: str) -> Problem:
        return Problem(self.path, self.line_of(location), message)


def read_yaml(path: Path, *, shown_as: str) -> YamlDocument:
    """Parse ``path``; raise ``YamlProblem`` with a ``path:line`` message on any failure."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlProblem(Problem(shown_as, 0, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}. Split it."))
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:  # listed, then gone: an editor saving by delete-and-rename, or a checkout
        raise YamlProblem(Problem(shown_as, 0, "the file disappeared while it was being read; reload again")) from None
    except (OSError, UnicodeDecodeError) as error:
        raise YamlProblem(Problem(shown_as, 0, f"cannot read the file ({error}). Save it as UTF-8 text.")) from None
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = True  # found below with their lines, so every other problem is reported too
    try:
        duplicates = _duplicate_keys(yaml.compose(text), shown_as)
        tree = yaml.load(text)
    except MarkedYAMLError as error:
        raise YamlProblem(_syntax_problem(error, shown_as)) from None
    except (YAMLError, RecursionError, ValueError) as error:
        raise YamlProblem(Problem(shown_as, 0, f"YAML syntax: {_first_line(str(error))}")) from None
    if tree is None:
        raise YamlProblem(Problem(shown_as, 1, "file is empty; add the fields or delete the file"))
    if not isinstance(tree, CommentedMap):
        raise YamlProblem(Problem(shown_as, 1, "expected `key: value` lines at the top of the file"))
    return YamlDocument(shown_as, _plain(tree, budget=[MAX_VALUES], shown_as=shown_as), tree, tuple(duplicates))


def _syntax_problem(error: MarkedYAMLError, shown_as: str) -> Problem:
    """Where the reader should look: where the problem was found, except when the parser ran to the end
    of the file looking for a closing quote or bracket; then where that quote or bracket was opened."""
    reason = _first_line(error.problem or error.context or "invalid YAML")
    mark = error.problem_mark or error.context_mark
    if "end of stream" in (error.problem or "") and error.context_mark is not None:
        mark = error.context_mark
        reason = ("a quote opened here is never closed; add the closing quote" if "quoted" in (error.context or "")
                  else f"opened here and never closed before the end of the file ({_first_line(error.context or '')})")
    line = mark.line + 1 if mark else 0
    hint = " (the same key appears twice; keep one)" if "duplicate key" in str(error) else ""
    return Problem(shown_as, line, f"YAML syntax: {reason}{hint}")


def _duplicate_keys(root: Node | None, shown_as: str) -> list[Problem]:
    """Every key that appears twice in one mapping, at the line of its second appearance."""
    found, stack, seen_nodes = [], [root] if root is not None else [], set()
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, MappingNode):
            keys: dict = {}
            for key, value in node.value:
                name = getattr(key, "value", None)
                if isinstance(name, str) and name in keys:
                    found.append(Problem(shown_as, key.start_mark.line + 1,
                                         f"duplicate key '{name}' (first at line {keys[name]}); keep only one"))
                keys.setdefault(name, key.start_mark.line + 1)
                stack.append(value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return found


def _first_line(text: str) -> str:
    return str(text).strip().splitlines()[0] if str(text).strip() else "invalid YAML"


def _plain(node: Any, *, budget: list[int], shown_as: str) -> Any:
    """Convert ruamel's types to dicts, lists, str, int, bool, Decimal; bounded against alias bombs."""
    budget[0] -= 1
    if budget[0] < 0:
        raise YamlProblem(
            Problem(shown_as, 0, f"file expands to more than {MAX_VALUES:,} values (too many aliases?); simplify it")
        )
    if isinstance(node, dict):
        return {str(key): _plain(value, budget=budget, shown_as=shown_as) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(value, budget=budget, shown_as=shown_as) for value in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return Decimal(repr(float(node)))
    return str(node)
