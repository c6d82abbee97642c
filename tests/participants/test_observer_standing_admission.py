"""An observer organisation admitted to a COP needs no new admission for later COPs and the bodies
under the COP; an admission to a webinar (or any other meeting) is no admission elsewhere."""

import datetime as dt

import pytest

from meetings.enums import MeetingKind
from participants import selectors
from participants.enums import Capacity, ObserverStatus, RegistrationStatus
from participants.errors import ObserverError, RegistrationError
from participants.models import ObserverApplication
from participants.services.observers import observer_apply
from participants.services.registration import registration_accredit
from tests.factories import MeetingFactory, StaffFactory

from .factories import OrganisationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
D = dt.date


def _admitted(organisation, meeting):
    return ObserverApplication.objects.create(
        meeting=meeting, organisation=organisation, status=ObserverStatus.ADMITTED, statutes="s", competence="c",
        contact_name="n", contact_email="n@example.org",
    )  # fmt: skip


def _apply(organisation, meeting):
    return observer_apply(
        meeting=meeting, organisation=organisation, by=None, statutes="s", competence="c", contact_name="n",
        contact_email="n@example.org",
    )  # fmt: skip


@pytest.fixture
def cop1():
    return MeetingFactory(code="o-cop-1", start_date=D(2017, 9, 24), end_date=D(2017, 9, 29))


def test_admission_at_a_cop_holds_for_later_cops_their_segments_and_bodies(cop1):
    organisation = OrganisationFactory()
    _admitted(organisation, cop1)
    cop4 = MeetingFactory(code="o-cop-4", start_date=D(2021, 11, 1), end_date=D(2022, 3, 25))
    resumed = MeetingFactory(
        code="o-cop-4-2", parent=cop4, start_date=D(2022, 3, 21), end_date=D(2022, 3, 25),
        kind=MeetingKind.COP,
    )  # fmt: skip
    experts = MeetingFactory(code="o-experts", kind=MeetingKind.EXPERT_GROUP, start_date=D(2019, 5, 6),
                             end_date=D(2019, 5, 8))  # fmt: skip
    committee = MeetingFactory(code="o-icc", kind=MeetingKind.COMPLIANCE_COMMITTEE, start_date=D(2018, 5, 29),
                               end_date=D(2018, 5, 30))  # fmt: skip
    for meeting in (cop4, resumed, experts, committee):
        assert selectors.organisation_is_admitted(organisation=organisation, meeting=meeting), meeting.code
    with pytest.raises(ObserverError, match="no need to apply again"):
        _apply(organisation, experts)
    # Not for a meeting held before the admitting COP.
    earlier = MeetingFactory(
        code="o-inc", kind=MeetingKind.COP, start_date=D(2017, 1, 1), end_date=D(2017, 1, 2)
    )
    assert not selectors.organisation_is_admitted(organisation=organisation, meeting=earlier)


def test_a_webinar_attendance_is_no_admission_to_a_cop(cop1):
    organisation = OrganisationFactory()
    webinar = MeetingFactory(code="o-webinar", kind=MeetingKind.WEBINAR, start_date=D(2017, 6, 27),
                             end_date=D(2017, 6, 27))  # fmt: skip
    _admitted(organisation, webinar)
    assert selectors.organisation_is_admitted(organisation=organisation, meeting=webinar)
    assert not selectors.organisation_is_admitted(organisation=organisation, meeting=cop1)
    registration = RegistrationFactory(
        meeting=cop1, capacity=Capacity.NGO, country=None, organisation=organisation
    )
    with pytest.raises(RegistrationError, match="is not admitted as an observer"):
        registration_accredit(registration=registration, by=StaffFactory())
    # It applies to the COP as any organisation does.
    assert _apply(organisation, cop1).status == ObserverStatus.REQUESTED


def test_admission_to_a_workshop_holds_for_that_workshop_only(cop1):
    organisation = OrganisationFactory()
    workshop = MeetingFactory(code="o-workshop", kind=MeetingKind.WORKSHOP, start_date=D(2017, 3, 1),
                              end_date=D(2017, 3, 2))  # fmt: skip
    _admitted(organisation, workshop)
    later_workshop = MeetingFactory(code="o-workshop-2", kind=MeetingKind.WORKSHOP, start_date=D(2019, 3, 1),
                                    end_date=D(2019, 3, 2))  # fmt: skip
    assert not selectors.organisation_is_admitted(organisation=organisation, meeting=cop1)
    assert not selectors.organisation_is_admitted(organisation=organisation, meeting=later_workshop)
    registration = RegistrationFactory(
        meeting=workshop, capacity=Capacity.NGO, country=None, organisation=organisation
    )
    assert (
        registration_accredit(registration=registration, by=StaffFactory()).status
        == RegistrationStatus.ACCREDITED
    )
