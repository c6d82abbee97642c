"""Letters are private: stored under MEDIA_ROOT/letters (never served as static files) and handed
out only by the download view, which checks who asks. A letter's e-mail names the same file as
its attachment (outbox.storage, also rooted at MEDIA_ROOT): the PDF exists once."""

from django.core.files.storage import FileSystemStorage

# No location: it follows settings.MEDIA_ROOT (also when tests change it). Re-rendering a letter
# after a crash mid-render must replace its file, not add "name_x7Yz.pdf" beside it.
letter_storage = FileSystemStorage(allow_overwrite=True)


def letter_storage_callable():
    return letter_storage
