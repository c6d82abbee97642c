"""A pytest plugin for `make mutation` only (the Makefile sets PYTEST_PLUGINS=mutation.reference_once):
each mutant's pytest session reuses the run's test database as it is, without setting it up again.

mutmut starts one pytest session per mutant. With `--reuse-db`, pytest-django still runs Django's
`migrate` on the kept database (checks and post-migrate signals), and tests/conftest.py loads the
reference data again (idempotent, several hundred queries): seconds per mutant, up to a minute
on a loaded machine, which is most of a run. Here, once a session finds the test database with
the reference data in it (the load is one transaction: the Parties' dataset row means all of it),
it only points the connection at it. The first session (mutmut's clean run) sets it up as usual.

The reference data is always loaded by the real code, never by a mutant: a transactional test
(tests/documents/test_services.py) empties every table of the kept database, so the next mutant's
session loads the data again, and it would otherwise load it through the mutated module
(`reference.services._date` returning no date made every Party's dates empty for the rest of the
run, and correct tests failed in the next module's clean run)."""

import os
from contextlib import contextmanager

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
                _load_reference_data_unmutated()
                yield
                return
    _load_reference_data_unmutated()
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


@contextmanager
def _no_mutant():
    """mutmut's trampolines call the original functions while MUTANT_UNDER_TEST is empty."""
    saved = os.environ.get("MUTANT_UNDER_TEST")
    os.environ["MUTANT_UNDER_TEST"] = ""
    try:
        yield
    finally:
        if saved is None:
            del os.environ["MUTANT_UNDER_TEST"]
        else:
            os.environ["MUTANT_UNDER_TEST"] = saved


def _load_reference_data_unmutated() -> None:
    """tests/conftest.py's `load_reference_data`: skipped while the data is there (one query),
    else run with the real code (no mutant), whichever session of the run it is."""
    from reference.management.commands import load_reference_data as command

    # mutmut runs several sessions in one process (patch once), and a transactional test empties
    # every table: the load is skipped only while the data is there, never for good.
    if not getattr(command.Command, _PATCHED, False):
        load = command.Command.handle

        def handle(self, *args, **options):
            from reference.models import Country

            if Country.objects.exists():
                return None
            with _no_mutant():
                return load(self, *args, **options)

        command.Command.handle = handle
        setattr(command.Command, _PATCHED, True)
