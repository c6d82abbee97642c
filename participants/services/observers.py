"""Observer organisations: the request for admission and the secretariat's decision."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import ObserverError
from ..models import ObserverApplication, Organisation
from ..selectors import meeting_settings, organisation_is_admitted
from .transition import transition


def organisation_save(*, by, organisation: Organisation | None = None, **data) -> Organisation:
    """Create an organisation (no `organisation`) or change one on file, with `data` set on it:
    the admin, the spreadsheet import and the demo data all save them here."""
    organisation = organisation if organisation is not None else Organisation()
    for field, value in data.items():
        setattr(organisation, field, value)
    if organisation.name:
        organisation.name = " ".join(organisation.name.split())
    try:
        organisation.full_clean()
    except ValidationError as exc:
        raise ObserverError(exc.message_dict) from exc
    organisation.save()
    return organisation


def observer_apply(*, meeting, organisation: Organisation, by, now=None, **data) -> ObserverApplication:
    now = now or timezone.now()
    deadline = meeting_settings(meeting).observer_deadline
    if deadline and now > deadline:
        raise ObserverError(
            _("Requests for admission as an observer closed on %(date)s.") % {"date": f"{deadline:%Y-%m-%d}"}
        )
    if organisation_is_admitted(organisation=organisation, meeting=meeting):
        raise ObserverError(
            _("%(org)s is already admitted as an observer: no need to apply again.") % {"org": organisation}
        )
    try:
        with transaction.atomic():
            return ObserverApplication.objects.create(
                meeting=meeting, organisation=organisation, submitted_by=by, **data
            )
    except IntegrityError as exc:
        raise ObserverError(
            _("%(org)s has already applied for this meeting.") % {"org": organisation}
        ) from exc


@transaction.atomic
def observer_apply_as(
    *, meeting, name: str, acronym="", kind, website="", contact_email="", by, now=None, **data
) -> ObserverApplication:
    """An organisation's request for admission, typed in by its representative: an organisation
    already on file under that name (in any letter case) is reused, else it is created."""
    name = " ".join(name.split())
    organisation = Organisation.objects.filter(name__iexact=name).first()
    if organisation is None:
        try:
            with transaction.atomic():
                organisation = organisation_save(
                    by=by, name=name, acronym=acronym, kind=kind, website=website, contact_email=contact_email
                )
        except IntegrityError:  # the same name, created a moment ago by another request
            organisation = Organisation.objects.get(name=name)
    return observer_apply(
        meeting=meeting, organisation=organisation, by=by, now=now, contact_email=contact_email, **data
    )


@transaction.atomic
def observer_admit(*, application, by) -> ObserverApplication:
    return transition(application, "admit", by=by, changes={"decided_by": by, "decided_at": timezone.now()})


@transaction.atomic
def observer_decline(*, application, by) -> ObserverApplication:
    return transition(application, "decline", by=by, changes={"decided_by": by, "decided_at": timezone.now()})
