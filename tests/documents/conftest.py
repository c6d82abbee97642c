import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded files go to a throw-away MEDIA_ROOT per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
