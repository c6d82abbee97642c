from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from meetings.enums import AgendaStatus, MeetingKind, MeetingStatus
from meetings.models import AgendaVersion, Contribution, Meeting
from meetings.services import planning
from tests.factories import (
    AgendaItemFactory,
    AgendaVersionFactory,
    MeetingFactory,
    StaffFactory,
    UserFactory,
    country,
)

from .factories import ContributionFactory

pytestmark = pytest.mark.django_db


def test_languages_must_be_un_language_codes():
    meeting = MeetingFactory.build(languages=["en", "fr", "xx"], country=country("CHE"))
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "languages" in error.value.message_dict
    assert "xx" in error.value.message_dict["languages"][0]


def test_unknown_time_zone_is_refused_with_its_name():
    meeting = MeetingFactory.build(time_zone="Europe/Genva", country=country("CHE"))
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "Europe/Genva" in error.value.message_dict["time_zone"][0]


def test_contribution_keeps_decimal_amount_and_currency():
    contribution = ContributionFactory(
        donor_name="", donor_country=country("AUT"), amount="37500.50", currency="EUR"
    )
    contribution.refresh_from_db()
    assert contribution.amount == Decimal("37500.50")
    assert (contribution.donor, contribution.currency) == ("Austria", "EUR")


def test_database_refuses_a_contribution_with_two_donors_or_none():
    meeting = MeetingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.create(
            meeting=meeting, donor_country=country("JPN"), donor_name="Japan", amount=1
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.create(meeting=meeting, amount=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.create(meeting=meeting, donor_name="EU", amount=0)


@pytest.mark.parametrize(
    ("path", "end"),
    [
        (["open_registration", "close_registration", "open_session", "record_held"], MeetingStatus.HELD),
        (["postpone", "plan_again", "cancel"], MeetingStatus.CANCELLED),
    ],
)
def test_meeting_walks_its_status_path_with_history(path, end):
    staff = StaffFactory()
    meeting = MeetingFactory()
    for action in path:
        meeting = planning.meeting_move(meeting=meeting, action=action, by=staff)
    meeting.refresh_from_db()
    assert meeting.status == end
    assert meeting.history.first().history_user == staff


@pytest.mark.parametrize(
    ("start", "action"),
    [
        (MeetingStatus.PLANNED, "record_held"),
        (MeetingStatus.PLANNED, "open_session"),
        (MeetingStatus.HELD, "cancel"),
        (MeetingStatus.CANCELLED, "plan_again"),
        (MeetingStatus.IN_SESSION, "postpone"),
    ],
)
def test_meeting_refuses_a_status_jump(start, action):
    meeting = MeetingFactory(status=start)
    with pytest.raises(ValidationError) as error:
        planning.meeting_move(meeting=meeting, action=action)
    assert error.value.code == "illegal_transition"
    meeting.refresh_from_db()
    assert meeting.status == start


def _cop2_with_agenda():
    cop2 = MeetingFactory(
        code="cop-2", number=2, kind=MeetingKind.COP, languages=["ar", "zh", "en", "fr", "ru", "es"],
        venue="CICG", status=MeetingStatus.HELD,
    )  # fmt: skip
    cop2.partners.create(name="BRS regional centre", role="logistics")
    old = AgendaVersionFactory(meeting=cop2, number=1, status=AgendaStatus.SUPERSEDED)
    AgendaItemFactory(version=old, position=1, title_en="Old opening")
    adopted = AgendaVersionFactory(meeting=cop2, number=2, status=AgendaStatus.ADOPTED)
    AgendaItemFactory(
        version=adopted, position=1, title_en="Opening of the meeting", annotation="Opened by the President"
    )
    item = AgendaItemFactory(version=adopted, position=2, title_en="Organizational matters")
    AgendaItemFactory(version=adopted, parent=item, position=1, title_en="Adoption of the agenda")
    ContributionFactory(meeting=cop2)
    return cop2


def test_next_cop_copies_settings_and_the_adopted_agenda_skeleton():
    staff = StaffFactory()
    cop2 = _cop2_with_agenda()
    cop3 = planning.meeting_create_next_cop(meeting=cop2, by=staff)
    assert (cop3.code, cop3.number, cop3.kind, cop3.status) == (
        "cop-3",
        3,
        MeetingKind.COP,
        MeetingStatus.PLANNED,
    )
    assert (
        cop3.title_en
        == "Third meeting of the Conference of the Parties to the Minamata Convention on Mercury"
    )
    assert cop3.title_fr.startswith("Troisième réunion")
    assert cop3.symbol_prefix == "UNEP/MC/COP.3"
    # The venue is the Conference's and the host's decision: left to be confirmed, not guessed.
    assert (cop3.venue, cop3.city, cop3.country, cop3.venue_confirmed, cop3.time_zone) == (
        "",
        "",
        None,
        False,
        "Europe/Zurich",
    )
    assert cop3.languages == ["ar", "zh", "en", "fr", "ru", "es"]
    # Two years on (COP_INTERVAL_MONTHS), then by two years again until it is not in the past.
    assert cop3.start_date > timezone.localdate()
    assert cop3.start_date.weekday() == cop2.start_date.weekday()
    assert (cop3.start_date.year - cop2.start_date.year) % 2 == 0
    assert list(cop3.partners.values_list("name", flat=True)) == ["BRS regional centre"]
    assert not cop3.contributions.exists()  # money is raised anew for each meeting
    version = AgendaVersion.objects.get(meeting=cop3)
    assert (version.number, version.status) == (1, AgendaStatus.DRAFT)
    items = [
        (i.label, i.title_en, i.annotation) for i in version.items.select_related("parent").order_by("pk")
    ]
    assert items == [
        ("1", "Opening of the meeting", ""),
        ("2", "Organizational matters", ""),
        ("2 (a)", "Adoption of the agenda", ""),
    ]


def test_next_cop_is_refused_when_it_exists_or_for_other_meetings():
    cop2 = _cop2_with_agenda()
    planning.meeting_create_next_cop(meeting=cop2)
    with pytest.raises(ValidationError, match="COP-3 already exists"):
        planning.meeting_create_next_cop(meeting=cop2)
    bureau = MeetingFactory(kind=MeetingKind.BUREAU, number=None)
    with pytest.raises(ValidationError):
        planning.meeting_create_next_cop(meeting=bureau)
    assert Meeting.objects.filter(kind=MeetingKind.COP, number=3).count() == 1


def test_staff_creates_the_next_cop_with_one_admin_action(client):
    cop2 = _cop2_with_agenda()
    client.force_login(StaffFactory(is_superuser=True))
    response = client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "create_next_cop", "_selected_action": [cop2.pk]},
    )
    cop3 = Meeting.objects.get(code="cop-3")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:meetings_meeting_change", args=[cop3.pk])
    assert cop3.agenda_versions.get().items.count() == 3


def test_staff_opens_registration_with_an_admin_action_and_a_jump_is_refused(client):
    planned = MeetingFactory()
    held = MeetingFactory(status=MeetingStatus.HELD)
    client.force_login(StaffFactory(is_superuser=True))
    response = client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "open_registration", "_selected_action": [planned.pk, held.pk]},
        follow=True,
    )
    planned.refresh_from_db()
    held.refresh_from_db()
    assert (planned.status, held.status) == (MeetingStatus.REGISTRATION_OPEN, MeetingStatus.HELD)
    text = response.content.decode()
    assert "cannot become" in text and held.code in text


def test_admin_changelist_filters_and_searches(client):
    MeetingFactory(
        code="rc-africa-x", kind=MeetingKind.REGIONAL_CONSULTATION, city="Lusaka", country=country("ZMB")
    )
    MeetingFactory(code="cop-x", city="Geneva")
    client.force_login(StaffFactory(is_superuser=True))
    url = reverse("admin:meetings_meeting_changelist")
    by_kind = client.get(url, {"kind__exact": "regional"}).context["cl"].result_list
    assert [m.code for m in by_kind] == ["rc-africa-x"]
    by_region = client.get(url, {"country__regional_group__exact": "african"}).context["cl"].result_list
    assert [m.code for m in by_region] == ["rc-africa-x"]
    by_search = client.get(url, {"q": "Lusaka"}).context["cl"].result_list
    assert [m.code for m in by_search] == ["rc-africa-x"]


def test_admin_is_closed_to_non_staff(client):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:meetings_meeting_changelist"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_agenda_admin_offers_only_items_of_the_same_version_as_parents(client):
    version = AgendaVersionFactory(status=AgendaStatus.DRAFT)
    item = AgendaItemFactory(version=version, position=4, title_en="Matters for consideration")
    AgendaItemFactory(version=version, parent=item, position=6, title_en="Capacity-building")
    AgendaItemFactory(title_en="Item of another meeting")
    client.force_login(StaffFactory(is_superuser=True))
    response = client.get(reverse("admin:meetings_agendaversion_change", args=[version.pk]))
    formset = response.context["inline_admin_formsets"][0].formset
    assert [str(i) for i in formset.forms[0].fields["parent"].queryset] == ["4. Matters for consideration"]


def test_agenda_version_status_moves_only_through_the_admin_actions(client):
    version = AgendaVersionFactory(status=AgendaStatus.DRAFT)
    client.force_login(StaffFactory(is_superuser=True))
    url = reverse("admin:meetings_agendaversion_changelist")
    client.post(url, {"action": "adopt", "_selected_action": [version.pk]})
    version.refresh_from_db()
    assert version.status == AgendaStatus.DRAFT
    client.post(url, {"action": "issue", "_selected_action": [version.pk]})
    version.refresh_from_db()
    assert version.status == AgendaStatus.ISSUED


def test_documents_officer_reads_meetings_but_cannot_move_their_status(client):
    officer = StaffFactory(roles=[roles.DOCUMENTS_OFFICER])
    meeting = MeetingFactory()
    client.force_login(officer)
    url = reverse("admin:meetings_meeting_changelist")
    response = client.get(url)
    assert response.status_code == 200
    # Every meeting action needs the change or add permission: the officer is offered none.
    assert response.context["action_form"] is None
    client.post(url, {"action": "open_registration", "_selected_action": [meeting.pk]})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    assert (
        client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk])).context[
            "has_change_permission"
        ]
        is False
    )
