"""Backups that restore: one archive holds the PostgreSQL dump (pg_dump's custom format) and every
private file (uploads, letters, reports), with a manifest of checksums and row counts, written to
a directory or an S3-compatible bucket. `backup_restore` brings an archive back into an empty
database and an empty file storage, checking every checksum on the way in and every row count
once restored.

The archive is a plain tar (the dump is compressed by pg_dump, PDFs are compressed already):
`portal-backup-<UTC time>.tar` holding `manifest.json`, `database.dump` and `files/<name>`."""

import contextlib
import datetime as dt
import hashlib
import io
import json
import logging
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT_VERSION = 1
NAME = re.compile(r"^portal-backup-(\d{8}T\d{6}Z)\.tar$")
CHUNK = 1024 * 1024
logger = logging.getLogger(__name__)


class BackupError(Exception):
    pass


@dataclass
class BackupResult:
    location: str
    name: str
    size: int
    seconds: float
    tables: int
    rows: int
    files: int


# --- Where archives go --------------------------------------------------------------------------


def _s3_storage(url: str):
    """s3://bucket/prefix → a django-storages S3 storage, with the endpoint and keys of S3_* (or
    BACKUP_S3_*) settings; the bucket may differ from the files' bucket (keep backups apart)."""
    from storages.backends.s3 import S3Storage

    bucket, _slash, prefix = url.removeprefix("s3://").partition("/")
    return S3Storage(
        bucket_name=bucket,
        location=prefix.strip("/"),
        endpoint_url=getattr(settings, "BACKUP_S3_ENDPOINT_URL", "") or None,
        access_key=getattr(settings, "BACKUP_S3_ACCESS_KEY_ID", "") or None,
        secret_key=getattr(settings, "BACKUP_S3_SECRET_ACCESS_KEY", "") or None,
        region_name=getattr(settings, "BACKUP_S3_REGION", "us-east-1"),
        default_acl=None,
        file_overwrite=True,
        addressing_style="path",
        signature_version="s3v4",
    )


class _Target:
    """A directory or a bucket prefix holding archives."""

    def __init__(self, location: str):
        self.location = location
        self.s3 = _s3_storage(location) if location.startswith("s3://") else None
        if self.s3 is None:
            Path(location).mkdir(parents=True, exist_ok=True)

    def names(self) -> list[str]:
        if self.s3 is not None:
            _dirs, files = self.s3.listdir("")
        else:
            files = os.listdir(self.location)
        return sorted(name for name in files if NAME.match(name))

    def put(self, local: Path, name: str) -> None:
        if self.s3 is not None:
            with local.open("rb") as handle:
                self.s3.save(name, handle)
        else:
            shutil.copyfile(local, Path(self.location) / f".{name}.part")
            os.replace(Path(self.location) / f".{name}.part", Path(self.location) / name)

    def get(self, name: str, local: Path) -> None:
        if self.s3 is not None:
            with self.s3.open(name, "rb") as source, local.open("wb") as out:
                shutil.copyfileobj(source, out, CHUNK)
        else:
            shutil.copyfile(Path(self.location) / name, local)

    def delete(self, name: str) -> None:
        if self.s3 is not None:
            self.s3.delete(name)
        else:
            (Path(self.location) / name).unlink(missing_ok=True)


def backup_location() -> str:
    return str(getattr(settings, "BACKUP_LOCATION", "") or Path(settings.BASE_DIR) / "var" / "backups")


# --- The database ---------------------------------------------------------------------------------


def _pg_env(db: dict) -> dict:
    if "postgresql" not in db["ENGINE"]:
        raise BackupError("Backups need PostgreSQL (the embedded SQLite demo is not backed up).")
    env = {**os.environ}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[name] = str(db[key])
    env["PGDATABASE"] = db["NAME"]
    return env


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


def table_row_counts() -> dict[str, int]:
    """Rows of every table of the database, exactly (count(*), not the planner's estimate)."""
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


# --- Files --------------------------------------------------------------------------------------


def _walk(storage, folder=""):
    dirs, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(dirs):
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)


def private_file_names() -> list[str]:
    """Every private file. Uploads ("default") and letters ("letters") share one place (MEDIA_ROOT,
    or the bucket and prefix), so walking the default storage finds both."""
    storage = storages["default"]
    try:
        return list(_walk(storage))
    except FileNotFoundError:  # no file stored yet
        return []


def _sha256(handle) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


# --- Backup ---------------------------------------------------------------------------------------


def backup_create(*, location: str | None = None) -> BackupResult:
    started = time.perf_counter()
    target = _Target(location or backup_location())
    db = settings.DATABASES["default"]
    env = _pg_env(db)
    now = dt.datetime.now(dt.UTC)
    name = f"portal-backup-{now:%Y%m%dT%H%M%SZ}.tar"
    with tempfile.TemporaryDirectory(prefix="portal-backup-") as work:
        work = Path(work)
        dump = work / "database.dump"
        # The dump and the row counts of the manifest read one snapshot, so a portal in use
        # while the backup runs still restores to exactly the counts recorded.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            # Custom format, no owners or grants: it restores into any empty database.
            _run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                 f"--snapshot={snapshot}", f"--file={dump}"],
                env,
            )  # fmt: skip
            rows = table_row_counts()
        with dump.open("rb") as handle:
            dump_sha, dump_size = _sha256(handle)
        storage = storages["default"]
        archive = work / name
        files, skipped = [], []
        with tarfile.open(archive, "w") as tar:
            tar.add(dump, arcname="database.dump")
            for file_name in private_file_names():
                try:
                    with storage.open(file_name, "rb") as source:
                        data = source.read()
                except FileNotFoundError:
                    # Deleted between the listing and now (the passport purge runs at night
                    # too): nothing to back up. The manifest says so; the log names no file
                    # (a name may say whose it is), only its folder.
                    skipped.append(file_name)
                    logger.warning(
                        "Backup: a private file in %s disappeared while the backup ran; skipped.",
                        os.path.dirname(file_name) or ".",
                    )
                    continue
                digest = hashlib.sha256(data).hexdigest()
                info = tarfile.TarInfo(f"files/{file_name}")
                info.size, info.mtime = len(data), int(now.timestamp())
                tar.addfile(info, io.BytesIO(data))
                files.append({"name": file_name, "size": len(data), "sha256": digest})
            manifest = {
                "format": FORMAT_VERSION,
                "created": now.isoformat(),
                "database": {"file": "database.dump", "sha256": dump_sha, "size": dump_size, "rows": rows},
                "migrations": sorted(
                    f"{app}.{migration}"
                    for app, migration in MigrationRecorder.Migration.objects.values_list("app", "name")
                ),
                "files": files,
                # Listed but gone before they could be read (deleted meanwhile): not in the archive.
                "skipped": skipped,
            }
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(data), int(now.timestamp())
            tar.addfile(info, io.BytesIO(data))
        size = archive.stat().st_size
        target.put(archive, name)
    return BackupResult(
        location=target.location,
        name=name,
        size=size,
        seconds=time.perf_counter() - started,
        tables=len(rows),
        rows=sum(rows.values()),
        files=len(files),
    )


# --- Restore --------------------------------------------------------------------------------------


def _safe_member(member: tarfile.TarInfo) -> bool:
    path = Path(member.name)
    return member.isfile() and not path.is_absolute() and ".." not in path.parts


def backup_restore(*, name: str, location: str | None = None) -> BackupResult:
    """Restore archive `name` (or "latest") into this empty database and file storage."""
    started = time.perf_counter()
    target = _Target(location or backup_location())
    if name == "latest":
        names = target.names()
        if not names:
            raise BackupError(f"No backup in {target.location}.")
        name = names[-1]
    if not NAME.match(name):  # a name, never a path: nothing outside the backups' place is read
        raise BackupError(f"{name!r} is not the name of a backup (portal-backup-<UTC time>.tar, or latest).")
    db = settings.DATABASES["default"]
    env = _pg_env(db)
    with connection.cursor() as cursor:
        if connection.introspection.table_names(cursor):
            raise BackupError("The database is not empty: restore only into a new, empty database.")
    storage = storages["letters"]  # the same place as the uploads; writes keep the exact names
    if private_file_names():
        raise BackupError(
            "The file storage is not empty: restore only into an empty MEDIA_ROOT or bucket prefix."
        )
    with tempfile.TemporaryDirectory(prefix="portal-restore-") as work:
        work = Path(work)
        archive = work / name
        target.get(name, archive)
        size = archive.stat().st_size
        with tarfile.open(archive, "r") as tar:
            members = {member.name: member for member in tar.getmembers() if _safe_member(member)}
            if "manifest.json" not in members or "database.dump" not in members:
                raise BackupError(f"{name} is not a portal backup (no manifest or dump).")
            manifest = json.load(tar.extractfile(members["manifest.json"]))
            if manifest.get("format") != FORMAT_VERSION:
                raise BackupError(
                    f"{name} has format {manifest.get('format')}, this portal reads {FORMAT_VERSION}."
                )
            dump = work / "database.dump"
            with tar.extractfile(members["database.dump"]) as source, dump.open("wb") as out:
                shutil.copyfileobj(source, out, CHUNK)
            with dump.open("rb") as handle:
                digest, _size = _sha256(handle)
            if digest != manifest["database"]["sha256"]:
                raise BackupError("The database dump does not match its checksum: the archive is damaged.")
            # Every checksum is checked before anything is written: a damaged archive leaves the
            # database and the storage empty, ready for another archive.
            for entry in manifest["files"]:
                member = members.get(f"files/{entry['name']}")
                if member is None:
                    raise BackupError(f"{entry['name']} is missing from the archive.")
                if _sha256(tar.extractfile(member))[0] != entry["sha256"]:
                    raise BackupError(f"{entry['name']} does not match its checksum: the archive is damaged.")
            # The database first, in one transaction: a failure leaves it empty (and no file
            # written), ready for another attempt.
            _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                  f"--dbname={db['NAME']}", str(dump)], env)  # fmt: skip
            connection.close()  # the restored schema: no cached introspection
            written = []
            try:
                for entry in manifest["files"]:
                    data = tar.extractfile(members[f"files/{entry['name']}"]).read()
                    saved = storage.save(entry["name"], ContentFile(data))
                    written.append(saved)
                    if saved != entry["name"]:
                        raise BackupError(f"{entry['name']} was stored as {saved}.")
                rows = table_row_counts()
                expected = manifest["database"]["rows"]
                if rows != expected:
                    differ = sorted(t for t in set(rows) | set(expected) if rows.get(t) != expected.get(t))
                    raise BackupError(f"Row counts differ after the restore in: {', '.join(differ[:20])}.")
                for entry in manifest["files"]:
                    with storage.open(entry["name"], "rb") as handle:
                        if _sha256(handle)[0] != entry["sha256"]:
                            raise BackupError(f"{entry['name']} does not read back with its checksum.")
            except BaseException as exc:
                # The files written go again, so the storage is empty for the next attempt (the
                # database, restored by then, must be dropped and created again).
                for saved in written:
                    with contextlib.suppress(Exception):
                        storage.delete(saved)
                if isinstance(exc, BackupError | OSError):
                    raise BackupError(
                        f"{exc} The database was restored but the files were removed again: drop and "
                        "create the database before another attempt."
                    ) from exc
                raise
    return BackupResult(
        location=target.location,
        name=name,
        size=size,
        seconds=time.perf_counter() - started,
        tables=len(rows),
        rows=sum(rows.values()),
        files=len(manifest["files"]),
    )


# --- Retention ------------------------------------------------------------------------------------


def backups_to_keep(names: list[str], *, daily: int, weekly: int, monthly: int) -> set[str]:
    """Grandfather-father-son: the newest archive of each of the last `daily` days that have one,
    of the `weekly` ISO weeks before those, and of the `monthly` months before those."""
    dated = sorted(
        ((dt.datetime.strptime(NAME.match(n).group(1), "%Y%m%dT%H%M%SZ"), n) for n in names if NAME.match(n)),
        reverse=True,
    )
    keep, days, weeks, months = set(), [], [], []
    for when, name in dated:
        day, week, month = when.date(), when.isocalendar()[:2], (when.year, when.month)
        if day in days or week in weeks or month in months:
            continue
        if len(days) < daily:
            days.append(day)
        elif len(weeks) < weekly and week not in {d.isocalendar()[:2] for d in days}:
            weeks.append(week)
        elif len(months) < monthly and month not in {(d.year, d.month) for d in days}:
            months.append(month)
        else:
            continue
        keep.add(name)
    return keep


def backups_prune(*, location: str | None = None) -> list[str]:
    """Delete the archives retention does not keep (BACKUP_KEEP_DAILY, _WEEKLY, _MONTHLY).
    Returns the names deleted."""
    target = _Target(location or backup_location())
    names = target.names()
    keep = backups_to_keep(
        names,
        daily=int(getattr(settings, "BACKUP_KEEP_DAILY", 7)),
        weekly=int(getattr(settings, "BACKUP_KEEP_WEEKLY", 4)),
        monthly=int(getattr(settings, "BACKUP_KEEP_MONTHLY", 6)),
    )
    deleted = [name for name in names if name not in keep]
    for name in deleted:
        target.delete(name)
    return deleted
