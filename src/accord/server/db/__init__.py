"""Storage: SQLAlchemy 2 models, engines and transactions, and the Alembic migrations (package data)."""

from accord.server.db.session import Database, after_commit

__all__ = ["Database", "after_commit"]
