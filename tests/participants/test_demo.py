import pytest

from accounts import demo as accounts_demo
from meetings import demo as meetings_demo
from participants import demo
from participants.enums import ObserverStatus
from participants.models import DsaRate, ObserverApplication, Registration

pytestmark = pytest.mark.django_db


def test_demo_participants_load_through_the_services():
    accounts_demo.load()
    meetings_demo.load()
    counts = demo.load()
    assert counts and Registration.objects.filter(meeting__code="cop-2").exists()
    assert DsaRate.objects.filter(location="Geneva").count() == 1
    assert ObserverApplication.objects.filter(status=ObserverStatus.ADMITTED).exists()
    assert demo.load() == {}  # loading twice adds nothing
