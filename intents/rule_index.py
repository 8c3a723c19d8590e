"""Which rules can match a text: a prefilter by the literal text every match must contain.

The rules (`intents.rules`) are a hundred long regular expressions tried in order, and most
messages match one of the last or none, so trying each in turn scanned the text a hundred times
(about 200 µs a message). But every match of almost every rule must contain some literal piece
of text: `\\bstatus\\b|\\bprogress\\b` cannot match a text without "status" or "progress". This
module reads each pattern's parse tree once and finds, for each, such a set of literals (one of
them must occur); one Aho-Corasick pass over the text (pyahocorasick) then names the rules whose
literals occur, and only those are tried, still in order. The answer is the same by
construction: a rule is left out only when none of its literals occurs, which no match of it
allows. A pattern whose pieces cannot be read that way is always tried.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import ahocorasick

__all__ = ["RuleIndex", "required_literals"]

# The standard library's own parser of regular expressions (`re._parser`, `sre_parse` before
# Python 3.11): private, so anything it does not give as expected makes a rule "always try".
try:
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - an older or a newer Python
    _p = _c = None

Literals = frozenset[str]


def _better(a: Literals | None, b: Literals | None) -> Literals | None:
    """Of two requirements that both hold, the more selective: the one whose shortest literal
    is longer (a long literal occurs in fewer texts)."""
    if a is None:
        return b
    if b is None:
        return a
    return a if min(map(len, a)) >= min(map(len, b)) else b


def _required(parsed: object) -> Literals | None:
    """Literals one of which every match of the parsed sequence contains, or None."""
    best: Literals | None = None
    run: list[str] = []

    def flush() -> None:
        nonlocal best
        if run:
            best = _better(best, frozenset({"".join(run)}))
            run.clear()

    for op, av in parsed:  # type: ignore[attr-defined]
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        found: Literals | None = None
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
            inner = list(av[2])
            if len(inner) == 1 and inner[0][0] is _c.LITERAL:
                run.append(chr(inner[0][1]))  # "sh+": "sh" occurs
                flush()
                continue
            found = _required(av[2])
        flush()
        if op is _c.SUBPATTERN:
            found = _required(av[-1])
        elif op is _c.BRANCH:
            branches = [_required(branch) for branch in av[1]]
            if all(branch is not None for branch in branches):
                found = frozenset().union(*branches)  # type: ignore[arg-type]
        elif op is _c.IN and av and all(item_op is _c.LITERAL for item_op, _ in av):
            found = frozenset(chr(char) for _, char in av)
        best = _better(best, found)
    flush()
    return best


def required_literals(pattern: re.Pattern[str]) -> Literals | None:
    """Literals one of which every match of `pattern` contains, or None when there are none
    to be sure of (then the pattern must always be tried)."""
    if _p is None or pattern.flags & re.IGNORECASE:
        return None  # case folding would need the literals in every case
    try:
        found = _required(_p.parse(pattern.pattern, pattern.flags))
    except Exception:
        return None
    if found is None or "" in found:
        return None
    return found


class RuleIndex:
    """The rules of `patterns` that may match a text, in their order."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self._always: frozenset[int] = frozenset(
            i for i, pattern in enumerate(patterns) if required_literals(pattern) is None
        )
        rules_of: dict[str, set[int]] = {}
        for i, pattern in enumerate(patterns):
            for literal in required_literals(pattern) or ():
                rules_of.setdefault(literal, set()).add(i)
        self._automaton = ahocorasick.Automaton()
        for literal, rules in rules_of.items():
            self._automaton.add_word(literal, frozenset(rules))
        self._empty = not rules_of
        if not self._empty:
            self._automaton.make_automaton()

    def candidates(self, text: str) -> list[int]:
        """Indexes of the patterns that may match `text`, ascending."""
        found = set(self._always)
        if not self._empty:
            for _, rules in self._automaton.iter(text):
                found.update(rules)
        return sorted(found)
