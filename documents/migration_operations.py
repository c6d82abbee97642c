"""Migration operations that only make sense on PostgreSQL; `make run` migrates SQLite too."""

from django.contrib.postgres.operations import UnaccentExtension


class UnaccentExtensionOnPostgres(UnaccentExtension):
    """`unaccent` for accent-insensitive search; skipped both ways on other databases."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        # Other apps may search with unaccent too: leave the extension installed.
