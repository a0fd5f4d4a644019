"""Check-ins paused: a learner who doesn't want the weekly check-in questions in one circle
still gets its meeting reminders (/checkin off; /checkin on brings the questions back).

The tick's check-ins leave a paused membership out in their one statement per chunk
(bot/rhythm/derivation.py); here the questions already waiting for her there stop waiting, so
no nudge follows them. A learner who left two check-ins in a row unanswered by SMS is asked
once, instead of the second one's nudge, whether to keep getting them (quiet_check_*): every
text may cost her money, and silence is no answer.
"""

from __future__ import annotations

from sqlmodel import col, delete
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.i18n import N_, Translator
from bot.storage.models import Circle, Membership, Question, QuestionKind

# The weekly check-in's questions: its 1-5 and the open question after it.
CHECKIN_QUESTIONS = (QuestionKind.RATING, QuestionKind.CHECKIN)


async def pause_checkins(session: AsyncSession, membership: Membership) -> None:
    membership.checkins_paused = True
    session.add(membership)
    await session.exec(
        delete(Question).where(
            col(Question.person_id) == membership.person_id,
            col(Question.circle_id) == membership.circle_id,
            col(Question.kind).in_(CHECKIN_QUESTIONS),
        )
    )
    await session.flush()


async def resume_checkins(session: AsyncSession, membership: Membership) -> None:
    membership.checkins_paused = False
    session.add(membership)
    await session.flush()


# Translators: by SMS, asked once of a learner who hasn't answered two check-ins in a row. It
# offers no numbered choices: her check-in's 1-5 still waits, so a late "2" is her rating, never
# a pause. Not a question either: a "yes please" to it would find nothing to answer (C23, D6).
# One SMS: keep it short; "/checkin off" is shown as the words to text.
QUIET_CHECK = N_(
    "No need to answer: if you'd rather not get the weekly check-in texts for %(circle)s, send "
    "/checkin off. Meeting reminders come either way."
)


def quiet_check_text(tr: Translator, circle: Circle) -> str:
    return tr._(QUIET_CHECK, circle=circle.name)


# Translators: what a learner writes, in a sentence, to ask for no more weekly check-in
# questions while keeping the meeting reminders ("stop med alle de spørgsmål om ugen, jeg vil
# kun have påmindelser om møderne"); comma-separated phrases, matched case, accents and spaces
# aside. Not "no more questions" (also "I have no more questions").
CHECKINS_STOP_ASKED = N_(
    "stop the check-ins, stop the checkins, stop the check-in, stop the weekly questions, "
    "stop the questions, stop asking me, stop sending me questions, stop all the questions, "
    "only the reminders, just the reminders, only want reminders, only want the reminders, "
    "just want reminders, just want the reminders"
)
# The answer to it (D18): the way to do it, never passed on to a facilitator who can't.
CHECKINS_STOP_HOW = N_(
    "To pause the weekly check-in questions, send /checkin off. Meeting reminders keep coming."
)
