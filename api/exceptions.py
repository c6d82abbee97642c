from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from minamata_portal.params import InvalidParameter


def exception_handler(exc, context):
    """The pages' refusals, as JSON: a parameter the portal cannot use (400, naming it), a service's
    ValidationError (400, its messages by field), a missing row (404)."""
    if isinstance(exc, InvalidParameter):
        exc = exceptions.ValidationError({exc.name: [exc.message]})
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, ObjectDoesNotExist):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
