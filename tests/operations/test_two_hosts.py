"""More than one host: two gunicorn web processes and a Celery worker share nothing but
PostgreSQL, Redis and an S3-compatible bucket (moto's standalone server on localhost). A letter the
worker renders is stored in the bucket, not on a disk, and downloads through either web process;
a rate limit hit on one web process counts on the other."""

import hashlib
import time

import pytest
import requests
from django.conf import settings as django_settings
from django.test import Client

from letters.enums import LetterKind, LetterStatus
from letters.models import Letter
from letters.services.issuing import LetterSpec, letters_request
from outbox.enums import MailStatus
from tests.factories import MeetingFactory, UserFactory
from tests.outbox.conftest import _redis_url, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _session_cookie(user):
    """A signed-in session stored in the shared database: valid on every web process."""
    client = Client()
    client.force_login(user)
    return {django_settings.SESSION_COOKIE_NAME: client.cookies[django_settings.SESSION_COOKIE_NAME].value}


def test_letter_rendered_by_the_worker_downloads_through_either_web_process_and_limits_are_shared(
    settings, moto_s3, smtp_server, celery_worker_process, web_process
):
    shared = {
        **moto_s3["env"],
        "CACHE_URL": _redis_url().replace("redis://", "rediscache://"),
        "DJANGO_SETTINGS_MODULE": "tests.operations.two_hosts_settings",
    }
    celery_worker_process(concurrency=1, extra_env=shared)
    web_a = web_process(**shared)
    web_b = web_process(**shared)

    delegate = UserFactory()
    (letter,) = letters_request(
        meeting=MeetingFactory(code="cop-5", number=5, symbol_prefix="UNEP/MC/COP.5"),
        kind=LetterKind.INVITATION,
        specs=[LetterSpec(trigger_key="two-hosts", recipient_name="A Delegate",
                          recipient_email=delegate.email, recipient_user=delegate)],
    )  # fmt: skip
    wait_until(
        lambda: Letter.objects.filter(
            pk=letter.pk, status=LetterStatus.RENDERED, mail__status=MailStatus.SENT
        ).exists(),
        timeout=60,
        message="the worker rendered and sent the letter",
    )
    letter.refresh_from_db()

    # The PDF is an object in the bucket, nowhere on a disk; the bucket is private.
    keys = [o["Key"] for o in moto_s3["client"].list_objects_v2(Bucket=moto_s3["bucket"])["Contents"]]
    assert keys == [letter.pdf.name]
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*.pdf"))
    # No grant but the owner's, on the bucket and on the object (no public ACL).
    for acl in (
        moto_s3["client"].get_bucket_acl(Bucket=moto_s3["bucket"]),
        moto_s3["client"].get_object_acl(Bucket=moto_s3["bucket"], Key=letter.pdf.name),
    ):
        assert [grant["Permission"] for grant in acl["Grants"]] == ["FULL_CONTROL"]
        assert acl["Grants"][0]["Grantee"]["Type"] == "CanonicalUser"

    cookies = _session_cookie(delegate)
    for web in (web_a, web_b):
        response = requests.get(f"{web.url}/letters/{letter.pk}/pdf/", cookies=cookies, timeout=30)
        assert response.status_code == 200, web.text[-3000:]
        assert response.headers["Content-Type"] == "application/pdf"
        assert hashlib.sha256(response.content).hexdigest() == letter.sha256
        # Anyone else: not found, on both.
        assert (
            requests.get(f"{web.url}/letters/{letter.pk}/pdf/", timeout=30, allow_redirects=False).status_code
            == 302
        )

    # The verification page allows 3 a minute per address (two_hosts_settings): two on A and one on
    # B use them up, the fourth is refused on B and on A alike. The counting window is a clock
    # minute: start early in one so the requests fall in the same window.
    while time.time() % 60 > 45:
        time.sleep(1)
    verify = f"/verify/{letter.verification_code}"
    codes = [
        requests.get(web.url + verify, timeout=30).status_code for web in (web_a, web_a, web_b, web_b, web_a)
    ]
    assert codes == [200, 200, 200, 429, 429]
