from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenScope(models.TextChoices):
    """What a personal token may do: read only (GET), or also what its owner's pages let them
    change (accredit, decline)."""

    READ = "read", _("Read")
    READ_WRITE = "read_write", _("Read and write")
