import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api.enums import TokenScope
from api.services.tokens import api_token_create


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The rate-limit counters live in the shared cache (Redis in the suite): each test starts at zero."""
    cache.clear()
    yield


@pytest.fixture
def api():
    return APIClient()


def token_client(user, scope=TokenScope.READ):
    """A client that sends `user`'s new personal token, as a tool would."""
    _token, raw = api_token_create(owner=user, name="tests", scope=scope)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.raw_token = raw
    return client
