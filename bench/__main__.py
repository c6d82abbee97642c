"""`make bench`: prints the performance figures of each area. Each module `bench/<area>.py`
has a `run()` that prints its own figures; `make bench BENCH_ARGS=letters` runs one."""

import importlib
import os
import pkgutil
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minamata_portal.settings")


def _prepare_database():
    """The bench runs in its own PostgreSQL database, created and migrated here."""
    from urllib.parse import urlparse

    import psycopg2

    url = urlparse(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    admin = psycopg2.connect(
        host=url.hostname, port=url.port or 5432, user=url.username or "postgres",
        password=url.password or None, dbname="postgres",
    )  # fmt: skip
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def main(argv):
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        _prepare_database()
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # The admin views the letters bench calls go through whitenoise, which warns without it.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    import bench

    wanted = argv or sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if not m.name.startswith("_")
    )
    for name in wanted:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name} ==", flush=True)
        started = time.perf_counter()
        module.run()
        print(f"   ({name} bench took {time.perf_counter() - started:.1f} s)", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
