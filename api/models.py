"""Personal API tokens. Only a SHA-256 of the token is stored: the token itself is shown once, when
it is created, and cannot be read back (a random 256-bit secret needs no slow hash)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import TokenScope


class ApiToken(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("owner")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for."))
    prefix = models.CharField(_("first characters"), max_length=12, editable=False)
    key_hash = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True, editable=False)
    scope = models.CharField(_("scope"), max_length=12, choices=TokenScope, default=TokenScope.READ)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def may_write(self) -> bool:
        return self.scope == TokenScope.READ_WRITE


class ApiTokenUse(models.Model):
    """One request made with a token: when, what, and how it was answered."""

    token = models.ForeignKey(
        ApiToken, on_delete=models.CASCADE, related_name="uses", verbose_name=_("token")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=300)
    status = models.PositiveSmallIntegerField(_("answer"))
    client = models.CharField(_("client address"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("API token use")
        verbose_name_plural = _("API token uses")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.token} {self.method} {self.path} {self.status}"
