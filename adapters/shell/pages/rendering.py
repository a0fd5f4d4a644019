"""Templates in the reader's language: one Jinja2 environment per shipped catalog, its i18n
extension on the project's gettext translations, the language from ?lang= then
Accept-Language."""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web
from babel import Locale
from babel.numbers import format_decimal, format_percent
from jinja2 import Environment, PackageLoader, select_autoescape

from bot.chat.i18n import Catalogs, Translator, format_day

# Pages are small and change with the data: browsers may keep them a minute.
HEADERS = {
    # No script anywhere; inline styles and inline SVG only.
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "public, max-age=60",
}
# Accept-Language entries looked at (a header can be long; browsers send a handful).
MAX_LANGUAGES = 12


def preferred_languages(request: web.Request) -> list[str]:
    """?lang= first, then Accept-Language by its q-values (highest first, ties in order)."""
    wanted: list[str] = []
    chosen = request.query.get("lang", "").strip()
    if chosen:
        wanted.append(chosen[:16])
    weighted: list[tuple[float, int, str]] = []
    header = request.headers.get("Accept-Language", "")
    for place, entry in enumerate(header.split(",")[:MAX_LANGUAGES]):
        tag, _, params = entry.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and tag != "*" and quality > 0:
            weighted.append((-quality, place, tag[:16]))
    wanted.extend(tag for _, _, tag in sorted(weighted))
    return wanted


class Pages:
    """The environments, one per language, built once."""

    def __init__(self, catalogs: Catalogs) -> None:
        self.catalogs = catalogs
        self._environments: dict[str, Environment] = {}
        # Each language named in itself, for the switcher at the foot of every page.
        self.languages = [
            (code, (Locale.parse(code).display_name or code).capitalize())
            for code in catalogs.locales
        ]

    def translator(self, request: web.Request) -> Translator:
        return self.catalogs.translator(*preferred_languages(request))

    def _environment(self, tr: Translator) -> Environment:
        environment = self._environments.get(tr.locale)
        if environment is None:
            environment = Environment(
                loader=PackageLoader("adapters.shell.pages", "templates"),
                autoescape=select_autoescape(default=True),
                extensions=["jinja2.ext.i18n"],
                trim_blocks=True,
                lstrip_blocks=True,
            )
            environment.install_gettext_translations(  # type: ignore[attr-defined]
                tr.translations, newstyle=True
            )
            self._environments[tr.locale] = environment
        return environment

    def render(
        self,
        request: web.Request,
        template: str,
        context: Mapping[str, object],
        *,
        status: int = 200,
        tr: Translator | None = None,
    ) -> web.Response:
        tr = tr or self.translator(request)
        locale = Locale.parse(tr.locale)
        html = (
            self._environment(tr)
            .get_template(template)
            .render(
                lang=tr.locale,
                languages=self.languages,
                path=request.path,
                tr=tr,
                country=lambda code: locale.territories.get(code.upper(), code),
                language_name=lambda code: locale.languages.get(code, code),
                date=lambda instant, zone="UTC": tr.date(instant, zone),
                day=lambda plain_date: format_day(plain_date, "long", tr.locale),
                percent=lambda share: format_percent(share, locale=tr.locale),
                decimal=lambda value: format_decimal(value, "0.0", locale=tr.locale),
                **context,
            )
        )
        return web.Response(
            text=html, status=status, content_type="text/html", charset="utf-8", headers=HEADERS
        )
