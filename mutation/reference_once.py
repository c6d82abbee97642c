"""A pytest plugin for `make mutation` only (the Makefile sets PYTEST_PLUGINS=mutation.reference_once):
each mutant's pytest session reuses the run's test database as it is, without setting it up again.

mutmut starts one pytest session per mutant. With `--reuse-db`, pytest-django still runs Django's
`migrate` on the kept database (checks and post-migrate signals), and tests/conftest.py loads the
reference data again (idempotent, several hundred queries): seconds per mutant, up to a minute
on a loaded machine, which is most of a run. Here, once a session finds the test database with
the reference data in it (the load is one transaction: the Parties' dataset row means all of it),
it only points the connection at it. The first session (mutmut's clean run) sets it up as usual."""

import pytest

_PATCHED = "_mutation_reference_once"
_BASE_NAME = {}


def pytest_sessionstart(session):
    # Each session in one process would otherwise prefix the name again (test_test_<name>...)
    # and build a new database: every session of the run uses test_<name>.
    from django.conf import settings
    from django.db import connection

    base = _BASE_NAME.setdefault("default", settings.DATABASES["default"]["NAME"])
    connection.close()
    connection.settings_dict["NAME"] = base


def _ready_test_database() -> str | None:
    """The name of the kept test database when it already holds the reference data, else None."""
    from django.db import DatabaseError, connection

    from reference.models import PARTIES_DATASET

    name = connection.creation._get_test_db_name()
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        with connection.cursor() as cursor:
            # The dataset row and the rows themselves: a transactional test's flush empties tables.
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM reference_referencedataset WHERE key = %s)"
                " AND EXISTS (SELECT 1 FROM reference_country)"
                " AND EXISTS (SELECT 1 FROM reference_conventionparty)",
                [PARTIES_DATASET],
            )
            found = cursor.fetchone()[0]
    except DatabaseError:  # no such database or table yet: set it up as usual
        found = False
    connection.close()
    if not found:
        connection.settings_dict["NAME"] = original
        return None
    return name


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_keepdb, django_db_createdb
):
    from pytest_django import fixtures

    if django_db_keepdb and not django_db_createdb:
        with django_db_blocker.unblock():
            if _ready_test_database():
                _skip_reference_reload()
                yield
                return
    # Not there yet: pytest-django's own setup (migrate), then tests/conftest.py loads the data.
    setup = fixtures.django_db_setup.__wrapped__ if hasattr(fixtures.django_db_setup, "__wrapped__") else None
    if setup is None:
        setup = fixtures.django_db_setup._get_wrapped_function()
    yield from setup(
        request=request, django_test_environment=None, django_db_blocker=django_db_blocker,
        django_db_use_migrations=request.getfixturevalue("django_db_use_migrations"),
        django_db_keepdb=django_db_keepdb, django_db_createdb=django_db_createdb,
        django_db_modify_db_settings=request.getfixturevalue("django_db_modify_db_settings"),
    )  # fmt: skip


def _skip_reference_reload() -> None:
    from reference.management.commands import load_reference_data as command

    # mutmut runs several pytest sessions in one process, and a transactional test empties every
    # table: the load is skipped only while the data is there (one query), never for good.
    if not getattr(command.Command, _PATCHED, False):
        load = command.Command.handle

        def handle(self, *args, **options):
            from reference.models import Country

            if not Country.objects.exists():
                return load(self, *args, **options)
            return None

        command.Command.handle = handle
        setattr(command.Command, _PATCHED, True)
