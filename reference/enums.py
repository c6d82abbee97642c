from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionalGroup(models.TextChoices):
    AFRICAN = "african", _("African States")
    ASIA_PACIFIC = "asia_pacific", _("Asia-Pacific States")
    EASTERN_EUROPEAN = "eastern_european", _("Eastern European States")
    LATIN_AMERICAN_CARIBBEAN = "latin_american_caribbean", _("Latin American and Caribbean States")
    WESTERN_EUROPEAN_OTHER = "western_european_other", _("Western European and other States")
    NONE = "none", _("No regional group")


class MemberStatus(models.TextChoices):
    MEMBER = "member", _("UN Member State")
    OBSERVER_STATE = "observer_state", _("Observer State")
    # The European Union: an observer in the General Assembly, not a State.
    ORGANISATION = "organisation", _("Organisation with UN observer status")


class CountryKind(models.TextChoices):
    """What a `Country` row is. Registrations, focal points and credentials point at a Country,
    so the European Union, a Party to the Convention (Art. 2 (j) and 30), has a row of its own."""

    STATE = "state", _("State")
    REIO = "reio", _("Regional economic integration organisation")


class PartyStanding(models.TextChoices):
    """Whether a State (or the EU) is a Party to the Convention on a given day."""

    PARTY = "party", _("Party")
    NOT_PARTY = "not_party", _("Not a Party")
    # In the Parties' table without a known date of deposit (Cameroon in the 2026 data): it is a
    # Party now, but on which day it became one is not known. Never guessed.
    PARTY_DATE_UNKNOWN = "party_date_unknown", _("Party (date of becoming a Party unknown)")


class Classification(models.TextChoices):
    DEVELOPING = "developing", _("Developing country")
    LEAST_DEVELOPED = "ldc", _("Least developed country")
    SMALL_ISLAND = "sids", _("Small island developing State")
    ECONOMY_IN_TRANSITION = "eit", _("Economy in transition")
