import pytest

from accounts import demo as accounts_demo
from letters import demo
from letters.models import Letter
from meetings import demo as meetings_demo
from outbox.enums import MailStatus

pytestmark = pytest.mark.django_db


def test_demo_invites_the_demo_focal_points_through_the_send_meetings_registers(
    django_capture_on_commit_callbacks, mailoutbox
):
    """Letters' demo finds the invitations' bulk send in the registry that meetings fills, and
    the meeting through its own reference to it: it imports neither."""
    accounts_demo.load()
    meetings_demo.load()
    with django_capture_on_commit_callbacks(execute=True):
        counts = demo.load()
    letters = list(Letter.objects.select_related("mail", "focal_point__country"))
    assert counts == {"COP-2 invitation letters": len(letters)} and letters
    assert {letter.delivery_status for letter in letters} == {MailStatus.SENT}
    assert sorted(m.to[0] for m in mailoutbox) == sorted(letter.recipient_email for letter in letters)
    with django_capture_on_commit_callbacks(execute=True):
        assert demo.load() == {"COP-2 invitation letters": 0}  # loading twice sends nothing twice
