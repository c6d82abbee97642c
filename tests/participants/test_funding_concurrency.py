"""Two officers approving at once, each on their own database connection (thread)."""

import threading
import time

from django.db import connection

from participants.enums import FundingStatus
from participants.errors import FundingError
from participants.models import FundingRequest
from participants.services import funding as funding_services
from participants.services.funding import funding_approve, funding_request_create
from tests.factories import MeetingFactory, country

from .factories import RegistrationFactory

F = FundingStatus


def _request(meeting, iso3):
    registration = RegistrationFactory(meeting=meeting, country=country(iso3))
    return funding_request_create(registration=registration, by=None)


# No django_db marker: the `transactional_db` fixture alone lets the shared conftest reload the
# reference data after the tables are emptied at the end of the test.
def test_per_party_limit_holds_under_concurrent_approvals(transactional_db, monkeypatch):
    meeting = MeetingFactory()
    first, second = _request(meeting, "ZMB"), _request(meeting, "ZMB")
    barrier = threading.Barrier(2)
    errors = []
    transition = funding_services.transition

    def slow_transition(*args, **kwargs):
        # Widen the window between counting and saving, where an unguarded approval would race.
        time.sleep(0.5)
        return transition(*args, **kwargs)

    monkeypatch.setattr(funding_services, "transition", slow_transition)

    def approve(funding):
        try:
            barrier.wait(timeout=10)
            funding_approve(funding=funding, by=None)
        except FundingError as exc:
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own database connection

    threads = [threading.Thread(target=approve, args=(f,)) for f in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert FundingRequest.objects.filter(status=F.APPROVED).count() == 1
    assert len(errors) == 1 and "already has 1 funded participant" in errors[0].messages[0]
