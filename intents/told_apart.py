"""Tell close tasks apart by the words that name only one of them.

"the forecast of the beds" beside a "Hospital Bed Forecasting" and a "Solar Yield Forecast":
both names share "forecast", and the scores come close, the first's even a little lower (its
"Forecasting" is an inflection and "beds" or "letti" an inflection or a translation, the second's
"Forecast" the word itself): the bot used to ask which one, or pick the second. But the person
said a word that names only the first, and no word that names only the second: what they said of
the second they said of the first too. A word that names one of them and not the other is what
tells them apart, so the first is meant.

This reads only the words the message said and the tasks each credited, so it holds for every
name and language the resolver already reads; it never picks a task no word named, and it leaves
the choice when each task has a word of its own ("the bed one or the solar one").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from intents.task_index import light_stem

__all__ = ["told_apart"]


def told_apart(
    scores: dict[int, float],
    said_by: Mapping[int, set[str]],
    name_stems: Sequence[tuple[frozenset[str], ...]],
    close_share: float,
) -> dict[int, float]:
    """`scores` down to the task said of in every word said of the best-scored ones and in one
    more, when there is one; else `scores` as is.

    `said_by` holds the words that credited each task; `name_stems` each task's name stems (a
    word credits one task exactly, "forecast" of a "Forecast", and is still an inflection of
    another's, "Forecasting": it is said of both). The task may score a little lower than the
    best ("beds" of a "Bed" counts as an inflection): a word only it was named by still tells."""
    if len(scores) < 2:
        return scores
    top = max(scores.values())
    close = [i for i, s in scores.items() if s >= close_share * top]
    said = {w for i in scores for w in said_by.get(i, ())}

    def words_of(i: int) -> set[str]:
        stems = {stem for names in name_stems[i] for stem in names}
        return set(said_by.get(i, ())) | {w for w in said if light_stem(w) in stems}

    theirs = {i: words_of(i) for i in close}
    # (a close task named by no word of the message, a step said in full or an owner, is none
    # whose words this can weigh)
    if not all(theirs.values()):
        return scores
    for told in sorted(scores, key=scores.__getitem__, reverse=True):
        rivals = [i for i in close if i != told]
        mine = theirs.get(told) or words_of(told)
        if rivals and all(theirs[i] < mine for i in rivals):
            floor = close_share * scores[told]
            return {i: s for i, s in scores.items() if i == told or (i not in close and s < floor)}
    return scores
