"""/metrics: Prometheus's format, for a scraper with the token or staff with the permission."""

import pytest
from django.urls import reverse

from outbox.enums import MailStatus
from outbox.models import OutgoingMail
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_metrics_refused_without_token_or_permission(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get(reverse("metrics")).status_code == 404
    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    client.force_login(UserFactory())
    assert client.get(reverse("metrics")).status_code == 404
    client.force_login(StaffFactory(roles=["Registration officer"]))
    assert client.get(reverse("metrics")).status_code == 404


def test_metrics_with_the_token_count_requests_queries_mails_and_letters(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    for status in (MailStatus.QUEUED, MailStatus.QUEUED, MailStatus.FAILED):
        OutgoingMail.objects.create(to="x@example.org", subject="s", body_text="b", status=status)
    client.get(reverse("readyz"))
    response = client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'portal_outbox_mails{status="queued"} 2.0' in text
    assert 'portal_outbox_mails{status="failed"} 1.0' in text
    assert 'portal_letters{status="rendered"} 0.0' in text
    assert "portal_backlog_items 2.0" in text
    assert (
        'django_http_requests_total_by_view_transport_method_total{method="GET",transport="http",view="readyz"}'
        in text
    )
    assert "django_db_execute_total" in text


def test_metrics_for_the_administrator(client, settings):
    settings.METRICS_TOKEN = ""
    client.force_login(StaffFactory(roles=["Secretariat administrator"]))
    assert client.get(reverse("metrics")).status_code == 200


def test_metrics_of_several_gunicorn_processes_keep_the_portal_metrics(
    client, settings, monkeypatch, tmp_path
):
    """With PROMETHEUS_MULTIPROC_DIR (the compose web service), the processes' files are summed and
    the portal's own metrics are still read from the database."""
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    settings.METRICS_TOKEN = "s3cret-token"
    OutgoingMail.objects.create(to="x@example.org", subject="s", body_text="b", status=MailStatus.QUEUED)
    text = client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer s3cret-token").content.decode()
    assert 'portal_outbox_mails{status="queued"} 1.0' in text
