"""Signed credentials: a learner who completed a circle gets an Open Badges 3.0 credential from
/portfolio, and it verifies with the JOSE library's own verification (not the code that signed
it) against the keys the web app publishes, and fails once altered."""

from __future__ import annotations

import base64
import json
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from adapters.shell.web import build_app
from bot.chat.clock import FakeClock
from bot.chat.messages import Capabilities, Outbound
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.reports.credentials import CredentialIssuer, SigningKeys
from bot.storage.models import Credential, Person
from tests.conftest import Chat, code_of
from tests.database import open_session
from tests.platforms import PLATFORMS
from tests.seasons import starts

BASE = "https://circles.example.org"
WITH_FILES = Capabilities(max_text_length=4000, files=True)
PHONE = "+254700000001"
SHORT_CIRCLE = (
    '/newcircle name="Python for Everyone" course="Python for Everybody" '
    'url=https://www.py4e.com venue="Detroit Public Library" city=Detroit country=US '
    "zone=America/Detroit start=2026-10-29 time=18:00 meetings=2"
)


def issuer(keys: SigningKeys | None = None, min_meetings: int = 5) -> CredentialIssuer:
    return CredentialIssuer(keys or SigningKeys.generate(), BASE, "Circles Example", min_meetings)


@dataclass
class Setting:
    core: Core
    chat: Chat
    clock: FakeClock


@pytest.fixture
async def setting(sqlite_engine: AsyncEngine, clock: FakeClock) -> AsyncIterator[Setting]:
    core = Core(sqlite_engine, clock, random.Random(7), platforms=PLATFORMS, credentials=issuer())
    yield Setting(core, Chat(core), clock)


async def season(s: Setting, came: dict[str, tuple[int, ...]]) -> None:
    """A two-meeting circle in Detroit; each learner says /here at the meetings given."""
    assert "is ready" in await s.chat.say("Amina", SHORT_CIRCLE)
    code = await code_of(s.core, "Python for Everyone")
    for name in came:
        assert "Welcome" in await s.chat.say(name, f"/join {code}")
        await s.chat.say(name, "To learn Python with others.")
        await s.chat.say(name, "no")
    for number in (1, 2):
        s.clock.set(starts(number) + timedelta(minutes=5))
        for name, meetings in came.items():
            if number in meetings:
                assert "You're here" in await s.chat.say(name, "/here")
    s.clock.set(starts(2) + timedelta(hours=3))  # the last meeting is over


async def portfolio(
    s: Setting, name: str, capabilities: Capabilities = WITH_FILES
) -> list[Outbound]:
    return await s.core.handle(s.chat.inbound(name, "/portfolio"), capabilities)


def credential_file(replies: list[Outbound]) -> str:
    files = [a for reply in replies for a in reply.attachments if a.filename.endswith(".jwt")]
    assert len(files) == 1, [a.filename for reply in replies for a in reply.attachments]
    assert files[0].media_type == "application/vc+jwt"
    return files[0].data.decode("ascii")


async def published_keys(core: Core) -> dict[str, object]:
    """The JWK Set, fetched over HTTP from the web app as a verifier would."""
    server = TestServer(build_app(core), host="127.0.0.1")
    await server.start_server()
    try:
        async with aiohttp.ClientSession() as client:
            async with client.get(server.make_url("/.well-known/jwks.json")) as response:
                assert response.status == 200
                return await response.json(content_type=None)
    finally:
        await server.close()


def independently_verified(token: str, jwks: dict[str, object]) -> dict[str, object]:
    """joserfc's own verification against the published keys; raises when it fails."""
    keys = KeySet.import_key_set(jwks)  # type: ignore[arg-type]
    found = jws.deserialize_compact(token, keys, algorithms=["ES256"])
    return json.loads(found.payload)


async def test_a_learner_who_came_to_every_meeting_gets_a_credential_that_verifies(
    setting: Setting,
) -> None:
    await season(setting, {"Brian": (1, 2)})
    replies = await portfolio(setting, "Brian")
    text = "\n".join(reply.text for reply in replies)
    assert "You completed Python for Everybody" in text
    token = credential_file(replies)
    credential = independently_verified(token, await published_keys(setting.core))

    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert "https://www.w3.org/ns/credentials/v2" in credential["@context"]  # type: ignore[operator]
    assert credential["issuer"]["id"] == BASE + "/issuer"  # type: ignore[index]
    assert credential["validFrom"] == "2026-11-06T02:00:00Z"
    subject = credential["credentialSubject"]
    assert subject["achievement"]["type"] == ["Achievement"]  # type: ignore[index]
    assert subject["achievement"]["name"] == "Python for Everybody"  # type: ignore[index]
    assert subject["identifier"][0]["identityHash"] == "Brian"  # type: ignore[index]
    # The link an SMS reader can open later, and the credential's own id, are ours to serve.
    async with open_session(setting.core) as session:
        row = (await session.exec(select(Credential))).one()
    assert BASE + "/c/" + row.code in text
    assert credential["id"] == BASE + "/credentials/" + row.public_id
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header == {
        "alg": "ES256",
        "kid": setting.core.credential_keys()["keys"][0]["kid"],
        "typ": "vc+jwt",
        "cty": "vc",
    }


async def test_the_credential_names_the_learner_but_never_their_phone_or_handle(
    setting: Setting,
) -> None:
    await season(setting, {"Brian": (1, 2)})
    token = credential_file(await portfolio(setting, "Brian"))
    payload = base64.urlsafe_b64decode(token.split(".")[1] + "==").decode("utf-8")
    # The console account's id is the name casefolded, its address "console:brian".
    assert "console" not in payload and "brian" not in payload


async def test_an_altered_credential_fails_to_verify(setting: Setting) -> None:
    await season(setting, {"Brian": (1, 2)})
    token = credential_file(await portfolio(setting, "Brian"))
    jwks = await published_keys(setting.core)
    header, payload, signature = token.split(".")

    def flipped(part: str, at: int) -> str:
        swap = "A" if part[at] != "A" else "B"
        return part[:at] + swap + part[at + 1 :]

    one_character_of_the_payload = f"{header}.{flipped(payload, len(payload) // 2)}.{signature}"
    one_character_of_the_signature = f"{header}.{payload}.{flipped(signature, 5)}"
    for altered in (one_character_of_the_payload, one_character_of_the_signature):
        with pytest.raises((JoseError, ValueError)):
            independently_verified(altered, jwks)

    # Signed by another key that claims the same kid: the published key refuses it.
    published_kid = str(jwks["keys"][0]["kid"])  # type: ignore[index]
    impostor = ECKey.generate_key("P-256", parameters={"kid": published_kid})
    claims = base64.urlsafe_b64decode(payload + "==")
    forged = jws.serialize_compact(
        json.loads(base64.urlsafe_b64decode(header + "==")), claims, impostor
    )
    with pytest.raises(JoseError):
        independently_verified(forged, jwks)


async def test_missing_a_meeting_of_a_short_circle_earns_no_credential_yet(
    setting: Setting,
) -> None:
    await season(setting, {"Brian": (1, 2), "Carla": (1,)})
    text = "\n".join(reply.text for reply in await portfolio(setting, "Carla"))
    assert "Here is your portfolio" in text and "certificate" not in text
    async with open_session(setting.core) as session:
        assert (await session.exec(select(Credential))).all() == []


async def test_no_credential_before_the_circle_is_over(setting: Setting) -> None:
    await season(setting, {"Brian": (1, 2)})
    setting.clock.set(starts(2) + timedelta(minutes=30))  # still in the last meeting
    text = "\n".join(reply.text for reply in await portfolio(setting, "Brian"))
    assert "certificate" not in text


async def test_asking_again_gives_the_same_credential(setting: Setting) -> None:
    await season(setting, {"Brian": (1, 2)})
    first = credential_file(await portfolio(setting, "Brian"))
    setting.clock.advance(timedelta(days=3))
    assert credential_file(await portfolio(setting, "Brian")) == first


async def test_by_sms_the_learner_gets_the_short_link_to_open_later(setting: Setting) -> None:
    sms = Chat(setting.core, platform="sms", capabilities=SMS_CAPABILITIES)
    assert "is ready" in await setting.chat.say("Amina", SHORT_CIRCLE)
    code = await code_of(setting.core, "Python for Everyone")
    for text in (f"JOIN {code}", "To learn Python with others.", "no"):
        await sms.say(PHONE, text)
    for number in (1, 2):
        setting.clock.set(starts(number) + timedelta(minutes=5))
        assert "You're here" in await sms.say(PHONE, "HERE")
    setting.clock.set(starts(2) + timedelta(hours=3))
    text = await sms.say(PHONE, "PORTFOLIO")
    async with open_session(setting.core) as session:
        row = (await session.exec(select(Credential))).one()
    assert f"{BASE}/c/{row.code}" in text
    # The link is her certificate: no word of a file she can never open (walkthrough ops 19).
    assert text.endswith(f"{BASE}/c/{row.code}")
    assert PHONE not in row.token  # nor in the signed credential


async def test_forget_erases_the_credential(setting: Setting) -> None:
    await season(setting, {"Brian": (1, 2)})
    credential_file(await portfolio(setting, "Brian"))
    await setting.chat.say("Brian", "/forget")
    assert "Done" in await setting.chat.say("Brian", "yes")
    async with open_session(setting.core) as session:
        assert (await session.exec(select(Credential))).all() == []
        assert (
            await session.exec(select(Person).where(Person.display_name == "Brian"))
        ).all() == []


def test_a_key_file_in_pem_or_as_a_jwk_set_signs_and_keeps_old_keys_published(
    tmp_path: Path,
) -> None:
    old, new = ECKey.generate_key("P-256"), ECKey.generate_key("P-256")
    pem = tmp_path / "key.pem"
    pem.write_bytes(new.as_pem(private=True))
    from_pem = SigningKeys.from_file(pem)
    assert from_pem.kid == new.thumbprint()
    rotated = tmp_path / "keys.json"
    rotated.write_text(json.dumps({"keys": [new.as_dict(private=True), old.as_dict(private=True)]}))
    keys = SigningKeys.from_file(rotated)
    assert keys.kid == new.thumbprint()
    published = keys.jwks()["keys"]
    assert [k["kid"] for k in published] == [new.thumbprint(), old.thumbprint()]
    assert all("d" not in k for k in published)  # never the private part


def test_a_public_key_alone_cannot_sign(tmp_path: Path) -> None:
    public = tmp_path / "public.json"
    public.write_text(json.dumps(ECKey.generate_key("P-256").as_dict(private=False)))
    with pytest.raises(ValueError, match="private"):
        SigningKeys.from_file(public)


def test_a_retired_key_may_stay_published_without_its_private_part(tmp_path: Path) -> None:
    old, new = ECKey.generate_key("P-256"), ECKey.generate_key("P-256")
    rotated = tmp_path / "keys.json"
    rotated.write_text(
        json.dumps({"keys": [new.as_dict(private=True), old.as_dict(private=False)]})
    )
    keys = SigningKeys.from_file(rotated)
    assert [k["kid"] for k in keys.jwks()["keys"]] == [new.thumbprint(), old.thumbprint()]


async def test_the_deployment_reads_the_key_file_and_needs_the_public_address(
    tmp_path: Path, clock: FakeClock
) -> None:
    key = ECKey.generate_key("P-256")
    path = tmp_path / "credential-key.pem"
    path.write_bytes(key.as_pem(private=True))
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    with pytest.raises(ValueError, match="PUBLIC_BASE_URL"):
        Core.from_url(
            url, clock, random.Random(1), platforms=PLATFORMS, credential_key_file=str(path)
        )
    core = Core.from_url(
        url,
        clock,
        random.Random(1),
        platforms=PLATFORMS,
        credential_key_file=str(path),
        public_base_url=BASE + "/",
        credential_issuer="Kenya National Library Service",
    )
    try:
        assert core.credential_keys()["keys"][0]["kid"] == key.thumbprint()
        profile = core.issuer_profile()
        assert profile is not None and profile["id"] == BASE + "/issuer"
        assert profile["name"] == "Kenya National Library Service"
    finally:
        await core.close()
