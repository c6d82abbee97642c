from django.core.management.base import BaseCommand, CommandError

from operations.services.backups import BackupError, backup_create, backup_location, backups_prune


class Command(BaseCommand):
    help = (
        "Write one archive (PostgreSQL dump in custom format, every private file, a manifest with "
        "checksums and row counts) to BACKUP_LOCATION or --to (a directory or s3://bucket/prefix)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--to", default="", help="a directory or s3://bucket/prefix (default: BACKUP_LOCATION)"
        )
        parser.add_argument("--prune", action="store_true", help="then delete what retention does not keep")

    def handle(self, *args, to="", prune=False, **options):
        try:
            result = backup_create(location=to or None)
            deleted = backups_prune(location=to or None) if prune else []
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{result.name} in {to or backup_location()}: {result.size} bytes, {result.tables} tables, "
            f"{result.rows} rows, {result.files} files, {result.seconds:.1f} s"
        )
        for name in deleted:
            self.stdout.write(f"deleted {name} (retention)")
