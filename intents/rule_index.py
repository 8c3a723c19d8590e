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

A rule is a long alternation, and one of its many branches holding a common piece (" the ",
"ach") made the rule a candidate for most messages, where trying its forty branches at every
position cost 20-40 µs. So each rule's top-level branches are indexed apart, each by its own
literals, and only the branches whose literals occur are tried: the rule matches when one of
them does (a regex's alternation matches where one of its branches does; the rules use no
backreference and no global flag that would tie branches together). The rule's own pattern is
run only for the text of its match (`rule_words`).
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


def top_level_branches(source: str) -> list[str]:
    """The top-level alternatives of a pattern's source, as written ("a|(?:b|c)" gives "a" and
    "(?:b|c)"): split at each "|" outside a group and a character class."""
    branches: list[str] = []
    depth = start = k = class_start = 0
    in_class = False
    while k < len(source):
        ch = source[k]
        if ch == "\\":
            k += 2  # an escaped character, whatever it is
            continue
        if in_class:
            # ("]" first in a class, "[]a]" or "[^]a]", is a literal; escapes are skipped above)
            if ch == "]" and k > class_start:
                in_class = False
        elif ch == "[":
            in_class = True
            class_start = k + 1 + (source[k + 1 : k + 2] == "^")
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            branches.append(source[start:k])
            start = k + 1
        k += 1
    branches.append(source[start:])
    return branches


def _branch_patterns(pattern: re.Pattern[str]) -> list[re.Pattern[str]]:
    """The pattern's top-level branches compiled apart, when they can stand alone (else the
    pattern whole): no backreference nor group-name condition that could tie them together."""
    branches = top_level_branches(pattern.pattern)
    if len(branches) < 2 or re.search(r"\\[1-9]|\(\?P=|\(\?\(|\(\?[aiLmsux]+\)", pattern.pattern):
        return [pattern]
    try:
        return [re.compile(branch, pattern.flags) for branch in branches]
    except re.error:
        return [pattern]


_RECENT_TEXTS = 256


class RuleIndex:
    """The rules of `patterns` that may match a text, in their order; and the one that matches
    first, trying only the branches of each whose literals occur."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        # Every rule's branches, numbered in the rules' order, so that the branches of a text in
        # ascending order are its rules in order.
        self.branches: list[re.Pattern[str]] = []
        self.rule_of_branch: list[int] = []
        branches_of: dict[str, set[int]] = {}
        always: set[int] = set()
        for i, pattern in enumerate(patterns):
            for branch in _branch_patterns(pattern):
                k = len(self.branches)
                self.branches.append(branch)
                self.rule_of_branch.append(i)
                literals = required_literals(branch)
                if literals is None:
                    always.add(k)
                for literal in literals or ():
                    branches_of.setdefault(literal, set()).add(k)
        self._always_branches = frozenset(always)
        self._automaton = _automaton(branches_of)
        self._branches_of_rule: list[tuple[int, ...]] = [() for _ in patterns]
        for k, i in enumerate(self.rule_of_branch):
            self._branches_of_rule[i] += (k,)
        # The branch candidates of the texts seen last: a message's text is asked for its first
        # rule and for the words of a given intent's rules several times over.
        self._recent: dict[str, frozenset[int]] = {}

    def candidates(self, text: str) -> list[int]:
        """Indexes of the patterns that may match `text` (one of their branches may), ascending."""
        return sorted({self.rule_of_branch[k] for k in self.branch_candidates(text)})

    def branch_candidates(self, text: str) -> list[int]:
        """Indexes of the branches that may match `text` (`branches`, `rule_of_branch`),
        ascending: the rules' order."""
        found = set(self._always_branches)
        if self._automaton is not None:
            for _, indexes in self._automaton.iter(text):
                found.update(indexes)
        return sorted(found)

    def first_match_among(self, rules: Sequence[int], text: str) -> re.Match[str] | None:
        """The match of the first of `rules` (ascending) that matches `text`, as its pattern
        gives it: the leftmost of its branches' matches, the first branch's of those at that
        place (an alternation tries its branches in turn at each place)."""
        may = self._may_match(text)
        for i in rules:
            match: re.Match[str] | None = None
            for k in self._branches_of_rule[i]:
                found = self.branches[k].search(text) if k in may else None
                if found is not None and (match is None or found.start() < match.start()):
                    match = found
            if match is not None:
                return match
        return None

    def first_match(self, text: str) -> int | None:
        """The index of the first pattern that matches `text`, if any: the first of its
        branches that may match and does (the same answer as trying every pattern in turn)."""
        for k in sorted(self._may_match(text)):
            if self.branches[k].search(text):
                return self.rule_of_branch[k]
        return None

    def _may_match(self, text: str) -> frozenset[int]:
        """`branch_candidates`, kept for the texts seen last."""
        may = self._recent.get(text)
        if may is None:
            if len(self._recent) >= _RECENT_TEXTS:
                self._recent.clear()  # bounded; a message's texts are asked within a moment
            may = self._recent[text] = frozenset(self.branch_candidates(text))
        return may


def _automaton(entries: dict[str, set[int]]) -> ahocorasick.Automaton | None:
    """One Aho-Corasick automaton over the literals, each giving its indexes; None for none."""
    if not entries:
        return None
    automaton = ahocorasick.Automaton()
    for literal, indexes in entries.items():
        automaton.add_word(literal, frozenset(indexes))
    automaton.make_automaton()
    return automaton
