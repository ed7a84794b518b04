"""Alembic migrations for the KneeCheck database (run at start-up by :mod:`models.migrate`)."""
