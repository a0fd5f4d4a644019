"""Reading the gateways' REST answers."""

from __future__ import annotations

import json
from typing import Any

import aiohttp

# When a gateway says "too many requests" without saying for how long.
DEFAULT_RETRY_AFTER = 5.0


def retry_after(header: str | None) -> float:
    """Seconds to wait from a Retry-After header (seconds; an HTTP date counts as the default)."""
    try:
        return max(0.0, float(header)) if header else DEFAULT_RETRY_AFTER
    except ValueError:
        return DEFAULT_RETRY_AFTER


async def json_object(response: aiohttp.ClientResponse) -> dict[str, Any]:
    """The answer's JSON object, or {} when it is something else (an HTML error page)."""
    try:
        document = json.loads(await response.read())
    except ValueError:
        return {}
    return document if isinstance(document, dict) else {}
