"""Migration operations that only run on PostgreSQL, so the SQLite demo (`make run`) still migrates."""

from django.db import migrations


class PostgresOnlySQL(migrations.RunSQL):
    """RunSQL that does nothing on other databases: exclusion constraints and btree_gist exist only
    on PostgreSQL, where they make concurrent overlapping writes impossible."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
