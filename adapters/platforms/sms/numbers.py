"""Phone numbers as the SMS adapter stores them: E.164 ("+254712345678"), via phonenumbers."""

from __future__ import annotations

import phonenumbers

# Where a number without a country code is assumed to be when nothing else says.
FALLBACK_REGION = "US"


def e164(raw: str, region: str | None) -> str | None:
    """`raw` as E.164, or None when it is not a phone number.

    Gateways send E.164, but not always: a number without "+" is read as a national number of
    `region` (the gateway's own number's country), then as an international one without its
    "+" ("254712345678"). "Possible" rather than "valid": a new number range missing from
    phonenumbers' metadata must not lock a real person out.
    """
    raw = raw.strip()
    if not raw:
        return None
    candidates = [raw] if raw.startswith("+") else [raw, "+" + raw]
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, region or FALLBACK_REGION)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def region_of(number: str | None) -> str | None:
    """The country ("KE", "US") of an E.164 number; None for a short code or a sender name."""
    if not number or not number.startswith("+"):
        return None
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.region_code_for_number(parsed)
