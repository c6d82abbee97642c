"""A meeting's scope: the regions, saved groups of States and named States it is limited to.
Observers and organisations are not limited by it (the participants app's tests cover them and
the registration, focal point and funding paths); here: the scope itself, the check the other
apps call, the invitation batch, the meeting page and the admin."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from letters.models import Letter
from meetings.enums import MeetingKind, MeetingMode
from meetings.letters import letter_batch_invite_parties, letter_request_invitation, party_focal_points
from meetings.models import Meeting, StateGroup
from meetings.selectors import meeting_scope, online_segments
from meetings.services.scope import scope_check, state_group_save
from reference.enums import RegionalGroup
from reference.models import Country
from tests.factories import MeetingFactory, StaffFactory, country
from tests.letters.factories import party_focal_points as make_focal_points

pytestmark = pytest.mark.django_db

CEECA = ["ARM", "BLR", "GEO", "KAZ", "KGZ", "MDA", "MKD", "SRB", "TJK", "UKR", "UZB", "MNE"]


def _ceeca():
    return state_group_save(
        group=StateGroup(
            name_en="Central and Eastern Europe and Central Asia",
            name_fr="Europe centrale et orientale et Asie centrale",
            notes="Demo: the States invited to the Chisinau consultation.",
        ),
        members=[country(iso3) for iso3 in CEECA],
    )


def _lusaka(**fields):
    return MeetingFactory(
        code="rc-africa-2018", kind=MeetingKind.REGIONAL_CONSULTATION, number=None, city="Lusaka",
        country=country("ZMB"), title_en="African regional consultation in preparation for COP-2",
        start_date=dt.date(2018, 10, 9), end_date=dt.date(2018, 10, 10), regions=["african"], **fields,
    )  # fmt: skip


def test_a_meeting_without_scope_is_open_to_every_state():
    scope = meeting_scope(MeetingFactory())
    assert not scope.is_limited
    assert scope.includes(country("DEU")) and scope.includes(country("ZMB")) and scope.includes(None)
    assert scope.countries().count() == Country.objects.count()
    assert scope.describe() == "All States"


def test_a_regional_scope_includes_only_that_regions_states():
    scope = meeting_scope(_lusaka())
    assert scope.is_limited
    assert scope.includes(country("ZMB")) and scope.includes(country("NGA"))
    assert not scope.includes(country("DEU")) and not scope.includes(country("PER"))
    assert scope.includes(None)  # no State (an organisation): not limited by a scope
    regions = set(scope.countries().values_list("regional_group", flat=True))
    assert regions == {RegionalGroup.AFRICAN}
    assert scope.countries().count() == Country.objects.filter(regional_group="african").count() > 50
    assert scope.describe() == "African States"


def test_a_saved_group_crosses_the_un_regional_groups():
    meeting = MeetingFactory(kind=MeetingKind.REGIONAL_CONSULTATION)
    meeting.scope_groups.set([_ceeca()])
    scope = meeting_scope(meeting)
    # Kazakhstan sits in the Asia-Pacific group, Moldova in the Eastern European: both are in.
    assert scope.includes(country("KAZ")) and scope.includes(country("MDA"))
    assert not scope.includes(country("CHN")) and not scope.includes(country("POL"))
    assert sorted(scope.countries().values_list("iso3", flat=True)) == sorted(CEECA)
    assert scope.describe() == "Central and Eastern Europe and Central Asia (12 States)"
    with translation.override("fr"):
        assert meeting_scope(meeting).describe().startswith("Europe centrale et orientale")


def test_named_states_add_to_a_region_and_are_named_when_few():
    meeting = _lusaka()
    meeting.scope_states.set([country("HTI"), country("LBN")])
    scope = meeting_scope(meeting)
    assert scope.includes(country("HTI")) and scope.includes(country("ZMB"))
    assert not scope.includes(country("PER"))
    assert scope.describe() == "African States; Haiti; Lebanon"
    many = MeetingFactory()
    many.scope_states.set([country(iso3) for iso3 in ["FJI", "TON", "WSM", "VUT", "PLW", "KIR"]])
    assert meeting_scope(many).describe() == "6 named States"


def test_a_segment_takes_its_meetings_scope_unless_it_has_its_own():
    parent = _lusaka()
    segment = MeetingFactory(parent=parent, code="rc-africa-2018-online", mode=MeetingMode.ONLINE)
    assert meeting_scope(segment).describe() == "African States"
    assert not meeting_scope(segment).includes(country("PER"))
    segment.scope_states.set([country("ZMB")])
    assert meeting_scope(segment).describe() == "Zambia"
    assert not meeting_scope(segment).includes(country("NGA"))


def test_scope_check_refuses_a_state_outside_naming_it_and_the_scope():
    meeting = _lusaka()
    scope_check(meeting, country("ZMB"))
    scope_check(meeting, None)  # an organisation: not limited
    with pytest.raises(ValidationError) as raised:
        scope_check(meeting, country("DEU"))
    assert raised.value.message_dict == {
        "country": [
            "Germany is not within the scope of African regional consultation in preparation for COP-2: "
            "African States"
        ]
    }
    assert raised.value.error_dict["country"][0].code == "out_of_scope"
    scope_check(MeetingFactory(), country("DEU"))  # not limited


def test_invitation_batch_of_a_regional_consultation_goes_to_its_region_only(
    django_capture_on_commit_callbacks,
):
    zambia, nigeria, peru, germany = make_focal_points(["ZMB", "NGA", "PER", "DEU"])
    lusaka = _lusaka()
    assert list(party_focal_points(lusaka)) == [nigeria, zambia]
    with django_capture_on_commit_callbacks(execute=True):
        batch = letter_batch_invite_parties(meeting=lusaka)
    assert {letter.focal_point for letter in batch.letters.all()} == {nigeria, zambia}
    assert "scope: African States" in batch.description
    # A worldwide meeting on the same days invites every Party's focal point.
    cop = MeetingFactory(start_date=lusaka.start_date, end_date=lusaka.end_date)
    assert set(party_focal_points(cop)) == {zambia, nigeria, peru, germany}
    assert Letter.objects.filter(meeting=lusaka).count() == 2


def test_invitation_batch_honours_a_saved_group():
    moldova, armenia, _kazakhstan, _poland = make_focal_points(["MDA", "ARM", "KAZ", "POL"])
    meeting = MeetingFactory(start_date=dt.date(2022, 10, 3), end_date=dt.date(2022, 10, 4))
    meeting.scope_groups.set([_ceeca()])
    # Poland is a Party outside the group; Kazakhstan is in the group but not a Party.
    assert list(party_focal_points(meeting)) == [armenia, moldova]


def test_the_meeting_page_shows_the_scope_and_never_the_join_link(client):
    meeting = _lusaka(
        online_join_url="https://meet.example.org/j/9988776655?pwd=secret",
        online_join_details="Meeting ID 998 877 6655, passcode 314159",
    )
    meeting.scope_groups.set([_ceeca()])
    response = client.get(meeting.get_absolute_url())
    text = response.content.decode()
    assert response.status_code == 200
    assert "African States; Central and Eastern Europe and Central Asia (12 States)" in text
    assert "observers and organisations are not limited" in text
    assert "9988776655" not in text and "314159" not in text and "meet.example.org" not in text
    assert "9988776655" not in client.get(reverse("meetings:list")).content.decode()
    client.force_login(StaffFactory(is_superuser=True))
    assert "9988776655" not in client.get(meeting.get_absolute_url()).content.decode()
    # A meeting open to all States shows no scope line.
    assert 'id="meeting-scope"' not in client.get(MeetingFactory().get_absolute_url()).content.decode()


def test_staff_set_the_scope_in_the_admin_with_ticks_and_lists(client):
    group = _ceeca()
    client.force_login(StaffFactory(is_superuser=True))
    response = client.get(reverse("admin:meetings_meeting_add"))
    text = response.content.decode()
    assert 'type="checkbox" name="regions" value="african"' in text
    assert 'name="regions" value="none"' not in text
    data = {
        "kind": MeetingKind.WORKSHOP, "code": "ws-ceeca", "title_en": "Subregional workshop",
        "mode": MeetingMode.IN_PERSON, "start_date": "2027-03-01", "end_date": "2027-03-02",
        "time_zone": "Europe/Chisinau", "venue_confirmed": "on", "languages": ["en", "fr"],
        "regions": ["african", "latin_american_caribbean"], "scope_groups": [group.pk],
        "scope_states": [country("MNG").pk],
        **{f"{prefix}-{key}": value for prefix in ("contributions", "partners", "sessions", "side_event_slots")
           for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))},
    }  # fmt: skip
    response = client.post(reverse("admin:meetings_meeting_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get(code="ws-ceeca")
    assert (meeting.regions, meeting.languages) == (["african", "latin_american_caribbean"], ["en", "fr"])
    assert list(meeting.scope_groups.all()) == [group]
    assert list(meeting.scope_states.all()) == [country("MNG")]
    scope = meeting_scope(meeting)
    assert (
        scope.includes(country("MNG")) and scope.includes(country("KAZ")) and scope.includes(country("PER"))
    )
    assert not scope.includes(country("FRA"))


def test_the_admin_list_shows_each_meetings_scope_in_fixed_queries(client, django_assert_max_num_queries):
    group = _ceeca()
    client.force_login(StaffFactory(is_superuser=True))

    def add(n):
        for i in range(n):
            meeting = MeetingFactory(regions=["african"] if i % 2 else [])
            meeting.scope_groups.set([group])
            meeting.scope_states.set([country("HTI")])
            MeetingFactory(parent=meeting, code=f"{meeting.code}-segment")

    add(2)
    with django_assert_max_num_queries(30) as small:
        response = client.get(reverse("admin:meetings_meeting_changelist"))
    assert "Central and Eastern Europe and Central Asia (12 States); Haiti" in response.content.decode()
    add(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("admin:meetings_meeting_changelist"))
    assert response.content.decode().count("Central and Eastern Europe and Central Asia (12 States)") >= 20


def test_staff_define_a_group_of_states_in_the_admin(client):
    client.force_login(StaffFactory(is_superuser=True))
    response = client.post(
        reverse("admin:meetings_stategroup_add"),
        {"name_en": "Pacific small island developing States", "notes": "Demo",
         "members": [country("FJI").pk, country("TON").pk]},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    group = StateGroup.objects.get(name_en="Pacific small island developing States")
    assert sorted(group.members.values_list("iso3", flat=True)) == ["FJI", "TON"]
    assert group.history.count() == 1
    assert (
        "Pacific small island developing States"
        in client.get(reverse("admin:meetings_stategroup_changelist")).content.decode()
    )


def test_online_segments_tell_where_one_may_attend_online():
    cop4 = MeetingFactory(mode=MeetingMode.HYBRID, code="cop-4")
    online = MeetingFactory(parent=cop4, mode=MeetingMode.ONLINE, code="cop-4-online")
    MeetingFactory(parent=cop4, mode=MeetingMode.IN_PERSON, code="cop-4-bali")
    assert online_segments(cop4) == [cop4, online]
    assert online_segments(MeetingFactory(mode=MeetingMode.IN_PERSON)) == []


def test_a_single_invitation_to_a_focal_point_outside_the_scope_is_refused():
    (peru,) = make_focal_points(["PER"])
    lusaka = _lusaka()
    with pytest.raises(ValidationError) as raised:
        letter_request_invitation(meeting=lusaka, focal_point=peru)
    assert raised.value.message_dict["focal_point"] == [
        "Peru is not within the scope of African regional consultation in preparation for COP-2: African States"
    ]
    assert not Letter.objects.exists()
    # Observers are not limited by the scope.
    letter = letter_request_invitation(
        meeting=lusaka, organisation={"name": "IPEN", "email": "ipen@example.org", "pk": "ipen"}
    )
    assert letter.recipient_name == "IPEN"
