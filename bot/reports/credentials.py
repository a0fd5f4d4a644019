"""Signed credentials: a learner who completed a circle receives an Open Badges 3.0 credential
(a W3C Verifiable Credential of type OpenBadgeCredential) signed as VC-JOSE: a compact JWS
(ES256) whose payload is the credential itself, verifiable by anyone against the issuer's
published keys (a JWK Set at /.well-known/jwks.json).

The learner owns it: /portfolio hands it over as a file where files travel, and as a short link
(/c/CODE) an SMS reader can open later. It carries the name the learner chose in the bot, never
a phone number or a handle.

Keys come from CREDENTIAL_KEY_FILE: a private JWK, a JWK Set (the first key signs, every key is
published, so credentials signed before a rotation still verify) or a PEM file.
"""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.i18n import Translator
from bot.circles.joincodes import ALPHABET
from bot.letters.letters import place
from bot.storage.models import (
    Attendance,
    Circle,
    CircleStatus,
    Credential,
    Meeting,
    MeetingStatus,
    Membership,
    Person,
)

if TYPE_CHECKING:
    from joserfc.jwk import ECKey

# joserfc (with cryptography) is imported where a key is made or used: only a deployment that
# hands out credentials needs it, and every other `circlebot` start is a tenth of a second
# quicker without it.

ALGORITHM = "ES256"  # widely verified (unlike EdDSA, which joserfc now flags as not recommended)
MEDIA_TYPE = "application/vc+jwt"
CONTEXTS = (
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
)
# P2PU counts five meetings for a credit; a shorter circle asks for all of its meetings.
DEFAULT_MIN_MEETINGS = 5
CODE_LENGTH = 8


class KeyFileError(ValueError):
    """CREDENTIAL_KEY_FILE could not be read as a private EC P-256 key."""


@dataclass(frozen=True)
class SigningKeys:
    """The private key that signs new credentials and every public key still published."""

    signing: ECKey
    published: tuple[ECKey, ...]

    @property
    def kid(self) -> str:
        return str(self.signing.kid)

    @classmethod
    def generate(cls) -> SigningKeys:
        """A fresh key (the demo's and the tests')."""
        from joserfc.jwk import ECKey

        return cls.of([_with_kid(ECKey.generate_key("P-256", private=True))])

    @classmethod
    def of(cls, keys: list[ECKey]) -> SigningKeys:
        from joserfc.jwk import ECKey

        if not keys or not keys[0].is_private:
            raise KeyFileError("the first key must be a private EC P-256 key")
        public = tuple(ECKey.import_key(key.as_dict(private=False)) for key in keys)
        return cls(keys[0], public)

    @classmethod
    def from_file(cls, path: str | Path) -> SigningKeys:
        from joserfc.errors import JoseError
        from joserfc.jwk import ECKey

        data = Path(path).read_bytes()
        try:
            if data.lstrip().startswith(b"-----BEGIN"):
                return cls.of([_with_kid(ECKey.import_key(data))])
            parsed = json.loads(data)
            entries = parsed["keys"] if "keys" in parsed else [parsed]
            return cls.of([_with_kid(ECKey.import_key(entry)) for entry in entries])
        except (ValueError, KeyError, TypeError, JoseError) as error:
            raise KeyFileError(f"{path}: not a private EC P-256 key ({error})") from error

    def jwks(self) -> dict[str, Any]:
        """The published keys, as served at /.well-known/jwks.json."""
        return {
            "keys": [
                dict(key.as_dict(private=False), use="sig", alg=ALGORITHM) for key in self.published
            ]
        }

    def private_jwk(self) -> dict[str, Any]:
        """The signing key as a JWK (to write a key file)."""
        return dict(self.signing.as_dict(private=True))


def _with_kid(key: ECKey) -> ECKey:
    """The key with a kid: its own, else its RFC 7638 thumbprint (stable across restarts)."""
    from joserfc.jwk import ECKey

    if key.kid:
        return key
    values = dict(key.as_dict(private=key.is_private), kid=key.thumbprint())
    return ECKey.import_key(values)


@dataclass(frozen=True)
class CredentialIssuer:
    """Who signs, with what, and where credentials are published (PUBLIC_BASE_URL)."""

    keys: SigningKeys
    base_url: str
    name: str = "circlebot"
    min_meetings: int = DEFAULT_MIN_MEETINGS

    @property
    def root(self) -> str:
        return self.base_url.rstrip("/")

    @property
    def issuer_id(self) -> str:
        return self.root + "/issuer"

    @property
    def jwks_url(self) -> str:
        return self.root + "/.well-known/jwks.json"

    def credential_url(self, public_id: str) -> str:
        return f"{self.root}/credentials/{public_id}"

    def short_url(self, code: str) -> str:
        return f"{self.root}/c/{code}"

    def profile(self) -> dict[str, Any]:
        """The issuer's Open Badges profile, as served at /issuer."""
        return {
            "@context": list(CONTEXTS),
            "id": self.issuer_id,
            "type": ["Profile"],
            "name": self.name,
            "url": self.root,
            "publicKey": self.jwks_url,
        }


@dataclass(frozen=True)
class Completion:
    """A circle a person completed: how many of its meetings they came to, of how many held."""

    circle: Circle
    attended: int
    held: int
    first: datetime
    last: datetime


def required(held: int, min_meetings: int) -> int:
    """Meetings to attend for a credential: `min_meetings`, or all of a shorter circle."""
    return max(1, min(min_meetings, held))


async def completions(
    session: AsyncSession, person_id: int, now: datetime, min_meetings: int
) -> list[Completion]:
    """The circles `person_id` completed: every meeting of it held (none still to come) and
    enough of them attended (see `required`), in the order they ended."""
    circles = (
        await session.exec(
            select(Circle)
            .join(Membership, col(Membership.circle_id) == Circle.id)
            .where(Membership.person_id == person_id)
        )
    ).all()
    found: list[Completion] = []
    for circle in circles:
        assert circle.id is not None
        meetings = (
            await session.exec(
                select(Meeting).where(
                    Meeting.circle_id == circle.id,
                    col(Meeting.status) != MeetingStatus.CANCELLED,
                )
            )
        ).all()
        held = [m for m in meetings if m.ends_at <= now]
        if not held or (len(held) < len(meetings) and circle.status != CircleStatus.CLOSED):
            continue
        attended = (
            await session.exec(
                select(func.count())
                .select_from(Attendance)
                .where(
                    Attendance.person_id == person_id,
                    col(Attendance.meeting_id).in_([m.id for m in held]),
                )
            )
        ).one()
        if attended >= required(len(held), min_meetings):
            first = min(m.starts_at for m in held)
            last = max(m.ends_at for m in held)
            found.append(Completion(circle, attended, len(held), first, last))
    return sorted(found, key=lambda done: done.last)


def _iso(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def document(
    issuer: CredentialIssuer,
    tr: Translator,
    person: Person,
    done: Completion,
    public_id: str,
    now: datetime,
) -> dict[str, Any]:
    """The credential (OpenBadgeCredential), before signing. The learner is named by the name
    they chose in the bot (an IdentityObject, not hashed: the point is to show it)."""
    circle = done.circle
    where = place(tr, circle.city, circle.country_code)
    achievement: dict[str, Any] = {
        "id": "urn:uuid:"
        + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{issuer.root}/circles/{circle.id}")),
        "type": ["Achievement"],
        "achievementType": "LearningProgram",
        "name": circle.course_title,
        "description": tr._(
            "Took the course %(course)s with the learning circle %(circle)s in %(place)s.",
            course=circle.course_title,
            circle=circle.name,
            place=where,
        ),
        "criteria": {
            "narrative": tr.ngettext(
                "Came to at least %(n)d meeting of the circle.",
                "Came to at least %(n)d meetings of the circle.",
                required(done.held, issuer.min_meetings),
            )
        },
        "inLanguage": tr.locale,
        "creator": {"id": issuer.issuer_id, "type": ["Profile"], "name": issuer.name},
    }
    if circle.course_url:
        achievement["criteria"]["id"] = circle.course_url
    return {
        "@context": list(CONTEXTS),
        "id": issuer.credential_url(public_id),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": issuer.issuer_id,
            "type": ["Profile"],
            "name": issuer.name,
            "url": issuer.root,
        },
        "validFrom": _iso(now),
        "name": circle.course_title,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": person.display_name,
                    "identityType": "name",
                    "hashed": False,
                }
            ],
            "achievement": achievement,
            "activityStartDate": _iso(done.first),
            "activityEndDate": _iso(done.last),
            "result": [
                {
                    "type": ["Result"],
                    "value": tr._(
                        "%(attended)d of %(held)d meetings",
                        attended=done.attended,
                        held=done.held,
                    ),
                }
            ],
        },
    }


def sign(keys: SigningKeys, credential: dict[str, Any]) -> str:
    """The credential as a compact JWS (VC-JOSE: typ vc+jwt, the payload the credential)."""
    from joserfc import jws

    header = {"alg": ALGORITHM, "kid": keys.kid, "typ": "vc+jwt", "cty": "vc"}
    payload = json.dumps(credential, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return jws.serialize_compact(header, payload, keys.signing, algorithms=[ALGORITHM])


def verify(token: str, jwks: dict[str, Any]) -> dict[str, Any] | None:
    """The credential in `token` when its signature holds against one of the keys in `jwks`,
    else None (altered, signed by another key, or not a JWS at all)."""
    from joserfc import jws
    from joserfc.errors import JoseError
    from joserfc.jwk import KeySet

    try:
        keys = KeySet.import_key_set(jwks)  # type: ignore[arg-type]
        found = jws.deserialize_compact(token, keys, algorithms=[ALGORITHM])
        credential = json.loads(found.payload)
    except (JoseError, ValueError, TypeError, KeyError):
        return None
    return credential if isinstance(credential, dict) else None


async def _new_code(session: AsyncSession) -> str:
    while True:  # 31**8 codes: a clash is rare; look again rather than fail on the constraint
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        taken = (await session.exec(select(Credential.id).where(Credential.code == code))).first()
        if taken is None:
            return code


async def issue(
    session: AsyncSession,
    issuer: CredentialIssuer,
    tr: Translator,
    person: Person,
    done: Completion,
    now: datetime,
) -> Credential:
    """The person's credential for the circle: the one issued before, or a new one signed now."""
    assert person.id is not None and done.circle.id is not None
    existing = (
        await session.exec(
            select(Credential).where(
                Credential.person_id == person.id, Credential.circle_id == done.circle.id
            )
        )
    ).first()
    if existing is not None:
        return existing
    # Unguessable ids: a credential names its learner, so links are not to be enumerated.
    public_id = str(uuid.UUID(bytes=secrets.token_bytes(16), version=4))
    credential = Credential(
        public_id=public_id,
        code=await _new_code(session),
        person_id=person.id,
        circle_id=done.circle.id,
        key_id=issuer.keys.kid,
        token=sign(issuer.keys, document(issuer, tr, person, done, public_id, now)),
        issued_at=now,
    )
    session.add(credential)
    await session.flush()
    return credential


async def find(session: AsyncSession, ident: str) -> Credential | None:
    """The credential with this public id or short code (codes are typed: any case)."""
    if len(ident) == CODE_LENGTH:
        column, value = col(Credential.code), ident.upper()
    elif len(ident) == 36:
        column, value = col(Credential.public_id), ident.lower()
    else:
        return None
    return (await session.exec(select(Credential).where(column == value))).first()


@dataclass(frozen=True)
class CredentialView:
    """What the verification page shows: the signed document's own words, once its signature
    has been checked against the published keys."""

    public_id: str
    code: str
    short_url: str  # the link to give on, as an SMS reader types it
    token: str
    learner: str
    achievement: str
    description: str
    criteria: str
    result: str
    course_url: str | None
    issuer: str
    valid_from: datetime
    language: str
    timezone: str = "UTC"  # the circle's: the day it was issued is the day there


async def zone_of(session: AsyncSession, credential: Credential) -> str:
    """The time zone of the circle the credential is for."""
    zone = (
        await session.exec(select(Circle.timezone).where(Circle.id == credential.circle_id))
    ).first()
    return zone or "UTC"


def view(
    credential: Credential, issuer: CredentialIssuer, timezone: str = "UTC"
) -> CredentialView | None:
    """The credential as the page shows it, or None when it no longer verifies against the
    published keys (its key was taken out of the set)."""
    signed = verify(credential.token, issuer.keys.jwks())
    if signed is None:
        return None
    subject = signed.get("credentialSubject", {})
    achievement = subject.get("achievement", {})
    names = [i.get("identityHash", "") for i in subject.get("identifier", [])]
    results = [r.get("value", "") for r in subject.get("result", [])]
    try:
        valid_from = datetime.fromisoformat(signed["validFrom"])
    except (KeyError, TypeError, ValueError):
        return None
    return CredentialView(
        public_id=credential.public_id,
        code=credential.code,
        short_url=issuer.short_url(credential.code),
        token=credential.token,
        learner=names[0] if names else "",
        achievement=str(achievement.get("name", "")),
        description=str(achievement.get("description", "")),
        criteria=str(achievement.get("criteria", {}).get("narrative", "")),
        result=results[0] if results else "",
        course_url=achievement.get("criteria", {}).get("id"),
        issuer=str(signed.get("issuer", {}).get("name", "")),
        valid_from=valid_from,
        language=str(achievement.get("inLanguage", "")),
        timezone=timezone,
    )
