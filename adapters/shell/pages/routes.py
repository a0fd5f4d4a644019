"""The public pages' routes: the credential verification page (and its short link, its signed
file, the issuer's profile and keys), the network of letters, the directory of open circles,
the courses and each course's record."""

from __future__ import annotations

import json

from aiohttp import web
from yarl import URL

from adapters.shell.pages.rendering import HEADERS, Pages
from bot.chat.i18n import Translator
from bot.chat.keywords import plain
from bot.core import Core

# The published keys and the issuer profile are JSON; verifiers may fetch them from anywhere.
# Search fields are a few words; anything longer is cut.
MAX_FIELD = 100
JSON_HEADERS = {"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300"}


class PublicPages:
    def __init__(self, core: Core) -> None:
        self.core = core
        self.pages = Pages(core.catalogs)

    def not_found(self, request: web.Request) -> web.Response:
        return self.pages.render(request, "not_found.html", {}, status=404)

    async def credential(self, request: web.Request) -> web.Response:
        found = await self.core.credential(request.match_info["ident"])
        if found is None:
            return self.not_found(request)
        return self.pages.render(
            request,
            "credential.html",
            {
                "credential": found,
                "file_url": f"/credentials/{found.public_id}.jwt",
            },
        )

    async def short_link(self, request: web.Request) -> web.StreamResponse:
        """/c/CODE, the link an SMS reader types: on to the credential's page."""
        found = await self.core.credential(request.match_info["code"])
        if found is None:
            return self.not_found(request)
        target = URL(f"/credentials/{found.public_id}")
        if "lang" in request.query:
            target = target.with_query(lang=request.query["lang"][:16])
        raise web.HTTPFound(str(target), headers=HEADERS)

    async def credential_file(self, request: web.Request) -> web.Response:
        found = await self.core.credential(request.match_info["ident"])
        if found is None:
            return self.not_found(request)
        return web.Response(
            text=found.token,
            content_type="application/vc+jwt",
            headers={
                **JSON_HEADERS,
                "Content-Disposition": f'attachment; filename="credential-{found.code}.jwt"',
            },
        )

    async def keys(self, request: web.Request) -> web.Response:
        return web.json_response(
            self.core.credential_keys(),
            content_type="application/jwk-set+json",
            headers=JSON_HEADERS,
        )

    async def issuer(self, request: web.Request) -> web.Response:
        profile = self.core.issuer_profile()
        if profile is None:
            return self.not_found(request)
        return web.Response(
            text=json.dumps(profile, ensure_ascii=False, indent=2),
            content_type="application/ld+json",
            headers=JSON_HEADERS,
        )

    async def home(self, request: web.Request) -> web.StreamResponse:
        """The site's root: on to the directory of open circles, what a visitor comes for."""
        target = URL("/circles")
        if "lang" in request.query:
            target = target.with_query(lang=request.query["lang"][:16])
        raise web.HTTPFound(str(target), headers=HEADERS)

    async def network(self, request: web.Request) -> web.Response:
        network = await self.core.letter_network()
        widest = max((count for _, _, count in network.by_country), default=1)
        return self.pages.render(request, "network.html", {"network": network, "widest": widest})

    async def circles(self, request: web.Request) -> web.Response:
        fields = ("city", "place", "course", "language")
        wanted = {name: _field(request, name) for name in fields}
        found = await self.core.open_circles(
            place=wanted["place"] or wanted["city"] or None,
            course=wanted["course"] or None,
            language=wanted["language"] or None,
        )
        if wanted["city"]:
            # "Near" orders the list; a city leaves out the circles meeting anywhere else.
            city = plain(wanted["city"])
            found = [circle for circle in found if plain(circle.city) == city]
        tr = self.pages.translator(request)
        return self.pages.render(
            request,
            "circles.html",
            {"circles": found, "apps": self._apps(tr), "number": self._number, **wanted},
            tr=tr,
        )

    def _apps(self, tr: Translator) -> list[tuple[str, str, str | None]]:
        """Where a visitor writes to the bot on each app: (the app's name, the bot's name
        there, a link that opens the chat), as the adapters gave them when they started
        (Core.reach, Core.join_links). Not the texted platforms: `_number` gives those."""
        texted = {platform.name for platform in self.core.platforms.billed_per_segment()}
        apps = []
        for name, whom in sorted(self.core.reach.items()):
            if name in texted or not whom:
                continue
            # The one-tap join link without its join code (which the directory never shows):
            # it opens the chat with the bot.
            link = self.core.join_links.get(name, "")
            opens = link.partition("?")[0] if "{code}" in link.partition("?")[2] else None
            apps.append((self.core.platforms.display_name(tr, name), whom[0], opens))
        return apps

    def _number(self, country_code: str) -> str | None:
        """The number learners in that country text (the gateway their texts go through)."""
        return self.core.platforms.texted_number(country_code, self.core.reach)

    async def courses(self, request: web.Request) -> web.Response:
        topic = _field(request, "topic")
        found = await self.core.ranked_courses(topic or None)
        return self.pages.render(request, "courses.html", {"courses": found, "topic": topic})

    async def course(self, request: web.Request) -> web.Response:
        number = request.match_info["id"]
        # Digits only (the route), and never past the database's integers.
        record = await self.core.course_record(int(number)) if len(number) <= 9 else None
        if record is None:
            return self.not_found(request)
        return self.pages.render(request, "course.html", {"course": record})


def _field(request: web.Request, name: str) -> str:
    """A search field as typed, its spaces tidied, cut to MAX_FIELD characters."""
    return " ".join(request.query.get(name, "").split())[:MAX_FIELD]


def add_routes(app: web.Application, core: Core) -> None:
    pages = PublicPages(core)
    app.router.add_get("/credentials/{ident:[0-9a-fA-F-]{36}}.jwt", pages.credential_file)
    app.router.add_get("/credentials/{ident}", pages.credential)
    app.router.add_get("/c/{code}", pages.short_link)
    app.router.add_get("/.well-known/jwks.json", pages.keys)
    app.router.add_get("/issuer", pages.issuer)
    app.router.add_get("/", pages.home)
    app.router.add_get("/network", pages.network)
    app.router.add_get("/circles", pages.circles)
    app.router.add_get("/courses", pages.courses)
    app.router.add_get("/courses/{id:[0-9]+}", pages.course)
