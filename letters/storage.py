"""Letters are private: stored in the "letters" storage (settings.STORAGES: MEDIA_ROOT/letters on
the local disk, or the shared S3-compatible bucket), never served as static files, and handed out
only by the download view, which checks who asks. A letter's e-mail names the same file as its
attachment (outbox.storage reads the same storage): the PDF exists once."""

from minamata_portal.storages import NamedStorage

# Follows settings.STORAGES and MEDIA_ROOT (also when tests change them). Re-rendering a letter
# after a crash mid-render replaces its file, not adds "name_x7Yz.pdf" beside it (the storage
# allows overwriting).
letter_storage = NamedStorage("letters")


def letter_storage_callable():
    return letter_storage
