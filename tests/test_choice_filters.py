"""Choice filters (kind, region, status, series, language, timeliness) are read by
`minamata_portal.params.choice_param`: an empty value selects everything, a known value filters,
anything else answers 400 with a message naming the parameter (issue 14: no filter is parsed by
hand, and a value the portal cannot use is said to be wrong rather than silently dropped)."""

import pytest
from django.urls import reverse

from accounts import roles
from documents.enums import Language, ProcessingStatus, Series, Timeliness
from meetings.enums import MeetingKind, SideEventStatus
from minamata_portal.params import InvalidParameter, choice_param
from reference.enums import RegionalGroup
from tests.factories import MeetingFactory, StaffFactory

pytestmark = pytest.mark.django_db

BAD_VALUES = ["nonsense", "\x00", "COP", " cop", "cop ", "1", "<script>"]


def test_choice_param_answers_default_value_or_400():
    assert choice_param({}, "kind", ["a", "b"], default="a") == "a"
    assert choice_param({"kind": ""}, "kind", ["a", "b"]) is None
    assert choice_param({"kind": "b"}, "kind", ["a", "b"]) == "b"
    with pytest.raises(InvalidParameter) as refused:
        choice_param({"kind": "c"}, "kind", ["a", "b"])
    assert refused.value.name == "kind" and "a, b" in refused.value.message


@pytest.fixture
def meeting():
    return MeetingFactory(code="cop-filters", number=6)


def _pages(meeting):
    """(who, url, parameter, a valid value) for every choice filter a page reads."""
    code = meeting.code
    return [
        (None, reverse("meetings:list"), "kind", MeetingKind.COP),
        (None, reverse("meetings:list"), "region", RegionalGroup.AFRICAN),
        (roles.SECRETARIAT_ADMIN, reverse("meetings:side_event_review_list", args=[code]), "status",
         SideEventStatus.SUBMITTED),
        (None, reverse("documents:meeting", args=[code]), "language", Language.FRENCH),
        (None, reverse("documents:meeting", args=[code]), "series", Series.WORKING),
        *[
            (roles.DOCUMENTS_OFFICER, reverse(name, args=[code]), parameter, valid)
            for name in ("documents:processing", "documents:processing_xlsx")
            for parameter, valid in (
                ("series", Series.WORKING), ("language", Language.SPANISH),
                ("status", ProcessingStatus.PUBLISHED), ("timeliness", Timeliness.values[0]),
            )
        ],
        *[
            (roles.REGISTRATION_OFFICER, reverse(name, args=[code]), "language", "fr")
            for name in ("participants:list", "participants:list_xlsx")
        ],
    ]  # fmt: skip


def test_every_choice_filter_takes_its_values_and_refuses_others_with_400(client, meeting):
    staff = {}
    for who, url, parameter, valid in _pages(meeting):
        client.logout()
        if who is not None:
            staff.setdefault(who, StaffFactory(roles=[who]))
            client.force_login(staff[who])
        assert client.get(url).status_code == 200, url
        assert client.get(url, {parameter: ""}).status_code == 200, (url, parameter)
        assert client.get(url, {parameter: valid}).status_code == 200, (url, parameter, valid)
        for bad in BAD_VALUES:
            response = client.get(url, {parameter: bad})
            assert response.status_code == 400, (url, parameter, bad, response.status_code)
            assert f"“{parameter}” must be one of" in response.content.decode(), (url, parameter)
