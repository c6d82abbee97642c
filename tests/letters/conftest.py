"""Fixtures for the letters' tests. The SMTP servers and the real worker are the outbox's."""

import pytest

from tests.outbox.conftest import (  # noqa: F401 (fixtures)
    broker_down,
    celery_app_on_broker,
    celery_worker_process,
    holding_smtp,
    reference_data_loaded,
    scripted_smtp,
)


@pytest.fixture(autouse=True)
def _letters_media_root(settings, tmp_path):
    """Letters' PDFs go to a fresh private directory per test."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The verification page's rate limit counts in the cache: each test starts at zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
