"""Wave 2, G4: facilitators' tools (replies, attendance, announcements, co-facilitators)."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import Attendance
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.core.test_finished_circles import AFTER_ATELIER, two_circles
from tests.rhythm.test_rhythm import CIRCLE, MEETING_1, count, start_circle
from tests.rhythm.test_two_way import detroit, to
from tests.seasons import Week, checkin_due, open_circle, play_week, starts

# --- D44, D30: a reply number is never given to someone else -----------------------------------


async def test_a_number_of_someone_who_used_forget_is_never_given_to_another(
    chat: Chat, core: Core
) -> None:
    """Kai's message was number 1; Kai deletes himself; Ayse's next message must not be 1,
    and /reply 1 says Kai is gone instead of "I can't find message 1"."""
    await detroit(chat, core, "Kai", "Ayse")
    await chat.say("Kai", "Can I come late on Tuesday?")
    [forwarded] = to(await chat.deliver(), "amina")
    assert "/reply 1 " in forwarded
    assert "Delete it all?" in await chat.say("Kai", "/forget")
    assert "everything about you is deleted" in await chat.say("Kai", "yes")
    await chat.deliver()
    gone = await chat.say("Amina", "/reply 1 Sad to see you go, Kai!")
    assert "deleted" in gone and "can't find" not in gone, gone
    await chat.say("Ayse", "Is there parking?")
    [from_ayse] = [t for t in to(await chat.deliver(), "amina") if "parking" in t]
    assert "/reply 1 " not in from_ayse and "/reply 2 " in from_ayse, from_ayse
    # The old retry reaches nobody.
    again = await chat.say("Amina", "/reply 1 Sad to see you go, Kai!")
    assert "Ayse" not in again
    assert to(await chat.deliver(), "ayse") == []


# --- D64: an announcement never goes to a circle that ended long ago by default -------------


async def test_an_announcement_skips_a_default_circle_that_ended_long_ago(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await two_circles(chat, core)
    assert "Atelier Python" in await chat.say("Amina", "/default atelier")
    clock.set(AFTER_ATELIER + timedelta(days=30))
    preview = await chat.say("Amina", "/announce Bring holiday photos next week!")
    assert preview.startswith("Python for Everyone, from Amina:"), preview


async def test_default_refuses_a_circle_that_has_finished(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """D42: /default on an ended circle was confirmed, then ignored by every command."""
    await two_circles(chat, core)
    clock.set(AFTER_ATELIER + timedelta(days=30))
    answer = await chat.say("Amina", "/default atelier")
    assert answer == (
        "Atelier Python has finished, so I won't make it your default: your commands go to "
        "the circles still meeting."
    )


# --- A13, B7, D10, D20, A18, C13, C19, C40, D53: names inside a sentence on the sheet --------


async def sheet(chat: Chat, core: Core, clock: FakeClock, *learners: str) -> None:
    await start_circle(chat, core, *learners)
    clock.set(MEETING_1 + timedelta(hours=1))
    assert "Who came to meeting 1" in await chat.say("Amina", "/attendance")


async def test_a_name_in_a_sentence_is_ticked_and_the_sheet_stays_open(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await sheet(chat, core, clock, "Bea", "Carlos", "Eddie")
    answer = await chat.say("Amina", "carlos came too, late")
    assert "[ ] 1. Bea\n[x] 2. Carlos\n[ ] 3. Eddie" in answer, answer
    assert "closed" not in answer and "/reply" not in answer
    answer = await chat.say("Amina", "1 2 3")
    answer = await chat.say("Amina", "oops no bea wasnt there -3")
    assert "[ ] 1. Bea\n[x] 2. Carlos\n[ ] 3. Eddie" in answer, answer
    assert await chat.say("Amina", "done") == "Saved: 1 of 3 learners came to meeting 1."


async def test_who_came_and_who_did_not_in_swahili_german_danish(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await sheet(chat, core, clock, "Zawadi", "Otis", "Mette")
    await chat.say("Amina", "/language sw")
    answer = await chat.say("Amina", "zawadi alikuja, otis hakuja")
    assert "[x] 1. Zawadi\n[ ] 2. Otis\n[ ] 3. Mette" in answer, answer
    await chat.say("Amina", "/language de")
    answer = await chat.say("Amina", "mette auch")
    assert "[x] 1. Zawadi\n[ ] 2. Otis\n[x] 3. Mette" in answer, answer
    await chat.say("Amina", "/language da")
    assert await chat.say("Amina", "ingen, søren var syg") == ("Noteret: Der kom ingen til møde 1.")
    assert await count(core, Attendance) == 0


async def test_an_unknown_name_is_named_and_the_known_ones_ticked(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Dee", "Eddie", "don Pedro", "Juana")
    clock.set(MEETING_1 + timedelta(hours=1))
    answer = await chat.say("Amina", "/attendance 1 dee, eddy")
    assert "eddy isn't on the list. Did you mean Eddie?" in answer, answer
    assert "[x] 1. Dee\n[ ] 2. Eddie" in answer
    answer = await chat.say("Amina", "pedro")  # the only Pedro
    assert "[x] 3. don Pedro" in answer, answer
    answer = await chat.say("Amina", "vino juanita y tambien mi comadre Rosario que no tiene")
    assert "[x] 4. Juana" in answer, answer
    assert "Rosario isn't on the list for Python for Everyone." in answer
    assert await chat.say("Amina", "Carmen") == (
        "Carmen isn't on the list for Python for Everyone.\n" + answer.split("\n", 1)[1]
    )


async def test_the_circles_own_word_for_done_closes_the_sheet(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """D53: a facilitator reading English whose circle is German says "fertig"."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE + " language=de")
    assert "Willkommen" in await chat.say("Kai", "/join " + await code_of(core, CIRCLE))
    clock.set(MEETING_1 + timedelta(hours=1))
    assert "Who came to meeting 1" in await chat.say("Amina", "/attendance")
    await chat.say("Amina", "kai")
    assert await chat.say("Amina", "fertig") == "Saved: Kai came to meeting 1."


# --- C31: "pedro" names the only don Pedro in every command that takes a learner's name ------


async def test_a_later_word_of_a_name_finds_the_only_one(chat: Chat, core: Core) -> None:
    await detroit(chat, core, "don Pedro", "Mary")
    removing = await chat.say("Amina", "/remove pedro")
    assert "don Pedro" in removing and "No one called" not in removing, removing
    await chat.say("Amina", "no")
    asked = await chat.say("Amina", "/reply pedro")
    assert "don Pedro" in asked and "No one" not in asked, asked


# --- A36: /cancel N REASON carries the reason to the learners ---------------------------------


async def test_cancel_with_a_reason_tells_it_to_the_learners(chat: Chat, core: Core) -> None:
    await detroit(chat, core, "Brian")
    question = await chat.say("Amina", "/cancel 3 library closed for spring break")
    assert question.startswith("Cancel meeting 3 of Python for Everyone"), question
    assert "is cancelled" in await chat.say("Amina", "yes")
    [told] = [t for t in to(await chat.deliver(), "brian") if "won't take place" in t]
    assert "Amina says: library closed for spring break" in told, told


async def test_a_reason_given_with_the_yes_reaches_the_learners(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """B11: "/cancel 3", then "yes, because of the Magal de Touba": the words after the yes
    are the reason, as /cancel 3 REASON gives it; "yes please go ahead" gives none."""
    await detroit(chat, core, "Brian")
    await chat.say("Amina", "/cancel 3")
    done = await chat.say("Amina", "yes, because of the Magal de Touba")
    assert "is cancelled" in done and "because of the Magal de Touba" in done, done
    clock.advance(timedelta(minutes=11))
    [told] = [t for t in to(await chat.deliver(), "brian") if "won't take place" in t]
    assert told.endswith("\nAmina says: because of the Magal de Touba"), told
    await chat.say("Amina", "/cancel 4")
    assert "says" not in await chat.say("Amina", "yes please go ahead")
    clock.advance(timedelta(minutes=11))
    [told] = [t for t in to(await chat.deliver(), "brian") if "meeting 4" in t]
    assert "says" not in told, told


async def test_a_learners_cancel_is_pointed_to_the_rsvp(chat: Chat, core: Core) -> None:
    """A47: "/cancel 4" from a learner means "I can't come"."""
    await detroit(chat, core, "Hana")
    assert await chat.say("Hana", "/cancel 4") == (
        "Can't make it to meeting 4? Send /rsvp no 4 and I'll let your facilitator know."
    )


# --- D14, A35, C55, D31: the digest -------------------------------------------------------------


async def test_the_digest_during_the_meeting_counts_who_said_here(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Lena": True, "Kai": True, "Ayse": True})
    clock.set(starts(1) - timedelta(hours=3))
    await chat.say("Ayse", "/rsvp no")
    await chat.say("Kai", "/rsvp yes")
    clock.set(starts(1) + timedelta(minutes=5))
    for name in ("Lena", "Kai", "Ayse"):
        assert "You're here" in await chat.say(name, "/here")
    digest = await chat.say("Amina", "/digest")
    assert "Coming: 3 yes, 0 no, 0 not answered yet." in digest, digest
    assert "Here now (sent /here): Lena, Kai, Ayse." in digest
    assert "Can't come" not in digest and "Not answered yet" not in digest


async def test_who_paused_or_now_helps_run_it_is_not_counted_as_unanswered(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Bea": True, "Eddie": True, "Hana": True})
    clock.set(starts(1) + timedelta(minutes=5))
    for name in ("Bea", "Eddie", "Hana"):
        await chat.say(name, "/here")
    assert "co-facilitates" in await chat.say("Amina", "/cofacilitator Eddie")
    assert "no more weekly check-in" in await chat.say("Hana", "/checkin off")
    clock.set(checkin_due(1))
    await core.tick()
    await chat.deliver()
    assert "Thanks" in await chat.say("Bea", "3")
    digest = await chat.say("Amina", "/digest")
    assert "Last check-in: 1 of 1 answered." in digest, digest
    assert "Paused the check-ins, so not asked: Hana." in digest


async def test_a_learner_silent_since_attendance_stopped_is_flagged(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Lena": True, "Kai": True, "Ayse": True})
    everyone = ("Lena", "Kai", "Ayse")
    for number in (1, 2):
        await play_week(
            chat, core, clock, number, Week(came=everyone, ratings=dict.fromkeys(everyone, 4))
        )
    for number in (3, 4):  # nobody takes attendance; Ayse answers nothing
        await play_week(chat, core, clock, number, Week(ratings={"Lena": 4, "Kai": 5}))
    digest = await chat.say("Amina", "/digest")
    assert "May be drifting away (didn't answer the last two check-ins): Ayse." in digest, digest


# --- A14: a command without its slash, and the reply hint only for unanswered messages ------


async def test_a_bare_command_word_and_no_hint_for_an_answered_message(
    chat: Chat, core: Core
) -> None:
    await detroit(chat, core, "Eddie")
    await chat.say("Eddie", "I will be late on Tuesday")
    await chat.deliver()
    assert await chat.say("Amina", "roster") == "Did you mean /roster? Commands start with /."
    hint = await chat.say("Amina", "thursday at six")
    assert "/reply 1" in hint, hint  # not answered yet
    assert "sent your answer" in await chat.say("Amina", "/reply 1 Thursday at 6!")
    hint = await chat.say("Amina", "thursday at six")
    assert "/reply" not in hint, hint


# --- D54, A23: a near miss never suggests a command that erases something -----------------------


async def test_move_suggests_reschedule_and_clsoe_close(chat: Chat, core: Core) -> None:
    await detroit(chat, core, "Brian")
    moved = await chat.say("Amina", "/move 2 31.2.")
    assert "Did you mean /reschedule?" in moved and "/remove" not in moved, moved
    assert "Did you mean /close?" in await chat.say("Amina", "/clsoe")


# --- D22, D51 --------------------------------------------------------------------------------


async def test_a_cofacilitator_naming_the_circle_hears_who_can_close_it(
    chat: Chat, core: Core
) -> None:
    """D22: Jonas leads a circle of his own and helps run Amina's."""
    await detroit(chat, core, "Jonas")
    await chat.say("Amina", "/cofacilitator Jonas")
    own = DETROIT_CIRCLE.replace("Python for Everyone", "Fotografie")
    assert "is ready" in await chat.say("Jonas", own)
    assert await chat.say("Jonas", "/close python for everyone") == (
        "Only Amina, who facilitates Python for Everyone, can use /close there."
    )


async def test_forget_names_every_circle_to_hand_over(chat: Chat, core: Core) -> None:
    await two_circles(chat, core)
    answer = await chat.say("Amina", "/forget")
    assert "Python for Everyone" in answer and "Atelier Python" in answer, answer


async def test_a_facilitator_naming_herself_hears_thats_her(chat: Chat, core: Core) -> None:
    """A27."""
    await detroit(chat, core, "Brian")
    for command in ("/remove Amina", "/cofacilitator amina", "/cofacilitator remove Amina"):
        answer = await chat.say("Amina", command)
        assert answer.startswith("That's you: you help run Python for Everyone."), answer


async def test_sharing_tells_a_facilitator_how_many_learners_share(chat: Chat, core: Core) -> None:
    """A40."""
    await open_circle(chat, core, {"Bea": True, "Dee": False})
    assert await chat.say("Amina", "/sharing") == (
        "You help run Python for Everyone, so there's nothing of yours to share. Each learner "
        "chooses whether you read their written check-ins: 1 of 2 does."
    )
