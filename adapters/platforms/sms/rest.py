"""Reading the gateways' REST answers."""

from __future__ import annotations

import json
from typing import Any

import aiohttp


async def json_object(response: aiohttp.ClientResponse) -> dict[str, Any]:
    """The answer's JSON object, or {} when it is something else (an HTML error page)."""
    try:
        document = json.loads(await response.read())
    except ValueError:
        return {}
    return document if isinstance(document, dict) else {}
