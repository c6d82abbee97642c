"""What every app's forms and admin share: a service's refusal shown where the user looks."""

from django.core.exceptions import ValidationError


def form_add_service_errors(form, error: ValidationError) -> None:
    """Put a service's or a check's refusal on the form: on the field it names when the form has
    that field, else on top of the form, so no message is lost."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
