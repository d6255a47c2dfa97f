"""Statements compiled once per database dialect and run straight on the DBAPI cursor.

For the few statements on the ``/ssi`` hot path only. SQLAlchemy still writes the SQL (from
the same Core statements as everywhere else), owns the connection and the transaction, and
converts values with the column types' own processors; what is skipped is its per-execution
machinery, measured at about 190 us of the 280 us that one submission's three statements
cost on SQLite (raw driver: 90 us).

A fence around SQLAlchemy's compiler internals (``binds``, ``positiontup``,
``construct_params``): checked on SQLAlchemy 2.1, which pyproject.toml pins to that minor
version. ``plain_rows`` runs the same statement the ordinary way, and
tests/models/store/test_prepared.py
compares the two for every prepared statement on SQLite and PostgreSQL, so an upgrade that
changes those internals fails loudly instead of reading wrong values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ClauseElement, Connection, Executable
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    compiled: SQLCompiler
    positional: tuple[str, ...] | None  # parameter order for qmark/format drivers
    bind_processors: dict[str, Callable[[Any], Any]]
    result_processors: tuple[Processor, ...]
    # psycopg: results in PostgreSQL's binary format, about a fifth cheaper to convert than
    # text for the weekly run's hundreds of thousands of integers.
    binary: bool


class Prepared:
    """One statement, compiled lazily for each dialect it meets."""

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._by_dialect: dict[str, _Compiled] = {}

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled = self.statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        bind_processors: dict[str, Callable[[Any], Any]] = {}
        for name, bind in compiled.binds.items():
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                bind_processors[name] = processor
        columns = getattr(self.statement, "selected_columns", ())
        result_processors = tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
        )
        return _Compiled(
            sql=compiled.string,
            compiled=compiled,
            positional=tuple(compiled.positiontup) if compiled.positiontup else None,
            bind_processors=bind_processors,
            result_processors=result_processors,
            binary=dialect.driver == "psycopg",
        )

    def _for(self, dialect: Dialect) -> _Compiled:
        key = f"{dialect.name}+{dialect.driver}"
        found = self._by_dialect.get(key)
        if found is None:
            found = self._by_dialect[key] = self._compile(dialect)
        return found

    def _cursor(self, connection: Connection, params: Mapping[str, Any]) -> tuple[Any, _Compiled]:
        # connection.connection: the DBAPI connection, inside the caller's transaction.
        prepared = self._for(connection.dialect)
        values = prepared.compiled.construct_params(params)
        for name, processor in prepared.bind_processors.items():
            values[name] = processor(values[name])
        arguments = (
            values if prepared.positional is None else [values[n] for n in prepared.positional]
        )
        cursor = connection.connection.cursor()
        try:
            if prepared.binary:
                # psycopg's own keyword, which the DBAPI protocol's hint doesn't name.
                cursor.execute(prepared.sql, arguments, binary=True)  # type: ignore[call-arg]
            else:
                cursor.execute(prepared.sql, arguments)
        except connection.dialect.loaded_dbapi.Error as error:
            cursor.close()
            # The same exception classes as SQLAlchemy's own execution raises.
            raise DBAPIError.instance(
                prepared.sql, arguments, error, connection.dialect.loaded_dbapi.Error
            ) from error
        return cursor, prepared

    def plain_rows(
        self, connection: Connection, params: Mapping[str, Any]
    ) -> list[tuple[Any, ...]]:
        """The same statement through SQLAlchemy's own execution: what ``rows`` must equal."""
        assert isinstance(self.statement, Executable)
        return [tuple(row) for row in connection.execute(self.statement, dict(params))]

    def rows(self, connection: Connection, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Run a query (or an insert with RETURNING); values converted by their column types."""
        cursor, prepared = self._cursor(connection, params)
        try:
            fetched = cursor.fetchall()
        finally:
            cursor.close()
        processors = prepared.result_processors
        if not any(processors):
            return [tuple(row) for row in fetched]
        return [
            tuple(p(v) if p else v for p, v in zip(processors, row, strict=True)) for row in fetched
        ]
