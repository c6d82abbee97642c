from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation


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

    def send_mail(self, template_prefix, email, context):
        """Account mails (address confirmation, password reset, notices) in the person's language
        of correspondence, not the language of the page that set them off; to an address with no
        account (allauth's anti-enumeration notices), in the page's language."""
        from .models import User

        language = (
            User.objects.filter(email__iexact=email).values_list("preferred_language", flat=True).first()
        )
        with translation.override(correspondence_language(language or translation.get_language())):
            return super().send_mail(template_prefix, email, context)
