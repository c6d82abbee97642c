"""allauth's two-factor forms, telling a code already used from a wrong one.

allauth accepts each TOTP code once (it remembers a used code for its 30-second period), and
refuses a second use with the same "Incorrect code." as a mistyped one: a staff member who signs
in twice within 30 seconds is left guessing. The refusal stays (a code works once); only its
message changes."""

from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, validate_totp_code
from allauth.mfa.utils import decrypt
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CODE_ALREADY_USED = _(
    "This code has already been used: a code works only once. Wait for your authenticator app to "
    "show the next code (within 30 seconds) and enter that one."
)


def totp_code_already_used(*, user, code: str) -> bool:
    """The code is right for `user`'s authenticator app but was used already in its period."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None or not code:
        return False
    totp = TOTP(authenticator)
    if not validate_totp_code(decrypt(authenticator.data["secret"]), code):
        return False
    # TOTP._get_used_cache_key is allauth's private method (django-allauth==65.21.1, pinned in
    # requirements/base.txt): check it still exists, with that meaning, when raising the pin.
    return cache.get(totp._get_used_cache_key(code)) is not None


class _AlreadyUsedMessage:
    def clean_code(self):
        try:
            return super().clean_code()
        except ValidationError:
            if totp_code_already_used(user=self.user, code=self.cleaned_data.get("code", "")):
                raise ValidationError(CODE_ALREADY_USED, code="code_already_used") from None
            raise


class MfaAuthenticateForm(_AlreadyUsedMessage, AuthenticateForm):
    pass


class MfaReauthenticateForm(_AlreadyUsedMessage, ReauthenticateForm):
    pass
