"""Review of issue 12: participants 0005-0007 bring the rows of the previous release within the new
rules before adding their constraints (the previous demo had credentials "in order" received as a
copy or from an "other" issuer). Migrates participants back to 0004, stores such rows, migrates
forward and reads the result."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from meetings.enums import MeetingMode
from participants.models import Credentials, Registration
from tests.factories import MeetingFactory, UserFactory, country

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("participants", "0004_registration_request")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def test_previous_release_rows_are_brought_within_the_new_rules():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    # Meetings and people as stored by the current models (those apps are not migrated back).
    online = MeetingFactory(code="online-1", mode=MeetingMode.ONLINE)
    MeetingFactory(code="online-1-seg", mode=MeetingMode.ONLINE, parent=online)
    hybrid = MeetingFactory(code="hybrid-1", mode=MeetingMode.ONLINE)
    MeetingFactory(code="hybrid-1-seg", mode=MeetingMode.IN_PERSON, parent=hybrid)
    cop = MeetingFactory(code="cop-x")
    people = {
        lang: UserFactory(email=f"{lang}@example.org", preferred_language=lang) for lang in ("en", "fr", "es")
    }
    try:
        executor = _migrate(BEFORE)
        apps = executor.loader.project_state(BEFORE).apps
        OldRegistration = apps.get_model("participants", "Registration")
        OldCredentials = apps.get_model("participants", "Credentials")

        def register(meeting, user, role="member", status="accredited", iso3="ZMB"):
            return OldRegistration.objects.create(
                meeting_id=meeting.pk, user_id=user.pk, capacity="party", country_id=country(iso3).pk,
                first_name="A", last_name=user.email, email=user.email, status=status, delegation_role=role,
            ).pk  # fmt: skip

        on_online = register(online, people["fr"])
        on_hybrid = register(hybrid, people["es"])
        first_head = register(cop, people["en"], role="head")
        second_head = register(cop, people["fr"], role="head")
        withdrawn_head = register(cop, people["es"], role="head", status="withdrawn")
        other_state_head = register(cop, UserFactory(email="p@example.pe"), role="head", iso3="PER")

        def credentials(iso3, form, issuer, verdict="in_order"):
            return OldCredentials.objects.create(
                meeting_id=cop.pk, country_id=country(iso3).pk, form=form, issuer=issuer, verdict=verdict,
                received_at=dt.datetime(2018, 11, 19, 9, tzinfo=dt.UTC),
            ).pk  # fmt: skip

        copy = credentials("ZMB", "copy", "head_of_state")
        copy_other = credentials("PER", "copy", "other")
        original_other = credentials("NGA", "original", "other")
        in_order = credentials("KEN", "original", "foreign_minister")
        pending_other = credentials("GHA", "original", "other", verdict="pending")
    finally:
        _migrate(leaves)

    verdicts = dict(Credentials.objects.values_list("pk", "verdict"))
    assert verdicts == {
        copy: "copy", copy_other: "copy", original_other: "not_in_due_form", in_order: "in_order",
        pending_other: "pending",
    }  # fmt: skip
    roles = dict(Registration.objects.filter(meeting=cop).values_list("pk", "delegation_role"))
    assert roles == {
        first_head: "head",
        second_head: "member",
        withdrawn_head: "head",
        other_state_head: "head",
    }
    modes = dict(
        Registration.objects.filter(meeting__in=[online, hybrid]).values_list("pk", "participation_mode")
    )
    assert modes == {on_online: "online", on_hybrid: "in_person"}
    languages = dict(Registration.objects.values_list("pk", "correspondence_language"))
    assert (languages[on_online], languages[on_hybrid], languages[first_head]) == ("fr", "es", "en")


def test_the_old_contact_consent_carries_to_email_and_phone_never_to_the_postal_address():
    """Before 0008 one tick, "publish my contact details", covered e-mail and telephone (the list
    printed no address); publish_contact now means the postal address, so nobody's address is
    published for a tick given to something else."""
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    before = [("participants", "0007_rules_credentials_head_funding_policy")]
    meeting = MeetingFactory(code="cop-consent")
    try:
        executor = _migrate(before)
        OldRegistration = executor.loader.project_state(before).apps.get_model("participants", "Registration")

        def register(email, agreed):
            return OldRegistration.objects.create(
                meeting_id=meeting.pk, user_id=UserFactory(email=email).pk, capacity="party",
                country_id=country("ZMB").pk, first_name="A", last_name=email, email=email,
                status="accredited", delegation_role="member", correspondence_language="en",
                publish_contact=agreed,
            ).pk  # fmt: skip

        agreed = register("agreed@example.zm", True)
        declined = register("declined@example.zm", False)
    finally:
        _migrate(leaves)

    consent = {
        pk: (email, phone, address)
        for pk, email, phone, address in Registration.objects.values_list(
            "pk", "publish_email", "publish_phone", "publish_contact"
        )
    }
    assert consent == {agreed: (True, True, False), declined: (False, False, False)}
