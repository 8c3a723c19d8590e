"""A list of task ids (or of task and step pairs) as one bound parameter, for the reads a group
commit makes of several tasks at once.

SQLAlchemy's expanding IN (`column.in_(bindparam(..., expanding=True))`) renders the statement's
text anew on every run, one placeholder per value; for the group commit's reads that cost more
than SQLite took to run them (`bench/ingest.py`). Passed as one value instead, a JSON array that
SQLite reads with `json_each`, or PostgreSQL arrays compared with `= ANY` or unnested, the text
stays the same from run to run and its compiled form is cached like any other statement's. It can
then also go into the text of the one statement that writes a change on PostgreSQL
(`row_writes`), where an expanding list cannot.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    SQLColumnExpression,
    Text,
    any_,
    bindparam,
    func,
    literal_column,
    select,
)
from sqlalchemy import tuple_ as row_of
from sqlalchemy.dialects.postgresql import ARRAY

__all__ = ["ids_in", "ids_value", "pairs_in", "pairs_values"]


def ids_in(column: SQLColumnExpression[str], name: str, *, postgres: bool) -> ColumnElement[bool]:
    """`column IN (the ids)`, the ids taken from the parameter `name` (`ids_value`)."""
    if postgres:
        return column == any_(bindparam(name, type_=ARRAY(Text)))
    return column.in_(select(literal_column("value")).select_from(func.json_each(bindparam(name))))


def ids_value(ids: Iterable[str], *, postgres: bool) -> Any:
    """The value of an `ids_in` parameter."""
    return list(ids) if postgres else json.dumps(list(ids))


def pairs_in(
    first: SQLColumnExpression[str], second: SQLColumnExpression[int], name: str, *, postgres: bool
) -> ColumnElement[bool]:
    """`(first, second) IN (the pairs)`, the pairs taken from the parameters `pairs_values`
    gives (on PostgreSQL two arrays, unnested side by side)."""
    pairs: Any
    if postgres:
        pairs = select(
            func.unnest(bindparam(f"{name}_1", type_=ARRAY(Text))),
            func.unnest(bindparam(f"{name}_2", type_=ARRAY(Integer))),
        )
    else:
        value: ColumnElement[Any] = literal_column("value")
        pairs = select(func.json_extract(value, "$[0]"), func.json_extract(value, "$[1]"))
        pairs = pairs.select_from(func.json_each(bindparam(name)))
    return row_of(first, second).in_(pairs)


def pairs_values(name: str, pairs: Iterable[tuple[str, int]], *, postgres: bool) -> dict[str, Any]:
    """The parameters of a `pairs_in`."""
    listed = list(pairs)
    if postgres:
        return {f"{name}_1": [a for a, _ in listed], f"{name}_2": [b for _, b in listed]}
    return {name: json.dumps(listed)}
