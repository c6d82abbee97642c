from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What the cached public pages show (minamata_portal/publiccache.py); the rest of the app
# (and its history rows) leaves the cache be.
PUBLIC_MODELS = (
    "ExpertGroup",
    "StateGroup",
    "Meeting",
    "AgendaVersion",
    "AgendaItem",
    "Contribution",
    "PartnerOrganisation",
    "Session",
    "SideEventSlot",
    "SideEvent",
    "ParticipantInformation",
    "ParticipantInformationFile",
    "MeetingMaterial",
    "EventSeries",
)


def _side_event_hidden(event) -> bool:
    # A side event requested (by an anonymous visitor too) shows nowhere public until approved.
    from .enums import PUBLIC_SIDE_EVENT_STATUSES

    return event.status not in PUBLIC_SIDE_EVENT_STATUSES


def _material_hidden(material) -> bool:
    # A material just uploaded shows nowhere public until staff publish it.
    from .enums import MaterialStatus

    return material.status != MaterialStatus.PUBLISHED


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # The public pages show these models: a change replaces their cached copies.
        from minamata_portal.publiccache import watch_app_models

        watch_app_models(
            self,
            PUBLIC_MODELS,
            hidden_when_new={"SideEvent": _side_event_hidden, "MeetingMaterial": _material_hidden},
        )
