"""What every app's forms and admin share: a service's refusal shown where the user looks."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def form_add_service_errors(form, error: ValidationError) -> None:
    """Put a service's or a check's refusal on the form: on the field it names when the form has
    that field, else on top of the form, so no message is lost."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def messages_add_service_errors(request, error: ValidationError) -> None:
    """The same refusal for an action with no form to show it on (a button that redirects): one
    message per error, prefixed by the field it names."""
    pairs = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    for field, errors in pairs:
        for text in errors:
            messages.error(request, f"{field}: {text}" if field and field != "__all__" else text)
