from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
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
        # The navigation's roles are worked out at sign-in (accounts.navigation).
        from .navigation import roles_remember_on_sign_in

        user_logged_in.connect(roles_remember_on_sign_in, dispatch_uid="accounts.roles_on_sign_in")
        # A password chosen through the mailed key proves the address of an account opened for
        # someone (accounts.services.email_verified_by_password_key).
        from allauth.account.signals import password_reset

        from .services import password_reset_received

        password_reset.connect(password_reset_received, dispatch_uid="accounts.password_reset_verifies")
