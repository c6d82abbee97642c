"""Review of issue 12: a head of delegation stored between the check and the save (another
officer, at the same moment) makes the database's one-head constraint fail; changing or nominating
a registration then refuses naming the head, as registering does, instead of an error page."""

import pytest

from participants.enums import DelegationRole
from participants.errors import RegistrationError
from participants.models import Registration
from participants.services import registration as registration_services
from tests.factories import country

from .factories import NominationLetterFactory, RegistrationFactory, open_meeting

pytestmark = pytest.mark.django_db
HEAD = DelegationRole.HEAD


@pytest.fixture
def late_head_check(monkeypatch):
    """The check before the save sees no head (the rival's row is not there yet); the check
    after the failed save is the real one."""
    real_check = registration_services.delegation_head_check
    calls = []

    def check(**kwargs):
        calls.append(kwargs)
        if len(calls) > 1:
            real_check(**kwargs)

    monkeypatch.setattr(registration_services, "delegation_head_check", check)
    return calls


def _delegation():
    meeting = open_meeting()
    RegistrationFactory(meeting=meeting, country=country("ZMB"), delegation_role=HEAD, first_name="Mwila")
    return meeting, RegistrationFactory(meeting=meeting, country=country("ZMB"), delegation_role="member")


def test_update_to_a_second_head_refuses_naming_the_head(late_head_check):
    _meeting, member = _delegation()
    with pytest.raises(RegistrationError) as refused:
        registration_services.registration_update(
            registration=member, by=None, as_delegate=False, delegation_role=HEAD
        )
    assert "Mwila" in " ".join(refused.value.message_dict["delegation_role"])
    assert len(late_head_check) == 2
    assert Registration.objects.get(pk=member.pk).delegation_role == "member"


def test_nominating_a_second_head_refuses_naming_the_head(late_head_check):
    meeting, member = _delegation()
    letter = NominationLetterFactory(meeting=meeting, country=country("ZMB"))
    with pytest.raises(RegistrationError) as refused:
        registration_services.registration_nominate(registration=member, by=None, letter=letter, role=HEAD)
    assert "Mwila" in " ".join(refused.value.message_dict["role"])
    assert len(late_head_check) == 2
    assert Registration.objects.get(pk=member.pk).delegation_role == "member"
