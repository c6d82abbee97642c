import pytest
from django.core.management import call_command

from reference.models import Country


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests start from whatever the previous one left: if a test before this one
    emptied the tables without the shared fixture reloading them, load the reference data again."""
    if not Country.objects.filter(iso3="CHE").exists():
        call_command("load_reference_data", verbosity=0)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters live in the cache, which the test process keeps between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
