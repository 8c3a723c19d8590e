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

from intents.normalise import normalise
from intents.rule_index import RuleIndex, required_literals
from intents.rules import COMPILED_RULES, rule_intent

DATA = Path(__file__).resolve().parent / "data"


def first_rule_trying_all(text: str) -> str | None:
    for name, pattern in COMPILED_RULES:
        if pattern.search(text):
            return name
    return None


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
