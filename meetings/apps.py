from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # The public pages show this app's data: a change replaces their cached copies.
        from minamata_portal.publiccache import watch_app_models

        watch_app_models(self)
