"""A platform's error text is logged without the numbers it quotes."""

from __future__ import annotations

from bot.chat.redaction import pseudonym, scrub


def test_phone_numbers_in_a_gateways_error_are_replaced_by_their_pseudonym() -> None:
    twilio = "Twilio error 21211: The 'To' number +254 700 000001 is not a valid phone number."
    scrubbed = scrub(twilio)
    assert "700" not in scrubbed and "254" not in scrubbed
    assert "#" + pseudonym("254700000001") in scrubbed
    assert scrubbed.startswith("Twilio error 21211: ")  # error codes stay readable
    at = "sent nothing: {'Recipients': [{'number': '254700000002', 'status': 'InvalidPhone'}]}"
    assert "254700000002" not in scrub(at)
    assert scrub("HTTP 502 after 30 s") == "HTTP 502 after 30 s"
