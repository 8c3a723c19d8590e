"""What keeps understanding fast must not change what it understands: the big alternations tried
only where a word begins match as they did everywhere, and a message said again in the same
circumstances reads as it did, with the same effect on the chat's context, while other
circumstances read it anew."""

from __future__ import annotations

import gc
import re
import weakref
from types import ModuleType

import pytest

from intents import ConversationContext, Understander, action_talk, speech_act
from intents.normalise import normalise
from tests.helpers.understanding_eval import SPLITS, load
from tests.test_understanding_general import TASKS

WRAPPED = (
    (speech_act, "_CORRECTION"),
    (speech_act, "_HYPOTHETICAL"),
    (action_talk, "QUOTING"),
    (action_talk, "REPORT"),
    (speech_act, "_LEAVE_ALONE"),
)
PREFIX = r"(?:^|\b(?=\w))(?:"


def _corpus_texts() -> list[str]:
    texts: list[str] = []
    for path in SPLITS.values():
        _, rows = load(path)
        for row in rows:
            norm = normalise(row.text)
            texts.append(norm.normalised)
            texts.extend(" ".join(clause) for clause in norm.clauses)
    return texts


@pytest.mark.parametrize(("module", "name"), WRAPPED)
def test_a_pattern_tried_at_word_starts_matches_as_before(module: ModuleType, name: str) -> None:
    wrapped: re.Pattern[str] = getattr(module, name)
    assert wrapped.pattern.startswith(PREFIX) and wrapped.pattern.endswith(")")
    plain = re.compile(wrapped.pattern[len(PREFIX) : -1], wrapped.flags)
    texts = _corpus_texts()
    assert len(texts) > 5000
    differ = [
        text
        for text in texts
        if (m := wrapped.search(text)) != (n := plain.search(text))
        and (m is None or n is None or m.span() != n.span())
    ]
    assert not differ, differ[:5]


def test_a_message_said_again_reads_the_same_and_moves_its_own_chat() -> None:
    context = ConversationContext()
    understander = Understander(context=context)
    first = understander.understand("pause the invoices sync", TASKS, chat_key="a", now=100.0)
    again = understander.understand("pause the invoices sync", TASKS, chat_key="b", now=200.0)
    assert again == first and (first.intent, first.task_id) == ("pause", "inv02")
    # the second chat now talks about that task too, as if the message had been read anew
    assert context.state("b", 200.0) == context.state("a", 200.0)
    assert context.recall("b", 200.0) == "inv02"
    follow = understander.understand("and the logs?", TASKS, chat_key="b", now=210.0)
    assert (follow.intent, follow.task_id) == ("logs", "inv02")


def test_other_circumstances_read_a_message_anew() -> None:
    context = ConversationContext()
    understander = Understander(context=context)
    context.remember("a", "etl11", now=100.0)
    context.remember("b", "crm01", now=100.0)
    in_a = understander.understand("pause it", TASKS, chat_key="a", now=101.0)
    in_b = understander.understand("pause it", TASKS, chat_key="b", now=101.0)
    assert (in_a.task_id, in_b.task_id) == ("etl11", "crm01")
    # the tasks in view changed: the orders pipeline is gone, so "the orders" names nothing
    fewer = [task for task in TASKS if task.task_id != "etl11"]
    before = understander.understand("status of the orders pipeline", TASKS, chat_key="c")
    after = understander.understand("status of the orders pipeline", fewer, chat_key="d")
    assert before.task_id == "etl11" and after.task_id != "etl11"
    # and another person's "my" is theirs
    carol = understander.understand("how is my task doing", TASKS, chat_key="e", person="carol")
    bob = understander.understand("how is my task doing", TASKS, chat_key="f", person="bob")
    assert carol.task_id == "bkg08" and bob.task_id == "inv02"


def test_the_readings_kept_keep_no_task_index_alive() -> None:
    # every person's tasks make an index of their own: a kept reading must not hold one in memory
    # after the understander's own cache has let it go
    understander = Understander(context=ConversationContext(), index_cache_size=1)
    first = list(TASKS)
    understander.understand("pause the invoices sync", first, chat_key="a")
    gone = weakref.ref(understander.index(first))
    understander.understand("pause the invoices sync", TASKS[:-1], chat_key="b")
    gc.collect()
    assert gone() is None
    # and a new index for the same tasks reads the message anew, the same way
    again = understander.understand("pause the invoices sync", first, chat_key="c")
    assert (again.intent, again.task_id) == ("pause", "inv02")
