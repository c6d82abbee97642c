import pytest

from accounts import demo as accounts_demo
from meetings import demo as meetings_demo
from participants import demo
from participants.enums import ObserverStatus
from participants.models import Credentials, DsaRate, ObserverApplication, Registration

pytestmark = pytest.mark.django_db


def test_demo_participants_load_through_the_services():
    accounts_demo.load()
    meetings_demo.load()
    counts = demo.load()
    assert counts and Registration.objects.filter(meeting__code="cop-2").exists()
    assert DsaRate.objects.filter(location="Geneva").count() == 1
    assert ObserverApplication.objects.filter(status=ObserverStatus.ADMITTED).exists()
    # The European Union, a Party, registered at COP-2 with credentials in order from its competent authority.
    eu = Credentials.objects.get(meeting__code="cop-2", country__iso3="EUU")
    assert (eu.verdict, eu.issuer) == ("in_order", "reio_authority") and eu.delegates.exists()
    assert demo.load() == {}  # loading twice adds nothing
