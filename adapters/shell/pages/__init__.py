"""The public pages of the web app: server-rendered HTML (Jinja2, translated with the project's
catalogs), readable on a small phone and usable without JavaScript. They read the core only
through Core's methods. `add_routes(app, core)` mounts them (adapters/shell/web.py)."""

from adapters.shell.pages.routes import add_routes

__all__ = ["add_routes"]
