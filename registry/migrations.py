"""The registry's schema migrations, run with Alembic (programmatically, no alembic.ini).

The revisions are in `registry/alembic/versions/`, shipped as package data:

- `0001` creates the tables as the old hand-written migration 1 did,
- `0002` adds the lookup indexes as the old migration 2 did,
- `0003` adds the review tables (`reviews`, `decisions`: `registry.reviews`),

and every later schema change is a new revision, never an edit of an old one (then
`registry/tables.py`, the schema the program queries, is updated to match: a test compares
them). `migrate()` applies the missing revisions in order, each in its own transaction,
and Alembic records the head in `alembic_version`: a half-applied revision never stays.

Registries made before Alembic record their version in a `schema_version` table instead.
`migrate()` stamps the matching revision (`LEGACY_REVISIONS`) and drops `schema_version`,
in one transaction, then upgrades as usual: an old registry ends up exactly like a new one.

On SQLite, foreign keys are off while revisions run (SQLite's own recipe for schema
changes: batch mode copies a table, and dropping the old `documents` would otherwise
cascade to every child row); each revision commits only if `PRAGMA foreign_key_check`
finds nothing. On PostgreSQL an advisory lock keeps two processes from migrating at once.

A new revision (from the repository root; `registry/alembic/script.py.mako` is its form):

    .venv/bin/python -c "from alembic import command; from tasksheet.registry.migrations \\
        import config; command.revision(config(), 'what it does', rev_id='0003')"
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text
from tasksheet.registry.tables import (  # noqa: F401  (re-exported: the old home of the tables)
    CHILD_TABLES,
    contacts,
    documents,
    findings,
    members,
    metadata,
    opinions,
    parties,
    readings,
    sheets,
)
from tasksheet.schemas.errors import RegistryError

SCRIPT_LOCATION = Path(__file__).with_name("alembic")
# The old `schema_version` numbers and the revisions that reproduce them. Frozen.
LEGACY_REVISIONS = {1: "0001", 2: "0002"}
LEGACY_TABLE = "schema_version"
_LOCK_KEY = 4815162342  # the old runner's key too: old and new programs exclude each other


class NewerSchemaError(RegistryError):
    """The registry was migrated by a newer program: this one does not know its revision."""


def config(connection: Connection | None = None) -> Config:
    """The Alembic configuration of the registry (with `connection` for env.py to use)."""
    cfg = Config()
    # ConfigParser interpolates '%': a path holding one must be escaped.
    cfg.set_main_option("script_location", str(SCRIPT_LOCATION).replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def revisions() -> list[str]:
    """The revision ids, first to head (revision number n is `revisions()[n - 1]`)."""
    script = ScriptDirectory.from_config(config())
    if len(script.get_heads()) != 1:
        raise RuntimeError(f"registry migrations must form one line, heads: {script.get_heads()}")
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


LATEST = len(revisions())


def current_revision(conn: Connection) -> str | None:
    """The applied revision (from `schema_version` for an old registry), None if empty."""
    insp = inspect(conn)
    if insp.has_table("alembic_version"):
        return MigrationContext.configure(conn).get_current_revision()
    if insp.has_table(LEGACY_TABLE):
        number = conn.execute(text(f"SELECT max(version) FROM {LEGACY_TABLE}")).scalar() or 0
        return LEGACY_REVISIONS.get(number, f"{LEGACY_TABLE} {number}") if number else None
    return None


def current_version(conn: Connection) -> int:
    """The number of the applied revision, 0 for an empty database.

    Raises `NewerSchemaError` for a revision this program does not have.
    """
    revision = current_revision(conn)
    if revision is None:
        return 0
    chain = revisions()
    if revision not in chain:
        raise NewerSchemaError(f"has schema revision {revision!r}, unknown to this program "
                               f"(whose latest is {chain[-1]!r}): upgrade tasksheet")
    return chain.index(revision) + 1


def migrate(engine: Engine, target: int = LATEST) -> int:
    """Apply the revisions up to number `target`, each in one transaction; return the version.

    Never goes down: a registry already at or past `target` is left as it is.
    """
    if target < 0:
        raise ValueError(f"no revision number {target}")
    with engine.connect() as conn:
        version = current_version(conn)
        legacy = inspect(conn).has_table(LEGACY_TABLE)
        conn.rollback()
        if version >= target and not legacy:
            return version  # the usual case: nothing to do, nothing locked
        chain = revisions()
        if target > len(chain):
            raise ValueError(f"no revision number {target}: the latest is {len(chain)}")
        with _migrating(conn):
            with conn.begin():
                _adopt_legacy(conn)
            version = current_version(conn)
            conn.rollback()  # Alembic must get the connection outside a transaction
            if version < target:
                command.upgrade(config(conn), chain[target - 1])
                conn.commit()
            version = current_version(conn)
            conn.rollback()
    return version


def _adopt_legacy(conn: Connection) -> None:
    """Stamp an old registry's `schema_version` as its revision, and drop that table."""
    insp = inspect(conn)
    if not insp.has_table(LEGACY_TABLE):
        return
    if not insp.has_table("alembic_version"):
        number = conn.execute(text(f"SELECT max(version) FROM {LEGACY_TABLE}")).scalar() or 0
        if number not in LEGACY_REVISIONS:
            raise NewerSchemaError(f"has {LEGACY_TABLE} {number}, unknown to this program "
                                   f"(which knows {sorted(LEGACY_REVISIONS)}): upgrade tasksheet")
        script = ScriptDirectory.from_config(config())
        MigrationContext.configure(conn).stamp(script, LEGACY_REVISIONS[number])
    # With alembic_version present too, schema_version is a stray one that an old program
    # made when it opened a migrated registry (and then failed): Alembic's record wins.
    conn.execute(text(f"DROP TABLE {LEGACY_TABLE}"))


@contextmanager
def _migrating(conn: Connection) -> Iterator[None]:
    """Hold the migration lock (PostgreSQL) / keep foreign keys off (SQLite) meanwhile."""
    dialect = conn.dialect.name
    if dialect == "postgresql":
        # Session-level: held across the per-revision transactions, until released.
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _LOCK_KEY})
        conn.commit()
        try:
            yield
        finally:
            conn.rollback()
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _LOCK_KEY})
            conn.commit()
    elif dialect == "sqlite":
        # The pragma is a no-op inside a transaction: set it on the driver's connection,
        # outside SQLAlchemy's (whose BEGIN make_engine() emits).
        raw = conn.connection.driver_connection
        was_on = raw.execute("PRAGMA foreign_keys").fetchone()[0]
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            yield
        finally:
            conn.rollback()
            raw.execute(f"PRAGMA foreign_keys={'ON' if was_on else 'OFF'}")
    else:
        yield
