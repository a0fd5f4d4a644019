"""Danish by SMS (walkthrough): "Afmeld" is how a Dane cancels a place at a meeting, never
"stop every message"; and a phone without Æ, Ø and Å writes SØG as SOG, HJÆLP as HJAELP."""

from __future__ import annotations

from bot.chat import keywords
from bot.chat.i18n import Catalogs
from locales import LOCALES_DIR

DA = Catalogs(LOCALES_DIR).translator("da")


def test_afmeld_is_a_no_to_a_meeting_not_an_opt_out() -> None:
    found = keywords.read(DA, "Afmeld")
    assert found is not None and found.keyword is keywords.Keyword.NO
    stop = keywords.read(DA, "STOP")
    assert stop is not None and stop.keyword is keywords.Keyword.OPT_OUT


def test_danish_letters_typed_without_them_are_read() -> None:
    search = keywords.read(DA, "SOG KOBENHAVN")
    assert search is not None and search.keyword is keywords.Keyword.FIND
    assert search.argument == "KOBENHAVN"
    for typed in ("hjaelp", "HJÆLP", "hjælp"):
        found = keywords.read(DA, typed)
        assert found is not None and found.keyword is keywords.Keyword.HELP, typed
