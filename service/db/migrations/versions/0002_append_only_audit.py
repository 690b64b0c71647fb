"""append-only audit: the database itself refuses to rewrite review events or decided items

Revision ID: 0002_append_only_audit
Revises: 0001_initial
Create Date: 2026-12-01 07:50:00

The service never updates a review event or a decided review item; these
triggers make that a property of the data, so no other code path (a script,
a console bug, a hand-run UPDATE) can rewrite the audit trail either.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002_append_only_audit"
down_revision: str | Sequence[str] | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_UP = [
    """CREATE TRIGGER review_events_no_update BEFORE UPDATE ON review_events
       BEGIN SELECT RAISE(ABORT, 'review_events is append-only'); END""",
    """CREATE TRIGGER review_events_no_delete BEFORE DELETE ON review_events
       BEGIN SELECT RAISE(ABORT, 'review_events is append-only'); END""",
    """CREATE TRIGGER review_items_decided_is_final BEFORE UPDATE ON review_items
       WHEN OLD.status <> 'pending'
       BEGIN SELECT RAISE(ABORT, 'a decided review item is final'); END""",
]
_SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS review_items_decided_is_final",
    "DROP TRIGGER IF EXISTS review_events_no_delete",
    "DROP TRIGGER IF EXISTS review_events_no_update",
]

_POSTGRES_UP = [
    """CREATE FUNCTION handoff_review_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'review_events is append-only'; END $$""",
    """CREATE TRIGGER review_events_append_only BEFORE UPDATE OR DELETE ON review_events
       FOR EACH ROW EXECUTE FUNCTION handoff_review_events_append_only()""",
    """CREATE FUNCTION handoff_review_items_decided_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'a decided review item is final'; END $$""",
    """CREATE TRIGGER review_items_decided_is_final BEFORE UPDATE ON review_items
       FOR EACH ROW WHEN (OLD.status <> 'pending')
       EXECUTE FUNCTION handoff_review_items_decided_is_final()""",
]
_POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS review_items_decided_is_final ON review_items",
    "DROP FUNCTION IF EXISTS handoff_review_items_decided_is_final()",
    "DROP TRIGGER IF EXISTS review_events_append_only ON review_events",
    "DROP FUNCTION IF EXISTS handoff_review_events_append_only()",
]


def _statements(*, up: bool) -> list[str]:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        return _SQLITE_UP if up else _SQLITE_DOWN
    if dialect == "postgresql":
        return _POSTGRES_UP if up else _POSTGRES_DOWN
    return []


def upgrade() -> None:
    for statement in _statements(up=True):
        op.execute(statement)


def downgrade() -> None:
    for statement in _statements(up=False):
        op.execute(statement)
