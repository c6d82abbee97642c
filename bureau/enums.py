from django.db import models
from django.utils.translation import gettext_lazy as _


class BodyKind(models.TextChoices):
    COP_BUREAU = "cop_bureau", _("Bureau of the Conference of the Parties")
    COMPLIANCE_COMMITTEE = "icc", _("Implementation and Compliance Committee")


class Office(models.TextChoices):
    PRESIDENT = "president", _("President")
    VICE_PRESIDENT = "vice_president", _("Vice-President")
    RAPPORTEUR = "rapporteur", _("Vice-President and rapporteur")
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-Chair")
    MEMBER = "member", _("Member")


# Offices one person holds at a time in a body: two Presidents on the same day is an error.
SINGLE_HOLDER_OFFICES = (Office.PRESIDENT, Office.RAPPORTEUR, Office.CHAIR)


class ReviewDecision(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")


class DecisionKind(models.TextChoices):
    COP = "cop", _("Decision of the Conference of the Parties")
    BUREAU = "bureau", _("Decision of the Bureau")


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")


class MandateStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    IMPLEMENTED = "implemented", _("Implemented")
    REPORTED = "reported", _("Reported")
