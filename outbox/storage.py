"""Attachments are private files (never served as static files): the caller stores the file and
hands the outbox its name, so a letter's PDF exists once. They are read from the "letters" storage
of settings.STORAGES (MEDIA_ROOT on the local disk, or the shared S3-compatible bucket), where
letters are written."""

from minamata_portal.storages import NamedStorage

# Follows settings.STORAGES and MEDIA_ROOT (also when tests change them).
attachment_storage = NamedStorage("letters")


def attachment_storage_callable():
    return attachment_storage
