import datetime as dt

import pytest
from django.urls import reverse

from accounts import roles
from meetings.enums import AgendaStatus, MeetingKind, SideEventStatus
from meetings.models import ExpertGroup, MeetingMaterial
from meetings.services import agendas
from meetings.services.materials import meeting_material_publish, meeting_material_save
from tests.documents.factories import pdf_upload
from tests.factories import (
    AgendaItemFactory,
    AgendaVersionFactory,
    FocalPointFactory,
    MeetingFactory,
    StaffFactory,
    UserFactory,
    country,
)

from .factories import SessionFactory, SideEventFactory, geneva

pytestmark = pytest.mark.django_db


def _codes(response):
    return [m.code for m in response.context["meetings"]]


def test_list_filters_by_kind_year_and_region(client):
    MeetingFactory(code="cop-2", start_date=dt.date(2018, 11, 19), end_date=dt.date(2018, 11, 23))
    MeetingFactory(
        code="rc-africa", kind=MeetingKind.REGIONAL_CONSULTATION, city="Lusaka", country=country("ZMB"),
        start_date=dt.date(2018, 10, 9), end_date=dt.date(2018, 10, 10),
    )  # fmt: skip
    MeetingFactory(
        code="rc-grulac-online", kind=MeetingKind.REGIONAL_CONSULTATION, country=None, city="",
        regions=["latin_american_caribbean"], start_date=dt.date(2021, 10, 1), end_date=dt.date(2021, 10, 1),
    )  # fmt: skip
    url = reverse("meetings:list")
    assert _codes(client.get(url)) == ["rc-grulac-online", "cop-2", "rc-africa"]
    assert _codes(client.get(url, {"kind": "regional"})) == ["rc-grulac-online", "rc-africa"]
    assert _codes(client.get(url, {"year": "2018"})) == ["cop-2", "rc-africa"]
    assert _codes(client.get(url, {"region": "african"})) == ["rc-africa"]
    assert _codes(client.get(url, {"region": "latin_american_caribbean"})) == ["rc-grulac-online"]
    assert _codes(client.get(url, {"region": "western_european_other", "year": "2018"})) == ["cop-2"]
    # A choice that is none of the filter's values, or a year that is no year, is refused with a
    # message naming the parameter (minamata_portal.params); an empty choice selects everything.
    assert len(_codes(client.get(url, {"kind": "", "region": ""}))) == 3
    refused = client.get(url, {"region": "mars"})
    assert refused.status_code == 400 and "“region” must be one of" in refused.content.decode()
    refused = client.get(url, {"kind": "party"})
    assert refused.status_code == 400 and "“kind” must be one of" in refused.content.decode()
    refused = client.get(url, {"year": "x"})
    assert refused.status_code == 400 and "“year” must be a whole number" in refused.content.decode()
    response = client.get(url, {"year": "2018"})
    assert response.context["years"] == [2021, 2018]


def test_list_filters_by_expert_group_and_the_page_names_the_group(client):
    group = ExpertGroup.objects.create(name_en="Ad hoc group of experts on effectiveness evaluation")
    MeetingFactory(code="ewg-1", kind=MeetingKind.EXPERT_GROUP, expert_group=group)
    MeetingFactory(code="ewg-2", kind=MeetingKind.EXPERT_GROUP, expert_group=group, start_date=dt.date(2019, 3, 4),
                   end_date=dt.date(2019, 3, 8))  # fmt: skip
    MeetingFactory(code="cop-x")
    response = client.get(reverse("meetings:list"), {"group": group.pk})
    assert _codes(response) == ["ewg-2", "ewg-1"]
    page = client.get(reverse("meetings:detail", args=["ewg-1"])).content.decode()
    assert (
        f'href="/meetings/?group={group.pk}">Ad hoc group of experts on effectiveness evaluation</a>' in page
    )


@pytest.mark.parametrize("count", [2, 12])
def test_list_uses_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    for n in range(count):
        parent = MeetingFactory(kind=MeetingKind.COP)
        group = ExpertGroup.objects.create(name_en=f"Expert group {n}")
        MeetingFactory(parent=parent, code=f"segment-{n}", country=country("IDN"), expert_group=group)
    # A public page runs outside the request's transaction (minamata_portal/publiccache.py): the
    # meetings with their country, parent and group, the years and the expert groups for the filters.
    with django_assert_num_queries(3):
        response = client.get(reverse("meetings:list"))
    assert len(response.context["meetings"]) == count * 2


def _meeting_with_agenda():
    meeting = MeetingFactory(code="cop-4", symbol_prefix="UNEP/MC/COP.4", languages=["en", "fr"])
    issued = AgendaVersionFactory(meeting=meeting, number=1, status=AgendaStatus.ISSUED)
    AgendaItemFactory(
        version=issued,
        position=5,
        title_en="International cooperation and coordination",
        annotation="The Conference may wish to consider the note by the secretariat.",
    )
    item4 = AgendaItemFactory(
        version=issued, position=4, title_en="Matters for consideration or action by the Conference"
    )
    AgendaItemFactory(
        version=issued,
        parent=item4,
        position=6,
        title_en="Capacity-building, technical assistance and technology transfer",
    )
    draft = AgendaVersionFactory(meeting=meeting, number=2, status=AgendaStatus.DRAFT)
    AgendaItemFactory(version=draft, position=1, title_en="Secret draft item")
    return meeting


def test_meeting_page_shows_dates_venue_agenda_programme_and_approved_side_events(client):
    meeting = _meeting_with_agenda()
    segment = MeetingFactory(
        parent=meeting, code="cop-4-bali", title_en="Resumed segment", city="Nusa Dua, Bali"
    )
    SessionFactory(
        meeting=meeting, title_en="Opening plenary", room="Room 1", starts=geneva(19, 10), ends=geneva(19, 13)
    )
    SideEventFactory(meeting=meeting, title="Approved event", status=SideEventStatus.APPROVED)
    SideEventFactory(meeting=meeting, title="Pending event", status=SideEventStatus.SUBMITTED)
    SideEventFactory(
        meeting=meeting, title="Declined event", status=SideEventStatus.DECLINED, decline_reason="Full"
    )
    workshop = MeetingFactory(
        kind=MeetingKind.INFORMATION_SESSION, title_en="Information session on reporting"
    )
    meeting.back_to_back_with.add(workshop)
    response = client.get(meeting.get_absolute_url())
    page = response.content.decode()
    assert "Information session on reporting" in page
    assert response.context["agenda"].number == 1
    assert "19 November 2018 – 23 November 2018" in page
    assert "Geneva, Switzerland" in page and "English, French" in page
    assert segment.title_en in page
    assert [i.label for i in response.context["agenda_items"]] == ["4", "5"]
    assert [s.label for s in response.context["agenda_items"][0].sub_items.all()] == ["4 (f)"]
    assert "(f)</span> Capacity-building" in page
    assert "Secret draft item" not in page
    assert "10:00–13:00" in page and "Opening plenary" in page
    assert "Approved event" in page
    assert "Pending event" not in page and "Declined event" not in page


def test_annotated_agenda_shows_annotations_and_public_sees_no_draft(client):
    meeting = _meeting_with_agenda()
    response = client.get(reverse("meetings:agenda", args=[meeting.code]), {"annotated": "1"})
    assert "The Conference may wish to consider" in response.content.decode()
    assert [v.number for v in response.context["versions"]] == [1]
    plain = client.get(reverse("meetings:agenda", args=[meeting.code]))
    assert "The Conference may wish to consider" not in plain.content.decode()
    assert client.get(reverse("meetings:agenda_version", args=[meeting.code, 2])).status_code == 404
    client.force_login(UserFactory())
    assert client.get(reverse("meetings:agenda_version", args=[meeting.code, 2])).status_code == 404


@pytest.mark.parametrize("status", [AgendaStatus.DRAFT, AgendaStatus.IN_REVIEW, AgendaStatus.SUPERSEDED])
def test_unissued_agenda_versions_stay_hidden_from_everyone_but_the_secretariat(client, status):
    meeting = _meeting_with_agenda()
    hidden = meeting.agenda_versions.get(number=2)
    hidden.status = status  # the fixture's draft, set straight to each state the public must not see
    hidden.save(update_fields=["status"])
    for user in [None, UserFactory(), FocalPointFactory().user, StaffFactory(is_active=False)]:
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in (meeting.get_absolute_url(), reverse("meetings:agenda", args=[meeting.code])):
            response = client.get(url, {"annotated": "1"})
            assert "Secret draft item" not in response.content.decode()
        assert [v.number for v in response.context["versions"]] == [1]
        assert client.get(reverse("meetings:agenda_version", args=[meeting.code, 2])).status_code == 404


def test_staff_see_every_agenda_version_with_its_status(client):
    meeting = _meeting_with_agenda()
    client.force_login(StaffFactory(roles=[roles.SECRETARIAT_ADMIN]))
    response = client.get(reverse("meetings:agenda", args=[meeting.code]))
    assert [(v.number, v.status) for v in response.context["versions"]] == [
        (2, AgendaStatus.DRAFT),
        (1, AgendaStatus.ISSUED),
    ]
    assert response.context["version"].number == 1  # the public one is shown first
    draft = client.get(reverse("meetings:agenda_version", args=[meeting.code, 2]))
    assert "Secret draft item" in draft.content.decode()
    assert "Draft" in draft.content.decode()


def test_adopted_version_is_the_public_one(client):
    meeting = _meeting_with_agenda()
    AgendaVersionFactory(meeting=meeting, number=3, status=AgendaStatus.ADOPTED)
    assert client.get(meeting.get_absolute_url()).context["agenda"].number == 3


def test_unknown_meeting_is_404(client):
    assert client.get(reverse("meetings:detail", args=["cop-99"])).status_code == 404


@pytest.mark.parametrize("count", [2, 10])
def test_agenda_page_uses_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    meeting = MeetingFactory()
    version = AgendaVersionFactory(meeting=meeting, number=1, status=AgendaStatus.ISSUED)
    for n in range(1, count + 1):
        item = AgendaItemFactory(version=version, position=n)
        AgendaItemFactory(version=version, parent=item, position=1)
        AgendaItemFactory(version=version, parent=item, position=2)
    with django_assert_num_queries(4):  # meeting, versions, items, sub-items (outside a transaction)
        response = client.get(reverse("meetings:agenda", args=[meeting.code]))
    assert len(response.context["items"]) == count


@pytest.mark.parametrize("count", [1, 8])
def test_meeting_page_uses_a_fixed_number_of_queries(
    client, django_assert_num_queries, count, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    meeting = MeetingFactory()
    version = AgendaVersionFactory(meeting=meeting, number=1, status=AgendaStatus.ISSUED)
    for n in range(count):
        item = AgendaItemFactory(version=version, position=n + 1)
        AgendaItemFactory(version=version, parent=item, position=1)
        SessionFactory(meeting=meeting, starts=geneva(19 + n % 5, 9), ends=geneva(19 + n % 5, 10))
        SideEventFactory(meeting=meeting, status=SideEventStatus.APPROVED)
        MeetingFactory(parent=meeting)
        meeting.contributions.create(
            donor_country=country("JPN") if n == 0 else None,
            donor_name="" if n == 0 else f"Donor {n}",
            amount=10,
        )
        meeting.partners.create(name=f"Partner {n}")
        meeting.back_to_back_with.add(MeetingFactory(kind=MeetingKind.WORKSHOP))
        material = MeetingMaterial(meeting=meeting, title=f"Slides {n}", session=meeting.sessions.last())
        meeting_material_publish(
            material=meeting_material_save(material=material, uploaded=pdf_upload("s.pdf"))
        )
    # meeting; agenda versions; segments; items; sub-items; sessions; side events; contributions;
    # partners; back-to-back meetings; the scope's named States and groups; the meeting's documents
    # (documents app's include); its report's files (bureau's include); its published materials;
    # no transaction (minamata_portal/publiccache.py)
    with django_assert_num_queries(15):
        response = client.get(meeting.get_absolute_url())
    assert len(response.context["side_events"]) == count
    assert len(response.context["materials"]) == count


def test_the_issued_agenda_stays_public_while_the_next_version_is_prepared(client):
    """UN practice: the provisional agenda issued as a document stays the public one until a
    revised version is issued; preparing the revision does not withdraw it."""
    meeting = MeetingFactory(code="cop-agenda-rev")
    first = AgendaVersionFactory(meeting=meeting, number=1, status=AgendaStatus.ISSUED)
    AgendaItemFactory(version=first, position=1, title_en="Opening of the meeting")
    staff = StaffFactory()
    second = agendas.agenda_version_create_next(meeting=meeting, by=staff)
    item = second.items.get()
    item.title_en = "Opening of the meeting and election of officers"
    item.save()
    first.refresh_from_db()
    assert (first.status, second.status) == (AgendaStatus.ISSUED, AgendaStatus.DRAFT)
    page = client.get(reverse("meetings:agenda", args=[meeting.code]))
    assert page.context["version"].number == 1
    assert "election of officers" not in page.content.decode()

    agendas.agenda_version_issue(version=second, by=staff)
    first.refresh_from_db()
    assert first.status == AgendaStatus.SUPERSEDED
    assert first.history.order_by("-history_date").first().history_user == staff
    page = client.get(reverse("meetings:agenda", args=[meeting.code]))
    assert page.context["version"].number == 2
    assert "election of officers" in page.content.decode()


def test_agenda_drafts_follow_the_role_table_not_the_staff_flag(client):
    """The rule `meetings.view_agenda_drafts` asks for the agenda's view permission, which the
    secretariat's roles give; being marked staff with no role is not enough."""
    meeting = _meeting_with_agenda()
    draft = reverse("meetings:agenda_version", args=[meeting.code, 2])
    for role in (roles.SECRETARIAT_ADMIN, roles.DOCUMENTS_OFFICER, roles.REGISTRATION_OFFICER):
        client.force_login(StaffFactory(roles=[role]))
        assert "Secret draft item" in client.get(draft).content.decode()
    client.force_login(StaffFactory())
    assert client.get(draft).status_code == 404
    versions = client.get(reverse("meetings:agenda", args=[meeting.code])).context["versions"]
    assert [v.number for v in versions] == [1]
