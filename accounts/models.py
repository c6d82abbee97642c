from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PortalUserManager(UserManager):
    """E-mail is the login; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        FRENCH = "fr", _("French")
        SPANISH = "es", _("Spanish")

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    title = models.CharField(_("title"), max_length=30, blank=True, help_text=_("Mr, Ms, Dr, H.E."))
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language, default=Language.ENGLISH
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return " ".join(p for p in (self.first_name, self.last_name) if p).strip()


class FocalPoint(models.Model):
    """A user who acts for one State: its national focal point or its permanent mission.

    Everything a focal point may do is scoped to this country; `accounts.rules` reads it.
    """

    class Kind(models.TextChoices):
        NATIONAL_FOCAL_POINT = "nfp", _("National focal point")
        PERMANENT_MISSION = "mission", _("Permanent mission")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="focal_points", verbose_name=_("user")
    )
    country = models.ForeignKey(
        "reference.Country",
        on_delete=models.PROTECT,
        related_name="focal_points",
        verbose_name=_("State"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.NATIONAL_FOCAL_POINT)
    active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")
        constraints = [
            models.UniqueConstraint(fields=["user", "country"], name="focal_point_user_country_unique")
        ]

    def __str__(self):
        return f"{self.user} – {self.country} ({self.get_kind_display()})"
