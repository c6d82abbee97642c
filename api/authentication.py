"""Personal tokens in the `Authorization` header: `Authorization: Bearer mcp_…` (or `Token mcp_…`)."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .selectors import api_token_for_key

KEYWORDS = ("bearer", "token")


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after the word Bearer, with no spaces."))
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        token = api_token_for_key(raw=raw)
        if token is None or not token.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        user = token.owner
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("The token's owner can no longer sign in."))
        # As the pages do (accounts.middleware): staff without two-factor authentication get nothing.
        if (
            settings.STAFF_MFA_REQUIRED
            and user.is_staff
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            raise exceptions.AuthenticationFailed(_("Staff accounts must set up two-factor authentication."))
        # The use is logged by api.middleware.TokenUseLogMiddleware once the answer is known.
        request._request.api_token_id = token.pk
        return user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A personal token made on /api/tokens/."}
