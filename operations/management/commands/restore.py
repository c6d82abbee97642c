from django.core.management.base import BaseCommand, CommandError

from operations.services.backups import BackupError, backup_location, backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into this empty database and empty file storage, "
        "checking every checksum and, once restored, every table's row count."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="the archive's name (portal-backup-….tar), or 'latest'")
        parser.add_argument("--from", dest="source", default="", help="a directory or s3://bucket/prefix")

    def handle(self, *args, name, source="", **options):
        try:
            result = backup_restore(name=name, location=source or None)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{result.name} from {source or backup_location()} restored: {result.tables} tables and "
            f"{result.rows} rows match the manifest, {result.files} files match their checksums, "
            f"{result.seconds:.1f} s"
        )
