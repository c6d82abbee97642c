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


class Classification(models.TextChoices):
    DEVELOPING = "developing", _("Developing country")
    LEAST_DEVELOPED = "ldc", _("Least developed country")
    SMALL_ISLAND = "sids", _("Small island developing State")
    ECONOMY_IN_TRANSITION = "eit", _("Economy in transition")
