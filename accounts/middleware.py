from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class StaffMustUseTwoFactorMiddleware:
    """Staff accounts must enrol an authenticator app (allauth's TOTP) before anything else.

    allauth asks for the code at every login once a TOTP authenticator exists; this closes the
    gap before enrolment, for the admin and the staff pages alike.
    """

    allowed_prefixes = ("/accounts/", "/static/", "/i18n/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.STAFF_MFA_REQUIRED
            and user is not None
            and user.is_authenticated
            and user.is_staff
            and not request.path.startswith(self.allowed_prefixes)
            and not self._has_totp(user)
        ):
            messages.warning(
                request,
                _("Staff accounts must set up two-factor authentication before continuing."),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _has_totp(user):
        return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
