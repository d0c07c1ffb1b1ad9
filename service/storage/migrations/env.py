"""Alembic's entry point: always online, on the connection service.storage.database hands in."""

from __future__ import annotations

from alembic import context

from service.storage.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("migrations run through service.storage.database.Database.migrate, when the service starts")

# SQLite alters a table by copying it: batch mode does that for later migrations.
context.configure(connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
