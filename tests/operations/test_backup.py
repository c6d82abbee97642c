"""`manage.py backup` and `manage.py restore` on PostgreSQL with real files: a populated database
and its private files are backed up, restored into a fresh database and an empty MEDIA_ROOT by
another process, and every table's row count and every file's checksum compared."""

import datetime as dt
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command

from letters.enums import LetterStatus
from letters.models import Letter
from meetings.letters import letter_batch_invite_parties
from operations.services.backups import backups_to_keep, table_row_counts
from tests.factories import MeetingFactory
from tests.letters.factories import party_focal_points

from .conftest import ROOT, database_url

PARTIES = ["ZMB", "PER", "FRA", "SEN", "MEX"]


def _checksums(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def fresh_database(settings):
    """A new, empty PostgreSQL database beside the test database; dropped afterwards."""
    db = settings.DATABASES["default"]
    name = f"{db['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(
        dbname="postgres", user=db.get("USER") or "postgres", password=db.get("PASSWORD") or None,
        host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or 5432,
    )  # fmt: skip
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    url = database_url(settings).rsplit("/", 1)[0] + f"/{name}"
    yield url
    admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _restore(url, media, name, backups):
    env = {**os.environ, "PORTAL_ENV_FILE": "/nonexistent", "SECRET_KEY": "test-only-not-secret",
           "DATABASE_URL": url, "MEDIA_ROOT": str(media)}  # fmt: skip
    return subprocess.run(
        [sys.executable, "manage.py", "restore", name, f"--from={backups}"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def _counts(url):
    with psycopg2.connect(url.replace("postgres://", "postgresql://")) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = sorted(row[0] for row in cursor.fetchall())
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (names from pg_tables)
            counts[table] = cursor.fetchone()[0]
    conn.close()
    return counts


@pytest.mark.django_db(transaction=True)
def test_backup_of_a_populated_database_restores_into_a_fresh_one_with_every_row_and_file(
    settings, tmp_path, fresh_database, reference_data_loaded
):
    meeting = MeetingFactory(code="cop-2", number=2, symbol_prefix="UNEP/MC/COP.2")
    party_focal_points(PARTIES)
    letter_batch_invite_parties(meeting=meeting)  # rendered eagerly: real PDFs in the storage
    assert Letter.objects.filter(status=LetterStatus.RENDERED).count() == len(PARTIES)
    storages["default"].save("participants/nominations/cop-2/a1b2c3.pdf", ContentFile(b"%PDF-1.4 nomination"))
    source_counts = table_row_counts()
    source_files = _checksums(Path(settings.MEDIA_ROOT))
    assert len(source_files) == len(PARTIES) + 1

    backups = tmp_path / "backups"
    out = io.StringIO()
    call_command("backup", to=str(backups), stdout=out)
    (name,) = os.listdir(backups)
    assert out.getvalue().startswith(f"{name} in {backups}: ")
    with tarfile.open(backups / name) as tar:
        assert sorted(tar.getnames()) == sorted(
            ["database.dump", "manifest.json", *(f"files/{path}" for path in source_files)]
        )

    # A damaged archive is refused before anything is written.
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    with tarfile.open(backups / name) as tar, tarfile.open(damaged / name, "w") as out_tar:
        for member in tar.getmembers():
            data = tar.extractfile(member).read()
            if member.name.endswith("a1b2c3.pdf"):
                data = data.replace(b"nomination", b"NOMINATION")
            out_tar.addfile(member, io.BytesIO(data))
    media = tmp_path / "restored-media"
    refused = _restore(fresh_database, media, name, damaged)
    assert refused.returncode == 1
    assert "participants/nominations/cop-2/a1b2c3.pdf does not match its checksum" in refused.stderr
    assert _counts(fresh_database) == {}
    assert not media.exists() or _checksums(media) == {}

    restored = _restore(fresh_database, media, "latest", backups)
    assert restored.returncode == 0, restored.stderr
    assert f"{name} from {backups} restored: {len(source_counts)} tables" in restored.stdout
    assert _counts(fresh_database) == source_counts
    assert _checksums(media) == source_files

    # A second restore into the now populated database is refused.
    again = _restore(fresh_database, tmp_path / "other-media", name, backups)
    assert "The database is not empty" in again.stderr


@pytest.mark.django_db
def test_restore_without_any_backup_says_so(tmp_path):
    with pytest.raises(CommandError, match="No backup in"):
        call_command("restore", "latest", source=str(tmp_path))


def test_retention_keeps_the_newest_of_each_recent_day_week_and_month():
    start = dt.datetime(2026, 1, 1, 2, 0)
    names = [f"portal-backup-{start + dt.timedelta(days=d):%Y%m%dT%H%M%SZ}.tar" for d in range(120)]
    names.append("portal-backup-20260430T140000Z.tar")  # a second backup on the last day
    keep = backups_to_keep(names, daily=7, weekly=4, monthly=3)
    kept = sorted(keep)
    # The last 7 days (the later backup of 30 April), then the newest of 4 earlier weeks, then of
    # 3 earlier months.
    assert kept[-7:] == [f"portal-backup-202604{d:02d}T020000Z.tar" for d in range(24, 30)] + [
        "portal-backup-20260430T140000Z.tar"
    ]
    assert len(kept) == 7 + 4 + 3
    assert "portal-backup-20260101T020000Z.tar" not in keep


@pytest.mark.django_db(transaction=True)
def test_backup_of_files_in_the_bucket_to_a_bucket_with_retention(
    settings, moto_s3, tmp_path, reference_data_loaded
):
    """Files stored in the S3-compatible bucket are backed up, the archive goes to another bucket,
    and retention deletes what it does not keep."""
    client = moto_s3["client"]
    client.create_bucket(Bucket="portal-backups")
    settings.BACKUP_S3_ENDPOINT_URL = moto_s3["endpoint"]
    settings.BACKUP_S3_ACCESS_KEY_ID = settings.BACKUP_S3_SECRET_ACCESS_KEY = "testing"
    storages["default"].save("bureau/reports/report.pdf", ContentFile(b"%PDF-1.4 report"))
    for old in ("20200101T020000Z", "20200102T020000Z"):
        client.put_object(Bucket="portal-backups", Key=f"nightly/portal-backup-{old}.tar", Body=b"old")
    settings.BACKUP_KEEP_DAILY, settings.BACKUP_KEEP_WEEKLY, settings.BACKUP_KEEP_MONTHLY = 2, 0, 0

    call_command("backup", to="s3://portal-backups/nightly", prune=True, stdout=io.StringIO())

    keys = sorted(o["Key"] for o in client.list_objects_v2(Bucket="portal-backups")["Contents"])
    assert len(keys) == 2 and keys[0] == "nightly/portal-backup-20200102T020000Z.tar"
    archive = tmp_path / "archive.tar"
    archive.write_bytes(client.get_object(Bucket="portal-backups", Key=keys[1])["Body"].read())
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        assert tar.extractfile("files/bureau/reports/report.pdf").read() == b"%PDF-1.4 report"
    assert manifest["files"] == [
        {
            "name": "bureau/reports/report.pdf",
            "size": 15,
            "sha256": hashlib.sha256(b"%PDF-1.4 report").hexdigest(),
        }
    ]


@pytest.mark.django_db(transaction=True)
def test_a_restore_that_fails_writes_no_file_and_can_be_tried_again(settings, tmp_path, fresh_database):
    """The database is restored first, in one transaction; when that fails (here a type in the
    way of a table), no file has been written: the next attempt finds both empty."""
    storages["default"].save("bureau/reports/report.pdf", ContentFile(b"%PDF-1.4 report"))
    backups = tmp_path / "backups"
    call_command("backup", to=str(backups), stdout=io.StringIO())
    (name,) = os.listdir(backups)
    with psycopg2.connect(fresh_database.replace("postgres://", "postgresql://")) as conn:
        conn.cursor().execute("CREATE TYPE accounts_user AS (x int)")  # not a table: "empty" still
    conn.close()
    media = tmp_path / "restored-media"
    failed = _restore(fresh_database, media, name, backups)
    assert failed.returncode == 1 and "pg_restore failed" in failed.stderr, failed.stderr
    assert _counts(fresh_database) == {}
    assert not media.exists() or _checksums(media) == {}
    with psycopg2.connect(fresh_database.replace("postgres://", "postgresql://")) as conn:
        conn.cursor().execute("DROP TYPE accounts_user")
    conn.close()
    restored = _restore(fresh_database, media, name, backups)
    assert restored.returncode == 0, restored.stderr
    assert _checksums(media) == {"bureau/reports/report.pdf": hashlib.sha256(b"%PDF-1.4 report").hexdigest()}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["../backups/portal-backup-20260101T020000Z.tar", "/etc/passwd", "portal-backup-x.tar", "sub/latest"],
)
def test_restore_takes_only_a_backups_name_never_a_path(tmp_path, name):
    outside = tmp_path / "backups"
    outside.mkdir()
    (outside / "portal-backup-20260101T020000Z.tar").write_bytes(b"not read")
    with pytest.raises(CommandError, match="is not the name of a backup"):
        call_command("restore", name, source=str(tmp_path / "here"))


@pytest.mark.django_db(transaction=True)
def test_a_file_deleted_while_the_backup_runs_is_skipped_and_recorded(
    settings, tmp_path, monkeypatch, caplog
):
    """The passport purge deletes a file between the listing and the reading: the backup goes
    on, the manifest lists it as skipped, the log names its folder only."""
    from operations.services import backups as backups_module

    storages["default"].save("bureau/reports/report.pdf", ContentFile(b"%PDF-1.4 report"))
    listed = backups_module.private_file_names
    gone = "participants/passports/a1b2c3-Quintanilla.pdf"
    monkeypatch.setattr(backups_module, "private_file_names", lambda: [*listed(), gone])
    backups = tmp_path / "backups"
    call_command("backup", to=str(backups), stdout=io.StringIO())
    (name,) = os.listdir(backups)
    with tarfile.open(backups / name) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        assert f"files/{gone}" not in tar.getnames()
    assert [entry["name"] for entry in manifest["files"]] == ["bureau/reports/report.pdf"]
    assert manifest["skipped"] == [gone]
    assert "participants/passports disappeared" in caplog.text
    assert "Quintanilla" not in caplog.text
