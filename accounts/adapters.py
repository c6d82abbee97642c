from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.mail import get_connection
from django.utils import translation

from .navigation import landing_url


def portal_site() -> SimpleNamespace:
    """The portal as account mails name it: SITE_NAME and the host of SITE_URL, not the host the
    request happened to come in by ("127.0.0.1:8011")."""
    return SimpleNamespace(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


def correspondence_language(language: str | None) -> str:
    """One of the portal's languages (en, fr, es): "es-ar" reads as Spanish; anything else as
    the default LANGUAGE_CODE."""
    code = (language or "")[:2].lower()
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE[:2]


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return getattr(settings, "ACCOUNT_ALLOW_SIGNUP", True)

    def get_email_confirmation_url(self, request, emailconfirmation):
        # Links in e-mails must point at the public site even when sent from a worker.
        url = super().get_email_confirmation_url(request, emailconfirmation)
        if request is None and url.startswith("/"):
            return settings.SITE_URL.rstrip("/") + url
        return url

    def save_user(self, request, user, form, commit=True):
        # A new account's language of correspondence is the language they sign up in.
        user.preferred_language = correspondence_language(translation.get_language())
        return super().save_user(request, user, form, commit=commit)

    def get_login_redirect_url(self, request):
        # Each person lands on what they act on (accounts.navigation); allauth lets an explicit
        # ?next= win over this.
        return landing_url(request.user)

    def send_mail(self, template_prefix, email, context):
        """Account mails (address confirmation, password reset, notices) in the person's language
        of correspondence, not the language of the page that set them off; to an address with no
        account (allauth's anti-enumeration notices), in the page's language. Our own templates
        (templates/account/email/) carry the wording; the mail goes through the outbox like every
        other, so it has its row, its retries and its place in the outbox's view."""
        from .models import User

        language = correspondence_language(
            User.objects.filter(email__iexact=email).values_list("preferred_language", flat=True).first()
            or translation.get_language()
        )
        context = {"email": email, **context, "current_site": portal_site(), "site_url": settings.SITE_URL}
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
            message.connection = get_connection(settings.ACCOUNT_MAIL_BACKEND)
            message.send()
