"""The rules' prefilter (`intents.rule_index`) tries fewer rules and never changes the answer:
the first matching rule is the same as trying every rule in order, on every labelled message
by hand in the repository and on random text made of the rules' own words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from intents import speech_act
from intents.normalise import normalise
from intents.rule_index import RuleIndex, required_literals, top_level_branches
from intents.rules import COMPILED_RULES, RULE_WORDS_MAX, rule_intent, rule_words
from intents.text import at_word_starts, branch_search

DATA = Path(__file__).resolve().parent / "data"


def first_rule_trying_all(text: str) -> str | None:
    for name, pattern in COMPILED_RULES:
        if pattern.search(text):
            return name
    return None


def rule_words_trying_all(intent: str, text: str) -> frozenset[str]:
    for name, pattern in COMPILED_RULES:
        if name == intent and (match := pattern.search(text)) is not None:
            words = match.group(0).split()
            return frozenset(words) if len(words) <= RULE_WORDS_MAX else frozenset()
    return frozenset()


@pytest.mark.parametrize(
    ("source", "branches"),
    [
        (r"\bstatus\b|\bprogress\b", [r"\bstatus\b", r"\bprogress\b"]),
        (r"a(?:b|c)|d", ["a(?:b|c)", "d"]),
        (r"[|(]x|\|y|[]|]z", ["[|(]x", r"\|y", "[]|]z"]),
        (r"(?<!a|b)c", [r"(?<!a|b)c"]),
    ],
)
def test_a_pattern_splits_at_its_top_level_bars(source: str, branches: list[str]) -> None:
    assert top_level_branches(source) == branches


def test_every_rule_splits_into_branches_that_rejoin_into_it() -> None:
    for _, pattern in COMPILED_RULES:
        assert "|".join(top_level_branches(pattern.pattern)) == pattern.pattern


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (r"\bstatus\b|\bprogress\b", {"status", "progress"}),
        (r"\b(?:please )?pause (?:it|the \w+)\b", {"pause "}),
        (r"\bsh+\b|\bhush\b", {"sh", "hush"}),
        (r"^(?:ok )*(?:go|yes) ahead$", {" ahead"}),
        (r"\b(?:stop|halt)s? (?:it|them)\b", {"stop", "halt"}),
        (r"\w+ing\b", {"ing"}),
        (r"(?<!for your )\bhelp\b(?! (?:to|if)\b)", {"help"}),
    ],
)
def test_required_literals_are_those_every_match_contains(pattern: str, literals: set[str]) -> None:
    assert required_literals(re.compile(pattern)) == literals


@pytest.mark.parametrize(
    "pattern",
    [r"\w+\b", r"^(?:a|)b?$", r"[^x]+", r"(?i)pause"],
)
def test_a_pattern_without_sure_literals_is_always_tried(pattern: str) -> None:
    assert required_literals(re.compile(pattern)) is None
    index = RuleIndex([re.compile(pattern)])
    assert index.candidates("nothing in common") == [0]


def test_every_hand_written_message_gets_the_same_first_rule() -> None:
    texts: set[str] = set()
    for path in [DATA / "dev.yaml", *sorted(DATA.glob("heldout*.yaml"))]:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        for item in data.get("utterances", []):
            texts.add(normalise(str(item["text"])).normalised)
            texts.add(str(item["text"]).lower())
    assert len(texts) > 8_000
    wrong = [t for t in texts if rule_intent(t) != first_rule_trying_all(t)]
    assert not wrong, wrong[:5]


_WORDS = sorted(
    {word for _, pattern in COMPILED_RULES for word in re.findall(r"[a-z]{2,}", pattern.pattern)}
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*_WORDS, "it", "the", "crm", "my", "x"]), max_size=8))
def test_random_text_of_the_rules_words_gets_the_same_first_rule(words: list[str]) -> None:
    text = " ".join(words)
    rule_intent.cache_clear()
    assert rule_intent(text) == first_rule_trying_all(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*_WORDS, "it", "the", "crm", "my", "x"]), max_size=8))
def test_random_text_gets_the_same_rule_words(words: list[str]) -> None:
    text = " ".join(words)
    for intent in {name for name, _ in COMPILED_RULES}:
        assert rule_words(intent, text) == rule_words_trying_all(intent, text)


# The speech act's long alternations, tested by their branches (`intents.text.branch_search`).
_ALTERNATIONS = [
    (speech_act._CORRECTION, speech_act._CORRECTS),
    (speech_act._HYPOTHETICAL, speech_act._IMAGINES),
    (speech_act.QUOTING, speech_act._QUOTES),
    (speech_act.REPORT, speech_act._REPORTS),
    (speech_act._ACTION_QUESTION, speech_act._ASKS_OF_AN_ACTION),
]
_THEIR_WORDS = sorted(
    {word for pattern, _ in _ALTERNATIONS for word in re.findall(r"[a-z]{2,}", pattern.pattern)}
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*_THEIR_WORDS, "it", "the", "crm", "i", "'", "?"]), max_size=10))
def test_a_branch_search_answers_as_the_whole_pattern(words: list[str]) -> None:
    text = " ".join(words)
    for pattern, found_in in _ALTERNATIONS:
        assert found_in(text) == bool(pattern.search(text)), pattern.pattern[:40]


def test_a_branch_search_of_a_wrapped_pattern_tries_its_alternatives_apart() -> None:
    found_in = branch_search(at_word_starts(r"\bpause it\b|\bhold (?:on|it)\b"))
    assert found_in("please hold it") and found_in("pause it now") and not found_in("hold")
