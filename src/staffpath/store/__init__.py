"""The studio's storage: SQLAlchemy 2 models, Alembic migrations, and the repository functions.

SQLite (a file in the user's data folder) by default, PostgreSQL by URL. Every function
takes the session as a keyword argument and never commits: the caller owns the transaction.
"""
