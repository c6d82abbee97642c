"""Counts for the closing note: examples run and requests sent by the fuzz suite."""

from django.core.signals import request_started

from .strategies import COUNTS


def _count_request(**kwargs):
    COUNTS["requests"] += 1


request_started.connect(_count_request, dispatch_uid="fuzz-count-requests")


def pytest_terminal_summary(terminalreporter):
    if COUNTS:
        terminalreporter.write_line(
            f"fuzz: {COUNTS['examples']} Hypothesis examples, {COUNTS['requests']} requests"
        )
