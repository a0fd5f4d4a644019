"""Phone numbers as people type them ("0712 345 678", "+254 712-345-678"), read into the
E.164 form a phone-number platform's accounts carry (Platform.phone_numbers), for moving a
learner's record to a new SIM's number (bot/circles/pairing.py link, /newnumber,
/movenumber)."""

from __future__ import annotations

import re

import phonenumbers

# What a typed number may hold: digits and the punctuation people put between them
# ("(414) 555-0188", "414.555.0188"), dashes as phones' keyboards type them ("414–555–0188").
TYPED = re.compile(r"\+?[\d\s().\-\u2010-\u2015]{6,24}")


def e164(typed: str, region: str | None) -> str | None:
    """`typed` as E.164, or None when it is not a phone number. A number without its country
    code is read as one of `region` (where the learner's old number, or her circle, is).
    "Possible" rather than "valid", as the adapters read them: a new number range missing from
    phonenumbers' metadata must not lock a real person out."""
    typed = typed.strip()
    if not TYPED.fullmatch(typed) or sum(ch.isdigit() for ch in typed) < 6:
        return None
    try:
        number = phonenumbers.parse(typed, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def region_of(number: str) -> str | None:
    """The country ("KE") of an E.164 number; None when it names none."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.region_code_for_number(parsed)


def shown(number: str) -> str:
    """An E.164 number as people read it: "+254 712 345 678"."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# A name (or a roster number), then a phone number: "Mercy Wanjiru 0712 345 678".
# The number may open with its area code in brackets: "Eddie (414) 555-0188".
_NAME_AND_NUMBER = re.compile(
    r"(?P<name>\S.*?)\s+(?P<number>\+?\(?\d[\d\s().\-\u2010-\u2015]{4,23})"
)


def name_and_number(typed: str) -> tuple[str, str] | None:
    """The name and the number in "NAME NUMBER" (/movenumber's words); None without both."""
    found = _NAME_AND_NUMBER.fullmatch(typed.strip())
    return (found["name"], found["number"]) if found else None
