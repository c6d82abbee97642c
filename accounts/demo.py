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
from django.utils.text import slugify

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


# Their language of correspondence: Peru's focal point gets her letters and mails in Spanish.
DEMO_LANGUAGES = {"focalpoint.peru@demo.mercury.test": "es"}

# National focal points of Parties in every region (all Parties by October 2018, so on the dates
# of the 2018 regional consultations and COP-2), so that an invitation batch means something: the
# Lusaka consultation, scoped to the African States, invites the seven African ones and nobody
# else; COP-2's batch invites them all. Fictitious people; each writes in the language the
# secretariat would use with that State. They have no password (staff may set one in the admin
# to act as one of them).
DEMO_NATIONAL_FOCAL_POINTS = [
    # ISO3, title, first, last, language of correspondence
    # African States
    ("BEN", "M.", "Sènan", "Adjovi", "fr"),
    ("GAB", "Mme", "Nadège", "Mba Obame", "fr"),
    ("GHA", "Mr", "Kwabena", "Owusu-Ansah", "en"),
    ("MDG", "Mme", "Voahangy", "Rakotondrabe", "fr"),
    ("NGA", "Dr", "Chiamaka", "Okonkwo", "en"),
    ("SEN", "Mme", "Mariama", "Ndiaye", "fr"),
    # Asia-Pacific States
    ("IDN", "Ms", "Ratna", "Wulandari", "en"),
    ("JPN", "Mr", "Kenji", "Morita", "en"),
    ("MNG", "Ms", "Oyunchimeg", "Batbayar", "en"),
    ("THA", "Dr", "Pornthip", "Srisawat", "en"),
    # Eastern European States
    ("ARM", "Ms", "Lusine", "Hakobyan", "en"),
    ("CZE", "Mr", "Ondřej", "Dvořák", "en"),
    ("MDA", "Mr", "Victor", "Ciobanu", "en"),
    ("ROU", "Ms", "Ioana", "Munteanu", "en"),
    # Latin American and Caribbean States
    ("ARG", "Sra.", "Florencia", "Benítez", "es"),
    ("ECU", "Sr.", "Santiago", "Andrade Mora", "es"),
    ("JAM", "Ms", "Shauna-Kay", "Whyte", "en"),
    ("MEX", "Dra.", "Alejandra", "Villaseñor", "es"),
    # Western European and other States
    ("AUT", "Mr", "Florian", "Gruber", "en"),
    ("CAN", "Ms", "Megan", "Thibodeau", "en"),
    ("CHE", "M.", "Laurent", "Jaquet", "fr"),
    ("SWE", "Ms", "Karin", "Lindqvist", "en"),
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
                is_staff=staff, is_superuser=superuser, preferred_language=DEMO_LANGUAGES.get(email, "en"),
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
    _national_focal_points()
    return logins


def _national_focal_points():
    """The focal points of DEMO_NATIONAL_FOCAL_POINTS, each once (loading again adds nothing).
    No password: hashing one costs a noticeable moment each, and nobody needs to sign in as them."""
    countries = Country.objects.in_bulk([row[0] for row in DEMO_NATIONAL_FOCAL_POINTS], field_name="iso3")
    existing = set(User.objects.filter(email__endswith="@demo.mercury.test").values_list("email", flat=True))
    for iso3, title, first, last, language in DEMO_NATIONAL_FOCAL_POINTS:
        country = countries[iso3]
        email = f"focalpoint.{slugify(country.name_en)}@demo.mercury.test"
        if email in existing:
            continue
        user = User.objects.create_user(
            email=email, password=None, title=title, first_name=first, last_name=last,
            preferred_language=language,
        )  # fmt: skip
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        focal_point_save(focal_point=FocalPoint(user=user, country=country))  # gives the role too
