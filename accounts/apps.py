from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from .roles import sync_role_permissions


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        # Every app's permissions are created by its own post_migrate signal, so the roles are
        # synced after each app, not only after this one.
        post_migrate.connect(sync_role_permissions, dispatch_uid="accounts.sync_roles")
