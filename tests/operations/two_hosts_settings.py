"""The portal's settings with a low letter-verification limit, for the two-web-process test (the
limit is a Django setting with no variable of its own)."""

from minamata_portal.settings import *  # noqa: F403

LETTERS_VERIFY_PER_MINUTE = 3
