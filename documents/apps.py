from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self):
        # The public pages show this app's data: a change replaces their cached copies.
        from minamata_portal.publiccache import watch_app_models

        watch_app_models(self)
