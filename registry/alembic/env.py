"""Alembic environment of the registry: run by `tasksheet.registry.migrations`, never alone.

There is no alembic.ini: `migrations.config()` builds the `Config` and passes the open
connection in `config.attributes["connection"]`. Each revision runs in its own
transaction; on SQLite (foreign keys off for the run, see `migrations.migrate`) a
revision is committed only if `PRAGMA foreign_key_check` finds nothing broken.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection
from tasksheet.registry.tables import metadata


def _check_foreign_keys(ctx: Any, **_kw: Any) -> None:
    broken = ctx.connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"migration left rows without their document: {broken[:5]}")


def run() -> None:
    if context.is_offline_mode():
        raise RuntimeError("the registry migrates online only (no --sql mode)")
    connection: Connection | None = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run registry migrations through tasksheet.registry.migrations."
                           "migrate(), which passes the connection")
    sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=metadata,
        transaction_per_migration=True,
        # make_engine() makes SQLite DDL transactional (explicit BEGIN), as on PostgreSQL.
        transactional_ddl=True,
        render_as_batch=sqlite,  # autogenerate: SQLite ALTERs go through batch mode
        on_version_apply=[_check_foreign_keys] if sqlite else [],
    )
    with context.begin_transaction():
        context.run_migrations()


run()
