"""Demo accounts, one per role. Passwords are derived from this installation's generated
SECRET_KEY, so they differ on every machine, are never committed, and stay the same across runs."""

import base64
import hashlib
import hmac

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.contrib.auth.models import Group

from reference.models import Country

from . import roles
from .models import FocalPoint, User
from .services import focal_point_save

DEMO_ACCOUNTS = [
    # e-mail, first, last, role, staff, superuser, focal point of
    ("admin@demo.mercury.test", "Ada", "Secretariat", roles.SECRETARIAT_ADMIN, True, True, None),
    ("registration@demo.mercury.test", "Rafael", "Registrar", roles.REGISTRATION_OFFICER, True, False, None),
    ("documents@demo.mercury.test", "Dora", "Documents", roles.DOCUMENTS_OFFICER, True, False, None),
    ("bureau@demo.mercury.test", "Bruno", "Bureau", roles.BUREAU_MEMBER, False, False, None),
    ("focalpoint.zambia@demo.mercury.test", "Zola", "Mwansa", roles.FOCAL_POINT, False, False, "ZMB"),
    ("focalpoint.peru@demo.mercury.test", "Pilar", "Quispe", roles.FOCAL_POINT, False, False, "PER"),
    ("delegate@demo.mercury.test", "Dalia", "Delegate", roles.DELEGATE, False, False, None),
]


def demo_password(email):
    digest = hmac.new(settings.SECRET_KEY.encode(), email.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest)[:12].decode()


def load():
    """Create the demo accounts (or reset their passwords). Returns the logins to print."""
    logins = []
    for email, first, last, role, staff, superuser, iso3 in DEMO_ACCOUNTS:
        password = demo_password(email)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=password, first_name=first, last_name=last,
                is_staff=staff, is_superuser=superuser,
            )  # fmt: skip
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            user.groups.add(Group.objects.get(name=role))
            if iso3:
                focal_point_save(focal_point=FocalPoint(user=user, country=Country.objects.get(iso3=iso3)))
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
        totp_secret = None
        if staff:
            authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
            if authenticator is None:
                totp_secret = generate_totp_secret()
                TOTP.activate(user, totp_secret)
            else:
                totp_secret = decrypt(authenticator.data["secret"])
        logins.append(
            {"email": email, "role": role, "password": password, "totp_secret": totp_secret, "staff": staff}
        )
    return logins
