from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What the cached public pages show (minamata_portal/publiccache.py); the rest of the app
# (and its history rows) leaves the cache be.
PUBLIC_MODELS = ("Decision", "MeetingReport", "ReportFile")


class BureauConfig(AppConfig):
    name = "bureau"
    verbose_name = _("Bureau")

    def ready(self):
        # The public pages show these models: a change replaces their cached copies.
        from minamata_portal.publiccache import watch_app_models

        watch_app_models(self, PUBLIC_MODELS)
