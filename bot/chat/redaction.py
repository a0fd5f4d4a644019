"""What logs may say of a person: never a phone number, an account or chat id, a name or a text
in clear; `pseudonym(value)` instead, a short keyed hash that tells one person's lines apart from
another's without saying who they are.

The key is LOG_PSEUDONYM_KEY when it is set, so an operator sees the same pseudonym for the same
number across restarts and processes (and can compute it for a number someone reports); without
it, a random key made when this module is first imported, so pseudonyms match only within one
process. Either way nobody without the key can tell a number from its pseudonym, which a plain
hash of a phone number (a few billion possibilities) would not stop.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets

KEY = os.environ.get("LOG_PSEUDONYM_KEY", "").encode() or secrets.token_bytes(32)
LENGTH = 10  # hex digits: 40 bits, plenty to tell apart the people in one log


def pseudonym(value: str) -> str:
    """A short keyed hash of `value` ("3f9a0c17be"), the same for the same value and key."""
    return hmac.new(KEY, value.encode(), hashlib.sha256).hexdigest()[:LENGTH]


# A phone number as gateways quote one in their errors ("+254 700 000001", "254700000001").
_NUMBER = re.compile(r"\+?\d[\d ().-]{6,}\d")


def scrub(text: str) -> str:
    """`text` (a platform's error message) with every phone-number-like run of digits replaced
    by its pseudonym, so the message can be logged."""
    return _NUMBER.sub(lambda found: "#" + pseudonym(re.sub(r"\D", "", found.group())), text)
