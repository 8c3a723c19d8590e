"""Writing a change's rows through Core statements instead of the ORM's unit of work.

The ORM's flush of one task and a step or two cost more CPU than everything else an engine event
does (sorting its work, collecting each object's history, building a statement per table): a
quarter of the writer's time at one event per request. Here the columns an object changed since
it was read go out as `UPDATE <table> SET <changed> WHERE id = :row_id`, one statement per table
and set of columns (rows that changed the same columns in one executemany), and the objects are
then marked clean, as a flush would leave them. The change's new rows nothing reads back
(history, log lines) go in beside them, one multi-row INSERT per table.

On PostgreSQL every statement is a round trip, and each is an await on the event loop, which is
what limits it there: a change's writes, one task's or a group commit's several, go out as one
statement, each a data-modifying CTE (`WITH w0 AS (UPDATE ...), w1 AS (INSERT ...) SELECT 1`),
which PostgreSQL runs every one of, to completion, with the read of the targets (a group's task
ids one array parameter, `id_lists`). Writes of more than `MAX_PARAMETERS` values go one
statement per table.

Only plain column changes of persistent rows are written here; anything else about an object (a
changed relationship, a row not yet inserted) is left to the unit of work, which still writes new
rows (approvals, outbox rows) at the next flush.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from typing import Any, cast

from sqlalchemy import (
    BindParameter,
    Row,
    Select,
    Table,
    TextClause,
    TextualSelect,
    bindparam,
    column,
    insert,
    inspect,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql.base import PGDialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstanceState, Mapper, Session
from sqlalchemy.sql.dml import Insert, Update

from store.models import Step, Task

__all__ = ["Read", "Rows", "write_rows"]

# New rows for one table: (the table, each row's column values).
Rows = tuple[Table, Sequence[dict[str, Any]]]
# A select to run with the writes, and its parameters.
Read = tuple[Select[Any], dict[str, Any]]
# Changed rows by (table, the columns changed): each row's new values and its id.
_Updates = dict[tuple[Table, tuple[str, ...]], list[dict[str, Any]]]

# The primary key's parameter: named apart from every column, whose names the SET clause takes.
_ROW_ID = "row_id"
_UPDATES: dict[Table, Update] = {}
# One statement for the writes of a few events (one event writes up to about 30 values): a batch
# of many shares its round trips anyway, and there one executemany per table costs less than a
# statement whose every value is a parameter of its own.
MAX_PARAMETERS = 256
_INSERTS: dict[Table, Insert] = {}


async def write_rows(
    session: AsyncSession,
    tasks: Sequence[Task],
    inserts: Sequence[Rows],
    *,
    one_statement: bool,
    then: Read | None = None,
) -> list[Row[Any]]:
    """Write what changed in `tasks`, their loaded steps and those steps' loaded substeps, and
    insert `inserts`; afterwards none of those objects has anything left for the unit of work to
    flush (the tasks of a group commit share the statements: one per table and set of columns).
    `one_statement`: all of it in one statement (PostgreSQL), which also runs `then`, a read of
    tables these writes leave alone; returns its rows (none without it)."""
    updates: _Updates = {}
    written: list[InstanceState[Any]] = []
    for obj in _rows_of(tasks):
        state: InstanceState[Any] = inspect(obj)
        if not state.modified:
            continue
        values = _changed_columns(state)
        if values is None:
            continue  # more than plain columns changed: the unit of work writes it
        written.append(state)
        if values:
            table = cast(Table, state.mapper.local_table)
            values[_ROW_ID] = state.dict["id"]
            updates.setdefault((table, tuple(sorted(values))), []).append(values)
    inserts = [(table, rows) for table, rows in inserts if rows]
    read: list[Row[Any]] = []
    if updates or inserts or then is not None:
        read = await session.run_sync(_write, updates, inserts, one_statement, then)
    if written:
        # What a flush does after writing: nothing of these objects is pending any more.
        identity_map = session.sync_session.identity_map
        for state in written:
            state._commit_all(state.dict, identity_map)
    return read


def _write(
    session: Session,
    updates: _Updates,
    inserts: list[Rows],
    one_statement: bool,
    then: Read | None,
) -> list[Row[Any]]:
    # On the session's connection: through the session each statement would first autoflush
    # these very objects. On the sync side, since a group commit on a SQLite file runs over the
    # standard library's driver, which the async connection cannot wrap.
    connection = session.connection()
    statements = len(updates) + len(inserts) + (then is not None)
    if one_statement and statements > 1 and _parameters(updates, inserts) <= MAX_PARAMETERS:
        shape = (
            tuple((table, tuple(rows[0]), len(rows)) for table, rows in inserts),
            tuple((table, keys, len(rows)) for (table, keys), rows in updates.items()),
        )
        params = {
            f"w{index}_{number}_{key}": value
            for index, (_, rows) in enumerate([*inserts, *updates.items()])
            for number, row in enumerate(rows)
            for key, value in row.items()
        }
        tables = [table for table, _ in inserts] + [table for table, _ in updates]
        if then is None or any(name in table.c for name in then[1] for table in tables):
            # A parameter named as a column would also be taken as a value to write there.
            connection.execute(_as_one(shape, None), params)
            return list(connection.execute(*then)) if then is not None else []
        params.update(then[1])
        return list(connection.execute(_as_one(shape, then[0]), params))
    for (table, _), rows in updates.items():
        connection.execute(_update_of(table), rows)
    for table, new_rows in inserts:
        connection.execute(_insert_into(table), new_rows)
    return list(connection.execute(*then)) if then is not None else []


def _parameters(updates: _Updates, inserts: list[Rows]) -> int:
    """How many bound parameters the writes take as one statement."""
    changed = sum(len(keys) * len(rows) for (_, keys), rows in updates.items())
    return changed + sum(len(rows) * len(rows[0]) for _, rows in inserts)


# What the writes of one statement are: for each table inserted into, its columns and how many
# rows; for each table and set of columns updated, how many rows.
_Shape = tuple[
    tuple[tuple[Table, tuple[str, ...], int], ...], tuple[tuple[Table, tuple[str, ...], int], ...]
]


@functools.lru_cache(maxsize=256)
def _as_one(shape: _Shape, then: Select[Any] | None) -> TextClause | TextualSelect:
    """The writes of this shape as data-modifying CTEs of `then` (or of `SELECT 1`), each value a
    parameter named `w<write>_<row>_<column>`. Built once per shape: an event's writes take one
    of a few. The select reads as of the statement's start, before the writes.

    As text, rendered once: SQLAlchemy caches no compiled form of a multi-row INSERT (it has no
    cache key), and compiling this statement anew for every event cost more than the round trips
    it saves. The text keeps each parameter's type, and the select's columns theirs."""
    statement = _writes_of(shape, then)
    compiled = statement.compile(dialect=_NAMED_PARAMETERS)
    parameters = [_renamed(parameter, name) for parameter, name in compiled.bind_names.items()]
    # The casts the dialect writes itself (`:value::JSON`) escaped, so the text reads no
    # parameter into them.
    rendered = text(compiled.string.replace("::", r"\:\:")).bindparams(*parameters)
    if then is None:
        return rendered
    # Matched by position: the select's own expressions would carry their parameters along.
    return rendered.columns(
        *(column(f"column_{n}", part.type) for n, part in enumerate(then.selected_columns))
    )


# PostgreSQL's SQL with `:name` parameters, which a text statement takes (no driver's casts
# after them: the driver's own dialect adds those as it runs the text).
_NAMED_PARAMETERS = PGDialect(paramstyle="named")


def _renamed(parameter: BindParameter[Any], name: str) -> BindParameter[Any]:
    """`parameter` as the text names it: a value each run supplies (one of the writes'), or the
    value the statement holds (one of the select's)."""
    if parameter.required:
        return bindparam(name, type_=parameter.type, required=True)
    return bindparam(name, parameter.value, type_=parameter.type)


def _writes_of(shape: _Shape, then: Select[Any] | None) -> Select[Any]:
    """`_as_one`'s statement, before it is rendered."""
    insert_shapes, update_shapes = shape
    ctes: list[Insert | Update] = []
    for index, (table, columns, count) in enumerate(insert_shapes):
        rows: list[dict[str, Any]] = [
            {column: _parameter(table, column, f"w{index}_{number}_{column}") for column in columns}
            for number in range(count)
        ]
        ctes.append(insert(table).values(rows))
    for index, (table, keys, count) in enumerate(update_shapes, start=len(insert_shapes)):
        for number in range(count):
            name = f"w{index}_{number}_"
            values: dict[str, Any] = {
                key: _parameter(table, key, name + key) for key in keys if key != _ROW_ID
            }
            where = table.c.id == _parameter(table, "id", name + _ROW_ID)
            ctes.append(update(table).where(where).values(values))
    main = then if then is not None else select(literal_column("1"))
    return main.add_cte(*(cte.cte(f"write_{index}") for index, cte in enumerate(ctes)))


def _parameter(table: Table, column: str, name: str) -> BindParameter[Any]:
    """A parameter for `column`, of its type (which converts the value, as for any statement):
    in the second row of a multi-row VALUES nothing would give it one."""
    return bindparam(name, type_=table.c[column].type)


def _rows_of(tasks: Sequence[Task]) -> Iterator[object]:
    """The tasks and whatever of their steps and substeps is loaded (nothing is loaded here)."""
    for task in tasks:
        yield task
        steps: list[Step] = task.__dict__.get("steps") or []
        for step in steps:
            yield step
            yield from step.__dict__.get("substeps") or ()


def _changed_columns(state: InstanceState[Any]) -> dict[str, Any] | None:
    """The columns whose value differs from the one read (setting an equal value writes
    nothing, as in a flush), by column name; None when the object is not a persistent row whose
    changes are all plain columns."""
    if not state.persistent:
        return None
    plain, values = _plain_columns(state.mapper), {}
    for key, old in state.committed_state.items():
        column = plain.get(key)
        if column is None:
            return None
        name, is_equal = column
        new = state.dict.get(key)
        if is_equal(new, old) is not True:
            values[name] = new
    return values


@functools.cache
def _plain_columns(mapper: Mapper[Any]) -> dict[str, tuple[str, Callable[[Any, Any], bool]]]:
    """A mapped class's attributes that are one plain column each: the column's name and how
    the attribute compares two values. Read once per class: looking each changed attribute up in
    the mapper cost a tenth of a group's CPU."""
    return {
        prop.key: (prop.columns[0].key, mapper.class_manager[prop.key].impl.is_equal)
        for prop in mapper.column_attrs
        if len(prop.columns) == 1
    }


def _update_of(table: Table) -> Update:
    """`UPDATE table WHERE id = :row_id`, its SET clause taken from each call's parameters;
    built once per table (the compiled form is cached per set of columns)."""
    statement = _UPDATES.get(table)
    if statement is None:
        statement = _UPDATES[table] = update(table).where(table.c.id == bindparam(_ROW_ID))
    return statement


def _insert_into(table: Table) -> Insert:
    """`INSERT INTO table`, built once per table: building a statement (and its cache key) costs
    more than SQLite takes to run it."""
    statement = _INSERTS.get(table)
    if statement is None:
        statement = _INSERTS[table] = insert(table)
    return statement
