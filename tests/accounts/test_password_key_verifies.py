"""Choosing a password through the mailed key verifies the address, without forcing it primary:
a person whose other address is primary keeps it, and the password is saved (no 500)."""

import pytest
from allauth.account.models import EmailAddress

from accounts.services import email_verified_by_password_key
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_key_verifies_the_address_and_leaves_another_primary_alone():
    user = UserFactory(email="chanda@example.zm", verified=False)
    EmailAddress.objects.create(user=user, email="chanda.old@example.zm", verified=False, primary=True)
    EmailAddress.objects.create(user=user, email="chanda@example.zm", verified=False, primary=False)
    assert email_verified_by_password_key(user=user) is True
    assert sorted(EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")) == [
        ("chanda.old@example.zm", False, True),
        ("chanda@example.zm", True, False),
    ]


def test_the_key_verifies_an_address_not_recorded_yet_as_primary():
    user = UserFactory(email="Nadia@example.sn", verified=False)
    assert email_verified_by_password_key(user=user) is True
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")) == [
        ("nadia@example.sn", True, True)
    ]
    assert email_verified_by_password_key(user=user) is False  # once
