"""A room holds one session at a time, enforced by PostgreSQL itself.

The exclusion constraint needs btree_gist (equality on meeting and room inside a GiST index) and
does not exist on SQLite, which the embedded demo (`make run`) uses: the operation runs only on
PostgreSQL, and `Session.clean()` / the services check the same rule on every database. It is not
declared in `Session.Meta.constraints` because the migration state would then carry it to SQLite.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE meetings_session ADD CONSTRAINT session_room_not_double_booked
    EXCLUDE USING gist (meeting_id WITH =, room WITH =, tstzrange(starts, ends, '[)') WITH &&)
    WHERE (room <> '');
"""
DROP = "ALTER TABLE meetings_session DROP CONSTRAINT IF EXISTS session_room_not_double_booked;"


class PostgreSQLOnlySQL(migrations.RunSQL):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0002_planning_programme_side_events")]

    operations = [PostgreSQLOnlySQL(CREATE, DROP)]
