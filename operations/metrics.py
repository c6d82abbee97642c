"""Prometheus metrics. django-prometheus counts requests (by view, method and status), their
latency, and database queries and errors (its database engines wrap Django's). This collector adds
what the secretariat's operators watch, read from the database at each scrape so every web process
answers the same: mails by status, letters by status, the backlog and the age of its oldest item,
scheduled tasks that failed.

Gunicorn runs several processes: with PROMETHEUS_MULTIPROC_DIR set (the compose stack does) the
request and database counters of all of them are summed at each scrape."""

import logging
import os

from prometheus_client import CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import REGISTRY, CounterMetricFamily, GaugeMetricFamily

from outbox.enums import MailStatus

from . import selectors

logger = logging.getLogger(__name__)
_registered = False


class PortalCollector:
    def describe(self):
        return []  # unchecked collector: read only at scrape time, never at registration

    def collect(self):
        try:
            mails = selectors.mails_by_status()
            letters = selectors.letters_by_status()
            found = selectors.backlog()
            failing = selectors.scheduled_tasks_failing()
        except Exception:
            logger.warning("Metrics could not read the database.", exc_info=True)
            return
        gauge = GaugeMetricFamily("portal_outbox_mails", "Outgoing e-mails by status.", labels=["status"])
        for status, count in mails.items():
            gauge.add_metric([status], count)
        yield gauge
        gauge = GaugeMetricFamily("portal_letters", "Letters by status.", labels=["status"])
        for status, count in letters.items():
            gauge.add_metric([status], count)
        yield gauge
        yield CounterMetricFamily(
            "portal_outbox_mails_sent", "E-mails sent, ever.", value=mails.get(MailStatus.SENT, 0)
        )
        yield GaugeMetricFamily("portal_backlog_items", "Mails and letters waiting.", value=found.size)
        yield GaugeMetricFamily(
            "portal_backlog_oldest_age_seconds",
            "How long the oldest waiting mail or letter has waited.",
            value=found.oldest_age_seconds(),
        )
        yield GaugeMetricFamily(
            "portal_scheduled_tasks_failing", "Scheduled tasks whose last run failed.", value=len(failing)
        )


def exposition() -> bytes:
    """The text a scrape gets: this process's registry, or, with PROMETHEUS_MULTIPROC_DIR set
    (gunicorn's processes), the sum of every process's counters plus the portal's own metrics."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(PortalCollector())
    else:
        registry = REGISTRY
    return generate_latest(registry)


def register():
    global _registered
    if not _registered:
        REGISTRY.register(PortalCollector())
        _registered = True
