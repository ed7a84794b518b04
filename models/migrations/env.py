"""Alembic environment for KneeCheck.

The app runs migrations through :func:`models.migrate.upgrade`, which passes an open connection
(SQLite foreign keys off, inside one write transaction) in ``config.attributes["connection"]``.
Developers may also run the ``alembic`` command with ``-x db=URL``. Either way every migration runs
in batch mode (SQLite cannot ALTER most things) and the whole upgrade is one transaction: if any step
fails, or SQLite finds a broken foreign key afterwards, nothing is kept and the error is raised.
"""

from __future__ import annotations

from logging.config import fileConfig

import sqlalchemy as sa
from alembic import context

from models.schema import Base

config = context.config
if config.config_file_name is not None:
    # The default fileConfig() call silences every logger that already exists, the app's included.
    fileConfig(config.config_file_name, disable_existing_loggers=False)


class ForeignKeyCheckError(RuntimeError):
    """A migration left rows pointing at nothing; the upgrade is rolled back."""


def _migrate(connection: sa.Connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
        if connection.dialect.name == "sqlite":
            # Foreign keys are off while tables are rebuilt (a rebuild with them on deletes every
            # ON DELETE CASCADE child); check them all before the transaction may commit.
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                tables = sorted({str(row[0]) for row in broken})
                raise ForeignKeyCheckError(f"migration left {len(broken)} broken foreign key(s) in {', '.join(tables)}")


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    # Developer use from the alembic command line.
    import os

    from models.database import WRITE_OPTION, make_engine, resolve_url

    url = context.get_x_argument(as_dictionary=True).get("db") or os.environ.get("KNEECHECK_DB")
    engine = make_engine(resolve_url(url), foreign_keys=False)
    try:
        with engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                _migrate(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("KneeCheck migrations run online only (they check the data they move).")
run_migrations_online()
