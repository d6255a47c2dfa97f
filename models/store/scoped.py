"""Which workspace a row belongs to: the one filter every query in the store uses.

User and channel ids repeat across workspaces, so every table carries ``workspace_id`` and
``enterprise_id`` (``""`` outside Enterprise Grid, so that one equality serves every scope).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BindParameter, ColumnElement, FromClause, and_, bindparam

from models.domain.scope import Scope

# The scope as bound parameters, filled at execution from ``Scope.params()``: for statements
# built once, at import. One object per name, so a statement that filters several tables
# (joins, subqueries) binds the scope once.
WORKSPACE: BindParameter[str] = bindparam("workspace_id")
ENTERPRISE: BindParameter[str] = bindparam("enterprise_id")


def _columns(rows: FromClause | type[Any]) -> tuple[Any, Any]:
    if isinstance(rows, FromClause):
        return rows.c.workspace_id, rows.c.enterprise_id
    return rows.workspace_id, rows.enterprise_id  # a table model's columns


def in_scope(rows: FromClause | type[Any], scope: Scope | None = None) -> ColumnElement[bool]:
    """The rows of a table (or table model) in ``scope``; without one, in the scope bound
    at execution (``WORKSPACE`` and ``ENTERPRISE``)."""
    workspace, enterprise = _columns(rows)
    if scope is None:
        return and_(workspace == WORKSPACE, enterprise == ENTERPRISE)
    params = scope.params()
    return and_(workspace == params["workspace_id"], enterprise == params["enterprise_id"])


def in_org(rows: FromClause | type[Any], enterprise_id: str) -> ColumnElement[bool]:
    """The rows of every workspace of an Enterprise Grid org."""
    enterprise: ColumnElement[bool] = _columns(rows)[1] == enterprise_id
    return enterprise
