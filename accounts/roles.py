"""The portal's roles, as Django groups.

The groups are created by migration `0002_roles`; their permissions are (re)assigned after every
migrate, because the permissions of other apps' models only exist once those apps migrated.
A pattern is "app_label.codename", "app_label.*" (every permission of the app) or
"app_label.view_*" (every view permission of the app).
"""

from fnmatch import fnmatch

from django.utils.translation import gettext_lazy as _

SECRETARIAT_ADMIN = "Secretariat administrator"
REGISTRATION_OFFICER = "Registration officer"
DOCUMENTS_OFFICER = "Documents officer"
BUREAU_MEMBER = "Bureau member"
FOCAL_POINT = "National focal point"
DELEGATE = "Delegate"

ROLE_LABELS = {
    SECRETARIAT_ADMIN: _("Secretariat administrator"),
    REGISTRATION_OFFICER: _("Registration officer"),
    DOCUMENTS_OFFICER: _("Documents officer"),
    BUREAU_MEMBER: _("Bureau member"),
    FOCAL_POINT: _("National focal point"),
    DELEGATE: _("Delegate"),
}

PORTAL_APPS = (
    "accounts",
    "reference",
    "outbox",
    "meetings",
    "participants",
    "documents",
    "bureau",
    "letters",
    "calls",
    "expertgroups",
    "operations",
)

ROLE_PERMISSIONS = {
    SECRETARIAT_ADMIN: [f"{app}.*" for app in PORTAL_APPS] + ["auth.view_group"],
    REGISTRATION_OFFICER: [
        "participants.*",
        "letters.*",
        "outbox.view_*",
        "accounts.view_user",
        "accounts.view_focalpoint",
        "accounts.add_focalpoint",
        "accounts.change_focalpoint",
        "meetings.view_*",
        # They answer participants on visas, travel and DSA: they write the information for them.
        "meetings.*participantinformation*",
        "reference.view_*",
    ],
    DOCUMENTS_OFFICER: [
        "documents.*",
        "calls.*",
        "meetings.view_*",
        "meetings.*agenda*",
        # Presentations, statements and photos of meetings: materials without a symbol.
        "meetings.*meetingmaterial*",
        "reference.view_*",
    ],
    BUREAU_MEMBER: [],
    FOCAL_POINT: [],
    DELEGATE: [],
}


def _matching(permissions, patterns):
    for perm in permissions:
        key = f"{perm.content_type.app_label}.{perm.codename}"
        if any(fnmatch(key, pattern) for pattern in patterns):
            yield perm


def sync_role_permissions(sender=None, **kwargs):
    from django.contrib.auth.models import Group, Permission

    permissions = list(Permission.objects.select_related("content_type"))
    for name, patterns in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(list(_matching(permissions, patterns)))
