"""Alembic's environment: the connection or engine comes from the caller.

:func:`staffpath.store.database.migrate` passes a ``connection`` whose transaction it owns
(so it can check the result and roll every migration back together); pytest-alembic passes
its ``connection`` (an engine) the same way; older callers pass an ``engine``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from staffpath.store.models import Base

given = context.config.attributes.get("connection") or context.config.attributes["engine"]


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()


if isinstance(given, Connection):
    run(given)
else:
    with given.begin() as connection:
        run(connection)
