"""Shared state: the database of API keys, signals and Slack feedback (SQLAlchemy, migrated by Alembic),
and the Redis that several replicas count rate limits and Slack deliveries in."""
