"""Attachments are files in the private media root (never served as static files): the caller
stores the file and hands the outbox its name, so a letter's PDF exists once."""

from django.core.files.storage import FileSystemStorage

# No location: it follows settings.MEDIA_ROOT (also when tests change it).
attachment_storage = FileSystemStorage()


def attachment_storage_callable():
    return attachment_storage
